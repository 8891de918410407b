package store

import (
	"testing"

	"nscl"
)

// A metric that begins with a later phase keeps its first year through
// the store, and a plan may not target it before then: refused, with the
// database as it was, whether the plan is new or edited.
func TestAMetricOfALaterPhase(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		const certified = "experts_certified"
		prog := &nscl.Programme{Code: "GD2", Name: "Chương trình có giai đoạn hai", StartYear: 2021, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo chuyên gia"}},
			Metrics: []nscl.Metric{
				{Code: "experts", Name: "Chuyên gia được đào tạo", Unit: "lượt chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
				{Code: certified, Name: "Chuyên gia được chứng nhận quốc tế", Unit: "chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a", FirstYear: 2026},
			}}
		unit := nscl.OrgUnit{Code: "DNG", Name: "Ủy ban nhân dân Thành phố Đà Nẵng", Level: nscl.LevelProvince}
		first := nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch 2021 – 2025",
			Targets: []nscl.Target{{Metric: "experts", Value: 40}}}
		err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateProgramme(ctx, prog); err != nil {
				return err
			}
			if err := tx.CreateUnit(ctx, &unit); err != nil {
				return err
			}
			first.UnitID = unit.ID
			return tx.CreatePlan(ctx, prog, &first)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ProgrammeByCode(ctx, "GD2")
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := got.Metric(certified); m.FirstYear != 2026 {
			t.Errorf("first year read back as %d", m.FirstYear)
		}
		if m, _ := got.Metric("experts"); m.FirstYear != 0 {
			t.Errorf("a metric from the start read back with first year %d", m.FirstYear)
		}

		before := dumpDB(t, s)
		early := nscl.Plan{UnitID: unit.ID, Kind: nscl.AnnualPlan, StartYear: 2025, EndYear: 2025, Name: "Kế hoạch năm 2025",
			Targets: []nscl.Target{{Metric: certified, Value: 5}}}
		err = s.Update(ctx, func(tx *Tx) error { return tx.CreatePlan(ctx, got, &early) })
		wantError(t, err, nscl.EINVALID, "targets."+certified)
		wantUnchanged(t, s, before)

		edited := first
		edited.Targets = append(edited.Targets, nscl.Target{Metric: certified, Value: 10})
		err = s.Update(ctx, func(tx *Tx) error { return tx.UpdatePlan(ctx, got, &edited) })
		wantError(t, err, nscl.EINVALID, "targets."+certified)
		wantUnchanged(t, s, before)

		// From its first year on, a plan may target it.
		second := nscl.Plan{UnitID: unit.ID, Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030, Name: "Kế hoạch 2026 – 2030",
			Targets: []nscl.Target{{Metric: certified, Value: 10}}}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreatePlan(ctx, got, &second) }); err != nil {
			t.Fatalf("a 2026–2030 plan targeting it: %v", err)
		}
	})
}
