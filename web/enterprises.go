package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"nscl"
	"nscl/store"
)

// enterprisePageSize is how many records a page of the registry lists.
const enterprisePageSize = 50

// enterpriseRoutes serves the registry of enterprises.
func (s *Server) enterpriseRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /enterprises", s.page(s.enterpriseList))
	mux.HandleFunc("GET /enterprises/new", s.page(s.enterpriseNew))
	mux.HandleFunc("POST /enterprises", s.page(s.enterpriseCreate))
	mux.HandleFunc("GET /enterprises/{id}", s.page(s.enterpriseShow))
	mux.HandleFunc("GET /enterprises/{id}/edit", s.page(s.enterpriseEdit))
	mux.HandleFunc("POST /enterprises/{id}", s.page(s.enterpriseUpdate))
	mux.HandleFunc("POST /enterprises/{id}/merge", s.page(s.enterpriseMerge))
	mux.HandleFunc("POST /enterprises/{id}/unmerge", s.page(s.enterpriseUnmerge))
	mux.HandleFunc("GET /api/v1/enterprises", s.api(s.apiEnterprises))
}

// forReader strips the contact details a user may not see, so that no
// template can show them by mistake.
func forReader(u nscl.User, e nscl.Enterprise) nscl.Enterprise {
	if !u.CanSeeContacts() {
		e.Contact = nscl.Contact{}
	}
	return e
}

// sizeOption is a size as a select offers it, in the page's language.
type sizeOption struct {
	Value nscl.EnterpriseSize
	Label string
}

func sizeOptions(lang string) []sizeOption {
	out := make([]sizeOption, len(nscl.EnterpriseSizes))
	for i, size := range nscl.EnterpriseSizes {
		out[i] = sizeOption{size, translate(lang, "ent.size."+string(size))}
	}
	return out
}

func sizeLabels(lang string) map[nscl.EnterpriseSize]string {
	out := map[nscl.EnterpriseSize]string{}
	for _, o := range sizeOptions(lang) {
		out[o.Value] = o.Label
	}
	return out
}

type enterpriseListData struct {
	Filter       store.EnterpriseFilter
	Page         store.EnterprisePage
	Sizes        []sizeOption
	SizeLabels   map[nscl.EnterpriseSize]string
	NextURL      string // the page after this one, by its cursor
	FirstURL     string // back to the first page, from a later one
	CanAdd       bool
	ShowContacts bool
}

// Filtered says whether the list is narrowed by a filter: an empty list
// then means no match, not an empty registry. (Merged records widen it.)
func (d enterpriseListData) Filtered() bool {
	f := d.Filter
	return strings.TrimSpace(f.Text) != "" || strings.TrimSpace(f.District) != "" || strings.TrimSpace(f.Sector) != "" || f.Size != ""
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	q := r.URL.Query()
	f := store.EnterpriseFilter{Text: q.Get("q"), District: q.Get("district"), Sector: q.Get("sector"),
		Size: nscl.EnterpriseSize(q.Get("size")), Merged: q.Get("merged") != "", Limit: enterprisePageSize, After: q.Get("after")}
	page, err := s.Store.Enterprises(r.Context(), f)
	if err != nil {
		return err
	}
	for i, e := range page.Enterprises {
		page.Enterprises[i] = forReader(u, e)
	}
	lang := language(r)
	d := enterpriseListData{Filter: f, Page: page, Sizes: sizeOptions(lang), SizeLabels: sizeLabels(lang),
		CanAdd: u.CanAddEnterprises(), ShowContacts: u.CanSeeContacts()}
	if f.After != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "enterprises.html", view{Title: translate(lang, "ent.title"), Nav: "enterprises", Data: d})
	return nil
}

type enterpriseFormData struct {
	Enterprise nscl.Enterprise
	Sizes      []sizeOption
	Contacts   bool             // the user may see, so type, contact details
	Existing   *nscl.Enterprise // the record that already has the tax code typed
	Stale      bool             // saved from an old version
	Latest     *nscl.Enterprise // the stored record, shown beside a stale form
}

func (s *Server) renderEnterpriseForm(w http.ResponseWriter, r *http.Request, u nscl.User, status int, e nscl.Enterprise, err error) {
	d := enterpriseFormData{Enterprise: forReader(u, e), Sizes: sizeOptions(language(r)), Contacts: u.CanSeeContacts()}
	if nscl.ErrorCode(err) == nscl.ECONFLICT {
		switch nscl.ErrorField(err) {
		case "tax_code":
			if existing, lerr := s.Store.EnterpriseByTaxCode(r.Context(), e.TaxCode); lerr == nil {
				d.Existing = &existing
			}
		case "version":
			if latest, lerr := s.Store.Enterprise(r.Context(), e.ID); lerr == nil {
				latest = forReader(u, latest)
				d.Enterprise.Version, d.Stale, d.Latest = latest.Version, true, &latest
			}
		}
	}
	title := translate(language(r), "ent.new")
	if e.ID != 0 {
		title = translate(language(r), "ent.edit")
	}
	v := view{Title: title, Nav: "enterprises", Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "enterprise_form.html", v)
}

func (s *Server) enterpriseNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanAddEnterprises() {
		return nscl.Forbidden("vai trò của bạn không thêm doanh nghiệp vào danh bạ", "your role does not add enterprises to the registry")
	}
	s.renderEnterpriseForm(w, r, u, http.StatusOK, nscl.Enterprise{}, nil)
	return nil
}

// readEnterpriseForm reads a posted enterprise; the contact details only
// from a user who may see them.
func readEnterpriseForm(r *http.Request, u nscl.User, e *nscl.Enterprise) {
	e.Name, e.Address, e.District = r.PostFormValue("name"), r.PostFormValue("address"), r.PostFormValue("district")
	e.Sector, e.Size = r.PostFormValue("sector"), nscl.EnterpriseSize(r.PostFormValue("size"))
	e.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if u.CanSeeContacts() {
		e.Contact = nscl.Contact{Name: r.PostFormValue("contact_name"), Email: r.PostFormValue("contact_email"), Phone: r.PostFormValue("contact_phone")}
	}
}

// formMistake reports whether err is the user's to fix in the form.
func formMistake(err error) bool {
	switch nscl.ErrorCode(err) {
	case nscl.EINVALID, nscl.ECONFLICT:
		return true
	}
	return false
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanAddEnterprises() {
		return nscl.Forbidden("vai trò của bạn không thêm doanh nghiệp vào danh bạ", "your role does not add enterprises to the registry")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	e := nscl.Enterprise{TaxCode: r.PostFormValue("tax_code")}
	readEnterpriseForm(r, u, &e)
	err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateEnterprise(r.Context(), &e, false) })
	return s.afterEnterpriseSaved(w, r, u, e, err)
}

func enterprisePath(id int64) string { return "/enterprises/" + strconv.FormatInt(id, 10) }

// pathEnterprise loads the record the path names, or ENOTFOUND.
func (s *Server) pathEnterprise(r *http.Request) (nscl.Enterprise, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nscl.Enterprise{}, err
	}
	return s.Store.Enterprise(r.Context(), id)
}

func requireEditEnterprises(u nscl.User) error {
	if u.CanEditEnterprises() {
		return nil
	}
	return nscl.Forbidden("chỉ cán bộ đầu mối sửa và gộp doanh nghiệp trong danh bạ", "only focal staff change and merge the registry's records")
}

func requireDescribe(u nscl.User, e nscl.Enterprise) error {
	if u.CanDescribe(e) {
		return nil
	}
	return nscl.Forbidden("chỉ cán bộ đầu mối sửa thông tin doanh nghiệp đã có tên trong danh bạ", "only focal staff change a named record of the registry")
}

func (s *Server) enterpriseEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	e, err := s.pathEnterprise(r)
	if err != nil {
		return err
	}
	if err := requireDescribe(u, e); err != nil {
		return err
	}
	s.renderEnterpriseForm(w, r, u, http.StatusOK, e, nil)
	return nil
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	stored, err := s.pathEnterprise(r)
	if err != nil {
		return err
	}
	if err := requireDescribe(u, stored); err != nil {
		return err
	}
	e := stored
	readEnterpriseForm(r, u, &e)
	err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateEnterprise(r.Context(), &e) })
	return s.afterEnterpriseSaved(w, r, u, e, err)
}

// afterEnterpriseSaved leads to the record once it is saved, or shows the
// form again, as typed, with what to fix.
func (s *Server) afterEnterpriseSaved(w http.ResponseWriter, r *http.Request, u nscl.User, e nscl.Enterprise, err error) error {
	if formMistake(err) {
		s.renderEnterpriseForm(w, r, u, statusOf(err), e, err)
		return nil
	}
	if err != nil {
		return err
	}
	s.saved(w, r, "enterprise", e.ID, enterprisePath(e.ID))
	return nil
}

type enterpriseShowData struct {
	Enterprise   nscl.Enterprise
	SizeLabel    string
	Into         *nscl.Enterprise  // the record this one is merged into
	Merged       []nscl.Enterprise // the records merged into this one
	Years        []supportYear
	Hidden       int64 // supports by units whose activities the user may not read
	ShowContacts bool
	CanEdit      bool
	CanMerge     bool
	CanUnmerge   bool
	MergeInto    string // the tax code typed in the merge form
}

// supportYear is one year of the supports an enterprise received.
type supportYear struct {
	Year    int
	Rows    []supportRow
	ByGroup []groupCount
}

type supportRow struct {
	Activity nscl.Activity
	Group    nscl.TaskGroup
	Unit     string
	Editable bool // the activity list would link it for editing
}

type groupCount struct {
	Group nscl.TaskGroup
	Count int64
}

func (s *Server) enterpriseShow(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	e, err := s.pathEnterprise(r)
	if err != nil {
		return err
	}
	return s.renderEnterprise(w, r, u, e, "", nil)
}

// renderEnterprise shows a record with the supports it received; a failed
// merge shows it again with the message beside the merge form.
func (s *Server) renderEnterprise(w http.ResponseWriter, r *http.Request, u nscl.User, e nscl.Enterprise, mergeInto string, failed error) error {
	ctx := r.Context()
	d := enterpriseShowData{Enterprise: forReader(u, e), SizeLabel: sizeLabels(language(r))[e.Size], ShowContacts: u.CanSeeContacts(),
		CanEdit: u.CanDescribe(e), CanMerge: u.CanEditEnterprises(), CanUnmerge: u.CanUnmerge(), MergeInto: mergeInto}
	if e.MergedInto != 0 {
		into, err := s.Store.Enterprise(ctx, e.MergedInto)
		if err != nil {
			return err
		}
		d.Into = &into
	}
	merged, err := s.Store.MergedInto(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, m := range merged {
		d.Merged = append(d.Merged, forReader(u, m))
	}
	if d.Years, d.Hidden, err = s.supportYears(r, u, e.ID); err != nil {
		return err
	}
	v := view{Title: e.DisplayName(), Nav: "enterprises", Data: d}
	status := http.StatusOK
	if failed != nil {
		v.Error, v.Mistakes, status = s.publicError(failed), nscl.ErrorList(failed), statusOf(failed)
	}
	s.render(w, r, status, "enterprise.html", v)
	return nil
}

// supportYears groups the activities naming the enterprise by year, newest
// first, and within a year by task group and unit. Activities of units the
// user may not read are left out and counted.
func (s *Server) supportYears(r *http.Request, u nscl.User, id int64) ([]supportYear, int64, error) {
	ctx := r.Context()
	prog, err := s.programme(ctx)
	if err != nil {
		return nil, 0, err
	}
	acts, err := s.Store.EnterpriseSupports(ctx, prog, id)
	if err != nil {
		return nil, 0, err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return nil, 0, err
	}
	locks, err := s.Store.PeriodLocks(ctx, prog)
	if err != nil {
		return nil, 0, err
	}
	order := map[string]int{}
	for i, g := range prog.TaskGroups {
		order[g.Letter] = i
	}
	var years []supportYear
	var hidden int64
	for _, a := range acts { // newest first
		if !u.CanSeeUnit(a.UnitID) {
			hidden++
			continue
		}
		if len(years) == 0 || years[len(years)-1].Year != a.Date.Year() {
			years = append(years, supportYear{Year: a.Date.Year()})
		}
		group, ok := prog.TaskGroup(a.TaskGroup)
		if !ok {
			group = nscl.TaskGroup{Letter: a.TaskGroup}
		}
		y := &years[len(years)-1]
		y.Rows = append(y.Rows, supportRow{Activity: a, Group: group, Unit: units[a.UnitID].Name,
			Editable: u.CanWriteActivities(a.UnitID) && nscl.LockOn(locks, u, a.UnitID, a.Date) == nil})
	}
	for i := range years {
		y := &years[i]
		// Stable: within a group and unit the rows stay newest first.
		slices.SortStableFunc(y.Rows, func(a, b supportRow) int {
			return cmp.Or(cmp.Compare(order[a.Group.Letter], order[b.Group.Letter]), cmp.Compare(a.Group.Letter, b.Group.Letter), cmp.Compare(a.Unit, b.Unit))
		})
		for _, row := range y.Rows {
			if n := len(y.ByGroup); n > 0 && y.ByGroup[n-1].Group.Letter == row.Group.Letter {
				y.ByGroup[n-1].Count++
			} else {
				y.ByGroup = append(y.ByGroup, groupCount{row.Group, 1})
			}
		}
	}
	return years, hidden, nil
}

func (s *Server) enterpriseMerge(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := requireEditEnterprises(u); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	from, err := s.pathEnterprise(r)
	if err != nil {
		return err
	}
	taxCode := r.PostFormValue("into")
	into, err := s.mergeTarget(r, taxCode)
	if err == nil && !confirmed(r) {
		err = s.mergeTrial(r, from, into)
	}
	if err == nil && !confirmed(r) {
		lang := language(r)
		return s.askConfirmation(w, r, confirmation{Question: translate(lang, "confirm.merge"),
			Detail: from.TaxCode + " — " + from.DisplayName() + " → " + into.TaxCode + " — " + into.DisplayName(),
			Button: translate(lang, "ent.merge_button"), Back: enterprisePath(from.ID), Nav: "enterprises"})
	}
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.MergeEnterprise(r.Context(), from.ID, into.ID) })
	}
	if formMistake(err) {
		return s.renderEnterprise(w, r, u, from, taxCode, err)
	}
	if err != nil {
		return err
	}
	s.saved(w, r, "merged", into.ID, enterprisePath(into.ID))
	return nil
}

// mergeTrial checks a merge before it is asked about, by the rule the store
// applies when it merges.
func (s *Server) mergeTrial(r *http.Request, from, into nscl.Enterprise) error {
	merged, err := s.Store.MergedInto(r.Context(), from.ID)
	if err != nil {
		return err
	}
	return nscl.ValidateMerge(from, into, len(merged))
}

// mergeTarget finds the record a merge form names by tax code; a mistake
// names the form's field.
func (s *Server) mergeTarget(r *http.Request, taxCode string) (nscl.Enterprise, error) {
	if err := nscl.ValidateTaxCode("into", taxCode); err != nil {
		return nscl.Enterprise{}, err
	}
	into, err := s.Store.EnterpriseByTaxCode(r.Context(), taxCode)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		return into, nscl.Invalid("into", "không có doanh nghiệp mã số thuế %s trong danh bạ", "no enterprise with tax code %s in the registry", taxCode)
	}
	return into, err
}

func (s *Server) enterpriseUnmerge(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanUnmerge() {
		return nscl.Forbidden("chỉ quản trị viên tách được các bản ghi đã gộp", "only administrators undo merges")
	}
	e, err := s.pathEnterprise(r)
	if err != nil {
		return err
	}
	if !confirmed(r) {
		lang := language(r)
		return s.askConfirmation(w, r, confirmation{Question: translate(lang, "confirm.unmerge"), Detail: e.TaxCode + " — " + e.DisplayName(),
			Button: translate(lang, "ent.unmerge"), Back: enterprisePath(e.ID), Nav: "enterprises"})
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UnmergeEnterprise(r.Context(), e.ID) }); err != nil {
		return err
	}
	s.saved(w, r, "unmerged", e.ID, enterprisePath(e.ID))
	return nil
}

// apiEnterpriseMatch is what the beneficiary picker needs of a record: no
// contact details.
type apiEnterpriseMatch struct {
	ID      int64  `json:"id"`
	TaxCode string `json:"tax_code"`
	Name    string `json:"name"`
}

// apiEnterprises finds up to 20 records (not merged into another) for a
// beneficiary picker.
func (s *Server) apiEnterprises(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	page, err := s.Store.Enterprises(r.Context(), store.EnterpriseFilter{Text: r.URL.Query().Get("q"), Limit: 20})
	if err != nil {
		return err
	}
	out := []apiEnterpriseMatch{}
	for _, e := range page.Enterprises {
		out = append(out, apiEnterpriseMatch{e.ID, e.TaxCode, e.Name})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
