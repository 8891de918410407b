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
	"pages.more_than":        {"hơn %s", "more than %s"},
	"pages.full_lists":       {"Danh sách đầy đủ có trong chú thích của bản Word và trong tệp", "The full lists are in the Word file's footnotes and in the file"},
}

func init() {
	for k, v := range pagesMessages {
		catalogue[k] = v
	}
}
