package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/store"
)

// phaseFixture is a programme of the test's own, 2021–2030, with an org
// tree the demo does not hold: the Ministry, Đà Nẵng under it and the
// city's department. Its third indicator begins in 2026 and its fourth in
// 2028. The city's first plan (2021–2025) is on file; addSecondPhase adds
// the city's 2026–2030 plan and the Ministry's national one.
type phaseFixture struct {
	st                   *store.Store
	prog                 *nscl.Programme
	ministry, city, dept nscl.OrgUnit
}

const (
	phaseProgramme = "GD2030"
	phVisits       = "visits"    // from the start
	phCertified    = "certified" // from 2026
	phLabs         = "labs"      // from 2028
)

func newPhaseFixture(t *testing.T) *phaseFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "phase.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &phaseFixture{st: st}
	f.prog = &nscl.Programme{Code: phaseProgramme, Name: "Chương trình năng suất chất lượng hai giai đoạn", StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo nguồn nhân lực"}},
		Metrics: []nscl.Metric{
			{Code: phVisits, Name: "Tập huấn doanh nghiệp", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
			{Code: phCertified, Name: "Chuyên gia được chứng nhận quốc tế", Unit: "chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a", FirstYear: 2026},
			{Code: phLabs, Name: "Phòng thử nghiệm được công nhận", Unit: "phòng thử nghiệm", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a", FirstYear: 2028},
		}}
	f.ministry = nscl.OrgUnit{Code: "BO", Name: "Bộ Khoa học và Công nghệ", Level: nscl.LevelMinistry}
	f.city = nscl.OrgUnit{Code: "DNG", Name: "Ủy ban nhân dân Thành phố Đà Nẵng", Level: nscl.LevelProvince}
	f.dept = nscl.OrgUnit{Code: "DNG-SKHCN", Name: "Sở Khoa học và Công nghệ Thành phố Đà Nẵng", Level: nscl.LevelDepartment}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, f.prog); err != nil {
			return err
		}
		if err := tx.CreateUnit(ctx, &f.ministry); err != nil {
			return err
		}
		f.city.ParentID = f.ministry.ID
		if err := tx.CreateUnit(ctx, &f.city); err != nil {
			return err
		}
		f.dept.ParentID = f.city.ID
		if err := tx.CreateUnit(ctx, &f.dept); err != nil {
			return err
		}
		return tx.CreatePlan(ctx, f.prog, &nscl.Plan{UnitID: f.city.ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
			Name: "Kế hoạch của Đà Nẵng giai đoạn 2021 – 2025", Targets: []nscl.Target{{Metric: phVisits, Value: 500}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *phaseFixture) addSecondPhase(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePlan(ctx, f.prog, &nscl.Plan{UnitID: f.ministry.ID, Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030,
			Name: "Mục tiêu quốc gia giai đoạn 2026 – 2030", Targets: []nscl.Target{{Metric: phCertified, Value: 300}}}); err != nil {
			return err
		}
		return tx.CreatePlan(ctx, f.prog, &nscl.Plan{UnitID: f.city.ID, Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030,
			Name:    "Kế hoạch của Đà Nẵng giai đoạn 2026 – 2030",
			Targets: []nscl.Target{{Metric: phVisits, Value: 800}, {Metric: phCertified, Value: 40}, {Metric: phLabs, Value: 6}}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// addActivity enters an activity of the city's department.
func (f *phaseFixture) addActivity(t *testing.T, year int, qs ...nscl.Quantity) {
	t.Helper()
	ctx := context.Background()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		return tx.CreateActivity(ctx, f.prog, &nscl.Activity{UnitID: f.dept.ID, Date: time.Date(year, 5, 20, 0, 0, 0, 0, time.UTC), TaskGroup: "a",
			Kind: nscl.KindTraining, Description: "Lớp đào tạo chuyên gia năng suất", Quantities: qs})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// approve approves the department's submission to a round of the year.
func (f *phaseFixture) approve(t *testing.T, year int) {
	t.Helper()
	ctx := context.Background()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		r := nscl.Round{Title: "Báo cáo năm", PeriodStart: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC),
			Deadline: time.Date(year+1, 1, 10, 0, 0, 0, 0, time.UTC), UnitIDs: []int64{f.dept.ID}}
		if err := tx.CreateRound(ctx, f.prog, &r); err != nil {
			return err
		}
		at := time.Date(year+1, 1, 5, 3, 0, 0, 0, time.UTC)
		return tx.RestoreSubmission(ctx, nscl.Submission{RoundID: r.ID, UnitID: f.dept.ID, Status: nscl.StatusApproved, SubmittedAt: at, FirstSentAt: at, ReviewedAt: at})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *phaseFixture) build(t *testing.T, req Request) *Report {
	t.Helper()
	req.Programme = phaseProgramme
	r, err := Build(context.Background(), f.st, req)
	if err != nil {
		t.Fatalf("%+v: %v", req, err)
	}
	return r
}

func indicatorCodes(r *Report) []string {
	var out []string
	for _, ind := range r.Indicators {
		out = append(out, ind.Metric.Code)
	}
	return out
}

func indicator(t *testing.T, r *Report, code string) nscl.IndicatorResult {
	t.Helper()
	for _, ind := range r.Indicators {
		if ind.Metric.Code == code {
			return ind
		}
	}
	t.Fatalf("%d's results have no %s: %v", r.Year, code, indicatorCodes(r))
	return nscl.IndicatorResult{}
}

// A 2026 activity counts toward the 2026–2030 plan, whose cumulative
// restarts in 2026; the programme's total since 2021 is shown beside it,
// counted on the same basis. 2025 stays with the first plan, as before.
func TestASecondPlanRestartsTheCumulative(t *testing.T) {
	f := newPhaseFixture(t)
	f.addActivity(t, 2024, nscl.Quantity{Metric: phVisits, Value: 120})
	f.approve(t, 2024)
	if _, err := Build(context.Background(), f.st, Request{Programme: phaseProgramme, Year: 2026}); nscl.ErrorCode(err) != nscl.ENOTFOUND || nscl.ErrorField(err) != "year" {
		t.Fatalf("2026 before any plan covers it: %v", err)
	}
	f.addSecondPhase(t)
	f.addActivity(t, 2026, nscl.Quantity{Metric: phVisits, Value: 70}, nscl.Quantity{Metric: phCertified, Value: 5})

	// Named by no one, the report is the city's: its plan lies below the Ministry's.
	r := f.build(t, Request{Year: 2026})
	if r.Unit.Code != "DNG" || r.Plan.StartYear != 2026 || r.Plan.UnitID != f.city.ID {
		t.Fatalf("the 2026 report is for %s against %q", r.Unit.Code, r.Plan.Name)
	}
	if got := indicatorCodes(r); !slices.Equal(got, []string{phVisits, phCertified}) {
		t.Errorf("2026 lists %v", got)
	}
	visits := indicator(t, r, phVisits)
	if visits.YearValue != 70 || visits.Cumulative != 70 || visits.Target != 800 || visits.CompletionPercent != 8.75 || visits.ProgrammeCumulative != 190 {
		t.Errorf("visits in 2026: year %d, cumulative %d of %d (%v %%), programme's %d; want 70, 70 of 800 (8,75 %%), 190",
			visits.YearValue, visits.Cumulative, visits.Target, visits.CompletionPercent, visits.ProgrammeCumulative)
	}
	if c := indicator(t, r, phCertified); c.Cumulative != 5 || c.Target != 40 || c.ProgrammeCumulative != 5 {
		t.Errorf("certified in 2026: %+v", c)
	}
	h := r.TableHeadings()
	if len(h) != 6 || h[3] != "Kết quả từ đầu giai đoạn 2026–2030 đến hết năm 2026" || h[5] != "Lũy kế 2021–2030 (từ đầu Chương trình đến hết năm 2026)" {
		t.Errorf("2026 headings %q", h)
	}
	if row := r.TableRow(visits); !slices.Equal(row, []string{"Tập huấn doanh nghiệp", "800 lượt doanh nghiệp", "70 lượt doanh nghiệp", "70 lượt doanh nghiệp", "8,75 %", "190 lượt doanh nghiệp"}) {
		t.Errorf("2026 row %q", row)
	}
	j := r.JSON()
	if j.ProgrammeCumulativeFrom != 2021 || j.Indicators[0].ProgrammeCumulative == nil || *j.Indicators[0].ProgrammeCumulative != 190 {
		t.Errorf("JSON: from %d, %v", j.ProgrammeCumulativeFrom, j.Indicators[0].ProgrammeCumulative)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| Tập huấn doanh nghiệp | 800 lượt doanh nghiệp | 70 lượt doanh nghiệp | 70 lượt doanh nghiệp | 8,75 % | 190 lượt doanh nghiệp |") {
		t.Errorf("Markdown:\n%s", md.String())
	}
	in, err := Gather(context.Background(), f.st, Request{Programme: phaseProgramme, Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	wantParagraphs(t, documentText(t, in),
		"Nội dung thực hiện | Chỉ tiêu theo Kế hoạch 05 năm | Kết quả năm 2026 | Kết quả từ đầu giai đoạn 2026–2030 đến hết năm 2026 | Tỷ lệ hoàn thành | Lũy kế 2021–2030 (từ đầu Chương trình đến hết năm 2026)",
		"Tập huấn doanh nghiệp | 800 lượt doanh nghiệp | 70 lượt doanh nghiệp | 70 lượt doanh nghiệp | 8,75 % | 190 lượt doanh nghiệp",
		"Chuyên gia được chứng nhận quốc tế | 40 chuyên gia | 5 chuyên gia | 5 chuyên gia | 12,5 % | 5 chuyên gia")

	// Approved figures only: 2024's approved work counts in the
	// programme's total, 2026's pending work nowhere.
	approved := indicator(t, f.build(t, Request{Year: 2026, ApprovedOnly: true}), phVisits)
	if approved.Cumulative != 0 || approved.ProgrammeCumulative != 120 {
		t.Errorf("approved only: cumulative %d, programme's %d; want 0 and 120", approved.Cumulative, approved.ProgrammeCumulative)
	}

	// 2025: the first plan, counted from the programme's start, with
	// neither the indicator that begins in 2026 nor a programme column.
	r = f.build(t, Request{Year: 2025})
	if r.Plan.StartYear != 2021 || r.ShowsProgrammeTotal() || !slices.Equal(indicatorCodes(r), []string{phVisits}) {
		t.Errorf("2025 against %q lists %v, programme column %v", r.Plan.Name, indicatorCodes(r), r.ShowsProgrammeTotal())
	}
	if v := indicator(t, r, phVisits); v.Cumulative != 120 || v.Target != 500 {
		t.Errorf("visits in 2025: %d of %d", v.Cumulative, v.Target)
	}
	if h := r.TableHeadings(); len(h) != 5 {
		t.Errorf("2025 headings %q", h)
	}
	out, err := json.Marshal(r.JSON())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "programme_cumulative") {
		t.Errorf("the first plan's JSON carries a programme total: %s", out)
	}
}

// The report's unit: the Ministry's national plan when asked for, the
// city's plan for a unit under the city, and no guess between two cities.
func TestTheUnitOfALaterPlansReport(t *testing.T) {
	f := newPhaseFixture(t)
	f.addSecondPhase(t)
	f.addActivity(t, 2026, nscl.Quantity{Metric: phCertified, Value: 5})
	national := f.build(t, Request{Unit: "BO", Year: 2026})
	if national.Plan.UnitID != f.ministry.ID {
		t.Fatalf("the Ministry's 2026 report is against %q", national.Plan.Name)
	}
	if c := indicator(t, national, phCertified); c.Target != 300 || c.Cumulative != 5 {
		t.Errorf("the Ministry's certified experts: %d of %d", c.Cumulative, c.Target)
	}
	if _, err := Build(context.Background(), f.st, Request{Programme: phaseProgramme, Unit: "BO", Year: 2025}); nscl.ErrorCode(err) != nscl.ENOTFOUND {
		t.Errorf("the Ministry in 2025, with no plan of its own or above: %v", err)
	}
	dept := f.build(t, Request{Unit: "DNG-SKHCN", Year: 2026})
	if dept.Plan.UnitID != f.city.ID || indicator(t, dept, phCertified).Status != nscl.StatusNoOwnTarget {
		t.Errorf("the department's 2026 report is against %q", dept.Plan.Name)
	}

	ctx := context.Background()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		hue := nscl.OrgUnit{Code: "HUE", Name: "Ủy ban nhân dân Thành phố Huế", Level: nscl.LevelProvince, ParentID: f.ministry.ID}
		if err := tx.CreateUnit(ctx, &hue); err != nil {
			return err
		}
		return tx.CreatePlan(ctx, f.prog, &nscl.Plan{UnitID: hue.ID, Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030, Name: "Kế hoạch của Huế giai đoạn 2026 – 2030"})
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(ctx, f.st, Request{Programme: phaseProgramme, Year: 2026})
	if nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "unit" || !strings.Contains(err.Error(), "DNG") || !strings.Contains(err.Error(), "HUE") {
		t.Errorf("two cities' plans for 2026: %v", err)
	}
	if r := f.build(t, Request{Unit: "DNG", Year: 2026}); r.Plan.UnitID != f.city.ID {
		t.Errorf("Đà Nẵng named: against %q", r.Plan.Name)
	}
}

// The summary of the first plan ends with the next plan's targets, the
// indicator that begins with it among them; a summary of the second plan
// takes each year's figures by indicator, one begun mid-plan included.
func TestSummariesAcrossThePhases(t *testing.T) {
	f := newPhaseFixture(t)
	ctx := context.Background()
	final := func() string {
		t.Helper()
		pin, err := GatherPeriod(ctx, f.st, PeriodRequest{Programme: phaseProgramme, From: 2021, To: 2025})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := ComposePeriod(pin)
		return strings.Join(textOf(t, d), "\n")
	}
	if text := final(); !strings.Contains(text, "[cần bổ sung: chỉ tiêu giai đoạn 2026 – 2030 — chưa có kế hoạch 05 năm tiếp theo trong hệ thống]") {
		t.Errorf("without a next plan, the summary does not leave its targets blank:\n%s", text)
	}
	f.addSecondPhase(t)
	text := final()
	for _, want := range []string{"Chỉ tiêu của Kế hoạch của Đà Nẵng giai đoạn 2026 – 2030:", "- Tập huấn doanh nghiệp, mục tiêu 800 lượt doanh nghiệp.",
		"- Chuyên gia được chứng nhận quốc tế, mục tiêu 40 chuyên gia.", "- Phòng thử nghiệm được công nhận, mục tiêu 06 phòng thử nghiệm."} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, text)
		}
	}

	f.addActivity(t, 2026, nscl.Quantity{Metric: phVisits, Value: 70}, nscl.Quantity{Metric: phCertified, Value: 5})
	f.addActivity(t, 2028, nscl.Quantity{Metric: phLabs, Value: 2}, nscl.Quantity{Metric: phCertified, Value: 3})
	p, err := BuildPeriod(ctx, f.st, PeriodRequest{Programme: phaseProgramme, From: 2026, To: 2028})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int64{phVisits: {70, 0, 0}, phCertified: {5, 0, 3}, phLabs: {0, 0, 2}}
	if len(p.Indicators) != len(want) {
		t.Errorf("the 2026–2028 summary lists %d indicators", len(p.Indicators))
	}
	for _, ind := range p.Indicators {
		if !slices.Equal(ind.ByYear, want[ind.Metric.Code]) {
			t.Errorf("%s by year %v, want %v", ind.Metric.Code, ind.ByYear, want[ind.Metric.Code])
		}
	}
}
