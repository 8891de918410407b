package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"

	"nscl"
	"nscl/docx"
	"nscl/pdf"
	"nscl/store"
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
// format, 0 for all: the command line's text, md and json read them all to
// check the footnotes against the totals; a .csv file cites none but reads
// no more than a document, and the .xlsx file, which lists every activity,
// reads them from the store as it writes them (WordInput.EachActivity).
func citedOf(format string) int {
	switch format {
	case "", "docx", "pdf", "html", "csv", "xlsx":
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
		names, err := in.listedUnitNames(ctx)
		if err != nil {
			return err
		}
		reported, err := in.reportedMetrics(ctx)
		if err != nil {
			return err
		}
		return writeXLSX(w, in.Report, reported, func(fn func(nscl.Activity) error) error { return in.EachActivity(ctx, fn) }, names)
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

// EachActivity calls fn for each of the year's activities the reader may
// read, by task group in the order the footnotes list them (date, then
// entry): every one, read from the store a page at a time whatever the
// footnotes cite, so that the .xlsx file lists them all without holding
// them. An input made by hand lists those it cites.
func (in WordInput) EachActivity(ctx context.Context, fn func(nscl.Activity) error) error {
	if in.st == nil {
		for _, a := range in.Activities() {
			if err := fn(a); err != nil {
				return err
			}
		}
		return nil
	}
	r := in.Report
	units := in.Report.readableUnits()
	if len(units) == 0 {
		return nil // none the reader may read; no filter would mean every unit
	}
	for _, g := range r.Programme.TaskGroups {
		f := store.ActivityFilter{Units: units, Year: r.Year, TaskGroup: g.Letter, Approved: r.ApprovedOnly, Oldest: true}
		if err := in.st.EachActivity(ctx, r.Programme, f, fn); err != nil {
			return err
		}
	}
	return nil
}

// reportedMetrics are the codes of the metrics that the activities
// EachActivity lists report, found without reading them.
func (in WordInput) reportedMetrics(ctx context.Context) ([]string, error) {
	if in.st == nil {
		return reportedMetrics(listOf(in.Activities()))
	}
	units := in.Report.readableUnits()
	if len(units) == 0 {
		return nil, nil
	}
	r := in.Report
	return in.st.ActivityMetrics(ctx, r.Programme, store.ActivityFilter{Units: units, Year: r.Year, Approved: r.ApprovedOnly})
}

// listedUnitNames names every unit EachActivity may list: the units the
// report counts, which are bounded by the tree, not by the activities.
func (in WordInput) listedUnitNames(ctx context.Context) (map[int64]string, error) {
	if in.st == nil {
		return in.UnitNames, nil
	}
	units, err := in.st.UnitsByID(ctx, in.Report.readableUnits())
	if err != nil {
		return nil, err
	}
	names := maps.Clone(in.UnitNames)
	if names == nil {
		names = map[int64]string{}
	}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	return names, nil
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
