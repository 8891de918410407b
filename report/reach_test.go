package report

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Once activities name their beneficiaries, the report says, after the
// results table, how many distinct enterprises they are beside the visits,
// and how many activities of the year still have no list; before, it says
// nothing of it.
func TestReachSentences(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	// 2021 and 2022 are approved and locked in the demo: the activities
	// go into the open year, 2023.
	build := func() *Report {
		r, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2023})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if lines := Reach(build()); len(lines) != 0 {
		t.Fatalf("the demo names no beneficiaries, yet: %q", lines)
	}
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	thuDuc, err := st.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, day := range []int{3, 10, 17} {
			a := nscl.Activity{UnitID: thuDuc.ID, Date: time.Date(2023, 11, day, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
				Description: "Lớp tập huấn 5S", Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 1}}, Beneficiaries: []string{"0301234567"}}
			if day == 17 {
				a.Beneficiaries = nil // one without its list
			}
			if err := tx.CreateActivity(ctx, prog, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	city, err := st.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	// Activities of the city in a year with a training figure and no
	// list, counted through the activity list rather than the figures.
	count := func(year int) int {
		n := 0
		err := st.EachActivity(ctx, prog, store.ActivityFilter{Year: year, UnderUnit: city.ID}, func(a nscl.Activity) error {
			for _, q := range a.Quantities {
				if q.Metric == demo.TrainingEnterprises && q.Value > 0 && len(a.Beneficiaries) == 0 {
					n++
				}
			}
			return nil
		})
		if err != nil || n == 0 {
			t.Fatalf("training activities of %d: %d, %v", year, n, err)
		}
		return n
	}
	unlisted, before := count(2023), count(2021)+count(2022)
	r := build()
	if b := r.JSON().Indicators[0].Beneficiaries; b == nil || b.Year.Visits != 2 || b.Year.Enterprises != 1 || b.Year.Unlisted != int64(unlisted) {
		t.Errorf("the JSON report's beneficiaries of the training indicator: %+v", b)
	}
	if b := r.JSON().Indicators[1].Beneficiaries; b != nil {
		t.Errorf("the support indicator names no beneficiary, yet: %+v", b)
	}
	lines := Reach(r)
	if len(lines) != 1 {
		t.Fatalf("reach sentences %q, want one for the training indicator", lines)
	}
	for _, want := range []string{"năm 2023 ghi nhận 2 lượt, tương ứng 1 doanh nghiệp", "(lũy kế 2021–2023: 2 lượt, 1 doanh nghiệp)",
		"; " + strconv.Itoa(unlisted) + " hoạt động năm 2023 (lũy kế " + strconv.Itoa(unlisted+before) + ") chưa có danh sách"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("%q lacks %q", lines[0], want)
		}
	}
}
