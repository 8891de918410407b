package nscl

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"nscl/vnfmt"
)

// ActivityKind says what an activity was; it helps readers and filters but
// does not change how quantities add up.
type ActivityKind string

const (
	KindWorkshop     ActivityKind = "workshop"
	KindTraining     ActivityKind = "training"
	KindConsulting   ActivityKind = "consulting"
	KindArticle      ActivityKind = "article"
	KindVideo        ActivityKind = "video"
	KindExpertCourse ActivityKind = "expert_training"
	KindLabSupport   ActivityKind = "lab_support"
	KindOther        ActivityKind = "other"
)

// ActivityKinds lists the kinds in the order forms offer them.
var ActivityKinds = []ActivityKind{KindWorkshop, KindTraining, KindConsulting, KindArticle, KindVideo, KindExpertCourse, KindLabSupport, KindOther}

// kindLabels name the kinds in Vietnamese, as documents, workbooks and the
// pages print them.
var kindLabels = map[ActivityKind]string{
	KindWorkshop: "hội thảo, hội nghị", KindTraining: "tập huấn, đào tạo", KindConsulting: "tư vấn, hỗ trợ",
	KindArticle: "tin bài", KindVideo: "video", KindExpertCourse: "đào tạo chuyên gia",
	KindLabSupport: "hỗ trợ phòng thử nghiệm", KindOther: "khác",
}

// kindWords are the words that tell a kind in a metric's or a task
// group's name, as SearchKey folds them, the most telling kinds first:
// "đào tạo chuyên gia" is expert training before it is training.
var kindWords = []struct {
	kind  ActivityKind
	words []string
}{
	{KindExpertCourse, []string{"chuyen gia"}},
	{KindLabSupport, []string{"phong thu nghiem"}},
	{KindTraining, []string{"tap huan", "dao tao", "hoc vien", "boi duong"}},
	{KindWorkshop, []string{"hoi thao", "hoi nghi", "dai bieu"}},
	{KindArticle, []string{"tin bai"}},
	{KindVideo, []string{"video"}},
	{KindConsulting, []string{"tu van", "ho tro"}},
}

// kindNamed is the kind text speaks of (see kindWords), "" for none.
func kindNamed(text string) ActivityKind {
	folded := " " + strings.Join(strings.FieldsFunc(SearchKey(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ") + " "
	for _, kw := range kindWords {
		for _, w := range kw.words {
			if strings.Contains(folded, " "+w+" ") {
				return kw.kind
			}
		}
	}
	return ""
}

// DefaultKind is the kind of an activity of the task group that gives
// none (a sheet's empty "Loại hoạt động"): the kind its metrics speak of —
// its first indicator whose name and unit name one, else its first such
// measure — else the kind the group's own name speaks of, else "other".
// For the NSCL programme: b (communication: delegates to workshops) a
// workshop, c (support to enterprises) consulting, d (training) training,
// đ (laboratories) lab support, a (policy) and e (international
// cooperation) other.
func (p *Programme) DefaultKind(letter string) ActivityKind {
	var indicators, measures []Metric
	for _, m := range p.Metrics {
		switch {
		case m.TaskGroup != letter:
		case m.Kind == Indicator:
			indicators = append(indicators, m)
		default:
			measures = append(measures, m)
		}
	}
	for _, m := range slices.Concat(indicators, measures) {
		if k := kindNamed(m.Name + " " + m.Unit); k != "" {
			return k
		}
	}
	if g, ok := p.TaskGroup(letter); ok {
		if k := kindNamed(g.Name); k != "" {
			return k
		}
	}
	return KindOther
}

// Label names the kind in Vietnamese; an unknown kind is its code.
func (k ActivityKind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// MaxQuantity bounds one reported quantity; anything larger is a typing
// mistake, and the bound keeps sums far from overflow.
const MaxQuantity = 1_000_000_000

// MaxDescription bounds a description, which becomes a footnote item.
const MaxDescription = 4000

// MaxSource and MaxRef bound an activity's source note and row key.
const (
	MaxSource = 500
	MaxRef    = 200
)

// Activity is something a reporting unit did, with what it achieved: a
// quantity for each indicator or measure it contributes to, and optionally
// the enterprises that benefited.
type Activity struct {
	ID            int64        `json:"id"`
	ProgrammeID   int64        `json:"programme_id"`
	UnitID        int64        `json:"unit_id"`
	Date          time.Time    `json:"date"`
	TaskGroup     string       `json:"task_group"` // letter
	Kind          ActivityKind `json:"kind"`
	Description   string       `json:"description"`     // in the unit's own words; becomes a footnote item
	NotInFootnote bool         `json:"not_in_footnote"` // counts in the totals, but the report's footnote does not itemise it
	Source        string       `json:"source"`          // where the record comes from (a report's footnote, a file row)
	Ref           string       `json:"ref"`             // optional stable key from an import, unique in the programme
	Quantities    []Quantity   `json:"quantities"`      // none for an activity reported only in words
	Beneficiaries []string     `json:"beneficiaries"`   // tax codes
	Version       int64        `json:"version"`         // bumped on every change; a stale version is a conflict
}

// Quantity is how much an activity contributed to one indicator or measure.
type Quantity struct {
	Metric string `json:"metric"`
	Value  int64  `json:"value"`
}

// Year is the year the activity counts in.
func (a *Activity) Year() int { return a.Date.Year() }

// Normalize puts the activity's text in NFC, trims it, and normalises tax codes.
func (a *Activity) Normalize() {
	a.TaskGroup = NormalizeText(a.TaskGroup)
	a.Description = NormalizeText(a.Description)
	a.Source = NormalizeText(a.Source)
	a.Ref = NormalizeText(a.Ref)
	for i, tc := range a.Beneficiaries {
		a.Beneficiaries[i] = strings.TrimSpace(tc)
	}
}

// SameActivity reports whether two versions of an activity agree on what
// a file row sets: unit, date, task group, kind, description, source,
// quantities and beneficiaries, in any order. Whether the footnote
// itemises it is not compared: no file row says so.
func SameActivity(x, y Activity) bool {
	sorted := func(q []Quantity) []Quantity {
		q = slices.Clone(q)
		slices.SortFunc(q, func(a, b Quantity) int { return cmp.Compare(a.Metric, b.Metric) })
		return q
	}
	return x.UnitID == y.UnitID && x.Date.Equal(y.Date) && x.TaskGroup == y.TaskGroup && x.Kind == y.Kind &&
		x.Description == y.Description && x.Source == y.Source &&
		slices.Equal(sorted(x.Quantities), sorted(y.Quantities)) &&
		slices.Equal(slices.Sorted(slices.Values(x.Beneficiaries)), slices.Sorted(slices.Values(y.Beneficiaries)))
}

// LooksAlike reports whether a stored activity looks like the same one as
// a, entered again by another path (a form, then a unit's sheet): the same
// unit, date and task group, and either the same description — compared
// as SearchKey folds it, without case, diacritics or runs of spaces — or
// the same figures. The kind is not compared: a sheet and a form may call
// one activity by two kinds.
func LooksAlike(a, stored Activity) bool {
	if a.UnitID != stored.UnitID || !a.Date.Equal(stored.Date) || a.TaskGroup != stored.TaskGroup {
		return false
	}
	if SearchKey(a.Description) == SearchKey(stored.Description) {
		return true
	}
	x, y := figures(a.Quantities), figures(stored.Quantities)
	return len(x) > 0 && maps.Equal(x, y)
}

// SameDescription reports whether two descriptions are the same as
// LooksAlike compares them.
func SameDescription(x, y string) bool { return SearchKey(x) == SearchKey(y) }

// figures are an activity's quantities above 0, by metric: a 0 reports
// nothing, so two activities with no figure do not have the same ones.
func figures(q []Quantity) map[string]int64 {
	out := map[string]int64{}
	for _, x := range q {
		if x.Value > 0 {
			out[x.Metric] = x.Value
		}
	}
	return out
}

// ValidateActivity checks an activity against its programme, and returns
// every mistake it finds (Errors), one per field. The store checks what
// needs the database: that the unit exists.
func ValidateActivity(a *Activity, prog *Programme) error {
	var errs Errors
	if a.UnitID == 0 {
		errs.Add(Required("unit"))
	}
	switch {
	case a.Date.IsZero():
		errs.Add(Required("date"))
	case !prog.ContainsYear(a.Year()):
		errs.Add(Invalid("date", "ngày %s nằm ngoài giai đoạn chương trình %d–%d", "date %s is outside the programme %d–%d", a.Date.Format("02/01/2006"), prog.StartYear, prog.EndYear))
	}
	if _, ok := prog.TaskGroup(a.TaskGroup); blank(a.TaskGroup) {
		errs.Add(Required("task_group"))
	} else if !ok {
		errs.Add(Invalid("task_group", "nhóm nhiệm vụ %q không có trong chương trình", "task group %q is not in the programme", a.TaskGroup))
	}
	if a.Kind == "" {
		errs.Add(Required("kind"))
	} else if !validKind(a.Kind) {
		errs.Add(Invalid("kind", "loại hoạt động %q không hợp lệ", "activity kind %q is not valid", a.Kind))
	}
	if blank(a.Description) {
		errs.Add(Required("description"))
	} else {
		errs.Add(CheckMultiline("description", a.Description, MaxDescription))
	}
	errs.Add(CheckText("source", a.Source, MaxSource))
	errs.Add(CheckText("ref", a.Ref, MaxRef))
	seen := map[string]bool{}
	for _, q := range a.Quantities {
		field := "quantities." + q.Metric
		m, known := prog.Metric(q.Metric)
		switch {
		case seen[q.Metric]:
			errs.Add(Invalid(field, "số liệu %q được nhập hai lần", "quantity %q is given twice", q.Metric))
		case q.Value < 0:
			errs.Add(Invalid(field, "số liệu không được âm", "quantity must not be negative"))
		case q.Value > MaxQuantity:
			errs.Add(Invalid(field, "số liệu vượt quá %s", "quantity exceeds %s", vnfmt.Int(MaxQuantity)))
		case !known:
			errs.Add(Invalid(field, "chỉ tiêu hoặc số liệu %q không có trong chương trình", "indicator or measure %q is not in the programme", q.Metric))
		case !a.Date.IsZero() && !m.ActiveIn(a.Year()) && q.Value != 0:
			// It would count in the programme's total and in no year's table.
			errs.Add(Invalid(field, "chỉ tiêu %q bắt đầu từ năm %d, không nhận số liệu năm %d", "indicator %q begins in %d and takes no figure of %d", m.Name, m.FirstYear, a.Year()))
		}
		seen[q.Metric] = true
	}
	taxSeen := map[string]bool{}
	for i, tc := range a.Beneficiaries {
		field := "beneficiaries." + strconv.Itoa(i+1)
		if err := ValidateTaxCode(field, tc); err != nil {
			errs.Add(err)
		} else if taxSeen[tc] {
			errs.Add(Invalid(field, "mã số thuế %s được liệt kê hai lần", "tax code %s is listed twice", tc))
		}
		taxSeen[tc] = true
	}
	return errs.Err()
}

func validKind(k ActivityKind) bool {
	for _, known := range ActivityKinds {
		if k == known {
			return true
		}
	}
	return false
}

// ParseQuantity reads a quantity typed by a person: plain digits, or
// digits grouped in threes with dots or spaces as Vietnamese writes them
// ("16.192", "12 581"). Anything else — "1.5", "2 5", "1,5", a sign — is
// refused rather than guessed at: every quantity counts whole things.
func ParseQuantity(field, s string) (int64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if s == "" {
		return 0, Required(field)
	}
	if strings.HasPrefix(s, "-") {
		return 0, Invalid(field, "số liệu không được âm: %q", "quantity must not be negative: %q", s)
	}
	if !quantityPattern.MatchString(s) {
		return 0, Invalid(field, "%q không phải là số nguyên (viết 16192 hoặc 16.192)", "%q is not a whole number (write 16192 or 16.192)", s)
	}
	n, err := strconv.ParseInt(groupSeparators.Replace(s), 10, 64)
	if err != nil || n > MaxQuantity {
		return 0, Invalid(field, "số liệu vượt quá %s", "quantity exceeds %s", vnfmt.Int(MaxQuantity))
	}
	return n, nil
}

// groupSeparators are what Vietnamese puts between groups of three digits.
var groupSeparators = strings.NewReplacer(".", "", " ", "")

// quantityPattern: digits, or groups of three after a first group of one
// to three, separated by dots or by spaces (one kind in a number).
var quantityPattern = regexp.MustCompile(`^(\d+|\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+)$`)

// ParseDate reads a date as 2006-01-02 or as Vietnamese write it,
// 02/01/2006. Nothing typed is Required: a caller that takes an empty date
// checks for one first.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, Required(field)
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Invalid(field, "ngày %q không hợp lệ (dùng dd/mm/yyyy)", "date %q is not valid (use dd/mm/yyyy)", s)
}

// SplitTaxCodes splits a list of tax codes as people paste it: separated
// by commas, semicolons, spaces, tabs or line breaks.
func SplitTaxCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// ValidateTaxCode checks a Vietnamese tax code (mã số thuế): ten digits, or
// ten digits, a hyphen and three digits for a branch.
func ValidateTaxCode(field, tc string) error {
	main, branch, hasBranch := strings.Cut(tc, "-")
	// No code is all zeros, and branches are numbered from 001.
	if !allDigits(main, 10) || main == "0000000000" || (hasBranch && (!allDigits(branch, 3) || branch == "000")) {
		return Invalid(field, "mã số thuế %q không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số cho chi nhánh", "tax code %q is not valid: 10 digits, or 10 digits, a hyphen and 3 digits for a branch", tc)
	}
	return nil
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
