package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"regexp"
	"strings"
	"testing"
)

func sample() *Document {
	d := &Document{Font: "Times New Roman", FontSize: 14, MarginTop: 20, MarginBottom: 20, MarginLeft: 30, MarginRight: 15, PageNumbers: true}
	note := d.Footnote(Run{Text: "Hướng dẫn cho 01 doanh nghiệp; hỗ trợ 200 doanh nghiệp <Thủ Đức> & khác"})
	var pic bytes.Buffer
	png.Encode(&pic, image.NewGray(image.Rect(0, 0, 4, 2)))
	d.Body = []Block{
		Paragraph{Align: "center", Runs: []Run{{Text: "BÁO CÁO", Bold: true}}},
		Paragraph{Align: "both", Runs: []Run{{Text: "Năm 2022 là 336 doanh nghiệp"}, note, {Text: "."}}},
		Paragraph{Runs: []Run{{Text: "[cần bổ sung: nơi nhận]", Highlight: true}}},
		Table{Widths: []float64{80, 40}, Borders: true, Header: 1, Rows: [][]Cell{
			{{Paragraphs: []Paragraph{{Runs: []Run{{Text: "Nội dung", Bold: true}}}}, Shade: true}, {Paragraphs: []Paragraph{{Runs: []Run{{Text: "Tỷ lệ"}}}}}},
			{{Paragraphs: []Paragraph{{Runs: []Run{{Text: "Tập huấn"}}}}}, {Paragraphs: []Paragraph{{Runs: []Run{{Text: "9,93 %"}}}}}},
		}},
	}
	d.Annex = []Block{Paragraph{PageBreakBefore: true, KeepNext: true, Runs: []Run{{Text: "Biểu đồ 1. <Tỷ lệ> & thời gian"}}},
		Paragraph{Runs: []Run{{Image: &Image{PNG: pic.Bytes(), Width: 160, Height: 80, Alt: "Biểu đồ 1. <Tỷ lệ> & thời gian"}}}}}
	return d
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		body, _ := io.ReadAll(r)
		parts[f.Name] = string(body)
	}
	return parts
}

// The package is well-formed OOXML: every part parses, every part has a
// content type, every relationship points at a part, every footnote
// referenced exists.
func TestPackageIsValid(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().Write(&buf, "Báo cáo"); err != nil {
		t.Fatal(err)
	}
	parts := unzip(t, buf.Bytes())
	for name, body := range parts {
		if strings.HasPrefix(name, "word/media/") {
			continue // pictures
		}
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
		}
		if name == "[Content_Types].xml" || strings.HasSuffix(name, ".rels") {
			continue
		}
		if !strings.Contains(parts["[Content_Types].xml"], `PartName="/`+name+`"`) {
			t.Errorf("%s has no content type", name)
		}
	}
	for _, rels := range []struct{ file, base string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}} {
		for _, m := range regexp.MustCompile(`Target="([^"]+)"`).FindAllStringSubmatch(parts[rels.file], -1) {
			if _, ok := parts[rels.base+m[1]]; !ok {
				t.Errorf("%s points at %s, which is not in the package", rels.file, m[1])
			}
		}
	}
	for _, m := range regexp.MustCompile(`footnoteReference w:id="(\d+)"`).FindAllStringSubmatch(parts["word/document.xml"], -1) {
		if !strings.Contains(parts["word/footnotes.xml"], `<w:footnote w:id="`+m[1]+`">`) {
			t.Errorf("footnote %s is referenced but missing", m[1])
		}
	}
	if !strings.Contains(parts["[Content_Types].xml"], `Extension="png"`) || !strings.HasPrefix(parts["word/media/image1.png"], "\x89PNG") {
		t.Error("the picture is not in the package as a PNG with its content type")
	}
	doc := parts["word/document.xml"]
	if strings.Index(doc, "BÁO CÁO") > strings.Index(doc, `r:embed="rIdImage1"`) {
		t.Error("the annex is not after the body")
	}
	for _, want := range []string{`r:embed="rIdImage1"`, `<w:pageBreakBefore/>`, `<w:highlight w:val="yellow"/>`, `cx="5760000" cy="2880000"`, "Năm 2022 là 336 doanh nghiệp", "9,93 %", `<w:pgSz w:w="11906" w:h="16838"/>`, `<w:titlePg/>`, `<w:jc w:val="both"/>`,
		`descr="Biểu đồ 1. &lt;Tỷ lệ&gt; &amp; thời gian"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if !strings.Contains(parts["word/footnotes.xml"], "&lt;Thủ Đức&gt; &amp; khác") {
		t.Error("footnote text is not escaped")
	}
	if !strings.Contains(parts["word/header1.xml"], "PAGE") {
		t.Error("no page-number field in the header")
	}
}

// The HTML preview says what the Word file says: the same text escaped,
// footnote marks linked to notes gathered at the end, the table's header
// row as a header, the picture inline, and the page set up for printing.
func TestHTMLPreview(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().WriteHTML(&buf, "Báo cáo <2022>"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<title>Báo cáo &lt;2022&gt;</title>", "@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;",
		"@top-center { content: counter(page);", "@page :first { @top-center { content: none; } }", "<mark>[cần bổ sung: nơi nhận]</mark>",
		`Năm 2022 là 336 doanh nghiệp<sup id="fnref1"><a href="#fn1">1</a></sup>.`,
		`<p id="fn1"><sup><a href="#fnref1">1</a></sup> Hướng dẫn cho 01 doanh nghiệp; hỗ trợ 200 doanh nghiệp &lt;Thủ Đức&gt; &amp; khác</p>`,
		"<thead><tr><th>", "<tbody><tr><td>", `src="data:image/png;base64,`, "break-before:page", "break-after:avoid",
		`<img alt="Biểu đồ 1. &lt;Tỷ lệ&gt; &amp; thời gian"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if strings.Contains(page, "<Thủ Đức>") {
		t.Error("footnote text is not escaped")
	}
	// Printed, the footnotes end the report's pages; the annex follows them.
	if notes, pic := strings.Index(page, `<p id="fn1">`), strings.Index(page, "data:image/png"); notes < 0 || pic < notes {
		t.Error("the footnotes are not before the annex")
	}
}
