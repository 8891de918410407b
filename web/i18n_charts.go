package web

// chartMessages are the texts of the dashboard's charts: their legends and
// the tables of values read out beside them.
var chartMessages = map[string][2]string{
	"chart.approved":         {"Kết quả đã duyệt", "Approved result"},
	"chart.not_approved":     {"Chưa duyệt", "Not yet approved"},
	"chart.annual_target":    {"Chỉ tiêu năm", "Annual target"},
	"chart.no_target":        {"chưa giao", "none set"},
	"chart.ahead":            {"Đúng hoặc vượt tiến độ", "On track or ahead"},
	"chart.behind":           {"Chậm tiến độ", "Behind"},
	"chart.period_target":    {"Chỉ tiêu cả giai đoạn (100 %)", "Whole-period target (100 %)"},
	"chart.elapsed":          {"Thời gian đã qua", "Time elapsed"},
	"chart.completion_title": {"Tỷ lệ hoàn thành chỉ tiêu so với thời gian đã qua", "Completion of the targets against the time elapsed"},
	"chart.completion_note":  {"Số liệu: cột “Tỷ lệ hoàn thành” và “Tình trạng” của bảng trên.", "The values: the table's “Completion” and “Status” columns above."},
	"chart.values":           {"Số liệu của biểu đồ", "The chart's values"},
}

func init() {
	for k, v := range chartMessages {
		catalogue[k] = v
	}
}
