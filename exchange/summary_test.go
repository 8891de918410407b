package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"nscl"
	"nscl/store"
)

// The programme of the summary tests: a metric of each counting rule.
const (
	mTraining  = "training_enterprises"  // indicator, sum
	mSupported = "enterprises_supported" // indicator, distinct enterprises
	mLabs      = "testing_labs"          // indicator, last value
	mTrainees  = "trainees"              // measure, sum
)

func summaryProgramme() nscl.Programme {
	return nscl.Programme{Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Cơ chế, chính sách"}, {Letter: "b", Name: "Truyền thông"},
			{Letter: "c", Name: "Hỗ trợ doanh nghiệp"}, {Letter: "d", Name: "Đào tạo"}, {Letter: "đ", Name: "Tiêu chuẩn hóa"}},
		Metrics: []nscl.Metric{
			{Code: mTraining, Name: "Tập huấn doanh nghiệp", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: mSupported, Name: "Doanh nghiệp được hỗ trợ", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c"},
			{Code: mLabs, Name: "Phòng thử nghiệm được tăng cường", Unit: "phòng thử nghiệm", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ"},
			{Code: mTrainees, Name: "Học viên", Unit: "học viên", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "d"},
		}}
}

// province is a province's own database: the programme, the province at
// the root with one district under it, and the activities given.
func province(t *testing.T, st *store.Store, code, name string, acts ...nscl.Activity) {
	t.Helper()
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		prog := summaryProgramme()
		if err := tx.CreateProgramme(ctx, &prog); err != nil {
			return err
		}
		p := nscl.OrgUnit{Code: code, Name: name, Level: nscl.LevelProvince}
		if err := tx.CreateUnit(ctx, &p); err != nil {
			return err
		}
		d := nscl.OrgUnit{Code: code + "-D1", Name: "Sở Khoa học và Công nghệ " + name, Level: nscl.LevelDepartment, ParentID: p.ID}
		if err := tx.CreateUnit(ctx, &d); err != nil {
			return err
		}
		for _, a := range acts {
			a.UnitID = d.ID
			if err := tx.CreateActivity(ctx, &prog, &a); err != nil {
				return err
			}
		}
		return nil
	})
}

func ministry(t *testing.T, st *store.Store) {
	t.Helper()
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		prog := summaryProgramme()
		if err := tx.CreateProgramme(ctx, &prog); err != nil {
			return err
		}
		return tx.CreateUnit(ctx, &nscl.OrgUnit{Code: "BKHCN", Name: "Bộ Khoa học và Công nghệ", Level: nscl.LevelMinistry})
	})
}

func act(group string, date int, qty map[string]int64, beneficiaries ...string) nscl.Activity {
	a := nscl.Activity{Date: day(2023, 3, date), TaskGroup: group, Kind: nscl.KindTraining, Description: "Lớp tập huấn", Beneficiaries: beneficiaries}
	for code, v := range qty {
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: code, Value: v})
	}
	return a
}

func summaryOf(t *testing.T, st *store.Store, unit string, year int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ExportSummary(t.Context(), st, "NSCL", unit, year, &buf); err != nil {
		t.Fatalf("ExportSummary: %v", err)
	}
	return buf.Bytes()
}

func importSummaryOf(t *testing.T, st *store.Store, file []byte) Summary {
	t.Helper()
	sum, err := ImportSummary(t.Context(), st, bytes.NewReader(file), "BKHCN")
	if err != nil {
		t.Fatalf("ImportSummary: %v", err)
	}
	return sum
}

// figures are the unit's figures for the programme's years up to year,
// without what beneficiary lists say (a summary carries no lists).
func figures(t *testing.T, st *store.Store, unit string, year int) map[string]nscl.Figures {
	t.Helper()
	f := allFigures(t, st, unit, year)
	for code, fig := range f {
		// No round asks these units: every figure is pending.
		if fig.PendingYear != fig.YearValue || fig.PendingCumulative != fig.Cumulative {
			t.Errorf("%s %s: %+v, want all of it pending", unit, code, fig)
		}
		fig.YearReach, fig.CumulativeReach = nscl.EnterpriseCounts{}, nscl.EnterpriseCounts{}
		fig.PendingYear, fig.PendingCumulative = 0, 0
		f[code] = fig
	}
	return f
}

func TestSummariesAddUpAtTheMinistry(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		hn, hcm, bo := open(), open(), open()
		// Enterprise 0300000001 was supported by both provinces: the
		// nation counts it once.
		province(t, hn, "HN", "Thành phố Hà Nội",
			act("d", 1, map[string]int64{mTraining: 40, mTrainees: 120}),
			act("c", 2, map[string]int64{mSupported: 3}, "0100000001", "0100000002", "0300000001"),
			act("đ", 3, map[string]int64{mLabs: 2}))
		province(t, hcm, "HCM", "Thành phố Hồ Chí Minh",
			act("d", 4, map[string]int64{mTraining: 60, mTrainees: 200}),
			act("c", 5, map[string]int64{mSupported: 2}, "0300000001", "0300000002"),
			act("đ", 6, map[string]int64{mLabs: 5}))
		ministry(t, bo)

		fileHN := summaryOf(t, hn, "HN", 2023)
		var parsed summaryFile
		if err := json.Unmarshal(fileHN, &parsed); err != nil || parsed.Format != FormatSummary || parsed.Unit.Code != "HN" || len(parsed.Figures) != 4 {
			t.Fatalf("summary %s: %v", fileHN, err)
		}
		sum := importSummaryOf(t, bo, fileHN)
		if !sum.UnitCreated || sum.Created != 4 || sum.Updated+sum.Unchanged+sum.Removed != 0 {
			t.Errorf("first import: %+v", sum)
		}
		importSummaryOf(t, bo, summaryOf(t, hcm, "HCM", 2023))

		got := figures(t, bo, "BKHCN", 2023)
		want := map[string]nscl.Figures{
			mTraining:  {YearValue: 100, Cumulative: 100},
			mTrainees:  {YearValue: 320, Cumulative: 320},
			mSupported: {YearValue: 4, Cumulative: 4, YearVisits: 5, CumulativeVisits: 5},
			mLabs:      {YearValue: 7, Cumulative: 7},
		}
		for code, w := range want {
			if got[code] != w {
				t.Errorf("ministry %s: %+v, want %+v", code, got[code], w)
			}
		}
		if hnAtMinistry, hnAtHome := figures(t, bo, "HN", 2023), figures(t, hn, "HN", 2023); hnAtMinistry[mTraining] != hnAtHome[mTraining] {
			t.Errorf("Hà Nội at the ministry %+v, at home %+v", hnAtMinistry, hnAtHome)
		}

		// The same summary again changes nothing.
		again := importSummaryOf(t, bo, fileHN)
		if again.UnitCreated || again.Unchanged != 4 || again.Created+again.Updated+again.Removed != 0 {
			t.Errorf("second import of the same summary: %+v", again)
		}
		if f := figures(t, bo, "BKHCN", 2023); f[mTraining] != want[mTraining] {
			t.Errorf("after importing twice: %+v", f[mTraining])
		}

		// Hà Nội corrects its figures: more training, and the trainees
		// turn out to be none. The corrected summary replaces the first.
		prog, _ := hn.ProgrammeByCode(t.Context(), "NSCL")
		page, err := hn.Activities(t.Context(), prog, store.ActivityFilter{TaskGroup: "d"})
		if err != nil || len(page.Activities) != 1 {
			t.Fatalf("Hà Nội's training: %v %v", page, err)
		}
		fixed := page.Activities[0]
		fixed.Quantities = []nscl.Quantity{{Metric: mTraining, Value: 55}}
		if err := hn.UpdateActivity(t.Context(), prog, &fixed); err != nil {
			t.Fatal(err)
		}
		corrected := importSummaryOf(t, bo, summaryOf(t, hn, "HN", 2023))
		if corrected.Updated != 1 || corrected.Removed != 1 || corrected.Unchanged != 2 || corrected.Created != 0 {
			t.Errorf("corrected summary: %+v", corrected)
		}
		f := figures(t, bo, "BKHCN", 2023)
		if f[mTraining].YearValue != 115 || f[mTrainees].YearValue != 200 {
			t.Errorf("after the correction: training %+v, trainees %+v", f[mTraining], f[mTrainees])
		}
		if diffs, err := bo.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Errorf("kept totals: %v %v", diffs, err)
		}
	})
}

func TestBadSummaryWritesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		hn, bo := open(), open()
		province(t, hn, "HN", "Thành phố Hà Nội", act("d", 1, map[string]int64{mTraining: 40}))
		ministry(t, bo)
		file := string(summaryOf(t, hn, "HN", 2023))
		cases := []struct {
			name, file, parent, want string
		}{
			{"unknown metric", strings.Replace(file, `"metric": "trainees"`, `"metric": "no_such_metric"`, 1), "BKHCN", `figures[3] (metric no_such_metric): metric`},
			{"other programme", strings.Replace(file, `"programme": "NSCL"`, `"programme": "OTHER"`, 1), "BKHCN", `OTHER`},
			{"unknown parent", file, "NOWHERE", `NOWHERE`},
			{"no parent", file, "", `--parent`},
			{"not a summary", strings.Replace(file, FormatSummary, FormatExchange, 1), "BKHCN", `format`},
			{"year outside", strings.Replace(file, `"year": 2023`, `"year": 2031`, 1), "BKHCN", `2031`},
		}
		for _, c := range cases {
			_, err := ImportSummary(t.Context(), bo, strings.NewReader(c.file), c.parent)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
			}
			if units, _ := bo.Units(t.Context()); len(units) != 1 {
				t.Errorf("%s: a refused summary left %d units", c.name, len(units))
			}
		}

		// A unit already in the tree under another parent is refused.
		update(t, bo, func(ctx context.Context, tx *store.Tx) error {
			root, err := tx.UnitByCode(ctx, "BKHCN")
			if err != nil {
				return err
			}
			other := nscl.OrgUnit{Code: "MIEN-BAC", Name: "Vùng Bắc Bộ", Level: nscl.LevelProvince, ParentID: root.ID}
			return tx.CreateUnit(ctx, &other)
		})
		if _, err := ImportSummary(t.Context(), bo, strings.NewReader(file), "BKHCN"); err != nil {
			t.Fatal(err)
		}
		if _, err := ImportSummary(t.Context(), bo, strings.NewReader(file), "MIEN-BAC"); nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("the province under another parent: %v", err)
		}
	})
}
