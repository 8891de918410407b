package demo

import (
	"context"
	"fmt"

	"nscl"
	"nscl/store"
)

type planSpec struct {
	plan     nscl.Plan
	unit     string
	document string // number/symbol, "" when the report names none
	source   string
}

// Plans returns the city's 5-year plan with the four targets of table II.1
// and the annual plans of 2022 and 2023.
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
		// The report cites the 2022 plan but quotes none of its targets.
		{plan: nscl.Plan{Kind: nscl.AnnualPlan, StartYear: 2022, EndYear: 2022,
			Name: "Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022"},
			unit: UnitCity, document: "1904/KH-SKH-CN", source: "Mục I.1.a; báo cáo không nêu chỉ tiêu năm 2022"},
		// Section III.1 lists the 2023 targets; it sets none for experts.
		{plan: nscl.Plan{Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023,
			Name: "Kế hoạch năm 2023",
			Targets: []nscl.Target{
				{Metric: TrainingEnterprises, Value: 3500},
				{Metric: EnterprisesSupported, Value: 50},
				{Metric: LabsStrengthened, Value: 5},
			}},
			unit: UnitCity, source: "Mục III.1, các nhiệm vụ của Kế hoạch năm 2023"},
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
		for _, spec := range Plans() {
			p := spec.plan
			p.UnitID, p.DocumentID = units[spec.unit], docs[spec.document]
			if err := tx.CreatePlan(ctx, &prog, &p); err != nil {
				return fmt.Errorf("demo: plan %s: %w", p.Name, err)
			}
		}
		for _, spec := range Activities() {
			a := nscl.Activity{UnitID: units[spec.unit], Date: spec.date, TaskGroup: spec.group, Kind: spec.kind,
				Description: spec.description, Source: spec.source, Ref: spec.ref, Quantities: spec.quantities}
			if err := tx.CreateActivity(ctx, &prog, &a); err != nil {
				return fmt.Errorf("demo: activity %s: %w", spec.ref, err)
			}
		}
		sum = Summary{Documents: len(docs), Units: len(units), Plans: len(Plans()), Activities: len(Activities())}
		return nil
	})
	return sum, err
}
