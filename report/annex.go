package report

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"

	"nscl/chart"
	"nscl/docx"
)

// AnnexPart is a part of the annex after the signature: its heading and
// the charts under it.
type AnnexPart struct {
	Heading string
	Figures []Figure
}

// Figure is a chart of the annex: its caption, which the annex numbers
// ("Biểu đồ 1. …"), and its picture.
type Figure struct {
	Caption string
	PNG     []byte
}

// The texts of the annex's charts, as the dashboard's charts say them in
// Vietnamese (web/i18n_charts.go, web/i18n_unitchart.go).
const (
	labelApproved    = "Kết quả đã duyệt"
	labelNotApproved = "Chưa duyệt"
	labelResult      = "Kết quả" // approved or not, when the report counts both
	labelTarget      = "Chỉ tiêu năm"
	labelOtherUnits  = "Các đơn vị khác"
)

// Sizes of the annex's pictures in pixels. The completion chart is drawn at
// twice what the eye needs on screen, so that it prints sharp. The chart
// package sets the text of a yearly or unit chart for a width of at most
// 1.600 px (four times the 400 px it lays them out for): drawn 2.400 px
// wide and printed across the text's 165 mm, their text reads at about
// 10 pt, the size of a table's.
const (
	chartWidth        = 1600
	annexChartWidth   = 2400
	annexYearlyHeight = 800
)

// annexParts draws the annex of a year's report: the completion of each
// target against the time elapsed; each indicator's years up to the
// report's against its annual targets; and, when units under the report's
// have figures of the year, each indicator's figures unit by unit. A part
// with nothing to draw is left out; nil when none has.
func annexParts(in WordInput) ([]AnnexPart, error) {
	r := in.Report
	var parts []AnnexPart
	completion, err := completionPart(r)
	if err != nil {
		return nil, err
	}
	parts = append(parts, completion...)
	yearly := AnnexPart{Heading: "Kết quả từng năm so với chỉ tiêu năm"}
	for _, s := range in.Yearly {
		if !s.drawn() {
			continue
		}
		c := s.Chart()
		c.ValueLabel, c.PendingLabel, c.TargetLabel = labelApproved, labelNotApproved, labelTarget
		if !r.ApprovedOnly {
			c.Years = countedTogether(c.Years)
			c.ValueLabel = labelResult
		}
		pic, err := c.PNG(annexChartWidth, annexYearlyHeight)
		if err != nil {
			return nil, fmt.Errorf("yearly chart of %s: %w", s.Metric.Code, err)
		}
		yearly.Figures = append(yearly.Figures, Figure{Caption: c.Title, PNG: pic})
	}
	byUnit := AnnexPart{Heading: fmt.Sprintf("Kết quả theo đơn vị năm %d", r.Year)}
	for i := range r.Indicators {
		if !belowHasFigure(r, in.ByUnit, i) {
			continue
		}
		c := UnitsChart(r, in.ByUnit, i)
		c.OthersLabel, c.ValueLabel, c.PendingLabel = labelOtherUnits, labelApproved, labelNotApproved
		if !r.ApprovedOnly {
			for j := range c.Units {
				c.Units[j].Value, c.Units[j].Pending = c.Units[j].Value+c.Units[j].Pending, 0
			}
			c.ValueLabel = labelResult
		}
		pic, err := c.PNG(annexChartWidth, c.SuggestedHeight(annexChartWidth))
		if err != nil {
			return nil, fmt.Errorf("unit breakdown of %s: %w", r.Indicators[i].Metric.Code, err)
		}
		byUnit.Figures = append(byUnit.Figures, Figure{Caption: c.Title, PNG: pic})
	}
	for _, p := range []AnnexPart{yearly, byUnit} {
		if len(p.Figures) > 0 {
			parts = append(parts, p)
		}
	}
	return parts, nil
}

// completionPart is the annex's part with the completion chart of a
// report's plan to its year; none when no indicator has a target.
func completionPart(r *Report) ([]AnnexPart, error) {
	c := CompletionChart(r)
	pic, err := c.PNG(chartWidth, c.SuggestedHeight(chartWidth))
	if errors.Is(err, chart.ErrNoBars) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []AnnexPart{{Heading: fmt.Sprintf("Tỷ lệ hoàn thành chỉ tiêu đến hết năm %d", r.Year),
		Figures: []Figure{{Caption: fmt.Sprintf("Tỷ lệ hoàn thành chỉ tiêu của %s so với thời gian đã qua của kế hoạch", r.Plan.Name), PNG: pic}}}}, nil
}

// drawn says whether a yearly chart has something to show: a year with a
// figure or an annual target.
func (s YearSeries) drawn() bool {
	for _, p := range s.Points {
		if p.Value != 0 || p.Pending != 0 || p.HasTarget {
			return true
		}
	}
	return false
}

// countedTogether is a yearly chart's years as a report that counts every
// figure, approved or not, counts them: one value a year.
func countedTogether(years []chart.Year) []chart.Year {
	out := make([]chart.Year, len(years))
	for i, y := range years {
		y.Value, y.Pending = y.Value+y.Pending, 0
		out[i] = y
	}
	return out
}

// belowHasFigure says whether a unit other than the report's own has a
// figure of its indicator i in rows: a breakdown of the report's unit
// alone says no more than the results table.
func belowHasFigure(r *Report, rows []UnitRow, i int) bool {
	for _, row := range rows {
		if row.Unit.ID != r.Unit.ID && (row.Values[i] != 0 || row.Pending[i] != 0) {
			return true
		}
	}
	return false
}

// annex lays the annex out after the signature, on pages of its own: under
// "PHỤ LỤC", each part's heading and its charts, numbered across the
// annex, each caption kept on the page of its chart and the chart as wide
// as the text. Nil when there is no chart.
func annex(parts []AnnexPart) []docx.Block {
	var out []docx.Block
	n := 0
	for _, part := range parts {
		if len(part.Figures) == 0 {
			continue
		}
		if out == nil {
			out = append(out, docx.Paragraph{Align: "center", PageBreakBefore: true, SpaceAfter: 6, Runs: []docx.Run{{Text: "PHỤ LỤC", Bold: true}}})
		}
		out = append(out, docx.Paragraph{Align: "left", SpaceBefore: 12, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: part.Heading, Bold: true}}})
		for _, f := range part.Figures {
			n++
			caption := fmt.Sprintf("Biểu đồ %d. %s", n, f.Caption)
			out = append(out,
				docx.Paragraph{Align: "center", SpaceBefore: 6, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: caption, Italic: true}}},
				docx.Paragraph{Align: "center", SpaceAfter: 6, Runs: []docx.Run{{Image: &docx.Image{PNG: f.PNG, Width: textWidth, Height: heightAt(f.PNG, textWidth), Alt: caption}}}})
		}
	}
	return out
}

// heightAt is the height in mm of a picture shown width mm wide.
func heightAt(pic []byte, width float64) float64 {
	if cfg, err := png.DecodeConfig(bytes.NewReader(pic)); err == nil && cfg.Width > 0 {
		return width * float64(cfg.Height) / float64(cfg.Width)
	}
	return width / 2
}
