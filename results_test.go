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
		r := Evaluate(Metric{Code: c.code, Unit: "lượt"}, 0, 2022, Figures{YearValue: c.year, Cumulative: c.cumulative}, seedPlan(), next)
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
	r := Evaluate(Metric{Code: "training"}, 0, 2022, Figures{Cumulative: 993}, plan, low)
	if len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNextYearBelowPace {
		t.Errorf("a 2023 target below the pace needed: warnings %+v", r.Warnings)
	}
	r = Evaluate(Metric{Code: "training"}, 0, 2022, Figures{Cumulative: 993}, plan, nil)
	if len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNoNextYearTarget {
		t.Errorf("no annual plan for 2023: warnings %+v", r.Warnings)
	}
	r = Evaluate(Metric{Code: "unknown"}, 0, 2022, Figures{Cumulative: 5}, plan, nil)
	if r.Status != StatusNoTarget || len(r.Warnings) != 1 || r.Warnings[0].Code != WarnNoTarget {
		t.Errorf("indicator without target: status %s warnings %+v", r.Status, r.Warnings)
	}
	r = Evaluate(Metric{Code: "labs"}, 0, 2025, Figures{Cumulative: 6}, plan, nil)
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
	r := Evaluate(Metric{Code: "training"}, 0, 2024, Figures{Cumulative: 19999}, &Plan{Name: "KH", StartYear: 2021, EndYear: 2025, Targets: []Target{{"training", 20000}}}, nil)
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

// TestEvaluateAllottedTarget: a unit under the plan's unit is measured
// against what the plan allots it, with a pace and a status of its own;
// without an allotment it has no status, no pace and no warning, and
// ShareOf gives its part of the parent's results.
func TestEvaluateAllottedTarget(t *testing.T) {
	const city, district, other = 1, 2, 3
	plan := seedPlan()
	plan.UnitID = city
	plan.Allotments = []Allotment{{UnitID: district, Metric: "training", Value: 600}}
	next := &Plan{Kind: AnnualPlan, UnitID: city, StartYear: 2023, EndYear: 2023, Targets: []Target{{"training", 3500}},
		Allotments: []Allotment{{UnitID: district, Metric: "training", Value: 150}}}
	m := Metric{Code: "training", Unit: "lượt doanh nghiệp"}

	// 240 of 600 by the end of 2022 (40 % elapsed): on track, (600 − 240) ÷ 3 a year.
	r := Evaluate(m, district, 2022, Figures{YearValue: 200, Cumulative: 240}, plan, next)
	if !r.HasTarget || r.Target != 600 || r.Status != StatusOnTrack || r.CompletionPercent != 40 || r.RequiredPace != 120 {
		t.Errorf("allotted: target %d (%v), status %s, completion %v, pace %d", r.Target, r.HasTarget, r.Status, r.CompletionPercent, r.RequiredPace)
	}
	if !r.HasNextYearTarget || r.NextYearTarget != 150 || len(r.Warnings) != 0 {
		t.Errorf("allotted: next year's target %d (%v), warnings %+v; want its own 150, none", r.NextYearTarget, r.HasNextYearTarget, r.Warnings)
	}

	// No allotment: not the city's 10.000 and its pace.
	r = Evaluate(m, other, 2022, Figures{YearValue: 200, Cumulative: 240}, plan, next)
	if r.HasTarget || r.Status != StatusNoOwnTarget || r.RequiredPace != 0 || r.HasNextYearTarget || len(r.Warnings) != 0 || r.Status.Measured() {
		t.Errorf("not allotted: %+v", r)
	}
	// The city's own row keeps the plan's target.
	if r := Evaluate(m, city, 2022, Figures{Cumulative: 993}, plan, next); r.Target != 10000 || r.Status != StatusBehind {
		t.Errorf("the plan's unit: target %d, status %s", r.Target, r.Status)
	}

	res := ComputeResults(&Programme{Metrics: []Metric{{Code: "training", Kind: Indicator}, {Code: "support", Kind: Indicator}}},
		OrgUnit{ID: other}, 2022, *plan, nil, next, map[string]Figures{"training": {YearValue: 200, Cumulative: 240}})
	if !res.NeedsParent() {
		t.Fatal("a unit without allotments needs its parent's results")
	}
	parent := OrgUnit{ID: city, Name: "Thành phố"}
	res.ShareOf(parent, map[string]Figures{"training": {YearValue: 963, Cumulative: 993}})
	ind := res.Indicators[0]
	if ind.Parent == nil || ind.Parent.ID != city || ind.ParentCumulative != 993 ||
		ind.YearShare != CompletionPercent(200, 963) || ind.CumulativeShare != CompletionPercent(240, 993) {
		t.Errorf("share of the city: %+v", ind)
	}
	// The parent with nothing yet: a share of nothing is 0, not a division by zero.
	if s := res.Indicators[1]; s.CumulativeShare != 0 || s.ParentCumulative != 0 {
		t.Errorf("share of nothing: %+v", s)
	}
}

// TestStatusColours: the colour of a bar (KeepsPace) and the status word
// agree for every status, and only measured statuses have a bar.
func TestStatusColours(t *testing.T) {
	plan := &Plan{StartYear: 2021, EndYear: 2025, Targets: []Target{{"t", 100}}}
	for _, c := range []struct {
		cumulative int64
		want       Status
		keepsPace  bool
	}{{100, StatusExceeded, true}, {150, StatusExceeded, true}, {40, StatusOnTrack, true}, {39, StatusBehind, false}, {0, StatusNotStarted, false}} {
		r := Evaluate(Metric{Code: "t"}, 0, 2022, Figures{Cumulative: c.cumulative}, plan, nil)
		if r.Status != c.want || r.Status.KeepsPace() != c.keepsPace || !r.Status.Measured() {
			t.Errorf("%d of 100: status %s, keeps pace %v; want %s, %v", c.cumulative, r.Status, r.Status.KeepsPace(), c.want, c.keepsPace)
		}
	}
	for _, s := range []Status{StatusNoTarget, StatusNoOwnTarget} {
		if s.Measured() || s.KeepsPace() {
			t.Errorf("%s has a bar or a colour", s)
		}
	}
}
