package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"nscl"
	"nscl/docx"
	"nscl/vnfmt"
)

// The written parts of a report are stored as plain text, one paragraph
// per line. Words in braces are filled in from the data of the report's
// year when the document is written, so that a number is never typed and
// a sentence cannot state another year's figure:
//
//	{năm}, {năm sau}        the report's year and the next
//	{số học viên}, {số học viên lũy kế}
//	                        an indicator's or measure's result for the year, or cumulative,
//	                        named "số" and its unit (MetricPlaceholders); its code works too: {trainees}
//	{văn bản 4225/KH-CN-TĐC} a document of the registry as text cites it
//	{căn cứ 1322/QĐ-TTg}    "Căn cứ <citation> <title>." for a document of the registry
//	{căn cứ}                the legal basis: the programme's decision and the plans in force
//	{đánh giá}              the evaluation sentences of the results table
//	{chỉ tiêu năm sau}      alone on a line: next year's targets, one paragraph each
//	{chỉ tiêu giai đoạn sau} in a period's summary, alone on a line: the next plan's targets
//	[^text]                 a footnote with that text
//	[cần bổ sung: …]        a blank a person must fill in: highlighted, and listed by the checks
//
// In a task group's point of section I.3 also:
//
//	{kết quả}               the group's totals for the year: "963 lượt doanh nghiệp và 16.192 học viên"
//	{số hoạt động}          how many activities the group reported
//	{chú thích}             the footnote that lists the group's activities in their own words
//	{hoạt động}             alone on a line: the group's activities, one paragraph each
//
// A task group's point written as "/" alone says the group has nothing to
// report, as the seed marks it after the heading.
var placeholder = regexp.MustCompile(`\{([^{}\n]+)\}|\[\^([^\]\n]+)\]|\[(` + blankWords + `[^\]\n]*)\]`)

// blankWords open a blank left for a person to fill in.
const blankWords = "cần bổ sung"

// Blank is a marked blank of a draft: "[cần bổ sung: what]". The document
// shows it highlighted and the checks list it until someone replaces it.
func Blank(what string) string { return "[" + blankWords + ": " + what + "]" }

// Placeholder is a word in braces the report page offers to insert.
type Placeholder struct {
	Token, Meaning string
	Value          string // what it stands for in this report, when it is a figure
}

// Placeholders lists the placeholders for the report page: each metric's
// by its name in words, with the figure it stands for this year, then the
// others.
func Placeholders(r *Report) []Placeholder {
	var out []Placeholder
	names := MetricPlaceholders(r.Programme)
	for _, m := range r.Programme.Metrics {
		if !m.ActiveIn(r.Year) {
			continue
		}
		year, cumulative, _ := metricValues(r, m.Code)
		out = append(out,
			Placeholder{"{" + names[m.Code] + "}", fmt.Sprintf("%s, năm %d", m.Name, r.Year), vnfmt.Int(year)},
			Placeholder{"{" + names[m.Code] + " lũy kế}", fmt.Sprintf("%s, lũy kế %d–%d", m.Name, r.Plan.StartYear, r.Year), vnfmt.Int(cumulative)})
	}
	for _, p := range [][2]string{
		{"{năm}", "năm báo cáo"}, {"{năm sau}", "năm tiếp theo"},
		{"{văn bản 4225/KH-CN-TĐC}", "trích dẫn một văn bản trong danh mục theo số, ký hiệu"},
		{"{căn cứ 1322/QĐ-TTg}", "câu “Căn cứ …” của một văn bản"}, {"{căn cứ}", "căn cứ: quyết định của chương trình, kế hoạch 05 năm và kế hoạch năm"},
		{"{đánh giá}", "câu đánh giá sinh từ bảng kết quả"}, {"{chỉ tiêu năm sau}", "(một dòng riêng) chỉ tiêu của kế hoạch năm sau"},
		{"[^nội dung]", "chú thích cuối trang"}, {Blank("…"), "chỗ để trống, cần người viết bổ sung"},
		{"{kết quả}", "(mục I.3) tổng kết quả của nhóm nhiệm vụ"}, {"{số hoạt động}", "(mục I.3) số hoạt động của nhóm"},
		{"{chú thích}", "(mục I.3) chú thích liệt kê các hoạt động của nhóm"}, {"{hoạt động}", "(mục I.3, một dòng riêng) các hoạt động của nhóm, mỗi hoạt động một đoạn"},
	} {
		out = append(out, Placeholder{Token: p[0], Meaning: p[1]})
	}
	return out
}

// MetricPlaceholders names each indicator and measure, by code, as a
// placeholder in words: "số" and its unit ("số lượt doanh nghiệp"), or,
// for metrics that share a unit, "số" and the metric's name.
func MetricPlaceholders(prog *nscl.Programme) map[string]string {
	units := map[string]int{}
	for _, m := range prog.Metrics {
		units[strings.ToLower(m.Unit)]++
	}
	out := make(map[string]string, len(prog.Metrics))
	for _, m := range prog.Metrics {
		if units[strings.ToLower(m.Unit)] == 1 && m.Unit != "" {
			out[m.Code] = "số " + strings.ToLower(m.Unit)
		} else {
			out[m.Code] = "số " + strings.ToLower(m.Name)
		}
	}
	return out
}

// metricCode finds the metric a placeholder names, by code or in words,
// without regard to case; cumulative says it asks for the cumulative.
func metricCode(prog *nscl.Programme, name string) (code string, cumulative, ok bool) {
	// "luỹ" is spelt either way.
	lower := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "luỹ", "lũy")
	lower, cumulative = strings.CutSuffix(lower, " lũy kế")
	for c, words := range MetricPlaceholders(prog) {
		if lower == strings.ToLower(c) || lower == words {
			return c, cumulative, true
		}
	}
	return "", false, false
}

// ShowPlaceholders writes a stored text's metric placeholders in words, as
// the report page shows them: {trainees} → {số học viên}.
func ShowPlaceholders(prog *nscl.Programme, text string) string {
	names := MetricPlaceholders(prog)
	return rewriteMetrics(prog, text, func(code string) string { return names[code] })
}

// StorePlaceholders writes a text's metric placeholders as codes, as they
// are stored, so that renaming a unit of measure does not break them.
func StorePlaceholders(prog *nscl.Programme, text string) string {
	return rewriteMetrics(prog, text, func(code string) string { return code })
}

func rewriteMetrics(prog *nscl.Programme, text string, name func(code string) string) string {
	return placeholder.ReplaceAllStringFunc(text, func(tok string) string {
		if !strings.HasPrefix(tok, "{") {
			return tok
		}
		code, cumulative, ok := metricCode(prog, tok[1:len(tok)-1])
		if !ok {
			return tok
		}
		if cumulative {
			return "{" + name(code) + " lũy kế}"
		}
		return "{" + name(code) + "}"
	})
}

// composer writes stored parts into a document, filling in placeholders
// and noting those it does not understand and the blanks left.
type composer struct {
	d        *docx.Document
	in       WordInput
	problems []string
	blanks   []string
}

// group is the task group whose point is being written.
type group struct {
	nscl.TaskGroup
	acts GroupActivities
}

// paragraphs writes a stored part as paragraphs, one per line.
func (c *composer) paragraphs(part, text string, g *group) []docx.Block {
	var out []docx.Block
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case line == "{căn cứ}":
			for _, doc := range c.in.Legal {
				out = append(out, bodyParagraph(docx.Run{Text: basis(doc)}))
			}
		case line == "{chỉ tiêu giai đoạn sau}" && c.in.Period != nil:
			for _, l := range nextPlanTargets(c.in.Period) {
				out = append(out, bodyParagraph(c.runs(part, l, nil, docx.Run{})...))
			}
		case line == "{chỉ tiêu năm sau}":
			lines := nextYearTargets(c.in.Report)
			if len(lines) == 0 {
				lines = []string{"- " + noNextYearTargets(c.in.Report)}
			}
			for _, l := range lines {
				out = append(out, bodyParagraph(c.runs(part, l, nil, docx.Run{})...))
			}
		case line == "{hoạt động}" && g != nil:
			for _, a := range g.acts.Cited {
				if item := itemText(a); item != "" && !a.NotInFootnote {
					out = append(out, bodyParagraph(docx.Run{Text: "- " + upperFirst(item) + "."}))
				}
			}
			if g.acts.More > 0 {
				out = append(out, bodyParagraph(docx.Run{Text: "- " + moreActivities(g.acts.More) + "."}))
			}
		default:
			out = append(out, bodyParagraph(c.runs(part, line, g, docx.Run{})...))
		}
	}
	return out
}

// runs fills in the placeholders of one line; its text takes the
// formatting of base.
func (c *composer) runs(part, line string, g *group, base docx.Run) []docx.Run {
	var runs []docx.Run
	text := func(s string) {
		if s != "" {
			r := base
			r.Text = s
			runs = append(runs, r)
		}
	}
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(line, -1) {
		text(line[last:m[0]])
		last = m[1]
		switch {
		case m[6] >= 0: // [cần bổ sung: …]
			r := base
			r.Text, r.Highlight = line[m[0]:m[1]], true
			runs = append(runs, r)
			c.blank(part, line[m[0]:m[1]])
		case m[4] >= 0 && strings.Contains(line[m[4]:m[5]], "[^"):
			c.problem(part, line[m[0]:m[1]], "chú thích không thể nằm trong chú thích")
			text(line[m[0]:m[1]])
		case m[4] >= 0: // [^footnote]
			runs = append(runs, c.d.Footnote(docx.Run{Text: c.plain(part, line[m[4]:m[5]], g)}))
		case line[m[2]:m[3]] == "chú thích" && g != nil:
			if note := activityList(g.acts); note != "" {
				runs = append(runs, c.d.Footnote(docx.Run{Text: note}))
			}
		default:
			text(c.value(part, line[m[2]:m[3]], g))
		}
	}
	text(line[last:])
	return runs
}

// plain fills in the placeholders of a footnote's text, which cannot hold
// footnotes of its own.
func (c *composer) plain(part, s string, g *group) string {
	return placeholder.ReplaceAllStringFunc(s, func(tok string) string {
		switch {
		case tok == "{chú thích}":
			c.problem(part, tok, "chú thích không thể nằm trong chú thích")
			return tok
		case strings.HasPrefix(tok, "["+blankWords):
			c.blank(part, tok)
			return tok
		}
		return c.value(part, tok[1:len(tok)-1], g)
	})
}

// value is what a placeholder stands for; one it does not understand stays
// as written and is noted.
func (c *composer) value(part, name string, g *group) string {
	r := c.in.Report
	if p := c.in.Period; p != nil {
		// A summary's figures are the period's: a metric's, whether asked
		// for the year or cumulative, is its total since the plan began.
		switch name {
		case "năm":
			return p.span()
		case "năm sau":
			return p.nextSpan()
		case "đánh giá":
			return strings.Join(p.Evaluation(), " ")
		}
		if code, _, ok := metricCode(r.Programme, name); ok {
			_, total, _ := metricValues(r, code)
			return vnfmt.Int(total)
		}
	}
	switch name {
	case "năm":
		return strconv.Itoa(r.Year)
	case "năm sau":
		return strconv.Itoa(r.Year + 1)
	case "đánh giá":
		return strings.Join(Evaluation(r), " ")
	}
	if g != nil {
		switch name {
		case "kết quả":
			return joinVietnamese(groupTotals(r, g.acts.Sums))
		case "số hoạt động":
			return vnfmt.Count(g.acts.Count)
		}
	}
	// Keywords are matched without regard to case.
	lower := strings.ToLower(name)
	if ref, ok := strings.CutPrefix(lower, "văn bản "); ok {
		if doc, found := c.document(part, name, ref); found {
			return doc.Citation()
		}
		return "{" + name + "}"
	}
	if ref, ok := strings.CutPrefix(lower, "căn cứ "); ok {
		if doc, found := c.document(part, name, ref); found {
			return basis(doc)
		}
		return "{" + name + "}"
	}
	if code, cumulative, ok := metricCode(r.Programme, name); ok {
		year, total, _ := metricValues(r, code)
		if cumulative {
			return vnfmt.Int(total)
		}
		return vnfmt.Int(year)
	}
	c.problem(part, "{"+name+"}", "không có chỉ tiêu, số liệu hay mục thay thế nào tên như vậy")
	return "{" + name + "}"
}

// document finds a document of the registry by its number and symbol.
func (c *composer) document(part, name, ref string) (nscl.Document, bool) {
	for _, d := range c.in.Documents {
		if d.HasNumber(ref) {
			return d, true
		}
	}
	c.problem(part, "{"+name+"}", "văn bản "+strings.ReplaceAll(strings.TrimSpace(ref), " ", "")+" không có trong danh mục văn bản")
	return nscl.Document{}, false
}

func (c *composer) problem(part, token, why string) {
	c.problems = append(c.problems, fmt.Sprintf("%s: %s — %s.", c.label(part), token, why))
}

func (c *composer) blank(part, token string) {
	c.blanks = append(c.blanks, fmt.Sprintf("%s: còn để trống %s.", c.label(part), token))
}

// label names a part as the document being written numbers it: a
// summary's parts by the summary's sections.
func (c *composer) label(part string) string {
	if l, ok := summaryLabels[part]; ok && c.in.Period != nil {
		return l
	}
	return PartLabel(part)
}

// basis is the "Căn cứ …" sentence of section I.1 for a document.
func basis(d nscl.Document) string {
	return "Căn cứ " + d.Citation() + " " + d.Title + "."
}

// metricValues is an indicator's or measure's result for the year and
// cumulative, by code.
func metricValues(r *Report, code string) (year, cumulative int64, ok bool) {
	for _, ind := range r.Indicators {
		if ind.Metric.Code == code {
			return ind.YearValue, ind.Cumulative, true
		}
	}
	for _, m := range r.Measures {
		if m.Metric.Code == code {
			return m.YearValue, m.Cumulative, true
		}
	}
	return 0, 0, false
}

// activityList is the text of a task group's footnote: its activities in
// their own words, joined as one sentence the way the seed's footnotes are.
// Activities marked as not listed count in the totals but are left out.
// Only the activities the reader may read are cited; a reader's copy says
// how many others the totals hold, so that the footnote does not pass for
// the whole list.
func activityList(acts GroupActivities) string {
	var items []string
	for _, a := range acts.Cited {
		if item := itemText(a); item != "" && !a.NotInFootnote {
			items = append(items, lowerFirst(item))
		}
	}
	var note string
	if len(items) > 0 {
		note = upperFirst(strings.Join(items, "; ")) + "."
	}
	if acts.More > 0 {
		note = strings.TrimSpace(note + " " + moreActivities(acts.More) + ".")
	}
	if n := acts.Withheld(); n > 0 {
		note = strings.TrimSpace(note + " " + fmt.Sprintf("%s hoạt động của đơn vị khác có trong số liệu nhưng không được liệt kê trong bản này.", vnfmt.Count(n)))
	}
	return note
}

// moreActivities says how many activities a document did not cite past
// CitedInDocument, and where they are all listed.
func moreActivities(n int64) string {
	return fmt.Sprintf("Ngoài ra còn %s hoạt động khác, liệt kê đầy đủ trong tệp Excel (.xlsx) của báo cáo", vnfmt.Count(n))
}

// text is a written part as the report uses it: written for the year, or
// the unit's setting, or, when neither is written, its default.
func (in WordInput) text(key string) string {
	if t := strings.TrimSpace(in.Narrative[key]); t != "" {
		return t
	}
	return DefaultText(in, key)
}

// itemText is an activity's description as an item of a list: without the
// punctuation that ends it, since the list puts its own.
func itemText(a nscl.Activity) string {
	return strings.TrimRight(strings.TrimSpace(a.Description), " .;")
}

// Part is a written part of the report as the report page offers it.
type Part struct {
	Key, Label string
	Long       bool // many lines
	Setting    bool // the unit's, for every year (nscl.ReportSettingParts)
	Summary    bool // a part of a period's summary, named by its sections
}

// staticParts are the parts every report has, in the report's order;
// Parts adds the task groups'.
var staticParts = []Part{
	{Key: "parent_agency", Label: "Cơ quan chủ quản", Long: true}, {Key: "agency", Label: "Cơ quan ban hành (xuống dòng như sẽ in)", Long: true},
	{Key: "agency_name", Label: "Tên cơ quan trong câu văn"}, {Key: "agency_short", Label: "Tên viết tắt"},
	{Key: "number", Label: "Ký hiệu văn bản (sau “Số: …/”, ví dụ SKH-CN-TĐC)"}, {Key: "place", Label: "Địa danh"},
	{Key: "date", Label: "Ngày ban hành (dd/mm/yyyy; để trống đến khi ký)"},
	{Key: "subject", Label: "Trích yếu", Long: true}, {Key: "request", Label: "Văn bản yêu cầu báo cáo", Long: true},
	{Key: "direction", Label: "I.1 Công tác lãnh đạo, chỉ đạo", Long: true}, {Key: "communication", Label: "I.2 Thông tin, truyền thông", Long: true},
	{Key: "evaluation_intro", Label: "II.1 Đánh giá (trước bảng kết quả)", Long: true}, {Key: "evaluation", Label: "II.1 Đánh giá (sau bảng kết quả)", Long: true},
	{Key: "obstacles", Label: "II.2 Tồn tại, vướng mắc", Long: true}, {Key: "directions", Label: "III.1 Phương hướng", Long: true},
	{Key: "solutions", Label: "III.2 Giải pháp", Long: true}, {Key: "proposals", Label: "IV Đề xuất, kiến nghị", Long: true},
	{Key: "recipients", Label: "Nơi nhận (mỗi dòng một nơi, như sẽ in)", Long: true}, {Key: "signer_title", Label: "Chức danh người ký", Long: true},
	{Key: "signer_name", Label: "Người ký"},
}

// Parts lists the written parts of the programme's report in its order.
func Parts(prog *nscl.Programme) []Part {
	var out []Part
	for _, p := range staticParts {
		p.Setting = nscl.IsReportSetting(p.Key)
		out = append(out, p)
		if p.Key == "communication" {
			for _, g := range prog.TaskGroups {
				out = append(out, Part{Key: nscl.GroupPart(g.Letter), Label: "I.3 " + g.Letter + ") " + g.Name, Long: true})
			}
		}
	}
	return out
}

// PartLabel names a part in warnings.
func PartLabel(key string) string {
	for _, p := range staticParts {
		if p.Key == key {
			return p.Label
		}
	}
	if label, ok := summaryLabels[key]; ok {
		return label
	}
	if letter, ok := strings.CutPrefix(key, "group_"); ok {
		return "I.3 " + letter + ")"
	}
	return key
}

func bodyParagraph(runs ...docx.Run) docx.Paragraph {
	return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, Runs: runs}
}
