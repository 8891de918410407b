package report

import (
	"context"
	"fmt"
	"slices"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// Checks looks for what a reader would catch before the report is issued,
// each problem one sentence in Vietnamese: a placeholder that cannot be
// filled in; a marked blank left; a written part copied unchanged from
// last year; a year other than the report's in the subject or the request;
// a figure typed in prose that the data do not hold, or a "không có"
// sentence about something the data count; next year's targets or a
// group's figures left out of their part; an indicator whose figure for
// the year differs from the sum of its activities, or whose cumulative is
// not last year's plus this year's; an indicator without a target, for
// the plan period or for the year; and how much of each indicator no
// approved submission covers yet.
func Checks(ctx context.Context, st *store.Store, in WordInput) ([]string, error) {
	r := in.Report
	_, c := compose(in)
	out := append(slices.Clip(c.problems), c.blanks...)
	listed := map[string]int64{} // every activity's, cited or not: the check is of the data, not of one reader's copy
	for _, g := range in.ByGroup {
		for code, v := range g.Sums {
			listed[code] += v
		}
	}
	var previous map[string]nscl.Figures
	if r.Year > r.Plan.StartYear {
		var err error
		basis := store.FigureOptions{ApprovedOnly: r.ApprovedOnly, SkipReach: true, Boundaries: r.Boundaries, Units: r.Counted.UnitIDs}
		if previous, err = st.FiguresWith(ctx, r.Programme, r.Unit.ID, r.Plan.StartYear, r.Year-1, basis); err != nil {
			return nil, err
		}
	}
	out = append(out, textChecks(in, previous)...)
	for _, ind := range r.Indicators {
		m := ind.Metric
		// The report page reads each group's first activities only; the
		// command line and nscl check compare them all.
		if m.Rule == nscl.RuleSum && r.CitedPerGroup == 0 && listed[m.Code] != ind.YearValue {
			out = append(out, fmt.Sprintf("%s: kết quả năm %d là %s nhưng các hoạt động trong chú thích cộng lại %s.",
				m.Name, r.Year, vnfmt.Int(ind.YearValue), vnfmt.Int(listed[m.Code])))
		}
		if m.Rule == nscl.RuleSum && previous != nil && previous[m.Code].Cumulative+ind.YearValue != ind.Cumulative {
			out = append(out, fmt.Sprintf("%s: lũy kế %s khác lũy kế năm %d (%s) cộng kết quả năm %d (%s).",
				m.Name, vnfmt.Int(ind.Cumulative), r.Year-1, vnfmt.Int(previous[m.Code].Cumulative), r.Year, vnfmt.Int(ind.YearValue)))
		}
		switch {
		case ind.Status == nscl.StatusNoOwnTarget:
			out = append(out, fmt.Sprintf("%s: %s không giao chỉ tiêu cho %s; bảng kết quả không đánh giá tiến độ%s.", m.Name, r.Plan.Name, r.Unit.Name, withShare(ind)))
		case !ind.HasTarget:
			out = append(out, fmt.Sprintf("%s: %s không đặt chỉ tiêu.", m.Name, r.Plan.Name))
		}
		if pending := PendingText(r, m, ind.PendingYear, ind.PendingCumulative); pending != "" {
			out = append(out, fmt.Sprintf("%s: %s.", m.Name, pending))
		}
		switch {
		case r.YearPlan == nil || ind.HasAnnualTarget:
		case r.YearPlan.UnitID != r.Unit.ID:
			out = append(out, fmt.Sprintf("%s: %s không giao chỉ tiêu năm cho %s.", m.Name, r.YearPlan.Name, r.Unit.Name))
		default:
			out = append(out, fmt.Sprintf("%s: %s không đặt chỉ tiêu năm.", m.Name, r.YearPlan.Name))
		}
	}
	if r.YearPlan == nil {
		out = append(out, fmt.Sprintf("Chưa có kế hoạch năm %d: bảng kết quả không so sánh được với chỉ tiêu năm.", r.Year))
	}
	return out, nil
}

// withShare is the unit's share of its parent's results in brackets, to
// end a sentence with, or "".
func withShare(ind nscl.IndicatorResult) string {
	if share := ShareText(ind); share != "" {
		return " (" + share + ")"
	}
	return ""
}
