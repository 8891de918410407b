package report

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// The seed's 2022 report is the same whether it counts every figure or
// approved ones only: the demo approves every 2021 and 2022 figure.
func TestSeedReportIsApproved(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	write := func(approvedOnly bool) []byte {
		t.Helper()
		r, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022, ApprovedOnly: approvedOnly})
		if err != nil {
			t.Fatal(err)
		}
		r.ApprovedOnly = false // the one field that tells them apart
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if all, approved := write(false), write(true); !bytes.Equal(all, approved) {
		t.Errorf("the 2022 report of approved figures differs from the report of all:\n%s\n%s", approved, all)
	}
}

// A 2023 activity in the open round is counted, and said to be pending,
// until its unit's submission is approved; the report of approved figures
// leaves it out, from the table and from the footnotes, and says so.
func TestPendingFiguresInTheReport(t *testing.T) {
	ctx := context.Background()
	st := demoStore(t)
	if err := demo.LoadAccounts(ctx, st, "mật khẩu thử nghiệm đủ dài"); err != nil {
		t.Fatal(err)
	}
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	thuDuc, err := st.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	a := nscl.Activity{UnitID: thuDuc.ID, Date: time.Date(2023, 6, 15, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
		Description: "Tập huấn công cụ 5S và Kaizen cho doanh nghiệp trên địa bàn Thủ Đức",
		Quantities:  []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 7}, {Metric: demo.Trainees, Value: 125}}}
	if err := st.CreateActivity(ctx, prog, &a); err != nil {
		t.Fatal(err)
	}
	gather := func(approvedOnly bool) (WordInput, []string) {
		t.Helper()
		in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2023, ApprovedOnly: approvedOnly})
		if err != nil {
			t.Fatal(err)
		}
		checks, err := Checks(ctx, st, in)
		if err != nil {
			t.Fatal(err)
		}
		return in, checks
	}
	listed := func(in WordInput) bool {
		return slices.ContainsFunc(in.ByGroup["d"].Cited, func(x nscl.Activity) bool { return x.ID == a.ID })
	}
	const pending = "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng: 7 lượt doanh nghiệp trong kết quả năm 2023 chưa được duyệt"

	all, checks := gather(false)
	training := all.Report.Indicators[0]
	if training.YearValue != 7 || training.PendingYear != 7 || !listed(all) || !slices.Contains(checks, pending+".") {
		t.Errorf("all figures: training %d (%d pending), listed %v, checks %q", training.YearValue, training.PendingYear, listed(all), checks)
	}
	if j := all.Report.JSON(); j.ApprovedOnly || j.Indicators[0].PendingYear != 7 || j.Measures[0].PendingYear != 125 {
		t.Errorf("JSON of all figures: %+v", j)
	}
	approved, checks := gather(true)
	training = approved.Report.Indicators[0]
	if training.YearValue != 0 || training.PendingYear != 7 || listed(approved) || !slices.Contains(checks, pending+", không tính vào báo cáo.") {
		t.Errorf("approved only: training %d (%d pending), listed %v, checks %q", training.YearValue, training.PendingYear, listed(approved), checks)
	}
	if j := approved.Report.JSON(); !j.ApprovedOnly || j.Indicators[0].YearValue != 0 {
		t.Errorf("JSON of approved figures: %+v", j)
	}

	// Thủ Đức submits the open round; the department approves.
	rounds, err := st.Rounds(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rounds, func(r nscl.Round) bool { return r.Contains(a.Date) && slices.Contains(r.UnitIDs, thuDuc.ID) })
	if i < 0 {
		t.Fatal("the demo has no round for Thủ Đức in 2023")
	}
	for _, step := range []struct {
		email  string
		action store.SubmissionAction
	}{{"thuduc@demo.local", store.ActionSubmit}, {"focal@demo.local", store.ActionApprove}} {
		u, err := st.UserByEmail(ctx, step.email)
		if err != nil {
			t.Fatal(err)
		}
		_, subs, err := st.Round(ctx, rounds[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		sub := subs[slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == thuDuc.ID })]
		actx := store.WithActor(ctx, u.ID)
		if err := st.Update(actx, func(tx *store.Tx) error {
			_, err := tx.ActOnSubmission(actx, sub.RoundID, sub.UnitID, sub.Version, step.action, "")
			return err
		}); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}
	approved, checks = gather(true)
	training = approved.Report.Indicators[0]
	if training.YearValue != 7 || training.PendingYear != 0 || !listed(approved) || slices.ContainsFunc(checks, func(c string) bool { return strings.Contains(c, "chưa được duyệt") }) {
		t.Errorf("after approval: training %d (%d pending), listed %v, checks %q", training.YearValue, training.PendingYear, listed(approved), checks)
	}
}
