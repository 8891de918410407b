package web

// homeMessages are the texts of the public home (home.go), of the
// visitors' menu and the staff's links to the portal, and of the
// dashboard's panel of what the portal counted.
var homeMessages = map[string][2]string{
	"nav.home":    {"Trang chủ", "Home"},
	"nav.calls":   {"Đăng ký tham gia", "Register"},
	"nav.posts":   {"Tin bài, tài liệu", "Articles and materials"},
	"nav.classes": {"Lớp tập huấn", "Training classes"},

	"home.intro": {"Trang thông tin của Chương trình: các nhóm nhiệm vụ, tiến độ thực hiện mục tiêu theo số liệu các đơn vị báo cáo, các đợt đăng ký đang mở cho doanh nghiệp, lịch tập huấn và tin tức.",
		"The programme's page: its task groups, its progress towards its targets from what the units report, the calls open to enterprises, the training calendar and the news."},
	"home.tasks":           {"Các nhóm nhiệm vụ", "Task groups"},
	"home.progress":        {"Tiến độ thực hiện mục tiêu giai đoạn", "Progress towards the targets of"},
	"home.cumulative":      {"Lũy kế", "Cumulative"},
	"home.target":          {"Mục tiêu", "Target"},
	"home.completion":      {"Tỷ lệ hoàn thành", "Completion"},
	"home.programme_total": {"Lũy kế từ đầu Chương trình", "Since the programme began"},
	"home.year":            {"Năm", "Year"},
	"home.basis":           {"Số liệu đã được duyệt đến nay, như báo cáo năm %d (chỉ số liệu đã duyệt); cập nhật theo số liệu các đơn vị báo cáo.", "Approved figures to date, as the %d annual report counts them (approved figures only); updated as units report."},
	"home.calls":           {"Đăng ký tham gia đang mở", "Open calls for registration"},
	"home.all_calls":       {"Tất cả đợt đăng ký", "All calls"},
	"home.classes":         {"Lớp tập huấn sắp tới", "Coming training classes"},
	"home.all_classes":     {"Lịch tập huấn", "Training calendar"},
	"home.news":            {"Tin mới", "Latest news"},
	"home.all_news":        {"Tất cả tin tức", "All news"},

	"dash.portal":             {"Cổng thông tin của Chương trình", "The programme's portal"},
	"dash.portal_note":        {"Những gì cổng thông tin tự ghi thành hoạt động trong năm (tin bài, tài liệu đã đăng; lớp tập huấn theo điểm danh), bên cạnh phần các đơn vị tự báo cáo; gồm cả số liệu chưa duyệt.", "What the portal wrote as activities in the year (articles and materials published; classes from their attendance), beside what the units reported themselves; not yet approved figures included."},
	"dash.portal_articles":    {"Tin bài đã đăng", "Articles published"},
	"dash.portal_videos":      {"Video đã đăng", "Videos published"},
	"dash.portal_documents":   {"Tài liệu đã đăng", "Documents published"},
	"dash.portal_classes":     {"Lớp tập huấn đã điểm danh", "Classes with attendance"},
	"dash.portal_present":     {"có mặt:", "present:"},
	"dash.portal_enterprises": {"doanh nghiệp", "enterprises"},
	"dash.portal_people":      {"học viên", "trainees"},
	"dash.portal_figure":      {"Số liệu", "Figure"},
	"dash.portal_from_portal": {"Từ cổng thông tin", "From the portal"},
	"dash.portal_by_hand":     {"Đơn vị tự báo cáo", "Reported by units"},
	"dash.portal_total":       {"Tổng", "Total"},
}

func init() {
	for k, v := range homeMessages {
		catalogue[k] = v
	}
}
