package report

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"nscl"
	"nscl/docx"
	"nscl/pdf"
)

// DocumentTypes are the formats of the annual report as a document, with
// their media types. The command line and the report page both offer them.
var DocumentTypes = map[string]string{
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"pdf":  "application/pdf",
	"html": "text/html; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
}

// PageFormat is the report page as Request.Format: it draws each
// indicator's years of the whole plan, and no annex.
const PageFormat = "page"

// Charts are the chart figures an output draws beside the report's own.
type Charts int

const (
	NoCharts    Charts = iota // none: the tables and lists (text, csv, xlsx…)
	AnnexCharts               // the annex's: each indicator's years up to the report's, and the year unit by unit
	PageCharts                // the report page's: each indicator's years of the whole plan
)

// ChartsOf says which chart figures a format draws: those laid out from
// the Word document (docx, pdf, the html preview; "" is the Word file)
// carry the annex, the report page its own charts, the rest none. Gather
// reads what it says, and WriteDocument draws the annex by it.
func ChartsOf(format string) Charts {
	switch format {
	case "", "docx", "pdf", "html":
		return AnnexCharts
	case PageFormat:
		return PageCharts
	}
	return NoCharts
}

// CitedInDocument is how many activities of each task group a document's
// footnotes cite at most: a province of a national programme does
// thousands a year, which no footnote can list. Past it the footnote says
// how many more there are and that the report's .xlsx file lists them
// all. The seed's city cites 22 in its largest group.
const CitedInDocument = 50

// citedOf is how many activities of each task group Gather cites for a
// format, 0 for all: the .xlsx file lists every one, and the command
// line's text, md and json read them all to check the footnotes against
// the totals; a .csv file cites none but reads no more than a document.
func citedOf(format string) int {
	switch format {
	case "", "docx", "pdf", "html", "csv":
		return CitedInDocument
	}
	return 0
}

// WriteDocument writes the annual report in one of DocumentTypes' formats.
// The PDF is LibreOffice's conversion of the Word file, so that both say
// and show the same.
func WriteDocument(ctx context.Context, w io.Writer, format string, in WordInput) error {
	if ChartsOf(format) == AnnexCharts {
		if ChartsOf(in.Format) != AnnexCharts {
			// Drawn without its figures, the annex would lack charts and say nothing.
			return fmt.Errorf("report: the %s file draws the annex, but its figures were not gathered (gathered for %q)", format, in.Format)
		}
		var err error
		if in.Annex, err = annexParts(in); err != nil {
			return err
		}
	}
	switch format {
	case "html":
		return WriteHTML(w, in)
	case "xlsx":
		return WriteXLSX(w, in.Report, in.Activities(), in.UnitNames)
	case "csv":
		return WriteCSV(w, in.Report)
	case "pdf":
		d, _ := Compose(in)
		return writePDF(ctx, w, d, in.Head.Subject)
	}
	return WriteWord(w, in)
}

// writePDF writes a document as LibreOffice converts its Word file.
func writePDF(ctx context.Context, w io.Writer, d *docx.Document, title string) error {
	var doc bytes.Buffer
	if err := d.Write(&doc, title); err != nil {
		return err
	}
	out, err := pdf.FromDocx(ctx, doc.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// Activities lists the year's activities the reader may read, by task
// group, in the order the footnotes list them.
func (in WordInput) Activities() []nscl.Activity {
	var out []nscl.Activity
	for _, g := range in.Report.Programme.TaskGroups {
		out = append(out, in.ByGroup[g.Letter].Cited...)
	}
	return out
}
