package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"nscl"
	"nscl/store"
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
	Round     nscl.Round
	Units     []nscl.OrgUnit
	Documents []nscl.Document
	Chosen    map[int64]bool
	Dates     map[string]string // as typed
}

func (s *Server) roundForm(r *http.Request) (roundFormData, error) {
	units, err := s.Store.Units(r.Context())
	if err != nil {
		return roundFormData{}, err
	}
	docs, err := s.Store.Documents(r.Context())
	if err != nil {
		return roundFormData{}, err
	}
	d := roundFormData{Documents: docs, Chosen: map[int64]bool{}, Dates: map[string]string{}}
	for _, unit := range units {
		if unit.Level == nscl.LevelDepartment || unit.Level == nscl.LevelDistrict || unit.Level == nscl.LevelUnit {
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
	err = readRoundForm(r, &d, prog)
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
func readRoundForm(r *http.Request, d *roundFormData, prog *nscl.Programme) error {
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	d.Round.Title = r.PostFormValue("title")
	d.Round.DocumentID, _ = strconv.ParseInt(r.PostFormValue("document"), 10, 64)
	var errs nscl.Errors
	for _, raw := range r.PostForm["units"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			errs.Add(nscl.Invalid("units", "đơn vị không hợp lệ", "a unit is not valid"))
			continue
		}
		d.Round.UnitIDs = append(d.Round.UnitIDs, id)
		d.Chosen[id] = true
	}
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

type roundShowData struct {
	Round       nscl.Round
	Document    *nscl.Document
	Rows        []submissionRow
	Sent        int
	Expected    int
	Overdue     []nscl.OrgUnit
	CanManage   bool
	CanImport   bool // may upload a file of activities
	User        nscl.User
	UserUnitRow *submissionRow
}

type submissionRow struct {
	Sub        nscl.Submission
	Unit       nscl.OrgUnit
	Timeliness nscl.Timeliness
	CanSubmit  bool
	CanReview  bool
	CanReopen  bool // undo an approval: the figures go back to pending and the unit may correct them
	Activities int
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
	d := roundShowData{Round: round, CanManage: u.CanManageRounds(), User: u, CanImport: u.CanImport()}
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
	today := s.Now()
	d.Sent, d.Expected = nscl.Completeness(subs)
	for _, sub := range subs {
		row := submissionRow{Sub: sub, Unit: units[sub.UnitID], Timeliness: round.Timeliness(sub, today),
			CanSubmit: u.CanSubmitFor(sub.UnitID) && (sub.Status == nscl.StatusDraft || sub.Status == nscl.StatusReturned),
			CanReview: u.CanManageRounds() && sub.Status == nscl.StatusSubmitted,
			CanReopen: u.CanManageRounds() && sub.Status == nscl.StatusApproved}
		if row.Timeliness == nscl.Missing {
			d.Overdue = append(d.Overdue, row.Unit)
		}
		if !u.CanSeeUnit(sub.UnitID) {
			continue // a reporter sees its own unit's line, and the totals
		}
		row.Activities, err = s.Store.CountActivities(ctx, &nscl.Programme{ID: round.ProgrammeID}, store.ActivityFilter{UnitID: sub.UnitID, From: round.PeriodStart, To: round.PeriodEnd})
		if err != nil {
			return d, err
		}
		d.Rows = append(d.Rows, row)
		if sub.UnitID == u.UnitID {
			d.UserUnitRow = &d.Rows[len(d.Rows)-1]
		}
	}
	return d, nil
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
