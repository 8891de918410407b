// Package sheettest builds spreadsheets for tests of what an import
// refuses: zip bombs, small on disk and huge unpacked, written as they are
// compressed so that building one takes no more memory than reading it.
package sheettest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
)

// The parts of a minimal workbook but for its worksheet and shared strings.
var workbookParts = []struct{ name, content string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Hoạt động" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
}

// The heading row of an activity sheet, so that the bombs look like one.
const headingRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c><c r="B1" t="inlineStr"><is><t>Ngày thực hiện</t></is></c><c r="C1" t="inlineStr"><is><t>Nhóm nhiệm vụ</t></is></c><c r="D1" t="inlineStr"><is><t>Nội dung hoạt động</t></is></c></row>`

const (
	sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetEnd   = `</sheetData></worksheet>`
	sstStart   = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	sstEnd     = `</sst>`
)

// RowsBomb is a worksheet of about size bytes of rows of one empty cell,
// without row numbers.
func RowsBomb(path string, size int64) error {
	return write(path, sheetStart+headingRow, `<row><c/></row>`, size, sheetEnd, "")
}

// WideRowBomb is a worksheet whose second row holds about size bytes of
// empty cells.
func WideRowBomb(path string, size int64) error {
	return write(path, sheetStart+headingRow+`<row r="2">`, `<c/>`, size, `</row>`+sheetEnd, "")
}

// LongCellBomb is a worksheet whose second row has one cell of about size
// bytes of text.
func LongCellBomb(path string, size int64) error {
	return write(path, sheetStart+headingRow+`<row r="2"><c r="A2" t="inlineStr"><is><t>`, "a", size, `</t></is></c></row>`+sheetEnd, "")
}

// SharedStringsBomb is a workbook whose shared strings table holds n tiny
// strings; its worksheet uses the first and the last.
func SharedStringsBomb(path string, n int) error {
	sheet := sheetStart + headingRow + fmt.Sprintf(`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>%d</v></c></row>`, n-1) + sheetEnd
	si := `<si><t>a</t></si>`
	return write(path, sstStart, si, int64(n*len(si)), sstEnd, sheet)
}

// Declared, when not 0, is the size the zip directory declares for the
// big part instead of its true size: a lie to test that sizes are counted.
var Declared uint64

// write writes a workbook whose big part is head, then unit repeated to
// about size bytes, then tail: the worksheet, or the shared strings when
// sheet (the worksheet then) is given.
func write(path, head, unit string, size int64, tail, sheet string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z := zip.NewWriter(f)
	for _, p := range workbookParts {
		w, err := z.Create(p.name)
		if err != nil {
			return err
		}
		io.WriteString(w, p.content)
	}
	big := "xl/worksheets/sheet1.xml"
	if sheet != "" {
		w, err := z.Create(big)
		if err != nil {
			return err
		}
		io.WriteString(w, sheet)
		big = "xl/sharedStrings.xml"
	}
	if err := writeRepeated(z, big, head, unit, size, tail); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	return f.Close()
}

// writeRepeated writes a part of head, unit repeated, and tail without
// compressing the repeats one by one: a deflate block that copies the last
// chunk of output once more decodes to the same chunk wherever it follows
// one, so it is compressed once and written as often as needed.
func writeRepeated(z *zip.Writer, name, head, unit string, size int64, tail string) error {
	chunk := []byte(strings.Repeat(unit, max(1, (1<<20)/len(unit))))
	repeats := max(1, size/int64(len(chunk)))
	first, err := deflate(nil, head, chunk, false)
	if err != nil {
		return err
	}
	again, err := deflate(chunk, "", chunk, false)
	if err != nil {
		return err
	}
	last, err := deflate(chunk, tail, nil, true)
	if err != nil {
		return err
	}
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	for range repeats {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	unpacked := uint64(len(head)) + uint64(repeats)*uint64(len(chunk)) + uint64(len(tail))
	declared := unpacked
	if Declared != 0 {
		declared = Declared
	}
	w, err := z.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc, UncompressedSize64: declared,
		CompressedSize64: uint64(len(first)) + uint64(repeats-1)*uint64(len(again)) + uint64(len(last))})
	if err != nil {
		return err
	}
	w.Write(first)
	for range repeats - 1 {
		w.Write(again)
	}
	_, err = w.Write(last)
	return err
}

// deflate compresses text then data after the window dict, flushed to a
// byte boundary so that blocks can follow each other; final ends the stream.
func deflate(dict []byte, text string, data []byte, final bool) ([]byte, error) {
	var buf bytes.Buffer
	fw, err := flate.NewWriterDict(&buf, flate.BestCompression, dict)
	if err != nil {
		return nil, err
	}
	io.WriteString(fw, text)
	fw.Write(data)
	if final {
		err = fw.Close()
	} else {
		err = fw.Flush()
	}
	return buf.Bytes(), err
}
