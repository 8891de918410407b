package nscl

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The kind follows from the shape of a day's successions.
func TestSuccessionKinds(t *testing.T) {
	merger, later := day(2025, 7, 1), day(2026, 1, 1)
	all := []Succession{
		{PredecessorID: 1, SuccessorID: 3, On: merger}, {PredecessorID: 2, SuccessorID: 3, On: merger}, // 1, 2 → 3
		{PredecessorID: 4, SuccessorID: 5, On: merger}, {PredecessorID: 4, SuccessorID: 6, On: merger}, // 4 → 5, 6
		{PredecessorID: 7, SuccessorID: 8, On: merger}, // 7 → 8
		{PredecessorID: 9, SuccessorID: 8, On: later},  // 9 → 8 another day: a renaming of its own
	}
	for i, want := range []SuccessionKind{KindMerge, KindMerge, KindSplit, KindSplit, KindRename, KindRename} {
		if got := KindOf(all, all[i]); got != want {
			t.Errorf("%+v: %s, want %s", all[i], got, want)
		}
	}
}

// Predecessors follow chains through merges and splits, and stop at loops.
func TestPredecessorsTransitive(t *testing.T) {
	d := day(2020, 1, 1)
	all := []Succession{
		{PredecessorID: 10, SuccessorID: 20, On: d}, {PredecessorID: 11, SuccessorID: 20, On: d},
		{PredecessorID: 20, SuccessorID: 30, On: d.AddDate(1, 0, 0)}, {PredecessorID: 20, SuccessorID: 31, On: d.AddDate(1, 0, 0)},
		{PredecessorID: 30, SuccessorID: 40, On: d.AddDate(2, 0, 0)}, {PredecessorID: 99, SuccessorID: 40, On: d.AddDate(2, 0, 0)},
	}
	got := Predecessors(all, 40)
	slices.Sort(got)
	if want := []int64{10, 11, 20, 30, 99}; !slices.Equal(got, want) {
		t.Errorf("predecessors of 40: %v, want %v", got, want)
	}
	if got := Predecessors(all, 31); len(got) != 3 || got[0] != 20 {
		t.Errorf("predecessors of 31: %v, want 20 first then 10 and 11", got)
	}
	if got := Predecessors(all, 10); len(got) != 0 {
		t.Errorf("10 has no predecessors, got %v", got)
	}
	loop := append(slices.Clone(all), Succession{PredecessorID: 40, SuccessorID: 10, On: d})
	if got := Predecessors(loop, 40); len(got) != 5 || slices.Contains(got, 40) {
		t.Errorf("a loop must end where it comes back: %v", got)
	}
}

func TestValidateSuccession(t *testing.T) {
	merger := day(2025, 7, 1)
	bd := OrgUnit{ID: 1, Code: "BD", Level: LevelProvince}
	hcm := OrgUnit{ID: 2, Code: "HCM", Level: LevelProvince}
	closed := OrgUnit{ID: 3, Code: "OLD", Level: LevelProvince, ClosedOn: day(2024, 1, 1)}
	late := OrgUnit{ID: 4, Code: "NEW", Level: LevelProvince, OpenedOn: day(2026, 1, 1)}
	if err := ValidateSuccession(bd, []OrgUnit{hcm}, merger, nil); err != nil {
		t.Fatalf("a merger into an open unit: %v", err)
	}
	closedThatDay := OrgUnit{ID: 6, Code: "Q1", Level: LevelDistrict, ClosedOn: merger}
	if err := ValidateSuccession(closedThatDay, []OrgUnit{hcm}, merger, nil); err != nil {
		t.Fatalf("successors of a unit closed that day: %v", err)
	}
	for _, c := range []struct {
		name       string
		unit       OrgUnit
		successors []OrgUnit
		onFile     []Succession
		field      string
	}{
		{"none", bd, nil, nil, "successor"},
		{"itself", bd, []OrgUnit{bd}, nil, "successor"},
		{"closed successor", bd, []OrgUnit{closed}, nil, "successor"},
		{"successor not yet open", bd, []OrgUnit{late}, nil, "successor"},
		{"loop", bd, []OrgUnit{hcm}, []Succession{{PredecessorID: 2, SuccessorID: 1, On: day(2020, 1, 1)}}, "successor"},
		{"already closed", closed, []OrgUnit{hcm}, nil, "on"},
		{"closed another day", closedThatDay, []OrgUnit{hcm}, nil, ""},
		{"already on file", bd, []OrgUnit{hcm}, []Succession{{PredecessorID: 1, SuccessorID: 2, On: merger}}, "successor"},
		{"before opening", OrgUnit{ID: 5, Code: "X", Level: LevelProvince, OpenedOn: merger}, []OrgUnit{hcm}, nil, "on"},
	} {
		on := merger
		if c.field == "" { // the same unit, another day
			on, c.field = merger.AddDate(0, 0, 1), "on"
		}
		err := ValidateSuccession(c.unit, c.successors, on, c.onFile)
		if !ErrorList(err).Has(c.field) {
			t.Errorf("%s: %v, want a mistake on %s", c.name, err, c.field)
		}
	}
}

func TestValidateMove(t *testing.T) {
	d := day(2024, 3, 1)
	prov := OrgUnit{ID: 1, Code: "P", Level: LevelProvince}
	other := OrgUnit{ID: 2, Code: "P2", Level: LevelProvince}
	dist := OrgUnit{ID: 3, ParentID: 1, Code: "D", Level: LevelDistrict}
	unit := OrgUnit{ID: 4, ParentID: 3, Code: "U", Level: LevelUnit}
	shut := OrgUnit{ID: 5, Code: "P3", Level: LevelProvince, ClosedOn: day(2023, 1, 1)}
	if err := ValidateMove(dist, other, nil, d, time.Time{}); err != nil {
		t.Fatalf("a district to another province: %v", err)
	}
	for _, c := range []struct {
		name         string
		unit, parent OrgUnit
		ancestors    []int64
		lastMove     time.Time
		field        string
	}{
		{"under itself", dist, dist, []int64{1}, time.Time{}, "parent"},
		{"under its own child", OrgUnit{ID: 3, ParentID: 1, Code: "D", Level: LevelDepartment}, unit, []int64{3, 1}, time.Time{}, "parent"},
		{"same parent", dist, prov, nil, time.Time{}, "parent"},
		{"level not above", dist, OrgUnit{ID: 6, ParentID: 1, Code: "D2", Level: LevelDistrict}, []int64{1}, time.Time{}, "parent"},
		{"closed parent", dist, shut, nil, time.Time{}, "parent"},
		{"not after last move", dist, other, nil, d, "on"},
		{"unit closed", OrgUnit{ID: 7, ParentID: 1, Code: "D3", Level: LevelDistrict, ClosedOn: d}, other, nil, time.Time{}, "on"},
	} {
		err := ValidateMove(c.unit, c.parent, c.ancestors, d, c.lastMove)
		if !ErrorList(err).Has(c.field) {
			t.Errorf("%s: %v, want a mistake on %s", c.name, err, c.field)
		}
	}
}

// Random trees moved at random: the tree drawn back for any day is the one
// that stood that day.
func TestTreeOnDrawsThePast(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2025))
	for round := 0; round < 50; round++ {
		var units []OrgUnit
		for i := range 4 + rng.IntN(4) {
			units = append(units, OrgUnit{ID: int64(i + 1), Code: "P", Level: LevelProvince})
		}
		provinces := len(units)
		for i := range 10 + rng.IntN(10) {
			units = append(units, OrgUnit{ID: int64(provinces + i + 1), ParentID: int64(1 + rng.IntN(provinces)), Code: "D", Level: LevelDistrict})
		}
		parentsOf := func() map[int64]int64 {
			m := map[int64]int64{}
			for _, u := range units {
				m[u.ID] = u.ParentID
			}
			return m
		}
		start := day(2021, 1, 1)
		snapshots := []map[int64]int64{parentsOf()} // snapshots[k] stands from day start+k months
		var moves []ParentChange
		for k := 1; k <= 24; k++ {
			on := start.AddDate(0, k, 0)
			for range rng.IntN(3) {
				i := provinces + rng.IntN(len(units)-provinces)
				to := int64(1 + rng.IntN(provinces))
				if to == units[i].ParentID {
					continue
				}
				if err := ValidateMove(units[i], units[to-1], nil, on, lastMoveOf(moves, units[i].ID)); err != nil {
					continue // moved already this month
				}
				moves = append(moves, ParentChange{UnitID: units[i].ID, OldParentID: units[i].ParentID, NewParentID: to, On: on})
				units[i].ParentID = to
			}
			snapshots = append(snapshots, parentsOf())
		}
		rng.Shuffle(len(moves), func(i, j int) { moves[i], moves[j] = moves[j], moves[i] })
		for k, want := range snapshots {
			for _, d := range []time.Time{start.AddDate(0, k, 0), start.AddDate(0, k+1, -1)} {
				for _, u := range TreeOn(units, moves, d) {
					if u.ParentID != want[u.ID] {
						t.Fatalf("round %d, %s: unit %d under %d, want %d", round, d.Format("02/01/2006"), u.ID, u.ParentID, want[u.ID])
					}
				}
			}
		}
	}
}

func lastMoveOf(moves []ParentChange, unit int64) time.Time {
	var last time.Time
	for _, m := range moves {
		if m.UnitID == unit && m.On.After(last) {
			last = m.On
		}
	}
	return last
}

// TreeOn leaves out the units not open that day.
func TestTreeOnOnlyOpenUnits(t *testing.T) {
	units := []OrgUnit{{ID: 1, Code: "A", Level: LevelProvince, ClosedOn: day(2025, 7, 1)}, {ID: 2, Code: "B", Level: LevelProvince, OpenedOn: day(2025, 7, 1)}}
	if got := TreeOn(units, nil, day(2025, 6, 30)); len(got) != 1 || got[0].ID != 1 {
		t.Errorf("30/06/2025: %v", got)
	}
	if got := TreeOn(units, nil, day(2025, 7, 1)); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("01/07/2025: %v", got)
	}
}

// The merged city counts the provinces it absorbed and their units, a
// district closed into one of its own wards once, and names only the
// provinces as former units; the tree of an earlier day counts neither
// the successions made after it nor a later move.
func TestCountedUnits(t *testing.T) {
	merger := day(2025, 7, 1)
	units := []OrgUnit{
		{ID: 1, Code: "BKHCN", Level: LevelMinistry},
		{ID: 2, Code: "HCM", ParentID: 1, Level: LevelProvince},
		{ID: 3, Code: "BD", ParentID: 1, Level: LevelProvince, ClosedOn: merger},
		{ID: 4, Code: "BD-SKHCN", ParentID: 3, Level: LevelDepartment, ClosedOn: merger},
		{ID: 5, Code: "HCM-Q1", ParentID: 2, Level: LevelDistrict, ClosedOn: merger},
		{ID: 6, Code: "HCM-SAIGON", ParentID: 2, Level: LevelDistrict, OpenedOn: merger},
		{ID: 7, Code: "HCM-SKHCN", ParentID: 2, Level: LevelDepartment},
		{ID: 8, Code: "DN", ParentID: 1, Level: LevelProvince},
		{ID: 9, Code: "MOVED", ParentID: 2, Level: LevelUnit}, // under DN until 2024
	}
	successions := []Succession{
		{PredecessorID: 3, SuccessorID: 2, On: merger},
		{PredecessorID: 4, SuccessorID: 7, On: merger},
		{PredecessorID: 5, SuccessorID: 6, On: merger},
	}
	moves := []ParentChange{{UnitID: 9, OldParentID: 8, NewParentID: 2, On: day(2024, 1, 1)}}
	sorted := func(c Counted) []int64 { ids := slices.Clone(c.UnitIDs); slices.Sort(ids); return ids }

	now := CountedUnits(units, successions, moves, 2, Boundaries{})
	if got, want := sorted(now), []int64{2, 3, 4, 5, 6, 7, 9}; !slices.Equal(got, want) {
		t.Errorf("today: %v, want %v", got, want)
	}
	if len(now.Former) != 1 || now.Former[0].PredecessorID != 3 {
		t.Errorf("today's former units: %+v, want Bình Dương only", now.Former)
	}
	if got, want := sorted(CountedUnits(units, successions, moves, 2, YearEnd(2022))), []int64{2, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("end of 2022: %v, want %v", got, want)
	}
	if got, want := sorted(CountedUnits(units, successions, moves, 8, YearEnd(2022))), []int64{8, 9}; !slices.Equal(got, want) {
		t.Errorf("Đà Nẵng at the end of 2022, before the move: %v, want %v", got, want)
	}
	if got, want := sorted(CountedUnits(units, successions, moves, 8, Boundaries{})), []int64{8}; !slices.Equal(got, want) {
		t.Errorf("Đà Nẵng today: %v, want %v", got, want)
	}
	if got := sorted(CountedUnits(units, successions, moves, 1, Boundaries{})); len(got) != len(units) {
		t.Errorf("the ministry counts each unit once: %v", got)
	}
}

// A district of a province met through a succession of its own before
// the province itself is part of the province: only the province is named.
func TestCountedUnitsNamesTheTopFormerUnit(t *testing.T) {
	merger := day(2025, 7, 1)
	units := []OrgUnit{
		{ID: 1, Code: "R", Level: LevelProvince},
		{ID: 2, Code: "X", ParentID: 1, Level: LevelDepartment},
		{ID: 3, Code: "Y", ParentID: 1, Level: LevelDepartment},
		{ID: 4, Code: "Q", Level: LevelProvince, ClosedOn: merger},
		{ID: 5, Code: "P", ParentID: 4, Level: LevelDepartment, ClosedOn: merger},
	}
	successions := []Succession{{PredecessorID: 5, SuccessorID: 2, On: merger}, {PredecessorID: 4, SuccessorID: 3, On: merger}}
	c := CountedUnits(units, successions, nil, 1, Boundaries{})
	if len(c.UnitIDs) != 5 {
		t.Errorf("counted %v, want every unit once", c.UnitIDs)
	}
	if len(c.Former) != 1 || c.Former[0].PredecessorID != 4 {
		t.Errorf("former %+v, want Q alone", c.Former)
	}
}

func TestParseBoundaries(t *testing.T) {
	for in, want := range map[string]Boundaries{"": YearEnd(2022), "year-end": YearEnd(2022), "current": {}, "as-of=30/06/2025": {AsOf: day(2025, 6, 30)}, "30/06/2025": {AsOf: day(2025, 6, 30)}} {
		got, err := ParseBoundaries(in, 2022)
		if err != nil || !got.AsOf.Equal(want.AsOf) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseBoundaries("as-of=2025", 2022); ErrorField(err) != "boundaries" {
		t.Errorf("a bad date must name the field: %v", err)
	}
}
