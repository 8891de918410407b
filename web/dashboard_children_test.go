package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// The Ministry's dashboard in a test-made tree of 40 provinces of 30
// units lists its provinces, each with what its units did, each linked to
// its own dashboard; that one lists the province's units.
func TestDashboardListsTheUnitsDirectlyUnder(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	const provinces, perProvince = 40, 30
	day := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
	want := map[string]int64{} // each province's trainings, summed here from what is written
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		prog, err := tx.ProgrammeByCode(ctx, demo.ProgrammeCode)
		if err != nil {
			return err
		}
		ministry, err := tx.UnitByCode(ctx, demo.UnitMinistry)
		if err != nil {
			return err
		}
		plan := nscl.Plan{UnitID: ministry.ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch thử của Bộ",
			Targets: []nscl.Target{{Metric: demo.TrainingEnterprises, Value: 100000}}}
		if err := tx.CreatePlan(ctx, prog, &plan); err != nil {
			return err
		}
		tx.Batch()
		for p := range provinces {
			prov := nscl.OrgUnit{ParentID: ministry.ID, Code: fmt.Sprintf("TP%02d", p), Name: fmt.Sprintf("Ủy ban nhân dân tỉnh Thử %02d", p), Level: nscl.LevelProvince}
			if err := tx.CreateUnit(ctx, &prov); err != nil {
				return err
			}
			for u := range perProvince {
				unit := nscl.OrgUnit{ParentID: prov.ID, Code: fmt.Sprintf("TP%02d-%02d", p, u), Name: fmt.Sprintf("Phòng thử %02d của tỉnh %02d", u, p), Level: nscl.LevelDistrict}
				if err := tx.CreateUnit(ctx, &unit); err != nil {
					return err
				}
				n := int64(1 + (p*7+u)%5)
				a := nscl.Activity{UnitID: unit.ID, Date: day, TaskGroup: "d", Kind: nscl.KindTraining, Description: "Lớp tập huấn thử",
					Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: n}}}
				if err := tx.CreateActivity(ctx, prog, &a); err != nil {
					return err
				}
				want[prov.Code] += n
			}
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/?year=2024&unit="+demo.UnitMinistry, "", "")
	if code != http.StatusOK {
		t.Fatalf("the Ministry's dashboard: %d %s", code, alertText(page))
	}
	rows := regexp.MustCompile(`<tr data-unit="(TP\d\d(?:-\d\d)?)"><td><a href="([^"]*)">`).FindAllStringSubmatch(page, -1)
	if len(rows) != provinces {
		t.Fatalf("the Ministry's dashboard lists %d test units, want its %d provinces", len(rows), provinces)
	}
	for _, r := range rows {
		if strings.Contains(r[1], "-") || r[2] != "/?unit="+r[1]+"&amp;year=2024" {
			t.Errorf("row %s links to %s, want a province linked to its own dashboard", r[1], r[2])
		}
	}
	for _, code := range []string{"TP00", "TP17", "TP39"} {
		cell := regexp.MustCompile(`(?s)<tr data-unit="` + code + `">.*?</tr>`).FindString(page)
		if !strings.Contains(cell, fmt.Sprintf("(+%d)", want[code])) {
			t.Errorf("%s's row does not show its units' %d pending trainings: %s", code, want[code], cell)
		}
	}
	_, province := fetch(t, focal, "GET", ts.URL+"/?year=2024&unit=TP17", "", "")
	if n := len(regexp.MustCompile(`<tr data-unit="TP17-\d\d">`).FindAllString(province, -1)); n != perProvince {
		t.Errorf("a province's dashboard lists %d of its units, want %d", n, perProvince)
	}
}
