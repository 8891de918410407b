package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nscl/demo"
)

// TestShareBuildJoinsOnlyUnstartedBuilds: requests that come while a
// build runs do not get it — it may have read before they asked — but
// share the one after it; that one reads what was written before they came.
func TestShareBuildJoinsOnlyUnstartedBuilds(t *testing.T) {
	var g sharedBuilds
	var written atomic.Int64 // the "database": what a build reads
	var builds atomic.Int64
	release := make(chan struct{})
	build := func(context.Context) (int64, error) {
		seen := written.Load() // read before the build says it started
		n := builds.Add(1)
		if n == 1 {
			<-release // the first build is slow, and read before the write below
		}
		return seen, nil
	}

	firstDone := make(chan int64)
	go func() {
		v, err := shareBuild(t.Context(), &g, "page", shareRunning{}, build)
		if err != nil {
			t.Error(err)
		}
		firstDone <- v
	}()
	waitUntil(t, func() bool { return builds.Load() == 1 })

	written.Store(7) // committed before the next requests ask
	const later = 20
	var wg sync.WaitGroup
	got := make([]int64, later)
	for i := range later {
		wg.Go(func() {
			v, err := shareBuild(t.Context(), &g, "page", shareRunning{}, build)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	waitUntil(t, func() bool { return waiting(&g, "page") == later-1 })
	close(release)
	if v := <-firstDone; v != 0 {
		t.Errorf("the first request got %d, want what it read before the write (0)", v)
	}
	wg.Wait()
	for i, v := range got {
		if v != 7 {
			t.Errorf("request %d after the write got %d, want 7: it joined a build that read before it asked", i, v)
		}
	}
	if n := builds.Load(); n != 2 {
		t.Errorf("%d builds for 1 + %d requests, want 2: the %d that came during the first share one", n, later, later)
	}
	if len(g.pages) != 0 {
		t.Errorf("%d pages left behind after the builds ended", len(g.pages))
	}
}

// waiting counts the requests waiting to share the build after the one
// running, less its leader: they wait on the build's channel, which the
// test cannot see, so it counts them from the outside as they arrive.
func waiting(g *sharedBuilds, key string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.pages[key]
	if p == nil || p.next == nil {
		return 0
	}
	return int(p.next.joined)
}

// TestShareBuildRunningForReadersWhoseWritesItHolds: a reader whose own
// writes the running build holds shares it, rather than wait for the next;
// a reader who wrote since it started, a request that shares none running
// (the report API's), and any reader once the build is older than
// maxRunningAge wait for a build that starts after they ask.
func TestShareBuildRunningForReadersWhoseWritesItHolds(t *testing.T) {
	var g sharedBuilds
	var commits, builds atomic.Int64 // the store's count of commits; the builds made
	gates := map[int64]chan struct{}{1: make(chan struct{}), 3: make(chan struct{})}
	build := func(context.Context) (int64, error) {
		seen := commits.Load() // what the build reads
		if gate := gates[builds.Add(1)]; gate != nil {
			<-gate
		}
		return seen, nil
	}
	readerWhoWroteAt := func(n int64) shareRunning { return shareRunning{commits: commits.Load, since: n} }
	// However slow the machine, the build running is young enough to share
	// until the part below that makes it too old.
	defer func(age time.Duration) { maxRunningAge = age }(maxRunningAge)
	maxRunningAge = time.Hour
	ask := func(rule shareRunning) chan int64 {
		got := make(chan int64, 1)
		go func() {
			v, err := shareBuild(t.Context(), &g, "page", rule, build)
			if err != nil {
				t.Error(err)
			}
			got <- v
		}()
		return got
	}
	joined := func(which func(p *sharedPage) *sharedBuild) int {
		g.mu.Lock()
		defer g.mu.Unlock()
		if p := g.pages["page"]; p != nil && which(p) != nil {
			return which(p).joined
		}
		return -1
	}
	running := func(p *sharedPage) *sharedBuild { return p.running }
	next := func(p *sharedPage) *sharedBuild { return p.next }

	commits.Store(5)
	first := ask(readerWhoWroteAt(0))
	waitUntil(t, func() bool { return builds.Load() == 1 })
	commits.Store(6) // someone writes while the first build runs
	holdsOwn := ask(readerWhoWroteAt(5))
	waitUntil(t, func() bool { return joined(running) == 1 })
	wroteSince, strict := ask(readerWhoWroteAt(6)), ask(shareRunning{})
	waitUntil(t, func() bool { return joined(next) == 1 }) // one leads the next build, the other joined it
	close(gates[1])
	for name, c := range map[string]struct {
		got  chan int64
		want int64
	}{
		"the first reader":                      {first, 5},
		"a reader whose writes the build holds": {holdsOwn, 5},
		"a reader who wrote since it started":   {wroteSince, 6},
		"a request that shares none running":    {strict, 6},
	} {
		if v := <-c.got; v != c.want {
			t.Errorf("%s was shown what a build read at %d commits, want %d", name, v, c.want)
		}
	}
	if n := builds.Load(); n != 2 {
		t.Errorf("%d builds, want 2", n)
	}

	// A build running too long is shared by no one, and the last one
	// made, older still, is given to no one. (The first reader wrote at
	// 7, so that the last build, however young, is not given to it.)
	maxRunningAge = 10 * time.Millisecond
	commits.Store(7) // since the last build made started, and none runs: a reader waits for a build
	third := ask(readerWhoWroteAt(7))
	waitUntil(t, func() bool { return builds.Load() == 3 })
	time.Sleep(2 * maxRunningAge)
	commits.Store(8)
	late := ask(readerWhoWroteAt(0))
	waitUntil(t, func() bool { return joined(next) == 0 }) // it leads the next build
	close(gates[3])
	if v, w := <-third, <-late; v != 7 || w != 8 {
		t.Errorf("under a build older than maxRunningAge: the reader who came late was shown %d, want 8 (and its leader %d, want 7)", w, v)
	}
}

// TestShareBuildGivesTheLastMade: a reader whose own writes the last build
// made holds is given it at once; once something was committed since it
// started more than refreshAfter ago, the first such reader starts the
// next build without waiting for it, and the readers after are given that
// one. A reader who wrote since waits for a build that holds the write; a
// request that shares none running, and every reader once the last build
// is older than maxRunningAge, wait for a build that starts after they ask.
func TestShareBuildGivesTheLastMade(t *testing.T) {
	var g sharedBuilds
	var commits, builds atomic.Int64
	gate := make(chan struct{})
	var gated atomic.Bool
	build := func(context.Context) (int64, error) {
		seen := commits.Load()
		builds.Add(1)
		if gated.Load() {
			<-gate
		}
		return seen, nil
	}
	defer func(age time.Duration) { maxRunningAge = age }(maxRunningAge)
	maxRunningAge = time.Hour
	readerWhoWroteAt := func(n int64) shareRunning { return shareRunning{commits: commits.Load, since: n} }
	get := func(rule shareRunning) int64 {
		t.Helper()
		v, err := shareBuild(t.Context(), &g, "page", rule, build)
		if err != nil {
			t.Error(err) // called from other goroutines too
		}
		return v
	}

	commits.Store(3)
	if v := get(readerWhoWroteAt(0)); v != 3 || builds.Load() != 1 {
		t.Fatalf("the first reader: shown %d after %d builds, want 3 after 1", v, builds.Load())
	}
	if v := get(readerWhoWroteAt(3)); v != 3 || builds.Load() != 1 {
		t.Errorf("nothing committed since the last build: shown %d after %d builds, want it (3) without a build", v, builds.Load())
	}
	if v := get(shareRunning{}); v != 3 || builds.Load() != 2 {
		t.Errorf("a request that shares none running: shown %d after %d builds, want a build of its own", v, builds.Load())
	}
	// That build, which no reader may be given, lets the last one go: a
	// page is never shown older than one shown before it.
	if v := get(readerWhoWroteAt(3)); v != 3 || builds.Load() != 3 {
		t.Errorf("after a build not to be given: shown %d after %d builds, want a build (3, 3)", v, builds.Load())
	}

	// Someone writes; the last build is younger than refreshAfter.
	commits.Store(4)
	if v := get(readerWhoWroteAt(0)); v != 3 || builds.Load() != 3 {
		t.Errorf("a write since a build younger than refreshAfter: shown %d after %d builds, want the last (3) without a build", v, builds.Load())
	}
	// Once it is older, the next reader starts the next build and is
	// given the last without waiting; so is a reader who comes while it
	// runs. A reader who wrote since waits for it. However slow the
	// machine, the last build may still be given until the end.
	defer func(d time.Duration) { refreshAfter = d }(refreshAfter)
	refreshAfter = 10 * time.Millisecond
	time.Sleep(2 * refreshAfter)
	gated.Store(true)
	if v := get(readerWhoWroteAt(0)); v != 3 {
		t.Errorf("the last build older than refreshAfter: shown %d, want it (3) at once", v)
	}
	waitUntil(t, func() bool { return builds.Load() == 4 })
	if v := get(readerWhoWroteAt(3)); v != 3 || builds.Load() != 4 {
		t.Errorf("while the next build runs: shown %d after %d builds, want the last (3) without another", v, builds.Load())
	}
	wroteSince := make(chan int64, 1)
	go func() { wroteSince <- get(readerWhoWroteAt(4)) }() // joins the build running, which holds its write
	waitUntil(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.pages["page"].running.joined == 1 })
	gated.Store(false)
	close(gate)
	if w := <-wroteSince; w != 4 {
		t.Errorf("the reader who wrote was shown %d, want the build after the write (4)", w)
	}
	if v := get(readerWhoWroteAt(0)); v != 4 || builds.Load() != 4 {
		t.Errorf("after the build started by a reader: shown %d after %d builds, want it (4, 4)", v, builds.Load())
	}

	// Too old to give: a reader waits for a build of its own.
	commits.Store(5)
	maxRunningAge = 10 * time.Millisecond
	time.Sleep(2 * maxRunningAge)
	if v := get(readerWhoWroteAt(0)); v != 5 || builds.Load() != 5 {
		t.Errorf("the last build older than maxRunningAge: shown %d after %d builds, want a build (5, 5)", v, builds.Load())
	}
}

// TestShareBuildKeepsFewPages: the last builds kept are let go once too old
// to give, and no more than maxKeptPages are kept at once.
func TestShareBuildKeepsFewPages(t *testing.T) {
	var g sharedBuilds
	var commits atomic.Int64
	defer func(age time.Duration) { maxRunningAge = age }(maxRunningAge)
	maxRunningAge = time.Hour
	rule := shareRunning{commits: commits.Load}
	for i := range maxKeptPages + 10 {
		if _, err := shareBuild(t.Context(), &g, fmt.Sprint("page ", i), rule, func(context.Context) (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	kept := func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		n := 0
		for _, p := range g.pages {
			if p.last != nil {
				n++
			}
		}
		return n
	}
	if n := kept(); n != maxKeptPages {
		t.Errorf("%d pages' last builds kept, want %d", n, maxKeptPages)
	}
	maxRunningAge = 10 * time.Millisecond
	time.Sleep(2 * maxRunningAge)
	if _, err := shareBuild(t.Context(), &g, "another", rule, func(context.Context) (int, error) { return 0, nil }); err != nil {
		t.Fatal(err)
	}
	if n := kept(); n != 1 {
		t.Errorf("%d last builds kept once the others were too old to give, want 1 (the one just made)", n)
	}
}

func TestShareBuildKeysApart(t *testing.T) {
	var g sharedBuilds
	release := startBuild(t, &g, "slow")
	// Another page is not held up by the slow one.
	v, err := shareBuild(t.Context(), &g, "other", shareRunning{}, func(context.Context) (string, error) { return "other", nil })
	if err != nil || v != "other" {
		t.Fatalf("another key: %q, %v", v, err)
	}
	close(release)
}

// TestShareBuildOutlivesItsLeader: the request that runs a build may go
// away; the build goes on for those who share it, and a request that goes
// away while it waits stops waiting.
func TestShareBuildOutlivesItsLeader(t *testing.T) {
	var g sharedBuilds
	release := startBuild(t, &g, "page") // running, so that the next build waits and can be joined

	leaderCtx, leave := context.WithCancel(t.Context())
	go shareBuild(leaderCtx, &g, "page", shareRunning{}, func(ctx context.Context) (string, error) {
		if ctx.Err() != nil {
			return "", ctx.Err() // the build was cut short with its leader
		}
		return "second", nil
	})
	waitUntil(t, func() bool { return hasNext(&g, "page") })
	joined := make(chan string)
	go func() {
		v, err := shareBuild(t.Context(), &g, "page", shareRunning{}, func(context.Context) (string, error) { return "not run", nil })
		if err != nil {
			t.Error(err)
		}
		joined <- v
	}()
	impatient, giveUp := context.WithCancel(t.Context())
	gaveUp := make(chan error)
	go func() {
		_, err := shareBuild(impatient, &g, "page", shareRunning{}, func(context.Context) (string, error) { return "not run", nil })
		gaveUp <- err
	}()
	waitUntil(t, func() bool { return waiting(&g, "page") == 2 })
	giveUp()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("a request that went away while it waited: %v, want context.Canceled", err)
	}
	leave() // the leader of the build the others joined goes away first
	close(release)
	if v := <-joined; v != "second" {
		t.Errorf("a request sharing the build of a leader gone away got %q, want %q", v, "second")
	}
}

// TestShareBuildLeftAlone: a request that went away while it waited to
// lead a build that no other joined does not build; one that others joined
// builds for them.
func TestShareBuildLeftAlone(t *testing.T) {
	var g sharedBuilds
	release := startBuild(t, &g, "page")
	gone, leave := context.WithCancel(t.Context())
	var built atomic.Bool
	done := make(chan error)
	go func() {
		_, err := shareBuild(gone, &g, "page", shareRunning{}, func(context.Context) (string, error) {
			built.Store(true)
			return "unread", nil
		})
		done <- err
	}()
	waitUntil(t, func() bool { return hasNext(&g, "page") })
	leave()
	close(release)
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a request gone before its build started: %v, want context.Canceled", err)
	}
	if built.Load() {
		t.Error("a build nobody waits for ran")
	}
	waitUntil(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.pages) == 0 })
}

// startBuild starts a build of key that runs until release is closed.
func startBuild(t *testing.T, g *sharedBuilds, key string) (release chan struct{}) {
	release = make(chan struct{})
	started := make(chan struct{})
	go shareBuild(t.Context(), g, key, shareRunning{}, func(context.Context) (string, error) {
		close(started)
		<-release
		return "first", nil
	})
	<-started
	return release
}

func hasNext(g *sharedBuilds, key string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.pages[key]
	return p != nil && p.next != nil
}

// TestShareBuildPanics: a build that panics lets those who share it go,
// with an error, and the next request builds again.
func TestShareBuildPanics(t *testing.T) {
	var g sharedBuilds
	release := startBuild(t, &g, "page")
	leaderPanic := make(chan any)
	go func() {
		defer func() { leaderPanic <- recover() }()
		shareBuild(t.Context(), &g, "page", shareRunning{}, func(context.Context) (int, error) { panic("broken page") })
	}()
	waitUntil(t, func() bool { return hasNext(&g, "page") })
	follower := make(chan error)
	go func() {
		_, err := shareBuild(t.Context(), &g, "page", shareRunning{}, func(context.Context) (int, error) { return 2, nil })
		follower <- err
	}()
	waitUntil(t, func() bool { return waiting(&g, "page") == 1 })
	close(release)
	if p := <-leaderPanic; fmt.Sprint(p) != "broken page" {
		t.Errorf("the leader's panic: %v", p)
	}
	if err := <-follower; !errors.Is(err, errBuildFailed) {
		t.Errorf("a request sharing a build that panicked: %v, want errBuildFailed", err)
	}
	if v, err := shareBuild(t.Context(), &g, "page", shareRunning{}, func(context.Context) (int, error) { return 3, nil }); v != 3 || err != nil {
		t.Errorf("after the panic: %d, %v", v, err)
	}
}

// TestShareBuildForNoRequestFails: a build a reader started for the
// readers after it that panics or fails is told to sharedBuilds.failed,
// not to the process; the last build made is still given meanwhile.
func TestShareBuildForNoRequestFails(t *testing.T) {
	var g sharedBuilds
	failures := make(chan any, 1)
	g.failed = func(key string, failure any) { failures <- failure }
	var commits atomic.Int64
	defer func(age, refresh time.Duration) { maxRunningAge, refreshAfter = age, refresh }(maxRunningAge, refreshAfter)
	maxRunningAge, refreshAfter = time.Hour, 0
	rule := shareRunning{commits: commits.Load}
	get := func(build func(context.Context) (int, error)) int {
		t.Helper()
		v, err := shareBuild(t.Context(), &g, "page", rule, build)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get(func(context.Context) (int, error) { return 1, nil }); v != 1 {
		t.Fatalf("the first build: %d", v)
	}
	for _, c := range []struct {
		build func(context.Context) (int, error)
		want  string
	}{
		{func(context.Context) (int, error) { panic("broken page") }, "broken page"},
		{func(context.Context) (int, error) { return 0, errors.New("no database") }, "no database"},
	} {
		commits.Add(1) // a write since the last build: the next reader starts one
		if v := get(c.build); v != 1 {
			t.Errorf("the reader who started the build: shown %d, want the last build's 1", v)
		}
		if f := <-failures; fmt.Sprint(f) != c.want {
			t.Errorf("failure told: %v, want %s", f, c.want)
		}
		g.background.Wait()
	}
	if v := get(func(context.Context) (int, error) { return 2, nil }); v != 1 {
		t.Errorf("after the failed builds: shown %d, want the last made, 1", v)
	}
	g.background.Wait()
	if v := get(func(context.Context) (int, error) { return 3, nil }); v != 2 {
		t.Errorf("after a build for no request: shown %d, want it (2)", v)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// TestDashboardSharedByReadersAtOnce: readers who open dashboards at the
// same time each get the page they would get alone — their own name,
// language and unit — with a write made before they asked.
func TestDashboardSharedByReadersAtOnce(t *testing.T) {
	ts := newTestServer(t)
	english := ts.client(t, "focal@demo.local")
	base, _ := url.Parse(ts.URL)
	english.Jar.SetCookies(base, []*http.Cookie{{Name: "lang", Value: langEN}})
	readers := []struct {
		name string
		c    *http.Client
	}{
		{"focal", ts.client(t, "focal@demo.local")},
		{"focal in English", english},
		{"Thủ Đức's reporter", ts.client(t, "thuduc@demo.local")},
		{"admin", ts.client(t, "admin@demo.local")},
	}
	paths := map[string]string{} // a reader's own page, when not the year's dashboard
	path := fmt.Sprintf("%s/?year=%d", ts.URL, openYear)
	// The focal point also asks for another year and other boundaries.
	focal := readers[0].c
	for name, query := range map[string]string{
		"focal, 2022":               "?year=2022",
		"focal, today's boundaries": fmt.Sprintf("?year=%d&boundaries=current", openYear),
		"focal, as of a day":        fmt.Sprintf("?year=%d&as_of=01/01/%d", openYear, openYear),
	} {
		readers = append(readers, struct {
			name string
			c    *http.Client
		}{name, focal})
		paths[name] = ts.URL + "/" + query
	}
	pathOf := func(name string) string {
		if p, ok := paths[name]; ok {
			return p
		}
		return path
	}
	pages := func() map[string]string {
		alone := map[string]string{}
		for _, r := range readers {
			ts.app.ForgetBuilt() // each page built for its reader alone
			code, page := fetch(t, r.c, "GET", pathOf(r.name), "", "")
			if code != http.StatusOK {
				t.Fatalf("%s: %d\n%s", r.name, code, trim(page))
			}
			alone[r.name] = page
		}
		return alone
	}
	before := pages()
	ts.openActivity(t, demo.UnitThuDuc, nil) // committed before the readers below ask
	alone := pages()
	if before["focal"] == alone["focal"] || before["Thủ Đức's reporter"] == alone["Thủ Đức's reporter"] {
		t.Fatal("the write does not show on the dashboards: the test below would prove nothing")
	}
	for i, a := range readers {
		for _, b := range readers[i+1:] {
			if alone[a.name] == alone[b.name] {
				t.Fatalf("%s and %s see the same page: the test below would prove nothing", a.name, b.name)
			}
		}
	}

	const rounds = 8
	var wg sync.WaitGroup
	for range rounds {
		for _, r := range readers {
			wg.Go(func() {
				req, _ := http.NewRequest("GET", pathOf(r.name), nil)
				resp, err := r.c.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				page, _ := io.ReadAll(resp.Body)
				if string(page) != alone[r.name] {
					t.Errorf("%s, among readers at once, got another page than alone:\n%s", r.name, trim(string(page)))
				}
			})
		}
	}
	wg.Wait()
}

// TestDashboardBuildRunningSharedByReadersWhoseWritesItHolds: while a
// dashboard build runs, a reader who has not written since it started
// shares it, as does the writer signed in elsewhere (another session);
// the session that just wrote waits for a build that shows its write.
func TestDashboardBuildRunningSharedByReadersWhoseWritesItHolds(t *testing.T) {
	ts := newTestServer(t)
	writer, reader := ts.client(t, "focal@demo.local"), ts.client(t, "admin@demo.local")
	writerElsewhere := ts.client(t, "focal@demo.local")
	path := fmt.Sprintf("%s/?year=%d", ts.URL, openYear)
	page := func(c *http.Client) string {
		code, page := fetch(t, c, "GET", path, "", "")
		if code != http.StatusOK {
			t.Fatalf("the dashboard: %d\n%s", code, trim(page))
		}
		return page
	}
	writerBefore, readerBefore := page(writer), page(reader)

	built, release := make(chan struct{}), make(chan struct{})
	var builds atomic.Int64
	dashboardBuilt = func() {
		if builds.Add(1) == 1 { // the first build, read before the write below, waits
			close(built)
			<-release
		}
	}
	defer func() { dashboardBuilt = nil }()
	releasing := sync.OnceFunc(func() { close(release) })
	defer releasing() // a failure below lets the build go before the server closes
	defer func(age time.Duration) { maxRunningAge = age }(maxRunningAge)
	maxRunningAge = time.Hour // however slow the machine, the first build may be shared while it waits
	ask := func(c *http.Client) chan string {
		got := make(chan string, 1)
		go func() { // answers even when the request fails, so that nothing waits for it
			req, _ := http.NewRequest("GET", path, nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Error(err)
				got <- ""
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("the dashboard: %d\n%s", resp.StatusCode, trim(string(body)))
			}
			got <- string(body)
		}()
		return got
	}
	shared := func(which func(p *sharedPage) *sharedBuild) int {
		g := &ts.app.shared
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, p := range g.pages {
			if b := which(p); b != nil {
				return b.joined
			}
		}
		return -1
	}
	ts.app.ForgetBuilt() // the page the reader was just shown would be given again without a build
	first := ask(reader)
	<-built
	form := url.Values{"unit": {demo.UnitThuDuc}, "date": {fmt.Sprintf("12/09/%d", openYear)}, "task_group": {"d"}, "kind": {"training"},
		"description": {"Lớp tập huấn 5S cho doanh nghiệp Thủ Đức"}, "q_training_enterprises": {"14"}, "q_trainees": {"120"}, "version": {"0"}}
	if code, body := fetch(t, writer, "POST", ts.URL+"/activities", formType, form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("the write: %d\n%s", code, trim(body))
	}
	if code, body := fetch(t, writer, "GET", ts.URL+"/activities", "", ""); code != http.StatusOK { // where the write's message is shown
		t.Fatalf("the activities: %d\n%s", code, trim(body))
	}
	again, elsewhere := ask(reader), ask(writerElsewhere)
	waitUntil(t, func() bool { return shared(func(p *sharedPage) *sharedBuild { return p.running }) == 2 })
	own := ask(writer)
	waitUntil(t, func() bool { return shared(func(p *sharedPage) *sharedBuild { return p.next }) == 0 }) // it leads the next build
	releasing()
	if <-first != readerBefore || <-again != readerBefore {
		t.Error("the reader was not shown the build running, read before the write")
	}
	if <-elsewhere != writerBefore {
		t.Error("the writer's other session was not shown the build running, read before the write")
	}
	ownPage := <-own
	if ownPage == writerBefore {
		t.Fatal("the writer's dashboard does not show their write")
	}
	ts.app.ForgetBuilt() // built alone, not given the build the writer was shown
	if after := page(writer); ownPage != after {
		t.Errorf("the writer was shown another page than alone after the write:\n%s", trim(ownPage))
	}
}

// TestReportAPISharedByCallersAtOnce: callers asking for reports at the
// same time each get the answer they would get alone, whatever the others
// ask for.
func TestReportAPISharedByCallersAtOnce(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	paths := []string{
		"/api/v1/reports/2022",
		"/api/v1/reports/2022?approved_only=1",
		fmt.Sprintf("/api/v1/reports/%d", openYear),
		"/api/v1/reports/2022?unit=" + demo.UnitThuDuc,
		"/api/v1/reports/2021-2025",
		fmt.Sprintf("/api/v1/reports/%d?boundaries=current", openYear),
		"/api/v1/reports/2025", // the year of the merger: counted in the tree of its end
		"/api/v1/reports/2025?as_of=01/01/2025",
	}
	ts.openActivity(t, demo.UnitThuDuc, nil) // committed before anyone asks
	alone := map[string]string{}
	for _, p := range paths {
		code, answer := fetch(t, focal, "GET", ts.URL+p, "", "")
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", p, code, answer)
		}
		alone[p] = answer
	}
	for i, p := range paths {
		for _, q := range paths[i+1:] {
			if alone[p] == alone[q] {
				t.Fatalf("%s and %s answer the same: the test below would prove nothing", p, q)
			}
		}
	}
	var wg sync.WaitGroup
	for range 6 {
		for _, p := range paths {
			for _, c := range []*http.Client{focal, reporter} {
				wg.Go(func() {
					resp, err := c.Get(ts.URL + p)
					if err != nil {
						t.Error(err)
						return
					}
					defer resp.Body.Close()
					answer, _ := io.ReadAll(resp.Body)
					if string(answer) != alone[p] {
						t.Errorf("%s among callers at once: %.300s\nwant %.300s", p, answer, alone[p])
					}
				})
			}
		}
	}
	wg.Wait()
}
