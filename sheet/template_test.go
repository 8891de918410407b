package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"nscl"
)

func tmplProgramme(t *testing.T) *nscl.Programme {
	t.Helper()
	prog := &nscl.Programme{
		ID: 1, Code: "NSCL", Name: "Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021–2030",
		StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{
			{Letter: "a", Name: "Hoàn thiện cơ chế, chính sách thúc đẩy hoạt động nâng cao năng suất chất lượng"},
			{Letter: "b", Name: "Tăng cường công tác thông tin, truyền thông về năng suất chất lượng"},
			{Letter: "c", Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng"},
			{Letter: "d", Name: "Đào tạo nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{Letter: "đ", Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp"},
			{Letter: "e", Name: "Đẩy mạnh hợp tác quốc tế về năng suất chất lượng"},
		},
		Metrics: []nscl.Metric{
			{Code: "articles", Name: "Tin bài về năng suất chất lượng", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: "consulted", Name: "Doanh nghiệp được hỗ trợ tư vấn", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c"},
			{Code: "trainees", Name: "Người được đào tạo, tập huấn", Unit: "người", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "labs", Name: "Phòng thử nghiệm được công nhận", Unit: "phòng", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ"},
		},
	}
	if err := prog.Validate(); err != nil {
		t.Fatal(err)
	}
	return prog
}

func tmplDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	tmplUnit  = nscl.OrgUnit{ID: 10, ParentID: 2, Code: "HCM-THUDUC", Name: "Ủy ban nhân dân thành phố Thủ Đức", Level: nscl.LevelDistrict}
	tmplChild = nscl.OrgUnit{ID: 11, ParentID: 10, Code: "HCM-THUDUC-KT", Name: "Phòng Kinh tế thành phố Thủ Đức", Level: nscl.LevelUnit}
	tmplRound = nscl.Round{ID: 7, ProgrammeID: 1, Title: "Báo cáo kết quả năm 2022 (Công văn 4225/KH-CN-TĐC)",
		PeriodStart: tmplDay(2022, 1, 1), PeriodEnd: tmplDay(2022, 12, 31), Deadline: tmplDay(2022, 12, 15), UnitIDs: []int64{10}}
)

func tmplTestTemplate(prog *nscl.Programme) Template {
	return Template{Programme: prog, Round: tmplRound, Unit: tmplUnit,
		Units: []nscl.OrgUnit{tmplUnit, tmplChild}, Rows: 50}
}

func tmplWriteTemplate(t *testing.T, tmpl Template) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tmpl.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tmplColumnOf is the letter of the column with the key.
func tmplColumnOf(t *testing.T, cols []nscl.SheetColumn, key string) string {
	t.Helper()
	for i, c := range cols {
		if c.Key == key {
			return ColumnName(i)
		}
	}
	t.Fatalf("no column %q", key)
	return ""
}

func tmplWantHeadings(cols []nscl.SheetColumn) []string {
	var out []string
	for _, c := range cols {
		if c.Required {
			out = append(out, c.Title+" *")
		} else {
			out = append(out, c.Title)
		}
	}
	return out
}

func tmplWantMeta() map[string]string {
	return map[string]string{
		MetaTemplateVersion: TemplateVersion, MetaProgramme: "NSCL", MetaRound: "7", MetaUnit: "HCM-THUDUC",
		MetaPeriodStart: "2022-01-01", MetaPeriodEnd: "2022-12-31",
	}
}

// tmplMetaPairs are the meta sheet's key/value rows, without the list columns'
// rows below them.
func tmplMetaPairs(meta map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range meta {
		if k != "" {
			out[k] = v
		}
	}
	return out
}

func TestTemplateLayout(t *testing.T) {
	prog := tmplProgramme(t)
	cols := nscl.ActivityColumns(prog)
	data := tmplWriteTemplate(t, tmplTestTemplate(prog))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if got, want := f.GetSheetList(), []string{ActivitySheet, InstructionsSheet, MetaSheet}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want 0", i)
	}
	for name, want := range map[string]bool{ActivitySheet: true, InstructionsSheet: true, MetaSheet: false} {
		if got, _ := f.GetSheetVisible(name); got != want {
			t.Errorf("sheet %s visible %v, want %v", name, got, want)
		}
	}
	if state := tmplSheetStates(t, data)[MetaSheet]; state != "veryHidden" {
		t.Errorf("meta sheet state %q, want veryHidden", state)
	}
	if got := tmplMetaPairs(readMeta(f)); !reflect.DeepEqual(got, tmplWantMeta()) {
		t.Errorf("meta %v, want %v", got, tmplWantMeta())
	}

	// The title, the period, the heading row.
	rows, err := f.GetRows(ActivitySheet)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[0][0], "Báo cáo hoạt động — "+tmplRound.Title+" — "+tmplUnit.Name; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got, want := rows[1][0], "Kỳ báo cáo: 01/01/2022 – 31/12/2022; hạn gửi: 15/12/2022"; got != want {
		t.Errorf("period line %q, want %q", got, want)
	}
	last := ColumnName(len(cols) - 1)
	merged, _ := f.GetMergeCells(ActivitySheet)
	var refs []string
	for _, m := range merged {
		refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	if want := []string{"A1:" + last + "1", "A2:" + last + "2"}; !slices.Equal(refs, want) {
		t.Errorf("merged %q, want %q", refs, want)
	}
	header := rows[TemplateHeaderRow-1]
	if want := tmplWantHeadings(cols); !slices.Equal(header, want) {
		t.Errorf("heading row\n%q, want\n%q", header, want)
	}
	h := nscl.MatchHeader(cols, prog, header)
	if len(h.Pos) != len(cols) || len(h.Missing()) != 0 {
		t.Errorf("MatchHeader found %d of %d columns, missing %q", len(h.Pos), len(cols), h.Missing())
	}
	for i, c := range cols {
		if h.Pos[c.Key] != i {
			t.Errorf("column %s at %d, want %d", c.Key, h.Pos[c.Key], i)
		}
	}
	if panes, _ := f.GetPanes(ActivitySheet); !panes.Freeze || panes.YSplit != TemplateHeaderRow || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, want frozen below row %d", panes, TemplateHeaderRow)
	}

	// The heading is bold, wrapped and shaded; the input columns' formats.
	hs := tmplCellStyle(t, f, ActivitySheet, "A3")
	if hs.Font == nil || !hs.Font.Bold || hs.Alignment == nil || !hs.Alignment.WrapText || len(hs.Fill.Color) == 0 {
		t.Errorf("heading style %+v", hs)
	}
	date := tmplColumnOf(t, cols, nscl.ColDate)
	if s := tmplCellStyle(t, f, ActivitySheet, date+"4"); s.CustomNumFmt == nil || *s.CustomNumFmt != "dd/mm/yyyy" {
		t.Errorf("date format %v", s.CustomNumFmt)
	}
	trainees := tmplColumnOf(t, cols, "q:trainees")
	if s := tmplCellStyle(t, f, ActivitySheet, trainees+"53"); s.CustomNumFmt == nil || *s.CustomNumFmt != "[$-42A]#,##0" {
		t.Errorf("quantity format %v", s.CustomNumFmt)
	}
	if s := tmplCellStyle(t, f, ActivitySheet, tmplColumnOf(t, cols, nscl.ColBeneficiaries)+"4"); s.NumFmt != 49 {
		t.Errorf("tax codes' format %d, want 49 (text)", s.NumFmt)
	}
	if s := tmplCellStyle(t, f, ActivitySheet, tmplColumnOf(t, cols, nscl.ColDescription)+"4"); s.NumFmt == 49 || s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("descriptions are text-formatted (Excel shows #### past 255 characters) or not wrapped: %+v", s)
	}

	// Locked title and heading; unlocked input rows, below them too.
	for _, cell := range []string{"A1", last + "1", "A2", "A3", date + "3", last + "3"} {
		if !tmplCellLocked(t, f, ActivitySheet, cell) {
			t.Errorf("%s is not locked", cell)
		}
	}
	for i := range cols {
		for _, row := range []int{4, 53} {
			if cell := ColumnName(i) + strconv.Itoa(row); tmplCellLocked(t, f, ActivitySheet, cell) {
				t.Errorf("input cell %s is locked", cell)
			}
		}
	}
	for _, col := range []string{date, ColumnName(len(cols))} { // below the prepared rows; right of the table
		id, err := f.GetColStyle(ActivitySheet, col)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := f.GetStyle(id); s.Protection == nil || s.Protection.Locked {
			t.Errorf("column %s's style is locked", col)
		}
	}
	ws := tmplWorksheetXML(t, data, ActivitySheet)
	prot := tmplElement(t, ws, "sheetProtection")
	if !tmplTrue(prot["sheet"]) || prot["password"] != "" || prot["hashValue"] != "" {
		t.Errorf("sheet protection %v, want protected without a password", prot)
	}
	for _, allowed := range []string{"autoFilter", "sort", "formatColumns", "formatRows", "insertRows", "deleteRows", "selectLockedCells", "selectUnlockedCells"} {
		// Absent, selecting cells is allowed and the others are not.
		if v := prot[allowed]; tmplTrue(v) || v == "" && !strings.HasPrefix(allowed, "select") {
			t.Errorf("protection forbids %s: %v", allowed, prot)
		}
	}
	if af := tmplElement(t, ws, "autoFilter"); strings.ReplaceAll(af["ref"], "$", "") != "A3:"+last+"53" {
		t.Errorf("autofilter %v, want A3:%s53", af, last)
	}

	// The lists on the meta sheet, and the validations of the input rows.
	var groups, kinds []string
	for _, g := range prog.TaskGroups {
		groups = append(groups, nscl.TaskGroupChoice(g))
	}
	if len(strings.Join(groups, ",")) <= 255 {
		t.Fatal("the test's task groups should not fit in a list written into the validation")
	}
	for _, k := range nscl.ActivityKinds {
		kinds = append(kinds, k.Label())
	}
	metaRows, _ := f.GetCols(MetaSheet)
	listOf := func(col int) []string {
		return slices.DeleteFunc(slices.Clone(metaRows[col][1:]), func(s string) bool { return s == "" })
	}
	if got := listOf(3); !slices.Equal(got, groups) {
		t.Errorf("task group list %q, want %q", got, groups)
	}
	if got := listOf(4); !slices.Equal(got, kinds) {
		t.Errorf("kind list %q, want %q", got, kinds)
	}
	if got, want := listOf(5), []string{tmplUnit.Name, tmplChild.Name}; !slices.Equal(got, want) {
		t.Errorf("unit list %q, want %q", got, want)
	}
	dvs, err := f.GetDataValidations(ActivitySheet)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{ // sqref → type, formula1, formula2
		date + "4:" + date + "53": {"date", "44562", "44926"}, // 1 January and 31 December 2022
		tmplColumnOf(t, cols, nscl.ColTaskGroup) + "4:" + tmplColumnOf(t, cols, nscl.ColTaskGroup) + "53": {"list", "'_nscl'!$D$2:$D$7"},
		tmplColumnOf(t, cols, nscl.ColKind) + "4:" + tmplColumnOf(t, cols, nscl.ColKind) + "53":           {"list", "'_nscl'!$E$2:$E$9"},
		tmplColumnOf(t, cols, nscl.ColUnit) + "4:" + tmplColumnOf(t, cols, nscl.ColUnit) + "53":           {"list", "'_nscl'!$F$2:$F$3"},
	}
	for _, m := range prog.Metrics {
		col := tmplColumnOf(t, cols, "q:"+m.Code)
		want[col+"4:"+col+"53"] = [3]string{"whole", "0", "1000000000"}
	}
	got := map[string][3]string{}
	for _, dv := range dvs {
		got[dv.Sqref] = [3]string{dv.Type, dv.Formula1, dv.Formula2}
		if !dv.ShowInputMessage || dv.Prompt == nil || !dv.ShowErrorMessage || dv.Error == nil {
			t.Errorf("validation of %s has no prompt or error message", dv.Sqref)
			continue
		}
		for _, s := range []string{*dv.Prompt, *dv.Error, *dv.PromptTitle, *dv.ErrorTitle} {
			if !tmplVietnamese(s) {
				t.Errorf("validation message %q is not in Vietnamese", s)
			}
		}
		if tmplUtf16Len(*dv.PromptTitle) > 32 || tmplUtf16Len(*dv.ErrorTitle) > 32 || tmplUtf16Len(*dv.Error) > 225 || tmplUtf16Len(*dv.Prompt) > 255 {
			t.Errorf("validation message of %s too long for Excel", dv.Sqref)
		}
		if dv.Type == "date" && (!strings.Contains(*dv.Error, "01/01/2022") || !strings.Contains(*dv.Error, "31/12/2022")) {
			t.Errorf("date error %q does not name the period", *dv.Error)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("validations\n%v, want\n%v", got, want)
	}

	// The instructions.
	guide := tmplSheetText(t, f, InstructionsSheet)
	for _, s := range []string{"a, b, c, d, đ, e", "dd/mm/yyyy", "16192", "16.192", "15/12/2022", "Mã dòng", "bỏ qua", "Tải lên và nhập",
		tmplRound.Title, tmplUnit.Name, tmplChild.Name} {
		if !strings.Contains(guide, s) {
			t.Errorf("the instructions do not say %q", s)
		}
	}
	for _, c := range cols {
		if !strings.Contains(guide, c.Title) {
			t.Errorf("the instructions do not name the column %q", c.Title)
		}
	}
	for _, m := range prog.Metrics {
		if !strings.Contains(guide, "“"+m.Name+"”, đơn vị tính: "+m.Unit) {
			t.Errorf("the instructions do not give %s's name and unit", m.Code)
		}
	}
}

func TestTemplateDefaults(t *testing.T) {
	prog := tmplProgramme(t)
	tmpl := tmplTestTemplate(prog)
	tmpl.Rows, tmpl.Units = 0, nil // only the unit itself
	tmpl.Round.Deadline = time.Time{}
	f, err := excelize.OpenReader(bytes.NewReader(tmplWriteTemplate(t, tmpl)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, _ := f.GetDataValidations(ActivitySheet)
	unit := tmplColumnOf(t, nscl.ActivityColumns(prog), nscl.ColUnit)
	var found bool
	for _, dv := range dvs {
		if dv.Sqref == unit+"4:"+unit+strconv.Itoa(TemplateHeaderRow+DefaultTemplateRows) {
			found = dv.Formula1 == "'_nscl'!$F$2:$F$2"
		}
	}
	if !found {
		t.Errorf("no unit list of the one unit over %d rows: %v", DefaultTemplateRows, dvs)
	}
	if v, _ := f.GetCellValue(ActivitySheet, "A2"); v != "Kỳ báo cáo: 01/01/2022 – 31/12/2022" {
		t.Errorf("period line without a deadline: %q", v)
	}
	tmpl.Rows = MaxTemplateRows + 1
	if err := tmpl.Write(io.Discard); err == nil {
		t.Error("a template of too many rows was written")
	}
	if err := (Template{}).Write(io.Discard); err == nil {
		t.Error("a template without a programme was written")
	}
}

// tmplFilledRow is a row typed into the template, and the activity it is.
type tmplFilledRow struct {
	cells map[string]any // column key → value
	want  nscl.Activity
}

func tmplFilledRows(prog *nscl.Programme) []tmplFilledRow {
	g := func(letter string) string { t, _ := prog.TaskGroup(letter); return nscl.TaskGroupChoice(t) }
	return []tmplFilledRow{{
		// Unit left empty: the template's. A real date cell, a number.
		cells: map[string]any{nscl.ColDate: tmplDay(2022, 3, 15), nscl.ColTaskGroup: g("đ"), nscl.ColKind: nscl.KindTraining.Label(),
			nscl.ColDescription: "Tập huấn ISO/IEC 17025 cho phòng thử nghiệm", "q:trainees": 40, "q:labs": 2},
		want: nscl.Activity{UnitID: tmplUnit.ID, Date: tmplDay(2022, 3, 15), TaskGroup: "đ", Kind: nscl.KindTraining,
			Description: "Tập huấn ISO/IEC 17025 cho phòng thử nghiệm",
			Quantities:  []nscl.Quantity{{Metric: "trainees", Value: 40}, {Metric: "labs", Value: 2}}},
	}, {
		// The unit under it, chosen from the list; tax codes as text.
		cells: map[string]any{nscl.ColUnit: tmplChild.Name, nscl.ColDate: tmplDay(2022, 11, 30), nscl.ColTaskGroup: g("c"),
			nscl.ColKind: nscl.KindConsulting.Label(), nscl.ColDescription: "Tư vấn áp dụng 5S", "q:consulted": 16192,
			nscl.ColBeneficiaries: "0301234567; 0312345678-001", nscl.ColRef: "TD-2022-002"},
		want: nscl.Activity{UnitID: tmplChild.ID, Date: tmplDay(2022, 11, 30), TaskGroup: "c", Kind: nscl.KindConsulting,
			Description: "Tư vấn áp dụng 5S", Ref: "TD-2022-002", Beneficiaries: []string{"0301234567", "0312345678-001"},
			Quantities: []nscl.Quantity{{Metric: "consulted", Value: 16192}}},
	}, {
		// Typed as text where a user might: the unit's code, a date, a
		// group's letter, a number with a thousands dot.
		cells: map[string]any{nscl.ColUnit: tmplUnit.Code, nscl.ColDate: "05/07/2022", nscl.ColTaskGroup: "b",
			nscl.ColKind: nscl.KindArticle.Label(), nscl.ColDescription: "Tin bài trên báo Sài Gòn Giải Phóng", "q:articles": "1.203"},
		want: nscl.Activity{UnitID: tmplUnit.ID, Date: tmplDay(2022, 7, 5), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Tin bài trên báo Sài Gòn Giải Phóng", Quantities: []nscl.Quantity{{Metric: "articles", Value: 1203}}},
	}}
}

// tmplFillTemplate types the rows into the template's first input rows, as a
// user would, and saves it.
func tmplFillTemplate(t *testing.T, prog *nscl.Programme, data []byte, rows []tmplFilledRow, path string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cols := nscl.ActivityColumns(prog)
	for i, r := range rows {
		for key, v := range r.cells {
			if err := f.SetCellValue(ActivitySheet, tmplColumnOf(t, cols, key)+strconv.Itoa(TemplateHeaderRow+1+i), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// tmplImportFile reads a filled template as an import does: sheet.Open, the
// heading row found by MatchHeader, each row below by ParseActivityRow
// with the rules the meta sheet gives.
func tmplImportFile(t *testing.T, prog *nscl.Programme, path string) (map[string]string, []nscl.Activity) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	meta := r.Meta()
	units := map[string]nscl.OrgUnit{}
	for _, u := range []nscl.OrgUnit{tmplUnit, tmplChild} {
		units[nscl.SearchKey(u.Code)], units[nscl.SearchKey(u.Name)] = u, u
	}
	rules := nscl.RowRules{Programme: prog, Unit: func(text string) (nscl.OrgUnit, bool) { u, ok := units[nscl.SearchKey(text)]; return u, ok }}
	if u, ok := units[nscl.SearchKey(meta[MetaUnit])]; ok {
		rules.DefaultUnit = &u
	} else {
		t.Errorf("the meta sheet's unit %q is not known", meta[MetaUnit])
	}
	rules.PeriodStart, _ = time.Parse("2006-01-02", meta[MetaPeriodStart])
	rules.PeriodEnd, _ = time.Parse("2006-01-02", meta[MetaPeriodEnd])
	cols := nscl.ActivityColumns(prog)
	var header *nscl.SheetHeader
	var acts []nscl.Activity
	for r.Next() {
		row := r.Row()
		if header == nil {
			if h := nscl.MatchHeader(cols, prog, row.Cells); len(h.Pos) > 0 && len(h.Missing()) == 0 {
				if row.Number != TemplateHeaderRow || len(h.Pos) != len(cols) {
					t.Errorf("heading row %d with %d columns, want row %d with %d", row.Number, len(h.Pos), TemplateHeaderRow, len(cols))
				}
				header = &h
			}
			continue
		}
		if row.Blank() {
			continue
		}
		a, errs := nscl.ParseActivityRow(rules, *header, row.Cells)
		if len(errs) > 0 {
			t.Errorf("row %d %q: %+v", row.Number, row.Cells, errs)
		}
		acts = append(acts, a)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if header == nil {
		t.Fatal("no heading row found")
	}
	return meta, acts
}

func tmplCheckImported(t *testing.T, rows []tmplFilledRow, acts []nscl.Activity) {
	t.Helper()
	if len(acts) != len(rows) {
		t.Fatalf("%d activities read back, want %d", len(acts), len(rows))
	}
	for i, a := range acts {
		want := rows[i].want
		if want.Ref == "" {
			if !strings.HasPrefix(a.Ref, "auto:") {
				t.Errorf("row %d: ref %q, want a derived one", i+1, a.Ref)
			}
			want.Ref = a.Ref
		}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("row %d read back as\n%+v, want\n%+v", i+1, a, want)
		}
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	prog := tmplProgramme(t)
	rows := tmplFilledRows(prog)
	path := filepath.Join(t.TempDir(), "bao-cao.xlsx")
	tmplFillTemplate(t, prog, tmplWriteTemplate(t, tmplTestTemplate(prog)), rows, path)
	meta, acts := tmplImportFile(t, prog, path)
	if got := tmplMetaPairs(meta); !reflect.DeepEqual(got, tmplWantMeta()) {
		t.Errorf("meta %v, want %v", got, tmplWantMeta())
	}
	tmplCheckImported(t, rows, acts)

	// The same file read again derives the same keys: nothing new.
	_, again := tmplImportFile(t, prog, path)
	for i := range acts {
		if acts[i].Ref != again[i].Ref {
			t.Errorf("row %d: key %q, then %q", i+1, acts[i].Ref, again[i].Ref)
		}
	}
}

// TestTemplateLibreOffice saves the template, empty and filled in, with
// LibreOffice Calc, and reads the copies back as an import does.
func TestTemplateLibreOffice(t *testing.T) {
	office, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not on PATH: the template is not checked against LibreOffice Calc")
	}
	prog := tmplProgramme(t)
	rows := tmplFilledRows(prog)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data := tmplWriteTemplate(t, tmplTestTemplate(prog))
	if err := os.WriteFile(filepath.Join(in, "mau.xlsx"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	tmplFillTemplate(t, prog, data, rows, filepath.Join(in, "bao-cao.xlsx"))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out,
		filepath.Join(in, "mau.xlsx"), filepath.Join(in, "bao-cao.xlsx"))
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v: %s", err, output)
	}

	cols := nscl.ActivityColumns(prog)
	for _, name := range []string{"mau.xlsx", "bao-cao.xlsx"} {
		path := filepath.Join(out, name)
		saved, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s: %v", name, err)
		}
		meta, acts := tmplImportFile(t, prog, path)
		if got := tmplMetaPairs(meta); !reflect.DeepEqual(got, tmplWantMeta()) {
			t.Errorf("%s: meta %v, want %v", name, got, tmplWantMeta())
		}
		if name == "bao-cao.xlsx" {
			tmplCheckImported(t, rows, acts)
		} else if len(acts) != 0 {
			t.Errorf("%s: %d activities in the empty template", name, len(acts))
		}

		f, err := excelize.OpenReader(bytes.NewReader(saved))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := f.GetSheetList(), []string{ActivitySheet, InstructionsSheet, MetaSheet}; !slices.Equal(got, want) {
			t.Errorf("%s: sheets %q, want %q", name, got, want)
		}
		if visible, _ := f.GetSheetVisible(MetaSheet); visible {
			t.Errorf("%s: the meta sheet is visible", name)
		}
		t.Logf("%s: LibreOffice saved the meta sheet as %q", name, tmplSheetStates(t, saved)[MetaSheet])
		if prot := tmplElement(t, tmplWorksheetXML(t, saved, ActivitySheet), "sheetProtection"); !tmplTrue(prot["sheet"]) {
			t.Errorf("%s: the activity sheet is no longer protected: %v", name, prot)
		}
		if !tmplCellLocked(t, f, ActivitySheet, "A3") || tmplCellLocked(t, f, ActivitySheet, tmplColumnOf(t, cols, nscl.ColDate)+"4") {
			t.Errorf("%s: heading no longer locked, or input no longer unlocked", name)
		}
		dvs, _ := f.GetDataValidations(ActivitySheet)
		types := map[string]int{}
		for _, dv := range dvs {
			types[dv.Type]++
			if dv.Type == "list" && !strings.Contains(dv.Formula1, MetaSheet) {
				t.Errorf("%s: list %s offers %q, not a range of the meta sheet", name, dv.Sqref, dv.Formula1)
			}
		}
		if types["list"] != 3 || types["date"] != 1 || types["whole"] != len(prog.Metrics) {
			t.Errorf("%s: validations %v after LibreOffice", name, types)
		}
		f.Close()
	}
}

func tmplUtf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// tmplVietnamese says whether s has a letter only Vietnamese writes.
func tmplVietnamese(s string) bool {
	return strings.ContainsAny(s, "ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữựịỉĩìíọỏõòóụủũùúỳýỵỷỹẹẻẽèé")
}

func tmplCellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tmplCellLocked says whether a cell is locked: a style without protection
// settings locks it.
func tmplCellLocked(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	s := tmplCellStyle(t, f, sheet, cell)
	return s.Protection == nil || s.Protection.Locked
}

func tmplSheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}

// tmplTrue reads an XML boolean.
func tmplTrue(s string) bool { return s == "1" || s == "true" }

// tmplZipFile is one part of a tmplWorkbook.
func tmplZipFile(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type tmplXmlWorkbook struct {
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

func tmplWorkbook(t *testing.T, data []byte) tmplXmlWorkbook {
	t.Helper()
	var wb tmplXmlWorkbook
	if err := xml.Unmarshal(tmplZipFile(t, data, "xl/workbook.xml"), &wb); err != nil {
		t.Fatal(err)
	}
	return wb
}

// tmplSheetStates are the sheets' visibility as the tmplWorkbook writes it.
func tmplSheetStates(t *testing.T, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range tmplWorkbook(t, data).Sheets {
		out[s.Name] = s.State
	}
	return out
}

// tmplWorksheetXML is the XML of the named sheet.
func tmplWorksheetXML(t *testing.T, data []byte, sheet string) []byte {
	t.Helper()
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(tmplZipFile(t, data, "xl/_rels/workbook.xml.rels"), &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range tmplWorkbook(t, data).Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				target := strings.TrimPrefix(r.Target, "/")
				if !strings.HasPrefix(target, "xl/") {
					target = path.Join("xl", target)
				}
				return tmplZipFile(t, data, target)
			}
		}
	}
	t.Fatalf("no sheet %q", sheet)
	return nil
}

// tmplElement is the attributes of the first tmplElement of the name in a
// document; nil when there is none.
func tmplElement(t *testing.T, doc []byte, name string) map[string]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			out := map[string]string{}
			for _, a := range se.Attr {
				out[a.Name.Local] = a.Value
			}
			return out
		}
	}
}
