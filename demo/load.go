package demo

import (
	"context"
	"fmt"
	"time"

	"nscl"
	"nscl/store"
)

type planSpec struct {
	plan     nscl.Plan
	unit     string
	document string // number/symbol, "" when the report names none
	source   string
}

// Plans returns the city's 5-year plan with the four targets of table II.1,
// the 2023 annual plan of section III.1, and the plans of the programme's
// second phase: the Ministry's national 2026–2030 plan and the city's,
// whose targets are illustrative.
func Plans() []planSpec {
	return []planSpec{
		{plan: nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
			Name: "Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh giai đoạn 2021 – 2025",
			Targets: []nscl.Target{
				{Metric: TrainingEnterprises, Value: 10000},
				{Metric: EnterprisesSupported, Value: 200},
				{Metric: ExpertsTrained, Value: 150},
				{Metric: LabsStrengthened, Value: 10},
			}},
			unit: UnitCity, document: "299/QĐ-UBND", source: "Quyết định 299/QĐ-UBND; chỉ tiêu theo cột 'Chỉ tiêu theo Kế hoạch 05 năm' của bảng mục II.1"},
		// The 2022 annual plan (Kế hoạch 1904/KH-SKH-CN) is on file as a
		// document only: the report quotes none of its targets, and a plan
		// stored without them would read as a plan that set none.
		// Section III.1 lists the 2023 targets; it sets none for experts.
		{plan: nscl.Plan{Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023,
			Name: "Kế hoạch năm 2023",
			Targets: []nscl.Target{
				{Metric: TrainingEnterprises, Value: 3500},
				{Metric: EnterprisesSupported, Value: 50},
				{Metric: LabsStrengthened, Value: 5},
			}},
			unit: UnitCity, source: "Mục III.1, các nhiệm vụ của Kế hoạch năm 2023"},
		// The national targets of the second phase: about 1.000 experts
		// trained, about 200 of them certified internationally.
		{plan: nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030,
			Name: "Mục tiêu giai đoạn 2026 – 2030 của Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa",
			Targets: []nscl.Target{
				{Metric: ExpertsTrained, Value: 1000},
				{Metric: ExpertsCertified, Value: 200},
			}},
			unit: UnitMinistry, document: "1322/QĐ-TTg", source: "Quyết định 1322/QĐ-TTg, mục tiêu giai đoạn 2026 – 2030: đào tạo khoảng 1.000 chuyên gia, khoảng 200 chuyên gia được chứng nhận quốc tế"},
		// The city has issued no plan for 2026–2030 that the seed knows of;
		// this one is illustrative (minh họa), so that a 2026 activity has
		// a plan to count toward. Its targets are not the city's.
		{plan: nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2026, EndYear: 2030,
			Name: "Kế hoạch nâng cao năng suất và chất lượng của Thành phố Hồ Chí Minh giai đoạn 2026 – 2030 (minh họa)",
			Targets: []nscl.Target{
				{Metric: TrainingEnterprises, Value: 12000},
				{Metric: EnterprisesSupported, Value: 300},
				{Metric: ExpertsTrained, Value: 200},
				{Metric: LabsStrengthened, Value: 12},
				{Metric: ExpertsCertified, Value: 30},
			}},
			unit: UnitCity, source: "Minh họa: chỉ tiêu giả định để trình diễn kế hoạch giai đoạn 2026 – 2030, không lấy từ văn bản nào"},
	}
}

// Summary says what Load wrote.
type Summary struct {
	AlreadyLoaded bool
	Documents     int
	Units         int
	Plans         int
	Activities    int
}

// Load writes the demo programme in one transaction. When the programme is
// already there it writes nothing, so running it twice is safe.
func Load(ctx context.Context, st *store.Store) (Summary, error) {
	var sum Summary
	err := st.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.ProgrammeByCode(ctx, ProgrammeCode); err == nil {
			sum.AlreadyLoaded = true
			return nil
		} else if nscl.ErrorCode(err) != nscl.ENOTFOUND {
			return err
		}
		docs := map[string]int64{}
		for _, d := range Documents() {
			if err := tx.CreateDocument(ctx, &d); err != nil {
				return fmt.Errorf("demo: document %s: %w", d.NumberSymbol(), err)
			}
			docs[d.NumberSymbol()] = d.ID
		}
		prog := Programme()
		prog.DocumentID = docs["1322/QĐ-TTg"]
		if err := tx.CreateProgramme(ctx, &prog); err != nil {
			return fmt.Errorf("demo: programme: %w", err)
		}
		units := map[string]int64{}
		for _, spec := range Units() {
			u := spec.OrgUnit
			u.ParentID = units[spec.parent]
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return fmt.Errorf("demo: unit %s: %w", u.Code, err)
			}
			units[u.Code] = u.ID
		}
		// Recorded as successions, not only as closing dates, so that the
		// merged city counts the work of the units it took over.
		for _, spec := range Successions() {
			if _, err := tx.CloseUnitInto(ctx, spec.unit, spec.on, spec.successors); err != nil {
				return fmt.Errorf("demo: closing %s: %w", spec.unit, err)
			}
		}
		plans := append(Plans(), MergerPlans()...)
		for _, spec := range plans {
			p := spec.plan
			p.UnitID, p.DocumentID = units[spec.unit], docs[spec.document]
			if err := tx.CreatePlan(ctx, &prog, &p); err != nil {
				return fmt.Errorf("demo: plan %s: %w", p.Name, err)
			}
		}
		for _, spec := range Activities() {
			a := nscl.Activity{UnitID: units[spec.unit], Date: spec.date, TaskGroup: spec.group, Kind: spec.kind,
				Description: spec.description, NotInFootnote: spec.notInFootnote, Source: spec.source, Ref: spec.ref, Quantities: spec.quantities}
			if err := tx.CreateActivity(ctx, &prog, &a); err != nil {
				return fmt.Errorf("demo: activity %s: %w", spec.ref, err)
			}
		}
		// The rounds come after the activities: approving one moves what
		// it covers into the approved totals, and locks it.
		for _, spec := range Rounds(docs, units) {
			round := spec.round
			if err := tx.CreateRound(ctx, &prog, &round); err != nil {
				return fmt.Errorf("demo: round %s: %w", round.Title, err)
			}
			if spec.approved {
				for _, id := range round.UnitIDs {
					sub := nscl.Submission{RoundID: round.ID, UnitID: id, Status: nscl.StatusApproved,
						SubmittedAt: spec.sent, FirstSentAt: spec.sent, ReviewedAt: spec.reviewed}
					if err := tx.RestoreSubmission(ctx, sub); err != nil {
						return fmt.Errorf("demo: round %s: %w", round.Title, err)
					}
				}
			}
		}
		call := OpenCall()
		call.ProgrammeID, call.DocumentID = prog.ID, docs["1905/TB-SKH-CN"]
		if err := tx.CreateCall(ctx, &call); err != nil {
			return fmt.Errorf("demo: call: %w", err)
		}
		if err := tx.SetPortalCounting(ctx, &prog, PortalCounting()); err != nil {
			return fmt.Errorf("demo: portal: %w", err)
		}
		if err := tx.SetReportTexts(ctx, &prog, units[UnitCity], nscl.SettingsYear, ReportSettings(), ""); err != nil {
			return fmt.Errorf("demo: report settings: %w", err)
		}
		if err := tx.SetReportTexts(ctx, &prog, units[UnitCity], 2022, ReportTexts2022(), ""); err != nil {
			return fmt.Errorf("demo: report texts: %w", err)
		}
		sum = Summary{Documents: len(docs), Units: len(units), Plans: len(plans), Activities: len(Activities())}
		return nil
	})
	return sum, err
}

type roundSpec struct {
	round          nscl.Round
	approved       bool      // every unit's submission, sent and approved at these times
	sent, reviewed time.Time // in UTC
}

// Rounds are the demo's reporting rounds, in the order they are created:
//
//  1. Công văn 4225/KH-CN-TĐC of 22/12/2022, which asked the departments,
//     the districts and Thủ Đức city to report their 2022 activities
//     (section I.1.b). The report quotes no deadline; the demo's
//     (06/01/2023) is assumed, and every unit's submission approved, as
//     the published report's figures were.
//  2. The focal point's own figures for 2021 and 2022 — the city's
//     totals of 2021, which only table II.1 reveals, and the activities
//     of the department and its sub-department — which no request
//     document covers. Assumed, so that every figure of the published
//     report counts as approved: the report of approved figures only is
//     the seed's.
//  3. The 2023 round, assumed, left open with every submission a draft,
//     so that a round can be played through: entered, submitted,
//     returned, approved.
//  4. Illustrative (minh họa): the two absorbed provinces' own figures of
//     2021 to the eve of the merger, approved before they closed, so that
//     the merged city's 2025 dashboard, which shows approved results,
//     counts their work as the report does.
func Rounds(docs, units map[string]int64) []roundSpec {
	// A round asks the city's departments and districts that were open
	// in its period, the focal point aside: not the absorbed provinces'
	// departments, nor the wards that replaced the districts in 2025.
	asked := func(r nscl.Round) nscl.Round {
		for _, spec := range Units() {
			switch spec.Level {
			case nscl.LevelDepartment, nscl.LevelDistrict:
				if spec.parent == UnitCity && spec.Code != UnitDept && spec.OpenDuring(r.PeriodStart, r.PeriodEnd) {
					r.UnitIDs = append(r.UnitIDs, units[spec.Code])
				}
			}
		}
		return r
	}
	sent, reviewed := time.Date(2023, 1, 5, 3, 0, 0, 0, time.UTC), time.Date(2023, 1, 9, 2, 0, 0, 0, time.UTC)
	return []roundSpec{
		{round: asked(nscl.Round{
			Title:       "Báo cáo tình hình thực hiện hỗ trợ doanh nghiệp nâng cao năng suất chất lượng năm 2022",
			DocumentID:  docs["4225/KH-CN-TĐC"],
			PeriodStart: day(2022, 1, 1),
			PeriodEnd:   day(2022, 12, 31),
			Cutoff:      day(2022, 12, 31),
			Deadline:    day(2023, 1, 6),
		}), approved: true, sent: sent, reviewed: reviewed},
		{round: nscl.Round{
			Title:       "Tổng hợp kết quả của cơ quan đầu mối năm 2021 và năm 2022",
			PeriodStart: day(2021, 1, 1),
			PeriodEnd:   day(2022, 12, 31),
			Deadline:    day(2023, 1, 6),
			UnitIDs:     []int64{units[UnitCity], units[UnitDept], units[UnitStandards]},
		}, approved: true, sent: sent, reviewed: reviewed},
		{round: asked(nscl.Round{
			Title:       "Báo cáo tình hình thực hiện hỗ trợ doanh nghiệp nâng cao năng suất chất lượng năm 2023",
			PeriodStart: day(2023, 1, 1),
			PeriodEnd:   day(2023, 12, 31),
			Cutoff:      day(2023, 12, 31),
			Deadline:    day(2024, 1, 5),
		})},
		{round: nscl.Round{
			Title:       "Tổng hợp kết quả của tỉnh Bình Dương và tỉnh Bà Rịa – Vũng Tàu từ năm 2021 đến trước ngày hợp nhất (minh họa)",
			PeriodStart: day(2021, 1, 1),
			PeriodEnd:   day(2025, 6, 30),
			Deadline:    day(2025, 6, 30),
			UnitIDs:     []int64{units[UnitBinhDuong], units[UnitBinhDuongDept], units[UnitVungTau], units[UnitVungTauDept]},
		}, approved: true, sent: time.Date(2025, 6, 25, 3, 0, 0, 0, time.UTC), reviewed: time.Date(2025, 6, 27, 3, 0, 0, 0, time.UTC)},
	}
}
