package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
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

// startUpload posts a file to the import of the demo's open round and
// follows its job until it has finished; it returns the job's address and
// its page.
func startUpload(t *testing.T, ts *testServer, c *http.Client, name, content string) (job, page string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	round := ts.openRound(t).ID
	resp, err := c.Post(fmt.Sprintf("%s/rounds/%d/import", ts.URL, round), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	job = resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, fmt.Sprintf("/rounds/%d/imports/", round)) {
		t.Fatalf("upload %s: %d to %q", name, resp.StatusCode, job)
	}
	return job, followJob(t, ts, c, job)
}

// followJob reloads a job's page until the job has finished.
func followJob(t *testing.T, ts *testServer, c *http.Client, job string) string {
	t.Helper()
	for range 200 {
		_, page := fetch(t, c, "GET", ts.URL+job, "", "")
		if !strings.Contains(page, `http-equiv="refresh"`) {
			return page
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the import did not finish")
	return ""
}

// choose posts choices to a job's page and follows the job's next run.
func choose(t *testing.T, ts *testServer, c *http.Client, job string, choices url.Values) string {
	t.Helper()
	resp, body := send(t, c, "POST", ts.URL+job, formType, choices.Encode())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choices %v: %d %s", choices, resp.StatusCode, trim(body))
	}
	return followJob(t, ts, c, job)
}

// trainedOpenYear is the Thủ Đức dashboard's training figure of the open year
// (2023), entered and not yet approved.
func trainedOpenYear(t *testing.T, ts *testServer, c *http.Client) int {
	t.Helper()
	_, page := fetch(t, c, "GET", fmt.Sprintf("%s/?year=%d&unit=HCM-THUDUC", ts.URL, openYear), "", "")
	m := regexp.MustCompile(`data-indicator="training_enterprises"(?s:.*?)class="pending-year">([\d.]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the dashboard shows no training figure")
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
	return n
}

// The web form's activity of the issue: Thủ Đức trained 14 enterprises.
func fiveSForm(unit string) url.Values {
	return url.Values{"unit": {unit}, "date": {"12/09/2023"}, "task_group": {"d"}, "kind": {"training"},
		"description": {"Lớp tập huấn 5S cho doanh nghiệp Thủ Đức"}, "q_training_enterprises": {"14"}, "q_trainees": {"120"}, "version": {"0"}}
}

// Thủ Đức's own sheet: figures under headings of its own, no kind.
const ownSheetHeader = "STT,Đơn vị,Ngày thực hiện,Nhóm nhiệm vụ,Loại hoạt động,Nội dung hoạt động,Số DN tập huấn,Số học viên\n"

// Web form, then the unit's own sheet (issue 12): the import page asks
// what the sheet's columns hold, then whether the row is the activity
// entered; linked, the figure moves only by the other row. The unit's next
// sheet is read as chosen, without asking; a row said to be another
// activity counts again.
func TestImportPageAsksColumnsThenLookAlikes(t *testing.T) {
	f := newFormFixture(t)
	ts, c := f.ts, f.reporter
	before := trainedOpenYear(t, ts, c)
	if resp, body := send(t, c, "POST", ts.URL+"/activities", formType, fiveSForm(f.thuDuc.Code).Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the form: %d %s", resp.StatusCode, alertText(body))
	}
	web := f.byDescription(t, "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức")
	entered := trainedOpenYear(t, ts, c)
	if entered != before+14 {
		t.Fatalf("the form's activity: %d → %d", before, entered)
	}
	sheet := ownSheetHeader +
		"1,Thành phố Thủ Đức,12/09/2023,d,,LỚP TẬP HUẤN 5S CHO DOANH NGHIỆP THỦ ĐỨC,14,120\n" +
		"2,Thành phố Thủ Đức,19/09/2023,d,,Lớp Kaizen cho doanh nghiệp Thủ Đức,5,40\n"
	job, page := startUpload(t, ts, c, "thu-duc.csv", sheet)
	for _, want := range []string{`id="import-columns-ask"`, `name="heading" value="Số DN tập huấn"`, "G (Số DN tập huấn)", `<optgroup label="Có thể là"><option value="training_enterprises">`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the columns' question lacks %q:\n%s", want, page)
		}
	}
	if got := trainedOpenYear(t, ts, c); got != entered {
		t.Fatalf("asking moved the figure: %d → %d", entered, got)
	}

	// Two columns as one metric cannot be: asked again, the file kept.
	page = choose(t, ts, c, job, url.Values{"heading": {"Số DN tập huấn", "Số học viên"}, "metric": {"training_enterprises", "training_enterprises"}})
	if !strings.Contains(page, `id="import-notice"`) || !strings.Contains(page, "cùng là") || !strings.Contains(page, `id="import-columns-ask"`) {
		t.Fatalf("an impossible choice:\n%s", page)
	}
	page = choose(t, ts, c, job, url.Values{"heading": {"Số DN tập huấn", "Số học viên"}, "metric": {"training_enterprises", "trainees"}})
	for _, want := range []string{`id="import-same-ask"`, `name="same.2" value="` + strconv.FormatInt(web.ID, 10) + `"`, "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức", `id="import-link-all"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the look-alike question lacks %q:\n%s", want, page)
		}
	}
	if got := trainedOpenYear(t, ts, c); got != entered {
		t.Fatalf("asking moved the figure: %d → %d", entered, got)
	}
	page = choose(t, ts, c, job, url.Values{"same_all": {"link"}})
	if !strings.Contains(page, `id="import-done"`) || !strings.Contains(page, "1 hoạt động mới") || !strings.Contains(page, "1 dòng ghi vào hoạt động đã có") {
		t.Fatalf("linked:\n%s", page)
	}
	if got := trainedOpenYear(t, ts, c); got != entered+5 {
		t.Errorf("linked: %d, want %d + 5 (the Kaizen row only)", got, entered)
	}

	// The unit's next sheet: read as chosen; its row said to be another.
	next := ownSheetHeader + "1,HCM-THUDUC,12/09/2023,d,tập huấn,Buổi 2 của lớp 5S,14,120\n"
	job, page = startUpload(t, ts, c, "thu-duc-2.csv", next)
	if !strings.Contains(page, `id="import-same-ask"`) || !strings.Contains(page, "theo lựa chọn đã lưu") {
		t.Fatalf("the next sheet (same figures as the 5S class): want only the look-alike asked\n%s", page)
	}
	page = choose(t, ts, c, job, url.Values{"same.2": {"0"}})
	if !strings.Contains(page, `id="import-done"`) {
		t.Fatalf("another activity:\n%s", page)
	}
	if got := trainedOpenYear(t, ts, c); got != entered+5+14 {
		t.Errorf("another activity: %d, want %d + 5 + 14", got, entered)
	}
}

// byDescription is the one stored activity with the description.
func (f formFixture) byDescription(t *testing.T, desc string) nscl.Activity {
	t.Helper()
	page, err := f.ts.store.Activities(context.Background(), f.prog, store.ActivityFilter{Text: desc})
	if err != nil || len(page.Activities) != 1 {
		t.Fatalf("%q: %v, %d activities", desc, err, len(page.Activities))
	}
	return page.Activities[0]
}

// Import, then the web form: saving the same activity (another kind, its
// words in capitals) stops at a question listing the imported one, with
// nothing stored; "the same" updates it, "another" saves a second.
func TestFormAsksBeforeSavingALookAlike(t *testing.T) {
	f := newFormFixture(t)
	ts, c := f.ts, f.reporter
	sheet := "Đơn vị,Ngày thực hiện,Nhóm nhiệm vụ,Loại hoạt động,Nội dung hoạt động,\"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng\",trainees\n" +
		"HCM-THUDUC,12/09/2023,d,tập huấn,Lớp tập huấn 5S cho doanh nghiệp Thủ Đức,14,120\n"
	if _, page := startUpload(t, ts, c, "thu-duc.csv", sheet); !strings.Contains(page, `id="import-done"`) {
		t.Fatalf("the import:\n%s", page)
	}
	imported := f.byDescription(t, "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức")
	figure := trainedOpenYear(t, ts, c)

	form := fiveSForm(f.thuDuc.Code)
	form.Set("kind", "consulting")
	form.Set("description", "LỚP TẬP HUẤN 5S CHO DOANH NGHIỆP THỦ ĐỨC")
	form.Set("q_trainees", "") // left empty: the stored figure is kept
	form.Set("source", "Nhập lại trên trang")
	before := stateOf(t, ts, f.focal)
	resp, page := send(t, c, "POST", ts.URL+"/activities", formType, form.Encode())
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, `id="look-alikes"`) ||
		!strings.Contains(page, `name="same_as" value="`+strconv.FormatInt(imported.ID, 10)+`"`) || !strings.Contains(page, `name="same_as" value="new"`) {
		t.Fatalf("the question: %d\n%s", resp.StatusCode, page)
	}
	if shown := formValues(t, page); shown.Get("description") != form.Get("description") || shown.Get("q_training_enterprises") != "14" {
		t.Errorf("the form asked without what was typed: %v", shown)
	}
	if d := before.diff(stateOf(t, ts, f.focal)); d != "" {
		t.Errorf("asking stored something: %s", d)
	}

	same := url.Values{}
	for k, v := range form {
		same[k] = v
	}
	same.Set("same_as", strconv.FormatInt(imported.ID, 10))
	if resp, body := send(t, c, "POST", ts.URL+"/activities", formType, same.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the same activity: %d %s", resp.StatusCode, alertText(body))
	}
	after := stateOf(t, ts, f.focal)
	if after.activities != before.activities || trainedOpenYear(t, ts, c) != figure {
		t.Errorf("the same activity: %s, figure %d → %d", before.diff(after), figure, trainedOpenYear(t, ts, c))
	}
	updated, err := ts.store.Activity(context.Background(), imported.ID)
	if err != nil || updated.Kind != nscl.KindConsulting || updated.Source != "Nhập lại trên trang" || len(updated.Quantities) != 2 || updated.Ref != imported.Ref {
		t.Errorf("the updated activity: %+v %v; want the form's kind and source, the stored trainees and row key kept", updated, err)
	}

	other := same
	other.Set("same_as", "new")
	if resp, body := send(t, c, "POST", ts.URL+"/activities", formType, other.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another activity: %d %s", resp.StatusCode, alertText(body))
	}
	if got := trainedOpenYear(t, ts, c); got != figure+14 {
		t.Errorf("another activity: %d, want %d + 14", got, figure)
	}
}

// A file with a row without figures waits for "write anyway".
func TestImportPageConfirmsRowsWithoutFigures(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "thuduc@demo.local")
	prog, err := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := ts.store.CountActivities(context.Background(), prog, store.ActivityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	job, page := startUpload(t, ts, c, "trong.csv", importHeader+"HCM-THUDUC,15/03/2023,d,tập huấn,Buổi giới thiệu chương trình,\n")
	if !strings.Contains(page, `id="import-confirm-ask"`) || !strings.Contains(page, "không có số liệu") {
		t.Fatalf("a row without figures:\n%s", page)
	}
	if count() != before {
		t.Fatal("written before it was confirmed")
	}
	page = choose(t, ts, c, job, url.Values{"confirm": {"1"}})
	if !strings.Contains(page, `id="import-done"`) || count() != before+1 {
		t.Errorf("confirmed: %d written\n%s", count()-before, page)
	}
	// Done, the job asks nothing more.
	if resp, _ := send(t, c, "POST", ts.URL+job, formType, "confirm=1"); resp.StatusCode != http.StatusConflict {
		t.Errorf("a choice after the job is done: %d, want 409", resp.StatusCode)
	}
}
