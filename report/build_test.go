package report

import (
	"context"
	"path/filepath"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
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
		{"no 5-year plan yet", Request{Programme: demo.ProgrammeCode, Year: 2027}, nscl.ENOTFOUND, "year"},
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

// A district's results are its own activities measured against the city's plan.
func TestBuildForADistrictUsesTheCityPlan(t *testing.T) {
	st := demoStore(t)
	r, err := Build(context.Background(), st, Request{Programme: demo.ProgrammeCode, Unit: demo.UnitThuDuc, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	support := r.Indicators[1]
	// Thủ Đức's only support item is footnote 2's 200 enterprises on Viettel's platform.
	if support.Metric.Code != demo.EnterprisesSupported || support.YearValue != 200 || support.Cumulative != 200 || support.Target != 200 {
		t.Errorf("Thủ Đức support: %+v", support)
	}
	if r.Indicators[0].YearValue != 0 {
		t.Errorf("Thủ Đức reported no training in 2022: %+v", r.Indicators[0])
	}
}
