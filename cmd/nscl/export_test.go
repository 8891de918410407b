package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// importFile runs importExchange on a database, as `nscl import` does for
// a .json file.
func importFile(t *testing.T, db, path, parent string) (string, error) {
	t.Helper()
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out bytes.Buffer
	err = importExchange(t.Context(), st, path, parent, &out)
	return out.String(), err
}

func TestExportThenImportGivesTheSameReport(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "nscl.json")
	out, err := nsclRun(t, "export", "--db", db, "--format", "json", "-o", file)
	if err != nil || !strings.Contains(out, file) {
		t.Fatalf("nscl export: %q, %v", out, err)
	}
	copyDB := filepath.Join(dir, "copy.db")
	out, err = importFile(t, copyDB, file, "")
	if err != nil || !strings.HasPrefix(out, "Đã nhập chương trình NSCL:") || strings.Count(out, "\n") != 1 {
		t.Fatalf("import: %q, %v", out, err)
	}
	// The rounds come across with their approvals: the copy's approved
	// figures are the original's too.
	for _, args := range [][]string{{"--format", "json"}, {"--format", "md"}, {"--format", "json", "--approved-only"}} {
		want, _ := nsclRun(t, append([]string{"report", "--db", db, "--year", "2022"}, args...)...)
		got, err := nsclRun(t, append([]string{"report", "--db", copyDB, "--year", "2022"}, args...)...)
		if err != nil || got != want {
			t.Errorf("%v report of the copy differs (%v):\n%s", args, err, got)
		}
	}
	// A second import of the same file is refused, and changes nothing.
	if _, err := importFile(t, copyDB, file, ""); nscl.ErrorCode(err) != nscl.ECONFLICT {
		t.Errorf("importing the programme twice: %v", err)
	}
	stdout, err := nsclRun(t, "export", "--db", db)
	if err != nil || !strings.HasPrefix(stdout, "{\n  \"format\": \"nscl-exchange\"") {
		t.Errorf("export to stdout: %.80q, %v", stdout, err)
	}
}

func TestSummaryFromTheCommandLine(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "hcm-2022.json")
	if _, err := nsclRun(t, "export", "--db", db, "--summary", "--unit", demo.UnitCity, "--year", "2022", "-o", file); err != nil {
		t.Fatalf("nscl export --summary: %v", err)
	}
	ministry := filepath.Join(dir, "bo.db")
	st, err := store.Open(t.Context(), ministry)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(t.Context(), func(tx *store.Tx) error {
		prog := demo.Programme()
		if err := tx.CreateProgramme(context.Background(), &prog); err != nil {
			return err
		}
		return tx.CreateUnit(context.Background(), &nscl.OrgUnit{Code: "BKHCN", Name: "Bộ Khoa học và Công nghệ", Level: nscl.LevelMinistry})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, ministry, file, ""); err == nil || !strings.Contains(err.Error(), "--parent") {
		t.Errorf("a summary without --parent: %v", err)
	}
	out, err := importFile(t, ministry, file, "BKHCN")
	if err != nil || !strings.Contains(out, "năm 2022 của HCM") || !strings.Contains(out, "thêm đơn vị HCM") {
		t.Errorf("summary import: %q, %v", out, err)
	}
	out, err = importFile(t, ministry, file, "BKHCN")
	if err != nil || !strings.Contains(out, " 0 số liệu mới, 0 sửa") {
		t.Errorf("the same summary again: %q, %v", out, err)
	}
}

func TestExportUsageErrors(t *testing.T) {
	db := demoDB(t)
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--summary", "--unit", "HCM"},
		{"--summary", "--year", "2022"},
		{"--unit", "HCM"},
	} {
		_, err := nsclRun(t, append([]string{"export", "--db", db}, args...)...)
		if _, ok := err.(usageError); !ok {
			t.Errorf("export %v: %v, want a usage error", args, err)
		}
	}
	if _, err := nsclRun(t, "export", "--db", db, "--programme", "OTHER"); nscl.ErrorCode(err) != nscl.ENOTFOUND {
		t.Errorf("unknown programme: %v", err)
	}
	// A failed export leaves the file it would have replaced alone.
	file := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(file, []byte("old"), 0o644)
	if _, err := nsclRun(t, "export", "--db", db, "--programme", "OTHER", "-o", file); err == nil {
		t.Error("unknown programme exported")
	}
	if b, _ := os.ReadFile(file); string(b) != "old" {
		t.Errorf("a failed export overwrote the file: %.40q", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("a failed export left %d files", len(entries))
	}
	// A programme file given --parent is refused rather than guessed at.
	whole := filepath.Join(t.TempDir(), "nscl.json")
	if _, err := nsclRun(t, "export", "--db", db, "-o", whole); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, filepath.Join(t.TempDir(), "new.db"), whole, "BKHCN"); err == nil {
		t.Error("a programme file with --parent accepted")
	}
}
