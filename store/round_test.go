package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"nscl"
)

// roleUsers are users of each role in the fixture's units.
type roleUsers struct {
	admin, focal, viewer nscl.User // of the province
	reporter1, reporter2 nscl.User // of district1 and district2
	deptReporter         nscl.User // of the department
	system               nscl.User // no user: writes made without WithActor
}

func newRoleUsers(t *testing.T, s *Store, f *fixture) *roleUsers {
	t.Helper()
	return &roleUsers{
		admin:        newUser(t, s, "admin@hcm.gov.vn", nscl.RoleAdmin, f.province),
		focal:        newUser(t, s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province),
		viewer:       newUser(t, s, "viewer@hcm.gov.vn", nscl.RoleViewer, f.province),
		reporter1:    newUser(t, s, "reporter1@hcm.gov.vn", nscl.RoleReporter, f.district1),
		reporter2:    newUser(t, s, "reporter2@hcm.gov.vn", nscl.RoleReporter, f.district2),
		deptReporter: newUser(t, s, "dept@hcm.gov.vn", nscl.RoleReporter, f.department),
	}
}

// actorContext returns a context writing as u, or the system's when u is the zero user.
func actorContext(ctx context.Context, u nscl.User) context.Context {
	if u.ID == 0 {
		return ctx
	}
	return WithActor(ctx, u.ID)
}

// userLabel names a user in messages.
func userLabel(u nscl.User) string {
	if u.ID == 0 {
		return "the system"
	}
	return string(u.Role) + " " + u.Email
}

// firstHalf2022 asks units to report on January to June 2022.
func firstHalf2022(units ...nscl.OrgUnit) *nscl.Round {
	r := &nscl.Round{Title: "Báo cáo 6 tháng đầu năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-06-30"),
		Cutoff: day("2022-06-15"), Deadline: day("2022-07-10")}
	for _, u := range units {
		r.UnitIDs = append(r.UnitIDs, u.ID)
	}
	return r
}

func createRound(t *testing.T, s *Store, f *fixture, r *nscl.Round) {
	t.Helper()
	if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateRound(t.Context(), f.prog, r) }); err != nil {
		t.Fatalf("create round: %v", err)
	}
}

// actOnSubmission runs one action on a submission as u.
func actOnSubmission(t *testing.T, s *Store, u nscl.User, r *nscl.Round, unit nscl.OrgUnit, version int64, action SubmissionAction, comment string) (nscl.Submission, error) {
	t.Helper()
	var sub nscl.Submission
	ctx := actorContext(t.Context(), u)
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		sub, err = tx.ActOnSubmission(ctx, r.ID, unit.ID, version, action, comment)
		return err
	})
	return sub, err
}

// mustActOnSubmission runs an action that must go through and returns the submission after it.
func mustActOnSubmission(t *testing.T, s *Store, u nscl.User, r *nscl.Round, unit nscl.OrgUnit, version int64, action SubmissionAction, comment string) nscl.Submission {
	t.Helper()
	sub, err := actOnSubmission(t, s, u, r, unit, version, action, comment)
	if err != nil {
		t.Fatalf("%s: %s of unit %d: %v", userLabel(u), action, unit.ID, err)
	}
	return sub
}

// submissionOf reads a unit's submission to round r back from the store.
func submissionOf(t *testing.T, s *Store, r *nscl.Round, unit nscl.OrgUnit) nscl.Submission {
	t.Helper()
	_, subs, err := s.Round(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(subs, func(sub nscl.Submission) bool { return sub.UnitID == unit.ID })
	if i < 0 {
		t.Fatalf("round %d has no submission of unit %d", r.ID, unit.ID)
	}
	return subs[i]
}

func sameRound(a, b nscl.Round) bool {
	return a.ID == b.ID && a.ProgrammeID == b.ProgrammeID && a.Title == b.Title && a.DocumentID == b.DocumentID &&
		a.PeriodStart.Equal(b.PeriodStart) && a.PeriodEnd.Equal(b.PeriodEnd) && a.Cutoff.Equal(b.Cutoff) &&
		a.Deadline.Equal(b.Deadline) && slices.Equal(a.UnitIDs, b.UnitIDs) && a.Version == b.Version
}

func sameSubmission(a, b nscl.Submission) bool {
	return a.RoundID == b.RoundID && a.UnitID == b.UnitID && a.Status == b.Status && a.SubmittedAt.Equal(b.SubmittedAt) &&
		a.ReviewedAt.Equal(b.ReviewedAt) && a.ReviewerID == b.ReviewerID && a.Comment == b.Comment && a.Version == b.Version
}

func TestCreateRound(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		// Units given out of id order; read back in it.
		first := firstHalf2022(f.department, f.district1, f.district2)
		first.Title = "  Ba\u0301o ca\u0301o 6 tha\u0301ng đầu năm 2022 "
		first.DocumentID = f.planDecision.ID
		createRound(t, s, f, first)
		if first.ID == 0 || first.Version != 1 || first.ProgrammeID != f.prog.ID || first.Title != "Báo cáo 6 tháng đầu năm 2022" {
			t.Fatalf("after create: %+v", first)
		}
		// A round without cut-off date or document.
		second := &nscl.Round{Title: "Báo cáo năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-12-31"),
			Deadline: day("2023-01-20"), UnitIDs: []int64{f.implementer.ID}}
		createRound(t, s, f, second)

		wantFirst := *first
		wantFirst.UnitIDs = []int64{f.district1.ID, f.district2.ID, f.department.ID}
		slices.Sort(wantFirst.UnitIDs)
		got, subs, err := s.Round(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameRound(got, wantFirst) {
			t.Errorf("Round read back as\n%+v\nwant\n%+v", got, wantFirst)
		}
		// One draft submission per unit asked, never submitted nor reviewed.
		if len(subs) != 3 {
			t.Fatalf("%d submissions, want 3: %+v", len(subs), subs)
		}
		for i, sub := range subs {
			want := nscl.Submission{RoundID: first.ID, UnitID: wantFirst.UnitIDs[i], Status: nscl.StatusDraft, Version: 1}
			if !sameSubmission(sub, want) || !sub.SubmittedAt.IsZero() || !sub.ReviewedAt.IsZero() {
				t.Errorf("submission %d: %+v, want %+v", i, sub, want)
			}
		}
		if sent, expected := nscl.Completeness(subs); sent != 0 || expected != 3 {
			t.Errorf("completeness of a new round: %d of %d, want 0 of 3", sent, expected)
		}

		rounds, err := s.Rounds(ctx, f.prog)
		if err != nil {
			t.Fatal(err)
		}
		// Newest period first.
		if len(rounds) != 2 || !sameRound(rounds[0], *second) || !sameRound(rounds[1], wantFirst) {
			t.Errorf("Rounds:\n%+v\nwant\n%+v\n%+v", rounds, *second, wantFirst)
		}
		if !rounds[0].Cutoff.IsZero() || rounds[0].DocumentID != 0 {
			t.Errorf("round without cut-off and document read back with %v, %d", rounds[0].Cutoff, rounds[0].DocumentID)
		}
		if _, _, err := s.Round(ctx, 999999); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("unknown round: %v, want ENOTFOUND", err)
		}
		if entries, err := s.AuditLog(ctx, AuditFilter{Entity: "round", Action: "create"}); err != nil || len(entries) != 2 ||
			entries[0].EntityID != fmt.Sprint(second.ID) || entries[1].EntityID != fmt.Sprint(first.ID) {
			t.Errorf("audit of the rounds: %+v, %v", entries, err)
		}
	})
}

func TestCreateRoundRefusesBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		for _, tc := range []struct {
			name        string
			edit        func(r *nscl.Round)
			code, field string
		}{
			{"end before start", func(r *nscl.Round) { r.PeriodEnd = day("2021-12-31") }, nscl.EINVALID, "period_end"},
			{"no units", func(r *nscl.Round) { r.UnitIDs = nil }, nscl.EINVALID, "units"},
			{"period after the programme", func(r *nscl.Round) {
				r.PeriodStart, r.PeriodEnd, r.Cutoff, r.Deadline = day("2031-01-01"), day("2031-06-30"), time.Time{}, day("2031-07-10")
			}, nscl.EINVALID, "period_start"},
			{"period reaching past the programme", func(r *nscl.Round) { r.PeriodEnd = day("2031-01-31") }, nscl.EINVALID, "period_end"},
			{"blank title", func(r *nscl.Round) { r.Title = "  " }, nscl.EINVALID, "title"},
			{"no deadline", func(r *nscl.Round) { r.Deadline = time.Time{} }, nscl.EINVALID, "deadline"},
			{"unknown unit", func(r *nscl.Round) { r.UnitIDs = append(r.UnitIDs, 999999) }, nscl.ENOTFOUND, "unit"},
			{"unit asked twice", func(r *nscl.Round) { r.UnitIDs = append(r.UnitIDs, f.district1.ID) }, nscl.EINVALID, "units"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpAll(t, s)
				r := firstHalf2022(f.district1, f.district2)
				tc.edit(r)
				wantError(t, s.Update(t.Context(), func(tx *Tx) error { return tx.CreateRound(t.Context(), f.prog, r) }), tc.code, tc.field)
				wantAllUnchanged(t, s, before)
			})
		}
		if rounds, err := s.Rounds(t.Context(), f.prog); err != nil || len(rounds) != 0 {
			t.Errorf("rounds after refused creates: %+v, %v", rounds, err)
		}
	})
}

// auditedStatuses reads the status out of an audit entry's Before and After JSON.
func auditedStatuses(t *testing.T, e AuditEntry) (before, after nscl.SubmissionStatus) {
	t.Helper()
	for _, side := range []struct {
		json   string
		status *nscl.SubmissionStatus
	}{{e.Before, &before}, {e.After, &after}} {
		var sub nscl.Submission
		if err := json.Unmarshal([]byte(side.json), &sub); err != nil {
			t.Fatalf("audit entry %d: %q is not a submission in JSON: %v", e.ID, side.json, err)
		}
		*side.status = sub.Status
	}
	return before, after
}

func TestActOnSubmission(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		r := firstHalf2022(f.district1, f.district2)
		createRound(t, s, f, r)
		submitAt := time.Date(2022, 7, 8, 16, 45, 30, 0, time.UTC)
		s.Now = func() time.Time { return submitAt }

		// Refusals change nothing.
		refuse := func(name string, u nscl.User, unit nscl.OrgUnit, version int64, action SubmissionAction, comment, code, field string) {
			t.Helper()
			before := dumpAll(t, s)
			_, err := actOnSubmission(t, s, u, r, unit, version, action, comment)
			if nscl.ErrorCode(err) != code || nscl.ErrorField(err) != field {
				t.Errorf("%s: %s by %s: got %v, want %s on %q", name, action, userLabel(u), err, code, field)
			}
			wantAllUnchanged(t, s, before)
		}
		refuse("another unit's submission", p.reporter1, f.district2, 1, ActionSubmit, "", nscl.EFORBIDDEN, "")
		refuse("department reporter", p.deptReporter, f.district1, 1, ActionSubmit, "", nscl.EFORBIDDEN, "")
		refuse("viewer submits", p.viewer, f.district1, 1, ActionSubmit, "", nscl.EFORBIDDEN, "")
		refuse("admin submits", p.admin, f.district1, 1, ActionSubmit, "", nscl.EFORBIDDEN, "")
		refuse("no user", p.system, f.district1, 1, ActionSubmit, "", nscl.EUNAUTHORIZED, "")
		refuse("reporter approves", p.reporter1, f.district1, 1, ActionApprove, "", nscl.EFORBIDDEN, "")
		refuse("admin approves", p.admin, f.district1, 1, ActionApprove, "", nscl.EFORBIDDEN, "")
		refuse("approve a draft", p.focal, f.district1, 1, ActionApprove, "", nscl.ECONFLICT, "status")
		refuse("return a draft", p.focal, f.district1, 1, ActionReturn, "Thiếu số liệu", nscl.ECONFLICT, "status")
		refuse("unit not asked", p.deptReporter, f.department, 1, ActionSubmit, "", nscl.ENOTFOUND, "unit")
		refuse("unknown action", p.focal, f.district1, 1, "reject", "", nscl.EINVALID, "action")

		// The reporter submits its unit's report.
		sub := mustActOnSubmission(t, s, p.reporter1, r, f.district1, 1, ActionSubmit, "")
		want := nscl.Submission{RoundID: r.ID, UnitID: f.district1.ID, Status: nscl.StatusSubmitted, SubmittedAt: submitAt, Version: 2}
		if !sameSubmission(sub, want) {
			t.Errorf("after submitting: %+v, want %+v", sub, want)
		}
		if stored := submissionOf(t, s, r, f.district1); !sameSubmission(stored, want) {
			t.Errorf("stored after submitting: %+v, want %+v", stored, want)
		}
		if got := r.Timeliness(submissionOf(t, s, r, f.district1), submitAt); got != nscl.OnTime {
			t.Errorf("submitted on %v for a deadline of %v: %s, want on time", submitAt, r.Deadline, got)
		}

		refuse("submit twice", p.reporter1, f.district1, 2, ActionSubmit, "", nscl.ECONFLICT, "status")
		refuse("stale version, submit", p.reporter1, f.district1, 1, ActionSubmit, "", nscl.ECONFLICT, "version")
		refuse("stale version, approve", p.focal, f.district1, 1, ActionApprove, "", nscl.ECONFLICT, "version")
		refuse("future version", p.focal, f.district1, 3, ActionApprove, "", nscl.ECONFLICT, "version")
		refuse("reporter returns", p.reporter1, f.district1, 2, ActionReturn, "Tự trả lại", nscl.EFORBIDDEN, "")
		refuse("viewer approves", p.viewer, f.district1, 2, ActionApprove, "", nscl.EFORBIDDEN, "")
		refuse("return without comment", p.focal, f.district1, 2, ActionReturn, "", nscl.EINVALID, "comment")
		refuse("return with a blank comment", p.focal, f.district1, 2, ActionReturn, " \n ", nscl.EINVALID, "comment")

		// The focal point returns it with a comment.
		reviewAt := submitAt.Add(26 * time.Hour)
		s.Now = func() time.Time { return reviewAt }
		sub = mustActOnSubmission(t, s, p.focal, r, f.district1, 2, ActionReturn, "  Thiếu số liệu tháng 5 ")
		want = nscl.Submission{RoundID: r.ID, UnitID: f.district1.ID, Status: nscl.StatusReturned, SubmittedAt: submitAt,
			ReviewedAt: reviewAt, ReviewerID: p.focal.ID, Comment: "Thiếu số liệu tháng 5", Version: 3}
		if stored := submissionOf(t, s, r, f.district1); !sameSubmission(sub, want) || !sameSubmission(stored, want) {
			t.Errorf("after returning: %+v, stored %+v; want %+v", sub, stored, want)
		}
		refuse("approve a returned submission", p.focal, f.district1, 3, ActionApprove, "", nscl.ECONFLICT, "status")

		// The reporter fixes and submits again, after the deadline.
		resubmitAt := time.Date(2022, 7, 12, 8, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return resubmitAt }
		sub = mustActOnSubmission(t, s, p.reporter1, r, f.district1, 3, ActionSubmit, "")
		if sub.Status != nscl.StatusSubmitted || !sub.SubmittedAt.Equal(resubmitAt) || sub.Version != 4 {
			t.Errorf("after resubmitting: %+v", sub)
		}

		// The focal point approves; the comment of the return is cleared.
		approveAt := resubmitAt.Add(3 * time.Hour)
		s.Now = func() time.Time { return approveAt }
		sub = mustActOnSubmission(t, s, p.focal, r, f.district1, 4, ActionApprove, "")
		want = nscl.Submission{RoundID: r.ID, UnitID: f.district1.ID, Status: nscl.StatusApproved, SubmittedAt: resubmitAt,
			ReviewedAt: approveAt, ReviewerID: p.focal.ID, Version: 5}
		if stored := submissionOf(t, s, r, f.district1); !sameSubmission(sub, want) || !sameSubmission(stored, want) {
			t.Errorf("after approving: %+v, stored %+v; want %+v", sub, stored, want)
		}
		refuse("submit an approved submission", p.reporter1, f.district1, 5, ActionSubmit, "", nscl.ECONFLICT, "status")
		refuse("undo an approval without a comment", p.focal, f.district1, 5, ActionReturn, "", nscl.EINVALID, "comment")
		refuse("reporter undoes an approval", p.reporter1, f.district1, 5, ActionReturn, "Muộn", nscl.EFORBIDDEN, "")
		refuse("approve twice", p.focal, f.district1, 5, ActionApprove, "", nscl.ECONFLICT, "status")

		// Only the unit submits: the focal point, who reviews, may not submit
		// for it. district2 was untouched until then.
		if d2 := submissionOf(t, s, r, f.district2); d2.Status != nscl.StatusDraft || d2.Version != 1 {
			t.Errorf("district2's submission changed by district1's: %+v", d2)
		}
		refuse("focal submits for a unit", p.focal, f.district2, 1, ActionSubmit, "", nscl.EFORBIDDEN, "")
		mustActOnSubmission(t, s, p.reporter2, r, f.district2, 1, ActionSubmit, "")
		_, subs, err := s.Round(t.Context(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sent, expected := nscl.Completeness(subs); sent != 2 || expected != 2 {
			t.Errorf("completeness: %d of %d, want 2 of 2", sent, expected)
		}

		// Each action is in the audit log, newest first, with who did it and
		// the submission before and after.
		entries, err := s.AuditLog(t.Context(), AuditFilter{Entity: "submission"})
		if err != nil {
			t.Fatal(err)
		}
		type line struct {
			action, entityID string
			user             nscl.User
			before, after    nscl.SubmissionStatus
		}
		d1, d2 := fmt.Sprintf("%d/%d", r.ID, f.district1.ID), fmt.Sprintf("%d/%d", r.ID, f.district2.ID)
		wantLines := []line{
			{"submit", d2, p.reporter2, nscl.StatusDraft, nscl.StatusSubmitted},
			{"approve", d1, p.focal, nscl.StatusSubmitted, nscl.StatusApproved},
			{"submit", d1, p.reporter1, nscl.StatusReturned, nscl.StatusSubmitted},
			{"return", d1, p.focal, nscl.StatusSubmitted, nscl.StatusReturned},
			{"submit", d1, p.reporter1, nscl.StatusDraft, nscl.StatusSubmitted},
		}
		if len(entries) != len(wantLines) {
			t.Fatalf("%d submission entries in the audit log, want %d: %+v", len(entries), len(wantLines), entries)
		}
		for i, e := range entries {
			w := wantLines[i]
			before, after := auditedStatuses(t, e)
			if e.Action != w.action || e.EntityID != w.entityID || e.UserID != w.user.ID || e.UserEmail != w.user.Email || before != w.before || after != w.after {
				t.Errorf("audit entry %d: %s %s by %d %s, %s → %s; want %s %s by %d %s, %s → %s", i,
					e.Action, e.EntityID, e.UserID, e.UserEmail, before, after, w.action, w.entityID, w.user.ID, w.user.Email, w.before, w.after)
			}
			if i > 0 && e.ID >= entries[i-1].ID {
				t.Errorf("audit entries not newest first: %d after %d", e.ID, entries[i-1].ID)
			}
		}
		if !entries[0].At.Equal(approveAt) || !entries[len(entries)-1].At.Equal(submitAt) {
			t.Errorf("audit times %v … %v, want the store's clock %v … %v", entries[0].At, entries[len(entries)-1].At, approveAt, submitAt)
		}
	})
}

// activityWriter writes activities of the fixture as one user, each write
// in a transaction of its own.
type activityWriter struct {
	t *testing.T
	s *Store
	f *fixture
}

func (w activityWriter) create(u nscl.User, a *nscl.Activity) error {
	ctx := actorContext(w.t.Context(), u)
	return w.s.Update(ctx, func(tx *Tx) error { return tx.CreateActivity(ctx, w.f.prog, a) })
}

func (w activityWriter) update(u nscl.User, a *nscl.Activity) error {
	ctx := actorContext(w.t.Context(), u)
	return w.s.Update(ctx, func(tx *Tx) error { return tx.UpdateActivity(ctx, w.f.prog, a) })
}

func (w activityWriter) delete(u nscl.User, id, version int64) error {
	ctx := actorContext(w.t.Context(), u)
	return w.s.Update(ctx, func(tx *Tx) error { return tx.DeleteActivity(ctx, w.f.prog, id, version) })
}

// stored reads an activity back.
func (w activityWriter) stored(id int64) nscl.Activity {
	w.t.Helper()
	a, err := w.s.Activity(w.t.Context(), id)
	if err != nil {
		w.t.Fatalf("activity %d: %v", id, err)
	}
	return a
}

// must fails the test when a write that must go through is refused.
func (w activityWriter) must(what string, u nscl.User, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s by %s: %v", what, userLabel(u), err)
	}
	checkTotalsAgree(w.t, w.s)
}

// refused checks that each write of u is forbidden and leaves the database
// as it was, kept totals agreeing with a recount.
func (w activityWriter) refused(what string, u nscl.User, write func() error) {
	w.t.Helper()
	before := dumpAll(w.t, w.s)
	err := write()
	if nscl.ErrorCode(err) != nscl.EFORBIDDEN {
		w.t.Errorf("%s by %s: got %v, want EFORBIDDEN", what, userLabel(u), err)
	}
	wantAllUnchanged(w.t, w.s, before)
	checkTotalsAgree(w.t, w.s)
}

// refusedAll checks that u may neither create an activity of unit on
// date, nor change or delete the stored activity id, nor move it to date.
func (w activityWriter) refusedAll(u nscl.User, unit nscl.OrgUnit, date string, id int64) {
	w.t.Helper()
	w.refused("create on "+date, u, func() error { return w.create(u, activity(unit, date, qty(mTraining, 1))) })
	edit := w.stored(id)
	edit.Quantities = []nscl.Quantity{qty(mTraining, 77)}
	w.refused(fmt.Sprintf("update of activity %d", id), u, func() error { return w.update(u, &edit) })
	w.refused(fmt.Sprintf("delete of activity %d", id), u, func() error { return w.delete(u, id, edit.Version) })
}

func TestActivityWritePermissions(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		w := activityWriter{t, s, f}

		// A reporter writes its own unit's activities.
		mine := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		w.must("create", p.reporter1, w.create(p.reporter1, mine))
		mine.Quantities = []nscl.Quantity{qty(mTraining, 12)}
		w.must("update", p.reporter1, w.update(p.reporter1, mine))
		if got := w.stored(mine.ID); got.Version != 2 || got.Quantities[0].Value != 12 {
			t.Errorf("after the reporter's update: %+v", got)
		}
		theirs := activity(f.district2, "2022-03-01", qty(mTraining, 5))
		w.must("create", p.system, w.create(p.system, theirs))

		// … but not another unit's, however it goes about it.
		w.refusedAll(p.reporter1, f.district2, "2022-04-01", theirs.ID)
		move := w.stored(mine.ID)
		move.UnitID = f.district2.ID
		w.refused("moving its activity to another unit", p.reporter1, func() error { return w.update(p.reporter1, &move) })
		grab := w.stored(theirs.ID)
		grab.UnitID = f.district1.ID
		w.refused("taking another unit's activity", p.reporter1, func() error { return w.update(p.reporter1, &grab) })
		// A parent unit's reporter does not write for its child.
		w.refusedAll(p.deptReporter, f.implementer, "2022-04-01", mine.ID)

		// Viewers and admins write nothing, not even their own unit's.
		provincial := activity(f.province, "2022-05-01", qty(mArticles, 2))
		w.must("create", p.system, w.create(p.system, provincial))
		for _, u := range []nscl.User{p.viewer, p.admin} {
			w.refusedAll(u, f.district1, "2022-04-01", mine.ID)
			w.refusedAll(u, f.province, "2022-04-01", provincial.ID)
		}

		// The focal point writes any unit's.
		w.must("create", p.focal, w.create(p.focal, activity(f.implementer, "2022-04-01", qty(mTraining, 3))))
		*theirs = w.stored(theirs.ID)
		theirs.Quantities = []nscl.Quantity{qty(mTraining, 6)}
		w.must("update", p.focal, w.update(p.focal, theirs))

		// The reporter deletes its own.
		w.must("delete", p.reporter1, w.delete(p.reporter1, mine.ID, 2))
		if _, err := s.Activity(t.Context(), mine.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("deleted activity: %v", err)
		}
	})
}

func TestActivityLocks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		w := activityWriter{t, s, f}
		r := firstHalf2022(f.district1, f.district2) // January to June 2022
		createRound(t, s, f, r)

		// Activities written before anything was submitted.
		inside := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mLabs, 2))
		lastDay := activity(f.district1, "2022-06-30", qty(mTraining, 4))
		outside := activity(f.district1, "2022-07-01", qty(mTraining, 7))
		before := activity(f.district1, "2021-12-31", qty(mTraining, 1))
		d2inside := activity(f.district2, "2022-03-01", qty(mTraining, 8))
		for _, a := range []*nscl.Activity{inside, lastDay, outside, before} {
			w.must("create", p.reporter1, w.create(p.reporter1, a))
		}
		w.must("create", p.reporter2, w.create(p.reporter2, d2inside))

		// District 1 submits: its reporter may no longer write inside the
		// period, on either end of it, nor move an activity in or out.
		mustActOnSubmission(t, s, p.reporter1, r, f.district1, 1, ActionSubmit, "")
		w.refusedAll(p.reporter1, f.district1, "2022-03-15", inside.ID)
		w.refusedAll(p.reporter1, f.district1, "2022-01-01", lastDay.ID)
		w.refusedAll(p.reporter1, f.district1, "2022-06-30", lastDay.ID)
		moveIn := w.stored(outside.ID)
		moveIn.Date = day("2022-06-15")
		w.refused("moving an activity into the period", p.reporter1, func() error { return w.update(p.reporter1, &moveIn) })
		moveOut := w.stored(inside.ID)
		moveOut.Date = day("2022-08-01")
		w.refused("moving an activity out of the period", p.reporter1, func() error { return w.update(p.reporter1, &moveOut) })

		// Outside the period it writes as before.
		after := activity(f.district1, "2022-07-01", qty(mTraining, 2))
		w.must("create after the period", p.reporter1, w.create(p.reporter1, after))
		early := activity(f.district1, "2021-12-31", qty(mTraining, 2))
		w.must("create before the period", p.reporter1, w.create(p.reporter1, early))
		outsideNow := w.stored(outside.ID)
		outsideNow.Date, outsideNow.Quantities = day("2022-09-30"), []nscl.Quantity{qty(mTraining, 9)}
		w.must("update outside the period", p.reporter1, w.update(p.reporter1, &outsideNow))
		w.must("delete outside the period", p.reporter1, w.delete(p.reporter1, early.ID, early.Version))
		// District 2 has not submitted: its reporter still writes inside the period.
		d2 := w.stored(d2inside.ID)
		d2.Quantities = []nscl.Quantity{qty(mTraining, 9)}
		w.must("update of an unsubmitted unit", p.reporter2, w.update(p.reporter2, &d2))

		// While it waits for review, the focal point and the system may still write.
		byFocal := activity(f.district1, "2022-05-05", qty(mTraining, 3))
		w.must("create while submitted", p.focal, w.create(p.focal, byFocal))
		fix := w.stored(inside.ID)
		fix.Quantities = []nscl.Quantity{qty(mTraining, 11), qty(mLabs, 3)}
		w.must("update while submitted", p.focal, w.update(p.focal, &fix))
		w.must("delete while submitted", p.focal, w.delete(p.focal, byFocal.ID, byFocal.Version))
		bySystem := activity(f.district1, "2022-05-06", qty(mTraining, 1))
		w.must("create while submitted", p.system, w.create(p.system, bySystem))

		// Once approved nobody writes inside the period, nor moves in or out of it.
		mustActOnSubmission(t, s, p.focal, r, f.district1, 2, ActionApprove, "")
		for _, u := range []nscl.User{p.reporter1, p.focal, p.system} {
			w.refusedAll(u, f.district1, "2022-04-04", inside.ID)
			w.refusedAll(u, f.district1, "2022-01-01", bySystem.ID)
			moveIn := w.stored(outside.ID)
			moveIn.Date = day("2022-06-30")
			w.refused("moving an activity into the approved period", u, func() error { return w.update(u, &moveIn) })
			moveOut := w.stored(lastDay.ID)
			moveOut.Date = day("2022-07-01")
			w.refused("moving an activity out of the approved period", u, func() error { return w.update(u, &moveOut) })
			// Outside the period writes go on.
			a := activity(f.district1, "2022-10-01", qty(mArticles, 1))
			w.must("create after the approved period", u, w.create(u, a))
			w.must("delete after the approved period", u, w.delete(u, a.ID, a.Version))
		}
		// The lock is district 1's only.
		w.must("create in another unit", p.focal, w.create(p.focal, activity(f.district2, "2022-04-04", qty(mTraining, 1))))

		// District 2 submits, is returned, and may write again.
		mustActOnSubmission(t, s, p.reporter2, r, f.district2, 1, ActionSubmit, "")
		w.refusedAll(p.reporter2, f.district2, "2022-02-02", d2inside.ID)
		mustActOnSubmission(t, s, p.focal, r, f.district2, 2, ActionReturn, "Số học viên chưa khớp")
		d2 = w.stored(d2inside.ID)
		d2.Quantities = []nscl.Quantity{qty(mTraining, 10)}
		w.must("update after the return", p.reporter2, w.update(p.reporter2, &d2))
		added := activity(f.district2, "2022-02-02", qty(mTraining, 1))
		w.must("create after the return", p.reporter2, w.create(p.reporter2, added))
		w.must("delete after the return", p.reporter2, w.delete(p.reporter2, added.ID, added.Version))
		// And is locked again once it resubmits.
		mustActOnSubmission(t, s, p.reporter2, r, f.district2, 3, ActionSubmit, "")
		w.refusedAll(p.reporter2, f.district2, "2022-02-02", d2inside.ID)
	})
}

// TestActivityLockOfOtherRounds: a round of another period, or one not
// asking the unit, locks nothing.
func TestActivityLockOfOtherRounds(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		w := activityWriter{t, s, f}
		h1 := firstHalf2022(f.district1)
		createRound(t, s, f, h1)
		h2 := firstHalf2022(f.district1, f.district2)
		h2.Title, h2.PeriodStart, h2.PeriodEnd, h2.Cutoff, h2.Deadline = "6 tháng cuối năm 2022", day("2022-07-01"), day("2022-12-31"), time.Time{}, day("2023-01-10")
		createRound(t, s, f, h2)
		mustActOnSubmission(t, s, p.reporter1, h1, f.district1, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.focal, h1, f.district1, 2, ActionApprove, "")
		// h2 is still a draft: the second half of 2022 stays open.
		a := activity(f.district1, "2022-07-01", qty(mTraining, 1))
		w.must("create in the open round's period", p.reporter1, w.create(p.reporter1, a))
		// District 2 was not asked by h1.
		w.must("create in another unit's approved period", p.reporter2, w.create(p.reporter2, activity(f.district2, "2022-03-01", qty(mTraining, 1))))
		// Once h2 is submitted too, the whole year is locked for the reporter.
		mustActOnSubmission(t, s, p.reporter1, h2, f.district1, 1, ActionSubmit, "")
		w.refusedAll(p.reporter1, f.district1, "2022-12-31", a.ID)
		w.refusedAll(p.reporter1, f.district1, "2022-01-01", a.ID)
		w.must("create in 2023", p.reporter1, w.create(p.reporter1, activity(f.district1, "2023-01-01", qty(mTraining, 1))))
	})
}

func TestActivityAudit(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		w := activityWriter{t, s, f}
		ctx := t.Context()

		a := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		w.must("create", p.reporter1, w.create(p.reporter1, a))
		bySystem := activity(f.district2, "2022-04-01", qty(mArticles, 3))
		w.must("create", p.system, w.create(p.system, bySystem))
		edit := w.stored(a.ID)
		edit.Quantities = []nscl.Quantity{qty(mTraining, 12)}
		w.must("update", p.reporter1, w.update(p.reporter1, &edit))
		w.must("delete", p.focal, w.delete(p.focal, a.ID, edit.Version))

		entries, err := s.AuditLog(ctx, AuditFilter{Entity: "activity"})
		if err != nil {
			t.Fatal(err)
		}
		id, sysID := strconv.FormatInt(a.ID, 10), strconv.FormatInt(bySystem.ID, 10)
		type line struct {
			action, entityID string
			user             nscl.User
			before, after    int64 // the quantity recorded on each side; -1 for no record
			beforeV, afterV  int64
		}
		wantLines := []line{
			{"delete", id, p.focal, 12, -1, 2, 0},
			{"update", id, p.reporter1, 10, 12, 1, 2},
			{"create", sysID, p.system, -1, 3, 0, 1},
			{"create", id, p.reporter1, -1, 10, 0, 1},
		}
		if len(entries) != len(wantLines) {
			t.Fatalf("%d activity entries, want %d: %+v", len(entries), len(wantLines), entries)
		}
		for i, e := range entries {
			wl := wantLines[i]
			if e.Action != wl.action || e.EntityID != wl.entityID || e.UserID != wl.user.ID || e.UserEmail != wl.user.Email {
				t.Errorf("entry %d: %s %s by %d %q; want %s %s by %d %q", i, e.Action, e.EntityID, e.UserID, e.UserEmail, wl.action, wl.entityID, wl.user.ID, wl.user.Email)
			}
			for _, side := range []struct {
				name       string
				json       string
				value, ver int64
			}{{"before", e.Before, wl.before, wl.beforeV}, {"after", e.After, wl.after, wl.afterV}} {
				if side.value == -1 {
					if side.json != "" {
						t.Errorf("entry %d (%s): %s is %q, want empty", i, e.Action, side.name, side.json)
					}
					continue
				}
				var got nscl.Activity
				if err := json.Unmarshal([]byte(side.json), &got); err != nil {
					t.Errorf("entry %d (%s): %s %q is not an activity in JSON: %v", i, e.Action, side.name, side.json, err)
					continue
				}
				if strconv.FormatInt(got.ID, 10) != e.EntityID || len(got.Quantities) != 1 || got.Quantities[0].Value != side.value || got.Version != side.ver {
					t.Errorf("entry %d (%s): %s is %s; want id %s, one quantity of %d, version %d", i, e.Action, side.name, side.json, e.EntityID, side.value, side.ver)
				}
			}
			if i > 0 && e.ID >= entries[i-1].ID {
				t.Errorf("entries not newest first: %d after %d", e.ID, entries[i-1].ID)
			}
		}

		// The filters pick entries of one user, one action, one record; every
		// filter's answer is newest first and matches it.
		for _, tc := range []struct {
			name   string
			filter AuditFilter
			want   []AuditEntry
		}{
			{"by user", AuditFilter{UserID: p.reporter1.ID}, []AuditEntry{entries[1], entries[3]}},
			{"by user and entity", AuditFilter{UserID: p.focal.ID, Entity: "activity"}, []AuditEntry{entries[0]}},
			{"by action", AuditFilter{Entity: "activity", Action: "create"}, []AuditEntry{entries[2], entries[3]}},
			{"update anywhere", AuditFilter{Action: "update"}, []AuditEntry{entries[1]}},
			{"by record", AuditFilter{Entity: "activity", EntityID: id}, []AuditEntry{entries[0], entries[1], entries[3]}},
			{"limit", AuditFilter{Entity: "activity", Limit: 2}, entries[:2]},
			{"offset", AuditFilter{Entity: "activity", Limit: 2, Offset: 2}, entries[2:]},
			{"nobody's", AuditFilter{UserID: p.viewer.ID}, nil},
		} {
			got, err := s.AuditLog(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: got\n%+v\nwant\n%+v", tc.name, got, tc.want)
			}
		}

		// With no filter, every write is there, the system's with no user.
		all, err := s.AuditLog(ctx, AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		users, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		userEntries := 0
		for _, e := range all {
			if e.Entity == "user" {
				userEntries++
				if e.UserID != 0 || e.UserEmail != "" || e.Action != "create" {
					t.Errorf("user created by the system recorded as %+v", e)
				}
			}
		}
		if userEntries != len(users) {
			t.Errorf("%d entries of users for %d users", userEntries, len(users))
		}
		if !slices.Equal(all[:4], entries) {
			t.Errorf("unfiltered log does not start with the activity entries: %+v", all[:4])
		}
	})
}

// TestDeletedActivityIDIsNotReused: an activity's id names it for good, in
// the audit log and in the (id, version) pair a stale form holds. SQLite
// gives a plain INTEGER PRIMARY KEY the largest id plus one, so without
// AUTOINCREMENT deleting the newest activity handed its id to the next one
// created, at version 1 again: a form still holding the deleted activity
// then overwrote the new one (another unit's), and the audit log mixed the
// two records' histories. PostgreSQL's identity columns never reuse an id.
func TestDeletedActivityIDIsNotReused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		w := activityWriter{t, s, f}
		gone := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		w.must("create", p.reporter1, w.create(p.reporter1, gone))
		staleForm := w.stored(gone.ID) // opened by someone, at version 1
		w.must("delete", p.reporter1, w.delete(p.reporter1, gone.ID, gone.Version))

		fresh := activity(f.district2, "2022-04-01", qty(mTraining, 3))
		w.must("create", p.reporter2, w.create(p.reporter2, fresh))
		if fresh.ID == gone.ID {
			t.Errorf("the new activity got id %d, the id of the activity just deleted", fresh.ID)
		}
		// The stale form is saved: it must be refused, not land on another activity.
		staleForm.Quantities = []nscl.Quantity{qty(mTraining, 99)}
		err := w.update(p.focal, &staleForm)
		if code := nscl.ErrorCode(err); code != nscl.ENOTFOUND && code != nscl.ECONFLICT {
			t.Errorf("saving a form of the deleted activity %d: got %v, want ENOTFOUND or ECONFLICT", gone.ID, err)
		}
		if got := w.stored(fresh.ID); got.UnitID != f.district2.ID || got.Quantities[0].Value != 3 {
			t.Errorf("the new activity was overwritten by a form of the deleted one: %+v", got)
		}
		if entries, err := s.AuditLog(t.Context(), AuditFilter{Entity: "activity", EntityID: strconv.FormatInt(fresh.ID, 10)}); err != nil || len(entries) != 1 {
			t.Errorf("history of the new activity %d: %d entries (%v), want its creation only", fresh.ID, len(entries), err)
		}
	})
}
