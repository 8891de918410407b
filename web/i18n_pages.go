package web

// pagesMessages are the texts of the bounded pages (issue 16): the report
// page's first activities of each task group, the unit search, the
// dashboard's drill-down and the lists that say "more than N".
var pagesMessages = map[string][2]string{
	"pages.group_activities": {"Hoạt động theo nhóm nhiệm vụ", "Activities by task group"},
	"pages.activities":       {"hoạt động", "activities"},
	"pages.and_more":         {"… và %s hoạt động khác", "… and %s more activities"},
	"pages.and_more_units":   {"… và %s đơn vị khác", "… and %s more units"},
	"pages.units_pages":      {"Các trang của bảng đơn vị", "Pages of the units' table"},
	"pages.units_shown":      {"%s trên %s đơn vị", "%s of %s units"},
	"pages.own_work":         {"phần tự thực hiện", "its own work"},
	"pages.by_child_note":    {"Mỗi dòng là một đơn vị trực thuộc, gồm cả các đơn vị cấp dưới của nó; bấm vào tên để xem chi tiết.", "Each row is a unit directly under this one, with every unit below it; follow its name for the details."},
	"pages.unit_placeholder": {"mã hoặc tên đơn vị", "unit code or name"},
	"pages.unit_hint":        {"Gõ mã đơn vị, hoặc vài chữ của tên rồi chọn trong danh sách gợi ý", "Type the unit's code, or a few letters of its name and pick it from the suggestions"},
	"pages.more_than":        {"hơn %s", "more than %s"},
	"pages.full_lists":       {"Danh sách đầy đủ có trong chú thích của bản Word và trong tệp", "The full lists are in the Word file's footnotes and in the file"},
}

func init() {
	for k, v := range pagesMessages {
		catalogue[k] = v
	}
}
