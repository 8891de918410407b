package web

// formMessages are the texts forms say after they are sent: the count of
// mistakes, the flash of a saved record, and the confirmations.
var formMessages = map[string][2]string{
	"form.mistakes": {"Chưa thực hiện: có %d chỗ cần sửa, ghi ngay bên cạnh từng ô.", "Not done: %d fields need correcting, each marked beside it."},

	"flash.activity":          {"Đã lưu hoạt động.", "The activity is saved."},
	"flash.activity.link":     {"Mở hoạt động vừa lưu", "Open the saved activity"},
	"flash.report_texts":      {"Đã lưu nội dung báo cáo.", "The report's texts are saved."},
	"flash.activity_deleted":  {"Đã xóa hoạt động.", "The activity is deleted."},
	"flash.plan":              {"Đã lưu kế hoạch.", "The plan is saved."},
	"flash.plan.link":         {"Mở kế hoạch vừa lưu", "Open the saved plan"},
	"flash.unit":              {"Đã lưu đơn vị.", "The unit is saved."},
	"flash.unit.link":         {"Mở đơn vị vừa lưu", "Open the saved unit"},
	"flash.document":          {"Đã lưu văn bản.", "The document is saved."},
	"flash.document.link":     {"Xem văn bản vừa lưu", "See the saved document"},
	"flash.round":             {"Đã mở đợt báo cáo.", "The reporting round is open."},
	"flash.round.link":        {"Mở đợt báo cáo vừa lưu", "Open the saved round"},
	"flash.submitted":         {"Đã gửi báo cáo.", "The report is submitted."},
	"flash.submitted.link":    {"Xem đợt báo cáo", "See the round"},
	"flash.approved":          {"Đã duyệt báo cáo; số liệu trong kỳ đã khóa.", "The report is approved; its period's figures are locked."},
	"flash.approved.link":     {"Xem đợt báo cáo", "See the round"},
	"flash.returned":          {"Đã trả lại báo cáo cho đơn vị.", "The report is returned to its unit."},
	"flash.returned.link":     {"Xem đợt báo cáo", "See the round"},
	"flash.user":              {"Đã lưu tài khoản.", "The account is saved."},
	"flash.user.link":         {"Xem tài khoản vừa lưu", "See the saved account"},
	"flash.enterprise":        {"Đã lưu doanh nghiệp.", "The enterprise is saved."},
	"flash.enterprise.link":   {"Mở doanh nghiệp vừa lưu", "Open the saved enterprise"},
	"flash.merged":            {"Đã gộp hai bản ghi doanh nghiệp.", "The two records are merged."},
	"flash.merged.link":       {"Mở bản ghi chính", "Open the main record"},
	"flash.unmerged":          {"Đã tách bản ghi khỏi bản ghi chính.", "The record is separated from the main one."},
	"flash.unmerged.link":     {"Mở bản ghi đã tách", "Open the separated record"},
	"flash.call":              {"Đã lưu đợt mời đăng ký.", "The call for participation is saved."},
	"flash.call.link":         {"Mở đợt mời đăng ký vừa lưu", "Open the saved call"},
	"flash.call_closed":       {"Đã đóng đợt mời đăng ký; hôm nay là ngày nhận đăng ký cuối cùng.", "The call is closed; today is its last day of registrations."},
	"flash.call_closed.link":  {"Mở đợt mời đăng ký", "Open the call"},
	"flash.accepted":          {"Đã chấp nhận đăng ký; doanh nghiệp đã có trong danh bạ.", "The registration is accepted; the enterprise is in the registry."},
	"flash.accepted.link":     {"Xem đăng ký", "See the registration"},
	"flash.declined":          {"Đã không chấp nhận đăng ký.", "The registration is declined."},
	"flash.declined.link":     {"Xem đăng ký", "See the registration"},
	"confirm.title":           {"Xác nhận", "Please confirm"},
	"confirm.cancel":          {"Hủy, quay lại", "Cancel, go back"},
	"confirm.delete_activity": {"Xóa hoạt động này? Số liệu của nó bị trừ khỏi các tổng cộng; không khôi phục được.", "Delete this activity? Its figures leave the totals; this cannot be undone."},
	"confirm.delete":          {"Xóa", "Delete"},
	"confirm.approve":         {"Duyệt báo cáo này? Sau khi duyệt, số liệu của đơn vị trong kỳ bị khóa.", "Approve this report? Once approved, the unit's figures for the period are locked."},
	"confirm.return":          {"Trả lại báo cáo này cho đơn vị, kèm nhận xét?", "Return this report to its unit, with the comment?"},
	"confirm.close_call":      {"Đóng đợt mời đăng ký này? Hôm nay là ngày nhận đăng ký cuối cùng.", "Close this call? Today becomes its last day of registrations."},
	"confirm.merge":           {"Gộp doanh nghiệp này vào doanh nghiệp dưới đây? Các hoạt động sẽ tính cho bản ghi chính.", "Merge this enterprise into the one below? Its activities will count for the main record."},
	"confirm.unmerge":         {"Tách bản ghi này khỏi bản ghi chính?", "Separate this record from the main one?"},
	"confirm.accept":          {"Chấp nhận đăng ký này? Doanh nghiệp được ghi vào danh bạ; không hoàn tác được.", "Accept this registration? The enterprise is filed in the registry; this cannot be undone."},
	"confirm.decline":         {"Không chấp nhận đăng ký này, với lý do dưới đây? Không hoàn tác được.", "Decline this registration, for the reason below? This cannot be undone."},
}

func init() {
	for k, v := range formMessages {
		catalogue[k] = v
	}
}
