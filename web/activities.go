package web

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/sheet"
	"nscl/store"
)

const pageSize = 25

type activityListData struct {
	ExportCSV, ExportXLSX string // the list as a file, with the same filters
	Page                  store.ActivityPage
	Filter                store.ActivityFilter
	Units                 map[int64]nscl.OrgUnit
	UnitList              []nscl.OrgUnit // what the unit filter may name (template "unit-field")
	Programme             *nscl.Programme
	Kinds                 []nscl.ActivityKind
	FirstURL              string // back to the first page, from a later one
	NextURL               string // the page after this one, by its cursor
	CanCreate             bool
	User                  nscl.User
	Editable              map[int64]bool // activities this user may open for editing
	Locked                map[int64]bool // activities a round has locked for this user
	Portal                map[int64]bool // activities the portal writes, changed there only
}

// activityFilter reads the list's filters from the query; a reporter's
// list is its own unit's whatever the query says.
func (s *Server) activityFilter(r *http.Request, u nscl.User) (store.ActivityFilter, error) {
	q := r.URL.Query()
	f := store.ActivityFilter{TaskGroup: q.Get("group"), Kind: nscl.ActivityKind(q.Get("kind")), Text: q.Get("q"), Limit: pageSize}
	var err error
	if q.Get("year") != "" {
		if f.Year, err = strconv.Atoi(q.Get("year")); err != nil {
			return f, nscl.Invalid("year", "năm %q không hợp lệ", "year %q is not valid", q.Get("year"))
		}
	}
	for _, d := range []struct {
		name string
		into *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := q.Get(d.name); raw != "" {
			if *d.into, err = nscl.ParseDate(d.name, raw); err != nil {
				return f, err
			}
		}
	}
	if code := q.Get("unit"); code != "" {
		if code, err = s.unitCodeTyped(r, code); err != nil {
			return f, err
		}
		unit, err := s.Store.UnitByCode(r.Context(), code)
		if err != nil {
			return f, err
		}
		f.UnitID = unit.ID
	}
	if code := q.Get("under"); code != "" && f.UnitID == 0 {
		unit, err := s.Store.UnitByCode(r.Context(), code)
		if err != nil {
			return f, err
		}
		f.UnderUnit = unit.ID // the unit and every unit under it, as the report page links
	}
	if !u.CanSeeAllUnits() {
		f.UnderUnit = 0
		f.UnitID = u.UnitID // a reporter sees its own unit's activities only
	}
	return f, nil
}

// activityExport sends the filtered list as the activity sheet (.csv or
// .xlsx): the columns an import reads, with every row's key, so that the
// file can be corrected and imported again.
func (s *Server) activityExport(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	f, err := s.activityFilter(r, u)
	if err != nil {
		return err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	each := func(fn func(nscl.Activity) error) error { return s.Store.EachActivity(r.Context(), prog, f, fn) }
	// Written to a temporary file first: a list of any length takes no
	// memory, and a failure halfway still shows as an error page.
	spool, err := os.CreateTemp("", "nscl-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	if err := sheet.WriteActivities(spool, format, prog, each, func(id int64) string { return units[id].Code }); err != nil {
		return err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w.Header().Set("Content-Type", map[string]string{"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format])
	attachment(w, "hoat-dong."+format)
	_, err = io.Copy(w, spool)
	if err != nil {
		s.Log.Warn("export not sent whole", "err", err) // the headers are gone: nothing else to tell the reader
	}
	return nil
}

func (s *Server) activityList(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if err != nil {
		return err
	}
	f, err := s.activityFilter(r, u)
	if err != nil {
		return err
	}
	f.After = r.URL.Query().Get("after")
	page, err := s.listActivities(ctx, prog, f)
	if err != nil {
		return err
	}
	// The units the page names (its rows' and the filter's), and those
	// the filter lists when the tree is small: not the national tree.
	named := []int64{f.UnitID}
	for _, a := range page.Activities {
		named = append(named, a.UnitID)
	}
	units, err := s.unitsNamed(ctx, named)
	if err != nil {
		return err
	}
	list, err := s.smallTree(ctx)
	if err != nil {
		return err
	}
	export := r.URL.Query()
	export.Del("after")
	export.Set("format", "csv")
	csvURL := "/activities/export?" + export.Encode()
	export.Set("format", "xlsx")
	d := activityListData{ExportCSV: csvURL, ExportXLSX: "/activities/export?" + export.Encode(), Page: page, Filter: f, Units: units, UnitList: list, Programme: prog, Kinds: nscl.ActivityKinds,
		CanCreate: u.Role == nscl.RoleFocal || u.Role == nscl.RoleReporter, User: u,
		Editable: map[int64]bool{}, Locked: map[int64]bool{}, Portal: map[int64]bool{}}
	locks, err := s.Store.PeriodLocks(ctx, prog)
	if err != nil {
		return err
	}
	for _, a := range page.Activities {
		d.Locked[a.ID] = nscl.LockOn(locks, u, a.UnitID, a.Date) != nil
		d.Portal[a.ID] = nscl.PortalOwned(a.Ref)
		d.Editable[a.ID] = u.CanWriteActivities(a.UnitID) && !d.Locked[a.ID] && !d.Portal[a.ID]
	}
	if f.After != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "activities.html", view{Title: translate(language(r), "act.title"), Nav: "activities", Data: d})
	return nil
}

// withAfter is the list's address with its filters, starting after the
// cursor after ("" for the first page).
func withAfter(u *url.URL, after string) string {
	q := u.Query()
	q.Del("page") // pages were numbered before they went by cursor
	q.Del("after")
	if after != "" {
		q.Set("after", after)
	}
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// unitIndex is every unit by ID and in ID order, as the store keeps them
// for the tree's version (store.UnitDirectory): read them, never change
// them.
func (s *Server) unitIndex(r *http.Request) (map[int64]nscl.OrgUnit, []nscl.OrgUnit, error) {
	return s.Store.UnitDirectory(r.Context())
}

type activityFormData struct {
	Activity   nscl.Activity
	Programme  *nscl.Programme
	Units      []nscl.OrgUnit // the units the user may choose
	UnitTyped  string         // the unit field: the activity's unit's code, or what was typed
	Kinds      []nscl.ActivityKind
	Quantities map[string]string // as typed, by metric code
	Benefit    string            // beneficiaries as typed
	Date       string
	RoundID    int64
	Round      *nscl.Round
	Stale      bool           // the form was saved from an old version
	Latest     *nscl.Activity // the stored record, shown beside a stale form
	// The beneficiaries the registry knows, by tax code, and those it does
	// not: a user who may add enterprises adds them on saving.
	Known            map[string]nscl.Enterprise
	Unknown          []string
	CanAddToRegistry bool
	// LookAlikes are stored activities a new one looks like: the form
	// asks whether it is one of them before saving (checkLookAlikes).
	LookAlikes []nscl.Activity
}

// lookUpBeneficiaries sorts the form's tax codes into those the registry
// knows and those it does not.
func (s *Server) lookUpBeneficiaries(r *http.Request, d *activityFormData) error {
	codes := d.Activity.Beneficiaries
	known, err := s.Store.EnterprisesByTaxCode(r.Context(), codes)
	if err != nil {
		return err
	}
	d.Known, d.Unknown = known, nil
	for _, tc := range codes {
		if _, ok := known[tc]; !ok && nscl.ValidateTaxCode("", tc) == nil {
			d.Unknown = append(d.Unknown, tc)
		}
	}
	return nil
}

func (s *Server) activityForm(r *http.Request, u nscl.User, a nscl.Activity) (activityFormData, error) {
	prog, err := s.programme(r.Context())
	if err != nil {
		return activityFormData{}, err
	}
	// The units the field may list: a small tree's, or the user's own
	// unit on a large one (a reporter's one choice); a focal point types
	// or searches the unit there.
	all, err := s.smallTree(r.Context())
	if err != nil {
		return activityFormData{}, err
	}
	index, err := s.unitsNamed(r.Context(), []int64{a.UnitID, u.UnitID})
	if err != nil {
		return activityFormData{}, err
	}
	if all == nil && !u.CanSeeAllUnits() {
		all = []nscl.OrgUnit{index[u.UnitID]}
	}
	d := activityFormData{Activity: a, Programme: prog, Kinds: nscl.ActivityKinds, Quantities: map[string]string{}, Date: formatDay(a.Date), UnitTyped: index[a.UnitID].Code}
	for _, unit := range all {
		if u.CanWriteActivities(unit.ID) {
			d.Units = append(d.Units, unit)
		}
	}
	for _, q := range a.Quantities {
		d.Quantities[q.Metric] = strconv.FormatInt(q.Value, 10)
	}
	d.Benefit = strings.Join(a.Beneficiaries, "\n")
	d.CanAddToRegistry = u.CanAddEnterprises()
	return d, s.lookUpBeneficiaries(r, &d)
}

func (s *Server) activityNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if u.Role != nscl.RoleFocal && u.Role != nscl.RoleReporter {
		return nscl.Forbidden("vai trò của bạn không nhập hoạt động", "your role does not enter activities")
	}
	a := nscl.Activity{UnitID: u.UnitID, Kind: nscl.KindTraining}
	d, err := s.activityForm(r, u, a)
	if err != nil {
		return err
	}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("round"), 10, 64); id > 0 {
		round, _, err := s.Store.Round(r.Context(), id)
		if err != nil {
			return err
		}
		d.RoundID, d.Round = id, &round
	}
	s.render(w, r, http.StatusOK, "activity_form.html", view{Title: translate(language(r), "act.new"), Nav: "activities", Data: d})
	return nil
}

// readActivityForm reads a posted activity form. Every field is read, so
// that the form shows again with everything typed, and every mistake is
// returned (nscl.Errors): what cannot be read, then what the domain's
// check finds in the rest.
func (s *Server) readActivityForm(r *http.Request, prog *nscl.Programme, d *activityFormData) error {
	a := &d.Activity
	a.TaskGroup = r.PostFormValue("task_group")
	a.Kind = nscl.ActivityKind(r.PostFormValue("kind"))
	a.Description = r.PostFormValue("description")
	a.NotInFootnote = r.PostFormValue("not_in_footnote") == "1" // an unticked box sends nothing
	a.Source = r.PostFormValue("source")
	d.Date = r.PostFormValue("date")
	d.Benefit = r.PostFormValue("beneficiaries")
	a.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	d.RoundID, _ = strconv.ParseInt(r.PostFormValue("round"), 10, 64)
	var errs nscl.Errors
	if d.RoundID != 0 {
		round, _, err := s.Store.Round(r.Context(), d.RoundID)
		if err != nil {
			return err
		}
		d.Round = &round
	}
	d.UnitTyped = r.PostFormValue("unit")
	unit, err := s.unitPosted(r, "unit", "act.unit", d.UnitTyped)
	errs.Add(err)
	a.UnitID = unit.ID
	a.Quantities = nil
	for _, m := range prog.Metrics {
		raw := strings.TrimSpace(r.PostFormValue("q_" + m.Code))
		d.Quantities[m.Code] = raw
		if raw == "" {
			continue
		}
		n, err := nscl.ParseQuantity("quantities."+m.Code, raw)
		if err != nil {
			errs.Add(err)
			continue
		}
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: m.Code, Value: n})
	}
	a.Beneficiaries = nscl.SplitTaxCodes(d.Benefit)
	if err := s.lookUpBeneficiaries(r, d); err != nil {
		return err
	}
	if a.Date, err = nscl.ParseDate("date", d.Date); err != nil {
		errs.Add(err)
	} else if d.Round != nil && !d.Round.Contains(a.Date) {
		errs.Add(nscl.Invalid("date", "ngày %s nằm ngoài kỳ báo cáo %s – %s", "date %s is outside the round's period %s – %s",
			formatDay(a.Date), formatDay(d.Round.PeriodStart), formatDay(d.Round.PeriodEnd)))
	}
	if errs != nil {
		// The store checks a form that reads whole; one that does not is
		// checked here too, so that it says every mistake at once.
		errs.Add(nscl.ValidateActivity(a, prog))
	}
	return errs.Err()
}

func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.saveActivity(w, r, u, 0)
}

func (s *Server) activityUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveActivity(w, r, u, id)
}

// saveActivity creates (id 0) or updates an activity from a posted form.
// A mistake shows the form again with the message beside the field; a
// stale version shows the latest record with a notice, and writes nothing.
func (s *Server) saveActivity(w http.ResponseWriter, r *http.Request, u nscl.User, id int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu quá lớn hoặc không đọc được", "the form is too large or unreadable")
	}
	if id != 0 {
		if err := s.refuseHandWrite(r, id); err != nil {
			return err
		}
	}
	d, err := s.activityForm(r, u, nscl.Activity{ID: id})
	if err != nil {
		return err
	}
	err = s.readActivityForm(r, d.Programme, &d)
	if err == nil && id == 0 {
		err = s.checkLookAlikes(r, u, &d)
	}
	if err == nil {
		// The tax codes the registry lacks join it, to be described later.
		add := d.CanAddToRegistry && len(d.Unknown) > 0 && r.PostFormValue("add_unknown") == "1"
		err = s.Store.SaveActivity(r.Context(), d.Programme, &d.Activity, add)
	}
	if err == nil {
		target := "/activities"
		if d.RoundID != 0 {
			target = "/rounds/" + strconv.FormatInt(d.RoundID, 10)
		}
		s.saved(w, r, "activity", d.Activity.ID, target)
		return nil
	}
	code := nscl.ErrorCode(err)
	if code == nscl.ECONFLICT && nscl.ErrorField(err) == "version" {
		// Keep what the user typed, show the stored record beside it, and
		// carry the latest version: saving again is then a choice made
		// knowing the other change, and nothing typed is lost.
		latest, lerr := s.Store.Activity(r.Context(), id)
		if lerr != nil {
			return lerr
		}
		d.Activity.Version, d.Stale, d.Latest = latest.Version, true, &latest
	} else if code != nscl.EINVALID && code != nscl.ENOTFOUND && code != nscl.ECONFLICT && code != nscl.EFORBIDDEN {
		return err
	}
	title := "act.new"
	if id != 0 {
		title = "act.edit"
	}
	s.render(w, r, statusOf(err), "activity_form.html", view{Title: translate(language(r), title), Nav: "activities", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}

func (s *Server) activityEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Store.Activity(r.Context(), id)
	if err != nil {
		return err
	}
	if !u.CanWriteActivities(a.UnitID) {
		return nscl.Forbidden("bạn không được sửa hoạt động của đơn vị này", "you may not change this unit's activities")
	}
	if err := nscl.RefuseHandWrite(a.Ref); err != nil {
		return err
	}
	d, err := s.activityForm(r, u, a)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "activity_form.html", view{Title: translate(language(r), "act.edit"), Nav: "activities", Data: d})
	return nil
}

func (s *Server) activityDelete(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		return nscl.Invalid("version", "thiếu phiên bản của bản ghi đang xóa", "the version of the record being deleted is missing")
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	if err := s.refuseHandWrite(r, id); err != nil {
		return err
	}
	if !confirmed(r) {
		return s.confirmDelete(w, r, u, prog, id)
	}
	if err := s.Store.DeleteActivity(r.Context(), prog, id, version); err != nil {
		return err
	}
	s.saved(w, r, "activity_deleted", id, "/activities")
	return nil
}

// refuseHandWrite refuses to change or delete by hand an activity the
// portal writes (nscl.RefuseHandWrite), saying where it is changed.
func (s *Server) refuseHandWrite(r *http.Request, id int64) error {
	a, err := s.Store.Activity(r.Context(), id)
	if err != nil {
		return err
	}
	return nscl.RefuseHandWrite(a.Ref)
}

// confirmDelete asks before an activity is deleted, once it is known that
// u may delete it.
func (s *Server) confirmDelete(w http.ResponseWriter, r *http.Request, u nscl.User, prog *nscl.Programme, id int64) error {
	a, err := s.Store.Activity(r.Context(), id)
	if err != nil {
		return err
	}
	locks, err := s.Store.PeriodLocks(r.Context(), prog)
	if err != nil {
		return err
	}
	if err := u.WriteRefusal(a.UnitID, a.Date, locks); err != nil {
		return err
	}
	lang := language(r)
	return s.askConfirmation(w, r, confirmation{Question: translate(lang, "confirm.delete_activity"), Detail: formatDay(a.Date) + " — " + a.Description,
		Button: translate(lang, "confirm.delete"), Back: "/activities/" + strconv.FormatInt(id, 10) + "/edit", Nav: "activities"})
}
