package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// trainedIn2023 is the year's figure of the training indicator the report
// prints (of every figure entered, as a report counts by default): the
// demo's 2022 is approved and locked, 2023 open.
func trainedIn2023(t *testing.T, db string) int64 {
	t.Helper()
	out, err := nsclRun(t, "report", "--db", db, "--year", "2023", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Indicators []struct {
			Code      string `json:"code"`
			YearValue int64  `json:"year_value"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, i := range rep.Indicators {
		if i.Code == "training_enterprises" {
			return i.YearValue
		}
	}
	t.Fatal("no training indicator in the report")
	return 0
}

// Thủ Đức's own sheet: its figures under headings of its own, the kind
// left empty, the unit by its common name.
const ownSheet = "STT,Đơn vị,Ngày thực hiện,Nhóm nhiệm vụ,Loại hoạt động,Nội dung hoạt động,Số DN tập huấn,Số học viên\n"

// The path on the command line: an activity entered, then the
// unit's own sheet with the same row. The import refuses the unknown
// columns, then the look-alike row naming both, until told; linked, the
// training total moves once; the unit's next sheet needs no flags.
func TestImportCommandAsksBeforeCountingTwice(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "activity", "add", "--db", db, "--unit", "HCM-THUDUC", "--date", "12/09/2023", "--group", "d", "--kind", "training",
		"--description", "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức", "--qty", "training_enterprises=14", "--qty", "trainees=120")
	if err != nil {
		t.Fatalf("activity add: %v", err)
	}
	id := regexp.MustCompile(`hoạt động số (\d+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("activity add said %q", out)
	}
	entered := trainedIn2023(t, db)
	path := filepath.Join(t.TempDir(), "thu-duc.csv")
	os.WriteFile(path, []byte(ownSheet+"1,Thành phố Thủ Đức,12/09/2023,d,,Lớp tập huấn 5S cho doanh nghiệp Thủ Đức,14,120\n"), 0o644)

	out, err = nsclRun(t, "import", "--db", db, path)
	if err == nil || !strings.Contains(out, "cột G (Số DN tập huấn)") || !strings.Contains(out, `--map "Số DN tập huấn=training_enterprises"`) {
		t.Fatalf("unknown columns: %v\n%s", err, out)
	}
	mapping := []string{"--map", "Số DN tập huấn=training_enterprises", "--map", "Số học viên=trainees"}
	out, err = nsclRun(t, append(append([]string{"import", "--db", db}, mapping...), path)...)
	for _, want := range []string{"dòng 2", "giống hoạt động đã có số " + id[1], "ngày 12/09/2023", "“Lớp tập huấn 5S cho doanh nghiệp Thủ Đức”", "--same-as-existing=link"} {
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("the look-alike row: want %q in\n%s", want, out)
		}
	}
	if got := trainedIn2023(t, db); got != entered {
		t.Fatalf("refused imports moved the training figure from %d to %d", entered, got)
	}
	if _, err := nsclRun(t, "import", "--db", db, "--same-as-existing=maybe", path); err == nil || !strings.Contains(err.Error(), "link") {
		t.Errorf("--same-as-existing=maybe: %v", err)
	}

	out, err = nsclRun(t, append(append([]string{"import", "--db", db, "--same-as-existing=link"}, mapping...), path)...)
	if err != nil || !strings.Contains(out, "1 dòng ghi vào hoạt động đã có") {
		t.Fatalf("linked: %v\n%s", err, out)
	}
	if got := trainedIn2023(t, db); got != entered {
		t.Errorf("linked: the training figure moved from %d to %d; the row is the activity entered", entered, got)
	}

	// The unit's next sheet, same layout, no flags: read as chosen before.
	os.WriteFile(path, []byte(ownSheet+"1,HCM-THUDUC,20/09/2023,d,tập huấn,Lớp Kaizen cho doanh nghiệp Thủ Đức,6,50\n"), 0o644)
	out, err = nsclRun(t, "import", "--db", db, path)
	if err != nil || !strings.Contains(out, "theo lựa chọn đã lưu của đơn vị") {
		t.Fatalf("the next sheet: %v\n%s", err, out)
	}
	if got := trainedIn2023(t, db); got != entered+6 {
		t.Errorf("the next sheet: %d, want %d + 6", got, entered)
	}
}

// activity add, too, names a stored activity the new one looks like, and
// adds it only when told it is another.
func TestActivityAddAsksBeforeAddingALookAlike(t *testing.T) {
	db := demoDB(t)
	add := func(extra ...string) (string, error) {
		args := []string{"activity", "add", "--db", db, "--unit", "HCM-THUDUC", "--date", "12/09/2023", "--group", "d", "--kind", "training",
			"--description", "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức", "--qty", "training_enterprises=14"}
		return nsclRun(t, append(args, extra...)...)
	}
	out, err := add()
	if err != nil {
		t.Fatalf("first: %v", err)
	}
	id := regexp.MustCompile(`hoạt động số (\d+)`).FindStringSubmatch(out)
	once := trainedIn2023(t, db)
	_, err = add("--kind", "consulting") // the same, called another kind
	if err == nil || !strings.Contains(err.Error(), "số "+id[1]+": ngày 12/09/2023") || !strings.Contains(err.Error(), "--same-as-existing=new") {
		t.Fatalf("the same activity again: %v", err)
	}
	if got := trainedIn2023(t, db); got != once {
		t.Errorf("refused, the figure moved: %d → %d", once, got)
	}
	if _, err := add("--same-as-existing=new"); err != nil {
		t.Fatalf("said to be another: %v", err)
	}
	if got := trainedIn2023(t, db); got != once+14 {
		t.Errorf("another activity: %d, want %d + 14", got, once)
	}
}
