package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
)

// writeTestFile writes content to name in a fresh temporary folder.
func writeTestFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll opens path and reads every row, failing the test on an error.
func readAll(t *testing.T, path string) ([]Row, map[string]string) {
	t.Helper()
	rows, meta, err := tryReadAll(path)
	if err != nil {
		t.Fatalf("read %s: %v", filepath.Base(path), err)
	}
	return rows, meta
}

// tryReadAll opens path and reads every row; a panic while reading comes
// back as an error, so that one bad file does not stop the other tests.
func tryReadAll(path string) (rows []Row, meta map[string]string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("PANIC: %v", p)
		}
	}()
	r, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	for r.Next() {
		row := r.Row()
		row.Cells = slices.Clone(row.Cells)
		rows = append(rows, row)
	}
	return rows, r.Meta(), r.Err()
}

// trimRow drops the empty cells at the end of a row, which writers may or may not store.
func trimRow(cells []string) []string {
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

type wantRow struct {
	number int
	cells  []string
}

func checkRows(t *testing.T, got []Row, sheet string, want []wantRow) {
	t.Helper()
	var nonBlank []Row
	for _, r := range got {
		if r.Sheet != sheet {
			t.Errorf("row %d: sheet %q, want %q", r.Number, r.Sheet, sheet)
		}
		if !r.Blank() {
			nonBlank = append(nonBlank, r)
		}
	}
	if len(nonBlank) != len(want) {
		for _, r := range got {
			t.Logf("row %d: %q", r.Number, r.Cells)
		}
		t.Fatalf("%d rows with something in them, want %d", len(nonBlank), len(want))
	}
	for i, w := range want {
		r := nonBlank[i]
		if r.Number != w.number {
			t.Errorf("row %d: number %d, want %d (%q)", i, r.Number, w.number, r.Cells)
		}
		if got := trimRow(r.Cells); !slices.Equal(got, w.cells) {
			t.Errorf("row %d: cells\n %q\nwant\n %q", w.number, got, w.cells)
		}
	}
}

// wantInvalid checks that err is an EINVALID *nscl.Error whose Vietnamese
// message holds says.
func wantInvalid(t *testing.T, err error, says string) {
	t.Helper()
	var e *nscl.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want an EINVALID *nscl.Error", err, err)
	}
	if e.Code != nscl.EINVALID {
		t.Errorf("code %q, want %q: %v", e.Code, nscl.EINVALID, e)
	}
	if !strings.Contains(strings.ToLower(e.Message), strings.ToLower(says)) {
		t.Errorf("message %q does not say %q", e.Message, says)
	}
	if e.English == "" {
		t.Errorf("no English message: %v", e)
	}
}

func TestCSV(t *testing.T) {
	cases := []struct {
		name, content string
		want          []wantRow
	}{
		{"comma", "Đơn vị,Ngày thực hiện,Học viên\nHCM-THUDUC,31/12/2022,16192\n",
			[]wantRow{{1, []string{"Đơn vị", "Ngày thực hiện", "Học viên"}}, {2, []string{"HCM-THUDUC", "31/12/2022", "16192"}}}},
		// Excel saves CSV with semicolons where the decimal separator is a comma.
		{"semicolon", "Đơn vị;Loại hoạt động;Học viên\r\nHCM-THUDUC;tập huấn, đào tạo;16.192\r\n",
			[]wantRow{{1, []string{"Đơn vị", "Loại hoạt động", "Học viên"}}, {2, []string{"HCM-THUDUC", "tập huấn, đào tạo", "16.192"}}}},
		{"semicolon with a comma in the heading", "Đơn vị;Nguồn, ghi chú;Học viên\nHCM-THUDUC;CV 1, CV 2;12 581\n",
			[]wantRow{{1, []string{"Đơn vị", "Nguồn, ghi chú", "Học viên"}}, {2, []string{"HCM-THUDUC", "CV 1, CV 2", "12 581"}}}},
		{"byte-order mark", "\xef\xbb\xbfĐơn vị,Ngày thực hiện\nHCM-THUDUC,2022-12-31\n",
			[]wantRow{{1, []string{"Đơn vị", "Ngày thực hiện"}}, {2, []string{"HCM-THUDUC", "2022-12-31"}}}},
		{"byte-order mark and semicolons", "\xef\xbb\xbfĐơn vị;Ngày thực hiện\r\nHCM-THUDUC;31/12/2022\r\n",
			[]wantRow{{1, []string{"Đơn vị", "Ngày thực hiện"}}, {2, []string{"HCM-THUDUC", "31/12/2022"}}}},
		{"quoted fields with newlines", "Đơn vị,Nội dung hoạt động,Học viên\n" +
			"HCM-THUDUC,\"Lớp tập huấn:\nngày 1, \"\"5S\"\"\nngày 2, Kaizen\",40\n" +
			"HCM-SKHCN,Hội thảo,12\n",
			[]wantRow{
				{1, []string{"Đơn vị", "Nội dung hoạt động", "Học viên"}},
				{2, []string{"HCM-THUDUC", "Lớp tập huấn:\nngày 1, \"5S\"\nngày 2, Kaizen", "40"}},
				{5, []string{"HCM-SKHCN", "Hội thảo", "12"}}, // the line it starts on
			}},
		{"blank lines keep the line numbers", "Đơn vị,Học viên\n\nHCM-THUDUC,1\n\n\nHCM-SKHCN,2",
			[]wantRow{{1, []string{"Đơn vị", "Học viên"}}, {3, []string{"HCM-THUDUC", "1"}}, {6, []string{"HCM-SKHCN", "2"}}}},
		{"ragged rows", "Đơn vị,Học viên,Nguồn\nHCM-THUDUC\nHCM-SKHCN,2,CV,thêm\n",
			[]wantRow{{1, []string{"Đơn vị", "Học viên", "Nguồn"}}, {2, []string{"HCM-THUDUC"}}, {3, []string{"HCM-SKHCN", "2", "CV", "thêm"}}}},
		// macOS and some editors write decomposed text; the store keeps NFC.
		{"NFD comes out NFC", "Đơn vi\u0323,Nô\u0323i dung\nU\u0309y ban nhân dân Thành phô\u0301 Thu\u0309 Đư\u0301c,Tâ\u0323p huâ\u0301n\n",
			[]wantRow{{1, []string{"Đơn vị", "Nội dung"}}, {2, []string{"Ủy ban nhân dân Thành phố Thủ Đức", "Tập huấn"}}}},
		// A multi-byte character across the 4 KB the separator sniffing reads.
		{"long first row", strings.Repeat("ế", 2000) + ",b\nc,d\n",
			[]wantRow{{1, []string{strings.Repeat("ế", 2000), "b"}}, {2, []string{"c", "d"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTestFile(t, "hoat-dong.csv", []byte(tc.content))
			rows, meta := readAll(t, path)
			checkRows(t, rows, "hoat-dong.csv", tc.want)
			if len(meta) != 0 {
				t.Errorf("a CSV has no template meta, got %v", meta)
			}
		})
	}
}

// The extension is what says CSV; upper case is still CSV.
func TestCSVExtensionInUpperCase(t *testing.T) {
	rows, _ := readAll(t, writeTestFile(t, "BAO-CAO.CSV", []byte("a,b\n1,2\n")))
	checkRows(t, rows, "BAO-CAO.CSV", []wantRow{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}})
}

func TestCSVNotUTF8(t *testing.T) {
	// "Thủ Đức" and "Tập huấn" in Windows-1258 (Vietnamese ANSI) and Latin-1 bytes.
	cases := map[string][]byte{
		"Windows-1258":             []byte("\xd0\xf5n v\xf2,N\xf4\xf2i dung\nTh\xf9\xd2 \xd0\xfa\xecc,T\xe2\xf2p hu\xe2\xecn\n"),
		"Latin-1":                  []byte("Unit,Description\nHCM,caf\xe9 cr\xe8me\n"),
		"Windows-1258 with a BOM":  append([]byte("\xef\xbb\xbf"), []byte("\xd0\xf5n v\xf2\nTh\xf9\xd2\n")...),
		"Latin-1 in the last byte": []byte("Unit,Description\r\nHCM,caf\xe9"),
		"Latin-1 after 4 KB":       append([]byte("Unit,Description\n"+strings.Repeat("HCM,plain ascii row\n", 300)), []byte("HCM,caf\xe9\n")...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := tryReadAll(writeTestFile(t, "windows.csv", content))
			if err == nil {
				t.Fatalf("a .csv that is not UTF-8 was read without error")
			}
			wantInvalid(t, err, "UTF-8")
		})
	}
}

func TestCSVDamaged(t *testing.T) {
	cases := map[string]string{
		"bare quote in the first field":  "Đơn vị,Nội dung\nHCM-THUDUC,a\nTivi 55\" inch,b\n",
		"bare quote in a later field":    "Đơn vị,Nội dung\nHCM-THUDUC,Tivi 55\" inch\n",
		"quoted field never closed":      "Đơn vị,Nội dung\nHCM-THUDUC,\"Lớp tập huấn\n",
		"quote then text":                "Đơn vị,Nội dung\n\"HCM\"X,b\n",
		"first field quoted, not closed": "Đơn vị,Nội dung\n\"HCM-THUDUC,b\n",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := tryReadAll(writeTestFile(t, "hong.csv", []byte(content)))
			if err == nil {
				t.Fatal("a damaged .csv was read without error")
			}
			wantInvalid(t, err, "dòng")
		})
	}
}

// ---- .xlsx ----

const (
	xlsxTitle     = "BÁO CÁO HOẠT ĐỘNG NÂNG CAO NĂNG SUẤT CHẤT LƯỢNG NĂM 2022"
	xlsxNFDThuDuc = "U\u0309y ban nhân dân Thành phố Thu\u0309 Đư\u0301c"
)

var xlsxHeadings = []string{"Đơn vị *", "Ngày thực hiện *", "Học viên được tập huấn, bồi dưỡng (học viên)", "Tập huấn, bồi dưỡng kiến thức (lượt doanh nghiệp)", "Tổng (công thức)", "Nội dung hoạt động *"}

// writeWorkbook writes a template-like workbook with excelize: the
// instructions first, the activity sheet with a title merged over its
// columns, headings, blank rows, numbers (one shown with thousands
// separators), a real date, a formula, decomposed text, and the hidden
// meta sheet.
func writeWorkbook(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", InstructionsSheet))
	must(f.SetCellValue(InstructionsSheet, "A1", "Ghi mỗi hoạt động một dòng."))
	_, err := f.NewSheet(ActivitySheet)
	must(err)
	s := ActivitySheet
	must(f.SetCellValue(s, "A1", xlsxTitle))
	must(f.MergeCell(s, "A1", "F1"))
	for i, h := range xlsxHeadings {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		must(f.SetCellValue(s, cell, h))
	}
	// Row 3 left blank.
	must(f.SetCellValue(s, "A4", "HCM-THUDUC"))
	must(f.SetCellValue(s, "B4", time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)))
	must(f.SetCellValue(s, "C4", 16192))
	must(f.SetCellValue(s, "D4", 963))
	must(f.SetCellFormula(s, "E4", "C4+D4"))
	must(f.SetCellValue(s, "F4", "Tập huấn công cụ cải tiến năng suất"))
	thousands, err := f.NewStyle(&excelize.Style{NumFmt: 3}) // #,##0 shows 16,192
	must(err)
	must(f.SetCellStyle(s, "C4", "C4", thousands))
	// Rows 5 and 6 left blank, a cell with only spaces in row 6.
	must(f.SetCellValue(s, "C6", "   "))
	must(f.SetCellValue(s, "A7", xlsxNFDThuDuc))
	must(f.SetCellValue(s, "B7", "15/06/2023")) // a date typed as text
	must(f.SetCellValue(s, "C7", 12.5))
	must(f.SetCellValue(s, "D7", "16.192")) // a number typed as text
	must(f.SetCellFormula(s, "E7", "SUM(C7:D7)"))
	must(f.SetCellValue(s, "F7", "Hội thảo"))
	_, err = f.NewSheet(MetaSheet)
	must(err)
	for i, kv := range [][2]string{{"programme", "NSCL"}, {"round", "1"}, {"unit", "HCM-THUDUC"}} {
		must(f.SetSheetRow(MetaSheet, fmt.Sprintf("A%d", i+1), &[]string{kv[0], kv[1]}))
	}
	must(f.SetSheetVisible(MetaSheet, false))
	must(f.SaveAs(path))
}

// xlsxMeta is what writeWorkbook's hidden sheet says.
var xlsxMeta = map[string]string{"programme": "NSCL", "round": "1", "unit": "HCM-THUDUC"}

// Read as excelize wrote it: no cached value for the formulas, the rest as stored.
func TestXLSXFromExcelize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mau.xlsx")
	writeWorkbook(t, path)
	rows, meta := readAll(t, path)
	checkRows(t, rows, ActivitySheet, []wantRow{
		{1, []string{xlsxTitle}},
		{2, xlsxHeadings},
		{4, []string{"HCM-THUDUC", "44926", "16192", "963", "", "Tập huấn công cụ cải tiến năng suất"}},
		{7, []string{"Ủy ban nhân dân Thành phố Thủ Đức", "15/06/2023", "12.5", "16.192", "", "Hội thảo"}},
	})
	numbers := map[int]bool{}
	for _, r := range rows {
		numbers[r.Number] = true
	}
	for n := 1; n <= 7; n++ {
		if !numbers[n] {
			t.Errorf("row %d not read: blank rows must still be counted as the spreadsheet shows them", n)
		}
	}
	for k, v := range xlsxMeta {
		if meta[k] != v {
			t.Errorf("meta %q = %q, want %q (all: %v)", k, meta[k], v, meta)
		}
	}
}

// convertWithLibreOffice opens the workbook in LibreOffice and saves it
// again as .xlsx: formulas are calculated and their values cached, as in a
// file a person saved from Calc or Excel.
func convertWithLibreOffice(t *testing.T, path string) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not on PATH: cannot produce an .xlsx with cached formula values; install libreoffice-calc to run this test")
	}
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(tmp, "lo")),
		"--convert-to", "xlsx", "--outdir", filepath.Join(tmp, "out"), path)
	out, err := cmd.CombinedOutput()
	converted := filepath.Join(tmp, "out", filepath.Base(path))
	if _, statErr := os.Stat(converted); err != nil || statErr != nil {
		t.Fatalf("soffice --convert-to xlsx: %v %v\n%s", err, statErr, out)
	}
	return converted
}

func TestXLSXSavedByLibreOffice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mau.xlsx")
	writeWorkbook(t, path)
	converted := convertWithLibreOffice(t, path)
	rows, meta := readAll(t, converted)
	// RawCellValue: numbers as stored (no thousands separator the format
	// shows), the date cell as its serial number, the formulas as their
	// cached values: 16192 + 963, and 12.5 + 0 (SUM skips text).
	checkRows(t, rows, ActivitySheet, []wantRow{
		{1, []string{xlsxTitle}},
		{2, xlsxHeadings},
		{4, []string{"HCM-THUDUC", "44926", "16192", "963", "17155", "Tập huấn công cụ cải tiến năng suất"}},
		{7, []string{"Ủy ban nhân dân Thành phố Thủ Đức", "15/06/2023", "12.5", "16.192", "12.5", "Hội thảo"}},
	})
	if rows[len(rows)-1].Number < 7 {
		t.Errorf("last row %d, want 7 or more", rows[len(rows)-1].Number)
	}
	for k, v := range xlsxMeta {
		if meta[k] != v {
			t.Errorf("meta %q = %q after LibreOffice, want %q (all: %v)", k, meta[k], v, meta)
		}
	}
}

// An old Mac workbook counts date serials from 1904; the reader says so.
func TestXLSXDate1904(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		f := excelize.NewFile()
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
		f.SetCellValue("Sheet1", "A1", "Ngày thực hiện")
		path := filepath.Join(t.TempDir(), fmt.Sprintf("mac-%v.xlsx", date1904))
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		f.Close()
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if r.Date1904() != date1904 {
			t.Errorf("workbook with date1904=%v: Date1904() = %v", date1904, r.Date1904())
		}
		r.Close()
	}
	r, err := Open(writeTestFile(t, "a.csv", []byte("a,b\n")))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Date1904() {
		t.Error("a CSV has no 1904 dates")
	}
}

// OpenAs names a .csv file's rows by the name the user gave the upload.
func TestOpenAsNamesTheCSVSheet(t *testing.T) {
	r, err := OpenAs(writeTestFile(t, "nscl-import-123.csv", []byte("a,b\n1,2\n")), "Báo cáo Thủ Đức.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.Next() || r.Row().Sheet != "Báo cáo Thủ Đức.csv" {
		t.Errorf("row %+v, want sheet named by the upload", r.Row())
	}
}

// The activity sheet is the first visible one other than the
// instructions; a workbook with none is refused.
func TestXLSXWithoutActivitySheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", InstructionsSheet); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "huong-dan.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	wantInvalid(t, err, "trang tính")
}

// ---- files that are not what they say ----

// zipBytes writes a zip whose entries are given as name → content; raw
// entries are given whole, with headers that may lie.
func zipBytes(t *testing.T, entries map[string]string, raw ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range entries {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, entries[name])
	}
	for _, e := range raw {
		w, err := zw.CreateRaw(e.header)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type rawEntry struct {
	header *zip.FileHeader
	body   []byte
}

// deflated is a zip entry holding content, compressed, whose header
// declares declaredSize as its unpacked size.
func deflated(t *testing.T, name string, content []byte, declaredSize uint64) rawEntry {
	t.Helper()
	var body bytes.Buffer
	fw, _ := flate.NewWriter(&body, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	return rawEntry{
		header: &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
			CompressedSize64: uint64(body.Len()), UncompressedSize64: declaredSize, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		body: body.Bytes(),
	}
}

// workbookParts is a minimal workbook but for its worksheet.
var workbookParts = map[string]string{
	"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
	"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoạt động" sheetId="1" r:id="rId1"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
}

func worksheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + rows + `</sheetData></worksheet>`
}

func withParts(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range workbookParts {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// The hand-made workbook is a workbook: the bad files below differ from it
// only in what they are testing.
func TestMinimalWorkbookReads(t *testing.T) {
	content := zipBytes(t, withParts(map[string]string{"xl/worksheets/sheet1.xml": worksheetXML(
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c></row><row r="3"><c r="A3"><v>16192</v></c></row>`)}))
	rows, _ := readAll(t, writeTestFile(t, "tay.xlsx", content))
	checkRows(t, rows, "Hoạt động", []wantRow{{1, []string{"Đơn vị"}}, {3, []string{"16192"}}})
}

func TestBadFiles(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	sheetRows := `<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c></row>`
	small := []byte(worksheetXML(sheetRows))
	big := []byte(worksheetXML(strings.Repeat(sheetRows, 2000))) // ~100 KB unpacked
	cases := []struct {
		name    string
		file    string
		content func(t *testing.T) []byte
		says    string
	}{
		{"password-protected workbook (OLE)", "mat-khau.xlsx", func(*testing.T) []byte { return ole }, "mật khẩu"},
		{"old Excel .xls (OLE)", "cu.xls", func(*testing.T) []byte { return ole }, ".xls"},
		{"corrupt zip", "hong.xlsx", func(*testing.T) []byte {
			return []byte("PK\x03\x04 this is not a zip archive at all, just garbage \x00\x01\x02")
		}, "hỏng"},
		{"a zip that is not a workbook", "khong-phai.xlsx", func(t *testing.T) []byte { return zipBytes(t, map[string]string{"readme.txt": "xin chào"}) }, "bảng tính"},
		{"a text file", "ghi-chu.txt", func(*testing.T) []byte { return []byte("Đơn vị,Ngày\nHCM-THUDUC,31/12/2022\n") }, ".xlsx hoặc .csv"},
		{"a PDF named .xlsx", "bao-cao.xlsx", func(*testing.T) []byte { return []byte("%PDF-1.7\n%âãÏÓ\n") }, ".xlsx hoặc .csv"},
		{"an empty .xlsx", "rong.xlsx", func(*testing.T) []byte { return nil }, "trống"},
		{"an empty .csv", "rong.csv", func(*testing.T) []byte { return nil }, "trống"},
		{"zip bomb: the worksheet declares 600 MB", "bom.xlsx", func(t *testing.T) []byte {
			return zipBytes(t, workbookParts, deflated(t, "xl/worksheets/sheet1.xml", small, 600<<20))
		}, "giải nén"},
		{"zip bomb: the worksheet declares 8 GB (zip64)", "bom64.xlsx", func(t *testing.T) []byte {
			return zipBytes(t, workbookParts, deflated(t, "xl/worksheets/sheet1.xml", small, 8<<30))
		}, "giải nén"},
		{"zip bomb: parts adding up past the limit", "bom-nhieu.xlsx", func(t *testing.T) []byte {
			var raw []rawEntry
			for i := range 6 {
				raw = append(raw, deflated(t, fmt.Sprintf("xl/media/image%d.png", i), small, 90<<20))
			}
			raw = append(raw, deflated(t, "xl/worksheets/sheet1.xml", small, uint64(len(small))))
			return zipBytes(t, workbookParts, raw...)
		}, "giải nén"},
		{"zip bomb: the worksheet unpacks to more than it declares", "bom-doi.xlsx", func(t *testing.T) []byte {
			return zipBytes(t, workbookParts, deflated(t, "xl/worksheets/sheet1.xml", big, 1000))
		}, "hỏng"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTestFile(t, tc.file, tc.content(t))
			rows, _, err := tryReadAll(path)
			if err == nil {
				t.Fatalf("%s read without error, as %d rows", tc.file, len(rows))
			}
			wantInvalid(t, err, tc.says)
		})
	}
}

func TestFileTooLarge(t *testing.T) {
	for _, name := range []string{"lon.xlsx", "lon.csv"} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte("PK\x03\x04"), 0o644); err != nil {
			t.Fatal(err)
		}
		// Sparse: the size is there, the 50 MB are not written.
		if err := os.Truncate(path, MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		_, err := Open(path)
		wantInvalid(t, err, fmt.Sprintf("lớn quá %d MB", MaxFileSize>>20))
	}
}

// A worksheet damaged inside a sound zip directory: its XML breaks off, or
// its compressed data is corrupt. The rows before the damage must not pass
// for the whole file: the import would be all-or-nothing on a part of it.
func TestXLSXDamagedWorksheet(t *testing.T) {
	var rows strings.Builder
	for i := 1; i <= 400; i++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>HCM-THUDUC</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, i, 44926+i%300)
	}
	whole := []byte(worksheetXML(rows.String()))
	cut := whole[:len(whole)/2] // breaks off in the middle of the rows
	corrupt := deflated(t, "xl/worksheets/sheet1.xml", whole, uint64(len(whole)))
	corrupt.body = slices.Clone(corrupt.body)
	for i := len(corrupt.body) / 2; i < len(corrupt.body)/2+16; i++ {
		corrupt.body[i] ^= 0x5a
	}
	wrongCRC := deflated(t, "xl/worksheets/sheet1.xml", whole, uint64(len(whole)))
	wrongCRC.header.CRC32 ^= 0xffff
	cases := map[string][]byte{
		"XML breaks off":          zipBytes(t, withParts(map[string]string{"xl/worksheets/sheet1.xml": string(cut)})),
		"compressed data corrupt": zipBytes(t, workbookParts, corrupt),
		"checksum wrong":          zipBytes(t, workbookParts, wrongCRC),
	}
	// The same workbook undamaged reads whole.
	got, _ := readAll(t, writeTestFile(t, "nguyen.xlsx", zipBytes(t, withParts(map[string]string{"xl/worksheets/sheet1.xml": string(whole)}))))
	if len(got) != 400 {
		t.Fatalf("undamaged workbook: %d rows, want 400", len(got))
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			got, _, err := tryReadAll(writeTestFile(t, "hong.xlsx", content))
			if err == nil {
				t.Fatalf("a damaged worksheet read as %d of its 400 rows without error", len(got))
			}
			wantInvalid(t, err, "hỏng")
		})
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 2: "C", 25: "Z", 26: "AA", 16383: "XFD"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestRowBlank(t *testing.T) {
	if !(Row{Cells: []string{"", " ", "\t"}}).Blank() || !(Row{}).Blank() {
		t.Error("a row of spaces is blank")
	}
	if (Row{Cells: []string{"", "0"}}).Blank() {
		t.Error("a row with 0 is not blank")
	}
}

// Text a spreadsheet would take for a formula is written inert (after an
// apostrophe) and read back as it was; numbers and other text are untouched.
func TestCSVFormulaTextIsInert(t *testing.T) {
	cells := []string{"=HYPERLINK(\"http://x\",\"bấm\")", "+84 28 3829", "-5", "- mục đầu", "@SUM(A1)", "16.192", "9,93 %", "'=giữ", "Lớp tập huấn"}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []string{"=tiêu đề"}, func(yield func([]string) error) error { return yield(cells) }); err != nil {
		t.Fatal(err)
	}
	written := buf.String()
	for _, inert := range []string{`'=tiêu đề`, `"'=HYPERLINK(""http://x"",""bấm"")"`, "'+84 28 3829", "'- mục đầu", "'@SUM(A1)", "''=giữ"} {
		if !strings.Contains(written, inert) {
			t.Errorf("the file lacks %s:\n%s", inert, written)
		}
	}
	for _, plain := range []string{",-5,", ",16.192,", ",9,93 %,"} {
		if strings.Contains(written, "'"+strings.Trim(plain, ",")) {
			t.Errorf("%s was made text:\n%s", plain, written)
		}
	}
	rows, _ := readAll(t, writeTestFile(t, "inert.csv", buf.Bytes()))
	if len(rows) != 2 || !slices.Equal(rows[0].Cells, []string{"=tiêu đề"}) || !slices.Equal(rows[1].Cells, cells) {
		t.Errorf("read back %v, want %q", rows, cells)
	}
}

// An exported CSV opened in LibreOffice and saved as .xlsx keeps the
// apostrophe of a text that looks like a formula in its cell; the reader
// drops it there too, so the text comes back as it was exported.
func TestInertTextSurvivesLibreOfficeAsXLSX(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not on PATH; CI installs it")
	}
	cells := []string{"- Tập huấn chuyển đổi số", "=1+1", "16.192"}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []string{"Nội dung", "Công thức", "Số"}, func(yield func([]string) error) error { return yield(cells) }); err != nil {
		t.Fatal(err)
	}
	csvPath := writeTestFile(t, "xuat.csv", buf.Bytes())
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(tmp, "lo")),
		"--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", tmp, csvPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	rows, _ := readAll(t, filepath.Join(tmp, "xuat.xlsx"))
	if len(rows) != 2 || rows[1].Cells[0] != cells[0] || rows[1].Cells[1] != cells[1] {
		t.Errorf("read back %v, want %q", rows, cells)
	}
}
