package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"nscl"
	"nscl/docx"
	"nscl/store"
	"nscl/vnfmt"
)

// WordInput is everything the Word report is written from.
type WordInput struct {
	Report    *Report
	Head      nscl.ReportHead
	Legal     []nscl.Document            // the legal basis section I.1 cites by default ("Căn cứ …")
	Documents []nscl.Document            // the registry, for placeholders that cite a document
	ByGroup   map[string]GroupActivities // the year's activities by task-group letter: counted, and cited in the footnotes
	Reporting int64                      // how many units reported the year's activities
	// Narrative holds the written parts by key (see Parts): the year's, over
	// the unit's settings. A part missing from it says its DefaultText.
	Narrative  map[string]string
	Previous   map[string]string // the parts written for last year: offered on the report page, never used
	Request    *nscl.Document    // the document of a round that asked the unit to report on the year; nil when none
	Period     *Period           // for a plan period's summary, the period; nil for a year's report
	ParentName string            // the unit's parent, the default "cơ quan chủ quản"
	UnitNames  map[int64]string  // every unit's name by ID, for the activity list
	// Format is what Gather gathered for (Request.Format), and so which
	// chart figures it read (ChartsOf).
	Format string
	// Yearly and ByUnit are the charts' figures: for the annex, each
	// indicator's years up to the report's and the year's figures unit by
	// unit; for the report page, each indicator's years of the whole plan.
	// Nil where the format draws none, and in a summary.
	Yearly []YearSeries
	ByUnit []UnitRow
	Annex  []AnnexPart // the annex's charts, drawn by WriteDocument; nil for no annex
	// Stored and Settings are the texts as stored for the document (its
	// year's, summaries' included) and as the unit's settings, which
	// Narrative is made from: the report page shows them and checks their
	// versions without reading them again.
	Stored, Settings map[string]string
	// st is the store the input was read from, from which the .xlsx file
	// lists every activity of the year (EachActivity); nil in an input
	// made by hand.
	st *store.Store
}

// Word styles of Nghị định 30/2020: Times New Roman; body 14 pt justified.
const (
	bodySize  = 14
	smallSize = 12
)

// WriteWord writes the annual report as a .docx document.
func WriteWord(w io.Writer, in WordInput) error {
	d, _ := Compose(in)
	return d.Write(w, in.Head.Subject)
}

// WriteHTML writes the annual report as an HTML page for preview and
// printing, laid out from the same document as the Word file.
func WriteHTML(w io.Writer, in WordInput) error {
	d, _ := Compose(in)
	return d.WriteHTML(w, in.Head.Subject)
}

// Compose lays the annual report out as a document, and returns with it
// the placeholders of the written parts it could not fill in.
func Compose(in WordInput) (*docx.Document, []string) {
	d, c := compose(in)
	return d, c.problems
}

func compose(in WordInput) (*docx.Document, *composer) {
	r := in.Report
	d := newDocument()
	c := &composer{d: d, in: in}
	h := in.Head
	c.head(h)
	if h.RequestCitation != "" {
		d.Body = append(d.Body, c.paragraphs("request", "Thực hiện yêu cầu tại "+h.RequestCitation+", "+agencyShort(h)+" báo cáo như sau:", nil)...)
	}

	d.Body = append(d.Body, heading("I. Tình hình triển khai và kết quả thực hiện Chương trình"))
	d.Body = append(d.Body, heading("1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện"))
	d.Body = append(d.Body, c.paragraphs("direction", in.text("direction"), nil)...)
	d.Body = append(d.Body, heading("2. Công tác thông tin, truyền thông Chương trình"))
	d.Body = append(d.Body, c.paragraphs("communication", in.text("communication"), nil)...)
	d.Body = append(d.Body, heading(tasksHeading(3, in.Legal, r.Programme)))
	for _, g := range r.Programme.TaskGroups {
		d.Body = append(d.Body, c.group(g, in.ByGroup[g.Letter])...)
	}

	d.Body = append(d.Body, heading(fmt.Sprintf("II. Đánh giá kết quả, hiệu quả đã đạt được trong năm %d và lũy kế kết quả, hiệu quả đạt được từ đầu Chương trình đến hết năm %d", r.Year, r.Year)))
	d.Body = append(d.Body, heading("1. Đánh giá kết quả, hiệu quả đã đạt được"))
	d.Body = append(d.Body, c.paragraphs("evaluation_intro", in.text("evaluation_intro"), nil)...)
	if line := r.FormerLine(); line != "" {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: line}))
	}
	d.Body = append(d.Body, bodyParagraph(docx.Run{Text: fmt.Sprintf("Kết quả đạt được năm %d và từ đầu Chương trình đến hết năm %d:", r.Year, r.Year)}))
	d.Body = append(d.Body, resultsTable(r))
	if note := r.SummedNote(); note != "" {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: note}))
	}
	d.Body = append(d.Body, c.paragraphs("evaluation", in.text("evaluation"), nil)...)
	for _, line := range Reach(r) {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: line}))
	}
	d.Body = append(d.Body, heading("2. Những tồn tại và vướng mắc"))
	d.Body = append(d.Body, c.paragraphs("obstacles", in.text("obstacles"), nil)...)
	d.Body = append(d.Body, heading(fmt.Sprintf("III. Phương hướng, giải pháp thực hiện Chương trình năm %d", r.Year+1)))
	d.Body = append(d.Body, heading("1. Phương hướng:"))
	d.Body = append(d.Body, c.paragraphs("directions", in.text("directions"), nil)...)
	d.Body = append(d.Body, heading("2. Giải pháp thực hiện:"))
	d.Body = append(d.Body, c.paragraphs("solutions", in.text("solutions"), nil)...)
	d.Body = append(d.Body, heading("IV. Đề xuất, kiến nghị"))
	d.Body = append(d.Body, c.paragraphs("proposals", in.text("proposals"), nil)...)
	c.sign(h)
	d.Annex = annex(in.Annex)
	return d, c
}

// newDocument is an empty report in the layout of Nghị định 30/2020: A4,
// Times New Roman 14 pt, margins 20–25 mm top and bottom, 30–35 left,
// 15–20 right, page numbers from the second page.
func newDocument() *docx.Document {
	return &docx.Document{Font: "Times New Roman", FontSize: bodySize, MarginTop: 20, MarginBottom: 20, MarginLeft: 30, MarginRight: 15, PageNumbers: true}
}

// heading is a heading of the report's body: bold, as the sections of the
// seed are.
func heading(text string) docx.Paragraph {
	return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceBefore: 6, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: text, Bold: true}}}
}

// textWidth is the width between the margins of newDocument, in mm.
const textWidth = 210 - 30 - 15

// head writes the letterhead, the document's name and its subject with a
// short rule under it.
func (c *composer) head(h nscl.ReportHead) {
	c.d.Body = append(c.d.Body, c.letterhead(h),
		docx.Paragraph{Align: "center", SpaceBefore: 12, Runs: []docx.Run{{Text: "BÁO CÁO", Bold: true}}},
		docx.Paragraph{Align: "center", SpaceAfter: 0, Runs: c.runs("subject", h.Subject, nil, docx.Run{Bold: true})},
		subjectRule(),
	)
}

// subjectRule is the short rule under the subject, and the space before
// the text.
func subjectRule() docx.Paragraph {
	p := docx.Rule(textWidth, 40)
	p.SpaceAfter = 12
	return p
}

// letterhead is the top of an administrative document: the agency on the
// left, the national title on the right, each with a short rule under it.
// The two columns fill the text's width exactly (Nghị định 30 sets the
// sizes: names and the national title 12 pt, the motto, number and date
// 13 pt). The right one holds "Thành phố Hồ Chí Minh, ngày 31 tháng 12 năm
// 2022" on a line; a long agency name breaks where its setting breaks it.
func (c *composer) letterhead(h nscl.ReportHead) docx.Table {
	const left, right = 64.0, textWidth - 64.0
	date := "ngày … tháng … năm …" // dated when signed
	if !h.Date.IsZero() {
		date = "ngày " + nscl.LongDate(h.Date)
	}
	if h.Place != "" {
		date = h.Place + ", " + date
	}
	number := h.NumberSymbol
	if !strings.HasPrefix(number, "Số") {
		number = "Số:        /" + number
	}
	cell := func(part, text string, base docx.Run) []docx.Run { return c.runs(part, text, nil, base) }
	return docx.Table{Widths: []float64{left, right}, Layout: true, Rows: [][]docx.Cell{{
		{Paragraphs: []docx.Paragraph{
			{Align: "center", SpaceAfter: 0, Runs: cell("parent_agency", upperOutsideBlanks(h.ParentAgency), docx.Run{Size: 12})},
			{Align: "center", SpaceAfter: 0, Runs: cell("agency", upperOutsideBlanks(h.Agency), docx.Run{Bold: true, Size: 12})},
			docx.Rule(left, 25),
			{Align: "center", SpaceBefore: 6, Runs: cell("number", number, docx.Run{Size: 13})},
		}},
		{Paragraphs: []docx.Paragraph{
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true, Size: 12}}},
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true, Size: 13}}},
			docx.Rule(right, 58),
			{Align: "center", SpaceBefore: 6, Runs: cell("place", date, docx.Run{Italic: true, Size: 13})},
		}},
	}}}
}

// upperOutsideBlanks writes a name in capitals, as a letterhead prints it,
// leaving a marked blank as it is written.
func upperOutsideBlanks(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		if m[6] < 0 {
			continue
		}
		b.WriteString(strings.ToUpper(s[last:m[0]]) + s[m[0]:m[1]])
		last = m[1]
	}
	return b.String() + strings.ToUpper(s[last:])
}

// sign ends the body with the signature, keeping the paragraph before it
// on its page: a signature alone on a page would sign nothing.
func (c *composer) sign(h nscl.ReportHead) {
	if n := len(c.d.Body); n > 0 {
		if p, ok := c.d.Body[n-1].(docx.Paragraph); ok {
			p.KeepNext = true
			c.d.Body[n-1] = p
		}
	}
	c.d.Body = append(c.d.Body, c.signature(h))
}

// signature is "Nơi nhận" on the left and the signer on the right. The
// recipients are printed as typed, one a line, each after a dash unless it
// has one; the signer's title and name are 14 pt bold.
func (c *composer) signature(h nscl.ReportHead) docx.Table {
	recipients := []docx.Paragraph{{SpaceAfter: 0, Runs: []docx.Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 12}}}}
	for _, rcp := range h.Recipients {
		if !strings.HasPrefix(rcp, "-") && !strings.HasPrefix(rcp, "["+blankWords) {
			rcp = "- " + rcp
		}
		recipients = append(recipients, docx.Paragraph{SpaceAfter: 0, Runs: c.runs("recipients", rcp, nil, docx.Run{Size: 11})})
	}
	var signer []docx.Paragraph
	for _, line := range strings.Split(h.SignerTitle, "\n") {
		signer = append(signer, docx.Paragraph{Align: "center", SpaceAfter: 0, Runs: c.runs("signer_title", line, nil, docx.Run{Bold: true, Size: bodySize})})
	}
	signer = append(signer, docx.Paragraph{Align: "center", SpaceBefore: 72, Runs: c.runs("signer_name", h.SignerName, nil, docx.Run{Bold: true, Size: bodySize})})
	return docx.Table{Widths: []float64{85, textWidth - 85}, Layout: true, Rows: [][]docx.Cell{{{Paragraphs: recipients}, {Paragraphs: signer}}}}
}

// tasksHeading opens the results of the task groups, point n of section
// I, naming the programme's decision when it is on file: "3. Kết quả thực
// hiện các nhiệm vụ thuộc Chương trình nhiệm vụ, giải pháp tại Quyết định
// số 1322/QĐ-TTg, cụ thể:".
func tasksHeading(n int, legal []nscl.Document, prog *nscl.Programme) string {
	for _, d := range legal {
		if d.ID == prog.DocumentID {
			return fmt.Sprintf("%d. Kết quả thực hiện các nhiệm vụ thuộc Chương trình nhiệm vụ, giải pháp tại %s số %s, cụ thể:", n, d.Type, d.NumberSymbol())
		}
	}
	return fmt.Sprintf("%d. Kết quả thực hiện các nhiệm vụ thuộc Chương trình", n)
}

// group writes a task group's point of section I.3: its heading, then its
// written text or, when none is written, a sentence with its totals and a
// footnote listing its activities in their own words. A point written as
// "/" ends the heading in "/", as the seed marks a group with nothing to say.
func (c *composer) group(g nscl.TaskGroup, acts GroupActivities) []docx.Block {
	part := nscl.GroupPart(g.Letter)
	head := docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: g.Letter + ") " + g.Name + ":", Italic: true}}}
	text := c.in.text(part)
	if text == "/" {
		head.KeepNext = false
		head.Runs = append(head.Runs, docx.Run{Text: " /"})
		return []docx.Block{head}
	}
	return append([]docx.Block{head}, c.paragraphs(part, text, &group{g, acts})...)
}

// agencyShort names the issuing agency in running text: "Sở Khoa học và
// Công nghệ (Sở KHCN)".
func agencyShort(h nscl.ReportHead) string {
	name := h.AgencyName
	if name == "" {
		name = h.Agency
	}
	if h.AgencyShort != "" {
		name += " (" + h.AgencyShort + ")"
	}
	return name
}

// groupTotals lists the totals of the metrics of a task group that its
// activities reported: "336 doanh nghiệp", "16.192 học viên".
func groupTotals(r *Report, sums map[string]int64) []string {
	var out []string
	for _, m := range r.Programme.Metrics {
		if v, ok := sums[m.Code]; ok && v > 0 {
			out = append(out, vnfmt.Count(v)+" "+m.Unit)
		}
	}
	return out
}

func joinVietnamese(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " và " + items[len(items)-1]
}

// resultsTable is table II.1: five columns, or seven when the year has an
// annual plan with targets, and one more for the programme's cumulative
// when the plan starts after the programme.
func resultsTable(r *Report) docx.Table {
	widths := []float64{55, 30, 27, 30, 23}
	switch {
	case r.HasAnnualTargets() && r.ShowsProgrammeTotal():
		widths = []float64{37, 19, 19, 19, 15, 21, 16, 19}
	case r.HasAnnualTargets():
		widths = []float64{45, 21, 21, 21, 16, 24, 17}
	case r.ShowsProgrammeTotal():
		widths = []float64{45, 25, 24, 27, 20, 24}
	}
	var rows [][]string
	for _, ind := range r.Indicators {
		rows = append(rows, r.TableRow(ind))
	}
	return table(widths, r.TableHeadings(), rows)
}

// table is a bordered table of 12 pt text under a shaded heading row that
// repeats on every page; the first column is text, set left (narrow
// columns justified open wide gaps), the others centred.
func table(widths []float64, headings []string, rows [][]string) docx.Table {
	t := docx.Table{Widths: widths, Borders: true, Header: 1}
	var head []docx.Cell
	for _, h := range headings {
		head = append(head, docx.Cell{Shade: true, Paragraphs: []docx.Paragraph{{Align: "center", Runs: []docx.Run{{Text: h, Bold: true, Size: smallSize}}}}})
	}
	t.Rows = append(t.Rows, head)
	for _, cells := range rows {
		var row []docx.Cell
		for i, text := range cells {
			align := "center"
			if i == 0 {
				align = "left"
			}
			row = append(row, docx.Cell{Paragraphs: []docx.Paragraph{{Align: align, Runs: []docx.Run{{Text: text, Size: smallSize}}}}})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Evaluation writes the sentences that follow the results table: the
// indicators that lag, named with their completion, and those exceeded.
func Evaluation(r *Report) []string {
	var lagging, exceeded []string
	for _, ind := range r.Indicators {
		name := lowerFirst(ind.Metric.Name)
		switch ind.Status {
		case nscl.StatusBehind, nscl.StatusNotStarted:
			lagging = append(lagging, name+" mới chỉ đạt "+vnfmt.Percent(ind.CompletionPercent))
		case nscl.StatusExceeded:
			exceeded = append(exceeded, name+" ("+vnfmt.Percent(ind.CompletionPercent)+")")
		}
	}
	var out []string
	if len(lagging) > 0 {
		out = append(out, "Căn cứ Bảng kết quả trên, nhiệm vụ "+joinVietnamese(lagging)+", còn thấp so với mục tiêu đề ra của Kế hoạch 05 năm.")
	}
	if len(exceeded) > 0 {
		out = append(out, "Nhiệm vụ "+joinVietnamese(exceeded)+" đã vượt chỉ tiêu của Kế hoạch 05 năm.")
	}
	return append(out, annualEvaluation(r)...)
}

// annualEvaluation sets the year against its annual plan: the indicators
// that missed their target for the year, and those that met it.
func annualEvaluation(r *Report) []string {
	if !r.HasAnnualTargets() {
		return nil
	}
	var missed, met []string
	for _, ind := range r.Indicators {
		if !ind.HasAnnualTarget || ind.AnnualTarget == 0 {
			continue
		}
		name := lowerFirst(ind.Metric.Name)
		if ind.YearValue < ind.AnnualTarget {
			missed = append(missed, fmt.Sprintf("%s mới đạt %s (%s/%s %s)", name, vnfmt.Percent(ind.AnnualPercent), vnfmt.Int(ind.YearValue), vnfmt.Int(ind.AnnualTarget), ind.Metric.Unit))
		} else {
			met = append(met, fmt.Sprintf("%s (%s)", name, vnfmt.Percent(ind.AnnualPercent)))
		}
	}
	var out []string
	if len(missed) > 0 {
		out = append(out, fmt.Sprintf("So với %s, nhiệm vụ %s, chưa đạt chỉ tiêu năm.", r.YearPlan.Name, joinVietnamese(missed)))
	}
	if len(met) > 0 {
		out = append(out, fmt.Sprintf("Nhiệm vụ %s đã đạt chỉ tiêu của %s.", joinVietnamese(met), r.YearPlan.Name))
	}
	return out
}

// Reach says, for each indicator counted in enterprises whose activities
// name their beneficiaries, how many distinct enterprises those lists hold
// beside the visits, and how many activities still have no list. Nothing
// when no list is known, so a report without lists reads as before.
func Reach(r *Report) []string {
	var out []string
	for _, ind := range r.Indicators {
		y, cum := ind.YearReach, ind.CumulativeReach
		if !ind.Metric.CountsEnterprises() || !cum.Known() {
			continue
		}
		line := fmt.Sprintf("Theo danh sách doanh nghiệp hưởng lợi của các hoạt động, nội dung “%s” năm %d ghi nhận %s lượt, tương ứng %s doanh nghiệp (lũy kế %d–%d: %s lượt, %s doanh nghiệp)",
			ind.Metric.Name, r.Year, vnfmt.Int(y.Visits), vnfmt.Int(y.Enterprises), r.Plan.StartYear, r.Year, vnfmt.Int(cum.Visits), vnfmt.Int(cum.Enterprises))
		if cum.Unlisted > 0 {
			line += fmt.Sprintf("; %s hoạt động năm %d (lũy kế %s) chưa có danh sách doanh nghiệp hưởng lợi", vnfmt.Int(y.Unlisted), r.Year, vnfmt.Int(cum.Unlisted))
		}
		out = append(out, line+".")
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lowers the first letter unless the first word is an
// abbreviation ("TCVN", "DN"), which keeps its capitals.
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if len([]rune(word)) > 1 && strings.ToUpper(word) == word {
		return s
	}
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// NewWordInput gathers what the Word report needs beyond the results: the
// documents section I.1 cites (the programme's decision and the plans in
// force for the year), the year's activities under the unit, by task
// group, in the order they happened, and the names of the units those
// activities and the letterhead name (read by ID, not the whole tree).
func NewWordInput(ctx context.Context, st *store.Store, r *Report, narrative map[string]string) (WordInput, error) {
	in := WordInput{Report: r, Narrative: narrative, st: st}
	docs, err := st.Documents(ctx)
	if err != nil {
		return in, err
	}
	in.Documents = docs
	if in.ByGroup, in.Reporting, err = activitiesByGroup(ctx, st, r); err != nil {
		return in, err
	}
	units, err := st.UnitsByID(ctx, append(in.citedUnits(), r.Unit.ParentID))
	if err != nil {
		return in, err
	}
	in.UnitNames = map[int64]string{}
	for _, u := range units {
		in.UnitNames[u.ID] = u.Name
	}
	// Nghị định 30 heads a department's or a unit's document with the
	// authority above it; a People's Committee's, a ministry's, none.
	if r.Unit.Level == nscl.LevelDepartment || r.Unit.Level == nscl.LevelUnit {
		in.ParentName = in.UnitNames[r.Unit.ParentID]
	}
	in.Legal = legalBasis(docs, r.Programme, r.Plan, r.YearPlan)
	return in, nil
}

// citedUnits are the units of the activities the report cites, each once.
func (in WordInput) citedUnits() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, g := range in.ByGroup {
		for _, a := range g.Cited {
			if !seen[a.UnitID] {
				seen[a.UnitID] = true
				out = append(out, a.UnitID)
			}
		}
	}
	return out
}

// legalBasis is what section I.1 cites by default: the programme's
// decision, the multi-year plan's document and the year's annual plan's
// (nil for none).
func legalBasis(docs []nscl.Document, prog *nscl.Programme, plan nscl.Plan, yearPlan *nscl.Plan) []nscl.Document {
	cited := map[int64]bool{prog.DocumentID: true, plan.DocumentID: true}
	if yearPlan != nil {
		cited[yearPlan.DocumentID] = true
	}
	var out []nscl.Document
	for _, d := range docs {
		if cited[d.ID] {
			out = append(out, d)
		}
	}
	return out
}

// GroupActivities are a task group's activities of a year under the
// report's unit, approved or all, as the report counts them.
//
// The counts take in every one of them, whoever reads the report: they
// are the unit's totals, as the results table is. Cited holds only the
// activities of units the reader may read (nscl.User.CanSeeUnit), and
// only those are cited — in the footnotes, the {hoạt động} lists and the
// activity sheet — so that a reporter's copy of the city's report keeps
// the city's totals without another unit's rows. A footnote says how many
// it leaves out (Withheld).
type GroupActivities struct {
	Count int64                       // every activity
	Sums  map[string]int64            // their quantities by metric code
	Kinds map[nscl.ActivityKind]int64 // how many of each kind
	Units map[int64]bool              // the units that reported them
	Cited []nscl.Activity             // those the reader may read, in the order they happened
	// More is how many more the reader may read than Cited holds, when
	// the report cites the first of each group only (CitedPerGroup).
	More int64
}

// add counts an activity, and cites it when cited.
func (g *GroupActivities) add(a nscl.Activity, cited bool) {
	if g.Sums == nil {
		g.Sums, g.Kinds, g.Units = map[string]int64{}, map[nscl.ActivityKind]int64{}, map[int64]bool{}
	}
	g.Count++
	for _, q := range a.Quantities {
		g.Sums[q.Metric] += q.Value
	}
	g.Kinds[a.Kind]++
	g.Units[a.UnitID] = true
	if cited {
		g.Cited = append(g.Cited, a)
	}
}

// Withheld is how many of the group's activities the reader may not read.
func (g GroupActivities) Withheld() int64 { return g.Count - int64(len(g.Cited)) - g.More }

// activitiesByGroup reads the year's activities under the report's unit by
// task group, each group's in the order they happened, citing only those
// its reader may read. This is the one place a report reads activity rows,
// so the one place their scope is applied.
func activitiesByGroup(ctx context.Context, st *store.Store, r *Report) (map[string]GroupActivities, int64, error) {
	if r.CitedPerGroup > 0 {
		return firstByGroup(ctx, st, r)
	}
	by := map[string]GroupActivities{}
	f := store.ActivityFilter{Units: r.Counted.UnitIDs, Year: r.Year, Approved: r.ApprovedOnly}
	err := st.EachActivity(ctx, r.Programme, f, func(a nscl.Activity) error {
		g := by[a.TaskGroup]
		g.add(a, r.Reader == nil || r.Reader.CanSeeUnit(a.UnitID))
		by[a.TaskGroup] = g
		return nil
	})
	for _, g := range by {
		slices.SortFunc(g.Cited, func(a, b nscl.Activity) int {
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	return by, reporting(by), err
}

// reporting is how many units reported the groups' activities.
func reporting(by map[string]GroupActivities) int64 {
	units := map[int64]bool{}
	for _, g := range by {
		maps.Copy(units, g.Units)
	}
	return int64(len(units))
}

// readableUnits are the units the report counts whose activities its
// reader may read.
func (r *Report) readableUnits() []int64 {
	if r.Reader == nil {
		return r.Counted.UnitIDs
	}
	return slices.DeleteFunc(slices.Clone(r.Counted.UnitIDs), func(id int64) bool { return !r.Reader.CanSeeUnit(id) })
}

// treeFromUnits is the number of units from which a report counts its
// task groups from the counts kept per ancestor (Store.TreeActivityCounts),
// of every state or approved, rather than from each unit's months: the
// nation, a province.
const treeFromUnits = 50

// firstByGroup is activitiesByGroup for the report page: each group's
// counts from the counts kept per unit and month, its first
// r.CitedPerGroup activities the reader may read, and as its sums the
// year's results of the metrics that belong to the group. What it reads
// follows the units and task groups, not the activities. Many units are
// counted from the counts kept per ancestor instead, and
// only the units the reader may read, when they are fewer, unit by unit:
// a reporter's own unit in the nation's report.
func firstByGroup(ctx context.Context, st *store.Store, r *Report) (map[string]GroupActivities, int64, error) {
	units := r.readableUnits()
	fromTree := len(r.Counted.UnitIDs) >= treeFromUnits
	if fromTree && len(units) == len(r.Counted.UnitIDs) {
		return firstOfTree(ctx, st, r)
	}
	year := store.CountFilter{Units: units, From: time.Date(r.Year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(r.Year, 12, 31, 0, 0, 0, 0, time.UTC), Approved: r.ApprovedOnly}
	if !fromTree {
		year.Units = r.Counted.UnitIDs
	}
	counts, err := st.ActivityCounts(ctx, r.Programme, year)
	if err != nil {
		return nil, 0, err
	}
	by, readable := map[string]GroupActivities{}, map[string]int64{}
	ofUnit, ofUnitGroup := map[int64]int64{}, map[string]map[int64]int64{} // the reader's rows of the year, by unit (and group)
	for _, c := range counts {
		g := by[c.TaskGroup]
		if g.Sums == nil {
			g.Sums, g.Kinds, g.Units = map[string]int64{}, map[nscl.ActivityKind]int64{}, map[int64]bool{}
		}
		g.Count += c.N
		g.Kinds[c.Kind] += c.N
		g.Units[c.UnitID] = true
		by[c.TaskGroup] = g
		if r.Reader == nil || r.Reader.CanSeeUnit(c.UnitID) {
			readable[c.TaskGroup] += c.N
			ofUnit[c.UnitID] += c.N
			if ofUnitGroup[c.TaskGroup] == nil {
				ofUnitGroup[c.TaskGroup] = map[int64]int64{}
			}
			ofUnitGroup[c.TaskGroup][c.UnitID] += c.N
		}
	}
	reported := reporting(by)
	if fromTree { // the groups' counts are the whole tree's; only the cited ones are the reader's
		tree, err := st.TreeActivityCounts(ctx, r.Programme, r.Counted.UnitIDs, r.Year, r.ApprovedOnly)
		if err != nil {
			return nil, 0, err
		}
		by, reported = map[string]GroupActivities{}, tree.Reporting
		for letter, kinds := range tree.ByGroup {
			g := GroupActivities{Kinds: kinds}
			for _, n := range kinds {
				g.Count += n
			}
			by[letter] = g
		}
	}
	for letter, g := range by {
		g.Sums = groupSums(r, letter)
		if readable[letter] > 0 {
			f := store.ActivityFilter{Units: units, Year: r.Year, TaskGroup: letter, Approved: r.ApprovedOnly, Oldest: true, Limit: r.CitedPerGroup}
			if active, walked := unitsToWalk(ofUnit, ofUnitGroup[letter], r.CitedPerGroup); walked <= unitWalkBudget {
				f.Units = active
				g.Cited, err = st.FirstOfEachUnit(ctx, r.Programme, f)
			} else {
				var page store.ActivityPage
				page, err = st.Activities(ctx, r.Programme, f)
				g.Cited = page.Activities
			}
			if err != nil {
				return nil, 0, err
			}
			g.More = readable[letter] - int64(len(g.Cited))
		}
		by[letter] = g
	}
	return by, reported, nil
}

// groupSums are the year's results of the metrics of a task group, as the
// groups counted without reading every activity give their sums.
func groupSums(r *Report, letter string) map[string]int64 {
	sums := map[string]int64{}
	add := func(m nscl.Metric, year int64) {
		if m.TaskGroup == letter && year != 0 {
			sums[m.Code] = year
		}
	}
	for _, ind := range r.Indicators {
		add(ind.Metric, ind.YearValue)
	}
	for _, m := range r.Measures {
		add(m.Metric, m.YearValue)
	}
	return sums
}

// firstOfTree is firstByGroup for many units, all of which the reader may
// read: each group's counts from the counts kept per ancestor, and its first activities through the group's index. Which
// units reported is not read unit by unit (Units stays empty), only how
// many.
func firstOfTree(ctx context.Context, st *store.Store, r *Report) (map[string]GroupActivities, int64, error) {
	counts, err := st.TreeActivityCounts(ctx, r.Programme, r.Counted.UnitIDs, r.Year, r.ApprovedOnly)
	if err != nil {
		return nil, 0, err
	}
	by := map[string]GroupActivities{}
	for letter, kinds := range counts.ByGroup {
		g := GroupActivities{Sums: groupSums(r, letter), Kinds: kinds}
		for _, n := range kinds {
			g.Count += n
		}
		if g.Count > 0 {
			f := store.ActivityFilter{Units: r.Counted.UnitIDs, Year: r.Year, TaskGroup: letter, Approved: r.ApprovedOnly, Oldest: true, Limit: r.CitedPerGroup}
			switch {
			case counts.Every: // the nation: PostgreSQL would join every activity of the group to the subtree
				f.Units = nil
			case counts.Root != 0:
				f.Units, f.UnderUnit = nil, counts.Root
			}
			page, err := st.Activities(ctx, r.Programme, f)
			if err != nil {
				return nil, 0, err
			}
			g.Cited, g.More = page.Activities, g.Count-int64(len(page.Activities))
		}
		by[letter] = g
	}
	return by, counts.Reporting, nil
}

// unitWalkBudget is how many activity rows the report page may walk to
// read a task group's first activities unit by unit. Within it, the
// units' own rows are read (a unit, a district, a few units in a large
// tree); beyond it, the units hold enough of the year that the group's
// index, checking the unit in the index, reaches the first ones sooner.
const unitWalkBudget = 2000

// unitsToWalk are the units that reported activities of a group in the
// year (of its counts by unit), and about how many rows reading the first
// `first` of them unit by unit walks: through each unit's rows of the year
// (ofUnit) in date order, the group's coming up in the proportion it holds.
func unitsToWalk(ofUnit, ofGroup map[int64]int64, first int) ([]int64, int64) {
	var units []int64
	var walked int64
	for id, n := range ofGroup {
		if n <= 0 {
			continue
		}
		units = append(units, id)
		walked += min(ofUnit[id], (int64(first)*ofUnit[id]+n-1)/n)
	}
	slices.Sort(units)
	return units, walked
}
