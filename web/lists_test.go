package web

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

type apiActivityPage struct {
	Activities []struct {
		ID   int64  `json:"id"`
		Unit string `json:"unit"`
	} `json:"activities"`
	Next *string `json:"next"`
}

// addActivities writes n activities of unit in 2024, a year the demo holds
// nothing of, through the import's batch path; newest first, as the list
// reads them.
func addActivities(t *testing.T, ts *testServer, unitCode string, n int) []nscl.Activity {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := ts.store.UnitByCode(ctx, unitCode)
	if err != nil {
		t.Fatal(err)
	}
	var acts []nscl.Activity
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		tx.Batch()
		for i := range n {
			a := &nscl.Activity{UnitID: unit.ID, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7)%366),
				TaskGroup: "b", Kind: nscl.KindOther, Description: fmt.Sprintf("Bản tin năng suất số %d phát trên sóng phát thanh phường", i),
				Quantities: []nscl.Quantity{{Metric: "articles", Value: 1}}, Ref: fmt.Sprintf("ban-tin-%d", i)}
			if _, err := tx.ImportActivity(ctx, prog, a); err != nil {
				return err
			}
			acts = append(acts, *a)
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(acts, func(a, b nscl.Activity) int { return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.ID, a.ID)) })
	return acts
}

// walkAPI reads every page of the API's list from query, following next,
// and returns the ids in the order read.
func walkAPI(t *testing.T, c *http.Client, ts *testServer, query url.Values) []int64 {
	t.Helper()
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > 500 {
			t.Fatalf("%s: next does not move on", query.Encode())
		}
		var page apiActivityPage
		getJSON(t, c, ts.URL+"/api/v1/activities?"+query.Encode(), &page)
		for _, a := range page.Activities {
			ids = append(ids, a.ID)
		}
		if page.Next == nil {
			return ids
		}
		query.Set("after", *page.Next)
	}
}

// The API's list goes page by page by its next cursor: every activity once,
// newest first, for a focal user over the whole programme and for a
// reporter over its unit; a small offset works as it did, a deep one and
// a made-up cursor are refused naming the field.
func TestActivityAPIPagesByCursor(t *testing.T) {
	ts := newTestServer(t)
	added := addActivities(t, ts, demo.UnitThuDuc, 45)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")

	ctx := context.Background()
	prog, _ := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	all, err := ts.store.CountActivities(ctx, prog, store.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := walkAPI(t, focal, ts, url.Values{"limit": {"8"}})
	if len(got) != all || slices.Compact(slices.Sorted(slices.Values(got))) == nil || len(slices.Compact(slices.Sorted(slices.Values(got)))) != all {
		t.Errorf("focal: read %d activities (%d distinct), want all %d once", len(got), len(slices.Compact(slices.Sorted(slices.Values(got)))), all)
	}
	var newest []int64
	for _, a := range added {
		newest = append(newest, a.ID)
	}
	// Among the demo's, which has some of 2024 and 2025, the added ones
	// come newest first.
	ours := slices.DeleteFunc(slices.Clone(got), func(id int64) bool { return !slices.Contains(newest, id) })
	if !slices.Equal(ours, newest) {
		t.Errorf("focal: the added activities, newest first: %v\nwant %v", ours, newest)
	}
	year := walkAPI(t, reporter, ts, url.Values{"limit": {"10"}, "year": {"2024"}})
	if !slices.Equal(year, newest) {
		t.Errorf("reporter, 2024: %v\nwant %v", year, newest)
	}

	var page apiActivityPage
	getJSON(t, focal, ts.URL+"/api/v1/activities?limit=5&offset=10", &page)
	if len(page.Activities) != 5 || page.Activities[0].ID != got[10] || page.Next == nil {
		t.Errorf("offset=10: %+v, want 5 from %d on and a next cursor", page, got[10])
	}
	for query, field := range map[string]string{
		fmt.Sprintf("offset=%d", store.MaxActivityOffset+1): "offset",
		"offset=1100000&limit=200":                          "offset",
		"after=MjAyNC0wMS0wMS4w":                            "after", // 2024-01-01.0
		"after=%27%20OR%201%3D1":                            "after",
	} {
		code, body := fetch(t, focal, "GET", ts.URL+"/api/v1/activities?"+query, "", "")
		e := parseAPIError(t, body)
		if code != http.StatusBadRequest || e.Error.Field != field || e.Error.Message == e.Error.English {
			t.Errorf("%s: %d %s, want 400 naming %s in both languages", query, code, body, field)
		}
		if field == "offset" && (!strings.Contains(e.Error.Message, "after=") || !strings.Contains(e.Error.English, "after=")) {
			t.Errorf("%s: %q does not point to the cursor", query, e.Error.English)
		}
	}
}

// The activity page goes on by its "Next" link to the end, each activity
// once; a later page links back to the first.
func TestActivityPageGoesOnByCursor(t *testing.T) {
	ts := newTestServer(t)
	added := addActivities(t, ts, demo.UnitThuDuc, 60) // more than two pages of 25
	reporter := ts.client(t, "thuduc@demo.local")
	row := regexp.MustCompile(`<tr data-activity="(\d+)">`)
	next := regexp.MustCompile(`<a id="next-page" href="([^"]+)">`)
	address, seen := ts.URL+"/activities?year=2024", 0
	for pages := 1; ; pages++ {
		code, body := fetch(t, reporter, "GET", address, "", "")
		if code != 200 {
			t.Fatalf("%s: %d", address, code)
		}
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			if seen >= len(added) || m[1] != fmt.Sprint(added[seen].ID) {
				t.Fatalf("page %d: activity %s in place %d, want %d", pages, m[1], seen, added[min(seen, len(added)-1)].ID)
			}
			seen++
		}
		if pages > 1 && !strings.Contains(body, `id="first-page" href="/activities?year=2024"`) {
			t.Errorf("page %d: no link back to the first page", pages)
		}
		m := next.FindStringSubmatch(body)
		if m == nil {
			break
		}
		address = ts.URL + strings.ReplaceAll(m[1], "&amp;", "&")
	}
	if seen != len(added) {
		t.Errorf("read %d activities over the pages, want %d", seen, len(added))
	}
}

// deepUnit is how many activities the starvation test gives one unit.
// Before the list went by cursor, this test's clients asking by offset
// took about 1 s a page alone, and beside them the report took 5,9 s
// (5,4 ms alone) and the page 4,6 s (3,2 ms alone).
const deepUnit = 100_000

// Eight clients reading deep pages of a unit's 100.000 activities at once
// — by cursor, and by offset, which is refused — do not hold up a report
// or a page that needs the session check: each still answers within a
// small multiple of its time alone, measured in the same run. A list that
// reads too long for its time limit is stopped with a 503 in both
// languages, well before it would have finished.
func TestDeepListsDoNotStarveOtherReads(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100.000 activities")
	}
	ts := newTestServer(t)
	start := time.Now()
	added := addActivities(t, ts, demo.UnitThuDuc, deepUnit)
	t.Logf("%d activities written in %v", deepUnit, time.Since(start).Round(time.Millisecond))
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")

	// Eight clients each ask for a page by its cursor, and then by
	// offset: 1.000 from the end, or at the start.
	var mu sync.Mutex
	deepPages, failed := 0, []string{}
	listRequests := func(c *http.Client, after string, offset int) {
		code, body, err := get(c, ts.URL+"/api/v1/activities?limit=200&after="+after)
		offsetCode, _, offsetErr := get(c, ts.URL+fmt.Sprintf("/api/v1/activities?limit=200&offset=%d", offset))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil || offsetErr != nil:
			failed = append(failed, fmt.Sprint(cmp.Or(err, offsetErr)))
		case code != 200 || !strings.Contains(body, `"next":"`):
			failed = append(failed, fmt.Sprintf("page by cursor: %d %.200s", code, body))
		case offset > store.MaxActivityOffset && offsetCode != http.StatusBadRequest:
			failed = append(failed, fmt.Sprintf("deep offset: %d, want 400", offsetCode))
		case offset <= store.MaxActivityOffset && offsetCode != http.StatusOK:
			failed = append(failed, fmt.Sprintf("offset %d: %d", offset, offsetCode))
		case offset > store.MaxActivityOffset:
			deepPages++
		}
	}
	// load keeps the eight clients asking, each again as soon as it has
	// its answers, as the probe's did, and returns once each has had one:
	// the lists are under way. stop ends them and says how many list
	// requests were under way at some moment between load's return and
	// stop's call, while the report and the page were timed: a request
	// counts from when it was sent to when its answer was read, so one a
	// slow machine keeps waiting counts as beside them too.
	load := func(after string, offset int) (stop func() int) {
		done := make(chan struct{})
		var wg, started sync.WaitGroup
		type span struct{ from, to time.Time }
		var spans []span
		for c := range 8 {
			started.Add(1)
			wg.Go(func() {
				for i := 0; ; i++ {
					from := time.Now()
					listRequests([]*http.Client{focal, reporter}[c%2], after, offset)
					mu.Lock()
					spans = append(spans, span{from, time.Now()})
					mu.Unlock()
					if i == 0 {
						started.Done()
					}
					select {
					case <-done:
						return
					default:
					}
				}
			})
		}
		started.Wait()
		windowFrom := time.Now()
		return func() int {
			windowTo := time.Now()
			close(done)
			wg.Wait()
			beside := 0
			for _, s := range spans {
				if s.from.Before(windowTo) && s.to.After(windowFrom) {
					beside++
				}
			}
			return beside
		}
	}
	first := store.CursorAfter(added[0]) // the second activity on
	deep := store.CursorAfter(added[len(added)-1000])
	report := func() { mustGet(t, focal, ts.URL+"/api/v1/reports/2022") }
	page := func() { mustGet(t, reporter, ts.URL+"/rounds") } // a page, after the session check

	// Beside deep requests, the report and the page take no longer than
	// beside requests at the start of the list: depth costs nothing.
	// Beside either, they get their share of the two cores, which the
	// eight clients, each asking for pages costing about what the report
	// does, mostly take: that alone may make them several times slower,
	// but waiting for a reader a deep offset held made them a thousand
	// times slower. A measurement the machine upset is taken again,
	// twice at most.
	const depthMargin, aloneMargin = 4, 15
	var said []string
	within := false
	for attempt := 1; attempt <= 3 && !within && len(failed) == 0; attempt++ {
		reportAlone, pageAlone := median(report), median(page)
		stop := load(first, 0)
		reportShallow, pageShallow := median(report), median(page)
		shallowBeside := stop()
		stop = load(deep, deepUnit-1000)
		reportDeep, pageDeep := median(report), median(page)
		deepBeside := stop()
		if min(shallowBeside, deepBeside) < 8 {
			t.Fatalf("only %d and %d list requests were under way while the report and the page were timed, want one of each client's at least: they did not run beside them", shallowBeside, deepBeside)
		}
		said = append(said, fmt.Sprintf("report %v alone, %v beside requests at the start, %v beside deep ones; page %v, %v, %v",
			reportAlone, reportShallow, reportDeep, pageAlone, pageShallow, pageDeep))
		within = reportDeep <= depthMargin*reportShallow && pageDeep <= depthMargin*pageShallow &&
			reportDeep <= aloneMargin*reportAlone && pageDeep <= aloneMargin*pageAlone
	}
	t.Logf("%s; %d deep pages read", strings.Join(said, "; "), deepPages)
	if len(failed) > 0 {
		t.Fatalf("%d list requests failed, the first: %s", len(failed), failed[0])
	}
	if !within {
		t.Errorf("three times, beside eight deep list requests the report or the page took more than %d times its time beside requests at the start, or %d times its time alone: %s",
			depthMargin, aloneMargin, strings.Join(said, "; "))
	}

	// A search that matches nothing reads every activity of the list: on a
	// server whose time limit is a tenth of the search's time, it stops
	// and says so, on the API and on the page.
	const search = "?q=kh%C3%B4ng+c%C3%B3+t%E1%BB%AB+n%C3%A0y"
	alone := median(func() { mustGet(t, focal, ts.URL+"/api/v1/activities"+search) })
	limited := &Server{Store: ts.store, Programme: demo.ProgrammeCode, Log: ts.app.Log, ListTimeout: alone / 10}
	srv := httptest.NewServer(limited.Handler())
	defer srv.Close()
	lts := &testServer{srv, ts.store, limited, ts.path}
	limitedFocal := lts.client(t, "focal@demo.local")
	// The machine is shared: the search to the end is timed again beside
	// each stopped one, and one of three stopping well before it will do.
	stoppedEarly := false
	for try := 1; try <= 3 && !stoppedEarly; try++ {
		var code int
		var body string
		took := timed(func() { code, body = fetch(t, limitedFocal, "GET", srv.URL+"/api/v1/activities"+search, "", "") })
		e := parseAPIError(t, body)
		if code != http.StatusServiceUnavailable || e.Error.Code != errTooSlow || !strings.Contains(e.Error.Message, "danh sách không đọc xong") || !strings.Contains(e.Error.English, "could not be read within") {
			t.Fatalf("a list past its time limit: %d %s", code, body)
		}
		whole := timed(func() { mustGet(t, focal, ts.URL+"/api/v1/activities"+search) })
		stoppedEarly = took <= whole*3/4
		t.Logf("a search through every activity: %v to the end (%v at first), stopped after %v with a limit of %v", whole, alone, took, limited.ListTimeout)
	}
	if !stoppedEarly {
		t.Errorf("three times, the list past its limit of %v did not stop before three quarters of the search to the end", limited.ListTimeout)
	}
	code, body := fetch(t, lts.client(t, "thuduc@demo.local"), "GET", srv.URL+"/activities"+search, "", "")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "danh sách không đọc xong") {
		t.Errorf("the page of a list past its time limit: %d %s", code, trim(body))
	}
}

// get is fetch for the clients a test runs beside itself, which must not
// stop the test from their own goroutines.
func get(c *http.Client, address string) (int, string, error) {
	resp, err := c.Get(address)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func mustGet(t *testing.T, c *http.Client, address string) {
	code, body := fetch(t, c, "GET", address, "", "")
	if code != 200 {
		t.Errorf("GET %s: %d %s", address, code, trim(body))
	}
}

// median runs fn five times and returns the middle time.
func median(fn func()) time.Duration {
	times := make([]time.Duration, 5)
	for i := range times {
		times[i] = timed(fn)
	}
	slices.Sort(times)
	return times[len(times)/2]
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}
