package store

import (
	"testing"

	"nscl"
)

// addProvince adds an open province under the fixture's ministry.
func addProvince(t *testing.T, s *Store, f *fixture, code, name string) nscl.OrgUnit {
	t.Helper()
	u := nscl.OrgUnit{ParentID: f.ministry.ID, Code: code, Name: name, Level: nscl.LevelProvince}
	if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateUnit(t.Context(), &u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

// Two provinces merge into the city; a department splits in two. The
// successions read back with their kinds, and refusals change nothing.
func TestCloseUnitInto(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		bd := addProvince(t, s, f, "BD", "Ủy ban nhân dân tỉnh Bình Dương")
		vt := addProvince(t, s, f, "BRVT", "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu")
		const merger = "2025-07-01"
		before := dumpDB(t, s)
		for _, c := range []struct {
			name, code string
			successors []string
			code2      string
			field      string
		}{
			{"unknown successor", "BD", []string{"HCM", "NOPE"}, nscl.EINVALID, "successor"},
			{"no successor", "BD", []string{" "}, nscl.EINVALID, "successor"},
			{"itself", "BD", []string{"BD"}, nscl.EINVALID, "successor"},
			{"closed successor", "BD", []string{"HCM-Q1"}, nscl.EINVALID, "successor"},
			{"closed another day", "HCM-Q1", []string{"HCM"}, nscl.ECONFLICT, "on"},
		} {
			on := merger
			if c.name == "closed another day" {
				on = "2025-06-01"
			}
			_, err := closeInto(s, t, c.code, on, c.successors...)
			t.Run(c.name, func(t *testing.T) { wantError(t, err, c.code2, c.field) })
		}
		wantUnchanged(t, s, before)

		for _, code := range []string{"BD", "BRVT"} {
			u, err := closeInto(s, t, code, merger, "HCM", " HCM ")
			if err != nil || !u.ClosedOn.Equal(day(merger)) {
				t.Fatalf("closing %s: %v, %+v", code, err, u)
			}
		}
		// A district closed on the day before successions were kept is
		// given its successor, and stays as it was.
		if q1, err := closeInto(s, t, "HCM-Q1", merger, "HCM"); err != nil || q1.Version != 1 || !q1.ClosedOn.Equal(day(merger)) {
			t.Fatalf("successor of a closed district: %v, %+v", err, q1)
		}
		_, err := closeInto(s, t, "HCM-Q1", merger, "HCM")
		wantError(t, err, nscl.EINVALID, "successor")
		// A later split of the city's department into two new ones.
		a := nscl.OrgUnit{ParentID: f.province.ID, Code: "HCM-SO-A", Name: "Sở mới A", Level: nscl.LevelDepartment, OpenedOn: day("2025-03-01")}
		b := a
		b.Code, b.Name = "HCM-SO-B", "Sở mới B"
		if err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateUnit(ctx, &a); err != nil {
				return err
			}
			return tx.CreateUnit(ctx, &b)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := closeInto(s, t, "HCM-SKHCN", "2025-03-01", "HCM-SO-A", "HCM-SO-B"); err != nil {
			t.Fatal(err)
		}
		// The city cannot close back into Bình Dương: it is closed, and the
		// chain would loop.
		_, err = closeInto(s, t, "HCM", "2026-01-01", "BD")
		wantError(t, err, nscl.EINVALID, "successor")

		all, err := s.Successions(ctx)
		if err != nil || len(all) != 5 {
			t.Fatalf("successions: %v, %+v", err, all)
		}
		kinds := map[int64]nscl.SuccessionKind{}
		for _, x := range all {
			kinds[x.PredecessorID] = nscl.KindOf(all, x)
		}
		if kinds[bd.ID] != nscl.KindMerge || kinds[vt.ID] != nscl.KindMerge || kinds[f.department.ID] != nscl.KindSplit {
			t.Errorf("kinds: %v", kinds)
		}
		if got := nscl.Predecessors(all, f.province.ID); len(got) != 3 {
			t.Errorf("the city's predecessors: %v, want Bình Dương, Bà Rịa – Vũng Tàu and Quận 1", got)
		}
		mine, err := s.UnitSuccessions(ctx, f.province.ID)
		if err != nil || len(mine) != 3 || mine[0].SuccessorID != f.province.ID || !mine[0].On.Equal(day(merger)) {
			t.Errorf("the city's successions: %v, %+v", err, mine)
		}
		closed, _ := s.UnitByCode(ctx, "BD")
		if !closed.ClosedOn.Equal(day(merger)) || closed.Version != 2 {
			t.Errorf("Bình Dương after closing: %+v", closed)
		}
	})
}

func closeInto(s *Store, t *testing.T, code, on string, successors ...string) (nscl.OrgUnit, error) {
	var u nscl.OrgUnit
	err := s.Update(t.Context(), func(tx *Tx) error {
		var err error
		u, err = tx.CloseUnitInto(t.Context(), code, day(on), successors)
		return err
	})
	return u, err
}

// A district with activities moves to another province: its past counts
// under the new province in today's tree and no more under the old one,
// the kept totals still match the activities, and the old tree is drawn
// again from the history.
func TestMoveUnitKeepsTotalsRight(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		other := addProvince(t, s, f, "LA", "Ủy ban nhân dân tỉnh Long An")
		if err := s.Update(ctx, func(tx *Tx) error {
			for _, a := range []*nscl.Activity{
				activity(f.district1, "2023-04-10", qty(mTraining, 17), qty(mTrainees, 31)),
				activity(f.district1, "2024-05-02", qty(mTraining, 5), qty(mTrainees, 9)),
				activity(f.department, "2023-06-01", qty(mTraining, 100), qty(mTrainees, 200)),
			} {
				if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		before := dumpDB(t, s)
		for _, c := range []struct {
			name, code, parent, on, field string
		}{
			{"under its own child", "HCM-SKHCN", "HCM-SKHCN-CCTDC", "2024-01-01", "parent"},
			{"same parent", "HCM-Q1", "HCM", "2024-01-01", "parent"},
			{"level not above", "HCM-Q1", "HCM-THUDUC", "2024-01-01", "parent"},
			{"unknown parent", "HCM-Q1", "NOPE", "2024-01-01", "parent"},
			{"after closing", "HCM-Q1", "LA", "2025-07-01", "on"},
		} {
			_, err := move(s, t, c.code, c.parent, c.on)
			t.Run(c.name, func(t *testing.T) { wantError(t, err, nscl.EINVALID, c.field) })
		}
		wantUnchanged(t, s, before)

		moved, err := move(s, t, "HCM-Q1", "LA", "2024-01-01")
		if err != nil || moved.ParentID != other.ID {
			t.Fatalf("move: %v, %+v", err, moved)
		}
		_, err = move(s, t, "HCM-Q1", "HCM", "2023-12-31")
		wantError(t, err, nscl.EINVALID, "on")

		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("check after the move: %v, %v", err, diffs)
		}
		city, _ := s.Figures(ctx, f.prog, f.province.ID, 2021, 2024)
		la, _ := s.Figures(ctx, f.prog, other.ID, 2021, 2024)
		if got := city[mTraining].Cumulative; got != 100 {
			t.Errorf("the city's cumulative training after the move: %d, want the department's 100 only", got)
		}
		if got := la[mTraining].Cumulative; got != 22 {
			t.Errorf("Long An's cumulative training: %d, want the district's 17 + 5", got)
		}
		if got := la[mTrainees].YearValue; got != 9 {
			t.Errorf("Long An's 2024 trainees: %d, want 9", got)
		}

		units, _ := s.Units(ctx)
		moves, err := s.ParentChanges(ctx)
		if err != nil || len(moves) != 1 || moves[0].OldParentID != f.province.ID || moves[0].NewParentID != other.ID {
			t.Fatalf("moves: %v, %+v", err, moves)
		}
		if mine, _ := s.UnitParentChanges(ctx, f.district1.ID); len(mine) != 1 {
			t.Errorf("the district's moves: %+v", mine)
		}
		for _, c := range []struct {
			on   string
			want int64
		}{{"2023-12-31", f.province.ID}, {"2024-01-01", other.ID}} {
			for _, u := range nscl.TreeOn(units, moves, day(c.on)) {
				if u.ID == f.district1.ID && u.ParentID != c.want {
					t.Errorf("on %s the district is under %d, want %d", c.on, u.ParentID, c.want)
				}
			}
		}
	})
}

func move(s *Store, t *testing.T, code, parent, on string) (nscl.OrgUnit, error) {
	var u nscl.OrgUnit
	err := s.Update(t.Context(), func(tx *Tx) error {
		var err error
		u, err = tx.MoveUnit(t.Context(), code, parent, day(on))
		return err
	})
	return u, err
}
