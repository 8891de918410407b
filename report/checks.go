package report

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
// the plan period or for the year.
func Checks(ctx context.Context, st *store.Store, in WordInput) ([]string, error) {
	r := in.Report
	_, c := compose(in)
	out := append(slices.Clip(c.problems), c.blanks...)
	out = append(out, textChecks(in)...)
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
		if r.YearPlan != nil && !ind.HasAnnualTarget {
			out = append(out, fmt.Sprintf("%s: %s không đặt chỉ tiêu năm.", m.Name, r.YearPlan.Name))
		}
	}
	if r.YearPlan == nil {
		out = append(out, fmt.Sprintf("Chưa có kế hoạch năm %d: bảng kết quả không so sánh được với chỉ tiêu năm.", r.Year))
	}
	return out, nil
}

// textChecks finds written parts that do not say what the data say.
func textChecks(in WordInput) []string {
	var out []string
	r := in.Report
	if !strings.Contains(in.text("directions"), "{chỉ tiêu năm sau}") {
		if len(nextYearTargets(r)) > 0 {
			out = append(out, fmt.Sprintf("%s: chỉ tiêu của kế hoạch năm %d không được nêu (thiếu {chỉ tiêu năm sau}).", PartLabel("directions"), r.Year+1))
		} else {
			out = append(out, fmt.Sprintf("%s: không nêu chỉ tiêu năm %d, và chưa có kế hoạch năm %d nào đặt chỉ tiêu.", PartLabel("directions"), r.Year+1, r.Year+1))
		}
	}
	for _, g := range r.Programme.TaskGroups {
		acts := in.ByGroup[g.Letter]
		if len(acts) > 0 && !placeholder.MatchString(in.text(nscl.GroupPart(g.Letter))) {
			out = append(out, fmt.Sprintf("%s: có %d hoạt động trong năm %d nhưng nội dung không dẫn số liệu nào (ví dụ {kết quả}{chú thích}).", PartLabel(nscl.GroupPart(g.Letter)), len(acts), r.Year))
		}
	}
	out = append(out, otherYears(in)...)
	for _, key := range slices.Sorted(maps.Keys(in.Narrative)) {
		text := strings.TrimSpace(in.Narrative[key])
		if text == "" || nscl.IsReportSetting(key) {
			continue
		}
		// A text of placeholders alone ("{đánh giá}") says each year's own figures.
		if prev := strings.TrimSpace(in.Previous[key]); prev == text && strings.ContainsFunc(placeholder.ReplaceAllString(text, ""), unicode.IsLetter) {
			out = append(out, fmt.Sprintf("%s: giống hệt nội dung năm %d; hãy viết lại cho năm %d.", PartLabel(key), r.Year-1, r.Year))
		}
		out = append(out, typedFigures(in, key, text)...)
	}
	return out
}

// yearPattern finds a year standing alone: not part of a number or of a
// symbol such as "35/2021/TT-BTC".
var yearPattern = regexp.MustCompile(`(?:^|[^\d/])((?:19|20)\d{2})(?:$|[^\d/])`)

// otherYears finds a year other than the report's in the subject, and
// other than the report's or the next in the request (a request may be
// dated the year after). The programme's and the plan's names, which hold
// their periods, are not read.
func otherYears(in WordInput) []string {
	r := in.Report
	var out []string
	for _, c := range []struct {
		part, text string
		ok         []int
	}{{"subject", in.Head.Subject, []int{r.Year}}, {"request", in.Head.RequestCitation, []int{r.Year, r.Year + 1}}} {
		text := strings.ReplaceAll(c.text, r.Programme.Name, "")
		text = strings.ReplaceAll(text, r.Plan.Name, "")
		for _, m := range yearPattern.FindAllStringSubmatch(text, -1) {
			if y, _ := strconv.Atoi(m[1]); !slices.Contains(c.ok, y) {
				out = append(out, fmt.Sprintf("%s: nêu năm %d trong báo cáo năm %d.", PartLabel(c.part), y, r.Year))
			}
		}
	}
	return out
}

// typedNumber is a number as prose writes it, "16.192" or "05".
const typedNumber = `(\d{1,3}(?:\.\d{3})+|\d+)`

// typedFigures finds figures typed in a written part, a number before an
// indicator's or measure's unit ("977 lượt doanh nghiệp"), that the year's
// data do not hold: not the result, the cumulative or a target of a metric
// counted in that unit, nor a figure of one of the year's activities (its
// quantity, or a number its description gives before the same unit). And
// it finds a sentence saying there was none ("không có", "chưa có") of
// something the year counts.
func typedFigures(in WordInput, key, text string) []string {
	r := in.Report
	byUnit := map[string][]string{} // unit → codes of the metrics counted in it
	for _, m := range r.Programme.Metrics {
		if m.Unit != "" {
			u := strings.ToLower(m.Unit)
			byUnit[u] = append(byUnit[u], m.Code)
		}
	}
	if len(byUnit) == 0 {
		return nil
	}
	units := slices.Collect(maps.Keys(byUnit))
	// Longest first, so that "lượt doanh nghiệp" is not read as "doanh nghiệp".
	slices.SortFunc(units, func(a, b string) int { return len(b) - len(a) })
	var quoted []string
	for _, u := range units {
		quoted = append(quoted, regexp.QuoteMeta(u))
	}
	figure := regexp.MustCompile(`(?i)` + typedNumber + `\s+(` + strings.Join(quoted, "|") + `)`)
	known := knownFigures(in, figure, byUnit)
	names := MetricPlaceholders(r.Programme)

	prose := strings.ToLower(placeholder.ReplaceAllString(text, " "))
	var out []string
	for _, m := range figure.FindAllStringSubmatchIndex(prose, -1) {
		unit := prose[m[4]:m[5]]
		if !wordEnds(prose, m[5]) {
			continue
		}
		n, _ := strconv.ParseInt(strings.ReplaceAll(prose[m[2]:m[3]], ".", ""), 10, 64)
		if known[unit][n] {
			continue
		}
		code := byUnit[unit][0]
		year, _, _ := metricValues(r, code)
		out = append(out, fmt.Sprintf("%s: “%s” được gõ thành số và khác số liệu năm %d (%s %s); hãy dùng {%s}.",
			PartLabel(key), prose[m[0]:m[1]], r.Year, vnfmt.Int(year), unit, names[code]))
	}
	for _, written := range sentenceEnd.Split(text, -1) {
		sentence := strings.ToLower(placeholder.ReplaceAllString(written, " "))
		if !strings.Contains(sentence, "không có") && !strings.Contains(sentence, "chưa có") {
			continue
		}
		for _, unit := range units {
			i := strings.Index(sentence, unit)
			if i < 0 || !wordEnds(sentence, i+len(unit)) {
				continue
			}
			for _, code := range byUnit[unit] {
				if year, _, _ := metricValues(r, code); year > 0 {
					out = append(out, fmt.Sprintf("%s: câu “%s” nói không có %s, nhưng số liệu năm %d là %s %s.",
						PartLabel(key), strings.TrimSpace(written), unit, r.Year, vnfmt.Int(year), unit))
				}
			}
		}
	}
	return out
}

// sentenceEnd splits prose into sentences, roughly: a placeholder holds no stop.
var sentenceEnd = regexp.MustCompile(`[.;\n]`)

// knownFigures are the figures the year's data hold, by unit.
func knownFigures(in WordInput, figure *regexp.Regexp, byUnit map[string][]string) map[string]map[int64]bool {
	r := in.Report
	known := map[string]map[int64]bool{}
	add := func(unit string, n int64) {
		if known[unit] == nil {
			known[unit] = map[int64]bool{}
		}
		known[unit][n] = true
	}
	unitOf := map[string]string{}
	for unit, codes := range byUnit {
		for _, code := range codes {
			unitOf[code] = unit
		}
	}
	for _, ind := range r.Indicators {
		u := unitOf[ind.Metric.Code]
		for _, n := range []int64{ind.YearValue, ind.Cumulative, ind.Target, ind.AnnualTarget, ind.NextYearTarget, ind.RequiredPace} {
			add(u, n)
		}
	}
	for _, m := range r.Measures {
		add(unitOf[m.Metric.Code], m.YearValue)
		add(unitOf[m.Metric.Code], m.Cumulative)
	}
	for _, acts := range in.ByGroup {
		for _, a := range acts {
			for _, q := range a.Quantities {
				add(unitOf[q.Metric], q.Value)
			}
			desc := strings.ToLower(a.Description)
			for _, m := range figure.FindAllStringSubmatch(desc, -1) {
				n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ".", ""), 10, 64)
				add(m[2], n)
			}
		}
	}
	return known
}

// wordEnds says whether a word ends at byte i of s: the end of s, or no
// letter next.
func wordEnds(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(next)
}
