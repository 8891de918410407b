package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"nscl"
	"nscl/vnfmt"
)

// checkZip unpacks every part of a workbook once, counting, before excelize
// opens it, and refuses it at the first limit it passes (limits.go): a part
// or the parts together unpacking past their size, a worksheet with too many
// rows or cells or too long a row, too many or too long shared strings. It
// also refuses a damaged file: a part that fails its checksum or its
// declared size, or a worksheet whose XML breaks off (excelize trusts the
// declared sizes and, reading rows, stops quietly at damage). What it keeps
// while it reads is the length of each shared string, 4 bytes apiece.
// What it returns is the number of each worksheet's last row, by the
// sheet's name: a reader's progress then knows its total without a second
// read.
func checkZip(file string) (map[string]int, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, nscl.Invalid("file", "tệp .xlsx hỏng (không phải tệp nén hợp lệ)", "the .xlsx file is damaged (not a valid archive)")
	}
	defer z.Close()
	c := zipCheck{sheetNames: map[string]string{}, lastRows: map[string]int{}}
	var declared uint64
	for _, f := range z.File {
		declared += f.UncompressedSize64
		if err := c.checkDeclared(f); err != nil {
			return nil, err
		}
	}
	if declared > maxUnpacked {
		return nil, tooLarge("", maxUnpacked)
	}
	// The sheets' names first, for the messages; then the shared strings,
	// whose lengths the rows that use them count.
	parts := slices.Clone(z.File)
	slices.SortStableFunc(parts, func(a, b *zip.File) int { return c.stage(a.Name) - c.stage(b.Name) })
	for _, f := range parts {
		if err := c.part(z, f); err != nil {
			return nil, err
		}
	}
	return c.lastRows, nil
}

// zipCheck is what checkZip has counted so far.
type zipCheck struct {
	unpacked, held int64
	sheetNames     map[string]string // worksheet part → the sheet's name
	lastRows       map[string]int    // the sheet's name → its last row's number
	rels           map[string]string // the workbook's relationship ID → its part
	sharedLen      []uint32          // each shared string's length in bytes
}

const (
	workbookPart      = "xl/workbook.xml"
	workbookRelsPart  = "xl/_rels/workbook.xml.rels"
	sharedStringsPart = "xl/sharedstrings.xml" // lower case: excelize finds it whatever its case
)

func partName(name string) string { return strings.ReplaceAll(name, `\`, "/") }

func (c *zipCheck) stage(name string) int {
	switch strings.ToLower(partName(name)) {
	case workbookRelsPart:
		return 0
	case workbookPart:
		return 1
	case sharedStringsPart:
		return 2
	}
	return 3
}

// streamed says whether excelize streams the part from a temporary file
// when it is large (its rule: worksheets named sheet…, and the shared
// strings); it holds every other part in memory.
func streamed(name string) bool {
	lower := strings.ToLower(partName(name))
	return strings.HasPrefix(lower, "xl/worksheets/sheet") || lower == sharedStringsPart
}

func isWorksheet(name string) bool {
	lower := strings.ToLower(partName(name))
	return strings.HasPrefix(lower, "xl/worksheets/") && strings.HasSuffix(lower, ".xml")
}

// checkDeclared refuses early a part whose declared size passes its limit.
func (c *zipCheck) checkDeclared(f *zip.File) error {
	if streamed(f.Name) && f.UncompressedSize64 > MaxPartSize {
		return tooLarge(f.Name, MaxPartSize)
	}
	if !streamed(f.Name) && f.UncompressedSize64 > maxHeldParts {
		return heldTooLarge()
	}
	return nil
}

// part reads one part to its end, counting what it unpacks to.
func (c *zipCheck) part(z *zip.ReadCloser, f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return damaged(f.Name, err)
	}
	defer rc.Close()
	limit, limitName := int64(MaxPartSize), f.Name
	if !streamed(f.Name) {
		limit, limitName = maxHeldParts-c.held, ""
	}
	limit = min(limit, maxUnpacked-c.unpacked)
	counted := &countingReader{r: io.LimitReader(rc, limit+1)}
	switch name := strings.ToLower(partName(f.Name)); {
	case name == workbookRelsPart:
		err = c.readRels(counted)
	case name == workbookPart:
		err = c.readSheetNames(counted)
	case name == sharedStringsPart:
		err = c.readSharedStrings(counted, f.Name)
	case isWorksheet(f.Name):
		err = c.readWorksheet(counted, partName(f.Name))
	default:
		_, err = io.Copy(io.Discard, counted)
	}
	c.unpacked += counted.n
	if !streamed(f.Name) {
		c.held += counted.n
	}
	switch {
	case counted.n > limit && c.unpacked > maxUnpacked:
		return tooLarge("", maxUnpacked)
	case counted.n > limit && limitName == "":
		return heldTooLarge()
	case counted.n > limit:
		return tooLarge(f.Name, MaxPartSize)
	}
	var refusal *nscl.Error
	if errors.As(err, &refusal) {
		return err
	}
	if errors.Is(err, errTokenTooLong) {
		return nscl.Invalid("file", "tệp .xlsx có một thẻ hoặc một đoạn chữ XML dài hơn %[1]d MB trong phần %[2]s; tệp hỏng hoặc không phải bảng tính thật",
			"the .xlsx file has an XML tag or text longer than %[1]d MB in part %[2]s; it is damaged or not a real spreadsheet", maxToken>>20, f.Name)
	}
	if err != nil {
		return damaged(f.Name, err)
	}
	return nil
}

// readRels reads which part each of the workbook's relationships names.
func (c *zipCheck) readRels(r io.Reader) error {
	c.rels = map[string]string{}
	return eachStart(r, func(e *xmlScanner) error {
		if string(e.name) == "Relationship" {
			target := e.attr("Target")
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join("xl", target)
			}
			c.rels[e.attr("Id")] = target
		}
		return nil
	})
}

// readSheetNames reads the names of the sheets, for the messages.
func (c *zipCheck) readSheetNames(r io.Reader) error {
	return eachStart(r, func(e *xmlScanner) error {
		if string(e.name) == "sheet" {
			if target, ok := c.rels[e.attr("id")]; ok {
				c.sheetNames[strings.ToLower(target)] = e.attr("name")
			}
		}
		return nil
	})
}

// readSharedStrings counts the shared strings and their lengths, keeping
// each one's length for the rows that use it.
func (c *zipCheck) readSharedStrings(r io.Reader, part string) error {
	var total, current int64
	inString := false
	return eachToken(r, func(t *xmlScanner) error {
		switch t.kind {
		case startElement:
			if string(t.name) == "si" {
				if len(c.sharedLen) == MaxSharedStrings {
					return nscl.Invalid("file", "tệp .xlsx có hơn %[1]s chuỗi dùng chung (phần %[3]s); giới hạn là %[1]s", "the .xlsx file has more than %[2]d shared strings (part %[3]s); the limit is %[2]d",
						vnfmt.Int(MaxSharedStrings), MaxSharedStrings, part)
				}
				inString, current = true, 0
			}
		case endElement:
			if string(t.name) == "si" {
				c.sharedLen = append(c.sharedLen, uint32(current))
				inString = false
			}
		case charData:
			if !inString {
				break
			}
			current += int64(len(t.text))
			total += int64(len(t.text))
			if current > MaxRowBytes {
				return nscl.Invalid("file", "tệp .xlsx có chuỗi dùng chung số %[1]d dài hơn %[2]d MB (phần %[3]s)", "the .xlsx file has shared string no. %[1]d longer than %[2]d MB (part %[3]s)",
					len(c.sharedLen)+1, MaxRowBytes>>20, part)
			}
			if total > MaxSharedText {
				return nscl.Invalid("file", "các chuỗi dùng chung của tệp .xlsx dài hơn %[1]d MB cộng lại (phần %[2]s)", "the .xlsx file's shared strings are longer than %[1]d MB together (part %[2]s)",
					MaxSharedText>>20, part)
			}
		}
		return nil
	})
}

// readWorksheet counts a worksheet's rows and cells and each row's bytes,
// with the shared strings its cells use, and checks that its XML is whole.
func (c *zipCheck) readWorksheet(r io.Reader, part string) error {
	sheet := c.sheetNames[strings.ToLower(part)]
	if sheet == "" {
		sheet = part
	}
	var (
		rows, cells, row, rowCells int
		rowStart, rowShared        int64 = -1, 0
		sharedCell, inValue        bool
		inText                     bool // in a cell's value or inline string
		filled                     int  // the last row with a value: a template formats empty rows far below
	)
	defer func() { c.lastRows[sheet] = filled }()
	return eachToken(r, func(t *xmlScanner) error {
		offset := t.offset()
		switch t.kind {
		case startElement:
			switch string(t.name) {
			case "row":
				rows++
				if rows > MaxRows {
					return nscl.Invalid("file", "trang %[1]q có hơn %[2]s dòng; giới hạn là %[2]s", "sheet %[1]q has more than %[3]d rows; the limit is %[3]d", sheet, vnfmt.Int(MaxRows), MaxRows)
				}
				row++
				if n, err := strconv.Atoi(t.attr("r")); err == nil {
					row = n
				}
				rowStart, rowShared, rowCells = offset, 0, 0
			case "c":
				cells++
				rowCells++
				if rowCells > MaxCellsPerRow {
					return nscl.Invalid("file", "dòng %[1]d của trang %[2]q có hơn %[3]s ô; giới hạn là %[3]s", "row %[1]d of sheet %[2]q has more than %[4]d cells; the limit is %[4]d", row, sheet, vnfmt.Int(MaxCellsPerRow), MaxCellsPerRow)
				}
				if cells > MaxCells {
					return nscl.Invalid("file", "trang %[1]q có hơn %[2]s ô; giới hạn là %[2]s", "sheet %[1]q has more than %[3]d cells; the limit is %[3]d", sheet, vnfmt.Int(MaxCells), MaxCells)
				}
				sharedCell = t.attr("t") == "s"
			case "v":
				inValue, inText = sharedCell, true
			case "t":
				inText = true
			}
		case endElement:
			switch string(t.name) {
			case "row":
				rowStart = -1
			case "c":
				sharedCell = false
			case "v":
				inValue, inText = false, false
			case "t":
				inText = false
			}
		case charData:
			if inText && len(bytes.TrimSpace(t.text)) > 0 {
				filled = row
			}
			if inValue {
				if i, err := strconv.Atoi(string(bytes.TrimSpace(t.text))); err == nil && i >= 0 && i < len(c.sharedLen) {
					rowShared += int64(c.sharedLen[i])
				}
			}
		}
		if rowStart >= 0 && offset-rowStart+rowShared > MaxRowBytes {
			return nscl.Invalid("file", "dòng %[1]d của trang %[2]q dài hơn %[3]d MB (kể cả chuỗi dùng chung); giới hạn là %[3]d MB", "row %[1]d of sheet %[2]q is longer than %[3]d MB (with its shared strings); the limit is %[3]d MB", row, sheet, MaxRowBytes>>20)
		}
		return nil
	})
}

// eachToken hands fn each raw XML token of r (the scanner, with the
// offset after the token), failing where the XML breaks off or leaves an
// element open, or at a token longer than maxToken.
func eachToken(r io.Reader, fn func(t *xmlScanner) error) error {
	t := newXMLScanner(r)
	depth := 0
	for {
		err := t.next()
		if err == io.EOF {
			if depth != 0 {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t.kind {
		case startElement:
			depth++
		case endElement:
			depth--
		}
		if err := fn(t); err != nil {
			return err
		}
	}
}

// eachStart hands fn each start element of r.
func eachStart(r io.Reader, fn func(*xmlScanner) error) error {
	return eachToken(r, func(t *xmlScanner) error {
		if t.kind == startElement {
			return fn(t)
		}
		return nil
	})
}

var errTokenTooLong = errors.New("sheet: XML token too long")

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// tooLarge refuses a workbook that unpacks past a limit: that of one part
// when part is given, else that of the parts together.
func tooLarge(part string, limit int64) error {
	if part != "" {
		return nscl.Invalid("file", "tệp .xlsx giải nén ra quá lớn: phần %[1]s hơn %[2]d MB (giới hạn của một trang tính)", "the .xlsx file unpacks to too much: part %[1]s is more than %[2]d MB (the limit for one sheet)", part, limit>>20)
	}
	return nscl.Invalid("file", "tệp .xlsx giải nén ra quá lớn (hơn %d MB)", "the .xlsx file unpacks to more than %d MB", limit>>20)
}

// heldTooLarge refuses a workbook whose parts other than its sheets unpack
// past what excelize may hold in memory.
func heldTooLarge() error {
	return nscl.Invalid("file", "tệp .xlsx giải nén ra quá lớn: các phần ngoài trang tính (kiểu định dạng, hình ảnh…) hơn %d MB cộng lại",
		"the .xlsx file unpacks to too much: its parts other than sheets (styles, images…) are more than %d MB together", maxHeldParts>>20)
}

func damaged(part string, err error) error {
	return nscl.Invalid("file", "tệp .xlsx hỏng: phần %s bị lỗi (%v)", "the .xlsx file is damaged: part %s is broken (%v)", part, err)
}
