package web

// approvalMessages are the texts of approved and pending figures and of
// targets allotted to units.
var approvalMessages = map[string][2]string{
	"dash.pending":          {"Chưa duyệt (năm / lũy kế)", "Not yet approved (year / cumulative)"},
	"dash.not_approved":     {"chưa duyệt", "not yet approved"},
	"dash.approved_note":    {"Kết quả là số liệu đã được duyệt. Cột “Chưa duyệt” là số liệu đã nhập (nháp, đã gửi chờ duyệt hoặc bị trả lại) nhưng chưa được duyệt.", "Results are approved figures. “Not yet approved” are figures entered (drafts, submitted and awaiting review, or returned) but not yet approved."},
	"dash.share_of":         {"kết quả lũy kế của", "of the cumulative result of"},
	"st.no_own_target":      {"chưa được giao chỉ tiêu", "no target of its own"},
	"report.approved_only":  {"Chỉ số liệu đã duyệt", "Approved figures only"},
	"report.basis_all":      {"Báo cáo tính mọi số liệu đã nhập; phần chưa được duyệt được nêu trong mục kiểm tra.", "The report counts every figure entered; the checks say how much is not yet approved."},
	"report.basis_approved": {"Báo cáo chỉ tính số liệu đã được duyệt; mục kiểm tra nêu phần chưa duyệt không được tính.", "The report counts approved figures only; the checks say how much not yet approved is left out."},
	"round.reopen":          {"Hủy duyệt, trả lại", "Undo approval, return"},
	"confirm.reopen":        {"Hủy duyệt báo cáo này và trả lại đơn vị, kèm nhận xét? Số liệu của đơn vị trong kỳ trở lại chưa duyệt và được sửa lại.", "Undo the approval of this report and return it to its unit, with the comment? The unit's figures for the period are no longer approved, and may be corrected."},
	"setup.allotments":      {"Giao chỉ tiêu cho đơn vị trực thuộc", "Targets allotted to units under the plan's unit"},
	"setup.allotments_note": {"Đơn vị được giao chỉ tiêu được đánh giá theo chỉ tiêu của mình; đơn vị không được giao chỉ thấy tỷ trọng trong kết quả của đơn vị cấp trên. Để trống là không giao.", "A unit given a target is measured against it; a unit given none sees its share of its parent's results. Leave empty to allot nothing."},
	"setup.allotted_sum":    {"Tổng đã giao", "Allotted in all"},
	"setup.plan_target":     {"Chỉ tiêu của kế hoạch", "The plan's target"},
}

func init() {
	for k, v := range approvalMessages {
		catalogue[k] = v
	}
}
