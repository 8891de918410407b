package web

import "nscl"

// registrationMessages are the texts of the calls for participation and of
// the review of registrations.
var registrationMessages = map[string][2]string{
	"call.list_title":     {"Đăng ký tham gia Chương trình", "Register for the programme"},
	"call.list_intro":     {"Các đợt mời đăng ký đang mở. Doanh nghiệp đăng ký nhận hỗ trợ; tổ chức, chuyên gia tư vấn đăng ký tham gia thực hiện.", "The calls for participation open now. Enterprises register for support; consulting organisations and experts register to take part in it."},
	"call.none_open":      {"Hiện không có đợt mời đăng ký nào đang mở.", "No call for participation is open at present."},
	"call.opens_on":       {"Nhận đăng ký từ ngày", "Open from"},
	"call.closes_on":      {"Hạn đăng ký", "Closing date"},
	"call.no_deadline":    {"chưa định hạn", "none set"},
	"call.open_link":      {"Xem thông báo và đăng ký", "Read the notice and register"},
	"call.back":           {"Các đợt mời đăng ký đang mở", "Open calls for participation"},
	"call.form_title":     {"Phiếu đăng ký", "Registration form"},
	"call.required_note":  {"Các mục có dấu * là bắt buộc; cần ghi ít nhất e-mail hoặc số điện thoại để liên hệ.", "Fields marked * are required; give at least an e-mail address or a phone number to be contacted."},
	"call.thanks_title":   {"Đã nhận đăng ký", "Registration received"},
	"call.thanks":         {"Cảm ơn quý doanh nghiệp, tổ chức, chuyên gia đã đăng ký. Cán bộ đầu mối của Chương trình sẽ xem xét và liên hệ lại theo thông tin đăng ký.", "Thank you for registering. The programme's focal staff will review your registration and contact you."},
	"call.reference":      {"Số tham chiếu của đăng ký", "Reference number"},
	"call.reference_hint": {"Vui lòng ghi lại số này để tiện trao đổi khi liên hệ.", "Please keep this number and quote it when you get in touch."},
	"call.refused_title":  {"Không gửi được đăng ký", "The registration could not be sent"},
	"call.refused":        {"Đăng ký chưa được gửi đi. Vui lòng thử lại; nếu vẫn không gửi được, xin liên hệ cán bộ đầu mối của Chương trình.", "The registration was not sent. Please try again; if it still fails, contact the programme's focal staff."},
	"call.try_again":      {"Thử lại", "Try again"},

	"call.manage_title":   {"Quản lý đợt mời đăng ký", "Manage calls for participation"},
	"call.manage_intro":   {"Mọi đợt mời đăng ký của Chương trình — đang mở, chưa mở và đã đóng — với số đăng ký theo trạng thái.", "Every call of the programme — open, not yet open and closed — with its registrations by status."},
	"call.none":           {"Chưa có đợt mời đăng ký nào.", "There is no call for participation yet."},
	"call.new":            {"Mở đợt mời đăng ký mới", "Open a new call"},
	"call.edit":           {"Sửa đợt mời đăng ký", "Edit the call"},
	"call.edit_link":      {"Sửa", "Edit"},
	"call.title":          {"Tên đợt mời đăng ký", "Title of the call"},
	"call.description":    {"Nội dung mời đăng ký (hiện trên trang công khai)", "What the call is about (shown on the public page)"},
	"call.notice":         {"Văn bản thông báo", "Notice document"},
	"call.notice_none":    {"— không ghi —", "— none —"},
	"call.closes_on_hint": {"Để trống khi chưa định hạn. Đăng ký được nhận đến hết ngày này.", "Leave empty while no end is set. Registrations are taken until this day ends."},
	"call.state":          {"Tình trạng", "State"},
	"call.state.upcoming": {"chưa mở", "not yet open"},
	"call.state.open":     {"đang mở", "open"},
	"call.state.closed":   {"đã đóng", "closed"},
	"call.close":          {"Đóng hôm nay", "Close today"},
	"call.close_hint":     {"“Đóng hôm nay” lấy hôm nay làm hạn đăng ký: đợt mời vẫn nhận đăng ký đến hết ngày.", "“Close today” makes today the closing date: the call takes registrations until the day ends."},
	"call.latest":         {"Bản đang lưu", "Stored version"},

	"reg.kind":          {"Đăng ký với tư cách", "Registering as"},
	"reg.tax_code":      {"Mã số thuế", "Tax code"},
	"reg.tax_code_hint": {"10 chữ số; chi nhánh: 10 chữ số, dấu gạch và 3 chữ số (ví dụ 0301234567-001)", "10 digits; a branch: 10 digits, a hyphen and 3 digits (e.g. 0301234567-001)"},
	"reg.name":          {"Tên doanh nghiệp, tổ chức hoặc chuyên gia", "Name of the enterprise, organisation or expert"},
	"reg.address":       {"Địa chỉ", "Address"},
	"reg.district":      {"Quận, huyện", "District"},
	"reg.sector":        {"Ngành nghề (mã VSIC, nếu có)", "Sector (VSIC code, if known)"},
	"reg.size":          {"Quy mô doanh nghiệp (nếu có)", "Enterprise size (if known)"},
	"reg.size_none":     {"— không ghi —", "— not stated —"},
	"reg.contact_name":  {"Người liên hệ", "Contact person"},
	"reg.contact_email": {"E-mail", "E-mail"},
	"reg.contact_phone": {"Số điện thoại", "Phone"},
	"reg.support":       {"Nội dung đăng ký (hỗ trợ cần nhận, hoặc nội dung có thể tham gia thực hiện)", "What you register for (the support you need, or the work you can take part in)"},
	"reg.honeypot":      {"Không điền vào ô này", "Leave this field empty"},
	"reg.privacy_note":  {"Thông tin đăng ký chỉ cán bộ đầu mối của Chương trình được xem và chỉ dùng để xem xét, liên hệ hỗ trợ.", "Only the programme's focal staff see what you send, and use it only to consider your registration and contact you."},
	"reg.submit":        {"Gửi đăng ký", "Send the registration"},

	"reg.list_title":      {"Đăng ký tham gia", "Registrations"},
	"reg.list_intro":      {"Đăng ký gửi qua trang công khai của các đợt mời đăng ký, cũ nhất trước.", "Registrations sent through the calls' public pages, oldest first."},
	"reg.public_link":     {"Trang đăng ký công khai", "The public registration page"},
	"reg.status":          {"Trạng thái", "Status"},
	"reg.all":             {"Tất cả", "All"},
	"reg.filter":          {"Lọc", "Filter"},
	"reg.reference":       {"Số tham chiếu", "Reference"},
	"reg.date":            {"Thời gian gửi", "Sent"},
	"reg.kind_column":     {"Loại đăng ký", "Kind"},
	"reg.name_column":     {"Tên", "Name"},
	"reg.sector_column":   {"Ngành nghề (VSIC)", "Sector (VSIC)"},
	"reg.size_column":     {"Quy mô", "Size"},
	"reg.contact":         {"Liên hệ", "Contact"},
	"reg.support_column":  {"Nội dung đăng ký", "Registered for"},
	"reg.none":            {"Không có đăng ký nào.", "No registrations."},
	"reg.count":           {"đăng ký", "registrations"},
	"reg.back":            {"Về danh sách đăng ký", "Back to the registrations"},
	"reg.detail_title":    {"Đăng ký", "Registration"},
	"reg.reviewed":        {"xem xét lúc", "reviewed at"},
	"reg.reason":          {"Lý do không chấp nhận", "Reason for declining"},
	"reg.enterprise_link": {"Xem doanh nghiệp trong danh bạ", "Open the enterprise in the registry"},
	"reg.accept":          {"Chấp nhận", "Accept"},
	"reg.accept_hint":     {"Chấp nhận đăng ký của doanh nghiệp sẽ thêm doanh nghiệp vào danh bạ, hoặc bổ sung thông tin cho mã số thuế đã có.", "Accepting an enterprise's registration adds the enterprise to the registry, or describes the tax code already there."},
	"reg.decline":         {"Không chấp nhận", "Decline"},
	"reg.view_only":       {"Chỉ cán bộ đầu mối được chấp nhận hoặc không chấp nhận đăng ký.", "Only focal-point staff accept or decline registrations."},
}

// The domain names registrant kinds and statuses in Vietnamese; their
// English is here. Sizes are named by the registry's "ent.size." keys.
var (
	registrantKindEnglish = map[nscl.RegistrantKind]string{
		nscl.RegistrantEnterprise: "enterprise requesting support",
		nscl.RegistrantConsultant: "consulting organisation or expert offering to take part",
	}
	registrationStatusEnglish = map[nscl.RegistrationStatus]string{
		nscl.RegistrationPending: "awaiting review", nscl.RegistrationAccepted: "accepted", nscl.RegistrationDeclined: "declined",
	}
)

func init() {
	for k, v := range registrationMessages {
		catalogue[k] = v
	}
	for _, k := range nscl.RegistrantKinds {
		catalogue["reg.kind."+string(k)] = [2]string{k.Label(), registrantKindEnglish[k]}
	}
	for _, st := range nscl.RegistrationStatuses {
		catalogue["reg.status."+string(st)] = [2]string{st.Label(), registrationStatusEnglish[st]}
	}
}
