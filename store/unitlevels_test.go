package store

import (
	"slices"
	"testing"
)

// A level of the tree is read a page at a time in the order of codes,
// each unit with the units under it counted; a subtree is the unit and
// everything under it, and the first units are read up to a limit.
func TestUnitLevels(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		roots, err := s.UnitChildren(ctx, 0, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(roots) != 1 || roots[0].ID != f.ministry.ID || roots[0].Below != 5 {
			t.Errorf("roots: %+v, want the ministry with 5 units under it", roots)
		}
		// The province's children by code: HCM-Q1, HCM-SKHCN, HCM-THUDUC.
		first, err := s.UnitChildren(ctx, f.province.ID, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		rest, err := s.UnitChildren(ctx, f.province.ID, first[len(first)-1].Code, 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var below []int64
		for _, c := range append(first, rest...) {
			got = append(got, c.Code)
			below = append(below, c.Below)
		}
		if want := []string{"HCM-Q1", "HCM-SKHCN", "HCM-THUDUC"}; !slices.Equal(got, want) || !slices.Equal(below, []int64{0, 1, 0}) {
			t.Errorf("the province's children over two pages: %v %v, want %v with 0, 1, 0 under them", got, below, want)
		}
		under, err := s.UnitsUnder(ctx, f.department.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(under) != 2 || under[0].ID != f.department.ID || under[1].ID != f.implementer.ID {
			t.Errorf("under the department: %+v", under)
		}
		if _, err := s.UnitsUnder(ctx, 99999); err == nil {
			t.Error("the units under no unit: no error")
		}
		few, err := s.UnitsUpTo(ctx, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(few) != 4 || few[0].ID != f.ministry.ID {
			t.Errorf("the first 4 units: %+v", few)
		}
	})
}
