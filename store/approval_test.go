package store

import (
	"fmt"
	"strings"
	"testing"

	"nscl"
)

// TestApprovalMovesTotals: approving a submission moves the kept totals of
// what its round's period covers from pending to approved in the same
// transaction, and returning an approved one (undoing the approval) moves
// them back — but for what another approved round of the unit still
// covers. Figures then count all, or approved only, with the part not yet
// approved beside them.
func TestApprovalMovesTotals(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		D1, D2, P := f.district1, f.district2, f.province
		year := &nscl.Round{Title: "Báo cáo năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-12-31"),
			Deadline: day("2023-01-10"), UnitIDs: []int64{D1.ID, D2.ID}}
		half := firstHalf2022(D1)
		second := &nscl.Round{Title: "Báo cáo 6 tháng cuối năm 2022", PeriodStart: day("2022-07-01"), PeriodEnd: day("2022-12-31"),
			Deadline: day("2023-01-10"), UnitIDs: []int64{f.department.ID}}
		createRound(t, s, f, year)
		createRound(t, s, f, half)
		createRound(t, s, f, second)
		acts := []*nscl.Activity{
			activity(D1, "2022-02-01", qty(mTraining, 10), qty(mLabs, 3)),                                               // A1: both rounds
			withBeneficiaries(activity(D1, "2022-10-01", qty(mTraining, 5), qty(mSupported, 2), qty(mLabs, 7)), t1, t2), // A2: the year's only
			withBeneficiaries(activity(D2, "2022-05-01", qty(mTraining, 20), qty(mSupported, 1)), t1),                   // A3: D2's
			activity(D1, "2023-01-20", qty(mTraining, 100)),                                                             // A4: no round
			activity(f.department, "2022-03-01", qty(mLabs, 2)),                                                         // A5: no round
			activity(f.department, "2022-09-01", qty(mLabs, 4)),                                                         // A6: the second half's
		}
		for _, a := range acts {
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		// want compares the province's 2021–2022 figures of three metrics,
		// all and approved only, with [year, cumulative] of each and the
		// part not yet approved; in 2022 alone, so year = cumulative.
		type fig struct{ all, approved int64 }
		want := func(step string, training, supported, labs fig) {
			t.Helper()
			for _, approvedOnly := range []bool{false, true} {
				got, err := s.FiguresWith(t.Context(), f.prog, P.ID, 2021, 2022, FigureOptions{ApprovedOnly: approvedOnly})
				if err != nil {
					t.Fatal(err)
				}
				for code, w := range map[string]fig{mTraining: training, mSupported: supported, mLabs: labs} {
					value := w.all
					if approvedOnly {
						value = w.approved
					}
					g := got[code]
					if g.YearValue != value || g.Cumulative != value || g.PendingYear != w.all-w.approved || g.PendingCumulative != w.all-w.approved {
						t.Errorf("%s, approved only %v: %s = %+v, want %d with %d not yet approved", step, approvedOnly, code, g, value, w.all-w.approved)
					}
				}
			}
			checkTotalsAgree(t, s)
			// The province's approved activities of 2022 by group and kind,
			// kept per ancestor, as its units' months count them.
			units := []int64{P.ID, D1.ID, D2.ID, f.department.ID, f.implementer.ID}
			tree, err := s.TreeActivityCounts(t.Context(), f.prog, units, 2022, true)
			if err != nil {
				t.Fatal(err)
			}
			months, err := s.ActivityCounts(t.Context(), f.prog, CountFilter{Units: units, From: day("2022-01-01"), To: day("2022-12-31"), Approved: true})
			if err != nil {
				t.Fatal(err)
			}
			byGroup, reported := map[string]map[nscl.ActivityKind]int64{}, map[int64]bool{}
			for _, c := range months {
				if byGroup[c.TaskGroup] == nil {
					byGroup[c.TaskGroup] = map[nscl.ActivityKind]int64{}
				}
				byGroup[c.TaskGroup][c.Kind] += c.N
				reported[c.UnitID] = true
			}
			if fmt.Sprint(tree.ByGroup) != fmt.Sprint(byGroup) || tree.Reporting != int64(len(reported)) {
				t.Errorf("%s: approved activities kept per ancestor %v, %d units; counted by month %v, %d units", step, tree.ByGroup, tree.Reporting, byGroup, len(reported))
			}
		}
		// Nothing approved: training 10 + 5 + 20; enterprises {t1, t2};
		// labs D1's latest, A2's 7, and the department's, A6's 4.
		want("before any approval", fig{35, 0}, fig{2, 0}, fig{11, 0})

		sub := mustActOnSubmission(t, s, p.deptReporter, second, f.department, 1, ActionSubmit, "")
		want("submitted is not approved", fig{35, 0}, fig{2, 0}, fig{11, 0})
		mustActOnSubmission(t, s, p.focal, second, f.department, sub.Version, ActionApprove, "")
		// A6 approved: its 4 is the department's approved value, and its
		// latest, later than the pending A5's.
		want("the department's second half approved", fig{35, 0}, fig{2, 0}, fig{11, 4})

		sub = mustActOnSubmission(t, s, p.reporter1, half, D1, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.focal, half, D1, sub.Version, ActionApprove, "")
		// A1 approved: training 10; no enterprise; labs: D1's approved 3
		// (A1), while all of them still read A2's later, pending 7.
		want("first half approved", fig{35, 10}, fig{2, 0}, fig{11, 7})

		// A write into the approved period is refused and moves nothing.
		late := activity(D1, "2022-03-01", qty(mTraining, 1))
		wantError(t, s.CreateActivity(t.Context(), f.prog, late), nscl.EFORBIDDEN, "")
		want("write refused", fig{35, 10}, fig{2, 0}, fig{11, 7})

		sub = mustActOnSubmission(t, s, p.reporter1, year, D1, 1, ActionSubmit, "")
		yearD1 := mustActOnSubmission(t, s, p.focal, year, D1, sub.Version, ActionApprove, "")
		// A1 and A2 approved: training 15; {t1, t2}; labs 7 + 4.
		want("D1's year approved", fig{35, 15}, fig{2, 2}, fig{11, 11})

		// Undoing the first half's approval leaves A1 approved: the year's
		// round still covers it.
		halfD1 := submissionOf(t, s, half, D1)
		mustActOnSubmission(t, s, p.focal, half, D1, halfD1.Version, ActionReturn, "Hủy duyệt để đối chiếu")
		want("first half undone, year still approved", fig{35, 15}, fig{2, 2}, fig{11, 11})

		sub = mustActOnSubmission(t, s, p.reporter2, year, D2, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.focal, year, D2, sub.Version, ActionApprove, "")
		want("D2's year approved too", fig{35, 35}, fig{2, 2}, fig{11, 11})

		// Undoing D1's year: A1 and A2 are pending again, D2's A3 stays
		// approved: training 20, enterprises {t1}, the department's lab.
		mustActOnSubmission(t, s, p.focal, year, D1, yearD1.Version, ActionReturn, "Số liệu tháng 10 chưa khớp")
		want("D1's year undone", fig{35, 20}, fig{2, 1}, fig{11, 4})

		// 2023 has no round: A4 is pending whatever happened to 2022.
		got, err := s.FiguresWith(t.Context(), f.prog, P.ID, 2023, 2023, FigureOptions{ApprovedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if g := got[mTraining]; g.YearValue != 0 || g.PendingYear != 100 {
			t.Errorf("2023, approved only: training %+v, want 0 with 100 not yet approved", g)
		}
	})
}

// The check compares the kept totals with a recount state by state: a
// total kept as approved that the rounds say is pending is a difference,
// and so is an enterprise reached kept in the wrong state.
func TestCheckTotalsSeesTheState(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		a := withBeneficiaries(activity(f.district1, "2022-05-01", qty(mTraining, 3), qty(mSupported, 1)), t1)
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
		checkTotalsAgree(t, s)
		for _, table := range []string{"unit_totals", "reach_totals"} {
			if _, err := s.write.ExecContext(t.Context(), `UPDATE `+table+` SET state = 'approved'`); err != nil {
				t.Fatal(err)
			}
			diffs, err := s.CheckTotals(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) == 0 || !strings.Contains(strings.Join(diffs, "\n"), "approved") {
				t.Errorf("%s kept as approved, the rounds say pending: differences %q", table, diffs)
			}
			if err := s.RebuildTotals(t.Context()); err != nil {
				t.Fatal(err)
			}
			checkTotalsAgree(t, s)
		}
	})
}
