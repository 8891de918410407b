package demo

import "nscl"

// Unit codes the demo data refers to.
const (
	UnitMinistry   = "BKHCN"
	UnitCity       = "HCM"
	UnitDept       = "HCM-SKHCN"
	UnitStandards  = "HCM-SKHCN-CCTDC"
	UnitTrade      = "HCM-SCT"
	UnitAgri       = "HCM-SNNPTNT"
	UnitInfo       = "HCM-STTTT"
	UnitFoodSafety = "HCM-BQLATTP"
	UnitHiTechPark = "HCM-BQLKCNC"
	UnitThuDuc     = "HCM-THUDUC"
)

type unitSpec struct {
	nscl.OrgUnit
	parent string
}

// districts2022 are the districts of Ho Chi Minh City in 2022, whose People's
// Committees Công văn 4225/KH-CN-TĐC asked to report. The district level was
// abolished on 1 July 2025; they stay in the tree, closed, so that 2022 keeps them.
var districts2022 = []struct{ code, name string }{
	{"Q1", "Quận 1"}, {"Q3", "Quận 3"}, {"Q4", "Quận 4"}, {"Q5", "Quận 5"}, {"Q6", "Quận 6"},
	{"Q7", "Quận 7"}, {"Q8", "Quận 8"}, {"Q10", "Quận 10"}, {"Q11", "Quận 11"}, {"Q12", "Quận 12"},
	{"BTAN", "Quận Bình Tân"}, {"BTHANH", "Quận Bình Thạnh"}, {"GVAP", "Quận Gò Vấp"},
	{"PNHUAN", "Quận Phú Nhuận"}, {"TBINH", "Quận Tân Bình"}, {"TPHU", "Quận Tân Phú"},
	{"BCHANH", "Huyện Bình Chánh"}, {"CGIO", "Huyện Cần Giờ"}, {"CCHI", "Huyện Củ Chi"},
	{"HMON", "Huyện Hóc Môn"}, {"NBE", "Huyện Nhà Bè"},
}

// Units returns the org tree, parents first: the Ministry at the root, the
// city under it, then the department (the focal point) with its
// sub-department for standards, the other departments, the districts and
// Thủ Đức city. The report names the department, its sub-department, the
// High-Tech Park board, Thủ Đức and "the districts"; the other departments
// are those whose fields footnotes 2 and 3 describe, and the activities
// given to them say "giả định" (assumed) in their source. The units of the
// 2025 reorganisation follow (mergerUnits).
func Units() []unitSpec {
	districtsClosed := citiesMerged
	units := []unitSpec{
		{nscl.OrgUnit{Code: UnitMinistry, Name: "Bộ Khoa học và Công nghệ", ShortName: "Bộ KHCN", Level: nscl.LevelMinistry}, ""},
		{nscl.OrgUnit{Code: UnitCity, Name: "Ủy ban nhân dân Thành phố Hồ Chí Minh", ShortName: "UBND Thành phố", Level: nscl.LevelProvince}, UnitMinistry},
		{nscl.OrgUnit{Code: UnitDept, Name: "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", ShortName: "Sở KHCN", Level: nscl.LevelDepartment}, UnitCity},
		{nscl.OrgUnit{Code: UnitStandards, Name: "Chi cục Tiêu chuẩn Đo lường Chất lượng", ShortName: "Chi cục TCĐLCL", Level: nscl.LevelUnit}, UnitDept},
		{nscl.OrgUnit{Code: UnitTrade, Name: "Sở Công Thương Thành phố Hồ Chí Minh", ShortName: "Sở Công Thương", Level: nscl.LevelDepartment}, UnitCity},
		// Both were merged into other departments when the city reorganised
		// its departments on 1 March 2025.
		{nscl.OrgUnit{Code: UnitAgri, Name: "Sở Nông nghiệp và Phát triển nông thôn Thành phố Hồ Chí Minh", ShortName: "Sở NN-PTNT", Level: nscl.LevelDepartment, ClosedOn: departmentsMerged}, UnitCity},
		{nscl.OrgUnit{Code: UnitInfo, Name: "Sở Thông tin và Truyền thông Thành phố Hồ Chí Minh", ShortName: "Sở TT-TT", Level: nscl.LevelDepartment, ClosedOn: departmentsMerged}, UnitCity},
		{nscl.OrgUnit{Code: UnitFoodSafety, Name: "Ban Quản lý An toàn thực phẩm Thành phố Hồ Chí Minh", ShortName: "Ban QL ATTP", Level: nscl.LevelDepartment}, UnitCity},
		{nscl.OrgUnit{Code: UnitHiTechPark, Name: "Ban Quản lý Khu công nghệ cao Thành phố Hồ Chí Minh", ShortName: "Ban QL Khu CNC", Level: nscl.LevelDepartment}, UnitCity},
		{nscl.OrgUnit{Code: UnitThuDuc, Name: "Ủy ban nhân dân Thành phố Thủ Đức", ShortName: "Thành phố Thủ Đức", Level: nscl.LevelDistrict, ClosedOn: districtsClosed}, UnitCity},
	}
	for _, d := range districts2022 {
		units = append(units, unitSpec{nscl.OrgUnit{Code: "HCM-" + d.code, Name: "Ủy ban nhân dân " + d.name, ShortName: d.name,
			Level: nscl.LevelDistrict, ClosedOn: districtsClosed}, UnitCity})
	}
	return append(units, mergerUnits()...)
}
