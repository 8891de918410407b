package sheet

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"nscl"
)

// Rows hands out the rows of a table one at a time: it calls yield for
// each, and stops at yield's first error.
type Rows func(yield func(cells []string) error) error

// WriteCSV writes a table as UTF-8 CSV with a byte-order mark, which
// Excel needs to read Vietnamese letters right.
func WriteCSV(w io.Writer, header []string, rows Rows) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	safe := func(cells []string) error {
		out := make([]string, len(cells))
		for i, cell := range cells {
			out[i] = inertCell(cell)
		}
		return c.Write(out)
	}
	if err := safe(header); err != nil {
		return err
	}
	if err := rows(safe); err != nil {
		return err
	}
	c.Flush()
	return c.Error()
}

// A spreadsheet opening a CSV file takes a cell that starts with =, +, -
// or @ for a formula: text such as "=HYPERLINK(…)" typed into a
// description would run on the reader's machine, and "-" at the head of a
// list would show as #NAME?. Such text is written after an apostrophe,
// which spreadsheets show as plain text, and the apostrophe is dropped
// when the file is read back. Plain numbers stay as they are.
func inertCell(s string) string {
	if formulaLike(s) && !plainNumber.MatchString(s) || s != "" && s[0] == '\'' && formulaLike(strings.TrimLeft(s, "'")) {
		return "'" + s // the second case keeps a written apostrophe through liveCell
	}
	return s
}

// liveCell undoes inertCell.
func liveCell(s string) string {
	if s != "" && s[0] == '\'' && formulaLike(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}

func formulaLike(s string) bool { return s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) }

const formulaStarts = "=+-@\t\r"

var plainNumber = regexp.MustCompile(`^[-+]?\d[\d.,]*( ?%)?$`)

// WriteXLSX writes a table as a one-sheet workbook through excelize's
// stream writer, so memory does not grow with the rows. Cells are text as
// given, but for the columns numeric marks, whose whole numbers are number
// cells; an empty cell is left out. Written so, 100.000 activities take
// about a sixth of the sheet's XML that every cell written as text took,
// and an import reads back the same cells.
func WriteXLSX(w io.Writer, sheetName string, header []string, numeric []bool, rows Rows) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	n := 1
	var values []any
	err = rows(func(cells []string) error {
		n++
		values = values[:0]
		for i, c := range cells {
			values = append(values, cellValue(c, i < len(numeric) && numeric[i]))
		}
		return sw.SetRow("A"+strconv.Itoa(n), values)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// cellValue is what the stream writer writes for a cell: nothing for an
// empty one, a number for a whole number in a numeric column (up to 15
// digits, which a spreadsheet holds exactly), else the text.
func cellValue(c string, numeric bool) any {
	if c == "" {
		return nil
	}
	if numeric && len(c) <= 15 {
		if v, err := strconv.ParseInt(c, 10, 64); err == nil {
			return v
		}
	}
	return c
}

// WrappedLines estimates the lines s takes when wrapped in a column of the
// given width. A width unit is the width of a digit, about that of a
// letter of Vietnamese text in the default font; the room lost where lines
// break between words is left to the letters that are narrower. Rows are
// made that tall, since LibreOffice does not fit them on opening a file.
func WrappedLines(s string, width float64) int {
	perLine := max(int(width), 1)
	lines := 0
	for para := range strings.SplitSeq(s, "\n") {
		lines += max(1, (utf8.RuneCountInString(para)+perLine-1)/perLine)
	}
	return lines
}

// WriteActivities writes activities as the activity sheet, .csv or .xlsx:
// the columns an import reads (nscl.ActivityColumns), with every row's
// key, so that the file can be corrected and imported again. unitCode
// names each activity's unit.
func WriteActivities(w io.Writer, format string, prog *nscl.Programme, each func(func(nscl.Activity) error) error, unitCode func(int64) string) error {
	cols := nscl.ActivityColumns(prog)
	header := make([]string, len(cols))
	numeric := make([]bool, len(cols))
	for i, c := range cols {
		header[i] = c.Title
		numeric[i] = c.Metric != ""
	}
	rows := func(yield func([]string) error) error {
		return each(func(a nscl.Activity) error { return yield(nscl.ActivityCells(cols, a, unitCode(a.UnitID))) })
	}
	switch format {
	case "csv":
		return WriteCSV(w, header, rows)
	case "xlsx":
		return WriteXLSX(w, ActivitySheet, header, numeric, rows)
	}
	return nscl.Invalid("format", "định dạng phải là csv hoặc xlsx", "format must be csv or xlsx")
}
