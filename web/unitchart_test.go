package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/report"
)

// twelveWards stores, in 2028 (a year the demo holds no work in), a
// training activity in each of twelve wards of the city: the first ward
// trains 1 enterprise, the second 2 … the twelfth 12. It returns the
// wards' names as charts label them and their full names, in that order.
func (ts *testServer) twelveWards(t *testing.T) (names, full []string) {
	t.Helper()
	ctx := t.Context()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	units, err := ts.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		day := time.Date(2028, 3, 10, 0, 0, 0, 0, time.UTC)
		if u.ParentID != city.ID || u.Level == nscl.LevelProvince || !u.OpenOn(day) || len(names) == 12 {
			continue
		}
		a := nscl.Activity{UnitID: u.ID, Date: day, TaskGroup: "d", Kind: nscl.KindTraining,
			Description: "Lớp tập huấn thử của " + u.Name, Source: "Báo cáo quý I",
			Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: int64(len(names) + 1)}}}
		if err := ts.store.CreateActivity(ctx, prog, &a); err != nil {
			t.Fatal(err)
		}
		names, full = append(names, report.ChartName(u)), append(full, u.Name)
	}
	if len(names) != 12 {
		t.Fatalf("the city has %d units under it, want 12 or more", len(names))
	}
	return names, full
}

// The dashboard draws each indicator's figures by unit: the ten largest,
// the other two summed in one row, all of it pending here (the test's
// activities are not approved), with the rows read out beside the chart
// and the full table kept.
func TestDashboardUnitChart(t *testing.T) {
	ts := newTestServer(t)
	names, full := ts.twelveWards(t)
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/?year=2028&unit="+demo.UnitCity, "", "")
	if code != http.StatusOK {
		t.Fatalf("dashboard: %d", code)
	}
	if strings.Contains(page, ` style="`) {
		t.Errorf("the dashboard has an inline style, which its CSP drops")
	}
	m := regexp.MustCompile(`(?s)<figure class="chart unit-chart" data-unit-chart="` + demo.TrainingEnterprises + `">(.*?)</figure>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the dashboard has no unit chart of %s", demo.TrainingEnterprises)
	}
	fig := m[1]
	svg := regexp.MustCompile(`(?s)<svg [^>]*>.*</svg>`).FindString(fig)
	if !strings.Contains(svg, `role="img"`) {
		t.Fatalf("no labelled SVG in the unit chart:\n%s", fig)
	}
	// Drawn: the largest ward and its pending 12, the others (wards 1
	// and 2: 3 pending), the legend; not the two wards summed.
	for _, want := range []string{">0 (+12)</text>", ">0 (+3)</text>", ">Chưa duyệt</text>", `fill="rgb(169,196,221)"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the unit chart lacks %s", want)
		}
	}
	// A unit's name may take two lines.
	var texts []string
	for _, m := range regexp.MustCompile(`>([^<]*)</text>`).FindAllStringSubmatch(svg, -1) {
		texts = append(texts, m[1])
	}
	joined := strings.Join(texts, " ")
	for _, want := range []string{names[11], "Các đơn vị khác (2)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the unit chart lacks %s: %q", want, texts)
		}
	}
	if strings.Contains(joined, names[0]) {
		t.Errorf("the chart names %s, which it sums with the others", names[0])
	}
	// Read out beside it: the same rows, the others' last.
	table := regexp.MustCompile(`(?s)<div class="visually-hidden"><table>(.*?)</table></div>`).FindStringSubmatch(fig)
	if table == nil {
		t.Fatalf("no table of the unit chart's values:\n%s", fig)
	}
	rows := regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td></tr>`).FindAllStringSubmatch(table[1], -1)
	if len(rows) != 11 || rows[0][1] != names[11] || rows[0][3] != "12" || rows[10][1] != "Các đơn vị khác (2)" || rows[10][3] != "3" {
		t.Errorf("the chart's rows read out: %q", rows)
	}
	// The full table still lists every ward, the two summed ones too,
	// each linked to its own dashboard.
	for _, n := range full[:2] {
		if !regexp.MustCompile(`<td><a href="/\?unit=[^"]+&amp;year=2028">` + regexp.QuoteMeta(n) + `</a></td>`).MatchString(page) {
			t.Errorf("the table by unit lacks %s", n)
		}
	}

	// In English, the others' row and the legend speak English.
	send(t, focal, "GET", ts.URL+"/lang/en", "", "")
	_, page = fetch(t, focal, "GET", ts.URL+"/?year=2028&unit="+demo.UnitCity, "", "")
	for _, want := range []string{">Other units (2)</text>", ">Not yet approved</text>", translate(langEN, "chart.by_unit_note")} {
		if !strings.Contains(page, want) {
			t.Errorf("the English dashboard lacks %q", want)
		}
	}
}

// The report page draws the dashboard's charts in the page, from the same
// code: the completion chart and each indicator's years against the annual
// targets, here a 2028 target the test sets.
func TestReportPageCharts(t *testing.T) {
	ts := newTestServer(t)
	ts.twelveWards(t)
	focal := ts.client(t, "focal@demo.local")
	plan := `{"kind":"annual","unit":"` + demo.UnitCity + `","start_year":2028,"end_year":2028,"name":"Kế hoạch năm 2028","targets":{"` + demo.TrainingEnterprises + `":4321},"version":0}`
	if code, body := fetch(t, focal, "POST", ts.URL+"/api/v1/plans", "application/json", plan); code != http.StatusCreated {
		t.Fatalf("creating the 2028 plan: %d %s", code, body)
	}
	code, page := fetch(t, focal, "GET", ts.URL+"/report?year=2028", "", "")
	if code != http.StatusOK {
		t.Fatalf("report page: %d", code)
	}
	if strings.Contains(page, "chart.svg") || strings.Contains(page, ` style="`) {
		t.Errorf("the report page links the chart as an image or has an inline style")
	}
	m := regexp.MustCompile(`(?s)<figure class="completion-chart" id="completion-chart">(.*?)</figure>`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(m[1], `role="img"`) || !strings.Contains(m[1], ">Chỉ tiêu cả giai đoạn (100 %)</text>") {
		t.Fatalf("the report page has no completion chart drawn in it")
	}
	// By the end of 2028, three years of 2026–2030 have passed: 60 %.
	if !strings.Contains(m[1], ">Thời gian đã qua: 60 %</text>") {
		t.Errorf("the completion chart does not mark 60 %% elapsed")
	}
	fig := chartFigure(t, page, demo.TrainingEnterprises)
	// The year's 1 + 2 + … + 12 = 78 entered by the test, counted as
	// pending on the plan's chart, against the 4.321 target.
	for _, want := range []string{`>4.321</text>`, `>2026</text>`, `>2030</text>`,
		`<tr><th scope="row">2028</th><td>0</td><td>78</td><td>4.321</td></tr>`} {
		if !strings.Contains(fig, want) {
			t.Errorf("the report page's 2028 chart lacks %s", want)
		}
	}
}
