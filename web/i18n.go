package web

import (
	"net/http"
	"strings"

	"nscl"
	"nscl/report"
)

// Languages the pages come in; Vietnamese is the default.
const (
	langVI = "vi"
	langEN = "en"
)

// catalogue holds every piece of page text that is not data, in
// Vietnamese and English. Templates ask for it with {{t "key"}}.
var catalogue = map[string][2]string{
	"app.name":                    {"Theo dõi Chương trình năng suất chất lượng", "Productivity and quality programme monitoring"},
	"nav.dashboard":               {"Tổng quan", "Dashboard"},
	"nav.activities":              {"Hoạt động", "Activities"},
	"nav.rounds":                  {"Đợt báo cáo", "Reporting rounds"},
	"nav.report":                  {"Báo cáo năm", "Annual report"},
	"nav.enterprises":             {"Doanh nghiệp", "Enterprises"},
	"nav.registrations":           {"Đăng ký tham gia", "Registrations"},
	"import.title":                {"Nhập hoạt động từ tệp", "Import activities from a file"},
	"import.back":                 {"Về đợt báo cáo", "Back to the round"},
	"import.running":              {"Đang kiểm tra và ghi tệp; trang tự cập nhật…", "Checking and writing the file; this page updates itself…"},
	"import.rows":                 {"dòng", "rows"},
	"import.queued":               {"Tệp đang chờ đến lượt: các tệp được nhập lần lượt, từng tệp một; tệp của bạn đứng thứ", "The file waits for its turn: files are imported one at a time; yours is number"},
	"import.queued_after":         {"trong hàng chờ. Trang tự cập nhật…", "in the queue. This page updates itself…"},
	"import.refused":              {"Tệp có lỗi; chưa ghi dòng nào. Hãy sửa các lỗi dưới đây trong tệp rồi nhập lại.", "The file has mistakes; nothing was written. Fix the mistakes below in the file and import it again."},
	"import.sheet":                {"Trang", "Sheet"},
	"import.row":                  {"Dòng", "Row"},
	"import.column":               {"Cột", "Column"},
	"import.problem":              {"Lỗi", "Mistake"},
	"import.more":                 {"Còn nhiều lỗi nữa; chỉ liệt kê 500 lỗi đầu.", "There are more mistakes; only the first 500 are listed."},
	"import.done":                 {"Đã nhập xong", "Imported"},
	"import.created":              {"hoạt động mới", "new"},
	"import.updated":              {"cập nhật", "updated"},
	"import.unchanged":            {"không đổi", "unchanged"},
	"import.ignored":              {"Các cột không thuộc mẫu, trống hoặc đã chọn bỏ qua, không được đọc:", "Columns that are not the template's, empty or ignored as chosen, were not read:"},
	"import.upload":               {"Nhập từ tệp Excel hoặc CSV", "Import from an Excel or CSV file"},
	"import.upload_button":        {"Tải lên và nhập", "Upload and import"},
	"import.template":             {"Tải tệp mẫu Excel", "Download the Excel template"},
	"import.hint":                 {"Tất cả các dòng được kiểm tra trước; nếu có lỗi, không dòng nào được ghi. Nhập lại cùng tệp không tạo thêm hoạt động.", "Every row is checked first; if any is wrong, none is written. Importing the same file again adds nothing."},
	"bounds.label":                {"Ranh giới đơn vị", "Boundaries"},
	"bounds.year_end":             {"Như cuối năm báo cáo (mặc định)", "As at the end of the year (default)"},
	"bounds.current":              {"Như hiện nay (kể cả đơn vị đã sáp nhập)", "As today (units merged since included)"},
	"bounds.as_of":                {"hoặc như tại ngày", "or as on"},
	"report.checks":               {"Kiểm tra trước khi ban hành", "Checks before issuing"},
	"report.checks_ok":            {"Kiểm tra trước khi ban hành: không có vấn đề.", "Checks before issuing: nothing to fix."},
	"report.texts":                {"Phần nội dung soạn thảo", "Written parts"},
	"report.texts_note":           {"Phần để trống được viết từ số liệu của năm, hoặc để lại chỗ [cần bổ sung: …] được tô vàng trong tệp Word. Nội dung năm trước chỉ hiện bên cạnh để tham khảo, không tự dùng.", "An empty part is written from the year's data, or left as a [cần bổ sung: …] blank highlighted in the Word file. Last year's text is only shown beside it, never used by itself."},
	"report.placeholders":         {"Số liệu và mục thay thế (bấm để chèn vào ô đang soạn)", "Figures and placeholders (click to insert into the field being edited)"},
	"report.insert":               {"Chèn vào ô đang soạn", "Insert into the field being edited"},
	"report.settings":             {"Phần đầu văn bản, nơi nhận và người ký", "Letterhead, recipients and signer"},
	"report.save_settings":        {"Lưu các phần trên làm mặc định của đơn vị cho các báo cáo sau (báo cáo đã lưu giữ nguyên của mình)", "Also keep the parts above as the unit's default for later reports (reports already saved keep their own)"},
	"report.own_texts":            {"Nội dung báo cáo", "The report's texts"},
	"report.previous":             {"Nội dung năm %d (tham khảo):", "The %d text (for reference):"},
	"report.use_previous":         {"Dùng nội dung này", "Use this text"},
	"report.period":               {"Báo cáo tổng kết giai đoạn", "Summary of the plan period"},
	"report.preview":              {"Xem trước, in", "Preview, print"},
	"merger.target_origins":       {"Chỉ tiêu cộng với chỉ tiêu của các đơn vị trước đây", "Targets summed with those of former units"},
	"report.chart":                {"Tỷ lệ hoàn thành so với thời gian đã qua của kế hoạch", "Completion against the share of the plan period elapsed"},
	"report.default_hint":         {"Để trống để dùng nội dung mặc định:", "Leave empty to use the default:"},
	"nav.setup":                   {"Thiết lập", "Set-up"},
	"nav.audit":                   {"Nhật ký", "Audit log"},
	"nav.users":                   {"Người dùng", "Users"},
	"nav.logout":                  {"Đăng xuất", "Sign out"},
	"nav.switch":                  {"English", "Tiếng Việt"},
	"login.title":                 {"Đăng nhập", "Sign in"},
	"login.email":                 {"E-mail", "E-mail"},
	"login.password":              {"Mật khẩu", "Password"},
	"login.submit":                {"Đăng nhập", "Sign in"},
	"login.calls":                 {"Doanh nghiệp, tổ chức tư vấn muốn tham gia Chương trình không cần đăng nhập:", "Enterprises and consultants who want to take part need no account:"},
	"login.calls_link":            {"đăng ký tham gia →", "register to take part →"},
	"role.admin":                  {"quản trị", "administrator"},
	"role.focal":                  {"cán bộ đầu mối", "focal point"},
	"role.reporter":               {"đơn vị báo cáo", "reporting unit"},
	"role.viewer":                 {"người xem", "viewer"},
	"dash.reach":                  {"Doanh nghiệp hưởng lợi theo danh sách mã số thuế", "Beneficiary enterprises from the tax-code lists"},
	"dash.reach_note":             {"Với các chỉ tiêu tính theo doanh nghiệp: số lượt và số doanh nghiệp khác nhau mà danh sách doanh nghiệp hưởng lợi của các hoạt động ghi nhận (một doanh nghiệp hỗ trợ nhiều lần chỉ tính một), và số hoạt động có số liệu nhưng chưa có danh sách.", "For indicators counted in enterprises: the visits and the distinct enterprises that activities' beneficiary lists record (an enterprise supported several times counts once), and the activities with a figure but no list."},
	"dash.visits":                 {"Lượt", "Visits"},
	"dash.enterprises":            {"Doanh nghiệp", "Enterprises"},
	"dash.unlisted":               {"Hoạt động chưa có danh sách", "Activities without a list"},
	"dash.title":                  {"Kết quả thực hiện năm", "Results for"},
	"dash.indicator":              {"Nội dung thực hiện", "Indicator"},
	"dash.target":                 {"Chỉ tiêu theo Kế hoạch 05 năm", "5-year target"},
	"dash.year":                   {"Kết quả năm", "Result"},
	"dash.cumulative":             {"Lũy kế từ đầu Chương trình", "Cumulative"},
	"dash.programme_cumulative":   {"Lũy kế", "Programme total"},
	"dash.completion":             {"Tỷ lệ hoàn thành", "Completion"},
	"dash.status":                 {"Tình trạng", "Status"},
	"dash.elapsed":                {"thời gian đã qua", "time elapsed"},
	"dash.pace":                   {"mỗi năm còn cần", "still needed per year"},
	"dash.chart":                  {"Kết quả từng năm so với chỉ tiêu năm", "Yearly results against annual targets"},
	"dash.by_unit":                {"Theo đơn vị báo cáo", "By reporting unit"},
	"dash.unit":                   {"Đơn vị", "Unit"},
	"dash.measures":               {"Số liệu khác", "Other figures"},
	"dash.year_select":            {"Năm", "Year"},
	"dash.show":                   {"Xem", "Show"},
	"dash.annual_target":          {"chỉ tiêu năm", "annual target"},
	"act.title":                   {"Hoạt động", "Activities"},
	"act.new":                     {"Thêm hoạt động", "Add an activity"},
	"act.edit":                    {"Sửa hoạt động", "Edit activity"},
	"act.date":                    {"Ngày", "Date"},
	"act.unit":                    {"Đơn vị", "Unit"},
	"act.group":                   {"Nhóm nhiệm vụ", "Task group"},
	"act.kind":                    {"Loại", "Kind"},
	"act.description":             {"Nội dung", "Description"},
	"act.source":                  {"Nguồn số liệu", "Source"},
	"act.not_in_footnote":         {"Không liệt kê trong chú thích của báo cáo (vẫn cộng vào tổng số)", "Not listed in the report's footnote (still counted in the totals)"},
	"act.not_in_footnote_mark":    {"không liệt kê trong chú thích", "not listed in the footnote"},
	"act.quantities":              {"Số liệu", "Quantities"},
	"act.beneficiaries":           {"Doanh nghiệp thụ hưởng", "Beneficiary enterprises"},
	"act.beneficiary_search":      {"Tìm trong danh bạ doanh nghiệp (tên hoặc mã số thuế)", "Find in the enterprise registry (name or tax code)"},
	"act.beneficiary_search_hint": {"gõ ít nhất 2 ký tự", "type at least 2 characters"},
	"act.beneficiary_codes":       {"Mã số thuế, mỗi dòng một mã (có thể dán cả danh sách)", "Tax codes, one per line (a whole list may be pasted)"},
	"act.beneficiary_unknown":     {"Chưa có trong danh bạ doanh nghiệp", "Not yet in the enterprise registry"},
	"act.beneficiary_add":         {"Thêm các mã số thuế chưa có vào danh bạ doanh nghiệp khi lưu", "Add the tax codes the registry lacks when saving"},
	"act.search":                  {"Tìm", "Search"},
	"act.all":                     {"Tất cả", "All"},
	"act.save":                    {"Lưu", "Save"},
	"act.delete":                  {"Xóa", "Delete"},
	"act.delete_confirm":          {"Xóa hoạt động này?", "Delete this activity?"},
	"act.none":                    {"Không có hoạt động nào khớp bộ lọc.", "No activity matches the filter."},
	"act.count":                   {"hoạt động", "activities"},
	"act.prev":                    {"Trang trước", "Previous"},
	"act.count_on_page":           {"hoạt động trên trang này", "activities on this page"},
	"act.first":                   {"Trang đầu", "First page"},
	"act.next":                    {"Trang sau", "Next"},
	"act.locked":                  {"đã khóa", "locked"},
	"act.locked_note":             {"Báo cáo của đơn vị cho kỳ này đã gửi hoặc đã được duyệt", "The unit's report for this period is submitted or approved"},
	"act.latest":                  {"Bản đang lưu", "Stored version"},
	"act.round":                   {"Đợt báo cáo", "Reporting round"},
	"round.title":                 {"Đợt báo cáo", "Reporting rounds"},
	"round.new":                   {"Mở đợt báo cáo", "Open a round"},
	"round.name":                  {"Tiêu đề", "Title"},
	"round.document":              {"Văn bản yêu cầu", "Request document"},
	"round.period":                {"Kỳ báo cáo", "Period"},
	"round.period_start":          {"Từ ngày", "From"},
	"round.period_end":            {"Đến ngày", "To"},
	"round.cutoff":                {"Ngày chốt số liệu", "Data cut-off"},
	"round.deadline":              {"Hạn nộp", "Deadline"},
	"round.units":                 {"Đơn vị được yêu cầu", "Units asked"},
	"round.completeness":          {"Đã gửi", "Submitted"},
	"round.overdue":               {"Quá hạn chưa gửi", "Overdue"},
	"round.status":                {"Trạng thái", "Status"},
	"round.timeliness":            {"Đúng hạn", "Timeliness"},
	"round.submitted_at":          {"Gửi lúc", "Submitted at"},
	"round.comment":               {"Nhận xét", "Comment"},
	"round.submit":                {"Gửi báo cáo", "Submit"},
	"round.approve":               {"Duyệt", "Approve"},
	"round.return":                {"Trả lại", "Return"},
	"round.open":                  {"Mở đợt", "Open round"},
	"round.none":                  {"Chưa có đợt báo cáo nào.", "No reporting round yet."},
	"round.your_unit":             {"Đơn vị của bạn", "Your unit"},
	"round.enter":                 {"Nhập hoạt động cho kỳ này", "Enter activities for this period"},
	"status.draft":                {"đang soạn", "draft"},
	"status.submitted":            {"đã gửi, chờ duyệt", "submitted"},
	"status.approved":             {"đã duyệt", "approved"},
	"status.returned":             {"bị trả lại", "returned"},
	"time.on_time":                {"đúng hạn", "on time"},
	"time.late":                   {"trễ hạn", "late"},
	"time.missing":                {"quá hạn, chưa gửi", "missing"},
	"time.pending":                {"chưa đến hạn", "not due yet"},
	"st.exceeded":                 {"vượt chỉ tiêu", "target exceeded"},
	"st.on_track":                 {"đúng tiến độ", "on track"},
	"st.behind":                   {"chậm tiến độ", "behind"},
	"st.not_started":              {"chưa có kết quả", "not started"},
	"st.no_target":                {"chưa đặt chỉ tiêu", "no target"},
	"audit.title":                 {"Nhật ký thay đổi", "Audit log"},
	"audit.at":                    {"Thời điểm", "When"},
	"audit.user":                  {"Người thực hiện", "Who"},
	"audit.action":                {"Thao tác", "Action"},
	"audit.entity":                {"Đối tượng", "Record"},
	"audit.field":                 {"Trường", "Field"},
	"audit.before":                {"Trước", "Before"},
	"audit.after":                 {"Sau", "After"},
	"audit.system":                {"hệ thống", "system"},
	"setup.title":                 {"Thiết lập chương trình", "Programme set-up"},
	"setup.plans":                 {"Kế hoạch và chỉ tiêu", "Plans and targets"},
	"setup.documents":             {"Văn bản", "Documents"},
	"setup.units":                 {"Đơn vị", "Org units"},
	"setup.plan":                  {"Kế hoạch", "Plan"},
	"setup.period":                {"Giai đoạn", "Period"},
	"setup.kind":                  {"Loại kế hoạch", "Plan kind"},
	"setup.five_year":             {"Kế hoạch 05 năm", "Five-year plan"},
	"setup.annual":                {"Kế hoạch năm", "Annual plan"},
	"setup.start_year":            {"Từ năm", "From year"},
	"setup.end_year":              {"Đến năm", "To year"},
	"setup.targets":               {"Chỉ tiêu", "Targets"},
	"setup.edit_plan":             {"Sửa kế hoạch và chỉ tiêu", "Edit plan and targets"},
	"setup.edit_unit":             {"Sửa đơn vị", "Edit unit"},
	"setup.add_plan":              {"Thêm kế hoạch", "Add a plan"},
	"setup.add_document":          {"Thêm văn bản", "Add a document"},
	"setup.add_unit":              {"Thêm đơn vị", "Add a unit"},
	"setup.doc_citation":          {"Văn bản", "Document"},
	"setup.doc_title":             {"Trích yếu", "Subject"},
	"setup.doc_type":              {"Loại văn bản", "Type"},
	"setup.doc_number":            {"Số", "Number"},
	"setup.doc_symbol":            {"Ký hiệu", "Symbol"},
	"setup.doc_date":              {"Ngày ban hành", "Issued on"},
	"setup.doc_issuer":            {"Cơ quan ban hành", "Issuer"},
	"setup.unit_code":             {"Mã đơn vị", "Unit code"},
	"setup.level":                 {"Cấp", "Level"},
	"setup.parent":                {"Đơn vị cấp trên", "Parent unit"},
	"setup.short_name":            {"Tên viết tắt", "Short name"},
	"setup.opened_on":             {"Ngày thành lập", "Opened on"},
	"setup.closed_on":             {"Ngày giải thể, sáp nhập", "Closed on"},
	"setup.history":               {"Kế tục và chuyển đơn vị cấp trên", "Successions and moves"},
	"setup.no_history":            {"Chưa có.", "None yet."},
	"setup.close_into":            {"Giải thể, có đơn vị kế tục", "Close into successors"},
	"setup.close_into_note":       {"Sáp nhập (nhiều vào một), chia tách (một thành nhiều) hoặc đổi tên (một thành một); hoạt động đã ghi vẫn thuộc đơn vị này.", "A merger (many into one), a split (one into many) or a renaming (one into one); the activities on file stay this unit's."},
	"setup.successors":            {"Mã đơn vị kế tục (cách nhau bởi dấu phẩy)", "Successor unit codes (comma-separated)"},
	"setup.close_on":              {"Ngày đầu tiên không còn", "First day closed"},
	"setup.move":                  {"Chuyển sang đơn vị cấp trên khác", "Move to another parent"},
	"setup.move_on":               {"Từ ngày", "From"},
	"setup.succeeded_by":          {"kế tục bởi", "succeeded by"},
	"setup.moved":                 {"chuyển từ %s sang %s", "moved from %s to %s"},
	"succession.merge":            {"sáp nhập", "merger"},
	"succession.split":            {"chia tách", "split"},
	"succession.rename":           {"đổi tên", "renaming"},
	"level.ministry":              {"bộ", "ministry"},
	"level.province":              {"tỉnh, thành phố", "province"},
	"level.department":            {"sở, ban, ngành", "department"},
	"level.district":              {"quận, huyện", "district"},
	"level.unit":                  {"đơn vị thực hiện", "implementing unit"},
	"users.title":                 {"Người dùng", "Users"},
	"users.disabled":              {"đã khóa", "disabled"},
	"users.disable":               {"Khóa tài khoản", "Disable"},
	"users.enable":                {"Mở khóa", "Enable"},
	"users.add":                   {"Thêm người dùng", "Add a user"},
	"users.name":                  {"Họ tên", "Name"},
	"users.role":                  {"Vai trò", "Role"},
	"err.title":                   {"Không thực hiện được", "Something went wrong"},
	"err.back":                    {"Quay lại", "Go back"},
	"form.fix":                    {"Vui lòng sửa các lỗi được đánh dấu.", "Please fix the marked fields."},
	"common.yes":                  {"Có", "Yes"},
	"common.actions":              {"Thao tác", "Actions"},
	"common.version_note":         {"Người khác đã sửa bản ghi này sau khi bạn mở. Dữ liệu dưới đây là bản mới nhất; hãy nhập lại thay đổi của bạn.", "Someone else changed this record after you opened it. Below is the latest version; enter your change again."},
}

// translate returns the text for key in lang, or the key itself when the
// catalogue lacks it (a test checks that every key used exists).
func translate(lang, key string) string {
	texts, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return texts[1]
	}
	return texts[0]
}

// Label returns the catalogue's Vietnamese and English texts for key, for
// the command line's output ("level.district", "status.approved" …).
func Label(key string) (vi, en string) {
	return translate(langVI, key), translate(langEN, key)
}

// kindEnglish names the activity kinds in English; their Vietnamese
// names are the domain's (nscl.ActivityKind.Label), shared with documents.
var kindEnglish = map[nscl.ActivityKind]string{
	nscl.KindWorkshop: "workshop", nscl.KindTraining: "training", nscl.KindConsulting: "consulting",
	nscl.KindArticle: "article", nscl.KindVideo: "video", nscl.KindExpertCourse: "expert training",
	nscl.KindLabSupport: "lab support", nscl.KindOther: "other",
}

func init() {
	for _, k := range nscl.ActivityKinds {
		catalogue["kind."+string(k)] = [2]string{k.Label(), kindEnglish[k]}
	}
}

// partLabel names a written part of the report in the reader's language;
// a task group's part keeps the group's own (Vietnamese) name.
func partLabel(lang string, p report.Part) string {
	if lang != langEN {
		return p.Label // the report package names its parts in Vietnamese
	}
	if letter, ok := strings.CutPrefix(p.Key, "group_"); ok {
		_, name, _ := strings.Cut(p.Label, ") ")
		return "I.3 Task group " + letter + ") " + name
	}
	if label, ok := summaryEnglish[p.Key]; ok && p.Summary {
		return label
	}
	if label, ok := partEnglish[p.Key]; ok {
		return label
	}
	return p.Label
}

// summaryEnglish names the parts of a period's summary in English where
// the summary numbers them its own way.
var summaryEnglish = map[string]string{
	"direction": "I.1 Leadership and direction", "obstacles": "II.2 Shortcomings, limits and their causes",
	"lessons": "II.3 Lessons learned", "directions": "III Directions and tasks for the period ahead", "proposals": "IV Proposals",
}

// partEnglish names the report's written parts in English.
var partEnglish = map[string]string{
	"parent_agency":    "Parent agency",
	"agency":           "Issuing agency (lines as printed)",
	"agency_name":      "Agency as named in the text",
	"agency_short":     "Short name",
	"number":           "Document symbol (after “Số: …/”, e.g. SKH-CN-TĐC)",
	"place":            "Place",
	"date":             "Date of issue (dd/mm/yyyy; empty until signed)",
	"subject":          "Subject",
	"request":          "Document requesting the report",
	"direction":        "I.1 Leadership and direction",
	"communication":    "I.2 Information and communication",
	"evaluation_intro": "II.1 Evaluation (before the results table)",
	"evaluation":       "II.1 Evaluation (after the results table)",
	"obstacles":        "II.2 Shortcomings and obstacles",
	"directions":       "III.1 Directions",
	"solutions":        "III.2 Solutions",
	"proposals":        "IV Proposals",
	"recipients":       "Recipients (one per line, as printed)",
	"signer_title":     "Signer's title",
	"signer_name":      "Signer",
}

// language is the reader's choice from the "lang" cookie; Vietnamese by default.
func language(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && c.Value == langEN {
		return langEN
	}
	return langVI
}
