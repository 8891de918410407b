package report

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"nscl"
	"nscl/vnfmt"
)

// The checks of what people write in a report: that no part carries last
// year's sentences, names a figure the document's data do not hold, says
// there was none of what the data count, or speaks of another year.

// textCheck is what the checks of written parts compare with: the data of
// a year's report, or of a period's summary.
type textCheck struct {
	prog     *nscl.Programme
	plan     nscl.Plan
	scope    string // the document's time in the messages: "năm 2023", "giai đoạn 2021 – 2025"
	previous string // whose texts copied() compares with: "năm 2022"
	label    func(key string) string
	// value is what the document counts for a metric, for its year (the
	// period's, for a summary) or cumulative.
	value func(code string, cumulative bool) int64
	// years may be named in a part: in the body, in the parts on what is
	// to come (futureParts, from the first on), in the subject.
	bodyYears, futureFrom, subjectYears []int
	units                               []string            // the metrics' units, longest first
	byUnit                              map[string][]string // unit → codes of the metrics counted in it
	figure                              *regexp.Regexp      // a number before a unit
	known                               map[string]map[int64]bool
	// unread says some activities were not read (the report page reads
	// each group's first only): a figure typed in prose may be theirs, so
	// it is not called unknown.
	unread bool
}

// futureParts speak of what is to come: their figures are aims, not data,
// and their years are years ahead.
var futureParts = []string{"directions", "solutions", "proposals"}

func newTextCheck(prog *nscl.Programme, plan nscl.Plan, year int, scope string, label func(string) string, value func(string, bool) int64) *textCheck {
	c := &textCheck{prog: prog, plan: plan, scope: scope, label: label, value: value, byUnit: map[string][]string{}, known: map[string]map[int64]bool{}}
	for _, m := range prog.Metrics {
		// A metric not begun by the year has no figure to hold a text to.
		if m.Unit != "" && m.ActiveIn(year) {
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
	if len(quoted) > 0 {
		c.figure = regexp.MustCompile(`(?i)(?:^|[^\d.,])` + typedNumber + `\s+(` + strings.Join(quoted, "|") + `)`)
	}
	return c
}

// typedNumber is a number as prose writes it: "16.192", "3 500" or "05".
const typedNumber = `(\d{1,3}(?:[. ]\d{3})+|\d+)`

// parseTyped reads a number as prose writes it.
func parseTyped(s string) int64 {
	n, _ := strconv.ParseInt(strings.NewReplacer(".", "", " ", "").Replace(s), 10, 64)
	return n
}

// knowFigure notes a figure the data hold, under its metric's unit and the
// shorter units that unit ends in, as prose writes "963 doanh nghiệp" for
// 963 "lượt doanh nghiệp".
func (c *textCheck) knowFigure(unit string, n int64) {
	unit = strings.ToLower(unit)
	for _, u := range c.units {
		if u == unit || strings.HasSuffix(unit, " "+u) {
			if c.known[u] == nil {
				c.known[u] = map[int64]bool{}
			}
			c.known[u][n] = true
		}
	}
}

func (c *textCheck) unitOf(code string) string {
	m, _ := c.prog.Metric(code)
	return m.Unit
}

// knowReport notes a year's figures: each metric's result and cumulative,
// its targets, and the yearly pace still needed, which the warnings print.
func (c *textCheck) knowReport(r *Report) {
	for _, ind := range r.Indicators {
		for _, n := range []int64{ind.YearValue, ind.Cumulative, ind.Target, ind.AnnualTarget, ind.NextYearTarget, ind.RequiredPace} {
			c.knowFigure(ind.Metric.Unit, n)
		}
	}
	for _, m := range r.Measures {
		c.knowFigure(m.Metric.Unit, m.YearValue)
		c.knowFigure(m.Metric.Unit, m.Cumulative)
	}
}

// knowActivities notes each cited activity's quantities and the numbers
// its description gives before a unit ("với 10 doanh nghiệp hội viên").
func (c *textCheck) knowActivities(by map[string]GroupActivities) {
	for _, acts := range by {
		c.unread = c.unread || acts.More > 0
		for _, a := range acts.Cited {
			for _, q := range a.Quantities {
				c.knowFigure(c.unitOf(q.Metric), q.Value)
			}
			if c.figure == nil {
				continue
			}
			for _, m := range c.figure.FindAllStringSubmatch(strings.ToLower(a.Description), -1) {
				c.knowFigure(m[2], parseTyped(m[1]))
			}
		}
	}
}

// knowFigures notes figures counted elsewhere: last year's, which a report
// may set this year's against.
func (c *textCheck) knowFigures(figures map[string]nscl.Figures) {
	for code, f := range figures {
		c.knowFigure(c.unitOf(code), f.YearValue)
		c.knowFigure(c.unitOf(code), f.Cumulative)
	}
}

// part checks one written part.
func (c *textCheck) part(key, text string, lastYear map[string]bool) []string {
	var out []string
	future := slices.Contains(futureParts, key)
	switch {
	case key == "subject":
		out = append(out, c.otherYears(key, text, true, c.subjectYears)...)
	case future:
		out = append(out, c.otherYears(key, text, false, nil)...)
	default:
		out = append(out, c.otherYears(key, text, false, c.bodyYears)...)
	}
	out = append(out, c.copied(key, text, lastYear)...)
	out = append(out, c.zeros(key, text)...)
	if !future {
		out = append(out, c.typedFigures(key, text)...)
		out = append(out, c.noneOf(key, text)...)
	}
	return out
}

// sentenceEnd splits prose into sentences, roughly: a placeholder holds no stop.
var sentenceEnd = regexp.MustCompile(`[.;\n]`)

// ownSentences are a text's sentences that name no placeholder and are
// long enough to be a statement of their own: a sentence with a
// placeholder says each year's figure, a short one ("Đánh giá hiệu quả.")
// and a heading ("a) Về xây dựng kế hoạch triển khai thực hiện:") may well
// stand every year.
func ownSentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) >= 40 && !placeholder.MatchString(s) && !strings.HasSuffix(s, ":") {
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

// copied finds sentences of a part that last year's texts hold word for
// word: text carried over rather than written for the year.
func (c *textCheck) copied(key, text string, lastYear map[string]bool) []string {
	var copied []string
	for _, s := range ownSentences(text) {
		if lastYear[s] {
			copied = append(copied, s)
		}
	}
	if len(copied) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s: %s câu giống hệt nội dung %s (ví dụ “%s”); hãy viết lại cho %s.",
		c.label(key), vnfmt.Int(int64(len(copied))), c.previous, crop(copied[0], 80), c.scope)}
}

// crop shortens a quotation to about n letters.
func crop(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// zeros finds a figure a part names that is 0: a sentence written for a
// year that had it ("hội thảo đã đón tiếp {số đại biểu} đại biểu") reads
// "0 đại biểu" in a year that did not.
func (c *textCheck) zeros(key, text string) []string {
	var out []string
	names := MetricPlaceholders(c.prog)
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if m[1] == "" {
			continue
		}
		code, cumulative, ok := metricCode(c.prog, m[1])
		if !ok || c.value(code, cumulative) != 0 {
			continue
		}
		name := "{" + names[code] + "}"
		if cumulative {
			name = "{" + names[code] + " lũy kế}"
		}
		out = append(out, fmt.Sprintf("%s: %s là 0 trong %s; câu nêu số liệu này còn đúng không?", c.label(key), name, c.scope))
	}
	return out
}

// Years as prose writes them. A period ("2021 – 2025", "từ năm 2019 đến
// năm 2025"), an aim ("đến năm 2030"), a law's year ("Luật Tiêu chuẩn và
// Quy chuẩn kỹ thuật năm 2006") and a document's symbol ("35/2021/TT-BTC")
// name no year the report speaks of; a date ("ngày 08 tháng 12 năm 2022",
// "08/12/2022") is a citation in the body, but counts in the subject.
var (
	yearPattern  = regexp.MustCompile(`(?:19|20)\d{2}`)
	periodYears  = regexp.MustCompile(`(?i)(?:19|20)\d{2}\s*[-–—]\s*(?:(?:19|20)\d{2}|\{[^{}]*\})|từ năm (?:19|20)\d{2} đến năm (?:19|20)\d{2}|đến năm (?:19|20)\d{2}|luật [^.;\n]{0,100}?năm (?:19|20)\d{2}`)
	datedYears   = regexp.MustCompile(`(?i)tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d{2}|\d{1,2}/\d{1,2}/(?:19|20)\d{2}`)
	symbolYears  = regexp.MustCompile(`\d+/(?:19|20)\d{2}/`)
	claimedYears = regexp.MustCompile(`(?i)năm\s+((?:19|20)\d{2})`)
)

// otherYears finds years in a part other than those allowed; nil allowed
// means any year from futureFrom on. In a whole text (the subject, the
// request) every year counts, dates included; in the body, only "năm
// 2019" outside a date. The programme's and the plan's names, which hold
// their periods, are not read.
func (c *textCheck) otherYears(key, text string, whole bool, allowed []int) []string {
	text = strings.ReplaceAll(text, c.prog.Name, "")
	text = strings.ReplaceAll(text, c.plan.Name, "")
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
		ok := slices.Contains(allowed, y) || allowed == nil && len(c.futureFrom) > 0 && y >= c.futureFrom[0]
		if !ok && !seen[y] {
			seen[y] = true
			out = append(out, fmt.Sprintf("%s: nêu năm %d trong báo cáo %s.", c.label(key), y, c.scope))
		}
	}
	return out
}

// typedFigures finds figures typed in a part, a number before a metric's
// unit ("977 lượt doanh nghiệp"), that the data do not hold.
func (c *textCheck) typedFigures(key, text string) []string {
	if c.figure == nil || c.unread {
		return nil
	}
	names := MetricPlaceholders(c.prog)
	var out []string
	prose := strings.ToLower(placeholder.ReplaceAllString(text, " "))
	for _, m := range c.figure.FindAllStringSubmatchIndex(prose, -1) {
		unit := prose[m[4]:m[5]]
		if !wordEnds(prose, m[5]) || c.known[unit][parseTyped(prose[m[2]:m[3]])] {
			continue
		}
		code := c.byUnit[unit][0]
		out = append(out, fmt.Sprintf("%s: “%s” được gõ thành số và khác số liệu %s (%s %s); hãy dùng {%s}.",
			c.label(key), prose[m[2]:m[5]], c.scope, vnfmt.Int(c.value(code, false)), unit, names[code]))
	}
	return out
}

// noneOf finds a sentence saying there was none ("không có", "chưa có") of
// something the data count: what follows the words, within a few words and
// before the clause turns ("trong khi", "nhưng"…), is what there was none of.
func (c *textCheck) noneOf(key, text string) []string {
	var out []string
	for _, written := range sentenceEnd.Split(text, -1) {
		sentence := strings.ToLower(placeholder.ReplaceAllString(written, " "))
		for _, none := range []string{"không có", "chưa có"} {
			i := strings.Index(sentence, none)
			if i < 0 {
				continue
			}
			object := noneObject(sentence[i+len(none):])
			for _, unit := range c.units {
				j := strings.Index(object, unit)
				if j < 0 || !wordEnds(object, j+len(unit)) {
					continue
				}
				for _, code := range c.byUnit[unit] {
					if v := c.value(code, false); v > 0 {
						out = append(out, fmt.Sprintf("%s: câu “%s” nói không có %s, nhưng số liệu %s là %s %s.",
							c.label(key), strings.TrimSpace(written), unit, c.scope, vnfmt.Int(v), unit))
					}
				}
				break
			}
		}
	}
	return out
}

// noneObject is the few words after "không có" that name what there was
// none of: at most eight, up to a word that turns the clause.
func noneObject(rest string) string {
	words := strings.Fields(rest)
	for i, w := range words {
		if i == 8 || slices.Contains(clauseTurns, strings.Trim(w, ",")) {
			words = words[:i]
			break
		}
	}
	return strings.Join(words, " ")
}

// clauseTurns are words that begin another clause.
var clauseTurns = []string{"trong", "nhưng", "song", "tuy", "mà", "để", "vì", "do", "nên", "đã", "còn"}

// wordEnds says whether a word ends at byte i of s: the end of s, or no
// letter next.
func wordEnds(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(next)
}

// textChecks finds a year's written parts that do not say what its data
// say. previous are last year's figures (nil in the plan's first year).
func textChecks(in WordInput, previous map[string]nscl.Figures) []string {
	var out []string
	r := in.Report
	if len(nextYearTargets(r)) > 0 && !strings.Contains(in.text("directions"), "{chỉ tiêu năm sau}") {
		out = append(out, fmt.Sprintf("%s: chỉ tiêu của kế hoạch năm %d không được nêu (thiếu {chỉ tiêu năm sau}).", PartLabel("directions"), r.Year+1))
	}
	for _, g := range r.Programme.TaskGroups {
		acts := in.ByGroup[g.Letter]
		if acts.Count > 0 && !placeholder.MatchString(in.text(nscl.GroupPart(g.Letter))) {
			out = append(out, fmt.Sprintf("%s: có %s hoạt động trong năm %d nhưng nội dung không dẫn số liệu nào (ví dụ {kết quả}{chú thích}).", PartLabel(nscl.GroupPart(g.Letter)), vnfmt.Int(acts.Count), r.Year))
		}
	}
	c := newTextCheck(r.Programme, r.Plan, r.Year, fmt.Sprintf("năm %d", r.Year), PartLabel, func(code string, cumulative bool) int64 {
		year, total, _ := metricValues(r, code)
		if cumulative {
			return total
		}
		return year
	})
	c.bodyYears, c.futureFrom, c.subjectYears = []int{r.Year - 1, r.Year, r.Year + 1}, []int{r.Year}, []int{r.Year, r.Year + 1}
	c.previous = fmt.Sprintf("năm %d", r.Year-1)
	c.knowReport(r)
	c.knowActivities(in.ByGroup)
	c.knowFigures(previous)
	// The request may be dated the year after the report's, never before.
	out = append(out, c.otherYears("request", in.Head.RequestCitation, true, []int{r.Year, r.Year + 1})...)
	lastYear := sentencesOf(in.Previous)
	for _, key := range slices.Sorted(maps.Keys(in.Narrative)) {
		if text := strings.TrimSpace(in.Narrative[key]); text != "" && !nscl.IsReportSetting(key) && key != "request" {
			out = append(out, c.part(key, text, lastYear)...)
		}
	}
	if _, written := in.Narrative["subject"]; !written {
		out = append(out, c.otherYears("subject", in.Head.Subject, true, c.subjectYears)...)
	}
	return out
}
