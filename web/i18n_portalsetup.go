package web

// The set-up page's section on where the portal counts (issue 17).
var portalSetupMessages = map[string][2]string{
	"setup.portal": {"Cổng thông tin: tính vào đâu", "Portal: where it counts"},
	"setup.portal_hint": {"Tin bài, tài liệu được đăng và lớp học được điểm danh trên cổng thông tin tự thành hoạt động của đơn vị, tính vào nhóm nhiệm vụ và chỉ tiêu, số liệu chọn ở đây. Thay đổi áp dụng cho lần đăng, lần điểm danh sau; hoạt động đã ghi giữ nguyên.",
		"Articles and materials published and classes whose attendance is marked on the portal become activities of their unit, counted in the task group and the indicators and measures chosen here. A change applies to what is published or marked next; activities already written stay as they are."},
	"setup.portal_change":                   {"Chọn nơi tính", "Choose where it counts"},
	"setup.portal_group":                    {"Nhóm nhiệm vụ của tin bài, tài liệu", "Task group of articles and materials"},
	"setup.portal_none":                     {"— không tính —", "— counts nowhere —"},
	"setup.portal.article_metric":           {"Mỗi tin bài được đăng cộng 1 vào", "Each article published adds 1 to"},
	"setup.portal.video_metric":             {"Mỗi video được đăng cộng 1 vào", "Each video published adds 1 to"},
	"setup.portal.document_metric":          {"Mỗi tài liệu được đăng cộng 1 vào", "Each document published adds 1 to"},
	"setup.portal.class_enterprises_metric": {"Số doanh nghiệp có mặt ở lớp học tính vào", "A class's enterprises present count in"},
	"setup.portal.class_trainees_metric":    {"Số người có mặt ở lớp học tính vào", "A class's attendees present count in"},
	"flash.portal_counting":                 {"Đã lưu nơi tính số liệu của cổng thông tin.", "Where the portal counts is saved."},
}

func init() {
	for k, v := range portalSetupMessages {
		catalogue[k] = v
	}
}
