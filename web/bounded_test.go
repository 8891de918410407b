package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// addYearActivities writes n activities of 2023 spread over the units the
// open 2023 round (the demo's third) asks, its months, the task groups
// and a few kinds, in one batch, and returns that round.
func addYearActivities(t *testing.T, ts *testServer, n int) nscl.Round {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	round, _, err := ts.store.Round(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if round.PeriodStart.Year() != 2023 {
		t.Fatalf("round 3 covers %v, want 2023", round.PeriodStart)
	}
	groups := []string{"a", "b", "c", "d", "đ", "e"}
	kinds := []nscl.ActivityKind{nscl.KindWorkshop, nscl.KindArticle, nscl.KindTraining, nscl.KindOther}
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		tx.Batch()
		for i := range n {
			a := &nscl.Activity{UnitID: round.UnitIDs[i%len(round.UnitIDs)], Date: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*11)%365),
				TaskGroup: groups[i%len(groups)], Kind: kinds[i%len(kinds)], Description: fmt.Sprintf("Hoạt động thử số %d của năm", i),
				Quantities: []nscl.Quantity{{Metric: "articles", Value: 1}}, Ref: fmt.Sprintf("thu-%d", i)}
			if _, err := tx.ImportActivity(ctx, prog, a); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return round
}

// boundedPages are the pages that must cost the same whatever the number
// of activities.
var boundedPages = []string{"/report?year=2023", "/report?from=2021&to=2023", "/rounds/3", "/activities", "/activities?year=2023&group=b", "/"}

// The report page, the round page and the activity list run the same
// number of statements, and stay about the same size, with 100 and with
// 5.000 activities in the year: they read kept counts and a page of rows,
// never every activity.
func TestPagesIssueBoundedQueries(t *testing.T) {
	measure := func(n int) map[string]pageCost {
		ts := newTestServer(t)
		addYearActivities(t, ts, n)
		focal := ts.client(t, "focal@demo.local")
		out := map[string]pageCost{}
		for _, page := range boundedPages {
			out[page] = costOf(t, ts, focal, page, fmt.Sprintf("%d activities", n))
		}
		return out
	}
	checkCostsFlat(t, boundedPages, measure(100), measure(5000), "100 activities", "5.000 activities")
}

// pageCost is what a page costs its second request, the caches warm: the
// statements the store ran, and the page's bytes.
type pageCost struct {
	statements int64
	bytes      int
}

// costOf requests path twice as the client and returns the second
// request's cost; setting says, in a failure, what the database holds.
func costOf(t *testing.T, ts *testServer, client *http.Client, path, setting string) pageCost {
	t.Helper()
	defer stillClock(ts)()
	fetch(t, client, "GET", ts.URL+path, "", "") // caches warm
	ts.store.Statements.Store(0)
	code, body := fetch(t, client, "GET", ts.URL+path, "", "")
	if code != 200 {
		t.Fatalf("%s with %s: %d %.300s", path, setting, code, alertText(body))
	}
	return pageCost{ts.store.Statements.Load(), len(body)}
}

// stillClock stops the store's clock until what it returns is called: the
// reader's sign-in, kept for a second of that clock, is then kept from the
// request that warms the caches to the one measured, however long the
// first takes on a busy machine.
func stillClock(ts *testServer) (restart func()) {
	now := time.Now()
	ts.store.Now = func() time.Time { return now }
	return func() { ts.store.Now = time.Now }
}

// checkCostsFlat fails each page that runs other statements with more
// (many) than with fewer (few), or grows by more than a quarter and 2 KB.
func checkCostsFlat(t *testing.T, pages []string, few, many map[string]pageCost, fewSaid, manySaid string) {
	t.Helper()
	for _, page := range pages {
		t.Logf("%s: %d statements, %d bytes with %s; %d, %d bytes with %s", page, few[page].statements, few[page].bytes, fewSaid, many[page].statements, many[page].bytes, manySaid)
		if few[page].statements != many[page].statements {
			t.Errorf("%s: %d statements with %s, %d with %s", page, few[page].statements, fewSaid, many[page].statements, manySaid)
		}
		if limit := few[page].bytes*5/4 + 2048; many[page].bytes > limit {
			t.Errorf("%s: %d bytes with %s, more than %d (%s: %d)", page, many[page].bytes, manySaid, limit, fewSaid, few[page].bytes)
		}
	}
}

// TestPageTimesAtScale times the bounded pages over the demo and as many
// generated activities as NSCL_PAGES_AT says (1000000 for the figures of
// docs/performance.md), spread over every unit, task group, month and the
// years 2021–2025. Not run without it: the rows take minutes to write.
func TestPageTimesAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("NSCL_PAGES_AT"))
	if n <= 0 {
		t.Skip("set NSCL_PAGES_AT to a number of activities to time the pages")
	}
	ts := newTestServer(t)
	start := time.Now()
	generateActivities(t, ts, n)
	t.Logf("%d activities generated in %v", n, time.Since(start).Round(time.Second))
	focal := ts.client(t, "focal@demo.local")
	for _, page := range append(boundedPages, "/report?year=2023&approved_only=1", "/activities?year=2023") {
		var times []time.Duration
		var size int
		for range 5 {
			begin := time.Now()
			code, body := fetch(t, focal, "GET", ts.URL+page, "", "")
			times = append(times, time.Since(begin))
			if code != 200 {
				t.Fatalf("%s: %d %.300s", page, code, body)
			}
			size = len(body)
		}
		slices.Sort(times)
		t.Logf("%s: median %v of 5, %d bytes", page, times[2].Round(100*time.Microsecond), size)
	}

	// The public home of 2025 as a visitor: drawn after a write, then
	// from what it kept.
	ts.app.Now = func() time.Time { return time.Date(2025, 6, 2, 9, 0, 0, 0, nscl.Local) }
	visitor := ts.client(t, "")
	for range 3 {
		if err := ts.store.Update(context.Background(), func(*store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		var times []time.Duration
		for range 5 {
			begin := time.Now()
			if code, body := fetch(t, visitor, "GET", ts.URL+"/", "", ""); code != 200 || !strings.Contains(body, `id="progress"`) {
				t.Fatalf("the public home: %d %.300s", code, body)
			}
			times = append(times, time.Since(begin))
		}
		drawn := times[0]
		slices.Sort(times[1:])
		t.Logf("the public home of 2025, as a visitor: %v drawn after a write, median %v of 4 from what it kept", drawn.Round(100*time.Microsecond), times[3].Round(100*time.Microsecond))
	}
}

// The public home costs the same whatever the activities: drawn after a
// write, it runs as many statements with 100 and with 5.000 activities in
// its year; until the next write it answers from what it kept, with fewer.
func TestPublicHomeBoundedQueries(t *testing.T) {
	ctx := context.Background()
	measure := func(n int) (drawn, kept pageCost) {
		ts := newTestServer(t)
		ts.app.Now = func() time.Time { return time.Date(2023, 6, 2, 9, 0, 0, 0, nscl.Local) }
		addYearActivities(t, ts, n)
		visitor := ts.client(t, "")
		fetch(t, visitor, "GET", ts.URL+"/", "", "") // templates and the tree read once
		if err := ts.store.Update(ctx, func(*store.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		ts.store.Statements.Store(0)
		_, body := fetch(t, visitor, "GET", ts.URL+"/", "", "")
		drawn = pageCost{ts.store.Statements.Load(), len(body)}
		ts.store.Statements.Store(0)
		_, body = fetch(t, visitor, "GET", ts.URL+"/", "", "")
		kept = pageCost{ts.store.Statements.Load(), len(body)}
		if !strings.Contains(body, `id="progress"`) {
			t.Fatalf("the home of 2023 shows no progress:\n%s", trim(body))
		}
		return drawn, kept
	}
	drawnFew, keptFew := measure(100)
	drawnMany, keptMany := measure(5000)
	checkCostsFlat(t, []string{"/"}, map[string]pageCost{"/": drawnFew}, map[string]pageCost{"/": drawnMany}, "100 activities", "5.000 activities")
	if keptFew.statements >= drawnFew.statements || keptMany.statements != keptFew.statements {
		t.Errorf("kept, the home runs %d and %d statements; drawn, %d: it does not keep its report", keptFew.statements, keptMany.statements, drawnFew.statements)
	}
}

// generateActivities writes n activities with three SQL statements, as
// the report's benchmark does, then counts the kept totals and activity
// counts again. Each has a quantity of its group's first metric.
func generateActivities(t *testing.T, ts *testServer, n int) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+ts.path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(ctx) // one connection: the temporary table lives in it
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i, stmt := range []string{
		`CREATE TEMP TABLE gen AS WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?) SELECT i FROM seq`,
		`INSERT INTO activities (programme_id, unit_id, task_group_id, kind, occurred_on, year, description, source, ref, version, created_at, updated_at)
			SELECT p.id, u.min_id + (gen.i % u.n), g.min_id + (gen.i / 7) % g.n, 'other',
				printf('%d-%02d-%02d', 2021 + gen.i % 5, 1 + (gen.i / 5) % 12, 1 + (gen.i / 3) % 28), 2021 + gen.i % 5,
				'Hoạt động sinh ra để đo trang số ' || gen.i, 'benchmark', '', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
			FROM gen, programmes p, (SELECT MIN(id) AS min_id, COUNT(*) AS n FROM org_units) u,
				(SELECT programme_id, MIN(id) AS min_id, COUNT(*) AS n FROM task_groups GROUP BY programme_id) g
			WHERE p.code = 'NSCL' AND g.programme_id = p.id`,
		`INSERT INTO activity_quantities (activity_id, metric_id, unit_id, year, occurred_on, quantity)
			SELECT a.id, m.id, a.unit_id, a.year, a.occurred_on, 1 + a.id % 7
			FROM activities a JOIN task_groups g ON g.id = a.task_group_id
			JOIN metrics m ON m.id = (SELECT MIN(m2.id) FROM metrics m2 WHERE m2.programme_id = a.programme_id AND m2.task_group_id = g.id)
			WHERE a.source = 'benchmark'`,
	} {
		var args []any
		if i == 0 {
			args = append(args, n)
		}
		if _, err := conn.ExecContext(ctx, stmt, args...); err != nil {
			t.Fatalf("generating activities: %v", err)
		}
	}
	if err := ts.store.RebuildTotals(ctx); err != nil {
		t.Fatal(err)
	}
}

// A round that asks 450 units shows them 200 at a time, in the order
// chosen, with a link to each page; every unit is on exactly one page.
func TestRoundTableShowsUnitsAPageAtATime(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	const asked = 450
	var round nscl.Round
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		for i := range asked {
			u := nscl.OrgUnit{Code: fmt.Sprintf("THU-%03d", i), Name: fmt.Sprintf("Đơn vị thử %03d", i), Level: nscl.LevelUnit, ParentID: city.ID}
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			round.UnitIDs = append(round.UnitIDs, u.ID)
		}
		round.Title, round.PeriodStart, round.PeriodEnd, round.Deadline = "Báo cáo thử", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
		return tx.CreateRound(ctx, prog, &round)
	})
	if err != nil {
		t.Fatal(err)
	}
	focal := ts.client(t, "focal@demo.local")
	seen := map[string]int{}
	for page, want := range map[int]int{1: 200, 2: 200, 3: 50} {
		code, body := fetch(t, focal, "GET", fmt.Sprintf("%s/rounds/%d?sort=unit&page=%d", ts.URL, round.ID, page), "", "")
		if code != 200 {
			t.Fatalf("page %d: %d %.300s", page, code, body)
		}
		rows := strings.Count(body, `<tr data-unit="THU-`)
		if rows != want {
			t.Errorf("page %d shows %d units, want %d", page, rows, want)
		}
		for i := range asked {
			if strings.Contains(body, fmt.Sprintf(`<tr data-unit="THU-%03d"`, i)) {
				seen[fmt.Sprintf("THU-%03d", i)]++
			}
		}
		if other := page%3 + 1; !strings.Contains(body, fmt.Sprintf("?page=%d&amp;sort=unit", other)) {
			t.Errorf("page %d has no link to page %d in the same order", page, other)
		}
	}
	if len(seen) != asked {
		t.Errorf("%d of %d units shown over the pages", len(seen), asked)
	}
	for code, n := range seen {
		if n != 1 {
			t.Errorf("%s shown on %d pages", code, n)
		}
	}
	if code, body := fetch(t, focal, "GET", fmt.Sprintf("%s/rounds/%d?page=x", ts.URL, round.ID), "", ""); code != 400 || !strings.Contains(body, "page") {
		t.Errorf("?page=x: %d %.200s", code, body)
	}
}

// addUnits makes n units under the city, coded prefix-0000 onwards, and
// when work is set gives each an activity of 2023 in task group b.
func addUnits(t *testing.T, ts *testServer, prefix string, n int, work bool) []nscl.OrgUnit {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	units := make([]nscl.OrgUnit, n)
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		tx.Batch()
		for i := range units {
			units[i] = nscl.OrgUnit{Code: fmt.Sprintf("%s-%04d", prefix, i), Name: fmt.Sprintf("Đơn vị thử %s %04d", prefix, i), Level: nscl.LevelUnit, ParentID: city.ID}
			if err := tx.CreateUnit(ctx, &units[i]); err != nil {
				return err
			}
			if !work {
				continue
			}
			a := &nscl.Activity{UnitID: units[i].ID, Date: time.Date(2023, 3, 1+i%28, 0, 0, 0, 0, time.UTC), TaskGroup: "b", Kind: nscl.KindArticle,
				Description: fmt.Sprintf("Bài viết của đơn vị thử %s %04d", prefix, i), Quantities: []nscl.Quantity{{Metric: "articles", Value: 1}}, Ref: fmt.Sprintf("%s-%d", prefix, i)}
			if _, err := tx.ImportActivity(ctx, prog, a); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return units
}

// The report reads the figures of the annex's charts only for the files
// that draw the annex (docx, pdf, the html preview), the report page reads
// each year of the plan once, for its own charts, and neither reads more
// statements when the city has more units, each with work of the year: 5
// more, whose task groups are counted unit by unit, or 150 and 400 more,
// counted from the counts kept per ancestor (report.treeFromUnits).
func TestReportReadsWhatItDraws(t *testing.T) {
	pages := []string{"/report?year=2023", "/report/2023.csv", "/report/2023.xlsx", "/report/2023.html", "/report/2023.docx"}
	measure := func(units int) map[string]int64 {
		ts := newTestServer(t)
		addUnits(t, ts, "THU", units, true)
		addUnits(t, ts, "RONG", 1, false)
		focal := ts.client(t, "focal@demo.local")
		out := map[string]int64{}
		count := func(page string) int64 {
			defer stillClock(ts)()
			fetch(t, focal, "GET", ts.URL+page, "", "") // caches warm
			ts.store.Statements.Store(0)
			if code, body := fetch(t, focal, "GET", ts.URL+page, "", ""); code != 200 {
				t.Fatalf("%s with %d more units: %d %.300s", page, units, code, body)
			}
			return ts.store.Statements.Load()
		}
		for _, page := range pages {
			out[page] = count(page)
		}
		// A unit with no work of its own: its page reads the same whichever
		// year of the plan it shows, the plan's years once, not the years
		// up to the report's a second time.
		for year := 2022; year <= 2025; year++ {
			out[fmt.Sprint(year)] = count(fmt.Sprintf("/report?year=%d&unit=RONG-0000", year))
		}
		return out
	}
	few, some, many, more := measure(1), measure(5), measure(150), measure(400)
	for _, page := range pages {
		t.Logf("%s: %d statements with the demo's units, %d with 5 more, %d with 150 more, %d with 400 more", page, few[page], some[page], many[page], more[page])
		// The .xlsx lists every activity of the year, their details read
		// a chunk of rows at a time: with more units, it reads more chunks.
		listsAll := strings.HasSuffix(page, ".xlsx")
		if few[page] != some[page] || many[page] != more[page] && !listsAll {
			t.Errorf("%s: %d statements with the demo's units, %d with 5 more; %d with 150 more, %d with 400 more", page, few[page], some[page], many[page], more[page])
		}
	}
	// The .csv reads what the files with an annex read but the annex; the
	// .xlsx also reads its list of every activity in chunks, which they do
	// not, so its count says nothing of the annex.
	for _, annexed := range []string{"/report/2023.html", "/report/2023.docx"} {
		if plain := "/report/2023.csv"; few[plain] >= few[annexed] {
			t.Errorf("%s reads %d statements, %s with its annex %d: the annex's figures are read for a file without it", plain, few[plain], annexed, few[annexed])
		}
	}
	for year := 2023; year <= 2025; year++ {
		if got, first := few[fmt.Sprint(year)], few["2022"]; got != first {
			t.Errorf("a unit's report page of %d reads %d statements, of 2022 %d: it reads years again", year, got, first)
		}
	}
}
