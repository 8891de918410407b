package web

import (
	"context"
	"errors"
	"sync"
)

// sharedBuilds lets the requests that ask for the same page at the same
// time share one build of it, so that sixty readers of the nation's
// dashboard cost one build, not sixty.
//
// A request joins only a build that has not started: what it is shown was
// read after it arrived, so every write committed before it asked is in
// it, as if built for it alone. A request that comes while a build runs
// waits for it to end, then for the next, which it shares with every
// request that came meanwhile. The same page is thus built at most once at
// a time, and a reader waits at most two builds.
type sharedBuilds struct {
	mu    sync.Mutex
	pages map[string]*sharedPage
}

// sharedPage is one page's builds: the one running, which no request may
// join, and the next, which waits for it and which requests join.
type sharedPage struct {
	running, next *sharedBuild
}

type sharedBuild struct {
	done   chan struct{}
	joined int // requests that joined the one that leads it
	result any
	err    error
}

// errBuildFailed is what the requests sharing a build are told when it
// panicked: the request that ran it reports the panic itself.
var errBuildFailed = errors.New("web: a shared build of the page failed")

// shareBuild returns what build gives for key, built once for all the
// requests that ask for key while it waits to start. The build runs with a
// context of its own, without the request's values (who asks) or its end:
// the others need it when the request that runs it goes away. A request
// that goes away while it waits stops waiting, and one that went away
// before its build started, which no other joined, does not build.
func shareBuild[T any](ctx context.Context, g *sharedBuilds, key string, build func(context.Context) (T, error)) (T, error) {
	g.mu.Lock()
	if g.pages == nil {
		g.pages = map[string]*sharedPage{}
	}
	p := g.pages[key]
	if p == nil {
		p = &sharedPage{}
		g.pages[key] = p
	}
	if b := p.next; b != nil {
		b.joined++
		g.mu.Unlock()
		return waitFor[T](ctx, b)
	}
	b := &sharedBuild{done: make(chan struct{}), err: errBuildFailed}
	p.next = b
	before := p.running
	g.mu.Unlock()

	// This request leads the build: the others that join it count on it,
	// so it waits for the build before it even if its own request ends.
	if before != nil {
		<-before.done
	}
	g.mu.Lock()
	p.next = nil
	if err := ctx.Err(); err != nil && b.joined == 0 {
		if p.running == nil {
			delete(g.pages, key)
		}
		g.mu.Unlock()
		b.err = err
		close(b.done)
		var zero T
		return zero, err
	}
	p.running = b
	g.mu.Unlock()
	func() {
		defer func() { // even if build panics, those waiting are let go
			g.mu.Lock()
			p.running = nil
			if p.next == nil {
				delete(g.pages, key)
			}
			g.mu.Unlock()
			close(b.done)
		}()
		b.result, b.err = build(context.Background())
	}()
	return waitFor[T](ctx, b)
}

// waitFor waits for a shared build, or for ctx to end.
func waitFor[T any](ctx context.Context, b *sharedBuild) (T, error) {
	var zero T
	select {
	case <-b.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if b.err != nil {
		return zero, b.err
	}
	return b.result.(T), nil
}
