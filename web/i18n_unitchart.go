package web

// unitChartMessages are the texts of the dashboard's charts by unit and of
// the report page's charts.
var unitChartMessages = map[string][2]string{
	"chart.other_units":  {"Các đơn vị khác", "Other units"},
	"chart.by_unit_note": {"Mỗi biểu đồ vẽ 10 đơn vị có số liệu lớn nhất, các đơn vị còn lại cộng chung một dòng; phần nhạt là số liệu chưa duyệt. Bảng dưới liệt kê đủ các đơn vị.", "Each chart draws the 10 units with the largest figures and sums the others in one row; the lighter part is not yet approved. The table below lists every unit."},
	"chart.unit_values":  {"Số liệu theo đơn vị", "Figures by unit"},
}

func init() {
	for k, v := range unitChartMessages {
		catalogue[k] = v
	}
}
