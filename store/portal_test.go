package store

import (
	"context"
	"testing"

	"nscl"
)

// A programme that is not the demo's: the portal counts in its own codes,
// and a code it lacks is refused by field, leaving what was set.
func TestPortalCountingOfAnotherProgramme(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		prog := nscl.Programme{Code: "P2", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Truyền thông"}, {Letter: "b", Name: "Đào tạo"}},
			Metrics: []nscl.Metric{
				{Code: "tin", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a", Unit: "tin", Name: "Tin"},
				{Code: "hv", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "người", Name: "Học viên"},
				{Code: "pt", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "b", Unit: "phòng", Name: "Phòng thử nghiệm"},
			}}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreateProgramme(ctx, &prog) }); err != nil {
			t.Fatal(err)
		}
		if pc, err := st.PortalCounting(ctx, &prog); err != nil || pc != (nscl.PortalCounting{}) {
			t.Fatalf("unset counting = %+v, %v; want zero", pc, err)
		}
		want := nscl.PortalCounting{CommunicationGroup: "a", ArticleMetric: "tin", ClassTraineesMetric: "hv"}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.SetPortalCounting(ctx, &prog, want) }); err != nil {
			t.Fatal(err)
		}
		for field, bad := range map[string]nscl.PortalCounting{
			"communication_group":      {CommunicationGroup: "z"},
			"video_metric":             {VideoMetric: "videos"},
			"class_enterprises_metric": {ClassEnterprisesMetric: "pt"},
		} {
			err := st.Update(ctx, func(tx *Tx) error { return tx.SetPortalCounting(ctx, &prog, bad) })
			if e, ok := err.(*nscl.Error); !ok || e.Code != nscl.EINVALID || e.Field != field {
				t.Errorf("setting %+v: %v, want EINVALID on %s", bad, err, field)
			}
		}
		if pc, err := st.PortalCounting(ctx, &prog); err != nil || pc != want {
			t.Fatalf("counting = %+v, %v; want %+v", pc, err, want)
		}
	})
}
