package nscl

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role says what a user may do. Every user belongs to one org unit.
type Role string

const (
	RoleAdmin    Role = "admin"    // users and units
	RoleFocal    Role = "focal"    // plans, targets, documents, rounds, review, the report
	RoleReporter Role = "reporter" // enters and submits its own unit's activities
	RoleViewer   Role = "viewer"   // reads
)

// Roles lists the roles in the order forms offer them.
var Roles = []Role{RoleAdmin, RoleFocal, RoleReporter, RoleViewer}

// User is a person who signs in.
type User struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"` // stored lower case
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	UnitID   int64  `json:"unit_id"`
	Disabled bool   `json:"disabled"`
	Version  int64  `json:"version"`
}

// MinPasswordLength follows OWASP's advice for passwords without other factors.
const MinPasswordLength = 10

// NormalizeEmail trims and lower-cases an address, the form it is stored and looked up in.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUser checks a user's fields, and returns every mistake it finds
// (Errors).
func ValidateUser(u User) error {
	var errs Errors
	if blank(u.Email) {
		errs.Add(Required("email"))
	} else if addr, err := mail.ParseAddress(u.Email); err != nil || addr.Address != u.Email || len(u.Email) > 254 {
		errs.Add(Invalid("email", "địa chỉ e-mail %q không hợp lệ", "e-mail address %q is not valid", u.Email))
	}
	if blank(u.Name) {
		errs.Add(Required("name"))
	}
	errs.Add(CheckText("name", u.Name, 200))
	switch {
	case u.Role == "":
		errs.Add(Required("role"))
	case !validRole(u.Role):
		errs.Add(Invalid("role", "vai trò %q không hợp lệ", "role %q is not valid", u.Role))
	}
	if u.UnitID == 0 {
		errs.Add(Required("unit"))
	}
	return errs.Err()
}

// ValidateNewUser checks a new account: its fields and its password, every
// mistake at once.
func ValidateNewUser(u User, password string) error {
	var errs Errors
	errs.Add(ValidateUser(u))
	errs.Add(ValidatePassword(password, u.Email))
	return errs.Err()
}

// ValidatePassword checks a new password for the account with that e-mail.
// Length alone lets through what attackers try first, so it also refuses
// one character repeated, digits only, the e-mail itself and the common
// passwords below. Surrounding spaces do not count towards the length.
func ValidatePassword(password, email string) error {
	p := strings.TrimSpace(password)
	folded := strings.ToLower(p)
	email = NormalizeEmail(email)
	local, _, _ := strings.Cut(email, "@")
	switch {
	case password == "":
		return Required("password")
	case utf8.RuneCountInString(password) > 200:
		return Invalid("password", "mật khẩu dài quá 200 ký tự", "password is longer than 200 characters")
	case utf8.RuneCountInString(p) < MinPasswordLength:
		return Invalid("password", "mật khẩu cần ít nhất %d ký tự, không kể khoảng trắng ở đầu và cuối", "password needs at least %d characters, not counting spaces at either end", MinPasswordLength)
	case oneCharacter(p):
		return Invalid("password", "mật khẩu không được chỉ lặp lại một ký tự", "password must not be one character repeated")
	case strings.TrimFunc(p, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsSpace(r) }) == "": // a phone number too
		return Invalid("password", "mật khẩu không được chỉ gồm chữ số", "password must not be digits only")
	case email != "" && (folded == email || folded == local):
		return Invalid("password", "mật khẩu không được là e-mail hoặc tên trước @ của e-mail", "password must not be the e-mail address or the name before its @")
	case commonPasswords[folded]:
		return Invalid("password", "mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác", "this password is too common and easily guessed; choose another")
	}
	return nil
}

// oneCharacter reports whether s is one character repeated.
func oneCharacter(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}

// commonPasswords are passwords of ten characters or more that lists of
// leaked passwords put near the top, and their Vietnamese counterparts
// (matkhau is "password"), lower case. Shorter ones and digits only are
// refused anyway.
var commonPasswords = map[string]bool{
	"password12": true, "password123": true, "password1234": true, "password@123": true, "passw0rd12": true,
	"p@ssw0rd12": true, "p@ssword123": true, "matkhau123": true, "matkhau1234": true, "matkhau@123": true,
	"matkhaumoi1": true, "mat khau 123": true, "qwertyuiop": true, "qwerty1234": true, "qwerty12345": true,
	"qwerty123456": true, "1qaz2wsx3edc": true, "1q2w3e4r5t": true, "1q2w3e4r5t6y": true, "q1w2e3r4t5": true,
	"zxcvbnm123": true, "asdfghjkl1": true, "asdfghjkl123": true, "abc1234567": true, "abcd123456": true,
	"abcdef1234": true, "abcdefghij": true, "a123456789": true, "123456789a": true, "123456abcd": true,
	"iloveyou12": true, "iloveyou123": true, "admin12345": true, "admin@1234": true, "administrator": true,
	"welcome123": true, "welcome@123": true, "letmein123": true, "changeme123": true, "trustno123": true,
	"football12": true, "baseball12": true, "sunshine12": true, "princess12": true, "dragon1234": true,
	"monkey1234": true, "superman12": true, "anhyeuem123": true, "emyeuanh123": true, "vietnam123": true,
	"vietnam@123": true, "hochiminh123": true, "saigon1234": true,
}

// ValidateSignIn checks that a sign-in form is filled in; whether the
// account and password are right is the store's to say.
func ValidateSignIn(email, password string) error {
	var errs Errors
	if blank(email) {
		errs.Add(Required("email"))
	}
	if password == "" {
		errs.Add(Required("password"))
	}
	return errs.Err()
}

func validRole(r Role) bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// The access rules. Each page, API route and store write asks these; no
// other code decides who may do what.

// CanManageUsers: admins only.
func (u User) CanManageUsers() bool { return u.Role == RoleAdmin }

// CanManageSetup covers plans, targets, documents and org units.
func (u User) CanManageSetup() bool { return u.Role == RoleFocal || u.Role == RoleAdmin }

// CanManageRounds covers reviewing submissions and writing the report:
// focal staff only.
func (u User) CanManageRounds() bool { return u.Role == RoleFocal }

// CanOpenRounds: focal staff and admins (who set up the programme) open
// reporting rounds; reviewing what units send stays with focal staff.
func (u User) CanOpenRounds() bool { return u.Role == RoleFocal || u.Role == RoleAdmin }

// CanSeeAllUnits: admins, focal staff and viewers read every unit's
// activities; reporters (and anyone without a known role) do not.
func (u User) CanSeeAllUnits() bool {
	return u.Role == RoleAdmin || u.Role == RoleFocal || u.Role == RoleViewer
}

// CanSeeUnit reports whether u may read the activities of unitID.
func (u User) CanSeeUnit(unitID int64) bool { return u.CanSeeAllUnits() || u.UnitID == unitID }

// CanWriteActivities reports whether u may enter, change or delete
// activities of unitID (locks by rounds are checked separately).
func (u User) CanWriteActivities(unitID int64) bool {
	switch u.Role {
	case RoleFocal:
		return true
	case RoleReporter:
		return u.UnitID == unitID
	}
	return false
}

// CanImport reports whether u may upload files of activities: focal staff
// for every unit, reporters for their own (the rows say which).
func (u User) CanImport() bool { return u.Role == RoleFocal || u.Role == RoleReporter }

// CanSubmitFor reports whether u may submit the round's submission of
// unitID: only the unit's own reporters, so that the reviewer never sends
// what it then approves.
func (u User) CanSubmitFor(unitID int64) bool {
	return u.Role == RoleReporter && u.UnitID == unitID
}

// The refusals of the rules above, worded once for pages, API and store.

// RequireSetup returns EFORBIDDEN unless u may set up the programme.
func (u User) RequireSetup() error {
	if u.CanManageSetup() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và quản trị được thiết lập chương trình", "only focal-point staff and administrators may set up the programme")
}

// RequireUsers returns EFORBIDDEN unless u may manage accounts.
func (u User) RequireUsers() error {
	if u.CanManageUsers() {
		return nil
	}
	return Forbidden("chỉ quản trị viên quản lý người dùng", "only administrators manage users")
}

// RequireRounds returns EFORBIDDEN unless u may open (or close) rounds.
func (u User) RequireRounds() error {
	if u.CanOpenRounds() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và quản trị được mở hoặc kết thúc đợt báo cáo", "only focal-point staff and administrators may open or close a round")
}

// RequireReview returns EFORBIDDEN unless u may approve or return
// submissions.
func (u User) RequireReview() error {
	if u.CanManageRounds() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối được duyệt hoặc trả lại báo cáo", "only focal-point staff may approve or return a submission")
}

// RequireAudit returns EFORBIDDEN unless u may read the audit log.
func (u User) RequireAudit() error {
	if u.CanManageSetup() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và quản trị xem được nhật ký", "only focal-point staff and administrators may read the audit log")
}
