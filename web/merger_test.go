package web

import (
	"html"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/report"
	"nscl/store"
)

// The city absorbs a province of the test's own on 01/07/2025, with the
// demo's two: the 2025 dashboard and report page name them and show how
// the city's target was summed with theirs; 2022's name nothing. In
// English too.
func TestPagesShowTheFormerUnitsAndSummedTargets(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	ts.absorbedProvince(t, "Thử Nghiệm", func(tx *store.Tx, prog *nscl.Programme, p nscl.OrgUnit) error {
		plan := nscl.Plan{UnitID: p.ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch 5 năm tỉnh Thử Nghiệm",
			Targets: []nscl.Target{{Metric: demo.TrainingEnterprises, Value: 1234}}}
		if err := tx.CreatePlan(ctx, prog, &plan); err != nil {
			return err
		}
		return tx.CreateActivity(ctx, prog, &nscl.Activity{UnitID: p.ID, Date: time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC), TaskGroup: "d",
			Kind: nscl.KindTraining, Description: "Lớp đào tạo tại tỉnh Thử Nghiệm", Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 77}}})
	})
	c := ts.client(t, "focal@demo.local")
	page := func(path string) string {
		t.Helper()
		code, body := fetch(t, c, "GET", ts.URL+path, "", "")
		if code != 200 {
			t.Fatalf("%s: %d\n%s", path, code, body)
		}
		return html.UnescapeString(body)
	}
	former := "Số liệu gồm kết quả của các đơn vị trước đây: Ủy ban nhân dân tỉnh Bình Dương, Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu, Ủy ban nhân dân tỉnh Thử Nghiệm (hợp nhất vào Ủy ban nhân dân Thành phố Hồ Chí Minh từ 01/07/2025)."
	sum := "17.734 lượt doanh nghiệp = 10.000 (UBND Thành phố) + 4.000 (Bình Dương) + 2.500 (Bà Rịa – Vũng Tàu) + 1.234 (Thử Nghiệm)"
	origin := "Chỉ tiêu Kế hoạch 05 năm — Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng: " + sum
	for _, path := range []string{"/?year=2025", "/report?year=2025"} {
		body := page(path)
		for _, want := range []string{former, origin} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	for _, path := range []string{"/?year=2022&unit=HCM", "/report?year=2022&unit=HCM"} {
		if body := page(path); strings.Contains(body, "former-units") || strings.Contains(body, "target-origins") || strings.Contains(body, "trước đây") {
			t.Errorf("%s speaks of former units", path)
		}
	}

	if code, _ := fetch(t, c, "GET", ts.URL+"/lang/en", "", ""); code != 303 {
		t.Fatalf("/lang/en: %d", code)
	}
	body := page("/?year=2025")
	for _, want := range []string{"The figures include the results of former units: Ủy ban nhân dân tỉnh Bình Dương, Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu, Ủy ban nhân dân tỉnh Thử Nghiệm (merged into Ủy ban nhân dân Thành phố Hồ Chí Minh on 01/07/2025).",
		"Multi-year plan target — ", sum, translate(langEN, "merger.target_origins")} {
		if !strings.Contains(body, want) {
			t.Errorf("the English dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, former) {
		t.Error("the English dashboard names the former units in Vietnamese")
	}
}

// The dashboard's yearly chart of a merged city sets each year's bar,
// which counts the former units' work, against the annual target summed
// with theirs — not only in the year shown.
func TestYearlyChartSumsEachYearsAnnualTarget(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	ts.absorbedProvince(t, "", func(tx *store.Tx, prog *nscl.Programme, p nscl.OrgUnit) error {
		annual := nscl.Plan{UnitID: p.ID, Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023, Name: "Kế hoạch năm 2023 tỉnh Thử Nghiệm",
			Targets: []nscl.Target{{Metric: demo.TrainingEnterprises, Value: 800}}}
		return tx.CreatePlan(ctx, prog, &annual)
	})
	rep, err := report.Build(ctx, ts.store, report.Request{Programme: demo.ProgrammeCode, Unit: demo.UnitCity, Year: 2025, ApprovedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequestWithContext(ctx, "GET", "/?year=2025", nil)
	series, err := ts.app.yearlyCharts(req.Context(), language(req), rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range series {
		if s.Metric.Code != demo.TrainingEnterprises {
			continue
		}
		for _, p := range s.Points {
			if p.Year == 2023 && (!p.HasTarget || p.Target != 3500+800) {
				t.Errorf("2023's annual target on the 2025 chart: %d (%v), want the city's 3.500 and the province's 800", p.Target, p.HasTarget)
			}
		}
	}
}
