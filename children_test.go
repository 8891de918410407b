package nscl

import (
	"maps"
	"testing"
)

// The units a city's figures count are shown under its districts and
// departments: a unit under a department under it, a former district
// under the district it went into, a unit moved under another parent
// where the tree of the boundaries has it; the city's own work under the
// city. The Ministry's are shown under its provinces, a former province
// under the province that absorbed it.
func TestCountedByChild(t *testing.T) {
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
		{ID: 10, Code: "HCM-SKHCN-TT", ParentID: 7, Level: LevelUnit},
	}
	successions := []Succession{
		{PredecessorID: 3, SuccessorID: 2, On: merger},
		{PredecessorID: 4, SuccessorID: 7, On: merger},
		{PredecessorID: 5, SuccessorID: 6, On: merger},
	}
	moves := []ParentChange{{UnitID: 9, OldParentID: 8, NewParentID: 2, On: day(2024, 1, 1)}}
	for _, c := range []struct {
		name string
		unit int64
		b    Boundaries
		want map[int64]int64
	}{
		{"the city today", 2, Boundaries{}, map[int64]int64{2: 2, 3: 2, 4: 7, 5: 6, 6: 6, 7: 7, 9: 9, 10: 7}},
		{"the city at the end of 2022", 2, YearEnd(2022), map[int64]int64{2: 2, 5: 5, 7: 7, 10: 7}},
		{"the ministry today", 1, Boundaries{}, map[int64]int64{1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 8, 9: 2, 10: 2}},
		{"the ministry at the end of 2022", 1, YearEnd(2022), map[int64]int64{1: 1, 2: 2, 3: 3, 4: 3, 5: 2, 7: 2, 8: 8, 9: 8, 10: 2}},
		{"the city's own figures", 2, Boundaries{Own: true}, map[int64]int64{2: 2, 5: 5, 6: 6, 7: 7, 9: 9, 10: 7}},
	} {
		counted := CountedUnits(units, successions, moves, c.unit, c.b)
		if got := CountedByChild(units, successions, moves, c.unit, c.b, counted); !maps.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
