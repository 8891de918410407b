package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

type setupData struct {
	Programme *nscl.Programme
	Plans     []nscl.Plan
	Documents []nscl.Document
	Units     []nscl.OrgUnit
	UnitIndex map[int64]nscl.OrgUnit
	DocIndex  map[int64]nscl.Document
	Levels    []nscl.UnitLevel
	Form      map[string]string // the values of the form that failed, to show again
	Section   string            // which form failed
}

func (s *Server) setupData(r *http.Request) (setupData, error) {
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if err != nil {
		return setupData{}, err
	}
	d := setupData{Programme: prog, DocIndex: map[int64]nscl.Document{}, Form: map[string]string{},
		Levels: []nscl.UnitLevel{nscl.LevelProvince, nscl.LevelDepartment, nscl.LevelDistrict, nscl.LevelUnit}}
	if d.Plans, err = s.Store.Plans(ctx, prog); err != nil {
		return d, err
	}
	if d.Documents, err = s.Store.Documents(ctx); err != nil {
		return d, err
	}
	for _, doc := range d.Documents {
		d.DocIndex[doc.ID] = doc
	}
	d.UnitIndex, d.Units, err = s.unitIndex(r)
	return d, err
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	d, err := s.setupData(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "setup.html", view{Title: translate(language(r), "setup.title"), Nav: "setup", Data: d})
	return nil
}

// setupCreate handles the three forms of the set-up page; a mistake shows
// the page again with the form's values and the message beside the field.
func (s *Server) setupCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu quá lớn hoặc không đọc được", "the form is too large or unreadable")
	}
	d, err := s.setupData(r)
	if err != nil {
		return err
	}
	section := r.PathValue("section")
	var write func(tx *store.Tx) error
	switch section {
	case "documents":
		write, err = readDocumentForm(r)
	case "units":
		write, err = readUnitForm(r)
	case "plans":
		write, err = readPlanForm(r, d.Programme)
	default:
		return nscl.NotFound("section", "không có mục thiết lập này", "no such set-up section")
	}
	if err == nil {
		err = s.Store.Update(r.Context(), write)
	}
	if err == nil {
		http.Redirect(w, r, "/setup#"+section, http.StatusSeeOther)
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ENOTFOUND && c != nscl.ECONFLICT {
		return err
	}
	for key := range r.PostForm {
		d.Form[key] = r.PostFormValue(key)
	}
	d.Section = section
	s.render(w, r, statusOf(err), "setup.html", view{Title: translate(language(r), "setup.title"), Nav: "setup", Error: s.publicError(err), Data: d})
	return nil
}

func readDocumentForm(r *http.Request) (func(tx *store.Tx) error, error) {
	doc := nscl.Document{Type: r.PostFormValue("type"), Number: r.PostFormValue("number"), Symbol: r.PostFormValue("symbol"),
		Issuer: r.PostFormValue("issuer"), Title: r.PostFormValue("title"), Source: r.PostFormValue("source")}
	if raw := strings.TrimSpace(r.PostFormValue("issued_on")); raw != "" {
		var err error
		if doc.IssuedOn, err = nscl.ParseDate("issued_on", raw); err != nil {
			return nil, err
		}
	}
	return func(tx *store.Tx) error { return tx.CreateDocument(r.Context(), &doc) }, nil
}

func readUnitForm(r *http.Request) (func(tx *store.Tx) error, error) {
	unit := nscl.OrgUnit{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name"),
		Level: nscl.UnitLevel(r.PostFormValue("level"))}
	unit.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	if raw := strings.TrimSpace(r.PostFormValue("opened_on")); raw != "" {
		var err error
		if unit.OpenedOn, err = nscl.ParseDate("opened_on", raw); err != nil {
			return nil, err
		}
	}
	if raw := strings.TrimSpace(r.PostFormValue("closed_on")); raw != "" {
		var err error
		if unit.ClosedOn, err = nscl.ParseDate("closed_on", raw); err != nil {
			return nil, err
		}
	}
	return func(tx *store.Tx) error { return tx.CreateUnit(r.Context(), &unit) }, nil
}

func readPlanForm(r *http.Request, prog *nscl.Programme) (func(tx *store.Tx) error, error) {
	plan := nscl.Plan{Kind: nscl.PlanKind(r.PostFormValue("kind")), Name: r.PostFormValue("name")}
	plan.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	plan.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64)
	var err error
	if plan.StartYear, err = strconv.Atoi(strings.TrimSpace(r.PostFormValue("start_year"))); err != nil {
		return nil, nscl.Invalid("start_year", "năm bắt đầu không hợp lệ", "start year is not valid")
	}
	if plan.EndYear, err = strconv.Atoi(strings.TrimSpace(r.PostFormValue("end_year"))); err != nil {
		return nil, nscl.Invalid("end_year", "năm kết thúc không hợp lệ", "end year is not valid")
	}
	for _, m := range prog.Indicators() {
		raw := strings.TrimSpace(r.PostFormValue("t_" + m.Code))
		if raw == "" {
			continue
		}
		v, err := nscl.ParseQuantity("targets."+m.Code, raw)
		if err != nil {
			return nil, err
		}
		plan.Targets = append(plan.Targets, nscl.Target{Metric: m.Code, Value: v})
	}
	return func(tx *store.Tx) error { return tx.CreatePlan(r.Context(), prog, &plan) }, nil
}

type planFormData struct {
	Plan      nscl.Plan
	Programme *nscl.Programme
	Documents []nscl.Document
	Values    map[string]string // targets as typed, by indicator code
	Stale     bool
	// The units the plan may allot targets to, the allotments as typed
	// (by input name, allotKey) and their sums against the plan's targets.
	Units    []nscl.OrgUnit
	Allot    map[string]string
	Allotted []allotmentSum
}

func (s *Server) findPlan(r *http.Request, prog *nscl.Programme) (nscl.Plan, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nscl.Plan{}, err
	}
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return nscl.Plan{}, err
	}
	for _, p := range plans {
		if p.ID == id {
			return p, nil
		}
	}
	return nscl.Plan{}, nscl.NotFound("plan", "không có kế hoạch số %d", "no plan with id %d", id)
}

func (s *Server) planFormData(r *http.Request, prog *nscl.Programme, p nscl.Plan) (planFormData, error) {
	docs, err := s.Store.Documents(r.Context())
	if err != nil {
		return planFormData{}, err
	}
	units, err := s.Store.Units(r.Context())
	d := planFormData{Plan: p, Programme: prog, Documents: docs, Values: map[string]string{},
		Units: allotmentRows(units, p), Allot: allotValues(p), Allotted: allotmentSums(prog, p)}
	for _, t := range p.Targets {
		d.Values[t.Metric] = strconv.FormatInt(t.Value, 10)
	}
	return d, err
}

// planEdit shows, and planUpdate saves, the form that corrects a plan's
// name, document and targets.
func (s *Server) planEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	p, err := s.findPlan(r, prog)
	if err != nil {
		return err
	}
	d, err := s.planFormData(r, prog, p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "plan_form.html", view{Title: p.Name, Nav: "setup", Data: d})
	return nil
}

func (s *Server) planUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	p, err := s.findPlan(r, prog)
	if err != nil {
		return err
	}
	p.Name = r.PostFormValue("name")
	p.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64)
	p.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d, err := s.planFormData(r, prog, p)
	if err != nil {
		return err
	}
	p.Targets = nil
	for _, m := range prog.Indicators() {
		raw := strings.TrimSpace(r.PostFormValue("t_" + m.Code))
		d.Values[m.Code] = raw
		if raw == "" || err != nil {
			continue
		}
		var v int64
		if v, err = nscl.ParseQuantity("targets."+m.Code, raw); err == nil {
			p.Targets = append(p.Targets, nscl.Target{Metric: m.Code, Value: v})
		}
	}
	var allotErr error
	p.Allotments, allotErr = readAllotments(r, prog, d.Units, d.Allot)
	err = cmp.Or(err, allotErr)
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdatePlan(r.Context(), prog, &p) })
	}
	if err == nil {
		http.Redirect(w, r, "/setup#plans", http.StatusSeeOther)
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ECONFLICT {
		return err
	}
	if nscl.ErrorCode(err) == nscl.ECONFLICT {
		latest, lerr := s.findPlan(r, prog)
		if lerr != nil {
			return lerr
		}
		d.Plan.Version, d.Stale = latest.Version, true
	}
	s.render(w, r, statusOf(err), "plan_form.html", view{Title: p.Name, Nav: "setup", Error: s.publicError(err), Data: d})
	return nil
}

type unitFormData struct {
	Unit   nscl.OrgUnit
	Opened string
	Closed string
	Stale  bool
}

// unitEdit shows, and unitUpdate saves, the form that renames a unit or
// records when it opened or closed (a merger closes it).
func (s *Server) unitEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := s.Store.UnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "unit_form.html", view{Title: unit.Name, Nav: "setup",
		Data: unitFormData{Unit: unit, Opened: formatDay(unit.OpenedOn), Closed: formatDay(unit.ClosedOn)}})
	return nil
}

func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireSetup(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := s.Store.UnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	d := unitFormData{Opened: r.PostFormValue("opened_on"), Closed: r.PostFormValue("closed_on")}
	unit.Name, unit.ShortName = r.PostFormValue("name"), r.PostFormValue("short_name")
	unit.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	unit.OpenedOn, unit.ClosedOn = time.Time{}, time.Time{}
	if strings.TrimSpace(d.Opened) != "" {
		unit.OpenedOn, err = nscl.ParseDate("opened_on", d.Opened)
	}
	if err == nil && strings.TrimSpace(d.Closed) != "" {
		unit.ClosedOn, err = nscl.ParseDate("closed_on", d.Closed)
	}
	d.Unit = unit
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateUnit(r.Context(), &unit) })
	}
	if err == nil {
		http.Redirect(w, r, "/setup#units", http.StatusSeeOther)
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ECONFLICT {
		return err
	}
	if nscl.ErrorCode(err) == nscl.ECONFLICT {
		latest, lerr := s.Store.UnitByID(r.Context(), id)
		if lerr != nil {
			return lerr
		}
		d.Unit.Version, d.Stale = latest.Version, true
	}
	s.render(w, r, statusOf(err), "unit_form.html", view{Title: unit.Name, Nav: "setup", Error: s.publicError(err), Data: d})
	return nil
}
