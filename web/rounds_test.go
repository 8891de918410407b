package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

var (
	reRoundRow    = regexp.MustCompile(`(?s)<tr data-unit="([^"]+)">(.*?)</tr>`)
	reRowCell     = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	reTags        = regexp.MustCompile(`<[^>]*>`)
	reOwnSection  = regexp.MustCompile(`(?s)<section class="own-round" id="own" data-unit="([^"]+)">(.*?)</section>`)
	reHistoryItem = regexp.MustCompile(`(?s)<ol class="review-history">(.*?)</ol>`)
)

// returnCommentError is the message beside the comment box of unit's
// line in the round's table, "" when there is none.
func returnCommentError(page, unit string) string {
	for _, m := range reRoundRow.FindAllStringSubmatch(page, -1) {
		if m[1] == unit {
			if e := reFieldError.FindStringSubmatch(m[2]); e != nil {
				return strings.TrimSpace(html.UnescapeString(e[1]))
			}
		}
	}
	return ""
}

// textOf is the text of some HTML, tags dropped, spaces folded.
func textOf(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(reTags.ReplaceAllString(s, ""))), " ")
}

// roundTable reads the round page's table: its units' codes in order, and
// each line's cells as text.
func roundTable(page string) (codes []string, cells map[string][]string) {
	cells = map[string][]string{}
	for _, m := range reRoundRow.FindAllStringSubmatch(page, -1) {
		codes = append(codes, m[1])
		for _, c := range reRowCell.FindAllStringSubmatch(m[2], -1) {
			cells[m[1]] = append(cells[m[1]], textOf(c[1]))
		}
	}
	return codes, cells
}

// roundFixture is a round the test opens itself, for 2024 (a year the
// demo holds no round of), asking Thủ Đức and a few other units.
type roundFixture struct {
	ts              *testServer
	focal, reporter *http.Client
	round           nscl.Round
	thuDuc, q1, sct nscl.OrgUnit
	url             string
}

func newRoundFixture(t *testing.T, deadline time.Time) roundFixture {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	f := roundFixture{ts: ts, focal: ts.client(t, "focal@demo.local"), reporter: ts.client(t, "thuduc@demo.local")}
	var err error
	for unit, code := range map[*nscl.OrgUnit]string{&f.thuDuc: demo.UnitThuDuc, &f.q1: "HCM-Q1", &f.sct: "HCM-SCT"} {
		if *unit, err = ts.store.UnitByCode(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	form := url.Values{"title": {"Báo cáo 6 tháng đầu năm 2024"}, "period_start": {"01/01/2024"}, "period_end": {"30/06/2024"},
		"deadline": {deadline.Format("02/01/2006")}}
	for _, u := range []nscl.OrgUnit{f.thuDuc, f.q1, f.sct} {
		form.Add("units", fmt.Sprint(u.ID))
	}
	resp, body := send(t, f.focal, "POST", ts.URL+"/rounds", formType, form.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open the round: %d %s", resp.StatusCode, alertText(body))
	}
	f.url = ts.URL + resp.Header.Get("Location")
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := ts.store.Rounds(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	f.round = rounds[slices.IndexFunc(rounds, func(r nscl.Round) bool { return r.Title == "Báo cáo 6 tháng đầu năm 2024" })]
	return f
}

// at sets the server's clock, and the store's.
func (f roundFixture) at(t time.Time) {
	f.ts.app.Now = func() time.Time { return t }
	f.ts.store.Now = f.ts.app.Now
}

// act posts an action on unit's submission as c, confirmed, and fails the
// test unless it is done.
func (f roundFixture) act(t *testing.T, c *http.Client, unit nscl.OrgUnit, action, comment string) {
	t.Helper()
	_, subs, err := f.ts.store.Round(context.Background(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == unit.ID })
	form := url.Values{"version": {fmt.Sprint(subs[i].Version)}, "comment": {comment}, "confirm": {"1"}}
	resp, page := send(t, c, "POST", fmt.Sprintf("%s/units/%d/%s", f.url, unit.ID, action), formType, form.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: %d %q", action, unit.Code, resp.StatusCode, alertText(page))
	}
}

// activity stores an activity of unit on day, as the reporter would.
func (f roundFixture) activity(t *testing.T, unit nscl.OrgUnit, day time.Time, description string) {
	t.Helper()
	ctx := context.Background()
	prog, err := f.ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	a := nscl.Activity{UnitID: unit.ID, Date: day, TaskGroup: "d", Kind: nscl.KindTraining, Description: description,
		Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 3}, {Metric: demo.Trainees, Value: 40}}}
	if err := f.ts.store.CreateActivity(ctx, prog, &a); err != nil {
		t.Fatal(err)
	}
}

// ownPart is the reporter's own part of the round page, as text, and the
// unit it is about.
func ownPart(t *testing.T, page string) (unit, section string) {
	t.Helper()
	m := reOwnSection.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page has no reporter's part:\n%s", trim(page))
	}
	return m[1], m[2]
}

// reporterOf makes a reporter account for unit and signs it in.
func (f roundFixture) reporterOf(t *testing.T, unit nscl.OrgUnit) *http.Client {
	t.Helper()
	ctx := context.Background()
	email := strings.ToLower(unit.Code) + "@round.test"
	u := nscl.User{Email: email, Name: "Cán bộ báo cáo " + unit.Name, Role: nscl.RoleReporter, UnitID: unit.ID}
	if err := f.ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &u, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	return f.ts.client(t, email)
}

// vietnam is a moment of Vietnam's calendar.
func vietnam(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, nscl.Local)
}

// A reporter's round page shows its own unit first: status, deadline and
// days left, what reviewers said (kept after approval), what it entered in
// the period, then the button — and nothing of any other unit.
func TestReporterRoundView(t *testing.T) {
	f := newRoundFixture(t, time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC))
	f.activity(t, f.thuDuc, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), "Tập huấn Lean cho doanh nghiệp dệt may")
	f.activity(t, f.thuDuc, time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), "Hội thảo chuyển đổi số trong quản lý chất lượng")
	f.activity(t, f.thuDuc, time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), "Lớp ISO 9001 sau kỳ báo cáo")
	f.activity(t, f.q1, time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC), "Hoạt động riêng của Quận 1")
	others := []string{f.q1.Name, f.sct.Name, "Hoạt động riêng của Quận 1"}
	check := func(step, page string) string {
		t.Helper()
		unit, own := ownPart(t, page)
		if unit != f.thuDuc.Code {
			t.Errorf("%s: the reporter's part is about %s", step, unit)
		}
		for _, name := range others {
			if strings.Contains(page, name) {
				t.Errorf("%s: the reporter's page names %q", step, name)
			}
		}
		if strings.Contains(page, "<tr data-unit") || strings.Contains(page, `id="overdue"`) || strings.Contains(page, `id="completeness"`) {
			t.Errorf("%s: the reporter's page shows the units' table or counts", step)
		}
		return own
	}

	f.at(vietnam(2024, 7, 12, 9))
	_, page := fetch(t, f.reporter, "GET", f.url, "", "")
	own := check("before sending", page)
	text := textOf(own)
	for _, want := range []string{"đang soạn", "Hạn nộp: 15/07/2024", "còn 3 ngày", "Chưa gửi lần nào.",
		"Tập huấn Lean cho doanh nghiệp dệt may", "Hội thảo chuyển đổi số", "Đã nhập trong kỳ (2)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reporter's part lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Lớp ISO 9001 sau kỳ báo cáo") {
		t.Error("an activity after the period is listed")
	}
	// The button comes after the status, the history and the activities.
	button := strings.Index(own, `value="submit"`)
	if button < 0 || button < strings.Index(own, "còn 3 ngày") || button < strings.Index(own, "Chưa gửi lần nào") || button < strings.Index(own, "Hội thảo chuyển đổi số") {
		t.Errorf("the submit button is missing or comes before what the reporter reads first (at %d)", button)
	}
	if !strings.Contains(own, `href="/activities?from=01%2F01%2F2024&amp;to=30%2F06%2F2024&amp;unit=HCM-THUDUC"`) {
		t.Errorf("no link to all the unit's activities of the period:\n%s", own)
	}

	// Sent, returned with a comment, late to be sent again, approved.
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.at(vietnam(2024, 7, 13, 10))
	asked := "Đề nghị bổ sung danh sách học viên lớp Lean (40 người)."
	f.act(t, f.focal, f.thuDuc, "return", asked)
	f.at(vietnam(2024, 7, 17, 8))
	_, page = fetch(t, f.reporter, "GET", f.url, "", "")
	text = textOf(check("returned", page))
	for _, want := range []string{"bị trả lại", "quá hạn 2 ngày", "12/07/2024 09:00 · Cán bộ báo cáo Thành phố Thủ Đức gửi báo cáo",
		"13/07/2024 10:00 · Cán bộ đầu mối Sở KHCN trả lại báo cáo: " + asked} {
		if !strings.Contains(text, want) {
			t.Errorf("after the return, the reporter's part lacks %q:\n%s", want, text)
		}
	}
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.act(t, f.focal, f.thuDuc, "approve", "")
	_, page = fetch(t, f.reporter, "GET", f.url, "", "")
	own = check("approved", page)
	text = textOf(own)
	if !strings.Contains(text, "đã duyệt") || strings.Contains(text, "quá hạn") || strings.Contains(own, `value="submit"`) {
		t.Errorf("after the approval: %s", text)
	}
	m := reHistoryItem.FindStringSubmatch(own)
	if m == nil || strings.Count(m[1], "<li") != 4 || !strings.Contains(textOf(m[1]), asked) || !strings.Contains(textOf(m[1]), "17/07/2024 08:00 · Cán bộ đầu mối Sở KHCN duyệt báo cáo") {
		t.Errorf("the history after the approval does not keep every step and the comment: %v", m)
	}

	// In English.
	f.at(vietnam(2024, 7, 18, 8))
	en, _ := url.Parse(f.ts.URL)
	f.reporter.Jar.SetCookies(en, []*http.Cookie{{Name: "lang", Value: "en"}})
	_, page = fetch(t, f.reporter, "GET", f.url, "", "")
	if text := textOf(check("in English", page)); !strings.Contains(text, "approved the report") || !strings.Contains(text, "returned the report: "+asked) {
		t.Errorf("in English: %s", text)
	}
}

// Days left, in Vietnamese and English, as the deadline nears and passes.
func TestDueText(t *testing.T) {
	r := nscl.Round{Deadline: time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC)}
	draft := nscl.Submission{Status: nscl.StatusDraft}
	for _, tc := range []struct {
		now    time.Time
		sub    nscl.Submission
		vi, en string
	}{
		{vietnam(2024, 7, 1, 8), draft, "còn 14 ngày", "14 days left"},
		{vietnam(2024, 7, 14, 23), draft, "còn 1 ngày", "1 day left"},
		{vietnam(2024, 7, 15, 23), draft, "hạn chót là hôm nay", "due today"},
		{vietnam(2024, 7, 16, 0), draft, "quá hạn 1 ngày", "1 day overdue"},
		{vietnam(2024, 7, 20, 8), nscl.Submission{Status: nscl.StatusReturned}, "quá hạn 5 ngày", "5 days overdue"},
		{vietnam(2027, 6, 1, 8), draft, "quá hạn 1.051 ngày", "1.051 days overdue"}, // numbers grouped the Vietnamese way
		{vietnam(2024, 7, 20, 8), nscl.Submission{Status: nscl.StatusSubmitted}, "", ""},
		{vietnam(2024, 7, 20, 8), nscl.Submission{Status: nscl.StatusApproved}, "", ""},
	} {
		vi, _ := dueText(langVI, r, tc.sub, tc.now)
		en, _ := dueText(langEN, r, tc.sub, tc.now)
		if vi != tc.vi || en != tc.en {
			t.Errorf("%s, %s: %q / %q, want %q / %q", tc.now, tc.sub.Status, vi, en, tc.vi, tc.en)
		}
	}
}

// Focal staff read the completeness as counts, the overdue units folded,
// and a table they may sort by each column, on the server.
func TestFocalRoundTable(t *testing.T) {
	f := newRoundFixture(t, time.Date(2024, 7, 10, 0, 0, 0, 0, time.UTC))
	q1 := f.reporterOf(t, f.q1)
	for i, day := range []int{3, 9} {
		f.activity(t, f.thuDuc, time.Date(2024, 2, day, 0, 0, 0, 0, time.UTC), fmt.Sprintf("Tập huấn số %d", i+1))
	}
	f.activity(t, f.q1, time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC), "Tập huấn Quận 1")
	f.at(vietnam(2024, 7, 5, 9))
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.act(t, f.focal, f.thuDuc, "approve", "")
	f.at(vietnam(2024, 7, 12, 9))
	f.act(t, q1, f.q1, "submit", "")

	_, page := fetch(t, f.focal, "GET", f.url, "", "")
	counts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<li data-count="(\w+)"[^>]*>.*?<strong>(\d+)</strong>`).FindAllStringSubmatch(page, -1) {
		counts[m[1]] = m[2]
	}
	if want := map[string]string{"submitted": "1", "approved": "1", "returned": "0", "late": "1", "missing": "1"}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	if !strings.Contains(page, `<span id="completeness">2 / 3</span>`) {
		t.Error("the completeness is not 2 / 3")
	}
	overdue := regexp.MustCompile(`(?s)<details class="overdue" id="overdue">(.*?)</details>`).FindStringSubmatch(page)
	if overdue == nil || !strings.Contains(overdue[1], f.sct.Name) || strings.Contains(overdue[1], f.q1.Name) || !strings.Contains(textOf(overdue[1]), "Quá hạn chưa gửi: 1 đơn vị") {
		t.Errorf("the folded overdue list: %v", overdue)
	}
	// Folded above the table, which starts with the units.
	if strings.Index(page, `id="overdue"`) > strings.Index(page, "<table") {
		t.Error("the overdue list comes after the table")
	}

	sct, q, td := f.sct.Code, f.q1.Code, f.thuDuc.Code
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{"", []string{sct, q, td}}, // by name: Sở Công Thương, Ủy ban nhân dân Quận 1, … Thành phố Thủ Đức
		{"unit", []string{sct, q, td}},
		{"-unit", []string{td, q, sct}},
		{"activities", []string{sct, q, td}}, // 0, 1, 2
		{"-activities", []string{td, q, sct}},
		{"status", []string{q, sct, td}}, // awaiting review, draft, approved
		{"-status", []string{td, sct, q}},
		{"timeliness", []string{sct, q, td}}, // overdue, late, on time
		{"-timeliness", []string{td, q, sct}},
		{"submitted", []string{sct, td, q}}, // never, 05/07, 12/07
		{"-submitted", []string{q, td, sct}},
		{"nonsense", []string{sct, q, td}},
	} {
		_, page := fetch(t, f.focal, "GET", f.url+"?sort="+url.QueryEscape(tc.sort), "", "")
		codes, cells := roundTable(page)
		if !slices.Equal(codes, tc.want) {
			t.Errorf("sorted by %q: %v, want %v", tc.sort, codes, tc.want)
		}
		if tc.sort == "activities" && (cells[td][1] != "2" || cells[q][1] != "1" || cells[sct][1] != "0") {
			t.Errorf("activity counts: %v", cells)
		}
		key, desc := strings.CutPrefix(tc.sort, "-")
		if key == "" || key == "nonsense" {
			key = "unit"
		}
		order, next := "ascending", "?sort=-"+key
		if desc {
			order, next = "descending", "?sort="+key
		}
		if !strings.Contains(page, `<th aria-sort="`+order+`"`) || !strings.Contains(page, `href="`+next+`"`) {
			t.Errorf("sorted by %q: the heading does not say %s or lead to %s", tc.sort, order, next)
		}
	}
}

// Focal staff's table folds, in each unit's line, every step of its
// submission with its comments, oldest first: the first return's comment
// too, which the line's latest comment replaced, and after the approval.
func TestFocalRoundTableFoldsEachUnitsHistory(t *testing.T) {
	f := newRoundFixture(t, time.Date(2024, 7, 10, 0, 0, 0, 0, time.UTC))
	q1 := f.reporterOf(t, f.q1)
	first, second := "Thiếu danh sách học viên lớp Lean.", "Số học viên chưa khớp với danh sách (38, không phải 40)."
	f.at(vietnam(2024, 7, 5, 9))
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.at(vietnam(2024, 7, 6, 10))
	f.act(t, f.focal, f.thuDuc, "return", first)
	f.at(vietnam(2024, 7, 8, 11))
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.act(t, f.focal, f.thuDuc, "return", second)
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.at(vietnam(2024, 7, 9, 14))
	f.act(t, f.focal, f.thuDuc, "approve", "")
	f.act(t, q1, f.q1, "submit", "")

	_, page := fetch(t, f.focal, "GET", f.url, "", "")
	history := map[string]string{}
	for _, m := range reRoundRow.FindAllStringSubmatch(page, -1) {
		if h := regexp.MustCompile(`(?s)<details class="unit-history">(.*?)</details>`).FindStringSubmatch(m[2]); h != nil {
			history[m[1]] = h[1]
		}
	}
	td := history[f.thuDuc.Code]
	steps := regexp.MustCompile(`(?s)<li[ >].*?</li>`).FindAllString(td, -1)
	var lines []string
	for _, s := range steps {
		lines = append(lines, textOf(s))
	}
	want := []string{
		"05/07/2024 09:00 · Cán bộ báo cáo Thành phố Thủ Đức gửi báo cáo",
		"06/07/2024 10:00 · Cán bộ đầu mối Sở KHCN trả lại báo cáo: " + first,
		"08/07/2024 11:00 · Cán bộ báo cáo Thành phố Thủ Đức gửi báo cáo",
		"08/07/2024 11:00 · Cán bộ đầu mối Sở KHCN trả lại báo cáo: " + second,
		"08/07/2024 11:00 · Cán bộ báo cáo Thành phố Thủ Đức gửi báo cáo",
		"09/07/2024 14:00 · Cán bộ đầu mối Sở KHCN duyệt báo cáo",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("Thủ Đức's folded history:\n%q\nwant\n%q", lines, want)
	}
	if !strings.Contains(textOf(td), "Lịch sử trao đổi (6 bước)") {
		t.Errorf("the fold's summary does not count the 6 steps: %s", textOf(td))
	}
	if q := history[f.q1.Code]; strings.Count(q, "<li") != 1 || strings.Contains(q, first) {
		t.Errorf("Quận 1's history holds another unit's steps: %s", textOf(q))
	}
	if _, ok := history[f.sct.Code]; ok {
		t.Errorf("a unit that never sent has a history to fold")
	}
}

// Approving asks first, in the browser and on the server; a return without
// a comment says so beside that unit's comment box.
func TestFocalRoundReview(t *testing.T) {
	f := newRoundFixture(t, time.Date(2024, 7, 10, 0, 0, 0, 0, time.UTC))
	q1 := f.reporterOf(t, f.q1)
	f.at(vietnam(2024, 7, 5, 9))
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.act(t, q1, f.q1, "submit", "")
	_, page := fetch(t, f.focal, "GET", f.url, "", "")
	approve := fmt.Sprintf(`action="/rounds/%d/units/%d/approve" data-confirm="`, f.round.ID, f.q1.ID)
	if i := strings.Index(page, approve); i < 0 || !strings.HasPrefix(html.UnescapeString(page[i+len(approve):]), "Duyệt báo cáo này?") {
		t.Error("the approve button asks nothing in the browser")
	}
	_, subs, _ := f.ts.store.Round(context.Background(), f.round.ID)
	version := subs[slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == f.q1.ID })].Version
	resp, page := send(t, f.focal, "POST", fmt.Sprintf("%s/units/%d/approve", f.url, f.q1.ID), formType, url.Values{"version": {fmt.Sprint(version)}}.Encode())
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="confirm-question"`) || !strings.Contains(page, f.q1.Name) {
		t.Errorf("approving without confirm=1: %d, not the question", resp.StatusCode)
	}
	if _, subs, _ = f.ts.store.Round(context.Background(), f.round.ID); subs[slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == f.q1.ID })].Status != nscl.StatusSubmitted {
		t.Error("the question approved the report")
	}

	resp, page = send(t, f.focal, "POST", fmt.Sprintf("%s/units/%d/return", f.url, f.q1.ID), formType,
		url.Values{"version": {fmt.Sprint(version)}, "comment": {"  "}, "confirm": {"1"}}.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("return without a comment: %d", resp.StatusCode)
	}
	if got := returnCommentError(page, f.q1.Code); !strings.Contains(got, "cần ghi lý do trả lại") {
		t.Errorf("beside Quận 1's comment: %q", got)
	}
	if got := returnCommentError(page, f.thuDuc.Code); got != "" || alertText(page) != "" {
		t.Errorf("the message is also beside Thủ Đức's (%q) or above the page (%q)", got, alertText(page))
	}
	if !regexp.MustCompile(`<input name="comment"[^>]*aria-invalid="true" autofocus>`).MatchString(page) {
		t.Error("the refused comment box is not marked and focused")
	}
}
