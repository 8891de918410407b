package nscl

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Programme is a national or local programme run through task groups,
// indicators with targets, and measures reported without targets.
type Programme struct {
	ID         int64
	Code       string // short stable code, e.g. "NSCL"
	Name       string
	StartYear  int
	EndYear    int
	DocumentID int64 // the decision that issued it; 0 when unknown
	TaskGroups []TaskGroup
	Metrics    []Metric // indicators and measures, in display order
}

// TaskGroup is one of the programme's groups of tasks, lettered in
// Vietnamese order: a, b, c, d, đ, e, g …
type TaskGroup struct {
	ID     int64
	Letter string
	Name   string
}

// MetricKind tells an indicator (which carries targets) from a measure
// (reported, summed and shown, but never targeted).
type MetricKind string

const (
	Indicator MetricKind = "indicator"
	Measure   MetricKind = "measure"
)

// CountingRule says how an indicator's contributions add up.
type CountingRule string

const (
	// RuleSum adds every activity's quantity (visits, trainees, articles).
	RuleSum CountingRule = "sum"
	// RuleDistinct counts distinct beneficiary enterprises of the
	// activities that report the indicator; the summed quantity is still
	// kept, and the JSON report shows it as visits beside the count.
	RuleDistinct CountingRule = "distinct"
	// RuleLast takes each unit's latest reported value (a stock, such as
	// labs accredited so far) and adds those up across units.
	RuleLast CountingRule = "last"
)

// Metric is an indicator or a measure: something activities report a
// quantity of.
type Metric struct {
	ID        int64
	Code      string // stable code used in files and the API, e.g. "training_enterprises"
	Name      string // as the report prints it
	Unit      string // e.g. "lượt doanh nghiệp"
	Kind      MetricKind
	Rule      CountingRule
	TaskGroup string // letter of the task group it belongs to; "" when none
	// FirstYear is the year the metric begins, for one a later phase of
	// the programme adds (experts certified internationally, 2026–2030):
	// before it, no results table shows it and no plan sets a target for
	// it. 0 is the programme's first year.
	FirstYear int
}

// ActiveIn says whether the metric is counted in year: from its first
// year on.
func (m Metric) ActiveIn(year int) bool { return m.FirstYear == 0 || m.FirstYear <= year }

// vietnameseLetters is the order Vietnamese administrative documents letter
// their points in: the alphabet without the letters carrying marks other
// than đ, and without f, j, w, z.
var vietnameseLetters = []string{"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"}

// GroupLetter returns the letter of the i-th task group (from 0): a, b, c,
// d, đ, e, g …
func GroupLetter(i int) string {
	if i < 0 || i >= len(vietnameseLetters) {
		return ""
	}
	return vietnameseLetters[i]
}

// LetterIndex returns the position of letter in the Vietnamese lettering, or -1.
func LetterIndex(letter string) int {
	letter = NormalizeText(letter)
	for i, l := range vietnameseLetters {
		if l == letter {
			return i
		}
	}
	return -1
}

// NormalizeText returns s trimmed and in Unicode NFC, the form all text is
// stored in, so that "Thủ Đức" typed with combining marks equals the
// precomposed one.
func NormalizeText(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// TaskGroup returns the task group with the given letter.
func (p *Programme) TaskGroup(letter string) (TaskGroup, bool) {
	letter = NormalizeText(letter)
	for _, g := range p.TaskGroups {
		if g.Letter == letter {
			return g, true
		}
	}
	return TaskGroup{}, false
}

// Metric returns the indicator or measure with the given code.
func (p *Programme) Metric(code string) (Metric, bool) {
	for _, m := range p.Metrics {
		if m.Code == code {
			return m, true
		}
	}
	return Metric{}, false
}

// Indicators returns the programme's indicators in display order.
func (p *Programme) Indicators() []Metric {
	return p.metricsOf(Indicator)
}

// Measures returns the programme's measures in display order.
func (p *Programme) Measures() []Metric {
	return p.metricsOf(Measure)
}

// IndicatorsIn returns the indicators counted in year, in display order:
// those begun by then. A year's results table lists these, so that an
// indicator of a later phase does not appear as an empty row before it.
func (p *Programme) IndicatorsIn(year int) []Metric {
	return activeIn(p.Indicators(), year)
}

// MeasuresIn returns the measures counted in year, in display order.
func (p *Programme) MeasuresIn(year int) []Metric {
	return activeIn(p.Measures(), year)
}

func (p *Programme) metricsOf(kind MetricKind) []Metric {
	var out []Metric
	for _, m := range p.Metrics {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func activeIn(metrics []Metric, year int) []Metric {
	out := metrics[:0:0]
	for _, m := range metrics {
		if m.ActiveIn(year) {
			out = append(out, m)
		}
	}
	return out
}

// ContainsYear reports whether year falls inside the programme.
func (p *Programme) ContainsYear(year int) bool {
	return year >= p.StartYear && year <= p.EndYear
}

// Validate checks the programme definition: a code and name, a sensible
// span of years, task groups lettered in Vietnamese order without gaps, and
// metrics with unique codes, a known kind and rule, and a known task group.
func (p *Programme) Validate() error {
	if p.Code == "" {
		return Invalid("code", "mã chương trình không được để trống", "programme code is required")
	}
	if p.Name == "" {
		return Invalid("name", "tên chương trình không được để trống", "programme name is required")
	}
	if p.StartYear < 1900 || p.EndYear < p.StartYear || p.EndYear > 2200 {
		return Invalid("end_year", "giai đoạn %d–%d không hợp lệ", "period %d–%d is not valid", p.StartYear, p.EndYear)
	}
	for i, g := range p.TaskGroups {
		if g.Letter != GroupLetter(i) {
			return Invalid("task_groups", "nhóm nhiệm vụ thứ %d phải mang chữ %q, không phải %q", "task group %d must be lettered %q, not %q", i+1, GroupLetter(i), g.Letter)
		}
		if g.Name == "" {
			return Invalid("task_groups", "nhóm nhiệm vụ %s chưa có tên", "task group %s has no name", g.Letter)
		}
	}
	seen := map[string]bool{}
	for _, m := range p.Metrics {
		field := "metrics." + m.Code
		switch {
		case m.Code == "":
			return Invalid("metrics", "chỉ tiêu %q chưa có mã", "metric %q has no code", m.Name)
		case seen[m.Code]:
			return Invalid(field, "mã %q bị trùng", "code %q is used twice", m.Code)
		case m.Name == "" || m.Unit == "":
			return Invalid(field, "chỉ tiêu %q cần có tên và đơn vị tính", "metric %q needs a name and a unit", m.Code)
		case m.Kind != Indicator && m.Kind != Measure:
			return Invalid(field, "loại %q không hợp lệ", "kind %q is not valid", m.Kind)
		case m.Rule != RuleSum && m.Rule != RuleDistinct && m.Rule != RuleLast:
			return Invalid(field, "quy tắc tính %q không hợp lệ", "counting rule %q is not valid", m.Rule)
		case m.FirstYear != 0 && !p.ContainsYear(m.FirstYear):
			return Invalid(field, "năm bắt đầu %d của chỉ tiêu %q nằm ngoài giai đoạn chương trình %d–%d", "first year %d of metric %q is outside the programme %d–%d", m.FirstYear, m.Code, p.StartYear, p.EndYear)
		}
		if m.TaskGroup != "" {
			if _, ok := p.TaskGroup(m.TaskGroup); !ok {
				return Invalid(field, "nhóm nhiệm vụ %q không có trong chương trình", "task group %q is not in the programme", m.TaskGroup)
			}
		}
		seen[m.Code] = true
	}
	return nil
}

// SearchKey folds text for search: lower case, without diacritics, đ as d,
// and runs of spaces as one, so that "ha noi" finds "Hà Nội" and "thu duc"
// finds "Thủ Đức". Imports fold every row's cells, so letters are folded
// through a table made once rather than decomposed each time.
func SearchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r < utf8.RuneSelf:
			r = unicode.ToLower(r)
		case int(r) < len(foldTable()):
			r = foldTable()[r]
		default:
			r = unicode.ToLower(r)
		}
		if r == 0 {
			continue // a combining mark (text in NFD)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldTable folds each letter below U+2000 to its lower-case base letter
// (ầ → a, Đ → d) and a combining mark to 0.
var foldTable = sync.OnceValue(func() []rune {
	t := make([]rune, 0x2000)
	for r := range t {
		if unicode.Is(unicode.Mn, rune(r)) {
			continue
		}
		folded := rune(r)
		for _, d := range norm.NFD.String(strings.ToLower(string(rune(r)))) {
			if !unicode.Is(unicode.Mn, d) {
				folded = d
				break
			}
		}
		if folded == 'đ' {
			folded = 'd'
		}
		t[r] = folded
	}
	return t
})

// MetricByCode returns the metric with the given code, or a zero Metric;
// templates use it where a missing metric simply shows nothing.
func (p *Programme) MetricByCode(code string) Metric {
	m, _ := p.Metric(code)
	return m
}
