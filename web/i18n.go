package web

import "net/http"

// Languages the pages come in; Vietnamese is the default.
const (
	langVI = "vi"
	langEN = "en"
)

// catalogue holds every piece of page text that is not data, in
// Vietnamese and English. Templates ask for it with {{t "key"}}.
var catalogue = map[string][2]string{
	"app.name":             {"Theo dõi Chương trình năng suất chất lượng", "Productivity and quality programme monitoring"},
	"nav.dashboard":        {"Tổng quan", "Dashboard"},
	"nav.activities":       {"Hoạt động", "Activities"},
	"nav.rounds":           {"Đợt báo cáo", "Reporting rounds"},
	"nav.setup":            {"Thiết lập", "Set-up"},
	"nav.audit":            {"Nhật ký", "Audit log"},
	"nav.users":            {"Người dùng", "Users"},
	"nav.logout":           {"Đăng xuất", "Sign out"},
	"nav.switch":           {"English", "Tiếng Việt"},
	"login.title":          {"Đăng nhập", "Sign in"},
	"login.email":          {"E-mail", "E-mail"},
	"login.password":       {"Mật khẩu", "Password"},
	"login.submit":         {"Đăng nhập", "Sign in"},
	"role.admin":           {"quản trị", "administrator"},
	"role.focal":           {"cán bộ đầu mối", "focal point"},
	"role.reporter":        {"đơn vị báo cáo", "reporting unit"},
	"role.viewer":          {"người xem", "viewer"},
	"dash.title":           {"Kết quả thực hiện năm", "Results for"},
	"dash.indicator":       {"Nội dung thực hiện", "Indicator"},
	"dash.target":          {"Chỉ tiêu theo Kế hoạch 05 năm", "5-year target"},
	"dash.year":            {"Kết quả năm", "Result"},
	"dash.cumulative":      {"Lũy kế từ đầu Chương trình", "Cumulative"},
	"dash.completion":      {"Tỷ lệ hoàn thành", "Completion"},
	"dash.status":          {"Tình trạng", "Status"},
	"dash.elapsed":         {"thời gian đã qua", "time elapsed"},
	"dash.pace":            {"mỗi năm còn cần", "still needed per year"},
	"dash.chart":           {"Kết quả từng năm so với chỉ tiêu năm", "Yearly results against annual targets"},
	"dash.by_unit":         {"Theo đơn vị báo cáo", "By reporting unit"},
	"dash.unit":            {"Đơn vị", "Unit"},
	"dash.measures":        {"Số liệu khác", "Other figures"},
	"dash.year_select":     {"Năm", "Year"},
	"dash.show":            {"Xem", "Show"},
	"dash.annual_target":   {"chỉ tiêu năm", "annual target"},
	"act.title":            {"Hoạt động", "Activities"},
	"act.new":              {"Thêm hoạt động", "Add an activity"},
	"act.edit":             {"Sửa hoạt động", "Edit activity"},
	"act.date":             {"Ngày", "Date"},
	"act.unit":             {"Đơn vị", "Unit"},
	"act.group":            {"Nhóm nhiệm vụ", "Task group"},
	"act.kind":             {"Loại", "Kind"},
	"act.description":      {"Nội dung", "Description"},
	"act.source":           {"Nguồn số liệu", "Source"},
	"act.quantities":       {"Số liệu", "Quantities"},
	"act.beneficiaries":    {"Doanh nghiệp thụ hưởng (mã số thuế, mỗi dòng một mã)", "Beneficiary enterprises (tax codes, one per line)"},
	"act.search":           {"Tìm", "Search"},
	"act.all":              {"Tất cả", "All"},
	"act.save":             {"Lưu", "Save"},
	"act.delete":           {"Xóa", "Delete"},
	"act.delete_confirm":   {"Xóa hoạt động này?", "Delete this activity?"},
	"act.none":             {"Không có hoạt động nào khớp bộ lọc.", "No activity matches the filter."},
	"act.count":            {"hoạt động", "activities"},
	"act.prev":             {"Trang trước", "Previous"},
	"act.next":             {"Trang sau", "Next"},
	"act.round":            {"Đợt báo cáo", "Reporting round"},
	"kind.workshop":        {"hội thảo, hội nghị", "workshop"},
	"kind.training":        {"tập huấn, đào tạo", "training"},
	"kind.consulting":      {"tư vấn, hỗ trợ", "consulting"},
	"kind.article":         {"tin bài", "article"},
	"kind.video":           {"video", "video"},
	"kind.expert_training": {"đào tạo chuyên gia", "expert training"},
	"kind.lab_support":     {"hỗ trợ phòng thử nghiệm", "lab support"},
	"kind.other":           {"khác", "other"},
	"round.title":          {"Đợt báo cáo", "Reporting rounds"},
	"round.new":            {"Mở đợt báo cáo", "Open a round"},
	"round.name":           {"Tiêu đề", "Title"},
	"round.document":       {"Văn bản yêu cầu", "Request document"},
	"round.period":         {"Kỳ báo cáo", "Period"},
	"round.period_start":   {"Từ ngày", "From"},
	"round.period_end":     {"Đến ngày", "To"},
	"round.cutoff":         {"Ngày chốt số liệu", "Data cut-off"},
	"round.deadline":       {"Hạn nộp", "Deadline"},
	"round.units":          {"Đơn vị được yêu cầu", "Units asked"},
	"round.completeness":   {"Đã gửi", "Submitted"},
	"round.overdue":        {"Quá hạn chưa gửi", "Overdue"},
	"round.status":         {"Trạng thái", "Status"},
	"round.timeliness":     {"Đúng hạn", "Timeliness"},
	"round.submitted_at":   {"Gửi lúc", "Submitted at"},
	"round.comment":        {"Nhận xét", "Comment"},
	"round.submit":         {"Gửi báo cáo", "Submit"},
	"round.approve":        {"Duyệt", "Approve"},
	"round.return":         {"Trả lại", "Return"},
	"round.open":           {"Mở đợt", "Open round"},
	"round.none":           {"Chưa có đợt báo cáo nào.", "No reporting round yet."},
	"round.your_unit":      {"Đơn vị của bạn", "Your unit"},
	"round.enter":          {"Nhập hoạt động cho kỳ này", "Enter activities for this period"},
	"status.draft":         {"đang soạn", "draft"},
	"status.submitted":     {"đã gửi, chờ duyệt", "submitted"},
	"status.approved":      {"đã duyệt", "approved"},
	"status.returned":      {"bị trả lại", "returned"},
	"time.on_time":         {"đúng hạn", "on time"},
	"time.late":            {"trễ hạn", "late"},
	"time.missing":         {"quá hạn, chưa gửi", "missing"},
	"time.pending":         {"chưa đến hạn", "not due yet"},
	"st.exceeded":          {"vượt chỉ tiêu", "target exceeded"},
	"st.on_track":          {"đúng tiến độ", "on track"},
	"st.behind":            {"chậm tiến độ", "behind"},
	"st.not_started":       {"chưa có kết quả", "not started"},
	"st.no_target":         {"chưa đặt chỉ tiêu", "no target"},
	"audit.title":          {"Nhật ký thay đổi", "Audit log"},
	"audit.at":             {"Thời điểm", "When"},
	"audit.user":           {"Người thực hiện", "Who"},
	"audit.action":         {"Thao tác", "Action"},
	"audit.entity":         {"Đối tượng", "Record"},
	"audit.before":         {"Trước", "Before"},
	"audit.after":          {"Sau", "After"},
	"audit.system":         {"hệ thống", "system"},
	"setup.title":          {"Thiết lập chương trình", "Programme set-up"},
	"setup.plans":          {"Kế hoạch và chỉ tiêu", "Plans and targets"},
	"setup.documents":      {"Văn bản", "Documents"},
	"setup.units":          {"Đơn vị", "Org units"},
	"users.title":          {"Người dùng", "Users"},
	"users.add":            {"Thêm người dùng", "Add a user"},
	"users.name":           {"Họ tên", "Name"},
	"users.role":           {"Vai trò", "Role"},
	"err.title":            {"Không thực hiện được", "Something went wrong"},
	"err.back":             {"Quay lại", "Go back"},
	"form.fix":             {"Vui lòng sửa các lỗi được đánh dấu.", "Please fix the marked fields."},
	"common.yes":           {"Có", "Yes"},
	"common.actions":       {"Thao tác", "Actions"},
	"common.version_note":  {"Người khác đã sửa bản ghi này sau khi bạn mở. Dữ liệu dưới đây là bản mới nhất; hãy nhập lại thay đổi của bạn.", "Someone else changed this record after you opened it. Below is the latest version; enter your change again."},
}

// translate returns the text for key in lang, or the key itself when the
// catalogue lacks it (a test checks that every key used exists).
func translate(lang, key string) string {
	texts, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return texts[1]
	}
	return texts[0]
}

// language is the reader's choice from the "lang" cookie; Vietnamese by default.
func language(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && c.Value == langEN {
		return langEN
	}
	return langVI
}
