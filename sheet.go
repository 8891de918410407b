package nscl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// An activity sheet is how units report through spreadsheets: one row per
// activity, one column per field and per indicator or measure. Templates
// write these columns and imports find them again, by title or by key,
// without regard to case or diacritics, wherever they sit in the row.

// Keys of the activity sheet's columns other than quantities.
const (
	ColRef           = "ref"
	ColUnit          = "unit"
	ColDate          = "date"
	ColTaskGroup     = "task_group"
	ColKind          = "kind"
	ColDescription   = "description"
	ColBeneficiaries = "beneficiaries"
	ColSource        = "source"
)

// SheetColumn is one column of the activity sheet.
type SheetColumn struct {
	Key      string // ColRef … or "q:" + metric code
	Title    string // the heading a template writes
	Metric   string // the metric of a quantity column
	Required bool
}

// ActivityColumns are the columns of the programme's activity sheet, in a
// template's order.
func ActivityColumns(prog *Programme) []SheetColumn {
	cols := []SheetColumn{
		{Key: ColRef, Title: "Mã dòng"},
		{Key: ColUnit, Title: "Đơn vị", Required: true},
		{Key: ColDate, Title: "Ngày thực hiện", Required: true},
		{Key: ColTaskGroup, Title: "Nhóm nhiệm vụ", Required: true},
		{Key: ColKind, Title: "Loại hoạt động"}, // empty: the task group's default kind
		{Key: ColDescription, Title: "Nội dung hoạt động", Required: true},
	}
	for _, m := range prog.Metrics {
		cols = append(cols, SheetColumn{Key: "q:" + m.Code, Title: m.Name + " (" + m.Unit + ")", Metric: m.Code})
	}
	return append(cols,
		SheetColumn{Key: ColBeneficiaries, Title: "Mã số thuế doanh nghiệp hưởng lợi"},
		SheetColumn{Key: ColSource, Title: "Nguồn, ghi chú"})
}

// SheetHeader says in which cell of a row each column of the sheet is.
type SheetHeader struct {
	Columns []SheetColumn
	Pos     map[string]int // column key → index in the row
	// Ignored are the headed cells that name no column of the sheet, by
	// index, as the file writes them: an import does not read them.
	Ignored map[int]string
	// Undecided are those of the Ignored that nobody has said what they
	// hold: a value under one may be a figure, so a row with one is
	// refused (CellError.Unknown) until Resolve reads the column as a
	// metric or passes over it.
	Undecided map[int]bool
	// Headings are the file's own headings of the columns Resolve read
	// as a metric, by column key, for messages.
	Headings map[string]string
}

// HeadingKey is how headings are compared: without case, diacritics,
// runs of spaces or the required mark.
func HeadingKey(s string) string {
	return SearchKey(strings.TrimRight(strings.TrimSpace(s), " *"))
}

// MatchHeader finds the sheet's columns among the cells of a heading row.
// A quantity column is known by its title, its metric's name or its code;
// other columns by title or key. Other headed cells are extra columns,
// undecided until Resolve says what they hold.
func MatchHeader(cols []SheetColumn, prog *Programme, cells []string) SheetHeader {
	names := map[string]string{}
	for _, c := range cols {
		names[HeadingKey(c.Title)] = c.Key
		names[HeadingKey(c.Key)] = c.Key
		if c.Metric != "" {
			m, _ := prog.Metric(c.Metric)
			names[HeadingKey(m.Name)] = c.Key
			names[HeadingKey(m.Code)] = c.Key
		}
	}
	h := SheetHeader{Columns: cols, Pos: map[string]int{}, Ignored: map[int]string{}, Undecided: map[int]bool{}}
	for i, cell := range cells {
		key, ok := names[HeadingKey(cell)]
		if _, seen := h.Pos[key]; ok && cell != "" && !seen {
			h.Pos[key] = i
		} else if strings.TrimSpace(cell) != "" {
			h.Ignored[i] = NormalizeText(cell)
			h.Undecided[i] = true
		}
	}
	return h
}

// ColumnChoice is what a unit's sheets hold under a heading the template
// does not know: a metric's figures, or (Metric "") nothing to read.
type ColumnChoice struct {
	Heading string `json:"heading"`
	Metric  string `json:"metric"` // "" to pass over the column
}

// Resolve applies what was decided about the headings the template does
// not know: choose gives, for a heading, the metric its column holds or ""
// to pass over it, with decided false when nobody has said. A column read
// as a metric is that metric's column from then on. A row-number column
// ("STT") is passed over unless choose says otherwise. Returns EINVALID
// for a metric the programme lacks or one the sheet already has a column
// for, naming both columns.
func (h SheetHeader) Resolve(prog *Programme, choose func(heading string) (metric string, decided bool)) (SheetHeader, error) {
	out := SheetHeader{Columns: h.Columns, Pos: maps.Clone(h.Pos), Ignored: map[int]string{}, Undecided: map[int]bool{}, Headings: maps.Clone(h.Headings)}
	if out.Headings == nil {
		out.Headings = map[string]string{}
	}
	for _, i := range slices.Sorted(maps.Keys(h.Ignored)) {
		heading := h.Ignored[i]
		metric, decided := choose(heading)
		switch {
		case !decided && RowNumberHeading(heading):
			out.Ignored[i] = heading
		case !decided:
			out.Ignored[i], out.Undecided[i] = heading, true
		case metric == "":
			out.Ignored[i] = heading
		default:
			m, ok := prog.Metric(metric)
			if !ok {
				return out, Invalid("columns", "cột “%s”: không có chỉ tiêu hoặc số liệu %q trong chương trình", "column “%s”: there is no indicator or measure %q in the programme", heading, metric)
			}
			key := "q:" + m.Code
			if _, taken := out.Pos[key]; taken {
				return out, Invalid("columns", "cột “%s” và cột “%s” cùng là %s (%s); chỉ một cột được ghi số liệu này", "columns “%s” and “%s” are both %s (%s); only one column may hold it",
					heading, out.Title(key), m.Name, m.Code)
			}
			out.Pos[key], out.Headings[key] = i, heading
		}
	}
	return out, nil
}

// RowNumberHeading says whether a heading names the row-number column
// sheets often start with ("STT", "Số thứ tự"): its numbers are no figure.
func RowNumberHeading(heading string) bool {
	switch HeadingKey(strings.Trim(heading, ".")) {
	case "stt", "tt", "so tt", "so thu tu":
		return true
	}
	return false
}

// headingAbbreviations are the short forms sheets write in headings, as
// SearchKey folds them, and what they stand for.
var headingAbbreviations = map[string]string{
	"dn": "doanh nghiep", "hv": "hoc vien", "cg": "chuyen gia", "ptn": "phong thu nghiem", "db": "dai bieu", "nscl": "nang suat chat luong",
}

// headingStopWords say nothing of what a column counts.
var headingStopWords = map[string]bool{"so": true, "luong": true, "cua": true, "va": true, "cho": true, "duoc": true, "cac": true, "nhung": true, "the": true, "ve": true}

// headingWords are the words of a heading or a metric's name that say what
// it counts, folded, with abbreviations written out.
func headingWords(s string) map[string]bool {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(SearchKey(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if long, ok := headingAbbreviations[w]; ok {
			for _, l := range strings.Fields(long) {
				words[l] = true
			}
			continue
		}
		if !headingStopWords[w] {
			words[w] = true
		}
	}
	return words
}

// HeadingCandidates are the metrics a heading the template does not know
// could be, most likely first, at most three: those whose name, unit or
// code shares the most words with it, compared without case or
// diacritics and with common abbreviations written out ("DN" for "doanh
// nghiệp"). Metrics in taken (those the sheet already has a column for)
// are left out.
func HeadingCandidates(prog *Programme, heading string, taken map[string]bool) []Metric {
	words := headingWords(heading)
	type scored struct {
		m     Metric
		score int
	}
	var found []scored
	for _, m := range prog.Metrics {
		if taken[m.Code] {
			continue
		}
		score := 0
		for w := range headingWords(m.Name + " " + m.Unit + " " + strings.ReplaceAll(m.Code, "_", " ")) {
			if words[w] {
				score++
			}
		}
		if score > 0 {
			found = append(found, scored{m, score})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return b.score - a.score })
	var out []Metric
	for _, s := range found[:min(len(found), 3)] {
		out = append(out, s.m)
	}
	return out
}

// KeepAbsent fills in an imported activity what the sheet has no column
// for from the stored activity it updates: a file without the
// beneficiaries column, or without an indicator's column, leaves those as
// they were instead of clearing them.
func (h SheetHeader) KeepAbsent(stored Activity, a *Activity) {
	if _, ok := h.Pos[ColBeneficiaries]; !ok {
		a.Beneficiaries = stored.Beneficiaries
	}
	if _, ok := h.Pos[ColSource]; !ok {
		a.Source = stored.Source
	}
	for _, q := range stored.Quantities {
		if _, ok := h.Pos["q:"+q.Metric]; !ok {
			a.Quantities = append(a.Quantities, q)
		}
	}
}

// ColumnOf is the sheet column of a field the domain's checks name
// ("date", "quantities.trainees", "beneficiaries.2"); a refusal that
// names no field (permission, a locked period) is the unit's.
func ColumnOf(field string) string {
	switch prefix, rest, _ := strings.Cut(field, "."); prefix {
	case "quantities":
		return "q:" + rest
	case "beneficiaries":
		return ColBeneficiaries
	case "":
		return ColUnit
	default:
		return prefix
	}
}

// Missing lists the titles of required columns the header lacks.
func (h SheetHeader) Missing() []string {
	var out []string
	for _, c := range h.Columns {
		if _, ok := h.Pos[c.Key]; c.Required && !ok {
			out = append(out, c.Title)
		}
	}
	return out
}

// Title names a column in messages: a metric's column that Resolve
// found under another heading by that heading.
func (h SheetHeader) Title(key string) string {
	if heading, ok := h.Headings[key]; ok {
		return heading
	}
	for _, c := range h.Columns {
		if c.Key == key {
			return c.Title
		}
	}
	return key
}

// RowRules is what a row is checked against beyond the programme.
type RowRules struct {
	Programme *Programme
	// Unit finds a unit by code or by name (as NFC text, without regard to
	// case); DefaultUnit is used when the unit cell is empty (a template
	// made for one unit), nil for none.
	Unit        func(text string) (OrgUnit, bool)
	DefaultUnit *OrgUnit
	// NearestUnits, when set, suggests units for text that names none
	// ("Quận 1 (HCM-Q1)"), for the message.
	NearestUnits func(text string) []string
	// PeriodStart and PeriodEnd bound the dates (a round's period); zero
	// for the programme's years.
	PeriodStart, PeriodEnd time.Time
	// MayWrite is why the importing user may not write the unit's
	// activity of a day (User.WriteRefusal), or nil when they may. The
	// importer gives only the user's permission here, and the periods
	// submissions lock in Locked: a row that changes nothing passes a lock.
	MayWrite func(unitID int64, day time.Time) error
	Locked   func(unitID int64, day time.Time) error
	// InScope says whether a unit is one the file speaks for: a
	// template's unit and the units under it; nil when the file names no
	// unit. A unit's own row key may move its activity within that scope.
	InScope func(unitID int64) bool
	// Date1904 reads date serial numbers as an old Mac workbook counts them.
	Date1904 bool
}

// CellError is what is wrong with one cell of a row.
type CellError struct {
	Column  string // the column's title
	Message string // Vietnamese
	English string
	// Unknown: the cell holds a value under a heading nobody has decided
	// (SheetHeader.Undecided); an import says so once for the column.
	Unknown bool
}

// ParseActivityRow reads one row of an activity sheet into an activity,
// or says what is wrong with each of its cells. Ref is the row's key:
// the sheet's own when given, otherwise one derived from what identifies
// the activity, so that importing the same row again finds it again.
// For many rows, NewRowParser does the same with its look-ups made once.
func ParseActivityRow(rules RowRules, h SheetHeader, cells []string) (Activity, []CellError) {
	return NewRowParser(rules, h).Parse(cells)
}

// RowParser reads the rows of one sheet.
type RowParser struct {
	rules     RowRules
	h         SheetHeader
	groups    map[string]string // task group letter by its letter or name, as SearchKey folds them
	undecided []int             // h.Undecided in order
}

// NewRowParser prepares the reading of a sheet's rows.
func NewRowParser(rules RowRules, h SheetHeader) *RowParser {
	p := &RowParser{rules: rules, h: h, groups: map[string]string{}, undecided: slices.Sorted(maps.Keys(h.Undecided))}
	for _, g := range rules.Programme.TaskGroups {
		p.groups[SearchKey(g.Name)] = g.Letter
		p.groups[g.Letter] = g.Letter
		p.groups[strings.ToUpper(g.Letter)] = g.Letter
	}
	return p
}

// Parse reads one row; see ParseActivityRow.
func (p *RowParser) Parse(cells []string) (Activity, []CellError) {
	rules, h := p.rules, p.h
	var a Activity
	var errs []CellError
	cell := func(key string) string {
		if i, ok := h.Pos[key]; ok && i < len(cells) {
			return NormalizeText(cells[i])
		}
		return ""
	}
	fail := func(key, vi, en string, args ...any) {
		errs = append(errs, CellError{Column: h.Title(key), Message: fmt.Sprintf(vi, args...), English: fmt.Sprintf(en, args...)})
	}
	refuse := func(key string, err error) { // err is the domain's *Error
		e := err.(*Error)
		errs = append(errs, CellError{Column: h.Title(key), Message: e.Message, English: e.English})
	}
	prog := rules.Programme

	var unit OrgUnit
	switch text := cell(ColUnit); {
	case text == "" && rules.DefaultUnit != nil:
		unit = *rules.DefaultUnit
	case text == "":
		fail(ColUnit, "chưa ghi đơn vị", "the unit is missing")
	default:
		u, ok := rules.Unit(text)
		if !ok {
			var near []string
			if rules.NearestUnits != nil {
				near = rules.NearestUnits(text)
			}
			if len(near) > 0 {
				fail(ColUnit, "không có đơn vị %q; có phải là: %s?", "there is no unit %q; did you mean: %s?", text, strings.Join(near, "; "))
			} else {
				fail(ColUnit, "không có đơn vị %q (ghi mã, tên hoặc tên gọi tắt của đơn vị)", "there is no unit %q (give its code, name or short name)", text)
			}
		}
		unit = u
	}
	a.UnitID = unit.ID

	if text := cell(ColDate); text == "" {
		fail(ColDate, "chưa ghi ngày thực hiện", "the date is missing")
	} else if d, ok := sheetDate(text, rules.Date1904); !ok {
		fail(ColDate, "ngày %q không hợp lệ (ghi dd/mm/yyyy)", "date %q is not valid (write dd/mm/yyyy)", text)
	} else {
		a.Date = d
		switch {
		case !rules.PeriodStart.IsZero() && (d.Before(rules.PeriodStart) || d.After(rules.PeriodEnd)):
			fail(ColDate, "ngày %s nằm ngoài kỳ báo cáo %s – %s", "date %s is outside the reporting period %s – %s",
				d.Format("02/01/2006"), rules.PeriodStart.Format("02/01/2006"), rules.PeriodEnd.Format("02/01/2006"))
		case !prog.ContainsYear(d.Year()):
			fail(ColDate, "ngày %s nằm ngoài giai đoạn chương trình %d–%d", "date %s is outside the programme %d–%d", d.Format("02/01/2006"), prog.StartYear, prog.EndYear)
		case unit.ID != 0 && !unit.OpenOn(d):
			fail(ColUnit, "đơn vị %s không hoạt động vào ngày %s", "unit %s was not open on %s", unit.Name, d.Format("02/01/2006"))
		case unit.ID != 0 && rules.MayWrite != nil:
			if err := rules.MayWrite(unit.ID, d); err != nil {
				e := err.(*Error)
				errs = append(errs, CellError{Column: h.Title(ColUnit), Message: unit.Name + ": " + e.Message, English: unit.Name + ": " + e.English})
			}
		}
	}

	if text := cell(ColTaskGroup); text == "" {
		fail(ColTaskGroup, "chưa ghi nhóm nhiệm vụ", "the task group is missing")
	} else if letter, ok := p.taskGroup(text); !ok {
		fail(ColTaskGroup, "không có nhóm nhiệm vụ %q (ghi chữ cái a, b, c, d, đ, e hoặc tên nhóm)", "there is no task group %q (give its letter or name)", text)
	} else {
		a.TaskGroup = letter
	}

	if text := cell(ColKind); text == "" {
		if a.TaskGroup != "" {
			a.Kind = prog.DefaultKind(a.TaskGroup)
		}
	} else if k, ok := findKind(text); !ok {
		fail(ColKind, "không có loại hoạt động %q", "there is no activity kind %q", text)
	} else {
		a.Kind = k
	}

	a.Description = cell(ColDescription)
	switch {
	case a.Description == "":
		fail(ColDescription, "chưa ghi nội dung hoạt động", "the description is missing")
	default:
		if err := CheckMultiline(ColDescription, a.Description, MaxDescription); err != nil {
			refuse(ColDescription, err)
		}
	}

	for _, c := range h.Columns {
		text := cell(c.Key)
		if c.Metric == "" || text == "" {
			continue
		}
		n, err := sheetQuantity(text)
		if err != nil {
			refuse(c.Key, err)
			continue
		}
		a.Quantities = append(a.Quantities, Quantity{Metric: c.Metric, Value: n}) // an explicit 0 is kept: it may correct a figure
	}
	for _, i := range p.undecided {
		if i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			heading := h.Ignored[i]
			errs = append(errs, CellError{Column: heading, Unknown: true,
				Message: fmt.Sprintf("cột “%s” không có trong mẫu nhưng có dữ liệu %q", heading, NormalizeText(cells[i])),
				English: fmt.Sprintf("column “%s” is not the template's but holds %q", heading, NormalizeText(cells[i]))})
		}
	}

	listed := map[string]bool{}
	for _, tc := range SplitTaxCodes(cell(ColBeneficiaries)) {
		if err := ValidateTaxCode(ColBeneficiaries, tc); err != nil {
			refuse(ColBeneficiaries, err)
			continue
		}
		if listed[tc] {
			fail(ColBeneficiaries, "mã số thuế %s được liệt kê hai lần", "tax code %s is listed twice", tc)
			continue
		}
		listed[tc] = true
		a.Beneficiaries = append(a.Beneficiaries, tc)
	}

	a.Source, a.Ref = cell(ColSource), cell(ColRef)
	for _, long := range []struct {
		key, text string
		limit     int
	}{{ColSource, a.Source, MaxSource}, {ColRef, a.Ref, MaxRef}} {
		if err := CheckText(long.key, long.text, long.limit); err != nil {
			refuse(long.key, err)
		}
	}
	if a.Ref == "" && len(errs) == 0 {
		a.Ref = derivedRef(unit, a)
	}
	return a, errs
}

// Row keys the system makes start with these: RefIssued for an activity
// entered without a key (the store adds its ID), RefDerived for a sheet
// row without one (derivedRef).
const (
	RefIssued  = "nscl:"
	RefDerived = "auto:"
)

// madeRef reports whether the system made the row key.
func madeRef(ref string) bool {
	return strings.HasPrefix(ref, RefIssued) || strings.HasPrefix(ref, RefDerived)
}

// CheckKeyOwner says why a row may not take the row key of the stored
// activity that has it, or nil when the row may update that activity.
// A key the system made names one activity wherever it goes, so a row
// with it may move the activity to another unit or day. A key a unit chose
// itself ("1", "2", …) is the unit's and the period's own: the same key
// from another unit (outside the units a template speaks for), or from
// another round's period, names another activity, and taking it would
// overwrite that one.
func (p *RowParser) CheckKeyOwner(row, stored Activity) *CellError {
	column := p.h.Title(ColRef)
	day := stored.Date.Format("02/01/2006")
	if p.rules.MayWrite != nil {
		if err := p.rules.MayWrite(stored.UnitID, stored.Date); err != nil {
			e := err.(*Error)
			return &CellError{Column: column,
				Message: fmt.Sprintf("mã dòng %q là của hoạt động ngày %s không sửa được: %s", row.Ref, day, e.Message),
				English: fmt.Sprintf("row key %q belongs to an activity of %s that cannot be changed: %s", row.Ref, day, e.English)}
		}
	}
	if madeRef(row.Ref) {
		return nil
	}
	inScope := p.rules.InScope != nil && p.rules.InScope(stored.UnitID) && p.rules.InScope(row.UnitID)
	if stored.UnitID != row.UnitID && !inScope {
		// Nothing more of another unit's activity is told than that it exists.
		return &CellError{Column: column,
			Message: fmt.Sprintf("mã dòng %q đã dùng cho hoạt động của một đơn vị khác; ghi mã khác, hoặc để trống để hệ thống tự đặt mã", row.Ref),
			English: fmt.Sprintf("row key %q is already used by another unit's activity; give another key, or leave it empty for the system to make one", row.Ref)}
	}
	if !p.rules.PeriodStart.IsZero() && (stored.Date.Before(p.rules.PeriodStart) || stored.Date.After(p.rules.PeriodEnd)) {
		return &CellError{Column: column,
			Message: fmt.Sprintf("mã dòng %q đã dùng cho hoạt động ngày %s, ngoài kỳ báo cáo này; ghi mã khác, hoặc để trống để hệ thống tự đặt mã", row.Ref, day),
			English: fmt.Sprintf("row key %q is already used by an activity of %s, outside this reporting period; give another key, or leave it empty for the system to make one", row.Ref, day)}
	}
	return nil
}

// derivedRef is the key of a row that gives none: what identifies the
// activity — unit, date, task group, kind and description — digested, so
// that the same row imported again is found, and a changed figure updates it.
func derivedRef(u OrgUnit, a Activity) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{u.Code, a.Date.Format("2006-01-02"), a.TaskGroup, string(a.Kind), SearchKey(a.Description)}, "\x00")))
	return RefDerived + hex.EncodeToString(sum[:8])
}

// Day 0 of spreadsheets' date serial numbers: the 1900 system (counting
// Excel's phantom 29 February 1900), and the 1904 one of old Mac workbooks.
var (
	excelEpoch     = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	excelEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// sheetDate reads a date cell: dd/mm/yyyy (or yyyy-mm-dd) text, or the
// serial number a spreadsheet stores for a real date.
func sheetDate(s string, date1904 bool) (time.Time, bool) {
	if t, err := ParseDate("date", s); err == nil {
		return t, true
	}
	if !serialPattern.MatchString(s) {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 {
		return time.Time{}, false
	}
	epoch := excelEpoch
	if date1904 {
		epoch = excelEpoch1904
	}
	d := epoch.AddDate(0, 0, int(math.Floor(math.Min(f, 4e6))))
	return d, d.Year() <= 9999
}

// serialPattern is a date's serial number as a spreadsheet stores it:
// digits, perhaps with a fraction of a day.
var serialPattern = regexp.MustCompile(`^\d+(\.\d+)?$`)

// decimalComma is a Vietnamese number with a fractional part: "1.234,5".
var decimalComma = regexp.MustCompile(`^\d{1,3}(\.\d{3})*,\d+$|^\d+,\d+$`)

// sheetQuantity reads a quantity cell as ParseQuantity does ("16192",
// "16.192"), naming a Vietnamese fraction ("1.234,5") for what it is.
// A spreadsheet stores a number cell's value with a decimal point, so a
// number cell holding 1.234 reads as 1.234 thousands: quantities count
// whole things, and a fraction in a count is a typing mistake either way.
func sheetQuantity(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if decimalComma.MatchString(s) {
		return 0, Invalid("quantity", "%q không phải là số nguyên: số liệu đếm đơn vị trọn vẹn", "%q is not a whole number: quantities count whole things", s)
	}
	return ParseQuantity("quantity", s)
}

// taskGroup finds a task group by its letter ("c", "C", "c)"), its name,
// or both as a template's list offers them ("c) Hỗ trợ …").
func (p *RowParser) taskGroup(text string) (string, bool) {
	text = NormalizeText(text)
	letter, name, _ := strings.Cut(text, ")")
	if l, ok := p.groups[strings.TrimSpace(letter)]; ok {
		return l, true
	}
	for _, candidate := range []string{text, name} {
		if l, ok := p.groups[SearchKey(candidate)]; ok && candidate != "" {
			return l, true
		}
	}
	return "", false
}

// TaskGroupChoice is how a template's list offers a task group: "c) Hỗ trợ …".
func TaskGroupChoice(g TaskGroup) string { return g.Letter + ") " + g.Name }

// findKind finds an activity kind by its code, its Vietnamese name, or
// one of the words of that name ("tập huấn" for "tập huấn, đào tạo").
func findKind(text string) (ActivityKind, bool) {
	k, ok := kindsByText()[SearchKey(text)]
	return k, ok
}

// kindsByText maps the ways of writing a kind, folded by SearchKey.
var kindsByText = sync.OnceValue(func() map[string]ActivityKind {
	m := map[string]ActivityKind{}
	for _, k := range ActivityKinds {
		for _, part := range strings.Split(k.Label(), ",") {
			m[SearchKey(part)] = k
		}
		m[SearchKey(k.Label())] = k
		m[SearchKey(string(k))] = k
	}
	return m
})

// ActivityCells writes an activity as a row of the activity sheet, the
// inverse of ParseActivityRow: a file exported this way, edited and
// imported again updates the activities it holds.
func ActivityCells(cols []SheetColumn, a Activity, unitCode string) []string {
	quantities := map[string]int64{}
	for _, q := range a.Quantities {
		quantities[q.Metric] = q.Value
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		switch c.Key {
		case ColRef:
			out[i] = a.Ref
		case ColUnit:
			out[i] = unitCode
		case ColDate:
			out[i] = a.Date.Format("02/01/2006")
		case ColTaskGroup:
			out[i] = a.TaskGroup
		case ColKind:
			out[i] = a.Kind.Label()
		case ColDescription:
			out[i] = a.Description
		case ColBeneficiaries:
			out[i] = strings.Join(a.Beneficiaries, "; ")
		case ColSource:
			out[i] = a.Source
		default:
			if v, ok := quantities[c.Metric]; ok {
				out[i] = strconv.FormatInt(v, 10)
			}
		}
	}
	return out
}
