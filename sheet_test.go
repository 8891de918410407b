package nscl

import (
	"maps"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"nscl/vnfmt"
)

// The activity sheet as units fill it in: headings in any order and case,
// with or without diacritics and the required mark, metrics by code or by
// name, extra columns of their own; and cells as people type them.

// sheetProgramme is the NSCL programme's shape (as the demo loads it):
// task groups a to e with their names from Quyết định 1322/QĐ-TTg, and
// indicators and measures with the demo's codes, names and units.
func sheetProgramme() *Programme {
	p := &Programme{ID: 1, Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
		TaskGroups: []TaskGroup{
			{ID: 1, Letter: "a", Name: "Hoàn thiện cơ chế, chính sách thúc đẩy hoạt động nâng cao năng suất chất lượng"},
			{ID: 2, Letter: "b", Name: "Tăng cường công tác thông tin, truyền thông về năng suất chất lượng"},
			{ID: 3, Letter: "c", Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh"},
			{ID: 4, Letter: "d", Name: "Đào tạo nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{ID: 5, Letter: "đ", Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật"},
			{ID: 6, Letter: "e", Name: "Đẩy mạnh hợp tác quốc tế về năng suất chất lượng"},
		},
		Metrics: []Metric{
			{ID: 1, Code: "training_enterprises", Kind: Indicator, Rule: RuleSum, TaskGroup: "d", Unit: "lượt doanh nghiệp",
				Name: "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng"},
			{ID: 2, Code: "enterprises_supported", Kind: Indicator, Rule: RuleSum, TaskGroup: "c", Unit: "doanh nghiệp",
				Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh"},
			{ID: 3, Code: "labs_strengthened", Kind: Indicator, Rule: RuleSum, TaskGroup: "đ", Unit: "phòng thử nghiệm",
				Name: "Tăng cường năng lực hoạt động tiêu chuẩn hóa và đánh giá sự phù hợp với tiêu chuẩn, quy chuẩn kỹ thuật (Phòng thử nghiệm)"},
			{ID: 4, Code: "trainees", Kind: Measure, Rule: RuleSum, TaskGroup: "d", Unit: "học viên", Name: "Học viên được tập huấn, bồi dưỡng"},
		},
	}
	return p
}

func sheetDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The demo's units a sheet names: Thủ Đức (closed with the districts on
// 1 July 2025), the department, and a department merged on 1 March 2025.
var (
	sheetThuDuc = OrgUnit{ID: 10, Code: "HCM-THUDUC", Name: "Ủy ban nhân dân Thành phố Thủ Đức", Level: LevelDistrict, ClosedOn: sheetDay(2025, 7, 1)}
	sheetDept   = OrgUnit{ID: 3, Code: "HCM-SKHCN", Name: "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", Level: LevelDepartment}
	sheetAgri   = OrgUnit{ID: 6, Code: "HCM-SNNPTNT", Name: "Sở Nông nghiệp và Phát triển nông thôn Thành phố Hồ Chí Minh", Level: LevelDepartment, ClosedOn: sheetDay(2025, 3, 1)}
)

// sheetRules finds units by code or name without regard to case or
// diacritics, as the importer does, and lets the user write every unit.
func sheetRules(prog *Programme) RowRules {
	byText := map[string]OrgUnit{}
	for _, u := range []OrgUnit{sheetThuDuc, sheetDept, sheetAgri} {
		byText[SearchKey(u.Code)] = u
		byText[SearchKey(u.Name)] = u
	}
	return RowRules{
		Programme: prog,
		Unit: func(text string) (OrgUnit, bool) {
			u, ok := byText[SearchKey(text)]
			return u, ok
		},
	}
}

// sheetHeading is a heading row as a unit might have rearranged it.
var sheetHeading = []string{
	"Nội dung hoạt động *", // 0 description, required mark
	"ĐƠN VỊ *",             // 1 unit, upper case
	"ngay thuc hien",       // 2 date, no diacritics
	"Ghi chú của đơn vị",   // 3 extra column, ignored
	"Loại hoạt động",       // 4 kind
	"  nhóm nhiệm vụ  ",    // 5 task group, spaces
	"trainees",             // 6 measure by code
	"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng", // 7 indicator by name
	"", // 8 empty heading
	"Mã số thuế doanh nghiệp hưởng lợi", // 9 beneficiaries
	"Phòng thử nghiệm (cột lạ)",         // 10 extra column
	"Nguồn, ghi chú",                    // 11 source
	"mã dòng",                           // 12 ref, lower case
	"Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh (doanh nghiệp)", // 13 indicator by title
}

var sheetHeadingPos = map[string]int{
	ColDescription: 0, ColUnit: 1, ColDate: 2, ColKind: 4, ColTaskGroup: 5,
	"q:trainees": 6, "q:training_enterprises": 7, ColBeneficiaries: 9, ColSource: 11, ColRef: 12, "q:enterprises_supported": 13,
}

// sheetHeader is sheetHeading matched, with its two extra columns passed
// over as the unit has said (Resolve): a row with notes in them reads.
func sheetHeader(t testing.TB, prog *Programme) SheetHeader {
	t.Helper()
	h, err := MatchHeader(ActivityColumns(prog), prog, sheetHeading).Resolve(prog, func(string) (string, bool) { return "", true })
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// sheetRow lays out cells by column key under sheetHeading.
func sheetRow(cells map[string]string) []string {
	row := make([]string, len(sheetHeading))
	row[3], row[10] = "ghi chú riêng", "không đọc"
	for key, v := range cells {
		i, ok := sheetHeadingPos[key]
		if !ok {
			panic("no column " + key)
		}
		row[i] = v
	}
	return row
}

// sheetBaseRow is a good row: Thủ Đức trained 3 enterprises' 40 staff.
func sheetBaseRow() map[string]string {
	return map[string]string{
		ColUnit: "HCM-THUDUC", ColDate: "15/06/2023", ColTaskGroup: "d", ColKind: "training",
		ColDescription: "Lớp tập huấn công cụ cải tiến năng suất", "q:trainees": "40", "q:training_enterprises": "3",
	}
}

func sheetWith(row map[string]string, key, value string) map[string]string {
	out := maps.Clone(row)
	out[key] = value
	return out
}

func TestMatchHeaderFindsRearrangedColumns(t *testing.T) {
	prog := sheetProgramme()
	h := sheetHeader(t, prog)
	if !maps.Equal(h.Pos, sheetHeadingPos) {
		t.Errorf("positions\n got %v\nwant %v", h.Pos, sheetHeadingPos)
	}
	if m := h.Missing(); len(m) != 0 {
		t.Errorf("nothing is missing, Missing() = %q", m)
	}

	// The template's own headings, with required marks, are found too.
	var titles []string
	for _, c := range ActivityColumns(prog) {
		title := c.Title
		if c.Required {
			title += " *"
		}
		titles = append(titles, title)
	}
	h = MatchHeader(ActivityColumns(prog), prog, titles)
	for i, c := range ActivityColumns(prog) {
		if h.Pos[c.Key] != i {
			t.Errorf("template heading %q: position %d, want %d", titles[i], h.Pos[c.Key], i)
		}
	}

	// A heading given twice: the first one counts.
	h = MatchHeader(ActivityColumns(prog), prog, []string{"Đơn vị", "Ngày thực hiện", "don vi"})
	if h.Pos[ColUnit] != 0 {
		t.Errorf("unit heading twice: position %d, want the first (0)", h.Pos[ColUnit])
	}
	wantMissing := []string{"Nhóm nhiệm vụ", "Nội dung hoạt động"} // the kind may be left out: the group's default
	if got := h.Missing(); strings.Join(got, "|") != strings.Join(wantMissing, "|") {
		t.Errorf("Missing() = %q, want %q", got, wantMissing)
	}
}

func sheetQuantities(a Activity) map[string]int64 {
	out := map[string]int64{}
	for _, q := range a.Quantities {
		out[q.Metric] = q.Value
	}
	return out
}

func TestParseActivityRowGoodRows(t *testing.T) {
	prog := sheetProgramme()
	h := sheetHeader(t, prog)
	base := sheetBaseRow()
	groupC, _ := prog.TaskGroup("c")
	groupD, _ := prog.TaskGroup("d")

	// want starts from the base row's activity; each case says what it changes.
	type want struct {
		unit        int64
		date        time.Time
		group       string
		kind        ActivityKind
		quantities  map[string]int64
		benef       []string
		source, ref string
	}
	baseWant := want{unit: sheetThuDuc.ID, date: sheetDay(2023, 6, 15), group: "d", kind: KindTraining,
		quantities: map[string]int64{"trainees": 40, "training_enterprises": 3}}
	cases := []struct {
		name string
		row  map[string]string
		edit func(w *want)
	}{
		{"base row", base, func(w *want) {}},
		{"unit by code, lower case", sheetWith(base, ColUnit, "hcm-thuduc"), func(w *want) {}},
		{"unit by name", sheetWith(base, ColUnit, "Ủy ban nhân dân Thành phố Thủ Đức"), func(w *want) {}},
		{"unit by name, lower case", sheetWith(base, ColUnit, "ủy ban nhân dân thành phố thủ đức"), func(w *want) {}},
		{"unit by name, decomposed (NFD)", sheetWith(base, ColUnit, "U\u0309y ban nhân dân Thành phố Thu\u0309 Đư\u0301c"), func(w *want) {}},
		{"another unit by code", sheetWith(base, ColUnit, "HCM-SKHCN"), func(w *want) { w.unit = sheetDept.ID }},
		{"date dd/mm/yyyy", sheetWith(base, ColDate, "31/12/2022"), func(w *want) { w.date = sheetDay(2022, 12, 31) }},
		{"date d/m/yyyy", sheetWith(base, ColDate, "1/6/2023"), func(w *want) { w.date = sheetDay(2023, 6, 1) }},
		{"date yyyy-mm-dd", sheetWith(base, ColDate, "2022-12-31"), func(w *want) { w.date = sheetDay(2022, 12, 31) }},
		// Excel's serial: days since 30/12/1899. 31/12/2022 is 44926.
		{"date as Excel serial", sheetWith(base, ColDate, "44926"), func(w *want) { w.date = sheetDay(2022, 12, 31) }},
		{"date and time as Excel serial", sheetWith(base, ColDate, "44926.75"), func(w *want) { w.date = sheetDay(2022, 12, 31) }},
		{"serial of 01/01/2021", sheetWith(base, ColDate, "44197"), func(w *want) { w.date = sheetDay(2021, 1, 1) }},
		{"last day Thủ Đức was open", sheetWith(base, ColDate, "30/06/2025"), func(w *want) { w.date = sheetDay(2025, 6, 30) }},
		{"group c", sheetWith(base, ColTaskGroup, "c"), func(w *want) { w.group = "c" }},
		{"group C", sheetWith(base, ColTaskGroup, "C"), func(w *want) { w.group = "c" }},
		{"group c) as a template offers it", sheetWith(base, ColTaskGroup, TaskGroupChoice(groupC)), func(w *want) { w.group = "c" }},
		{"group c) with the name cut short", sheetWith(base, ColTaskGroup, "c) Hỗ trợ …"), func(w *want) { w.group = "c" }},
		{"group by name", sheetWith(base, ColTaskGroup, groupD.Name), func(w *want) { w.group = "d" }},
		{"group by name without diacritics", sheetWith(base, ColTaskGroup, SearchKey(groupD.Name)), func(w *want) { w.group = "d" }},
		{"group đ", sheetWith(base, ColTaskGroup, "đ"), func(w *want) { w.group = "đ" }},
		{"group Đ", sheetWith(base, ColTaskGroup, "Đ"), func(w *want) { w.group = "đ" }},
		{"group d is not đ", sheetWith(base, ColTaskGroup, "D"), func(w *want) { w.group = "d" }},
		{"kind by label", sheetWith(base, ColKind, "tập huấn, đào tạo"), func(w *want) {}},
		{"kind by label, capitals", sheetWith(base, ColKind, "Tập huấn, Đào tạo"), func(w *want) {}},
		{"kind by label, no diacritics", sheetWith(base, ColKind, "tap huan, dao tao"), func(w *want) {}},
		{"kind by code, upper case", sheetWith(base, ColKind, "TRAINING"), func(w *want) {}},
		{"kind expert training by label", sheetWith(base, ColKind, "đào tạo chuyên gia"), func(w *want) { w.kind = KindExpertCourse }},
		{"quantity plain", sheetWith(base, "q:trainees", "16192"), func(w *want) { w.quantities["trainees"] = 16192 }},
		{"quantity with dots", sheetWith(base, "q:trainees", "16.192"), func(w *want) { w.quantities["trainees"] = 16192 }},
		{"quantity with a space", sheetWith(base, "q:trainees", "12 581"), func(w *want) { w.quantities["trainees"] = 12581 }},
		{"quantity with a no-break space", sheetWith(base, "q:trainees", "12\u00a0581"), func(w *want) { w.quantities["trainees"] = 12581 }},
		{"quantity of a million", sheetWith(base, "q:trainees", "1.000.000"), func(w *want) { w.quantities["trainees"] = 1_000_000 }},
		{"quantity at the bound", sheetWith(base, "q:trainees", "1.000.000.000"), func(w *want) { w.quantities["trainees"] = MaxQuantity }},
		{"quantity zero is kept (it may correct a figure)", sheetWith(base, "q:trainees", "0"), func(w *want) { w.quantities["trainees"] = 0 }},
		{"quantity empty is left out", sheetWith(base, "q:trainees", ""), func(w *want) { delete(w.quantities, "trainees") }},
		{"indicator by its title", sheetWith(base, "q:enterprises_supported", "7"), func(w *want) { w.quantities["enterprises_supported"] = 7 }},
		{"beneficiaries", sheetWith(base, ColBeneficiaries, "0301234567; 0301234567-001"), func(w *want) { w.benef = []string{"0301234567", "0301234567-001"} }},
		{"beneficiaries on lines", sheetWith(base, ColBeneficiaries, "0301234567\n0312345678,0301234567-002"), func(w *want) {
			w.benef = []string{"0301234567", "0312345678", "0301234567-002"}
		}},
		{"source", sheetWith(base, ColSource, "  Công văn 12/UBND  "), func(w *want) { w.source = "Công văn 12/UBND" }},
		{"explicit row key", sheetWith(base, ColRef, "TD-2023-001"), func(w *want) { w.ref = "TD-2023-001" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := baseWant
			w.quantities = maps.Clone(baseWant.quantities)
			tc.edit(&w)
			a, errs := ParseActivityRow(sheetRules(prog), h, sheetRow(tc.row))
			if len(errs) > 0 {
				t.Fatalf("good row refused: %+v", errs)
			}
			if a.UnitID != w.unit {
				t.Errorf("unit %d, want %d", a.UnitID, w.unit)
			}
			if !a.Date.Equal(w.date) {
				t.Errorf("date %v, want %v", a.Date, w.date)
			}
			if a.TaskGroup != w.group {
				t.Errorf("task group %q, want %q", a.TaskGroup, w.group)
			}
			if a.Kind != w.kind {
				t.Errorf("kind %q, want %q", a.Kind, w.kind)
			}
			if a.Description != NormalizeText(tc.row[ColDescription]) {
				t.Errorf("description %q, want %q", a.Description, tc.row[ColDescription])
			}
			if got := sheetQuantities(a); !maps.Equal(got, w.quantities) {
				t.Errorf("quantities %v, want %v", got, w.quantities)
			}
			if strings.Join(a.Beneficiaries, ",") != strings.Join(w.benef, ",") {
				t.Errorf("beneficiaries %q, want %q", a.Beneficiaries, w.benef)
			}
			if a.Source != w.source {
				t.Errorf("source %q, want %q", a.Source, w.source)
			}
			switch {
			case w.ref != "" && a.Ref != w.ref:
				t.Errorf("row key %q, want the sheet's %q", a.Ref, w.ref)
			case w.ref == "" && !strings.HasPrefix(a.Ref, "auto:"):
				t.Errorf("row key %q, want a derived auto:… key", a.Ref)
			}
			// What the sheet accepts, the domain accepts.
			if err := ValidateActivity(&a, prog); err != nil {
				t.Errorf("accepted row fails ValidateActivity: %v", err)
			}
		})
	}
}

func TestParseActivityRowBadRows(t *testing.T) {
	prog := sheetProgramme()
	h := sheetHeader(t, prog)
	base := sheetBaseRow()
	const (
		unitCol    = "Đơn vị"
		dateCol    = "Ngày thực hiện"
		groupCol   = "Nhóm nhiệm vụ"
		kindCol    = "Loại hoạt động"
		descCol    = "Nội dung hoạt động"
		benefCol   = "Mã số thuế doanh nghiệp hưởng lợi"
		sourceCol  = "Nguồn, ghi chú"
		refCol     = "Mã dòng"
		traineeCol = "Học viên được tập huấn, bồi dưỡng (học viên)"
	)
	thuDucReporter := User{Role: RoleReporter, UnitID: sheetThuDuc.ID}
	onlyThuDuc := func(r *RowRules) {
		r.MayWrite = func(unitID int64, day time.Time) error { return thuDucReporter.WriteRefusal(unitID, day, nil) }
	}
	// Thủ Đức's report for the first half of 2023 waits for review.
	locked := func(r *RowRules) {
		locks := []PeriodLock{{Submission: Submission{UnitID: sheetThuDuc.ID, Status: StatusSubmitted}, Start: sheetDay(2023, 1, 1), End: sheetDay(2023, 6, 30)}}
		r.MayWrite = func(unitID int64, day time.Time) error { return thuDucReporter.WriteRefusal(unitID, day, locks) }
	}
	deptTemplate := func(r *RowRules) { onlyThuDuc(r); r.DefaultUnit = &sheetDept }
	round2022 := func(r *RowRules) { r.PeriodStart, r.PeriodEnd = sheetDay(2022, 1, 1), sheetDay(2022, 12, 31) }
	cases := []struct {
		name   string
		rules  func(*RowRules)
		row    map[string]string
		column string
		says   string // a word the Vietnamese message holds
	}{
		{"unknown unit", nil, sheetWith(base, ColUnit, "HCM-KHONGCO"), unitCol, "HCM-KHONGCO"},
		{"no unit", nil, sheetWith(base, ColUnit, ""), unitCol, "đơn vị"},
		{"unit the user may not write", onlyThuDuc, sheetWith(base, ColUnit, "HCM-SKHCN"), unitCol, sheetDept.Name},
		{"template's unit the user may not write", deptTemplate, sheetWith(base, ColUnit, ""), unitCol, sheetDept.Name},
		{"period waiting for review", locked, base, unitCol, "chờ duyệt"},
		{"date before the round's period", round2022, sheetWith(base, ColDate, "31/12/2021"), dateCol, "kỳ báo cáo"},
		{"date after the round's period", round2022, sheetWith(base, ColDate, "15/06/2023"), dateCol, "kỳ báo cáo"},
		{"date before the programme", nil, sheetWith(base, ColDate, "31/12/2020"), dateCol, "2021–2030"},
		{"date after the programme", nil, sheetWith(base, ColDate, "01/01/2031"), dateCol, "2021–2030"},
		{"serial date before the programme", nil, sheetWith(base, ColDate, "44196"), dateCol, "31/12/2020"},
		{"unit closed on that date", nil, sheetWith(base, ColDate, "01/07/2025"), unitCol, "01/07/2025"},
		{"merged department after its merger", nil, sheetWith(sheetWith(base, ColUnit, "HCM-SNNPTNT"), ColDate, "15/03/2025"), unitCol, "15/03/2025"},
		{"no such date", nil, sheetWith(base, ColDate, "31/02/2023"), dateCol, "31/02/2023"},
		{"not a date", nil, sheetWith(base, ColDate, "hôm qua"), dateCol, "hôm qua"},
		{"no date", nil, sheetWith(base, ColDate, ""), dateCol, "ngày"},
		{"unknown group", nil, sheetWith(base, ColTaskGroup, "z"), groupCol, `"z"`},
		{"unknown group name", nil, sheetWith(base, ColTaskGroup, "Hỗ trợ chung"), groupCol, "Hỗ trợ chung"},
		{"no group", nil, sheetWith(base, ColTaskGroup, ""), groupCol, "nhóm"},
		{"unknown kind", nil, sheetWith(base, ColKind, "liên hoan"), kindCol, "liên hoan"},
		{"empty description", nil, sheetWith(base, ColDescription, ""), descCol, "nội dung"},
		{"blank description", nil, sheetWith(base, ColDescription, "   "), descCol, "nội dung"},
		{"description too long", nil, sheetWith(base, ColDescription, strings.Repeat("ạ", MaxDescription+1)), descCol, "4000"},
		{"Vietnamese fraction", nil, sheetWith(base, "q:trainees", "1.234,5"), traineeCol, "1.234,5"},
		{"fraction with a comma", nil, sheetWith(base, "q:trainees", "12,5"), traineeCol, "12,5"},
		{"negative quantity", nil, sheetWith(base, "q:trainees", "-5"), traineeCol, "âm"},
		{"fraction with a point", nil, sheetWith(base, "q:trainees", "12.5"), traineeCol, "12.5"},
		{"quantity over the bound", nil, sheetWith(base, "q:trainees", "1.000.000.001"), traineeCol, "1.000.000.000"},
		{"words for a quantity", nil, sheetWith(base, "q:trainees", "bốn mươi"), traineeCol, "bốn mươi"},
		{"bad tax code", nil, sheetWith(base, ColBeneficiaries, "0301234567; 03012345"), benefCol, "03012345"},
		{"tax code with a bad branch", nil, sheetWith(base, ColBeneficiaries, "0301234567-1"), benefCol, "0301234567-1"},
		{"source too long", nil, sheetWith(base, ColSource, strings.Repeat("x", 501)), sourceCol, "500"},
		{"row key too long", nil, sheetWith(base, ColRef, strings.Repeat("x", 201)), refCol, "200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rules := sheetRules(prog)
			if tc.rules != nil {
				tc.rules(&rules)
			}
			_, errs := ParseActivityRow(rules, h, sheetRow(tc.row))
			if len(errs) != 1 {
				t.Fatalf("want one error on %q, got %d: %+v", tc.column, len(errs), errs)
			}
			e := errs[0]
			if e.Column != tc.column {
				t.Errorf("error on column %q, want %q (%s)", e.Column, tc.column, e.Message)
			}
			if !strings.Contains(strings.ToLower(e.Message), strings.ToLower(tc.says)) {
				t.Errorf("message %q does not say %q", e.Message, tc.says)
			}
			if e.English == "" || e.English == e.Message {
				t.Errorf("no English message: %+v", e)
			}
		})
	}

	// Every bad cell of a row is named, each once.
	row := map[string]string{ColUnit: "HCM-KHONGCO", ColDate: "32/13/2023", ColTaskGroup: "z", ColKind: "?",
		ColDescription: "", "q:trainees": "1.234,5", "q:training_enterprises": "-5", ColBeneficiaries: "123"}
	_, errs := ParseActivityRow(sheetRules(prog), h, sheetRow(row))
	var cols []string
	for _, e := range errs {
		cols = append(cols, e.Column)
	}
	want := []string{unitCol, dateCol, groupCol, kindCol, descCol,
		"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng (lượt doanh nghiệp)", traineeCol, benefCol}
	if strings.Join(cols, "|") != strings.Join(want, "|") {
		t.Errorf("errors on\n %q\nwant\n %q", cols, want)
	}
}

// A tax code listed twice in one cell is refused by ValidateActivity (and so
// by the store, at the write pass); the sheet must refuse it as a cell error
// so that the check pass lists it with its column.
func TestParseActivityRowRefusesATaxCodeListedTwice(t *testing.T) {
	prog := sheetProgramme()
	a, errs := ParseActivityRow(sheetRules(prog), sheetHeader(t, prog), sheetRow(sheetWith(sheetBaseRow(), ColBeneficiaries, "0301234567; 0301234567")))
	if len(errs) != 1 || errs[0].Column != "Mã số thuế doanh nghiệp hưởng lợi" {
		t.Errorf("tax code twice: errors %+v, want one on the beneficiaries column (ValidateActivity says: %v)", errs, ValidateActivity(&a, prog))
	}
}

func TestParseActivityRowDefaultUnit(t *testing.T) {
	prog := sheetProgramme()
	rules := sheetRules(prog)
	rules.DefaultUnit = &sheetThuDuc
	a, errs := ParseActivityRow(rules, sheetHeader(t, prog), sheetRow(sheetWith(sheetBaseRow(), ColUnit, "")))
	if len(errs) > 0 || a.UnitID != sheetThuDuc.ID {
		t.Errorf("empty unit cell with a template's unit: unit %d, errors %+v", a.UnitID, errs)
	}
}

func TestDerivedRowKey(t *testing.T) {
	prog := sheetProgramme()
	h := sheetHeader(t, prog)
	ref := func(row map[string]string) string {
		t.Helper()
		a, errs := ParseActivityRow(sheetRules(prog), h, sheetRow(row))
		if len(errs) > 0 {
			t.Fatalf("row refused: %+v", errs)
		}
		return a.Ref
	}
	base := sheetBaseRow()
	first := ref(base)
	if !strings.HasPrefix(first, "auto:") || len(first) != len("auto:")+16 {
		t.Errorf("derived key %q, want auto: and 16 hex digits", first)
	}
	if again := ref(base); again != first {
		t.Errorf("the same row twice: %q then %q", first, again)
	}
	same := []struct {
		name string
		row  map[string]string
	}{
		{"changed quantity", sheetWith(base, "q:trainees", "41")},
		{"quantity added", sheetWith(base, "q:enterprises_supported", "2")},
		{"beneficiaries added", sheetWith(base, ColBeneficiaries, "0301234567")},
		{"source changed", sheetWith(base, ColSource, "Báo cáo quý II")},
		{"unit by name instead of code", sheetWith(base, ColUnit, sheetThuDuc.Name)},
		{"date written as yyyy-mm-dd", sheetWith(base, ColDate, "2023-06-15")},
		{"date as a serial", sheetWith(base, ColDate, "45092")},
		{"kind by label", sheetWith(base, ColKind, "tập huấn, đào tạo")},
		{"group as the template offers it", sheetWith(base, ColTaskGroup, "d) Đào tạo nguồn nhân lực")},
		{"description in other case, spacing", sheetWith(base, ColDescription, "  LỚP TẬP HUẤN công cụ  cải tiến năng suất")},
	}
	for _, tc := range same {
		if got := ref(tc.row); got != first {
			t.Errorf("%s: key %q, want the same %q", tc.name, got, first)
		}
	}
	changed := []struct {
		name string
		row  map[string]string
	}{
		{"changed description", sheetWith(base, ColDescription, "Lớp tập huấn 5S")},
		{"another unit", sheetWith(base, ColUnit, "HCM-SKHCN")},
		{"another date", sheetWith(base, ColDate, "16/06/2023")},
		{"another group", sheetWith(base, ColTaskGroup, "c")},
		{"another kind", sheetWith(base, ColKind, "workshop")},
	}
	for _, tc := range changed {
		if got := ref(tc.row); got == first {
			t.Errorf("%s: key unchanged %q", tc.name, got)
		}
	}
	if got := ref(sheetWith(base, ColRef, "  TD-2023/001 ")); got != "TD-2023/001" {
		t.Errorf("explicit row key: %q, want it as is (trimmed) %q", got, "TD-2023/001")
	}
}

// FuzzSheetQuantity: sheetQuantity never panics, refuses with an EINVALID
// *Error (ParseActivityRow asserts the type), and what it accepts is a
// count within bounds that reads back the same as vnfmt writes it.
func FuzzSheetQuantity(f *testing.F) {
	for _, s := range []string{"16192", "16.192", "12 581", "1.234,5", "-5", "12.5", "0", "", " 7 ", "1.000.000.000",
		"1.000.000.001", "999999999999999999999", "12\u00a0581", "1,5", "1.5e3", "٣", "0x10", "+5", "1..000", ".5", "00.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := sheetQuantity(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID || e.Message == "" {
				t.Fatalf("sheetQuantity(%q): error %#v, want an EINVALID *Error", s, err)
			}
			return
		}
		if n < 0 || n > MaxQuantity {
			t.Fatalf("sheetQuantity(%q) = %d, outside 0…%d", s, n, MaxQuantity)
		}
		back, err := sheetQuantity(vnfmt.Int(n))
		if err != nil || back != n {
			t.Fatalf("sheetQuantity(%q) = %d, but vnfmt.Int gives %q which reads %d, %v", s, n, vnfmt.Int(n), back, err)
		}
	})
}

// FuzzSheetDate: sheetDate never panics, and a date it accepts is a day
// (midnight UTC) that reads back the same written as dd/mm/yyyy, in
// either date system of workbooks.
func FuzzSheetDate(f *testing.F) {
	for _, s := range []string{"31/12/2022", "2022-12-31", "44926", "44926.75", "1/6/2023", "1", "2958465", "2958466", "0",
		"-1", "1e5", "NaN", "Inf", "31/02/2023", "0001-01-01", "29/02/2024", "29/02/2023", "0x1p15", "60", "hôm qua", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		d, ok := sheetDate(s, date1904)
		if !ok {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("sheetDate(%q, %v) = %v, want midnight UTC", s, date1904, d)
		}
		text := d.Format("02/01/2006")
		back, ok := sheetDate(text, date1904)
		if !ok || !back.Equal(d) {
			t.Fatalf("sheetDate(%q, %v) = %v, written %q reads back %v, %v", s, date1904, d, text, back, ok)
		}
	})
}

// A workbook of the 1904 date system (old Mac Excel) counts from
// 01/01/1904: 31/12/2022 is 44926 − 1462 = 43464 there.
func TestSheetDate1904(t *testing.T) {
	prog := sheetProgramme()
	rules := sheetRules(prog)
	rules.Date1904 = true
	h := sheetHeader(t, prog)
	for in, want := range map[string]time.Time{"43464": sheetDay(2022, 12, 31), "31/12/2022": sheetDay(2022, 12, 31), "2023-06-15": sheetDay(2023, 6, 15)} {
		a, errs := ParseActivityRow(rules, h, sheetRow(sheetWith(sheetBaseRow(), ColDate, in)))
		if len(errs) > 0 || !a.Date.Equal(want) {
			t.Errorf("1904 workbook, date %q: %v, %+v; want %v", in, a.Date, errs, want)
		}
	}
}

// FuzzParseActivityRow: random cells under a fixed header never panic, and
// a row accepted without errors passes ValidateActivity (the store's check):
// the check pass must not accept what the write pass will refuse.
func FuzzParseActivityRow(f *testing.F) {
	f.Add("HCM-THUDUC", "15/06/2023", "d", "training", "Lớp tập huấn", "40", "3", "0301234567; 0301234567-001", "", "")
	f.Add("ủy ban nhân dân thành phố thủ đức", "44926", "c) Hỗ trợ …", "tập huấn, đào tạo", "Tư vấn ISO 9001", "16.192", "12 581", "", "Công văn 12", "TD-1")
	f.Add("HCM-SKHCN", "2022-12-31", "Đ", "lab_support", "Phòng thử nghiệm", "0", "", "0312345678", "", "")
	f.Add("HCM-SNNPTNT", "01/03/2025", "đ", "other", "x", "1.234,5", "-5", "03012345", "", "")
	f.Add("", "", "", "", "", "", "", "", "", "")
	f.Add("HCM-THUDUC", "31/12/2020", "z", "?", " ", "12.5", "1e3", ";;,", strings.Repeat("n", 501), strings.Repeat("r", 201))
	prog := sheetProgramme()
	h := MatchHeader(ActivityColumns(prog), prog, sheetHeading)
	f.Fuzz(func(t *testing.T, unit, date, group, kind, desc, trainees, training, benef, source, ref string) {
		row := sheetRow(map[string]string{ColUnit: unit, ColDate: date, ColTaskGroup: group, ColKind: kind, ColDescription: desc,
			"q:trainees": trainees, "q:training_enterprises": training, ColBeneficiaries: benef, ColSource: source, ColRef: ref})
		a, errs := ParseActivityRow(sheetRules(prog), h, row)
		for _, e := range errs {
			if e.Column == "" || e.Message == "" || e.English == "" {
				t.Fatalf("cell error without column or message: %+v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		if a.Ref == "" || utf8.RuneCountInString(a.Ref) > 200 {
			t.Fatalf("accepted row has row key %q", a.Ref)
		}
		if a.UnitID == 0 {
			t.Fatalf("accepted row without a unit")
		}
		if err := ValidateActivity(&a, prog); err != nil {
			t.Fatalf("accepted row refused by ValidateActivity: %v\nrow %q\nactivity %+v", err, row, a)
		}
	})
}

// A row may take the row key of a stored activity only when that names
// the same activity: a key the system made always does; a unit's own key
// does within its unit and the round's period; and nobody takes the key of
// an activity they may not change.
func TestCheckKeyOwner(t *testing.T) {
	prog := sheetProgramme()
	h := sheetHeader(t, prog)
	rules := sheetRules(prog)
	rules.PeriodStart, rules.PeriodEnd = sheetDay(2023, 1, 1), sheetDay(2023, 12, 31)
	focal := User{Role: RoleFocal}
	rules.MayWrite = func(unitID int64, day time.Time) error {
		locks := []PeriodLock{{Submission: Submission{UnitID: sheetAgri.ID, Status: StatusApproved}, Start: sheetDay(2022, 1, 1), End: sheetDay(2022, 12, 31)}}
		return focal.WriteRefusal(unitID, day, locks)
	}
	p := NewRowParser(rules, h)
	row := func(ref string) Activity {
		a, errs := p.Parse(sheetRow(sheetWith(sheetBaseRow(), ColRef, ref)))
		if len(errs) > 0 {
			t.Fatalf("row refused: %+v", errs)
		}
		return a
	}
	stored := func(unit OrgUnit, day time.Time) Activity { return Activity{ID: 7, UnitID: unit.ID, Date: day} }
	cases := []struct {
		name   string
		ref    string
		stored Activity
		says   string // "" when the row may update the stored activity
	}{
		{"own key, same unit and period", "TD-1", stored(sheetThuDuc, sheetDay(2023, 3, 1)), ""},
		{"own key of another unit", "1", stored(sheetDept, sheetDay(2023, 3, 1)), "đơn vị khác"},
		{"own key of last year's round", "1", stored(sheetThuDuc, sheetDay(2022, 3, 1)), "ngoài kỳ báo cáo"},
		{"issued key moves to another unit", RefIssued + "7-a1b2c3", stored(sheetDept, sheetDay(2023, 3, 1)), ""},
		{"issued key of another period", RefIssued + "7-a1b2c3", stored(sheetThuDuc, sheetDay(2022, 3, 1)), ""},
		{"derived key of another unit", RefDerived + "0011223344556677", stored(sheetDept, sheetDay(2023, 3, 1)), ""},
		{"issued key of an approved period", RefIssued + "7-a1b2c3", stored(sheetAgri, sheetDay(2022, 5, 1)), "đã được duyệt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := p.CheckKeyOwner(row(c.ref), c.stored)
			switch {
			case c.says == "" && e != nil:
				t.Errorf("refused: %+v", e)
			case c.says != "" && e == nil:
				t.Errorf("taken, want a refusal saying %q", c.says)
			case e != nil && (!strings.Contains(e.Message, c.says) || e.Column != "Mã dòng" || e.English == ""):
				t.Errorf("refusal %+v, want one on “Mã dòng” saying %q", e, c.says)
			}
		})
	}
}

// What a sheet has no column for stays as stored on an update; what it
// has a column for, even empty, is the sheet's.
func TestKeepAbsent(t *testing.T) {
	prog := sheetProgramme()
	stored := Activity{Source: "Công văn 12", Beneficiaries: []string{"0301234567"},
		Quantities: []Quantity{{Metric: "trainees", Value: 40}, {Metric: "labs_strengthened", Value: 2}}}
	// A sheet with the trainees column but neither the labs column, nor
	// beneficiaries, nor source.
	h := MatchHeader(ActivityColumns(prog), prog, []string{"Đơn vị", "Ngày thực hiện", "Nhóm nhiệm vụ", "Loại hoạt động", "Nội dung hoạt động", "trainees", "STT"})
	a := Activity{Quantities: []Quantity{{Metric: "trainees", Value: 0}}}
	h.KeepAbsent(stored, &a)
	if got := sheetQuantities(a); !maps.Equal(got, map[string]int64{"trainees": 0, "labs_strengthened": 2}) {
		t.Errorf("quantities %v: want the sheet's trainees 0 and the stored labs 2", got)
	}
	if a.Source != stored.Source || len(a.Beneficiaries) != 1 {
		t.Errorf("source %q, beneficiaries %q: want the stored ones", a.Source, a.Beneficiaries)
	}
	if h.Ignored[6] != "STT" || len(h.Ignored) != 1 {
		t.Errorf("ignored headings %v, want column 6 “STT”", h.Ignored)
	}
	// The full heading row: every column present, an empty cell clears.
	full := MatchHeader(ActivityColumns(prog), prog, sheetHeading)
	b := Activity{}
	full.KeepAbsent(stored, &b)
	if got := sheetQuantities(b); b.Source != "" || len(b.Beneficiaries) != 0 || !maps.Equal(got, map[string]int64{"labs_strengthened": 2}) {
		t.Errorf("with every column but labs: %+v", b)
	}
}

func TestColumnOf(t *testing.T) {
	for field, want := range map[string]string{"date": ColDate, "quantities.trainees": "q:trainees", "beneficiaries.2": ColBeneficiaries, "": ColUnit, "ref": ColRef} {
		if got := ColumnOf(field); got != want {
			t.Errorf("ColumnOf(%q) = %q, want %q", field, got, want)
		}
	}
}
