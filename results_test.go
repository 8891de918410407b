package nscl

import (
	"testing"
)

func seedPlan() *Plan {
	return &Plan{Name: "Kế hoạch 05 năm", Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Targets: []Target{
		{"training", 10000}, {"support", 200}, {"experts", 150}, {"labs", 10},
	}}
}

func TestEvaluateSeedRows(t *testing.T) {
	next := &Plan{Name: "Kế hoạch năm 2023", Kind: AnnualPlan, StartYear: 2023, EndYear: 2023, Targets: []Target{
		{"training", 3500}, {"support", 50}, {"labs", 5},
	}}
	cases := []struct {
		code             string
		year, cumulative int64
		completion       float64
		status           Status
		pace             int64 // (target − cumulative) ÷ 3 remaining years, rounded up
		warnings         []string
	}{
		{"training", 963, 993, 9.93, StatusBehind, 3003, nil},
		{"support", 336, 347, 173.5, StatusExceeded, 0, nil},
		{"experts", 41, 71, 47.33, StatusOnTrack, 27, []string{WarnNoNextYearTarget}},
		{"labs", 0, 0, 0, StatusNotStarted, 4, nil},
	}
	for _, c := range cases {
		r := Evaluate(Metric{Code: c.code, Unit: "lượt"}, 2022, Figures{YearValue: c.year, Cumulative: c.cumulative}, seedPlan(), next)
		if r.CompletionPercent != c.completion || r.Status != c.status || r.RequiredPace != c.pace || r.ElapsedPercent != 40 {
			t.Errorf("%s: got completion %v status %s pace %d elapsed %v; want %v %s %d 40",
				c.code, r.CompletionPercent, r.Status, r.RequiredPace, r.ElapsedPercent, c.completion, c.status, c.pace)
		}
		var codes []string
		for _, w := range r.Warnings {
			codes = append(codes, w.Code)
		}
		if len(codes) != len(c.warnings) || (len(codes) > 0 && codes[0] != c.warnings[0]) {
			t.Errorf("%s: warnings %v, want %v", c.code, codes, c.warnings)
		}
	}
}

func TestEvaluateWarnings(t *testing.T) {
	plan := seedPlan()
	low := &Plan{Name: "Kế hoạch năm 2023", Kind: AnnualPlan, StartYear: 2023, EndYear: 2023, Targets: []Target{{"training", 1000}}}
	r := Evaluate(Metric{Code: "training"}, 2022, Figures{Cumulative: 993}, plan, low)
	if len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNextYearBelowPace {
		t.Errorf("a 2023 target below the pace needed: warnings %+v", r.Warnings)
	}
	r = Evaluate(Metric{Code: "training"}, 2022, Figures{Cumulative: 993}, plan, nil)
	if len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNoNextYearTarget {
		t.Errorf("no annual plan for 2023: warnings %+v", r.Warnings)
	}
	r = Evaluate(Metric{Code: "unknown"}, 2022, Figures{Cumulative: 5}, plan, nil)
	if r.Status != StatusNoTarget || len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNoTarget {
		t.Errorf("indicator without target: status %s warnings %+v", r.Status, r.Warnings)
	}
	r = Evaluate(Metric{Code: "labs"}, 2025, Figures{Cumulative: 6}, plan, nil)
	if r.RequiredPace != 4 || len(r.Warnings) != 1 || r.Warnings[0].Code != WarnPlanPeriodFinished {
		t.Errorf("last year of the plan, target missed: pace %d warnings %+v", r.RequiredPace, r.Warnings)
	}
}

func TestElapsedPercent(t *testing.T) {
	cases := []struct {
		year int
		want float64
	}{{2020, 0}, {2021, 20}, {2022, 40}, {2025, 100}, {2027, 100}}
	for _, c := range cases {
		if got := ElapsedPercent(2021, 2025, c.year); got != c.want {
			t.Errorf("ElapsedPercent(2021, 2025, %d) = %v, want %v", c.year, got, c.want)
		}
	}
}

func TestStatusOnTheBoundary(t *testing.T) {
	// 40 % done when 40 % of the time has passed is on track; a hair less is behind.
	if s := statusOf(false, 40, 40, 400); s != StatusOnTrack {
		t.Errorf("40 of 40: %s", s)
	}
	if s := statusOf(false, 39.99, 40, 399); s != StatusBehind {
		t.Errorf("39,99 of 40: %s", s)
	}
	// 19.999 of 20.000 prints as 100 % but is not there yet.
	r := Evaluate(Metric{Code: "training"}, 2024, Figures{Cumulative: 19999}, &Plan{Name: "KH", StartYear: 2021, EndYear: 2025, Targets: []Target{{"training", 20000}}}, nil)
	if r.CompletionPercent != 100 || r.Status != StatusOnTrack || r.RequiredPace != 1 {
		t.Errorf("19.999 of 20.000: %v %s pace %d", r.CompletionPercent, r.Status, r.RequiredPace)
	}
}

func TestPlanForPrefersOwnUnit(t *testing.T) {
	plans := []Plan{
		{ID: 1, UnitID: 1, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025},
		{ID: 2, UnitID: 2, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025},
		{ID: 3, UnitID: 1, Kind: AnnualPlan, StartYear: 2023, EndYear: 2023},
	}
	if p, ok := PlanFor(plans, []int64{2, 1}, FiveYearPlan, 2022); !ok || p.ID != 2 {
		t.Errorf("own plan: got %d %v", p.ID, ok)
	}
	if p, ok := PlanFor(plans, []int64{3, 1}, FiveYearPlan, 2022); !ok || p.ID != 1 {
		t.Errorf("ancestor's plan: got %d %v", p.ID, ok)
	}
	if p, ok := PlanFor(plans, []int64{2, 1}, AnnualPlan, 2023); !ok || p.ID != 3 {
		t.Errorf("ancestor's annual plan: got %d %v", p.ID, ok)
	}
	if _, ok := PlanFor(plans, []int64{2, 1}, FiveYearPlan, 2026); ok {
		t.Error("no plan covers 2026")
	}
}
