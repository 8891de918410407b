package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"nscl"
	"nscl/report"
	"nscl/store"
)

// apiRoutes mirrors the pages under /api/v1; docs/api.md describes them.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/login", s.apiLogin)
	mux.HandleFunc("POST /api/v1/logout", s.apiLogout)
	mux.HandleFunc("GET /api/v1/me", s.api(s.apiMe))
	mux.HandleFunc("GET /api/v1/tokens", s.api(s.apiTokens))
	mux.HandleFunc("POST /api/v1/tokens", s.api(s.apiCreateToken))
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", s.api(s.apiRevokeToken))
	mux.HandleFunc("GET /api/v1/reports/{year}", s.api(s.apiReport))
	mux.HandleFunc("GET /api/v1/units", s.api(s.apiUnits))
	mux.HandleFunc("GET /api/v1/activities", s.api(s.apiActivities))
	mux.HandleFunc("POST /api/v1/activities", s.api(s.apiCreateActivity))
	mux.HandleFunc("GET /api/v1/activities/{id}", s.api(s.apiActivity))
	mux.HandleFunc("PUT /api/v1/activities/{id}", s.api(s.apiUpdateActivity))
	mux.HandleFunc("DELETE /api/v1/activities/{id}", s.api(s.apiDeleteActivity))
	mux.HandleFunc("GET /api/v1/rounds", s.api(s.apiRounds))
	mux.HandleFunc("POST /api/v1/rounds", s.api(s.apiCreateRound))
	mux.HandleFunc("GET /api/v1/rounds/{id}", s.api(s.apiRound))
	mux.HandleFunc("POST /api/v1/rounds/{id}/submissions/{unit}/{action}", s.api(s.apiActOnSubmission))
	mux.HandleFunc("GET /api/v1/audit", s.api(s.apiAudit))
	s.apiSetupRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.jsonError(w, nscl.NotFound("path", "không có đường dẫn API này", "no such API path"))
	})
}

// api wraps an API handler: a valid session or Bearer token is required,
// and errors become JSON with the status their code calls for.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request, u nscl.User) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err != nil {
			s.jsonError(w, err)
			return
		}
		if err := h(w, withUser(r, u), u); err != nil {
			s.jsonError(w, err)
		}
	}
}

// decode reads a JSON body of at most 1 MiB into v, strictly: valid UTF-8,
// one value and nothing after it, no key given twice and no unknown field.
// The standard decoder would take the first value of "{…}GARBAGE", keep the
// last of two equal keys and turn broken UTF-8 into U+FFFD, so a client's
// mistake would be stored rather than told.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return nscl.Invalid("body", "nội dung quá lớn (tối đa 1 MiB)", "the body is too large (1 MiB at most)")
	case err != nil:
		return nscl.Invalid("body", "không đọc được nội dung: %v", "the body could not be read: %v", err)
	case !utf8.Valid(body):
		return nscl.Invalid("body", "JSON không phải UTF-8 hợp lệ", "the JSON is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return nscl.Invalid(typeErr.Field, "trường %s có kiểu không đúng", "field %s has the wrong type", typeErr.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return nscl.Invalid(field, "trường %q không được hỗ trợ", "field %q is not supported", field)
		case errors.Is(err, io.EOF):
			return nscl.Invalid("body", "thiếu nội dung JSON", "the JSON body is missing")
		}
		return nscl.Invalid("body", "JSON không hợp lệ: %v", "invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nscl.Invalid("body", "sau giá trị JSON còn nội dung khác; chỉ gửi một giá trị", "there is more after the JSON value; send one value only")
	}
	// The value decoded, so it is well formed and nested less deep than the
	// decoder allows: walking it again is safe.
	return duplicateKey(json.NewDecoder(bytes.NewReader(body)), "")
}

// duplicateKey walks the next JSON value of dec and refuses an object that
// gives a key twice, naming it by its path ("contact.email"). Keys are
// compared without case, as the decoder matches them to fields.
func duplicateKey(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return nscl.Invalid("body", "JSON không hợp lệ: %v", "invalid JSON: %v", err)
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nscl.Invalid("body", "JSON không hợp lệ: %v", "invalid JSON: %v", err)
			}
			key := tok.(string) // an object's tokens before each value are its keys
			field := strings.TrimPrefix(path+"."+key, ".")
			if seen[strings.ToLower(key)] {
				return nscl.Invalid(field, "trường %q được ghi hai lần", "the field %q is given twice", field)
			}
			seen[strings.ToLower(key)] = true
			if err := duplicateKey(dec, field); err != nil {
				return err
			}
		}
		_, err = dec.Token() // the closing brace
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := duplicateKey(dec, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	if err != nil {
		return nscl.Invalid("body", "JSON không hợp lệ: %v", "invalid JSON: %v", err)
	}
	return nil
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type apiUser struct {
	ID    int64     `json:"id"`
	Email string    `json:"email"`
	Name  string    `json:"name"`
	Role  nscl.Role `json:"role"`
	Unit  string    `json:"unit"`
}

func (s *Server) toAPIUser(r *http.Request, u nscl.User) apiUser {
	out := apiUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}
	if unit, err := s.Store.UnitByID(r.Context(), u.UnitID); err == nil {
		out.Unit = unit.Code
	}
	return out
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if err := decode(w, r, &c); err != nil {
		s.jsonError(w, err)
		return
	}
	secret, err := s.signIn(r, c.Email, c.Password)
	if err != nil {
		s.jsonError(w, err)
		return
	}
	s.setSessionCookie(w, r, secret)
	u, err := s.Store.SessionUser(r.Context(), secret)
	if err != nil {
		s.jsonError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": s.toAPIUser(r, u)})
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"user": s.toAPIUser(r, u)})
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := passwordSignIn(r); err != nil {
		return err
	}
	var body struct {
		Name string `json:"name"`
		Days *int   `json:"days"` // nscl.DefaultTokenDays when absent
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	days := nscl.DefaultTokenDays
	if body.Days != nil {
		days = *body.Days
	}
	secret, tok, err := s.Store.CreateToken(r.Context(), u.ID, body.Name, days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, struct {
		nscl.APIToken
		Token string `json:"token"`
		Note  string `json:"note"`
	}{tok, secret, "shown once; send as Authorization: Bearer <token>"})
	return nil
}

// apiTokens lists the caller's own tokens, never their secrets.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	tokens, err := s.Store.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if tokens == nil {
		tokens = []nscl.APIToken{} // [] rather than null
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": tokens})
	return nil
}

// apiRevokeToken ends one of the caller's own tokens; a token may revoke
// itself, as a script that knows it leaked would.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Store.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	from, to, err := yearsOf(r.PathValue("year"))
	if err != nil {
		return nscl.Invalid("year", "năm %q không hợp lệ", "year %q is not valid", r.PathValue("year"))
	}
	unit, approved, boundaries := r.URL.Query().Get("unit"), approvedOnly(r), boundariesOf(r.URL.Query())
	// The answer depends on what is asked, not on who asks: the requests
	// asking the same at once share one build of it (sharedBuilds), one
	// that starts after they ask: a program that wrote and then reads
	// finds its writes, from any process.
	key := strings.Join([]string{"api report", strconv.Itoa(from), strconv.Itoa(to), unit, strconv.FormatBool(approved), boundaries}, "\x00")
	answer, err := shareBuild(r.Context(), &s.shared, key, shareRunning{}, func(ctx context.Context) ([]byte, error) {
		var b bytes.Buffer
		if from != to {
			p, err := report.BuildPeriod(ctx, s.Store, report.PeriodRequest{Programme: s.Programme, Unit: unit, From: from, To: to, ApprovedOnly: approved, Boundaries: boundaries})
			if err != nil {
				return nil, err
			}
			err = report.WritePeriodJSON(&b, p)
			return b.Bytes(), err
		}
		rep, err := report.Build(ctx, s.Store, report.Request{Programme: s.Programme, Unit: unit, Year: from, ApprovedOnly: approved, Boundaries: boundaries})
		if err != nil {
			return nil, err
		}
		err = report.WriteJSON(&b, rep)
		return b.Bytes(), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(answer)
	return err
}

type apiUnit struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	ShortName string         `json:"short_name,omitempty"`
	Level     nscl.UnitLevel `json:"level"`
	Parent    string         `json:"parent,omitempty"`
	OpenedOn  string         `json:"opened_on,omitempty"`
	ClosedOn  string         `json:"closed_on,omitempty"`
	ID        int64          `json:"id"`
}

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	units, list, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, UnitsJSON(units, list))
	return nil
}

// UnitsJSON is the answer of GET /api/v1/units: the units of list, parents
// named by code from units. `nscl unit list --json` prints the same.
func UnitsJSON(units map[int64]nscl.OrgUnit, list []nscl.OrgUnit) any {
	out := []apiUnit{}
	for _, unit := range list {
		out = append(out, apiUnitOf(units, unit))
	}
	return map[string]any{"units": out}
}

// apiUnitOf is unit as the API gives it, its parent named by code from units.
func apiUnitOf(units map[int64]nscl.OrgUnit, unit nscl.OrgUnit) apiUnit {
	a := apiUnit{ID: unit.ID, Code: unit.Code, Name: unit.Name, ShortName: unit.ShortName, Level: unit.Level, Parent: units[unit.ParentID].Code}
	if !unit.OpenedOn.IsZero() {
		a.OpenedOn = unit.OpenedOn.Format(time.DateOnly)
	}
	if !unit.ClosedOn.IsZero() {
		a.ClosedOn = unit.ClosedOn.Format(time.DateOnly)
	}
	return a
}

// apiActivity is an activity as the API reads and writes it.
type apiActivity struct {
	ID            int64                      `json:"id,omitempty"`
	Unit          string                     `json:"unit"`
	Date          string                     `json:"date"`
	TaskGroup     string                     `json:"task_group"`
	Kind          nscl.ActivityKind          `json:"kind"`
	Description   string                     `json:"description"`
	NotInFootnote *bool                      `json:"not_in_footnote,omitempty"` // always answered; a write without it keeps the stored value
	Source        string                     `json:"source,omitempty"`
	Ref           string                     `json:"ref,omitempty"`
	Quantities    map[string]json.RawMessage `json:"quantities"`
	Beneficiaries []string                   `json:"beneficiaries,omitempty"`
	Version       int64                      `json:"version"`
	Round         int64                      `json:"round,omitempty"` // when given, the date must fall in that round's period
	// SameAsExisting answers, for a new activity, a 409 listing stored
	// look-alikes: "new" saves it as another activity; a look-alike's ID
	// saves it as that activity (an update; no second count).
	SameAsExisting string `json:"same_as_existing,omitempty"`
}

func (s *Server) toAPIActivity(units map[int64]nscl.OrgUnit, a nscl.Activity) apiActivity {
	out := apiActivity{ID: a.ID, Unit: units[a.UnitID].Code, Date: a.Date.Format(time.DateOnly), TaskGroup: a.TaskGroup, Kind: a.Kind,
		Description: a.Description, NotInFootnote: &a.NotInFootnote, Source: a.Source, Ref: a.Ref, Quantities: map[string]json.RawMessage{}, Beneficiaries: a.Beneficiaries, Version: a.Version}
	for _, q := range a.Quantities {
		out.Quantities[q.Metric] = json.RawMessage(strconv.FormatInt(q.Value, 10))
	}
	return out
}

// fromAPI turns a posted activity into the domain's, naming the field at
// fault when a value cannot be read. stored is the activity it updates
// (zero for a new one), whose footnote flag a body without one keeps:
// scripts written before the flag existed must not clear it.
func (s *Server) fromAPI(r *http.Request, in apiActivity, stored nscl.Activity) (nscl.Activity, error) {
	a := nscl.Activity{TaskGroup: in.TaskGroup, Kind: in.Kind, Description: in.Description, NotInFootnote: stored.NotInFootnote,
		Source: in.Source, Ref: in.Ref, Beneficiaries: in.Beneficiaries, Version: in.Version}
	if in.NotInFootnote != nil {
		a.NotInFootnote = *in.NotInFootnote
	}
	unit, err := s.Store.UnitByCode(r.Context(), in.Unit)
	if err != nil {
		return a, nscl.Invalid("unit", "không có đơn vị mã %q", "no unit with code %q", in.Unit)
	}
	a.UnitID = unit.ID
	if a.Date, err = nscl.ParseDate("date", in.Date); err != nil {
		return a, err
	}
	for code, raw := range in.Quantities {
		n, err := apiQuantity("quantities."+code, raw)
		if err != nil {
			return a, err
		}
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: code, Value: n})
	}
	if in.Round != 0 {
		round, _, err := s.Store.Round(r.Context(), in.Round)
		if err != nil {
			return a, err
		}
		if !round.Contains(a.Date) {
			return a, nscl.Invalid("date", "ngày %s nằm ngoài kỳ báo cáo %s – %s", "date %s is outside the round's period %s – %s",
				formatDay(a.Date), formatDay(round.PeriodStart), formatDay(round.PeriodEnd))
		}
	}
	return a, nil
}

// apiQuantity reads a quantity given as a JSON number, which must be a
// whole number (1.500 is one and a half, not fifteen hundred), or as a
// string written the Vietnamese way ("16.192").
func apiQuantity(field string, raw json.RawMessage) (int64, error) {
	var text string
	if json.Unmarshal(raw, &text) == nil {
		return nscl.ParseQuantity(field, text)
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, nscl.Invalid(field, "%s không phải là số nguyên", "%s is not a whole number", string(raw))
	}
	if n < 0 {
		return 0, nscl.Invalid(field, "số liệu không được âm", "quantity must not be negative")
	}
	return n, nil
}

func (s *Server) apiActivities(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ActivityFilter{TaskGroup: q.Get("task_group"), Kind: nscl.ActivityKind(q.Get("kind")), Text: q.Get("q"), After: q.Get("after")}
	for _, p := range []struct {
		name string
		into *int
	}{{"year", &f.Year}, {"limit", &f.Limit}, {"offset", &f.Offset}} {
		if raw := q.Get(p.name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				return nscl.Invalid(p.name, "%s=%q không phải là số hợp lệ", "%s=%q is not a valid number", p.name, raw)
			}
			*p.into = n
		}
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	if code := q.Get("unit"); code != "" {
		unit, err := s.Store.UnitByCode(r.Context(), code)
		if err != nil {
			return err
		}
		f.UnitID = unit.ID
	}
	if !u.CanSeeAllUnits() {
		if f.UnitID != 0 && f.UnitID != u.UnitID {
			return nscl.Forbidden("bạn chỉ xem được hoạt động của đơn vị mình", "you may read your own unit's activities only")
		}
		f.UnitID = u.UnitID
	}
	page, err := s.listActivities(r.Context(), prog, f)
	if err != nil {
		return err
	}
	out := []apiActivity{}
	for _, a := range page.Activities {
		out = append(out, s.toAPIActivity(units, a))
	}
	var next *string // null on the last page
	if page.Next != "" {
		next = &page.Next
	}
	writeJSON(w, http.StatusOK, map[string]any{"activities": out, "next": next})
	return nil
}

// readableActivity loads an activity the user may read.
func (s *Server) readableActivity(r *http.Request, u nscl.User) (nscl.Activity, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nscl.Activity{}, err
	}
	a, err := s.Store.Activity(r.Context(), id)
	if err != nil {
		return a, err
	}
	if !u.CanSeeUnit(a.UnitID) {
		return a, nscl.Forbidden("bạn chỉ xem được hoạt động của đơn vị mình", "you may read your own unit's activities only")
	}
	return a, nil
}

func (s *Server) apiActivity(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	a, err := s.readableActivity(r, u)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toAPIActivity(units, a))
	return nil
}

func (s *Server) apiCreateActivity(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.apiSaveActivity(w, r, nscl.Activity{})
}

func (s *Server) apiUpdateActivity(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	a, err := s.readableActivity(r, u)
	if err != nil {
		return err
	}
	// Said before the body is read, as the form says it; the store holds
	// the rule for every path.
	if err := nscl.RefuseHandWrite(a.Ref); err != nil {
		return err
	}
	return s.apiSaveActivity(w, r, a)
}

// apiSaveActivity creates an activity (stored zero) or updates stored.
func (s *Server) apiSaveActivity(w http.ResponseWriter, r *http.Request, stored nscl.Activity) error {
	var in apiActivity
	if err := decode(w, r, &in); err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	a, err := s.fromAPI(r, in, stored)
	if err != nil {
		return err
	}
	if stored.ID == 0 && in.SameAsExisting != "new" {
		// A mistake is told before a look-alike: nothing is asked of an
		// activity that could not be saved anyway.
		if err := nscl.ValidateActivity(&a, prog); err != nil {
			return err
		}
		alikes, err := s.Store.LookAlikes(r.Context(), prog, a)
		if err != nil {
			return err
		}
		id, _ := strconv.ParseInt(in.SameAsExisting, 10, 64)
		if i := slices.IndexFunc(alikes, func(x nscl.Activity) bool { return x.ID == id }); i >= 0 {
			sameAs(&a, alikes[i])
			stored = alikes[i]
		} else if len(alikes) > 0 {
			return s.lookAlikeConflict(w, r, alikes)
		}
	}
	status := http.StatusCreated
	if stored.ID == 0 {
		err = s.Store.CreateActivity(r.Context(), prog, &a)
	} else {
		a.ID, status = stored.ID, http.StatusOK
		err = s.Store.UpdateActivity(r.Context(), prog, &a)
	}
	if err != nil {
		return err
	}
	saved, err := s.Store.Activity(r.Context(), a.ID)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, status, s.toAPIActivity(units, saved))
	return nil
}

// lookAlikeConflict answers a new activity that looks like stored ones
// (nscl.LooksAlike) with 409 and those activities, so that a script sends it
// again saying which it is (same_as_existing), as the form asks a person.
func (s *Server) lookAlikeConflict(w http.ResponseWriter, r *http.Request, alikes []nscl.Activity) error {
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	e := nscl.Conflict("same_as_existing", "Đơn vị đã có hoạt động giống hoạt động này; chưa lưu gì. Gửi lại với same_as_existing là \"new\" hoặc mã hoạt động trùng.",
		"The unit has an activity like this one; nothing was saved. Send it again with same_as_existing set to \"new\" or the ID of the same activity.")
	body := struct {
		Error      map[string]any `json:"error"`
		LookAlikes []apiActivity  `json:"look_alikes"`
	}{Error: map[string]any{"code": e.Code, "message": e.Message, "message_en": e.English, "field": e.Field}}
	for _, a := range alikes {
		body.LookAlikes = append(body.LookAlikes, s.toAPIActivity(units, a))
	}
	writeJSON(w, http.StatusConflict, body)
	return nil
}

func (s *Server) apiDeleteActivity(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	a, err := s.readableActivity(r, u)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil {
		return nscl.Invalid("version", "cần tham số version của bản ghi đang xóa", "the version of the record being deleted is required")
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	if err := s.Store.DeleteActivity(r.Context(), prog, a.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type apiRound struct {
	ID          int64           `json:"id,omitempty"`
	Title       string          `json:"title"`
	Document    int64           `json:"document_id,omitempty"`
	PeriodStart string          `json:"period_start"`
	PeriodEnd   string          `json:"period_end"`
	Cutoff      string          `json:"cutoff,omitempty"`
	Deadline    string          `json:"deadline"`
	Units       []string        `json:"units"`
	Version     int64           `json:"version,omitempty"`
	Submitted   int             `json:"submitted"`
	Expected    int             `json:"expected"`
	ByStatus    statusCounts    `json:"by_status,omitempty"`
	Submissions []apiSubmission `json:"submissions,omitempty"`
}

// statusCounts counts a round's submissions in each status.
type statusCounts = map[nscl.SubmissionStatus]int

type apiSubmission struct {
	Unit        string                `json:"unit"`
	Status      nscl.SubmissionStatus `json:"status"`
	Timeliness  nscl.Timeliness       `json:"timeliness"`
	SubmittedAt *time.Time            `json:"submitted_at,omitempty"`
	Comment     string                `json:"comment,omitempty"`
	Version     int64                 `json:"version"`
	// History is every step the submission has taken, oldest first; only
	// GET /api/v1/rounds/{id} carries it.
	History []apiStep `json:"history,omitzero"` // [] when none, left out when not read
}

// apiStep is one step of a submission's history.
type apiStep struct {
	Step    nscl.ReviewStep `json:"step"`
	Name    string          `json:"by_name"` // "" for a step from before the history named its users
	Email   string          `json:"by_email"`
	At      time.Time       `json:"at"`
	Comment string          `json:"comment,omitempty"`
}

// toAPIRound is a round as u reads it at time now; history, when not nil,
// holds the steps of the submissions by unit (Store.RoundHistory), shown
// for the units u may read.
func toAPIRound(units map[int64]nscl.OrgUnit, round nscl.Round, subs []nscl.Submission, history map[int64][]nscl.SubmissionEvent, u nscl.User, now time.Time) apiRound {
	out := apiRound{ID: round.ID, Title: round.Title, Document: round.DocumentID, PeriodStart: round.PeriodStart.Format(time.DateOnly),
		PeriodEnd: round.PeriodEnd.Format(time.DateOnly), Deadline: round.Deadline.Format(time.DateOnly), Version: round.Version, Units: []string{}}
	if !round.Cutoff.IsZero() {
		out.Cutoff = round.Cutoff.Format(time.DateOnly)
	}
	out.Submitted, out.Expected = nscl.Completeness(subs)
	out.ByStatus = nscl.StatusCounts(subs)
	for _, sub := range subs {
		out.Units = append(out.Units, units[sub.UnitID].Code)
		if !u.CanSeeUnit(sub.UnitID) {
			continue
		}
		a := apiSubmission{Unit: units[sub.UnitID].Code, Status: sub.Status, Timeliness: round.Timeliness(sub, now), Comment: sub.Comment, Version: sub.Version}
		if !sub.SubmittedAt.IsZero() {
			at := sub.SubmittedAt
			a.SubmittedAt = &at
		}
		if history != nil {
			a.History = []apiStep{}
			for _, e := range history[sub.UnitID] {
				a.History = append(a.History, apiStep{Step: e.Step, Name: e.UserName, Email: e.UserEmail, At: e.At, Comment: e.Comment})
			}
		}
		out.Submissions = append(out.Submissions, a)
	}
	return out
}

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	rounds, err := s.Store.Rounds(r.Context(), prog)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	all, err := s.Store.RoundSubmissions(r.Context(), prog)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, RoundsJSON(units, rounds, all, u, s.Now()))
	return nil
}

// RoundsJSON is the answer of GET /api/v1/rounds: the rounds with their
// submissions by round (all), as u reads them at time now. `nscl round
// list --json` prints the same.
func RoundsJSON(units map[int64]nscl.OrgUnit, rounds []nscl.Round, all map[int64][]nscl.Submission, u nscl.User, now time.Time) any {
	out := []apiRound{}
	for _, round := range rounds {
		out = append(out, toAPIRound(units, round, all[round.ID], nil, u, now))
	}
	return map[string]any{"rounds": out}
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	round, subs, err := s.Store.Round(r.Context(), id)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	// One query for the whole round's history, however many units it asks.
	history, err := s.Store.RoundHistory(r.Context(), round.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIRound(units, round, subs, history, u, s.Now()))
	return nil
}

func (s *Server) apiCreateRound(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireRounds(); err != nil {
		return err
	}
	var in apiRound
	if err := decode(w, r, &in); err != nil {
		return err
	}
	round := nscl.Round{Title: in.Title, DocumentID: in.Document}
	var err error
	for _, f := range []struct {
		field, raw string
		into       *time.Time
	}{{"period_start", in.PeriodStart, &round.PeriodStart}, {"period_end", in.PeriodEnd, &round.PeriodEnd}, {"cutoff", in.Cutoff, &round.Cutoff}, {"deadline", in.Deadline, &round.Deadline}} {
		if f.raw == "" && f.field == "cutoff" {
			continue
		}
		if *f.into, err = nscl.ParseDate(f.field, f.raw); err != nil {
			return err
		}
	}
	for _, code := range in.Units {
		unit, err := s.Store.UnitByCode(r.Context(), code)
		if err != nil {
			return nscl.Invalid("units", "không có đơn vị mã %q", "no unit with code %q", code)
		}
		round.UnitIDs = append(round.UnitIDs, unit.ID)
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateRound(r.Context(), prog, &round) }); err != nil {
		return err
	}
	_, subs, err := s.Store.Round(r.Context(), round.ID)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIRound(units, round, subs, nil, u, s.Now()))
	return nil
}

func (s *Server) apiActOnSubmission(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := s.Store.UnitByCode(r.Context(), r.PathValue("unit"))
	if err != nil {
		return err
	}
	var body struct {
		Version int64  `json:"version"`
		Comment string `json:"comment"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	var sub nscl.Submission
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
		var err error
		sub, err = tx.ActOnSubmission(r.Context(), id, unit.ID, body.Version, store.SubmissionAction(r.PathValue("action")), body.Comment)
		return err
	})
	if err != nil {
		return err
	}
	round, _, err := s.Store.Round(r.Context(), id)
	if err != nil {
		return err
	}
	out := apiSubmission{Unit: unit.Code, Status: sub.Status, Timeliness: round.Timeliness(sub, s.Now()), Comment: sub.Comment, Version: sub.Version}
	if !sub.SubmittedAt.IsZero() {
		out.SubmittedAt = &sub.SubmittedAt
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func rawOrNull(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}
