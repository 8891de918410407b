package docx

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteHTML writes the document as one HTML page that reads like the Word
// file: the same paragraphs, table and footnotes (gathered at the end), on
// an A4 sheet with the document's margins when printed. Being made from
// the same model, the preview cannot say anything the .docx does not.
func (d *Document) WriteHTML(w io.Writer, title string) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
@page { size: A4 portrait; margin: %gmm %gmm %gmm %gmm;
  @top-center { content: counter(page); font-family: %q, "Liberation Serif", "Times New Roman", serif; font-size: %gpt; } }
@page :first { @top-center { content: none; } }
body { margin: 0; background: #e8e6df; font-family: %q, "Liberation Serif", "Times New Roman", serif; font-size: %gpt; line-height: 1.15; color: #000; }
.sheet { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 12mm auto; padding: %gmm %gmm %gmm %gmm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
p { margin: 0; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 0 auto; table-layout: fixed; }
td, th { padding: 1mm 1.4mm; vertical-align: middle; font-weight: normal; }
table.borders td, table.borders th { border: 1px solid #000; }
th { background: #f1f0ea; }
.footnotes { margin-top: 8mm; border-top: 1px solid #000; width: 50mm; padding-top: 2mm; }
.footnotes p { width: 150mm; font-size: 10pt; text-align: justify; margin-bottom: 1mm; }
sup a { text-decoration: none; color: inherit; }
mark { background: #ffeb3b; color: inherit; }
@media print {
  body { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
</style></head><body><main class="sheet">
`, html.EscapeString(title), d.MarginTop, d.MarginRight, d.MarginBottom, d.MarginLeft, d.Font, d.FontSize,
		d.Font, d.FontSize, d.MarginTop, d.MarginRight, d.MarginBottom, d.MarginLeft)
	d.blocksHTML(&b, d.Body)
	if len(d.footnotes) > 0 {
		b.WriteString(`<section class="footnotes">`)
		for i, runs := range d.footnotes {
			fmt.Fprintf(&b, `<p id="fn%d"><sup><a href="#fnref%d">%d</a></sup> `, i+1, i+1, i+1)
			for _, r := range runs {
				d.runHTML(&b, r)
			}
			b.WriteString("</p>")
		}
		b.WriteString("</section>")
	}
	d.blocksHTML(&b, d.Annex)
	b.WriteString("</main></body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (d *Document) blocksHTML(b *strings.Builder, blocks []Block) {
	for _, blk := range blocks {
		switch x := blk.(type) {
		case Paragraph:
			d.paragraphHTML(b, x)
		case Table:
			d.tableHTML(b, x)
		}
	}
}

func (d *Document) paragraphHTML(b *strings.Builder, p Paragraph) {
	style := fmt.Sprintf("margin:%gpt %gmm %gpt %gmm;", p.SpaceBefore, p.IndentRight, p.SpaceAfter, p.IndentLeft)
	if p.IndentFirst != 0 {
		style += fmt.Sprintf("text-indent:%gmm;", p.IndentFirst)
	}
	if align := map[string]string{"both": "justify", "center": "center", "right": "right", "left": "left"}[p.Align]; align != "" {
		style += "text-align:" + align + ";"
	}
	if p.BorderBottom {
		style += "border-bottom:1px solid #000;line-height:0;font-size:0;height:3pt;"
	}
	if p.PageBreakBefore {
		style += "break-before:page;"
	}
	if p.KeepNext {
		style += "break-after:avoid;"
	}
	fmt.Fprintf(b, `<p style="%s">`, style)
	for _, r := range p.Runs {
		d.runHTML(b, r)
	}
	b.WriteString("</p>\n")
}

// runHTML writes a run; a footnote mark links to its note at the end.
func (d *Document) runHTML(b *strings.Builder, r Run) {
	switch {
	case r.Footnote != 0:
		fmt.Fprintf(b, `<sup id="fnref%d"><a href="#fn%d">%d</a></sup>`, r.Footnote, r.Footnote, r.Footnote)
		return
	case r.Image != nil:
		fmt.Fprintf(b, `<img alt="%s" style="width:%gmm;height:%gmm" src="data:image/png;base64,%s">`, html.EscapeString(r.Image.Alt), r.Image.Width, r.Image.Height, base64.StdEncoding.EncodeToString(r.Image.PNG))
		return
	}
	var style string
	if r.Bold {
		style += "font-weight:bold;"
	}
	if r.Italic {
		style += "font-style:italic;"
	}
	if r.Size != 0 {
		style += fmt.Sprintf("font-size:%gpt;", r.Size)
	}
	text := strings.ReplaceAll(html.EscapeString(r.Text), "\n", "<br>")
	if r.Highlight {
		text = "<mark>" + text + "</mark>"
	}
	if style == "" {
		b.WriteString(text)
		return
	}
	fmt.Fprintf(b, `<span style="%s">%s</span>`, style, text)
}

func (d *Document) tableHTML(b *strings.Builder, t Table) {
	class := ""
	if t.Borders {
		class = ` class="borders"`
	}
	var width float64
	for _, w := range t.Widths {
		width += w
	}
	// Centred on the text even when wider than it, as Word places it.
	fmt.Fprintf(b, `<table%s style="width:%gmm;margin-left:calc((100%% - %gmm) / 2)"><colgroup>`, class, width, width)
	for _, w := range t.Widths {
		fmt.Fprintf(b, `<col style="width:%gmm">`, w)
	}
	b.WriteString("</colgroup>")
	for i, row := range t.Rows {
		cell := "td"
		switch {
		case i == 0 && t.Header > 0:
			b.WriteString("<thead>")
		case i == t.Header:
			b.WriteString("<tbody>")
		}
		if i < t.Header {
			cell = "th"
		}
		b.WriteString("<tr>")
		for _, c := range row {
			fmt.Fprintf(b, "<%s>", cell)
			for _, p := range c.Paragraphs {
				d.paragraphHTML(b, p)
			}
			fmt.Fprintf(b, "</%s>", cell)
		}
		b.WriteString("</tr>")
		if i == t.Header-1 {
			b.WriteString("</thead>")
		}
	}
	if t.Header < len(t.Rows) {
		b.WriteString("</tbody>")
	}
	b.WriteString("</table>\n")
}
