package web

// progressMessages are the texts of work that shows how far it has come:
// an import's rows and time left, a document being made for download.
var progressMessages = map[string][2]string{
	"import.pass_check":   {"Kiểm tra", "Checking"},
	"import.pass_write":   {"Ghi", "Writing"},
	"import.left_soon":    {"sắp xong", "almost done"},
	"import.left_seconds": {"còn khoảng %s giây", "about %s seconds left"},
	"import.left_minute":  {"còn khoảng 1 phút", "about a minute left"},
	"import.left_minutes": {"còn khoảng %s phút", "about %s minutes left"},
	"download.busy":       {"Đang tạo tệp %s…", "Making the file %s…"},
	"download.ready":      {"Đã tạo xong; nếu tệp chưa tự tải về, bấm:", "Ready; if the file did not download by itself, press:"},
	"download.failed":     {"Không tạo được tệp:", "The file could not be made:"},
}

func init() {
	for k, v := range progressMessages {
		catalogue[k] = v
	}
}
