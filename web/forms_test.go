package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// send is fetch with the response kept (headers, cookies) and optional
// request headers given as name, value pairs.
func send(t *testing.T, c *http.Client, method, url, contentType, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// ---- reading pages the way a browser would ----

var (
	reMainForm   = regexp.MustCompile(`(?s)<form class="stack"[^>]*>(.*?)</form>`)
	reControl    = regexp.MustCompile(`(?s)<(input|textarea|select)\b([^>]*)>`)
	reNameAttr   = regexp.MustCompile(`\bname="([^"]*)"`)
	reValueAttr  = regexp.MustCompile(`\bvalue="([^"]*)"`)
	reTypeAttr   = regexp.MustCompile(`\btype="([^"]*)"`)
	reChecked    = regexp.MustCompile(`\bchecked\b`)
	reSelected   = regexp.MustCompile(`<option value="([^"]*)"\s*selected\s*>`)
	reOption     = regexp.MustCompile(`<option value="([^"]*)"`)
	reFieldError = regexp.MustCompile(`(?s)<span class="field-error">(.*?)</span>`)
	reAlert      = regexp.MustCompile(`(?s)<p class="error" role="alert"[^>]*>(.*?)</p>`)
	reStale      = regexp.MustCompile(`(?s)<p[^>]*\bid="stale"[^>]*>(.*?)</p>`)
)

// mainForm is the HTML of the page's editing form, "" when it has none.
func mainForm(page string) string {
	m := reMainForm.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

// formValues is what submitting the page's editing form would send.
func formValues(t *testing.T, page string) url.Values {
	t.Helper()
	f := mainForm(page)
	if f == "" {
		t.Fatalf("the page has no form:\n%s", trim(page))
	}
	v := url.Values{}
	for _, loc := range reControl.FindAllStringSubmatchIndex(f, -1) {
		tag, attrs := f[loc[2]:loc[3]], f[loc[4]:loc[5]]
		name := reNameAttr.FindStringSubmatch(attrs)
		if name == nil {
			continue
		}
		key := html.UnescapeString(name[1])
		switch tag {
		case "input":
			typ := reTypeAttr.FindStringSubmatch(attrs)
			if typ != nil && typ[1] == "checkbox" && !reChecked.MatchString(attrs) {
				continue
			}
			value := ""
			if m := reValueAttr.FindStringSubmatch(attrs); m != nil {
				value = m[1]
			}
			v.Add(key, html.UnescapeString(value))
		case "textarea":
			rest := f[loc[1]:]
			end := strings.Index(rest, "</textarea>")
			v.Add(key, html.UnescapeString(rest[:end]))
		case "select":
			rest := f[loc[1]:]
			body := rest[:strings.Index(rest, "</select>")]
			if m := reSelected.FindStringSubmatch(body); m != nil {
				v.Add(key, html.UnescapeString(m[1]))
			} else if m := reOption.FindStringSubmatch(body); m != nil {
				v.Add(key, html.UnescapeString(m[1])) // a browser sends the first option
			}
		}
	}
	return v
}

// fieldErrors maps each named control of the page's form to the text of
// the field-error spans that follow it, up to the end of its label or the
// next control.
func fieldErrors(page string) map[string]string {
	f := mainForm(page)
	out := map[string]string{}
	locs := reControl.FindAllStringSubmatchIndex(f, -1)
	for i, loc := range locs {
		name := reNameAttr.FindStringSubmatch(f[loc[4]:loc[5]])
		if name == nil {
			continue
		}
		end := len(f)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if j := strings.Index(f[loc[1]:], "</label>"); j >= 0 && loc[1]+j < end {
			end = loc[1] + j
		}
		var texts []string
		for _, m := range reFieldError.FindAllStringSubmatch(f[loc[1]:end], -1) {
			if s := strings.TrimSpace(html.UnescapeString(m[1])); s != "" {
				texts = append(texts, s)
			}
		}
		out[html.UnescapeString(name[1])] += strings.Join(texts, " ")
	}
	return out
}

// alertText is the page's form-wide error, "" when it shows none.
func alertText(page string) string {
	m := reAlert.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// checkFieldError checks that the page shows a message containing want
// beside field, and beside no other field.
func checkFieldError(t *testing.T, page, field, want string) {
	t.Helper()
	errs := fieldErrors(page)
	if _, ok := errs[field]; !ok {
		t.Errorf("the form has no control %q", field)
	}
	if !strings.Contains(errs[field], want) {
		t.Errorf("beside %s: %q, want a message with %q (form-wide: %q)", field, errs[field], want, alertText(page))
	}
	for name, text := range errs {
		if name != field && text != "" {
			t.Errorf("a message beside %s too: %q", name, text)
		}
	}
}

// ---- what is stored ----

// storedState is what is stored: the activity count (from the store), the
// report of the open year and the newest audit entry (every write adds one).
type storedState struct {
	activities int
	report     string
	lastAudit  int64
	rounds     string
}

// stateOf reads the stored state as a focal user, who sees every unit.
func stateOf(t *testing.T, ts *testServer, focal *http.Client) storedState {
	t.Helper()
	var s storedState
	prog, err := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	if s.activities, err = ts.store.CountActivities(context.Background(), prog, store.ActivityFilter{}); err != nil {
		t.Fatal(err)
	}
	code, body := fetch(t, focal, "GET", fmt.Sprintf("%s/api/v1/reports/%d", ts.URL, openYear), "", "")
	if code != 200 {
		t.Fatalf("report: %d %s", code, trim(body))
	}
	s.report = body
	var audit struct {
		Entries []struct {
			ID int64 `json:"id"`
		} `json:"entries"`
	}
	getJSON(t, focal, ts.URL+"/api/v1/audit?limit=1", &audit)
	if len(audit.Entries) == 0 {
		t.Fatal("the audit log is empty")
	}
	s.lastAudit = audit.Entries[0].ID
	code, s.rounds = fetch(t, focal, "GET", ts.URL+"/api/v1/rounds", "", "")
	if code != 200 {
		t.Fatalf("rounds: %d", code)
	}
	return s
}

func (s storedState) diff(after storedState) string {
	var d []string
	if s.activities != after.activities {
		d = append(d, fmt.Sprintf("activities %d → %d", s.activities, after.activities))
	}
	if s.report != after.report {
		d = append(d, fmt.Sprintf("the %d report changed", openYear))
	}
	if s.lastAudit != after.lastAudit {
		d = append(d, fmt.Sprintf("audit log grew (newest entry %d → %d)", s.lastAudit, after.lastAudit))
	}
	if s.rounds != after.rounds {
		d = append(d, "rounds or submissions changed")
	}
	return strings.Join(d, "; ")
}

func getJSON(t *testing.T, c *http.Client, url string, v any) string {
	t.Helper()
	code, body := fetch(t, c, "GET", url, "", "")
	if code != 200 {
		t.Fatalf("GET %s: %d %s", url, code, trim(body))
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return body
}

type apiErr struct {
	Error struct {
		Code, Message, Field string
		English              string `json:"message_en"`
	} `json:"error"`
}

func parseAPIError(t *testing.T, body string) apiErr {
	t.Helper()
	var e apiErr
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not a JSON error: %v\n%s", err, trim(body))
	}
	return e
}

// formFixture is a server with the Thủ Đức reporter and a focal user signed in.
type formFixture struct {
	ts              *testServer
	reporter, focal *http.Client
	thuDuc, other   nscl.OrgUnit
	prog            *nscl.Programme
}

func newFormFixture(t *testing.T) formFixture {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	f := formFixture{ts: ts, reporter: ts.client(t, "thuduc@demo.local"), focal: ts.client(t, "focal@demo.local")}
	var err error
	if f.thuDuc, err = ts.store.UnitByCode(ctx, demo.UnitThuDuc); err != nil {
		t.Fatal(err)
	}
	if f.other, err = ts.store.UnitByCode(ctx, demo.UnitStandards); err != nil {
		t.Fatal(err)
	}
	if f.prog, err = ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode); err != nil {
		t.Fatal(err)
	}
	return f
}

// ---- 1. stale edits ----

func (f formFixture) thuDucActivity(t *testing.T) nscl.Activity {
	t.Helper()
	return f.ts.openActivity(t, demo.UnitThuDuc, nil)
}

func (f formFixture) apiActivity(t *testing.T, id int64) (apiActivity, string) {
	t.Helper()
	var a apiActivity
	body := getJSON(t, f.focal, fmt.Sprintf("%s/api/v1/activities/%d", f.ts.URL, id), &a)
	return a, body
}

func TestStaleEditThroughThePageAnswers409(t *testing.T) {
	f := newFormFixture(t)
	act := f.thuDucActivity(t)
	editURL := fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, act.ID)
	saveURL := fmt.Sprintf("%s/activities/%d", f.ts.URL, act.ID)

	// Both open the edit form of the same activity.
	code, pageA := fetch(t, f.reporter, "GET", editURL, "", "")
	if code != 200 {
		t.Fatalf("edit form: %d", code)
	}
	code, pageB := fetch(t, f.focal, "GET", editURL, "", "")
	if code != 200 {
		t.Fatalf("edit form: %d", code)
	}
	formA, formB := formValues(t, pageA), formValues(t, pageB)
	opened := strconv.FormatInt(act.Version, 10)
	if formA.Get("version") != opened || formB.Get("version") != opened {
		t.Fatalf("the forms carry versions %q and %q, want %s", formA.Get("version"), formB.Get("version"), opened)
	}
	if formA.Get("description") != act.Description {
		t.Fatalf("the form shows %q, want the stored %q", formA.Get("description"), act.Description)
	}

	// The first saves.
	first, second := "Sửa lần thứ nhất: "+act.Description, "Sửa lần thứ hai: "+act.Description
	formA.Set("description", first)
	resp, body := send(t, f.reporter, "POST", saveURL, formType, formA.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", resp.StatusCode, trim(alertText(body)))
	}
	saved, savedJSON := f.apiActivity(t, act.ID)
	if saved.Description != first || saved.Version == act.Version {
		t.Fatalf("after the first save: %q version %d", saved.Description, saved.Version)
	}
	before := stateOf(t, f.ts, f.focal)

	// The second saves from the same, now stale, version.
	formB.Set("description", second)
	formB.Set("q_trainees", "999")
	resp, body = send(t, f.focal, "POST", saveURL, formType, formB.Encode())
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409\n%s", resp.StatusCode, trim(body))
	}
	m := reStale.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no notice with id=stale; the page says %q", alertText(body))
	}
	if notice := html.UnescapeString(m[1]); notice != translate(langVI, "common.version_note") || !strings.Contains(notice, "Người khác đã sửa") {
		t.Errorf("notice: %q", notice)
	}
	latest := formValues(t, body)
	if latest.Get("version") != strconv.FormatInt(saved.Version, 10) {
		t.Errorf("the form carries version %q, want the latest %d", latest.Get("version"), saved.Version)
	}
	// What the second person typed is kept, and the stored record is shown beside it.
	if latest.Get("description") != second || latest.Get("q_trainees") != "999" {
		t.Errorf("the form shows %q and trainees %q, want what was typed: %q and 999", latest.Get("description"), latest.Get("q_trainees"), second)
	}
	if !strings.Contains(body, `id="latest"`) || !strings.Contains(html.UnescapeString(body), first) {
		t.Errorf("the page does not show the stored version %q beside the form", first)
	}
	if _, after := f.apiActivity(t, act.ID); after != savedJSON {
		t.Errorf("the stale save changed the activity:\n%s\nwas\n%s", after, savedJSON)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("the stale save stored something: %s", d)
	}

	// Deleting from the stale version is refused too.
	resp, body = send(t, f.focal, "POST", saveURL+"/delete", formType, url.Values{"version": {opened}, "confirm": {"1"}}.Encode())
	if resp.StatusCode != http.StatusConflict || !strings.Contains(alertText(body), "người khác sửa") {
		t.Errorf("stale delete: %d %q, want 409 saying someone else changed it", resp.StatusCode, alertText(body))
	}
	if _, after := f.apiActivity(t, act.ID); after != savedJSON {
		t.Errorf("the stale delete changed the activity")
	}

	// The re-shown form carries what is needed to save on top of the latest.
	latest.Set("description", second)
	resp, body = send(t, f.focal, "POST", saveURL, formType, latest.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the re-shown form: %d %q", resp.StatusCode, alertText(body))
	}
	if a, _ := f.apiActivity(t, act.ID); a.Description != second {
		t.Errorf("after saving the re-shown form: %q", a.Description)
	}
}

func TestStaleEditThroughTheAPIAnswers409(t *testing.T) {
	f := newFormFixture(t)
	act := f.thuDucActivity(t)
	path := fmt.Sprintf("%s/api/v1/activities/%d", f.ts.URL, act.ID)
	a, _ := f.apiActivity(t, act.ID)
	opened := a.Version

	a.Description = "Sửa lần thứ nhất"
	body, _ := json.Marshal(a)
	code, resp := fetch(t, f.reporter, "PUT", path, jsonType, string(body))
	if code != http.StatusOK {
		t.Fatalf("first PUT: %d %s", code, resp)
	}
	_, savedJSON := f.apiActivity(t, act.ID)
	before := stateOf(t, f.ts, f.focal)

	a.Description, a.Version = "Sửa lần thứ hai", opened
	body, _ = json.Marshal(a)
	code, resp = fetch(t, f.focal, "PUT", path, jsonType, string(body))
	if code != http.StatusConflict {
		t.Fatalf("stale PUT: %d, want 409\n%s", code, resp)
	}
	e := parseAPIError(t, resp)
	if e.Error.Code != nscl.ECONFLICT || e.Error.Field != "version" || !strings.Contains(e.Error.English, "changed by someone else") {
		t.Errorf("stale PUT error: %+v", e.Error)
	}

	code, resp = fetch(t, f.focal, "DELETE", fmt.Sprintf("%s?version=%d", path, opened), "", "")
	if code != http.StatusConflict {
		t.Fatalf("stale DELETE: %d, want 409\n%s", code, resp)
	}
	if e := parseAPIError(t, resp); e.Error.Code != nscl.ECONFLICT || e.Error.Field != "version" {
		t.Errorf("stale DELETE error: %+v", e.Error)
	}

	if _, after := f.apiActivity(t, act.ID); after != savedJSON {
		t.Errorf("a stale write changed the activity:\n%s\nwas\n%s", after, savedJSON)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("a stale write stored something: %s", d)
	}
}

// ---- 2. bad input ----

// goodActivityForm is a valid new activity of Thủ Đức city; each bad case
// spoils one field of it.
func (f formFixture) goodActivityForm() url.Values {
	return url.Values{
		"unit": {f.thuDuc.Code}, "date": {"15/06/2023"}, "task_group": {"d"}, "kind": {"training"},
		"description": {"Tập huấn công cụ 5S cho doanh nghiệp"}, "source": {"Báo cáo quý II"},
		"q_training_enterprises": {"7"}, "q_trainees": {"120"},
		"beneficiaries": {"0301234567\n0301234567-001"}, "version": {"0"},
	}
}

type badFormCase struct {
	name   string
	change map[string]string
	status int
	field  string // the control the message is beside; "" for a form-wide error
	want   string // part of the Vietnamese message
	noForm bool   // the form cannot be shown again with what was typed
	// fields whose typed value the form cannot show again (a choice that is not offered)
	notKept []string
}

func TestBadActivityFormStoresNothing(t *testing.T) {
	f := newFormFixture(t)
	round := f.ts.openRound(t)
	longText := strings.Repeat("Năng suất chất lượng. ", 200) // 4 400 characters, 5 900 bytes
	cases := []badFormCase{
		{name: "empty description", change: map[string]string{"description": ""}, status: 400, field: "description", want: "bắt buộc"},
		{name: "description of spaces only", change: map[string]string{"description": "   \n "}, status: 400, field: "description", want: "bắt buộc"},
		{name: "description over 4000 characters", change: map[string]string{"description": longText}, status: 400, field: "description", want: "dài quá 4000 ký tự"},
		{name: "quantity with letters", change: map[string]string{"q_trainees": "12a"}, status: 400, field: "q_trainees", want: "không phải là số nguyên"},
		{name: "decimal quantity", change: map[string]string{"q_trainees": "1.5"}, status: 400, field: "q_trainees", want: "không phải là số nguyên"},
		{name: "negative quantity", change: map[string]string{"q_trainees": "-5"}, status: 400, field: "q_trainees", want: "không được âm"},
		{name: "date outside the programme", change: map[string]string{"date": "15/03/2019"}, status: 400, field: "date", want: "nằm ngoài giai đoạn chương trình 2021–2030"},
		{name: "date that does not exist", change: map[string]string{"date": "31/02/2022"}, status: 400, field: "date", want: "không hợp lệ"},
		{name: "empty date", change: map[string]string{"date": ""}, status: 400, field: "date", want: "bắt buộc"},
		{name: "date outside the round", change: map[string]string{"round": strconv.FormatInt(round.ID, 10), "date": "15/03/2024"}, status: 400, field: "date",
			want: fmt.Sprintf("nằm ngoài kỳ báo cáo %s – %s", formatDay(round.PeriodStart), formatDay(round.PeriodEnd))},
		{name: "malformed tax code", change: map[string]string{"beneficiaries": "0301234567\n03012345"}, status: 400, field: "beneficiaries", want: `mã số thuế "03012345" không hợp lệ`},
		{name: "unknown task group", change: map[string]string{"task_group": "z"}, status: 400, field: "task_group", want: "không có trong chương trình", notKept: []string{"task_group"}},
		{name: "unknown kind", change: map[string]string{"kind": "picnic"}, status: 400, field: "kind", want: "không hợp lệ", notKept: []string{"kind"}},
		// The typed quantities are lost too: TestBadActivityFormKeepsEveryTypedQuantity.
		{name: "no unit", change: map[string]string{"unit": ""}, status: 400, field: "unit", want: "bắt buộc", notKept: []string{"unit", "q_training_enterprises", "q_trainees"}},
		{name: "activity of another unit", change: map[string]string{"unit": f.other.Code}, status: 403,
			want: "không được nhập hoặc sửa hoạt động của đơn vị này", noForm: true},
		{name: "body over 1 MiB", change: map[string]string{"description": strings.Repeat("a", 1<<20)}, status: 400, want: "quá lớn", noForm: true},
	}

	// The unspoilt form is accepted, so each refusal below is the spoilt field's doing.
	good := f.goodActivityForm()
	before := stateOf(t, f.ts, f.focal)
	if resp, body := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, good.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the good form: %d %q", resp.StatusCode, alertText(body))
	}
	if after := stateOf(t, f.ts, f.focal); after.activities != before.activities+1 || after.report == before.report {
		t.Fatalf("the good form was not stored: %s", before.diff(after))
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			posted := f.goodActivityForm()
			for k, v := range c.change {
				posted.Set(k, v)
			}
			before := stateOf(t, f.ts, f.focal)
			resp, page := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, c.status, trim(alertText(page)))
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("content type %q", resp.Header.Get("Content-Type"))
			}
			if c.field != "" {
				checkFieldError(t, page, c.field, c.want)
			} else if !strings.Contains(alertText(page), c.want) {
				t.Errorf("form-wide error %q, want one with %q", alertText(page), c.want)
			}
			if !c.noForm {
				shown := formValues(t, page)
				for name := range posted {
					if slices.Contains(c.notKept, name) {
						continue
					}
					if shown.Get(name) != posted.Get(name) {
						t.Errorf("the form shows %s = %q, typed %q", name, trim(shown.Get(name)), trim(posted.Get(name)))
					}
				}
			}
			if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
				t.Errorf("stored something: %s", d)
			}
		})
	}
}

// A reporter's form only offers its own unit, so an activity for another
// unit comes from a forged or outdated form; it should still be shown again
// with what was typed and the reason, as every other refusal is.
func TestBadActivityFormForAnotherUnitShowsTheFormAgain(t *testing.T) {
	f := newFormFixture(t)
	posted := f.goodActivityForm()
	posted.Set("unit", f.other.Code)
	resp, page := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	if mainForm(page) == "" {
		t.Fatalf("the form is not shown again; the page only says %q", alertText(page))
	}
	if shown := formValues(t, page); shown.Get("description") != posted.Get("description") || shown.Get("q_trainees") != posted.Get("q_trainees") {
		t.Errorf("the typed values are lost: %v", shown)
	}
	if !strings.Contains(alertText(page), "đơn vị này") {
		t.Errorf("form-wide error %q", alertText(page))
	}
}

// readActivityForm stops at the first field it cannot read; the form shown
// again must still hold every quantity as typed, those after the bad one
// included.
func TestBadActivityFormKeepsEveryTypedQuantity(t *testing.T) {
	f := newFormFixture(t)
	for _, c := range []struct {
		name, field string
		change      map[string]string
	}{
		{"bad first quantity", "q_training_enterprises", map[string]string{"q_training_enterprises": "12a"}}, // the programme's first metric
		{"no unit", "unit", map[string]string{"unit": ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			posted := f.goodActivityForm()
			posted.Set("q_attendees", "40") // a metric after trainees
			for k, v := range c.change {
				posted.Set(k, v)
			}
			resp, page := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, posted.Encode())
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			if fieldErrors(page)[c.field] == "" {
				t.Errorf("no message beside %s", c.field)
			}
			shown := formValues(t, page)
			for _, name := range []string{"q_training_enterprises", "q_trainees", "q_attendees"} {
				if shown.Get(name) != posted.Get(name) {
					t.Errorf("the form shows %s = %q, typed %q", name, shown.Get(name), posted.Get(name))
				}
			}
		})
	}
}

// goodActivityJSON is goodActivityForm as the API takes it.
func (f formFixture) goodActivityJSON() map[string]any {
	return map[string]any{
		"unit": f.thuDuc.Code, "date": "2023-06-15", "task_group": "d", "kind": "training",
		"description": "Tập huấn công cụ 5S cho doanh nghiệp", "source": "Báo cáo quý II",
		"quantities":    map[string]any{"training_enterprises": 7, "trainees": 120},
		"beneficiaries": []string{"0301234567", "0301234567-001"}, "version": 0,
	}
}

func TestBadActivityJSONStoresNothing(t *testing.T) {
	f := newFormFixture(t)
	quantity := func(raw string) func(map[string]any) {
		return func(m map[string]any) { m["quantities"].(map[string]any)["trainees"] = json.RawMessage(raw) }
	}
	set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
	cases := []struct {
		name   string
		change func(map[string]any)
		raw    string // a body sent as is instead
		status int
		code   string
		field  string
	}{
		{name: "empty description", change: set("description", ""), status: 400, code: "invalid", field: "description"},
		{name: "description over 4000 characters", change: set("description", strings.Repeat("Năng suất chất lượng. ", 200)), status: 400, code: "invalid", field: "description"},
		{name: "decimal quantity", change: quantity("1.5"), status: 400, code: "invalid", field: "quantities.trainees"},
		{name: "negative quantity", change: quantity("-5"), status: 400, code: "invalid", field: "quantities.trainees"},
		{name: "quantity over the bound", change: quantity("1000000001"), status: 400, code: "invalid", field: "quantities.trainees"},
		{name: "unknown metric", change: func(m map[string]any) { m["quantities"].(map[string]any)["smiles"] = 3 }, status: 400, code: "invalid", field: "quantities.smiles"},
		{name: "date outside the programme", change: set("date", "2019-03-15"), status: 400, code: "invalid", field: "date"},
		{name: "date that does not exist", change: set("date", "2022-02-31"), status: 400, code: "invalid", field: "date"},
		{name: "date outside the round", change: func(m map[string]any) { m["round"], m["date"] = f.ts.openRound(t).ID, "2024-03-15" }, status: 400, code: "invalid", field: "date"},
		{name: "malformed tax code", change: set("beneficiaries", []string{"0301234567", "03012345"}), status: 400, code: "invalid", field: "beneficiaries.2"},
		{name: "unknown task group", change: set("task_group", "z"), status: 400, code: "invalid", field: "task_group"},
		{name: "unknown kind", change: set("kind", "picnic"), status: 400, code: "invalid", field: "kind"},
		{name: "unknown unit", change: set("unit", "HCM-NOWHERE"), status: 400, code: "invalid", field: "unit"},
		{name: "activity of another unit", change: set("unit", f.other.Code), status: 403, code: "forbidden"},
		{name: "unknown field", change: set("colour", "red"), status: 400, code: "invalid", field: "colour"},
		{name: "not JSON", raw: `{"unit":`, status: 400, code: "invalid", field: "body"},
		{name: "body over 1 MiB", change: set("description", strings.Repeat("a", 1<<20)), status: 400, code: "invalid", field: "body"},
	}

	encode := func(change func(map[string]any)) string {
		m := f.goodActivityJSON()
		if change != nil {
			change(m)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	before := stateOf(t, f.ts, f.focal)
	if code, body := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, encode(nil)); code != http.StatusCreated {
		t.Fatalf("the good activity: %d %s", code, body)
	}
	if after := stateOf(t, f.ts, f.focal); after.activities != before.activities+1 {
		t.Fatalf("the good activity was not stored: %s", before.diff(after))
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.raw
			if body == "" {
				body = encode(c.change)
			}
			before := stateOf(t, f.ts, f.focal)
			code, resp := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, body)
			if code != c.status {
				t.Fatalf("status %d, want %d\n%s", code, c.status, trim(resp))
			}
			e := parseAPIError(t, resp)
			if e.Error.Code != c.code || e.Error.Field != c.field {
				t.Errorf("error %s on %q, want %s on %q", e.Error.Code, e.Error.Field, c.code, c.field)
			}
			if e.Error.Message == "" || e.Error.English == "" {
				t.Errorf("error without a message: %+v", e.Error)
			}
			if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
				t.Errorf("stored something: %s", d)
			}
		})
	}
}

// docs/api.md: "numbers are plain JSON numbers (no Vietnamese grouping)".
// The JSON number 1.500 is one and a half, never one thousand five hundred.
func TestAPIQuantityIsAPlainJSONNumber(t *testing.T) {
	f := newFormFixture(t)
	for _, c := range []struct {
		raw  string
		want int64 // the value it may be stored as; 0 when it must be refused
	}{
		{"1.500", 0}, // 1.5
		{"2.000", 2}, // 2, or refused
	} {
		t.Run(c.raw, func(t *testing.T) {
			m := f.goodActivityJSON()
			m["quantities"] = map[string]any{"trainees": json.RawMessage(c.raw)}
			body, _ := json.Marshal(m)
			before := stateOf(t, f.ts, f.focal)
			code, resp := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, string(body))
			if code == http.StatusBadRequest {
				if e := parseAPIError(t, resp); e.Error.Field != "quantities.trainees" {
					t.Errorf("refused on %q, want quantities.trainees", e.Error.Field)
				}
				if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
					t.Errorf("stored something: %s", d)
				}
				return
			}
			var saved apiActivity
			if code != http.StatusCreated || json.Unmarshal([]byte(resp), &saved) != nil {
				t.Fatalf("%d %s", code, resp)
			}
			if got := string(saved.Quantities["trainees"]); c.want == 0 || got != strconv.FormatInt(c.want, 10) {
				t.Errorf("the JSON number %s was stored as %s trainees", c.raw, got)
			}
		})
	}
}

// docs/api.md: a quantity may be a string, and a bad one is named by
// error.field = quantities.<code>.
func TestAPIQuantityWithLettersNamesTheField(t *testing.T) {
	f := newFormFixture(t)
	m := f.goodActivityJSON()
	m["quantities"] = map[string]any{"trainees": "12a"}
	body, _ := json.Marshal(m)
	before := stateOf(t, f.ts, f.focal)
	code, resp := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, string(body))
	if code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400\n%s", code, resp)
	}
	if e := parseAPIError(t, resp); e.Error.Field != "quantities.trainees" {
		t.Errorf("error on %q (%s), want quantities.trainees", e.Error.Field, e.Error.English)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("stored something: %s", d)
	}
}

// ---- 3. rounds ----

type apiRoundView struct {
	ID          int64 `json:"id"`
	Submissions []struct {
		Unit, Status, Comment string
		Version               int64
	} `json:"submissions"`
}

func (f formFixture) submission(t *testing.T, round int64, unit string) (status string, version int64) {
	t.Helper()
	var r apiRoundView
	getJSON(t, f.focal, fmt.Sprintf("%s/api/v1/rounds/%d", f.ts.URL, round), &r)
	for _, s := range r.Submissions {
		if s.Unit == unit {
			return s.Status, s.Version
		}
	}
	t.Fatalf("round %d does not ask %s", round, unit)
	return "", 0
}

func TestReturningWithoutACommentIsRefused(t *testing.T) {
	f := newFormFixture(t)
	round := f.ts.openRound(t).ID
	roundURL := fmt.Sprintf("%s/rounds/%d", f.ts.URL, round)
	_, v := f.submission(t, round, f.thuDuc.Code)
	resp, page := send(t, f.reporter, "POST", fmt.Sprintf("%s/units/%d/submit", roundURL, f.thuDuc.ID), formType, url.Values{"version": {fmt.Sprint(v)}}.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d %q", resp.StatusCode, alertText(page))
	}
	status, v := f.submission(t, round, f.thuDuc.Code)
	if status != string(nscl.StatusSubmitted) {
		t.Fatalf("after submitting: %s", status)
	}
	returnURL := fmt.Sprintf("%s/units/%d/return", roundURL, f.thuDuc.ID)

	for _, comment := range []string{"", "  \n "} {
		before := stateOf(t, f.ts, f.focal)
		resp, page := send(t, f.focal, "POST", returnURL, formType, url.Values{"version": {fmt.Sprint(v)}, "comment": {comment}}.Encode())
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("return with comment %q: %d, want 400", comment, resp.StatusCode)
		}
		// Beside the unit's comment box, not above the page.
		if got := returnCommentError(page, f.thuDuc.Code); !strings.Contains(got, "cần ghi lý do trả lại") || alertText(page) != "" {
			t.Errorf("beside the comment: %q; above the page: %q", got, alertText(page))
		}
		// Still the round page, with the unit's line to act on again.
		if !strings.Contains(page, `data-unit="`+f.thuDuc.Code+`"`) || !strings.Contains(page, fmt.Sprintf(`action="/rounds/%d/units/%d/return"`, round, f.thuDuc.ID)) {
			t.Errorf("the round page is not shown again with the return form")
		}
		if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
			t.Errorf("stored something: %s", d)
		}
	}

	before := stateOf(t, f.ts, f.focal)
	code, body := fetch(t, f.focal, "POST", fmt.Sprintf("%s/api/v1/rounds/%d/submissions/%s/return", f.ts.URL, round, f.thuDuc.Code), jsonType, fmt.Sprintf(`{"version":%d,"comment":""}`, v))
	if code != http.StatusBadRequest {
		t.Fatalf("API return without comment: %d %s", code, body)
	}
	if e := parseAPIError(t, body); e.Error.Code != nscl.EINVALID || e.Error.Field != "comment" {
		t.Errorf("API error %+v", e.Error)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("stored something: %s", d)
	}

	// With a comment, the same request goes through.
	resp, page = send(t, f.focal, "POST", returnURL, formType, url.Values{"version": {fmt.Sprint(v)}, "comment": {"Thiếu danh sách doanh nghiệp"}, "confirm": {"1"}}.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return with a comment: %d %q", resp.StatusCode, alertText(page))
	}
	if status, _ := f.submission(t, round, f.thuDuc.Code); status != string(nscl.StatusReturned) {
		t.Errorf("after returning: %s", status)
	}
}

func TestOpeningARoundThatEndsBeforeItStartsIsRefused(t *testing.T) {
	f := newFormFixture(t)
	posted := url.Values{
		"title": {"Báo cáo quý I năm 2023"}, "document": {"0"},
		"period_start": {"01/04/2023"}, "period_end": {"31/03/2023"}, "cutoff": {""}, "deadline": {"10/04/2023"},
		"units": {strconv.FormatInt(f.thuDuc.ID, 10)},
	}
	before := stateOf(t, f.ts, f.focal)
	resp, page := send(t, f.focal, "POST", f.ts.URL+"/rounds", formType, posted.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400 %q", resp.StatusCode, alertText(page))
	}
	checkFieldError(t, page, "period_end", "phải sau ngày bắt đầu")
	shown := formValues(t, page)
	for name := range posted {
		if shown.Get(name) != posted.Get(name) {
			t.Errorf("the form shows %s = %q, typed %q", name, shown.Get(name), posted.Get(name))
		}
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("stored something: %s", d)
	}

	code, body := fetch(t, f.focal, "POST", f.ts.URL+"/api/v1/rounds", jsonType,
		fmt.Sprintf(`{"title":"Báo cáo quý I năm 2023","period_start":"2023-04-01","period_end":"2023-03-31","deadline":"2023-04-10","units":[%q]}`, f.thuDuc.Code))
	if code != http.StatusBadRequest {
		t.Fatalf("API: %d %s", code, body)
	}
	if e := parseAPIError(t, body); e.Error.Field != "period_end" {
		t.Errorf("API error %+v", e.Error)
	}
	if d := before.diff(stateOf(t, f.ts, f.focal)); d != "" {
		t.Errorf("stored something: %s", d)
	}

	// Corrected, the same form opens the round.
	posted.Set("period_end", "30/06/2023")
	resp, page = send(t, f.focal, "POST", f.ts.URL+"/rounds", formType, posted.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected form: %d %q", resp.StatusCode, alertText(page))
	}
	if before.rounds == stateOf(t, f.ts, f.focal).rounds {
		t.Error("the corrected round was not stored")
	}
}

// ---- 5. sessions and sign-in ----

func sessionCookieOf(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

func TestSessionCookieIsHttpOnlyAndSameSiteLax(t *testing.T) {
	ts := newTestServer(t)
	bare := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	check := func(how string, resp *http.Response, wantSecure bool) {
		t.Helper()
		c := sessionCookieOf(t, resp)
		if c == nil || c.Value == "" {
			t.Fatalf("%s: %d, no session cookie", how, resp.StatusCode)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != wantSecure || c.MaxAge <= 0 {
			t.Errorf("%s: cookie %q (HttpOnly %v, SameSite %v, Path %q, Secure %v, MaxAge %d)", how, c.Raw, c.HttpOnly, c.SameSite, c.Path, c.Secure, c.MaxAge)
		}
	}
	resp, _ := send(t, bare, "POST", ts.URL+"/api/v1/login", jsonType, `{"email":"focal@demo.local","password":"`+demoPassword+`"}`)
	check("API sign-in", resp, false)
	resp, _ = send(t, bare, "POST", ts.URL+"/login", formType, url.Values{"email": {"focal@demo.local"}, "password": {demoPassword}, "next": {"/"}}.Encode())
	check("page sign-in", resp, false)

	// Behind TLS the cookie is Secure as well.
	tlsSrv := httptest.NewTLSServer((&Server{Store: ts.store, Programme: demo.ProgrammeCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer tlsSrv.Close()
	resp, _ = send(t, tlsSrv.Client(), "POST", tlsSrv.URL+"/api/v1/login", jsonType, `{"email":"focal@demo.local","password":"`+demoPassword+`"}`)
	check("API sign-in over TLS", resp, true)
}

func TestGarbageSessionCookieIsNotASession(t *testing.T) {
	f := newFormFixture(t)
	ts := f.ts
	c := ts.client(t, "")
	u, _ := url.Parse(ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "nscl_garbage-0000000000000000", Path: "/"}})

	resp, _ := send(t, c, "GET", ts.URL+"/activities?year=2022", "", "")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape("/activities?year=2022") {
		t.Errorf("page with a garbage cookie: %d to %q, want 303 to sign in", resp.StatusCode, loc)
	}
	code, body := fetch(t, c, "GET", ts.URL+"/api/v1/me", "", "")
	if code != http.StatusUnauthorized || parseAPIError(t, body).Error.Code != nscl.EUNAUTHORIZED {
		t.Errorf("API with a garbage cookie: %d %s", code, body)
	}
	resp, body = send(t, ts.client(t, ""), "GET", ts.URL+"/api/v1/me", "", "", "Authorization", "Bearer nscl_garbage")
	if resp.StatusCode != http.StatusUnauthorized || parseAPIError(t, body).Error.Code != nscl.EUNAUTHORIZED {
		t.Errorf("API with a garbage token: %d %s", resp.StatusCode, body)
	}

	// A write with it stores nothing.
	before := stateOf(t, ts, f.focal)
	code, _ = fetch(t, c, "POST", ts.URL+"/activities", formType, f.goodActivityForm().Encode())
	if code != http.StatusUnauthorized {
		t.Errorf("form post with a garbage cookie: %d, want 401", code)
	}
	code, _ = fetch(t, c, "POST", ts.URL+"/api/v1/activities", jsonType, `{"unit":"HCM-THUDUC","date":"2022-06-15","task_group":"d","kind":"training","description":"x","quantities":{},"version":0}`)
	if code != http.StatusUnauthorized {
		t.Errorf("API post with a garbage cookie: %d, want 401", code)
	}
	if d := before.diff(stateOf(t, ts, f.focal)); d != "" {
		t.Errorf("stored something: %s", d)
	}
}

func TestSignInAttemptsAreLimitedPerAccount(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "")
	const tooMany = "quá nhiều lần đăng nhập sai"

	// Through the sign-in page.
	pageLogin := func(password string) (*http.Response, string) {
		return send(t, c, "POST", ts.URL+"/login", formType, url.Values{"email": {"focal@demo.local"}, "password": {password}, "next": {"/"}}.Encode())
	}
	for i := 1; i <= 5; i++ {
		if resp, page := pageLogin("sai-mật-khẩu"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d %q", i, resp.StatusCode, alertText(page))
		}
	}
	resp, page := pageLogin("sai-mật-khẩu")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(alertText(page), tooMany) {
		t.Errorf("6th wrong password: %d %q, want 429 saying %q", resp.StatusCode, alertText(page), tooMany)
	}
	resp, page = pageLogin(demoPassword)
	if resp.StatusCode != http.StatusTooManyRequests || sessionCookieOf(t, resp) != nil {
		t.Errorf("right password while limited: %d %q, want 429 and no session", resp.StatusCode, alertText(page))
	}

	// Through the API, for another account.
	apiLogin := func(password string) (int, string) {
		return fetch(t, c, "POST", ts.URL+"/api/v1/login", jsonType, `{"email":"thuduc@demo.local","password":"`+password+`"}`)
	}
	for i := 1; i <= 5; i++ {
		if code, body := apiLogin("sai-mật-khẩu"); code != http.StatusUnauthorized {
			t.Fatalf("API wrong password %d: %d %s", i, code, body)
		}
	}
	code, body := apiLogin("sai-mật-khẩu")
	if e := parseAPIError(t, body); code != http.StatusTooManyRequests || e.Error.Code != errTooMany || !strings.Contains(e.Error.Message, tooMany) {
		t.Errorf("API 6th wrong password: %d %s", code, body)
	}
	if code, body := apiLogin(demoPassword); code != http.StatusTooManyRequests {
		t.Errorf("API right password while limited: %d %s", code, body)
	}

	// The limit is the account's at this address: another account still signs in from it.
	if code, body := fetch(t, ts.client(t, ""), "POST", ts.URL+"/api/v1/login", jsonType, `{"email":"admin@demo.local","password":"`+demoPassword+`"}`); code != http.StatusOK {
		t.Errorf("another account: %d %s", code, body)
	}
}

func TestSignInDoesNotTellWhetherAnAccountExists(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "")
	wrongPassword := `{"email":"focal@demo.local","password":"sai-mật-khẩu"}`
	unknownEmail := `{"email":"nobody@demo.local","password":"sai-mật-khẩu"}`
	code1, body1 := fetch(t, c, "POST", ts.URL+"/api/v1/login", jsonType, wrongPassword)
	code2, body2 := fetch(t, c, "POST", ts.URL+"/api/v1/login", jsonType, unknownEmail)
	if code1 != http.StatusUnauthorized || code1 != code2 || body1 != body2 {
		t.Errorf("wrong password: %d %q\nunknown e-mail: %d %q", code1, body1, code2, body2)
	}

	pageLogin := func(email string) string {
		_, page := send(t, c, "POST", ts.URL+"/login", formType, url.Values{"email": {email}, "password": {"sai-mật-khẩu"}}.Encode())
		return alertText(page)
	}
	if a, b := pageLogin("focal@demo.local"), pageLogin("nobody@demo.local"); a == "" || a != b {
		t.Errorf("sign-in page: wrong password says %q, unknown e-mail %q", a, b)
	}
}

// Tax codes the registry lacks join it when the activity is saved, if the
// box is ticked, in the same write; the form then names them.
func TestActivityAddsUnknownTaxCodesToTheRegistry(t *testing.T) {
	f := newFormFixture(t)
	ctx := context.Background()
	form := f.goodActivityForm()
	resp, _ := send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, form.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save without the box: %d", resp.StatusCode)
	}
	if _, err := f.ts.store.EnterpriseByTaxCode(ctx, "0301234567"); nscl.ErrorCode(err) != nscl.ENOTFOUND {
		t.Errorf("without the box the registry got the code: %v", err)
	}
	form.Set("description", "Tập huấn công cụ Kaizen cho doanh nghiệp")
	form.Set("q_trainees", "95") // other words and figures: not the first one again
	form.Set("add_unknown", "1")
	resp, _ = send(t, f.reporter, "POST", f.ts.URL+"/activities", formType, form.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with the box: %d", resp.StatusCode)
	}
	for _, tc := range []string{"0301234567", "0301234567-001"} {
		if e, err := f.ts.store.EnterpriseByTaxCode(ctx, tc); err != nil || e.Name != "" {
			t.Errorf("%s in the registry: %+v %v, want an unnamed record", tc, e, err)
		}
	}
	page, err := f.ts.store.Activities(ctx, f.prog, store.ActivityFilter{Text: "kaizen"})
	if err != nil || len(page.Activities) != 1 {
		t.Fatalf("the saved activity: %v %d", err, len(page.Activities))
	}
	_, body := send(t, f.reporter, "GET", fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, page.Activities[0].ID), "", "")
	if !strings.Contains(body, `class="beneficiary-list"`) || !strings.Contains(body, "(chưa có tên) 0301234567") || strings.Contains(body, `id="beneficiaries-unknown"`) {
		t.Errorf("the form does not name the registry's records:\n%s", body)
	}
}

// ---- the footnote flag ----

// byRef is the demo activity with the row key.
func (f formFixture) byRef(t *testing.T, ref string) nscl.Activity {
	t.Helper()
	var found nscl.Activity
	err := f.ts.store.EachActivity(context.Background(), f.prog, store.ActivityFilter{}, func(a nscl.Activity) error {
		if a.Ref == ref {
			found = a
		}
		return nil
	})
	if err != nil || found.ID == 0 {
		t.Fatalf("no activity %s: %v", ref, err)
	}
	return found
}

// The form's box sets and clears whether the report's footnote itemises
// the activity; the list marks those it does not; a user who may not edit
// the activity cannot change it.
func TestActivityFormSetsAndClearsNotInFootnote(t *testing.T) {
	f := newFormFixture(t)
	act := f.thuDucActivity(t)
	editURL := fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, act.ID)
	saveURL := fmt.Sprintf("%s/activities/%d", f.ts.URL, act.ID)
	stored := func() nscl.Activity {
		t.Helper()
		a, err := f.ts.store.Activity(context.Background(), act.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	save := func(form url.Values) {
		t.Helper()
		resp, body := send(t, f.reporter, "POST", saveURL, formType, form.Encode())
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %q", resp.StatusCode, alertText(body))
		}
	}

	_, page := fetch(t, f.reporter, "GET", editURL, "", "")
	if !strings.Contains(html.UnescapeString(page), translate(langVI, "act.not_in_footnote")) {
		t.Fatalf("the form has no box for the footnote:\n%s", trim(page))
	}
	form := formValues(t, page)
	if form.Has("not_in_footnote") {
		t.Fatalf("the box is ticked for an activity the footnote itemises")
	}
	form.Set("not_in_footnote", "1")
	save(form)
	if a := stored(); !a.NotInFootnote || a.Description != act.Description || len(a.Quantities) != len(act.Quantities) {
		t.Fatalf("after ticking the box: %+v", a)
	}
	_, list := fetch(t, f.reporter, "GET", f.ts.URL+"/activities", "", "")
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr data-activity="%d">.*?</tr>`, act.ID)).FindString(list)
	if !strings.Contains(html.UnescapeString(row), translate(langVI, "act.not_in_footnote_mark")) {
		t.Errorf("the list does not mark the activity:\n%s", row)
	}

	_, page = fetch(t, f.reporter, "GET", editURL, "", "")
	form = formValues(t, page)
	if form.Get("not_in_footnote") != "1" {
		t.Fatalf("the form does not show the box ticked")
	}
	form.Del("not_in_footnote") // unticked, a browser sends nothing
	save(form)
	if a := stored(); a.NotInFootnote {
		t.Errorf("after unticking the box: still not in the footnote")
	}

	// The city's remainder is not Thủ Đức's to change.
	remainder := f.byRef(t, "2022-d-con-lai")
	_, page = fetch(t, f.focal, "GET", fmt.Sprintf("%s/activities/%d/edit", f.ts.URL, remainder.ID), "", "")
	form = formValues(t, page)
	if form.Get("not_in_footnote") != "1" {
		t.Fatalf("the demo's remainder shows in the form as itemised")
	}
	form.Del("not_in_footnote")
	resp, _ := send(t, f.reporter, "POST", fmt.Sprintf("%s/activities/%d", f.ts.URL, remainder.ID), formType, form.Encode())
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a reporter clearing another unit's flag: %d, want 403", resp.StatusCode)
	}
	if a := f.byRef(t, "2022-d-con-lai"); !a.NotInFootnote || a.Version != remainder.Version {
		t.Errorf("the refused write changed the remainder: %+v", a)
	}
}

// The API reads the flag and writes it; a body without it keeps the
// stored value, so that scripts written before it do not clear it.
func TestAPINotInFootnote(t *testing.T) {
	f := newFormFixture(t)
	// A remainder of the city's, like the demo's 2022 one (approved and
	// locked), in the open year.
	remainder := f.ts.openActivity(t, demo.UnitCity, func(a *nscl.Activity) { a.NotInFootnote, a.Ref = true, "2023-d-con-lai" })
	path := fmt.Sprintf("%s/api/v1/activities/%d", f.ts.URL, remainder.ID)
	a, body := f.apiActivity(t, remainder.ID)
	if a.NotInFootnote == nil || !*a.NotInFootnote || !strings.Contains(body, `"not_in_footnote":true`) {
		t.Fatalf("GET: %s", body)
	}
	put := func(a apiActivity) apiActivity {
		t.Helper()
		b, _ := json.Marshal(a)
		code, resp := fetch(t, f.focal, "PUT", path, jsonType, string(b))
		if code != http.StatusOK {
			t.Fatalf("PUT: %d %s", code, resp)
		}
		var out apiActivity
		if err := json.Unmarshal([]byte(resp), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a.NotInFootnote, a.Source = nil, "Sửa nguồn bằng một chương trình cũ"
	a = put(a)
	if a.NotInFootnote == nil || !*a.NotInFootnote || a.Source != "Sửa nguồn bằng một chương trình cũ" {
		t.Errorf("a PUT without the flag: %+v, want the flag kept", a)
	}
	itemised := false
	a.NotInFootnote = &itemised
	if a = put(a); a.NotInFootnote == nil || *a.NotInFootnote || f.byRef(t, "2023-d-con-lai").NotInFootnote {
		t.Errorf("a PUT with false: %+v, want the flag cleared", a)
	}

	in := f.goodActivityJSON()
	in["not_in_footnote"] = true
	b, _ := json.Marshal(in)
	code, resp := fetch(t, f.reporter, "POST", f.ts.URL+"/api/v1/activities", jsonType, string(b))
	var created apiActivity
	if code != http.StatusCreated || json.Unmarshal([]byte(resp), &created) != nil {
		t.Fatalf("POST: %d %s", code, resp)
	}
	if stored, err := f.ts.store.Activity(context.Background(), created.ID); err != nil || !stored.NotInFootnote {
		t.Errorf("created through the API: %+v %v, want not in the footnote", stored, err)
	}
}
