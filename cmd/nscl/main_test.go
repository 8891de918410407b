package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nscl"
)

var update = flag.Bool("update", false, "rewrite the golden files (then check them by hand against the seed)")

// nscl runs the command line as a user would and returns what it printed.
func nsclRun(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if _, err := nsclRun(t, "demo", "--db", db); err != nil {
		t.Fatalf("nscl demo: %v", err)
	}
	return db
}

// The four rows of table II.1 of the seed report, as printed there.
func TestReport2022ReproducesTheSeedTable(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "json")
	if err != nil {
		t.Fatalf("nscl report: %v", err)
	}
	var rep struct {
		Year       int `json:"year"`
		Indicators []struct {
			Code              string  `json:"code"`
			Unit              string  `json:"unit"`
			Target            int64   `json:"target"`
			YearValue         int64   `json:"year_value"`
			Cumulative        int64   `json:"cumulative"`
			CompletionPercent float64 `json:"completion_percent"`
			CompletionText    string  `json:"completion_text"`
		} `json:"indicators"`
		NextYearTargets []struct {
			Code   string `json:"code"`
			Target int64  `json:"target"`
		} `json:"next_year_targets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	seed := []struct {
		unit                     string
		target, year, cumulative int64
		percent                  float64
		text                     string
	}{
		{"lượt doanh nghiệp", 10000, 963, 993, 9.93, "9,93 %"},
		{"doanh nghiệp", 200, 336, 347, 173.5, "173,5 %"},
		{"lượt chuyên gia", 150, 41, 71, 47.33, "47,33 %"},
		{"phòng thử nghiệm", 10, 0, 0, 0, "0 %"},
	}
	if rep.Year != 2022 || len(rep.Indicators) != len(seed) {
		t.Fatalf("year %d with %d indicators, want 2022 with 4", rep.Year, len(rep.Indicators))
	}
	for i, want := range seed {
		got := rep.Indicators[i]
		if got.Unit != want.unit || got.Target != want.target || got.YearValue != want.year || got.Cumulative != want.cumulative ||
			got.CompletionPercent != want.percent || got.CompletionText != want.text {
			t.Errorf("row %d: got %+v, want %+v", i+1, got, want)
		}
	}
	// Section III.1: 3 500 enterprise-visits, 50 enterprises, 5 labs in 2023.
	next := map[string]int64{}
	for _, n := range rep.NextYearTargets {
		next[n.Code] = n.Target
	}
	if len(next) != 3 || next["training_enterprises"] != 3500 || next["enterprises_supported"] != 50 || next["labs_strengthened"] != 5 {
		t.Errorf("2023 targets %v", next)
	}
	if !strings.Contains(out, `"no_next_year_target"`) {
		t.Error("the 2023 plan sets no target for experts; the report must warn")
	}
}

// The golden files hold the whole output; they were checked by hand
// against the seed. Regenerate with `go test ./cmd/nscl -update`.
func TestReportGolden(t *testing.T) {
	db := demoDB(t)
	for _, format := range []string{"json", "text", "md"} {
		out, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		golden := filepath.Join("testdata", "report_2022."+format)
		if *update {
			os.WriteFile(golden, []byte(out), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("%s output differs from %s:\n%s", format, golden, out)
		}
	}
}

func TestDemoIsSafeToRunTwice(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "demo", "--db", db)
	if err != nil || !strings.Contains(out, "đã có sẵn") {
		t.Fatalf("second demo: %q, %v", out, err)
	}
	if out, err := nsclRun(t, "check", "--db", db); err != nil {
		t.Fatalf("totals after two demo runs: %v\n%s", err, out)
	}
	out, _ = nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "json")
	if !strings.Contains(out, `"year_value": 963`) {
		t.Error("second demo run changed the 2022 results")
	}
}

// An activity added to the open year counts at once in the report, which
// says it is not yet approved; the report of approved figures only
// (--approved-only) leaves it out and says so.
func TestActivityAddMovesTheTotals(t *testing.T) {
	db := demoDB(t)
	_, err := nsclRun(t, "activity", "add", "--db", db, "--unit", "HCM-THUDUC", "--date", "15/03/2023", "--group", "d",
		"--kind", "training", "--description", "Lớp tập huấn 5S cho doanh nghiệp", "--qty", "training_enterprises=7", "--qty", "trainees=1.200",
		"--beneficiary", "0301234567")
	if err != nil {
		t.Fatalf("activity add: %v", err)
	}
	var checks bytes.Buffer
	checksOut = &checks
	t.Cleanup(func() { checksOut = os.Stderr })
	type figures struct {
		Indicators []struct {
			Code                               string
			YearValue, Cumulative, PendingYear int64
			PendingCumulative                  int64
		}
		Measures []struct {
			Code                   string
			YearValue, PendingYear int64
		}
	}
	report := func(args ...string) (figures, string) {
		t.Helper()
		checks.Reset()
		out, err := nsclRun(t, append([]string{"report", "--db", db, "--year", "2023", "--format", "json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Indicators []map[string]any
			Measures   []map[string]any
		}
		var f figures
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		num := func(m map[string]any, k string) int64 { v, _ := m[k].(float64); return int64(v) }
		for _, ind := range r.Indicators {
			f.Indicators = append(f.Indicators, struct {
				Code                               string
				YearValue, Cumulative, PendingYear int64
				PendingCumulative                  int64
			}{ind["code"].(string), num(ind, "year_value"), num(ind, "cumulative"), num(ind, "pending_year"), num(ind, "pending_cumulative")})
		}
		for _, m := range r.Measures {
			f.Measures = append(f.Measures, struct {
				Code                   string
				YearValue, PendingYear int64
			}{m["code"].(string), num(m, "year_value"), num(m, "pending_year")})
		}
		return f, checks.String()
	}
	// The 2022 report gives the cumulative before: 993 enterprise-visits.
	all, printed := report()
	if tr := all.Indicators[0]; tr.Code != "training_enterprises" || tr.YearValue != 7 || tr.Cumulative != 993+7 || tr.PendingYear != 7 || tr.PendingCumulative != 7 {
		t.Errorf("all figures: training %+v, want 7 this year (pending), 993 + 7 cumulated", tr)
	}
	if m := all.Measures[0]; m.Code != "trainees" || m.YearValue != 1200 || m.PendingYear != 1200 {
		t.Errorf("all figures: trainees %+v", m)
	}
	if !strings.Contains(printed, "7 lượt doanh nghiệp trong kết quả năm 2023 chưa được duyệt.") {
		t.Errorf("the checks do not say what is not yet approved:\n%s", printed)
	}
	approved, printed := report("--approved-only")
	if tr := approved.Indicators[0]; tr.YearValue != 0 || tr.Cumulative != 993 || tr.PendingYear != 7 {
		t.Errorf("approved only: training %+v, want nothing this year, 993 cumulated, 7 left out", tr)
	}
	if !strings.Contains(printed, "7 lượt doanh nghiệp trong kết quả năm 2023 chưa được duyệt, không tính vào báo cáo.") {
		t.Errorf("the checks do not say what the report leaves out:\n%s", printed)
	}
}

func TestBadInputIsRefusedAndNothingWritten(t *testing.T) {
	db := demoDB(t)
	before, _ := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "json")
	base := []string{"activity", "add", "--db", db, "--unit", "HCM-Q1", "--date", "01/06/2022", "--group", "c", "--kind", "consulting", "--description", "Tư vấn ISO"}
	cases := []struct {
		name  string
		extra []string
		field string
	}{
		{"negative quantity", []string{"--qty", "enterprises_supported=-3"}, "quantities.enterprises_supported"},
		{"letters in a number", []string{"--qty", "enterprises_supported=12a"}, "quantities.enterprises_supported"},
		{"unknown indicator", []string{"--qty", "ghost=1"}, "quantities.ghost"},
		{"bad tax code", []string{"--qty", "enterprises_supported=1", "--beneficiary", "12345"}, "beneficiaries.1"},
		{"unknown task group", []string{"--qty", "enterprises_supported=1", "--group", "z"}, "task_group"},
		{"outside the programme", []string{"--qty", "enterprises_supported=1", "--date", "01/01/2020"}, "date"},
		{"unknown unit", []string{"--qty", "enterprises_supported=1", "--unit", "NOWHERE"}, "unit"},
		{"district after the 2025 merger", []string{"--qty", "enterprises_supported=1", "--date", "01/08/2025"}, "unit"},
	}
	for _, c := range cases {
		args := append(append([]string{}, base...), c.extra...)
		_, err := nsclRun(t, args...)
		if nscl.ErrorField(err) != c.field {
			t.Errorf("%s: got %v, want an error naming %q", c.name, err, c.field)
		}
		if err != nil && (!strings.Contains(err.Error(), "(") || len(err.Error()) < 10) {
			t.Errorf("%s: message should be in Vietnamese and English: %v", c.name, err)
		}
	}
	after, _ := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "json")
	if before != after {
		t.Error("refused input changed the results")
	}
}

func TestOpeningSomethingElseIsAClearError(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 500), 0o644)
	_, err := nsclRun(t, "report", "--db", junk, "--year", "2022")
	if nscl.ErrorField(err) != "db" || !strings.Contains(err.Error(), "không phải") {
		t.Errorf("junk file: %v", err)
	}
	_, err = nsclRun(t, "report", "--db", t.TempDir(), "--year", "2022")
	if nscl.ErrorField(err) != "db" {
		t.Errorf("a directory: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	if _, err := nsclRun(t, "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
	db := demoDB(t)
	if _, err := nsclRun(t, "report", "--db", db); err == nil {
		t.Error("report without --year accepted")
	}
	if _, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "pdf"); err == nil {
		t.Error("unsupported format accepted")
	}
	if _, err := nsclRun(t, "report", "--db", db, "--year", "2035"); nscl.ErrorField(err) != "year" {
		t.Errorf("year outside the programme: %v", err)
	}
	out, err := nsclRun(t, "help")
	for _, cmd := range []string{"serve", "demo", "report", "activity", "check"} {
		if err != nil || !strings.Contains(out, cmd) {
			t.Errorf("help does not list %s", cmd)
		}
	}
}

// From 2023 on there is no annual plan for the following year in the demo.
func TestReportWithoutNextYearPlanSaysSo(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "report", "--db", db, "--year", "2023", "--format", "md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Chưa có kế hoạch năm 2024 nên chưa có chỉ tiêu năm 2024; mỗi năm còn cần 4.504 lượt doanh nghiệp.") {
		t.Errorf("2023 report lacks the no-plan warning (10.000 − 993 = 9.007 over 2 years = 4.504 a year):\n%s", out)
	}
}

func TestUserCommands(t *testing.T) {
	db := demoDB(t)
	withStdin := func(s string) { stdin = strings.NewReader(s) }
	t.Cleanup(func() { stdin = os.Stdin })

	withStdin("mật khẩu của cán bộ\n")
	if _, err := nsclRun(t, "user", "add", "--db", db, "--email", "Q1@Demo.Local", "--name", "Cán bộ Quận 1", "--role", "reporter", "--unit", "HCM-Q1"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	out, err := nsclRun(t, "user", "list", "--db", db)
	if err != nil || !strings.Contains(out, "q1@demo.local") || !strings.Contains(out, "HCM-Q1") {
		t.Fatalf("user list: %v\n%s", err, out)
	}
	withStdin("ngắn\n")
	if _, err := nsclRun(t, "user", "add", "--db", db, "--email", "x@demo.local", "--role", "viewer", "--unit", "HCM"); nscl.ErrorField(err) != "password" {
		t.Errorf("weak password: %v", err)
	}
	withStdin("mật khẩu đủ dài\n")
	if _, err := nsclRun(t, "user", "add", "--db", db, "--email", "q1@demo.local", "--role", "viewer", "--unit", "HCM"); nscl.ErrorField(err) != "email" {
		t.Errorf("duplicate e-mail: %v", err)
	}
	withStdin("mật khẩu mới của cán bộ\n")
	if _, err := nsclRun(t, "user", "passwd", "--db", db, "--email", "q1@demo.local"); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	out, err = nsclRun(t, "user", "token", "--db", db, "--email", "q1@demo.local", "--name", "báo cáo tự động")
	if err != nil || !strings.HasPrefix(out, "nscl_") {
		t.Fatalf("user token: %v\n%s", err, out)
	}
	if out, _ := nsclRun(t, "user", "list", "--db", db); strings.Contains(out, "mật khẩu") {
		t.Error("a password shows in the user list")
	}
}

// The Word report of 2022, as text: every paragraph of word/document.xml
// and word/footnotes.xml on a line, table cells joined by " | ", footnote
// marks as [n]. The golden file was checked by hand against the seed: every
// paragraph is the seed's, except the letterhead (a table in the seed's
// Word file, lost in its text: here the department's settings, the number
// left for the clerk after its symbol "/SKH-CN-TĐC", as the department's
// letters carry it, and the date "ngày … tháng … năm …" until it is
// signed), the heading of I.3 and task group c's, which name the decision
// and the group as the programme defines them, the evaluation sentence
// (generated: it names the exceeded indicator too), next year's targets
// (generated from the 2023 plan: "3.500" where the seed typed "3500", and
// the seed's "05"), the recipients, as the seed types them ("Lưu: VT,
// TĐC.HĐ.4. ha"), and the annex with its charts, which the seed does not
// have. Footnote 3 lists the seed's items only: the demo's remainder and
// the experts' course count in the totals but are not listed.
func TestWordReportGolden(t *testing.T) {
	db := demoDB(t)
	out := filepath.Join(t.TempDir(), "bao-cao-2022.docx")
	if _, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "docx", "-o", out); err != nil {
		t.Fatal(err)
	}
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	parts := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		parts[f.Name] = string(b)
	}
	got := "== word/document.xml\n" + wordText(t, parts["word/document.xml"]) + "== word/footnotes.xml\n" + wordText(t, parts["word/footnotes.xml"])
	golden := filepath.Join("testdata", "report_2022.docx.txt")
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the Word report's text differs from %s; got:\n%s", golden, got)
	}
	// Footnote 2 of the seed: its eight items, in order, in task group c's footnote.
	notes := wordText(t, parts["word/footnotes.xml"])
	items := []string{"01 doanh nghiệp về hệ thống quản lý chất lượng", "20 đơn vị viết báo cáo", "24 doanh nghiệp xây dựng và công bố",
		"200 doanh nghiệp, hộ kinh doanh", "02 doanh nghiệp xây dựng đề án khuyến nông", "22 doanh nghiệp, đơn vị kinh tế",
		"61 doanh nghiệp ứng dụng công nghệ cao", "06 doanh nghiệp ứng dụng các giải pháp"}
	lines := strings.Split(notes, "\n")
	c := lines[1]
	last := -1
	for _, item := range items {
		i := strings.Index(c, item)
		if i < 0 || i < last {
			t.Errorf("footnote 2 lacks %q, or it is out of the seed's order: %s", item, c)
		}
		last = i
	}
	// Footnote 3 is the seed's: its first item to its last, nothing after.
	d := lines[2]
	if !strings.HasPrefix(d, " Tổ chức 01 lớp phổ biến nghiệp vụ") || !strings.HasSuffix(d, "Chợ đầu mối Nông sản Thực phẩm Hóc Môn.") ||
		strings.Contains(d, "phần còn lại") || strings.Contains(d, "chuyên gia") {
		t.Errorf("footnote 3 is not the seed's list: %s", d)
	}
}

// The checks of a report are printed whatever the format, and the output
// stays the report's alone: a 2023 draft names each blank it leaves.
func TestReportPrintsItsChecksForEveryFormat(t *testing.T) {
	db := demoDB(t)
	var checks bytes.Buffer
	checksOut = &checks
	t.Cleanup(func() { checksOut = os.Stderr })
	for _, format := range []string{"text", "md", "json", "csv", "html", "docx"} {
		checks.Reset()
		out := filepath.Join(t.TempDir(), "r."+format)
		if _, err := nsclRun(t, "report", "--db", db, "--year", "2023", "--format", format, "-o", out); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, want := range []string{"Kiểm tra (check): II.2 Tồn tại, vướng mắc: còn để trống [cần bổ sung: những tồn tại, vướng mắc trong năm 2023].",
			"Kiểm tra (check): Văn bản yêu cầu báo cáo: còn để trống"} {
			if !strings.Contains(checks.String(), want) {
				t.Errorf("%s: the checks lack %q:\n%s", format, want, checks.String())
			}
		}
		if b, _ := os.ReadFile(out); bytes.Contains(b, []byte("Kiểm tra (check)")) {
			t.Errorf("%s: the checks went into the report", format)
		}
	}
	checks.Reset()
	// The report's 993, the demo's illustrative 25 of a commune in 2025,
	// and the 285 of the two provinces the city absorbed that year.
	if out, err := nsclRun(t, "report", "--db", db, "--from", "2021", "--to", "2025", "--format", "text"); err != nil || !strings.Contains(out, "Tổng giai đoạn 2021 – 2025:      1.303 lượt doanh nghiệp") {
		t.Errorf("the period summary: %v\n%s", err, out)
	}
	if !strings.Contains(checks.String(), "[cần bổ sung: những tồn tại, hạn chế và nguyên nhân trong giai đoạn 2021 – 2025]") {
		t.Errorf("the summary's checks: %s", checks.String())
	}
	for _, args := range [][]string{{"--year", "2022", "--from", "2021", "--to", "2025"}, {"--from", "2021"}, {"--from", "2025", "--to", "2021"}} {
		if _, err := nsclRun(t, append([]string{"report", "--db", db}, args...)...); err == nil {
			t.Errorf("report %v: no error", args)
		}
	}
}

// wordText reads the text of a Word part: a line per paragraph, the cells
// of a table row joined by " | ", a footnote mark as [n].
func wordText(t *testing.T, part string) string {
	t.Helper()
	var out, para strings.Builder
	var cells []string
	inCell, inText := false, false
	dec := xml.NewDecoder(strings.NewReader(part))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			switch x.Name.Local {
			case "t":
				inText = true
			case "br":
				para.WriteString("/")
			case "tc":
				inCell = true
			case "footnoteReference":
				for _, a := range x.Attr {
					if a.Name.Local == "id" {
						para.WriteString("[" + a.Value + "]")
					}
				}
			}
		case xml.EndElement:
			switch x.Name.Local {
			case "t":
				inText = false
			case "p":
				if inCell {
					para.WriteString(" ")
				} else if para.Len() > 0 {
					out.WriteString(para.String() + "\n")
					para.Reset()
				}
			case "tc":
				cells = append(cells, strings.TrimSpace(para.String()))
				para.Reset()
				inCell = false
			case "tr":
				out.WriteString(strings.Join(cells, " | ") + "\n")
				cells = nil
			}
		case xml.CharData:
			if inText {
				para.Write(x)
			}
		}
	}
}

func TestPDFWithoutLibreOfficeSaysHowToInstall(t *testing.T) {
	db := demoDB(t)
	t.Setenv("PATH", t.TempDir()) // no soffice anywhere
	out := filepath.Join(t.TempDir(), "r.pdf")
	_, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "pdf", "-o", out)
	if err == nil || !strings.Contains(err.Error(), "libreoffice-writer") {
		t.Errorf("without LibreOffice: %v", err)
	}
	if _, statErr := os.Stat(out); statErr == nil {
		t.Error("a failed conversion left a file behind")
	}
}

// The results as CSV hold the seed's table rows as the report prints them.
func TestReportCSV(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\ufeffNội dung thực hiện,", `,10.000 lượt doanh nghiệp,963 lượt doanh nghiệp,993 lượt doanh nghiệp,"9,93 %"`,
		`,150 lượt chuyên gia,41 lượt chuyên gia,71 lượt chuyên gia,"47,33 %"`, `,16.192 học viên,`} {
		if !strings.Contains(out, want) {
			t.Errorf("the CSV lacks %q:\n%s", want, out)
		}
	}
}
