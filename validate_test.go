package nscl

import (
	"strings"
	"testing"
	"time"
)

func testProgramme() *Programme {
	p := &Programme{Code: "P", Name: "Chương trình", StartYear: 2021, EndYear: 2030}
	for i, name := range []string{"chính sách", "truyền thông", "hỗ trợ", "đào tạo", "phòng thử nghiệm", "hợp tác quốc tế"} {
		p.TaskGroups = append(p.TaskGroups, TaskGroup{Letter: GroupLetter(i), Name: name})
	}
	p.Metrics = []Metric{
		{Code: "training", Name: "Tập huấn", Unit: "lượt doanh nghiệp", Kind: Indicator, Rule: RuleSum, TaskGroup: "d"},
		{Code: "trainees", Name: "Học viên", Unit: "học viên", Kind: Measure, Rule: RuleSum, TaskGroup: "d"},
	}
	return p
}

func TestGroupLettersFollowVietnameseOrder(t *testing.T) {
	var got []string
	for i := 0; i < 8; i++ {
		got = append(got, GroupLetter(i))
	}
	if strings.Join(got, ",") != "a,b,c,d,đ,e,g,h" {
		t.Errorf("letters %v", got)
	}
	if LetterIndex("đ") != 4 || LetterIndex("f") != -1 {
		t.Errorf("LetterIndex(đ) = %d, LetterIndex(f) = %d", LetterIndex("đ"), LetterIndex("f"))
	}
	// "đ" typed as d + combining short stroke does not exist in Unicode, but
	// a decomposed "ế" must normalise to the precomposed one.
	if NormalizeText(" e\u0302\u0301 ") != "ế" {
		t.Errorf("NFC not applied: %q", NormalizeText(" e\u0302\u0301 "))
	}
}

func TestProgrammeValidate(t *testing.T) {
	if err := testProgramme().Validate(); err != nil {
		t.Fatalf("valid programme refused: %v", err)
	}
	bad := testProgramme()
	bad.TaskGroups[4].Letter = "e" // skipping đ
	if ErrorField(bad.Validate()) != "task_groups" {
		t.Errorf("task groups lettered a b c d e accepted: %v", bad.Validate())
	}
	bad = testProgramme()
	bad.Metrics[1].Code = "training"
	if ErrorField(bad.Validate()) != "metrics.training" {
		t.Errorf("duplicate metric code: %v", bad.Validate())
	}
}

func validActivity() *Activity {
	return &Activity{UnitID: 1, Date: time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: KindTraining,
		Description: "Lớp tập huấn", Quantities: []Quantity{{"training", 3}, {"trainees", 40}}, Beneficiaries: []string{"0301234567", "0301234567-001"}}
}

func TestValidateActivity(t *testing.T) {
	prog := testProgramme()
	if err := ValidateActivity(validActivity(), prog); err != nil {
		t.Fatalf("valid activity refused: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(a *Activity)
		field string
	}{
		{"negative quantity", func(a *Activity) { a.Quantities[1].Value = -1 }, "quantities.trainees"},
		{"huge quantity", func(a *Activity) { a.Quantities[0].Value = MaxQuantity + 1 }, "quantities.training"},
		{"unknown metric", func(a *Activity) { a.Quantities[0].Metric = "ghost" }, "quantities.ghost"},
		{"metric twice", func(a *Activity) { a.Quantities[1].Metric = "training" }, "quantities.training"},
		{"before the programme", func(a *Activity) { a.Date = time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC) }, "date"},
		{"after the programme", func(a *Activity) { a.Date = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }, "date"},
		{"no date", func(a *Activity) { a.Date = time.Time{} }, "date"},
		{"unknown task group", func(a *Activity) { a.TaskGroup = "z" }, "task_group"},
		{"unknown kind", func(a *Activity) { a.Kind = "party" }, "kind"},
		{"no unit", func(a *Activity) { a.UnitID = 0 }, "unit"},
		{"empty description", func(a *Activity) { a.Description = "" }, "description"},
		{"long description", func(a *Activity) { a.Description = strings.Repeat("ạ", MaxDescription+1) }, "description"},
		{"short tax code", func(a *Activity) { a.Beneficiaries[0] = "030123456" }, "beneficiaries.1"},
		{"letters in tax code", func(a *Activity) { a.Beneficiaries[1] = "03012345AB" }, "beneficiaries.2"},
		{"bad branch", func(a *Activity) { a.Beneficiaries[1] = "0301234567-01" }, "beneficiaries.2"},
		{"tax code twice", func(a *Activity) { a.Beneficiaries[1] = "0301234567" }, "beneficiaries.2"},
		{"an indicator before its first year", func(a *Activity) { a.Quantities = append(a.Quantities, Quantity{Metric: "certified", Value: 2}) }, "quantities.certified"},
	}
	// An indicator of the second phase: a figure of 2026 is taken, one of
	// an earlier year is not.
	prog.Metrics = append(prog.Metrics, Metric{Code: "certified", Name: "Chuyên gia được chứng nhận quốc tế", Unit: "chuyên gia", Kind: Indicator, Rule: RuleSum, TaskGroup: "d", FirstYear: 2026})
	later := validActivity()
	later.Date, later.Quantities = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), append(later.Quantities, Quantity{Metric: "certified", Value: 2})
	if err := ValidateActivity(later, prog); err != nil {
		t.Errorf("a 2026 figure of an indicator that begins in 2026: %v", err)
	}
	for _, c := range cases {
		a := validActivity()
		c.edit(a)
		err := ValidateActivity(a, prog)
		if ErrorCode(err) != EINVALID || ErrorField(err) != c.field {
			t.Errorf("%s: got %v (field %q), want EINVALID on %q", c.name, err, ErrorField(err), c.field)
			continue
		}
		e := err.(*Error)
		if e.Message == "" || e.English == "" {
			t.Errorf("%s: message must be in Vietnamese and English: %+v", c.name, e)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	good := map[string]int64{"0": 0, "963": 963, "16.192": 16192, " 12 581 ": 12581, "1.000.000": 1000000}
	for in, want := range good {
		if got, err := ParseQuantity("q", in); err != nil || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5", "12a", "1,5", "abc", "99999999999999999999", "1e6", "1.5", "12.34", "2 5", "1.000 000", ".5", "1..000"} {
		if _, err := ParseQuantity("quantities.trainees", in); ErrorField(err) != "quantities.trainees" {
			t.Errorf("ParseQuantity(%q) accepted or unnamed: %v", in, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, in := range []string{"2022-06-23", "23/06/2022", "23/6/2022"} {
		d, err := ParseDate("date", in)
		if err != nil || d.Format("2006-01-02") != "2022-06-23" {
			t.Errorf("ParseDate(%q) = %v, %v", in, d, err)
		}
	}
	for _, in := range []string{"31/02/2022", "2022/06/23", "hôm qua", ""} {
		if _, err := ParseDate("date", in); ErrorField(err) != "date" {
			t.Errorf("ParseDate(%q) accepted: %v", in, err)
		}
	}
}

func TestValidatePlan(t *testing.T) {
	prog := testProgramme()
	ok := Plan{Kind: FiveYearPlan, Name: "KH", UnitID: 1, StartYear: 2021, EndYear: 2025, Targets: []Target{{"training", 10000}},
		Allotments: []Allotment{{UnitID: 2, Metric: "training", Value: 4000}, {UnitID: 3, Metric: "training", Value: 0}}}
	if err := ValidatePlan(ok, prog); err != nil {
		t.Fatalf("valid plan refused: %v", err)
	}
	cases := []struct {
		name  string
		edit  func(p *Plan)
		field string
	}{
		{"unknown indicator", func(p *Plan) { p.Targets[0].Metric = "ghost" }, "targets.ghost"},
		{"target on a measure", func(p *Plan) { p.Targets[0].Metric = "trainees" }, "targets.trainees"},
		{"negative target", func(p *Plan) { p.Targets[0].Value = -1 }, "targets.training"},
		{"outside the programme", func(p *Plan) { p.EndYear = 2031 }, "end_year"},
		{"annual over two years", func(p *Plan) { p.Kind = AnnualPlan }, "end_year"},
		{"allotment of a target the plan does not set", func(p *Plan) { p.Allotments[0].Metric = "support" }, "allotments.2.support"},
		{"allotment of a measure", func(p *Plan) { p.Allotments[0].Metric = "trainees" }, "allotments.2.trainees"},
		{"allotment to the plan's own unit", func(p *Plan) { p.Allotments[1].UnitID = 1 }, "allotments.1.training"},
		{"allotment given twice", func(p *Plan) { p.Allotments[1].UnitID = 2 }, "allotments.2.training"},
		{"negative allotment", func(p *Plan) { p.Allotments[1].Value = -5 }, "allotments.3.training"},
		{"target removed while allotted", func(p *Plan) { p.Targets = nil }, "allotments.2.training"},
	}
	for _, c := range cases {
		p := ok
		p.Targets = append([]Target(nil), ok.Targets...)
		p.Allotments = append([]Allotment(nil), ok.Allotments...)
		c.edit(&p)
		if err := ValidatePlan(p, prog); ErrorField(err) != c.field {
			t.Errorf("%s: got %v, want an error on %q", c.name, err, c.field)
		}
	}
}

func TestDocumentCitation(t *testing.T) {
	d := Document{Type: "Quyết định", Number: "1322", Symbol: "QĐ-TTg", IssuedOn: time.Date(2020, 8, 31, 0, 0, 0, 0, time.UTC), Issuer: "Thủ tướng Chính phủ"}
	if got, want := d.Citation(), "Quyết định số 1322/QĐ-TTg ngày 31 tháng 8 năm 2020 của Thủ tướng Chính phủ"; got != want {
		t.Errorf("citation %q, want %q", got, want)
	}
	for date, want := range map[time.Time]string{
		time.Date(2021, 1, 11, 0, 0, 0, 0, time.UTC):  "11 tháng 01 năm 2021",
		time.Date(2022, 12, 8, 0, 0, 0, 0, time.UTC):  "08 tháng 12 năm 2022",
		time.Date(2022, 6, 23, 0, 0, 0, 0, time.UTC):  "23 tháng 6 năm 2022",
		time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC):   "01 tháng 3 năm 2021",
		time.Date(2022, 1, 21, 0, 0, 0, 0, time.UTC):  "21 tháng 01 năm 2022",
		time.Date(2020, 10, 23, 0, 0, 0, 0, time.UTC): "23 tháng 10 năm 2020",
	} {
		if got := LongDate(date); got != want {
			t.Errorf("LongDate(%s) = %q, want %q (as the report writes it)", date.Format("02/01/2006"), got, want)
		}
	}
}

func TestUnitTree(t *testing.T) {
	ministry := OrgUnit{Code: "B", Name: "Bộ", Level: LevelMinistry}
	province := OrgUnit{Code: "P", Name: "Tỉnh", Level: LevelProvince}
	district := OrgUnit{Code: "D", Name: "Quận", Level: LevelDistrict}
	if err := ValidateUnit(province, &ministry); err != nil {
		t.Errorf("province under ministry: %v", err)
	}
	if err := ValidateUnit(district, nil); ErrorField(err) != "parent" {
		t.Errorf("district without parent: %v", err)
	}
	if err := ValidateUnit(province, &district); ErrorField(err) != "parent" {
		t.Errorf("province under district: %v", err)
	}
	closed := OrgUnit{ClosedOn: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	if !closed.OpenOn(time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)) || closed.OpenOn(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a district closed on 1/7/2025 is open in 2022 and closed from that day")
	}
}

func TestSearchKey(t *testing.T) {
	cases := map[string]string{
		"Hà Nội":                  "ha noi",
		"Thành phố  Thủ Đức":      "thanh pho thu duc",
		"e\u0302\u0301 ĐỔI MỚI":   "e doi moi",
		"Tập huấn TCVN 9001:2015": "tap huan tcvn 9001:2015",
	}
	for in, want := range cases {
		if got := SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
}
