package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"nscl"
	"nscl/report"
	"nscl/store"
	"nscl/vnfmt"
)

type dashboardData struct {
	Report *report.Report
	Years  []int
	// UnitChoices are the units the selector may name: every unit below
	// the Ministry (template "unit-field" lists them when they are few).
	UnitChoices []nscl.OrgUnit
	Bars        []indicatorBar
	// Completion: the completion chart the report page shows, drawn by the
	// chart package (empty when no indicator has a target).
	Completion template.HTML
	Chart      []yearSeries
	// ByUnit: the rows of the table by unit, drawn by byUnitRows.
	ByUnit     template.HTML
	UnitCharts []unitChart // the breakdown by unit drawn, an indicator a chart
	// Reach: the indicators counted in enterprises, with what the
	// activities' beneficiary lists say of them.
	Reach []nscl.IndicatorResult
	// Boundaries, AsOf: the page's ?boundaries= and ?as_of=, for its switch.
	Boundaries, AsOf string
	Portal           portalPanel // what the portal counted, beside what units typed
}

// indicatorBar is a row of the results table.
type indicatorBar struct {
	Result nscl.IndicatorResult
}

// yearSeries is one indicator's yearly chart and, for screen readers, its
// values as a table.
type yearSeries struct {
	report.YearSeries
	SVG template.HTML
}

// Sizes of the dashboard's charts in pixels. A page shows a chart at the
// size it is drawn at, never stretched (app.css), so that its text reads at
// about the page's size; on a narrower screen it shrinks to fit. The
// completion chart, which would shrink to half on a phone, is drawn a second
// time for one.
const (
	yearlyWidth, yearlyHeight = 360, 280
	completionWidth           = 720
	completionPhoneWidth      = 360
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
	q := r.URL.Query()
	unit, err := s.unitCodeTyped(r, q.Get("unit"))
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
	ask := dashboardAsk{prog: prog, year: year, unit: unit, lang: language(r), boundaries: url.Values{}}
	for _, key := range []string{"boundaries", "as_of"} {
		if v := q.Get(key); v != "" {
			ask.boundaries.Set(key, v)
		}
	}
	// A reader may share a build that holds every write made through
	// their session or token in this process: under many readers and
	// writers it waits for none, or one, and may miss only writes of the
	// last moments made through other sessions and tokens or another
	// process (operations.md, "How fresh the dashboard is").
	running := shareRunning{commits: s.Store.Commits, since: s.Store.LastCommitOf(store.ClientOf(ctx))}
	page, err := shareBuild(ctx, &s.shared, ask.key(), running, func(ctx context.Context) (dashboardPage, error) {
		return s.buildDashboard(ctx, ask)
	})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "dashboard.html", view{Title: translate(ask.lang, "nav.dashboard"), Nav: "dashboard", Data: page.data, Content: page.content})
	return nil
}

// dashboardAsk is all a dashboard's content depends on: the requests that
// ask the same share its build (sharedBuilds). Who asks is not in it; the
// page's frame, drawn for each request, names the reader.
type dashboardAsk struct {
	prog       *nscl.Programme
	year       int
	unit       string // the unit's code; "" for the plan's own unit
	lang       string
	boundaries url.Values // ?boundaries= and ?as_of=, when given
}

func (a dashboardAsk) key() string {
	return strings.Join([]string{"dashboard", a.prog.Code, strconv.Itoa(a.year), a.unit, a.lang, a.boundaries.Encode()}, "\x00")
}

// dashboardPage is a built dashboard: its figures and its content drawn.
type dashboardPage struct {
	data    dashboardData
	content template.HTML
}

func (s *Server) buildDashboard(ctx context.Context, ask dashboardAsk) (dashboardPage, error) {
	// The dashboard shows results: what approved submissions cover, with
	// what is entered but not yet approved beside them.
	rep, err := report.Build(ctx, s.Store, report.Request{Programme: ask.prog.Code, Unit: ask.unit, Year: ask.year, ApprovedOnly: true, Boundaries: boundariesOf(ask.boundaries)})
	if err != nil {
		return dashboardPage{}, err
	}
	d := dashboardData{Report: rep, Boundaries: ask.boundaries.Get("boundaries"), AsOf: dayShown(ask.boundaries.Get("as_of"))}
	d.Years = plannedYearsOf(ask.prog, rep.Plans)
	// A small tree's units are listed in the selector; a larger one's is
	// searched, and not read here.
	few, err := s.Store.UnitsUpTo(ctx, selectUnitsUpTo+1)
	if err != nil {
		return dashboardPage{}, err
	}
	if len(few) <= selectUnitsUpTo {
		d.UnitChoices = slices.DeleteFunc(few, func(u nscl.OrgUnit) bool { return u.Level == nscl.LevelMinistry })
	}
	for _, ind := range rep.Indicators {
		if ind.Metric.CountsEnterprises() {
			d.Reach = append(d.Reach, ind)
		}
		d.Bars = append(d.Bars, indicatorBar{Result: ind})
	}
	if d.Completion, err = s.completionChart(ask.lang, rep); err != nil {
		return dashboardPage{}, err
	}
	if d.Chart, err = s.yearlyCharts(ctx, ask.lang, rep); err != nil {
		return dashboardPage{}, err
	}
	byUnit, err := report.UnitBreakdown(ctx, s.Store, rep)
	if err != nil {
		return dashboardPage{}, err
	}
	d.ByUnit = byUnitRows(ask.lang, ask.boundaries, rep.Year, byUnit)
	if d.UnitCharts, err = s.unitCharts(ask.lang, rep, byUnit); err != nil {
		return dashboardPage{}, err
	}
	if d.Portal, err = s.portalPanelOf(ctx, rep); err != nil {
		return dashboardPage{}, err
	}
	content, err := s.drawContent("dashboard.html", view{Lang: ask.lang, Data: d})
	if dashboardBuilt != nil {
		dashboardBuilt()
	}
	return dashboardPage{data: d, content: content}, err
}

// dashboardBuilt, when a test sets it, is called as each dashboard build
// has read and drawn what it shows.
var dashboardBuilt func()

// plannedYears are the years some multi-year plan covers: the years a
// results table can be drawn for.
func (s *Server) plannedYears(r *http.Request, prog *nscl.Programme) ([]int, error) {
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return nil, err
	}
	return plannedYearsOf(prog, plans), nil
}

// plannedYearsOf is plannedYears of the plans given.
func plannedYearsOf(prog *nscl.Programme, plans []nscl.Plan) []int {
	var years []int
	for y := prog.StartYear; y <= prog.EndYear; y++ {
		for _, p := range plans {
			if p.Kind == nscl.FiveYearPlan && p.StartYear <= y && y <= p.EndYear {
				years = append(years, y)
				break
			}
		}
	}
	return years
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

// yearlyCharts draws each indicator's years of the plan against its
// annual targets (report.YearlySeries), in the page's language.
func (s *Server) yearlyCharts(ctx context.Context, lang string, rep *report.Report) ([]yearSeries, error) {
	series, err := report.YearlySeries(ctx, s.Store, rep, rep.Plan.EndYear)
	if err != nil {
		return nil, err
	}
	return s.drawYearly(lang, series)
}

// drawYearly draws yearly series in the language given.
func (s *Server) drawYearly(lang string, series []report.YearSeries) ([]yearSeries, error) {
	out := make([]yearSeries, len(series))
	for i, ys := range series {
		out[i].YearSeries = ys
		var err error
		if out[i].SVG, err = s.yearlyChart(lang, ys); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// completionChart is the report page's completion chart, in the page's
// language, to be written inside the page; empty when no indicator has a
// target.
func (s *Server) completionChart(lang string, rep *report.Report) (template.HTML, error) {
	c := report.CompletionChart(rep)
	if len(c.Bars) == 0 {
		return "", nil
	}
	// The page's caption names the chart: it is not drawn again in it.
	c.Name = translate(lang, "chart.completion_title")
	c.AheadLabel, c.BehindLabel = translate(lang, "chart.ahead"), translate(lang, "chart.behind")
	c.TargetLabel = translate(lang, "chart.period_target")
	c.ElapsedLabel = translate(lang, "chart.elapsed") + ": " + vnfmt.Percent(c.ElapsedPercent)
	// Wide and for a phone; app.css shows the one that fits the screen.
	var out strings.Builder
	for _, v := range []struct {
		class string
		width int
	}{{"chart-wide", completionWidth}, {"chart-narrow", completionPhoneWidth}} {
		svg, err := s.charts.svg(c, v.width, 0, func() ([]byte, error) {
			return c.InlineSVG(v.width, c.SuggestedHeight(v.width))
		})
		if err != nil {
			return "", fmt.Errorf("completion chart, %d px: %w", v.width, err)
		}
		fmt.Fprintf(&out, `<div class="%s">%s</div>`, v.class, svg)
	}
	// The chart package escapes every text it writes.
	return template.HTML(out.String()), nil
}

// yearlyChart draws one indicator's years against its annual targets.
func (s *Server) yearlyChart(lang string, ys report.YearSeries) (template.HTML, error) {
	c := ys.Chart()
	c.ValueLabel, c.PendingLabel = translate(lang, "chart.approved"), translate(lang, "chart.not_approved")
	c.TargetLabel = translate(lang, "chart.annual_target")
	svg, err := s.charts.svg(c, yearlyWidth, yearlyHeight, func() ([]byte, error) { return c.SVG(yearlyWidth, yearlyHeight) })
	if err != nil {
		return "", fmt.Errorf("yearly chart of %s: %w", ys.Metric.Code, err)
	}
	return svg, nil
}

// byUnitRows draws the rows of the dashboard's table by unit, each unit's
// name linked to its own dashboard (its own work's row unlinked) and each
// figure with what is not yet approved beside it. They are written here,
// not by the template: the nation's table has 340 figures, and the
// template's calls for each, by reflection, took 1,2 ms of the
// dashboard's 7.
func byUnitRows(lang string, boundaries url.Values, year int, rows []report.UnitRow) template.HTML {
	notApproved := html.EscapeString(translate(lang, "dash.not_approved"))
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(`<tr data-unit="`)
		b.WriteString(html.EscapeString(row.Unit.Code))
		b.WriteString(`"`)
		name := html.EscapeString(row.Unit.Name)
		if row.Own {
			b.WriteString(` class="own-work"><td>` + name + ` (` + html.EscapeString(translate(lang, "pages.own_work")) + `)</td>`)
		} else {
			links := url.Values{"unit": {row.Unit.Code}, "year": {strconv.Itoa(year)}}
			boundaryLinks(boundaries, links)
			b.WriteString(`><td><a href="` + html.EscapeString("/?"+links.Encode()) + `">` + name + `</a></td>`)
		}
		for i, v := range row.Values {
			b.WriteString(`<td class="num">` + vnfmt.Int(v))
			if p := row.Pending[i]; p != 0 {
				b.WriteString(` <span class="pending" title="` + notApproved + `">(+` + vnfmt.Int(p) + `)</span>`)
			}
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	return template.HTML(b.String())
}
