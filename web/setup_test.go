package web

import (
	"archive/zip"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
)

// The 2023 plan sets no target for experts, so the 2022 report warns; the
// focal point adds one, and the warning goes. A second form opened before
// that save is refused.
func TestEditingAPlanTarget(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	prog, _ := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	plans, _ := ts.store.Plans(context.Background(), prog)
	plan := demoPlan(t, plans, nscl.AnnualPlan, 2023)
	if _, body := fetch(t, focal, "GET", ts.URL+"/api/v1/reports/2022", "", ""); !strings.Contains(body, "no_next_year_target") {
		t.Fatal("before: the 2022 report should warn that 2023 sets no target for experts")
	}
	form := func(experts string, version int64) string {
		return fmt.Sprintf("name=%s&t_training_enterprises=3500&t_enterprises_supported=50&t_labs_strengthened=5&t_experts_trained=%s&version=%d",
			"K%E1%BA%BF+ho%E1%BA%A1ch+n%C4%83m+2023", experts, version)
	}
	path := fmt.Sprintf("%s/setup/plans/%d", ts.URL, plan.ID)
	if code, body := fetch(t, focal, "POST", path, formType, form("3a", plan.Version)); code != http.StatusBadRequest || !strings.Contains(body, "không phải là số nguyên") {
		t.Errorf("a target with letters: %d", code)
	}
	if code, _ := fetch(t, focal, "POST", path, formType, form("30", plan.Version)); code != http.StatusSeeOther {
		t.Fatalf("saving the target: %d", code)
	}
	_, body := fetch(t, focal, "GET", ts.URL+"/api/v1/reports/2022", "", "")
	if strings.Contains(body, "no_next_year_target") || !strings.Contains(body, `"code": "experts_trained"`) {
		t.Errorf("after: the warning should be gone and experts listed among 2023 targets:\n%s", body)
	}
	if code, body := fetch(t, focal, "POST", path, formType, form("40", plan.Version)); code != http.StatusConflict || !strings.Contains(body, `id="stale"`) {
		t.Errorf("a stale plan form: %d, want 409 with the notice", code)
	}
	if code, _ := fetch(t, ts.client(t, "thuduc@demo.local"), "POST", path, formType, form("40", plan.Version+1)); code != http.StatusForbidden {
		t.Errorf("a reporter edits a plan: %d", code)
	}
}

// A merger is recorded by closing the unit; activities after that date are refused.
func TestClosingAUnit(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	unit, err := ts.store.UnitByCode(context.Background(), demo.UnitHiTechPark)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s/setup/units/%d", ts.URL, unit.ID)
	body := func(closed string, version int64) string {
		return fmt.Sprintf("name=%s&short_name=&opened_on=&closed_on=%s&version=%d", "Ban+Qu%E1%BA%A3n+l%C3%BD+Khu+c%C3%B4ng+ngh%E1%BB%87+cao", closed, version)
	}
	if code, _ := fetch(t, focal, "POST", path, formType, body("31/02/2025", unit.Version)); code != http.StatusBadRequest {
		t.Errorf("a date that does not exist: %d", code)
	}
	if code, _ := fetch(t, focal, "POST", path, formType, body("01/03/2025", unit.Version)); code != http.StatusSeeOther {
		t.Fatalf("closing the unit: %d", code)
	}
	after, _ := ts.store.UnitByCode(context.Background(), demo.UnitHiTechPark)
	if after.ClosedOn.Format("2006-01-02") != "2025-03-01" || after.Version != unit.Version+1 {
		t.Errorf("stored: closed %v version %d", after.ClosedOn, after.Version)
	}
	if code, _ := fetch(t, focal, "POST", path, formType, body("01/04/2025", unit.Version)); code != http.StatusConflict {
		t.Errorf("a stale unit form: %d, want 409", code)
	}
	activity := `{"unit":"HCM-BQLKCNC","date":"2025-06-01","task_group":"b","kind":"workshop","description":"Hội thảo","quantities":{"attendees":40},"version":0}`
	if code, body := fetch(t, focal, "POST", ts.URL+"/api/v1/activities", jsonType, activity); code != http.StatusBadRequest || !strings.Contains(body, `"field":"unit"`) {
		t.Errorf("an activity after the unit closed: %d %s", code, body)
	}
}

// The focal point edits a written part on the report page; the Word file
// downloaded next carries it. The page shows the checks, the unit's
// settings apart from the year's texts, and metric placeholders in words.
func TestReportPageEditsTheWordReport(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/report?year=2022", "", "")
	if code != 200 || !strings.Contains(page, "Chưa có kế hoạch năm 2022") || strings.Contains(page, "không có vấn đề") || !strings.Contains(page, "Nguyễn Thị Kim Huệ") {
		t.Fatalf("report page: %d", code)
	}
	// The parent agency's two lines are in a text area, where a save keeps them.
	if !regexp.MustCompile(`<textarea name="parent_agency" rows="4" [^>]*>Ủy ban nhân dân\nThành phố Hồ Chí Minh</textarea>`).MatchString(page) {
		t.Error("the parent agency's two lines are not offered in a text area")
	}
	// {trainees} is stored; the page shows it in words.
	if !strings.Contains(page, "{số học viên}") || strings.Contains(page, "{trainees}") {
		t.Error("the page does not show the placeholders in words")
	}
	version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	settings := regexp.MustCompile(`name="settings_version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if version == nil || settings == nil {
		t.Fatal("the texts form carries no version")
	}
	form := url.Values{"year": {"2022"}, "agency": {"Sở Khoa học và Công nghệ"}, "obstacles": {"Vướng mắc mới 2022: {số học viên} học viên chưa được cấp chứng nhận."},
		"version": {version[1]}, "settings_version": {settings[1]}}.Encode()
	if code, _ := fetch(t, focal, "POST", ts.URL+"/report", formType, form); code != http.StatusSeeOther {
		t.Fatalf("saving the texts: %d", code)
	}
	code, docx := fetch(t, focal, "GET", ts.URL+"/report/2022.docx", "", "")
	if code != 200 || !strings.HasPrefix(docx, "PK") {
		t.Fatalf("download: %d", code)
	}
	// Filled in, the figure is a run of its own: the text is read without the tags.
	if text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(unzipPart(t, docx, "word/document.xml"), ""); !strings.Contains(text, "Vướng mắc mới 2022: 16.192 học viên") {
		t.Error("the downloaded report lacks the edited text with its figure")
	}
	// The same form again, from the version it was opened at, is stale now.
	if code, _ := fetch(t, focal, "POST", ts.URL+"/report", formType, form); code != http.StatusConflict {
		t.Errorf("a stale texts form: %d, want 409", code)
	}
	// A date the page cannot read is refused, naming the field.
	_, page = fetch(t, focal, "GET", ts.URL+"/report?year=2022", "", "")
	version = regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	settings = regexp.MustCompile(`name="settings_version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	bad := url.Values{"year": {"2022"}, "date": {"31/02/2022"}, "version": {version[1]}, "settings_version": {settings[1]}}.Encode()
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, bad); code != http.StatusBadRequest || !strings.Contains(body, "31/02/2022") {
		t.Errorf("a bad date: %d", code)
	}
}

// 2023 has no texts: the page offers 2022's beside each field, the draft
// takes none of them, and the checks list the blanks.
func TestReportPageOfAYearWithoutTexts(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/report?year=2023", "", "")
	if code != 200 {
		t.Fatalf("report page: %d", code)
	}
	for _, want := range []string{"Nội dung năm 2022 (tham khảo):", "Sở KH-CN đã tổng hợp một số vướng mắc tại Công văn số 1649",
		"II.2 Tồn tại, vướng mắc: còn để trống [cần bổ sung: những tồn tại, vướng mắc trong năm 2023]"} {
		if !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("the 2023 page lacks %q", want)
		}
	}
	_, doc := fetch(t, focal, "GET", ts.URL+"/report/2023.html", "", "")
	// The annex's pictures are written in base64, whose digits may spell 1649.
	doc = regexp.MustCompile(`data:image/png;base64,[^"]*`).ReplaceAllString(doc, "")
	if strings.Contains(doc, "1649") || !strings.Contains(doc, "<mark>[cần bổ sung: những tồn tại, vướng mắc trong năm 2023]</mark>") {
		t.Error("the 2023 draft is not 2023's own")
	}
	if code, doc := fetch(t, focal, "GET", ts.URL+"/report/2021-2025.html", "", ""); code != 200 || !strings.Contains(doc, "Tổng kết giai đoạn 2021 – 2025") {
		t.Errorf("the period summary: %d", code)
	}
	if code, body := fetch(t, focal, "GET", ts.URL+"/api/v1/reports/2021-2025", "", ""); code != 200 || !strings.Contains(body, `"from": 2021`) {
		t.Errorf("the period summary's JSON: %d %s", code, body)
	}
}

// reportForm reads the report page's form as the browser would post it:
// every field's value, hidden ones and the versions included.
func reportForm(t *testing.T, page string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input (?:type="hidden" )?name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea name="([a-z_đ]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if form.Get("version") == "" {
		t.Fatal("the report page has no form")
	}
	return form
}

// documentText is a .docx's body as text, without its tags.
func documentText(t *testing.T, docx string) string {
	t.Helper()
	return regexp.MustCompile(`<[^>]+>`).ReplaceAllString(unzipPart(t, docx, "word/document.xml"), "")
}

// A signer changed for 2023 leaves the 2022 report as it was issued; made
// the unit's setting, it starts 2024's too.
func TestReportSettingsDoNotRewriteIssuedReports(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/report?year=2023", "", "")
	form := reportForm(t, page)
	if form.Get("signer_name") != "Nguyễn Thị Kim Huệ" {
		t.Fatalf("2023's form does not start from the unit's signer: %q", form.Get("signer_name"))
	}
	form.Set("signer_name", "Trần Văn Bình")
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("saving 2023: %d %s", code, body)
	}
	signer := func(year string) string {
		_, docx := fetch(t, focal, "GET", ts.URL+"/report/"+year+".docx", "", "")
		for _, name := range []string{"Trần Văn Bình", "Nguyễn Thị Kim Huệ"} {
			if strings.Contains(documentText(t, docx), name) {
				return name
			}
		}
		return ""
	}
	if got := signer("2022"); got != "Nguyễn Thị Kim Huệ" {
		t.Errorf("2022 is signed by %q after 2023 changed its signer", got)
	}
	if got := signer("2023"); got != "Trần Văn Bình" {
		t.Errorf("2023 is signed by %q", got)
	}
	if got := signer("2024"); got != "Nguyễn Thị Kim Huệ" {
		t.Errorf("2024, not saved, is signed by %q; the unit's setting is Nguyễn Thị Kim Huệ", got)
	}
	// Kept as the unit's setting, the new signer starts 2024; 2022 stays.
	_, page = fetch(t, focal, "GET", ts.URL+"/report?year=2023", "", "")
	form = reportForm(t, page)
	form.Set("save_settings", "1")
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("saving the setting: %d %s", code, body)
	}
	if got := signer("2024"); got != "Trần Văn Bình" {
		t.Errorf("2024 is signed by %q after the setting changed", got)
	}
	if got := signer("2022"); got != "Nguyễn Thị Kim Huệ" {
		t.Errorf("2022 is signed by %q after the setting changed", got)
	}
}

// A district's report page saves the district's texts, and its downloads
// are the district's.
func TestReportPageOfADistrict(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/report?year=2022&unit=HCM-THUDUC", "", "")
	if code != 200 || !strings.Contains(page, `href="/report/2022.docx?unit=HCM-THUDUC"`) {
		t.Fatalf("district page: %d, or its links lose the unit", code)
	}
	form := reportForm(t, page)
	form.Set("obstacles", "Thủ Đức chưa có cán bộ chuyên trách.")
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("saving the district's texts: %d %s", code, body)
	}
	_, docx := fetch(t, focal, "GET", ts.URL+"/report/2022.docx?unit=HCM-THUDUC", "", "")
	if text := documentText(t, docx); !strings.Contains(text, "Thủ Đức chưa có cán bộ chuyên trách.") || !strings.Contains(text, "THÀNH PHỐ THỦ ĐỨC") {
		t.Error("the district's download is not the district's report with its text")
	}
	_, city := fetch(t, focal, "GET", ts.URL+"/report/2022.docx", "", "")
	if strings.Contains(documentText(t, city), "chưa có cán bộ chuyên trách") {
		t.Error("the district's text went into the city's report")
	}
}

// The summary of 2021–2025 on the report page: its table and checks, and
// what is written for it fills its blanks.
func TestReportPageOfTheSummary(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	code, page := fetch(t, focal, "GET", ts.URL+"/report?from=2021&to=2025", "", "")
	if code != 200 || !strings.Contains(page, "Tổng giai đoạn 2021 – 2025") || !strings.Contains(page, html.EscapeString("[cần bổ sung: bài học kinh nghiệm]")) {
		t.Fatalf("summary page: %d", code)
	}
	form := reportForm(t, page)
	form.Set("lessons", "Phối hợp sớm với các quận, huyện.")
	// 2025's own report, opened before the summary is saved, stays current:
	// the two are stored under the same year but are two documents.
	_, annualPage := fetch(t, focal, "GET", ts.URL+"/report?year=2025", "", "")
	annual := reportForm(t, annualPage)
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("saving the summary: %d %s", code, body)
	}
	annual.Set("obstacles", "Vướng mắc năm 2025.")
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, annual.Encode()); code != http.StatusSeeOther {
		t.Fatalf("saving 2025 after the summary: %d %s", code, body)
	}
	_, page = fetch(t, focal, "GET", ts.URL+"/report?from=2021&to=2025", "", "")
	checks := regexp.MustCompile(`(?s)<section id="checks">.*?</section>`).FindString(page)
	if !strings.Contains(checks, "tồn tại, hạn chế") || strings.Contains(checks, "bài học kinh nghiệm") {
		t.Errorf("the checks after the lesson was written: %s", checks)
	}
	_, docx := fetch(t, focal, "GET", ts.URL+"/report/2021-2025.docx", "", "")
	if !strings.Contains(documentText(t, docx), "Phối hợp sớm với các quận, huyện.") {
		t.Error("the summary's download lacks its lesson")
	}
	if code, _ := fetch(t, focal, "GET", ts.URL+"/report?from=2022&to=2023", "", ""); code != http.StatusBadRequest {
		t.Errorf("a summary not starting with its plan: %d", code)
	}
}

func unzipPart(t *testing.T, data, name string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			return string(b)
		}
	}
	t.Fatalf("%s not in the package", name)
	return ""
}
