package sheet

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A workbook as Excel and LibreOffice write them — shared strings, rich
// text, phonetic runs, an escaped carriage return, formulas, booleans,
// dates, rows and cells left out, a cell that only carries a format — reads
// the same through our worksheet reader as through excelize's.
func TestWorksheetRowsReadAsExcelize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kieu.xlsx")
	f := excelize.NewFile()
	s := "Trang tính 1"
	if err := f.SetSheetName("Sheet1", s); err != nil {
		t.Fatal(err)
	}
	style, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(s, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "Đơn vị")
	set("C1", "Ngày thực hiện")
	set("A2", "HCM-Q1")
	set("B2", 16192)
	set("C2", 3.25)
	set("D2", true)
	set("E2", "dòng một\r\ndòng hai _x000D_ viết sẵn")
	set("A5", "HCM-Q1") // the same shared string again, after two rows left out
	if err := f.SetCellRichText(s, "B5", []excelize.RichTextRun{{Text: "Tập huấn "}, {Text: "Lean", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula(s, "C5", "B2*2"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "G5", "G5", style); err != nil {
		t.Fatal(err)
	}
	set("AB7", "cột xa")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	want := excelizeRows(t, path, s)
	got := ownRows(t, path, s)
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("our reader:\n%q\nexcelize:\n%q", got, want)
	}
	if len(got) != 7 || got[1][0] != "HCM-Q1" || got[4][1] != "Tập huấn Lean" || len(got[6]) != 28 {
		t.Errorf("rows read: %q", got)
	}

	// Shared strings too long to hold: excelize reads the sheet, the same.
	defer func(old int) { maxSharedInMemory = old }(maxSharedInMemory)
	maxSharedInMemory = 8
	if r, err := openWorksheetRows(path, s); r != nil || err != nil {
		t.Fatalf("a table past the bound: %v, %v; want excelize to read it", r, err)
	}
	if got := ownRows(t, path, s); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("through the fallback:\n%q\nexcelize:\n%q", got, want)
	}
}

func excelizeRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cells)
	}
	return out
}

// ownRows reads the sheet through Open, as an import does.
func ownRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out [][]string
	for r.Next() {
		if r.Row().Sheet != sheet {
			t.Fatalf("sheet %q, want %q", r.Row().Sheet, sheet)
		}
		out = append(out, r.Row().Cells)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
