package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"nscl"
	"nscl/store"
)

// nscl portal counting shows where a programme the demo does not hold
// counts its portal, sets what its flags give and keeps the rest, refuses
// a code the programme does not have (naming the flag, changing nothing)
// and a reporter acting with --as.
func TestPortalCountingCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "cong.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	prog := &nscl.Programme{Code: "CT-THU", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo"}, {Letter: "b", Name: "Truyền thông"}},
		Metrics: []nscl.Metric{
			{Code: "hoc_vien", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a", Unit: "người", Name: "Học viên"},
			{Code: "tin_bai", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "tin", Name: "Tin bài"},
			{Code: "phong_tn", Kind: nscl.Indicator, Rule: nscl.RuleLast, Unit: "phòng", Name: "Phòng thử nghiệm"},
		}}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, prog); err != nil {
			return err
		}
		unit := nscl.OrgUnit{Code: "THU", Name: "Tỉnh Thử", Level: nscl.LevelProvince}
		if err := tx.CreateUnit(ctx, &unit); err != nil {
			return err
		}
		reporter := nscl.User{Email: "baocao@thu.vn", Name: "Người báo cáo", Role: nscl.RoleReporter, UnitID: unit.ID}
		return tx.CreateUser(ctx, &reporter, "mat-khau-rat-dai-2026")
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	stored := func() nscl.PortalCounting {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		pc, err := st.PortalCounting(ctx, prog)
		if err != nil {
			t.Fatal(err)
		}
		return pc
	}
	out, err := nsclRun(t, "portal", "counting", "--db", db, "--programme", "CT-THU")
	if err != nil || strings.Count(out, "counts nowhere") != 6 {
		t.Fatalf("shown before any is set: %v\n%s", err, out)
	}
	out, err = nsclRun(t, "portal", "counting", "--db", db, "--programme", "CT-THU", "--group", "b", "--article-metric", "tin_bai", "--class-trainees-metric", "hoc_vien")
	want := nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin_bai", ClassTraineesMetric: "hoc_vien"}
	if err != nil || stored() != want || !strings.Contains(out, "b) Truyền thông") || !strings.Contains(out, "tin_bai — Tin bài (tin)") {
		t.Fatalf("set: %v, stored %+v\n%s", err, stored(), out)
	}
	// One flag changes one field; "" clears it.
	if _, err := nsclRun(t, "portal", "counting", "--db", db, "--programme", "CT-THU", "--class-trainees-metric", ""); err != nil {
		t.Fatal(err)
	}
	want.ClassTraineesMetric = ""
	if got := stored(); got != want {
		t.Errorf("after clearing one: %+v, want %+v", got, want)
	}
	for flag, code := range map[string]string{"--video-metric": "phong_tn", "--group": "đ"} {
		_, err := nsclRun(t, "portal", "counting", "--db", db, "--programme", "CT-THU", flag, code)
		if nscl.ErrorCode(err) != nscl.EINVALID || "--"+nscl.ErrorField(err) != flag {
			t.Errorf("%s %s: %v, want EINVALID on the flag", flag, code, err)
		}
	}
	if _, err := nsclRun(t, "portal", "counting", "--db", db, "--programme", "CT-THU", "--group", "a", "--as", "baocao@thu.vn"); nscl.ErrorCode(err) != nscl.EFORBIDDEN {
		t.Errorf("a reporter sets it: %v", err)
	}
	if got := stored(); got != want {
		t.Errorf("refused commands changed it: %+v", got)
	}
}
