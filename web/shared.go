package web

import (
	"context"
	"errors"
	"sync"
	"time"
)

// sharedBuilds lets the requests that ask for the same page at the same
// time share one build of it, so that sixty readers of the nation's
// dashboard cost one build, not sixty.
//
// As a rule a request joins only a build that has not started: what it is
// shown was read after it arrived, so every write committed before it
// asked is in it, as if built for it alone. A request that comes while a
// build runs waits for it to end, then for the next, which it shares with
// every request that came meanwhile. The same page is thus built at most
// once at a time, and a reader waits at most two builds.
//
// A request may instead share a build that started after the reader's own
// last write and less than maxRunningAge ago (shareRunning), and may then
// miss only others' writes of the last moments. It is given the last build
// made at once, if that one may be shared; when something was committed
// since that one started more than refreshAfter ago, and nothing builds
// the page, the next build starts then for no request, and the readers
// after are given it. Under a steady load of others' writes such a reader
// waits for no build, and those readers have the page built a few times a
// second at most. Else it shares the build running if it may, waiting at
// most one build.
type sharedBuilds struct {
	mu    sync.Mutex
	pages map[string]*sharedPage
	swept time.Time // when pages whose last build is too old to give were last let go
	// background counts the builds started for no request (Server.Wait);
	// failed is told of such a build's error or panic, which no request
	// reports. Nil, it is not told.
	background sync.WaitGroup
	failed     func(key string, failure any)
}

// sharedPage is one page's builds: the one running, which only requests
// allowed to (shareRunning) may join, the next, which waits for it and
// which requests join, and the last one made, kept while it may be given.
type sharedPage struct {
	running, next, last *sharedBuild
}

// maxKeptPages bounds the pages whose last build is kept (the nation's
// dashboard holds some hundreds of kilobytes: its figures and its content
// drawn): past it, a page's last build is not kept until the sweep lets
// the old ones go.
const maxKeptPages = 64

type sharedBuild struct {
	done   chan struct{}
	joined int // requests that joined the one that leads it, before it started or while it runs
	result any
	err    error
	// Set when it starts: the writes committed (shareRunning.commits),
	// -1 when not known, and when.
	commits int64
	started time.Time
}

// shareRunning says which build already running a request may share: one
// that started once the store's count of commits (Store.Commits) reached
// since, less than maxRunningAge ago. The zero value shares none running.
type shareRunning struct {
	commits func() int64
	since   int64
}

// maxRunningAge bounds how old a build, running or the last made, may be
// for a request to share it: what others wrote since it started is
// missing from it.
var maxRunningAge = time.Second

// refreshAfter is how old the last build made is when a request given it
// starts the next one (shareBuild), if something was committed since: a
// quarter of maxRunningAge.
var refreshAfter = 250 * time.Millisecond

// joins says whether a request may share the build b, running or made.
func (r shareRunning) joins(b *sharedBuild) bool {
	return r.commits != nil && b.commits >= 0 && b.commits >= r.since && time.Since(b.started) < maxRunningAge
}

// refreshes says whether a request given p's last build (which it joins)
// starts the next: nothing builds the page, and something was committed
// since the last one started, more than refreshAfter ago.
func (r shareRunning) refreshes(p *sharedPage) bool {
	b := p.last
	return p.running == nil && p.next == nil && r.commits() != b.commits && time.Since(b.started) >= refreshAfter
}

// errBuildFailed is what the requests sharing a build are told when it
// panicked: the request that ran it reports the panic itself, or, for a
// build started for no request, sharedBuilds.failed.
var errBuildFailed = errors.New("web: a shared build of the page failed")

// shareBuild returns what build gives for key, built once for all the
// requests that ask for key while it waits to start, and, as rule allows,
// those that ask while it runs. The build runs with a
// context of its own, without the request's values (who asks) or its end:
// the others need it when the request that runs it goes away. A request
// that goes away while it waits stops waiting, and one that went away
// before its build started, which no other joined, does not build.
func shareBuild[T any](ctx context.Context, g *sharedBuilds, key string, rule shareRunning, build func(context.Context) (T, error)) (T, error) {
	g.mu.Lock()
	if g.pages == nil {
		g.pages = map[string]*sharedPage{}
	}
	g.sweep()
	p := g.pages[key]
	if p == nil {
		p = &sharedPage{}
		g.pages[key] = p
	}
	if last := p.last; last != nil && rule.joins(last) {
		if rule.refreshes(p) {
			b := p.newNext()
			g.background.Add(1)
			go leadAlone(g, key, p, b, rule, build)
		}
		g.mu.Unlock()
		return last.result.(T), nil
	}
	if b := p.running; b != nil && rule.joins(b) {
		b.joined++
		g.mu.Unlock()
		return waitFor[T](ctx, b)
	}
	if b := p.next; b != nil {
		b.joined++
		g.mu.Unlock()
		return waitFor[T](ctx, b)
	}
	b := p.newNext()
	before := p.running
	g.mu.Unlock()
	return lead(ctx, g, key, p, b, before, rule, build)
}

// newNext makes a build p's next, which requests may join until it
// starts. The caller holds sharedBuilds.mu.
func (p *sharedPage) newNext() *sharedBuild {
	p.next = &sharedBuild{done: make(chan struct{}), err: errBuildFailed}
	return p.next
}

// leadAlone runs b, p's next build, for no request: its failure, and a
// panic, which would otherwise end the process, go to g.failed.
func leadAlone[T any](g *sharedBuilds, key string, p *sharedPage, b *sharedBuild, rule shareRunning, build func(context.Context) (T, error)) {
	defer g.background.Done()
	defer func() {
		if v := recover(); v != nil && g.failed != nil {
			g.failed(key, v)
		}
	}()
	if _, err := lead(context.Background(), g, key, p, b, nil, rule, build); err != nil && g.failed != nil {
		g.failed(key, err)
	}
}

// lead runs b, p's next build, once the build before it (running when b
// was made p's next, or nil) ends, for the request whose ctx it is (for
// none: context.Background). The caller made b p's next under g.mu, and
// let g.mu go.
func lead[T any](ctx context.Context, g *sharedBuilds, key string, p *sharedPage, b, before *sharedBuild, rule shareRunning, build func(context.Context) (T, error)) (T, error) {
	// This request leads the build: the others that join it count on it,
	// so it waits for the build before it even if its own request ends.
	if before != nil {
		<-before.done
	}
	g.mu.Lock()
	p.next = nil
	if err := ctx.Err(); err != nil && b.joined == 0 {
		if p.running == nil && p.last == nil && g.pages[key] == p {
			delete(g.pages, key)
		}
		g.mu.Unlock()
		b.err = err
		close(b.done)
		var zero T
		return zero, err
	}
	b.commits, b.started = -1, time.Now()
	if rule.commits != nil {
		b.commits = rule.commits() // before the build reads
	}
	p.running = b
	g.mu.Unlock()
	func() {
		defer func() { // even if build panics, those waiting are let go
			g.mu.Lock()
			p.running = nil
			switch {
			case b.err != nil:
			case b.commits < 0: // newer than the last kept, and not to be given
				p.last = nil
			case p.last != nil || len(g.pages) <= maxKeptPages:
				p.last = b
			}
			if p.next == nil && p.last == nil && g.pages[key] == p {
				delete(g.pages, key)
			}
			g.mu.Unlock()
			close(b.done)
		}()
		b.result, b.err = build(context.Background())
	}()
	return waitFor[T](ctx, b)
}

// Wait waits for the pages being built for no request (sharedBuilds):
// after the HTTP server has shut down, before the store closes.
func (s *Server) Wait() { s.shared.background.Wait() }

// ForgetBuilt lets go of the pages' last builds kept, so that the next
// request for each builds it again: for `nscl bench`, which times a build.
func (s *Server) ForgetBuilt() {
	g := &s.shared
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range g.pages {
		p.last = nil
	}
}

// sweep lets go, at most once every maxRunningAge, of the pages that
// nothing builds and whose last build is too old to give. g.mu is held.
func (g *sharedBuilds) sweep() {
	if time.Since(g.swept) < maxRunningAge {
		return
	}
	g.swept = time.Now()
	for key, p := range g.pages {
		if p.running == nil && p.next == nil && (p.last == nil || time.Since(p.last.started) >= maxRunningAge) {
			delete(g.pages, key)
		}
	}
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
