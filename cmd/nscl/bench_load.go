package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"nscl/benchgen"
	"nscl/web"
)

// dashboardRoute is the load test's name for the dashboard, whose p99 is
// a goal.
const dashboardRoute = "page /"

// loadResult is what `nscl bench --load` measured.
type loadResult struct {
	Readers      int         `json:"readers"`
	ReadersAsk   string      `json:"readers_ask"` // loadDashboardAlone, loadDashboardApart or loadEveryRoute
	Writers      int         `json:"writers"`
	Seconds      float64     `json:"seconds"`
	Requests     int         `json:"requests"`
	RequestsPerS float64     `json:"requests_per_s"`
	Errors       int         `json:"errors"`
	Locked       int         `json:"database_is_locked"` // answers and server log lines saying so
	Routes       []routeLoad `json:"routes"`
}

// routeLoad is one page's or API's share of the load.
type routeLoad struct {
	Route    string  `json:"route"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50Ms    float64 `json:"p50_ms"`
	P99Ms    float64 `json:"p99_ms"`
}

// loadRoute is a request the load makes: a page with the session cookie,
// or the API with a token, or with the session cookie when bySession.
type loadRoute struct {
	name, method, path string
	api, bySession     bool
}

// lockedCounter counts what the server logs about SQLite's lock.
type lockedCounter struct{ n atomic.Int64 }

func (c *lockedCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(bytes.Count(p, []byte("database is locked")) + bytes.Count(p, []byte("SQLITE_BUSY"))))
	return len(p), nil
}

// What the load test's readers ask for: the dashboard alone, as the
// issue's first measure did with wrk, signed in in the session the
// writers write through (each reader waits for a build that holds the
// last write) or as a user who writes nothing (a reader may be shown a
// build made less than a second before, web's sharedBuilds); or five
// pages and APIs in turn, signed in as the user whose token writes, in a
// session of their own.
const (
	loadDashboardAlone = "the dashboard alone, in the session the writers write through"
	loadDashboardApart = "the dashboard alone, signed in apart from the writers"
	loadEveryRoute     = "five pages and APIs in turn"
)

// load serves the application on loopback, as `nscl serve` does, and for
// d keeps readers connections asking for pages and the API without pause
// (what ask says) while writers connections add activities through the
// API, each connection its own client.
func (m benchMeasures) load(ctx context.Context, ask string, readers, writers int, d time.Duration) (loadResult, error) {
	token, _, err := m.st.CreateToken(ctx, m.n.Focal.ID, "nscl bench", 1)
	if err != nil {
		return loadResult{}, err
	}
	var locked lockedCounter
	app := &web.Server{Store: m.st, Programme: benchgen.ProgrammeCode, Log: slog.New(slog.NewTextHandler(&locked, nil))}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return loadResult{}, err
	}
	go srv.Serve(ln)
	// Shut down rather than closed: Close would leave a write the load's
	// end cut short to finish on its own, and commit while --check reads.
	defer func() {
		done, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		srv.Shutdown(done)
		app.Wait()
	}()
	base := "http://" + ln.Addr().String()

	routes := []loadRoute{
		{name: dashboardRoute, method: http.MethodGet, path: fmt.Sprintf("/?year=%d", m.year)},
		{name: "api /api/v1/reports/{year}", method: http.MethodGet, path: fmt.Sprintf("/api/v1/reports/%d", m.year), api: true},
		{name: "page /activities", method: http.MethodGet, path: "/activities"},
		{name: "api /api/v1/activities", method: http.MethodGet, path: "/api/v1/activities?limit=50", api: true},
		{name: "page /rounds/{id}", method: http.MethodGet, path: fmt.Sprintf("/rounds/%d", m.n.OpenRound)},
	}
	stream, cookie := "load", m.cookie // the writers' activities, each load its own
	switch ask {
	case loadDashboardAlone:
		routes, stream = routes[:1], "load-dashboard"
	case loadDashboardApart:
		routes, stream, cookie = routes[:1], "load-dashboard-apart", m.viewerCookie
	}
	write := loadRoute{name: "api POST /api/v1/activities", method: http.MethodPost, path: "/api/v1/activities", api: true,
		bySession: ask == loadDashboardAlone}

	type sample struct {
		route  string
		took   time.Duration
		failed bool
	}
	var mu sync.Mutex
	var samples []sample
	var lockedAnswers atomic.Int64
	runCtx, stop := context.WithTimeout(ctx, d)
	defer stop()
	client := func() *http.Client {
		return &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	// Each connection reads its answers into a buffer of its own, kept from
	// one to the next: the measure should cost the processors it shares
	// with the server as little as it can.
	do := func(c *http.Client, answer *bytes.Buffer, r loadRoute, body []byte, want int) sample {
		req, err := http.NewRequestWithContext(runCtx, r.method, base+r.path, bytes.NewReader(body))
		if err != nil {
			return sample{route: r.name, failed: true}
		}
		if r.api {
			req.Header.Set("Content-Type", "application/json")
		}
		if r.api && !r.bySession {
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			req.AddCookie(cookie)
		}
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return sample{route: r.name, took: time.Since(start), failed: runCtx.Err() == nil}
		}
		answer.Reset()
		answer.ReadFrom(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if bytes.Contains(answer.Bytes(), []byte("database is locked")) || bytes.Contains(answer.Bytes(), []byte("SQLITE_BUSY")) {
			lockedAnswers.Add(1)
		}
		return sample{route: r.name, took: took, failed: resp.StatusCode != want}
	}
	var wg sync.WaitGroup
	collect := func(loop func(own *[]sample)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var own []sample
			loop(&own)
			mu.Lock()
			samples = append(samples, own...)
			mu.Unlock()
		}()
	}
	for i := range readers {
		collect(func(own *[]sample) {
			c, answer := client(), new(bytes.Buffer)
			defer c.CloseIdleConnections()
			for k := i; runCtx.Err() == nil; k++ {
				if s := do(c, answer, routes[k%len(routes)], nil, http.StatusOK); runCtx.Err() == nil || !s.failed {
					*own = append(*own, s)
				}
			}
		})
	}
	for i := range writers {
		collect(func(own *[]sample) {
			c, answer := client(), new(bytes.Buffer)
			defer c.CloseIdleConnections()
			for k := 0; runCtx.Err() == nil; k++ {
				body, err := m.apiActivity(fmt.Sprintf("%s-%d", stream, i), k)
				if err != nil {
					*own = append(*own, sample{route: write.name, failed: true})
					continue
				}
				if s := do(c, answer, write, body, http.StatusCreated); runCtx.Err() == nil {
					*own = append(*own, s)
				}
			}
		})
	}
	started := time.Now()
	wg.Wait()
	elapsed := time.Since(started)
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}

	res := loadResult{Readers: readers, ReadersAsk: ask, Writers: writers, Seconds: elapsed.Seconds(), Requests: len(samples),
		Locked: int(lockedAnswers.Load() + locked.n.Load())}
	res.RequestsPerS = float64(res.Requests) / elapsed.Seconds()
	for _, r := range append(routes, write) {
		var took []time.Duration
		rl := routeLoad{Route: r.name}
		for _, s := range samples {
			if s.route != r.name {
				continue
			}
			rl.Requests++
			if s.failed {
				rl.Errors++
				continue
			}
			took = append(took, s.took)
		}
		slices.Sort(took)
		rl.P50Ms, rl.P99Ms = ms(percentile(took, 50)), ms(percentile(took, 99))
		res.Errors += rl.Errors
		res.Routes = append(res.Routes, rl)
	}
	if res.Requests == 0 {
		return res, errors.New("the load test made no request")
	}
	return res, nil
}

// percentile is the p-th percentile of sorted durations (nearest rank),
// 0 for none.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

// apiActivity is a new activity of the open round's year as the API takes
// it: units by code, quantities by metric code.
func (m benchMeasures) apiActivity(stream string, i int) ([]byte, error) {
	a := m.n.Extra(stream, i, m.n.OpenYear)
	quantities := map[string]int64{}
	for _, q := range a.Quantities {
		quantities[q.Metric] = q.Value
	}
	return json.Marshal(map[string]any{
		"unit": m.n.Codes[a.UnitID], "date": a.Date.Format("2006-01-02"), "task_group": a.TaskGroup, "kind": a.Kind,
		"description": a.Description, "quantities": quantities, "beneficiaries": a.Beneficiaries, "ref": a.Ref,
		"same_as_existing": "new",
	})
}

func printLoad(w io.Writer, r loadResult) {
	fmt.Fprintf(w, "\nload: %d readers asking for %s, %d writers, %.1f s: %d requests (%.0f/s), %d errors, %d \"database is locked\"\n",
		r.Readers, r.ReadersAsk, r.Writers, r.Seconds, r.Requests, r.RequestsPerS, r.Errors, r.Locked)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\trequests\terrors\tp50 ms\tp99 ms\t")
	for _, rl := range r.Routes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t\n", rl.Route, rl.Requests, rl.Errors,
			strconv.FormatFloat(rl.P50Ms, 'f', 2, 64), strconv.FormatFloat(rl.P99Ms, 'f', 2, 64))
	}
	tw.Flush()
}
