package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

// A programme of its own, nothing of the demo's: a ministry and three
// provinces. Xuân Phong and Yên Hà each have a 2021–2025 plan and a 2025
// annual plan; Zê Ka has none. On 01/07/2025 Yên Hà and Zê Ka are merged
// into Xuân Phong.
const (
	mergeProg     = "THU"
	mergeTraining = "dao_tao"
	mergeLabs     = "phong_tn"
	mergeStd      = "tieu_chuan"
	mergeArticles = "tin_bai"
)

func mergerStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	prog := &nscl.Programme{Code: mergeProg, Name: "Chương trình thử sáp nhập", StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo"}, {Letter: "b", Name: "Tiêu chuẩn"}},
		Metrics: []nscl.Metric{
			{Code: mergeTraining, Name: "Đào tạo doanh nghiệp", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
			{Code: mergeLabs, Name: "Phòng thử nghiệm", Unit: "phòng", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: mergeStd, Name: "Tiêu chuẩn cơ sở", Unit: "tiêu chuẩn", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: mergeArticles, Name: "Tin bài", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a"},
		}}
	units := map[string]*nscl.OrgUnit{}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, prog); err != nil {
			return err
		}
		for _, u := range []nscl.OrgUnit{
			{Code: "BO", Name: "Bộ Thử nghiệm", Level: nscl.LevelMinistry},
			{Code: "XP", Name: "Ủy ban nhân dân tỉnh Xuân Phong", ShortName: "Xuân Phong", Level: nscl.LevelProvince},
			{Code: "YH", Name: "Ủy ban nhân dân tỉnh Yên Hà", Level: nscl.LevelProvince},
			{Code: "ZK", Name: "Ủy ban nhân dân tỉnh Zê Ka", ShortName: "Zê Ka", Level: nscl.LevelProvince},
		} {
			if u.Level != nscl.LevelMinistry {
				u.ParentID = units["BO"].ID
			}
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			units[u.Code] = &u
		}
		for _, p := range []nscl.Plan{
			{UnitID: units["XP"].ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch 5 năm Xuân Phong",
				Targets: []nscl.Target{{Metric: mergeTraining, Value: 4000}, {Metric: mergeLabs, Value: 6}}},
			{UnitID: units["YH"].ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch 5 năm Yên Hà",
				Targets: []nscl.Target{{Metric: mergeTraining, Value: 1500}, {Metric: mergeStd, Value: 30}}},
			{UnitID: units["XP"].ID, Kind: nscl.AnnualPlan, StartYear: 2025, EndYear: 2025, Name: "Kế hoạch năm 2025 Xuân Phong",
				Targets: []nscl.Target{{Metric: mergeTraining, Value: 900}}},
			{UnitID: units["YH"].ID, Kind: nscl.AnnualPlan, StartYear: 2025, EndYear: 2025, Name: "Kế hoạch năm 2025 Yên Hà",
				Targets: []nscl.Target{{Metric: mergeTraining, Value: 250}}},
		} {
			if err := tx.CreatePlan(ctx, prog, &p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		unit     string
		on       [3]int
		metric   string
		value    int64
		activity string
	}{
		{"XP", [3]int{2022, 4, 2}, mergeTraining, 700, "Lớp đào tạo Xuân Phong 2022"},
		{"XP", [3]int{2025, 9, 9}, mergeTraining, 500, "Lớp đào tạo Xuân Phong 2025"},
		{"YH", [3]int{2023, 5, 5}, mergeTraining, 300, "Lớp đào tạo Yên Hà 2023"},
		{"YH", [3]int{2025, 3, 3}, mergeTraining, 200, "Lớp đào tạo Yên Hà 2025"},
		{"YH", [3]int{2024, 6, 6}, mergeStd, 12, "Xây dựng tiêu chuẩn cơ sở Yên Hà"},
		{"ZK", [3]int{2024, 2, 2}, mergeTraining, 100, "Lớp đào tạo Zê Ka"},
	} {
		group := "a"
		if a.metric == mergeStd {
			group = "b"
		}
		act := nscl.Activity{UnitID: units[a.unit].ID, Date: day(a.on[0], 1, 1).AddDate(0, a.on[1]-1, a.on[2]-1), TaskGroup: group, Kind: nscl.KindTraining,
			Description: a.activity, Quantities: []nscl.Quantity{{Metric: a.metric, Value: a.value}}}
		if err := st.CreateActivity(ctx, prog, &act); err != nil {
			t.Fatal(err)
		}
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, code := range []string{"YH", "ZK"} {
			if _, err := tx.CloseUnitInto(ctx, code, day(2025, 7, 1), []string{"XP"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The 2025 report of the city that absorbed two provinces measures its
// results, theirs included, against its target plus theirs, and says so.
func TestReportOfAMergedUnitSumsTargets(t *testing.T) {
	ctx := context.Background()
	st := mergerStore(t)
	r, err := Build(ctx, st, Request{Programme: mergeProg, Unit: "XP", Year: 2025})
	if err != nil {
		t.Fatal(err)
	}

	training := indicator(t, r, mergeTraining)
	// 700 + 500 of its own, 300 + 200 of Yên Hà, 100 of Zê Ka.
	if training.Target != 5500 || training.Cumulative != 1800 {
		t.Errorf("training: target %d, cumulative %d; want 5.500 (4.000 + 1.500) and 1.800", training.Target, training.Cumulative)
	}
	if training.CompletionPercent != 32.73 {
		t.Errorf("training: completion %v, want 1.800 of 5.500 = 32,73 %%", training.CompletionPercent)
	}
	if training.AnnualTarget != 1150 || training.YearValue != 700 || training.AnnualPercent != 60.87 {
		t.Errorf("training in 2025: %d of %d (%v %%), want 700 of 1.150 (900 + 250) = 60,87 %%", training.YearValue, training.AnnualTarget, training.AnnualPercent)
	}
	std := indicator(t, r, mergeStd)
	if !std.HasTarget || std.Target != 30 || std.Cumulative != 12 || std.CompletionPercent != 40 {
		t.Errorf("standards, targeted by Yên Hà only: %+v", std)
	}
	labs := indicator(t, r, mergeLabs)
	if labs.Target != 6 || r.TargetOrigins[mergeLabs] != nil {
		t.Errorf("labs, targeted by Xuân Phong only: target %d, origin %v", labs.Target, r.TargetOrigins[mergeLabs])
	}

	wantOrigin := "5.500 lượt doanh nghiệp = 4.000 (Xuân Phong) + 1.500 (Ủy ban nhân dân tỉnh Yên Hà)"
	if got := OriginText(r.TargetOrigins[mergeTraining], "lượt doanh nghiệp"); got != wantOrigin {
		t.Errorf("origin %q, want %q", got, wantOrigin)
	}
	if got := OriginText(r.YearOrigins[mergeTraining], ""); got != "1.150 = 900 (Xuân Phong) + 250 (Ủy ban nhân dân tỉnh Yên Hà)" {
		t.Errorf("annual origin %q", got)
	}
	wantFormer := "Số liệu gồm kết quả của các đơn vị trước đây: Ủy ban nhân dân tỉnh Yên Hà, Ủy ban nhân dân tỉnh Zê Ka (hợp nhất vào Ủy ban nhân dân tỉnh Xuân Phong từ 01/07/2025)."
	if got := r.FormerLine(); got != wantFormer {
		t.Errorf("former line %q, want %q", got, wantFormer)
	}
	if got := r.FormerLineEnglish(); !strings.HasPrefix(got, "The figures include the results of former units: Ủy ban nhân dân tỉnh Yên Hà, Ủy ban nhân dân tỉnh Zê Ka (merged into") {
		t.Errorf("former line in English %q", got)
	}

	// Every output says it.
	var md, text, js bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"markdown": md.String(), "text": text.String()} {
		for _, want := range []string{wantFormer, "Đào tạo doanh nghiệp: " + wantOrigin, "Tiêu chuẩn cơ sở: 30 tiêu chuẩn = 30 (Ủy ban nhân dân tỉnh Yên Hà)",
			"Chỉ tiêu năm 2025 — Đào tạo doanh nghiệp: 1.150 lượt doanh nghiệp = 900 (Xuân Phong) + 250 (Ủy ban nhân dân tỉnh Yên Hà)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
	}
	// The workbook's results sheet too, under its tables.
	book := xlsxWriteAndOpen(t, r, nil)
	rows, err := book.GetRows(xlsxResultsSheet)
	if err != nil {
		t.Fatal(err)
	}
	var sheet []string
	for _, row := range rows {
		sheet = append(sheet, strings.Join(row, " | "))
	}
	if got := strings.Join(sheet, "\n"); !strings.Contains(got, wantFormer) || !strings.Contains(got, "Đào tạo doanh nghiệp: "+wantOrigin) {
		t.Errorf("the workbook does not say which former units it counts and how the targets were summed:\n%s", got)
	}
	var j JSONReport
	if err := json.Unmarshal(js.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.FormerUnits != wantFormer {
		t.Errorf("JSON former_units %q", j.FormerUnits)
	}
	var jt JSONIndicator
	for _, ind := range j.Indicators {
		if ind.Code == mergeTraining {
			jt = ind
		}
	}
	if jt.TargetOrigin == nil || jt.TargetOrigin.Text != wantOrigin || len(jt.TargetOrigin.Parts) != 2 ||
		jt.TargetOrigin.Parts[1].Unit.Code != "YH" || !jt.TargetOrigin.Parts[1].Former || jt.TargetOrigin.Parts[0].Former {
		t.Errorf("JSON target origin: %+v", jt.TargetOrigin)
	}
	if jt.AnnualTargetOrigin == nil || jt.AnnualTargetOrigin.Parts[1].Value != 250 {
		t.Errorf("JSON annual target origin: %+v", jt.AnnualTargetOrigin)
	}

	// The Word report: the former units before the table, how the targets
	// were summed under it.
	in, err := Gather(ctx, st, Request{Programme: mergeProg, Unit: "XP", Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Compose(in)
	doc := textOf(t, d)
	former, table := slices.Index(doc, wantFormer), slices.IndexFunc(doc, func(p string) bool { return strings.HasPrefix(p, "Nội dung thực hiện | ") })
	if former < 0 || table < 0 || former > table {
		t.Fatalf("the former units' line (at %d) must come before the results table (at %d)", former, table)
	}
	after := strings.Join(doc[table:], "\n")
	wantNote := "Chỉ tiêu của Ủy ban nhân dân tỉnh Xuân Phong gồm chỉ tiêu của đơn vị và của các đơn vị trước đây theo kế hoạch đã giao cho từng đơn vị: " +
		"đào tạo doanh nghiệp " + wantOrigin + "; tiêu chuẩn cơ sở 30 tiêu chuẩn = 30 (Ủy ban nhân dân tỉnh Yên Hà); " +
		"năm 2025, đào tạo doanh nghiệp 1.150 lượt doanh nghiệp = 900 (Xuân Phong) + 250 (Ủy ban nhân dân tỉnh Yên Hà)."
	if !strings.Contains(after, wantNote) {
		t.Errorf("under the table, want %q; got:\n%s", wantNote, after)
	}
	if !strings.Contains(after, "5.500 lượt doanh nghiệp | ") || !strings.Contains(after, vnfmt.Percent(32.73)) {
		t.Errorf("the table does not show the summed target and its completion:\n%s", after)
	}
}

// The 2022 report of the same city, in the tree at the end of 2022,
// counts no former unit and sums no target, and prints nothing of them.
func TestReportBeforeTheMergerSumsNothing(t *testing.T) {
	ctx := context.Background()
	st := mergerStore(t)
	r, err := Build(ctx, st, Request{Programme: mergeProg, Unit: "XP", Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	training := indicator(t, r, mergeTraining)
	if training.Target != 4000 || training.Cumulative != 700 {
		t.Errorf("training in 2022: target %d, cumulative %d; want Xuân Phong's own 4.000 and 700", training.Target, training.Cumulative)
	}
	if std := indicator(t, r, mergeStd); std.HasTarget {
		t.Errorf("standards in 2022: Yên Hà's target is not Xuân Phong's: %+v", std)
	}
	if r.TargetOrigins != nil || r.YearOrigins != nil || r.FormerLine() != "" || r.SummedNote() != "" || len(r.OriginLines()) != 0 {
		t.Errorf("2022 names former units or summed targets: %+v", r.Merger)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "trước đây") {
		t.Errorf("2022's markdown speaks of former units:\n%s", md.String())
	}
}

// The summary of 2021–2025 of the merged city has targets, results and
// completion a person can check: the summed target, with its origin, and
// the former units named, in the summary's outputs and its Word file.
func TestPeriodSummaryOfAMergedUnit(t *testing.T) {
	ctx := context.Background()
	st := mergerStore(t)
	pin, err := GatherPeriod(ctx, st, PeriodRequest{Programme: mergeProg, Unit: "XP", From: 2021, To: 2025})
	if err != nil {
		t.Fatal(err)
	}
	p := pin.Period
	var training PeriodIndicator
	for _, ind := range p.Indicators {
		if ind.Metric.Code == mergeTraining {
			training = ind
		}
	}
	if training.Target != 5500 || training.Cumulative != 1800 || training.CompletionPercent != 32.73 {
		t.Errorf("training over 2021–2025: %d of %d (%v %%), want 1.800 of 5.500 = 32,73 %%", training.Cumulative, training.Target, training.CompletionPercent)
	}
	wantFormer := "Số liệu gồm kết quả của các đơn vị trước đây: Ủy ban nhân dân tỉnh Yên Hà, Ủy ban nhân dân tỉnh Zê Ka (hợp nhất vào Ủy ban nhân dân tỉnh Xuân Phong từ 01/07/2025)."
	wantOrigin := "Chỉ tiêu Kế hoạch 05 năm — Đào tạo doanh nghiệp: 5.500 lượt doanh nghiệp = 4.000 (Xuân Phong) + 1.500 (Ủy ban nhân dân tỉnh Yên Hà)"
	var md, text, js bytes.Buffer
	for _, w := range []error{WritePeriodMarkdown(&md, p), WritePeriodText(&text, p), WritePeriodJSON(&js, p)} {
		if w != nil {
			t.Fatal(w)
		}
	}
	for name, out := range map[string]string{"markdown": md.String(), "text": text.String()} {
		if !strings.Contains(out, wantFormer) || !strings.Contains(out, wantOrigin) {
			t.Errorf("the summary's %s lacks the former units or the origin:\n%s", name, out)
		}
	}
	var j JSONPeriod
	if err := json.Unmarshal(js.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.FormerUnits != wantFormer || j.Indicators[0].TargetOrigin == nil || j.Indicators[0].TargetOrigin.Parts[1].Value != 1500 {
		t.Errorf("the summary's JSON: former %q, origin %+v", j.FormerUnits, j.Indicators[0].TargetOrigin)
	}
	d, _ := ComposePeriod(pin)
	doc := strings.Join(textOf(t, d), "\n")
	if !strings.Contains(doc, wantFormer) || !strings.Contains(doc, "đào tạo doanh nghiệp 5.500 lượt doanh nghiệp = 4.000 (Xuân Phong) + 1.500 (Ủy ban nhân dân tỉnh Yên Hà)") {
		t.Errorf("the summary's Word file lacks the former units or how the target was summed:\n%s", doc)
	}
}

// How an origin reads with a part left out, and how the former units'
// line names each kind of succession.
func TestOriginAndFormerTexts(t *testing.T) {
	hcm := nscl.OrgUnit{ID: 1, Code: "HCM", Name: "Ủy ban nhân dân Thành phố Hồ Chí Minh", ShortName: "TP. Hồ Chí Minh"}
	bd := nscl.OrgUnit{ID: 2, Code: "BD", Name: "Ủy ban nhân dân tỉnh Bình Dương", ShortName: "Bình Dương"}
	brvt := nscl.OrgUnit{ID: 3, Code: "BRVT", Name: "Bà Rịa – Vũng Tàu"}
	parts := []nscl.TargetPart{{Unit: hcm, Value: 10000}, {Unit: bd, Value: 1000, Former: true},
		{Unit: brvt, Value: 800, Former: true, LeftOut: true, Note: "đã chia tách", English: "was split"}}
	if got, want := OriginText(parts, "lượt"), "11.000 lượt = 10.000 (TP. Hồ Chí Minh) + 1.000 (Bình Dương); không cộng 800 (Bà Rịa – Vũng Tàu): đã chia tách"; got != want {
		t.Errorf("origin:\n got %q\nwant %q", got, want)
	}
	if got, want := OriginTextEnglish(parts, ""), "11.000 = 10.000 (TP. Hồ Chí Minh) + 1.000 (Bình Dương); not added 800 (Bà Rịa – Vũng Tàu): was split"; got != want {
		t.Errorf("origin in English:\n got %q\nwant %q", got, want)
	}

	merger, later := day(2025, 7, 1), day(2026, 1, 1)
	renamed := nscl.OrgUnit{ID: 4, Name: "Đơn vị mới", OpenedOn: later}
	all := []nscl.Succession{{PredecessorID: 2, SuccessorID: 1, On: merger}, {PredecessorID: 3, SuccessorID: 1, On: merger},
		{PredecessorID: 5, SuccessorID: 1, On: later}, {PredecessorID: 5, SuccessorID: 6, On: later}, {PredecessorID: 7, SuccessorID: 4, On: later}}
	m := Merger{FormerGroups: formerGroups([]FormerUnit{
		{Unit: bd, Successor: hcm, On: merger}, {Unit: brvt, Successor: hcm, On: merger},
		{Unit: nscl.OrgUnit{ID: 5, Name: "Huyện Cần Giờ"}, Successor: hcm, On: later},
		{Unit: nscl.OrgUnit{ID: 7, Name: "Đơn vị cũ"}, Successor: renamed, On: later},
	}, all)}
	want := "Số liệu gồm kết quả của các đơn vị trước đây: Ủy ban nhân dân tỉnh Bình Dương, Bà Rịa – Vũng Tàu (hợp nhất vào Ủy ban nhân dân Thành phố Hồ Chí Minh từ 01/07/2025); " +
		"Huyện Cần Giờ (chia tách, một phần chuyển về Ủy ban nhân dân Thành phố Hồ Chí Minh từ 01/01/2026); Đơn vị cũ (nay là Đơn vị mới từ 01/01/2026)."
	if got := m.FormerLine(); got != want {
		t.Errorf("former line:\n got %q\nwant %q", got, want)
	}
	if got := m.FormerLineEnglish(); !strings.Contains(got, "(split, partly into Ủy ban nhân dân Thành phố Hồ Chí Minh on 01/01/2026); Đơn vị cũ (renamed Đơn vị mới on 01/01/2026).") {
		t.Errorf("former line in English: %q", got)
	}
	if (Merger{}).FormerLine() != "" || (Merger{}).FormerLineEnglish() != "" {
		t.Error("no former units, yet a line")
	}
}
