package report

import (
	"context"
	"fmt"
	"strings"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// Checks looks for what a reader would catch before the report is issued:
// an indicator whose figure for the year differs from the sum of the
// activities its footnote lists, a cumulative that is not last year's
// cumulative plus this year, and an indicator without a target. Each
// problem is one sentence in Vietnamese. A placeholder of the written parts
// that cannot be filled in is a problem too.
func Checks(ctx context.Context, st *store.Store, in WordInput) ([]string, error) {
	r := in.Report
	_, out := Compose(in) // placeholders of the written parts that could not be filled in
	listed := map[string]int64{}
	for _, acts := range in.ByGroup {
		for _, a := range acts {
			for _, q := range a.Quantities {
				listed[q.Metric] += q.Value
			}
		}
	}
	var previous map[string]nscl.Figures
	if r.Year > r.Plan.StartYear {
		var err error
		if previous, err = st.FiguresOnly(ctx, r.Programme, r.Unit.ID, r.Plan.StartYear, r.Year-1); err != nil {
			return nil, err
		}
	}
	for _, ind := range r.Indicators {
		m := ind.Metric
		if m.Rule == nscl.RuleSum && listed[m.Code] != ind.YearValue {
			out = append(out, fmt.Sprintf("%s: kết quả năm %d là %s nhưng các hoạt động trong chú thích cộng lại %s.",
				m.Name, r.Year, vnfmt.Int(ind.YearValue), vnfmt.Int(listed[m.Code])))
		}
		if m.Rule == nscl.RuleSum && previous != nil && previous[m.Code].Cumulative+ind.YearValue != ind.Cumulative {
			out = append(out, fmt.Sprintf("%s: lũy kế %s khác lũy kế năm %d (%s) cộng kết quả năm %d (%s).",
				m.Name, vnfmt.Int(ind.Cumulative), r.Year-1, vnfmt.Int(previous[m.Code].Cumulative), r.Year, vnfmt.Int(ind.YearValue)))
		}
		if !ind.HasTarget {
			out = append(out, fmt.Sprintf("%s: %s không đặt chỉ tiêu.", m.Name, r.Plan.Name))
		}
	}
	return append(out, textChecks(in)...), nil
}

// textChecks finds written parts that no longer say what the data say:
// next year's targets left out of section III.1, and a task group whose
// written point takes nothing from the data (no placeholder at all)
// although activities were reported.
func textChecks(in WordInput) []string {
	var out []string
	r := in.Report
	if len(nextYearLines(r)) > 0 && !strings.Contains(in.text("directions"), "{chỉ tiêu năm sau}") {
		out = append(out, fmt.Sprintf("%s: chỉ tiêu của kế hoạch năm %d không được nêu (thiếu {chỉ tiêu năm sau}).", PartLabel("directions"), r.Year+1))
	}
	for _, g := range r.Programme.TaskGroups {
		acts := in.ByGroup[g.Letter]
		if len(acts) > 0 && !placeholder.MatchString(in.text(nscl.GroupPart(g.Letter))) {
			out = append(out, fmt.Sprintf("%s: có %d hoạt động trong năm %d nhưng nội dung không dẫn số liệu nào (ví dụ {kết quả}{chú thích}).", PartLabel(nscl.GroupPart(g.Letter)), len(acts), r.Year))
		}
	}
	return out
}
