package web

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nscl/demo"
)

// chartFigure is the yearly chart's figure of an indicator on the dashboard.
func chartFigure(t *testing.T, page, metric string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<figure class="chart" data-chart="` + metric + `">(.*?)</figure>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the dashboard has no yearly chart of %s", metric)
	}
	return m[1]
}

// The dashboard's yearly chart is the chart package's SVG, written in the
// page with no inline style (which the CSP drops), and beside it a table of
// its values for screen readers: here with an annual target the test sets
// for 2028, which the demo does not hold.
func TestDashboardYearlyChart(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	plan := `{"kind":"annual","unit":"` + demo.UnitCity + `","start_year":2028,"end_year":2028,"name":"Kế hoạch năm 2028","targets":{"` + demo.TrainingEnterprises + `":4321},"version":0}`
	if code, body := fetch(t, focal, "POST", ts.URL+"/api/v1/plans", "application/json", plan); code != http.StatusCreated {
		t.Fatalf("creating the 2028 plan: %d %s", code, body)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/?year=2028", nil)
	resp, err := focal.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("the dashboard's CSP is %q: this test assumes it drops inline styles", csp)
	}
	code, page := fetch(t, focal, "GET", ts.URL+"/?year=2028", "", "")
	if code != 200 {
		t.Fatalf("dashboard: %d", code)
	}
	if strings.Contains(page, ` style="`) {
		t.Errorf("the dashboard has an inline style, which its CSP drops")
	}

	fig := chartFigure(t, page, demo.TrainingEnterprises)
	svg := regexp.MustCompile(`(?s)<svg [^>]*>.*</svg>`).FindString(fig)
	if svg == "" || !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, `aria-label="`) {
		t.Fatalf("the figure has no labelled SVG:\n%s", fig)
	}
	// Drawn in the page: the target's value under its year, in its colour
	// as a presentation attribute, and the legend's text.
	for _, want := range []string{`>4.321</text>`, `>2028</text>`, `>2030</text>`, `>Chỉ tiêu năm</text>`, `fill="rgb(194,84,0)"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the 2028 chart lacks %s", want)
		}
	}
	// The values read out: 2028's row gives the target; a year without
	// an annual plan says so.
	table := regexp.MustCompile(`(?s)<div class="visually-hidden"><table>(.*?)</table></div>`).FindStringSubmatch(fig)
	if table == nil {
		t.Fatalf("no table of the chart's values beside it:\n%s", fig)
	}
	row := regexp.MustCompile(`<tr><th scope="row">2028</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>`).FindStringSubmatch(table[1])
	if row == nil || row[3] != "4.321" {
		t.Errorf("2028's row of values: %q, want the target 4.321", row)
	}
	if !strings.Contains(table[1], `<th scope="row">2030</th><td>0</td><td>0</td><td>chưa giao</td>`) {
		t.Errorf("2030, without activities or an annual plan, is not read as 0, 0, none set:\n%s", table[1])
	}

	// In English, the legend and the table speak English.
	send(t, focal, "GET", ts.URL+"/lang/en", "", "")
	_, page = fetch(t, focal, "GET", ts.URL+"/?year=2028", "", "")
	fig = chartFigure(t, page, demo.TrainingEnterprises)
	for _, want := range []string{`>Annual target</text>`, html.EscapeString(translate(langEN, "chart.values")), `none set`} {
		if !strings.Contains(fig, want) {
			t.Errorf("the English chart lacks %q", want)
		}
	}
	// Nothing is approved in 2026–2030: no bar, so no legend entry for one.
	if strings.Contains(fig, `>Approved result</text>`) || strings.Contains(fig, `fill="rgb(47,95,138)"`) {
		t.Errorf("the chart draws or lists an approved result where none is approved")
	}
	if strings.Contains(fig, "Chỉ tiêu năm") {
		t.Errorf("the English chart's legend is in Vietnamese")
	}
}

// The completion chart the report page shows is drawn on the dashboard by
// the same code, in the page: a bar per indicator with a target, its value
// written, the elapsed time marked and said in the caption.
func TestDashboardCompletionChart(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/?year=2022", "", "")
	m := regexp.MustCompile(`(?s)<figure class="completion-chart" id="completion-chart">(.*?)</figure>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the dashboard has no completion chart")
	}
	fig := m[1]
	for _, want := range []string{`aria-label="Tỷ lệ hoàn thành chỉ tiêu so với thời gian đã qua"`,
		`>9,93 %</text>`, `>173,5 %</text>`, `>47,33 %</text>`, `>Thời gian đã qua: 40 %</text>`, `>Chậm tiến độ</text>`,
		`fill="rgb(122,31,31)"`, `fill="rgb(23,107,44)"`, `(thời gian đã qua: 40 %)`} {
		if !strings.Contains(fig, want) {
			t.Errorf("the completion chart lacks %s", want)
		}
	}
	if strings.Contains(fig, ` style="`) {
		t.Errorf("the completion chart has style attributes, which the CSP drops")
	}
	// A district without targets of its own has no bar to draw.
	_, page = fetch(t, focal, "GET", ts.URL+"/?year=2022&unit=HCM-THUDUC", "", "")
	if strings.Contains(page, `class="completion-chart"`) {
		t.Errorf("a district without targets is given a completion chart")
	}
}
