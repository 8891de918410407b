package report

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"slices"
	"strings"
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
	ByGroup   map[string][]nscl.Activity // the year's activities by task-group letter, for the footnotes
	Narrative map[string]string          // written parts by key (see Parts); may be empty
	Chart     []byte                     // PNG of completion against elapsed time for the annex; nil for none
	UnitNames map[int64]string           // every unit's name by ID, for the activity list
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
	r := in.Report
	d := &docx.Document{Font: "Times New Roman", FontSize: bodySize, MarginTop: 20, MarginBottom: 20, MarginLeft: 30, MarginRight: 15, PageNumbers: true}
	c := &composer{d: d, in: in}
	h := in.Head
	heading := func(text string) docx.Paragraph {
		return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceBefore: 6, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: text, Bold: true}}}
	}
	d.Body = append(d.Body, letterhead(h))
	d.Body = append(d.Body,
		docx.Paragraph{Align: "center", SpaceBefore: 12, Runs: []docx.Run{{Text: "BÁO CÁO", Bold: true}}},
		docx.Paragraph{Align: "center", SpaceAfter: 12, Runs: []docx.Run{{Text: h.Subject, Bold: true}}},
	)
	if h.RequestCitation != "" {
		d.Body = append(d.Body, c.paragraphs("request", "Thực hiện yêu cầu tại "+h.RequestCitation+", "+agencyShort(h)+" báo cáo như sau:", nil)...)
	}

	d.Body = append(d.Body, heading("I. Tình hình triển khai và kết quả thực hiện Chương trình"))
	d.Body = append(d.Body, heading("1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện"))
	d.Body = append(d.Body, c.paragraphs("direction", in.text("direction"), nil)...)
	d.Body = append(d.Body, heading("2. Công tác thông tin, truyền thông Chương trình"))
	d.Body = append(d.Body, c.paragraphs("communication", in.Narrative["communication"], nil)...)
	d.Body = append(d.Body, heading(tasksHeading(in)))
	for _, g := range r.Programme.TaskGroups {
		d.Body = append(d.Body, c.group(g, in.ByGroup[g.Letter])...)
	}

	d.Body = append(d.Body, heading(fmt.Sprintf("II. Đánh giá kết quả, hiệu quả đã đạt được trong năm %d và lũy kế kết quả, hiệu quả đạt được từ đầu Chương trình đến hết năm %d", r.Year, r.Year)))
	d.Body = append(d.Body, heading("1. Đánh giá kết quả, hiệu quả đã đạt được"))
	d.Body = append(d.Body, c.paragraphs("evaluation_intro", in.Narrative["evaluation_intro"], nil)...)
	d.Body = append(d.Body, bodyParagraph(docx.Run{Text: fmt.Sprintf("Kết quả đạt được năm %d và từ đầu Chương trình đến hết năm %d:", r.Year, r.Year)}))
	d.Body = append(d.Body, resultsTable(r))
	d.Body = append(d.Body, c.paragraphs("evaluation", in.text("evaluation"), nil)...)
	for _, line := range Reach(r) {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: line}))
	}
	d.Body = append(d.Body, heading("2. Những tồn tại và vướng mắc"))
	d.Body = append(d.Body, c.paragraphs("obstacles", in.Narrative["obstacles"], nil)...)
	d.Body = append(d.Body, heading(fmt.Sprintf("III. Phương hướng, giải pháp thực hiện Chương trình năm %d", r.Year+1)))
	d.Body = append(d.Body, heading("1. Phương hướng:"))
	d.Body = append(d.Body, c.paragraphs("directions", in.text("directions"), nil)...)
	d.Body = append(d.Body, heading("2. Giải pháp thực hiện:"))
	d.Body = append(d.Body, c.paragraphs("solutions", in.Narrative["solutions"], nil)...)
	d.Body = append(d.Body, heading("IV. Đề xuất, kiến nghị"))
	d.Body = append(d.Body, c.paragraphs("proposals", in.Narrative["proposals"], nil)...)
	d.Body = append(d.Body, signature(h))
	if in.Chart != nil {
		d.Body = append(d.Body, annex(r, in.Chart)...)
	}
	return d, c.problems
}

// letterhead is the top of an administrative document: the agency on the
// left, the national title on the right, each with a short rule under it.
//
// The table is 10 mm wider than the text and centred, reaching 5 mm into
// each margin, as letterheads do: "Thành phố Hồ Chí Minh, ngày 31 tháng 12
// năm 2022" in 13 pt italic needs about 100 mm to stay on one line.
func letterhead(h nscl.ReportHead) docx.Table {
	const left, right = 68.0, 107.0
	date := "ngày      tháng      năm       " // to be dated when signed
	if !h.Date.IsZero() {
		date = "ngày " + nscl.LongDate(h.Date)
	}
	if h.Place != "" {
		date = h.Place + ", " + date
	}
	return docx.Table{Widths: []float64{left, right}, Rows: [][]docx.Cell{{
		{Paragraphs: []docx.Paragraph{
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: strings.ToUpper(h.ParentAgency), Size: 12}}},
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: strings.ToUpper(h.Agency), Bold: true, Size: 12}}},
			docx.Rule(left, 25),
			{Align: "center", SpaceBefore: 6, Runs: []docx.Run{{Text: h.NumberSymbol, Size: 13}}},
		}},
		{Paragraphs: []docx.Paragraph{
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true, Size: 12}}},
			{Align: "center", SpaceAfter: 0, Runs: []docx.Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true, Size: 13}}},
			docx.Rule(right, 58),
			{Align: "center", SpaceBefore: 6, Runs: []docx.Run{{Text: date, Italic: true, Size: 13}}},
		}},
	}}}
}

// signature is "Nơi nhận" on the left and the signer on the right.
func signature(h nscl.ReportHead) docx.Table {
	recipients := []docx.Paragraph{{Runs: []docx.Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 12}}}}
	for _, rcp := range h.Recipients {
		recipients = append(recipients, docx.Paragraph{SpaceAfter: 0, Runs: []docx.Run{{Text: "- " + rcp, Size: 11}}})
	}
	return docx.Table{Widths: []float64{85, 80}, Rows: [][]docx.Cell{{
		{Paragraphs: recipients},
		{Paragraphs: []docx.Paragraph{
			{Align: "center", Runs: []docx.Run{{Text: h.SignerTitle, Bold: true}}},
			{Align: "center", SpaceBefore: 60, Runs: []docx.Run{{Text: h.SignerName, Bold: true}}},
		}},
	}}}
}

// tasksHeading opens section I.3, naming the programme's decision when it
// is on file: "3. Kết quả thực hiện các nhiệm vụ thuộc Chương trình nhiệm
// vụ, giải pháp tại Quyết định số 1322/QĐ-TTg, cụ thể:".
func tasksHeading(in WordInput) string {
	for _, d := range in.Legal {
		if d.ID == in.Report.Programme.DocumentID {
			return "3. Kết quả thực hiện các nhiệm vụ thuộc Chương trình nhiệm vụ, giải pháp tại " + d.Type + " số " + d.NumberSymbol() + ", cụ thể:"
		}
	}
	return "3. Kết quả thực hiện các nhiệm vụ thuộc Chương trình"
}

// group writes a task group's point of section I.3: its heading, then its
// written text or, when none is written, a sentence with its totals and a
// footnote listing its activities in their own words. A group with nothing
// to say ends its heading in "/", as the seed does.
func (c *composer) group(g nscl.TaskGroup, acts []nscl.Activity) []docx.Block {
	part := nscl.GroupPart(g.Letter)
	head := docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: g.Letter + ") " + g.Name + ":", Italic: true}}}
	body := c.paragraphs(part, c.in.text(part), &group{g, acts})
	if len(body) == 0 {
		head.KeepNext = false
		head.Runs = append(head.Runs, docx.Run{Text: " /"})
		return []docx.Block{head}
	}
	return append([]docx.Block{head}, body...)
}

// annex is the appendix after the signature: the chart of completion
// against the time elapsed.
func annex(r *Report, pic []byte) []docx.Block {
	const width = 160.0 // mm, the text width
	height := width / 2
	if cfg, err := png.DecodeConfig(bytes.NewReader(pic)); err == nil && cfg.Width > 0 {
		height = width * float64(cfg.Height) / float64(cfg.Width)
	}
	return []docx.Block{
		docx.Paragraph{Align: "center", PageBreakBefore: true, Runs: []docx.Run{{Text: "PHỤ LỤC", Bold: true}}},
		docx.Paragraph{Align: "center", SpaceAfter: 12, Runs: []docx.Run{{Text: fmt.Sprintf("Tỷ lệ hoàn thành chỉ tiêu của %s đến hết năm %d so với thời gian đã qua của kế hoạch", r.Plan.Name, r.Year), Italic: true}}},
		docx.Paragraph{Align: "center", Runs: []docx.Run{{Image: &docx.Image{PNG: pic, Width: width, Height: height}}}},
	}
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

// groupTotals lists the year's totals of the metrics of a task group that
// its activities reported: "336 doanh nghiệp", "16.192 học viên".
func groupTotals(r *Report, acts []nscl.Activity) []string {
	sums := map[string]int64{}
	for _, a := range acts {
		for _, q := range a.Quantities {
			sums[q.Metric] += q.Value
		}
	}
	var out []string
	for _, m := range r.Programme.Metrics {
		if v, ok := sums[m.Code]; ok && v > 0 {
			out = append(out, vnfmt.Int(v)+" "+m.Unit)
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

func resultsTable(r *Report) docx.Table {
	t := docx.Table{Widths: []float64{55, 30, 27, 30, 23}, Borders: true, Header: 1}
	var head []docx.Cell
	for _, h := range r.Headings() {
		head = append(head, docx.Cell{Shade: true, Paragraphs: []docx.Paragraph{{Align: "center", Runs: []docx.Run{{Text: h, Bold: true, Size: smallSize}}}}})
	}
	t.Rows = append(t.Rows, head)
	for _, ind := range r.Indicators {
		var row []docx.Cell
		for i, text := range Row(ind) {
			align := "center"
			if i == 0 {
				align = "both"
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
// force) and the year's activities under the unit, by task group, in the
// order they happened.
func NewWordInput(ctx context.Context, st *store.Store, r *Report, head nscl.ReportHead, narrative map[string]string) (WordInput, error) {
	in := WordInput{Report: r, Head: head, Narrative: narrative, ByGroup: map[string][]nscl.Activity{}}
	docs, err := st.Documents(ctx)
	if err != nil {
		return in, err
	}
	in.Documents = docs
	units, err := st.Units(ctx)
	if err != nil {
		return in, err
	}
	in.UnitNames = map[int64]string{}
	for _, u := range units {
		in.UnitNames[u.ID] = u.Name
	}
	cited := map[int64]bool{r.Programme.DocumentID: true, r.Plan.DocumentID: true}
	for _, d := range docs {
		if cited[d.ID] {
			in.Legal = append(in.Legal, d)
		}
	}
	for offset := 0; ; offset += 200 {
		page, err := st.Activities(ctx, r.Programme, store.ActivityFilter{UnderUnit: r.Unit.ID, Year: r.Year, Limit: 200, Offset: offset})
		if err != nil {
			return in, err
		}
		for _, a := range page.Activities {
			in.ByGroup[a.TaskGroup] = append(in.ByGroup[a.TaskGroup], a)
		}
		if offset+len(page.Activities) >= page.Total || len(page.Activities) == 0 {
			break
		}
	}
	for _, acts := range in.ByGroup {
		slices.SortFunc(acts, func(a, b nscl.Activity) int {
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
	}
	return in, nil
}
