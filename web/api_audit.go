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

// apiAuditLimit is the largest page GET /api/v1/audit answers, and
// apiAuditPage the page it answers when none is asked.
const (
	apiAuditLimit = 500
	apiAuditPage  = 100
)

// apiAuditEntry is an entry of GET /api/v1/audit: the record as written,
// and as the audit page reads it, in Vietnamese and in English.
type apiAuditEntry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	User       string          `json:"user"`
	Unit       string          `json:"unit,omitempty"` // the code of the unit the entry is about
	Action     string          `json:"action"`
	Entity     string          `json:"entity"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	Sentence   string          `json:"sentence"`
	SentenceEn string          `json:"sentence_en"`
	Changes    []string        `json:"changes"`
	ChangesEn  []string        `json:"changes_en"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireAudit(); err != nil {
		return err
	}
	f, err := s.apiAuditFilter(r)
	if err != nil {
		return err
	}
	f.Hidden = hiddenAudit(u)
	entries, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	names, err := s.auditNames(r, &auditData{})
	if err != nil {
		return err
	}
	out := []apiAuditEntry{}
	for _, e := range entries {
		vi, en := readAudit(langVI, e, names), readAudit(langEN, e, names)
		entry := apiAuditEntry{ID: e.ID, At: e.At, User: e.UserEmail, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
			Before: rawOrNull(e.Before), After: rawOrNull(e.After), Sentence: vi.Sentence, SentenceEn: en.Sentence,
			Changes: orEmpty(vi.Changes), ChangesEn: orEmpty(en.Changes)}
		if e.UnitID != 0 {
			entry.Unit = names.units[e.UnitID].Code
		}
		out = append(out, entry)
	}
	// next is the before= of the page after, null on the last.
	var next *int64
	if len(entries) == f.Limit {
		next = &entries[len(entries)-1].ID
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out, "next": next})
	return nil
}

// apiAuditFilter reads the filters of GET /api/v1/audit: those of the
// audit page, a unit named by its code and a user by e-mail or ID. A value
// that names nothing, or is not a number where one is needed, is refused
// naming its field, rather than read as no filter.
func (s *Server) apiAuditFilter(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{EntityID: q.Get("id"), Action: q.Get("action"), Limit: apiAuditPage}
	if err := auditDays(&f, q.Get("from"), q.Get("to")); err != nil {
		return f, err
	}
	if code := strings.TrimSpace(q.Get("unit")); code != "" {
		unit, err := s.Store.UnitByCode(r.Context(), code)
		if err != nil {
			return f, nscl.Invalid("unit", "không có đơn vị mã %q", "no unit with code %q", code)
		}
		f.UnitID = unit.ID
	}
	if who := strings.TrimSpace(q.Get("user")); who != "" {
		var user nscl.User
		var err error
		if id, perr := strconv.ParseInt(who, 10, 64); perr == nil {
			user, err = s.Store.UserByID(r.Context(), id)
		} else {
			user, err = s.Store.UserByEmail(r.Context(), who)
		}
		if err != nil {
			return f, nscl.Invalid("user", "không có người dùng %q (dùng thư điện tử hoặc mã số)", "no user %q (give an e-mail or an ID)", who)
		}
		f.UserID = user.ID
	}
	if kind := strings.TrimSpace(q.Get("entity")); kind != "" {
		if _, ok := auditMessages["audit.noun."+kind]; !ok {
			return f, nscl.Invalid("entity", "không có loại bản ghi %q", "no kind of record %q", kind)
		}
		f.Entity = kind
	}
	for _, n := range []struct {
		field    string
		into     *int
		min, max int
	}{{"limit", &f.Limit, 1, apiAuditLimit}, {"offset", &f.Offset, 0, store.MaxActivityOffset}} {
		raw := strings.TrimSpace(q.Get(n.field))
		if raw == "" {
			continue
		}
		v, err := strconv.Atoi(raw)
		if err != nil || v < n.min || v > n.max {
			return f, nscl.Invalid(n.field, "%s phải là số nguyên từ %d đến %d", "%s must be a whole number from %d to %d", n.field, n.min, n.max)
		}
		*n.into = v
	}
	before, err := queryID(q, "before")
	f.Before = before
	return f, err
}

// orEmpty is list, or an empty list for none: JSON readers get [] rather
// than null.
func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
