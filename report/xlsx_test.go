package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"nscl"
)

// xlsxProgramme is a small programme: three indicators, the last one
// without a target, and a measure.
func xlsxProgramme() *nscl.Programme {
	return &nscl.Programme{Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Tuyên truyền"}, {Letter: "b", Name: "Đào tạo"}, {Letter: "c", Name: "Hỗ trợ"}, {Letter: "d", Name: "Chuyên gia"}, {Letter: "đ", Name: "Khác"}},
		Metrics: []nscl.Metric{
			{Code: "training", Name: "Số lượt doanh nghiệp được đào tạo", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: "support", Name: "Số doanh nghiệp được hỗ trợ", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "c"},
			{Code: "experts", Name: "Số chuyên gia được đào tạo", Unit: "người", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "articles", Name: "Số tin bài", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a"},
		}}
}

func xlsxActivity(date time.Time, unit int64, group string, kind nscl.ActivityKind, desc string, qty ...nscl.Quantity) nscl.Activity {
	return nscl.Activity{UnitID: unit, Date: date, TaskGroup: group, Kind: kind, Description: desc, Source: "Báo cáo năm", Quantities: qty}
}

func xlsxDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// xlsxReport counts the results of 2022 from the activities the way the
// store does for the sum rule, so that the expected figures follow from
// the inputs.
func xlsxReport(acts []nscl.Activity) *Report {
	prog := xlsxProgramme()
	plan := nscl.Plan{Name: "Kế hoạch 05 năm", UnitID: 1, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
		Targets: []nscl.Target{{Metric: "training", Value: 10_000}, {Metric: "support", Value: 200}}}
	next := &nscl.Plan{Name: "Kế hoạch năm 2023", UnitID: 1, Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023,
		Targets: []nscl.Target{{Metric: "training", Value: 3_000}}}
	figures := map[string]nscl.Figures{}
	for _, a := range acts {
		for _, q := range a.Quantities {
			f := figures[q.Metric]
			if a.Year() == 2022 {
				f.YearValue += q.Value
			}
			if a.Year() >= plan.StartYear && a.Year() <= 2022 {
				f.Cumulative += q.Value
			}
			figures[q.Metric] = f
		}
	}
	unit := nscl.OrgUnit{ID: 1, Code: "HCM", Name: "Thành phố Hồ Chí Minh"}
	return &Report{Results: nscl.ComputeResults(prog, unit, 2022, plan, nil, next, figures), Programme: prog}
}

var xlsxUnits = map[int64]string{1: "Sở Khoa học và Công nghệ", 2: "Thành phố Thủ Đức"}

func xlsxActivities() []nscl.Activity {
	vn := time.FixedZone("ICT", 7*3600) // a day read in Vietnam's time zone is still that day
	return []nscl.Activity{
		xlsxActivity(xlsxDay(2021, 11, 20), 1, "b", nscl.KindTraining, "Đào tạo năm 2021", nscl.Quantity{Metric: "training", Value: 30}),
		xlsxActivity(time.Date(2022, 3, 7, 0, 0, 0, 0, vn), 2, "b", nscl.KindTraining, "Tập huấn về năng suất cho doanh nghiệp", nscl.Quantity{Metric: "training", Value: 900}, nscl.Quantity{Metric: "experts", Value: 4}),
		xlsxActivity(xlsxDay(2022, 6, 15), 1, "c", nscl.KindConsulting, strings.Repeat("Hỗ trợ doanh nghiệp áp dụng công cụ cải tiến. ", 3), nscl.Quantity{Metric: "support", Value: 347}, nscl.Quantity{Metric: "training", Value: 63}),
		xlsxActivity(xlsxDay(2022, 9, 1), 1, "a", nscl.KindArticle, "Tin bài trên báo", nscl.Quantity{Metric: "articles", Value: 12}),
		xlsxActivity(xlsxDay(2022, 10, 2), 2, "đ", nscl.KindOther, "Hoạt động chỉ báo cáo bằng lời"),
	}
}

func xlsxWriteAndOpen(t *testing.T, r *Report, acts []nscl.Activity) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r, listOf(acts), xlsxUnits); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func xlsxRaw(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// xlsxNumber returns a cell's value, failing unless the cell holds a number
// rather than text.
func xlsxNumber(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s has type %v, want a number", sheet, ref, typ)
	}
	raw := xlsxRaw(t, f, sheet, ref)
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, want a number", sheet, ref, raw)
	}
	return v
}

func xlsxNumFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	idx, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(idx)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return "builtin " + strconv.Itoa(st.NumFmt)
	}
	return *st.CustomNumFmt
}

func xlsxWantRow(t *testing.T, f *excelize.File, sheet string, row int, want ...string) {
	t.Helper()
	for i, w := range want {
		ref := xlsxRef(i+1, row)
		if got := xlsxRaw(t, f, sheet, ref); got != w {
			t.Errorf("%s!%s = %q, want %q", sheet, ref, got, w)
		}
		if !norm.NFC.IsNormalString(w) {
			t.Errorf("%s!%s: %q is not in NFC", sheet, ref, w)
		}
	}
}

func TestWriteXLSXResults(t *testing.T) {
	acts := xlsxActivities()
	r := xlsxReport(acts)
	f := xlsxWriteAndOpen(t, r, acts)

	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Kết quả" || got[1] != "Hoạt động" {
		t.Fatalf("sheets %q", got)
	}
	const sh = "Kết quả"
	if title := xlsxRaw(t, f, sh, "A1"); title != "Kết quả năm 2022 — Chương trình năng suất chất lượng — Thành phố Hồ Chí Minh" {
		t.Errorf("title %q", title)
	}
	h := r.Headings()
	xlsxWantRow(t, f, sh, 4, h[0], "Đơn vị tính", h[1], h[2], h[3], h[4])
	xlsxWantRow(t, f, sh, 4, "Nội dung thực hiện", "Đơn vị tính", "Chỉ tiêu theo Kế hoạch 05 năm", "Kết quả năm 2022",
		"Kết quả từ đầu Chương trình đến hết năm 2022", "Tỷ lệ hoàn thành")

	// Training: every training quantity from 2021 on is in the cumulative.
	var cumulative, year int64
	for _, a := range acts {
		for _, q := range a.Quantities {
			if q.Metric == "training" {
				cumulative += q.Value
				if a.Year() == 2022 {
					year += q.Value
				}
			}
		}
	}
	xlsxWantRow(t, f, sh, 5, "Số lượt doanh nghiệp được đào tạo", "lượt doanh nghiệp")
	if got := xlsxNumber(t, f, sh, "E5"); got != float64(cumulative) {
		t.Errorf("cumulative %v, want %d", got, cumulative)
	}
	if got := xlsxNumFmt(t, f, sh, "E5"); got != "[$-42A]#,##0" {
		t.Errorf("cumulative format %q, want the Vietnamese [$-42A]#,##0", got)
	}
	if got := xlsxNumber(t, f, sh, "D5"); got != float64(year) {
		t.Errorf("year value %v, want %d", got, year)
	}
	if got := xlsxNumber(t, f, sh, "C5"); got != 10_000 {
		t.Errorf("target %v", got)
	}
	// Completion is a fraction shown as a percentage with the decimals the
	// report prints: 993 of 10.000 → 9,93 %, 347 of 200 → 173,5 %.
	completions := []struct {
		ref                string
		cumulative, target int64
		format             string
	}{
		{"F5", cumulative, 10_000, "[$-42A]#,##0.00 %"},
		{"F6", 347, 200, "[$-42A]#,##0.0 %"},
	}
	for _, c := range completions {
		if got, want := xlsxNumber(t, f, sh, c.ref), nscl.CompletionPercent(c.cumulative, c.target)/100; got != want {
			t.Errorf("%s = %v, want %v", c.ref, got, want)
		}
		if got := xlsxNumFmt(t, f, sh, c.ref); got != c.format {
			t.Errorf("%s format %q, want %q", c.ref, got, c.format)
		}
	}
	// Experts have no target: no target, no completion, but the figures.
	xlsxWantRow(t, f, sh, 7, "Số chuyên gia được đào tạo", "người", "")
	if got := xlsxRaw(t, f, sh, "F7"); got != "" {
		t.Errorf("completion without a target: %q", got)
	}
	if got := xlsxNumber(t, f, sh, "D7"); got != 4 {
		t.Errorf("experts %v", got)
	}

	// A blank row, the measures, a blank row, the next year's targets.
	xlsxWantRow(t, f, sh, 8, "")
	xlsxWantRow(t, f, sh, 9, "Số liệu khác", "Đơn vị tính", "", h[2], h[3])
	xlsxWantRow(t, f, sh, 10, "Số tin bài", "tin bài", "")
	if got := xlsxNumber(t, f, sh, "D10"); got != 12 {
		t.Errorf("articles %v", got)
	}
	xlsxWantRow(t, f, sh, 12, "Chỉ tiêu của Kế hoạch năm 2023", "Đơn vị tính", "Chỉ tiêu năm 2023")
	xlsxWantRow(t, f, sh, 13, "Số lượt doanh nghiệp được đào tạo", "lượt doanh nghiệp")
	if got := xlsxNumber(t, f, sh, "C13"); got != 3_000 {
		t.Errorf("2023 target %v", got)
	}
	if got := xlsxRaw(t, f, sh, "A14"); got != "" {
		t.Errorf("only training has a 2023 target, got %q", got)
	}
}

// With the year's own annual plan, the table gains its target and the
// year against it, in numbers, and the measures stay under their headings.
func TestWriteXLSXAgainstTheAnnualPlan(t *testing.T) {
	acts := xlsxActivities()
	r := xlsxReport(acts)
	year := r.Indicators[0].YearValue // training, 2022
	this := nscl.Plan{Name: "Kế hoạch năm 2022", UnitID: 1, Kind: nscl.AnnualPlan, StartYear: 2022, EndYear: 2022, Targets: []nscl.Target{{Metric: "training", Value: 2_000}}}
	r.Results = nscl.ComputeResults(r.Programme, r.Unit, 2022, r.Plan, &this, r.NextPlan, map[string]nscl.Figures{
		"training": {YearValue: year, Cumulative: r.Indicators[0].Cumulative}, "support": {YearValue: r.Indicators[1].YearValue, Cumulative: r.Indicators[1].Cumulative},
		"articles": {YearValue: 12, Cumulative: 12}})
	f := xlsxWriteAndOpen(t, r, acts)
	const sh = "Kết quả"
	xlsxWantRow(t, f, sh, 4, "Nội dung thực hiện", "Đơn vị tính", "Chỉ tiêu theo Kế hoạch 05 năm", "Chỉ tiêu theo Kế hoạch năm 2022", "Kết quả năm 2022",
		"Tỷ lệ so với Kế hoạch năm 2022", "Kết quả từ đầu Chương trình đến hết năm 2022", "Tỷ lệ hoàn thành Kế hoạch 05 năm")
	if got := xlsxNumber(t, f, sh, "D5"); got != 2_000 {
		t.Errorf("annual target %v", got)
	}
	if got, want := xlsxNumber(t, f, sh, "F5"), nscl.CompletionPercent(year, 2_000)/100; got != want {
		t.Errorf("against the annual target %v, want %v", got, want)
	}
	// Support has no annual target: both cells empty, its year's figure in place.
	if d, f6 := xlsxRaw(t, f, sh, "D6"), xlsxRaw(t, f, sh, "F6"); d != "" || f6 != "" {
		t.Errorf("support without an annual target: %q %q", d, f6)
	}
	xlsxWantRow(t, f, sh, 9, "Số liệu khác", "Đơn vị tính", "", "", "Kết quả năm 2022", "", "Kết quả từ đầu Chương trình đến hết năm 2022")
	if got := xlsxNumber(t, f, sh, "E10"); got != 12 {
		t.Errorf("articles %v", got)
	}
}

func TestWriteXLSXWithoutNextPlan(t *testing.T) {
	acts := xlsxActivities()
	r := xlsxReport(acts)
	r.NextPlan = nil
	for i := range r.Indicators {
		r.Indicators[i].HasNextYearTarget = false
	}
	f := xlsxWriteAndOpen(t, r, acts)
	rows, err := f.GetRows("Kết quả")
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1][0]; last != "Số tin bài" {
		t.Errorf("the sheet should end with the measures, ends with %q", last)
	}
}

func TestWriteXLSXActivities(t *testing.T) {
	acts := xlsxActivities()
	f := xlsxWriteAndOpen(t, xlsxReport(acts), acts)
	const sh = "Hoạt động"
	xlsxWantRow(t, f, sh, 1, "Ngày", "Nhóm nhiệm vụ", "Đơn vị", "Loại hoạt động", "Nội dung",
		"Số lượt doanh nghiệp được đào tạo (lượt doanh nghiệp)", "Số doanh nghiệp được hỗ trợ (doanh nghiệp)",
		"Số chuyên gia được đào tạo (người)", "Số tin bài (tin bài)", "Nguồn")

	// Row 3 is the second activity, dated 07/03/2022 in Vietnam's time zone.
	serial := xlsxNumber(t, f, sh, "A3")
	if got, err := excelize.ExcelDateToTime(serial, false); err != nil || !got.Equal(xlsxDay(2022, 3, 7)) {
		t.Errorf("date %v (%v) from %v, want 2022-03-07", got, err, serial)
	}
	if got := xlsxNumFmt(t, f, sh, "A3"); got != "dd/mm/yyyy" {
		t.Errorf("date format %q", got)
	}
	xlsxWantRow(t, f, sh, 3, fmt.Sprint(serial), "b", "Thành phố Thủ Đức", "tập huấn, đào tạo", acts[1].Description)
	if got := xlsxNumber(t, f, sh, "F3"); got != 900 {
		t.Errorf("training quantity %v", got)
	}
	if got := xlsxNumber(t, f, sh, "H3"); got != 4 {
		t.Errorf("experts quantity %v", got)
	}
	if got := xlsxNumFmt(t, f, sh, "F3"); got != "[$-42A]#,##0" {
		t.Errorf("quantity format %q", got)
	}
	if got := xlsxRaw(t, f, sh, "G3"); got != "" {
		t.Errorf("no support quantity, got %q", got)
	}
	if got := xlsxRaw(t, f, sh, "J3"); got != "Báo cáo năm" {
		t.Errorf("source %q", got)
	}
	// The activity reported only in words has no quantity cells.
	xlsxWantRow(t, f, sh, 6, fmt.Sprint(xlsxNumber(t, f, sh, "A6")), "đ", "Thành phố Thủ Đức", "khác", "Hoạt động chỉ báo cáo bằng lời", "", "", "", "")

	// LibreOffice does not size rows to wrapped text, so the writer does:
	// a description of 138 letters in its 60-wide column takes three lines.
	for _, c := range []struct {
		row   int
		lines float64
	}{{4, 3}, {5, 1}} {
		if h, err := f.GetRowHeight(sh, c.row); err != nil || h < c.lines*15 || h > c.lines*15+1 {
			t.Errorf("row %d is %v points tall (%v), want %v lines", c.row, h, err, c.lines)
		}
	}

	panes, err := f.GetPanes(sh)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, want the heading row frozen", panes)
	}
}

func TestWriteXLSXManyActivities(t *testing.T) {
	const n = 10_000
	acts := make([]nscl.Activity, n)
	for i := range acts {
		acts[i] = xlsxActivity(xlsxDay(2022, time.Month(i%12+1), i%28+1), int64(i%2+1), "b", nscl.KindTraining,
			fmt.Sprintf("Lớp tập huấn số %d", i+1), nscl.Quantity{Metric: "training", Value: int64(i)})
	}
	r := xlsxReport(acts)
	if err := WriteXLSX(io.Discard, r, listOf(acts), xlsxUnits); err != nil {
		t.Fatal(err)
	}
}
