package store

import (
	"slices"
	"testing"
	"time"

	"nscl"
)

// tick makes the store's clock move on a minute at each write, so that
// the steps of a test are told apart by their times too.
func tick(s *Store) {
	at := s.Now()
	s.Now = func() time.Time {
		at = at.Add(time.Minute)
		return at
	}
}

// Every step of a submission is kept, the return's comment too, after the
// report is sent again and approved (which clears the submission's own
// comment), and an approval undone is told apart from a return.
func TestSubmissionHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		users := newRoleUsers(t, s, f)
		r := firstHalf2022(f.district1, f.district2)
		createRound(t, s, f, r)
		tick(s)
		asked := "Bổ sung danh sách học viên lớp tháng 3"
		reopened := "Số học viên lớp tháng 5 bị nhập hai lần"
		sub := mustActOnSubmission(t, s, users.reporter1, r, f.district1, 1, ActionSubmit, "")
		sub = mustActOnSubmission(t, s, users.focal, r, f.district1, sub.Version, ActionReturn, asked)
		sub = mustActOnSubmission(t, s, users.reporter1, r, f.district1, sub.Version, ActionSubmit, "")
		sub = mustActOnSubmission(t, s, users.focal, r, f.district1, sub.Version, ActionApprove, "")
		if sub.Comment != "" {
			t.Fatalf("approval left the comment %q on the submission", sub.Comment)
		}
		mustActOnSubmission(t, s, users.focal, r, f.district1, sub.Version, ActionReturn, reopened)
		// A refused step leaves no trace.
		if _, err := actOnSubmission(t, s, users.focal, r, f.district2, 1, ActionReturn, asked); err == nil {
			t.Fatal("a draft was returned")
		}

		got, err := s.SubmissionHistory(t.Context(), r.ID, f.district1.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			step    nscl.ReviewStep
			by      nscl.User
			comment string
		}{
			{nscl.StepSubmit, users.reporter1, ""},
			{nscl.StepReturn, users.focal, asked},
			{nscl.StepSubmit, users.reporter1, ""},
			{nscl.StepApprove, users.focal, ""},
			{nscl.StepReopen, users.focal, reopened},
		}
		if len(got) != len(want) {
			t.Fatalf("history has %d steps, want %d: %+v", len(got), len(want), got)
		}
		for i, w := range want {
			e := got[i]
			if e.Step != w.step || e.UserID != w.by.ID || e.UserName != w.by.Name || e.Comment != w.comment ||
				e.RoundID != r.ID || e.UnitID != f.district1.ID || e.At.IsZero() {
				t.Errorf("step %d: %+v, want %s by %s with %q", i, e, w.step, w.by.Email, w.comment)
			}
			if i > 0 && !e.At.After(got[i-1].At) {
				t.Errorf("step %d is older than the one before it", i)
			}
		}
		other, err := s.SubmissionHistory(t.Context(), r.ID, f.district2.ID)
		if err != nil || len(other) != 0 {
			t.Errorf("the other unit's history: %+v %v", other, err)
		}
	})
}

// A round's history, read in one query, holds each unit's steps as the
// unit's own history does, with who took them (name and e-mail), and
// nothing of another round's.
func TestRoundHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		users := newRoleUsers(t, s, f)
		r := firstHalf2022(f.district1, f.district2, f.implementer)
		createRound(t, s, f, r)
		other := firstHalf2022(f.district1)
		other.Title = "Báo cáo khác"
		createRound(t, s, f, other)
		tick(s)
		sub := mustActOnSubmission(t, s, users.reporter1, r, f.district1, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, users.focal, r, f.district1, sub.Version, ActionReturn, "Thiếu số liệu quý II")
		mustActOnSubmission(t, s, users.reporter2, r, f.district2, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, users.reporter1, other, f.district1, 1, ActionSubmit, "")

		all, err := s.RoundHistory(t.Context(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || len(all[f.district1.ID]) != 2 || len(all[f.district2.ID]) != 1 || len(all[f.implementer.ID]) != 0 {
			t.Fatalf("the round's history by unit: %+v", all)
		}
		for _, unit := range []nscl.OrgUnit{f.district1, f.district2} {
			one, err := s.SubmissionHistory(t.Context(), r.ID, unit.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(one, all[unit.ID]) {
				t.Errorf("%s: the round's history %+v, the unit's own %+v", unit.Code, all[unit.ID], one)
			}
		}
		back := all[f.district1.ID][1]
		if back.Step != nscl.StepReturn || back.UserName != users.focal.Name || back.UserEmail != users.focal.Email || back.Comment != "Thiếu số liệu quý II" {
			t.Errorf("the return: %+v", back)
		}
		if e := all[f.district2.ID][0]; e.UserEmail != users.reporter2.Email || e.RoundID != r.ID {
			t.Errorf("district 2's sending: %+v", e)
		}
	})
}

// The round's activity counts, read in one query, agree with counting
// each unit's activities of the period one by one, and leave out what
// falls outside the period or belongs to a unit the round does not ask.
func TestRoundActivityCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		for _, a := range []*nscl.Activity{
			activity(f.district1, "2022-01-01", qty(mTraining, 1)),
			activity(f.district1, "2022-06-30", qty(mTraining, 2)),
			activity(f.district1, "2022-07-01", qty(mTraining, 3)), // the day after the period
			activity(f.district2, "2022-03-15", qty(mTraining, 4)),
			activity(f.department, "2022-03-15", qty(mTraining, 5)), // not asked
		} {
			if err := s.CreateActivity(ctx, f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		r := firstHalf2022(f.district1, f.district2, f.implementer)
		createRound(t, s, f, r)
		counts, err := s.RoundActivityCounts(ctx, *r, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, unit := range []nscl.OrgUnit{f.district1, f.district2, f.implementer, f.department} {
			n, err := s.CountActivities(ctx, f.prog, ActivityFilter{UnitID: unit.ID, From: r.PeriodStart, To: r.PeriodEnd})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Asks(unit.ID) {
				n = 0
			}
			if counts[unit.ID] != n {
				t.Errorf("%s: %d, counted one by one %d", unit.Code, counts[unit.ID], n)
			}
		}
		if counts[f.district1.ID] != 2 || counts[f.district2.ID] != 1 || len(counts) != 2 {
			t.Errorf("counts %v, want 2 for %s and 1 for %s only", counts, f.district1.Code, f.district2.Code)
		}
		if own, err := s.RoundActivityCounts(ctx, *r, f.district2.ID); err != nil || len(own) != 1 || own[f.district2.ID] != 1 {
			t.Errorf("one unit's count alone: %v %v", own, err)
		}
	})
}

// A database made before the history was kept starts it from what its
// submissions say: the last sending and the last review with its comment,
// a return whose report was sent again included.
func TestSubmissionHistoryMigration(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		users := newRoleUsers(t, s, f)
		ctx := t.Context()
		r := firstHalf2022(f.district1, f.district2, f.department)
		createRound(t, s, f, r)
		tick(s)
		asked := "Thiếu biên bản nghiệm thu"
		sub := mustActOnSubmission(t, s, users.reporter1, r, f.district1, 1, ActionSubmit, "")
		sub = mustActOnSubmission(t, s, users.focal, r, f.district1, sub.Version, ActionReturn, asked)
		mustActOnSubmission(t, s, users.reporter1, r, f.district1, sub.Version, ActionSubmit, "")
		sub = mustActOnSubmission(t, s, users.reporter2, r, f.district2, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, users.focal, r, f.district2, sub.Version, ActionApprove, "")

		p := migrationProvider(t, s)
		if _, err := p.DownTo(ctx, 14); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatal(err)
		}
		type step struct {
			step    nscl.ReviewStep
			by      int64
			comment string
		}
		for _, tc := range []struct {
			unit nscl.OrgUnit
			want []step
		}{
			{f.district1, []step{{nscl.StepReturn, users.focal.ID, asked}, {nscl.StepSubmit, 0, ""}}},
			{f.district2, []step{{nscl.StepSubmit, 0, ""}, {nscl.StepApprove, users.focal.ID, ""}}},
			{f.department, nil},
		} {
			got, err := s.SubmissionHistory(ctx, r.ID, tc.unit.ID)
			if err != nil {
				t.Fatal(err)
			}
			var steps []step
			for _, e := range got {
				steps = append(steps, step{e.Step, e.UserID, e.Comment})
			}
			if !slices.Equal(steps, tc.want) {
				t.Errorf("%s after the migration: %+v, want %+v", tc.unit.Code, steps, tc.want)
			}
		}
	})
}

// A submission restored from a record (the demo, an exchange file) gets
// the history the record tells: a returned one, sent again, keeps why it
// was returned; restoring again replaces it.
func TestRestoredSubmissionHasItsHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		r := firstHalf2022(f.district1, f.district2)
		createRound(t, s, f, r)
		sent, returned, resent := time.Date(2022, 7, 3, 2, 0, 0, 0, time.UTC), time.Date(2022, 7, 5, 2, 0, 0, 0, time.UTC), time.Date(2022, 7, 8, 2, 0, 0, 0, time.UTC)
		restore := func(sub nscl.Submission) []nscl.SubmissionEvent {
			t.Helper()
			if err := s.Update(t.Context(), func(tx *Tx) error { return tx.RestoreSubmission(t.Context(), sub) }); err != nil {
				t.Fatal(err)
			}
			got, err := s.SubmissionHistory(t.Context(), r.ID, sub.UnitID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		asked := "Thiếu danh sách doanh nghiệp"
		got := restore(nscl.Submission{RoundID: r.ID, UnitID: f.district1.ID, Status: nscl.StatusSubmitted, SubmittedAt: resent, FirstSentAt: sent, ReviewedAt: returned, Comment: asked})
		if len(got) != 2 || got[0].Step != nscl.StepReturn || got[0].Comment != asked || !got[0].At.Equal(returned) || got[1].Step != nscl.StepSubmit || !got[1].At.Equal(resent) {
			t.Errorf("a returned report sent again: %+v", got)
		}
		got = restore(nscl.Submission{RoundID: r.ID, UnitID: f.district1.ID, Status: nscl.StatusApproved, SubmittedAt: resent, FirstSentAt: sent, ReviewedAt: resent.Add(time.Hour)})
		if len(got) != 2 || got[0].Step != nscl.StepSubmit || got[1].Step != nscl.StepApprove || got[1].UserID != 0 {
			t.Errorf("restored again, approved: %+v", got)
		}
		if got := restore(nscl.Submission{RoundID: r.ID, UnitID: f.district2.ID, Status: nscl.StatusDraft}); len(got) != 0 {
			t.Errorf("a draft never sent: %+v", got)
		}
	})
}
