package web

import (
	"net/http"
	"strconv"

	"nscl"
	"nscl/store"
)

type auditData struct {
	Entries []store.AuditEntry
	Filter  store.AuditFilter
	Users   []nscl.User
	NextURL string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanManageSetup() {
		return nscl.Forbidden("chỉ cán bộ đầu mối và quản trị xem được nhật ký", "only focal-point staff and administrators may read the audit log")
	}
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("id"), Action: q.Get("action"), Limit: 50}
	f.UserID, _ = strconv.ParseInt(q.Get("user"), 10, 64)
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	entries, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return err
	}
	d := auditData{Entries: entries, Filter: f, Users: users}
	if len(entries) == f.Limit {
		next := r.URL.Query()
		next.Set("offset", strconv.Itoa(f.Offset+f.Limit))
		d.NextURL = "/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "audit.html", view{Title: translate(language(r), "audit.title"), Nav: "audit", Data: d})
	return nil
}
