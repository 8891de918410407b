package sheet

import (
	"archive/zip"
	"errors"
	"io"
	"strconv"
	"strings"
)

// worksheetRows reads the rows of one worksheet straight from its part in
// the archive, as raw XML tokens (xmlScanner), with the shared strings read once
// before: excelize decodes every cell into a structure through reflection,
// which was about half of the time of importing our own .xlsx export. It
// gives what excelize's row reader gives with raw cell values — a row for
// every number up to the last one, a blank row for each one the sheet
// leaves out, and each row's cells up to its last one with a value or a
// formula — and is
// only used after the archive passed checkZip's limits (the part's size,
// its rows and cells, each row's bytes, the shared strings).
type worksheetRows struct {
	z      *zip.ReadCloser
	part   io.ReadCloser
	tokens *xmlScanner
	shared sharedStrings
	n      int      // the row number handed out last
	ahead  []string // the cells of the row read ahead …
	aheadN int      // … and its number, 0 when none
	done   bool
}

// maxSharedInMemory bounds the text of the shared strings this reader
// holds; a workbook with more (a large sheet saved by Excel, which writes
// every text as a shared string) is read by excelize, which keeps them in a
// temporary file.
var maxSharedInMemory = 16 << 20 // a variable so that a test can make excelize read a small table

var errTooManyShared = errors.New("sheet: shared strings too long to hold")

// openWorksheetRows opens the worksheet named sheet of the workbook at
// path; nil, nil when its shared strings are too long to hold.
func openWorksheetRows(path, sheet string) (*worksheetRows, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	r := &worksheetRows{z: z}
	part, err := r.locate(sheet)
	if err == nil && part == nil {
		err = errors.New("sheet: worksheet part not found")
	}
	if err == nil {
		err = r.readShared()
	}
	if err == nil {
		r.part, err = part.Open()
	}
	if err != nil {
		z.Close()
		if errors.Is(err, errTooManyShared) {
			return nil, nil
		}
		return nil, err
	}
	r.tokens = newXMLScanner(r.part)
	return r, nil
}

// file finds a part by name, whatever its case and slashes.
func (r *worksheetRows) file(name string) *zip.File {
	for _, f := range r.z.File {
		if strings.EqualFold(partName(f.Name), name) {
			return f
		}
	}
	return nil
}

// locate finds the worksheet part of the sheet named sheet, through the
// workbook and its relationships as checkZip reads them.
func (r *worksheetRows) locate(sheet string) (*zip.File, error) {
	c := zipCheck{sheetNames: map[string]string{}}
	for _, step := range []struct {
		part string
		read func(io.Reader) error
	}{{workbookRelsPart, c.readRels}, {workbookPart, c.readSheetNames}} {
		f := r.file(step.part)
		if f == nil {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		err = step.read(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	for part, name := range c.sheetNames {
		if name == sheet {
			return r.file(part), nil
		}
	}
	return nil, nil
}

// readShared reads the shared strings table, when there is one.
func (r *worksheetRows) readShared() error {
	f := r.file(sharedStringsPart)
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	tokens := newXMLScanner(rc)
	var text strings.Builder
	inSI, phonetic, inT := false, 0, false
	for {
		err := tokens.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tokens.kind {
		case startElement:
			switch string(tokens.name) {
			case "si":
				inSI = true
				text.Reset()
			case "rPh":
				phonetic++
			case "t":
				inT = inSI && phonetic == 0
			}
		case endElement:
			switch string(tokens.name) {
			case "si":
				inSI = false
				r.shared.add(unescapeBstr(text.String()))
				if r.shared.buf.Len() > maxSharedInMemory {
					return errTooManyShared
				}
			case "rPh":
				phonetic--
			case "t":
				inT = false
			}
		case charData:
			if inT {
				text.Write(tokens.text)
			}
		}
	}
}

// sharedStrings holds the table's strings end to end, with where each ends:
// a few bytes a string beside its text.
type sharedStrings struct {
	text string
	buf  strings.Builder
	ends []uint32
}

func (s *sharedStrings) add(t string) {
	s.buf.WriteString(t)
	s.ends = append(s.ends, uint32(s.buf.Len()))
	s.text = "" // rebuilt from buf when first read
}

// at is the i-th string, "" for an index the table does not hold (as
// excelize gives).
func (s *sharedStrings) at(i int) string {
	if i < 0 || i >= len(s.ends) {
		return ""
	}
	if len(s.text) != s.buf.Len() {
		s.text = s.buf.String()
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]]
}

// next reads the next row: its number and cells; ok false at the end.
func (r *worksheetRows) next() (number int, cells []string, ok bool, err error) {
	if r.aheadN == 0 && !r.done {
		if r.aheadN, r.ahead, err = r.readRow(); err != nil {
			return 0, nil, false, err
		}
		r.done = r.aheadN == 0
	}
	if r.aheadN == 0 {
		return 0, nil, false, nil
	}
	r.n++
	if r.n < r.aheadN { // a row the sheet leaves out
		return r.n, nil, true, nil
	}
	r.n = r.aheadN
	cells, r.ahead, r.aheadN = r.ahead, nil, 0
	return r.n, cells, true, nil
}

// readRow reads the next row element; number 0 at the end of the sheet.
func (r *worksheetRows) readRow() (number int, cells []string, err error) {
	var (
		inRow, inValue, inT bool
		formula             bool // the cell has one: it counts even when empty, as excelize counts it
		phonetic            int
		cellType            string
		col                 int // the current cell's column, 1-based
		value               strings.Builder
	)
	t := r.tokens
	for {
		err := t.next()
		if err == io.EOF {
			if inRow {
				return 0, nil, io.ErrUnexpectedEOF
			}
			return 0, nil, nil
		}
		if err != nil {
			return 0, nil, err
		}
		switch t.kind {
		case startElement:
			switch string(t.name) {
			case "row":
				inRow = true
				number = r.n + 1
				if n, err := strconv.Atoi(t.attr("r")); err == nil && n > r.n {
					number = n
				}
			case "c":
				if !inRow {
					break
				}
				col++
				if c := columnOf(t.attr("r")); c > 0 {
					col = c
				}
				cellType, formula = t.attr("t"), false
				value.Reset()
			case "f":
				formula = true
			case "v":
				inValue = true
			case "rPh":
				phonetic++
			case "t":
				inT = phonetic == 0
			}
		case endElement:
			switch string(t.name) {
			case "row":
				return number, cells, nil
			case "c":
				v := r.cellValue(cellType, value.String())
				if !inRow || col > MaxCellsPerRow || v == "" && !formula {
					break // a cell with only a format is no cell
				}
				for len(cells) < col {
					cells = append(cells, "")
				}
				cells[col-1] = v
			case "v":
				inValue = false
			case "rPh":
				phonetic--
			case "t":
				inT = false
			}
		case charData:
			if inValue && cellType != "inlineStr" || inT && cellType == "inlineStr" {
				value.Write(t.text)
			}
		}
	}
}

// cellValue is a cell's raw value as excelize gives it: a shared string
// looked up, an inline string's text, any other value as written.
func (r *worksheetRows) cellValue(cellType, v string) string {
	switch cellType {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return ""
		}
		return r.shared.at(i)
	case "inlineStr":
		return unescapeBstr(v)
	}
	return v
}

// columnOf is the column number of a cell reference ("AB12" → 28), 0 when
// it has no letters.
func columnOf(ref string) int {
	col := 0
	for _, ch := range ref {
		switch {
		case ch >= 'A' && ch <= 'Z':
			col = col*26 + int(ch-'A') + 1
		case ch >= 'a' && ch <= 'z':
			col = col*26 + int(ch-'a') + 1
		default:
			return col
		}
		if col > MaxCellsPerRow {
			return col
		}
	}
	return col
}

// unescapeBstr decodes the _xHHHH_ escapes Excel writes for characters XML
// cannot hold (a carriage return is _x000D_), as excelize does.
func unescapeBstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func (r *worksheetRows) Close() error {
	return errors.Join(r.part.Close(), r.z.Close())
}
