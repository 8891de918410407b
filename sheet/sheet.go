// Package sheet reads the rows of spreadsheet files — .xlsx (Excel,
// LibreOffice Calc) and .csv — one at a time, so that a file of a million
// rows is read in bounded memory, and writes the reporting template units
// fill in. It knows nothing of activities: the domain says what the cells
// mean.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"nscl"
	"nscl/vnfmt"
)

// Sheets of a template: the activities, the instructions, and a hidden
// sheet (MetaSheet) with what the template was made for.
const (
	ActivitySheet     = "Hoạt động"
	InstructionsSheet = "Hướng dẫn"
)

// MetaSheet is the hidden sheet where a template records which round and
// unit it was made for, so that the filled-in file can be matched.
const MetaSheet = "_nscl"

// Row is one row of a file with where it is.
type Row struct {
	Sheet  string
	Number int // 1-based, as the spreadsheet shows it
	Cells  []string
}

// Blank says whether the row has nothing in it.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Reader reads rows one at a time.
type Reader interface {
	Next() bool
	Row() Row
	Err() error
	Close() error
	// Meta is what the template's hidden sheet records (round, unit,
	// template version); empty for a file not made from a template.
	Meta() map[string]string
	// Date1904 says the workbook counts date serial numbers from 1904
	// (old Mac workbooks) rather than 1900.
	Date1904() bool
	// LastRowAbout is about the number of the sheet's last row (as
	// Row.Number counts), for a progress bar: a workbook's, as found when
	// the file was opened (a blank row that carries a format included); a
	// .csv file's, estimated from the share of the file read so far. 0
	// when it is not known (a workbook reopened, a .csv file before its
	// first row).
	LastRowAbout() int
}

// Open opens an .xlsx or .csv file. A file that is too large, protected by
// a password, an old .xls, or not a spreadsheet at all is a clear EINVALID
// error.
func Open(path string) (Reader, error) { return OpenAs(path, filepath.Base(path)) }

// OpenAs opens a file saved under another name (an upload): name is how
// rows of a .csv file, which has no sheets, say where they are.
func OpenAs(path, name string) (Reader, error) { return open(path, name, true) }

// Reopen opens again a file that OpenAs opened and read without error,
// leaving out the look at every part of a workbook's archive (for a zip
// bomb, a damaged part): it passed, and on a large workbook it costs as
// much as reading the rows.
func Reopen(path, name string) (Reader, error) { return open(path, name, false) }

func open(path, name string, checkArchive bool) (Reader, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, nscl.Invalid("file", "tệp lớn quá %d MB", "the file is larger than %d MB", MaxFileSize>>20)
	}
	if info.Size() == 0 {
		return nil, nscl.Invalid("file", "tệp trống, không có dữ liệu", "the file is empty")
	}
	head := make([]byte, 8)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	switch {
	case bytes.Equal(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return nil, nscl.Invalid("file", "tệp được bảo vệ bằng mật khẩu hoặc là tệp Excel cũ (.xls); hãy bỏ mật khẩu và lưu thành .xlsx", "the file is password-protected or an old Excel file (.xls); remove the password and save it as .xlsx")
	case bytes.HasPrefix(head, []byte("PK")):
		return openXLSX(path, checkArchive)
	case strings.EqualFold(filepath.Ext(path), ".csv"):
		return openCSV(path, name)
	}
	return nil, nscl.Invalid("file", "tệp không phải .xlsx hoặc .csv", "the file is not .xlsx or .csv")
}

type xlsxReader struct {
	lastRow int // the sheet's last row as checkZip found it
	f       *excelize.File
	rows    *excelize.Rows // the sheet's rows through excelize, when sheetRows cannot read them
	own     *worksheetRows // the sheet's rows read by our own reader
	sheet   string
	n       int
	row     Row
	err     error
	meta    map[string]string
}

// openXLSX opens a workbook and reads its activity sheet: the first
// visible sheet other than the template's instructions.
func openXLSX(path string, checkArchive bool) (Reader, error) {
	var lastRows map[string]int
	if checkArchive {
		var err error
		if lastRows, err = checkZip(path); err != nil {
			return nil, err
		}
	}
	// The limits were checked above (or when the file was first opened):
	// excelize's own are only its defaults' backstop.
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnpacked, UnzipXMLSizeLimit: maxXMLInMemory})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, tooLarge("", maxUnpacked)
		}
		return nil, nscl.Invalid("file", "không đọc được tệp .xlsx (tệp hỏng hoặc không phải bảng tính): %v", "the .xlsx file cannot be read (damaged, or not a spreadsheet): %v", err)
	}
	r := &xlsxReader{f: f, meta: readMeta(f)}
	for _, name := range f.GetSheetList() {
		if visible, _ := f.GetSheetVisible(name); visible && name != MetaSheet && name != InstructionsSheet {
			r.sheet = name
			break
		}
	}
	if r.sheet == "" {
		f.Close()
		return nil, nscl.Invalid("file", "tệp không có trang tính nào", "the workbook has no sheet")
	}
	r.lastRow = lastRows[r.sheet]
	if r.own, err = openWorksheetRows(path, r.sheet); err != nil {
		f.Close()
		return nil, nscl.Invalid("file", "không đọc được trang %q: %v", "sheet %q cannot be read: %v", r.sheet, err)
	}
	if r.own != nil {
		return r, nil
	}
	if r.rows, err = f.Rows(r.sheet); err != nil {
		f.Close()
		return nil, nscl.Invalid("file", "không đọc được trang %q: %v", "sheet %q cannot be read: %v", r.sheet, err)
	}
	return r, nil
}

// readMeta reads what the template's hidden sheet records: a key in
// column A and its value in B, in its first rows.
func readMeta(f *excelize.File) map[string]string {
	meta := map[string]string{}
	rows, err := f.Rows(MetaSheet)
	if err != nil {
		return meta
	}
	defer rows.Close()
	for i := 0; i < metaRows && rows.Next(); i++ {
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			break
		}
		if len(row) >= 2 && row[0] != "" {
			meta[row[0]] = row[1]
		}
	}
	return meta
}

func (r *xlsxReader) Next() bool {
	if r.own != nil {
		return r.nextOwn()
	}
	if r.err != nil || !r.rows.Next() {
		if r.err == nil {
			r.err = r.rows.Error()
		}
		return false
	}
	r.n++
	cells, err := r.rows.Columns()
	if err != nil {
		r.err = nscl.Invalid("file", "dòng %d của trang %q hỏng: %v", "row %d of sheet %q is damaged: %v", r.n, r.sheet, err)
		return false
	}
	r.row = Row{Sheet: r.sheet, Number: r.n, Cells: nfc(cells)}
	return true
}

func (r *xlsxReader) nextOwn() bool {
	if r.err != nil {
		return false
	}
	number, cells, ok, err := r.own.next()
	if err != nil {
		r.err = nscl.Invalid("file", "dòng %d của trang %q hỏng: %v", "row %d of sheet %q is damaged: %v", r.n+1, r.sheet, err)
		return false
	}
	if !ok {
		return false
	}
	r.n = number
	r.row = Row{Sheet: r.sheet, Number: number, Cells: nfc(cells)}
	return true
}

func (r *xlsxReader) Row() Row                { return r.row }
func (r *xlsxReader) Err() error              { return r.err }
func (r *xlsxReader) Meta() map[string]string { return r.meta }
func (r *xlsxReader) LastRowAbout() int       { return r.lastRow }
func (r *xlsxReader) Date1904() bool {
	props, err := r.f.GetWorkbookProps()
	return err == nil && props.Date1904 != nil && *props.Date1904
}
func (r *xlsxReader) Close() error {
	if r.own != nil {
		return errors.Join(r.own.Close(), r.f.Close())
	}
	r.rows.Close()
	return r.f.Close()
}

type csvReader struct {
	size    int64 // the file's bytes, for LastRowAbout
	skipped int64 // the byte-order mark's, before the CSV reader's first
	file    *os.File
	in      *recordBound
	csv     *csv.Reader
	sheet   string
	rows    int
	row     Row
	err     error
}

// openCSV reads a CSV file in UTF-8 (with or without a byte-order mark),
// separated by commas or, as Excel writes it in Vietnamese, semicolons.
func openCSV(path, name string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf"))
	wholeFile := n < 4096 // else a rune may be cut at the end of what was read
	if wholeFile && !utf8.Valid(head) || !wholeFile && !validPrefix(head) {
		f.Close()
		return nil, nscl.Invalid("file", "tệp .csv không phải UTF-8; hãy lưu lại với bảng mã UTF-8", "the .csv file is not UTF-8; save it again as UTF-8")
	}
	if _, err := f.Seek(int64(n-len(head)), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	in := &recordBound{r: f}
	c := csv.NewReader(in)
	firstLine, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		c.Comma = ';'
	}
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &csvReader{size: info.Size(), skipped: int64(n - len(head)), file: f, in: in, csv: c, sheet: name}, nil
}

var errRowTooLong = errors.New("sheet: row too long")

// recordBound counts the bytes a .csv reader takes from the file since
// its last record, failing past MaxRowBytes: encoding/csv holds a record
// whole, and a quoted field may run on to the end of the file. (The
// reader's buffer reads up to 4 KB ahead, which the bound allows for.)
type recordBound struct {
	r io.Reader
	n int
}

func (b *recordBound) Read(p []byte) (int, error) {
	if b.n > MaxRowBytes+4096 {
		return 0, errRowTooLong
	}
	n, err := b.r.Read(p)
	b.n += n
	return n, err
}

// validPrefix says whether a buffer is UTF-8 but for a rune cut at its end.
func validPrefix(b []byte) bool {
	for cut := 0; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

func (r *csvReader) Next() bool {
	if r.err != nil {
		return false
	}
	record, err := r.csv.Read()
	if errors.Is(err, io.EOF) {
		return false
	}
	if errors.Is(err, errRowTooLong) {
		r.err = nscl.Invalid("file", "dòng sau dòng %[1]d của tệp .csv dài hơn %[2]d MB; giới hạn là %[2]d MB", "the line after line %[1]d of the .csv file is longer than %[2]d MB; the limit is %[2]d MB", r.row.Number, MaxRowBytes>>20)
		return false
	}
	if err != nil {
		line := 0
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			line = perr.StartLine
		}
		r.err = nscl.Invalid("file", "dòng %d của tệp .csv hỏng: %v", "line %d of the .csv file is damaged: %v", line, err)
		return false
	}
	r.in.n = 0
	r.rows++
	line, _ := r.csv.FieldPos(0)
	if r.rows > MaxRows {
		r.err = nscl.Invalid("file", "tệp .csv có hơn %[1]s dòng; giới hạn là %[1]s", "the .csv file has more than %[2]d rows; the limit is %[2]d", vnfmt.Int(MaxRows), MaxRows)
		return false
	}
	if len(record) > MaxCellsPerRow {
		r.err = nscl.Invalid("file", "dòng %[1]d của tệp .csv có hơn %[2]s cột; giới hạn là %[2]s", "line %[1]d of the .csv file has more than %[3]d columns; the limit is %[3]d", line, vnfmt.Int(MaxCellsPerRow), MaxCellsPerRow)
		return false
	}
	for _, field := range record {
		if !utf8.ValidString(field) {
			r.err = nscl.Invalid("file", "dòng %d của tệp .csv không phải UTF-8; hãy lưu lại với bảng mã UTF-8", "line %d of the .csv file is not UTF-8; save it again as UTF-8", line)
			return false
		}
	}
	r.row = Row{Sheet: r.sheet, Number: line, Cells: nfc(record)}
	return true
}

func (r *csvReader) Row() Row                { return r.row }
func (r *csvReader) Err() error              { return r.err }
func (r *csvReader) Meta() map[string]string { return map[string]string{} }
func (r *csvReader) Date1904() bool          { return false }
func (r *csvReader) Close() error            { return r.file.Close() }

// LastRowAbout scales the line reached by the share of the file read: a
// .csv file's lines are alike enough for a progress bar, and counting them
// first would read the file twice.
func (r *csvReader) LastRowAbout() int {
	read := r.skipped + r.csv.InputOffset()
	if r.rows == 0 || read <= 0 {
		return 0
	}
	return int(float64(r.row.Number) * float64(r.size) / float64(read))
}

// nfc copies cells into NFC, as the database stores text, without the
// apostrophe a CSV export puts before text a spreadsheet would take for a
// formula: it is dropped whatever the file became since (LibreOffice keeps
// it in the cell when a CSV is saved as .xlsx).
func nfc(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = norm.NFC.String(liveCell(c))
	}
	return out
}

// ColumnName is a column's letter as spreadsheets show it: 0 → "A".
func ColumnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
