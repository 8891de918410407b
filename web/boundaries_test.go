package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// A province the demo does not hold merges into the city in 2025. The
// report API and pages count it for the city's 2022 only when asked for
// today's tree; the switch shows the choice and the downloads keep it; a
// bad day is a clear error naming the field.
func TestBoundariesSwitch(t *testing.T) {
	ts := newTestServer(t)
	ts.absorbedProvince(t, "", func(tx *store.Tx, prog *nscl.Programme, p nscl.OrgUnit) error {
		return tx.CreateActivity(t.Context(), prog, &nscl.Activity{UnitID: p.ID, Date: mustDay(t, "12/04/2022"), TaskGroup: "d", Kind: nscl.KindTraining,
			Description: "Lớp tập huấn của tỉnh", Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 40}}})
	})
	focal := ts.client(t, "focal@demo.local")
	// Today's tree also brings in the demo's Bà Rịa – Vũng Tàu, with an
	// illustrative 75 in 2022.
	// A day typed beside the switch wins over it.
	for query, want := range map[string]int64{"": 963, "?boundaries=current": 963 + 40 + 75, "?as_of=30/06/2025": 963, "?boundaries=current&as_of=30/06/2025": 963} {
		if got := num(reportIndicator(t, focal, ts.URL+"/api/v1/reports/2022"+query, demo.TrainingEnterprises)["year_value"]); got != want {
			t.Errorf("2022 training%s: %d, want %d", query, got, want)
		}
	}
	code, body := fetch(t, focal, "GET", ts.URL+"/api/v1/reports/2022?as_of=31/02/2025", "", "")
	if code != http.StatusBadRequest || !strings.Contains(body, `"field":"boundaries"`) {
		t.Errorf("a bad day: %d %s", code, body)
	}
	_, page := fetch(t, focal, "GET", ts.URL+"/report?year=2022&boundaries=current", "", "")
	for _, want := range []string{`<option value="current" selected>`, `/report/2022.docx?boundaries=current`, `id="completion-chart"`, `/report?boundaries=current&amp;from=2021&amp;to=2025`} {
		if !strings.Contains(page, want) {
			t.Errorf("the report page in today's tree lacks %q", want)
		}
	}
	_, dash := fetch(t, focal, "GET", ts.URL+"/?year=2022&as_of=30/06/2025", "", "")
	if !strings.Contains(dash, `name="as_of" value="30/06/2025"`) {
		t.Errorf("the dashboard does not show the day asked for")
	}
}

func mustDay(t *testing.T, s string) (d time.Time) {
	t.Helper()
	d, err := nscl.ParseDate("date", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// absorbedProvince adds a province the demo does not hold, "T-PROV"
// (short name short, if any), lets fill give it plans and work, and closes
// it into the city on 01/07/2025, as the 2025 merger closed Bình Dương.
func (ts *testServer) absorbedProvince(t *testing.T, short string, fill func(tx *store.Tx, prog *nscl.Programme, p nscl.OrgUnit) error) {
	t.Helper()
	ctx := t.Context()
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		prog, err := tx.ProgrammeByCode(ctx, demo.ProgrammeCode)
		if err != nil {
			return err
		}
		ministry, err := tx.UnitByCode(ctx, demo.UnitMinistry)
		if err != nil {
			return err
		}
		p := nscl.OrgUnit{ParentID: ministry.ID, Code: "T-PROV", Name: "Ủy ban nhân dân tỉnh Thử Nghiệm", ShortName: short, Level: nscl.LevelProvince}
		if err := tx.CreateUnit(ctx, &p); err != nil {
			return err
		}
		if err := fill(tx, prog, p); err != nil {
			return err
		}
		_, err = tx.CloseUnitInto(ctx, "T-PROV", mustDay(t, "01/07/2025"), []string{demo.UnitCity})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
