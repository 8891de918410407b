package sheet

import (
	"fmt"
	"strings"
	"testing"
)

// A .csv at each limit reads; one past it is refused, naming the limit and
// where it was passed.
func TestCSVLimits(t *testing.T) {
	atLimit := strings.Repeat("a\n", MaxRows)
	rows, _ := readAll(t, writeTestFile(t, "du.csv", []byte(atLimit)))
	if len(rows) != MaxRows {
		t.Fatalf("%d rows read, want %d", len(rows), MaxRows)
	}
	wide := strings.Repeat("1,", MaxCellsPerRow-1) + "1\n"
	if rows, _ := readAll(t, writeTestFile(t, "rong.csv", []byte("a\n"+wide))); len(rows[1].Cells) != MaxCellsPerRow {
		t.Fatalf("%d cells read, want %d", len(rows[1].Cells), MaxCellsPerRow)
	}
	long := `a,"` + strings.Repeat("x", MaxRowBytes-100) + "\"\n"
	if rows, _ := readAll(t, writeTestFile(t, "dai.csv", []byte("a\n"+long+"b\n"))); len(rows) != 3 {
		t.Fatalf("%d rows read around a long one, want 3", len(rows))
	}
	cases := []struct{ name, content, says string }{
		{"rows", atLimit + "a\n", "tệp .csv có hơn 250.000 dòng"},
		{"columns", "a\n1," + wide, "dòng 2 của tệp .csv có hơn 16.384 cột"},
		{"a quoted field running on", "a\nb\n\"" + strings.Repeat("x\n", MaxRowBytes), "dòng sau dòng 2 của tệp .csv dài hơn 2 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tryReadAll(writeTestFile(t, "qua.csv", []byte(tc.content)))
			wantInvalid(t, err, tc.says)
		})
	}
}

// Limits only a count while reading finds, on workbooks that are small on
// both sides of the zip: a row that names a long shared string again and
// again, a shared string longer than a row may be, and parts besides the
// sheets (held in memory) past theirs.
func TestXLSXLimitsCountedWhileReading(t *testing.T) {
	long := strings.Repeat("x", 300<<10)
	sst := func(strs ...string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
		for _, s := range strs {
			fmt.Fprintf(&b, "<si><t>%s</t></si>", s)
		}
		return b.String() + "</sst>"
	}
	cells := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `<c r="%s2" t="s"><v>1</v></c>`, ColumnName(i))
		}
		return `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">` + b.String() + `</row>`
	}
	// Six uses of the 300 KB string make a row of 1,8 MB: it reads.
	ok := zipBytes(t, withParts(map[string]string{"xl/sharedStrings.xml": sst("Đơn vị", long), "xl/worksheets/sheet1.xml": worksheetXML(cells(6))}))
	rows, _ := readAll(t, writeTestFile(t, "sau.xlsx", ok))
	if len(rows) != 2 || len(rows[1].Cells) != 6 || rows[1].Cells[5] != long {
		t.Fatalf("the row of six long strings did not read whole: %d rows", len(rows))
	}
	cases := []struct {
		name  string
		parts map[string]string
		says  string
	}{
		{"a row naming a long shared string eight times", map[string]string{"xl/sharedStrings.xml": sst("Đơn vị", long), "xl/worksheets/sheet1.xml": worksheetXML(cells(8))},
			`dòng 2 của trang "Hoạt động" dài hơn 2 MB (kể cả chuỗi dùng chung)`},
		{"a shared string of 3,6 MB in four runs", map[string]string{"xl/sharedStrings.xml": sst("Đơn vị", strings.Repeat("<r><t>"+strings.Repeat("y", 900<<10)+"</t></r>", 4)), "xl/worksheets/sheet1.xml": worksheetXML(cells(1))},
			"chuỗi dùng chung số 2 dài hơn 2 MB"},
		{"images of 40 MB", map[string]string{"xl/media/image1.png": strings.Repeat("\x00", 40<<20), "xl/worksheets/sheet1.xml": worksheetXML(cells(1))},
			"các phần ngoài trang tính (kiểu định dạng, hình ảnh…) hơn 32 MB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tryReadAll(writeTestFile(t, "qua.xlsx", zipBytes(t, withParts(tc.parts))))
			wantInvalid(t, err, tc.says)
		})
	}
}
