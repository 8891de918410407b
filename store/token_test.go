package store

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"nscl"
)

// wantTokenRefused checks that secret no longer signs in, with a message
// saying why (English word want).
func wantTokenRefused(t *testing.T, s *Store, secret, want string) {
	t.Helper()
	_, err := s.TokenUser(t.Context(), secret)
	var e *nscl.Error
	if nscl.ErrorCode(err) != nscl.EUNAUTHORIZED || !errors.As(err, &e) || !strings.Contains(e.English, want) || e.Message == "" {
		t.Errorf("token: %v, want EUNAUTHORIZED saying %q", err, want)
	}
}

func TestTokensExpire(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "q3@hcm.gov.vn", nscl.RoleReporter, f.district1)
		made := time.Date(2024, 2, 27, 16, 45, 0, 0, time.UTC)
		s.Now = func() time.Time { return made }
		secret, tok, err := s.CreateToken(ctx, u.ID, "Báo cáo quý", 3) // over the 29th of February
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2024, 3, 1, 16, 45, 0, 0, time.UTC); !tok.ExpiresAt.Equal(want) || !tok.CreatedAt.Equal(made) {
			t.Errorf("made %v, expires %v; want %v, %v", tok.CreatedAt, tok.ExpiresAt, made, want)
		}
		s.Now = func() time.Time { return tok.ExpiresAt.Add(-time.Second) }
		if got, err := s.TokenUser(ctx, secret); err != nil || got.ID != u.ID {
			t.Errorf("a second before it expires: %+v, %v", got, err)
		}
		s.Now = func() time.Time { return tok.ExpiresAt }
		wantTokenRefused(t, s, secret, "expired")
		// Still listed, so that its owner sees why a script stopped.
		if list, err := s.Tokens(ctx, u.ID); err != nil || len(list) != 1 || !list[0].ExpiresAt.Equal(tok.ExpiresAt) {
			t.Errorf("tokens after expiry: %+v, %v", list, err)
		}
	})
}

func TestTokenLifetimeIsBounded(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "q3@hcm.gov.vn", nscl.RoleReporter, f.district1)
		before := dumpAll(t, s)
		for _, days := range []int{0, -1, nscl.MaxTokenDays + 1} {
			secret, _, err := s.CreateToken(ctx, u.ID, "kịch bản", days)
			wantError(t, err, nscl.EINVALID, "days")
			if secret != "" {
				t.Errorf("%d days: a secret was handed out", days)
			}
		}
		wantAllUnchanged(t, s, before)
		if _, tok, err := s.CreateToken(ctx, u.ID, "cả năm", nscl.MaxTokenDays); err != nil || tok.ExpiresAt.Sub(tok.CreatedAt) < 364*24*time.Hour {
			t.Errorf("%d days: %+v, %v", nscl.MaxTokenDays, tok, err)
		}
	})
}

func TestTokensAreListedAndRevokedOneByOne(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		u := newUser(t, s, "q3@hcm.gov.vn", nscl.RoleReporter, f.district1)
		other := newUser(t, s, "q5@hcm.gov.vn", nscl.RoleReporter, f.district2)
		now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
		s.Now = func() time.Time { return now }
		first, firstTok, err := s.CreateToken(ctx, u.ID, "máy chủ cũ", 30)
		if err != nil {
			t.Fatal(err)
		}
		second, secondTok, err := s.CreateToken(ctx, u.ID, "máy chủ mới", 60)
		if err != nil {
			t.Fatal(err)
		}
		theirs, _, err := s.CreateToken(ctx, other.ID, "của người khác", 30)
		if err != nil {
			t.Fatal(err)
		}

		// Used now, and again within the minute: the first use is kept.
		for range 2 {
			if _, err := s.TokenUser(ctx, second); err != nil {
				t.Fatal(err)
			}
			now = now.Add(20 * time.Second)
		}
		list, err := s.Tokens(ctx, u.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("tokens: %+v, %v", list, err)
		}
		if list[0].ID != secondTok.ID || list[0].Name != "máy chủ mới" || !list[0].LastUsedAt.Equal(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)) ||
			list[1].ID != firstTok.ID || !list[1].LastUsedAt.IsZero() || !list[1].ExpiresAt.Equal(firstTok.ExpiresAt) {
			t.Errorf("tokens, newest first: %+v", list)
		}
		// A minute on, the last use moves.
		now = now.Add(time.Minute)
		if _, err := s.TokenUser(ctx, second); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Tokens(ctx, u.ID); !list[0].LastUsedAt.Equal(now) {
			t.Errorf("last use a minute later: %v, want %v", list[0].LastUsedAt, now)
		}

		// Nobody revokes another's token; nothing changes.
		before := dumpAll(t, s)
		wantError(t, s.RevokeToken(ctx, other.ID, firstTok.ID), nscl.ENOTFOUND, "token")
		wantAllUnchanged(t, s, before)

		if err := s.RevokeToken(WithActor(ctx, u.ID), u.ID, firstTok.ID); err != nil {
			t.Fatal(err)
		}
		wantTokenRefused(t, s, first, "revoked")
		if got, err := s.TokenUser(ctx, second); err != nil || got.ID != u.ID {
			t.Errorf("the other token after one was revoked: %+v, %v", got, err)
		}
		if got, err := s.TokenUser(ctx, theirs); err != nil || got.ID != other.ID {
			t.Errorf("another user's token: %+v, %v", got, err)
		}
		if list, _ := s.Tokens(ctx, u.ID); len(list) != 1 || list[0].ID != secondTok.ID {
			t.Errorf("tokens after revoking one: %+v", list)
		}
		wantError(t, s.RevokeToken(ctx, u.ID, firstTok.ID), nscl.ENOTFOUND, "token")
		if entries, err := s.AuditLog(ctx, AuditFilter{Entity: "api_token", Action: "revoke"}); err != nil || len(entries) != 1 || entries[0].UserID != u.ID {
			t.Errorf("audit of the revocation: %+v, %v", entries, err)
		}

		// A new password revokes every token of the account, and says so.
		if err := s.Update(ctx, func(tx *Tx) error { return tx.SetPassword(ctx, u.ID, "một mật khẩu mới hẳn") }); err != nil {
			t.Fatal(err)
		}
		wantTokenRefused(t, s, second, "revoked")
		if list, _ := s.Tokens(ctx, u.ID); len(list) != 0 {
			t.Errorf("tokens after a new password: %+v", list)
		}
	})
}

func TestSignInFailuresAreRecorded(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		// What a client typed is kept as far as it can be shown: no NUL
		// (which PostgreSQL refuses), no broken UTF-8, no more than an
		// address may hold.
		typed := "  Khach\x00@Vi\xffDu.VN " + strings.Repeat("x", 400)
		if err := s.RecordSignInFailure(ctx, typed, "198.51.100.23", "wrong_password"); err != nil {
			t.Fatal(err)
		}
		entries, err := s.AuditLog(ctx, AuditFilter{Entity: SignInFailure})
		if err != nil || len(entries) != 1 {
			t.Fatalf("sign-in failures: %+v, %v", entries, err)
		}
		e := entries[0]
		if e.Action != "login_failed" || e.UserID != 0 || !strings.HasPrefix(e.EntityID, "khach@vi\uFFFDdu.vn x") ||
			utf8.RuneCountInString(e.EntityID) != 254 || !strings.Contains(e.After, `"address":"198.51.100.23"`) || !strings.Contains(e.After, `"reason":"wrong_password"`) {
			t.Errorf("recorded %+v", e)
		}
	})
}
