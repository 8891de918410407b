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
		v, err := shareBuild(t.Context(), &g, "page", build)
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
			v, err := shareBuild(t.Context(), &g, "page", build)
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

func TestShareBuildKeysApart(t *testing.T) {
	var g sharedBuilds
	release := startBuild(t, &g, "slow")
	// Another page is not held up by the slow one.
	v, err := shareBuild(t.Context(), &g, "other", func(context.Context) (string, error) { return "other", nil })
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
	go shareBuild(leaderCtx, &g, "page", func(ctx context.Context) (string, error) {
		if ctx.Err() != nil {
			return "", ctx.Err() // the build was cut short with its leader
		}
		return "second", nil
	})
	waitUntil(t, func() bool { return hasNext(&g, "page") })
	joined := make(chan string)
	go func() {
		v, err := shareBuild(t.Context(), &g, "page", func(context.Context) (string, error) { return "not run", nil })
		if err != nil {
			t.Error(err)
		}
		joined <- v
	}()
	impatient, giveUp := context.WithCancel(t.Context())
	gaveUp := make(chan error)
	go func() {
		_, err := shareBuild(impatient, &g, "page", func(context.Context) (string, error) { return "not run", nil })
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
		_, err := shareBuild(gone, &g, "page", func(context.Context) (string, error) {
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
	go shareBuild(t.Context(), g, key, func(context.Context) (string, error) {
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
		shareBuild(t.Context(), &g, "page", func(context.Context) (int, error) { panic("broken page") })
	}()
	waitUntil(t, func() bool { return hasNext(&g, "page") })
	follower := make(chan error)
	go func() {
		_, err := shareBuild(t.Context(), &g, "page", func(context.Context) (int, error) { return 2, nil })
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
	if v, err := shareBuild(t.Context(), &g, "page", func(context.Context) (int, error) { return 3, nil }); v != 3 || err != nil {
		t.Errorf("after the panic: %d, %v", v, err)
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
