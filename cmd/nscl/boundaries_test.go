package main

import (
	"encoding/json"
	"strings"
	"testing"

	"nscl"
)

// A province the demo does not hold, with work in 2022 and 2024, merges
// into the city on 01/07/2025. The city's 2022 report is unchanged (the
// tree at the end of 2022) and so is it as of a day before the merger;
// in today's tree it counts the province's 2022 work; its 2025 report
// counts the province's work in the cumulative by default and names it.
func TestReportBoundaries(t *testing.T) {
	db := demoDB(t)
	training := func(args ...string) (year, cumulative int64, out string) {
		t.Helper()
		out, err := nsclRun(t, append([]string{"report", "--db", db, "--format", "json"}, args...)...)
		if err != nil {
			t.Fatalf("report %v: %v", args, err)
		}
		var r struct{ Indicators []map[string]any }
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, ind := range r.Indicators {
			if ind["code"] == "training_enterprises" {
				y, _ := ind["year_value"].(float64)
				c, _ := ind["cumulative"].(float64)
				return int64(y), int64(c), out
			}
		}
		t.Fatalf("no training indicator in %s", out)
		return 0, 0, ""
	}
	_, _, before2022 := training("--year", "2022")
	y2025, c2025, _ := training("--year", "2025")

	run := func(args ...string) {
		t.Helper()
		if out, err := nsclRun(t, append(args, "--db", db)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("unit", "add", "--code", "T-PROV", "--name", "Ủy ban nhân dân tỉnh Thử Nghiệm", "--level", "province", "--parent", "BKHCN")
	for _, a := range []struct{ date, qty string }{{"10/05/2022", "40"}, {"20/09/2024", "25"}} {
		run("activity", "add", "--unit", "T-PROV", "--date", a.date, "--group", "d", "--kind", "training",
			"--description", "Lớp tập huấn năng suất của tỉnh", "--qty", "training_enterprises="+a.qty)
	}
	run("unit", "close", "--code", "T-PROV", "--on", "01/07/2025", "--successor", "HCM")

	if _, _, got := training("--year", "2022"); got != before2022 {
		t.Errorf("the 2022 report changed with a merger of 2025:\n%s\nwant\n%s", got, before2022)
	}
	if _, _, got := training("--year", "2022", "--boundaries", "as-of=30/06/2025"); got != before2022 {
		t.Errorf("the 2022 report as of the day before the merger differs from the 2022 report")
	}
	// Today's tree also holds the demo's Bà Rịa – Vũng Tàu, with an
	// illustrative 75 in 2022.
	y, _, _ := training("--year", "2022", "--boundaries", "current")
	if want := int64(963 + 40 + 75); y != want {
		t.Errorf("2022 in today's tree: %d, want the city's 963, the province's 40 and Bà Rịa – Vũng Tàu's 75", y)
	}
	y, c, _ := training("--year", "2025")
	if y != y2025 || c != c2025+40+25 {
		t.Errorf("2025: %d this year, %d cumulated; want %d and %d + the province's 65", y, c, y2025, c2025)
	}
	// The day before the merger the city is its own tree: the 2022
	// report's 993, and nothing in 2025, the demo's 2025 training being
	// the absorbed provinces' and a commune's opened on 01/07/2025.
	y, c, _ = training("--year", "2025", "--boundaries", "30/06/2025")
	if y != 0 || c != 993 || y2025 == 0 || c2025 <= 993 {
		t.Errorf("2025 as of the day before the merger: %d, %d; want 0, 993 (by default %d, %d)", y, c, y2025, c2025)
	}
	_, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--boundaries", "as-of=2025")
	if nscl.ErrorField(err) != "boundaries" || !strings.Contains(err.Error(), "as-of=2025") {
		t.Errorf("bad boundaries: %v, want an error naming the field and the value", err)
	}
}
