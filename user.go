package nscl

import (
	"net/mail"
	"strings"
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
	errs.Add(ValidatePassword(password))
	return errs.Err()
}

// ValidatePassword checks a new password.
func ValidatePassword(p string) error {
	n := len([]rune(p))
	if n == 0 {
		return Required("password")
	}
	if n < MinPasswordLength {
		return Invalid("password", "mật khẩu cần ít nhất %d ký tự", "password needs at least %d characters", MinPasswordLength)
	}
	if n > 200 {
		return Invalid("password", "mật khẩu dài quá 200 ký tự", "password is longer than 200 characters")
	}
	return nil
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
