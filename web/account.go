package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// accountData is the signed-in user's own page: its API tokens.
type accountData struct {
	Tokens []nscl.APIToken
	Now    time.Time
	Secret string        // a token just made, shown this once
	Made   nscl.APIToken // the token Secret belongs to
	Form   map[string]string
}

// Expired reports whether t can no longer be used.
func (d accountData) Expired(t nscl.APIToken) bool { return !d.Now.Before(t.ExpiresAt) }

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.renderAccount(w, r, u, accountData{}, nil)
}

// renderAccount shows the page with d, and err's mistakes beside their fields.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, u nscl.User, d accountData, err error) error {
	tokens, lerr := s.Store.Tokens(r.Context(), u.ID)
	if lerr != nil {
		return lerr
	}
	d.Tokens, d.Now = tokens, s.Now()
	if d.Form == nil {
		d.Form = map[string]string{"days": strconv.Itoa(nscl.DefaultTokenDays)}
	}
	v := view{Title: translate(language(r), "account.title"), Nav: "account", Data: d}
	status := http.StatusOK
	if err != nil {
		v.Error, v.Mistakes, status = s.publicError(err), nscl.ErrorList(err), statusOf(err)
	}
	s.render(w, r, status, "account.html", v)
	return nil
}

// passwordSignIn refuses a request signed with an API token: a token that
// leaked must not be able to make more, nor to outlive its revocation.
func passwordSignIn(r *http.Request) error {
	if r.Header.Get("Authorization") != "" {
		return nscl.Forbidden("mã truy cập chỉ được tạo khi đăng nhập bằng mật khẩu", "API tokens are created from a password sign-in, not with another token")
	}
	return nil
}

func (s *Server) accountTokenCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := passwordSignIn(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	name, daysText := r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("days"))
	days := nscl.DefaultTokenDays
	if daysText != "" {
		var err error
		if days, err = strconv.Atoi(daysText); err != nil {
			days = 0 // refused below, beside the field, with the bounds
		}
	}
	secret, tok, err := s.Store.CreateToken(r.Context(), u.ID, name, days)
	if formMistake(err) {
		return s.renderAccount(w, r, u, accountData{Form: map[string]string{"name": name, "days": daysText}}, err)
	}
	if err != nil {
		return err
	}
	return s.renderAccount(w, r, u, accountData{Secret: secret, Made: tok}, nil)
}

func (s *Server) accountTokenRevoke(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if !confirmed(r) {
		tokens, err := s.Store.Tokens(r.Context(), u.ID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			if t.ID == id {
				lang := language(r)
				return s.askConfirmation(w, r, confirmation{Question: translate(lang, "confirm.revoke_token"), Detail: t.Name,
					Button: translate(lang, "tokens.revoke"), Back: "/account", Nav: "account"})
			}
		}
		return nscl.NotFound("token", "không có mã truy cập số %d", "no API token with id %d", id)
	}
	if err := s.Store.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	s.saved(w, r, "token_revoked", id, "/account")
	return nil
}

// signInFailure is a refused sign-in, as the users page lists it.
type signInFailure struct {
	At                       time.Time
	Account, Address, Reason string
}

// signInFailures are the latest refused sign-ins, which the audit log keeps.
func (s *Server) signInFailures(r *http.Request) ([]signInFailure, error) {
	entries, err := s.Store.AuditLog(r.Context(), store.AuditFilter{Entity: store.SignInFailure, Limit: 20})
	if err != nil {
		return nil, err
	}
	var out []signInFailure
	for _, e := range entries {
		var d struct{ Address, Reason string }
		json.Unmarshal([]byte(e.After), &d)
		out = append(out, signInFailure{At: e.At, Account: e.EntityID, Address: d.Address, Reason: d.Reason})
	}
	return out, nil
}
