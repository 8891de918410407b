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
	if len(nextYearTargets(r)) > 0 && !strings.Contains(in.text("directions"), "{chỉ tiêu năm sau}") {
		out = append(out, fmt.Sprintf("%s: chỉ tiêu của kế hoạch năm %d không được nêu (thiếu {chỉ tiêu năm sau}).", PartLabel("directions"), r.Year+1))
	}
	for _, g := range r.Programme.TaskGroups {
		acts := in.ByGroup[g.Letter]
		if len(acts) > 0 && !placeholder.MatchString(in.text(nscl.GroupPart(g.Letter))) {
			out = append(out, fmt.Sprintf("%s: có %s hoạt động trong năm %d nhưng nội dung không dẫn số liệu nào (ví dụ {kết quả}{chú thích}).", PartLabel(nscl.GroupPart(g.Letter)), vnfmt.Int(int64(len(acts))), r.Year))
		}
	}
	out = append(out, otherYears(r, "subject", in.Head.Subject, true, r.Year)...)
	out = append(out, otherYears(r, "request", in.Head.RequestCitation, true, r.Year, r.Year+1)...)
	lastYear := sentencesOf(in.Previous)
	figures := newFigureCheck(in)
	for _, key := range slices.Sorted(maps.Keys(in.Narrative)) {
		text := strings.TrimSpace(in.Narrative[key])
		if text == "" || nscl.IsReportSetting(key) || key == "subject" || key == "request" {
			continue
		}
		out = append(out, copiedSentences(key, text, lastYear, r.Year)...)
		out = append(out, zeroPlaceholders(r, key, text)...)
		out = append(out, otherYears(r, key, text, false, r.Year-1, r.Year, r.Year+1)...)
		out = append(out, figures.check(key, text)...)
	}
	return out
}

// sentenceEnd splits prose into sentences, roughly: a placeholder holds no stop.
var sentenceEnd = regexp.MustCompile(`[.;\n]`)

// ownSentences are a text's sentences that name no placeholder and are
// long enough to be a statement of their own: a sentence with a
// placeholder says each year's figure, and a short one ("Đánh giá hiệu
// quả.") may well stand every year.
func ownSentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= 40 && !placeholder.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// sentencesOf gathers the own sentences of a year's parts.
func sentencesOf(texts map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, t := range texts {
		for _, s := range ownSentences(t) {
			out[s] = true
		}
	}
	return out
}

// copiedSentences finds sentences of a part that last year's texts hold
// word for word: text carried over rather than written for the year.
func copiedSentences(key, text string, lastYear map[string]bool, year int) []string {
	var copied []string
	for _, s := range ownSentences(text) {
		if lastYear[s] {
			copied = append(copied, s)
		}
	}
	if len(copied) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: %s câu giống hệt nội dung năm %d (ví dụ “%s”); hãy viết lại cho năm %d.",
		PartLabel(key), vnfmt.Int(int64(len(copied))), year-1, crop(copied[0], 80), year)}
}

// crop shortens a quotation to about n letters.
func crop(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// zeroPlaceholders finds a figure a written part names that is 0 for the
// year: a sentence written for a year that had it ("hội thảo đã đón tiếp
// {số đại biểu} đại biểu") reads "0 đại biểu" in a year that did not.
func zeroPlaceholders(r *Report, key, text string) []string {
	var out []string
	names := MetricPlaceholders(r.Programme)
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if m[1] == "" {
			continue
		}
		code, cumulative, ok := metricCode(r.Programme, m[1])
		if !ok {
			continue
		}
		year, total, _ := metricValues(r, code)
		switch {
		case cumulative && total == 0:
			out = append(out, fmt.Sprintf("%s: {%s lũy kế} là 0 đến hết năm %d; câu nêu số liệu này còn đúng không?", PartLabel(key), names[code], r.Year))
		case !cumulative && year == 0:
			out = append(out, fmt.Sprintf("%s: {%s} là 0 trong năm %d; câu nêu số liệu này còn đúng không?", PartLabel(key), names[code], r.Year))
		}
	}
	return out
}

// Years as prose writes them. A period ("2021 – 2025", "từ năm 2019 đến
// năm 2025") and a document's symbol ("35/2021/TT-BTC") name no year of
// their own; a date ("ngày 08 tháng 12 năm 2022", "08/12/2022") does.
var (
	yearPattern  = regexp.MustCompile(`(?:19|20)\d{2}`)
	periodYears  = regexp.MustCompile(`(?i)(?:19|20)\d{2}\s*[-–—]\s*(?:(?:19|20)\d{2}|\{[^{}]*\})|từ năm (?:19|20)\d{2} đến năm (?:19|20)\d{2}`)
	datedYears   = regexp.MustCompile(`(?i)tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d{2}|\d{1,2}/\d{1,2}/(?:19|20)\d{2}`)
	symbolYears  = regexp.MustCompile(`\d+/(?:19|20)\d{2}/`)
	claimedYears = regexp.MustCompile(`(?i)năm\s+((?:19|20)\d{2})`)
)

// otherYears finds years in a part other than those it may name. In the
// subject and the request (whole), every year counts, dates included; in
// the body, only "năm 2019" outside a date. The programme's and the plan's
// names, which hold their periods, are not read.
func otherYears(r *Report, key, text string, whole bool, allowed ...int) []string {
	text = strings.ReplaceAll(text, r.Programme.Name, "")
	text = strings.ReplaceAll(text, r.Plan.Name, "")
	text = periodYears.ReplaceAllString(text, "")
	text = symbolYears.ReplaceAllString(text, "")
	var years []string
	if whole {
		years = yearPattern.FindAllString(text, -1)
	} else {
		for _, m := range claimedYears.FindAllStringSubmatch(datedYears.ReplaceAllString(text, ""), -1) {
			years = append(years, m[1])
		}
	}
	var out []string
	seen := map[int]bool{}
	for _, ys := range years {
		y, _ := strconv.Atoi(ys)
		if !slices.Contains(allowed, y) && !seen[y] {
			seen[y] = true
			out = append(out, fmt.Sprintf("%s: nêu năm %d trong báo cáo năm %d.", PartLabel(key), y, r.Year))
		}
	}
	return out
}

// typedNumber is a number as prose writes it: "16.192", "3 500" or "05".
const typedNumber = `(\d{1,3}(?:[. ]\d{3})+|\d+)`

// figureCheck finds figures typed in a written part, a number before an
// indicator's or measure's unit ("977 lượt doanh nghiệp"), that the year's
// data do not hold, and a sentence saying there was none ("không có",
// "chưa có") of something the year counts. It is made once for a report.
type figureCheck struct {
	r      *Report
	units  []string            // the metrics' units, longest first
	byUnit map[string][]string // unit → codes of the metrics counted in it
	figure *regexp.Regexp      // a number before a unit
	known  map[string]map[int64]bool
}

// futureParts speak of what is to come: their figures are aims, not data.
var futureParts = []string{"directions", "solutions", "proposals"}

func newFigureCheck(in WordInput) *figureCheck {
	c := &figureCheck{r: in.Report, byUnit: map[string][]string{}, known: map[string]map[int64]bool{}}
	for _, m := range c.r.Programme.Metrics {
		if m.Unit != "" {
			u := strings.ToLower(m.Unit)
			c.byUnit[u] = append(c.byUnit[u], m.Code)
		}
	}
	c.units = slices.Collect(maps.Keys(c.byUnit))
	// Longest first, so that "lượt doanh nghiệp" is not read as "doanh nghiệp".
	slices.SortFunc(c.units, func(a, b string) int { return len(b) - len(a) })
	var quoted []string
	for _, u := range c.units {
		quoted = append(quoted, regexp.QuoteMeta(u))
	}
	if len(quoted) == 0 {
		return c
	}
	c.figure = regexp.MustCompile(`(?i)` + typedNumber + `\s+(` + strings.Join(quoted, "|") + `)`)
	c.learn(in)
	return c
}

// learn notes the figures the year's data hold, under the metric's unit
// and under the shorter units it ends in, as prose writes "963 doanh
// nghiệp" for 963 "lượt doanh nghiệp": each metric's result, cumulative
// and targets (and the yearly pace still needed, which the warnings
// print), and each activity's quantities and the numbers its description
// gives before a unit.
func (c *figureCheck) learn(in WordInput) {
	add := func(unit string, n int64) {
		for _, u := range c.units {
			if u == unit || strings.HasSuffix(unit, " "+u) {
				if c.known[u] == nil {
					c.known[u] = map[int64]bool{}
				}
				c.known[u][n] = true
			}
		}
	}
	unitOf := func(code string) string {
		m, _ := c.r.Programme.Metric(code)
		return strings.ToLower(m.Unit)
	}
	for _, ind := range c.r.Indicators {
		for _, n := range []int64{ind.YearValue, ind.Cumulative, ind.Target, ind.AnnualTarget, ind.NextYearTarget, ind.RequiredPace} {
			add(unitOf(ind.Metric.Code), n)
		}
	}
	for _, m := range c.r.Measures {
		add(unitOf(m.Metric.Code), m.YearValue)
		add(unitOf(m.Metric.Code), m.Cumulative)
	}
	for _, acts := range in.ByGroup {
		for _, a := range acts {
			for _, q := range a.Quantities {
				add(unitOf(q.Metric), q.Value)
			}
			for _, m := range c.figure.FindAllStringSubmatch(strings.ToLower(a.Description), -1) {
				add(m[2], parseTyped(m[1]))
			}
		}
	}
}

// parseTyped reads a number as prose writes it.
func parseTyped(s string) int64 {
	n, _ := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(s), 10, 64)
	return n
}

func (c *figureCheck) check(key, text string) []string {
	if c.figure == nil || slices.Contains(futureParts, key) {
		return nil
	}
	r := c.r
	names := MetricPlaceholders(r.Programme)
	var out []string
	prose := strings.ToLower(placeholder.ReplaceAllString(text, " "))
	for _, m := range c.figure.FindAllStringSubmatchIndex(prose, -1) {
		unit := prose[m[4]:m[5]]
		if !wordEnds(prose, m[5]) || c.known[unit][parseTyped(prose[m[2]:m[3]])] {
			continue
		}
		code := c.byUnit[unit][0]
		year, _, _ := metricValues(r, code)
		out = append(out, fmt.Sprintf("%s: “%s” được gõ thành số và khác số liệu năm %d (%s %s); hãy dùng {%s}.",
			PartLabel(key), prose[m[0]:m[1]], r.Year, vnfmt.Int(year), unit, names[code]))
	}
	for _, written := range sentenceEnd.Split(text, -1) {
		sentence := strings.ToLower(placeholder.ReplaceAllString(written, " "))
		for _, none := range []string{"không có", "chưa có"} {
			i := strings.Index(sentence, none)
			if i < 0 {
				continue
			}
			// What follows "không có" within its clause is what there was none of.
			after := sentence[i:]
			if len(after) > 120 {
				after = after[:120]
			}
			for _, unit := range c.units {
				j := strings.Index(after, unit)
				if j < 0 || !wordEnds(after, j+len(unit)) {
					continue
				}
				for _, code := range c.byUnit[unit] {
					if year, _, _ := metricValues(r, code); year > 0 {
						out = append(out, fmt.Sprintf("%s: câu “%s” nói không có %s, nhưng số liệu năm %d là %s %s.",
							PartLabel(key), strings.TrimSpace(written), unit, r.Year, vnfmt.Int(year), unit))
					}
				}
				break
			}
		}
	}
	return out
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
