package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"nscl"
)

// The activity counts kept by the database follow every create, update
// (of unit, day, group and kind) and delete, and ActivityCounts gives,
// for any period — whole months or cut mid-month — and for approved
// activities only (a round approved for a period that starts mid-month),
// what counting the activities themselves gives.
func TestActivityCountsFollowWritesAndPeriods(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		rng := rand.New(rand.NewPCG(16, 2024))
		units := []nscl.OrgUnit{f.district1, f.district2, f.department, f.implementer}
		groups := []string{"b", "c", "d"}
		kinds := []nscl.ActivityKind{nscl.KindTraining, nscl.KindWorkshop, nscl.KindOther}
		randomDay := func() time.Time { return day("2023-01-01").AddDate(0, 0, rng.IntN(365)) }
		var acts []*nscl.Activity
		for i := range 120 {
			a := activity(units[rng.IntN(len(units))], "2023-01-01", qty(mTraining, 1))
			a.Date, a.TaskGroup, a.Kind = randomDay(), groups[rng.IntN(len(groups))], kinds[rng.IntN(len(kinds))]
			a.Description = fmt.Sprintf("Hoạt động %d", i)
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatal(err)
			}
			acts = append(acts, a)
		}
		for i, a := range acts[:40] {
			switch i % 3 {
			case 0:
				a.UnitID, a.Date = units[rng.IntN(len(units))].ID, randomDay()
				if err := s.UpdateActivity(t.Context(), f.prog, a); err != nil {
					t.Fatal(err)
				}
			case 1:
				a.TaskGroup, a.Kind = groups[rng.IntN(len(groups))], kinds[rng.IntN(len(kinds))]
				if err := s.UpdateActivity(t.Context(), f.prog, a); err != nil {
					t.Fatal(err)
				}
			case 2:
				if err := s.DeleteActivity(t.Context(), f.prog, a.ID, a.Version); err != nil {
					t.Fatal(err)
				}
			}
		}
		if diffs, err := s.CheckActivityCounts(t.Context()); err != nil || len(diffs) > 0 {
			t.Fatalf("kept counts differ: %v %v", err, diffs)
		}
		// District 1's submission is approved for 15 March – 10 August.
		r := &nscl.Round{Title: "Báo cáo giữa năm 2023", PeriodStart: day("2023-03-15"), PeriodEnd: day("2023-08-10"),
			Deadline: day("2023-09-01"), UnitIDs: []int64{f.district1.ID, f.district2.ID}}
		createRound(t, s, f, r)
		sub := mustActOnSubmission(t, s, p.reporter1, r, f.district1, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.focal, r, f.district1, sub.Version, ActionApprove, "")

		ids := []int64{f.district1.ID, f.district2.ID, f.department.ID}
		for _, c := range []CountFilter{
			{Units: ids, From: day("2023-01-01"), To: day("2023-12-31")},
			{Units: ids, From: day("2023-01-01"), To: day("2023-12-31"), Approved: true},
			{Units: ids, From: day("2023-02-10"), To: day("2023-06-20")},
			{Units: ids, From: day("2023-04-01"), To: day("2023-04-30"), Approved: true},
			{Units: ids[:1], From: day("2022-12-01"), To: day("2023-05-20"), Approved: true},
		} {
			got, err := s.ActivityCounts(t.Context(), f.prog, c)
			if err != nil {
				t.Fatal(err)
			}
			gotBy := map[string]int64{}
			for _, n := range got {
				gotBy[fmt.Sprintf("%d %s %s", n.UnitID, n.TaskGroup, n.Kind)] += n.N
			}
			wantBy := map[string]int64{}
			err = s.EachActivity(t.Context(), f.prog, ActivityFilter{Units: ids, From: c.From, To: c.To, Approved: c.Approved}, func(a nscl.Activity) error {
				for _, id := range c.Units {
					if id == a.UnitID {
						wantBy[fmt.Sprintf("%d %s %s", a.UnitID, a.TaskGroup, a.Kind)]++
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(gotBy) != fmt.Sprint(wantBy) {
				t.Errorf("%+v: counted %v, the activities give %v", c, gotBy, wantBy)
			}
			if len(wantBy) == 0 {
				t.Errorf("%+v: no activity to count; the case tests nothing", c)
			}
		}
	})
}
