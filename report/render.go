package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"nscl"
	"nscl/sheet"
	"nscl/vnfmt"
)

// JSONReport is the shape of `nscl report --format json` and of
// GET /api/v1/reports/{year}. Numbers are plain JSON numbers; the *_text
// fields are as the report prints them.
type JSONReport struct {
	Year            int                `json:"year"`
	ApprovedOnly    bool               `json:"approved_only,omitempty"` // only what approved submissions cover
	Programme       JSONRef            `json:"programme"`
	Unit            JSONRef            `json:"unit"`
	Plan            JSONPlan           `json:"plan"`
	AnnualPlan      *JSONPlan          `json:"annual_plan,omitempty"` // the year's own annual plan, when it sets targets
	Indicators      []JSONIndicator    `json:"indicators"`
	Measures        []JSONMeasure      `json:"measures"`
	NextYearTargets []JSONNextYearGoal `json:"next_year_targets"`
	// The former units the figures include, in one line; absent when none.
	FormerUnits        string `json:"former_units,omitempty"`
	FormerUnitsEnglish string `json:"former_units_en,omitempty"`
	// The first year of the indicators' programme_cumulative: present when
	// the plan starts after the programme, so that its cumulative restarts.
	ProgrammeCumulativeFrom int `json:"programme_cumulative_from,omitempty"`
}

// JSONTargetPart is one unit's part of a target summed across a merger.
type JSONTargetPart struct {
	Unit    JSONRef `json:"unit"`
	Value   int64   `json:"value"`
	Former  bool    `json:"former,omitempty"`   // a former unit's, not the report unit's own
	LeftOut bool    `json:"left_out,omitempty"` // shown, not added: see note
	Note    string  `json:"note,omitempty"`
	NoteEN  string  `json:"note_en,omitempty"`
}

// JSONOrigin is how a target was summed across a merger: the parts not
// left out add up to it.
type JSONOrigin struct {
	Parts []JSONTargetPart `json:"parts"`
	Text  string           `json:"text"` // as the report writes it
}

func jsonOrigin(parts []nscl.TargetPart, unit string) *JSONOrigin {
	if len(parts) == 0 {
		return nil
	}
	o := &JSONOrigin{Text: OriginText(parts, unit)}
	for _, p := range parts {
		o.Parts = append(o.Parts, JSONTargetPart{JSONRef{p.Unit.Code, p.Unit.Name}, p.Value, p.Former, p.LeftOut, p.Note, p.English})
	}
	return o
}

type JSONRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type JSONPlan struct {
	Name           string  `json:"name"`
	Document       string  `json:"document,omitempty"`
	StartYear      int     `json:"start_year"`
	EndYear        int     `json:"end_year"`
	ElapsedPercent float64 `json:"elapsed_percent"`
}

type JSONIndicator struct {
	Code              string  `json:"code"`
	Name              string  `json:"name"`
	Unit              string  `json:"unit"`
	TaskGroup         string  `json:"task_group"`
	Target            *int64  `json:"target"`
	YearValue         int64   `json:"year_value"`
	Cumulative        int64   `json:"cumulative"`
	CountingRule      string  `json:"counting_rule"`
	YearVisits        *int64  `json:"year_visits,omitempty"`       // distinct rule only: visits beside distinct enterprises
	CumulativeVisits  *int64  `json:"cumulative_visits,omitempty"` // distinct rule only
	CompletionPercent float64 `json:"completion_percent"`
	CompletionText    string  `json:"completion_text"`
	// Against the year's annual plan, when it sets a target for the indicator.
	AnnualTarget            *int64        `json:"annual_target,omitempty"`
	AnnualCompletionPercent *float64      `json:"annual_completion_percent,omitempty"`
	AnnualCompletionText    string        `json:"annual_completion_text,omitempty"`
	Status                  nscl.Status   `json:"status"`
	RequiredPace            int64         `json:"required_pace"`
	Warnings                []JSONWarning `json:"warnings"`
	// Beneficiaries: for an indicator counted in enterprises once some
	// activity names its beneficiaries, what the lists say.
	Beneficiaries *JSONReach `json:"beneficiaries,omitempty"`
	// What no approved submission covers yet: counted in the figures
	// above, or left out of them with approved_only. Absent when nothing
	// is pending.
	PendingYear       int64 `json:"pending_year,omitempty"`
	PendingCumulative int64 `json:"pending_cumulative,omitempty"`
	// ShareOfParent: for a unit the plan allots no target for this
	// indicator, its part of its parent's results instead of a completion.
	ShareOfParent *JSONShare `json:"share_of_parent,omitempty"`
	// How the targets were summed across a merger, when they were.
	TargetOrigin       *JSONOrigin `json:"target_origin,omitempty"`
	AnnualTargetOrigin *JSONOrigin `json:"annual_target_origin,omitempty"`
	// From the programme's first year (programme_cumulative_from) to the
	// year, beside the plan's cumulative; absent for the programme's first plan.
	ProgrammeCumulative *int64 `json:"programme_cumulative,omitempty"`
}

// JSONShare is a unit's part of its parent's results.
type JSONShare struct {
	Unit                  JSONRef `json:"unit"` // the parent
	YearValue             int64   `json:"year_value"`
	Cumulative            int64   `json:"cumulative"`
	YearPercent           float64 `json:"year_percent"`
	CumulativePercent     float64 `json:"cumulative_percent"`
	CumulativePercentText string  `json:"cumulative_percent_text"`
}

// JSONReach is what beneficiary lists say of an indicator, for the year
// and over the plan so far.
type JSONReach struct {
	Year       nscl.EnterpriseCounts `json:"year"`
	Cumulative nscl.EnterpriseCounts `json:"cumulative"`
}

type JSONWarning struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

type JSONMeasure struct {
	Code              string `json:"code"`
	Name              string `json:"name"`
	Unit              string `json:"unit"`
	YearValue         int64  `json:"year_value"`
	Cumulative        int64  `json:"cumulative"`
	PendingYear       int64  `json:"pending_year,omitempty"`
	PendingCumulative int64  `json:"pending_cumulative,omitempty"`
}

type JSONNextYearGoal struct {
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	Unit         string      `json:"unit"`
	Year         int         `json:"year"`
	Target       int64       `json:"target"`
	RequiredPace int64       `json:"required_pace"`
	Origin       *JSONOrigin `json:"target_origin,omitempty"` // summed across a merger
}

// JSON returns the report in its JSON shape.
func (r *Report) JSON() JSONReport {
	out := JSONReport{
		Year:               r.Year,
		ApprovedOnly:       r.ApprovedOnly,
		Programme:          JSONRef{r.Programme.Code, r.Programme.Name},
		Unit:               JSONRef{r.Unit.Code, r.Unit.Name},
		Plan:               JSONPlan{Name: r.Plan.Name, StartYear: r.Plan.StartYear, EndYear: r.Plan.EndYear, ElapsedPercent: vnfmt.Round(nscl.ElapsedPercent(r.Plan.StartYear, r.Plan.EndYear, r.Year), 2)},
		Indicators:         []JSONIndicator{},
		Measures:           []JSONMeasure{},
		NextYearTargets:    []JSONNextYearGoal{},
		FormerUnits:        r.FormerLine(),
		FormerUnitsEnglish: r.FormerLineEnglish(),
	}
	if r.PlanDocument != nil {
		out.Plan.Document = r.PlanDocument.Citation()
	}
	if r.ShowsProgrammeTotal() {
		out.ProgrammeCumulativeFrom = r.ProgrammeStart
	}
	if r.HasAnnualTargets() {
		out.AnnualPlan = &JSONPlan{Name: r.YearPlan.Name, StartYear: r.Year, EndYear: r.Year, ElapsedPercent: 100}
	}
	for _, ind := range r.Indicators {
		j := JSONIndicator{Code: ind.Metric.Code, Name: ind.Metric.Name, Unit: ind.Metric.Unit, TaskGroup: ind.Metric.TaskGroup,
			YearValue: ind.YearValue, Cumulative: ind.Cumulative, CompletionPercent: ind.CompletionPercent,
			Status: ind.Status, RequiredPace: ind.RequiredPace, Warnings: []JSONWarning{}, CountingRule: string(ind.Metric.Rule),
			PendingYear: ind.PendingYear, PendingCumulative: ind.PendingCumulative,
			TargetOrigin: jsonOrigin(r.TargetOrigins[ind.Metric.Code], ind.Metric.Unit), AnnualTargetOrigin: jsonOrigin(r.YearOrigins[ind.Metric.Code], ind.Metric.Unit)}
		if ind.Parent != nil {
			j.ShareOfParent = &JSONShare{Unit: JSONRef{ind.Parent.Code, ind.Parent.Name}, YearValue: ind.ParentYear, Cumulative: ind.ParentCumulative,
				YearPercent: ind.YearShare, CumulativePercent: ind.CumulativeShare, CumulativePercentText: vnfmt.Percent(ind.CumulativeShare)}
		}
		if r.ShowsProgrammeTotal() {
			total := ind.ProgrammeCumulative
			j.ProgrammeCumulative = &total
		}
		if ind.Metric.Rule == nscl.RuleDistinct {
			yv, cv := ind.YearVisits, ind.CumulativeVisits
			j.YearVisits, j.CumulativeVisits = &yv, &cv
		}
		if ind.Metric.CountsEnterprises() && ind.CumulativeReach.Known() {
			j.Beneficiaries = &JSONReach{Year: ind.YearReach, Cumulative: ind.CumulativeReach}
		}
		if ind.HasTarget {
			target := ind.Target
			j.Target = &target
			j.CompletionText = vnfmt.Percent(ind.CompletionPercent)
		}
		if ind.HasAnnualTarget {
			target, percent := ind.AnnualTarget, ind.AnnualPercent
			j.AnnualTarget, j.AnnualCompletionPercent, j.AnnualCompletionText = &target, &percent, vnfmt.Percent(percent)
		}
		for _, w := range ind.Warnings {
			j.Warnings = append(j.Warnings, JSONWarning{w.Code, w.Message, w.English})
		}
		out.Indicators = append(out.Indicators, j)
		if ind.HasNextYearTarget {
			out.NextYearTargets = append(out.NextYearTargets, JSONNextYearGoal{Code: ind.Metric.Code, Name: ind.Metric.Name, Unit: ind.Metric.Unit,
				Year: r.Year + 1, Target: ind.NextYearTarget, RequiredPace: ind.RequiredPace, Origin: jsonOrigin(r.NextOrigins[ind.Metric.Code], ind.Metric.Unit)})
		}
	}
	for _, m := range r.Measures {
		out.Measures = append(out.Measures, JSONMeasure{m.Metric.Code, m.Metric.Name, m.Metric.Unit, m.YearValue, m.Cumulative, m.PendingYear, m.PendingCumulative})
	}
	return out
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r.JSON())
}

// Headings are the column headings of table II.1, as the report prints
// them. The cumulative counts from the start of the plan period, which for
// the first plan is the start of the programme, as the seed says.
func (r *Report) Headings() []string {
	since := "từ đầu Chương trình"
	if r.Plan.StartYear != r.Programme.StartYear {
		since = fmt.Sprintf("từ đầu giai đoạn %d–%d", r.Plan.StartYear, r.Plan.EndYear)
	}
	return []string{"Nội dung thực hiện", "Chỉ tiêu theo Kế hoạch 05 năm", fmt.Sprintf("Kết quả năm %d", r.Year),
		fmt.Sprintf("Kết quả %s đến hết năm %d", since, r.Year), "Tỷ lệ hoàn thành"}
}

// ProgrammeHeading heads the programme's cumulative, shown beside the
// plan's when the plan starts after the programme (ShowsProgrammeTotal):
// "Lũy kế 2021–2030 (từ đầu Chương trình đến hết năm 2026)".
func (r *Report) ProgrammeHeading() string {
	return fmt.Sprintf("Lũy kế %d–%d (từ đầu Chương trình đến hết năm %d)", r.Programme.StartYear, r.Programme.EndYear, r.Year)
}

// TableHeadings are the column headings of table II.1 as the report prints
// it: Headings, with the annual plan's target and the year's result against
// it beside the year's result when the year has an annual plan with
// targets, and the programme's cumulative last when the plan starts after
// the programme.
func (r *Report) TableHeadings() []string {
	h := r.Headings()
	if r.HasAnnualTargets() {
		h = []string{h[0], h[1], fmt.Sprintf("Chỉ tiêu theo Kế hoạch năm %d", r.Year), h[2],
			fmt.Sprintf("Tỷ lệ so với Kế hoạch năm %d", r.Year), h[3], "Tỷ lệ hoàn thành Kế hoạch 05 năm"}
	}
	if r.ShowsProgrammeTotal() {
		h = append(h, r.ProgrammeHeading())
	}
	return h
}

// TableRow is an indicator's row under TableHeadings.
func (r *Report) TableRow(ind nscl.IndicatorResult) []string {
	c := Row(ind)
	if r.HasAnnualTargets() {
		target, percent := "–", "–"
		if ind.HasAnnualTarget {
			target = vnfmt.Int(ind.AnnualTarget) + " " + ind.Metric.Unit
			if ind.AnnualTarget > 0 {
				percent = vnfmt.Percent(ind.AnnualPercent)
			}
		}
		c = []string{c[0], c[1], target, c[2], percent, c[3], c[4]}
	}
	if r.ShowsProgrammeTotal() {
		c = append(c, vnfmt.Int(ind.ProgrammeCumulative)+" "+ind.Metric.Unit)
	}
	return c
}

// Row returns an indicator's cells of table II.1 as the report prints
// them: "10.000 lượt doanh nghiệp", "963 lượt doanh nghiệp", "9,93 %".
func Row(ind nscl.IndicatorResult) []string {
	withUnit := func(n int64) string { return vnfmt.Int(n) + " " + ind.Metric.Unit }
	target, completion := "–", "–"
	if ind.HasTarget {
		target, completion = withUnit(ind.Target), vnfmt.Percent(ind.CompletionPercent)
	}
	return []string{ind.Metric.Name, target, withUnit(ind.YearValue), withUnit(ind.Cumulative), completion}
}

// WriteMarkdown writes the report's heading, the results table, the
// measures and the warnings as Markdown.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Kết quả thực hiện năm %d — %s\n\n", r.Year, r.Unit.Name)
	fmt.Fprintf(&b, "%s\n\n", r.Programme.Name)
	b.WriteString(planLine(r) + "\n\n")
	if line := r.FormerLine(); line != "" {
		b.WriteString(line + "\n\n")
	}
	h := r.TableHeadings()
	b.WriteString("| " + strings.Join(h, " | ") + " |\n")
	b.WriteString("|---" + strings.Repeat("|---:", len(h)-1) + "|\n")
	for _, ind := range r.Indicators {
		b.WriteString("| " + strings.Join(r.TableRow(ind), " | ") + " |\n")
	}
	if origins := r.OriginLines(); len(origins) > 0 {
		b.WriteString("\n## Chỉ tiêu cộng với chỉ tiêu của các đơn vị trước đây\n\n")
		for _, line := range origins {
			b.WriteString("- " + line + "\n")
		}
	}
	b.WriteString("\n## Tình trạng\n\n")
	for _, ind := range r.Indicators {
		b.WriteString("- " + statusLine(ind) + "\n")
	}
	if pending := pendingLines(r); len(pending) > 0 {
		b.WriteString("\n## Chưa được duyệt\n\n")
		for _, line := range pending {
			b.WriteString("- " + line + "\n")
		}
	}
	if reach := Reach(r); len(reach) > 0 {
		b.WriteString("\n## Doanh nghiệp hưởng lợi\n\n")
		for _, line := range reach {
			b.WriteString("- " + line + "\n")
		}
	}
	if len(r.Measures) > 0 {
		fmt.Fprintf(&b, "\n## Số liệu khác năm %d\n\n", r.Year)
		for _, m := range r.Measures {
			fmt.Fprintf(&b, "- %s: %s %s\n", m.Metric.Name, vnfmt.Int(m.YearValue), m.Metric.Unit)
		}
	}
	if targets := nextYearLines(r); len(targets) > 0 {
		fmt.Fprintf(&b, "\n## Chỉ tiêu năm %d\n\n", r.Year+1)
		for _, t := range targets {
			b.WriteString("- " + t + "\n")
		}
	}
	if warnings := warningLines(r); len(warnings) > 0 {
		b.WriteString("\n## Cảnh báo\n\n")
		for _, line := range warnings {
			b.WriteString("- " + line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes the same content as WriteMarkdown for a terminal: one
// block per indicator, since the report's column headings are too long for
// a table on screen.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "KẾT QUẢ THỰC HIỆN NĂM %d — %s\n", r.Year, strings.ToUpper(r.Unit.Name))
	fmt.Fprintf(&b, "%s\n%s\n\n", r.Programme.Name, planLine(r))
	if line := r.FormerLine(); line != "" {
		b.WriteString(line + "\n\n")
	}
	h := r.TableHeadings()
	for i, ind := range r.Indicators {
		cells := r.TableRow(ind)
		fmt.Fprintf(&b, "%d. %s\n", i+1, cells[0])
		for c := 1; c < len(cells); c++ {
			fmt.Fprintf(&b, "   %-45s %s\n", h[c]+":", cells[c])
		}
		fmt.Fprintf(&b, "   %-45s %s\n\n", "Tình trạng:", StatusText(ind))
	}
	if origins := r.OriginLines(); len(origins) > 0 {
		b.WriteString("Chỉ tiêu cộng với chỉ tiêu của các đơn vị trước đây:\n")
		for _, line := range origins {
			b.WriteString("   " + line + "\n")
		}
		b.WriteString("\n")
	}
	if pending := pendingLines(r); len(pending) > 0 {
		b.WriteString("Chưa được duyệt:\n")
		for _, line := range pending {
			b.WriteString("   " + line + "\n")
		}
		b.WriteString("\n")
	}
	if reach := Reach(r); len(reach) > 0 {
		b.WriteString("Doanh nghiệp hưởng lợi:\n")
		for _, line := range reach {
			b.WriteString("   " + line + "\n")
		}
		b.WriteString("\n")
	}
	if len(r.Measures) > 0 {
		fmt.Fprintf(&b, "Số liệu khác năm %d:\n", r.Year)
		for _, m := range r.Measures {
			fmt.Fprintf(&b, "   %s: %s %s\n", m.Metric.Name, vnfmt.Int(m.YearValue), m.Metric.Unit)
		}
		b.WriteString("\n")
	}
	if targets := nextYearLines(r); len(targets) > 0 {
		fmt.Fprintf(&b, "Chỉ tiêu năm %d:\n", r.Year+1)
		for _, t := range targets {
			b.WriteString("   " + t + "\n")
		}
		b.WriteString("\n")
	}
	if warnings := warningLines(r); len(warnings) > 0 {
		b.WriteString("Cảnh báo:\n")
		for _, line := range warnings {
			b.WriteString("   ! " + line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func planLine(r *Report) string {
	s := fmt.Sprintf("Kế hoạch 05 năm: %s (%d–%d)", r.Plan.Name, r.Plan.StartYear, r.Plan.EndYear)
	if r.PlanDocument != nil {
		s += ", " + r.PlanDocument.Citation()
	}
	s += fmt.Sprintf("; đến hết năm %d đã qua %s thời gian kế hoạch.", r.Year, vnfmt.Percent(nscl.ElapsedPercent(r.Plan.StartYear, r.Plan.EndYear, r.Year)))
	if r.ApprovedOnly {
		s += " Chỉ tính số liệu đã được duyệt."
	}
	return s
}

// pendingLines are the indicators and measures with figures no approved
// submission covers yet, each with how much.
func pendingLines(r *Report) []string {
	var lines []string
	for _, ind := range r.Indicators {
		if text := PendingText(r, ind.Metric, ind.PendingYear, ind.PendingCumulative); text != "" {
			lines = append(lines, ind.Metric.Name+": "+text)
		}
	}
	for _, m := range r.Measures {
		if text := PendingText(r, m.Metric, m.PendingYear, m.PendingCumulative); text != "" {
			lines = append(lines, m.Metric.Name+": "+text)
		}
	}
	return lines
}

// StatusText is an indicator's status with the pace still needed:
// "chậm tiến độ; mỗi năm còn cần 3.003 lượt doanh nghiệp"; for a unit
// with no target of its own, its share of its parent's results instead:
// "chưa được giao chỉ tiêu; chiếm 53 % kết quả lũy kế của …".
func StatusText(ind nscl.IndicatorResult) string {
	s := StatusLabel(ind.Status)
	if ind.RequiredPace > 0 {
		s += fmt.Sprintf("; mỗi năm còn cần %s %s", vnfmt.Int(ind.RequiredPace), ind.Metric.Unit)
	}
	if share := ShareText(ind); share != "" {
		s += "; " + share
	}
	return s
}

// ShareText is a unit's part of its parent's results, for an indicator
// it has no target of its own for: "chiếm 53 % kết quả lũy kế của …", or
// "" when there is no share to tell.
func ShareText(ind nscl.IndicatorResult) string {
	switch {
	case ind.Parent == nil:
		return ""
	case ind.ParentCumulative == 0:
		return ind.Parent.Name + " chưa có kết quả"
	}
	return fmt.Sprintf("chiếm %s kết quả lũy kế của %s", vnfmt.Percent(ind.CumulativeShare), ind.Parent.Name)
}

// PendingText says how much of an indicator's figures no approved
// submission covers yet — "7 lượt doanh nghiệp trong kết quả năm 2023 chưa
// được duyệt" — or, for a report of approved figures only, how much it
// leaves out; "" when everything is approved.
func PendingText(r *Report, m nscl.Metric, year, cumulative int64) string {
	if year == 0 && cumulative == 0 {
		return ""
	}
	verb := "chưa được duyệt"
	if r.ApprovedOnly {
		verb = "chưa được duyệt, không tính vào báo cáo"
	}
	var s string
	switch {
	case year == 0:
		s = fmt.Sprintf("%s %s trong kết quả lũy kế đến hết năm %d", vnfmt.Int(cumulative), m.Unit, r.Year)
	case cumulative == year:
		s = fmt.Sprintf("%s %s trong kết quả năm %d", vnfmt.Int(year), m.Unit, r.Year)
	default:
		s = fmt.Sprintf("%s %s trong kết quả năm %d (%s trong lũy kế)", vnfmt.Int(year), m.Unit, r.Year, vnfmt.Int(cumulative))
	}
	return s + " " + verb
}

func statusLine(ind nscl.IndicatorResult) string {
	return ind.Metric.Name + ": " + StatusText(ind)
}

func nextYearLines(r *Report) []string {
	var lines []string
	for _, ind := range r.Indicators {
		if ind.HasNextYearTarget {
			lines = append(lines, fmt.Sprintf("%s: %s %s", ind.Metric.Name, vnfmt.Int(ind.NextYearTarget), ind.Metric.Unit))
		}
	}
	return lines
}

func warningLines(r *Report) []string {
	var lines []string
	for _, ind := range r.Indicators {
		for _, w := range ind.Warnings {
			lines = append(lines, ind.Metric.Name+": "+w.Message)
		}
	}
	return lines
}

// WriteCSV writes table II.1 and the measures as CSV, each cell as the
// report prints it ("10.000 lượt doanh nghiệp", "9,93 %"), with the
// byte-order mark Excel needs to read Vietnamese letters right.
func WriteCSV(w io.Writer, r *Report) error {
	rows := func(yield func([]string) error) error {
		for _, ind := range r.Indicators {
			if err := yield(r.TableRow(ind)); err != nil {
				return err
			}
		}
		// A measure's year and cumulative under the table's headings for them.
		year, cumulative := 2, 3
		if r.HasAnnualTargets() {
			year, cumulative = 3, 5
		}
		for _, m := range r.Measures {
			withUnit := func(n int64) string { return vnfmt.Int(n) + " " + m.Metric.Unit }
			row := make([]string, len(r.TableHeadings()))
			row[0], row[year], row[cumulative] = m.Metric.Name, withUnit(m.YearValue), withUnit(m.Cumulative)
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	}
	return sheet.WriteCSV(w, r.TableHeadings(), rows)
}
