// Package docx writes Word documents (OOXML) from a small model: styled
// paragraphs of runs, tables, real footnotes and a page-number header. It
// knows nothing of reports; the report package says what goes in.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Document is a Word document in A4 portrait.
type Document struct {
	Body []Block
	// Annex follows the body on pages of its own; the HTML page puts the
	// footnotes before it, as the printed pages do.
	Annex     []Block
	footnotes [][]Run
	images    []*Image // met while writing the body, in order: image i is media/image{i+1}.png
	// Page margins in millimetres.
	MarginTop, MarginBottom, MarginLeft, MarginRight float64
	Font                                             string // body font, e.g. "Times New Roman"
	FontSize                                         float64
	PageNumbers                                      bool // centred in the top margin from page 2
}

// Block is a paragraph or a table.
type Block interface{ block() }

// Paragraph is a paragraph of runs.
type Paragraph struct {
	Runs         []Run
	Align        string  // "left", "center", "right", "both" (justified); "" for the style's
	IndentFirst  float64 // first-line indent in mm
	SpaceBefore  float64 // points
	SpaceAfter   float64 // points
	KeepNext     bool
	BorderBottom bool    // a rule under the paragraph, as wide as the paragraph
	IndentLeft   float64 // mm
	IndentRight  float64 // mm
	// PageBreakBefore starts the paragraph on a new page (an annex).
	PageBreakBefore bool
}

// Rule is a horizontal line of the given width, centred: the short rules
// under the agency's name and the motto of an administrative document.
func Rule(cellWidth, width float64) Paragraph {
	side := max((cellWidth-width)/2, 0)
	return Paragraph{BorderBottom: true, IndentLeft: side, IndentRight: side, Runs: []Run{{Text: "", Size: 2}}}
}

// Run is text with one formatting.
type Run struct {
	Text     string
	Bold     bool
	Italic   bool
	Size     float64 // points; 0 for the document's
	Footnote int     // when non-zero, this run is the reference mark of that footnote
	Image    *Image  // when set, this run is the picture (in the body only)
	// Highlight marks text a person must still fill in (yellow, as a
	// highlighter pen would).
	Highlight bool
}

// Image is a PNG picture placed in the line, sized in millimetres. Alt
// says what it shows to a reader who cannot see it.
type Image struct {
	PNG           []byte
	Width, Height float64
	Alt           string
}

// Table is a table with fixed column widths.
type Table struct {
	Widths  []float64 // mm
	Rows    [][]Cell
	Borders bool
	Header  int // how many first rows repeat on each page
	// Layout marks a table that only sets text side by side (a letterhead,
	// a signature block): no inner margins, so that the text can use the
	// whole width, and each cell's text at its top.
	Layout bool
}

// Cell is a table cell.
type Cell struct {
	Paragraphs []Paragraph
	Shade      bool
}

func (Paragraph) block() {}
func (Table) block()     {}

// Footnote adds a footnote with the given text and returns the run that
// marks it in the body.
func (d *Document) Footnote(runs ...Run) Run {
	d.footnotes = append(d.footnotes, runs)
	return Run{Footnote: len(d.footnotes)}
}

// twips converts millimetres to twentieths of a point.
func twips(mm float64) int { return int(mm * 1440 / 25.4) }

func halfPoints(pt float64) int { return int(pt * 2) }

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (d *Document) runXML(b *strings.Builder, r Run) {
	b.WriteString("<w:r>")
	var props strings.Builder
	if r.Footnote != 0 {
		props.WriteString(`<w:rStyle w:val="FootnoteReference"/>`)
	}
	if r.Bold {
		props.WriteString("<w:b/>")
	}
	if r.Italic {
		props.WriteString("<w:i/>")
	}
	if r.Size != 0 {
		fmt.Fprintf(&props, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints(r.Size), halfPoints(r.Size))
	}
	if r.Highlight {
		props.WriteString(`<w:highlight w:val="yellow"/>`)
	}
	if props.Len() > 0 {
		b.WriteString("<w:rPr>" + props.String() + "</w:rPr>")
	}
	switch {
	case r.Footnote != 0:
		fmt.Fprintf(b, `<w:footnoteReference w:id="%d"/>`, r.Footnote)
	case r.Image != nil:
		d.images = append(d.images, r.Image)
		d.imageXML(b, len(d.images), r.Image)
	default:
		for i, line := range strings.Split(r.Text, "\n") {
			if i > 0 {
				b.WriteString("<w:br/>")
			}
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, esc(line))
		}
	}
	b.WriteString("</w:r>")
}

func (d *Document) paragraphXML(b *strings.Builder, p Paragraph, style string) {
	b.WriteString("<w:p><w:pPr>")
	if style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, style)
	}
	if p.KeepNext {
		b.WriteString("<w:keepNext/>")
	}
	if p.PageBreakBefore {
		b.WriteString("<w:pageBreakBefore/>")
	}
	if p.BorderBottom {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d"/>`, int(p.SpaceBefore*20), int(p.SpaceAfter*20))
	if p.IndentFirst != 0 || p.IndentLeft != 0 || p.IndentRight != 0 {
		fmt.Fprintf(b, `<w:ind w:left="%d" w:right="%d" w:firstLine="%d"/>`, twips(p.IndentLeft), twips(p.IndentRight), twips(p.IndentFirst))
	}
	if p.Align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	b.WriteString("</w:pPr>")
	for _, r := range p.Runs {
		d.runXML(b, r)
	}
	b.WriteString("</w:p>")
}

func (d *Document) tableXML(b *strings.Builder, t Table) {
	b.WriteString("<w:tbl><w:tblPr>")
	total := 0
	for _, w := range t.Widths {
		total += twips(w)
	}
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>`, total)
	if t.Borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	margin, align := 80, "center"
	if t.Layout {
		margin, align = 0, "top"
	}
	fmt.Fprintf(b, `<w:tblCellMar><w:left w:w="%d" w:type="dxa"/><w:right w:w="%d" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`, margin, margin)
	for _, w := range t.Widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, twips(w))
	}
	b.WriteString("</w:tblGrid>")
	for i, row := range t.Rows {
		b.WriteString("<w:tr>")
		if i < t.Header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for j, c := range row {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, twips(t.Widths[j]))
			if c.Shade {
				b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="F1F0EA"/>`)
			}
			fmt.Fprintf(b, `<w:vAlign w:val="%s"/></w:tcPr>`, align)
			if len(c.Paragraphs) == 0 {
				c.Paragraphs = []Paragraph{{}}
			}
			for _, p := range c.Paragraphs {
				d.paragraphXML(b, p, "TableText")
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
}

const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// drawingNS are the namespaces of inline pictures, declared on the body.
const drawingNS = ` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

// emu converts millimetres to DrawingML's English Metric Units.
func emu(mm float64) int { return int(mm * 36000) }

// imageXML writes an inline picture whose relationship is rIdImage{n}.
func (d *Document) imageXML(b *strings.Builder, n int, img *Image) {
	cx, cy := emu(img.Width), emu(img.Height)
	fmt.Fprintf(b, `<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Hình %d" descr="%s"/>`, cx, cy, n, n, esc(img.Alt))
	b.WriteString(`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`)
	fmt.Fprintf(b, `<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`, n, n)
	fmt.Fprintf(b, `<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, n)
	fmt.Fprintf(b, `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`, cx, cy)
	b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>`)
}

func (d *Document) documentXML() string {
	d.images = nil
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:document ` + ns + drawingNS + `><w:body>`)
	for _, blk := range slices.Concat(d.Body, d.Annex) {
		switch x := blk.(type) {
		case Paragraph:
			d.paragraphXML(&b, x, "")
		case Table:
			d.tableXML(&b, x)
			// Word needs a paragraph between two tables and at the end of a cell.
			b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>`)
		}
	}
	b.WriteString("<w:sectPr>")
	if d.PageNumbers {
		b.WriteString(`<w:headerReference w:type="default" r:id="rIdHeader"/>`)
	}
	fmt.Fprintf(&b, `<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>`,
		twips(d.MarginTop), twips(d.MarginRight), twips(d.MarginBottom), twips(d.MarginLeft))
	if d.PageNumbers {
		b.WriteString(`<w:titlePg/>`) // no number on the first page
	}
	b.WriteString("</w:sectPr></w:body></w:document>")
	return b.String()
}

func (d *Document) footnotesXML() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	b.WriteString(`<w:footnotes ` + ns + `>`)
	b.WriteString(`<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>`)
	b.WriteString(`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>`)
	for i, runs := range d.footnotes {
		fmt.Fprintf(&b, `<w:footnote w:id="%d"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/><w:jc w:val="both"/></w:pPr>`, i+1)
		b.WriteString(`<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>`)
		for _, r := range runs {
			d.runXML(&b, r)
		}
		b.WriteString(`</w:p></w:footnote>`)
	}
	b.WriteString(`</w:footnotes>`)
	return b.String()
}

func (d *Document) stylesXML() string {
	font := esc(d.Font)
	size := halfPoints(d.FontSize)
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + ns + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + font + `" w:hAnsi="` + font + `" w:eastAsia="` + font + `" w:cs="` + font + `"/>` +
		fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size, size) + `<w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="0"/></w:pPr></w:style>
</w:styles>`
}

const headerXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr ` + ns + `><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`

const packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

// documentRels are the body's relationships: its fixed parts and a picture
// for each image the body holds.
func (d *Document) documentRels() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
`)
	for i := range d.images {
		fmt.Fprintf(&b, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`+"\n", i+1, i+1)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings ` + ns + `><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

func coreXML(title string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(title) + `</dc:title><dc:creator>nscl</dc:creator></cp:coreProperties>`
}

// Write writes the document as a .docx package with the given title.
func (d *Document) Write(w io.Writer, title string) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"docProps/core.xml", coreXML(title)},
		{"word/document.xml", d.documentXML()},
		{"word/_rels/document.xml.rels", d.documentRels()}, // after document.xml, which finds the images
		{"word/styles.xml", d.stylesXML()},
		{"word/settings.xml", settingsXML},
		{"word/footnotes.xml", d.footnotesXML()},
		{"word/header1.xml", headerXML},
	}
	for i, img := range d.images {
		parts = append(parts, struct{ name, body string }{fmt.Sprintf("word/media/image%d.png", i+1), string(img.PNG)})
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return z.Close()
}
