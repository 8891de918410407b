package web

// roundMessages are the texts of the round page's reporter's part and of
// focal staff's completeness.
var roundMessages = map[string][2]string{
	"round.under":        {"Đơn vị và mọi đơn vị trực thuộc", "A unit and every unit under it"},
	"round.add_one":      {"Thêm một đơn vị", "Add one unit"},
	"round.add":          {"Thêm vào danh sách", "Add to the list"},
	"round.subtree_asks": {"%s đơn vị báo cáo", "%s reporting units"},
	"round.units_hint":   {"Gõ mã hoặc tên đơn vị. Chọn cả một tỉnh hay cả Bộ để yêu cầu mọi sở, quận, huyện và đơn vị đang hoạt động trực thuộc; bỏ chọn để bớt.", "Type a unit's code or name. Choose a whole province, or the Ministry, to ask every open department, district and unit under it; untick to leave one out."},
	"round.days_left":    {"còn %s ngày", "%s days left"},
	"round.day_left":     {"còn 1 ngày", "1 day left"},
	"round.due_today":    {"hạn chót là hôm nay", "due today"},
	"round.day_over":     {"quá hạn 1 ngày", "1 day overdue"},
	"round.days_over":    {"quá hạn %s ngày", "%s days overdue"},
	"round.history":      {"Trao đổi với cán bộ đầu mối", "Review history"},
	"round.no_history":   {"Chưa gửi lần nào.", "Not sent yet."},
	"round.step.submit":  {"gửi báo cáo", "submitted the report"},
	"round.step.return":  {"trả lại báo cáo", "returned the report"},
	"round.step.approve": {"duyệt báo cáo", "approved the report"},
	"round.step.reopen":  {"hủy duyệt, trả lại để sửa", "undid the approval, returned it for correction"},
	"round.entered":      {"Đã nhập trong kỳ", "Entered for this period"},
	"round.entered_none": {"Chưa nhập hoạt động nào trong kỳ báo cáo.", "No activity entered for this period yet."},
	"round.entered_all":  {"Xem tất cả hoạt động trong kỳ", "See every activity of the period"},
	"round.not_asked":    {"Đợt báo cáo này không yêu cầu đơn vị của bạn báo cáo.", "This round does not ask your unit to report."},
	"round.submit_hint":  {"Sau khi gửi, số liệu trong kỳ không sửa được cho đến khi báo cáo bị trả lại.", "Once sent, the period's figures cannot be changed unless the report is returned."},
	"round.awaiting":     {"Chờ duyệt", "Awaiting review"},
	"round.approved":     {"Đã duyệt", "Approved"},
	"round.returned":     {"Bị trả lại", "Returned"},
	"round.late":         {"Gửi trễ hạn", "Sent late"},
	"round.missing":      {"Quá hạn chưa gửi", "Overdue, not sent"},
	"round.units_count":  {"%d đơn vị", "%d units"},
	"round.sort_by":      {"Sắp xếp theo cột này", "Sort by this column"},
}

func init() {
	for k, v := range roundMessages {
		catalogue[k] = v
	}
}
