package demo

import "nscl"

// OpenCall is the demo's call for participation, modelled on Thông báo
// 1905/TB-SKH-CN of 23/9/2022: enterprises register for support, and
// consulting organisations and experts to carry it out. It has no closing
// date, so that the demo's public page takes registrations.
func OpenCall() nscl.Call {
	return nscl.Call{
		Title: "Mời đăng ký tham gia thực hiện các nhiệm vụ hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng " +
			"dựa trên nền tảng khoa học, công nghệ và đổi mới sáng tạo của Thành phố Hồ Chí Minh",
		Description: "Theo Thông báo số 1905/TB-SKH-CN ngày 23/9/2022 của Sở Khoa học và Công nghệ. " +
			"Doanh nghiệp có nhu cầu được hỗ trợ áp dụng tiêu chuẩn, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, " +
			"đào tạo nguồn nhân lực, hoặc đánh giá sự phù hợp, đăng ký nội dung cần hỗ trợ; " +
			"tổ chức, chuyên gia tư vấn đăng ký nội dung có thể tham gia thực hiện. " +
			"Sở sẽ xem xét và liên hệ lại theo thông tin đăng ký.",
		OpensOn: day(2022, 9, 23),
	}
}
