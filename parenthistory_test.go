package nscl

import (
	"testing"
	"time"
)

func TestValidateParentHistory(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	parents := map[int64]OrgUnit{
		1: {ID: 1, Code: "BO", Level: LevelMinistry},
		2: {ID: 2, Code: "X", Level: LevelProvince},
		3: {ID: 3, Code: "Y", Level: LevelProvince},
		4: {ID: 4, Code: "X-S", Level: LevelDepartment},
	}
	district := OrgUnit{ID: 9, Code: "X-D", Level: LevelDistrict, ParentID: 2}
	there := ParentChange{UnitID: 9, OldParentID: 2, NewParentID: 3, On: day(2023, 1, 1)}
	back := ParentChange{UnitID: 9, OldParentID: 3, NewParentID: 2, On: day(2024, 6, 1)}
	cases := []struct {
		name  string
		moves []ParentChange
		field string // "" when valid
	}{
		{"none", nil, ""},
		{"there and back", []ParentChange{there, back}, ""},
		{"under the ministry and back", []ParentChange{{OldParentID: 2, NewParentID: 1, On: day(2022, 1, 1)}, {OldParentID: 1, NewParentID: 2, On: day(2023, 1, 1)}}, ""},
		{"out of order", []ParentChange{there, {OldParentID: 3, NewParentID: 2, On: day(2022, 6, 1)}}, "on"},
		{"the same day twice", []ParentChange{there, {OldParentID: 3, NewParentID: 2, On: there.On}}, "on"},
		{"not from where the move before put it", []ParentChange{there, {OldParentID: 1, NewParentID: 2, On: back.On}}, "parent"},
		{"not ending under its parent now", []ParentChange{there}, "parent"},
		{"under a unit of its own level", []ParentChange{{OldParentID: 4, NewParentID: 2, On: there.On}}, "parent"},
		{"from a parent to the same", []ParentChange{{OldParentID: 2, NewParentID: 2, On: there.On}}, "parent"},
		{"to no parent", []ParentChange{{OldParentID: 2, NewParentID: 0, On: there.On}}, "parent"},
		{"an unknown parent", []ParentChange{{OldParentID: 7, NewParentID: 2, On: there.On}}, "parent"},
		{"before the unit opened", []ParentChange{{OldParentID: 3, NewParentID: 2, On: day(2019, 1, 1)}}, "on"},
		{"under a parent closed by then", []ParentChange{{OldParentID: 5, NewParentID: 2, On: day(2026, 1, 1)}}, "parent"},
	}
	// The district opened in 2020; province Z closed in 2025.
	district.OpenedOn = day(2020, 1, 1)
	parents[5] = OrgUnit{ID: 5, Code: "Z", Level: LevelProvince}
	parents[2] = OrgUnit{ID: 2, Code: "X", Level: LevelProvince, ClosedOn: day(2025, 7, 1)}
	for _, c := range cases {
		err := ValidateParentHistory(district, c.moves, parents)
		if c.field == "" && err != nil || c.field != "" && (ErrorCode(err) != EINVALID || ErrorField(err) != c.field) {
			t.Errorf("%s: %v, want a mistake in %q", c.name, err, c.field)
		}
	}
}
