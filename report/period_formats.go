package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/sheet"
	"nscl/vnfmt"
)

// JSONPeriod is the shape of `nscl report --from … --to … --format json`
// and of GET /api/v1/reports/{from}-{to}.
type JSONPeriod struct {
	From       int                   `json:"from"`
	To         int                   `json:"to"`
	Programme  JSONRef               `json:"programme"`
	Unit       JSONRef               `json:"unit"`
	Plan       JSONPlan              `json:"plan"`
	Indicators []JSONPeriodIndicator `json:"indicators"`
	Measures   []JSONPeriodMeasure   `json:"measures"`
	NextPlan   *JSONPlan             `json:"next_plan,omitempty"`
	Years      []JSONReport          `json:"years"` // each year's report, as GET /api/v1/reports/{year}
	// The former units the last year's figures include, in one line; absent when none.
	FormerUnits        string `json:"former_units,omitempty"`
	FormerUnitsEnglish string `json:"former_units_en,omitempty"`
}

// JSONPeriodIndicator is an indicator over the period.
type JSONPeriodIndicator struct {
	Code              string       `json:"code"`
	Name              string       `json:"name"`
	Unit              string       `json:"unit"`
	Target            *int64       `json:"target"`
	ByYear            []JSONAnnual `json:"by_year"`
	Cumulative        int64        `json:"cumulative"` // since the plan began, to the period's end
	CompletionPercent float64      `json:"completion_percent"`
	CompletionText    string       `json:"completion_text"`
	Status            nscl.Status  `json:"status"`
	NextTarget        *int64       `json:"next_target,omitempty"`   // the next multi-year plan's
	TargetOrigin      *JSONOrigin  `json:"target_origin,omitempty"` // how the target was summed across a merger
}

// JSONAnnual is one year's result, with the year's annual target when one is set.
type JSONAnnual struct {
	Year         int    `json:"year"`
	Value        int64  `json:"value"`
	AnnualTarget *int64 `json:"annual_target,omitempty"`
}

// JSONPeriodMeasure is a measure over the period.
type JSONPeriodMeasure struct {
	Code       string       `json:"code"`
	Name       string       `json:"name"`
	Unit       string       `json:"unit"`
	ByYear     []JSONAnnual `json:"by_year"`
	Cumulative int64        `json:"cumulative"`
}

// JSON returns the period in its JSON shape.
func (p *Period) JSON() JSONPeriod {
	last := p.Last().JSON()
	out := JSONPeriod{From: p.From, To: p.To, Programme: last.Programme, Unit: last.Unit, Plan: last.Plan,
		Indicators: []JSONPeriodIndicator{}, Measures: []JSONPeriodMeasure{}, FormerUnits: last.FormerUnits, FormerUnitsEnglish: last.FormerUnitsEnglish}
	for _, r := range p.Years {
		out.Years = append(out.Years, r.JSON())
	}
	if p.NextPlan != nil {
		out.NextPlan = &JSONPlan{Name: p.NextPlan.Name, StartYear: p.NextPlan.StartYear, EndYear: p.NextPlan.EndYear}
	}
	for _, ind := range p.Indicators {
		j := JSONPeriodIndicator{Code: ind.Metric.Code, Name: ind.Metric.Name, Unit: ind.Metric.Unit, Cumulative: ind.Cumulative,
			CompletionPercent: ind.CompletionPercent, Status: ind.Status, NextTarget: ind.NextTarget,
			TargetOrigin: jsonOrigin(p.Last().TargetOrigins[ind.Metric.Code], ind.Metric.Unit)}
		if ind.HasTarget {
			target := ind.Target
			j.Target, j.CompletionText = &target, vnfmt.Percent(ind.CompletionPercent)
		}
		for i, v := range ind.ByYear {
			j.ByYear = append(j.ByYear, JSONAnnual{Year: p.From + i, Value: v, AnnualTarget: ind.AnnualTargets[i]})
		}
		out.Indicators = append(out.Indicators, j)
	}
	for _, m := range p.Measures {
		j := JSONPeriodMeasure{Code: m.Metric.Code, Name: m.Metric.Name, Unit: m.Metric.Unit, Cumulative: m.Cumulative}
		for i, v := range m.ByYear {
			j.ByYear = append(j.ByYear, JSONAnnual{Year: p.From + i, Value: v})
		}
		out.Measures = append(out.Measures, j)
	}
	return out
}

// WritePeriodJSON writes the period as indented JSON.
func WritePeriodJSON(w io.Writer, p *Period) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p.JSON())
}

// WritePeriodMarkdown writes the period's table, its evaluation and its
// measures as Markdown.
func WritePeriodMarkdown(w io.Writer, p *Period) error {
	var b strings.Builder
	last := p.Last()
	fmt.Fprintf(&b, "# Tổng kết giai đoạn %s — %s\n\n%s\n\n", p.span(), last.Unit.Name, last.Programme.Name)
	if line := last.FormerLine(); line != "" {
		b.WriteString(line + "\n\n")
	}
	h := p.Headings()
	b.WriteString("| " + strings.Join(h, " | ") + " |\n")
	b.WriteString("|---" + strings.Repeat("|---:", len(h)-1) + "|\n")
	for _, ind := range p.Indicators {
		b.WriteString("| " + strings.Join(p.Row(ind), " | ") + " |\n")
	}
	if origins := last.OriginLines(); len(origins) > 0 {
		b.WriteString("\n## Chỉ tiêu cộng với chỉ tiêu của các đơn vị trước đây\n\n")
		for _, line := range origins {
			b.WriteString("- " + line + "\n")
		}
	}
	if lines := p.Evaluation(); len(lines) > 0 {
		b.WriteString("\n" + strings.Join(lines, " ") + "\n")
	}
	if len(p.Measures) > 0 {
		b.WriteString("\n## Số liệu khác\n\n")
		for _, m := range p.Measures {
			fmt.Fprintf(&b, "- %s: %s %s\n", m.Metric.Name, vnfmt.Int(m.Cumulative), m.Metric.Unit)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePeriodText writes the same as WritePeriodMarkdown for a terminal,
// one block per indicator.
func WritePeriodText(w io.Writer, p *Period) error {
	var b strings.Builder
	last := p.Last()
	fmt.Fprintf(&b, "TỔNG KẾT GIAI ĐOẠN %s — %s\n%s\n\n", p.span(), strings.ToUpper(last.Unit.Name), last.Programme.Name)
	if line := last.FormerLine(); line != "" {
		b.WriteString(line + "\n\n")
	}
	h := p.Headings()
	for i, ind := range p.Indicators {
		cells := p.Row(ind)
		fmt.Fprintf(&b, "%d. %s\n", i+1, cells[0])
		for c := 1; c < len(cells); c++ {
			fmt.Fprintf(&b, "   %-32s %s\n", h[c]+":", cells[c])
		}
		b.WriteString("\n")
	}
	if origins := last.OriginLines(); len(origins) > 0 {
		b.WriteString("Chỉ tiêu cộng với chỉ tiêu của các đơn vị trước đây:\n")
		for _, line := range origins {
			b.WriteString("   " + line + "\n")
		}
		b.WriteString("\n")
	}
	for _, line := range p.Evaluation() {
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePeriodCSV writes the period's table and measures as CSV, each cell
// as the report prints it.
func WritePeriodCSV(w io.Writer, p *Period) error {
	rows := func(yield func([]string) error) error {
		for _, ind := range p.Indicators {
			if err := yield(p.Row(ind)); err != nil {
				return err
			}
		}
		for _, m := range p.Measures {
			row := []string{m.Metric.Name, ""}
			for _, v := range m.ByYear {
				row = append(row, vnfmt.Int(v))
			}
			if err := yield(append(row, vnfmt.Int(m.Cumulative)+" "+m.Metric.Unit, "")); err != nil {
				return err
			}
		}
		return nil
	}
	return sheet.WriteCSV(w, p.Headings(), rows)
}

// writeXLSX writes the period's workbook, its activities read year by
// year from the store as they are written (WordInput.EachActivity).
func (pin PeriodInput) writeXLSX(ctx context.Context, w io.Writer) error {
	if pin.Word.st == nil {
		return WritePeriodXLSX(w, pin.Period, pin.Activities(), pin.Word.UnitNames)
	}
	names := map[int64]string{}
	var reported []string
	for _, r := range pin.Period.Years {
		year := WordInput{Report: r, UnitNames: pin.Word.UnitNames, st: pin.Word.st}
		n, err := year.listedUnitNames(ctx)
		if err != nil {
			return err
		}
		maps.Copy(names, n)
		codes, err := year.reportedMetrics(ctx)
		if err != nil {
			return err
		}
		for _, c := range codes {
			if !slices.Contains(reported, c) {
				reported = append(reported, c)
			}
		}
	}
	acts := func(fn func(nscl.Activity) error) error {
		for _, r := range pin.Period.Years {
			if err := (WordInput{Report: r, st: pin.Word.st}).EachActivity(ctx, fn); err != nil {
				return err
			}
		}
		return nil
	}
	p := pin.Period
	return writeWorkbook(w, activityMetrics(p.Last().Programme, p.To, reported), acts, names, func(f *excelize.File, st xlsxStyles) error { return writePeriodResults(f, st, p) })
}

// WritePeriodXLSX writes the period's table in numbers and its activities.
func WritePeriodXLSX(w io.Writer, p *Period, acts []nscl.Activity, unitNames map[int64]string) error {
	reported, err := reportedMetrics(listOf(acts))
	if err != nil {
		return err
	}
	return writeWorkbook(w, activityMetrics(p.Last().Programme, p.To, reported), listOf(acts), unitNames, func(f *excelize.File, st xlsxStyles) error { return writePeriodResults(f, st, p) })
}

// writePeriodResults writes the period's results sheet: the title, then
// its table with the units, targets and figures as numbers, then the measures.
func writePeriodResults(f *excelize.File, st xlsxStyles, p *Period) error {
	sw, err := f.NewStreamWriter(xlsxResultsSheet)
	if err != nil {
		return err
	}
	years := p.To - p.From + 1
	widths := []float64{60, 20, 18}
	for range years {
		widths = append(widths, 12)
	}
	widths = append(widths, 18, 14)
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	last := p.Last()
	h := p.Headings()
	rows := [][]any{
		{xlsxCell(st.title, fmt.Sprintf("Tổng kết giai đoạn %s — %s — %s", p.span(), last.Programme.Name, last.Unit.Name))},
		nil,
		xlsxHeadingRow(st, append([]string{h[0], "Đơn vị tính"}, h[1:]...)...),
	}
	for _, ind := range p.Indicators {
		row := []any{xlsxCell(st.wrap, ind.Metric.Name), xlsxCell(st.wrap, ind.Metric.Unit), nil}
		if ind.HasTarget {
			row[2] = xlsxCell(st.integer, ind.Target)
		}
		for _, v := range ind.ByYear {
			row = append(row, xlsxCell(st.integer, v))
		}
		row = append(row, xlsxCell(st.integer, ind.Cumulative), nil)
		if ind.HasTarget {
			row[len(row)-1] = st.percentCell(ind.CompletionPercent)
		}
		rows = append(rows, row)
	}
	if len(p.Measures) > 0 {
		rows = append(rows, nil)
		for _, m := range p.Measures {
			row := []any{xlsxCell(st.wrap, m.Metric.Name), xlsxCell(st.wrap, m.Metric.Unit), nil}
			for _, v := range m.ByYear {
				row = append(row, xlsxCell(st.integer, v))
			}
			rows = append(rows, append(row, xlsxCell(st.integer, m.Cumulative)))
		}
	}
	for i, row := range rows {
		if row == nil {
			continue
		}
		rowWidths := widths
		if i == 0 {
			var total float64
			for _, wd := range widths {
				total += wd
			}
			rowWidths = []float64{total}
			if err := sw.MergeCell(xlsxRef(1, 1), xlsxRef(len(widths), 1)); err != nil {
				return err
			}
		}
		if err := st.setRow(sw, rowWidths, i+1, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
