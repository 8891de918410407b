package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"nscl"
	"nscl/auth"
)

// CreateUser stores a user with the hash of password and sets its ID.
// Returns EINVALID for bad fields or a weak password, ENOTFOUND for an
// unknown unit and ECONFLICT when the e-mail is taken.
func (tx *Tx) CreateUser(ctx context.Context, u *nscl.User, password string) error {
	u.Email, u.Name = nscl.NormalizeEmail(u.Email), nscl.NormalizeText(u.Name)
	if err := nscl.ValidateNewUser(*u, password); err != nil {
		return err
	}
	if _, err := unitByID(ctx, tx.conn, u.UnitID); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	tx.forgetChecks() // the users known at the lock change
	id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, unit_id, password_hash, disabled, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
		u.Email, u.Name, string(u.Role), u.UnitID, hash, u.Disabled, stampOf(tx.now))
	if isUniqueViolation(err) {
		return nscl.Conflict("email", "đã có tài khoản với e-mail %s", "an account with e-mail %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("store: unable to create user: %w", err)
	}
	u.ID, u.Version = id, 1
	return tx.audit(ctx, "create", "user", u.ID, nil, u)
}

// SetPassword replaces a user's password and ends all its sessions and API
// tokens: a password is changed when it may be known to someone else.
// Returns ENOTFOUND for an unknown user, EINVALID for a weak password.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, password string) error {
	u, err := userWhere(ctx, tx.conn, `id = ?`, userID)
	if err != nil {
		return err
	}
	if err := nscl.ValidatePassword(password, u.Email); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	tx.forgetChecks() // the users known at the lock change
	tx.signInsGone = true
	if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, version = version + 1 WHERE id = ?`, hash, userID); err != nil {
		return fmt.Errorf("store: unable to set password: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: unable to end sessions: %w", err)
	}
	if err := tx.revokeTokens(ctx, userID); err != nil {
		return err
	}
	return tx.audit(ctx, "set_password", "user", userID, nil, nil)
}

const userColumns = `id, email, name, role, unit_id, disabled, version`

func scanUser(row interface{ Scan(...any) error }) (nscl.User, error) {
	var u nscl.User
	var role string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.UnitID, &u.Disabled, &u.Version)
	u.Role = nscl.Role(role)
	return u, err
}

// UserByEmail returns the user with that e-mail, or ENOTFOUND.
func (s *Store) UserByEmail(ctx context.Context, email string) (nscl.User, error) {
	return userWhere(ctx, s.reader(), `email = ?`, nscl.NormalizeEmail(email))
}

// UserByEmail is UserByEmail inside the transaction.
func (tx *Tx) UserByEmail(ctx context.Context, email string) (nscl.User, error) {
	return userWhere(ctx, tx.conn, `email = ?`, nscl.NormalizeEmail(email))
}

// UserByID returns the user, or ENOTFOUND.
func (s *Store) UserByID(ctx context.Context, id int64) (nscl.User, error) {
	return userWhere(ctx, s.reader(), `id = ?`, id)
}

func userWhere(ctx context.Context, c conn, where string, arg any) (nscl.User, error) {
	u, err := scanUser(c.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, nscl.NotFound("user", "không có người dùng này", "no such user")
	}
	if err != nil {
		return u, fmt.Errorf("store: unable to read user: %w", err)
	}
	return u, nil
}

// Users lists every user, by e-mail.
func (s *Store) Users(ctx context.Context) ([]nscl.User, error) {
	rows, err := s.reader().query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	users, err := collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list users: %w", err)
	}
	return users, nil
}

// Authenticate returns the enabled user whose e-mail and password match.
// Any mismatch is the same EUNAUTHORIZED, and takes the same time, so that
// nobody learns whether an e-mail has an account.
func (s *Store) Authenticate(ctx context.Context, email, password string) (nscl.User, error) {
	wrong := &nscl.Error{Code: nscl.EUNAUTHORIZED, Message: "e-mail hoặc mật khẩu không đúng", English: "wrong e-mail or password"}
	// PostgreSQL cannot compare text holding NUL; no account has such an
	// address, so saying so hides nothing.
	if err := nscl.CheckText("email", email, 254); err != nil {
		return nscl.User{}, err
	}
	var hash string
	u, err := scanUserWithHash(s.reader().queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, nscl.NormalizeEmail(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		auth.SpendTime(password)
		return nscl.User{}, wrong
	}
	if err != nil {
		return nscl.User{}, fmt.Errorf("store: unable to read user: %w", err)
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil {
		return nscl.User{}, err
	}
	if !ok || u.Disabled {
		return nscl.User{}, wrong
	}
	return u, nil
}

// SignInFailure is the entity under which refused sign-ins are kept in
// the audit log, each named by the e-mail tried.
const SignInFailure = "sign_in"

// RecordSignInFailure keeps a refused sign-in in the audit log, so that
// administrators see which accounts are tried and from where: the e-mail
// as typed (account or not), the client's address and the reason. The
// password is never passed in.
func (s *Store) RecordSignInFailure(ctx context.Context, email, address, reason string) error {
	email = printable(nscl.NormalizeEmail(email), 254)
	return s.Update(ctx, func(tx *Tx) error {
		return tx.audit(ctx, "login_failed", SignInFailure, email, nil, map[string]string{"address": printable(address, 100), "reason": reason})
	})
}

// printable keeps what a person typed fit to store and show: valid UTF-8
// without control characters (PostgreSQL refuses NUL in text), at most
// limit characters.
func printable(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit])
	}
	return s
}

func scanUserWithHash(r row, hash *string) (nscl.User, error) {
	var u nscl.User
	var role string
	err := r.Scan(&u.ID, &u.Email, &u.Name, &role, &u.UnitID, &u.Disabled, &u.Version, hash)
	u.Role = nscl.Role(role)
	return u, err
}

// CreateSession starts a session for the user lasting ttl and returns its
// secret, which only the user's cookie holds.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	secret, hash, err := auth.NewSecret("")
	if err != nil {
		return "", err
	}
	now := s.Now().UTC()
	err = s.Update(WithActor(ctx, userID), func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hash, userID, formatTime(now), formatTime(now.Add(ttl))); err != nil {
			return fmt.Errorf("store: unable to create session: %w", err)
		}
		return tx.audit(ctx, "login", "user", userID, nil, nil)
	})
	return secret, err
}

// SessionUser returns the user of a live session, or EUNAUTHORIZED. What
// it found is kept for a moment (signIns).
func (s *Store) SessionUser(ctx context.Context, secret string) (nscl.User, error) {
	hash, now := auth.HashSecret(secret), s.Now()
	if e, ok := s.signIns.get("s"+hash, now); ok && now.Before(e.expires) {
		return e.user, nil
	}
	changes := s.signIns.reading()
	var expires time.Time
	var userID int64
	err := s.sessionReader().queryRow(ctx, `SELECT user_id, expires_at FROM sessions WHERE token_hash = ?`, hash).Scan(&userID, timeValue{&expires})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !now.Before(expires)) {
		return nscl.User{}, unauthorized()
	}
	if err != nil {
		return nscl.User{}, fmt.Errorf("store: unable to read session: %w", err)
	}
	u, err := s.liveUser(ctx, userID)
	if err == nil {
		s.signIns.put("s"+hash, signIn{user: u, expires: expires}, changes, now)
	}
	return u, err
}

// EndSession deletes a session, so that its cookie no longer signs anyone in.
func (s *Store) EndSession(ctx context.Context, secret string) error {
	return s.Update(ctx, func(tx *Tx) error {
		tx.signInsGone = true
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, auth.HashSecret(secret))
		return err
	})
}

// liveUser reads the user of a session or a token, from the same readers.
func (s *Store) liveUser(ctx context.Context, id int64) (nscl.User, error) {
	u, err := userWhere(ctx, s.sessionReader(), `id = ?`, id)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND || (err == nil && u.Disabled) {
		return nscl.User{}, unauthorized()
	}
	return u, err
}

func unauthorized() error {
	return &nscl.Error{Code: nscl.EUNAUTHORIZED, Message: "phiên đăng nhập không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại", English: "not signed in, or the session has expired; sign in again"}
}

// SetDisabled disables or re-enables an account, provided version is still
// the stored one; disabling ends its sessions and API tokens. Returns
// ENOTFOUND or ECONFLICT.
func (tx *Tx) SetDisabled(ctx context.Context, userID, version int64, disabled bool) error {
	before, err := userWhere(ctx, tx.conn, `id = ?`, userID)
	if err != nil {
		return err
	}
	tx.forgetChecks() // the users known at the lock change
	tx.signInsGone = true
	res, err := tx.exec(ctx, `UPDATE users SET disabled = ?, version = version + 1 WHERE id = ? AND version = ?`, disabled, userID, version)
	if err != nil {
		return fmt.Errorf("store: unable to update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Conflict("version", "tài khoản đã được người khác thay đổi; hãy tải lại trang", "the account was changed by someone else; reload the page")
	}
	if disabled {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: unable to end sessions: %w", err)
		}
		if err := tx.revokeTokens(ctx, userID); err != nil {
			return err
		}
	}
	after := before
	after.Disabled, after.Version = disabled, before.Version+1
	return tx.audit(ctx, "update", "user", userID, before, after)
}
