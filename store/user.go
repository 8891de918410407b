package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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
func (tx *Tx) SetPassword(ctx context.Context, userID int64, password string) error {
	if err := nscl.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, version = version + 1 WHERE id = ?`, hash, userID)
	if err != nil {
		return fmt.Errorf("store: unable to set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.NotFound("user", "không có người dùng số %d", "no user with id %d", userID)
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: unable to end sessions: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: unable to revoke tokens: %w", err)
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

// SessionUser returns the user of a live session, or EUNAUTHORIZED.
func (s *Store) SessionUser(ctx context.Context, secret string) (nscl.User, error) {
	var expires time.Time
	var userID int64
	err := s.sessionReader().queryRow(ctx, `SELECT user_id, expires_at FROM sessions WHERE token_hash = ?`, auth.HashSecret(secret)).Scan(&userID, timeValue{&expires})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Now().Before(expires)) {
		return nscl.User{}, unauthorized()
	}
	if err != nil {
		return nscl.User{}, fmt.Errorf("store: unable to read session: %w", err)
	}
	return s.liveUser(ctx, userID)
}

// EndSession deletes a session, so that its cookie no longer signs anyone in.
func (s *Store) EndSession(ctx context.Context, secret string) error {
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, auth.HashSecret(secret))
		return err
	})
}

// CreateToken makes a personal API token for the user and returns its
// secret; it is shown once and only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	name = nscl.NormalizeText(name)
	if name == "" || len([]rune(name)) > 100 {
		return "", nscl.Invalid("name", "tên mã truy cập không được để trống, tối đa 100 ký tự", "token name is required, at most 100 characters")
	}
	secret, hash, err := auth.NewSecret("nscl_")
	if err != nil {
		return "", err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)`,
			userID, name, hash, formatTime(tx.now))
		if err != nil {
			return fmt.Errorf("store: unable to create token: %w", err)
		}
		return tx.audit(ctx, "create", "api_token", id, nil, map[string]any{"user_id": userID, "name": name})
	})
	return secret, err
}

// TokenUser returns the user of an API token, or EUNAUTHORIZED.
func (s *Store) TokenUser(ctx context.Context, secret string) (nscl.User, error) {
	var userID int64
	err := s.sessionReader().queryRow(ctx, `SELECT user_id FROM api_tokens WHERE token_hash = ?`, auth.HashSecret(secret)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nscl.User{}, unauthorized()
	}
	if err != nil {
		return nscl.User{}, fmt.Errorf("store: unable to read token: %w", err)
	}
	return s.liveUser(ctx, userID)
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
	res, err := tx.exec(ctx, `UPDATE users SET disabled = ?, version = version + 1 WHERE id = ? AND version = ?`, disabled, userID, version)
	if err != nil {
		return fmt.Errorf("store: unable to update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Conflict("version", "tài khoản đã được người khác thay đổi; hãy tải lại trang", "the account was changed by someone else; reload the page")
	}
	if disabled {
		for _, table := range []string{"sessions", "api_tokens"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE user_id = ?`, userID); err != nil {
				return fmt.Errorf("store: unable to end access: %w", err)
			}
		}
	}
	after := before
	after.Disabled, after.Version = disabled, before.Version+1
	return tx.audit(ctx, "update", "user", userID, before, after)
}
