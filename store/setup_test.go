package store

import (
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
