package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/vnfmt"
)

// dashRows are the dashboard's indicator rows by indicator code.
func dashRows(t *testing.T, page string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr data-indicator="([^"]+)">(.*?)</tr>`).FindAllStringSubmatch(page, -1) {
		rows[m[1]] = m[2]
	}
	if len(rows) == 0 {
		t.Fatalf("the dashboard has no indicator rows:\n%s", trim(page))
	}
	return rows
}

// cell is the text of the element of class in a row.
func cell(row, class string) string {
	m := regexp.MustCompile(`class="[^"]*\b` + class + `\b[^"]*">([^<]*)<`).FindStringSubmatch(row)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// reportIndicator reads one indicator of the JSON report at path.
func reportIndicator(t *testing.T, c *http.Client, path, code string) map[string]any {
	t.Helper()
	var r struct {
		ApprovedOnly bool             `json:"approved_only"`
		Indicators   []map[string]any `json:"indicators"`
	}
	getJSON(t, c, path, &r)
	for _, ind := range r.Indicators {
		if ind["code"] == code {
			ind["approved_only"] = r.ApprovedOnly
			return ind
		}
	}
	t.Fatalf("%s has no %s", path, code)
	return nil
}

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

// act runs an action on Thủ Đức's submission to the round through the API.
func actOnThuDuc(t *testing.T, ts *testServer, c *http.Client, round int64, action, comment string) {
	t.Helper()
	var r apiRoundView
	getJSON(t, c, fmt.Sprintf("%s/api/v1/rounds/%d", ts.URL, round), &r)
	for _, s := range r.Submissions {
		if s.Unit == demo.UnitThuDuc {
			body, _ := json.Marshal(map[string]any{"version": s.Version, "comment": comment})
			code, resp := fetch(t, c, "POST", fmt.Sprintf("%s/api/v1/rounds/%d/submissions/%s/%s", ts.URL, round, demo.UnitThuDuc, action), jsonType, string(body))
			if code != http.StatusOK {
				t.Fatalf("%s: %d %s", action, code, resp)
			}
			return
		}
	}
	t.Fatalf("round %d does not ask Thủ Đức", round)
}

// A figure entered in the open round is shown apart, as not yet approved,
// until its unit's submission is approved; undoing the approval moves it
// back. The report's JSON counts it by default and leaves it out with
// ?approved_only=1, saying so either way.
func TestDashboardShowsPendingApart(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	a := ts.openActivity(t, demo.UnitThuDuc, nil) // training 4, trainees 60
	training := a.Quantities[0].Value
	dash := func() (row string, page string) {
		t.Helper()
		_, page = fetch(t, focal, "GET", fmt.Sprintf("%s/?year=%d", ts.URL, openYear), "", "")
		return dashRows(t, page)[demo.TrainingEnterprises], page
	}
	// Approved to the end of 2022: the cumulative the dashboard starts from.
	cum2022 := num(reportIndicator(t, focal, ts.URL+"/api/v1/reports/2022?approved_only=1", demo.TrainingEnterprises)["cumulative"])
	withUnit := func(n int64) string { return vnfmt.Int(n) + " lượt doanh nghiệp" }

	row, page := dash()
	if cell(row, "year-value") != withUnit(0) || cell(row, "cumulative") != withUnit(cum2022) ||
		cell(row, "pending-year") != vnfmt.Int(training) || cell(row, "pending-cumulative") != vnfmt.Int(training) {
		t.Errorf("pending: the row shows %q", row)
	}
	if !strings.Contains(page, `id="approved-note"`) || !strings.Contains(page, `data-pending-measure="trainees">(+60 chưa duyệt)`) ||
		!regexp.MustCompile(`<tr data-unit="HCM-THUDUC">(?s:.*?)\(\+`+strconv.FormatInt(training, 10)+`\)`).MatchString(page) {
		t.Errorf("the dashboard does not show the measure's and the unit's pending part:\n%s", trim(page))
	}
	all := reportIndicator(t, focal, fmt.Sprintf("%s/api/v1/reports/%d", ts.URL, openYear), demo.TrainingEnterprises)
	approved := reportIndicator(t, focal, fmt.Sprintf("%s/api/v1/reports/%d?approved_only=1", ts.URL, openYear), demo.TrainingEnterprises)
	if num(all["year_value"]) != training || num(all["pending_year"]) != training || all["approved_only"] != false {
		t.Errorf("the report of all figures: %v", all)
	}
	if num(approved["year_value"]) != 0 || num(approved["pending_year"]) != training || approved["approved_only"] != true {
		t.Errorf("the report of approved figures: %v", approved)
	}

	round := ts.openRound(t).ID
	actOnThuDuc(t, ts, reporter, round, "submit", "")
	if row, _ := dash(); cell(row, "year-value") != withUnit(0) || cell(row, "pending-year") != vnfmt.Int(training) {
		t.Errorf("submitted is not approved: %q", row)
	}
	actOnThuDuc(t, ts, focal, round, "approve", "")
	if row, _ := dash(); cell(row, "year-value") != withUnit(training) || cell(row, "cumulative") != withUnit(cum2022+training) || cell(row, "pending-year") != "0" {
		t.Errorf("approved: %q", row)
	}

	// The round page offers the focal point to undo the approval.
	roundPath := fmt.Sprintf("%s/rounds/%d", ts.URL, round)
	_, page = fetch(t, focal, "GET", roundPath, "", "")
	if !strings.Contains(page, `value="reopen"`) {
		t.Fatalf("no undo of the approval on the round page")
	}
	thuDuc, _ := ts.store.UnitByCode(context.Background(), demo.UnitThuDuc)
	var r apiRoundView
	getJSON(t, focal, fmt.Sprintf("%s/api/v1/rounds/%d", ts.URL, round), &r)
	var version int64
	for _, s := range r.Submissions {
		if s.Unit == demo.UnitThuDuc {
			version = s.Version
		}
	}
	undo := url.Values{"version": {fmt.Sprint(version)}, "comment": {"Số học viên chưa khớp danh sách"}, "do": {"reopen"}}
	// Asked first, as every review is; then done.
	if resp, page := send(t, focal, "POST", fmt.Sprintf("%s/units/%d/return", roundPath, thuDuc.ID), formType, undo.Encode()); !strings.Contains(page, "Hủy duyệt báo cáo này") {
		t.Errorf("undoing the approval asks nothing: %d\n%s", resp.StatusCode, page)
	}
	if row, _ := dash(); cell(row, "year-value") != withUnit(training) {
		t.Errorf("the question alone undid the approval: %q", row)
	}
	undo.Set("confirm", "1")
	resp, _ := send(t, focal, "POST", fmt.Sprintf("%s/units/%d/return", roundPath, thuDuc.ID), formType, undo.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo the approval: %d", resp.StatusCode)
	}
	if row, _ := dash(); cell(row, "year-value") != withUnit(0) || cell(row, "pending-year") != vnfmt.Int(training) {
		t.Errorf("after undoing the approval: %q", row)
	}
}

// statusWord is a row's status as the dashboard writes it.
var reStatus = regexp.MustCompile(`(?s)<td class="status status-([a-z_]+)">(.*?)</td>`)

// checkBarsAgree fails when the completion chart's bars and the status
// words of the rows disagree: as many bars in the on-track colour as rows
// on track or ahead with some completion, as many in the behind colour as
// rows behind, and no chart when no indicator is measured. (The chart
// writes its colours as fill attributes; each colour is also the legend's
// swatch once.)
func checkBarsAgree(t *testing.T, page string) {
	t.Helper()
	ahead, behind := 0, 0
	for code, row := range dashRows(t, page) {
		st := reStatus.FindStringSubmatch(row)
		if st == nil {
			t.Fatalf("%s: no status cell in %q", code, row)
		}
		status := nscl.Status(st[1])
		switch {
		case !status.Measured() || cell(row, "completion") == vnfmt.Percent(0):
		case status.KeepsPace():
			ahead++
		default:
			behind++
		}
	}
	fig := regexp.MustCompile(`(?s)<figure class="completion-chart"[^>]*>(.*?)</figure>`).FindStringSubmatch(page)
	if fig == nil {
		if ahead+behind > 0 {
			t.Errorf("%d rows on track and %d behind, yet no completion chart", ahead, behind)
		}
		return
	}
	// The chart is drawn wide and for a phone: each agrees. A colour drawn
	// is in the legend once, beside its bars.
	svgs := regexp.MustCompile(`(?s)<svg .*?</svg>`).FindAllString(fig[1], -1)
	if len(svgs) != 2 {
		t.Errorf("the completion chart's figure holds %d drawings, want a wide one and one for a phone", len(svgs))
	}
	for i, svg := range svgs {
		bars := func(fill string) int { return max(strings.Count(svg, fill)-1, 0) }
		drawnAhead, drawnBehind := bars(`fill="rgb(23,107,44)"`), bars(`fill="rgb(122,31,31)"`)
		if drawnAhead != ahead || drawnBehind != behind {
			t.Errorf("the completion chart (drawing %d) draws %d bars on track and %d behind; the rows' statuses say %d and %d", i+1, drawnAhead, drawnBehind, ahead, behind)
		}
	}
}

// Thủ Đức has no target of its own in the city's plan: its dashboard shows
// its share of the city's results, no pace, no status and no bar. The
// focal point allots it targets on the plan's page, which sums them against
// the plan's own; then Thủ Đức is measured against them, its 200 of 200
// enterprises a full green bar beside "vượt chỉ tiêu".
func TestDistrictWithAndWithoutItsOwnTarget(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	thuDuc, _ := ts.store.UnitByCode(context.Background(), demo.UnitThuDuc)
	city := reportIndicator(t, focal, ts.URL+"/api/v1/reports/2022", demo.EnterprisesSupported)
	own := reportIndicator(t, focal, ts.URL+"/api/v1/reports/2022?unit=HCM-THUDUC", demo.EnterprisesSupported)
	dash := func() (map[string]string, string) {
		t.Helper()
		_, page := fetch(t, focal, "GET", ts.URL+"/?year=2022&unit=HCM-THUDUC", "", "")
		return dashRows(t, page), page
	}

	rows, page := dash()
	if strings.Contains(page, "mỗi năm còn cần") || strings.Contains(page, `class="completion-chart"`) {
		t.Errorf("a district without targets is given the city's pace or a bar")
	}
	share := vnfmt.Percent(nscl.CompletionPercent(num(own["cumulative"]), num(city["cumulative"])))
	if want := "chưa được giao chỉ tiêu; chiếm " + share + " kết quả lũy kế của Ủy ban nhân dân Thành phố Hồ Chí Minh"; !strings.Contains(rows[demo.EnterprisesSupported], want) {
		t.Errorf("support: want %q in %q", want, rows[demo.EnterprisesSupported])
	}
	checkBarsAgree(t, page)

	// The plan's page: one row per unit under the city, the sums below.
	prog, _ := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	plans, _ := ts.store.Plans(context.Background(), prog)
	five, annual := plans[0], demoPlan(t, plans, nscl.AnnualPlan, 2023)
	editPath := fmt.Sprintf("%s/setup/plans/%d/edit", ts.URL, five.ID)
	_, page = fetch(t, focal, "GET", editPath, "", "")
	if !strings.Contains(page, `<tr data-unit="HCM-THUDUC">`) || !strings.Contains(page, `<tr data-unit="HCM-SCT">`) || strings.Contains(page, `<tr data-unit="HCM-SKHCN-CCTDC">`) {
		t.Errorf("the plan's page does not offer the units directly under the city")
	}
	form := formValues(t, page)
	supportKey, trainingKey := allotKey(thuDuc.ID, demo.EnterprisesSupported), allotKey(thuDuc.ID, demo.TrainingEnterprises)
	savePath := fmt.Sprintf("%s/setup/plans/%d", ts.URL, five.ID)

	// A box with letters is refused beside it, and nothing is stored.
	form.Set(trainingKey, "6a")
	resp, page := send(t, focal, "POST", savePath, formType, form.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an allotment with letters: %d", resp.StatusCode)
	}
	checkFieldError(t, page, trainingKey, "không phải là số nguyên")
	if after, _ := ts.store.Plans(context.Background(), prog); after[0].Version != five.Version {
		t.Errorf("a refused form stored the plan")
	}

	form.Set(supportKey, strconv.FormatInt(num(own["cumulative"]), 10)) // exactly its result: 100 %
	form.Set(trainingKey, "600")
	if resp, page := send(t, focal, "POST", savePath, formType, form.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("allotting: %d %q", resp.StatusCode, alertText(page))
	}
	_, page = fetch(t, focal, "GET", editPath, "", "")
	sums := regexp.MustCompile(`data-metric="([a-z_]+)">([^<]*)<`).FindAllStringSubmatch(page, -1)
	got := map[string][]string{}
	for _, m := range sums {
		got[m[1]] = append(got[m[1]], strings.TrimSpace(m[2]))
	}
	target, _ := five.Target(demo.TrainingEnterprises)
	if want := []string{"600 (" + vnfmt.Percent(nscl.CompletionPercent(600, target)) + ")", vnfmt.Int(target)}; strings.Join(got[demo.TrainingEnterprises], "|") != strings.Join(want, "|") {
		t.Errorf("training's sum against the plan's target: %q, want %q", got[demo.TrainingEnterprises], want)
	}

	rows, page = dash()
	checkBarsAgree(t, page)
	if s := reStatus.FindStringSubmatch(rows[demo.EnterprisesSupported]); s == nil || s[1] != string(nscl.StatusExceeded) ||
		cell(rows[demo.EnterprisesSupported], "completion") != vnfmt.Percent(100) {
		t.Errorf("support at 100 %% of its own target: %q", rows[demo.EnterprisesSupported])
	}
	if want := "mỗi năm còn cần " + vnfmt.Int(nscl.RequiredPace(600, 0, 3)) + " lượt doanh nghiệp"; !strings.Contains(rows[demo.TrainingEnterprises], want) {
		t.Errorf("training against its own 600: want %q in %q", want, rows[demo.TrainingEnterprises])
	}
	// The city's own page is unchanged by what it allots.
	_, page = fetch(t, focal, "GET", ts.URL+"/?year=2022", "", "")
	checkBarsAgree(t, page)

	// The 2023 plan sets no target for experts: none can be allotted.
	_, page = fetch(t, focal, "GET", fmt.Sprintf("%s/setup/plans/%d/edit", ts.URL, annual.ID), "", "")
	form = formValues(t, page)
	expertsKey := allotKey(thuDuc.ID, demo.ExpertsTrained)
	form.Set(expertsKey, "5")
	resp, page = send(t, focal, "POST", fmt.Sprintf("%s/setup/plans/%d", ts.URL, annual.ID), formType, form.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("allotting a target the plan does not set: %d", resp.StatusCode)
	}
	checkFieldError(t, page, expertsKey, "không đặt chỉ tiêu")
}

// The set-up API reads and writes a plan's allotments by unit code; a PUT
// without them keeps those stored.
func TestAPIPlanAllotments(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	type plan struct {
		ID         int64                       `json:"id"`
		Name       string                      `json:"name"`
		Targets    map[string]int64            `json:"targets"`
		Allotments map[string]map[string]int64 `json:"allotments"`
		Version    int64                       `json:"version"`
	}
	first := func() plan {
		t.Helper()
		var out struct{ Plans []plan }
		getJSON(t, focal, ts.URL+"/api/v1/plans", &out)
		return out.Plans[0]
	}
	put := func(body any) (int, string) {
		t.Helper()
		b, _ := json.Marshal(body)
		return fetch(t, focal, "PUT", fmt.Sprintf("%s/api/v1/plans/%d", ts.URL, first().ID), jsonType, string(b))
	}
	p := first()
	p.Allotments = map[string]map[string]int64{demo.UnitThuDuc: {demo.TrainingEnterprises: 600}, demo.UnitTrade: {demo.EnterprisesSupported: 40}}
	if code, body := put(p); code != http.StatusOK {
		t.Fatalf("PUT: %d %s", code, body)
	}
	got := first()
	if got.Allotments[demo.UnitThuDuc][demo.TrainingEnterprises] != 600 || got.Allotments[demo.UnitTrade][demo.EnterprisesSupported] != 40 {
		t.Errorf("read back: %v", got.Allotments)
	}
	without := map[string]any{"name": got.Name, "targets": got.Targets, "version": got.Version}
	if code, body := put(without); code != http.StatusOK {
		t.Fatalf("PUT without allotments: %d %s", code, body)
	}
	if kept := first(); len(kept.Allotments) != 2 {
		t.Errorf("a PUT without allotments took them away: %v", kept.Allotments)
	}
	bad := first()
	bad.Allotments = map[string]map[string]int64{"HCM-NOWHERE": {demo.TrainingEnterprises: 1}}
	code, body := put(bad)
	if e := parseAPIError(t, body); code != http.StatusBadRequest || e.Error.Field != "allotments.HCM-NOWHERE" {
		t.Errorf("an unknown unit: %d %+v", code, e.Error)
	}
	cleared := first()
	cleared.Allotments = map[string]map[string]int64{}
	if code, body := put(cleared); code != http.StatusOK {
		t.Fatalf("PUT with none: %d %s", code, body)
	}
	if none := first(); len(none.Allotments) != 0 {
		t.Errorf("an empty object left %v", none.Allotments)
	}
}

// The report page's switch counts approved figures only; the links carry
// it, and the checks say what it leaves out.
func TestReportPageApprovedOnly(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	ts.openActivity(t, demo.UnitThuDuc, nil)
	_, all := fetch(t, focal, "GET", fmt.Sprintf("%s/report?year=%d", ts.URL, openYear), "", "")
	_, approved := fetch(t, focal, "GET", fmt.Sprintf("%s/report?year=%d&approved_only=1", ts.URL, openYear), "", "")
	pending := "4 lượt doanh nghiệp trong kết quả năm 2023 chưa được duyệt"
	if !strings.Contains(all, pending+".") || strings.Contains(all, `name="approved_only" value="1" checked`) || strings.Contains(all, "approved_only=1") {
		t.Errorf("the report of all figures does not say what is pending, or counts approved only")
	}
	for _, want := range []string{pending + ", không tính vào báo cáo.", `name="approved_only" value="1" checked`,
		`/report/2023.docx?approved_only=1`, `id="completion-chart"`, `<input type="hidden" name="approved_only" value="1">`} {
		if !strings.Contains(approved, want) {
			t.Errorf("the report of approved figures lacks %q", want)
		}
	}
	code, preview := fetch(t, focal, "GET", fmt.Sprintf("%s/report/%d.html?approved_only=1", ts.URL, openYear), "", "")
	if code != http.StatusOK || strings.Contains(preview, "Lớp tập huấn năng suất chất lượng cho doanh nghiệp") {
		t.Errorf("the preview of approved figures lists the pending activity (%d)", code)
	}
	if _, preview := fetch(t, focal, "GET", fmt.Sprintf("%s/report/%d.html", ts.URL, openYear), "", ""); !strings.Contains(preview, "Lớp tập huấn năng suất chất lượng cho doanh nghiệp") {
		t.Errorf("the preview of all figures does not list the pending activity")
	}
}

// In English the dashboard of a unit without targets of its own names the
// status and the share in English.
func TestDistrictDashboardInEnglish(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	fetch(t, focal, "GET", ts.URL+"/lang/en", "", "")
	code, page := fetch(t, focal, "GET", ts.URL+"/?year=2022&unit=HCM-THUDUC", "", "")
	if code != http.StatusOK {
		t.Fatalf("the English dashboard of Thủ Đức: %d\n%s", code, trim(page))
	}
	if row := dashRows(t, page)[demo.EnterprisesSupported]; !strings.Contains(row, "no target of its own; ") || !strings.Contains(row, "% of the cumulative result of Ủy ban nhân dân Thành phố Hồ Chí Minh") {
		t.Errorf("the English status: %q", row)
	}
}
