package demo

import (
	"strings"
	"time"

	"nscl"
)

// The 2025 reorganisation, which the seed report (2022) predates: on 1
// March 2025 the city merged its departments (Sở KHCN took in Sở TT-TT;
// Sở NN-PTNT became Sở Nông nghiệp và Môi trường), and on 1 July 2025 the
// city absorbed Bình Dương and Bà Rịa – Vũng Tàu and the district level
// was abolished, its wards and communes reporting to the city. The demo
// holds it so that a 2025 dashboard shows the new city while the 2022
// report stays the one published. Every figure given to these units is
// illustrative: its source says "minh họa".

// Unit codes of the merger.
const (
	UnitBinhDuong       = "BD"
	UnitBinhDuongDept   = "BD-SKHCN"
	UnitVungTau         = "BRVT"
	UnitVungTauDept     = "BRVT-SKHCN"
	UnitAgriEnvironment = "HCM-SNNMT"
)

var (
	departmentsMerged = day(2025, 3, 1)
	citiesMerged      = day(2025, 7, 1) // also the end of the district level
)

// illustrative is the source of every record the seed does not hold.
const illustrative = "Số liệu minh họa, không có trong báo cáo gốc"

// Illustrative reports whether a record's source marks it as made up for
// the demo rather than taken from the report.
func Illustrative(source string) bool { return strings.Contains(source, "minh họa") }

// wards2025 are the wards (phường) and communes (xã) that followed each
// district of 2022 on 1 July 2025. Illustrative and shortened: the real
// wards were formed from parts of several districts, and each district
// here is split, whole, into the wards that took most of it.
var wards2025 = []struct {
	district string // code of the 2022 district, as in districts2022 or Thủ Đức
	commune  bool   // xã rather than phường
	names    []string
}{
	{"Q1", false, []string{"Sài Gòn", "Tân Định", "Bến Thành", "Cầu Ông Lãnh"}},
	{"Q3", false, []string{"Bàn Cờ", "Xuân Hòa", "Nhiêu Lộc"}},
	{"Q4", false, []string{"Xóm Chiếu", "Khánh Hội", "Vĩnh Hội"}},
	{"Q5", false, []string{"Chợ Quán", "An Đông", "Chợ Lớn"}},
	{"Q6", false, []string{"Bình Tây", "Bình Tiên", "Bình Phú", "Phú Lâm"}},
	{"Q7", false, []string{"Tân Thuận", "Phú Thuận", "Tân Mỹ", "Tân Hưng"}},
	{"Q8", false, []string{"Chánh Hưng", "Phú Định", "Bình Đông"}},
	{"Q10", false, []string{"Diên Hồng", "Vườn Lài", "Hòa Hưng"}},
	{"Q11", false, []string{"Minh Phụng", "Bình Thới", "Hòa Bình", "Phú Thọ"}},
	{"Q12", false, []string{"Đông Hưng Thuận", "Trung Mỹ Tây", "Tân Thới Hiệp", "Thới An", "An Phú Đông"}},
	{"BTAN", false, []string{"An Lạc", "Bình Tân", "Tân Tạo", "Bình Trị Đông", "Bình Hưng Hòa"}},
	{"BTHANH", false, []string{"Gia Định", "Bình Thạnh", "Bình Lợi Trung", "Thạnh Mỹ Tây", "Bình Quới"}},
	{"GVAP", false, []string{"Hạnh Thông", "An Nhơn", "Gò Vấp", "An Hội Đông", "Thông Tây Hội", "An Hội Tây"}},
	{"PNHUAN", false, []string{"Đức Nhuận", "Cầu Kiệu", "Phú Nhuận"}},
	{"TBINH", false, []string{"Tân Sơn Hòa", "Tân Sơn Nhất", "Tân Hòa", "Bảy Hiền", "Tân Bình", "Tân Sơn"}},
	{"TPHU", false, []string{"Tây Thạnh", "Tân Sơn Nhì", "Phú Thọ Hòa", "Tân Phú", "Phú Thạnh"}},
	{"BCHANH", true, []string{"Vĩnh Lộc", "Tân Vĩnh Lộc", "Bình Lợi", "Tân Nhựt", "Bình Chánh", "Hưng Long", "Bình Hưng"}},
	{"CGIO", true, []string{"Bình Khánh", "Cần Giờ", "An Thới Đông", "Thạnh An"}},
	{"CCHI", true, []string{"Củ Chi", "Tân An Hội", "Thái Mỹ", "An Nhơn Tây", "Nhuận Đức", "Phú Hòa Đông", "Bình Mỹ"}},
	{"HMON", true, []string{"Hóc Môn", "Bà Điểm", "Xuân Thới Sơn", "Đông Thạnh"}},
	{"NBE", true, []string{"Nhà Bè", "Hiệp Phước"}},
	{"THUDUC", false, []string{"Hiệp Bình", "Thủ Đức", "Tam Bình", "Linh Xuân", "Tăng Nhơn Phú", "Long Bình",
		"Long Phước", "Long Trường", "Cát Lái", "Bình Trưng", "Phước Long", "An Khánh"}},
}

// wardCode is the code of a 2025 ward or commune: HCM-P-SAIGON,
// HCM-X-CUCHI — its name without diacritics or spaces.
func wardCode(name string, commune bool) string {
	kind := "P"
	if commune {
		kind = "X"
	}
	return "HCM-" + kind + "-" + strings.ToUpper(strings.ReplaceAll(nscl.SearchKey(name), " ", ""))
}

func wardUnit(name string, commune bool) nscl.OrgUnit {
	kind, short := "phường", "Phường"
	if commune {
		kind, short = "xã", "Xã"
	}
	// The level right under the province: the tree has no commune level,
	// and wards now stand where the districts stood.
	return nscl.OrgUnit{Code: wardCode(name, commune), Name: "Ủy ban nhân dân " + kind + " " + name,
		ShortName: short + " " + name, Level: nscl.LevelDistrict, OpenedOn: citiesMerged}
}

// mergerUnits are the units the reorganisation brought: the two absorbed
// provinces with their departments of science and technology (closed),
// the merged department of agriculture and environment, and the wards and
// communes; parents first.
func mergerUnits() []unitSpec {
	units := []unitSpec{
		{nscl.OrgUnit{Code: UnitBinhDuong, Name: "Ủy ban nhân dân tỉnh Bình Dương", ShortName: "Bình Dương",
			Level: nscl.LevelProvince, ClosedOn: citiesMerged}, UnitMinistry},
		{nscl.OrgUnit{Code: UnitBinhDuongDept, Name: "Sở Khoa học và Công nghệ tỉnh Bình Dương", ShortName: "Sở KHCN Bình Dương",
			Level: nscl.LevelDepartment, ClosedOn: citiesMerged}, UnitBinhDuong},
		{nscl.OrgUnit{Code: UnitVungTau, Name: "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu", ShortName: "Bà Rịa – Vũng Tàu",
			Level: nscl.LevelProvince, ClosedOn: citiesMerged}, UnitMinistry},
		{nscl.OrgUnit{Code: UnitVungTauDept, Name: "Sở Khoa học và Công nghệ tỉnh Bà Rịa – Vũng Tàu", ShortName: "Sở KHCN Bà Rịa – Vũng Tàu",
			Level: nscl.LevelDepartment, ClosedOn: citiesMerged}, UnitVungTau},
		{nscl.OrgUnit{Code: UnitAgriEnvironment, Name: "Sở Nông nghiệp và Môi trường Thành phố Hồ Chí Minh", ShortName: "Sở NN-MT",
			Level: nscl.LevelDepartment, OpenedOn: departmentsMerged}, UnitCity},
	}
	for _, d := range wards2025 {
		for _, name := range d.names {
			units = append(units, unitSpec{wardUnit(name, d.commune), UnitCity})
		}
	}
	return units
}

// successionSpec is a unit that closed on a day, its work going on in others.
type successionSpec struct {
	unit       string
	on         time.Time
	successors []string
}

// Successions are the reorganisation's closings, each with the units the
// closed one's work went on in, in the order Load records them.
func Successions() []successionSpec {
	out := []successionSpec{
		{UnitInfo, departmentsMerged, []string{UnitDept}},
		{UnitAgri, departmentsMerged, []string{UnitAgriEnvironment}},
		{UnitBinhDuong, citiesMerged, []string{UnitCity}},
		{UnitBinhDuongDept, citiesMerged, []string{UnitDept}},
		{UnitVungTau, citiesMerged, []string{UnitCity}},
		{UnitVungTauDept, citiesMerged, []string{UnitDept}},
	}
	for _, d := range wards2025 {
		s := successionSpec{unit: "HCM-" + d.district, on: citiesMerged}
		for _, name := range d.names {
			s.successors = append(s.successors, wardCode(name, d.commune))
		}
		out = append(out, s)
	}
	return out
}

// MergerPlans are the five-year plans of the two absorbed provinces, with
// illustrative targets: what a 2025 report of the merged city adds to the
// city's own.
func MergerPlans() []planSpec {
	plan := func(unit, province string, training, supported, experts, labs int64) planSpec {
		return planSpec{plan: nscl.Plan{Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
			Name: "Kế hoạch nâng cao năng suất và chất lượng sản phẩm, hàng hóa của " + province + " giai đoạn 2021 – 2025 (minh họa)",
			Targets: []nscl.Target{
				{Metric: TrainingEnterprises, Value: training},
				{Metric: EnterprisesSupported, Value: supported},
				{Metric: ExpertsTrained, Value: experts},
				{Metric: LabsStrengthened, Value: labs},
			}}, unit: unit, source: illustrative}
	}
	return []planSpec{
		plan(UnitBinhDuong, "tỉnh Bình Dương", 4000, 80, 60, 4),
		plan(UnitVungTau, "tỉnh Bà Rịa – Vũng Tàu", 2500, 50, 40, 3),
	}
}

// activitiesMerger are a few illustrative activities of each absorbed
// province before it closed, and of the new city's wards and departments
// in the second half of 2025.
func activitiesMerger() []activitySpec {
	bd, vt := "; Sở KHCN tỉnh Bình Dương", "; Sở KHCN tỉnh Bà Rịa – Vũng Tàu"
	return []activitySpec{
		{ref: "minh-hoa-BD-2021-d", unit: UnitBinhDuongDept, date: day(2021, 11, 18), group: "d", kind: nscl.KindTraining,
			description: "Tập huấn nhận thức về năng suất chất lượng và công cụ 5S cho doanh nghiệp trong các khu công nghiệp tỉnh Bình Dương",
			source:      illustrative + bd, quantities: qs(q(TrainingEnterprises, 120), q(Trainees, 260))},
		{ref: "minh-hoa-BD-2022-c", unit: UnitBinhDuongDept, date: day(2022, 6, 15), group: "c", kind: nscl.KindConsulting,
			description: "Hỗ trợ doanh nghiệp chế biến gỗ áp dụng hệ thống quản lý chất lượng TCVN ISO 9001:2015 và công cụ cải tiến năng suất",
			source:      illustrative + bd, quantities: qs(q(EnterprisesSupported, 15))},
		{ref: "minh-hoa-BD-2023-d", unit: UnitBinhDuongDept, date: day(2023, 9, 12), group: "d", kind: nscl.KindExpertCourse,
			description: "Đào tạo chuyên gia tư vấn cải tiến năng suất chất lượng cho tỉnh Bình Dương",
			source:      illustrative + bd, quantities: qs(q(ExpertsTrained, 12))},
		{ref: "minh-hoa-BD-2024-dd", unit: UnitBinhDuongDept, date: day(2024, 4, 10), group: "đ", kind: nscl.KindLabSupport,
			description: "Hỗ trợ phòng thử nghiệm vật liệu xây dựng áp dụng TCVN ISO/IEC 17025:2017",
			source:      illustrative + bd, quantities: qs(q(LabsStrengthened, 1))},
		{ref: "minh-hoa-BD-2024-b", unit: UnitBinhDuong, date: day(2024, 10, 25), group: "b", kind: nscl.KindWorkshop,
			description: "Hội thảo chuyển đổi số và nâng cao năng suất cho doanh nghiệp nhỏ và vừa tỉnh Bình Dương",
			source:      illustrative + "; Ủy ban nhân dân tỉnh Bình Dương", quantities: qs(q(Attendees, 150))},
		{ref: "minh-hoa-BD-2025-d", unit: UnitBinhDuongDept, date: day(2025, 5, 20), group: "d", kind: nscl.KindTraining,
			description: "Tập huấn áp dụng công cụ sản xuất tinh gọn (Lean) cho doanh nghiệp công nghiệp hỗ trợ tỉnh Bình Dương",
			source:      illustrative + bd, quantities: qs(q(TrainingEnterprises, 90), q(Trainees, 180))},

		{ref: "minh-hoa-BRVT-2021-c", unit: UnitVungTauDept, date: day(2021, 10, 6), group: "c", kind: nscl.KindConsulting,
			description: "Hỗ trợ doanh nghiệp chế biến hải sản áp dụng hệ thống quản lý an toàn thực phẩm TCVN ISO 22000:2018",
			source:      illustrative + vt, quantities: qs(q(EnterprisesSupported, 8))},
		{ref: "minh-hoa-BRVT-2022-d", unit: UnitVungTauDept, date: day(2022, 8, 23), group: "d", kind: nscl.KindTraining,
			description: "Tập huấn kiến thức năng suất chất lượng cho doanh nghiệp du lịch và dịch vụ cảng biển",
			source:      illustrative + vt, quantities: qs(q(TrainingEnterprises, 75), q(Trainees, 140))},
		{ref: "minh-hoa-BRVT-2023-dd", unit: UnitVungTauDept, date: day(2023, 11, 14), group: "đ", kind: nscl.KindLabSupport,
			description: "Hỗ trợ phòng thử nghiệm dầu khí tăng cường năng lực đánh giá sự phù hợp",
			source:      illustrative + vt, quantities: qs(q(LabsStrengthened, 1))},
		{ref: "minh-hoa-BRVT-2024-d", unit: UnitVungTauDept, date: day(2024, 7, 9), group: "d", kind: nscl.KindExpertCourse,
			description: "Huấn luyện chuyên gia đánh giá hệ thống quản lý cho tỉnh Bà Rịa – Vũng Tàu",
			source:      illustrative + vt, quantities: qs(q(ExpertsTrained, 9))},
		{ref: "minh-hoa-BRVT-2025-c", unit: UnitVungTauDept, date: day(2025, 3, 27), group: "c", kind: nscl.KindConsulting,
			description: "Tư vấn doanh nghiệp hóa chất áp dụng hệ thống quản lý năng lượng TCVN ISO 50001:2019",
			source:      illustrative + vt, quantities: qs(q(EnterprisesSupported, 6))},

		{ref: "minh-hoa-HCM-2025-1", unit: UnitDept, date: day(2025, 4, 16), group: "b", kind: nscl.KindWorkshop,
			description: "Hội nghị triển khai nhiệm vụ năng suất chất lượng của Sở Khoa học và Công nghệ sau khi hợp nhất với Sở Thông tin và Truyền thông",
			source:      illustrative, quantities: qs(q(Attendees, 120))},
		{ref: "minh-hoa-HCM-2025-2", unit: wardCode("Sài Gòn", false), date: day(2025, 8, 14), group: "b", kind: nscl.KindWorkshop,
			description: "Hội thảo giới thiệu Chương trình năng suất chất lượng cho hộ kinh doanh và doanh nghiệp trên địa bàn phường Sài Gòn",
			source:      illustrative, quantities: qs(q(Attendees, 80))},
		{ref: "minh-hoa-HCM-2025-3", unit: wardCode("Củ Chi", true), date: day(2025, 9, 19), group: "d", kind: nscl.KindTraining,
			description: "Tập huấn ứng dụng VietGAP và truy xuất nguồn gốc cho hợp tác xã, doanh nghiệp nông nghiệp xã Củ Chi",
			source:      illustrative, quantities: qs(q(TrainingEnterprises, 25), q(Trainees, 60))},
		{ref: "minh-hoa-HCM-2025-4", unit: wardCode("Thủ Đức", false), date: day(2025, 10, 8), group: "c", kind: nscl.KindConsulting,
			description: "Hỗ trợ doanh nghiệp trên địa bàn phường Thủ Đức ứng dụng nền tảng số trong quản trị sản xuất",
			source:      illustrative, quantities: qs(q(EnterprisesSupported, 10))},
		{ref: "minh-hoa-HCM-2025-5", unit: UnitAgriEnvironment, date: day(2025, 11, 5), group: "c", kind: nscl.KindConsulting,
			description: "Hướng dẫn doanh nghiệp chế biến nông sản áp dụng tiêu chuẩn quản lý môi trường TCVN ISO 14001:2015",
			source:      illustrative, quantities: qs(q(EnterprisesSupported, 7))},
	}
}
