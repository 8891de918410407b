package web

// accountMessages are the texts of the user's own page (API tokens) and of
// refused sign-ins.
var accountMessages = map[string][2]string{
	"nav.account":          {"Tài khoản của tôi", "My account"},
	"account.title":        {"Tài khoản của tôi", "My account"},
	"tokens.title":         {"Mã truy cập API", "API tokens"},
	"tokens.note":          {"Chương trình khác gọi API bằng mã truy cập, gửi kèm tiêu đề Authorization: Bearer <mã>. Mỗi mã hết hạn sau số ngày chọn khi tạo; thu hồi mã không còn dùng.", "Other programs call the API with a token, sent as Authorization: Bearer <token>. Each token expires after the days chosen when it is made; revoke those no longer used."},
	"tokens.name":          {"Tên (ví dụ tên script)", "Name (e.g. the script's)"},
	"tokens.created":       {"Tạo lúc", "Created"},
	"tokens.last_used":     {"Dùng lần cuối", "Last used"},
	"tokens.expires":       {"Hết hạn", "Expires"},
	"tokens.expired":       {"đã hết hạn", "expired"},
	"tokens.never":         {"chưa dùng", "never"},
	"tokens.none":          {"Chưa có mã truy cập nào.", "No API tokens yet."},
	"tokens.new":           {"Tạo mã truy cập", "Make a token"},
	"tokens.days":          {"Hiệu lực (ngày, tối đa 365)", "Lasts (days, 365 at most)"},
	"tokens.create":        {"Tạo mã", "Make the token"},
	"tokens.revoke":        {"Thu hồi", "Revoke"},
	"tokens.shown_once":    {"Mã truy cập mới, chỉ hiện một lần này — hãy chép ngay:", "The new token, shown this once only — copy it now:"},
	"confirm.revoke_token": {"Thu hồi mã truy cập này? Chương trình nào đang dùng nó sẽ bị từ chối; không khôi phục được.", "Revoke this token? Any program using it will be refused; this cannot be undone."},
	"flash.token_revoked":  {"Đã thu hồi mã truy cập.", "The token is revoked."},

	"signin.title":            {"Đăng nhập bị từ chối gần đây", "Recent refused sign-ins"},
	"signin.account":          {"Tài khoản thử", "Account tried"},
	"signin.address":          {"Địa chỉ", "Address"},
	"signin.reason":           {"Lý do", "Reason"},
	"signin.none":             {"Không có lần nào.", "None."},
	"signin.all":              {"Xem tất cả trong nhật ký", "See them all in the audit log"},
	"signin.wrong_password":   {"sai e-mail hoặc mật khẩu", "wrong e-mail or password"},
	"signin.address_limited":  {"địa chỉ này sai quá nhiều lần (mọi tài khoản)", "too many failures from this address (all accounts)"},
	"signin.account_limited":  {"địa chỉ này sai quá nhiều lần với tài khoản này", "too many failures on this account from this address"},
	"signin.account_attacked": {"tài khoản bị thử từ nhiều địa chỉ; địa chỉ này vừa sai", "the account is tried from many addresses; this one failed recently"},
}

func init() {
	for k, v := range accountMessages {
		catalogue[k] = v
	}
}
