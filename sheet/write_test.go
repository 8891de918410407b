package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"nscl"
)

// exportActivities are activities of another year than the demo's, with
// a figure past a spreadsheet's exact digits, a description that is only
// digits and a tax code with a leading zero (both stay text), and no
// quantity at all.
func exportActivities() []nscl.Activity {
	return []nscl.Activity{
		{UnitID: 10, Date: tmplDay(2027, 3, 5), TaskGroup: "d", Kind: "training", Description: "Lớp tập huấn Lean cho doanh nghiệp quận 7",
			Ref: "nscl:1-abc123", Quantities: []nscl.Quantity{{Metric: "trainees", Value: 16192}}, Beneficiaries: []string{"0301234567", "0312345678"}},
		{UnitID: 11, Date: tmplDay(2027, 12, 31), TaskGroup: "b", Kind: "article", Description: "2027",
			Ref: "K-2", Quantities: []nscl.Quantity{{Metric: "articles", Value: 1234567890123456789}, {Metric: "trainees", Value: 0}}},
		{UnitID: 10, Date: tmplDay(2028, 1, 2), TaskGroup: "đ", Kind: "lab", Description: "Phòng thử nghiệm: chỉ mô tả, không số liệu", Ref: "K-3"},
	}
}

func writeExport(t *testing.T, format string, acts []nscl.Activity) []byte {
	t.Helper()
	prog := tmplProgramme(t)
	var buf bytes.Buffer
	each := func(fn func(nscl.Activity) error) error {
		for _, a := range acts {
			if err := fn(a); err != nil {
				return err
			}
		}
		return nil
	}
	codes := map[int64]string{10: tmplUnit.Code, 11: tmplChild.Code}
	if err := WriteActivities(&buf, format, prog, each, func(id int64) string { return codes[id] }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBack reads every row of a file written to disk, trailing empty cells
// dropped (a .csv row has every column, a workbook's only up to its last
// cell).
func readBack(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows [][]string
	for r.Next() {
		cells := r.Row().Cells
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		rows = append(rows, cells)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// The .xlsx export writes no empty cell, figures as numbers and text as
// text, and reads back as the same cells as the .csv export.
func TestWriteActivitiesXLSXIsCompactAndReadsBack(t *testing.T) {
	acts := exportActivities()
	xlsx := writeExport(t, "xlsx", acts)
	fromCSV := readBack(t, "x.csv", writeExport(t, "csv", acts))
	fromXLSX := readBack(t, "x.xlsx", xlsx)
	if !slices.EqualFunc(fromCSV, fromXLSX, slices.Equal) {
		t.Errorf("the .xlsx reads back\n%q\nthe .csv\n%q", fromXLSX, fromCSV)
	}
	if len(fromXLSX) != 1+len(acts) || !slices.Contains(fromXLSX[1], "16192") || !slices.Contains(fromXLSX[2], "1234567890123456789") {
		t.Errorf("rows read back: %q", fromXLSX)
	}

	z, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var sheetXML string
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			sheetXML = string(b)
		}
	}
	if n := len(regexp.MustCompile(`<t[^>]*></t>|<t[^>]*/>|<v></v>`).FindAllString(sheetXML, -1)); n > 0 {
		t.Errorf("%d empty cells written:\n%s", n, sheetXML)
	}
	// 16192 is a number cell (no type, so a number); the 19 digits, the
	// digits-only description and the tax codes stay text.
	for _, want := range []string{`<c r="I2"><v>16192</v></c>`, `<t>1234567890123456789</t>`, `<t>2027</t>`, `<t>0301234567; 0312345678</t>`} {
		if !strings.Contains(sheetXML, want) {
			t.Errorf("sheet XML lacks %s:\n%s", want, sheetXML)
		}
	}
}
