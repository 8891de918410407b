package report

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"nscl"
	"nscl/docx"
	"nscl/store"
	"nscl/vnfmt"
)

// PeriodRequest names a summary of a plan period: a programme, a node of
// the org tree (empty for the unit that owns the multi-year plan), and the
// first and last year. The first is the plan's first year; the last, its
// last year or an earlier one for a summary at mid-term (sơ kết).
type PeriodRequest struct {
	Programme    string
	Unit         string
	From, To     int
	ApprovedOnly bool       // as Request.ApprovedOnly
	Reader       *nscl.User // as Request.Reader
	// Boundaries as Request.Boundaries, for every year alike; by default
	// the tree at the end of the period, so that the summary of a city
	// that absorbed others counts their work in each year.
	Boundaries string
	// Format and CitedPerGroup as Request's, for each year: GatherPeriod
	// cites at most CitedPerGroup activities of a group a year, by default
	// as many as the format shows (citedOf).
	Format        string
	CitedPerGroup int
}

// Period is the summary of a plan period (báo cáo tổng kết giai đoạn): each
// year's results and the period's against the multi-year targets.
type Period struct {
	From, To int
	Years    []*Report // From to To, each against the multi-year plan
	// Indicators and Measures are the period's: each year's result and the
	// cumulative to the end of To, which the plan's completion counts.
	Indicators []PeriodIndicator
	Measures   []PeriodMeasure
	// NextPlan is the multi-year plan that begins the year after To, nil when none.
	NextPlan *nscl.Plan
}

// PeriodIndicator is an indicator over a period.
type PeriodIndicator struct {
	nscl.IndicatorResult           // at the end of To: target, cumulative (for the distinct rule, not the years' sum), completion, status
	ByYear               []int64   // the result of each year, From to To
	AnnualTargets        []*int64  // each year's annual target, nil where none
	AnnualPercents       []float64 // each year's result against it
	NextTarget           *int64    // the next multi-year plan's target, nil when none
}

// PeriodMeasure is a measure over a period.
type PeriodMeasure struct {
	Metric     nscl.Metric
	ByYear     []int64
	Cumulative int64
}

// Last is the report of the period's last year.
func (p *Period) Last() *Report { return p.Years[len(p.Years)-1] }

// BuildPeriod counts the results of each year of the period and of the
// period as a whole. Returns EINVALID when the years are reversed, when
// the first is not the first of a multi-year plan or the last is past its
// end, and what Build returns for a year.
func BuildPeriod(ctx context.Context, st *store.Store, req PeriodRequest) (*Period, error) {
	if req.To < req.From {
		return nil, nscl.Invalid("to", "năm cuối (%d) trước năm đầu (%d)", "the last year %d is before the first %d", req.To, req.From)
	}
	p := &Period{From: req.From, To: req.To}
	b, err := nscl.ParseBoundaries(req.Boundaries, req.To)
	if err != nil {
		return nil, err
	}
	for y := req.From; y <= req.To; y++ {
		r, err := Build(ctx, st, Request{Programme: req.Programme, Unit: req.Unit, Year: y, ApprovedOnly: req.ApprovedOnly, Reader: req.Reader,
			Boundaries: b.String(), CitedPerGroup: req.CitedPerGroup})
		if err != nil {
			return nil, err
		}
		// The completion counts from the plan's first year: a summary from
		// any other year would set a part of the plan against all of it.
		if r.Plan.StartYear != req.From || r.Plan.EndYear < req.To {
			return nil, nscl.Invalid("from", "báo cáo tổng kết bắt đầu từ năm đầu của %s (%d–%d)", "a summary starts in the first year of %s (%d–%d)", r.Plan.Name, r.Plan.StartYear, r.Plan.EndYear)
		}
		p.Years = append(p.Years, r)
	}
	last := p.Last()
	plans, err := st.Plans(ctx, last.Programme)
	if err != nil {
		return nil, err
	}
	chain, err := st.UnitChain(ctx, last.Unit.ID)
	if err != nil {
		return nil, err
	}
	if next, ok := nscl.PlanFor(plans, chain, nscl.FiveYearPlan, last.Plan.EndYear+1); ok && req.To == last.Plan.EndYear {
		p.NextPlan = &next
	}
	// An indicator that begins within the period (Metric.FirstYear) is
	// absent from the years before: they count nothing for it.
	for _, ind := range last.Indicators {
		pi := PeriodIndicator{IndicatorResult: ind}
		for _, r := range p.Years {
			var y nscl.IndicatorResult
			if i := slices.IndexFunc(r.Indicators, func(y nscl.IndicatorResult) bool { return y.Metric.Code == ind.Metric.Code }); i >= 0 {
				y = r.Indicators[i]
			}
			pi.ByYear = append(pi.ByYear, y.YearValue)
			var target *int64
			if y.HasAnnualTarget {
				target = &y.AnnualTarget
			}
			pi.AnnualTargets = append(pi.AnnualTargets, target)
			pi.AnnualPercents = append(pi.AnnualPercents, y.AnnualPercent)
		}
		if p.NextPlan != nil {
			if v, ok := p.NextPlan.TargetFor(last.Unit.ID, ind.Metric.Code); ok {
				pi.NextTarget = &v
			}
		}
		p.Indicators = append(p.Indicators, pi)
	}
	for _, m := range last.Measures {
		pm := PeriodMeasure{Metric: m.Metric, Cumulative: m.Cumulative}
		for _, r := range p.Years {
			var v int64
			if i := slices.IndexFunc(r.Measures, func(y nscl.MeasureResult) bool { return y.Metric.Code == m.Metric.Code }); i >= 0 {
				v = r.Measures[i].YearValue
			}
			pm.ByYear = append(pm.ByYear, v)
		}
		p.Measures = append(p.Measures, pm)
	}
	return p, nil
}

// Final says whether the period runs to the plan's end (a final summary,
// tổng kết), or stops short of it (a summary at mid-term, sơ kết).
func (p *Period) Final() bool { return p.To == p.Last().Plan.EndYear }

// Name is the document's name: "Báo cáo tổng kết giai đoạn 2021 – 2025",
// or "Báo cáo sơ kết giai đoạn 2021 – 2023".
func (p *Period) Name() string {
	return "Báo cáo " + strings.ToLower(p.kind()) + " giai đoạn " + p.span()
}

func (p *Period) kind() string {
	if p.Final() {
		return "Tổng kết"
	}
	return "Sơ kết"
}

// span writes the period as the report names it: "2021 – 2025".
func (p *Period) span() string { return fmt.Sprintf("%d – %d", p.From, p.To) }

// Headings are the columns of the period's table: the indicator, the
// multi-year target, each year, the period, and the completion.
func (p *Period) Headings() []string {
	h := []string{"Nội dung thực hiện", "Chỉ tiêu theo Kế hoạch 05 năm"}
	for y := p.From; y <= p.To; y++ {
		h = append(h, fmt.Sprintf("Năm %d", y))
	}
	return append(h, "Tổng giai đoạn "+p.span(), "Tỷ lệ hoàn thành")
}

// Row is an indicator's row under Headings, as the report prints it.
func (p *Period) Row(ind PeriodIndicator) []string {
	target, completion := "–", "–"
	if ind.HasTarget {
		target, completion = vnfmt.Int(ind.Target)+" "+ind.Metric.Unit, vnfmt.Percent(ind.CompletionPercent)
	}
	row := []string{ind.Metric.Name, target}
	for _, v := range ind.ByYear {
		row = append(row, vnfmt.Int(v))
	}
	return append(row, vnfmt.Int(ind.Cumulative)+" "+ind.Metric.Unit, completion)
}

// HasAnnualTargets says whether some year of the period has an annual plan with targets.
func (p *Period) HasAnnualTargets() bool {
	for _, r := range p.Years {
		if r.HasAnnualTargets() {
			return true
		}
	}
	return false
}

// AnnualRow is an indicator's row of the table of each year against its
// annual plan: "963/3.500 (27,51 %)", or the result alone where the year
// sets no target.
func (p *Period) AnnualRow(ind PeriodIndicator) []string {
	row := []string{ind.Metric.Name}
	for i, v := range ind.ByYear {
		cell := vnfmt.Int(v)
		if t := ind.AnnualTargets[i]; t != nil && *t > 0 {
			// The share on a line of its own: a narrow column would break the figures.
			cell += "/" + vnfmt.Int(*t) + "\n(" + vnfmt.Percent(ind.AnnualPercents[i]) + ")"
		}
		row = append(row, cell)
	}
	return row
}

// Evaluation is what the table says at the period's end: the indicators
// that reached their multi-year target and those that did not.
func (p *Period) Evaluation() []string {
	var missed, reached []string
	for _, ind := range p.Indicators {
		if !ind.HasTarget || ind.Target == 0 {
			continue
		}
		name := lowerFirst(ind.Metric.Name)
		if ind.Status == nscl.StatusExceeded {
			reached = append(reached, fmt.Sprintf("%s (%s)", name, vnfmt.Percent(ind.CompletionPercent)))
		} else {
			missed = append(missed, fmt.Sprintf("%s đạt %s (%s/%s %s)", name, vnfmt.Percent(ind.CompletionPercent), vnfmt.Int(ind.Cumulative), vnfmt.Int(ind.Target), ind.Metric.Unit))
		}
	}
	plan := p.Last().Plan
	var out []string
	if len(missed) > 0 {
		out = append(out, fmt.Sprintf("Đến hết năm %d, nhiệm vụ %s, chưa hoàn thành chỉ tiêu của %s.", p.To, joinVietnamese(missed), plan.Name))
	}
	if len(reached) > 0 {
		out = append(out, fmt.Sprintf("Nhiệm vụ %s đã hoàn thành chỉ tiêu của %s.", joinVietnamese(reached), plan.Name))
	}
	return out
}

// PeriodInput is everything the period's document is written from.
type PeriodInput struct {
	Period *Period
	Word   WordInput                    // letterhead, written parts, documents and unit names; Word.Period is Period
	ByYear []map[string]GroupActivities // each year's activities by task group
}

// GatherPeriod collects what the period's document needs: the figures,
// the summary's parts written for it (stored with its last year's texts)
// over the unit's settings, and each year's activities, cited as many as
// the format shows (req.CitedPerGroup).
func GatherPeriod(ctx context.Context, st *store.Store, req PeriodRequest) (PeriodInput, error) {
	if req.CitedPerGroup == 0 {
		req.CitedPerGroup = citedOf(req.Format)
	}
	p, err := BuildPeriod(ctx, st, req)
	if err != nil {
		return PeriodInput{}, err
	}
	last := p.Last()
	settings, err := st.ReportTexts(ctx, last.Programme, last.Unit.ID, nscl.SettingsYear)
	if err != nil {
		return PeriodInput{}, err
	}
	texts, err := st.ReportTexts(ctx, last.Programme, last.Unit.ID, p.To)
	if err != nil {
		return PeriodInput{}, err
	}
	narrative := maps.Clone(settings)
	maps.Copy(narrative, SummaryTexts(texts))
	in, err := NewWordInput(ctx, st, last, narrative)
	if err != nil {
		return PeriodInput{}, err
	}
	in.Period, in.Stored, in.Settings = p, texts, settings
	in.Legal = legalBasis(in.Documents, last.Programme, last.Plan, nil)
	if in.Request, err = requestDocument(ctx, st, last, in.Documents, p.From, p.To); err != nil {
		return PeriodInput{}, err
	}
	in.Head = in.head()
	pin := PeriodInput{Period: p, Word: in}
	for _, r := range p.Years {
		if r.Year == last.Year {
			pin.ByYear = append(pin.ByYear, in.ByGroup)
			continue
		}
		by, _, err := activitiesByGroup(ctx, st, r)
		if err != nil {
			return PeriodInput{}, err
		}
		pin.ByYear = append(pin.ByYear, by)
	}
	return pin, nil
}

// summaryDefault is what a part of the summary says when nothing is
// written for it: the legal basis and each year's plan, the next plan's
// targets, and blanks for what a person writes.
func summaryDefault(in WordInput, key string) (string, bool) {
	p := in.Period
	last := p.Last()
	switch key {
	case "subject":
		return fmt.Sprintf("%s giai đoạn %s thực hiện %s", p.kind(), p.span(), last.Programme.Name), true
	case "request":
		if in.Request != nil {
			return strings.TrimSpace(in.Request.Citation() + " " + in.Request.Title), true
		}
		return Blank(fmt.Sprintf("văn bản yêu cầu báo cáo %s giai đoạn %s", strings.ToLower(p.kind()), p.span())), true
	case "direction":
		lines := []string{"{căn cứ}"}
		for _, r := range p.Years {
			if r.YearPlan != nil {
				lines = append(lines, annualPlanLine(r, in.Documents))
			}
		}
		return strings.Join(append(lines, Blank(fmt.Sprintf("công tác lãnh đạo, chỉ đạo, văn bản đã ban hành trong giai đoạn %s", p.span()))), "\n"), true
	case "obstacles":
		return Blank(fmt.Sprintf("những tồn tại, hạn chế và nguyên nhân trong giai đoạn %s", p.span())), true
	case "lessons":
		return Blank("bài học kinh nghiệm"), true
	case "directions":
		return "{chỉ tiêu giai đoạn sau}\n" + Blank("phương hướng, nhiệm vụ, giải pháp giai đoạn "+p.nextSpan()), true
	case "proposals":
		return Blank("đề xuất, kiến nghị"), true
	}
	return "", false
}

// nextSpan is the period ahead: the rest of the plan at mid-term; after
// the plan, the next plan's, or as long as this one.
func (p *Period) nextSpan() string {
	if !p.Final() {
		return fmt.Sprintf("%d – %d", p.To+1, p.Last().Plan.EndYear)
	}
	if p.NextPlan != nil {
		return fmt.Sprintf("%d – %d", p.NextPlan.StartYear, p.NextPlan.EndYear)
	}
	plan := p.Last().Plan
	return fmt.Sprintf("%d – %d", plan.EndYear+1, plan.EndYear+plan.Years())
}

// nextPlanTargets are the paragraphs "{chỉ tiêu giai đoạn sau}" stands for:
// at mid-term, what the plan still needs by its end; after it, the next
// plan's targets under its name, or a blank when there is none.
func nextPlanTargets(p *Period) []string {
	plan := p.Last().Plan
	if !p.Final() {
		lines := []string{fmt.Sprintf("Chỉ tiêu còn phải thực hiện đến hết năm %d để đạt %s:", plan.EndYear, plan.Name)}
		for _, ind := range p.Indicators {
			switch {
			case !ind.HasTarget:
			case ind.Cumulative >= ind.Target:
				lines = append(lines, fmt.Sprintf("- %s: đã đạt chỉ tiêu (%s).", ind.Metric.Name, vnfmt.Percent(ind.CompletionPercent)))
			default:
				lines = append(lines, fmt.Sprintf("- %s: còn %s %s, mỗi năm %s %s.", ind.Metric.Name,
					vnfmt.Count(ind.Target-ind.Cumulative), ind.Metric.Unit, vnfmt.Count(ind.RequiredPace), ind.Metric.Unit))
			}
		}
		return lines
	}
	// The next plan's indicators, which may include one that begins with it.
	var lines []string
	if p.NextPlan != nil {
		last := p.Last()
		for _, m := range last.Programme.IndicatorsIn(p.NextPlan.EndYear) {
			if v, ok := p.NextPlan.TargetFor(last.Unit.ID, m.Code); ok {
				lines = append(lines, targetLine(m, v))
			}
		}
	}
	if len(lines) == 0 {
		return []string{"- " + Blank("chỉ tiêu giai đoạn "+p.nextSpan()+" — chưa có kế hoạch 05 năm tiếp theo trong hệ thống")}
	}
	return append([]string{"Chỉ tiêu của " + p.NextPlan.Name + ":"}, lines...)
}

// Activities lists the period's activities, year by year, by task group.
func (pin PeriodInput) Activities() []nscl.Activity {
	var out []nscl.Activity
	for _, by := range pin.ByYear {
		out = append(out, WordInput{Report: pin.Word.Report, ByGroup: by}.Activities()...)
	}
	return out
}

// SummaryParts lists the written parts of a period's summary in its order,
// each as the report page offers it.
func SummaryParts() []Part {
	var out []Part
	for _, p := range staticParts {
		if nscl.IsReportSetting(p.Key) {
			p.Setting = true
			out = append(out, p)
		}
	}
	for _, key := range nscl.SummaryTextParts {
		out = append(out, Part{Key: key, Label: summaryLabels[key], Long: key != "date", Summary: true})
	}
	return out
}

// summaryLabels name the summary's own parts where they differ from the annual report's.
var summaryLabels = map[string]string{
	"date": "Ngày ban hành (dd/mm/yyyy; để trống đến khi ký)", "subject": "Trích yếu", "request": "Văn bản yêu cầu báo cáo",
	"direction": "I.1 Công tác lãnh đạo, chỉ đạo", "obstacles": "II.2 Tồn tại, hạn chế và nguyên nhân", "lessons": "II.3 Bài học kinh nghiệm",
	"directions": "III Phương hướng, nhiệm vụ giai đoạn sau", "proposals": "IV Đề xuất, kiến nghị",
}

// ComposePeriod lays the period's summary out as a document, and returns
// with it the placeholders it could not fill in and the blanks left.
func ComposePeriod(pin PeriodInput) (*docx.Document, []string) {
	p, in := pin.Period, pin.Word
	last := p.Last()
	d := newDocument()
	c := &composer{d: d, in: in}
	h := in.Head
	c.head(h)
	d.Body = append(d.Body, c.paragraphs("request", "Thực hiện yêu cầu tại "+h.RequestCitation+", "+agencyShort(h)+" báo cáo như sau:", nil)...)

	d.Body = append(d.Body, heading(fmt.Sprintf("I. Kết quả triển khai thực hiện Chương trình giai đoạn %s", p.span())))
	d.Body = append(d.Body, heading("1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện"))
	d.Body = append(d.Body, c.paragraphs("direction", in.text("direction"), nil)...)
	d.Body = append(d.Body, heading(tasksHeading(2, in.Legal, last.Programme)))
	for _, g := range last.Programme.TaskGroups {
		d.Body = append(d.Body, c.periodGroup(pin, g)...)
	}

	d.Body = append(d.Body, heading(fmt.Sprintf("II. Đánh giá kết quả, hiệu quả giai đoạn %s", p.span())))
	d.Body = append(d.Body, heading("1. Kết quả thực hiện các chỉ tiêu"))
	if line := last.FormerLine(); line != "" {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: line}))
	}
	d.Body = append(d.Body, bodyParagraph(docx.Run{Text: fmt.Sprintf("Kết quả từng năm và cả giai đoạn %s so với chỉ tiêu của %s:", p.span(), last.Plan.Name)}))
	d.Body = append(d.Body, periodTable(p))
	if note := last.SummedNote(); note != "" {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: note}))
	}
	for _, line := range p.Evaluation() {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: line}))
	}
	if p.HasAnnualTargets() {
		d.Body = append(d.Body, bodyParagraph(docx.Run{Text: "Kết quả từng năm so với chỉ tiêu của kế hoạch năm (kết quả/chỉ tiêu, tỷ lệ):"}))
		d.Body = append(d.Body, annualTable(p))
	}
	d.Body = append(d.Body, heading("2. Tồn tại, hạn chế và nguyên nhân"))
	d.Body = append(d.Body, c.paragraphs("obstacles", in.text("obstacles"), nil)...)
	d.Body = append(d.Body, heading("3. Bài học kinh nghiệm"))
	d.Body = append(d.Body, c.paragraphs("lessons", in.text("lessons"), nil)...)
	d.Body = append(d.Body, heading("III. Phương hướng, nhiệm vụ giai đoạn "+p.nextSpan()))
	d.Body = append(d.Body, c.paragraphs("directions", in.text("directions"), nil)...)
	d.Body = append(d.Body, heading("IV. Đề xuất, kiến nghị"))
	d.Body = append(d.Body, c.paragraphs("proposals", in.text("proposals"), nil)...)
	c.sign(h)
	d.Annex = annex(in.Annex)
	return d, append(c.problems, c.blanks...)
}

// annualPlanLine names a year's annual plan, by its document when it has
// one on file, with the targets it set: "- Năm 2023: Kế hoạch năm 2023,
// chỉ tiêu 3.500 lượt doanh nghiệp, 50 doanh nghiệp và 5 phòng thử nghiệm."
func annualPlanLine(r *Report, docs []nscl.Document) string {
	name := r.YearPlan.Name
	for _, d := range docs {
		if d.ID == r.YearPlan.DocumentID && d.ID != 0 {
			name = d.Citation() + " " + d.Title
		}
	}
	var targets []string
	for _, ind := range r.Indicators {
		if ind.HasAnnualTarget {
			targets = append(targets, vnfmt.Count(ind.AnnualTarget)+" "+ind.Metric.Unit)
		}
	}
	line := fmt.Sprintf("- Năm %d: %s", r.Year, name)
	if len(targets) > 0 {
		line += ", chỉ tiêu " + joinVietnamese(targets)
	}
	return line + "."
}

// periodGroup writes a task group's point: its results over the period,
// then a line for each year that reported something, with the footnote
// listing that year's activities.
func (c *composer) periodGroup(pin PeriodInput, g nscl.TaskGroup) []docx.Block {
	p := pin.Period
	out := []docx.Block{docx.Paragraph{Align: "both", IndentFirst: 10, SpaceAfter: 6, KeepNext: true, Runs: []docx.Run{{Text: g.Letter + ") " + g.Name + ":", Italic: true}}}}
	var count int64
	sums := map[string]int64{}
	for _, by := range pin.ByYear {
		count += by[g.Letter].Count
		for code, v := range by[g.Letter].Sums {
			sums[code] += v
		}
	}
	if count == 0 {
		return append(out, bodyParagraph(docx.Run{Text: fmt.Sprintf("Giai đoạn %s, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo.", p.span())}))
	}
	line := fmt.Sprintf("Giai đoạn %s, đã triển khai %s hoạt động", p.span(), vnfmt.Count(count))
	if totals := groupTotals(p.Last(), sums); len(totals) > 0 {
		line += ", với kết quả " + joinVietnamese(totals)
	}
	out = append(out, bodyParagraph(docx.Run{Text: line + ", cụ thể:"}))
	for i, by := range pin.ByYear {
		acts := by[g.Letter]
		if acts.Count == 0 {
			continue
		}
		runs := []docx.Run{{Text: fmt.Sprintf("- Năm %d: %s hoạt động", p.From+i, vnfmt.Count(acts.Count))}}
		if totals := groupTotals(p.Last(), acts.Sums); len(totals) > 0 {
			runs[0].Text += ", kết quả " + joinVietnamese(totals)
		}
		if note := activityList(acts); note != "" {
			runs = append(runs, c.d.Footnote(docx.Run{Text: note}))
		}
		runs = append(runs, docx.Run{Text: "."})
		out = append(out, bodyParagraph(runs...))
	}
	return out
}

// periodTable is the table of each year and the period against the
// multi-year targets.
func periodTable(p *Period) docx.Table {
	// The years share 65 mm (13 mm holds "1.200"); the target, the period
	// and the completion take 56 mm; the indicator's name the rest.
	years := p.To - p.From + 1
	yearWidth := min(18.0, 65.0/float64(years))
	widths := []float64{textWidth - 56 - yearWidth*float64(years), 20}
	for range years {
		widths = append(widths, yearWidth)
	}
	widths = append(widths, 20, 16)
	var rows [][]string
	for _, ind := range p.Indicators {
		rows = append(rows, p.Row(ind))
	}
	return table(widths, p.Headings(), rows)
}

// annualTable is the table of each year against its annual plan.
func annualTable(p *Period) docx.Table {
	years := p.To - p.From + 1
	yearWidth := (textWidth - 55) / float64(years)
	widths := []float64{55}
	heads := []string{"Nội dung thực hiện"}
	for y := p.From; y <= p.To; y++ {
		widths = append(widths, yearWidth)
		heads = append(heads, fmt.Sprintf("Năm %d", y))
	}
	var rows [][]string
	for _, ind := range p.Indicators {
		rows = append(rows, p.AnnualRow(ind))
	}
	return table(widths, heads, rows)
}

// WritePeriodDocument writes the period's summary in one of DocumentTypes'
// formats, as WriteDocument does for a year.
func WritePeriodDocument(ctx context.Context, w io.Writer, format string, pin PeriodInput) error {
	var err error
	if pin.Word.Annex, err = completionPart(pin.Period.Last()); err != nil {
		return err
	}
	d, _ := ComposePeriod(pin)
	switch format {
	case "html":
		return d.WriteHTML(w, pin.Word.Head.Subject)
	case "xlsx":
		return pin.writeXLSX(ctx, w)
	case "csv":
		return WritePeriodCSV(w, pin.Period)
	case "pdf":
		return writePDF(ctx, w, d, pin.Word.Head.Subject)
	}
	return d.Write(w, pin.Word.Head.Subject)
}

// PeriodChecks lists what to look at before the summary is issued: the
// blanks left, written parts that do not say what the period's data say,
// an indicator whose years do not add up to the period, or without a target.
func PeriodChecks(pin PeriodInput) []string {
	_, out := ComposePeriod(pin)
	out = append(out, summaryTextChecks(pin)...)
	for _, ind := range pin.Period.Indicators {
		if ind.Metric.Rule != nscl.RuleSum {
			continue
		}
		var sum int64
		for _, v := range ind.ByYear {
			sum += v
		}
		if sum != ind.Cumulative {
			out = append(out, fmt.Sprintf("%s: các năm cộng lại %s nhưng cả giai đoạn là %s.", ind.Metric.Name, vnfmt.Int(sum), vnfmt.Int(ind.Cumulative)))
		}
	}
	last := pin.Period.Last()
	for _, ind := range pin.Period.Indicators {
		switch {
		case ind.Status == nscl.StatusNoOwnTarget:
			out = append(out, fmt.Sprintf("%s: %s không giao chỉ tiêu cho %s; bảng kết quả không đánh giá tiến độ%s.", ind.Metric.Name, last.Plan.Name, last.Unit.Name, withShare(ind.IndicatorResult)))
		case !ind.HasTarget:
			out = append(out, fmt.Sprintf("%s: %s không đặt chỉ tiêu.", ind.Metric.Name, last.Plan.Name))
		}
		// The period's cumulative holds every year's part not yet approved.
		if ind.PendingCumulative != 0 {
			out = append(out, fmt.Sprintf("%s: %s.", ind.Metric.Name, PendingText(last, ind.Metric, 0, ind.PendingCumulative)))
		}
	}
	return out
}

// summaryTextChecks finds parts written for the summary that do not say
// what the period's data say; its figures are each year's and the period's.
func summaryTextChecks(pin PeriodInput) []string {
	p, in := pin.Period, pin.Word
	last := p.Last()
	label := func(key string) string {
		if l, ok := summaryLabels[key]; ok {
			return l
		}
		return PartLabel(key)
	}
	c := newTextCheck(last.Programme, last.Plan, last.Year, "giai đoạn "+p.span(), label, func(code string, _ bool) int64 {
		_, total, _ := metricValues(last, code)
		return total
	})
	for y := p.From - 1; y <= p.To+1; y++ {
		c.bodyYears = append(c.bodyYears, y)
	}
	c.futureFrom, c.subjectYears = []int{p.From}, c.bodyYears
	for i, r := range p.Years {
		c.knowReport(r)
		c.knowActivities(pin.ByYear[i])
	}
	var out []string
	for _, key := range nscl.SummaryTextParts {
		if text := strings.TrimSpace(in.Narrative[key]); text != "" && key != "request" {
			out = append(out, c.part(key, text, nil)...)
		}
	}
	return out
}

// PeriodPlaceholders lists the placeholders a summary's parts may use, for
// its page: each metric's total over the period, and the period's words.
func PeriodPlaceholders(p *Period) []Placeholder {
	last := p.Last()
	names := MetricPlaceholders(last.Programme)
	var out []Placeholder
	for _, m := range last.Programme.Metrics {
		if !m.ActiveIn(last.Year) {
			continue
		}
		_, total, _ := metricValues(last, m.Code)
		out = append(out, Placeholder{"{" + names[m.Code] + "}", fmt.Sprintf("%s, giai đoạn %s", m.Name, p.span()), vnfmt.Int(total)})
	}
	for _, ph := range [][2]string{
		{"{năm}", "giai đoạn báo cáo: " + p.span()}, {"{năm sau}", "giai đoạn tiếp theo: " + p.nextSpan()},
		{"{căn cứ}", "căn cứ: quyết định của chương trình và kế hoạch 05 năm"}, {"{đánh giá}", "câu đánh giá sinh từ bảng kết quả"},
		{"{chỉ tiêu giai đoạn sau}", "(một dòng riêng) chỉ tiêu của giai đoạn tiếp theo"},
		{"{văn bản 4225/KH-CN-TĐC}", "trích dẫn một văn bản trong danh mục theo số, ký hiệu"},
		{"[^nội dung]", "chú thích cuối trang"}, {Blank("…"), "chỗ để trống, cần người viết bổ sung"},
	} {
		out = append(out, Placeholder{Token: ph[0], Meaning: ph[1]})
	}
	return out
}
