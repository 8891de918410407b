package nscl

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A province that absorbed two others on 01/07/2025, each with a plan of
// its own, and departments of the city whose targets the city allots.
func mergerFixture() MergerTargets {
	merger := day(2025, 7, 1)
	units := []OrgUnit{
		{ID: 1, Code: "BO", Name: "Bộ", Level: LevelMinistry},
		{ID: 2, ParentID: 1, Code: "HCM", Name: "Ủy ban nhân dân Thành phố Hồ Chí Minh", ShortName: "TP. Hồ Chí Minh", Level: LevelProvince},
		{ID: 3, ParentID: 1, Code: "BD", Name: "Ủy ban nhân dân tỉnh Bình Dương", ShortName: "Bình Dương", Level: LevelProvince, ClosedOn: merger},
		{ID: 4, ParentID: 1, Code: "BRVT", Name: "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu", Level: LevelProvince, ClosedOn: merger},
		{ID: 10, ParentID: 2, Code: "SKHCN", Name: "Sở Khoa học và Công nghệ", Level: LevelDepartment},
		{ID: 11, ParentID: 2, Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Level: LevelDepartment, ClosedOn: day(2025, 3, 1)},
	}
	plans := []Plan{
		{ID: 100, UnitID: 2, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "KH HCM",
			Targets:    []Target{{"training", 10000}, {"consulting", 500}},
			Allotments: []Allotment{{10, "training", 100}, {11, "training", 40}}},
		{ID: 101, UnitID: 3, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "KH BD",
			Targets: []Target{{"training", 1000}, {"standards", 70}}},
		// BR-VT has no plan of its own: the ministry's allots it a target.
		{ID: 102, UnitID: 1, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "KH Bộ",
			Targets: []Target{{"training", 90000}}, Allotments: []Allotment{{4, "training", 800}}},
		{ID: 103, UnitID: 2, Kind: AnnualPlan, StartYear: 2025, EndYear: 2025, Name: "KH HCM 2025", Targets: []Target{{"training", 2000}}},
		{ID: 104, UnitID: 3, Kind: AnnualPlan, StartYear: 2025, EndYear: 2025, Name: "KH BD 2025", Targets: []Target{{"training", 300}}},
		{ID: 105, UnitID: 2, Kind: AnnualPlan, StartYear: 2026, EndYear: 2026, Name: "KH HCM 2026", Targets: []Target{{"training", 2500}}},
	}
	return MergerTargets{
		Former:      []Succession{{3, 2, merger}, {4, 2, merger}},
		Successions: []Succession{{3, 2, merger}, {4, 2, merger}, {11, 10, day(2025, 3, 1)}},
		Plans:       plans,
		Units:       units,
	}
}

func planByID(plans []Plan, id int64) Plan {
	for _, p := range plans {
		if p.ID == id {
			return p
		}
	}
	panic("no plan")
}

// partsText writes origins as a person checks them: unit code and value,
// a left-out part in brackets.
func partsText(parts []TargetPart) []string {
	var out []string
	for _, p := range parts {
		s := p.Unit.Code + "=" + strconv.FormatInt(p.Value, 10)
		if p.LeftOut {
			s = "(" + s + ")"
		}
		out = append(out, s)
	}
	return out
}

func TestMergerTargetsSum(t *testing.T) {
	type want struct {
		target  int64 // -1: no target
		origins []string
	}
	for _, c := range []struct {
		name  string
		edit  func(*MergerTargets)
		plan  int64
		unit  int64
		year  int
		wants map[string]want
	}{
		{name: "merger of three", plan: 100, unit: 2, year: 2025, wants: map[string]want{
			"training":   {11800, []string{"HCM=10000", "BD=1000", "BRVT=800"}},
			"consulting": {500, nil},              // only the successor targets it
			"standards":  {70, []string{"BD=70"}}, // only a predecessor targets it
			"nobody":     {-1, nil},
		}},
		{name: "annual plan of the merger's year", plan: 103, unit: 2, year: 2025, wants: map[string]want{
			"training": {2300, []string{"HCM=2000", "BD=300"}}, // BR-VT has no 2025 annual plan
		}},
		{name: "next year's annual plan began after the merger", plan: 105, unit: 2, year: 2026, wants: map[string]want{
			"training": {2500, nil},
		}},
		{name: "plan that began after the merger", plan: 200, unit: 2, year: 2026, edit: func(m *MergerTargets) {
			m.Plans = append(m.Plans, Plan{ID: 200, UnitID: 2, Kind: FiveYearPlan, StartYear: 2026, EndYear: 2030, Targets: []Target{{"training", 20000}}})
			m.Plans = append(m.Plans, Plan{ID: 201, UnitID: 3, Kind: FiveYearPlan, StartYear: 2026, EndYear: 2030, Targets: []Target{{"training", 999}}})
		}, wants: map[string]want{"training": {20000, nil}}},
		{name: "merger on the day the plan begins", plan: 100, unit: 2, year: 2025, edit: func(m *MergerTargets) {
			for i := range m.Former {
				m.Former[i].On = day(2021, 1, 1)
			}
		}, wants: map[string]want{"training": {10000, nil}, "standards": {-1, nil}}},
		{name: "plan adopted after the merger by its document", plan: 103, unit: 2, year: 2025, edit: func(m *MergerTargets) {
			m.Plans[3].DocumentID = 7
			m.Documents = []Document{{ID: 7, IssuedOn: day(2025, 8, 15)}}
		}, wants: map[string]want{"training": {2000, nil}}},
		{name: "plan adopted before the merger by its document", plan: 103, unit: 2, year: 2025, edit: func(m *MergerTargets) {
			m.Plans[3].DocumentID = 7
			m.Documents = []Document{{ID: 7, IssuedOn: day(2025, 1, 20)}}
		}, wants: map[string]want{"training": {2300, []string{"HCM=2000", "BD=300"}}}},
		{name: "split not summed", plan: 100, unit: 2, year: 2025, edit: func(m *MergerTargets) {
			// BR-VT split between the city and a new province 5.
			m.Units = append(m.Units, OrgUnit{ID: 5, ParentID: 1, Code: "NEW", Level: LevelProvince})
			m.Successions = append(m.Successions, Succession{4, 5, day(2025, 7, 1)})
		}, wants: map[string]want{"training": {11000, []string{"HCM=10000", "BD=1000", "(BRVT=800)"}}}},
		{name: "allotment to a department that absorbed another", plan: 100, unit: 10, year: 2025, edit: func(m *MergerTargets) {
			m.Former = []Succession{{11, 10, day(2025, 3, 1)}}
		}, wants: map[string]want{"training": {140, []string{"SKHCN=100", "STTTT=40"}}}},
		{name: "plan for a unit that opened with the merger", plan: 300, unit: 6, year: 2025, edit: func(m *MergerTargets) {
			m.Units = append(m.Units, OrgUnit{ID: 6, ParentID: 1, Code: "MERGED", Level: LevelProvince, OpenedOn: day(2025, 7, 1)})
			m.Former = []Succession{{3, 6, day(2025, 7, 1)}}
			m.Plans = append(m.Plans, Plan{ID: 300, UnitID: 6, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Targets: []Target{{"training", 5000}}})
		}, wants: map[string]want{"training": {5000, nil}}},
		{name: "new unit under a plan that allots it nothing", plan: 102, unit: 6, year: 2025, edit: func(m *MergerTargets) {
			m.Units = append(m.Units, OrgUnit{ID: 6, ParentID: 1, Code: "MERGED", Level: LevelProvince, OpenedOn: day(2025, 7, 1)})
			m.Former = []Succession{{3, 6, day(2025, 7, 1)}, {4, 6, day(2025, 7, 1)}}
		}, wants: map[string]want{"training": {1800, []string{"BD=1000", "BRVT=800"}}}},
		{name: "chain of mergers", plan: 100, unit: 2, year: 2025, edit: func(m *MergerTargets) {
			// 7 went into BD in 2023, before BD's plan's end, after its start.
			m.Units = append(m.Units, OrgUnit{ID: 7, ParentID: 1, Code: "OLD", Level: LevelProvince, ClosedOn: day(2023, 1, 1)})
			m.Plans = append(m.Plans, Plan{ID: 400, UnitID: 7, Kind: FiveYearPlan, StartYear: 2021, EndYear: 2025, Targets: []Target{{"training", 50}}})
			m.Former = append(m.Former, Succession{7, 3, day(2023, 1, 1)})
		}, wants: map[string]want{"training": {11850, []string{"HCM=10000", "BD=1000", "BRVT=800", "OLD=50"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := mergerFixture()
			if c.edit != nil {
				c.edit(&m)
			}
			in := planByID(m.Plans, c.plan)
			before := slices.Clone(in.Targets)
			got, origins := m.Sum(in, c.unit, c.year)
			own := m.Units[slices.IndexFunc(m.Units, func(u OrgUnit) bool { return u.ID == c.unit })].Code
			if !slices.Equal(in.Targets, before) {
				t.Errorf("the plan given was changed: %v, was %v", in.Targets, before)
			}
			for metric, w := range c.wants {
				v, ok := got.TargetFor(c.unit, metric)
				if !ok {
					v = -1
				}
				if v != w.target {
					t.Errorf("%s: target %d, want %d", metric, v, w.target)
				}
				if g := partsText(origins[metric]); !slices.Equal(g, w.origins) {
					t.Errorf("%s: origins %v, want %v", metric, g, w.origins)
				}
				if summed := slices.ContainsFunc(w.origins, func(p string) bool { return p[0] != '(' && !strings.HasPrefix(p, own+"=") }); origins.Summed(metric) != summed {
					t.Errorf("%s: Summed %v, want %v", metric, origins.Summed(metric), summed)
				}
				// The parts not left out add up to the target.
				if len(w.origins) > 0 {
					var sum int64
					for _, p := range origins[metric] {
						if !p.LeftOut {
							sum += p.Value
						}
					}
					if sum != w.target {
						t.Errorf("%s: parts add up to %d, target %d", metric, sum, w.target)
					}
				}
			}
		})
	}
}

// A split part says why it is not added, in both languages.
func TestMergerTargetsSplitNote(t *testing.T) {
	m := mergerFixture()
	m.Units = append(m.Units, OrgUnit{ID: 5, ParentID: 1, Code: "NEW", Level: LevelProvince})
	m.Successions = append(m.Successions, Succession{3, 5, day(2025, 7, 1)})
	_, origins := m.Sum(planByID(m.Plans, 100), 2, 2025)
	var bd TargetPart
	for _, p := range origins["training"] {
		if p.Unit.ID == 3 {
			bd = p
		}
	}
	if !bd.LeftOut || bd.Note == "" || bd.English == "" {
		t.Fatalf("the split unit's part: %+v", bd)
	}
	if !origins.AnySummed() || origins.Summed("standards") {
		t.Errorf("BR-VT's target is summed, BD's standards are not: AnySummed %v, Summed(standards) %v", origins.AnySummed(), origins.Summed("standards"))
	}
}

// Without former units the plan comes back as it was and nothing is summed.
func TestMergerTargetsNothingFormer(t *testing.T) {
	m := mergerFixture()
	m.Former = nil
	in := planByID(m.Plans, 100)
	got, origins := m.Sum(in, 2, 2025)
	if origins != nil || origins.AnySummed() || !slices.Equal(got.Targets, in.Targets) {
		t.Errorf("nothing former: %v, %v", got.Targets, origins)
	}
}
