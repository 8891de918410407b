package main

import (
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

// phaseReport is what the tests read of `nscl report --format json`.
type phaseReport struct {
	Unit struct{ Code string }
	Plan struct {
		Name      string
		StartYear int `json:"start_year"`
	}
	ProgrammeCumulativeFrom int `json:"programme_cumulative_from"`
	Indicators              []phaseIndicator
}

type phaseIndicator struct {
	Code                string
	Target              *int64
	YearValue           int64  `json:"year_value"`
	Cumulative          int64  `json:"cumulative"`
	ProgrammeCumulative *int64 `json:"programme_cumulative"`
}

func (r phaseReport) indicator(code string) (phaseIndicator, bool) {
	for _, ind := range r.Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return phaseIndicator{}, false
}

// On the demo, 2026 is reported against the second phase's plans: the
// city's (illustrative) for HCM and by default, the Ministry's national
// one for BKHCN. A 2026 activity entered at the command line counts toward
// them, the cumulative restarting in 2026 and the programme's total since
// 2021 beside it; 2025 keeps the first plan and its four indicators.
func TestA2026ActivityCountsTowardThe2026To2030Plan(t *testing.T) {
	db := demoDB(t)
	checksOut = io.Discard
	t.Cleanup(func() { checksOut = os.Stderr })
	report := func(year, unit string) phaseReport {
		t.Helper()
		args := []string{"report", "--db", db, "--year", year, "--format", "json"}
		if unit != "" {
			args = append(args, "--unit", unit)
		}
		out, err := nsclRun(t, args...)
		if err != nil {
			t.Fatalf("report %s %s: %v", year, unit, err)
		}
		var r phaseReport
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := func(r phaseReport, code string) phaseIndicator {
		t.Helper()
		ind, ok := r.indicator(code)
		if !ok {
			t.Fatalf("%s's report lacks %s", r.Unit.Code, code)
		}
		return ind
	}

	byDefault, city, national := report("2026", ""), report("2026", "HCM"), report("2026", "BKHCN")
	if byDefault.Unit.Code != "HCM" || byDefault.Plan.Name != city.Plan.Name {
		t.Errorf("the 2026 report without --unit is %s's against %q", byDefault.Unit.Code, byDefault.Plan.Name)
	}
	if city.Plan.StartYear != 2026 || !strings.Contains(city.Plan.Name, "(minh họa)") {
		t.Errorf("HCM's 2026 report is against %q", city.Plan.Name)
	}
	if national.Plan.StartYear != 2026 || !strings.HasPrefix(national.Plan.Name, "Mục tiêu giai đoạn 2026 – 2030") {
		t.Errorf("BKHCN's 2026 report is against %q", national.Plan.Name)
	}
	if c := want(national, "experts_certified"); c.Target == nil || *c.Target != 200 {
		t.Errorf("the national target for certified experts: %v", c.Target)
	}
	if e := want(national, "experts_trained"); e.Target == nil || *e.Target != 1000 {
		t.Errorf("the national target for experts trained: %v", e.Target)
	}
	first := report("2025", "HCM")
	if _, ok := first.indicator("experts_certified"); ok || first.Plan.StartYear != 2021 || first.ProgrammeCumulativeFrom != 0 {
		t.Errorf("the 2025 report: against %q, %d indicators, programme total from %d", first.Plan.Name, len(first.Indicators), first.ProgrammeCumulativeFrom)
	}

	_, err := nsclRun(t, "activity", "add", "--db", db, "--unit", "HCM", "--date", "15/03/2026", "--group", "d", "--kind", "training",
		"--description", "Khóa đào tạo chuyên gia năng suất theo chuẩn quốc tế", "--qty", "training_enterprises=40", "--qty", "experts_certified=3")
	if err != nil {
		t.Fatalf("activity add: %v", err)
	}
	after := report("2026", "HCM")
	for _, c := range []struct {
		code  string
		added int64
	}{{"training_enterprises", 40}, {"experts_certified", 3}} {
		was, now := want(city, c.code), want(after, c.code)
		if now.YearValue-was.YearValue != c.added || now.Cumulative-was.Cumulative != c.added {
			t.Errorf("%s: year %d → %d, cumulative %d → %d; want %d more in both", c.code, was.YearValue, now.YearValue, was.Cumulative, now.Cumulative, c.added)
		}
	}
	// The cumulative restarts in 2026: it holds 2026 alone, and the
	// programme's total adds it to the first plan's by the end of 2025.
	training, before := want(after, "training_enterprises"), want(first, "training_enterprises")
	if after.ProgrammeCumulativeFrom != 2021 || training.ProgrammeCumulative == nil || *training.ProgrammeCumulative != before.Cumulative+training.Cumulative {
		t.Errorf("programme total from %d: %v, want %d + %d", after.ProgrammeCumulativeFrom, training.ProgrammeCumulative, before.Cumulative, training.Cumulative)
	}
	if training.Cumulative != training.YearValue {
		t.Errorf("the 2026 cumulative %d is not 2026's %d alone", training.Cumulative, training.YearValue)
	}
	if now, was := want(report("2026", "BKHCN"), "experts_certified"), want(national, "experts_certified"); now.Cumulative-was.Cumulative != 3 {
		t.Errorf("the national plan's certified experts: %d → %d", was.Cumulative, now.Cumulative)
	}

	out, err := nsclRun(t, "report", "--db", db, "--year", "2026", "--unit", "HCM")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Lũy kế 2021–2030 (từ đầu Chương trình đến hết năm 2026):", "Chuyên gia được chứng nhận quốc tế"} {
		if !strings.Contains(out, s) {
			t.Errorf("the 2026 text report lacks %q:\n%s", s, out)
		}
	}
}
