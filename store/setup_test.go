package store

import (
	"reflect"
	"strings"
	"testing"

	"nscl"
)

func TestUpdatePlanAndUnit(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		p := f.plan
		p.Targets = []nscl.Target{{Metric: mTraining, Value: 12000}}
		p.Name = "Kế hoạch điều chỉnh"
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &p) }); err != nil {
			t.Fatal(err)
		}
		plans, _ := s.Plans(ctx, f.prog)
		if got := plans[0]; got.Name != "Kế hoạch điều chỉnh" || len(got.Targets) != 1 || got.Targets[0].Value != 12000 || got.Version != 2 {
			t.Errorf("after the update: %+v", got)
		}
		stale := f.plan // still version 1
		stale.Targets = []nscl.Target{{Metric: mTraining, Value: 1}}
		before := dumpDB(t, s)
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &stale) }), nscl.ECONFLICT, "version")
		bad := plans[0]
		bad.Targets = []nscl.Target{{Metric: mTrainees, Value: 5}}
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &bad) }), nscl.EINVALID, "targets."+mTrainees)
		wantUnchanged(t, s, before)

		u := f.district1
		u.ClosedOn = day("2025-03-01")
		u.Name = "Ủy ban nhân dân Quận 1 (cũ)"
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdateUnit(ctx, &u) }); err != nil {
			t.Fatal(err)
		}
		got, _ := s.UnitByID(ctx, u.ID)
		if got.Name != u.Name || !got.ClosedOn.Equal(day("2025-03-01")) || got.Version != 2 || got.Code != f.district1.Code {
			t.Errorf("after the unit update: %+v", got)
		}
		staleUnit := f.district1
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.UpdateUnit(ctx, &staleUnit) }), nscl.ECONFLICT, "version")
	})
}

// TestPlanAllotments: a plan's targets are allotted to units under its
// unit, stored with the plan, read back, changed with it, and refused with
// the allotment named when they go to a unit elsewhere in the tree.
func TestPlanAllotments(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		p := f.plan
		p.Allotments = []nscl.Allotment{
			{UnitID: f.district1.ID, Metric: mTraining, Value: 1500},
			{UnitID: f.implementer.ID, Metric: mTraining, Value: 700}, // two levels down
			{UnitID: f.district1.ID, Metric: mExperts, Value: 20},
		}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &p) }); err != nil {
			t.Fatal(err)
		}
		plans, err := s.Plans(ctx, f.prog)
		if err != nil {
			t.Fatal(err)
		}
		got := plans[0]
		if v, ok := got.TargetFor(f.district1.ID, mTraining); !ok || v != 1500 || len(got.Allotments) != 3 || got.Allotted(mTraining) != 2200 {
			t.Errorf("read back: %+v", got.Allotments)
		}
		if _, ok := got.TargetFor(f.district2.ID, mTraining); ok {
			t.Error("district 2 has no allotment")
		}

		// Refusals name the allotment and change nothing.
		before := dumpDB(t, s)
		for _, c := range []struct {
			name  string
			a     nscl.Allotment
			field string
		}{
			{"a unit above the plan's", nscl.Allotment{UnitID: f.ministry.ID, Metric: mTraining, Value: 1}, nscl.AllotmentField(f.ministry.ID, mTraining)},
			{"the plan's own unit", nscl.Allotment{UnitID: f.province.ID, Metric: mTraining, Value: 1}, nscl.AllotmentField(f.province.ID, mTraining)},
			{"a measure", nscl.Allotment{UnitID: f.district2.ID, Metric: mTrainees, Value: 1}, nscl.AllotmentField(f.district2.ID, mTrainees)},
		} {
			bad := got
			bad.Allotments = append([]nscl.Allotment{c.a}, got.Allotments...)
			wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &bad) }), nscl.EINVALID, c.field)
		}
		wantUnchanged(t, s, before)

		// The form sends them all: one left out is taken away.
		got.Allotments = got.Allotments[:1]
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &got) }); err != nil {
			t.Fatal(err)
		}
		if plans, _ = s.Plans(ctx, f.prog); len(plans[0].Allotments) != 1 || plans[0].Allotted(mTraining) != plans[0].Allotments[0].Value {
			t.Errorf("after taking two away: %+v", plans[0].Allotments)
		}

		// A plan of a district allots nothing to the province above it.
		district := nscl.Plan{UnitID: f.district1.ID, Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023, Name: "Kế hoạch năm 2023 của Quận 1",
			Targets:    []nscl.Target{{Metric: mTraining, Value: 300}},
			Allotments: []nscl.Allotment{{UnitID: f.district2.ID, Metric: mTraining, Value: 10}}}
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.CreatePlan(ctx, f.prog, &district) }), nscl.EINVALID, nscl.AllotmentField(f.district2.ID, mTraining))
	})
}

// UnitsByID reads the units asked for, each once and in ID order, leaving
// out an ID no unit has; none asked reads nothing.
func TestUnitsByID(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		got, err := s.UnitsByID(t.Context(), []int64{f.district2.ID, f.district1.ID, f.district2.ID, f.district1.ID + 1_000_000})
		if err != nil {
			t.Fatal(err)
		}
		want := []nscl.OrgUnit{f.district1, f.district2}
		if f.district2.ID < f.district1.ID {
			want = []nscl.OrgUnit{f.district2, f.district1}
		}
		if len(got) != 2 || got[0].ID != want[0].ID || got[1].ID != want[1].ID || got[0].Name != want[0].Name {
			t.Errorf("UnitsByID = %+v, want %s and %s", got, want[0].Code, want[1].Code)
		}
		if none, err := s.UnitsByID(t.Context(), nil); err != nil || none != nil {
			t.Errorf("no IDs: %v %v", none, err)
		}
	})
}

// A unit is named by code or by the names people use for it; a name that
// fits none is refused with the nearest ones.
func TestUnitNamed(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		for text, want := range map[string]nscl.OrgUnit{
			"HCM-Q1":            f.district1,
			"Quận 1":            f.district1,
			"quan 1":            f.district1,
			"UBND Quận 1":       f.district1,
			"Thành phố Thủ Đức": f.district2,
		} {
			got, err := s.UnitNamed(t.Context(), text)
			if err != nil || got.ID != want.ID {
				t.Errorf("UnitNamed(%q) = %s, %v; want %s", text, got.Code, err, want.Code)
			}
		}
		_, err := s.UnitNamed(t.Context(), "Quận 11")
		if nscl.ErrorCode(err) != nscl.ENOTFOUND || !strings.Contains(err.Error(), "(HCM-Q1)") {
			t.Errorf("an unknown name: %v; want not found with Quận 1 suggested", err)
		}
		_, err = s.UnitNamed(t.Context(), "Sở Ngoại vụ Cà Mau")
		if nscl.ErrorCode(err) != nscl.ENOTFOUND || strings.Contains(err.Error(), "có phải") {
			t.Errorf("a name near none: %v; want not found without suggestions", err)
		}
	})
}

// The plans, kept from one read to the next, follow every plan written by
// this store or by another process on the same database, and a caller's
// copy of them is its own.
func TestPlansFollowChanges(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		s, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, s)
		want := func(st *Store, what string) []nscl.Plan {
			t.Helper()
			got, err := st.Plans(ctx, f.prog)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := plansOf(ctx, st.reader(), f.prog)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, fresh) {
				t.Fatalf("%s: kept plans %+v, read afresh %+v", what, got, fresh)
			}
			return got
		}
		first := want(s, "first read")
		if len(first) != 1 || first[0].Targets[0].Value != 10000 {
			t.Fatalf("first read: %+v", first)
		}
		first[0].Targets[0].Value, first[0].Name = 1, "changed by the caller"
		kept := want(s, "after a caller changed the copy it read")
		kept[0].Targets[0].Value, kept[0].Name = 1, "changed by the caller"
		want(s, "after a caller changed the copy it was given from what was kept")

		changed := f.plan
		changed.Targets = []nscl.Target{{Metric: mTraining, Value: 12000}}
		changed.Allotments = []nscl.Allotment{{UnitID: f.district1.ID, Metric: mTraining, Value: 1500}}
		if err := other.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, f.prog, &changed) }); err != nil {
			t.Fatal(err)
		}
		if got := want(s, "after another process changed the plan"); got[0].Targets[0].Value != 12000 || len(got[0].Allotments) != 1 {
			t.Errorf("after another process changed the plan: %+v", got[0])
		}
		annual := nscl.Plan{UnitID: f.province.ID, Kind: nscl.AnnualPlan, StartYear: 2024, EndYear: 2024, Name: "Kế hoạch năm 2024",
			Targets: []nscl.Target{{Metric: mTraining, Value: 2000}}}
		if err := other.Update(ctx, func(tx *Tx) error { return tx.CreatePlan(ctx, f.prog, &annual) }); err != nil {
			t.Fatal(err)
		}
		if got := want(s, "after another process added a plan"); len(got) != 2 {
			t.Errorf("after another process added a plan: %d plans", len(got))
		}
	})
}
