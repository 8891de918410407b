package report

import (
	"context"
	"fmt"
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
	Legal     []nscl.Document            // what section I.1 cites ("Căn cứ …")
	ByGroup   map[string][]nscl.Activity // the year's activities by task-group letter, for the footnotes
	Narrative map[string]string          // obstacles, solutions, proposals …, by section key; may be empty
}

// Word styles of Nghị định 30/2020: Times New Roman; body 14 pt justified.
const (
	bodySize  = 14
	smallSize = 12
)

// WriteWord writes the annual report as a .docx document.
func WriteWord(w io.Writer, in WordInput) error {
	r := in.Report
	d := &docx.Document{Font: "Times New Roman", FontSize: bodySize, MarginTop: 20, MarginBottom: 20, MarginLeft: 30, MarginRight: 15, PageNumbers: true}
	h := in.Head
	para := func(text string) docx.Paragraph {
		return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, Runs: []docx.Run{{Text: text}}}
	}
	heading := func(text string) docx.Paragraph {
		return docx.Paragraph{Align: "both", IndentFirst: 10, SpaceBefore: 6, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: text, Bold: true}}}
	}
	// Letterhead: agency on the left, national title on the right.
	date := "ngày " + nscl.LongDate(h.Date)
	// Short rules: a third of the agency's line, the whole motto.
	const left, right = 70.0, 95.0
	d.Body = append(d.Body, docx.Table{Widths: []float64{left, right}, Rows: [][]docx.Cell{{
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
			{Align: "center", SpaceBefore: 6, Runs: []docx.Run{{Text: h.Place + ", " + date, Italic: true, Size: 13}}},
		}},
	}}})
	d.Body = append(d.Body,
		docx.Paragraph{Align: "center", SpaceBefore: 12, Runs: []docx.Run{{Text: "BÁO CÁO", Bold: true}}},
		docx.Paragraph{Align: "center", SpaceAfter: 12, Runs: []docx.Run{{Text: h.Subject, Bold: true}}},
	)
	if h.RequestCitation != "" {
		d.Body = append(d.Body, para("Thực hiện yêu cầu tại "+h.RequestCitation+", "+agencyShort(h)+" báo cáo như sau:"))
	}

	d.Body = append(d.Body, heading("I. Tình hình triển khai và kết quả thực hiện Chương trình"))
	d.Body = append(d.Body, heading("1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện"))
	for _, doc := range in.Legal {
		d.Body = append(d.Body, para("Căn cứ "+doc.Citation()+" "+doc.Title+"."))
	}
	d.Body = append(d.Body, narrative(in.Narrative["direction"])...)
	d.Body = append(d.Body, heading("2. Công tác thông tin, truyền thông Chương trình"))
	d.Body = append(d.Body, narrative(in.Narrative["communication"])...)
	d.Body = append(d.Body, heading("3. Kết quả thực hiện các nhiệm vụ thuộc Chương trình"))
	for _, g := range r.Programme.TaskGroups {
		d.Body = append(d.Body, groupParagraph(d, r, g, in.ByGroup[g.Letter]))
	}

	d.Body = append(d.Body, heading(fmt.Sprintf("II. Đánh giá kết quả, hiệu quả đã đạt được trong năm %d và lũy kế kết quả, hiệu quả đạt được từ đầu Chương trình đến hết năm %d", r.Year, r.Year)))
	d.Body = append(d.Body, heading("1. Đánh giá kết quả, hiệu quả đã đạt được"))
	d.Body = append(d.Body, para(fmt.Sprintf("Kết quả đạt được năm %d và từ đầu Chương trình đến hết năm %d:", r.Year, r.Year)))
	d.Body = append(d.Body, resultsTable(r))
	for _, s := range Evaluation(r) {
		d.Body = append(d.Body, para(s))
	}
	sections := []struct{ key, title string }{
		{"obstacles", "2. Những tồn tại và vướng mắc"},
	}
	for _, s := range sections {
		d.Body = append(d.Body, heading(s.title))
		d.Body = append(d.Body, narrative(in.Narrative[s.key])...)
	}
	d.Body = append(d.Body, heading(fmt.Sprintf("III. Phương hướng, giải pháp thực hiện Chương trình năm %d", r.Year+1)))
	d.Body = append(d.Body, heading("1. Phương hướng:"))
	d.Body = append(d.Body, narrative(in.Narrative["directions"])...)
	if lines := nextYearLines(r); len(lines) > 0 {
		d.Body = append(d.Body, para(fmt.Sprintf("Chỉ tiêu của Kế hoạch năm %d:", r.Year+1)))
		for _, l := range nextYearLines(r) {
			d.Body = append(d.Body, para("- "+l+"."))
		}
	}
	d.Body = append(d.Body, heading("2. Giải pháp thực hiện:"))
	d.Body = append(d.Body, narrative(in.Narrative["solutions"])...)
	d.Body = append(d.Body, heading("IV. Đề xuất, kiến nghị"))
	d.Body = append(d.Body, narrative(in.Narrative["proposals"])...)

	// Nơi nhận on the left, the signature on the right.
	recipients := []docx.Paragraph{{Runs: []docx.Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 12}}}}
	for _, rcp := range h.Recipients {
		recipients = append(recipients, docx.Paragraph{SpaceAfter: 0, Runs: []docx.Run{{Text: "- " + rcp, Size: 11}}})
	}
	d.Body = append(d.Body, docx.Table{Widths: []float64{85, 80}, Rows: [][]docx.Cell{{
		{Paragraphs: recipients},
		{Paragraphs: []docx.Paragraph{
			{Align: "center", Runs: []docx.Run{{Text: h.SignerTitle, Bold: true}}},
			{Align: "center", SpaceBefore: 60, Runs: []docx.Run{{Text: h.SignerName, Bold: true}}},
		}},
	}}})
	return d.Write(w, h.Subject)
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

// narrative turns stored text into paragraphs, one per line.
func narrative(text string) []docx.Block {
	var out []docx.Block
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, Runs: []docx.Run{{Text: line}}})
		}
	}
	return out
}

// groupParagraph writes a task group's point of section I.3: its name, its
// totals for the year, and a footnote listing the activities in their own
// words. A group with nothing reported ends in "/", as the seed does.
func groupParagraph(d *docx.Document, r *Report, g nscl.TaskGroup, acts []nscl.Activity) docx.Paragraph {
	p := docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, Runs: []docx.Run{{Text: g.Letter + ") " + g.Name + ":", Italic: true}}}
	totals := groupTotals(r, g.Letter, acts)
	if len(acts) == 0 {
		p.Runs = append(p.Runs, docx.Run{Text: " /"})
		return p
	}
	text := fmt.Sprintf(" Năm %d, %d hoạt động đã được báo cáo", r.Year, len(acts))
	if len(totals) > 0 {
		text += ", với kết quả " + joinVietnamese(totals)
	}
	p.Runs = append(p.Runs, docx.Run{Text: text})
	var items []string
	for _, a := range acts {
		items = append(items, lowerFirst(strings.TrimRight(a.Description, " .;")))
	}
	p.Runs = append(p.Runs, d.Footnote(docx.Run{Text: upperFirst(strings.Join(items, "; ")) + "."}), docx.Run{Text: "."})
	return p
}

// groupTotals lists the year's totals of the metrics of a task group that
// its activities reported: "336 doanh nghiệp", "16.192 học viên".
func groupTotals(r *Report, letter string, acts []nscl.Activity) []string {
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
			lagging = append(lagging, name+" là "+vnfmt.Percent(ind.CompletionPercent))
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

func upperFirst(s string) string {
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
