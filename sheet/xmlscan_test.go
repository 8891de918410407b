package sheet

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanned lists the tokens of doc as xmlScanner reads them, one line each,
// and whether it failed.
func scanned(doc []byte, r io.Reader) (tokens []string, failed bool) {
	s := newXMLScanner(r)
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			return tokens, false
		}
		if err != nil {
			return tokens, true
		}
		switch s.kind {
		case startElement:
			line := "start " + string(s.name)
			for _, a := range s.attrs {
				line += fmt.Sprintf(" %s=%q", a.name, a.value)
			}
			tokens = append(tokens, line)
		case endElement:
			tokens = append(tokens, "end "+string(s.name))
		case charData:
			tokens = append(tokens, fmt.Sprintf("text %q", s.text))
		}
	}
}

// rawTokens lists the same of encoding/xml's RawToken, without the
// comments, processing instructions and directives the scanner passes over.
func rawTokens(doc []byte) (tokens []string, failed bool) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return tokens, false
		}
		if err != nil {
			return tokens, true
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line := "start " + t.Name.Local
			for _, a := range t.Attr {
				line += fmt.Sprintf(" %s=%q", a.Name.Local, a.Value)
			}
			tokens = append(tokens, line)
		case xml.EndElement:
			tokens = append(tokens, "end "+t.Name.Local)
		case xml.CharData:
			tokens = append(tokens, fmt.Sprintf("text %q", []byte(t)))
		}
	}
}

// xmlSamples are parts as spreadsheet programs write them, and damaged
// ones: each is read the same by the scanner and by encoding/xml, or
// refused by both.
var xmlSamples = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> Đơn vị &amp; ngày </t></is></c><c r="C1"/></row></sheetData></worksheet>`,
	`<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r='2'><x:c r='A2' t='n'><x:v>16192</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	"<sst count=\"2\"><si><t>dòng một\r\ndòng hai\rba</t></si><si><r><t>Tập </t></r><r><rPr><b/></rPr><t>Lean</t></r><rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si></sst>",
	`<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x1F600;&#13;</a>`,
	`<a b = "1" c	=	'x &quot;y&quot;' d="&#10;&#13;">t</a>`,
	`<!-- a comment --><a><!-- inside --><![CDATA[<b>raw & kept</b>]]>tail</a>`,
	`<!DOCTYPE a [<!ENTITY e "x">]><a/>`,
	`<?pi some data?><a><?inner?></a>`,
	"<a>\ufeffBOM and \t tab</a>",
	`<a x="1"/><b/>`,
	`<a x="1>2" y='3>4' z="" />t`,
	"<a x=\"one\r\ntwo\rthree\"></a>",
	"<a\n\tx=\"1\"\r\n/>",
	`<a>]]> is text</a>`,
	`<a><b></a>`, // ends that do not match: RawToken does not check them
	`<a>&nbsp;</a>`,
	`<a>&#0;</a>`,
	`<a>&#xD800;&#x10FFFF;</a>`,
	`<a>&#x110000;</a>`,
	`<c v="a]]>b"/>`,
	`<a>& b</a>`,
	`<a x=1></a>`,
	`<a x></a>`,
	`<a x="1"y="2"></a>`,
	`<a x="<"></a>`,
	`< a></a>`,
	`<a>` + "\x01" + `</a>`,
	"<a>\xff</a>",
	`<a><!-- bad -- comment --></a>`,
	`<?xml version="1.1"?><a/>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`,
	`<?xml version="1.0" encoding="utf-8"?><a/>`,
	`<a`,
	`<a x="1`,
	`<a></`,
	`<a><![CDATA[never ends`,
	`<a><!-- never ends`,
	`text only`,
	``,
}

func TestXMLScannerReadsAsEncodingXML(t *testing.T) {
	for _, doc := range xmlSamples {
		// Whole, and cut short at every length: a part that breaks off.
		for n := len(doc); n >= 0; n-- {
			compareScan(t, []byte(doc[:n]))
		}
	}
}

func compareScan(t *testing.T, doc []byte) {
	t.Helper()
	want, wantFailed := rawTokens(doc)
	for _, r := range []io.Reader{bytes.NewReader(doc), iotest.OneByteReader(bytes.NewReader(doc))} {
		got, failed := scanned(doc, r)
		if failed != wantFailed || !failed && strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%q:\nscanner (failed %t):\n%s\nencoding/xml (failed %t):\n%s", doc, failed, strings.Join(got, "\n"), wantFailed, strings.Join(want, "\n"))
		}
	}
}

// FuzzXMLScanner compares the scanner with encoding/xml on what the fuzzer
// makes of the samples (go test -fuzz FuzzXMLScanner ./sheet/).
func FuzzXMLScanner(f *testing.F) {
	for _, doc := range xmlSamples {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) { compareScan(t, doc) })
}

// A token longer than maxToken is refused — text, tag, comment, CDATA,
// processing instruction or directive — without holding more.
func TestXMLScannerBoundsTokens(t *testing.T) {
	long := strings.Repeat("x", maxToken+1)
	for _, doc := range []string{"<a>" + long + "</a>", `<a b="` + long + `"/>`, "<" + long + "/>",
		"<a><!--" + long + "--></a>", "<a><![CDATA[" + long + "]]></a>", "<?pi " + long + "?><a/>", "<!DOCTYPE " + long + "><a/>"} {
		s := newXMLScanner(strings.NewReader(doc))
		var err error
		for err == nil {
			err = s.next()
		}
		if !errors.Is(err, errTokenTooLong) {
			t.Errorf("%.20q…, a token of %d bytes: %v, want errTokenTooLong", doc, len(long), err)
		}
	}
}

// The offset after each token is where encoding/xml's InputOffset says.
func TestXMLScannerOffsets(t *testing.T) {
	doc := xmlSamples[0]
	d := xml.NewDecoder(strings.NewReader(doc))
	s := newXMLScanner(iotest.HalfReader(strings.NewReader(doc)))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if _, skipped := tok.(xml.ProcInst); skipped {
			continue
		}
		if err := s.next(); err != nil {
			t.Fatal(err)
		}
		if got, want := s.offset(), d.InputOffset(); got != want {
			t.Fatalf("after %v: offset %d, want %d", tok, got, want)
		}
	}
}

// BenchmarkXMLTokens reads a worksheet of 20.000 rows shaped as our export
// writes them through encoding/xml's RawToken and through the scanner.
func BenchmarkXMLTokens(b *testing.B) {
	var doc bytes.Buffer
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i := 1; i <= 20_000; i++ {
		fmt.Fprintf(&doc, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>HCM-Q%d</t></is></c><c r="B%d" t="inlineStr"><is><t>2023-03-%02d</t></is></c>`+
			`<c r="C%d" t="inlineStr"><is><t>Tập huấn năng suất chất lượng số %d cho doanh nghiệp &amp; hợp tác xã</t></is></c><c r="D%d"><v>%d</v></c><c r="E%d"><v>%d</v></c></row>`,
			i, i, i%24, i, 1+i%28, i, i, i, i%50, i, i%7)
	}
	doc.WriteString(`</sheetData></worksheet>`)
	b.Run("encoding-xml", func(b *testing.B) {
		b.SetBytes(int64(doc.Len()))
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(doc.Bytes()))
			for {
				if _, err := d.RawToken(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(doc.Len()))
		for b.Loop() {
			s := newXMLScanner(bytes.NewReader(doc.Bytes()))
			for {
				if err := s.next(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
