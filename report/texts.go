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
// per line. Words in braces are filled in from the data when the document
// is written, so that a sentence written once for 2022 stays true in 2023
// and a number is never typed twice:
//
//	{năm}, {năm sau}        the report's year and the next
//	{CODE}, {CODE lũy kế}   an indicator's or measure's result for the year, or cumulative: {trainees} → 16.192
//	{văn bản 4225/KH-CN-TĐC} a document of the registry as text cites it
//	{căn cứ 1322/QĐ-TTg}    "Căn cứ <citation> <title>." for a document of the registry
//	{căn cứ}                the legal basis: the programme's decision and the multi-year plan
//	{đánh giá}              the evaluation sentences of the results table
//	{chỉ tiêu năm sau}      alone on a line: next year's targets, one paragraph each
//	[^text]                 a footnote with that text
//
// In a task group's point of section I.3 also:
//
//	{kết quả}               the group's totals for the year: "963 lượt doanh nghiệp và 16.192 học viên"
//	{số hoạt động}          how many activities the group reported
//	{chú thích}             the footnote that lists the group's activities in their own words
//	{hoạt động}             alone on a line: the group's activities, one paragraph each
var placeholder = regexp.MustCompile(`\{([^{}\n]+)\}|\[\^([^\]\n]+)\]`)

// Placeholders lists the placeholders for the report page's help, with what
// each stands for.
var Placeholders = [][2]string{
	{"{năm}", "năm báo cáo"}, {"{năm sau}", "năm tiếp theo"},
	{"{mã chỉ tiêu}", "kết quả năm của chỉ tiêu hoặc số liệu theo mã, ví dụ {trainees}"},
	{"{mã chỉ tiêu lũy kế}", "kết quả lũy kế từ đầu kế hoạch"},
	{"{văn bản số/ký hiệu}", "trích dẫn văn bản trong danh mục, ví dụ {văn bản 4225/KH-CN-TĐC}"},
	{"{căn cứ số/ký hiệu}", "câu “Căn cứ …” của một văn bản"}, {"{căn cứ}", "căn cứ: quyết định của chương trình và kế hoạch 05 năm"},
	{"{đánh giá}", "câu đánh giá sinh từ bảng kết quả"}, {"{chỉ tiêu năm sau}", "(một dòng riêng) chỉ tiêu của kế hoạch năm sau"},
	{"[^nội dung]", "chú thích cuối trang"},
	{"{kết quả}", "(mục I.3) tổng kết quả của nhóm nhiệm vụ"}, {"{số hoạt động}", "(mục I.3) số hoạt động của nhóm"},
	{"{chú thích}", "(mục I.3) chú thích liệt kê các hoạt động của nhóm"}, {"{hoạt động}", "(mục I.3, một dòng riêng) các hoạt động của nhóm, mỗi hoạt động một đoạn"},
}

// composer writes stored parts into a document, filling in placeholders
// and noting those it does not understand.
type composer struct {
	d        *docx.Document
	in       WordInput
	problems []string
}

// group is the task group whose point is being written.
type group struct {
	nscl.TaskGroup
	acts []nscl.Activity
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
		case line == "{chỉ tiêu năm sau}":
			for _, ind := range c.in.Report.Indicators {
				if ind.HasNextYearTarget {
					out = append(out, bodyParagraph(docx.Run{Text: fmt.Sprintf("- %s, mục tiêu %s %s.", ind.Metric.Name, vnfmt.Int(ind.NextYearTarget), ind.Metric.Unit)}))
				}
			}
		case line == "{hoạt động}" && g != nil:
			for _, a := range g.acts {
				if item := itemText(a); item != "" {
					out = append(out, bodyParagraph(docx.Run{Text: "- " + upperFirst(item) + "."}))
				}
			}
		default:
			out = append(out, bodyParagraph(c.runs(part, line, g)...))
		}
	}
	return out
}

// runs fills in the placeholders of one line.
func (c *composer) runs(part, line string, g *group) []docx.Run {
	var runs []docx.Run
	text := func(s string) {
		if s != "" {
			runs = append(runs, docx.Run{Text: s})
		}
	}
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(line, -1) {
		text(line[last:m[0]])
		last = m[1]
		switch {
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
		if tok == "{chú thích}" {
			c.problem(part, tok, "chú thích không thể nằm trong chú thích")
			return tok
		}
		return c.value(part, tok[1:len(tok)-1], g)
	})
}

// value is what a placeholder stands for; one it does not understand stays
// as written and is noted.
func (c *composer) value(part, name string, g *group) string {
	r := c.in.Report
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
			return joinVietnamese(groupTotals(r, g.acts))
		case "số hoạt động":
			return strconv.Itoa(len(g.acts))
		}
	}
	// Keywords are matched without regard to case, and "luỹ" spelt either way.
	lower := strings.ReplaceAll(strings.ToLower(name), "luỹ", "lũy")
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
	code, cumulative := strings.CutSuffix(lower, " lũy kế")
	if year, total, ok := metricValues(r, code); ok {
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
	ref = strings.ReplaceAll(strings.TrimSpace(ref), " ", "")
	for _, d := range c.in.Documents {
		if strings.EqualFold(d.NumberSymbol(), ref) {
			return d, true
		}
	}
	c.problem(part, "{"+name+"}", "văn bản "+ref+" không có trong danh mục văn bản")
	return nscl.Document{}, false
}

func (c *composer) problem(part, token, why string) {
	c.problems = append(c.problems, fmt.Sprintf("%s: %s — %s.", PartLabel(part), token, why))
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
func activityList(acts []nscl.Activity) string {
	var items []string
	for _, a := range acts {
		if item := itemText(a); item != "" {
			items = append(items, lowerFirst(item))
		}
	}
	if len(items) == 0 {
		return ""
	}
	return upperFirst(strings.Join(items, "; ")) + "."
}

// DefaultText is what a written part says when nothing is written for it;
// the report page shows it as the field's hint.
func DefaultText(in WordInput, key string) string {
	switch key {
	case "direction":
		return "{căn cứ}"
	case "evaluation":
		return "{đánh giá}"
	case "directions":
		if len(nextYearLines(in.Report)) > 0 {
			return fmt.Sprintf("Chỉ tiêu của Kế hoạch năm %d:\n{chỉ tiêu năm sau}", in.Report.Year+1)
		}
	}
	if letter, ok := strings.CutPrefix(key, "group_"); ok {
		return defaultGroupText(in.Report, in.ByGroup[letter])
	}
	return ""
}

// text is a written part, or its default when nothing is written.
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

// defaultGroupText is a task group's point when none is written: a
// sentence with its totals and the footnote of its activities, or nothing
// for a group that reported nothing (the heading then ends in "/").
func defaultGroupText(r *Report, acts []nscl.Activity) string {
	switch {
	case len(acts) == 0:
		return ""
	case len(groupTotals(r, acts)) == 0:
		return "Năm {năm}, {số hoạt động} hoạt động đã được báo cáo{chú thích}."
	}
	return "Năm {năm}, {số hoạt động} hoạt động đã được báo cáo, với kết quả {kết quả}{chú thích}."
}

// Part is a written part of the report as the report page offers it.
type Part struct {
	Key, Label string
	Long       bool // many lines
}

// staticParts are the parts every report has, in the report's order;
// Parts adds the task groups'.
var staticParts = []Part{
	{"parent_agency", "Cơ quan chủ quản", true}, {"agency", "Cơ quan ban hành", false},
	{"agency_name", "Tên cơ quan trong câu văn", false}, {"agency_short", "Tên viết tắt", false},
	{"number", "Số, ký hiệu", false}, {"place", "Địa danh", false}, {"date", "Ngày ban hành (yyyy-mm-dd)", false},
	{"subject", "Trích yếu", true}, {"request", "Văn bản yêu cầu báo cáo", true},
	{"direction", "I.1 Công tác lãnh đạo, chỉ đạo", true}, {"communication", "I.2 Thông tin, truyền thông", true},
	{"evaluation_intro", "II.1 Đánh giá (trước bảng kết quả)", true}, {"evaluation", "II.1 Đánh giá (sau bảng kết quả)", true},
	{"obstacles", "II.2 Tồn tại, vướng mắc", true}, {"directions", "III.1 Phương hướng", true},
	{"solutions", "III.2 Giải pháp", true}, {"proposals", "IV Đề xuất, kiến nghị", true},
	{"recipients", "Nơi nhận (mỗi dòng một nơi)", true}, {"signer_title", "Chức danh người ký", true}, {"signer_name", "Người ký", false},
}

// Parts lists the written parts of the programme's report in its order.
func Parts(prog *nscl.Programme) []Part {
	var out []Part
	for _, p := range staticParts {
		out = append(out, p)
		if p.Key == "communication" {
			for _, g := range prog.TaskGroups {
				out = append(out, Part{nscl.GroupPart(g.Letter), "I.3 " + g.Letter + ") " + g.Name, true})
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
	if letter, ok := strings.CutPrefix(key, "group_"); ok {
		return "I.3 " + letter + ")"
	}
	return key
}

func bodyParagraph(runs ...docx.Run) docx.Paragraph {
	return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, Runs: runs}
}
