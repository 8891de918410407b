package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"nscl"
	"nscl/store"
)

// The public registration's limits: what one post may weigh, and how many
// registrations one client address may send — five at once, then one every
// two minutes (five per ten minutes) — and how many addresses are
// remembered at once (see addressLimiter).
const (
	maxRegistrationBody    = 32 << 10
	registrationBurst      = 5
	registrationInterval   = 2 * time.Minute
	registrationAddressCap = 100_000
)

// registrationPageSize is how many registrations the review list shows at once.
const registrationPageSize = 50

// registrationRoutes serves the public pages of calls for participation,
// their JSON API, and the focal users' review of registrations.
func (s *Server) registrationRoutes(mux *http.ServeMux) {
	// One allowance per address, shared by the form and the API.
	limit := newAddressLimiter(registrationInterval, registrationBurst, registrationAddressCap)
	mux.HandleFunc("GET /calls", s.public(s.callList))
	mux.HandleFunc("GET /calls/{id}", s.public(s.callPage))
	mux.HandleFunc("POST /calls/{id}/register", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return s.callRegister(w, r, limit)
	}))
	mux.HandleFunc("GET /calls/{id}/registered", s.public(s.callRegistered))
	mux.HandleFunc("POST /api/v1/registrations", func(w http.ResponseWriter, r *http.Request) {
		if err := s.apiRegister(w, r, limit); err != nil {
			s.jsonError(w, err)
		}
	})

	mux.HandleFunc("GET /calls/manage", s.page(s.callManage))
	mux.HandleFunc("GET /calls/new", s.page(s.callNew))
	mux.HandleFunc("POST /calls", s.page(s.callCreate))
	mux.HandleFunc("GET /calls/{id}/edit", s.page(s.callEdit))
	mux.HandleFunc("POST /calls/{id}", s.page(s.callUpdate))
	mux.HandleFunc("POST /calls/{id}/close", s.page(s.callClose))

	mux.HandleFunc("GET /registrations", s.page(s.registrationList))
	mux.HandleFunc("GET /registrations/{id}", s.page(s.registrationShow))
	mux.HandleFunc("POST /registrations/{id}/accept", s.page(s.registrationAccept))
	mux.HandleFunc("POST /registrations/{id}/decline", s.page(s.registrationDecline))
}

// public wraps a page anyone may open: its errors are shown on a page that
// leads back to the open calls, not to the sign-in.
func (s *Server) public(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.render(w, r, statusOf(err), "call_error.html", view{Title: translate(language(r), "err.title"), Error: s.publicError(err)})
		}
	}
}

// programmeCall returns a call of this server's programme.
func (s *Server) programmeCall(ctx context.Context, id int64) (nscl.Call, error) {
	prog, err := s.programme(ctx)
	if err != nil {
		return nscl.Call{}, err
	}
	c, err := s.Store.Call(ctx, id)
	if err == nil && c.ProgrammeID != prog.ID {
		return nscl.Call{}, nscl.NotFound("call_id", "không có đợt mời đăng ký số %d", "no call %d", id)
	}
	return c, err
}

// today is the server's clock in Vietnam: a call's dates are days there,
// whatever the server's own zone.
func (s *Server) today() time.Time { return s.Now().In(nscl.Local) }

// openCall returns a call of this programme that takes registrations today.
func (s *Server) openCall(ctx context.Context, id int64) (nscl.Call, error) {
	c, err := s.programmeCall(ctx, id)
	if err != nil {
		return c, err
	}
	return c, c.RequireOpen(s.today())
}

// openCalls lists the programme's calls that take registrations today.
func (s *Server) openCalls(ctx context.Context) ([]nscl.Call, error) {
	prog, err := s.programme(ctx)
	if err != nil {
		return nil, err
	}
	calls, err := s.Store.Calls(ctx, prog)
	if err != nil {
		return nil, err
	}
	today := s.today()
	return slices.DeleteFunc(calls, func(c nscl.Call) bool { return !c.OpenOn(today) }), nil
}

type callListData struct {
	Calls     []nscl.Call
	CanManage bool // a focal user is signed in: the page links to the calls' management
}

func (s *Server) callList(w http.ResponseWriter, r *http.Request) error {
	calls, err := s.openCalls(r.Context())
	if err != nil {
		return err
	}
	d := callListData{Calls: calls}
	// The page is public; a signed-in visitor is only looked up for the link.
	if u, err := s.authenticate(r); err == nil {
		d.CanManage = u.CanManageCalls()
	}
	s.render(w, r, http.StatusOK, "calls.html", view{Title: translate(language(r), "call.list_title"), Data: d})
	return nil
}

// choice is a value a form offers, named in the reader's language.
type choice struct{ Value, Label string }

// choices names values through the catalogue keys prefix+value.
func choices[T ~string](lang, prefix string, values []T) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{string(v), translate(lang, prefix+string(v))}
	}
	return out
}

type callFormData struct {
	Call  nscl.Call
	Reg   nscl.Registration // as typed
	Kinds []choice
	Sizes []choice
}

func (s *Server) renderCallForm(w http.ResponseWriter, r *http.Request, status int, call nscl.Call, reg nscl.Registration, err error) {
	lang := language(r)
	d := callFormData{Call: call, Reg: reg, Kinds: choices(lang, "reg.kind.", nscl.RegistrantKinds), Sizes: choices(lang, "ent.size.", nscl.EnterpriseSizes)}
	v := view{Title: call.Title, Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "call.html", v)
}

func (s *Server) callPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	call, err := s.openCall(r.Context(), id)
	if err != nil {
		return err
	}
	s.renderCallForm(w, r, http.StatusOK, call, nscl.Registration{Kind: nscl.RegistrantEnterprise}, nil)
	return nil
}

// callRegister stores a registration sent from a call's page, and sends
// the registrant to a page with its reference number.
func (s *Server) callRegister(w http.ResponseWriter, r *http.Request, limit *addressLimiter) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	refund, err := limit.take(s.clientIP(r))
	if err != nil {
		return err
	}
	kept := false
	defer func() {
		if !kept {
			refund()
		}
	}()
	call, err := s.openCall(r.Context(), id)
	if err != nil {
		return err
	}
	if err := limitBody(w, r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	if r.PostForm.Get("website") != "" {
		// Only a robot should fill the field people cannot see, but a
		// browser's autofill may too: nothing is stored, the post counts,
		// and the sender is told so, without a reference number, so that
		// a person tries again or calls the department.
		kept = true
		s.render(w, r, http.StatusOK, "call_refused.html", view{Title: translate(language(r), "call.refused_title"), Data: call})
		return nil
	}
	f := r.PostForm
	reg := nscl.Registration{CallID: call.ID, Kind: nscl.RegistrantKind(f.Get("kind")), TaxCode: f.Get("tax_code"), Name: f.Get("name"),
		Address: f.Get("address"), District: f.Get("district"), Sector: f.Get("sector"), Size: nscl.EnterpriseSize(f.Get("size")),
		Contact: nscl.Contact{Name: f.Get("contact_name"), Email: f.Get("contact_email"), Phone: f.Get("contact_phone")},
		Support: f.Get("support_requested")}
	if err := s.register(r.Context(), &reg); err != nil {
		if nscl.ErrorCode(err) != nscl.EINVALID {
			return err
		}
		s.renderCallForm(w, r, statusOf(err), call, reg, err)
		return nil
	}
	kept = true
	http.Redirect(w, r, fmt.Sprintf("/calls/%d/registered?ref=%s", call.ID, url.QueryEscape(reg.Reference)), http.StatusSeeOther)
	return nil
}

// register stores a registration. It is checked before the write
// transaction, so that bad posts never queue for the database's writer.
func (s *Server) register(ctx context.Context, reg *nscl.Registration) error {
	if err := nscl.ValidateRegistration(reg); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx *store.Tx) error { return tx.CreateRegistration(ctx, reg) })
}

// referencePattern is what a reference number looks like: the confirmation
// page shows nothing else from its address, so that a crafted link cannot
// put words on the programme's page.
var referencePattern = regexp.MustCompile(`^DK-[0-9]{4}-[0-9]{1,12}$`)

type callRegisteredData struct {
	Call      nscl.Call
	Reference string
}

// callRegistered thanks the registrant and shows the reference number from
// the address; it reads no registration, so it shows nobody's data.
func (s *Server) callRegistered(w http.ResponseWriter, r *http.Request) error {
	call, err := s.pathCall(r)
	if err != nil {
		return err
	}
	d := callRegisteredData{Call: call}
	if ref := r.URL.Query().Get("ref"); referencePattern.MatchString(ref) {
		d.Reference = ref
	}
	s.render(w, r, http.StatusOK, "call_registered.html", view{Title: translate(language(r), "call.thanks_title"), Data: d})
	return nil
}

// limitBody reads the request's body, refusing one over
// maxRegistrationBody, and puts it back for the form or JSON reader.
func limitBody(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRegistrationBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nscl.Invalid("body", "nội dung gửi quá lớn (tối đa %d KB); hãy rút gọn nội dung đăng ký", "what was sent is too large (%d KB at most); shorten the registration", maxRegistrationBody>>10)
	}
	if err != nil {
		return nscl.Invalid("body", "không đọc được nội dung gửi", "the request body could not be read")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// registrationRequest is a registration sent to the API. The contact may
// come as contact_* fields or as a contact object, not both.
type registrationRequest struct {
	CallID       int64               `json:"call_id"`
	Kind         nscl.RegistrantKind `json:"kind"`
	TaxCode      string              `json:"tax_code"`
	Name         string              `json:"name"`
	Address      string              `json:"address"`
	District     string              `json:"district"`
	Sector       string              `json:"sector"`
	Size         nscl.EnterpriseSize `json:"size"`
	ContactName  string              `json:"contact_name"`
	ContactEmail string              `json:"contact_email"`
	ContactPhone string              `json:"contact_phone"`
	Contact      *nscl.Contact       `json:"contact"`
	Support      string              `json:"support_requested"`
}

func (s *Server) apiRegister(w http.ResponseWriter, r *http.Request, limit *addressLimiter) error {
	refund, err := limit.take(s.clientIP(r))
	if err != nil {
		return err
	}
	kept := false
	defer func() {
		if !kept {
			refund()
		}
	}()
	if err := limitBody(w, r); err != nil {
		return err
	}
	var body registrationRequest
	if err := decode(w, r, &body); err != nil {
		return err
	}
	call, err := s.apiCall(r.Context(), body.CallID)
	if err != nil {
		return err
	}
	contact := nscl.Contact{Name: body.ContactName, Email: body.ContactEmail, Phone: body.ContactPhone}
	if body.Contact != nil {
		if contact != (nscl.Contact{}) {
			return nscl.Invalid("contact", "ghi liên hệ bằng các trường contact_* hoặc bằng đối tượng contact, không cả hai", "give the contact as contact_* fields or as a contact object, not both")
		}
		contact = *body.Contact
	}
	reg := nscl.Registration{CallID: call.ID, Kind: body.Kind, TaxCode: body.TaxCode, Name: body.Name, Address: body.Address,
		District: body.District, Sector: body.Sector, Size: body.Size, Contact: contact, Support: body.Support}
	if err := s.register(r.Context(), &reg); err != nil {
		return err
	}
	kept = true
	writeJSON(w, http.StatusCreated, map[string]any{"id": reg.ID, "reference": reg.Reference, "status": reg.Status, "call_id": reg.CallID})
	return nil
}

// apiCall is the call an API registration is for: the one named, or, when
// none is, the only open one.
func (s *Server) apiCall(ctx context.Context, id int64) (nscl.Call, error) {
	if id == 0 {
		open, err := s.openCalls(ctx)
		if err != nil {
			return nscl.Call{}, err
		}
		if len(open) != 1 {
			return nscl.Call{}, nscl.Invalid("call_id", "cần ghi call_id: hiện có %d đợt mời đăng ký đang mở", "call_id is required: %d calls are open now", len(open))
		}
		return open[0], nil
	}
	c, err := s.openCall(ctx, id)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		// A record named in the body is bad input, as elsewhere in the API.
		var e *nscl.Error
		errors.As(err, &e)
		return c, &nscl.Error{Code: nscl.EINVALID, Field: "call_id", Message: e.Message, English: e.English}
	}
	return c, err
}

// addressLimiter allows each client address a burst of posts, then one
// more per interval: a token bucket per address. An IPv6 client is keyed
// by its /64, the network one subscriber is given, so that it cannot
// dodge the limit by changing addresses within it. The buckets live in
// memory; a bucket full again is forgotten, since a new one is the same.
type addressLimiter struct {
	mu       sync.Mutex
	interval time.Duration
	burst    float64
	// maxAddrs bounds the addresses remembered at once. Past it a new address
	// is refused (429, as one over its allowance) rather than let a flood
	// of addresses grow the memory; the buckets full again are forgotten
	// at the next sweep, which makes room.
	maxAddrs int
	byAddr   map[string]*allowance
	swept    time.Time
}

type allowance struct {
	tokens float64
	at     time.Time
}

func newAddressLimiter(interval time.Duration, burst, maxAddrs int) *addressLimiter {
	return &addressLimiter{interval: interval, burst: float64(burst), maxAddrs: maxAddrs, byAddr: map[string]*allowance{}}
}

// limiterKey is the bucket an address spends from: an IPv4 address (also
// written as IPv6) by itself, an IPv6 one by its /64. What does not parse
// as an address is its own key.
func limiterKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	network, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return network.String()
}

// refill adds to al what the time since its last use earned.
func (l *addressLimiter) refill(al *allowance, now time.Time) {
	al.tokens = min(l.burst, al.tokens+float64(now.Sub(al.at))/float64(l.interval))
	al.at = now
}

// take spends one post of addr's allowance, or refuses when none is left.
// The caller gives it back (refund) when nothing was stored, so that a
// person correcting a mistake is not counted twice.
func (l *addressLimiter) take(addr string) (refund func(), err error) {
	key := limiterKey(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	full := l.interval * time.Duration(l.burst)
	if now.Sub(l.swept) > full {
		for a, al := range l.byAddr {
			if now.Sub(al.at) > full {
				delete(l.byAddr, a) // its bucket is full again: a new one is the same
			}
		}
		l.swept = now
	}
	al, ok := l.byAddr[key]
	if !ok {
		if len(l.byAddr) >= l.maxAddrs {
			return nil, tooManyRegistrations()
		}
		al = &allowance{tokens: l.burst, at: now}
		l.byAddr[key] = al
	}
	l.refill(al, now)
	if al.tokens < 1 {
		return nil, tooManyRegistrations()
	}
	al.tokens--
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.refill(al, time.Now())
		al.tokens = min(l.burst, al.tokens+1)
		if al.tokens >= l.burst && l.byAddr[key] == al {
			delete(l.byAddr, key)
		}
	}, nil
}

func tooManyRegistrations() error {
	return &nscl.Error{Code: errTooMany,
		Message: "đã có quá nhiều đăng ký gửi từ địa chỉ mạng này; vui lòng thử lại sau ít phút",
		English: "too many registrations were sent from this network address; please try again in a few minutes"}
}

// Calls managed by focal staff: every call of the programme, and the forms
// that open, change and close one.

type callRow struct {
	Call       nscl.Call
	State      nscl.CallState
	StateLabel string // named in the reader's language
	Notice     string // the notice document, when one is named
	Counts     store.RegistrationCounts
}

func (s *Server) callManage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.renderCallManage(w, r, u, http.StatusOK, nil)
}

// renderCallManage lists every call with its registrations counted;
// refused is a refused close, shown above the list.
func (s *Server) renderCallManage(w http.ResponseWriter, r *http.Request, u nscl.User, status int, refused error) error {
	if err := u.RequireCallManagement(); err != nil {
		return err
	}
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if err != nil {
		return err
	}
	calls, err := s.Store.Calls(ctx, prog)
	if err != nil {
		return err
	}
	counts, err := s.Store.RegistrationCounts(ctx, prog)
	if err != nil {
		return err
	}
	docs, err := s.Store.Documents(ctx)
	if err != nil {
		return err
	}
	notices := map[int64]string{}
	for _, d := range docs {
		notices[d.ID] = d.Type + " " + d.NumberSymbol()
	}
	lang, today := language(r), s.today()
	rows := make([]callRow, len(calls))
	for i, c := range calls {
		state := c.StateOn(today)
		rows[i] = callRow{Call: c, State: state, StateLabel: translate(lang, "call.state."+string(state)), Notice: notices[c.DocumentID], Counts: counts[c.ID]}
	}
	v := view{Title: translate(lang, "call.manage_title"), Nav: "registrations", Data: rows}
	if refused != nil {
		v.Error, v.Mistakes = s.publicError(refused), nscl.ErrorList(refused)
	}
	s.render(w, r, status, "call_manage.html", v)
	return nil
}

type callEditData struct {
	Call          nscl.Call
	Documents     []nscl.Document
	Opens, Closes string     // the dates as typed
	Stale         bool       // saved from an old version
	Latest        *nscl.Call // the stored call, shown beside a stale form
}

// renderCallEdit shows the form that opens (d.Call.ID is 0) or changes a
// call; err, when any, is the refusal of what was typed.
func (s *Server) renderCallEdit(w http.ResponseWriter, r *http.Request, status int, d callEditData, err error) error {
	docs, derr := s.Store.Documents(r.Context())
	if derr != nil {
		return derr
	}
	d.Documents = docs
	if nscl.ErrorCode(err) == nscl.ECONFLICT && nscl.ErrorField(err) == "version" {
		if latest, lerr := s.Store.Call(r.Context(), d.Call.ID); lerr == nil {
			d.Call.Version, d.Stale, d.Latest = latest.Version, true, &latest
		}
	}
	title := translate(language(r), "call.new")
	if d.Call.ID != 0 {
		title = translate(language(r), "call.edit")
	}
	v := view{Title: title, Nav: "registrations", Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "call_form.html", v)
	return nil
}

// readCallForm reads a posted call into d, keeping the dates as typed; a
// form that does not read whole is checked here too (the store checks one
// that does), so that it says every mistake at once.
func readCallForm(r *http.Request, d *callEditData) error {
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	c := &d.Call
	c.Title, c.Description = r.PostFormValue("title"), r.PostFormValue("description")
	c.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64) // the empty choice is none
	c.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d.Opens, d.Closes = r.PostFormValue("opens_on"), r.PostFormValue("closes_on")
	var errs nscl.Errors
	c.OpensOn = optionalDate(&errs, "opens_on", d.Opens) // left empty, ValidateCall says it is required
	c.ClosesOn = optionalDate(&errs, "closes_on", d.Closes)
	if errs != nil {
		trial := *c // ValidateCall tidies the text; the form shows it as typed
		errs.Add(nscl.ValidateCall(&trial))
	}
	return errs.Err()
}

func (s *Server) callNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireCallManagement(); err != nil {
		return err
	}
	return s.renderCallEdit(w, r, http.StatusOK, callEditData{}, nil)
}

func (s *Server) callCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireCallManagement(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	d := callEditData{Call: nscl.Call{ProgrammeID: prog.ID}}
	err = readCallForm(r, &d)
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateCall(r.Context(), &d.Call) })
	}
	return s.afterCallSaved(w, r, d, err)
}

func (s *Server) callEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireCallManagement(); err != nil {
		return err
	}
	c, err := s.pathCall(r)
	if err != nil {
		return err
	}
	return s.renderCallEdit(w, r, http.StatusOK, callEditData{Call: c, Opens: formatDay(c.OpensOn), Closes: formatDay(c.ClosesOn)}, nil)
}

func (s *Server) callUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	c, err := s.managedCall(w, r, u)
	if err != nil {
		return err
	}
	d := callEditData{Call: c}
	err = readCallForm(r, &d)
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateCall(r.Context(), &d.Call) })
	}
	return s.afterCallSaved(w, r, d, err)
}

// managedCall is the call a focal user's post names, read once the user
// may manage calls and the body is bounded.
func (s *Server) managedCall(w http.ResponseWriter, r *http.Request, u nscl.User) (nscl.Call, error) {
	if err := u.RequireCallManagement(); err != nil {
		return nscl.Call{}, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	return s.pathCall(r)
}

// pathCall is the programme's call the address names.
func (s *Server) pathCall(r *http.Request) (nscl.Call, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nscl.Call{}, err
	}
	return s.programmeCall(r.Context(), id)
}

// afterCallSaved leads back to the list once a call is saved, or shows
// the form again, as typed, with what to fix.
func (s *Server) afterCallSaved(w http.ResponseWriter, r *http.Request, d callEditData, err error) error {
	if err == nil {
		s.saved(w, r, "call", d.Call.ID, "/calls/manage")
		return nil
	}
	if !formMistake(err) {
		return err
	}
	return s.renderCallEdit(w, r, statusOf(err), d, err)
}

// callClose makes today the last day of an open call: it takes
// registrations until the day ends.
func (s *Server) callClose(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	c, err := s.managedCall(w, r, u)
	if err != nil {
		return err
	}
	c.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	title := c.Title
	err = c.CloseOn(s.today())
	if err == nil && !confirmed(r) {
		lang := language(r)
		return s.askConfirmation(w, r, confirmation{Question: translate(lang, "confirm.close_call"), Detail: title,
			Button: translate(lang, "call.close"), Back: "/calls/manage", Nav: "registrations"})
	}
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateCall(r.Context(), &c) })
	}
	if err == nil {
		s.saved(w, r, "call_closed", c.ID, "/calls/manage")
		return nil
	}
	if !formMistake(err) {
		return err
	}
	return s.renderCallManage(w, r, u, statusOf(err), err)
}

// The review of registrations by focal staff.

type registrationRow struct {
	Reg                nscl.Registration
	Kind, Status, Size string // named in the reader's language
	Support            string // cropped, in the list
	CallTitle          string
	CanReview          bool
	Reason             string // as typed, when a decline was refused
}

func labelled(lang string, reg nscl.Registration) registrationRow {
	row := registrationRow{Reg: reg, Kind: translate(lang, "reg.kind."+string(reg.Kind)), Status: translate(lang, "reg.status."+string(reg.Status)), Support: reg.Support}
	if reg.Size != "" {
		row.Size = translate(lang, "ent.size."+string(reg.Size))
	}
	return row
}

type registrationListData struct {
	Rows              []registrationRow
	Status            string // the filter: a status, or "all"
	Statuses          []choice
	Count             store.Counted // the registrations the filter matches, up to a cap
	FirstURL, NextURL string        // the first page, from a later one; the page after this one
	CanManageCalls    bool
}

func (s *Server) registrationList(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireRegistrations(); err != nil {
		return err
	}
	lang := language(r)
	q := r.URL.Query()
	d := registrationListData{Status: q.Get("status"), Statuses: choices(lang, "reg.status.", nscl.RegistrationStatuses), CanManageCalls: u.CanManageCalls()}
	status := nscl.RegistrationStatus(d.Status)
	switch {
	case d.Status == "":
		d.Status, status = string(nscl.RegistrationPending), nscl.RegistrationPending
	case d.Status == "all":
		status = ""
	case !slices.Contains(nscl.RegistrationStatuses, status):
		return nscl.Invalid("status", "trạng thái %q không hợp lệ", "status %q is not valid", d.Status)
	}
	f := store.RegistrationFilter{Status: status, Limit: registrationPageSize}
	if raw := q.Get("after"); raw != "" {
		after, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || after <= 0 {
			return nscl.Invalid("after", "after=%q không phải là con trỏ trang; hãy dùng liên kết trang sau", "after=%q is not a page cursor; follow the next page's link", raw)
		}
		f.After = after
		d.FirstURL = withAfter(r.URL, "")
	}
	page, err := s.Store.Registrations(r.Context(), f)
	if err != nil {
		return err
	}
	d.Count = page.Count
	if page.Next != 0 {
		d.NextURL = withAfter(r.URL, strconv.FormatInt(page.Next, 10))
	}
	for _, reg := range page.Registrations {
		row := labelled(lang, reg)
		row.Support = crop(reg.Support, registrationSupportCrop)
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "registrations.html", view{Title: translate(lang, "reg.list_title"), Nav: "registrations", Data: d})
	return nil
}

// registrationSupportCrop is how much of the support requested the review
// list shows; the registration's page shows it whole.
const registrationSupportCrop = 160

// crop keeps the first n characters of text, marking the cut (a
// registration's request in a list, a long value in the audit log).
func crop(text string, n int) string {
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	return string(runes[:n]) + "…"
}

func (s *Server) registrationShow(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.renderRegistration(w, r, u, http.StatusOK, nil, "")
}

// renderRegistration shows one registration whole, with the review forms
// when u may review it; refused and reason are a refused review's.
func (s *Server) renderRegistration(w http.ResponseWriter, r *http.Request, u nscl.User, status int, refused error, reason string) error {
	if err := u.RequireRegistrations(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reg, err := s.Store.Registration(r.Context(), id)
	if err != nil {
		return err
	}
	row := labelled(language(r), reg)
	row.CanReview = u.CanReviewRegistrations() && reg.Status == nscl.RegistrationPending
	row.Reason = reason
	if call, err := s.Store.Call(r.Context(), reg.CallID); err == nil {
		row.CallTitle = call.Title
	}
	v := view{Title: translate(language(r), "reg.detail_title") + " " + reg.Reference, Nav: "registrations", Data: row}
	if refused != nil {
		v.Error, v.Mistakes = s.publicError(refused), nscl.ErrorList(refused)
	}
	s.render(w, r, status, "registration.html", v)
	return nil
}

func (s *Server) registrationAccept(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	lang := language(r)
	ask := confirmation{Question: translate(lang, "confirm.accept"), Button: translate(lang, "reg.accept")}
	return s.review(w, r, u, "accepted", ask, func(reg *nscl.Registration) error { return reg.Accept(u.ID, 0, s.Now()) },
		func(ctx context.Context, tx *store.Tx, id, version int64) error {
			_, err := tx.AcceptRegistration(ctx, id, version)
			return err
		})
}

func (s *Server) registrationDecline(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	lang := language(r)
	ask := confirmation{Question: translate(lang, "confirm.decline"), Button: translate(lang, "reg.decline"),
		Editable: "reason", EditableLabel: translate(lang, "reg.reason")}
	return s.review(w, r, u, "declined", ask, func(reg *nscl.Registration) error { return reg.Decline(u.ID, r.PostFormValue("reason"), s.Now()) },
		func(ctx context.Context, tx *store.Tx, id, version int64) error {
			_, err := tx.DeclineRegistration(ctx, id, version, r.PostFormValue("reason"))
			return err
		})
}

// review accepts or declines a registration from its page, once asked
// about (confirm=1), then shows the page again saying so (done). The
// review is tried first on a copy of the registration (trial), so that
// one the domain refuses is refused before it is asked about. A stale
// version is the conflict page; a refusal for bad input is shown on the
// registration's page, with the reason as typed.
func (s *Server) review(w http.ResponseWriter, r *http.Request, u nscl.User, done string, ask confirmation,
	trial func(reg *nscl.Registration) error, act func(ctx context.Context, tx *store.Tx, id, version int64) error) error {
	if err := u.RequireRegistrationReview(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	page := "/registrations/" + strconv.FormatInt(id, 10)
	if confirmed(r) {
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return act(r.Context(), tx, id, version) })
	} else {
		var reg nscl.Registration
		if reg, err = s.Store.Registration(r.Context(), id); err == nil {
			ask.Detail, ask.Back, ask.Nav = reg.Reference+" — "+reg.Name, page, "registrations"
			err = trial(&reg)
		}
		if err == nil {
			return s.askConfirmation(w, r, ask)
		}
	}
	if nscl.ErrorCode(err) == nscl.EINVALID {
		return s.renderRegistration(w, r, u, statusOf(err), err, r.PostFormValue("reason"))
	}
	if err != nil {
		return err
	}
	s.saved(w, r, done, id, page)
	return nil
}
