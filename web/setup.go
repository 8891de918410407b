package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	Tree      []*unitNode // the units as the page shows them
	UnitIndex map[int64]nscl.OrgUnit
	DocIndex  map[int64]nscl.Document
	Levels    []nscl.UnitLevel
	Form      map[string]string // the values of the form that failed, to show again
	Section   string            // which form failed
	Level     *unitLevel        // a large tree, or one asked for so, a level at a time; nil: Tree
	// Where the portal counts (as stored, or as the form that failed sent
	// it), and the metrics it may count in: any but a latest-value one.
	Portal        nscl.PortalCounting
	PortalMetrics []nscl.Metric
}

// unitLevel is one level of the tree as the set-up page shows it: the
// children of a unit a page at a time, or the units a search found.
type unitLevel struct {
	ParentID int64
	Path     []nscl.OrgUnit // the parent and its ancestors, from the root
	Units    []*unitNode
	Query    string // what was searched, "" for a level
	Capped   bool   // the search found more than it shows
	After    string // the code the page starts after, "" on the first
	Next     string // the link to the next page, "" on the last
}

// The set-up page shows the whole tree up to treeWholeUpTo units, and a
// larger one (the Ministry's 5.000) a level at a time, treeLevelPage
// units a page, or the first treeMatches units a search finds.
const (
	treeWholeUpTo = 200
	treeLevelPage = 100
	treeMatches   = 50
)

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
	if d.Portal, err = s.Store.PortalCounting(ctx, prog); err != nil {
		return d, err
	}
	for _, m := range prog.Metrics {
		if m.Rule != nscl.RuleLast {
			d.PortalMetrics = append(d.PortalMetrics, m)
		}
	}
	var planUnits []int64
	for _, p := range d.Plans {
		planUnits = append(planUnits, p.UnitID)
	}
	if d.UnitIndex, err = s.unitsNamed(ctx, planUnits); err != nil {
		return d, err
	}
	q := r.URL.Query()
	if q.Has("unit") || q.Has("q") {
		d.Level, err = s.unitLevel(r)
		return d, err
	}
	units, err := s.smallTree(ctx)
	if err != nil {
		return d, err
	}
	if units == nil {
		d.Level, err = s.unitLevel(r)
		return d, err
	}
	d.Units = units
	successions, err := s.Store.Successions(ctx)
	d.Tree = unitTree(d.Units, successions)
	return d, err
}

// smallTree is every unit when the tree holds at most treeWholeUpTo, and
// nil for a larger one: a page that offers units as choices (a unit
// field lists them below 50) reads a national tree no more, its field is
// searched instead.
func (s *Server) smallTree(ctx context.Context) ([]nscl.OrgUnit, error) {
	units, err := s.Store.UnitsUpTo(ctx, treeWholeUpTo+1)
	if len(units) > treeWholeUpTo {
		return nil, err
	}
	return units, err
}

// unitsNamed reads the units of ids (repeats and 0 allowed) by ID: the
// few a page names, not the tree.
func (s *Server) unitsNamed(ctx context.Context, ids []int64) (map[int64]nscl.OrgUnit, error) {
	ids = slices.DeleteFunc(dedupe(ids), func(id int64) bool { return id == 0 })
	units, err := s.Store.UnitsByID(ctx, ids)
	index := make(map[int64]nscl.OrgUnit, len(units))
	for _, u := range units {
		index[u.ID] = u
	}
	return index, err
}

// unitLevel reads the level of the tree the query asks: the units a
// search (?q=) finds, or the children of ?unit=ID (0 for the roots, none
// for the root's when there is one) from the code after ?after=.
func (s *Server) unitLevel(r *http.Request) (*unitLevel, error) {
	ctx, q := r.Context(), r.URL.Query()
	l := &unitLevel{Query: strings.TrimSpace(q.Get("q")), After: q.Get("after")}
	if l.Query != "" {
		// A search folds case and diacritics as the unit fields' does, over
		// the units read whole: the page shows at most treeMatches.
		units, err := s.Store.Units(ctx)
		if err != nil {
			return nil, err
		}
		found := matchUnits(units, l.Query, treeMatches+1)
		l.Capped = len(found) > treeMatches
		for _, u := range found[:min(len(found), treeMatches)] {
			l.Units = append(l.Units, &unitNode{Unit: u, Link: "/setup?unit=" + strconv.FormatInt(u.ID, 10) + "#units"})
		}
		return l, nil
	}
	if raw := q.Get("unit"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 0 {
			return nil, nscl.Invalid("unit", "đơn vị %q không hợp lệ", "unit %q is not valid", raw)
		}
		l.ParentID = id
	} else if roots, err := s.Store.UnitChildren(ctx, 0, "", 2); err != nil {
		return nil, err
	} else if len(roots) == 1 {
		l.ParentID = roots[0].ID // the Ministry: its provinces are the page
	}
	if l.ParentID != 0 {
		chain, err := s.Store.UnitChain(ctx, l.ParentID)
		if err != nil {
			return nil, err
		}
		path, err := s.Store.UnitsByID(ctx, chain)
		if err != nil {
			return nil, err
		}
		if len(path) == 0 {
			return nil, nscl.NotFound("unit", "không có đơn vị số %d", "no unit with id %d", l.ParentID)
		}
		byID := map[int64]nscl.OrgUnit{}
		for _, u := range path {
			byID[u.ID] = u
		}
		for _, id := range slices.Backward(chain) {
			l.Path = append(l.Path, byID[id])
		}
	}
	children, err := s.Store.UnitChildren(ctx, l.ParentID, l.After, treeLevelPage+1)
	if err != nil {
		return nil, err
	}
	if len(children) > treeLevelPage {
		children = children[:treeLevelPage]
		l.Next = "/setup?" + url.Values{"unit": {strconv.FormatInt(l.ParentID, 10)}, "after": {children[len(children)-1].Code}}.Encode() + "#units"
	}
	for _, c := range children {
		n := &unitNode{Unit: c.OrgUnit, Below: c.Below}
		if c.Below > 0 {
			n.Link = "/setup?unit=" + strconv.FormatInt(c.ID, 10) + "#units"
		}
		l.Units = append(l.Units, n)
	}
	return l, nil
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

// setupCreate handles the four forms of the set-up page; a mistake shows
// the page again with the form's values and each message beside its field.
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
	var write func(tx *store.Tx) (int64, error)
	var done string // what the next page says was saved
	switch section {
	case "documents":
		write, err = readDocumentForm(r)
		done = "document"
	case "units":
		parent, perr := s.unitPosted(r, "parent", "setup.parent", r.PostFormValue("parent"))
		write, err = readUnitForm(r, parent, perr)
		done = "unit"
	case "plans":
		unit, uerr := s.unitPosted(r, "unit", "dash.unit", r.PostFormValue("unit"))
		write, err = readPlanForm(r, d.Programme, unit, uerr)
		done = "plan"
	case "portal":
		d.Portal = readPortalForm(r)
		pc := d.Portal
		write = func(tx *store.Tx) (int64, error) {
			return d.Programme.ID, tx.SetPortalCounting(r.Context(), d.Programme, pc)
		}
		done = "portal_counting"
	default:
		return nscl.NotFound("section", "không có mục thiết lập này", "no such set-up section")
	}
	var id int64
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) (err error) {
			id, err = write(tx)
			return err
		})
	}
	if err == nil {
		s.saved(w, r, done, id, "/setup#"+section)
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ENOTFOUND && c != nscl.ECONFLICT {
		return err
	}
	for key := range r.PostForm {
		d.Form[key] = r.PostFormValue(key)
	}
	d.Section = section
	// The page has four forms, some with fields of the same name: a
	// mistake is shown beside the field of the form that was sent.
	var mistakes nscl.Errors
	for _, e := range nscl.ErrorList(err) {
		in := *e
		in.Field = section + "." + e.Field
		mistakes = append(mistakes, &in)
	}
	s.render(w, r, statusOf(err), "setup.html", view{Title: translate(language(r), "setup.title"), Nav: "setup", Error: s.publicError(err), Mistakes: mistakes, Data: d})
	return nil
}

// readPortalForm reads where the portal counts; the store checks the
// codes against the programme (nscl.PortalCounting.Validate).
func readPortalForm(r *http.Request) nscl.PortalCounting {
	f := r.PostFormValue
	return nscl.PortalCounting{CommunicationGroup: f("communication_group"), ArticleMetric: f("article_metric"),
		VideoMetric: f("video_metric"), DocumentMetric: f("document_metric"),
		ClassEnterprisesMetric: f("class_enterprises_metric"), ClassTraineesMetric: f("class_trainees_metric")}
}

// optionalDate reads a date a form may leave empty, keeping a mistake in errs.
func optionalDate(errs *nscl.Errors, field, raw string) time.Time {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}
	}
	day, err := nscl.ParseDate(field, raw)
	errs.Add(err)
	return day
}

// The set-up forms are read whole: what cannot be read is a mistake, and
// then the domain's check of the rest adds its own, so that the form says
// every mistake at once; a form that reads whole is checked by the store.

func readDocumentForm(r *http.Request) (func(tx *store.Tx) (int64, error), error) {
	doc := nscl.Document{Type: r.PostFormValue("type"), Number: r.PostFormValue("number"), Symbol: r.PostFormValue("symbol"),
		Issuer: r.PostFormValue("issuer"), Title: r.PostFormValue("title"), Source: r.PostFormValue("source")}
	var errs nscl.Errors
	doc.IssuedOn = optionalDate(&errs, "issued_on", r.PostFormValue("issued_on"))
	if errs != nil {
		errs.Add(nscl.ValidateDocument(doc))
	}
	return func(tx *store.Tx) (int64, error) { err := tx.CreateDocument(r.Context(), &doc); return doc.ID, err }, errs.Err()
}

// readUnitForm reads the new unit's form, its parent as the parent field
// read (unitPosted: the unit, or the field's mistake).
func readUnitForm(r *http.Request, parent nscl.OrgUnit, parentErr error) (func(tx *store.Tx) (int64, error), error) {
	unit := nscl.OrgUnit{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name"),
		Level: nscl.UnitLevel(r.PostFormValue("level")), ParentID: parent.ID}
	var errs nscl.Errors
	errs.Add(parentErr)
	unit.OpenedOn = optionalDate(&errs, "opened_on", r.PostFormValue("opened_on"))
	unit.ClosedOn = optionalDate(&errs, "closed_on", r.PostFormValue("closed_on"))
	if errs != nil {
		var known *nscl.OrgUnit
		if parentErr == nil {
			known = &parent
		}
		errs.Add(nscl.ValidateUnit(unit, known))
	}
	return func(tx *store.Tx) (int64, error) { err := tx.CreateUnit(r.Context(), &unit); return unit.ID, err }, errs.Err()
}

// readPlanForm reads the new plan's form, its unit as the unit field read
// (unitPosted: the unit, or the field's mistake).
func readPlanForm(r *http.Request, prog *nscl.Programme, unit nscl.OrgUnit, unitErr error) (func(tx *store.Tx) (int64, error), error) {
	plan := nscl.Plan{Kind: nscl.PlanKind(r.PostFormValue("kind")), Name: r.PostFormValue("name"), UnitID: unit.ID}
	plan.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64)
	var errs nscl.Errors
	errs.Add(unitErr)
	var err error
	plan.StartYear, err = nscl.ParseYear("start_year", r.PostFormValue("start_year"))
	errs.Add(err)
	plan.EndYear, err = nscl.ParseYear("end_year", r.PostFormValue("end_year"))
	errs.Add(err)
	plan.Targets = readTargets(&errs, r, prog)
	if errs != nil {
		errs.Add(nscl.ValidatePlan(plan, prog))
	}
	return func(tx *store.Tx) (int64, error) { err := tx.CreatePlan(r.Context(), prog, &plan); return plan.ID, err }, errs.Err()
}

// readTargets reads the targets typed for the programme's indicators,
// keeping a mistake in errs for each that is not a whole number.
func readTargets(errs *nscl.Errors, r *http.Request, prog *nscl.Programme) []nscl.Target {
	var targets []nscl.Target
	for _, m := range prog.Indicators() {
		raw := strings.TrimSpace(r.PostFormValue("t_" + m.Code))
		if raw == "" {
			continue
		}
		v, err := nscl.ParseQuantity("targets."+m.Code, raw)
		if err != nil {
			errs.Add(err)
			continue
		}
		targets = append(targets, nscl.Target{Metric: m.Code, Value: v})
	}
	return targets
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
	units, err := s.allotmentUnits(r.Context(), p)
	d := planFormData{Plan: p, Programme: prog, Documents: docs, Values: map[string]string{},
		Units: allotmentRows(units, p), Allot: allotValues(p), Allotted: allotmentSums(prog, p)}
	for _, t := range p.Targets {
		d.Values[t.Metric] = strconv.FormatInt(t.Value, 10)
	}
	return d, err
}

// allotmentUnits are the units allotmentRows chooses from: those directly
// under the plan's unit and those it allots to, by ID, not the whole tree.
func (s *Server) allotmentUnits(ctx context.Context, p nscl.Plan) ([]nscl.OrgUnit, error) {
	const page = 500
	var ids []int64
	for after := ""; ; {
		children, err := s.Store.UnitChildren(ctx, p.UnitID, after, page)
		if err != nil {
			return nil, err
		}
		for _, c := range children {
			ids = append(ids, c.ID)
		}
		if len(children) < page {
			break
		}
		after = children[len(children)-1].Code
	}
	for _, a := range p.Allotments {
		ids = append(ids, a.UnitID)
	}
	return s.Store.UnitsByID(ctx, dedupe(ids))
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
	for _, m := range prog.Indicators() {
		d.Values[m.Code] = strings.TrimSpace(r.PostFormValue("t_" + m.Code))
	}
	var errs nscl.Errors
	p.Targets = readTargets(&errs, r, prog)
	p.Allotments = readAllotments(&errs, r, prog, d.Units, d.Allot)
	if errs != nil {
		errs.Add(nscl.ValidatePlan(p, prog))
		err = errs.Err()
	} else {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdatePlan(r.Context(), prog, &p) })
	}
	if err == nil {
		s.saved(w, r, "plan", p.ID, "/setup#plans")
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
	s.render(w, r, statusOf(err), "plan_form.html", view{Title: p.Name, Nav: "setup", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}

type unitFormData struct {
	Unit   nscl.OrgUnit
	Opened string
	Closed string
	Stale  bool
	// The forms that close the unit into successors and move it, with
	// what was typed there, and the history they add to.
	Successors, CloseOn string
	Parent              string // the parent field: what was typed or chosen
	MoveOn              string
	Parents             []nscl.OrgUnit // the open units of a level above the unit's
	History             []historyLine
}

// historyLine is one succession or move of a unit, as its page says it.
type historyLine struct {
	On   time.Time
	Kind nscl.SuccessionKind // "" for a move
	From nscl.OrgUnit
	To   nscl.OrgUnit
}

// withHistory fills in what the unit page shows beside the unit's form:
// the parents it may move under and its successions and moves.
func (s *Server) withHistory(r *http.Request, d unitFormData) (unitFormData, error) {
	list, err := s.smallTree(r.Context())
	if err != nil {
		return d, err
	}
	for _, p := range list {
		if p.ID != d.Unit.ID && p.ClosedOn.IsZero() && p.Level.Above(d.Unit.Level) {
			d.Parents = append(d.Parents, p)
		}
	}
	h, err := LoadUnitHistory(r.Context(), s.Store, d.Unit.ID)
	if err != nil {
		return d, err
	}
	var named []int64 // the units the history names, read alone
	for _, x := range h.Successions {
		named = append(named, x.PredecessorID, x.SuccessorID)
	}
	for _, m := range h.Moves {
		named = append(named, m.OldParentID, m.NewParentID)
	}
	units, err := s.unitsNamed(r.Context(), named)
	if err != nil {
		return d, err
	}
	for _, x := range h.Successions {
		d.History = append(d.History, historyLine{On: x.On, Kind: nscl.KindOf(h.All, x), From: units[x.PredecessorID], To: units[x.SuccessorID]})
	}
	for _, m := range h.Moves {
		d.History = append(d.History, historyLine{On: m.On, From: units[m.OldParentID], To: units[m.NewParentID]})
	}
	slices.SortStableFunc(d.History, func(a, b historyLine) int { return a.On.Compare(b.On) })
	return d, nil
}

// onForm renames the fields err names as the unit page's form names them:
// the close and the move both have a date.
func onForm(err error, fields map[string]string) error {
	list := nscl.ErrorList(err)
	if list == nil {
		return err
	}
	var out nscl.Errors
	for _, e := range list {
		c := *e
		if f, ok := fields[c.Field]; ok {
			c.Field = f
		}
		out = append(out, &c)
	}
	return out
}

// unitCloseInto closes a unit into its successors, and unitMove moves it
// under another parent; a refusal shows the unit page again with each
// mistake beside its field.
func (s *Server) unitCloseInto(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.unitChange(w, r, u, func(d *unitFormData) error {
		d.Successors, d.CloseOn = r.PostFormValue("successors"), r.PostFormValue("close_on")
		on, err := nscl.ParseDate("close_on", d.CloseOn)
		if err != nil {
			return err
		}
		return s.Store.Update(r.Context(), func(tx *store.Tx) error {
			if err := unitAsRead(r, tx); err != nil {
				return err
			}
			var codes []string
			for _, c := range strings.Split(d.Successors, ",") {
				codes = append(codes, strings.TrimSpace(c))
			}
			_, err := tx.CloseUnitInto(r.Context(), d.Unit.Code, on, codes)
			return onForm(err, map[string]string{"on": "close_on", "successor": "successors"})
		})
	})
}

func (s *Server) unitMove(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.unitChange(w, r, u, func(d *unitFormData) error {
		d.MoveOn, d.Parent = r.PostFormValue("move_on"), r.PostFormValue("parent")
		var errs nscl.Errors
		parent, err := s.unitPosted(r, "parent", "setup.parent", d.Parent)
		errs.Add(err)
		on, err := nscl.ParseDate("move_on", d.MoveOn)
		errs.Add(err)
		if err := errs.Err(); err != nil {
			return err
		}
		return s.Store.Update(r.Context(), func(tx *store.Tx) error {
			if err := unitAsRead(r, tx); err != nil {
				return err
			}
			_, err := tx.MoveUnit(r.Context(), d.Unit.Code, parent.Code, on)
			return onForm(err, map[string]string{"on": "move_on"})
		})
	})
}

// unitAsRead refuses a close or move posted from a page that showed an
// older version of the unit of the path.
func unitAsRead(r *http.Request, tx *store.Tx) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unit, err := tx.UnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return unit.CheckVersion(version)
}

// setupUnit is the unit of a set-up page's path, for a user allowed set-up.
func (s *Server) setupUnit(r *http.Request, u nscl.User) (nscl.OrgUnit, error) {
	if err := u.RequireSetup(); err != nil {
		return nscl.OrgUnit{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nscl.OrgUnit{}, err
	}
	return s.Store.UnitByID(r.Context(), id)
}

func (s *Server) unitChange(w http.ResponseWriter, r *http.Request, u nscl.User, change func(d *unitFormData) error) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	unit, err := s.setupUnit(r, u)
	if err != nil {
		return err
	}
	d := unitFormData{Unit: unit, Opened: formatDay(unit.OpenedOn), Closed: formatDay(unit.ClosedOn)}
	err = change(&d)
	if err == nil {
		s.saved(w, r, "unit", unit.ID, fmt.Sprintf("/setup/units/%d/edit", unit.ID))
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ECONFLICT {
		return err
	}
	d.Stale = nscl.ErrorField(err) == "version"
	return s.unitPageRefused(w, r, d, err)
}

// unitEdit shows, and unitUpdate saves, the form that renames a unit or
// records when it opened or closed (a merger closes it).
func (s *Server) unitEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	unit, err := s.setupUnit(r, u)
	if err != nil {
		return err
	}
	d, err := s.withHistory(r, unitFormData{Unit: unit, Opened: formatDay(unit.OpenedOn), Closed: formatDay(unit.ClosedOn)})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "unit_form.html", view{Title: unit.Name, Nav: "setup", Data: d})
	return nil
}

func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	unit, err := s.setupUnit(r, u)
	if err != nil {
		return err
	}
	d := unitFormData{Opened: r.PostFormValue("opened_on"), Closed: r.PostFormValue("closed_on")}
	unit.Name, unit.ShortName = r.PostFormValue("name"), r.PostFormValue("short_name")
	unit.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var errs nscl.Errors
	unit.OpenedOn = optionalDate(&errs, "opened_on", d.Opened)
	unit.ClosedOn = optionalDate(&errs, "closed_on", d.Closed)
	d.Unit = unit
	if errs != nil {
		var parent *nscl.OrgUnit
		if p, perr := s.Store.UnitByID(r.Context(), unit.ParentID); perr == nil {
			parent = &p
		}
		errs.Add(nscl.ValidateUnit(unit, parent))
		err = errs.Err()
	} else {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateUnit(r.Context(), &unit) })
	}
	if err == nil {
		s.saved(w, r, "unit", unit.ID, "/setup#units")
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ECONFLICT {
		return err
	}
	if nscl.ErrorCode(err) == nscl.ECONFLICT {
		latest, lerr := s.Store.UnitByID(r.Context(), unit.ID)
		if lerr != nil {
			return lerr
		}
		d.Unit.Version, d.Stale = latest.Version, true
	}
	return s.unitPageRefused(w, r, d, err)
}

// unitPageRefused shows the unit page again after err refused one of its
// forms, each mistake beside its field.
func (s *Server) unitPageRefused(w http.ResponseWriter, r *http.Request, d unitFormData, err error) error {
	d, herr := s.withHistory(r, d)
	if herr != nil {
		return herr
	}
	s.render(w, r, statusOf(err), "unit_form.html", view{Title: d.Unit.Name, Nav: "setup", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}
