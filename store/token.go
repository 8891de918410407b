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

// CreateToken makes a personal API token for the user, lasting days, and
// returns its secret, shown once: only its hash is kept. Returns EINVALID
// for a blank or long name or a lifetime out of bounds.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, days int) (string, nscl.APIToken, error) {
	name = nscl.NormalizeText(name)
	if err := nscl.ValidateNewToken(name, days); err != nil {
		return "", nscl.APIToken{}, err
	}
	secret, hash, err := auth.NewSecret("nscl_")
	if err != nil {
		return "", nscl.APIToken{}, err
	}
	var tok nscl.APIToken
	err = s.Update(ctx, func(tx *Tx) error {
		tok = nscl.APIToken{Name: name, CreatedAt: tx.now, ExpiresAt: tx.now.AddDate(0, 0, days)}
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			userID, name, hash, formatTime(tok.CreatedAt), formatTime(tok.ExpiresAt))
		if err != nil {
			return fmt.Errorf("store: unable to create token: %w", err)
		}
		tok.ID = id
		return tx.audit(ctx, "create", "api_token", id, nil, map[string]any{"user_id": userID, "name": name, "expires_at": tok.ExpiresAt})
	})
	return secret, tok, err
}

// Tokens lists the user's tokens that are not revoked, expired ones
// included so that their owner sees why a script stopped; newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]nscl.APIToken, error) {
	rows, err := s.reader().query(ctx, `SELECT id, name, created_at, last_used_at, expires_at FROM api_tokens
		WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC`, userID)
	tokens, err := collect(rows, err, func(r interface{ Scan(...any) error }) (nscl.APIToken, error) {
		var t nscl.APIToken
		err := r.Scan(&t.ID, &t.Name, timeValue{&t.CreatedAt}, timeValue{&t.LastUsedAt}, timeValue{&t.ExpiresAt})
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to list tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken ends one of the user's tokens. Returns ENOTFOUND when the
// user has no such token, or it is revoked already.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.Update(ctx, func(tx *Tx) error {
		tx.signInsGone = true
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
			formatTime(tx.now), tokenID, userID)
		if err != nil {
			return fmt.Errorf("store: unable to revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nscl.NotFound("token", "không có mã truy cập số %d", "no API token with id %d", tokenID)
		}
		return tx.audit(ctx, "revoke", "api_token", tokenID, nil, map[string]any{"user_id": userID})
	})
}

// revokeTokens ends every token of the user, as a changed password or a
// disabled account calls for.
func (tx *Tx) revokeTokens(ctx context.Context, userID int64) error {
	tx.signInsGone = true
	if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, formatTime(tx.now), userID); err != nil {
		return fmt.Errorf("store: unable to revoke tokens: %w", err)
	}
	return nil
}

// lastUseStep is how precisely a token's last use is kept: a script that
// calls the API every second writes it once a minute, not every second.
const lastUseStep = time.Minute

// TokenUser returns the user of a live API token, or EUNAUTHORIZED saying
// whether the token is unknown, revoked or expired. What it found is kept
// for a moment (signIns).
func (s *Store) TokenUser(ctx context.Context, secret string) (nscl.User, error) {
	hash := auth.HashSecret(secret)
	now := s.Now()
	e, kept := s.signIns.get("t"+hash, now)
	if !kept {
		changes := s.signIns.reading()
		var revoked, lastUsed time.Time
		var tokenID, userID int64
		err := s.sessionReader().queryRow(ctx, `SELECT id, user_id, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = ?`,
			hash).Scan(&tokenID, &userID, timeValue{&e.expires}, timeValue{&revoked}, timeValue{&lastUsed})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nscl.User{}, unauthorized()
		case err != nil:
			return nscl.User{}, fmt.Errorf("store: unable to read token: %w", err)
		case !revoked.IsZero():
			return nscl.User{}, &nscl.Error{Code: nscl.EUNAUTHORIZED, Field: "token", Message: "mã truy cập này đã bị thu hồi; hãy tạo mã mới", English: "this API token has been revoked; make a new one"}
		case !now.Before(e.expires):
			return nscl.User{}, tokenExpired(e.expires)
		}
		if e.user, err = s.liveUser(ctx, userID); err != nil {
			return nscl.User{}, err
		}
		if now.Sub(lastUsed) >= lastUseStep {
			s.touchToken(ctx, tokenID, now)
		}
		s.signIns.put("t"+hash, e, changes, now)
	} else if !now.Before(e.expires) {
		return nscl.User{}, tokenExpired(e.expires)
	}
	return e.user, nil
}

func tokenExpired(at time.Time) error {
	return &nscl.Error{Code: nscl.EUNAUTHORIZED, Field: "token",
		Message: fmt.Sprintf("mã truy cập này đã hết hạn lúc %s; hãy tạo mã mới", at.Format("15:04 02/01/2006 (UTC)")),
		English: fmt.Sprintf("this API token expired at %s; make a new one", at.Format("2006-01-02 15:04 UTC"))}
}

// touchToken records when a token was last used. It waits only briefly
// for the writer (an import may hold it): a use it misses is recorded by
// the next one.
func (s *Store) touchToken(ctx context.Context, id int64, now time.Time) {
	ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	writer := s.writer()
	writer.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), id)
}
