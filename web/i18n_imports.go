package web

// importMessages are the texts of an import's page where the file waits
// for its user to choose: what a column of the unit's own holds, whether
// a row is an activity already stored, whether to write rows without
// figures; and of the activity form's same question.
var importMessages = map[string][2]string{
	"import.columns_ask": {"Tệp có cột không có trong mẫu mà có dữ liệu; chưa ghi dòng nào. Hãy chọn mỗi cột ghi chỉ tiêu nào, hoặc bỏ qua cột, rồi bấm “Kiểm tra lại với lựa chọn này”.",
		"The file has columns that are not the template's but hold values; nothing was written. Choose the indicator each holds, or ignore it, then press “Check again with these choices”."},
	"import.columns_where":      {"Dữ liệu", "Values"},
	"import.columns_first":      {"đầu tiên ở dòng", "first on row"},
	"import.columns_holds":      {"Cột này ghi", "This column holds"},
	"import.columns_choose":     {"chọn", "choose"},
	"import.columns_likely":     {"Có thể là", "It could be"},
	"import.columns_all":        {"Các chỉ tiêu và số liệu", "Every indicator and measure"},
	"import.columns_ignore":     {"Bỏ qua cột này (không đọc)", "Ignore this column (not read)"},
	"import.columns_remembered": {"Lựa chọn được nhớ cho đơn vị khi tệp được ghi: lần nhập sau của đơn vị không phải chọn lại.", "The choices are remembered for the unit once the file is written: its next imports need not choose again."},
	"import.columns_submit":     {"Kiểm tra lại với lựa chọn này", "Check again with these choices"},
	"import.same_ask": {"Các dòng dưới đây giống hoạt động đã lưu của đơn vị (cùng ngày, cùng nhóm nhiệm vụ, cùng nội dung hoặc cùng số liệu); chưa ghi dòng nào. Mỗi dòng là cùng một hoạt động đã có (ghi vào hoạt động đó, chỉ tính một lần) hay hoạt động khác (ghi mới)?",
		"The rows below look like activities the unit has stored (same day and task group, same description or same figures); nothing was written. Is each row the same activity as a stored one (written onto it, counted once) or another activity (written as new)?"},
	"import.same_row":        {"Dòng trong tệp", "Row of the file"},
	"import.same_choice":     {"Là", "Is"},
	"import.same_is":         {"cùng hoạt động đã có số", "the same as stored activity"},
	"import.same_new":        {"hoạt động khác (ghi mới)", "another activity (write as new)"},
	"import.same_link_all":   {"Tất cả là cùng hoạt động đã có (cập nhật)", "All are the stored activities (update them)"},
	"import.same_new_all":    {"Tất cả là hoạt động khác (ghi mới)", "All are other activities (write as new)"},
	"import.same_by_row":     {"Ghi theo lựa chọn từng dòng", "Write as chosen row by row"},
	"import.same_more":       {"Còn các dòng giống hoạt động đã có chưa liệt kê (chọn cho cả tệp, hoặc chọn từng dòng rồi xem tiếp):", "More rows look like stored activities and are not listed (choose for the whole file, or row by row and see the next ones):"},
	"import.confirm_ask":     {"Tệp đúng, nhưng có dòng không có số liệu nào; chưa ghi dòng nào. Nếu số liệu nằm ở cột khác, hãy sửa tệp và nhập lại; nếu đúng là không có, bấm “Vẫn ghi”.", "The file is right, but some rows carry no figure; nothing was written. If their figures are in another column, fix the file and import it again; if they truly have none, press “Write anyway”."},
	"import.confirm_write":   {"Vẫn ghi", "Write anyway"},
	"import.warned":          {"Các dòng sau không có số liệu nào:", "These rows carry no figure:"},
	"import.linked":          {"dòng ghi vào hoạt động đã có", "written onto stored activities"},
	"import.read":            {"Cột riêng của đơn vị được đọc là:", "Columns of the unit's own read as:"},
	"import.read_remembered": {"theo lựa chọn đã lưu", "as chosen before"},

	"act.same_ask":  {"Đơn vị đã có hoạt động cùng ngày, cùng nhóm nhiệm vụ giống hoạt động này (cùng nội dung hoặc cùng số liệu); chưa lưu gì. Nếu là cùng một hoạt động, hãy cập nhật nó để không tính hai lần.", "The unit has an activity of the same day and task group that looks like this one (same description or same figures); nothing was saved. If it is the same activity, update it so that it does not count twice."},
	"act.same_is":   {"Đây là cùng hoạt động này (cập nhật nó)", "This is the same activity (update it)"},
	"act.same_new":  {"Đây là hoạt động khác (lưu mới)", "This is a different activity (save as new)"},
	"act.same_keep": {"Cập nhật lấy những gì bạn nhập; ô số liệu, nguồn và mã số thuế để trống giữ giá trị đã có.", "Updating takes what you typed; figures, source and tax codes left empty keep what the activity has."},
}

func init() {
	for k, v := range importMessages {
		catalogue[k] = v
	}
}
