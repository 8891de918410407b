package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// benchFields are the figures `nscl bench --json` must give, each above 0.
var benchFields = []string{"activities", "report_nation_first_ms", "report_nation_ms", "report_province_first_ms", "report_province_ms", "report_city_with_lists_ms", "recompute_nation_ms",
	"write_ms_with_totals", "write_ms_plain", "import_csv_rows_per_s", "import_xlsx_rows_per_s", "dashboard_nation_ms", "peak_rss_bytes", "db_bytes"}

// TestBench runs a small `nscl bench` on the national tree as CI does, on
// SQLite and, when NSCL_TEST_POSTGRES names a server, on PostgreSQL (in a
// schema of its own, dropped after): every figure is given and above 0,
// and the kept totals equal their recount from the raw rows after all the
// writes and imports the measures made.
func TestBench(t *testing.T) {
	engines := map[string]string{"sqlite": ""}
	if base := os.Getenv("NSCL_TEST_POSTGRES"); base != "" {
		engines["postgres"] = base
	}
	for engine, db := range engines {
		t.Run(engine, func(t *testing.T) {
			args := []string{"bench", "--activities", "2000", "--json", "--runs", "1", "--import-rows", "2000", "--check"}
			if db != "" {
				args = append(args, "--db", db)
			}
			var out bytes.Buffer
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("nscl bench: %v\n%s", err, out.String())
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("not one JSON object: %v\n%s", err, out.String())
			}
			for _, field := range benchFields {
				if v, ok := got[field].(float64); !ok || v <= 0 {
					t.Errorf("%s = %v, want a number above 0", field, got[field])
				}
			}
			if goals, _ := got["goals"].([]any); len(goals) != 5 {
				t.Errorf("goals %v, want the reports', the writes' and the imports' (5)", got["goals"])
			}
			if got["activities"] != 2000.0 || got["engine"] != engine || got["check"] != "passed" {
				t.Errorf("activities %v, engine %v, check %v; want 2000, %s, passed", got["activities"], got["engine"], got["check"], engine)
			}
		})
	}
}

// TestBenchLoad runs the load test briefly on a small tree: readers and
// writers all answered, none refused.
func TestBenchLoad(t *testing.T) {
	var out bytes.Buffer
	profile := filepath.Join(t.TempDir(), "load.prof")
	args := []string{"bench", "--provinces", "2", "--units-per-province", "12", "--activities", "300", "--runs", "1", "--import-rows", "0",
		"--load", "--conns", "4", "--writers", "2", "--seconds", "2", "--json", "--check", "--load-cpuprofile", profile}
	if err := run(t.Context(), args, &out); err != nil {
		t.Fatalf("nscl bench --load: %v\n%s", err, out.String())
	}
	// A profile is gzip-compressed protocol buffers.
	if b, err := os.ReadFile(profile); err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("the load's CPU profile: %d bytes, %v", len(b), err)
	}
	var got struct {
		Check              string
		LoadDashboard      loadResult `json:"load_dashboard"`
		LoadDashboardApart loadResult `json:"load_dashboard_readers_apart"`
		Load               loadResult
		Goals              []benchGoal
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	if got.Check != "passed" {
		t.Fatalf("check %q", got.Check)
	}
	// The readers ask for the dashboard alone, in the session the writers
	// write through then as another user, then for five routes; the
	// writers' answers are a route of each.
	for _, l := range []struct {
		got    loadResult
		ask    string
		routes int
	}{{got.LoadDashboard, loadDashboardAlone, 2}, {got.LoadDashboardApart, loadDashboardApart, 2}, {got.Load, loadEveryRoute, 6}} {
		if l.got.ReadersAsk != l.ask || l.got.Requests == 0 || l.got.Errors != 0 || len(l.got.Routes) != l.routes {
			t.Errorf("load with readers on %s: want %d routes, no errors: %+v", l.ask, l.routes, l.got)
		}
		for _, r := range l.got.Routes {
			if r.Requests == 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms {
				t.Errorf("route %+v: want requests and p50 ≤ p99", r)
			}
		}
	}
	loads := []loadResult{got.LoadDashboard, got.LoadDashboardApart, got.Load}
	for _, l := range loads {
		if len(l.Routes) == 0 || l.Routes[0].Route != dashboardRoute {
			t.Fatalf("the first route of the load with readers on %s is not the dashboard: %+v", l.ReadersAsk, l.Routes)
		}
	}
	// The dashboard's p99 under each load is weighed; without imports, no
	// import goal is.
	if n := len(got.Goals); n != 6 {
		t.Fatalf("goals %+v, want 6", got.Goals)
	}
	for i, l := range loads {
		if g := got.Goals[3+i]; g.Figure != l.Routes[0].P99Ms || !strings.Contains(g.Goal, l.ReadersAsk+":") {
			t.Errorf("goal %+v, want the dashboard's p99 with readers on %s (%+v)", g, l.ReadersAsk, l.Routes[0])
		}
	}
}

// Each goal is weighed against its own figure and limit, so that a run
// that meets some and misses others says which; a goal the run did not
// measure (imports, the load test) is left out.
func TestBenchGoals(t *testing.T) {
	r := benchResult{ReportNationMs: 4.9, ReportProvinceMs: 5, WriteMsWithTotals: 2, WriteMsPlain: 1.6, ImportCSVRowsPerS: 25_000, ImportXLSXRowsPerS: 19_999,
		LoadDashboard:      &loadResult{Readers: 64, ReadersAsk: loadDashboardAlone, Writers: 20, Routes: []routeLoad{{Route: dashboardRoute, P99Ms: 49}}},
		LoadDashboardApart: &loadResult{Readers: 64, ReadersAsk: loadDashboardApart, Writers: 20, Routes: []routeLoad{{Route: dashboardRoute, P99Ms: 12}}},
		Load:               &loadResult{Readers: 64, ReadersAsk: loadEveryRoute, Writers: 20, Routes: []routeLoad{{Route: "api /api/v1/reports/{year}", P99Ms: 10}, {Route: dashboardRoute, P99Ms: 51}}}}
	want := []benchGoal{
		{"report_nation_ms < 5", 4.9, 5, true},
		{"report_province_ms < 5", 5, 5, false},
		{"write_ms_plain / write_ms_with_totals >= 0.75", 0.8, 0.75, true},
		{"import_csv_rows_per_s >= 20000", 25_000, 20_000, true},
		{"import_xlsx_rows_per_s >= 20000", 19_999, 20_000, false},
		{"load, readers on the dashboard alone, in the session the writers write through: dashboard p99 ms < 50 (64 readers, 20 writers)", 49, 50, true},
		{"load, readers on the dashboard alone, signed in apart from the writers: dashboard p99 ms < 50 (64 readers, 20 writers)", 12, 50, true},
		{"load, readers on five pages and APIs in turn: dashboard p99 ms < 50 (64 readers, 20 writers)", 51, 50, false},
	}
	if got := goalsOf(r); !slices.Equal(got, want) {
		t.Errorf("goals:\n%+v\nwant\n%+v", got, want)
	}
	r.ImportCSVRowsPerS, r.ImportXLSXRowsPerS, r.LoadDashboard, r.LoadDashboardApart, r.Load = 0, 0, nil, nil, nil
	if got := goalsOf(r); !slices.Equal(got, want[:3]) {
		t.Errorf("goals without imports or load: %+v, want %+v", got, want[:3])
	}
	var out bytes.Buffer
	printBench(&out, benchResult{Goals: want})
	if !strings.Contains(out.String(), goalsReference) {
		t.Errorf("the printed figures do not say where the misses are explained:\n%s", out.String())
	}
	for _, line := range []string{"report_nation_ms < 5 4.90 met", "import_xlsx_rows_per_s >= 20000 19999.00 MISSED"} {
		if !slices.ContainsFunc(strings.Split(out.String(), "\n"), func(l string) bool { return strings.Join(strings.Fields(l), " ") == line }) {
			t.Errorf("the printed figures lack %q:\n%s", line, out.String())
		}
	}
}
