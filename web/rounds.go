package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
	"nscl/vnfmt"
)

type roundListData struct {
	Rounds  []roundSummary
	CanOpen bool
}

type roundSummary struct {
	Round    nscl.Round
	Sent     int
	Expected int
	Own      *nscl.Submission // the user's unit's submission, when asked
}

func (s *Server) roundList(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	rounds, err := s.Store.Rounds(r.Context(), prog)
	if err != nil {
		return err
	}
	all, err := s.Store.RoundSubmissions(r.Context(), prog)
	if err != nil {
		return err
	}
	d := roundListData{CanOpen: u.CanOpenRounds()}
	for _, round := range rounds {
		subs := all[round.ID]
		sum := roundSummary{Round: round}
		sum.Sent, sum.Expected = nscl.Completeness(subs)
		for i := range subs {
			if subs[i].UnitID == u.UnitID {
				sum.Own = &subs[i]
			}
		}
		d.Rounds = append(d.Rounds, sum)
	}
	s.render(w, r, http.StatusOK, "rounds.html", view{Title: translate(language(r), "round.title"), Nav: "rounds", Data: d})
	return nil
}

type roundFormData struct {
	Round nscl.Round
	// Units are the units a round may ask, one checkbox each, when the tree
	// is small (roundChecklistUpTo); nil past that, when units are chosen
	// by subtree and one by one (Subtrees, Singles) with two unit fields.
	Units     []nscl.OrgUnit
	Documents []nscl.Document
	Chosen    map[int64]bool
	Dates     map[string]string // as typed
	Subtrees  []chosenSubtree
	Singles   []nscl.OrgUnit
	Under     string // the field "this unit and every unit under it", as typed
	Add       string // the field that adds one unit, as typed
}

// chosenSubtree is a unit chosen with every unit under it, and how many
// units of it the round asks.
type chosenSubtree struct {
	Unit nscl.OrgUnit
	Asks int64
}

// roundChecklistUpTo is the most units a tree may hold for the round form
// to list them as checkboxes; a larger tree (the Ministry's holds 5.000)
// is chosen by subtree and by unit, so the form stays small.
const roundChecklistUpTo = 100

// asked says whether a round may ask the unit: the levels that report.
func asked(unit nscl.OrgUnit) bool {
	return unit.Level == nscl.LevelDepartment || unit.Level == nscl.LevelDistrict || unit.Level == nscl.LevelUnit
}

func (s *Server) roundForm(r *http.Request) (roundFormData, error) {
	units, err := s.Store.UnitsUpTo(r.Context(), roundChecklistUpTo+1)
	if err != nil {
		return roundFormData{}, err
	}
	docs, err := s.Store.Documents(r.Context())
	if err != nil {
		return roundFormData{}, err
	}
	d := roundFormData{Documents: docs, Chosen: map[int64]bool{}, Dates: map[string]string{}}
	if len(units) > roundChecklistUpTo {
		return d, nil
	}
	for _, unit := range units {
		if asked(unit) {
			d.Units = append(d.Units, unit)
		}
	}
	return d, nil
}

func (s *Server) roundNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireRounds(); err != nil {
		return err
	}
	d, err := s.roundForm(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "round_form.html", view{Title: translate(language(r), "round.new"), Nav: "rounds", Data: d})
	return nil
}

func (s *Server) roundCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequireRounds(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	d, err := s.roundForm(r)
	if err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	unitsErr := s.readRoundUnits(r, &d)
	err = readRoundForm(r, &d, prog, unitsErr)
	if r.PostFormValue("more") != "" {
		// The button that adds the units typed: the form again, with them
		// among those chosen, or what was wrong with them.
		status := http.StatusOK
		if unitsErr != nil {
			status = statusOf(unitsErr)
		}
		s.render(w, r, status, "round_form.html", view{Title: translate(language(r), "round.new"), Nav: "rounds", Error: s.publicError(unitsErr), Mistakes: nscl.ErrorList(unitsErr), Data: d})
		return nil
	}
	if err == nil {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.CreateRound(r.Context(), prog, &d.Round) })
	}
	if err == nil {
		s.saved(w, r, "round", d.Round.ID, "/rounds/"+strconv.FormatInt(d.Round.ID, 10))
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ENOTFOUND {
		return err
	}
	s.render(w, r, statusOf(err), "round_form.html", view{Title: translate(language(r), "round.new"), Nav: "rounds", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}

// readRoundForm reads a posted round, keeping what was typed in d; a form
// that does not read whole is checked here too (the store checks one that
// does), so that it says every mistake at once.
func readRoundForm(r *http.Request, d *roundFormData, prog *nscl.Programme, unitsErr error) error {
	d.Round.Title = r.PostFormValue("title")
	d.Round.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64)
	var errs nscl.Errors
	errs.Add(unitsErr)
	dates := []struct {
		field    string
		into     *time.Time
		optional bool
	}{
		{"period_start", &d.Round.PeriodStart, false},
		{"period_end", &d.Round.PeriodEnd, false},
		{"cutoff", &d.Round.Cutoff, true},
		{"deadline", &d.Round.Deadline, false},
	}
	for _, f := range dates {
		raw := r.PostFormValue(f.field)
		d.Dates[f.field] = raw
		if raw == "" && f.optional {
			continue
		}
		var err error
		*f.into, err = nscl.ParseDate(f.field, raw)
		errs.Add(err)
	}
	if errs != nil {
		errs.Add(nscl.ValidateRound(d.Round, prog))
	}
	return errs.Err()
}

// readRoundUnits reads the units a posted round asks into d.Round.UnitIDs:
// those ticked, and, on a large tree, the subtrees chosen and the units of
// the two unit fields — a subtree asks its open units of the levels that
// report. What the fields name stays chosen when the form comes back.
func (s *Server) readRoundUnits(r *http.Request, d *roundFormData) error {
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	var errs nscl.Errors
	ids := func(field string) []int64 {
		var out []int64
		for _, raw := range r.PostForm[field] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				errs.Add(nscl.Invalid("units", "đơn vị không hợp lệ", "a unit is not valid"))
				continue
			}
			out = append(out, id)
		}
		return out
	}
	singles, subtrees := ids("units"), ids("subtree")
	d.Under, d.Add = strings.TrimSpace(r.PostFormValue("under")), strings.TrimSpace(r.PostFormValue("add"))
	if d.Add != "" {
		unit, err := s.unitPosted(r, "add", "round.add_one", d.Add)
		if err == nil {
			singles, d.Add = append(singles, unit.ID), ""
		}
		errs.Add(err)
	}
	typedUnder, underID := d.Under, int64(0)
	if d.Under != "" {
		unit, err := s.unitPosted(r, "under", "round.under", d.Under)
		if err == nil {
			subtrees, d.Under, underID = append(subtrees, unit.ID), "", unit.ID
		}
		errs.Add(err)
	}
	today := s.Now()
	chosen := map[int64]bool{}
	for _, id := range dedupe(subtrees) {
		units, err := s.Store.UnitsUnder(r.Context(), id)
		if err != nil {
			errs.Add(nscl.Invalid("under", "không có đơn vị số %d", "no unit with id %d", id))
			continue
		}
		sub := chosenSubtree{}
		for _, unit := range units {
			if unit.ID == id {
				sub.Unit = unit
			}
			if asked(unit) && unit.OpenOn(today) {
				chosen[unit.ID] = true
				sub.Asks++
			}
		}
		if sub.Asks == 0 {
			if id == underID {
				d.Under = typedUnder // the field keeps what was typed, beside its mistake
			}
			errs.Add(&nscl.Error{Code: nscl.EINVALID, Field: "under",
				Message: fmt.Sprintf("%s: %s và các đơn vị trực thuộc không có đơn vị báo cáo nào đang hoạt động (sở, quận, huyện, đơn vị)", translate(langVI, "round.under"), sub.Unit.Name),
				English: fmt.Sprintf("%s: %s has no open reporting unit (department, district, unit) in or under it", translate(langEN, "round.under"), sub.Unit.Name)})
			continue
		}
		d.Subtrees = append(d.Subtrees, sub)
	}
	singles = dedupe(singles)
	if d.Units == nil && len(singles) > 0 {
		var err error
		if d.Singles, err = s.Store.UnitsByID(r.Context(), singles); err != nil {
			return err
		}
	}
	for _, id := range singles {
		chosen[id] = true
		d.Chosen[id] = true
	}
	d.Round.UnitIDs = slices.Sorted(maps.Keys(chosen))
	return errs.Err()
}

// dedupe is ids without repeats, in their first order.
func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	return slices.DeleteFunc(ids, func(id int64) bool {
		was := seen[id]
		seen[id] = true
		return was
	})
}

type roundShowData struct {
	Round    nscl.Round
	Document *nscl.Document
	Rows     []submissionRow // the units the user may see, in the order Sort says
	Sent     int
	Expected int
	Counts   roundCounts
	Overdue  []nscl.OrgUnit // only for those who see every unit
	// SeesAll: focal staff, admins and viewers read the counts and the
	// table of every unit; a reporter reads its own unit's part alone.
	SeesAll     bool
	CanManage   bool
	CanImport   bool // may upload a file of activities
	User        nscl.User
	UserUnitRow *submissionRow
	Own         *ownRound // a reporter's unit, first on its page
	Sort        string    // the table's order: a column's key, "-" before it for descending
	Columns     []sortColumn
	// ReturnUnit is the unit whose return was refused for its comment: the
	// message is shown beside that unit's comment box, with what was typed.
	ReturnUnit    int64
	ReturnComment string
	// The table shows roundPageSize units at a time: a round may ask
	// every unit of the Ministry's tree.
	Units, PageNo, Pages int
	PageLinks            []string  // ?sort=…&page=N of each page, from 1
	Shown                [2]string // the rows shown ("201–400") and of how many units, written out
	OverdueMore          int64     // missing units beyond those Overdue names
}

// roundPageSize is how many units the round's table, and its list of
// units that have not sent, show at once.
const roundPageSize = 200

// pageRows keeps the page of the table the query asks for (?page=N, from
// 1; past the last, the last), with links to every page in the same order.
func (d *roundShowData) pageRows(r *http.Request) error {
	d.Units, d.PageNo = len(d.Rows), 1
	d.Pages = max(1, (d.Units+roundPageSize-1)/roundPageSize)
	if raw := r.URL.Query().Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return nscl.Invalid("page", "trang %q không hợp lệ", "page %q is not valid", raw)
		}
		d.PageNo = min(n, d.Pages)
	}
	if d.Pages > 1 {
		for n := 1; n <= d.Pages; n++ {
			q := url.Values{"page": {strconv.Itoa(n)}}
			if d.Sort != "" {
				q.Set("sort", d.Sort)
			}
			d.PageLinks = append(d.PageLinks, "?"+q.Encode())
		}
	}
	start := (d.PageNo - 1) * roundPageSize
	end := min(start+roundPageSize, d.Units)
	d.Rows = d.Rows[start:end]
	d.Shown = [2]string{vnfmt.Int(int64(start+1)) + "–" + vnfmt.Int(int64(end)), vnfmt.Int(int64(d.Units))}
	if len(d.Overdue) > roundPageSize {
		d.Overdue, d.OverdueMore = d.Overdue[:roundPageSize], int64(len(d.Overdue)-roundPageSize)
	}
	return nil
}

// roundCounts are the round's completeness: how many units stand where.
type roundCounts struct {
	Submitted, Approved, Returned, Late, Missing int
}

// ownRound is what a reporter needs of its own unit's submission: where it
// stands, how long is left, what reviewers said, and what it has entered.
type ownRound struct {
	Row      *submissionRow
	Due      string // "còn 3 ngày", "quá hạn 2 ngày"; "" once sent
	DueClass string // due, due-soon or overdue
	History  []reviewLine
	Recent   []nscl.Activity // the newest few of the period
	AllLink  string          // the activity list of the unit in the period
}

type reviewLine struct {
	At            time.Time
	Who, Step     string
	Comment       string
	Return, Final bool // a return (its comment stands out); an approval
}

type sortColumn struct {
	Key, Label, Href string
	Order            string // ascending or descending when the table is sorted by it
}

type submissionRow struct {
	Sub        nscl.Submission
	Unit       nscl.OrgUnit
	Timeliness nscl.Timeliness
	CanSubmit  bool
	CanReview  bool
	CanReopen  bool // undo an approval: the figures go back to pending and the unit may correct them
	Activities int
	// History is every step of the unit's submission with its comment,
	// oldest first, for those who see every unit (the table folds it).
	History []reviewLine
}

func (s *Server) roundShow(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.roundData(r, u, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "round.html", view{Title: d.Round.Title, Nav: "rounds", Data: d})
	return nil
}

// recentOwnActivities is how many of its activities a reporter sees on the
// round's page; the link to the list shows them all.
const recentOwnActivities = 5

func (s *Server) roundData(r *http.Request, u nscl.User, id int64) (roundShowData, error) {
	ctx := r.Context()
	round, subs, err := s.Store.Round(ctx, id)
	if err != nil {
		return roundShowData{}, err
	}
	units, _, err := s.unitIndex(r)
	if err != nil {
		return roundShowData{}, err
	}
	d := roundShowData{Round: round, CanManage: u.CanManageRounds(), User: u, CanImport: u.CanImport(), SeesAll: u.CanSeeAllUnits()}
	if round.DocumentID != 0 {
		docs, err := s.Store.Documents(ctx)
		if err != nil {
			return d, err
		}
		for i := range docs {
			if docs[i].ID == round.DocumentID {
				d.Document = &docs[i]
			}
		}
	}
	var only int64 // a reporter sees its own unit's count alone
	if !d.SeesAll {
		only = u.UnitID
	}
	counts, err := s.Store.RoundActivityCounts(ctx, round, only)
	if err != nil {
		return d, err
	}
	today := s.Now()
	var history map[int64][]nscl.SubmissionEvent // one query for the whole table
	if d.SeesAll {
		if history, err = s.Store.RoundHistory(ctx, round.ID); err != nil {
			return d, err
		}
	}
	d.Sent, d.Expected = nscl.Completeness(subs)
	for _, sub := range subs {
		row := submissionRow{Sub: sub, Unit: units[sub.UnitID], Timeliness: round.Timeliness(sub, today),
			CanSubmit:  u.CanSubmitFor(sub.UnitID) && (sub.Status == nscl.StatusDraft || sub.Status == nscl.StatusReturned),
			CanReview:  u.CanManageRounds() && sub.Status == nscl.StatusSubmitted,
			CanReopen:  u.CanManageRounds() && sub.Status == nscl.StatusApproved,
			Activities: counts[sub.UnitID], History: reviewLines(language(r), history[sub.UnitID])}
		d.Counts.add(row)
		if row.Timeliness == nscl.Missing && d.SeesAll {
			d.Overdue = append(d.Overdue, row.Unit)
		}
		if u.CanSeeUnit(sub.UnitID) {
			d.Rows = append(d.Rows, row) // a reporter sees its own unit's line, and the totals
		}
	}
	d.Sort = sortRows(d.Rows, r.URL.Query().Get("sort"))
	d.Columns = sortColumns(language(r), d.Sort)
	for i := range d.Rows {
		if d.Rows[i].Unit.ID == u.UnitID {
			d.UserUnitRow = &d.Rows[i]
		}
	}
	if d.UserUnitRow != nil && !d.SeesAll {
		if d.Own, err = s.ownRound(r, round, d.UserUnitRow, today); err != nil {
			return d, err
		}
	}
	return d, d.pageRows(r)
}

func (c *roundCounts) add(row submissionRow) {
	switch row.Sub.Status {
	case nscl.StatusSubmitted:
		c.Submitted++
	case nscl.StatusApproved:
		c.Approved++
	case nscl.StatusReturned:
		c.Returned++
	}
	switch row.Timeliness {
	case nscl.Late:
		c.Late++
	case nscl.Missing:
		c.Missing++
	}
}

// ownRound gathers a reporter's own part of the round's page.
func (s *Server) ownRound(r *http.Request, round nscl.Round, row *submissionRow, now time.Time) (*ownRound, error) {
	ctx, lang := r.Context(), language(r)
	own := &ownRound{Row: row, AllLink: "/activities?" + url.Values{"unit": {row.Unit.Code},
		"from": {formatDay(round.PeriodStart)}, "to": {formatDay(round.PeriodEnd)}}.Encode()}
	own.Due, own.DueClass = dueText(lang, round, row.Sub, now)
	events, err := s.Store.SubmissionHistory(ctx, round.ID, row.Unit.ID)
	if err != nil {
		return nil, err
	}
	own.History = reviewLines(lang, events)
	page, err := s.Store.Activities(ctx, &nscl.Programme{ID: round.ProgrammeID},
		store.ActivityFilter{UnitID: row.Unit.ID, From: round.PeriodStart, To: round.PeriodEnd, Limit: recentOwnActivities})
	if err != nil {
		return nil, err
	}
	own.Recent = page.Activities
	return own, nil
}

// reviewLines are a submission's steps as its history reads them.
func reviewLines(lang string, events []nscl.SubmissionEvent) []reviewLine {
	var lines []reviewLine
	for _, e := range events {
		who := e.UserName
		if who == "" {
			who = "—" // a step from before the history named its users
		}
		lines = append(lines, reviewLine{At: e.At, Who: who, Step: translate(lang, stepKeys[e.Step]), Comment: e.Comment,
			Return: e.Step == nscl.StepReturn || e.Step == nscl.StepReopen, Final: e.Step == nscl.StepApprove})
	}
	return lines
}

var stepKeys = map[nscl.ReviewStep]string{
	nscl.StepSubmit:  "round.step.submit",
	nscl.StepReturn:  "round.step.return",
	nscl.StepApprove: "round.step.approve",
	nscl.StepReopen:  "round.step.reopen",
}

// dueText says how long a unit that has not sent its report has left, in
// whole days of Vietnam's calendar; nothing once it has sent.
func dueText(lang string, round nscl.Round, sub nscl.Submission, now time.Time) (text, class string) {
	if sub.Status == nscl.StatusSubmitted || sub.Status == nscl.StatusApproved {
		return "", ""
	}
	switch days := round.DaysLeft(now); {
	case days > 3:
		return fmt.Sprintf(translate(lang, "round.days_left"), vnfmt.Int(int64(days))), "due"
	case days > 1:
		return fmt.Sprintf(translate(lang, "round.days_left"), vnfmt.Int(int64(days))), "due-soon"
	case days == 1:
		return translate(lang, "round.day_left"), "due-soon"
	case days == 0:
		return translate(lang, "round.due_today"), "due-soon"
	case days == -1:
		return translate(lang, "round.day_over"), "overdue"
	default:
		return fmt.Sprintf(translate(lang, "round.days_over"), vnfmt.Int(int64(-days))), "overdue"
	}
}

// roundSorts are the orders the round's table may take, each by one
// column; units that tie keep the order of their names.
var roundSorts = map[string]func(a, b submissionRow) int{
	"unit":       func(a, b submissionRow) int { return 0 },
	"activities": func(a, b submissionRow) int { return cmp.Compare(a.Activities, b.Activities) },
	// Those waiting for the reviewer first, approved last.
	"status": func(a, b submissionRow) int { return cmp.Compare(statusRank[a.Sub.Status], statusRank[b.Sub.Status]) },
	// The overdue first, then the late, then those still in time.
	"timeliness": func(a, b submissionRow) int {
		return cmp.Compare(timelinessRank[a.Timeliness], timelinessRank[b.Timeliness])
	},
	// Never sent counts as earliest, so that it comes first.
	"submitted": func(a, b submissionRow) int { return a.Sub.SubmittedAt.Compare(b.Sub.SubmittedAt) },
}

var statusRank = map[nscl.SubmissionStatus]int{nscl.StatusSubmitted: 0, nscl.StatusReturned: 1, nscl.StatusDraft: 2, nscl.StatusApproved: 3}

var timelinessRank = map[nscl.Timeliness]int{nscl.Missing: 0, nscl.Late: 1, nscl.Pending: 2, nscl.OnTime: 3}

// roundColumns are the table's sortable columns, in their order, with
// their headings' catalogue keys.
var roundColumns = []struct{ key, label string }{
	{"unit", "dash.unit"}, {"activities", "nav.activities"}, {"status", "round.status"},
	{"timeliness", "round.timeliness"}, {"submitted", "round.submitted_at"},
}

// sortRows orders rows as asked ("status", "-status" for the reverse) and
// returns the order taken: by unit name when asked for none it knows.
func sortRows(rows []submissionRow, asked string) string {
	key, desc := strings.CutPrefix(asked, "-")
	by, ok := roundSorts[key]
	if !ok {
		key, desc, by = "unit", false, roundSorts["unit"]
	}
	names := make(map[int64]string, len(rows))
	for _, row := range rows {
		names[row.Unit.ID] = nscl.SearchKey(row.Unit.Name)
	}
	slices.SortStableFunc(rows, func(a, b submissionRow) int {
		c := by(a, b)
		if key == "unit" {
			c = cmp.Or(cmp.Compare(names[a.Unit.ID], names[b.Unit.ID]), cmp.Compare(a.Unit.Name, b.Unit.Name))
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(names[a.Unit.ID], names[b.Unit.ID]), cmp.Compare(a.Unit.ID, b.Unit.ID))
	})
	if desc {
		return "-" + key
	}
	return key
}

// sortColumns are the table's headings, each a link that sorts by it: in
// the reverse order when the table is sorted by it already.
func sortColumns(lang, current string) []sortColumn {
	out := make([]sortColumn, 0, len(roundColumns))
	for _, c := range roundColumns {
		col := sortColumn{Key: c.key, Label: translate(lang, c.label), Href: "?sort=" + c.key}
		switch current {
		case c.key:
			col.Order, col.Href = "ascending", "?sort=-"+c.key
		case "-" + c.key:
			col.Order = "descending"
		}
		out = append(out, col)
	}
	return out
}

// roundAct submits, approves or returns one unit's submission from the
// round page. A review is asked about first (confirm=1), once it is known
// that it may be made.
func (s *Server) roundAct(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	unitID, err := pathID(r, "unit")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	action := store.SubmissionAction(r.PathValue("action"))
	review := action == store.ActionApprove || action == store.ActionReturn
	if review && !confirmed(r) {
		err = s.confirmReview(w, r, u, id, unitID, action)
	} else {
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
			_, err := tx.ActOnSubmission(r.Context(), id, unitID, version, action, r.PostFormValue("comment"))
			return err
		})
		if err == nil {
			done := map[store.SubmissionAction]string{store.ActionSubmit: "submitted", store.ActionApprove: "approved", store.ActionReturn: "returned"}[action]
			s.saved(w, r, done, id, "/rounds/"+strconv.FormatInt(id, 10))
			return nil
		}
	}
	if err == nil {
		return nil
	}
	if c := nscl.ErrorCode(err); c != nscl.EINVALID && c != nscl.ECONFLICT {
		return err
	}
	d, derr := s.roundData(r, u, id)
	if derr != nil {
		return derr
	}
	if action == store.ActionReturn && nscl.ErrorField(err) == "comment" {
		d.ReturnUnit, d.ReturnComment = unitID, r.PostFormValue("comment")
	}
	s.render(w, r, statusOf(err), "round.html", view{Title: d.Round.Title, Nav: "rounds", Error: s.publicError(err), Mistakes: nscl.ErrorList(err), Data: d})
	return nil
}

// confirmReview asks before a submission is approved or returned. The
// review is tried first on a copy of the submission, so that one the
// domain refuses (not submitted, no comment) is refused at once.
func (s *Server) confirmReview(w http.ResponseWriter, r *http.Request, u nscl.User, roundID, unitID int64, action store.SubmissionAction) error {
	if err := u.RequireReview(); err != nil {
		return err
	}
	round, subs, err := s.Store.Round(r.Context(), roundID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(subs, func(sub nscl.Submission) bool { return sub.UnitID == unitID })
	if i < 0 {
		return nscl.NotFound("unit", "đợt báo cáo này không yêu cầu đơn vị số %d báo cáo", "this round does not ask unit %d to report", unitID)
	}
	trial := subs[i]
	lang := language(r)
	c := confirmation{Back: "/rounds/" + strconv.FormatInt(roundID, 10), Nav: "rounds"}
	if action == store.ActionApprove {
		err = trial.Approve(u.ID, s.Now())
		c.Question, c.Button = translate(lang, "confirm.approve"), translate(lang, "round.approve")
	} else {
		c.Question, c.Button = translate(lang, "confirm.return"), translate(lang, "round.return")
		if trial.Status == nscl.StatusApproved {
			c.Question, c.Button = translate(lang, "confirm.reopen"), translate(lang, "round.reopen")
		}
		err = trial.Return(u.ID, r.PostFormValue("comment"), s.Now())
		c.Editable, c.EditableLabel = "comment", translate(lang, "round.comment")
	}
	if err != nil {
		return err
	}
	unit, err := s.Store.UnitByID(r.Context(), unitID)
	if err != nil {
		return err
	}
	c.Detail = unit.Name + " — " + round.Title
	return s.askConfirmation(w, r, c)
}
