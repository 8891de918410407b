package store

import (
	"testing"
	"time"

	"nscl"
)

// TestSignInsKeptForAMoment: whom a session or token signs in is kept for
// signInKept. What this process changes (a disabled account, a sign-out, a
// revoked token, a new password) refuses at once; what another process
// changes, within signInKept. Two Stores on one database stand for two
// processes.
func TestSignInsKeptForAMoment(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		here, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, here)
		ctx := t.Context()
		clock := time.Now()
		here.Now = func() time.Time { return clock }
		u := newUser(t, here, "tam@hcm.gov.vn", nscl.RoleReporter, f.district1)
		session, err := here.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := here.CreateToken(ctx, u.ID, "kịch bản", nscl.DefaultTokenDays)
		if err != nil {
			t.Fatal(err)
		}
		signsIn := func(when string, wantIn bool) {
			t.Helper()
			for name, check := range map[string]func() (nscl.User, error){
				"session": func() (nscl.User, error) { return here.SessionUser(ctx, session) },
				"token":   func() (nscl.User, error) { return here.TokenUser(ctx, token) },
			} {
				got, err := check()
				switch {
				case wantIn && (err != nil || got.ID != u.ID):
					t.Errorf("%s, %s: %+v, %v; want %s signed in", when, name, got, err, u.Email)
				case !wantIn && nscl.ErrorCode(err) != nscl.EUNAUTHORIZED:
					t.Errorf("%s, %s: %+v, %v; want EUNAUTHORIZED", when, name, got, err)
				}
			}
		}
		signsIn("first", true)

		// Disabled by another process: kept until the moment ends.
		disable := func(s *Store, off bool) {
			t.Helper()
			cur, err := s.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Update(ctx, func(tx *Tx) error { return tx.SetDisabled(ctx, u.ID, cur.Version, off) }); err != nil {
				t.Fatal(err)
			}
		}
		disable(other, true)
		clock = clock.Add(signInKept - time.Millisecond)
		signsIn("just after another process disabled the account", true)
		clock = clock.Add(time.Millisecond)
		signsIn("a moment after another process disabled the account", false)

		// Disabled here: refused at once. Disabling ended the session and
		// the token, so new ones are made after the account is enabled.
		disable(other, false)
		if session, err = here.CreateSession(ctx, u.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
		if token, _, err = here.CreateToken(ctx, u.ID, "kịch bản mới", nscl.DefaultTokenDays); err != nil {
			t.Fatal(err)
		}
		signsIn("enabled again", true)
		disable(here, true)
		signsIn("at once after this process disabled the account", false)

		// The token revoked, then signed out, then a new password: each
		// refused at once, the others' sign-ins kept until then.
		enabledAgain := func(when string) (tokenID int64) {
			t.Helper()
			if session, err = here.CreateSession(ctx, u.ID, time.Hour); err != nil {
				t.Fatal(err)
			}
			secret, tok, err := here.CreateToken(ctx, u.ID, "kịch bản "+when, nscl.DefaultTokenDays)
			if err != nil {
				t.Fatal(err)
			}
			token = secret
			signsIn(when, true)
			return tok.ID
		}
		disable(here, false)
		tokenID := enabledAgain("enabled once more")
		if err := here.RevokeToken(ctx, u.ID, tokenID); err != nil {
			t.Fatal(err)
		}
		if _, err := here.TokenUser(ctx, token); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("at once after the token was revoked: %v, want EUNAUTHORIZED", err)
		}
		if got, err := here.SessionUser(ctx, session); err != nil || got.ID != u.ID {
			t.Errorf("the session after the token was revoked: %+v, %v", got, err)
		}
		if err := here.EndSession(ctx, session); err != nil {
			t.Fatal(err)
		}
		if _, err := here.SessionUser(ctx, session); nscl.ErrorCode(err) != nscl.EUNAUTHORIZED {
			t.Errorf("at once after signing out: %v, want EUNAUTHORIZED", err)
		}
		enabledAgain("signed in again")
		if err := here.Update(ctx, func(tx *Tx) error { return tx.SetPassword(ctx, u.ID, "Mật-khẩu-mới-2026!") }); err != nil {
			t.Fatal(err)
		}
		signsIn("at once after a new password", false)
	})
}
