package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"

	"nscl"
	"nscl/chart"
	"nscl/report"
	"nscl/store"
	"nscl/vnfmt"
)

type dashboardData struct {
	Report *report.Report
	Years  []int
	Units  []nscl.OrgUnit // every unit, for the names of the rows
	// UnitChoices are the units the selector lists, when they are few;
	// nil when the unit is typed or searched instead.
	UnitChoices []nscl.OrgUnit
	Bars        []indicatorBar
	// Completion: the completion chart the report page shows, drawn by the
	// chart package (empty when no indicator has a target).
	Completion template.HTML
	Chart      []yearSeries
	ByUnit     []unitRow
	UnitCharts []unitChart // ByUnit drawn, an indicator a chart
	// Reach: the indicators counted in enterprises, with what the
	// activities' beneficiary lists say of them.
	Reach []nscl.IndicatorResult
	// Boundaries, AsOf: the page's ?boundaries= and ?as_of=, for its switch.
	Boundaries, AsOf string
}

// indicatorBar is a row of the results table.
type indicatorBar struct {
	Result nscl.IndicatorResult
}

// yearSeries is one indicator's result for each year of the plan, against
// the annual target of that year where one is set: the chart and, for
// screen readers, its values as a table.
type yearSeries struct {
	Metric nscl.Metric
	Points []chart.Year
	SVG    template.HTML
}

type unitRow struct {
	Unit    nscl.OrgUnit // a unit directly under the dashboard's, or the unit itself (Own)
	Own     bool         // the dashboard unit's own work
	Link    string       // the unit's own dashboard, for a unit under it
	Values  []int64      // approved, per indicator, in programme order
	Pending []int64      // not yet approved, likewise
	Total   int64
}

// Sizes of the dashboard's charts in pixels; CSS scales them to the page.
const (
	yearlyWidth, yearlyHeight = 360, 250
	completionWidth           = 720
)

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if err != nil {
		return err
	}
	year, err := s.chosenYear(r, prog)
	if err != nil {
		return err
	}
	unit, err := s.unitCodeTyped(r, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	if unit == "" && u.Role == nscl.RoleReporter {
		// A reporting unit opens on its own figures, against the plan above it.
		own, err := s.Store.UnitByID(ctx, u.UnitID)
		if err != nil {
			return err
		}
		unit = own.Code
	}
	// The dashboard shows results: what approved submissions cover, with
	// what is entered but not yet approved beside them.
	rep, err := report.Build(ctx, s.Store, report.Request{Programme: prog.Code, Unit: unit, Year: year, ApprovedOnly: true, Boundaries: boundariesOf(r)})
	if err != nil {
		return err
	}
	d := dashboardData{Report: rep, Boundaries: r.URL.Query().Get("boundaries"), AsOf: dayShown(r.URL.Query().Get("as_of"))}
	if d.Years, err = s.plannedYears(r, prog); err != nil {
		return err
	}
	if d.Units, err = s.Store.Units(ctx); err != nil {
		return err
	}
	d.UnitChoices = unitChoices(slices.DeleteFunc(slices.Clone(d.Units), func(u nscl.OrgUnit) bool { return u.Level == nscl.LevelMinistry }))
	for _, ind := range rep.Indicators {
		if ind.Metric.CountsEnterprises() {
			d.Reach = append(d.Reach, ind)
		}
		d.Bars = append(d.Bars, indicatorBar{Result: ind})
	}
	lang := language(r)
	if d.Completion, err = completionChart(lang, rep); err != nil {
		return err
	}
	if d.Chart, err = s.yearlySeries(r, prog, rep); err != nil {
		return err
	}
	for i := range d.Chart {
		if d.Chart[i].SVG, err = yearlyChart(lang, d.Chart[i]); err != nil {
			return err
		}
	}
	if d.ByUnit, err = s.unitBreakdown(r, prog, rep, d.Units); err != nil {
		return err
	}
	if d.UnitCharts, err = unitCharts(lang, rep, d.ByUnit); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard.html", view{Title: translate(language(r), "nav.dashboard"), Nav: "dashboard", Data: d})
	return nil
}

// plannedYears are the years some multi-year plan covers: the years a
// results table can be drawn for.
func (s *Server) plannedYears(r *http.Request, prog *nscl.Programme) ([]int, error) {
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return nil, err
	}
	var years []int
	for y := prog.StartYear; y <= prog.EndYear; y++ {
		for _, p := range plans {
			if p.Kind == nscl.FiveYearPlan && p.StartYear <= y && y <= p.EndYear {
				years = append(years, y)
				break
			}
		}
	}
	return years, nil
}

// chosenYear is the year asked for or, by default, one a results table
// can be drawn for (defaultYear).
func (s *Server) chosenYear(r *http.Request, prog *nscl.Programme) (int, error) {
	if raw := r.URL.Query().Get("year"); raw != "" {
		y, err := strconv.Atoi(raw)
		if err != nil {
			return 0, nscl.Invalid("year", "năm %q không hợp lệ", "year %q is not valid", raw)
		}
		return y, nil
	}
	planned, err := s.plannedYears(r, prog)
	if err != nil {
		return 0, err
	}
	latest, err := s.Store.LatestActivityYear(r.Context(), prog)
	if err != nil {
		return 0, err
	}
	return defaultYear(planned, latest, s.today().Year(), prog.StartYear), nil
}

// defaultYear is the latest year with activities (up to this year) when
// a multi-year plan covers it; failing that, the latest planned year up to
// this year, or the first planned year; with no plan at all, the
// programme's first year.
func defaultYear(planned []int, latestActivity, thisYear, programmeStart int) int {
	if y := min(latestActivity, thisYear); slices.Contains(planned, y) {
		return y
	}
	best := 0
	for _, y := range planned {
		if y <= thisYear {
			best = y
		}
	}
	switch {
	case best != 0:
		return best
	case len(planned) > 0:
		return planned[0]
	}
	return programmeStart
}

func (s *Server) yearlySeries(r *http.Request, prog *nscl.Programme, rep *report.Report) ([]yearSeries, error) {
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return nil, err
	}
	chain, err := s.Store.UnitChain(r.Context(), rep.Unit.ID)
	if err != nil {
		return nil, err
	}
	// Each year's bar counts the former units' work, so its annual
	// target is summed with theirs, as the report's own year's is.
	merger, merged, err := report.MergerTargetsOf(r.Context(), s.Store, plans, rep.Former)
	if err != nil {
		return nil, err
	}
	series := make([]yearSeries, len(rep.Indicators))
	for i, ind := range rep.Indicators {
		series[i].Metric = ind.Metric
	}
	for y := rep.Plan.StartYear; y <= rep.Plan.EndYear; y++ {
		figs, err := s.Store.FiguresWith(r.Context(), prog, rep.Unit.ID, y, y, store.FigureOptions{ApprovedOnly: true, SkipReach: true, Boundaries: rep.Boundaries, Units: rep.Counted.UnitIDs})
		if err != nil {
			return nil, err
		}
		annual, hasAnnual := nscl.PlanFor(plans, chain, nscl.AnnualPlan, y)
		if hasAnnual && merged {
			annual, _ = merger.Sum(annual, rep.Unit.ID, y)
		}
		for i := range series {
			f := figs[series[i].Metric.Code]
			p := chart.Year{Year: y, Value: f.YearValue, Pending: max(f.PendingYear, 0)}
			if hasAnnual {
				p.Target, p.HasTarget = annual.TargetFor(rep.Unit.ID, series[i].Metric.Code)
			}
			series[i].Points = append(series[i].Points, p)
		}
	}
	return series, nil
}

// completionChart is the report page's completion chart, in the page's
// language, to be written inside the page; empty when no indicator has a
// target.
func completionChart(lang string, rep *report.Report) (template.HTML, error) {
	c := report.CompletionChart(rep)
	if len(c.Bars) == 0 {
		return "", nil
	}
	// The page's caption names the chart: it is not drawn again in it.
	c.Name = translate(lang, "chart.completion_title")
	c.AheadLabel, c.BehindLabel = translate(lang, "chart.ahead"), translate(lang, "chart.behind")
	c.TargetLabel = translate(lang, "chart.period_target")
	c.ElapsedLabel = translate(lang, "chart.elapsed") + ": " + vnfmt.Percent(c.ElapsedPercent)
	svg, err := c.InlineSVG(completionWidth, c.SuggestedHeight(completionWidth))
	if err != nil {
		return "", fmt.Errorf("completion chart: %w", err)
	}
	// The chart package escapes every text it writes.
	return template.HTML(svg), nil
}

// yearlyChart draws one indicator's years against its annual targets.
func yearlyChart(lang string, s yearSeries) (template.HTML, error) {
	c := chart.Yearly{Title: s.Metric.Name + " (" + s.Metric.Unit + ")", Years: s.Points,
		ValueLabel: translate(lang, "chart.approved"), PendingLabel: translate(lang, "chart.not_approved"),
		TargetLabel: translate(lang, "chart.annual_target")}
	svg, err := c.SVG(yearlyWidth, yearlyHeight)
	if err != nil {
		return "", fmt.Errorf("yearly chart of %s: %w", s.Metric.Code, err)
	}
	// The chart package escapes every text it writes.
	return template.HTML(svg), nil
}

// unitBreakdown is the results of the units directly under the
// dashboard's unit, each with everything its subtree (and the units closed
// into it) did, linked to its own dashboard, and the unit's own work as a
// row of its own: the Ministry's dashboard lists its provinces, however
// many units lie below them.
func (s *Server) unitBreakdown(r *http.Request, prog *nscl.Programme, rep *report.Report, units []nscl.OrgUnit) ([]unitRow, error) {
	totals, err := s.Store.UnitYearTotals(r.Context(), prog, rep.Counted.UnitIDs, rep.Year)
	if err != nil {
		return nil, err
	}
	under, err := s.Store.CountedByChild(r.Context(), rep.Unit.ID, rep.Boundaries, rep.Counted)
	if err != nil {
		return nil, err
	}
	byID := map[int64]nscl.OrgUnit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	rowOf := map[int64]*unitRow{}
	for id, values := range totals {
		child := under[id]
		row := rowOf[child]
		if row == nil {
			row = &unitRow{Unit: byID[child], Own: child == rep.Unit.ID, Values: make([]int64, len(rep.Indicators)), Pending: make([]int64, len(rep.Indicators))}
			if !row.Own {
				links := url.Values{"unit": {row.Unit.Code}, "year": {strconv.Itoa(rep.Year)}}
				boundaryLinks(r, links)
				row.Link = "/?" + links.Encode()
			}
			rowOf[child] = row
		}
		for i, ind := range rep.Indicators {
			v := values[ind.Metric.Code]
			row.Values[i] += v.Approved
			row.Pending[i] += v.Pending
			row.Total += v.Approved + v.Pending
		}
	}
	rows := make([]unitRow, 0, len(rowOf))
	for _, row := range rowOf {
		rows = append(rows, *row)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Total != rows[j].Total {
			return rows[i].Total > rows[j].Total
		}
		return rows[i].Unit.Name < rows[j].Unit.Name
	})
	return rows, nil
}
