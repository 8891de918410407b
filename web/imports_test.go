package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl/demo"
	"nscl/sheet"
	"nscl/store"
)

// upload posts a file to the import of the demo's open round and follows
// the job's page until the job has finished; it returns that page.
func upload(t *testing.T, ts *testServer, c *http.Client, name, content string) string {
	t.Helper()
	return uploadTo(t, ts, c, ts.openRound(t).ID, name, content)
}

// uploadTo is upload to the import of the round.
func uploadTo(t *testing.T, ts *testServer, c *http.Client, round int64, name, content string) string {
	t.Helper()
	return followJob(t, ts, c, postUpload(t, ts, c, round, name, content))
}

// postUpload posts a file to the import of the round and returns the
// path of the job's page.
func postUpload(t *testing.T, ts *testServer, c *http.Client, round int64, name, content string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	resp, err := c.Post(fmt.Sprintf("%s/rounds/%d/import", ts.URL, round), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload %s: %d", name, resp.StatusCode)
	}
	job := resp.Header.Get("Location")
	if !regexp.MustCompile(fmt.Sprintf(`^/rounds/%d/imports/[0-9a-f]+$`, round)).MatchString(job) {
		t.Fatalf("upload went to %q", job)
	}
	return job
}

const importHeader = "Đơn vị,Ngày thực hiện,Nhóm nhiệm vụ,Loại hoạt động,Nội dung hoạt động,\"Học viên được tập huấn, bồi dưỡng (học viên)\"\n"

// The Thủ Đức reporter uploads a CSV with mistakes: each is listed with
// its row and column, and nothing is written; the corrected file goes in
// once, however often it is uploaded.
func TestUploadListsMistakesThenImportsOnce(t *testing.T) {
	ts := newTestServer(t)
	reporter := ts.client(t, "thuduc@demo.local")
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
	bad := importHeader +
		"HCM-THUDUC,15/03/2023,d,tập huấn,Lớp 5S cho doanh nghiệp,40\n" +
		"HCM-THUDUC,15/03/2024,d,tập huấn,Lớp ngoài kỳ,10\n" +
		"HCM-Q1,16/03/2023,d,tập huấn,Lớp của quận khác,10\n" +
		"HCM-THUDUC,17/03/2023,d,tập huấn,Lớp lẻ,\"1.234,5\"\n"
	page := upload(t, ts, reporter, "thu-duc.csv", bad)
	for _, want := range []string{`id="import-refused"`, "<td class=\"num\">3</td>", "ngoài kỳ báo cáo", "<td class=\"num\">4</td>", "<td class=\"num\">5</td>", "không phải là số nguyên"} {
		if !strings.Contains(page, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, page)
		}
	}
	if count() != before {
		t.Fatalf("a refused file wrote %d activities", count()-before)
	}
	good := importHeader +
		"HCM-THUDUC,15/03/2023,d,tập huấn,Lớp 5S cho doanh nghiệp,40\n" +
		"Ủy ban nhân dân thành phố Thủ Đức,16/03/2023,D,training,Lớp Kaizen,25\n"
	if page := upload(t, ts, reporter, "thu-duc.csv", good); !strings.Contains(page, `id="import-done"`) || !strings.Contains(page, "2 hoạt động mới") {
		t.Fatalf("the corrected file was not imported:\n%s", page)
	}
	if count() != before+2 {
		t.Errorf("the corrected file wrote %d activities, want 2", count()-before)
	}
	if page := upload(t, ts, reporter, "thu-duc.csv", good); !strings.Contains(page, "0 hoạt động mới") || !strings.Contains(page, "2 không đổi") {
		t.Errorf("the same file again:\n%s", page)
	}
	if count() != before+2 {
		t.Errorf("the same file again wrote %d more activities", count()-before-2)
	}
}

// A unit's list exported as CSV and uploaded again changes nothing: the
// export is the import's own sheet, with every row's key.
func TestExportedListImportsBackUnchanged(t *testing.T) {
	ts := newTestServer(t)
	reporter := ts.client(t, "thuduc@demo.local")
	code, list := fetch(t, reporter, "GET", ts.URL+"/activities?year=2022", "", "")
	total := regexp.MustCompile(`<span id="activity-total">(\d+)</span>`).FindStringSubmatch(list)
	if code != 200 || total == nil {
		t.Fatalf("activity list: %d", code)
	}
	code, file := fetch(t, reporter, "GET", ts.URL+"/activities/export?format=csv&year=2022", "", "")
	if code != 200 || !strings.HasPrefix(file, "\ufeffMã dòng,Đơn vị,Ngày thực hiện") {
		t.Fatalf("export: %d %.80q", code, file)
	}
	// Into the 2022 round, approved: unchanged rows are no write.
	page := uploadTo(t, ts, reporter, 1, "hoat-dong.csv", file)
	if want := "0 hoạt động mới, 0 cập nhật, " + total[1] + " không đổi"; !strings.Contains(page, want) {
		t.Errorf("the exported list imported back: want %q in\n%s", want, page)
	}
	if code, x := fetch(t, reporter, "GET", ts.URL+"/activities/export?format=xlsx&year=2022", "", ""); code != 200 || !strings.HasPrefix(x, "PK") {
		t.Errorf("Excel export: %d", code)
	}
}

// The flow of a district that works in Excel: it downloads the round's
// template, fills it in and saves it in LibreOffice, uploads it and sees
// its mistake listed by row and column, fixes it, uploads again, and the
// dashboard's figures not yet approved move once, by exactly what the
// file holds.
func TestTemplateFilledInLibreOfficeImportsOnce(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("NSCL_PDF") == "1" {
			t.Fatal("NSCL_PDF=1 but LibreOffice is missing")
		}
		t.Skip("no LibreOffice on this machine (CI runs this test)")
	}
	ts := newTestServer(t)
	reporter := ts.client(t, "thuduc@demo.local")
	trained := func() string {
		_, page := fetch(t, reporter, "GET", ts.URL+"/?year=2023&unit=HCM-THUDUC", "", "")
		m := regexp.MustCompile(`data-indicator="training_enterprises"(?s:.*?)class="pending-year">([^<]*)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the dashboard shows no training figure")
		}
		return m[1]
	}
	before := trained()
	code, body := fetch(t, reporter, "GET", fmt.Sprintf("%s/rounds/%d/template.xlsx?unit=HCM-THUDUC", ts.URL, ts.openRound(t).ID), "", "")
	if code != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("template: %d", code)
	}
	dir := t.TempDir()
	fill := func(name string, rows [][]any) string {
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		header, _ := f.GetRows(sheet.ActivitySheet)
		col := map[string]int{}
		for i, h := range header[sheet.TemplateHeaderRow-1] {
			col[strings.TrimSuffix(h, " *")] = i + 1
		}
		titles := []string{"Ngày thực hiện", "Nhóm nhiệm vụ", "Loại hoạt động", "Nội dung hoạt động", "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng (lượt doanh nghiệp)"}
		for r, row := range rows {
			for i, v := range row {
				cell, _ := excelize.CoordinatesToCellName(col[titles[i]], sheet.TemplateHeaderRow+1+r)
				f.SetCellValue(sheet.ActivitySheet, cell, v)
			}
		}
		raw := filepath.Join(dir, "raw-"+name)
		if err := f.SaveAs(raw); err != nil {
			t.Fatal(err)
		}
		// Saved again by LibreOffice Calc, as the district's staff would.
		out := filepath.Join(dir, "lo")
		cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", out, raw)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("LibreOffice: %v %s", err, msg)
		}
		saved, err := os.ReadFile(filepath.Join(out, "raw-"+name))
		if err != nil {
			t.Fatal(err)
		}
		return string(saved)
	}
	day := time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC)
	wrong := fill("thu-duc.xlsx", [][]any{
		{day, "d", "tập huấn, đào tạo", "Lớp 5S cho doanh nghiệp Thủ Đức", 12},
		{day, "z", "tập huấn, đào tạo", "Lớp Kaizen", 8},
	})
	page := upload(t, ts, reporter, "thu-duc.xlsx", wrong)
	if !strings.Contains(page, `id="import-refused"`) || !strings.Contains(page, "<td class=\"num\">5</td><td>D (Nhóm nhiệm vụ)</td>") {
		t.Fatalf("the mistake (group z, row 5, column D) is not listed:\n%s", page)
	}
	if trained() != before {
		t.Fatal("a refused file moved the dashboard")
	}
	right := fill("thu-duc.xlsx", [][]any{
		{day, "d", "tập huấn, đào tạo", "Lớp 5S cho doanh nghiệp Thủ Đức", 12},
		{day, "d", "tập huấn, đào tạo", "Lớp Kaizen", 8},
	})
	for range 2 {
		page = upload(t, ts, reporter, "thu-duc.xlsx", right)
		if !strings.Contains(page, `id="import-done"`) {
			t.Fatalf("the fixed file was not imported:\n%s", page)
		}
	}
	want, _ := strconv.Atoi(before)
	if got := trained(); got != strconv.Itoa(want+20) {
		t.Errorf("after the file, twice: %q, want %d + 12 + 8", got, want)
	}
}

// A job is seen only under its own round, and a user whose file is still
// being imported cannot start another.
func TestImportJobBelongsToItsRoundAndUser(t *testing.T) {
	ts := newTestServer(t)
	s := ts.app
	reporter, err := ts.store.UserByEmail(context.Background(), "thuduc@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	round := ts.openRound(t).ID
	job := &importJob{ID: newJobID(), RoundID: round, UserID: reporter.ID, FileName: "dang-nhap.csv", Started: time.Now()}
	s.imports.add(job)
	c := ts.client(t, "thuduc@demo.local")
	jobPath := fmt.Sprintf("%s/rounds/%d/imports/%s", ts.URL, round, job.ID)

	if code, page := fetch(t, c, "GET", jobPath, "", ""); code != http.StatusOK || !strings.Contains(page, `id="import-progress"`) {
		t.Errorf("the job under its round: %d", code)
	}
	if code, _ := fetch(t, c, "GET", ts.URL+"/rounds/1/imports/"+job.ID, "", ""); code != http.StatusNotFound {
		t.Errorf("the job under another round: %d, want 404", code)
	}
	if code, _ := fetch(t, ts.client(t, "focal@demo.local"), "GET", jobPath, "", ""); code != http.StatusNotFound {
		t.Errorf("another user's job: %d, want 404", code)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "khac.csv")
	fw.Write([]byte(importHeader + "HCM-THUDUC,15/03/2023,d,tập huấn,Lớp 5S,40\n"))
	mw.Close()
	resp, err := c.Post(fmt.Sprintf("%s/rounds/%d/import", ts.URL, round), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page.String(), "dang-nhap.csv") {
		t.Errorf("a second upload while the first runs: %d, want 409 naming the running file", resp.StatusCode)
	}

	job.mu.Lock()
	job.finished = true
	job.mu.Unlock()
	if page := upload(t, ts, c, "khac.csv", importHeader+"HCM-THUDUC,15/03/2023,d,tập huấn,Lớp 5S,40\n"); !strings.Contains(page, `id="import-done"`) {
		t.Errorf("an upload after the first finished:\n%s", page)
	}
}

// The one import slot of a user is taken before the upload is read: a
// second upload meanwhile is refused, and the slot comes back after.
func TestImportSlotIsReservedBeforeTheUpload(t *testing.T) {
	var js importJobs
	release, _ := js.reserve(7)
	if release == nil {
		t.Fatal("the first reservation was refused")
	}
	if again, _ := js.reserve(7); again != nil {
		t.Error("a second upload while the first is being read was let in")
	}
	if other, _ := js.reserve(8); other == nil {
		t.Error("another user's upload was refused")
	}
	js.add(&importJob{ID: "a", UserID: 7, FileName: "dang-nhap.csv", Started: time.Now()})
	release()
	if again, busy := js.reserve(7); again != nil || busy != "dang-nhap.csv" {
		t.Errorf("while the job runs: reserved %v, busy with %q", again != nil, busy)
	}
	js.get("a").mu.Lock()
	js.get("a").finished = true
	js.get("a").mu.Unlock()
	if again, _ := js.reserve(7); again == nil {
		t.Error("the slot did not come back when the job finished")
	}
}
