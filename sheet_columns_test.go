package nscl

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// A unit's own sheet: the template's columns but the enterprises trained
// under its own heading, and a row-number column.
var ownHeading = []string{"STT", "Đơn vị", "Ngày thực hiện", "Nhóm nhiệm vụ", "Nội dung hoạt động", "Số DN tập huấn", "trainees"}

func ownRow(dn, trainees string) []string {
	return []string{"1", "HCM-THUDUC", "15/06/2023", "d", "Lớp tập huấn 5S", dn, trainees}
}

// A value under a heading nobody has decided is refused, marked Unknown;
// an empty cell there is not. Once the column is read as a metric its
// values are that metric's, checked as any figure; once passed over, they
// are not read. The row-number column is passed over on its own.
func TestUndecidedColumnIsReadOnlyOnceDecided(t *testing.T) {
	prog := sheetProgramme()
	h := MatchHeader(ActivityColumns(prog), prog, ownHeading)
	if !h.Undecided[0] || !h.Undecided[5] || len(h.Undecided) != 2 {
		t.Fatalf("undecided %v, want columns 0 (STT) and 5 (Số DN tập huấn)", h.Undecided)
	}
	undecided, err := h.Resolve(prog, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(undecided.Undecided, map[int]bool{5: true}) {
		t.Errorf("after Resolve with nothing decided: undecided %v, want only column 5: STT is a row number", undecided.Undecided)
	}
	a, errs := ParseActivityRow(sheetRules(prog), undecided, ownRow("14", "40"))
	if len(errs) != 1 || !errs[0].Unknown || errs[0].Column != "Số DN tập huấn" || !strings.Contains(errs[0].Message, `"14"`) {
		t.Fatalf("a figure under an undecided heading: %+v, want one Unknown error on “Số DN tập huấn”", errs)
	}
	if _, errs := ParseActivityRow(sheetRules(prog), undecided, ownRow("", "40")); len(errs) != 0 {
		t.Errorf("an empty cell under an undecided heading: %+v", errs)
	}

	mapped, err := h.Resolve(prog, func(heading string) (string, bool) {
		if heading == "Số DN tập huấn" {
			return "training_enterprises", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	a, errs = ParseActivityRow(sheetRules(prog), mapped, ownRow("14", "40"))
	if len(errs) != 0 || !maps.Equal(sheetQuantities(a), map[string]int64{"training_enterprises": 14, "trainees": 40}) {
		t.Errorf("read as training_enterprises: %v %+v", sheetQuantities(a), errs)
	}
	for _, bad := range []string{"-5", "mười"} {
		_, errs := ParseActivityRow(sheetRules(prog), mapped, ownRow(bad, "40"))
		if len(errs) != 1 || errs[0].Column != "Số DN tập huấn" || errs[0].Unknown {
			t.Errorf("%q under the mapped heading: %+v, want one error on “Số DN tập huấn”", bad, errs)
		}
	}
	// A stored figure of the mapped metric is the sheet's now: an empty cell clears it.
	b := Activity{}
	mapped.KeepAbsent(Activity{Quantities: []Quantity{{Metric: "training_enterprises", Value: 9}, {Metric: "labs_strengthened", Value: 1}}}, &b)
	if got := sheetQuantities(b); !maps.Equal(got, map[string]int64{"labs_strengthened": 1}) {
		t.Errorf("KeepAbsent with the mapped column: %v, want only the labs the sheet has no column for", got)
	}

	passed, err := h.Resolve(prog, func(string) (string, bool) { return "", true })
	if err != nil {
		t.Fatal(err)
	}
	a, errs = ParseActivityRow(sheetRules(prog), passed, ownRow("mười", "40"))
	if len(errs) != 0 || !maps.Equal(sheetQuantities(a), map[string]int64{"trainees": 40}) {
		t.Errorf("passed over: %v %+v", sheetQuantities(a), errs)
	}

	// A metric the sheet already has, or one the programme lacks, cannot be chosen.
	for _, metric := range []string{"trainees", "no_such_metric"} {
		_, err := h.Resolve(prog, func(heading string) (string, bool) { return metric, heading == "Số DN tập huấn" })
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "Số DN tập huấn") {
			t.Errorf("mapped to %s: %v, want EINVALID naming the column", metric, err)
		}
	}
}

func TestHeadingCandidates(t *testing.T) {
	prog := sheetProgramme()
	codes := func(ms []Metric) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Code)
		}
		return out
	}
	for _, c := range []struct {
		heading string
		taken   map[string]bool
		first   string // "" for none
	}{
		{"Số DN tập huấn", nil, "training_enterprises"},
		{"SO DN TAP HUAN", nil, "training_enterprises"},
		{"Số học viên", nil, "trainees"},
		{"Số HV", nil, "trainees"},
		{"Phòng thử nghiệm được hỗ trợ", nil, "labs_strengthened"},
		{"Ghi chú", nil, ""},
		{"Số DN tập huấn", map[string]bool{"training_enterprises": true}, ""},
	} {
		got := codes(HeadingCandidates(prog, c.heading, c.taken))
		if c.taken != nil {
			// The metric taken is left out; the next ones still come.
			if slices.Contains(got, "training_enterprises") || !slices.Contains(got, "trainees") {
				t.Errorf("%q with training_enterprises taken: %q", c.heading, got)
			}
			continue
		}
		switch {
		case c.first == "" && len(got) != 0:
			t.Errorf("%q: candidates %q, want none", c.heading, got)
		case c.first != "" && (len(got) == 0 || got[0] != c.first):
			t.Errorf("%q: candidates %q, want %s first", c.heading, got, c.first)
		case len(got) > 3 || slices.ContainsFunc(got, func(code string) bool { return c.taken[code] }):
			t.Errorf("%q: candidates %q: more than three, or one taken", c.heading, got)
		}
	}
}

// The default kind comes from the group's metrics, then its name.
func TestDefaultKind(t *testing.T) {
	prog := sheetProgramme()
	prog.Metrics = append(prog.Metrics,
		Metric{Code: "attendees", Kind: Measure, Rule: RuleSum, TaskGroup: "b", Unit: "đại biểu", Name: "Đại biểu dự hội thảo, hội nghị"},
		Metric{Code: "experts", Kind: Indicator, Rule: RuleSum, TaskGroup: "d", Unit: "lượt chuyên gia", Name: "Huấn luyện bồi dưỡng kiến thức cho chuyên gia"})
	want := map[string]ActivityKind{"a": KindOther, "b": KindWorkshop, "c": KindConsulting, "d": KindTraining, "đ": KindLabSupport, "e": KindOther}
	for letter, kind := range want {
		if got := prog.DefaultKind(letter); got != kind {
			t.Errorf("group %s: %s, want %s", letter, got, kind)
		}
	}
	// A group whose only metric counts experts trains experts.
	prog.Metrics = slices.DeleteFunc(prog.Metrics, func(m Metric) bool { return m.Code == "training_enterprises" || m.Code == "trainees" })
	if got := prog.DefaultKind("d"); got != KindExpertCourse {
		t.Errorf("group d counting experts only: %s", got)
	}

	// A row that leaves the kind empty takes its group's.
	full := sheetProgramme()
	h := MatchHeader(ActivityColumns(full), full, []string{"Đơn vị", "Ngày thực hiện", "Nhóm nhiệm vụ", "Nội dung hoạt động", "Loại hoạt động"})
	for group, kind := range map[string]ActivityKind{"d": KindTraining, "c": KindConsulting, "a": KindOther} {
		a, errs := ParseActivityRow(sheetRules(full), h, []string{"HCM-THUDUC", "15/06/2023", group, "Hoạt động", ""})
		if len(errs) != 0 || a.Kind != kind {
			t.Errorf("group %s without a kind: %q %+v, want %s", group, a.Kind, errs, kind)
		}
	}
}

func TestLooksAlike(t *testing.T) {
	day := sheetDay(2022, 6, 15)
	base := Activity{UnitID: 10, Date: day, TaskGroup: "d", Kind: KindTraining, Description: "Tập huấn 5S cho doanh nghiệp",
		Quantities: []Quantity{{Metric: "training_enterprises", Value: 14}, {Metric: "trainees", Value: 0}}}
	with := func(change func(*Activity)) Activity {
		a := base
		a.Quantities = slices.Clone(base.Quantities)
		change(&a)
		return a
	}
	for _, c := range []struct {
		name  string
		other Activity
		alike bool
	}{
		{"another kind", with(func(a *Activity) { a.Kind = KindConsulting }), true},
		{"description in other case, spacing and without diacritics", with(func(a *Activity) { a.Description = "TAP  HUAN 5s cho doanh nghiep " }), true},
		{"other words, same figures", with(func(a *Activity) {
			a.Description = "Lớp 5S"
			a.Quantities = []Quantity{{Metric: "training_enterprises", Value: 14}}
		}), true},
		{"other words, other figures", with(func(a *Activity) { a.Description = "Lớp 5S"; a.Quantities[0].Value = 15 }), false},
		{"other words, neither has a figure", with(func(a *Activity) { a.Description = "Lớp 5S"; a.Quantities = nil }), false},
		{"another day", with(func(a *Activity) { a.Date = day.AddDate(0, 0, 1) }), false},
		{"another group", with(func(a *Activity) { a.TaskGroup = "c" }), false},
		{"another unit", with(func(a *Activity) { a.UnitID = 11 }), false},
	} {
		stored := base
		if c.name == "other words, neither has a figure" {
			stored.Quantities = nil
		}
		if got := LooksAlike(c.other, stored); got != c.alike {
			t.Errorf("%s: LooksAlike %v, want %v", c.name, got, c.alike)
		}
	}
}

// Units are found by code, full name, short name and common name; a name
// two open units share names neither; an unknown name gets the nearest.
func TestUnitNames(t *testing.T) {
	ministry := OrgUnit{ID: 1, Code: "BKHCN", Name: "Bộ Khoa học và Công nghệ", Level: LevelMinistry}
	city := OrgUnit{ID: 2, ParentID: 1, Code: "HCM", Name: "Ủy ban nhân dân Thành phố Hồ Chí Minh", Level: LevelProvince}
	trade := OrgUnit{ID: 3, ParentID: 2, Code: "HCM-SCT", Name: "Sở Công Thương Thành phố Hồ Chí Minh", Level: LevelDepartment}
	q1 := OrgUnit{ID: 4, ParentID: 2, Code: "HCM-Q1", Name: "Ủy ban nhân dân Quận 1", ShortName: "Quận 1", Level: LevelDistrict}
	q10 := OrgUnit{ID: 5, ParentID: 2, Code: "HCM-Q10", Name: "Ủy ban nhân dân Quận 10", ShortName: "Quận 10", Level: LevelDistrict}
	thuDuc := OrgUnit{ID: 6, ParentID: 2, Code: "HCM-THUDUC", Name: "Ủy ban nhân dân Thành phố Thủ Đức", Level: LevelDistrict}
	hanoi := OrgUnit{ID: 7, ParentID: 1, Code: "HN", Name: "Ủy ban nhân dân Thành phố Hà Nội", Level: LevelProvince}
	tradeHN := OrgUnit{ID: 8, ParentID: 7, Code: "HN-SCT", Name: "Sở Công Thương Thành phố Hà Nội", Level: LevelDepartment}
	one := NewUnitNames([]OrgUnit{ministry, city, trade, q1, q10, thuDuc})
	for text, want := range map[string]OrgUnit{
		"hcm-q1": q1, "Ủy ban nhân dân Quận 1": q1, "quan 1": q1, "UBND Quận 1": q1, "Quận 10": q10,
		"Thành phố Thủ Đức": thuDuc, "UBND thành phố Thủ Đức": thuDuc,
		"Sở Công Thương": trade, "so cong thuong thanh pho ho chi minh": trade, "Thành phố Hồ Chí Minh": city,
	} {
		if got, ok := one.Find(text); !ok || got.ID != want.ID {
			t.Errorf("Find(%q) = %s, %v; want %s", text, got.Code, ok, want.Code)
		}
	}
	for text, first := range map[string]string{"Quan 01": "Quận 1 (HCM-Q1)", "Thủ Đúc": "Ủy ban nhân dân Thành phố Thủ Đức (HCM-THUDUC)", "Sở Công Thuong HCM": "Sở Công Thương Thành phố Hồ Chí Minh (HCM-SCT)"} {
		if _, ok := one.Find(text); ok {
			t.Errorf("Find(%q) found a unit", text)
		}
		if near := one.Nearest(text, 3); len(near) == 0 || near[0] != first {
			t.Errorf("Nearest(%q) = %q, want %q first", text, near, first)
		}
	}
	if near := one.Nearest("Bộ Quốc phòng xyz", 3); slices.Contains(near, "Quận 1 (HCM-Q1)") {
		t.Errorf("Nearest of a far name: %q", near)
	}

	// Two provinces: "Sở Công Thương" names either department, so neither.
	two := NewUnitNames([]OrgUnit{ministry, city, trade, hanoi, tradeHN})
	if u, ok := two.Find("Sở Công Thương"); ok {
		t.Errorf("Find of a name two units share: %s", u.Code)
	}
	if near := two.Nearest("Sở Công Thương", 3); !slices.Contains(near, "Sở Công Thương Thành phố Hà Nội (HN-SCT)") || !slices.Contains(near, "Sở Công Thương Thành phố Hồ Chí Minh (HCM-SCT)") {
		t.Errorf("Nearest of a shared name: %q, want both", near)
	}
}
