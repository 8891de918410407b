package report

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"nscl"
	"nscl/chart"
	"nscl/store"
)

// YearSeries is one indicator's result for each year of the plan, against
// the annual target of that year where one is set: what the dashboard, the
// report page and the Word report's annex draw as a yearly chart.
type YearSeries struct {
	Metric nscl.Metric
	// Points: Value is what approved submissions cover, Pending what is
	// entered but not yet approved, whatever the report counts.
	Points []chart.Year
}

// Chart is the series as a yearly chart, titled with the indicator and
// its unit of measure; the caller sets the legend's texts.
func (s YearSeries) Chart() chart.Yearly {
	return chart.Yearly{Title: metricTitle(s.Metric), Years: s.Points}
}

// YearlySeries gathers each indicator of the report year by year, from
// the plan's first year to through: the dashboard draws the whole plan,
// the document the years up to its own. Each year counts the report's
// units within its boundaries; when they take in former units, each
// year's annual target is summed with theirs, as the report's own year's is.
func YearlySeries(ctx context.Context, st *store.Store, r *Report, through int) ([]YearSeries, error) {
	merger, merged, err := MergerTargetsOf(ctx, st, r.Plans, r.Former)
	if err != nil {
		return nil, err
	}
	series := make([]YearSeries, len(r.Indicators))
	for i, ind := range r.Indicators {
		series[i].Metric = ind.Metric
	}
	years, err := st.YearFigures(ctx, r.Programme, r.Unit.ID, r.Plan.StartYear, through, store.FigureOptions{ApprovedOnly: true, SkipReach: true, Boundaries: r.Boundaries, Units: r.Counted.UnitIDs})
	if err != nil {
		return nil, err
	}
	for y := r.Plan.StartYear; y <= through; y++ {
		figs := years[y]
		annual, hasAnnual := nscl.PlanFor(r.Plans, r.Chain, nscl.AnnualPlan, y)
		if hasAnnual && merged {
			annual, _ = merger.Sum(annual, r.Unit.ID, y)
		}
		for i := range series {
			f := figs[series[i].Metric.Code]
			p := chart.Year{Year: y, Value: f.YearValue, Pending: max(f.PendingYear, 0)}
			if hasAnnual {
				p.Target, p.HasTarget = annual.TargetFor(r.Unit.ID, series[i].Metric.Code)
			}
			series[i].Points = append(series[i].Points, p)
		}
	}
	return series, nil
}

// UnitRow is the figures of the report's year of one unit directly under
// the report's, with everything its subtree (and the units closed into it)
// did, or of the report unit's own work (Own).
type UnitRow struct {
	Unit    nscl.OrgUnit
	Own     bool    // the report unit's own work
	Values  []int64 // approved, per indicator
	Pending []int64 // not yet approved
	Total   int64
}

// UnitBreakdown is the report's year by the units directly under the
// report's, and its own work as a row of its own: the Ministry's lists its
// provinces, however many units lie below them. Only rows with a figure of
// some metric, the largest total first (by name among equals). A child's
// row is read from the totals kept at the child, not summed from its
// units; the rows' units are read by ID, not the whole tree.
func UnitBreakdown(ctx context.Context, st *store.Store, r *Report) ([]UnitRow, error) {
	groups, err := st.UnitsByChild(ctx, r.Unit.ID, r.Boundaries, r.Counted)
	if err != nil {
		return nil, err
	}
	totals, err := st.GroupYearTotals(ctx, r.Programme, groups, r.Year)
	if err != nil {
		return nil, err
	}
	named, err := st.UnitsByID(ctx, slices.Collect(maps.Keys(totals)))
	if err != nil {
		return nil, err
	}
	byID := map[int64]nscl.OrgUnit{}
	for _, u := range named {
		byID[u.ID] = u
	}
	rows := []UnitRow{}
	for child, values := range totals {
		row := UnitRow{Unit: byID[child], Own: child == r.Unit.ID, Values: make([]int64, len(r.Indicators)), Pending: make([]int64, len(r.Indicators))}
		for i, ind := range r.Indicators {
			v := values[ind.Metric.Code]
			row.Values[i], row.Pending[i] = v.Approved, v.Pending
			row.Total += v.Approved + v.Pending
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Total != rows[j].Total {
			return rows[i].Total > rows[j].Total
		}
		return rows[i].Unit.Name < rows[j].Unit.Name
	})
	return rows, nil
}

// UnitsChart is the breakdown of the report's indicator i by unit, titled
// with the indicator; the caller sets the chart's texts.
func UnitsChart(r *Report, rows []UnitRow, i int) chart.Units {
	c := chart.Units{Title: metricTitle(r.Indicators[i].Metric)}
	for _, row := range rows {
		c.Units = append(c.Units, chart.UnitValue{Name: ChartName(row.Unit), Value: row.Values[i], Pending: row.Pending[i]})
	}
	return c
}

// metricTitle names an indicator with its unit of measure, as a chart's
// title: "Huấn luyện bồi dưỡng kiến thức cho chuyên gia (lượt chuyên gia)".
func metricTitle(m nscl.Metric) string { return m.Name + " (" + m.Unit + ")" }

// ChartName is a unit's name as a chart's label: its short name, or its
// name without the committee's prefix ("Phường Bến Thành" for "Ủy ban
// nhân dân phường Bến Thành"), which would fill the label's two lines.
func ChartName(u nscl.OrgUnit) string {
	if u.ShortName != "" {
		return u.ShortName
	}
	rest, ok := strings.CutPrefix(u.Name, "Ủy ban nhân dân ")
	if !ok || rest == "" {
		return u.Name
	}
	first, size := utf8.DecodeRuneInString(rest)
	return string(unicode.ToUpper(first)) + rest[size:]
}
