package report

import (
	"context"
	"path/filepath"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
	"nscl/vnfmt"
)

func demoStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestBuildRefusesWhatItCannotReport(t *testing.T) {
	st := demoStore(t)
	cases := []struct {
		name        string
		req         Request
		code, field string
	}{
		{"unknown programme", Request{Programme: "KHAC", Year: 2022}, nscl.ENOTFOUND, "programme"},
		{"year outside the programme", Request{Programme: demo.ProgrammeCode, Year: 2031}, nscl.EINVALID, "year"},
		{"unknown unit", Request{Programme: demo.ProgrammeCode, Unit: "NOWHERE", Year: 2022}, nscl.ENOTFOUND, "unit"},
		{"unit outside any plan", Request{Programme: demo.ProgrammeCode, Unit: demo.UnitMinistry, Year: 2022}, nscl.ENOTFOUND, "year"},
	}
	for _, c := range cases {
		_, err := Build(context.Background(), st, c.req)
		if nscl.ErrorCode(err) != c.code || nscl.ErrorField(err) != c.field {
			t.Errorf("%s: got %v, want %s on %q", c.name, err, c.code, c.field)
		}
	}
}

// A district is measured against what the city's plan allots it, and
// without an allotment it is not measured at all: it shows its share of
// the city's results, with no pace, no status and no warning — not the
// city's 5-year target and the city's pace.
func TestBuildForADistrict(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	build := func(unit string) *Report {
		t.Helper()
		r, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Unit: unit, Year: 2022})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	city, thuDuc := build(""), build(demo.UnitThuDuc)
	support := thuDuc.Indicators[1]
	// Thủ Đức's only support item is footnote 2's 200 enterprises on Viettel's platform.
	if support.Metric.Code != demo.EnterprisesSupported || support.YearValue != 200 || support.Cumulative != 200 {
		t.Fatalf("Thủ Đức support: %+v", support)
	}
	cityCum := city.Indicators[1].Cumulative
	if support.HasTarget || support.Status != nscl.StatusNoOwnTarget || support.RequiredPace != 0 || len(support.Warnings) != 0 ||
		support.Parent == nil || support.Parent.Code != demo.UnitCity || support.ParentCumulative != cityCum ||
		support.CumulativeShare != nscl.CompletionPercent(200, cityCum) {
		t.Errorf("Thủ Đức support without an allotment: %+v", support)
	}
	share := "chiếm " + vnfmt.Percent(nscl.CompletionPercent(200, cityCum)) + " kết quả lũy kế của " + city.Unit.Name
	if got := StatusText(support); got != "chưa được giao chỉ tiêu; "+share {
		t.Errorf("status %q, want its share: %q", got, share)
	}
	if row := Row(support); row[1] != "–" || row[4] != "–" {
		t.Errorf("row %q: no target, no completion", row)
	}
	if j := thuDuc.JSON().Indicators[1]; j.Target != nil || j.ShareOfParent == nil || j.ShareOfParent.Unit.Code != demo.UnitCity || j.ShareOfParent.CumulativePercent != support.CumulativeShare {
		t.Errorf("JSON: %+v", j)
	}
	if c := CompletionChart(thuDuc); len(c.Bars) != 0 {
		t.Errorf("a unit without targets has no completion bars: %+v", c.Bars)
	}

	// The city allots Thủ Đức 150 enterprises and 600 visits in its 5-year plan.
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	plan := city.Plan
	plan.Allotments = []nscl.Allotment{{UnitID: thuDuc.Unit.ID, Metric: demo.EnterprisesSupported, Value: 150}, {UnitID: thuDuc.Unit.ID, Metric: demo.TrainingEnterprises, Value: 600}}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.UpdatePlan(ctx, prog, &plan) }); err != nil {
		t.Fatal(err)
	}
	thuDuc = build(demo.UnitThuDuc)
	training, support, experts := thuDuc.Indicators[0], thuDuc.Indicators[1], thuDuc.Indicators[2]
	if support.Target != 150 || support.Status != nscl.StatusExceeded || support.CompletionPercent != nscl.CompletionPercent(200, 150) || support.Parent != nil {
		t.Errorf("support against its 150: %+v", support)
	}
	// No training yet: 600 over the three years left.
	if training.Target != 600 || training.Status != nscl.StatusNotStarted || training.RequiredPace != nscl.RequiredPace(600, 0, 3) {
		t.Errorf("training against its 600: %+v", training)
	}
	if experts.Status != nscl.StatusNoOwnTarget || experts.Parent == nil {
		t.Errorf("experts, not allotted: %+v", experts)
	}
	// The city's own row is the plan's, whatever it allots.
	if c := build("").Indicators[1]; c.Target != 200 || c.Cumulative != cityCum {
		t.Errorf("the city's support: %+v", c)
	}
}
