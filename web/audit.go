package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"nscl"
	"nscl/store"
)

type auditData struct {
	Entries []auditLine
	Filter  store.AuditFilter
	Users   []nscl.User
	NextURL string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireAudit(); err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("id"), Action: q.Get("action"), Limit: 50}
	f.UserID, _ = strconv.ParseInt(q.Get("user"), 10, 64)
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	f.Hidden = hiddenAudit(u)
	entries, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	d := auditData{Filter: f, Users: users}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditLine{AuditEntry: e, Changes: changes(e.Before, e.After)})
	}
	if len(entries) == f.Limit {
		next := r.URL.Query()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.NextURL = "/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "audit.html", view{Title: translate(language(r), "audit.title"), Nav: "audit", Data: d})
	return nil
}

// auditLine is an audit entry with the fields it changed, for reading.
type auditLine struct {
	store.AuditEntry
	Changes []fieldChange
}

type fieldChange struct {
	Field, Before, After string
}

// changes lists the top-level fields whose values differ between two JSON
// objects. A creation or a deletion is one line holding the record, cut
// short; the version, bumped by every write, is left out.
func changes(before, after string) []fieldChange {
	if before == "" || after == "" {
		if before == after {
			return nil
		}
		return []fieldChange{{Before: shortJSON(json.RawMessage(before)), After: shortJSON(json.RawMessage(after))}}
	}
	var b, a map[string]json.RawMessage
	json.Unmarshal([]byte(before), &b)
	json.Unmarshal([]byte(after), &a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldChange
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if k == "version" || string(b[k]) == string(a[k]) {
			continue
		}
		out = append(out, fieldChange{Field: k, Before: shortJSON(b[k]), After: shortJSON(a[k])})
	}
	return out
}

// shortJSON shows a JSON value plainly: strings without quotes, long
// values cut.
func shortJSON(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var text string
	s := string(raw)
	if json.Unmarshal(raw, &text) == nil {
		s = text
	}
	return crop(s, 300)
}

// hiddenAudit is the part of the audit log u may not read: refused
// sign-ins (the accounts tried and the addresses they came from) are for
// administrators only.
func hiddenAudit(u nscl.User) string {
	if u.CanManageUsers() {
		return ""
	}
	return store.SignInFailure
}
