package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/auth"
)

// accountTables are the tables of schema 00002, which dumpDB leaves out.
var accountTables = []string{"users", "sessions", "api_tokens", "rounds", "submissions", "audit_log"}

// dumpAll is dumpDB with the account, round and audit tables too.
func dumpAll(t *testing.T, s *Store) string {
	t.Helper()
	return dumpDB(t, s) + dumpTables(t, s, accountTables)
}

// dumpTables returns every row of the tables as text, rows sorted.
func dumpTables(t *testing.T, s *Store, tables []string) string {
	t.Helper()
	var b strings.Builder
	for _, table := range tables {
		lines := tableRows(t, s, table)
		slices.Sort(lines)
		fmt.Fprintf(&b, "%s (%d rows)\n", table, len(lines))
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}

// tableRows returns each row of table as its values printed one after another.
func tableRows(t *testing.T, s *Store, table string) []string {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	var lines []string
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		var cells []string
		for _, v := range values {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			cells = append(cells, fmt.Sprint(v))
		}
		lines = append(lines, strings.Join(cells, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	return lines
}

// wantAllUnchanged fails when any table differs from the dumpAll taken before.
func wantAllUnchanged(t *testing.T, s *Store, before string) {
	t.Helper()
	if after := dumpAll(t, s); after != before {
		t.Fatalf("database changed by a refused write\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// testPassword is every test user's password.
const testPassword = "Mật khẩu thử 2022"

// newUser stores a user of role in unit, written by the system, with testPassword.
func newUser(t testing.TB, s *Store, email string, role nscl.Role, unit nscl.OrgUnit) nscl.User {
	t.Helper()
	u := nscl.User{Email: email, Name: "Người dùng " + string(role), Role: role, UnitID: unit.ID}
	if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateUser(t.Context(), &u, testPassword) }); err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func TestCreateUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		const password = "một mật khẩu khá dài"
		u := nscl.User{
			Email:  "  Nguyen.Van.A@HCM.gov.VN ",
			Name:   " Nguye\u0302\u0303n Va\u0306n A ", // typed with combining marks
			Role:   nscl.RoleReporter,
			UnitID: f.district1.ID,
		}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateUser(ctx, &u, password) }); err != nil {
			t.Fatal(err)
		}
		want := nscl.User{ID: u.ID, Email: "nguyen.van.a@hcm.gov.vn", Name: "Nguyễn Văn A", Role: nscl.RoleReporter, UnitID: f.district1.ID, Version: 1}
		if u.ID == 0 || u != want {
			t.Errorf("after create: %+v, want %+v", u, want)
		}
		for name, read := range map[string]func() (nscl.User, error){
			"UserByID":    func() (nscl.User, error) { return s.UserByID(ctx, u.ID) },
			"UserByEmail": func() (nscl.User, error) { return s.UserByEmail(ctx, " NGUYEN.VAN.A@hcm.gov.vn") },
		} {
			if got, err := read(); err != nil || got != want {
				t.Errorf("%s: %+v, %v; want %+v", name, got, err, want)
			}
		}
		if _, err := s.UserByEmail(ctx, "nobody@hcm.gov.vn"); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("UserByEmail of an unknown address: %v, want ENOTFOUND", err)
		}
		second := newUser(t, s, "b@hcm.gov.vn", nscl.RoleViewer, f.province)
		if users, err := s.Users(ctx); err != nil || !slices.Equal(users, []nscl.User{second, want}) {
			t.Errorf("Users: %+v, %v; want %+v by e-mail", users, err, []nscl.User{second, want})
		}

		// Only an argon2id hash of the password is stored, one that checks.
		var hash string
		if err := s.read.QueryRowContext(ctx, s.reader().rebind(`SELECT password_hash FROM users WHERE id = ?`), u.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, password) {
			t.Errorf("password stored as %q, want an argon2id hash", hash)
		}
		if ok, err := auth.CheckPassword(hash, password); !ok || err != nil {
			t.Errorf("stored hash does not check against the password: %v", err)
		}
		// Nothing else holds the password or its hash: not the audit log either.
		dump := dumpAll(t, s)
		if strings.Contains(dump, password) || strings.Count(dump, hash) != 1 {
			t.Errorf("the password or its hash is stored outside users.password_hash:\n%s", dump)
		}
		entries, err := s.AuditLog(ctx, AuditFilter{Entity: "user", EntityID: fmt.Sprint(u.ID)})
		if err != nil || len(entries) != 1 || entries[0].Action != "create" || entries[0].Before != "" {
			t.Fatalf("audit of the new user: %+v, %v", entries, err)
		}
		var logged nscl.User
		if err := json.Unmarshal([]byte(entries[0].After), &logged); err != nil || logged != want {
			t.Errorf("audit After %s, want the user %+v (%v)", entries[0].After, want, err)
		}
	})
}

func TestCreateUserRefusesBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		taken := newUser(t, s, "taken@hcm.gov.vn", nscl.RoleFocal, f.province)
		for _, tc := range []struct {
			name        string
			user        nscl.User
			password    string
			code, field string
		}{
			{"e-mail taken", nscl.User{Email: taken.Email, Name: "Người khác", Role: nscl.RoleViewer, UnitID: f.district2.ID}, testPassword, nscl.ECONFLICT, "email"},
			{"e-mail taken, other case", nscl.User{Email: " TAKEN@Hcm.Gov.Vn", Name: "Người khác", Role: nscl.RoleViewer, UnitID: f.district2.ID}, testPassword, nscl.ECONFLICT, "email"},
			{"password too short", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer, UnitID: f.district2.ID}, "ngắn quá", nscl.EINVALID, "password"},
			{"password of nine characters", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer, UnitID: f.district2.ID}, "123456789", nscl.EINVALID, "password"},
			{"no password", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer, UnitID: f.district2.ID}, "", nscl.EINVALID, "password"},
			{"unknown unit", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer, UnitID: 999999}, testPassword, nscl.ENOTFOUND, "unit"},
			{"no unit", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer}, testPassword, nscl.EINVALID, "unit"},
			{"unknown role", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", Role: "root", UnitID: f.district2.ID}, testPassword, nscl.EINVALID, "role"},
			{"no role", nscl.User{Email: "new@hcm.gov.vn", Name: "Người mới", UnitID: f.district2.ID}, testPassword, nscl.EINVALID, "role"},
			{"bad e-mail", nscl.User{Email: "new at hcm.gov.vn", Name: "Người mới", Role: nscl.RoleViewer, UnitID: f.district2.ID}, testPassword, nscl.EINVALID, "email"},
			{"no e-mail", nscl.User{Email: "  ", Name: "Người mới", Role: nscl.RoleViewer, UnitID: f.district2.ID}, testPassword, nscl.EINVALID, "email"},
			{"blank name", nscl.User{Email: "new@hcm.gov.vn", Name: " \t ", Role: nscl.RoleViewer, UnitID: f.district2.ID}, testPassword, nscl.EINVALID, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpAll(t, s)
				u := tc.user
				err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateUser(t.Context(), &u, tc.password) })
				wantError(t, err, tc.code, tc.field)
				wantAllUnchanged(t, s, before)
			})
		}
		if users, err := s.Users(t.Context()); err != nil || len(users) != 1 || users[0] != taken {
			t.Errorf("users after refused creates: %+v, %v", users, err)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
		off := nscl.User{Email: "off@hcm.gov.vn", Name: "Đã nghỉ", Role: nscl.RoleReporter, UnitID: f.district1.ID, Disabled: true}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateUser(ctx, &off, testPassword) }); err != nil {
			t.Fatal(err)
		}

		for _, email := range []string{"reporter@hcm.gov.vn", " Reporter@HCM.gov.vn "} {
			got, err := s.Authenticate(ctx, email, testPassword)
			if err != nil || got != u {
				t.Errorf("Authenticate(%q) with the right password: %+v, %v; want %+v", email, got, err, u)
			}
		}

		before := dumpAll(t, s)
		refusals := map[string]error{}
		for name, try := range map[string][2]string{
			"wrong password":           {u.Email, testPassword + "!"},
			"password in other case":   {u.Email, strings.ToUpper(testPassword)},
			"empty password":           {u.Email, ""},
			"unknown e-mail":           {"nobody@hcm.gov.vn", testPassword},
			"disabled, right password": {off.Email, testPassword},
			"disabled, wrong password": {off.Email, "sai mật khẩu rồi"},
		} {
			got, err := s.Authenticate(ctx, try[0], try[1])
			if nscl.ErrorCode(err) != nscl.EUNAUTHORIZED || got != (nscl.User{}) {
				t.Errorf("%s: %+v, %v; want EUNAUTHORIZED and no user", name, got, err)
				continue
			}
			refusals[name] = err
		}
		// All refusals read alike: nothing tells whether the e-mail has an account.
		var first *nscl.Error
		for name, err := range refusals {
			e := err.(*nscl.Error)
			if first == nil {
				first = e
			}
			if *e != *first {
				t.Errorf("%s: refused with %+v, another refusal with %+v", name, *e, *first)
			}
			if strings.Contains(e.Error(), "nobody") || strings.Contains(e.Error(), "off@") || strings.Contains(e.Error(), "reporter@") {
				t.Errorf("%s: the refusal names the e-mail: %v", name, e)
			}
		}
		wantAllUnchanged(t, s, before)
	})
}

func TestSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
		other := newUser(t, s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province)
		start := s.Now()
		const ttl = 8 * time.Hour

		secret, err := s.CreateSession(ctx, u.ID, ttl)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.CreateSession(ctx, u.ID, ttl)
		if err != nil {
			t.Fatal(err)
		}
		otherSecret, err := s.CreateSession(ctx, other.ID, ttl)
		if err != nil {
			t.Fatal(err)
		}
		if len(secret) < 40 || secret == second || secret == otherSecret {
			t.Fatalf("session secrets %q, %q, %q: want long and distinct", secret, second, otherSecret)
		}
		for _, sec := range []string{secret, second} {
			if got, err := s.SessionUser(ctx, sec); err != nil || got != u {
				t.Errorf("SessionUser: %+v, %v; want %+v", got, err, u)
			}
		}
		// No secret is kept in clear, in the sessions table or elsewhere.
		if rows := tableRows(t, s, "sessions"); len(rows) != 3 {
			t.Errorf("sessions table holds %d rows, want 3", len(rows))
		}
		dump := dumpAll(t, s)
		for _, sec := range []string{secret, second, otherSecret} {
			if strings.Contains(dump, sec) {
				t.Errorf("session secret %q stored in clear:\n%s", sec, dump)
			}
		}
		// Each sign-in is recorded as the user's.
		if logins, err := s.AuditLog(ctx, AuditFilter{Action: "login", UserID: u.ID}); err != nil || len(logins) != 2 {
			t.Errorf("login entries of the user: %+v, %v; want 2", logins, err)
		}

		for name, sec := range map[string]string{"unknown secret": secret + "x", "empty secret": "", "token prefix": "nscl_" + secret} {
			if _, err := s.SessionUser(ctx, sec); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
				t.Errorf("%s: %v, want EUNAUTHORIZED", name, err)
			}
		}

		// Signing out ends that session only.
		if err := s.EndSession(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, secret); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("ended session: %v, want EUNAUTHORIZED", err)
		}
		if got, err := s.SessionUser(ctx, second); err != nil || got != u {
			t.Errorf("the user's other session after signing out of one: %+v, %v", got, err)
		}

		// A session lasts ttl.
		s.Now = func() time.Time { return start.Add(ttl - time.Second) }
		if got, err := s.SessionUser(ctx, second); err != nil || got != u {
			t.Errorf("a second before expiry: %+v, %v", got, err)
		}
		s.Now = func() time.Time { return start.Add(ttl + time.Second) }
		if _, err := s.SessionUser(ctx, second); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("a second after expiry: %v, want EUNAUTHORIZED", err)
		}
		s.Now = func() time.Time { return start.Add(30 * 24 * time.Hour) }
		if _, err := s.SessionUser(ctx, otherSecret); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("a month after expiry: %v, want EUNAUTHORIZED", err)
		}
		// A new sign-in then clears the expired sessions away.
		if _, err := s.CreateSession(ctx, u.ID, ttl); err != nil {
			t.Fatal(err)
		}
		if rows := tableRows(t, s, "sessions"); len(rows) != 1 {
			t.Errorf("sessions after a sign-in a month later: %q, want only the new one", rows)
		}
	})
}

func TestSessionOfDisabledUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		off := nscl.User{Email: "off@hcm.gov.vn", Name: "Đã nghỉ", Role: nscl.RoleFocal, UnitID: f.province.ID, Disabled: true}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateUser(ctx, &off, testPassword) }); err != nil {
			t.Fatal(err)
		}
		secret, err := s.CreateSession(ctx, off.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, secret); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("session of a disabled user: %v, want EUNAUTHORIZED", err)
		}
		token, _, err := s.CreateToken(ctx, off.ID, "cũ", nscl.DefaultTokenDays)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, token); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("token of a disabled user: %v, want EUNAUTHORIZED", err)
		}
	})
}

func TestSetPasswordEndsSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
		other := newUser(t, s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province)
		var mine []string
		for range 2 {
			sec, err := s.CreateSession(ctx, u.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			mine = append(mine, sec)
		}
		theirs, err := s.CreateSession(ctx, other.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}

		// A weak password is refused and changes nothing.
		before := dumpAll(t, s)
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.SetPassword(ctx, u.ID, "ngắn") }), nscl.EINVALID, "password")
		wantError(t, s.Update(ctx, func(tx *Tx) error { return tx.SetPassword(ctx, 999999, "một mật khẩu mới dài") }), nscl.ENOTFOUND, "user")
		wantAllUnchanged(t, s, before)

		const newPassword = "một mật khẩu mới dài"
		if err := s.Update(WithActor(ctx, u.ID), func(tx *Tx) error { return tx.SetPassword(ctx, u.ID, newPassword) }); err != nil {
			t.Fatal(err)
		}
		for i, sec := range mine {
			if _, err := s.SessionUser(ctx, sec); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
				t.Errorf("session %d after the password changed: %v, want EUNAUTHORIZED", i, err)
			}
		}
		if got, err := s.SessionUser(ctx, theirs); err != nil || got != other {
			t.Errorf("another user's session after the password changed: %+v, %v", got, err)
		}
		if _, err := s.Authenticate(ctx, u.Email, testPassword); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("old password: %v, want EUNAUTHORIZED", err)
		}
		got, err := s.Authenticate(ctx, u.Email, newPassword)
		if err != nil || got.ID != u.ID || got.Version != u.Version+1 {
			t.Errorf("new password: %+v, %v; want the user at version %d", got, err, u.Version+1)
		}
		if entries, err := s.AuditLog(ctx, AuditFilter{Action: "set_password"}); err != nil || len(entries) != 1 ||
			entries[0].UserID != u.ID || entries[0].EntityID != fmt.Sprint(u.ID) || entries[0].Before != "" || entries[0].After != "" {
			t.Errorf("audit of the password change: %+v, %v", entries, err)
		}
		if dump := dumpAll(t, s); strings.Contains(dump, newPassword) {
			t.Errorf("new password stored in clear")
		}
	})
}

func TestAPITokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
		other := newUser(t, s, "viewer@hcm.gov.vn", nscl.RoleViewer, f.province)

		token, _, err := s.CreateToken(ctx, u.ID, " Ma\u0301y tính báo cáo ", nscl.DefaultTokenDays)
		if err != nil {
			t.Fatal(err)
		}
		otherToken, _, err := s.CreateToken(ctx, other.ID, "Bảng điều khiển", nscl.DefaultTokenDays)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, "nscl_") || len(token) < 40 || token == otherToken {
			t.Fatalf("token %q (other %q): want a long secret starting nscl_", token, otherToken)
		}
		if got, err := s.TokenUser(ctx, token); err != nil || got != u {
			t.Errorf("TokenUser: %+v, %v; want %+v", got, err, u)
		}
		if got, err := s.TokenUser(ctx, otherToken); err != nil || got != other {
			t.Errorf("TokenUser of the other token: %+v, %v; want %+v", got, err, other)
		}
		rows := tableRows(t, s, "api_tokens")
		if len(rows) != 2 || !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, "Máy tính báo cáo") }) {
			t.Errorf("api_tokens rows %q: want two, the name trimmed and precomposed", rows)
		}
		dump := dumpAll(t, s)
		for _, sec := range []string{token, otherToken, strings.TrimPrefix(token, "nscl_")} {
			if strings.Contains(dump, sec) {
				t.Errorf("token secret %q stored in clear:\n%s", sec, dump)
			}
		}

		for name, sec := range map[string]string{
			"one character changed": token[:len(token)-1] + string(token[len(token)-1]^1),
			"without its prefix":    strings.TrimPrefix(token, "nscl_"),
			"empty":                 "",
			"made up":               "nscl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		} {
			if _, err := s.TokenUser(ctx, sec); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
				t.Errorf("%s token: %v, want EUNAUTHORIZED", name, err)
			}
		}
		// A token is not a session, nor a session a token.
		session, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, token); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("token used as a session: %v, want EUNAUTHORIZED", err)
		}
		if _, err := s.TokenUser(ctx, session); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("session used as a token: %v, want EUNAUTHORIZED", err)
		}

		before := dumpAll(t, s)
		for name, tokenName := range map[string]string{"empty": "", "blank": " \t ", "101 characters": strings.Repeat("ổ", 101)} {
			secret, _, err := s.CreateToken(ctx, u.ID, tokenName, nscl.DefaultTokenDays)
			wantError(t, err, nscl.EINVALID, "name")
			if secret != "" {
				t.Errorf("%s name: a secret %q was handed out for a refused token", name, secret)
			}
		}
		wantAllUnchanged(t, s, before)
		if _, _, err := s.CreateToken(ctx, u.ID, strings.Repeat("ổ", 100), nscl.DefaultTokenDays); err != nil {
			t.Errorf("name of 100 characters: %v", err)
		}
	})
}

// TestSignInKeepsOtherLiveSessions: a sign-in clears expired sessions away,
// and only those. On SQLite expires_at is RFC 3339 text with the trailing
// zeros of the fraction dropped (time.RFC3339Nano), which does not sort as
// time does: "10:30:00.5Z" < "10:30:00Z" as text, as '.' < 'Z'. So the
// clean-up's `expires_at < now` deletes a session that still has up to a
// second to live (and keeps one that expired up to a second ago).
func TestSignInKeepsOtherLiveSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		a := newUser(t, s, "a@hcm.gov.vn", nscl.RoleViewer, f.province)
		b := newUser(t, s, "b@hcm.gov.vn", nscl.RoleViewer, f.province)
		s.Now = func() time.Time { return time.Date(2023, 1, 15, 9, 30, 0, 500_000_000, time.UTC) }
		live, err := s.CreateSession(ctx, a.ID, time.Hour) // until 10:30:00.5
		if err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return time.Date(2023, 1, 15, 10, 30, 0, 0, time.UTC) } // half a second left
		if _, err := s.CreateSession(ctx, b.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, live); err != nil || got != a {
			t.Errorf("a session with half a second left, after another user signed in: %+v, %v; want %+v", got, err, a)
		}
	})
}
