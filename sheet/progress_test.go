package sheet

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A workbook's reader knows the last row of the sheet it reads from the
// check made when the file was opened — not the other sheets' — and a reopened
// one, which skips that check, says it does not know.
func TestXLSXLastRowAbout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lon.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", InstructionsSheet)
	for i := 1; i <= 7; i++ {
		f.SetCellValue(InstructionsSheet, fmt.Sprintf("A%d", i), "hướng dẫn")
	}
	f.NewSheet(ActivitySheet)
	const rows = 1234
	for i := 1; i <= rows; i++ {
		if i == 2 || i == 600 {
			continue // a blank row is not in the file, but counts in the numbers
		}
		f.SetSheetRow(ActivitySheet, fmt.Sprintf("A%d", i), &[]any{"HCM-THUDUC", i, "Tập huấn"})
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.LastRowAbout(); got != rows {
		t.Errorf("LastRowAbout = %d, want the activity sheet's last, %d", got, rows)
	}
	r.Close()
	again, err := Reopen(path, "lon.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got := again.LastRowAbout(); got != 0 {
		t.Errorf("LastRowAbout of a reopened workbook = %d, want 0 (not counted)", got)
	}
}

// A .csv file's reader estimates its last line from the share of the file read:
// unknown before the first row, close halfway, exact at the end.
func TestCSVLastRowAbout(t *testing.T) {
	const rows = 10_000
	var b strings.Builder
	b.WriteString("\xef\xbb\xbfMã đơn vị;Ngày;Nội dung\n")
	for i := 1; i < rows; i++ {
		fmt.Fprintf(&b, "HCM-THUDUC;15/06/2023;Tập huấn số %05d\n", i)
	}
	r, err := Open(writeTestFile(t, "lon.csv", []byte(b.String())))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.LastRowAbout(); got != 0 {
		t.Errorf("LastRowAbout before any row = %d, want 0", got)
	}
	read := 0
	for r.Next() {
		read++
		if read == rows/2 {
			if got := r.LastRowAbout(); got < rows*95/100 || got > rows*105/100 {
				t.Errorf("LastRowAbout halfway = %d, want within 5 %% of %d", got, rows)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if read != rows {
		t.Fatalf("read %d rows, want %d", read, rows)
	}
	if got := r.LastRowAbout(); got != rows {
		t.Errorf("LastRowAbout at the end = %d, want %d", got, rows)
	}
}

// A template formats its empty input rows far below what was filled: the
// last row is the last one holding a value, not the last one formatted.
func TestXLSXLastRowAboutSkipsFormattedEmptyRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mau.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", ActivitySheet)
	for i := 1; i <= 150; i++ {
		f.SetSheetRow(ActivitySheet, fmt.Sprintf("A%d", i), &[]any{"HCM-THUDUC", i, "Tập huấn"})
	}
	style, err := f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(ActivitySheet, "A151", "C5000", style); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.LastRowAbout(); got != 150 {
		t.Errorf("LastRowAbout = %d, want 150: rows 151–5.000 are formatted but empty", got)
	}
}
