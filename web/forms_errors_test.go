package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Forms say every mistake at once, each beside its field; a save says it
// saved, with a link to what was saved; an action that cannot be undone
// is carried out only once confirmed.

// checkFieldErrors checks that the page's form shows, beside each field of
// want, a message containing its text, beside no other field a message,
// and above the form the count of them.
func checkFieldErrors(t *testing.T, page string, want map[string]string) {
	t.Helper()
	checkFormErrors(t, mainForm(page), want)
	if count := fmt.Sprintf("có %d chỗ cần sửa", len(want)); !strings.Contains(alertText(page), count) {
		t.Errorf("above the form: %q, want %q", alertText(page), count)
	}
}

// checkFormErrors is checkFieldErrors for the inner HTML of one form.
func checkFormErrors(t *testing.T, form string, want map[string]string) {
	t.Helper()
	got := fieldErrors(`<form class="stack">` + form + `</form>`)
	for field, text := range want {
		if _, ok := got[field]; !ok {
			t.Errorf("the form has no control %q", field)
		}
		if !strings.Contains(got[field], text) {
			t.Errorf("beside %s: %q, want a message with %q", field, got[field], text)
		}
	}
	for field, text := range got {
		if _, ok := want[field]; !ok && text != "" {
			t.Errorf("a message beside %s too: %q", field, text)
		}
	}
}

// formWithAction is the inner HTML of the page's form that posts to action.
func formWithAction(t *testing.T, page, action string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form[^>]*action="` + regexp.QuoteMeta(action) + `"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s", action)
	}
	return m[1]
}

func TestActivityFormShowsEveryMistakeAtOnce(t *testing.T) {
	f := newFormFixture(t)
	posted := f.goodActivityForm()
	for k, v := range map[string]string{
		"description": "  ", "date": "31/02/2022", "q_trainees": "12a", "q_attendees": "-5", "beneficiaries": "0301234567\n03012345",
	} {
		posted.Set(k, v)
	}
	before := stateOf(t, f.ts, f.focal)
	resp, page := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	checkFieldErrors(t, page, map[string]string{
		"description":   "bắt buộc",
		"date":          `ngày "31/02/2022" không hợp lệ`,
		"q_trainees":    "không phải là số nguyên",
		"q_attendees":   "không được âm",
		"beneficiaries": `mã số thuế "03012345" không hợp lệ`,
	})
	if shown := formValues(t, page); shown.Get("q_trainees") != "12a" || shown.Get("date") != "31/02/2022" || shown.Get("source") != posted.Get("source") {
		t.Errorf("the form does not show what was typed: %v", shown)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("a refused form stored something: %s", d)
	}

	// Every field read, the domain's check still says all it finds.
	posted = f.goodActivityForm()
	posted.Set("date", "15/03/2019")
	posted.Set("description", "")
	posted.Set("source", strings.Repeat("s", nscl.MaxSource+1))
	_, page = send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	checkFieldErrors(t, page, map[string]string{"date": "nằm ngoài giai đoạn chương trình", "description": "bắt buộc", "source": "dài quá 500 ký tự"})
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("a refused form stored something: %s", d)
	}

	// In English, a blank field says "required".
	if code, _ := fetch(t, f.reporter, "GET", f.ts.URL+"/lang/en", "", ""); code != http.StatusSeeOther {
		t.Fatalf("switching to English: %d", code)
	}
	posted.Set("date", "")
	_, page = send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	errs := fieldErrors(page)
	if errs["date"] != "required" || errs["description"] != "required" || !strings.Contains(alertText(page), "3 fields need correcting") {
		t.Errorf("in English: beside date %q, description %q; above the form %q", errs["date"], errs["description"], alertText(page))
	}
}

// The focal point enters, for a unit and a year the demo holds nothing
// of (Quận 1, 2023), an activity with several mistakes; corrected, it is
// saved, and the next page says so with a link to it.
func TestActivityOfAnotherUnitAndYear(t *testing.T) {
	f := newFormFixture(t)
	q1, err := f.ts.store.UnitByCode(context.Background(), "HCM-Q1")
	if err != nil {
		t.Fatal(err)
	}
	posted := url.Values{
		"unit": {q1.Code}, "date": {"30/02/2023"}, "task_group": {"b"}, "kind": {"workshop"},
		"description": {""}, "q_attendees": {"1,5"}, "q_articles": {"2"}, "version": {"0"},
	}
	before := stateOf(t, f.ts, f.focal)
	resp, page := send(t, f.focal, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	checkFieldErrors(t, page, map[string]string{"date": "không hợp lệ", "description": "bắt buộc", "q_attendees": "không phải là số nguyên"})
	if shown := formValues(t, page); shown.Get("unit") != posted.Get("unit") || shown.Get("q_articles") != "2" {
		t.Errorf("the form does not keep Quận 1 and the articles: %v", shown)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("a refused form stored something: %s", d)
	}

	posted.Set("date", "28/02/2023")
	posted.Set("description", "Hội thảo năng suất chất lượng cho doanh nghiệp Quận 1")
	posted.Set("q_attendees", "45")
	resp, _ = send(t, f.focal, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/activities" {
		t.Fatalf("corrected: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	prog := f.prog
	list, err := f.ts.store.Activities(context.Background(), prog, store.ActivityFilter{UnitID: q1.ID, Year: 2023, Limit: 5})
	if err != nil || len(list.Activities) != 1 {
		t.Fatalf("Quận 1's 2023 activities: %v %v", list.Activities, err)
	}
	saved := list.Activities[0]
	link := checkSaved(t, f.focal, f.ts.URL+"/activities", "Đã lưu hoạt động", fmt.Sprintf("/activities/%d/edit", saved.ID))
	code, form := fetch(t, f.focal, "GET", f.ts.URL+link, "", "")
	if code != 200 || formValues(t, form).Get("description") != "Hội thảo năng suất chất lượng cho doanh nghiệp Quận 1" || formValues(t, form).Get("q_attendees") != "45" {
		t.Errorf("the link leads to %d, a form with %v", code, formValues(t, form))
	}
}

// checkSaved opens the page a save led to, checks that it says want with
// a link to link, and that saying it once is enough; it returns the link.
func checkSaved(t *testing.T, c *http.Client, pageURL, want, link string) string {
	t.Helper()
	code, page := fetch(t, c, "GET", pageURL, "", "")
	m := regexp.MustCompile(`(?s)<p class="flash" role="status" id="flash">(.*?)</p>`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("%s: %d, no flash", pageURL, code)
	}
	flash := html.UnescapeString(m[1])
	if !strings.Contains(flash, want) || (link != "" && !strings.Contains(flash, `<a href="`+link+`">`)) || (link == "" && strings.Contains(flash, "<a")) {
		t.Errorf("the flash says %q, want %q with a link to %q", flash, want, link)
	}
	if _, again := fetch(t, c, "GET", pageURL, "", ""); strings.Contains(again, `id="flash"`) {
		t.Errorf("the flash is said twice")
	}
	return link
}

func TestPublicRegistrationShowsEveryMistakeAtOnce(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon := ts.client(t, "")
	sent := registrationForm("tax_code", "03123", "name", " ", "sector", "Z9", "contact_email", "không-phải-email", "support_requested", "")
	resp, page := register(t, ts, anon, call.ID, sent)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	checkFieldErrors(t, page, map[string]string{
		"tax_code": `mã số thuế "03123" không hợp lệ`, "name": "bắt buộc", "sector": `mã ngành "Z9"`,
		"contact_email": "địa chỉ e-mail", "support_requested": "bắt buộc",
	})
	if again := formValues(t, page); again.Get("address") != sent.Get("address") || again.Get("contact_phone") != sent.Get("contact_phone") {
		t.Errorf("the form does not keep what was typed: %v", again)
	}
	// No way to reply: named beside the e-mail.
	_, page = register(t, ts, anon, call.ID, registrationForm("contact_email", "", "contact_phone", "", "name", ""))
	checkFieldErrors(t, page, map[string]string{"contact_email": "e-mail hoặc số điện thoại", "name": "bắt buộc"})
	if n := len(storedRegistrations(t, ts)); n != 0 {
		t.Errorf("%d registrations stored from refused forms", n)
	}
}

func TestSetupFormsShowEveryMistakeAtOnce(t *testing.T) {
	f := newFormFixture(t)
	before := stateOf(t, f.ts, f.focal)
	post := func(path string, v map[string]string) (int, string) {
		t.Helper()
		return fetch(t, f.focal, "POST", f.ts.URL+path, formType, form(v))
	}

	// The unit form: the page's other forms, with fields of the same
	// names, show nothing.
	code, page := post("/setup/units", map[string]string{"code": " ", "name": "", "level": "department", "parent": demo.UnitCity, "opened_on": "32/01/2022", "closed_on": "01/01/2020"})
	if code != http.StatusBadRequest {
		t.Fatalf("unit form: %d", code)
	}
	checkFormErrors(t, formWithAction(t, page, "/setup/units"), map[string]string{"code": "bắt buộc", "name": "bắt buộc", "opened_on": "không hợp lệ"})
	checkFormErrors(t, formWithAction(t, page, "/setup/plans"), nil)
	checkFormErrors(t, formWithAction(t, page, "/setup/documents"), nil)
	if !strings.Contains(alertText(page), "có 3 chỗ cần sửa") {
		t.Errorf("above the forms: %q", alertText(page))
	}
	// Every date read, the order of the dates is the domain's to check.
	_, page = post("/setup/units", map[string]string{"code": "HCM-SYT", "name": "", "level": "department", "parent": demo.UnitCity, "opened_on": "01/01/2022", "closed_on": "01/01/2020"})
	checkFormErrors(t, formWithAction(t, page, "/setup/units"), map[string]string{"name": "bắt buộc", "closed_on": "trước ngày thành lập"})

	// The plan form.
	code, page = post("/setup/plans", map[string]string{"name": "", "kind": "annual", "start_year": "", "end_year": "20x4", "unit": demo.UnitCity, "t_training_enterprises": "3,5", "t_experts_trained": "-1"})
	if code != http.StatusBadRequest {
		t.Fatalf("plan form: %d", code)
	}
	checkFormErrors(t, formWithAction(t, page, "/setup/plans"), map[string]string{
		"name": "bắt buộc", "start_year": "bắt buộc", "end_year": "không hợp lệ", "t_training_enterprises": "không phải là số nguyên", "t_experts_trained": "không được âm",
	})
	checkFormErrors(t, formWithAction(t, page, "/setup/units"), nil)
	if shown := formValues(t, page); shown.Get("unit") != demo.UnitCity || shown.Get("kind") != "annual" || shown.Get("t_training_enterprises") != "3,5" {
		t.Errorf("the plan form does not keep what was chosen and typed: %v", shown)
	}

	// The document form.
	_, page = post("/setup/documents", map[string]string{"type": "", "number": " ", "issuer": "", "issued_on": "hôm qua"})
	checkFormErrors(t, formWithAction(t, page, "/setup/documents"), map[string]string{"type": "bắt buộc", "number": "bắt buộc", "issuer": "bắt buộc", "issued_on": "không hợp lệ"})

	// The plan's own form.
	code, page = fetch(t, f.focal, "GET", f.ts.URL+"/setup/plans/1/edit", "", "")
	if code != 200 {
		t.Fatalf("plan form: %d", code)
	}
	edit := formValues(t, page)
	edit.Set("name", "")
	edit.Set("t_training_enterprises", "mười nghìn")
	code, page = fetch(t, f.focal, "POST", f.ts.URL+"/setup/plans/1", formType, edit.Encode())
	if code != http.StatusBadRequest {
		t.Fatalf("plan edit: %d", code)
	}
	checkFieldErrors(t, page, map[string]string{"name": "bắt buộc", "t_training_enterprises": "không phải là số nguyên"})

	// The unit's own form.
	unitForm := fmt.Sprintf("%s/setup/units/%d", f.ts.URL, f.thuDuc.ID)
	_, page = fetch(t, f.focal, "GET", unitForm+"/edit", "", "")
	edit = formValues(t, page)
	edit.Set("name", " ")
	edit.Set("closed_on", "31/06/2025")
	code, page = fetch(t, f.focal, "POST", unitForm, formType, edit.Encode())
	if code != http.StatusBadRequest {
		t.Fatalf("unit edit: %d", code)
	}
	checkFieldErrors(t, page, map[string]string{"name": "bắt buộc", "closed_on": "không hợp lệ"})

	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("refused set-up forms stored something: %s", d)
	}
}

func TestOtherFormsShowEveryMistakeAtOnce(t *testing.T) {
	f := newFormFixture(t)
	admin := f.ts.client(t, "admin@demo.local")
	before := stateOf(t, f.ts, f.focal)
	for _, c := range []struct {
		name   string
		client *http.Client
		path   string
		posted map[string]string
		want   map[string]string
	}{
		{"round", f.focal, "/rounds", map[string]string{"title": "", "period_start": "1/13/2023", "period_end": "31/03/2023", "cutoff": "01/05/2023", "deadline": "", "units": fmt.Sprint(f.thuDuc.ID)},
			map[string]string{"title": "bắt buộc", "period_start": "không hợp lệ", "deadline": "bắt buộc"}},
		{"user", admin, "/users", map[string]string{"email": "không-phải-email", "name": "", "role": "viewer", "unit": f.thuDuc.Code, "password": "ngắn"},
			map[string]string{"email": "không hợp lệ", "name": "bắt buộc", "password": "ít nhất 10 ký tự"}},
		{"enterprise", f.focal, "/enterprises", map[string]string{"tax_code": "", "name": "", "sector": "Z9", "contact_email": "x@", "contact_phone": "gọi tôi"},
			map[string]string{"tax_code": "bắt buộc", "name": "bắt buộc", "sector": `mã ngành "Z9"`, "contact_email": "địa chỉ e-mail", "contact_phone": "số điện thoại"}},
		{"call", f.focal, "/calls", map[string]string{"title": " ", "opens_on": "", "closes_on": "ngày mai"},
			map[string]string{"title": "bắt buộc", "opens_on": "bắt buộc", "closes_on": "không hợp lệ"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, page := fetch(t, c.client, "POST", f.ts.URL+c.path, formType, form(c.posted))
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%q)", code, alertText(page))
			}
			checkFieldErrors(t, page, c.want)
		})
	}
	// The units asked are a list of boxes: the message is beside the list.
	code, page := fetch(t, f.focal, "POST", f.ts.URL+"/rounds", formType, form(map[string]string{"title": "Báo cáo quý I", "period_start": "01/01/2023", "period_end": "31/03/2023", "deadline": "x"}))
	units := regexp.MustCompile(`(?s)<fieldset><legend>[^<]*</legend>\s*<span class="field-error">([^<]*)</span>`).FindStringSubmatch(page)
	if code != http.StatusBadRequest || units == nil || !strings.Contains(units[1], "chưa chọn đơn vị") || fieldErrors(page)["deadline"] == "" {
		t.Errorf("a round asking no unit: %d, beside the units %q, above the form %q", code, units, alertText(page))
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("refused forms stored something: %s", d)
	}
}

// A blank sign-in form says what is missing, and is no failed attempt.
func TestSignInFormSaysWhatIsMissing(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t, "")
	for range 12 { // more than the failed attempts an account is allowed
		code, page := fetch(t, anon, "POST", ts.URL+"/login", formType, form(map[string]string{"email": "focal@demo.local", "password": ""}))
		if code != http.StatusBadRequest {
			t.Fatalf("blank password: %d", code)
		}
		checkFieldErrors(t, page, map[string]string{"password": "bắt buộc"})
	}
	code, page := fetch(t, anon, "POST", ts.URL+"/login", formType, form(map[string]string{"email": "", "password": ""}))
	if code != http.StatusBadRequest {
		t.Fatalf("blank form: %d", code)
	}
	checkFieldErrors(t, page, map[string]string{"email": "bắt buộc", "password": "bắt buộc"})
	if code, _ := fetch(t, anon, "POST", ts.URL+"/login", formType, form(map[string]string{"email": "focal@demo.local", "password": demoPassword})); code != http.StatusSeeOther {
		t.Errorf("signing in after blank forms: %d", code)
	}
}

func TestSavesSayTheySavedWithALink(t *testing.T) {
	f := newFormFixture(t)
	focal := f.focal
	post := func(path string, v url.Values) string {
		t.Helper()
		resp, page := send(t, focal, "POST", f.ts.URL+path, formType, v.Encode())
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d %q", path, resp.StatusCode, alertText(page))
		}
		return f.ts.URL + resp.Header.Get("Location")
	}

	// An activity edited: the link opens it.
	act := f.thuDucActivity(t)
	_, page := fetch(t, focal, "GET", fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, act.ID), "", "")
	edit := formValues(t, page)
	edit.Set("description", "Sửa: "+act.Description)
	next := post(fmt.Sprintf("/activities/%d", act.ID), edit)
	link := checkSaved(t, focal, next, "Đã lưu hoạt động.", fmt.Sprintf("/activities/%d/edit", act.ID))
	if _, page := fetch(t, focal, "GET", f.ts.URL+link, "", ""); formValues(t, page).Get("description") != "Sửa: "+act.Description {
		t.Errorf("the link does not open the saved activity")
	}

	// A document: the link points at its row on the set-up page.
	next = post("/setup/documents", url.Values{"type": {"Công văn"}, "number": {"77"}, "symbol": {"SKH-CN"}, "issuer": {"Sở Khoa học và Công nghệ"}, "issued_on": {"05/01/2023"}})
	docs, err := f.ts.store.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var doc nscl.Document
	for _, d := range docs {
		if d.Number == "77" {
			doc = d
		}
	}
	link = checkSaved(t, focal, next, "Đã lưu văn bản.", fmt.Sprintf("/setup#document-%d", doc.ID))
	if _, setup := fetch(t, focal, "GET", f.ts.URL+"/setup", "", ""); !strings.Contains(setup, fmt.Sprintf(`<tr id="document-%d"><td>Công văn số 77/SKH-CN`, doc.ID)) {
		t.Errorf("the link %s leads to no row of the document", link)
	}

	// An enterprise: the page it leads to is the record itself.
	next = post("/enterprises", url.Values{"tax_code": {"0312345678"}, "name": {"Công ty TNHH Bình Minh"}})
	e, err := f.ts.store.EnterpriseByTaxCode(context.Background(), "0312345678")
	if err != nil {
		t.Fatal(err)
	}
	checkSaved(t, focal, next, "Đã lưu doanh nghiệp.", fmt.Sprintf("/enterprises/%d", e.ID))

	// A deletion says so, and links nowhere.
	next = post(fmt.Sprintf("/activities/%d/delete", act.ID), url.Values{"version": {fmt.Sprint(act.Version + 1)}, "confirm": {"1"}})
	checkSaved(t, focal, next, "Đã xóa hoạt động.", "")

	// A flash cookie nobody's save set says nothing, whatever it holds.
	u, _ := url.Parse(f.ts.URL)
	for _, forged := range []string{"<b>saved</b>.1", "activity.-1", "activity.x", "nothing.3", "activity"} {
		focal.Jar.SetCookies(u, []*http.Cookie{{Name: flashCookie, Value: forged, Path: "/"}})
		if _, page := fetch(t, focal, "GET", f.ts.URL+"/activities", "", ""); strings.Contains(page, `id="flash"`) || strings.Contains(page, "<b>saved") {
			t.Errorf("a forged flash %q is shown", forged)
		}
	}
}

// confirmPage checks that page asks to confirm, and returns what its form
// would post, and where.
func confirmPage(t *testing.T, page string) (action string, values url.Values) {
	t.Helper()
	if !strings.Contains(page, `id="confirm-question"`) {
		t.Fatalf("not a confirmation page: %q", alertText(page))
	}
	m := regexp.MustCompile(`<form class="stack" method="post" action="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the confirmation page has no form")
	}
	values = formValues(t, page)
	if values.Get("confirm") != "1" {
		t.Errorf("the confirmation's form sends confirm=%q", values.Get("confirm"))
	}
	return html.UnescapeString(m[1]), values
}

func TestDeleteAskedFirst(t *testing.T) {
	f := newFormFixture(t)
	act := f.thuDucActivity(t)
	deleteURL := fmt.Sprintf("%s/activities/%d/delete", f.ts.URL, act.ID)
	_, page := fetch(t, f.reporter, "GET", fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, act.ID), "", "")
	if !strings.Contains(page, fmt.Sprintf(`action="/activities/%d/delete" class="actions" data-confirm="Xóa hoạt động này?`, act.ID)) {
		t.Errorf("the delete button asks nothing in the browser")
	}

	before := stateOf(t, f.ts, f.focal)
	resp, page := send(t, f.reporter, "POST", deleteURL, formType, url.Values{"version": {fmt.Sprint(act.Version)}}.Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("unconfirmed delete: %d", resp.StatusCode)
	}
	action, values := confirmPage(t, page)
	if !strings.Contains(html.UnescapeString(page), act.Description) || action != fmt.Sprintf("/activities/%d/delete", act.ID) || values.Get("version") != fmt.Sprint(act.Version) {
		t.Errorf("the confirmation: action %q, values %v", action, values)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Fatalf("an unconfirmed delete changed something: %s", d)
	}
	// Who may not delete it is refused before being asked.
	if code, _ := fetch(t, f.ts.client(t, "admin@demo.local"), "POST", deleteURL, formType, "version=1"); code != http.StatusForbidden {
		t.Errorf("an administrator's delete: %d, want 403", code)
	}

	resp, _ = send(t, f.reporter, "POST", f.ts.URL+action, formType, values.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed delete: %d", resp.StatusCode)
	}
	if code, _ := fetch(t, f.focal, "GET", fmt.Sprintf("%s/api/v1/activities/%d", f.ts.URL, act.ID), "", ""); code != http.StatusNotFound {
		t.Errorf("after the confirmed delete the activity answers %d", code)
	}
}

func TestReviewAskedFirst(t *testing.T) {
	f := newFormFixture(t)
	round := f.ts.openRound(t).ID
	roundPath := fmt.Sprintf("/rounds/%d", round)
	roundURL := f.ts.URL + roundPath
	unitURL := fmt.Sprintf("%s/units/%d", roundURL, f.thuDuc.ID)
	submit := func() int64 {
		t.Helper()
		_, v := f.submission(t, round, f.thuDuc.Code)
		if resp, page := send(t, f.reporter, "POST", unitURL+"/submit", formType, url.Values{"version": {fmt.Sprint(v)}}.Encode()); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d %q", resp.StatusCode, alertText(page))
		}
		_, v = f.submission(t, round, f.thuDuc.Code)
		return v
	}
	v := submit()
	_, page := fetch(t, f.focal, "GET", roundURL, "", "")
	for _, act := range []string{"approve", "return"} {
		if !regexp.MustCompile(`action="` + roundPath + `/units/` + fmt.Sprint(f.thuDuc.ID) + `/` + act + `" data-confirm="[^"]+"`).MatchString(page) {
			t.Errorf("the %s button asks nothing in the browser", act)
		}
	}

	// Returning: the comment is asked for again on the confirmation, as typed.
	before := stateOf(t, f.ts, f.focal)
	comment := `Thiếu danh sách "điểm danh" <b>lớp 2</b>`
	_, page = send(t, f.focal, "POST", unitURL+"/return", formType, url.Values{"version": {fmt.Sprint(v)}, "comment": {comment}}.Encode())
	action, values := confirmPage(t, page)
	if values.Get("comment") != comment || strings.Contains(page, "<b>lớp 2</b>") || action != fmt.Sprintf("%s/units/%d/return", roundPath, f.thuDuc.ID) {
		t.Errorf("the return's confirmation: comment %q, action %q", values.Get("comment"), action)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Fatalf("an unconfirmed return changed something: %s", d)
	}
	if resp, page := send(t, f.focal, "POST", f.ts.URL+action, formType, values.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed return: %d %q", resp.StatusCode, alertText(page))
	}
	if status, _ := f.submission(t, round, f.thuDuc.Code); status != string(nscl.StatusReturned) {
		t.Fatalf("after the confirmed return: %s", status)
	}
	checkSaved(t, f.focal, roundURL, "Đã trả lại báo cáo", roundPath)

	// Approving.
	v = submit()
	before = stateOf(t, f.ts, f.focal)
	resp, page := send(t, f.focal, "POST", unitURL+"/approve", formType, url.Values{"version": {fmt.Sprint(v)}}.Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("unconfirmed approve: %d", resp.StatusCode)
	}
	action, values = confirmPage(t, page)
	if !strings.Contains(html.UnescapeString(page), f.thuDuc.Name) {
		t.Errorf("the confirmation does not name the unit")
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Fatalf("an unconfirmed approve changed something: %s", d)
	}
	if status, _ := f.submission(t, round, f.thuDuc.Code); status != string(nscl.StatusSubmitted) {
		t.Fatalf("after an unconfirmed approve: %s", status)
	}
	if resp, _ := send(t, f.focal, "POST", f.ts.URL+action, formType, values.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed approve: %d", resp.StatusCode)
	}
	if status, _ := f.submission(t, round, f.thuDuc.Code); status != string(nscl.StatusApproved) {
		t.Errorf("after the confirmed approve: %s", status)
	}
	checkSaved(t, f.focal, roundURL, "Đã duyệt báo cáo", roundPath)
	// An approved report is not asked about again: it is refused at once.
	if code, _ := fetch(t, f.focal, "POST", unitURL+"/approve", formType, "version=99"); code != http.StatusConflict {
		t.Errorf("approving an approved report: %d, want 409", code)
	}
}

// The other actions that cannot be undone ask too, and are carried out
// once confirmed.
func TestOtherActionsAskedFirst(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	focal, admin, anon := ts.client(t, "focal@demo.local"), ts.client(t, "admin@demo.local"), ts.client(t, "")
	call := demoCall(t, ts)
	for _, tax := range []string{"0312345678", "0312345679"} {
		if resp, _ := register(t, ts, anon, call.ID, registrationForm("tax_code", tax)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("register: %d", resp.StatusCode)
		}
	}
	regs := storedRegistrations(t, ts)
	main := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301111111", Name: "Công ty Bình An"})
	dup := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0302222222", Name: "Công ty Bình An (trùng)"})

	for _, c := range []struct {
		name    string
		client  *http.Client
		path    string
		posted  url.Values
		done    func() bool
		flash   string
		outcome string
	}{
		{"accept", focal, fmt.Sprintf("/registrations/%d/accept", regs[0].ID), url.Values{"version": {"1"}},
			func() bool {
				r, _ := ts.store.Registration(ctx, regs[0].ID)
				return r.Status == nscl.RegistrationAccepted
			}, "Đã chấp nhận đăng ký", ""},
		{"decline", focal, fmt.Sprintf("/registrations/%d/decline", regs[1].ID), url.Values{"version": {"1"}, "reason": {"Ngoài địa bàn"}},
			func() bool {
				r, _ := ts.store.Registration(ctx, regs[1].ID)
				return r.Status == nscl.RegistrationDeclined
			}, "Đã không chấp nhận", ""},
		{"close a call", focal, fmt.Sprintf("/calls/%d/close", call.ID), url.Values{"version": {fmt.Sprint(call.Version)}},
			func() bool { c, _ := ts.store.Call(ctx, call.ID); return c.Version != call.Version }, "Đã đóng đợt mời đăng ký", ""},
		{"merge", focal, fmt.Sprintf("/enterprises/%d/merge", dup.ID), url.Values{"into": {main.TaxCode}},
			func() bool { e, _ := ts.store.Enterprise(ctx, dup.ID); return e.MergedInto == main.ID }, "Đã gộp", main.DisplayName()},
		{"unmerge", admin, fmt.Sprintf("/enterprises/%d/unmerge", dup.ID), url.Values{},
			func() bool { e, _ := ts.store.Enterprise(ctx, dup.ID); return e.MergedInto == 0 }, "Đã tách", dup.TaxCode},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, page := fetch(t, c.client, "POST", ts.URL+c.path, formType, c.posted.Encode())
			if code != http.StatusOK {
				t.Fatalf("unconfirmed: %d %q", code, alertText(page))
			}
			action, values := confirmPage(t, page)
			if c.outcome != "" && !strings.Contains(html.UnescapeString(page), c.outcome) {
				t.Errorf("the confirmation does not name %q", c.outcome)
			}
			if c.done() {
				t.Fatalf("carried out without confirmation")
			}
			resp, page := send(t, c.client, "POST", ts.URL+action, formType, values.Encode())
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("confirmed: %d %q", resp.StatusCode, alertText(page))
			}
			if !c.done() {
				t.Errorf("not carried out once confirmed")
			}
			_, next := fetch(t, c.client, "GET", ts.URL+resp.Header.Get("Location"), "", "")
			if !strings.Contains(next, c.flash) {
				t.Errorf("the next page does not say %q", c.flash)
			}
		})
	}
}

// The API keeps its error's fields, holding the first mistake, and lists
// every mistake under "errors".
func TestAPIListsEveryMistake(t *testing.T) {
	f := newFormFixture(t)
	body := f.goodActivityJSON()
	body["description"] = ""
	body["kind"] = "picnic"
	body["quantities"] = map[string]any{"trainees": 30, "ghost": 3}
	b, _ := json.Marshal(body)
	before := stateOf(t, f.ts, f.focal)
	code, resp := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, string(b))
	if code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", code, resp)
	}
	var e struct {
		Error struct {
			Code, Field, Message string
			Errors               []struct{ Field, Message string }
		}
	}
	if err := json.Unmarshal([]byte(resp), &e); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, m := range e.Error.Errors {
		fields = append(fields, m.Field+": "+m.Message)
	}
	want := []string{`kind: loại hoạt động "picnic" không hợp lệ`, "description: bắt buộc", `quantities.ghost: chỉ tiêu hoặc số liệu "ghost" không có trong chương trình`}
	if e.Error.Code != nscl.EINVALID || e.Error.Field != "kind" || strings.Join(fields, "; ") != strings.Join(want, "; ") {
		t.Errorf("the error: %s", resp)
	}
	if !strings.Contains(resp, `"message_en":"required"`) {
		t.Errorf("the list lacks the English messages: %s", resp)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("a refused write stored something: %s", d)
	}
}

func TestEveryFlashIsInTheCatalogue(t *testing.T) {
	for what, path := range flashPaths {
		keys := []string{"flash." + what}
		if path != "" {
			keys = append(keys, "flash."+what+".link")
		}
		for _, key := range keys {
			if _, ok := catalogue[key]; !ok {
				t.Errorf("the catalogue lacks %s", key)
			}
		}
	}
}
