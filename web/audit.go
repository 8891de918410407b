package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

type auditData struct {
	Entries []auditLine
	Filter  store.AuditFilter
	From    string // as typed, dd/mm/yyyy
	To      string
	Users   []nscl.User
	Units   []nscl.OrgUnit
	Unit    string // the unit filter: the unit's code, "" for every unit
	Kinds   []auditKind
	ShowRaw bool   // administrators see each entry's JSON
	NextURL string // the page after, "" on the last
	Newest  string // the first page with the same filter, "" on it
}

// auditKind is a kind of record to filter by, named in the page's language.
type auditKind struct{ Code, Label string }

// auditLine is an audit entry as the page shows it.
type auditLine struct {
	store.AuditEntry
	auditReading
	When                string // dd/mm/yyyy hh:mm in Vietnam's time, "—" for none
	RawBefore, RawAfter string
}

const auditPageSize = 50

// queryID reads an ID the address gives, 0 when it gives none, refusing
// what is not a positive whole number rather than reading it as none.
func queryID(q url.Values, field string) (int64, error) {
	raw := strings.TrimSpace(q.Get(field))
	if raw == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, nscl.Invalid(field, "%s phải là mã số (số nguyên dương), không phải %q", "%s must be an ID (a positive whole number), not %q", field, raw)
	}
	return id, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireAudit(); err != nil {
		return err
	}
	lang := language(r)
	q := r.URL.Query()
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: q.Get("id"), Action: q.Get("action"), Limit: auditPageSize}
	for _, id := range []struct {
		field string
		into  *int64
	}{{"user", &f.UserID}, {"before", &f.Before}} {
		var err error
		if *id.into, err = queryID(q, id.field); err != nil {
			return err
		}
	}
	d := auditData{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), ShowRaw: u.CanManageUsers()}
	if typed := strings.TrimSpace(q.Get("unit")); typed != "" {
		unit, err := s.unitPosted(r, "unit", "audit.unit", typed)
		if err != nil {
			return err
		}
		f.UnitID, d.Unit = unit.ID, unit.Code
	}
	f.Hidden = hiddenAudit(u)
	if err := auditDays(&f, d.From, d.To); err != nil {
		return err
	}
	entries, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	d.Filter = f
	names, err := s.auditNames(r, &d)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for key := range auditMessages {
			if code, ok := strings.CutPrefix(key, "audit.noun."); ok && code != f.Hidden && !yield(code) {
				return
			}
		}
	}) {
		d.Kinds = append(d.Kinds, auditKind{k, translate(lang, "audit.noun."+k)})
	}
	slices.SortFunc(d.Kinds, func(a, b auditKind) int { return cmp.Compare(a.Label, b.Label) })
	for _, e := range entries {
		line := auditLine{AuditEntry: e, auditReading: readAudit(lang, e, names), When: auditStamp(e.At)}
		if d.ShowRaw {
			line.RawBefore, line.RawAfter = rawAudit(e.Before), rawAudit(e.After)
		}
		d.Entries = append(d.Entries, line)
	}
	if len(entries) == f.Limit {
		next := r.URL.Query()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.NextURL = "/audit?" + next.Encode()
	}
	if f.Before != 0 {
		first := r.URL.Query()
		first.Del("before")
		d.Newest = "/audit?" + first.Encode()
	}
	s.render(w, r, http.StatusOK, "audit.html", view{Title: translate(lang, "audit.title"), Nav: "audit", Data: d})
	return nil
}

// auditNames reads the users, units and metrics the sentences name, and
// lists the users and units to filter by.
func (s *Server) auditNames(r *http.Request, d *auditData) (auditNames, error) {
	n := auditNames{users: map[int64]nscl.User{}, units: map[int64]nscl.OrgUnit{}, metrics: map[string]nscl.Metric{}}
	users, err := s.Store.Users(r.Context())
	if err != nil {
		return n, err
	}
	units, err := s.Store.Units(r.Context())
	if err != nil {
		return n, err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return n, err
	}
	for _, u := range users {
		n.users[u.ID] = u
	}
	for _, u := range units {
		n.units[u.ID] = u
	}
	for _, m := range prog.Metrics {
		n.metrics[m.Code] = m
	}
	d.Users = users
	slices.SortFunc(d.Users, func(a, b nscl.User) int { return cmp.Compare(a.Name, b.Name) })
	d.Units = units
	slices.SortStableFunc(d.Units, func(a, b nscl.OrgUnit) int { return cmp.Compare(a.Name, b.Name) })
	return n, nil
}

// auditDays sets f's range from the days typed as from and to (each
// dd/mm/yyyy or yyyy-mm-dd, "" for no bound): the days are Vietnam's, from
// the start of the first to the end of the last, at UTC+7. The page and
// the API read them here alike.
func auditDays(f *store.AuditFilter, from, to string) error {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from != "" {
		day, err := nscl.ParseDate("from", from)
		if err != nil {
			return err
		}
		f.From = vietnamDay(day)
	}
	if to != "" {
		day, err := nscl.ParseDate("to", to)
		if err != nil {
			return err
		}
		f.To = vietnamDay(day).AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return nscl.Invalid("to", "ngày kết thúc %s trước ngày bắt đầu %s", "the end day %s is before the start day %s", to, from)
	}
	return nil
}

// vietnamDay is the first instant of day (a date as parsed, at midnight
// UTC) in Vietnam.
func vietnamDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, nscl.Local)
}

// auditStamp shows when an entry was written: dd/mm/yyyy hh:mm in
// Vietnam's time (UTC+7, fixed, so that no time zone database is needed),
// "—" for no time.
func auditStamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(nscl.Local).Format("02/01/2006 15:04")
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
