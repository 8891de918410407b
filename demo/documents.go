package demo

import (
	"time"

	"nscl"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const (
	issuerPM        = "Thủ tướng Chính phủ"
	issuerMinistry  = "Bộ Khoa học và Công nghệ"
	issuerCity      = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
	issuerDept      = "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh"
	issuerFinance   = "Bộ Tài chính"
	programmeTitle  = "Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030"
	masterPlanTitle = "Kế hoạch tổng thể nâng cao năng suất dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo giai đoạn 2021 – 2030"
)

// Documents returns every document the report cites, in the order it first
// cites them.
func Documents() []nscl.Document {
	return []nscl.Document{
		{Type: "Công văn", Number: "3705", Symbol: "BKHCN-TĐC", IssuedOn: day(2022, 12, 8), Issuer: issuerMinistry,
			Title:  "về việc báo cáo kết quả thực hiện năm 2022 của " + programmeTitle,
			Source: "Báo cáo 2022, đoạn mở đầu"},
		{Type: "Quyết định", Number: "1322", Symbol: "QĐ-TTg", IssuedOn: day(2020, 8, 31), Issuer: issuerPM,
			Title:  "về ban hành " + programmeTitle,
			Source: "Báo cáo 2022, mục I.1.a"},
		{Type: "Quyết định", Number: "36", Symbol: "QĐ-TTg", IssuedOn: day(2021, 1, 11), Issuer: issuerPM,
			Title:  "về ban hành " + masterPlanTitle,
			Source: "Báo cáo 2022, mục I.1.a"},
		{Type: "Quyết định", Number: "3962", Symbol: "QĐ-UBND", IssuedOn: day(2020, 10, 23), Issuer: issuerCity,
			Title:  "về việc chỉ định cơ quan đầu mối thực hiện các nhiệm vụ của " + programmeTitle,
			Source: "Báo cáo 2022, chú thích 1"},
		{Type: "Quyết định", Number: "1193", Symbol: "QĐ-UBND", IssuedOn: day(2021, 4, 7), Issuer: issuerCity,
			Title:  "về việc chỉ định đơn vị đầu mối tổ chức thực hiện " + masterPlanTitle,
			Source: "Báo cáo 2022, chú thích 1"},
		{Type: "Quyết định", Number: "299", Symbol: "QĐ-UBND", IssuedOn: day(2022, 1, 21), Issuer: issuerCity,
			Title:  "về việc ban hành Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh giai đoạn 2021 – 2025",
			Source: "Báo cáo 2022, mục I.1.a và I.1.c (ngày ban hành nêu ở mục I.1.b)"},
		{Type: "Quyết định", Number: "2869", Symbol: "QĐ-UBND", IssuedOn: day(2019, 7, 5), Issuer: issuerCity,
			Title:  "về ban hành Chương trình phát triển công nghiệp hỗ trợ trên địa bàn Thành phố Hồ Chí Minh từ năm 2019 đến năm 2025",
			Source: "Báo cáo 2022, mục I.1.a"},
		{Type: "Kế hoạch", Number: "1904", Symbol: "KH-SKH-CN", IssuedOn: day(2022, 6, 23), Issuer: issuerDept,
			Title:  "Kế hoạch tổng thể nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022",
			Source: "Báo cáo 2022, mục I.1.a"},
		{Type: "Quyết định", Number: "672", Symbol: "QĐ-UBND", IssuedOn: day(2021, 3, 1), Issuer: issuerCity,
			Title:  "về phê duyệt Đề án Hỗ trợ phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo Thành phố Hồ Chí Minh giai đoạn 2021 – 2025",
			Source: "Báo cáo 2022, mục I.1.a"},
		{Type: "Thông báo", Number: "1905", Symbol: "TB-SKH-CN", IssuedOn: day(2022, 9, 23), Issuer: issuerDept,
			Title:  "về việc mời đăng ký tham gia thực hiện các nhiệm vụ hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh năm 2022",
			Source: "Báo cáo 2022, mục I.1.b"},
		{Type: "Văn bản", Number: "2749", Symbol: "SKH-CN-KHTC", IssuedOn: day(2022, 9, 8), Issuer: issuerDept,
			Title:  "về việc hướng dẫn tổ chức thực hiện nhiệm vụ khoa học và công nghệ tại Sở từ kinh phí nhiệm vụ không thường xuyên",
			Source: "Báo cáo 2022, mục I.1.b"},
		{Type: "Công văn", Number: "4225", Symbol: "KH-CN-TĐC", IssuedOn: day(2022, 12, 22), Issuer: issuerDept,
			Title:  "về việc báo cáo tình hình thực hiện hỗ trợ doanh nghiệp nâng cao năng suất chất lượng năm 2022",
			Source: "Báo cáo 2022, mục I.1.b"},
		{Type: "Công văn", Number: "1649", Symbol: "SKH-CN-TĐC", IssuedOn: day(2022, 6, 9), Issuer: issuerDept,
			Title:  "gửi Tổng cục Tiêu chuẩn Đo lường Chất lượng đề nghị hướng dẫn một số vướng mắc khi thực hiện quy định tại Thông tư số 35/2021/TT-BTC",
			Source: "Báo cáo 2022, mục II.2 (báo cáo mô tả nội dung, không trích tên văn bản)"},
		{Type: "Thông tư", Number: "35/2021", Symbol: "TT-BTC", Issuer: issuerFinance,
			Title:  "quy định quản lý và sử dụng kinh phí thực hiện " + programmeTitle,
			Source: "Báo cáo 2022, mục II.2 và IV; báo cáo chỉ nêu số hiệu, tên lấy theo văn bản đã ban hành, ngày để trống"},
	}
}
