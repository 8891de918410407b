package nscl

import (
	"math"
	"strconv"
	"strings"

	"nscl/vnfmt"
)

// Status says how an indicator stands against its multi-year target, given
// how much of the plan period has passed.
type Status string

const (
	StatusExceeded   Status = "exceeded"    // cumulative has reached the target
	StatusOnTrack    Status = "on_track"    // completion keeps up with the time elapsed
	StatusBehind     Status = "behind"      // completion lags the time elapsed
	StatusNotStarted Status = "not_started" // nothing achieved yet
	StatusNoTarget   Status = "no_target"   // the plan sets no target to measure against
	// StatusNoOwnTarget: the unit lies under the plan's unit and the plan
	// allots it no target; its results are shown as a share of its
	// parent's, with no pace and no judgement.
	StatusNoOwnTarget Status = "no_own_target"
)

// Measured says whether the status measures results against a target:
// only then is there a completion bar, a pace and a judgement.
func (s Status) Measured() bool { return s != StatusNoTarget && s != StatusNoOwnTarget }

// KeepsPace says whether completion keeps up with the time elapsed: the
// one rule that colours a completion bar, so that a bar and its status
// word never disagree.
func (s Status) KeepsPace() bool { return s == StatusExceeded || s == StatusOnTrack }

// Figures are what the store counts for one indicator at one node of the
// org tree: the value for the year and the value accumulated over the plan
// period up to and including that year (for distinct and last-value rules,
// the cumulative is not the sum of the years, so the store counts both).
type Figures struct {
	YearValue  int64
	Cumulative int64
	// For the distinct rule, the summed quantities (visits, "lượt") shown
	// beside the distinct counts above.
	YearVisits       int64
	CumulativeVisits int64
	// For indicators counted in enterprises, what the activities'
	// beneficiary lists say: distinct enterprises and visits, for the year
	// and over the plan period so far.
	YearReach, CumulativeReach EnterpriseCounts
	// What no approved submission covers yet adds to the figures: all the
	// figures less the approved ones (for the sum rule, the pending
	// activities' own sum), for the year and over the plan period so far.
	PendingYear, PendingCumulative int64
}

// IndicatorResult is one row of the results table with what follows from it.
type IndicatorResult struct {
	Metric            Metric
	Target            int64 // the multi-year plan's target
	HasTarget         bool
	YearValue         int64
	Cumulative        int64
	YearVisits        int64 // distinct rule: the summed quantities beside the distinct counts
	CumulativeVisits  int64
	YearReach         EnterpriseCounts // indicators counted in enterprises: what beneficiary lists say
	CumulativeReach   EnterpriseCounts
	PendingYear       int64 // not yet approved (Figures.PendingYear)
	PendingCumulative int64
	CompletionPercent float64 // cumulative ÷ target × 100, rounded to two decimals
	ElapsedPercent    float64 // share of the plan period passed by the end of the year
	Status            Status
	RequiredPace      int64 // per remaining year, rounded up, to reach the target by the plan's end
	NextYearTarget    int64 // from the annual plan for the next year
	HasNextYearTarget bool
	// The year's own annual plan: its target for this indicator and the
	// year's value against it.
	AnnualTarget    int64
	HasAnnualTarget bool
	AnnualPercent   float64 // YearValue ÷ AnnualTarget × 100, two decimals
	// For StatusNoOwnTarget, once Results.ShareOf has been given the
	// parent's figures: the parent, its results and this unit's share of
	// them, in percent with two decimals.
	Parent                       *OrgUnit
	ParentYear, ParentCumulative int64
	YearShare, CumulativeShare   float64
	Warnings                     []Warning
	// ProgrammeCumulative is the result from the programme's first year to
	// this year, whatever the plan: set by Results.SinceProgramme when the
	// plan starts after the programme, so that the cumulative restarts with
	// the plan while the programme's total is shown beside it.
	ProgrammeCumulative int64
}

// Warning is something a reader of the results should look at before the
// report goes out.
type Warning struct {
	Code    string
	Message string // Vietnamese
	English string
}

// Warning codes.
const (
	WarnNoTarget           = "no_target"
	WarnNoNextYearTarget   = "no_next_year_target"
	WarnNextYearBelowPace  = "next_year_target_below_pace"
	WarnPlanPeriodFinished = "plan_period_finished"
)

// Evaluate computes one indicator's row of the results table of a unit
// for year, against the target the multi-year plan sets for the unit (its
// own, or what it allots to the unit) and, when there is one, the annual
// plan for the year after.
func Evaluate(m Metric, unitID int64, year int, fig Figures, plan *Plan, nextYear *Plan) IndicatorResult {
	r := IndicatorResult{Metric: m, YearValue: fig.YearValue, Cumulative: fig.Cumulative, YearVisits: fig.YearVisits, CumulativeVisits: fig.CumulativeVisits,
		YearReach: fig.YearReach, CumulativeReach: fig.CumulativeReach, PendingYear: fig.PendingYear, PendingCumulative: fig.PendingCumulative}
	r.ElapsedPercent = ElapsedPercent(plan.StartYear, plan.EndYear, year)
	r.Target, r.HasTarget = plan.TargetFor(unitID, m.Code)
	if (!r.HasTarget || r.Target == 0) && unitID != plan.UnitID {
		// The parent's target measures the parent: no pace, no judgement.
		r.Status = StatusNoOwnTarget
		return r
	}
	if !r.HasTarget || r.Target == 0 {
		r.Status = StatusNoTarget
		r.Warnings = append(r.Warnings, Warning{WarnNoTarget,
			plan.Name + " không đặt chỉ tiêu cho nội dung này",
			"the multi-year plan sets no target for this indicator"})
		return r
	}
	r.CompletionPercent = CompletionPercent(r.Cumulative, r.Target)
	r.Status = statusOf(r.Cumulative >= r.Target, r.CompletionPercent, r.ElapsedPercent, r.Cumulative)
	yearsLeft := plan.EndYear - year
	r.RequiredPace = RequiredPace(r.Target, r.Cumulative, yearsLeft)
	if yearsLeft <= 0 {
		if r.Status != StatusExceeded {
			r.Warnings = append(r.Warnings, Warning{WarnPlanPeriodFinished,
				"Giai đoạn kế hoạch đã kết thúc mà chưa đạt chỉ tiêu.",
				"The plan period is over and the target was not reached."})
		}
		return r
	}
	if nextYear != nil {
		r.NextYearTarget, r.HasNextYearTarget = nextYear.TargetFor(unitID, m.Code)
	}
	next := strconv.Itoa(year + 1)
	pace := vnfmt.Int(r.RequiredPace) + " " + m.Unit
	switch {
	case nextYear == nil && r.RequiredPace > 0:
		r.Warnings = append(r.Warnings, Warning{WarnNoNextYearTarget,
			"Chưa có kế hoạch năm " + next + " nên chưa có chỉ tiêu năm " + next + "; mỗi năm còn cần " + pace + ".",
			"There is no " + next + " annual plan, so no " + next + " target; " + strconv.FormatInt(r.RequiredPace, 10) + " a year are still needed."})
	case !r.HasNextYearTarget && r.RequiredPace > 0:
		r.Warnings = append(r.Warnings, Warning{WarnNoNextYearTarget,
			"Kế hoạch năm " + next + " không đặt chỉ tiêu cho nội dung này, trong khi mỗi năm còn cần " + pace + ".",
			"The " + next + " annual plan sets no target for this indicator, while " + strconv.FormatInt(r.RequiredPace, 10) + " a year are still needed."})
	case r.HasNextYearTarget && r.NextYearTarget < r.RequiredPace:
		r.Warnings = append(r.Warnings, Warning{WarnNextYearBelowPace,
			"Chỉ tiêu năm " + next + " (" + vnfmt.Int(r.NextYearTarget) + ") thấp hơn mức cần đạt mỗi năm (" + vnfmt.Int(r.RequiredPace) + ").",
			"The " + next + " target (" + strconv.FormatInt(r.NextYearTarget, 10) + ") is below the yearly pace needed (" + strconv.FormatInt(r.RequiredPace, 10) + ")."})
	}
	return r
}

// CompletionPercent is cumulative ÷ target × 100, rounded to two decimals
// as the report prints it (993 of 10.000 → 9,93 %).
func CompletionPercent(cumulative, target int64) float64 {
	if target <= 0 {
		return 0
	}
	return math.Round(float64(cumulative)*100*100/float64(target)) / 100
}

// ElapsedPercent is the share of a plan period passed by the end of year:
// at the end of 2022 in 2021–2025, 2 of 5 years, 40 %.
func ElapsedPercent(startYear, endYear, year int) float64 {
	total := endYear - startYear + 1
	done := min(max(year-startYear+1, 0), total)
	return float64(done) * 100 / float64(total)
}

// RequiredPace is what must be achieved in each remaining year to reach the
// target, rounded up because the quantities count whole things.
func RequiredPace(target, cumulative int64, yearsLeft int) int64 {
	remaining := target - cumulative
	if remaining <= 0 {
		return 0
	}
	if yearsLeft <= 0 {
		return remaining
	}
	return (remaining + int64(yearsLeft) - 1) / int64(yearsLeft)
}

// statusOf decides "exceeded" on the counts themselves: 19.999 of 20.000
// rounds to 100 % but has not reached the target.
func statusOf(reached bool, completion, elapsed float64, cumulative int64) Status {
	switch {
	case reached:
		return StatusExceeded
	case cumulative == 0:
		return StatusNotStarted
	case completion >= elapsed:
		return StatusOnTrack
	default:
		return StatusBehind
	}
}

// Results is the results table of a year for one node of the org tree, with
// the measures reported beside it, the year's own annual targets and the
// next year's.
type Results struct {
	Year       int
	Unit       OrgUnit
	Plan       Plan  // the multi-year plan measured against
	YearPlan   *Plan // the annual plan for Year, nil when none is on file
	NextPlan   *Plan // the annual plan for Year+1, nil when none is on file
	Indicators []IndicatorResult
	Measures   []MeasureResult
	// ProgrammeStart is the first year of the indicators'
	// ProgrammeCumulative, 0 when they carry none (SinceProgramme).
	ProgrammeStart int
}

// SinceProgramme gives each indicator its result from the programme's
// first year, start, to the year, from figures the store counted over those
// years. Only a plan that starts after the programme needs it: the first
// plan's cumulative is already the programme's.
func (r *Results) SinceProgramme(start int, figures map[string]Figures) {
	r.ProgrammeStart = start
	for i := range r.Indicators {
		r.Indicators[i].ProgrammeCumulative = figures[r.Indicators[i].Metric.Code].Cumulative
	}
}

// ShowsProgrammeTotal says whether the results carry the programme's
// cumulative beside the plan's: when the plan starts after the programme.
func (r *Results) ShowsProgrammeTotal() bool {
	return r.ProgrammeStart != 0 && r.ProgrammeStart < r.Plan.StartYear
}

// HasAnnualTargets says whether the year's annual plan sets a target for
// some indicator: only then does the results table compare the year with it.
func (r *Results) HasAnnualTargets() bool {
	for _, ind := range r.Indicators {
		if ind.HasAnnualTarget {
			return true
		}
	}
	return false
}

// MeasureResult is a measure's total for the year and over the plan period.
type MeasureResult struct {
	Metric                         Metric
	YearValue                      int64
	Cumulative                     int64
	PendingYear, PendingCumulative int64 // not yet approved (Figures.PendingYear)
}

// ComputeResults builds the results of year for unit from the figures the
// store counted, keyed by metric code. Metrics missing from figures count
// zero; those not begun by year (Metric.FirstYear) are left out.
func ComputeResults(prog *Programme, unit OrgUnit, year int, plan Plan, yearPlan, nextPlan *Plan, figures map[string]Figures) Results {
	r := Results{Year: year, Unit: unit, Plan: plan, YearPlan: yearPlan, NextPlan: nextPlan}
	for _, m := range prog.IndicatorsIn(year) {
		ind := Evaluate(m, unit.ID, year, figures[m.Code], &plan, nextPlan)
		if yearPlan != nil {
			ind.AnnualTarget, ind.HasAnnualTarget = yearPlan.TargetFor(unit.ID, m.Code)
			ind.AnnualPercent = CompletionPercent(ind.YearValue, ind.AnnualTarget)
		}
		r.Indicators = append(r.Indicators, ind)
	}
	for _, m := range prog.MeasuresIn(year) {
		f := figures[m.Code]
		r.Measures = append(r.Measures, MeasureResult{Metric: m, YearValue: f.YearValue, Cumulative: f.Cumulative, PendingYear: f.PendingYear, PendingCumulative: f.PendingCumulative})
	}
	return r
}

// NeedsParent says whether some indicator has no target of the unit's
// own, so that its share of the parent's results is what the table shows.
func (r *Results) NeedsParent() bool {
	for _, ind := range r.Indicators {
		if ind.Status == StatusNoOwnTarget {
			return true
		}
	}
	return false
}

// ShareOf sets, for each indicator without a target of the unit's own,
// the parent's results and the unit's share of them.
func (r *Results) ShareOf(parent OrgUnit, figures map[string]Figures) {
	for i := range r.Indicators {
		ind := &r.Indicators[i]
		if ind.Status != StatusNoOwnTarget {
			continue
		}
		f := figures[ind.Metric.Code]
		ind.Parent, ind.ParentYear, ind.ParentCumulative = &parent, f.YearValue, f.Cumulative
		ind.YearShare = CompletionPercent(ind.YearValue, f.YearValue)
		ind.CumulativeShare = CompletionPercent(ind.Cumulative, f.Cumulative)
	}
}

// PlanFor picks the plan of the given kind that covers year for a unit: the
// plan of the unit itself or, failing that, of its nearest ancestor.
// unitChain lists the unit's ID first, then its ancestors up to the root.
func PlanFor(plans []Plan, unitChain []int64, kind PlanKind, year int) (Plan, bool) {
	for _, unitID := range unitChain {
		for _, p := range plans {
			if p.UnitID == unitID && p.Kind == kind && p.StartYear <= year && year <= p.EndYear {
				return p, true
			}
		}
	}
	return Plan{}, false
}

// PlanOwner picks the unit a year's report is for when none is named: the
// unit that owns a multi-year plan covering year. When several do on one
// line of descent — the Ministry's national plan above the city's — it is
// the lowest of them: its plan is the one its work is measured against,
// and the plans above it frame that one. Owners on separate branches
// leave nothing to choose by: EINVALID names them. ENOTFOUND when no plan
// covers the year.
func PlanOwner(plans []Plan, units []OrgUnit, year int) (OrgUnit, error) {
	byID := make(map[int64]OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	var owners []OrgUnit
	seen := map[int64]bool{}
	for _, p := range plans {
		if p.Kind == FiveYearPlan && p.StartYear <= year && year <= p.EndYear && !seen[p.UnitID] {
			seen[p.UnitID] = true
			owners = append(owners, byID[p.UnitID])
		}
	}
	if len(owners) == 0 {
		return OrgUnit{}, NotFound("year", "chưa có kế hoạch 05 năm nào bao gồm năm %d", "no multi-year plan covers %d", year)
	}
	// underAll: every other owner is an ancestor of u.
	underAll := func(u OrgUnit) bool {
		above := map[int64]bool{}
		for id, steps := u.ParentID, 0; id != 0 && steps < len(units); id, steps = byID[id].ParentID, steps+1 {
			above[id] = true
		}
		for _, o := range owners {
			if o.ID != u.ID && !above[o.ID] {
				return false
			}
		}
		return true
	}
	for _, u := range owners {
		if underAll(u) {
			return u, nil
		}
	}
	codes := make([]string, len(owners))
	for i, u := range owners {
		codes[i] = u.Code
	}
	list := strings.Join(codes, ", ")
	return OrgUnit{}, Invalid("unit", "có %d đơn vị có kế hoạch 05 năm cho năm %d (%s) trên các nhánh khác nhau; hãy chọn một đơn vị", "%d units on separate branches have a multi-year plan for %d (%s); name one", len(owners), year, list)
}
