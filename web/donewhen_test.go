package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// portalYear is a year of the demo's second plan that the demo holds no
// activity of: the done-when test builds its own.
const portalYear = 2027

// TestPortalDoneWhen is issue 17's "done when", on a year the demo does
// not hold: a newcomer among the department's focal staff publishes an
// article and opens a class; two enterprises register three people in
// all through the public form; the organiser marks them present. The
// dashboard and the report then show one more article, one class, two
// enterprises and three trainees than before the steps, and, once the
// department's year is approved, the public home shows the same progress
// as the report of approved figures.
func TestPortalDoneWhen(t *testing.T) {
	ts := newTestServer(t)
	day := time.Date(portalYear, 3, 2, 9, 0, 0, 0, nscl.Local)
	ts.app.Now = func() time.Time { return day }
	ts.store.Now = func() time.Time { return day }
	ctx := context.Background()
	prog := ts.demoProgramme(t)
	dept, err := ts.store.UnitByCode(ctx, demo.UnitDept)
	if err != nil {
		t.Fatal(err)
	}
	newcomer := nscl.User{Email: "nguoi-moi@demo.local", Name: "Cán bộ mới", Role: nscl.RoleFocal, UnitID: dept.ID}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &newcomer, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	staff := ts.client(t, newcomer.Email)
	visitor := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	dashPath, reportPath := fmt.Sprintf("/?year=%d", portalYear), fmt.Sprintf("/report?year=%d", portalYear)

	beforeDash, beforeReport := dashboardCounts(t, ts, staff, dashPath), reportCounts(t, ts, staff, reportPath)

	// The article, published from the form the page gives.
	_, form := fetch(t, staff, "GET", ts.URL+"/posts/new", "", "")
	fields := map[string]string{}
	for k, v := range formValues(t, form) {
		fields[k] = v[0]
	}
	for k, v := range map[string]string{"kind": "article", "title": "Doanh nghiệp nhỏ áp dụng năng suất xanh", "body": "Bài viết của cán bộ mới.",
		"published_on": "02/03/2027", "state": "published"} {
		fields[k] = v
	}
	if resp, body := postForm(t, staff, ts.URL+"/posts", fields, "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing the article: %d\n%s", resp.StatusCode, trim(body))
	}

	// The class, opened from its form.
	_, form = fetch(t, staff, "GET", ts.URL+"/lich-tap-huan/moi", "", "")
	sent := formValues(t, form)
	sent.Set("title", "Năng suất xanh cho doanh nghiệp nhỏ")
	sent.Set("starts_on", "20/03/2027")
	sent.Set("place", "Hội trường Sở Khoa học và Công nghệ")
	sent.Set("capacity", "30")
	if resp, body := send(t, staff, "POST", ts.URL+"/lich-tap-huan", formType, sent.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("opening the class: %d\n%s", resp.StatusCode, trim(body))
	}
	classes, err := ts.store.Classes(ctx, prog, store.ClassFilter{Day: day})
	if err != nil || len(classes.Classes) != 1 {
		t.Fatalf("the calendar holds %d classes (%v), want the one opened", len(classes.Classes), err)
	}
	class := classes.Classes[0]

	// Two enterprises register from the public page, three people in all;
	// the honeypot stays empty, as a person leaves it.
	classPath := fmt.Sprintf("%s/lich-tap-huan/%d", ts.URL, class.ID)
	for _, firm := range []struct {
		taxCode string
		people  []string
	}{{"0312345678", []string{"Nguyễn Văn An", "Trần Thị Bình"}}, {"0309876543", []string{"Lê Văn Cường"}}} {
		_, page := fetch(t, visitor, "GET", classPath, "", "")
		reg := formValues(t, page)
		for k, v := range classRegistrationForm(firm.taxCode) {
			reg[k] = v
		}
		reg["attendee_name"] = append(firm.people, make([]string, registrationLines-len(firm.people))...)
		reg["attendee_position"] = make([]string, registrationLines)
		if reg.Get("website") != "" {
			t.Fatalf("the honeypot is filled in: %q", reg.Get("website"))
		}
		if resp, body := registerForClass(t, ts, visitor, class.ID, reg); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Đã nhận đăng ký tham dự") {
			t.Fatalf("registering %s: %d\n%s", firm.taxCode, resp.StatusCode, trim(body))
		}
	}

	// The organiser marks everyone registered present, from the page.
	attendance := classPath + "/diem-danh"
	_, page := fetch(t, staff, "GET", attendance, "", "")
	marks := url.Values{}
	for _, m := range regexp.MustCompile(`name="shown" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		marks.Add("shown", m[1])
	}
	if len(marks["shown"]) != 3 {
		t.Fatalf("the attendance page shows %d people, want the 3 registered", len(marks["shown"]))
	}
	marks["present"] = marks["shown"]
	if resp, body := send(t, staff, "POST", attendance, formType, marks.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the attendance: %d\n%s", resp.StatusCode, trim(body))
	}

	afterDash, afterReport := dashboardCounts(t, ts, staff, dashPath), reportCounts(t, ts, staff, reportPath)
	want := map[string]int64{"articles": 1, "classes": 1, "enterprises": 2, "trainees": 3}
	for what, n := range want {
		if got := afterDash[what] - beforeDash[what]; got != n {
			t.Errorf("the dashboard's %s moved by %d, want %d", what, got, n)
		}
	}
	for what, n := range map[string]int64{demo.Articles: 1, "group d": 1, demo.TrainingEnterprises: 2, demo.Trainees: 3, "group b": 1} {
		if got := afterReport[what] - beforeReport[what]; got != n {
			t.Errorf("the report's %s moved by %d, want %d", what, got, n)
		}
	}
	_, docx := fetch(t, staff, "GET", fmt.Sprintf("%s/report/%d.docx", ts.URL, portalYear), "", "")
	notes := unzipPart(t, docx, "word/footnotes.xml")
	for _, cited := range []string{"Tin bài “Doanh nghiệp nhỏ áp dụng năng suất xanh” đăng trên cổng thông tin của Chương trình ngày 02/03/2027",
		"Lớp tập huấn “Năng suất xanh cho doanh nghiệp nhỏ” ngày 20/03/2027 tại Hội trường Sở Khoa học và Công nghệ cho 02 doanh nghiệp, 03 học viên"} {
		if !strings.Contains(notes, cited) {
			t.Errorf("the Word file's footnotes do not cite %q", cited)
		}
	}

	// The public home against the report of approved figures: the same
	// before the department's year is approved and after, when the class's
	// enterprises have moved both.
	homeBefore := homeProgress(t, ts, visitor)
	checkHomeAgainstReport(t, ts, staff, homeBefore)
	approveYear(t, ts, dept)
	homeAfter := homeProgress(t, ts, visitor)
	checkHomeAgainstReport(t, ts, staff, homeAfter)
	if homeAfter[demo.TrainingEnterprises][1] == homeBefore[demo.TrainingEnterprises][1] {
		t.Errorf("the home's cumulative enterprise-visits did not move with the approval: %v", homeAfter[demo.TrainingEnterprises])
	}
}

// dashboardCounts reads the dashboard's panel of what the portal counted.
func dashboardCounts(t *testing.T, ts *testServer, c *http.Client, path string) map[string]int64 {
	t.Helper()
	code, page := fetch(t, c, "GET", ts.URL+path, "", "")
	if code != http.StatusOK {
		t.Fatalf("%s: %d", path, code)
	}
	out := map[string]int64{}
	for _, m := range regexp.MustCompile(`data-portal="(\w+)">([\d.]+)<`).FindAllStringSubmatch(page, -1) {
		out[m[1]] = vnNumber(t, m[2])
	}
	for _, what := range []string{"articles", "classes", "enterprises", "trainees"} {
		if _, ok := out[what]; !ok {
			t.Fatalf("the dashboard's portal panel has no %s", what)
		}
	}
	return out
}

var reGroupCount = regexp.MustCompile(`<h3>(\S+)\) [^<]*— ([\d.]+) hoạt động</h3>`)

// reportCounts reads the report: its figures of the year from its data
// (the API's JSON, the object of nscl report --format json) and each task
// group's activities from its page.
func reportCounts(t *testing.T, ts *testServer, c *http.Client, path string) map[string]int64 {
	t.Helper()
	var data struct {
		Indicators, Measures []struct {
			Code      string `json:"code"`
			YearValue int64  `json:"year_value"`
		}
	}
	getJSON(t, c, fmt.Sprintf("%s/api/v1/reports/%d", ts.URL, portalYear), &data)
	out := map[string]int64{}
	for _, m := range append(data.Indicators, data.Measures...) {
		out[m.Code] = m.YearValue
	}
	code, page := fetch(t, c, "GET", ts.URL+path, "", "")
	if code != http.StatusOK {
		t.Fatalf("%s: %d", path, code)
	}
	for _, m := range reGroupCount.FindAllStringSubmatch(page, -1) {
		out["group "+m[1]] = vnNumber(t, m[2])
	}
	return out
}

func vnNumber(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ".", ""), 10, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}

var reHomeGoal = regexp.MustCompile(`(?s)<li class="goal" data-indicator="(\w+)">.*?<span class="target">([^<]*)</span>.*?<strong class="completion">([^<]*)</strong>.*?<span class="year-value">([^<]*)</span>`)
var reHomeCumulative = regexp.MustCompile(`(?s)<li class="goal" data-indicator="(\w+)">.*?<strong class="cumulative">([^<]*)</strong>`)

// homeProgress reads the public home's progress, by indicator: target,
// cumulative, completion and the year's result, as printed.
func homeProgress(t *testing.T, ts *testServer, visitor *http.Client) map[string][4]string {
	t.Helper()
	code, page := fetch(t, visitor, "GET", ts.URL+"/", "", "")
	if code != http.StatusOK {
		t.Fatalf("the home: %d", code)
	}
	out := map[string][4]string{}
	cumulative := map[string]string{}
	for _, m := range reHomeCumulative.FindAllStringSubmatch(page, -1) {
		cumulative[m[1]] = html.UnescapeString(m[2])
	}
	for _, m := range reHomeGoal.FindAllStringSubmatch(page, -1) {
		out[m[1]] = [4]string{html.UnescapeString(m[2]), cumulative[m[1]], html.UnescapeString(m[3]), html.UnescapeString(m[4])}
	}
	if len(out) == 0 {
		t.Fatalf("the home shows no progress")
	}
	return out
}

var reReportRow = regexp.MustCompile(`<tr data-indicator="(\w+)">((?:<td>[^<]*</td>)+)</tr>`)
var reCell = regexp.MustCompile(`<td>([^<]*)</td>`)

// checkHomeAgainstReport compares the home's progress with the results
// table of the year's report of approved figures, indicator by indicator.
func checkHomeAgainstReport(t *testing.T, ts *testServer, c *http.Client, home map[string][4]string) {
	t.Helper()
	_, page := fetch(t, c, "GET", fmt.Sprintf("%s/report?year=%d&approved_only=1", ts.URL, portalYear), "", "")
	rows := reReportRow.FindAllStringSubmatch(page, -1)
	if len(rows) != len(home) {
		t.Fatalf("the report's table has %d indicators, the home %d", len(rows), len(home))
	}
	for _, row := range rows {
		var cells []string
		for _, c := range reCell.FindAllStringSubmatch(row[2], -1) {
			cells = append(cells, html.UnescapeString(c[1]))
		}
		// Target, year, cumulative, completion; with an annual plan the
		// year's target and rate stand between them.
		target, year, cumulative, completion := cells[1], cells[2], cells[3], cells[4]
		if strings.Contains(page, "Chỉ tiêu theo Kế hoạch năm") {
			year, cumulative, completion = cells[3], cells[5], cells[6]
		}
		if got, want := home[row[1]], [4]string{target, cumulative, completion, year}; got != want {
			t.Errorf("%s: the home shows %q, the report %q", row[1], got, want)
		}
	}
}

// approveYear has a reporter of the unit send its year in a round of its
// own, and the city's focal point approve it.
func approveYear(t *testing.T, ts *testServer, unit nscl.OrgUnit) {
	t.Helper()
	ctx := context.Background()
	prog := ts.demoProgramme(t)
	reviewer, err := ts.store.UserByEmail(ctx, "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	sender := nscl.User{Email: "bao-cao-so@demo.local", Name: "Báo cáo viên của Sở", Role: nscl.RoleReporter, UnitID: unit.ID}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &sender, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	round := nscl.Round{Title: fmt.Sprintf("Báo cáo năm %d", portalYear), PeriodStart: time.Date(portalYear, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd: time.Date(portalYear, 12, 31, 0, 0, 0, 0, time.UTC), Deadline: time.Date(portalYear+1, 1, 15, 0, 0, 0, 0, time.UTC), UnitIDs: []int64{unit.ID}}
	if err := ts.store.Update(store.WithActor(ctx, reviewer.ID), func(tx *store.Tx) error { return tx.CreateRound(ctx, prog, &round) }); err != nil {
		t.Fatal(err)
	}
	version := int64(1)
	for _, step := range []struct {
		who    nscl.User
		action store.SubmissionAction
	}{{sender, store.ActionSubmit}, {reviewer, store.ActionApprove}} {
		actx := store.WithActor(ctx, step.who.ID)
		err := ts.store.Update(actx, func(tx *store.Tx) error {
			sub, err := tx.ActOnSubmission(actx, round.ID, unit.ID, version, step.action, "")
			version = sub.Version
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}
}
