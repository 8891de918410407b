package nscl

import (
	"errors"
	"strings"
	"testing"
)

func validUser() User {
	return User{Email: "nguyen.van.a@hcm.gov.vn", Name: "Nguyễn Văn A", Role: RoleReporter, UnitID: 3}
}

func TestValidateUser(t *testing.T) {
	if err := ValidateUser(validUser()); err != nil {
		t.Fatalf("valid user refused: %v", err)
	}
	// An address of exactly 254 characters is the longest allowed.
	longest := strings.Repeat("a", 60) + "@" + strings.Repeat("b", 190) + ".vn"
	if len(longest) != 254 {
		t.Fatalf("test address has %d characters", len(longest))
	}
	for _, tc := range []struct {
		name  string
		edit  func(u *User)
		field string // "" when the user stays valid
	}{
		{"no e-mail", func(u *User) { u.Email = "" }, "email"},
		{"no at sign", func(u *User) { u.Email = "nguyen.van.a.hcm.gov.vn" }, "email"},
		{"no domain", func(u *User) { u.Email = "nguyen.van.a@" }, "email"},
		{"display name with the address", func(u *User) { u.Email = "Nguyễn Văn A <nguyen.van.a@hcm.gov.vn>" }, "email"},
		{"surrounding blanks", func(u *User) { u.Email = " nguyen.van.a@hcm.gov.vn" }, "email"},
		{"two addresses", func(u *User) { u.Email = "a@hcm.gov.vn, b@hcm.gov.vn" }, "email"},
		{"254 characters", func(u *User) { u.Email = longest }, ""},
		{"255 characters", func(u *User) { u.Email = "a" + longest }, "email"},
		{"no name", func(u *User) { u.Name = "" }, "name"},
		{"name of 200 characters", func(u *User) { u.Name = strings.Repeat("ễ", 200) }, ""},
		{"name of 201 characters", func(u *User) { u.Name = strings.Repeat("ễ", 201) }, "name"},
		{"no role", func(u *User) { u.Role = "" }, "role"},
		{"unknown role", func(u *User) { u.Role = "superuser" }, "role"},
		{"role in capitals", func(u *User) { u.Role = "Admin" }, "role"},
		{"each known role: admin", func(u *User) { u.Role = RoleAdmin }, ""},
		{"each known role: focal", func(u *User) { u.Role = RoleFocal }, ""},
		{"each known role: viewer", func(u *User) { u.Role = RoleViewer }, ""},
		{"no unit", func(u *User) { u.UnitID = 0 }, "unit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := validUser()
			tc.edit(&u)
			err := ValidateUser(u)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Fatalf("got %v (code %q, field %q), want EINVALID on %q", err, ErrorCode(err), ErrorField(err), tc.field)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	const email = "tran.thi.b@sokhcn.hcm.gov.vn"
	for _, tc := range []struct {
		name     string
		password string
		want     string // a word of the English message; "" when accepted
	}{
		{"empty", "", "required"},
		{"nine characters", "dàn bài 9", "at least 10"},
		{"ten characters", "dàn bài 10", ""},
		// Counted in characters, not bytes: nine "ệ" are 27 bytes.
		{"nine accented characters", "nghiệm thu", ""},
		{"ten accented characters, all alike", strings.Repeat("ệ", 10), "one character"},
		{"ten spaces", strings.Repeat(" ", 10), "at least 10"},
		{"spaces around a short one", "   ngắn quá   ", "at least 10"},
		{"tabs and newlines", "\t\n \t\n \t\n \t\n", "at least 10"},
		{"one letter repeated", "aaaaaaaaaaaa", "one character"},
		{"one symbol repeated", "############", "one character"},
		{"digits only", "1234567890", "digits only"},
		{"a phone number", "0903123456", "digits only"},
		{"digits with spaces", "  0903 123 456  ", "digits only"},
		{"the e-mail", email, "e-mail"},
		{"the e-mail in capitals", strings.ToUpper(email), "e-mail"},
		{"the name before @", "tran.thi.b", "e-mail"},
		{"the e-mail with more", email + "!", ""},
		{"password12", "password12", "too common"},
		{"Password12 in capitals", "Password12", "too common"},
		{"matkhau123", "matkhau123", "too common"},
		{"qwertyuiop", "qwertyuiop", "too common"},
		{"qwerty123456", "qwerty123456", "too common"},
		{"1q2w3e4r5t", "1q2w3e4r5t", "too common"},
		{"administrator", "administrator", "too common"},
		{"a Vietnamese phrase", "mật khẩu đủ dài", ""},
		{"letters and digits", "Sở KHCN 2023", ""},
		{"200 characters", strings.Repeat("ưa", 100), ""},
		{"201 characters", strings.Repeat("ưa", 100) + "x", "longer than 200"},
	} {
		err := ValidatePassword(tc.password, email)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", tc.name, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Field != "password" || !strings.Contains(e.English, tc.want) || e.Message == "" {
			t.Errorf("%s: got %v, want EINVALID on password saying %q", tc.name, err, tc.want)
		}
	}
}

// A new account's password is checked against its own e-mail.
func TestValidateNewUserChecksThePasswordAgainstTheEmail(t *testing.T) {
	u := validUser()
	if err := ValidateNewUser(u, "nguyen.van.a"); ErrorField(err) != "password" {
		t.Errorf("local part of the e-mail as password: %v", err)
	}
	if err := ValidateNewUser(u, "nguyen.van.b"); err != nil {
		t.Errorf("another name: %v", err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := NormalizeEmail("  Nguyen.Van.A@HCM.Gov.VN \n"); got != "nguyen.van.a@hcm.gov.vn" {
		t.Errorf("NormalizeEmail = %q", got)
	}
}

// TestRoleRules checks every access rule for each role, on the user's own
// unit and on another.
func TestRoleRules(t *testing.T) {
	const own, other = 3, 4
	type rules struct {
		manageUsers, manageSetup, manageRounds, seeAll bool
		openRounds                                     bool
		seeOwn, seeOther                               bool
		writeOwn, writeOther                           bool
		submitOwn, submitOther                         bool
	}
	want := map[Role]rules{
		RoleAdmin:    {manageUsers: true, manageSetup: true, openRounds: true, seeAll: true, seeOwn: true, seeOther: true},
		RoleFocal:    {manageSetup: true, manageRounds: true, openRounds: true, seeAll: true, seeOwn: true, seeOther: true, writeOwn: true, writeOther: true}, // focal reviews; only the unit submits
		RoleReporter: {seeOwn: true, writeOwn: true, submitOwn: true},
		RoleViewer:   {seeAll: true, seeOwn: true, seeOther: true},
	}
	if len(want) != len(Roles) {
		t.Fatalf("the test covers %d roles, the domain has %d", len(want), len(Roles))
	}
	for _, role := range Roles {
		w, ok := want[role]
		if !ok {
			t.Fatalf("role %q not covered by the test", role)
		}
		u := User{ID: 1, Role: role, UnitID: own}
		got := rules{
			manageUsers: u.CanManageUsers(), manageSetup: u.CanManageSetup(), manageRounds: u.CanManageRounds(), openRounds: u.CanOpenRounds(), seeAll: u.CanSeeAllUnits(),
			seeOwn: u.CanSeeUnit(own), seeOther: u.CanSeeUnit(other),
			writeOwn: u.CanWriteActivities(own), writeOther: u.CanWriteActivities(other),
			submitOwn: u.CanSubmitFor(own), submitOther: u.CanSubmitFor(other),
		}
		if got != w {
			t.Errorf("%s:\n got %+v\nwant %+v", role, got, w)
		}
	}
	// A role the domain does not know may do nothing.
	u := User{Role: "superuser", UnitID: own}
	if u.CanManageUsers() || u.CanManageSetup() || u.CanManageRounds() || u.CanOpenRounds() || u.CanWriteActivities(own) || u.CanSubmitFor(own) {
		t.Errorf("an unknown role is granted something: %+v", u)
	}
}
