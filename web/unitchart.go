package web

import (
	"errors"
	"fmt"
	"html/template"

	"nscl/chart"
	"nscl/report"
)

// unitChart is one indicator's breakdown by unit on the dashboard: the
// chart and, for screen readers, the rows it draws as a table.
type unitChart struct {
	Title string // the indicator and its unit of measure
	Code  string
	Rows  []chart.UnitValue
	SVG   template.HTML
}

// unitChartWidth is the breakdown's width in pixels; CSS scales it to the
// page, down to a phone's width.
const unitChartWidth = 360

// unitCharts draws, for each indicator some unit has a figure of, its
// breakdown by unit: the units with the largest figures and the others
// summed. The table beside it on the page lists every unit.
func (s *Server) unitCharts(lang string, rep *report.Report, rows []report.UnitRow) ([]unitChart, error) {
	var out []unitChart
	for i, ind := range rep.Indicators {
		c := report.UnitsChart(rep, rows, i)
		c.OthersLabel = translate(lang, "chart.other_units")
		c.ValueLabel, c.PendingLabel = translate(lang, "chart.approved"), translate(lang, "chart.not_approved")
		svg, err := s.charts.svg(c, unitChartWidth, 0, func() ([]byte, error) {
			return c.SVG(unitChartWidth, c.SuggestedHeight(unitChartWidth))
		})
		if errors.Is(err, chart.ErrNoUnits) {
			continue // no unit has a figure of it this year
		}
		if err != nil {
			return nil, fmt.Errorf("unit breakdown of %s: %w", ind.Metric.Code, err)
		}
		out = append(out, unitChart{Title: c.Title, Code: ind.Metric.Code, Rows: c.Rows(), SVG: svg})
	}
	return out, nil
}
