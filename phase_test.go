package nscl

import (
	"slices"
	"strings"
	"testing"
)

// phased is a programme 2021–2030 whose third indicator begins in 2026,
// and whose measure begins in 2028.
func phased() *Programme {
	return &Programme{Code: "GD", Name: "Chương trình hai giai đoạn", StartYear: 2021, EndYear: 2030,
		TaskGroups: []TaskGroup{{Letter: "a", Name: "Đào tạo"}},
		Metrics: []Metric{
			{Code: "training", Name: "Tập huấn", Unit: "lượt doanh nghiệp", Kind: Indicator, Rule: RuleSum},
			{Code: "experts", Name: "Chuyên gia được đào tạo", Unit: "lượt chuyên gia", Kind: Indicator, Rule: RuleSum},
			{Code: "certified", Name: "Chuyên gia được chứng nhận quốc tế", Unit: "chuyên gia", Kind: Indicator, Rule: RuleSum, FirstYear: 2026},
			{Code: "trainees", Name: "Học viên", Unit: "học viên", Kind: Measure, Rule: RuleSum},
			{Code: "mentors", Name: "Người hướng dẫn", Unit: "người", Kind: Measure, Rule: RuleSum, FirstYear: 2028},
		}}
}

func codesOf(ms []Metric) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Code)
	}
	return out
}

func TestAnIndicatorBeginsWithItsPhase(t *testing.T) {
	p := phased()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		year       int
		indicators []string
		measures   []string
	}{
		{2021, []string{"training", "experts"}, []string{"trainees"}},
		{2025, []string{"training", "experts"}, []string{"trainees"}},
		{2026, []string{"training", "experts", "certified"}, []string{"trainees"}},
		{2030, []string{"training", "experts", "certified"}, []string{"trainees", "mentors"}},
	} {
		if got := codesOf(p.IndicatorsIn(c.year)); !slices.Equal(got, c.indicators) {
			t.Errorf("indicators of %d: %v, want %v", c.year, got, c.indicators)
		}
		if got := codesOf(p.MeasuresIn(c.year)); !slices.Equal(got, c.measures) {
			t.Errorf("measures of %d: %v, want %v", c.year, got, c.measures)
		}
	}
	// The results of a year list the metrics begun by then, whatever the
	// figures hold.
	figures := map[string]Figures{"training": {YearValue: 4, Cumulative: 9}, "certified": {YearValue: 2, Cumulative: 2}, "mentors": {YearValue: 1, Cumulative: 1}}
	plan := Plan{Name: "Kế hoạch 2026 – 2030", Kind: FiveYearPlan, StartYear: 2026, EndYear: 2030, Targets: []Target{{"certified", 20}}}
	r := ComputeResults(p, OrgUnit{}, 2026, plan, nil, nil, figures)
	var got []string
	for _, ind := range r.Indicators {
		got = append(got, ind.Metric.Code)
	}
	if !slices.Equal(got, []string{"training", "experts", "certified"}) || len(r.Measures) != 1 {
		t.Fatalf("2026 results: indicators %v, %d measures", got, len(r.Measures))
	}
	if c := r.Indicators[2]; c.Cumulative != 2 || c.Target != 20 || c.CompletionPercent != 10 {
		t.Errorf("certified in 2026: %+v", c)
	}
	first := Plan{Name: "Kế hoạch 2021 – 2025", Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025}
	if r := ComputeResults(p, OrgUnit{}, 2025, first, nil, nil, figures); len(r.Indicators) != 2 {
		t.Errorf("2025 results list %d indicators, want the 2 begun by then", len(r.Indicators))
	}
}

func TestAFirstYearOutsideTheProgrammeIsRefused(t *testing.T) {
	for _, year := range []int{2020, 2031} {
		p := phased()
		p.Metrics[2].FirstYear = year
		err := p.Validate()
		if ErrorCode(err) != EINVALID || ErrorField(err) != "metrics.certified" {
			t.Errorf("first year %d: %v", year, err)
		}
	}
}

// A plan may target an indicator only if it has begun by the plan's last
// year: the 2021–2025 plan may not, a plan running into 2026 may.
func TestAPlanMayNotTargetAnIndicatorBeforeItBegins(t *testing.T) {
	p := phased()
	for _, c := range []struct {
		name       string
		kind       PlanKind
		start, end int
		refused    bool
	}{
		{"the first plan", FiveYearPlan, 2021, 2025, true},
		{"the 2025 annual plan", AnnualPlan, 2025, 2025, true},
		{"the second plan", FiveYearPlan, 2026, 2030, false},
		{"a plan running into the second phase", FiveYearPlan, 2024, 2028, false},
		{"the 2026 annual plan", AnnualPlan, 2026, 2026, false},
	} {
		plan := Plan{Name: "Kế hoạch", Kind: c.kind, StartYear: c.start, EndYear: c.end, Targets: []Target{{"training", 100}, {"certified", 5}}}
		err := ValidatePlan(plan, p)
		if !c.refused {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || ErrorField(err) != "targets.certified" || !strings.Contains(err.Error(), "2026") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// Without a unit named, a year's report is for the owner of the plan in
// force; when the Ministry's national plan covers the year too, the
// city's, below it; owners on separate branches must be named.
func TestPlanOwner(t *testing.T) {
	ministry := OrgUnit{ID: 1, Code: "BO", Name: "Bộ Khoa học và Công nghệ", Level: LevelMinistry}
	city := OrgUnit{ID: 2, Code: "DNG", Name: "Ủy ban nhân dân Thành phố Đà Nẵng", Level: LevelProvince, ParentID: 1}
	dept := OrgUnit{ID: 3, Code: "DNG-SKHCN", Name: "Sở Khoa học và Công nghệ", Level: LevelDepartment, ParentID: 2}
	other := OrgUnit{ID: 4, Code: "HUE", Name: "Ủy ban nhân dân Thành phố Huế", Level: LevelProvince, ParentID: 1}
	units := []OrgUnit{ministry, city, dept, other}
	plan := func(unit int64, start, end int) Plan {
		return Plan{UnitID: unit, Kind: FiveYearPlan, StartYear: start, EndYear: end}
	}
	annual := Plan{UnitID: dept.ID, Kind: AnnualPlan, StartYear: 2026, EndYear: 2026}
	first, national, second := plan(city.ID, 2021, 2025), plan(ministry.ID, 2026, 2030), plan(city.ID, 2026, 2030)
	for _, c := range []struct {
		name  string
		plans []Plan
		year  int
		want  string // the unit's code, or the error's code
	}{
		{"one owner", []Plan{first, national}, 2024, "DNG"},
		{"the national plan alone", []Plan{first, national}, 2026, "BO"},
		{"the national plan above the city's", []Plan{first, national, second, annual}, 2026, "DNG"},
		{"listed the other way round", []Plan{second, national}, 2027, "DNG"},
		{"no plan for the year", []Plan{first}, 2026, ENOTFOUND},
		{"an annual plan is no multi-year plan", []Plan{first, annual}, 2026, ENOTFOUND},
		{"two branches", []Plan{national, second, plan(other.ID, 2026, 2030)}, 2026, EINVALID},
	} {
		got, err := PlanOwner(c.plans, units, c.year)
		switch {
		case err != nil && ErrorCode(err) != c.want:
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		case err == nil && got.Code != c.want:
			t.Errorf("%s: %s, want %s", c.name, got.Code, c.want)
		case err != nil && c.want == EINVALID && (!strings.Contains(err.Error(), "DNG, HUE") || ErrorField(err) != "unit"):
			t.Errorf("%s: the error does not name the owners: %v", c.name, err)
		}
	}
}

func TestTheProgrammesCumulativeIsShownBesideALaterPlanOnly(t *testing.T) {
	p := phased()
	figures := map[string]Figures{"training": {Cumulative: 30}}
	whole := map[string]Figures{"training": {Cumulative: 130}}
	for _, c := range []struct {
		start int
		shown bool
	}{{2021, false}, {2026, true}} {
		plan := Plan{Name: "Kế hoạch", Kind: FiveYearPlan, StartYear: c.start, EndYear: c.start + 4}
		r := ComputeResults(p, OrgUnit{}, c.start, plan, nil, nil, figures)
		if r.ShowsProgrammeTotal() {
			t.Errorf("plan from %d: shows a programme total before one is given", c.start)
		}
		r.SinceProgramme(p.StartYear, whole)
		if r.ShowsProgrammeTotal() != c.shown {
			t.Errorf("plan from %d: shows the programme total: %v", c.start, r.ShowsProgrammeTotal())
		}
		if r.Indicators[0].Cumulative != 30 || r.Indicators[0].ProgrammeCumulative != 130 {
			t.Errorf("plan from %d: cumulative %d, programme's %d", c.start, r.Indicators[0].Cumulative, r.Indicators[0].ProgrammeCumulative)
		}
	}
}
