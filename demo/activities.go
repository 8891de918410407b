package demo

import (
	"time"

	"nscl"
)

type activitySpec struct {
	ref         string // stable key, also the record's place in the report
	unit        string
	date        time.Time
	group       string
	kind        nscl.ActivityKind
	description string // the report's own words; it becomes a footnote item
	source      string
	quantities  []nscl.Quantity
	// notInFootnote: the report counts it in its totals but does not list
	// it among the footnote's items.
	notInFootnote bool
}

func q(metric string, value int64) nscl.Quantity { return nscl.Quantity{Metric: metric, Value: value} }

func qs(list ...nscl.Quantity) []nscl.Quantity { return list }

var (
	endOf2021 = day(2021, 12, 31)
	endOf2022 = day(2022, 12, 31)
)

const (
	undated = "; báo cáo không nêu ngày, ghi ngày cuối kỳ 31/12/2022"
	assumed = "; đơn vị thực hiện: giả định theo lĩnh vực, báo cáo không nêu"
)

// Activities returns 2021's contributions, which only the results table
// reveals, 2022's activities item by item, then the illustrative
// activities of the 2025 reorganisation's units (activitiesMerger).
func Activities() []activitySpec {
	out := append(activities2021(), activities2022()...)
	return append(out, activitiesMerger()...)
}

// activities2021: table II.1 gives cumulative to the end of 2022 and the
// 2022 result; their difference is what 2021 contributed.
func activities2021() []activitySpec {
	src := "Bảng mục II.1: lũy kế đến hết năm 2022 trừ kết quả năm 2022"
	return []activitySpec{
		{ref: "2021-d-doanh-nghiep", unit: UnitCity, date: endOf2021, group: "d", kind: nscl.KindTraining,
			description: "Kết quả tập huấn, bồi dưỡng năm 2021 (tổng hợp)", source: src + " (993 − 963 = 30)",
			quantities: qs(q(TrainingEnterprises, 30))},
		{ref: "2021-c-ho-tro", unit: UnitCity, date: endOf2021, group: "c", kind: nscl.KindConsulting,
			description: "Kết quả hỗ trợ doanh nghiệp năm 2021 (tổng hợp)", source: src + " (347 − 336 = 11)",
			quantities: qs(q(EnterprisesSupported, 11))},
		{ref: "2021-d-chuyen-gia", unit: UnitCity, date: endOf2021, group: "d", kind: nscl.KindExpertCourse,
			description: "Kết quả huấn luyện chuyên gia năm 2021 (tổng hợp)", source: src + " (71 − 41 = 30)",
			quantities: qs(q(ExpertsTrained, 30))},
	}
}

func activities2022() []activitySpec {
	var out []activitySpec
	out = append(out, communication2022()...)
	out = append(out, support2022()...)
	out = append(out, training2022()...)
	return out
}

// communication2022 is task group b, section I.3.b.
func communication2022() []activitySpec {
	return []activitySpec{
		{ref: "2022-b-1", unit: UnitDept, date: endOf2022, group: "b", kind: nscl.KindWorkshop,
			description: "Tổ chức Hội thảo phổ biến, hướng dẫn đăng ký thực hiện hỗ trợ doanh nghiệp theo Kế hoạch Tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022; live stream trên fanpage Sở KH-CN và Google Meet",
			source:      "Mục I.3.b, gạch đầu dòng 1" + undated,
			quantities:  qs(q(Attendees, 60), q(LivestreamViews, 370), q(LivestreamReach, 733), q(LivestreamLive, 269), q(OnlineParticipants, 18))},
		{ref: "2022-b-2", unit: UnitDept, date: endOf2022, group: "b", kind: nscl.KindVideo,
			description: "Rà soát, phân nhóm video tài liệu trực tuyến để phục vụ xây dựng hệ thống tài liệu khóa học trực tuyến",
			source:      "Mục I.3.b, gạch đầu dòng 2" + undated,
			quantities:  qs(q(Videos, 59))},
		{ref: "2022-b-3", unit: UnitDept, date: endOf2022, group: "b", kind: nscl.KindArticle,
			description: "Viết tin bài về tiêu chuẩn, đo lường, chất lượng, truy xuất nguồn gốc đăng trên trang thông tin điện tử của Sở KH-CN và các đơn vị trực thuộc",
			source:      "Mục I.3.b, gạch đầu dòng 3" + undated,
			quantities:  qs(q(Articles, 54))},
		{ref: "2022-b-4", unit: UnitThuDuc, date: day(2022, 4, 8), group: "b", kind: nscl.KindWorkshop,
			description: "Phối hợp với Hội Tin học thành phố Hồ Chí Minh, Hội Doanh nghiệp thành phố Thủ Đức ra mắt Câu lạc bộ phát triển và ứng dụng công nghệ số Thủ Đức (TDAC) với 10 doanh nghiệp hội viên",
			source:      "Mục I.3.b, gạch đầu dòng 4"},
		{ref: "2022-b-5", unit: UnitThuDuc, date: endOf2022, group: "b", kind: nscl.KindOther,
			description: "Phối hợp Vườn ươm Doanh nghiệp Công nghệ cao tổ chức Cuộc thi chuyển đổi số trong giáo dục “DigiTrans Edtech Hackathon”, thu hút 50 dự án khởi nghiệp công nghệ và 247 dự án từ các trường THCS, THPT",
			source:      "Mục I.3.b, gạch đầu dòng 4" + undated},
		{ref: "2022-b-6", unit: UnitThuDuc, date: day(2022, 10, 19), group: "b", kind: nscl.KindWorkshop,
			description: "Phối hợp Ban Quản lý Khu công nghệ cao Thành phố Hồ Chí Minh tổ chức Hội thảo “Thúc đẩy hoạt động nghiên cứu phát triển và đổi mới sáng tạo kết nối đô thị thông minh tại thành phố Thủ Đức”",
			source:      "Mục I.3.b, gạch đầu dòng 4"},
		{ref: "2022-b-7", unit: UnitCity, date: endOf2022, group: "b", kind: nscl.KindWorkshop,
			description: "Hội thảo các hoạt động KH-CN và ĐMST do một số quận huyện tổ chức, với sự tham dự của 300 người",
			source:      "Mục I.3.b, gạch đầu dòng 4; báo cáo không nêu quận huyện nào, ghi cho cấp Thành phố; 300 người tham dự chỉ ghi trong nội dung, vì số đại biểu báo cáo nêu (60) là của hội thảo của Sở" + undated},
		{ref: "2022-b-8", unit: UnitCity, date: endOf2022, group: "b", kind: nscl.KindWorkshop,
			description: "Hội thảo áp dụng AI và công nghệ 4.0 để nâng cao hiệu quả quản lý của doanh nghiệp do một số quận huyện tổ chức",
			source:      "Mục I.3.b, gạch đầu dòng 4; báo cáo không nêu quận huyện nào, ghi cho cấp Thành phố" + undated},
	}
}

// support2022 is task group c: the eight items of footnote 2, which add up
// to the 336 enterprises of section I.3.c and of table II.1.
func support2022() []activitySpec {
	fn := "Mục I.3.c, chú thích 2, ý "
	return []activitySpec{
		{ref: "2022-c-cc2-1", unit: UnitStandards, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Hướng dẫn cho 01 doanh nghiệp về hệ thống quản lý chất lượng theo Tiêu chuẩn Quốc gia TCVN 9001:2015",
			source:      fn + "1" + assumed + undated, quantities: qs(q(EnterprisesSupported, 1))},
		{ref: "2022-c-cc2-2", unit: UnitStandards, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Hướng dẫn 20 đơn vị viết báo cáo theo 7 tiêu chí GTCLQG",
			source:      fn + "2" + assumed + undated, quantities: qs(q(EnterprisesSupported, 20))},
		{ref: "2022-c-cc2-3", unit: UnitTrade, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Hướng dẫn 24 doanh nghiệp xây dựng và công bố tiêu chuẩn áp dụng cho sản phẩm, hàng hoá theo lĩnh vực quản lý được phân công",
			source:      fn + "3" + assumed + undated, quantities: qs(q(EnterprisesSupported, 24))},
		{ref: "2022-c-cc2-4", unit: UnitThuDuc, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Hỗ trợ 200 doanh nghiệp, hộ kinh doanh trên địa bàn thành phố Thủ Đức sử dụng nền tảng số quản trị doanh nghiệp của Viettel",
			source:      fn + "4" + undated, quantities: qs(q(EnterprisesSupported, 200))},
		{ref: "2022-c-cc2-5", unit: UnitAgri, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Tư vấn, hướng dẫn 02 doanh nghiệp xây dựng đề án khuyến nông, hỗ trợ đầu tư máy móc thiết bị trong quá trình chế biến",
			source:      fn + "5" + assumed + undated, quantities: qs(q(EnterprisesSupported, 2))},
		{ref: "2022-c-cc2-6", unit: UnitDept, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Hỗ trợ tư vấn, hướng dẫn 22 doanh nghiệp, đơn vị kinh tế ứng dụng mô hình và các giải pháp khoa học và công nghệ, phần mềm trong hoạt động sản xuất, kinh doanh nhằm nâng cao năng suất chất lượng sản phẩm và dịch vụ",
			source:      fn + "6" + assumed + undated, quantities: qs(q(EnterprisesSupported, 22))},
		{ref: "2022-c-cc2-7", unit: UnitAgri, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Tư vấn, hướng dẫn 61 doanh nghiệp ứng dụng công nghệ cao trong sản xuất nông nghiệp (chế biến sau thu hoạch, nuôi trồng thủy sản, dược liệu và các chế phẩm sinh học)",
			source:      fn + "7" + assumed + undated, quantities: qs(q(EnterprisesSupported, 61))},
		{ref: "2022-c-cc2-8", unit: UnitDept, date: endOf2022, group: "c", kind: nscl.KindConsulting,
			description: "Tư vấn, hỗ trợ 06 doanh nghiệp ứng dụng các giải pháp, phần mềm KHCN trong sản xuất, kinh doanh",
			source:      fn + "8" + assumed + undated, quantities: qs(q(EnterprisesSupported, 6))},
	}
}

// training2022 is task group d: the items of footnote 3 with the
// enterprises and trainees each names, the 41 experts, and the remainder
// the report totals without itemising.
func training2022() []activitySpec {
	fn := "Mục I.3.d, chú thích 3, ý "
	return []activitySpec{
		{ref: "2022-d-cc3-1", unit: UnitDept, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức 01 lớp phổ biến nghiệp vụ kiểm tra việc thực hiện pháp luật về lĩnh vực KHCN, TCĐLCL, SHTT cho 44 cán bộ",
			source:      fn + "1" + assumed + undated, quantities: qs(q(Trainees, 44))},
		{ref: "2022-d-cc3-2", unit: UnitStandards, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn trực tuyến về đo lường hiệu chuẩn với 193 lượt online trực tiếp và hơn 799 lượt xem",
			source:      fn + "2; 799 lượt xem chỉ ghi trong nội dung, không cộng vào lượt xem hội thảo ở mục I.3.b" + assumed + undated, quantities: qs(q(Trainees, 193))},
		{ref: "2022-d-cc3-3", unit: UnitStandards, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức huấn luyện cho 280 lượt người/04 đơn vị tham dự lớp tập huấn nhận thức cơ bản về HTQLCL TCVN 9001:2015",
			source:      fn + "3" + assumed + undated, quantities: qs(q(TrainingEnterprises, 4), q(Trainees, 280))},
		{ref: "2022-d-cc3-4", unit: UnitStandards, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "06 lớp huấn luyện bồi dưỡng, nâng cao chuyên môn nghiệp vụ về đo lường cho 114 cơ quan, đơn vị/268 lượt cán bộ",
			source:      fn + "4" + assumed + undated, quantities: qs(q(TrainingEnterprises, 114), q(Trainees, 268))},
		{ref: "2022-d-cc3-5", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn phổ biến chính sách hỗ trợ DN, phát triển kinh tế cho 56 đơn vị và 100 học viên",
			source:      fn + "5" + assumed + undated, quantities: qs(q(TrainingEnterprises, 56), q(Trainees, 100))},
		{ref: "2022-d-cc3-6", unit: UnitAgri, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Đào tạo, tập huấn kỹ thuật nông nghiệp, kỹ thuật trồng rau theo quy trình VietGAP cho 237 học viên",
			source:      fn + "6" + assumed + undated, quantities: qs(q(Trainees, 237))},
		{ref: "2022-d-cc3-7", unit: UnitDept, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Bồi dưỡng kiến thức ứng dụng KHCN, nâng cao chất lượng QLNN cho cán bộ, công chức, viên chức cho 100 học viên",
			source:      fn + "7" + assumed + undated, quantities: qs(q(Trainees, 100))},
		{ref: "2022-d-cc3-8", unit: UnitInfo, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Bồi dưỡng kiến thức ứng dụng CNTT chuyển đổi số cho 260 DN và 116 học viên",
			source:      fn + "8" + assumed + undated, quantities: qs(q(TrainingEnterprises, 260), q(Trainees, 116))},
		{ref: "2022-d-cc3-9", unit: UnitDept, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn công cụ quản lý sáng kiến cho các cơ quan, đơn vị với sự tham dự của 200 học viên",
			source:      fn + "9" + assumed + undated, quantities: qs(q(Trainees, 200))},
		{ref: "2022-d-cc3-10", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn kỹ năng ứng dụng thương mại điện tử trên địa bàn thành phố cho 03 DN",
			source:      fn + "10" + assumed + undated, quantities: qs(q(TrainingEnterprises, 3))},
		{ref: "2022-d-cc3-11", unit: UnitFoodSafety, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn về vệ sinh ATTP, quy trình về truy xuất nguồn gốc cho 108 DN",
			source:      fn + "11" + assumed + undated, quantities: qs(q(TrainingEnterprises, 108))},
		{ref: "2022-d-cc3-12", unit: UnitAgri, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức tập huấn hỗ trợ đưa hộ sản xuất nông nghiệp lên sàn thương mại điện tử PostMart.vn và Voso.vn cho 55 hội viên",
			source:      fn + "12" + assumed + undated, quantities: qs(q(Trainees, 55))},
		// "công tác đàm ATTP" is the report's own wording (sic), kept verbatim.
		{ref: "2022-d-cc3-13", unit: UnitFoodSafety, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức 129 buổi tập huấn, hội nghị, hội thảo hướng dẫn các văn bản pháp luật liên quan đến công tác đàm ATTP, công tác cấp Giấy chứng nhận cơ sở đủ điều kiện ATTP, hồ sơ đăng ký công bố sản phẩm/ tự công bố sản phẩm, phụ gia thực phẩm, ghi nhãn hàng hóa cho 12.581 người tham dự là cán bộ quản lý, nhân viên phụ trách bếp ăn, NLĐ tại các cơ sở sản xuất, kinh doanh thực phẩm thuộc lĩnh vực nông nghiệp và công thương trên địa bàn Thành phố",
			source:      fn + "13" + assumed + undated, quantities: qs(q(Trainees, 12581))},
		{ref: "2022-d-cc3-14", unit: UnitAgri, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn chuyên đề “kỹ năng ứng dụng chuyển đổi số, khai thác thông tin thị trường trong nông nghiệp” cho 70 học viên",
			source:      fn + "14" + assumed + undated, quantities: qs(q(Trainees, 70))},
		{ref: "2022-d-cc3-15", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Đào tạo các công cụ cải tiến, HTQL tại các nhà máy, hiệu suất sử dụng máy móc thiết bị và tư vấn kỹ thuật nhằm cải thiện năng lực cung ứng sản phẩm cho 06 DN NVV",
			source:      fn + "15" + assumed + undated, quantities: qs(q(TrainingEnterprises, 6))},
		{ref: "2022-d-cc3-16", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức 02 khóa (30 người/khóa) đào tạo chung về kỹ năng phát triển thị trường, kỹ năng quản lý và quản trị sản xuất cho DN công nghiệp hỗ trợ",
			source:      fn + "16 (2 khóa × 30 người = 60 học viên)" + assumed + undated, quantities: qs(q(Trainees, 60))},
		{ref: "2022-d-cc3-17", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức 05 lớp (30 học viên/lớp) đào tạo cán bộ quản lý, trưởng ca/kip, nhân viên quản lý tại các DN công nghiệp thành phố theo chuyên đề như “áp dụng công cụ cải tiến sản xuất”, “quy trình phát triển sản phẩm mới”",
			source:      fn + "17 (5 lớp × 30 học viên = 150 học viên)" + assumed + undated, quantities: qs(q(Trainees, 150))},
		{ref: "2022-d-cc3-18", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tổ chức 02 hội thảo, 19 lớp tập huấn về chuyển đổi số và ĐMST (30 - 50 học viên/lớp) cho các DN thuộc 03 Chương trình phát triển DN và sản phẩm ngành cơ khí - tự động hóa, ngành cao su - nhựa, ngành chế biến lương thực - thực phẩm, DN sản xuất sản phẩm công nghiệp chủ lực và công nghiệp tiềm năng trên địa bàn thành phố",
			source:      fn + "18; báo cáo không nêu số học viên chính xác, số liệu nằm trong phần còn lại (2022-d-con-lai)" + assumed + undated},
		{ref: "2022-d-cc3-19", unit: UnitTrade, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Tập huấn kiến thức về truy xuất nguồn gốc đối với chuỗi cung ứng rau quả tươi, thịt gia súc, thịt gia cầm cho Công ty QLKD Chợ Bình Điền, Công ty CP QLKD Chợ Nông sản Thủ Đức, Công ty TNHH QLKD Chợ đầu mối Nông sản Thực phẩm Hóc Môn",
			source:      fn + "19 (3 doanh nghiệp được nêu tên)" + assumed + undated, quantities: qs(q(TrainingEnterprises, 3))},
		{ref: "2022-d-con-lai", unit: UnitCity, date: endOf2022, group: "d", kind: nscl.KindTraining,
			description: "Phần còn lại của kết quả tập huấn, bồi dưỡng năm 2022 không được liệt kê từng hoạt động trong báo cáo đã công bố",
			source:      "Mục I.3.d: tổng 963 doanh nghiệp và 16.192 học viên, trừ các ý đã liệt kê ở chú thích 3 (554 lượt doanh nghiệp, 14.454 học viên): còn 409 lượt doanh nghiệp và 1.738 học viên",
			quantities:  qs(q(TrainingEnterprises, 409), q(Trainees, 1738)), notInFootnote: true},
		{ref: "2022-d-chuyen-gia", unit: UnitStandards, date: endOf2022, group: "d", kind: nscl.KindExpertCourse,
			description: "Đào tạo chuyên gia về năng suất chất lượng (số liệu chuyên gia của GTCLQG): chuyên gia của các tổ chức tư vấn, đào tạo; nhân viên doanh nghiệp; cán bộ, công chức, viên chức tại các trường, viện, hiệp hội, tổ chức khoa học công nghệ",
			source:      "Mục I.3.d, đoạn 2 và bảng mục II.1 (41 lượt chuyên gia năm 2022)" + assumed + undated,
			quantities:  qs(q(ExpertsTrained, 41)), notInFootnote: true},
	}
}
