package web

// littleMessages are the texts of the error pages, the empty registry and
// the unit tree of the set-up page.
var littleMessages = map[string][2]string{
	"errpage.title.404":  {"Không tìm thấy trang", "Page not found"},
	"errpage.title.403":  {"Không có quyền truy cập", "Access denied"},
	"errpage.title.500":  {"Lỗi hệ thống", "Server error"},
	"errpage.advice.404": {"Địa chỉ này không có trong hệ thống, hoặc bản ghi đã bị xoá. Hãy kiểm tra lại đường dẫn, hoặc bắt đầu lại từ trang Tổng quan.", "This address is not in the system, or the record was deleted. Check the address, or start again from the dashboard."},
	"errpage.advice.403": {"Tài khoản của bạn không được làm việc này. Nếu cần, hãy liên hệ cán bộ đầu mối hoặc quản trị viên.", "Your account may not do this. If you need to, ask the focal-point staff or an administrator."},
	"errpage.advice.500": {"Hệ thống gặp sự cố khi xử lý yêu cầu; sự cố đã được ghi lại. Vui lòng thử lại sau ít phút.", "The system ran into a problem with this request; it has been logged. Please try again in a few minutes."},
	"ent.empty":          {"Danh bạ doanh nghiệp chưa có doanh nghiệp nào.", "The registry is empty: it holds no enterprise yet."},
	"ent.empty_how":      {"Doanh nghiệp vào danh bạ khi một hoạt động ghi mã số thuế của doanh nghiệp hưởng lợi, khi một đăng ký tham gia được duyệt, hoặc khi được thêm trực tiếp.", "Enterprises enter the registry when an activity names a beneficiary's tax code, when a registration is approved, or when added here directly."},
	"ent.past_end":       {"Trang này ở sau trang cuối của danh bạ.", "This page is past the registry's last page."},
	"ent.first_page":     {"Về trang đầu", "Back to the first page"},
	"tree.hint":          {"Bấm vào một đơn vị để mở hoặc gấp các đơn vị trực thuộc; bấm mã đơn vị để sửa. Đơn vị đã ngừng hoạt động được gấp riêng và tô xám.", "Click a unit to open or fold the units under it; click its code to edit it. Closed units are folded apart and greyed."},
	"tree.closed_group":  {"Đơn vị đã ngừng hoạt động", "Closed units"},
	"tree.closed_from":   {"ngừng hoạt động từ", "closed from"},
	"tree.opened_on":     {"thành lập", "opened"},
	"tree.successors":    {"Đơn vị kế thừa", "Succeeded by"},
	"tree.units":         {"đơn vị", "units"},
	"tree.level_hint":    {"Cây đơn vị lớn nên hiện từng cấp: bấm số đơn vị trực thuộc để xem cấp dưới, bấm mã đơn vị để sửa; hoặc tìm theo mã hay tên.", "The tree is large, so it shows one level at a time: click the count of units under a unit to see them, its code to edit it; or search by code or name."},
	"tree.search":        {"Tìm đơn vị (mã hoặc tên)", "Find a unit (code or name)"},
	"tree.find":          {"Tìm", "Find"},
	"tree.top":           {"Gốc", "Top"},
	"tree.more":          {"Các đơn vị tiếp theo", "Next units"},
	"tree.first":         {"Về đầu danh sách", "Back to the first units"},
	"tree.see_level":     {"xem đơn vị trực thuộc", "see the units under it"},
	"tree.found_none":    {"Không tìm thấy đơn vị nào.", "No unit found."},
	"tree.found_first":   {"Hiện %s đơn vị đầu tiên tìm thấy; gõ cụ thể hơn để thu hẹp.", "The first %s units found; type more to narrow them."},
	"errpage.home":       {"Về trang Tổng quan", "Back to the dashboard"},
}

func init() {
	for k, v := range littleMessages {
		catalogue[k] = v
	}
}
