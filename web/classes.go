package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nscl"
	"nscl/store"
)

// The portal's training calendar (issue 17): the public list of classes
// and the form by which enterprises register their people, then the
// organisers' pages — the classes, their registrations, the attendance
// taken on a phone, and the certificates of attendance. Attendance makes
// the class's activity (store.SaveAttendance).

// registrationLines is how many attendee lines the public form offers.
const registrationLines = 10

// classPageSize is how many classes a page of the calendar lists.
const classPageSize = 30

func (s *Server) classRoutes(mux *http.ServeMux) {
	// An allowance of its own, as the calls' registrations have: the same
	// limits (registrations.go), counted apart.
	limit := newAddressLimiter(registrationInterval, registrationBurst, registrationAddressCap)
	mux.HandleFunc("GET /lich-tap-huan", s.calendarPublic(s.classCalendar))
	mux.HandleFunc("GET /lich-tap-huan/{id}", s.calendarPublic(s.classPage))
	mux.HandleFunc("POST /lich-tap-huan/{id}/dang-ky", s.calendarPublic(func(w http.ResponseWriter, r *http.Request) error {
		return s.classRegister(w, r, limit)
	}))

	mux.HandleFunc("GET /lich-tap-huan/quan-ly", s.page(s.classManage))
	mux.HandleFunc("GET /lich-tap-huan/moi", s.page(s.classNew))
	mux.HandleFunc("POST /lich-tap-huan", s.page(s.classCreate))
	mux.HandleFunc("GET /lich-tap-huan/{id}/sua", s.page(s.classEdit))
	mux.HandleFunc("POST /lich-tap-huan/{id}", s.page(s.classUpdate))
	mux.HandleFunc("POST /lich-tap-huan/{id}/xoa", s.page(s.classDelete))
	mux.HandleFunc("GET /lich-tap-huan/{id}/danh-sach", s.page(s.classRegistrationList))
	mux.HandleFunc("GET /lich-tap-huan/{id}/diem-danh", s.page(s.classAttendance))
	mux.HandleFunc("POST /lich-tap-huan/{id}/diem-danh", s.page(s.classAttendanceSave))
	mux.HandleFunc("POST /lich-tap-huan/{id}/diem-danh/them", s.page(s.classWalkIn))
	mux.HandleFunc("GET /lich-tap-huan/{id}/chung-nhan/{attendee}", s.page(s.classCertificate))
}

// calendarPublic is s.public for the calendar: its error page leads back
// to the calendar rather than to the calls.
func (s *Server) calendarPublic(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.render(w, r, statusOf(err), "class_error.html", view{Title: translate(language(r), "err.title"), Error: s.publicError(err)})
		}
	}
}

// pathClass is the programme's class the address names.
func (s *Server) pathClass(r *http.Request) (*nscl.Programme, nscl.Class, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nscl.Class{}, err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return nil, nscl.Class{}, err
	}
	c, err := s.Store.Class(r.Context(), id)
	if err == nil && c.ProgrammeID != prog.ID {
		err = nscl.NotFound("class_id", "không có lớp tập huấn số %d", "no class %d", id)
	}
	return prog, c, err
}

// classCard is a class as a list shows it.
type classCard struct {
	Class     nscl.Class
	Organiser string
	Open      bool // takes registrations today
	CanRun    bool // the reader may run it
}

// classCards names the organisers of classes, read in one look-up.
func (s *Server) classCards(ctx context.Context, classes []nscl.Class, u *nscl.User) ([]classCard, error) {
	ids := make([]int64, len(classes))
	for i, c := range classes {
		ids[i] = c.UnitID
	}
	units, err := s.unitsNamed(ctx, ids)
	if err != nil {
		return nil, err
	}
	today := s.today()
	cards := make([]classCard, len(classes))
	for i, c := range classes {
		cards[i] = classCard{Class: c, Organiser: units[c.UnitID].Name, Open: c.OpenOn(today), CanRun: u != nil && u.CanOrganiseClass(c.UnitID)}
	}
	return cards, nil
}

type calendarData struct {
	Classes           []classCard
	Past              bool
	FirstURL, NextURL string
	CanManage         bool // someone signed in: the page links to the organisers' list
}

// classCalendar lists the classes from today on, soonest first, or with
// ?past=1 those that began before today, latest first; a page at a time.
func (s *Server) classCalendar(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ClassFilter{Day: s.today(), Past: q.Get("past") == "1", After: q.Get("after"), Limit: classPageSize}
	page, err := s.Store.Classes(r.Context(), prog, f)
	if err != nil {
		return err
	}
	d := calendarData{Past: f.Past}
	// The page is public; a signed-in visitor is looked up only for the link.
	var user *nscl.User
	if u, err := s.authenticate(r); err == nil {
		user, d.CanManage = &u, true
	}
	if d.Classes, err = s.classCards(r.Context(), page.Classes, user); err != nil {
		return err
	}
	if f.After != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	title := "class.calendar_title"
	if f.Past {
		title = "class.past_title"
	}
	s.render(w, r, http.StatusOK, "class_calendar.html", view{Title: translate(language(r), title), Data: d})
	return nil
}

type classPageData struct {
	Card  classCard
	Reg   nscl.ClassRegistration // as typed
	Lines []nscl.Attendee        // the attendee lines of the form, as typed
	Full  bool                   // no place left (else, not open: closed)
}

// renderClassPage shows a class with its registration form while it takes
// registrations; err is the refusal of what was typed.
func (s *Server) renderClassPage(w http.ResponseWriter, r *http.Request, status int, c nscl.Class, reg nscl.ClassRegistration, err error) error {
	cards, cerr := s.classCards(r.Context(), []nscl.Class{c}, nil)
	if cerr != nil {
		return cerr
	}
	d := classPageData{Card: cards[0], Reg: reg, Full: c.PlacesLeft() == 0, Lines: reg.Attendees}
	for len(d.Lines) < registrationLines {
		d.Lines = append(d.Lines, nscl.Attendee{})
	}
	v := view{Title: c.Title, Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "class_page.html", v)
	return nil
}

func (s *Server) classPage(w http.ResponseWriter, r *http.Request) error {
	_, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	return s.renderClassPage(w, r, http.StatusOK, c, nscl.ClassRegistration{}, nil)
}

// readRegistrationForm reads the public form: the attendee lines left
// blank are dropped, so that the mistakes of line n are those of the n-th
// person named when the form is shown again.
func readRegistrationForm(f url.Values, classID int64) nscl.ClassRegistration {
	reg := nscl.ClassRegistration{ClassID: classID, TaxCode: f.Get("tax_code"), EnterpriseName: f.Get("enterprise_name"),
		Contact: nscl.Contact{Name: f.Get("contact_name"), Email: f.Get("contact_email"), Phone: f.Get("contact_phone")}}
	names, positions := f["attendee_name"], f["attendee_position"]
	for i, name := range names {
		a := nscl.Attendee{Name: name}
		if i < len(positions) {
			a.Position = positions[i]
		}
		if strings.TrimSpace(a.Name) != "" || strings.TrimSpace(a.Position) != "" {
			reg.Attendees = append(reg.Attendees, a)
		}
	}
	return reg
}

// classRegister stores a registration sent from a class's page with the
// calls' protections — the allowance per client address, the bounded body,
// the hidden field only robots fill — and shows the people registered.
// The confirmation is this post's answer, not a page of its own to be
// fetched again, so that no address shows anyone's registration.
func (s *Server) classRegister(w http.ResponseWriter, r *http.Request, limit *addressLimiter) error {
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
	prog, c, err := s.pathClass(r)
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
		// As for the calls (callRegister): nothing is stored, the post
		// counts, and a person is asked to try again.
		kept = true
		s.render(w, r, http.StatusOK, "class_refused.html", view{Title: translate(language(r), "call.refused_title"), Data: c})
		return nil
	}
	reg := readRegistrationForm(r.PostForm, c.ID)
	// Checked before the write transaction, as the calls' are, so that
	// bad posts never queue for the database's writer. A mistake in the
	// form is given back; a refusal that asked the database (a tax code
	// already registered, a full class) spends the allowance as a stored
	// registration does, or one address could ask of every tax code.
	err = nscl.ValidateClassRegistration(&reg)
	if err == nil {
		kept = true
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.RegisterForClass(r.Context(), prog, &reg) })
	}
	if nscl.ErrorCode(err) == nscl.EINVALID {
		if fresh, ferr := s.Store.Class(r.Context(), c.ID); ferr == nil {
			c = fresh // the places left as they are now
		}
		return s.renderClassPage(w, r, statusOf(err), c, reg, err)
	}
	if err != nil {
		return err
	}
	cards, err := s.classCards(r.Context(), []nscl.Class{c}, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "class_registered.html", view{Title: translate(language(r), "class.registered_title"), Data: classPageData{Card: cards[0], Reg: reg}})
	return nil
}

// The organisers' pages.

type classManageData struct {
	Classes           []classCard
	FirstURL, NextURL string
	CanCreate         bool
}

// classManage lists every class of the programme, latest first, a page at
// a time, with what the reader may do with each.
func (s *Server) classManage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	page, err := s.Store.Classes(r.Context(), prog, store.ClassFilter{After: after, Limit: classPageSize})
	if err != nil {
		return err
	}
	d := classManageData{CanCreate: u.CanRunClasses()}
	if d.Classes, err = s.classCards(r.Context(), page.Classes, &u); err != nil {
		return err
	}
	if after != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "class_manage.html", view{Title: translate(language(r), "class.manage_title"), Data: d})
	return nil
}

type classFormData struct {
	Class     nscl.Class
	Groups    []nscl.TaskGroup
	Units     []nscl.OrgUnit // the units the user may choose
	UnitTyped string
	// The dates and capacity as typed.
	Starts, Ends, Closes, Capacity string
}

// classForm is the form of c, with the units u may run classes for: a
// small tree's, or on a large one the user's own unit for a reporter (a
// focal user types or searches the unit there).
func (s *Server) classForm(ctx context.Context, prog *nscl.Programme, u nscl.User, c nscl.Class) (classFormData, error) {
	all, err := s.smallTree(ctx)
	if err != nil {
		return classFormData{}, err
	}
	index, err := s.unitsNamed(ctx, []int64{c.UnitID, u.UnitID})
	if err != nil {
		return classFormData{}, err
	}
	if all == nil && !u.CanSeeAllUnits() {
		all = []nscl.OrgUnit{index[u.UnitID]}
	}
	d := classFormData{Class: c, Groups: prog.TaskGroups, UnitTyped: index[c.UnitID].Code, Starts: formatDay(c.StartsOn), Ends: formatDay(c.EndsOn),
		Closes: formatDay(c.RegistrationClosesOn)}
	if c.Capacity > 0 {
		d.Capacity = strconv.FormatInt(c.Capacity, 10)
	}
	for _, unit := range all {
		if u.CanOrganiseClass(unit.ID) {
			d.Units = append(d.Units, unit)
		}
	}
	return d, nil
}

func (s *Server) renderClassForm(w http.ResponseWriter, r *http.Request, status int, d classFormData, err error) error {
	title := translate(language(r), "class.new")
	if d.Class.ID != 0 {
		title = translate(language(r), "class.edit")
	}
	v := view{Title: title, Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "class_form.html", v)
	return nil
}

func (s *Server) classNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireClassOrganiser(u.UnitID); err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	pc, err := s.Store.PortalCounting(r.Context(), prog)
	if err != nil {
		return err
	}
	d, err := s.classForm(r.Context(), prog, u, nscl.Class{UnitID: u.UnitID, TaskGroup: nscl.DefaultClassGroup(prog, pc)})
	if err != nil {
		return err
	}
	return s.renderClassForm(w, r, http.StatusOK, d, nil)
}

func (s *Server) classEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	d, err := s.classForm(r.Context(), prog, u, c)
	if err != nil {
		return err
	}
	return s.renderClassForm(w, r, http.StatusOK, d, nil)
}

// readClassForm reads a posted class into d, keeping what was typed; a
// form that does not read whole is checked here too (the store checks one
// that does), so that it says every mistake at once.
func (s *Server) readClassForm(r *http.Request, prog *nscl.Programme, d *classFormData) error {
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	c := &d.Class
	f := r.PostForm
	c.Title, c.Topic, c.TaskGroup, c.Place, c.OnlineLink, c.Description = f.Get("title"), f.Get("topic"), f.Get("task_group"), f.Get("place"), f.Get("online_link"), f.Get("description")
	c.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	d.Starts, d.Ends, d.Closes, d.Capacity, d.UnitTyped = f.Get("starts_on"), f.Get("ends_on"), f.Get("registration_closes_on"), f.Get("capacity"), f.Get("unit")
	var errs nscl.Errors
	unit, err := s.unitPosted(r, "unit", "class.unit", d.UnitTyped)
	errs.Add(err)
	c.UnitID = unit.ID
	c.StartsOn = optionalDate(&errs, "starts_on", d.Starts) // left empty, ValidateClass says it is required
	c.EndsOn = optionalDate(&errs, "ends_on", d.Ends)
	c.RegistrationClosesOn = optionalDate(&errs, "registration_closes_on", d.Closes)
	c.Capacity = 0
	if raw := strings.TrimSpace(d.Capacity); raw != "" {
		n, err := nscl.ParseQuantity("capacity", raw)
		errs.Add(err)
		c.Capacity = n
	}
	if errs != nil {
		trial := *c // ValidateClass tidies the text; the form shows it as typed
		errs.Add(nscl.ValidateClass(&trial, prog))
	}
	return errs.Err()
}

func (s *Server) classCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireClassOrganiser(u.UnitID); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	d, err := s.classForm(r.Context(), prog, u, nscl.Class{})
	if err != nil {
		return err
	}
	err = s.readClassForm(r, prog, &d)
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateClass(r.Context(), prog, &d.Class) })
	}
	return s.afterClassSaved(w, r, d, err)
}

func (s *Server) classUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	d, err := s.classForm(r.Context(), prog, u, c)
	if err != nil {
		return err
	}
	err = s.readClassForm(r, prog, &d)
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateClass(r.Context(), prog, &d.Class) })
	}
	return s.afterClassSaved(w, r, d, err)
}

// afterClassSaved leads to the organisers' list once a class is saved, or
// shows the form again, as typed, with what to fix — a period locked by a
// round included, which the class's activity cannot be written into.
func (s *Server) afterClassSaved(w http.ResponseWriter, r *http.Request, d classFormData, err error) error {
	if err == nil {
		s.saved(w, r, "class", d.Class.ID, "/lich-tap-huan/quan-ly")
		return nil
	}
	if !formMistake(err) && !(nscl.ErrorCode(err) == nscl.EFORBIDDEN && d.Class.ID != 0) {
		return err
	}
	return s.renderClassForm(w, r, statusOf(err), d, err)
}

func (s *Server) classDelete(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	if !confirmed(r) {
		lang := language(r)
		return s.askConfirmation(w, r, confirmation{Question: translate(lang, "class.confirm_delete"), Detail: c.Title,
			Button: translate(lang, "class.delete"), Back: "/lich-tap-huan/quan-ly"})
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.DeleteClass(r.Context(), prog, c.ID, version) }); err != nil {
		return err
	}
	s.saved(w, r, "class_deleted", c.ID, "/lich-tap-huan/quan-ly")
	return nil
}

type classRegistrationsData struct {
	Card          classCard
	Registrations []nscl.ClassRegistration
	Present       int64
}

// classRegistrationList lists the class's registrations whole (a class's
// capacity bounds them), with their contacts: also the sign-in sheet,
// printed.
func (s *Server) classRegistrationList(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	_, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassRegistrations(c.UnitID); err != nil {
		return err
	}
	regs, err := s.Store.ClassRegistrations(r.Context(), c.ID)
	if err != nil {
		return err
	}
	cards, err := s.classCards(r.Context(), []nscl.Class{c}, &u)
	if err != nil {
		return err
	}
	d := classRegistrationsData{Card: cards[0], Registrations: regs}
	for _, reg := range regs {
		for _, a := range reg.Attendees {
			if a.Present {
				d.Present++
			}
		}
	}
	s.render(w, r, http.StatusOK, "class_registrations.html", view{Title: translate(language(r), "class.registrations_title") + " — " + c.Title, Data: d})
	return nil
}

type attendanceData struct {
	classRegistrationsData
	WalkIn             nscl.Attendee // as typed
	WalkInRegistration int64
}

// renderAttendance shows the attendance page: one toggle a person, grouped
// by enterprise. posted, when a save was refused, holds the marks as sent,
// shown instead of the stored ones.
func (s *Server) renderAttendance(w http.ResponseWriter, r *http.Request, u nscl.User, status int, posted map[int64]bool, d attendanceData, refused error) error {
	_, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	regs, err := s.Store.ClassRegistrations(r.Context(), c.ID)
	if err != nil {
		return err
	}
	cards, err := s.classCards(r.Context(), []nscl.Class{c}, &u)
	if err != nil {
		return err
	}
	d.Card, d.Registrations, d.Present = cards[0], regs, 0
	for i := range regs {
		for j := range regs[i].Attendees {
			a := &regs[i].Attendees[j]
			if p, ok := posted[a.ID]; ok {
				a.Present = p
			}
			if a.Present {
				d.Present++
			}
		}
	}
	v := view{Title: translate(language(r), "class.attendance_title") + " — " + c.Title, Data: d}
	if refused != nil {
		v.Error, v.Mistakes = s.publicError(refused), nscl.ErrorList(refused)
	}
	s.render(w, r, status, "class_attendance.html", v)
	return nil
}

func (s *Server) classAttendance(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.renderAttendance(w, r, u, http.StatusOK, nil, attendanceData{}, nil)
}

// classAttendanceSave saves the page's marks in one post: each attendee
// the page showed (shown) is present when ticked. A refusal — a period a
// round has locked, which the class's activity cannot be written into —
// is shown on the page, with the marks as sent.
func (s *Server) classAttendanceSave(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<18)
	prog, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	marks := map[int64]bool{}
	for _, raw := range r.PostForm["shown"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			marks[id] = false
		}
	}
	for _, raw := range r.PostForm["present"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			if _, shown := marks[id]; shown {
				marks[id] = true
			}
		}
	}
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.SaveAttendance(r.Context(), prog, c.ID, marks) })
	if err == nil {
		s.saved(w, r, "attendance", c.ID, "/lich-tap-huan/"+strconv.FormatInt(c.ID, 10)+"/diem-danh")
		return nil
	}
	if !formMistake(err) && nscl.ErrorCode(err) != nscl.EFORBIDDEN {
		return err
	}
	return s.renderAttendance(w, r, u, statusOf(err), marks, attendanceData{}, err)
}

// classWalkIn adds a person who came unregistered to an enterprise's
// registration, present.
func (s *Server) classWalkIn(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	d := attendanceData{WalkIn: nscl.Attendee{Name: r.PostFormValue("name"), Position: r.PostFormValue("position")}}
	d.WalkInRegistration, _ = strconv.ParseInt(r.PostFormValue("registration"), 10, 64)
	a := d.WalkIn
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
		attempt := a
		return tx.AddWalkIn(r.Context(), prog, c.ID, d.WalkInRegistration, &attempt)
	})
	if err == nil {
		s.saved(w, r, "walk_in", c.ID, "/lich-tap-huan/"+strconv.FormatInt(c.ID, 10)+"/diem-danh")
		return nil
	}
	if nscl.ErrorCode(err) == nscl.ENOTFOUND && nscl.ErrorField(err) == "registration" {
		err = &nscl.Error{Code: nscl.EINVALID, Field: "registration", Message: "hãy chọn doanh nghiệp của người tham dự", English: "choose the attendee's enterprise"}
	}
	if !formMistake(err) && nscl.ErrorCode(err) != nscl.EFORBIDDEN {
		return err
	}
	return s.renderAttendance(w, r, u, statusOf(err), nil, d, err)
}

type certificateData struct {
	Class      nscl.Class
	Organiser  nscl.OrgUnit
	Attendee   nscl.Attendee
	Enterprise nscl.ClassRegistration
}

// classCertificate is the certificate of attendance of a person marked
// present, an A4 page to print; nobody else has one.
func (s *Server) classCertificate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	_, c, err := s.pathClass(r)
	if err != nil {
		return err
	}
	if err := u.RequireClassOrganiser(c.UnitID); err != nil {
		return err
	}
	id, err := pathID(r, "attendee")
	if err != nil {
		return err
	}
	regs, err := s.Store.ClassRegistrations(r.Context(), c.ID)
	if err != nil {
		return err
	}
	d := certificateData{Class: c}
	for _, reg := range regs {
		for _, a := range reg.Attendees {
			if a.ID == id {
				d.Attendee, d.Enterprise = a, reg
			}
		}
	}
	switch {
	case d.Attendee.ID == 0:
		return nscl.NotFound("attendee", "lớp không có người tham dự số %d", "the class has no attendee %d", id)
	case !d.Attendee.Present:
		return nscl.NotFound("attendee", "%s chưa được điểm danh có mặt; giấy chứng nhận chỉ cấp cho người có mặt", "%s is not marked present; only those present get a certificate", d.Attendee.Name)
	}
	if d.Organiser, err = s.Store.UnitByID(r.Context(), c.UnitID); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "class_certificate.html", view{Title: translate(language(r), "class.certificate_title") + " — " + d.Attendee.Name, Data: d})
	return nil
}
