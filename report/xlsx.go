package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/sheet"
	"nscl/vnfmt"
)

// Sheet names of the workbook.
const (
	xlsxResultsSheet    = "Kết quả"
	xlsxActivitiesSheet = "Hoạt động"
)

// Number formats. Cells hold real numbers so that a reader can add them up;
// the formats only decide how they look. The codes are written in the file
// format's own syntax (comma groups, dot before decimals); the [$-42A]
// prefix tags them Vietnamese, and LibreOffice then shows Vietnamese
// separators whatever its own locale: 16.192, 9,93 % (without the tag, an
// English LibreOffice shows 16,192). Excel takes the separators from the
// reader's system settings instead, which on a Vietnamese system are the same.
const (
	xlsxLocale        = "[$-42A]"
	xlsxIntegerFormat = xlsxLocale + "#,##0"
	// LibreOffice shows dates in this format as written, 07/03/2022,
	// whatever its locale.
	xlsxDateFormat = "dd/mm/yyyy"
)

// xlsxPercentFormats are the completion formats with 0, 1 and 2 decimals. The
// cell holds the fraction (0,0993 for 9,93 %), as Excel's own percentages
// do, and each cell gets the format with as many decimals as vnfmt.Percent
// prints: "173,5 %" and "100 %" as the report writes them. The single
// format "0.## %" would do the same in LibreOffice, but Excel keeps the
// decimal separator of a whole number ("100, %").
var xlsxPercentFormats = [3]string{xlsxLocale + "#,##0 %", xlsxLocale + "#,##0.0 %", xlsxLocale + "#,##0.00 %"}

// xlsxStyles are the style IDs of the workbook, made once.
type xlsxStyles struct {
	title, heading, text, wrap, integer, date int
	percent                                   [3]int
}

// activityStream calls fn for each activity of a list, in the list's order:
// read twice by the workbook (its columns, then its rows), it need not
// hold the list.
type activityStream func(fn func(nscl.Activity) error) error

// listOf is the activityStream of the activities a slice holds.
func listOf(acts []nscl.Activity) activityStream {
	return func(fn func(nscl.Activity) error) error {
		for _, a := range acts {
			if err := fn(a); err != nil {
				return err
			}
		}
		return nil
	}
}

// WriteXLSX writes the year's results table and its activity list as an
// Excel workbook. acts calls its fn for each activity in the list's order; it is called
// twice, and need not hold the list.
func WriteXLSX(w io.Writer, r *Report, acts func(fn func(nscl.Activity) error) error, unitNames map[int64]string) error {
	reported, err := reportedMetrics(acts)
	if err != nil {
		return err
	}
	return writeXLSX(w, r, reported, acts, unitNames)
}

// writeXLSX is WriteXLSX when the codes of the metrics the activities
// report are known without reading them.
func writeXLSX(w io.Writer, r *Report, reported []string, acts activityStream, unitNames map[int64]string) error {
	return writeWorkbook(w, activityMetrics(r.Programme, r.Year, reported), acts, unitNames, func(f *excelize.File, st xlsxStyles) error { return writeXLSXResults(f, st, r) })
}

// writeWorkbook writes a report's workbook: the results sheet, which
// results writes, and the activity list with a column for each of metrics.
func writeWorkbook(w io.Writer, metrics []nscl.Metric, acts activityStream, unitNames map[int64]string, results func(*excelize.File, xlsxStyles) error) error {
	f := excelize.NewFile()
	defer f.Close() // removes the stream writer's temporary files
	if err := f.SetSheetName(f.GetSheetName(0), xlsxResultsSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(xlsxActivitiesSheet); err != nil {
		return err
	}
	if err := xlsxPrintLandscape(f, xlsxResultsSheet, true); err != nil {
		return err
	}
	// The activity list is too wide to shrink onto a page and still read:
	// it runs over pages across and down, each repeating the headings.
	if err := xlsxPrintLandscape(f, xlsxActivitiesSheet, false); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: xlsxActivitiesSheet,
		RefersTo: "'" + xlsxActivitiesSheet + "'!$1:$1"}); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	if err := results(f, st); err != nil {
		return err
	}
	if err := writeXLSXActivities(f, st, metrics, acts, unitNames); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	// A font without a family is shown by LibreOffice in its own default
	// (a serif), so the bold fonts name the workbook's.
	family, err := f.GetDefaultFont()
	add := func(id *int, s excelize.Style) {
		if err == nil {
			*id, err = f.NewStyle(&s)
		}
	}
	// Top alignment everywhere: a wrapped description makes a tall row, and
	// its date and figures should stay level with its first line.
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	add(&st.title, excelize.Style{Font: &excelize.Font{Family: family, Bold: true, Size: xlsxTitleSize}, Alignment: wrap})
	add(&st.heading, excelize.Style{Font: &excelize.Font{Family: family, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	add(&st.text, excelize.Style{Alignment: top})
	add(&st.wrap, excelize.Style{Alignment: wrap})
	add(&st.integer, excelize.Style{Alignment: top, CustomNumFmt: xlsxPtr(xlsxIntegerFormat)})
	add(&st.date, excelize.Style{Alignment: top, CustomNumFmt: xlsxPtr(xlsxDateFormat)})
	for i := range st.percent {
		add(&st.percent[i], excelize.Style{Alignment: top, CustomNumFmt: xlsxPtr(xlsxPercentFormats[i])})
	}
	return st, err
}

// xlsxPrintLandscape prints a sheet on landscape A4 pages and, when
// fitWidth, shrinks its columns onto one page's width, as many pages down
// as it takes. It must come before the sheet's stream writer, which writes
// the settings out.
func xlsxPrintLandscape(f *excelize.File, sheet string, fitWidth bool) error {
	layout := &excelize.PageLayoutOptions{Size: xlsxPtr(9), Orientation: xlsxPtr("landscape")}
	if fitWidth {
		layout.FitToWidth, layout.FitToHeight = xlsxPtr(1), xlsxPtr(0)
	}
	if err := f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: xlsxPtr(fitWidth)})
}

func xlsxPtr[T any](v T) *T { return &v }

// writeXLSXResults writes the results table, the measures and the next
// year's targets, one row after another; a nil row is left blank.
func writeXLSXResults(f *excelize.File, st xlsxStyles, r *Report) error {
	sw, err := f.NewStreamWriter(xlsxResultsSheet)
	if err != nil {
		return err
	}
	widths := []float64{60, 20, 18, 18, 22, 14}
	if r.HasAnnualTargets() {
		widths = []float64{60, 20, 18, 18, 18, 14, 22, 14}
	}
	if r.ShowsProgrammeTotal() {
		widths = append(widths, 22)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	var total float64
	for _, wd := range widths {
		total += wd
	}
	for i, row := range xlsxResultsRows(st, r) {
		if row == nil {
			continue
		}
		n, rowWidths := i+1, widths
		// The title and the plan line span the table and wrap in it: left
		// to run on to the right, they would widen the printed page.
		if n <= xlsxTitleRows {
			rowWidths = []float64{total}
			if err := sw.MergeCell(xlsxRef(1, n), xlsxRef(len(widths), n)); err != nil {
				return err
			}
		}
		if err := st.setRow(sw, rowWidths, n, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxTitleRows are the rows of the title and the plan line, which come
// first in xlsxResultsRows.
const xlsxTitleRows = 2

// xlsxResultsRows are the rows of the results sheet: the title, the plan
// line, a blank row, then the results table. The measures and the next
// year's targets keep the table's columns: name, unit, then the year's
// value and the cumulative under the same headings, the targets under the
// target column.
func xlsxResultsRows(st xlsxStyles, r *Report) [][]any {
	h := r.TableHeadings()
	const unitHeading = "Đơn vị tính"
	rows := [][]any{
		{xlsxCell(st.title, fmt.Sprintf("Kết quả năm %d — %s — %s", r.Year, r.Programme.Name, r.Unit.Name))},
		{xlsxCell(st.wrap, planLine(r))},
		nil,
		xlsxHeadingRow(st, append([]string{h[0], unitHeading}, h[1:]...)...),
	}
	for _, ind := range r.Indicators {
		rows = append(rows, xlsxIndicatorRow(st, r, ind))
	}
	if len(r.Measures) > 0 {
		// The year's value and the cumulative under the table's headings for them.
		year, cumulative := 3, 4
		if r.HasAnnualTargets() {
			year, cumulative = 4, 6
		}
		heading := make([]string, cumulative+1)
		heading[0], heading[1], heading[year], heading[cumulative] = "Số liệu khác", unitHeading, h[year-1], h[cumulative-1]
		rows = append(rows, nil, xlsxHeadingRow(st, heading...))
		for _, m := range r.Measures {
			row := make([]any, cumulative+1)
			row[0], row[1] = xlsxCell(st.wrap, m.Metric.Name), xlsxCell(st.wrap, m.Metric.Unit)
			row[year], row[cumulative] = xlsxCell(st.integer, m.YearValue), xlsxCell(st.integer, m.Cumulative)
			rows = append(rows, row)
		}
	}
	if targets := xlsxNextYearRows(st, r); len(targets) > 0 {
		next := r.Year + 1
		rows = append(rows, nil, xlsxHeadingRow(st, fmt.Sprintf("Chỉ tiêu của Kế hoạch năm %d", next), unitHeading, fmt.Sprintf("Chỉ tiêu năm %d", next)))
		rows = append(rows, targets...)
	}
	// The former units the figures include and how the targets were
	// summed, as the other formats say them; nothing when none.
	if line := r.FormerLine(); line != "" {
		rows = append(rows, nil, []any{xlsxCell(st.wrap, line)})
		for _, o := range r.OriginLines() {
			rows = append(rows, []any{xlsxCell(st.wrap, o)})
		}
	}
	return rows
}

// xlsxIndicatorRow is an indicator's row of table II.1 in numbers; without a
// target the target and completion cells stay empty, where Row prints "–".
func xlsxIndicatorRow(st xlsxStyles, r *Report, ind nscl.IndicatorResult) []any {
	var target, completion any
	if ind.HasTarget {
		target = xlsxCell(st.integer, ind.Target)
		completion = st.percentCell(ind.CompletionPercent)
	}
	name, unit := xlsxCell(st.wrap, ind.Metric.Name), xlsxCell(st.wrap, ind.Metric.Unit)
	year, cumulative := xlsxCell(st.integer, ind.YearValue), xlsxCell(st.integer, ind.Cumulative)
	var sinceProgramme []any // the last column, when the plan starts after the programme
	if r.ShowsProgrammeTotal() {
		sinceProgramme = []any{xlsxCell(st.integer, ind.ProgrammeCumulative)}
	}
	if !r.HasAnnualTargets() {
		return append([]any{name, unit, target, year, cumulative, completion}, sinceProgramme...)
	}
	var annual, annualCompletion any
	if ind.HasAnnualTarget {
		annual = xlsxCell(st.integer, ind.AnnualTarget)
		if ind.AnnualTarget > 0 {
			annualCompletion = st.percentCell(ind.AnnualPercent)
		}
	}
	return append([]any{name, unit, target, annual, year, annualCompletion, cumulative, completion}, sinceProgramme...)
}

// percentCell is a percentage as a fraction with as many decimals shown as
// the report prints.
func (st xlsxStyles) percentCell(percent float64) excelize.Cell {
	return xlsxCell(st.percent[xlsxPercentDecimals(percent)], percent/100)
}

// xlsxNextYearRows are the next year's targets, for the indicators that
// nextYearLines lists.
func xlsxNextYearRows(st xlsxStyles, r *Report) [][]any {
	if r.NextPlan == nil {
		return nil
	}
	var rows [][]any
	for _, ind := range r.Indicators {
		if ind.HasNextYearTarget {
			rows = append(rows, []any{xlsxCell(st.wrap, ind.Metric.Name), xlsxCell(st.wrap, ind.Metric.Unit), xlsxCell(st.integer, ind.NextYearTarget)})
		}
	}
	return rows
}

// xlsxPercentDecimals is how many decimals vnfmt.Percent prints for p: 0 for
// 100, 1 for 173,5, 2 for 9,93.
func xlsxPercentDecimals(p float64) int {
	_, frac, _ := strings.Cut(vnfmt.Decimal(p, 2), ",")
	return len(frac)
}

// writeXLSXActivities streams one row per activity, so that memory does
// not grow with their number.
func writeXLSXActivities(f *excelize.File, st xlsxStyles, metrics []nscl.Metric, acts activityStream, unitNames map[int64]string) error {
	sw, err := f.NewStreamWriter(xlsxActivitiesSheet)
	if err != nil {
		return err
	}
	// Column widths and panes must come before the first row.
	widths := []float64{13, 10, 28, 20, 60}
	for range metrics {
		widths = append(widths, 15)
	}
	widths = append(widths, 40)
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := st.setRow(sw, widths, 1, xlsxActivityHeadings(st, metrics)); err != nil {
		return err
	}
	column := make(map[string]int, len(metrics)) // metric code → index in the row
	for i, m := range metrics {
		column[m.Code] = 5 + i
	}
	row := make([]any, len(widths)) // reused: SetRow writes it out at once
	n := 1
	err = acts(func(a nscl.Activity) error {
		n++
		clear(row)
		xlsxActivityRow(row, st, &a, column, unitNames)
		return st.setRow(sw, widths, n, row)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// activityMetrics are the activity list's quantity columns: the metrics
// begun by the list's last year (a metric of a later phase would be an
// empty column before it), and any other an activity reports (reported).
func activityMetrics(prog *nscl.Programme, lastYear int, reported []string) []nscl.Metric {
	var out []nscl.Metric
	for _, m := range prog.Metrics {
		if m.ActiveIn(lastYear) || slices.Contains(reported, m.Code) {
			out = append(out, m)
		}
	}
	return out
}

// reportedMetrics are the codes of the metrics the activities report.
func reportedMetrics(acts activityStream) ([]string, error) {
	var codes []string
	err := acts(func(a nscl.Activity) error {
		for _, q := range a.Quantities {
			if !slices.Contains(codes, q.Metric) {
				codes = append(codes, q.Metric)
			}
		}
		return nil
	})
	return codes, err
}

func xlsxActivityHeadings(st xlsxStyles, metrics []nscl.Metric) []any {
	names := []string{"Ngày", "Nhóm nhiệm vụ", "Đơn vị", "Loại hoạt động", "Nội dung"}
	for _, m := range metrics {
		names = append(names, m.Name+" ("+m.Unit+")")
	}
	names = append(names, "Nguồn")
	return xlsxHeadingRow(st, names...)
}

// xlsxActivityRow sets a's cells in row; quantities go to their metric's
// column, and a metric the activity does not report stays empty.
func xlsxActivityRow(row []any, st xlsxStyles, a *nscl.Activity, column map[string]int, unitNames map[int64]string) {
	if !a.Date.IsZero() {
		// The day as written, whatever the time zone it was read in.
		row[0] = xlsxCell(st.date, time.Date(a.Date.Year(), a.Date.Month(), a.Date.Day(), 0, 0, 0, 0, time.UTC))
	}
	unit, ok := unitNames[a.UnitID]
	if !ok {
		unit = "#" + strconv.FormatInt(a.UnitID, 10)
	}
	kind := a.Kind.Label()
	row[1], row[2], row[3], row[4] = xlsxText(st.text, a.TaskGroup), xlsxText(st.wrap, unit), xlsxText(st.wrap, kind), xlsxText(st.wrap, a.Description)
	for _, q := range a.Quantities {
		if i, ok := column[q.Metric]; ok {
			row[i] = xlsxCell(st.integer, q.Value)
		}
	}
	row[len(row)-1] = xlsxText(st.wrap, a.Source)
}

// xlsxLineHeight is the height in points of a line of the default font
// (Calibri 11), the workbook's default row height; the title's font is
// larger by xlsxTitleSize/11.
const (
	xlsxLineHeight = 15
	xlsxTitleSize  = 14
)

// setRow writes row as row number n, as tall as its wrapped text needs.
// LibreOffice does not fit the rows' heights to wrapped text when it opens
// a file, so a long description would overlap the rows below it; the
// height is an estimate, and a row of one line keeps the default.
func (st xlsxStyles) setRow(sw *excelize.StreamWriter, widths []float64, n int, row []any) error {
	var opts excelize.RowOpts
	for i, v := range row {
		c, ok := v.(excelize.Cell)
		s, isText := c.Value.(string)
		if !ok || !isText || i >= len(widths) {
			continue
		}
		scale := 1.0
		switch c.StyleID {
		case st.wrap, st.heading:
		case st.title:
			scale = xlsxTitleSize / 11.0
		default:
			continue
		}
		if lines := sheet.WrappedLines(s, widths[i]/scale); lines > 1 {
			opts.Height = max(opts.Height, min(float64(lines)*xlsxLineHeight*scale, excelize.MaxRowHeight))
		}
	}
	return sw.SetRow(xlsxRef(1, n), row, opts)
}

func xlsxHeadingRow(st xlsxStyles, names ...string) []any {
	row := make([]any, len(names))
	for i, n := range names {
		row[i] = xlsxText(st.heading, n)
	}
	return row
}

func xlsxCell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// text is a text cell, or no cell at all for an empty string.
func xlsxText(style int, s string) any {
	if s == "" {
		return nil
	}
	return xlsxCell(style, s)
}

func xlsxRef(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row) // cannot fail for positive coordinates
	return name
}
