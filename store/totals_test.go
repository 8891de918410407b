package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
)

// Tax codes of the enterprises the figures test supports.
const (
	t1 = "0300000001"
	t2 = "0300000002"
	t3 = "0300000003"
	t4 = "0300000004"
	t5 = "0300000005"
	t6 = "0300000006-001" // a branch
)

// withBeneficiaries sets the tax codes of the enterprises an activity supported.
func withBeneficiaries(a *nscl.Activity, codes ...string) *nscl.Activity {
	a.Beneficiaries = codes
	return a
}

// wantFigures compares what Figures counts for unit over fromYear…year with
// want, metric by metric; a metric missing from either counts zero. What
// beneficiary lists say (the reach) is left to TestEnterpriseReach and the
// property test. No round is approved here: every figure is pending.
func wantFigures(t *testing.T, s *Store, f *fixture, unit nscl.OrgUnit, fromYear, year int, want map[string]nscl.Figures) {
	t.Helper()
	got, err := s.Figures(t.Context(), f.prog, unit.ID, fromYear, year)
	if err != nil {
		t.Fatalf("Figures(%s, %d–%d): %v", unit.Code, fromYear, year, err)
	}
	for code := range got {
		if _, ok := f.prog.Metric(code); !ok {
			t.Errorf("Figures(%s, %d–%d) returned unknown metric %q", unit.Code, fromYear, year, code)
		}
	}
	for _, m := range f.prog.Metrics {
		g := got[m.Code]
		g.YearReach, g.CumulativeReach = nscl.EnterpriseCounts{}, nscl.EnterpriseCounts{}
		if g.PendingYear != g.YearValue || g.PendingCumulative != g.Cumulative {
			t.Errorf("Figures(%s, %d–%d)[%s] = %+v: with no round approved, all of it is pending", unit.Code, fromYear, year, m.Code, g)
		}
		g.PendingYear, g.PendingCumulative = 0, 0
		if g != want[m.Code] {
			t.Errorf("Figures(%s, %d–%d)[%s] = %+v, want %+v", unit.Code, fromYear, year, m.Code, g, want[m.Code])
		}
	}
}

func TestFigures(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		M, P, D1, D2, S, C := f.ministry, f.province, f.district1, f.district2, f.department, f.implementer
		// Created in this order, so ids grow down the list. The names
		// A1… are used in the derivations below.
		acts := []*nscl.Activity{
			activity(D1, "2021-03-10", qty(mTraining, 10), qty(mTrainees, 100)),                                             // A1
			withBeneficiaries(activity(C, "2021-06-01", qty(mTraining, 20), qty(mSupported, 3)), t1, t6),                    // A2
			activity(D2, "2021-09-15", qty(mLabs, 2)),                                                                       // A3
			activity(D1, "2021-12-31", qty(mLabs, 5)),                                                                       // A4
			withBeneficiaries(activity(D1, "2022-02-01", qty(mTraining, 5), qty(mSupported, 2)), t1, t3),                    // A5
			withBeneficiaries(activity(C, "2022-05-05", qty(mTraining, 7), qty(mTrainees, 50), qty(mSupported, 4)), t2, t4), // A6
			activity(P, "2022-11-11", qty(mTraining, 1), qty(mArticles, 3)),                                                 // A7: the province itself
			activity(D2, "2022-08-01", qty(mLabs, 1)),                                                                       // A8: later date, smaller id than A9
			activity(D2, "2022-04-01", qty(mLabs, 3)),                                                                       // A9
			activity(C, "2022-03-03", qty(mLabs, 4)),                                                                        // A10
			activity(C, "2022-03-03", qty(mLabs, 6)),                                                                        // A11: same date as A10, greater id
			withBeneficiaries(activity(D1, "2022-07-07", qty(mTraining, 2)), t5),                                            // A12: enterprise, but no distinct quantity
			activity(D1, "2023-01-20", qty(mTraining, 100), qty(mLabs, 8)),                                                  // A13
			withBeneficiaries(activity(M, "2022-01-01", qty(mTraining, 1000), qty(mSupported, 1)), t5),                      // A14: the ministry, above the province
		}
		for i, a := range acts {
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatalf("A%d: %v", i+1, err)
			}
		}

		// Province, 2021–2022: its subtree is P, D1, D2, S and C; A13 (2023)
		// and A14 (ministry) stay out.
		//   training (sum): 2022 = A5 5 + A6 7 + A7 1 + A12 2 = 15;
		//     cumulative adds 2021's A1 10 + A2 20 = 45.
		//   supported (distinct): 2022 = {t1,t3} ∪ {t2,t4} = 4 enterprises,
		//     2021–2022 adds A2's {t1,t6} = 5 (A12's t5 reports no such
		//     quantity); visits 2 + 4 = 6 and 3 + 2 + 4 = 9.
		//   labs (last): 2022 = D2's latest, A8 (1 August) 1, + C's latest,
		//     A11 (same day as A10, greater id) 6 = 7; cumulative takes each
		//     unit's latest year: D1 2021 (A4) 5 + D2 1 + C 6 = 12.
		//   trainees: 50 and 100 + 50 = 150; articles: A7's 3 both ways.
		wantFigures(t, s, f, P, 2021, 2022, map[string]nscl.Figures{
			mTraining:  {YearValue: 15, Cumulative: 45},
			mSupported: {YearValue: 4, Cumulative: 5, YearVisits: 6, CumulativeVisits: 9},
			mLabs:      {YearValue: 7, Cumulative: 12},
			mTrainees:  {YearValue: 50, Cumulative: 150},
			mArticles:  {YearValue: 3, Cumulative: 3},
		})
		// District 1 alone, 2021–2022: A1, A4, A5, A12.
		//   training 5 + 2 = 7, with A1 17; supported {t1,t3} both ways,
		//   visits 2; labs nothing in 2022, but 2021's 5 cumulated; trainees 0 and 100.
		wantFigures(t, s, f, D1, 2021, 2022, map[string]nscl.Figures{
			mTraining:  {YearValue: 7, Cumulative: 17},
			mSupported: {YearValue: 2, Cumulative: 2, YearVisits: 2, CumulativeVisits: 2},
			mLabs:      {YearValue: 0, Cumulative: 5},
			mTrainees:  {YearValue: 0, Cumulative: 100},
		})
		// District 2 alone, 2021: only A3.
		wantFigures(t, s, f, D2, 2021, 2021, map[string]nscl.Figures{
			mLabs: {YearValue: 2, Cumulative: 2},
		})
		// The department, 2022 only: its implementing unit C's A6, A10, A11.
		wantFigures(t, s, f, S, 2022, 2022, map[string]nscl.Figures{
			mTraining:  {YearValue: 7, Cumulative: 7},
			mSupported: {YearValue: 2, Cumulative: 2, YearVisits: 4, CumulativeVisits: 4},
			mLabs:      {YearValue: 6, Cumulative: 6},
			mTrainees:  {YearValue: 50, Cumulative: 50},
		})
		// Province, 2022–2023: 2021 drops out of the cumulative.
		//   training 100 (A13), cumulative 15 + 100 = 115;
		//   supported none in 2023, 2022's {t1,t3,t2,t4} = 4, visits 6;
		//   labs 2023 = D1's 8; cumulative D1 8 (2023) + D2 1 + C 6 = 15.
		wantFigures(t, s, f, P, 2022, 2023, map[string]nscl.Figures{
			mTraining:  {YearValue: 100, Cumulative: 115},
			mSupported: {YearValue: 0, Cumulative: 4, YearVisits: 0, CumulativeVisits: 6},
			mLabs:      {YearValue: 8, Cumulative: 15},
			mTrainees:  {YearValue: 0, Cumulative: 50},
			mArticles:  {YearValue: 0, Cumulative: 3},
		})
		// The ministry, 2021–2023: everything.
		//   training 2023 = 100; cumulative 45 + 1000 (A14) + 100 = 1145;
		//   supported cumulative {t1..t6} = 6 (A14 brings t5), visits 9 + 1 = 10;
		//   labs as for the province 2022–2023: 8 and 15.
		wantFigures(t, s, f, M, 2021, 2023, map[string]nscl.Figures{
			mTraining:  {YearValue: 100, Cumulative: 1145},
			mSupported: {YearValue: 0, Cumulative: 6, YearVisits: 0, CumulativeVisits: 10},
			mLabs:      {YearValue: 8, Cumulative: 15},
			mTrainees:  {YearValue: 0, Cumulative: 150},
			mArticles:  {YearValue: 0, Cumulative: 3},
		})

		// Delete A11 and move A5 from District 1 in 2022 to District 2 in 2023.
		a11 := acts[10]
		if err := s.DeleteActivity(t.Context(), f.prog, a11.ID, a11.Version); err != nil {
			t.Fatal(err)
		}
		a5 := acts[4]
		a5.UnitID, a5.Date = D2.ID, day("2023-05-05")
		if err := s.UpdateActivity(t.Context(), f.prog, a5); err != nil {
			t.Fatal(err)
		}
		// Province, 2021–2022:
		//   training 15 − 5 = 10, cumulative 45 − 5 = 40;
		//   supported 2022 = A6's {t2,t4} = 2, with A2 {t1,t6,t2,t4} = 4;
		//     visits 4 and 3 + 4 = 7;
		//   labs: C's latest is now A10's 4: 2022 = 1 + 4 = 5, cumulative 5 + 1 + 4 = 10.
		wantFigures(t, s, f, P, 2021, 2022, map[string]nscl.Figures{
			mTraining:  {YearValue: 10, Cumulative: 40},
			mSupported: {YearValue: 2, Cumulative: 4, YearVisits: 4, CumulativeVisits: 7},
			mLabs:      {YearValue: 5, Cumulative: 10},
			mTrainees:  {YearValue: 50, Cumulative: 150},
			mArticles:  {YearValue: 3, Cumulative: 3},
		})
		// District 2, 2023: A5 alone now; its 2022 lab value still cumulates.
		wantFigures(t, s, f, D2, 2022, 2023, map[string]nscl.Figures{
			mTraining:  {YearValue: 5, Cumulative: 5},
			mSupported: {YearValue: 2, Cumulative: 2, YearVisits: 2, CumulativeVisits: 2},
			mLabs:      {YearValue: 0, Cumulative: 1},
		})
		checkTotalsAgree(t, s)
	})
}

// checkTotalsAgree fails when the kept totals differ from a recount.
func checkTotalsAgree(t *testing.T, s *Store) {
	t.Helper()
	diffs, err := s.CheckTotals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("kept totals differ from a recount:\n%s", strings.Join(diffs, "\n"))
	}
}

// propertySeed is a property test's seed: NSCL_PROPERTY_SEED to replay
// a failure, else the time; logged either way.
func propertySeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if env := os.Getenv("NSCL_PROPERTY_SEED"); env != "" {
		var err error
		if seed, err = strconv.ParseUint(env, 10, 64); err != nil {
			t.Fatalf("NSCL_PROPERTY_SEED=%q: %v", env, err)
		}
	}
	t.Logf("seed %d (replay with NSCL_PROPERTY_SEED=%d)", seed, seed)
	return seed
}

// TestTotalsProperty runs a few hundred random writes, valid and not, and
// reviews of submissions to overlapping rounds, and after every batch
// checks the kept totals and figures — all, and approved only — against a
// model of which activities exist and which submissions are approved, kept
// here in plain Go.
func TestTotalsProperty(t *testing.T) {
	seed := propertySeed(t)
	batches, perBatch := 40, 10
	if testing.Short() {
		batches = 10
	}
	eachEngine(t, func(t *testing.T, s *Store) {
		r := newPropRun(t, s, rand.New(rand.NewPCG(seed, 0x6e73636c)))
		r.openRounds()
		for b := range batches {
			for range perBatch {
				r.step()
			}
			r.check(b)
		}
		r.checkActivities()
		// Undoing every approval brings every figure back to pending.
		for _, sub := range r.subs {
			if sub.Status == nscl.StatusApproved {
				r.act(sub, ActionReturn, "Mở lại để kiểm tra")
			}
		}
		r.check(batches)
		// Deleting everything leaves no kept total behind.
		for _, id := range slices.Sorted(maps.Keys(r.model)) {
			if err := s.DeleteActivity(t.Context(), r.f.prog, id, r.model[id].Version); err != nil {
				t.Fatalf("delete %d: %v", id, err)
			}
			delete(r.model, id)
		}
		r.check(batches)
		if kept, _ := s.KeptTotals(t.Context()); len(kept) != 0 {
			t.Errorf("kept totals left after deleting every activity: %v", kept)
		}
		t.Logf("operations: %v", r.ops)
	})
}

// move moves the implementer under another unit, a day after its last
// move: the totals kept for its ancestors go with it. The fixture's copy
// of the unit holds its parent now, which the model's figures follow.
func (r *propRun) move() {
	t, ctx := r.t, r.t.Context()
	t.Helper()
	parents := []nscl.OrgUnit{r.f.department, r.f.district1, r.f.district2, r.f.province}
	p := parents[r.rng.IntN(len(parents))]
	if p.ID == r.f.implementer.ParentID {
		return
	}
	r.ops["move"]++
	on := day("2020-01-01").AddDate(0, 0, r.ops["move"])
	if err := r.s.Update(ctx, func(tx *Tx) error {
		u, err := tx.MoveUnit(ctx, r.f.implementer.Code, p.Code, on)
		r.f.implementer = u
		return err
	}); err != nil {
		t.Fatalf("move under %s: %v", p.Code, err)
	}
}

// mergeOrUnmerge merges one of the test's enterprise records into another,
// or undoes a merge, as the registry's rules allow: figures count a merged
// record as the one it went into, and as itself again once undone.
func (r *propRun) mergeOrUnmerge() {
	t, ctx := r.t, r.t.Context()
	t.Helper()
	from, into := propTaxCodes[r.rng.IntN(len(propTaxCodes))], propTaxCodes[r.rng.IntN(len(propTaxCodes))]
	takenInto := slices.Contains(slices.Collect(maps.Values(r.merged)), from)
	if from == into || r.merged[into] != "" || takenInto && r.merged[from] == "" {
		return
	}
	err := r.s.Update(ctx, func(tx *Tx) error {
		var ids [2]int64
		for i, tc := range []string{from, into} {
			e, err := enterpriseWhere(ctx, tx.conn, `tax_code = ?`, tc)
			if nscl.ErrorCode(err) == nscl.ENOTFOUND {
				e = nscl.Enterprise{TaxCode: tc}
				err = tx.CreateEnterprise(ctx, &e, true)
			}
			if err != nil {
				return err
			}
			ids[i] = e.ID
		}
		if r.merged[from] != "" {
			return tx.UnmergeEnterprise(ctx, ids[0])
		}
		return tx.MergeEnterprise(ctx, ids[0], ids[1])
	})
	if err != nil {
		t.Fatalf("merge %s into %s, or undo it: %v", from, into, err)
	}
	if r.merged[from] != "" {
		r.ops["unmerge"]++
		delete(r.merged, from)
	} else {
		r.ops["merge"]++
		r.merged[from] = into
	}
}

// as is the record a tax code counts as.
func (r *propRun) as(taxCode string) string { return cmp.Or(r.merged[taxCode], taxCode) }

// newPropRun starts a run on a new fixture in s.
func newPropRun(t *testing.T, s *Store, rng *rand.Rand) *propRun {
	return &propRun{t: t, s: s, f: newFixture(t, s), rng: rng,
		model: map[int64]nscl.Activity{}, ops: map[string]int{}, merged: map[string]string{}}
}

// propRun is one run of the property test: the store, and the model of
// what it must hold.
type propRun struct {
	t     *testing.T
	s     *Store
	f     *fixture
	rng   *rand.Rand
	model map[int64]nscl.Activity // by id, as the store must read them back
	ops   map[string]int          // how often each operation ran, for the log
	// merged holds, by tax code, the record each merged one counts as.
	merged map[string]string
	// The rounds, and each unit's submission to them as the store must
	// hold it; the users who submit (by unit) and review.
	rounds    []*nscl.Round
	subs      []*nscl.Submission
	reporters map[int64]nscl.User
	focal     nscl.User
}

// openRounds opens three rounds whose periods overlap, asking different
// units, and the users who act on them.
func (r *propRun) openRounds() {
	f := r.f
	r.rounds = []*nscl.Round{
		{Title: "Năm 2021", PeriodStart: day("2021-01-01"), PeriodEnd: day("2021-12-31"), Deadline: day("2022-01-10"),
			UnitIDs: []int64{f.province.ID, f.district2.ID, f.implementer.ID}},
		{Title: "Năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-12-31"), Deadline: day("2023-01-10"),
			UnitIDs: []int64{f.district1.ID, f.district2.ID, f.department.ID, f.implementer.ID}},
		{Title: "Từ giữa 2022 đến giữa 2023", PeriodStart: day("2022-07-01"), PeriodEnd: day("2023-06-30"), Deadline: day("2023-07-10"),
			UnitIDs: []int64{f.district1.ID, f.department.ID, f.province.ID}},
	}
	r.reporters = map[int64]nscl.User{}
	for _, round := range r.rounds {
		createRound(r.t, r.s, f, round)
		for _, id := range round.UnitIDs {
			r.subs = append(r.subs, &nscl.Submission{RoundID: round.ID, UnitID: id, Status: nscl.StatusDraft, Version: 1})
			if _, ok := r.reporters[id]; !ok {
				r.reporters[id] = newUser(r.t, r.s, fmt.Sprintf("reporter%d@hcm.gov.vn", id), nscl.RoleReporter, nscl.OrgUnit{ID: id})
			}
		}
	}
	r.focal = newUser(r.t, r.s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province)
}

// approved says whether the model has the unit's activity of day approved.
func (r *propRun) approved(unitID int64, d time.Time) bool {
	for _, sub := range r.subs {
		round := r.rounds[slices.IndexFunc(r.rounds, func(x *nscl.Round) bool { return x.ID == sub.RoundID })]
		if sub.UnitID == unitID && sub.Status == nscl.StatusApproved && round.Contains(d) {
			return true
		}
	}
	return false
}

// review acts on a random submission as its unit's reporter or the focal
// point would: submits a draft or returned one, approves or returns a
// submitted one, undoes an approval; now and then a move its status does
// not allow, which must be refused and change nothing.
func (r *propRun) review() {
	sub := r.subs[r.rng.IntN(len(r.subs))]
	if r.rng.IntN(8) == 0 {
		r.ops["review refused"]++
		action := ActionApprove
		if sub.Status == nscl.StatusSubmitted {
			action = ActionSubmit
		}
		user := r.focal
		if action == ActionSubmit {
			user = r.reporters[sub.UnitID]
		}
		ctx := WithActor(r.t.Context(), user.ID)
		err := r.s.Update(ctx, func(tx *Tx) error {
			_, err := tx.ActOnSubmission(ctx, sub.RoundID, sub.UnitID, sub.Version, action, "")
			return err
		})
		wantError(r.t, err, nscl.ECONFLICT, "status")
		return
	}
	switch sub.Status {
	case nscl.StatusDraft, nscl.StatusReturned:
		r.act(sub, ActionSubmit, "")
	case nscl.StatusSubmitted:
		if r.rng.IntN(3) == 0 {
			r.act(sub, ActionReturn, "Thiếu số liệu")
		} else {
			r.act(sub, ActionApprove, "")
		}
	case nscl.StatusApproved:
		r.act(sub, ActionReturn, "Hủy duyệt để sửa số liệu")
	}
}

// act runs an action the submission's status allows, and keeps the model's
// copy of it.
func (r *propRun) act(sub *nscl.Submission, action SubmissionAction, comment string) {
	r.t.Helper()
	user := r.focal
	if action == ActionSubmit {
		user = r.reporters[sub.UnitID]
	}
	r.ops["review: "+string(action)+" from "+string(sub.Status)]++
	ctx := WithActor(r.t.Context(), user.ID)
	err := r.s.Update(ctx, func(tx *Tx) error {
		got, err := tx.ActOnSubmission(ctx, sub.RoundID, sub.UnitID, sub.Version, action, comment)
		if err == nil {
			*sub = got
		}
		return err
	})
	if err != nil {
		r.t.Fatalf("%s of submission %d/%d: %v", action, sub.RoundID, sub.UnitID, err)
	}
}

var propTaxCodes = []string{"0300000001", "0300000002", "0300000003", "0300000004-001", "0300000005", "0311111111"}

var propDescriptions = []string{
	"Lớp tập huấn năng suất chất lượng",
	"Hội thảo công cụ cải tiến",
	"Tư vấn áp dụng ISO 9001 cho doanh nghiệp",
	"Hỗ trợ phòng thử nghiệm",
}

// randomActivity returns a valid activity as the store reads it back:
// quantities in the programme's order, tax codes sorted. Dates fall on a
// few days of 2021–2024, so that units share years and even days.
func (r *propRun) randomActivity() nscl.Activity {
	units := r.f.units()
	prog := r.f.prog
	a := nscl.Activity{
		UnitID:      units[r.rng.IntN(len(units))].ID,
		Date:        time.Date(2021+r.rng.IntN(4), time.Month(3*(1+r.rng.IntN(4))), 1+14*r.rng.IntN(2), 0, 0, 0, 0, time.UTC),
		TaskGroup:   prog.TaskGroups[r.rng.IntN(len(prog.TaskGroups))].Letter,
		Kind:        nscl.ActivityKinds[r.rng.IntN(len(nscl.ActivityKinds))],
		Description: propDescriptions[r.rng.IntN(len(propDescriptions))],
	}
	for _, m := range prog.Metrics {
		if r.rng.IntN(5) < 2 {
			a.Quantities = append(a.Quantities, qty(m.Code, r.rng.Int64N(21)))
		}
	}
	for _, tc := range propTaxCodes {
		if r.rng.IntN(4) == 0 {
			a.Beneficiaries = append(a.Beneficiaries, tc)
		}
	}
	if r.rng.IntN(3) == 0 {
		a.Ref = fmt.Sprintf("R%02d", r.rng.IntN(30))
	}
	return a
}

// refTaken reports whether another activity than id already uses ref.
func refTaken(model map[int64]nscl.Activity, ref string, id int64) bool {
	if ref == "" {
		return false
	}
	for _, a := range model {
		if a.ID != id && a.Ref == ref {
			return true
		}
	}
	return false
}

func (r *propRun) pick() nscl.Activity {
	ids := slices.Sorted(maps.Keys(r.model))
	return r.model[ids[r.rng.IntN(len(ids))]]
}

func cloneActivity(a nscl.Activity) nscl.Activity {
	a.Quantities = slices.Clone(a.Quantities)
	a.Beneficiaries = slices.Clone(a.Beneficiaries)
	return a
}

// step runs one random operation and checks the store's answer.
func (r *propRun) step() {
	t, ctx, prog := r.t, r.t.Context(), r.f.prog
	t.Helper()
	if r.rng.IntN(100) < 12 {
		r.review()
		return
	}
	if r.rng.IntN(100) < 4 {
		r.move()
		return
	}
	if r.rng.IntN(100) < 4 {
		r.mergeOrUnmerge()
		return
	}
	p := r.rng.IntN(100)
	if len(r.model) == 0 {
		p = 0
	}
	switch {
	case p < 35:
		a := r.randomActivity()
		want := cloneActivity(a)
		err := r.s.CreateActivity(ctx, prog, &a)
		if r.approved(want.UnitID, want.Date) {
			r.ops["create in an approved period"]++
			wantError(t, err, nscl.EFORBIDDEN, "")
			return
		}
		if refTaken(r.model, want.Ref, 0) {
			r.ops["create with a taken ref"]++
			wantError(t, err, nscl.ECONFLICT, "ref")
			return
		}
		r.ops["create"]++
		if err != nil {
			t.Fatalf("create %+v: %v", want, err)
		}
		if want.Ref == "" {
			want.Ref = a.Ref // every activity gets a row key, "nscl:<id>-<random>"
		}
		want.ID, want.ProgrammeID, want.Version = a.ID, prog.ID, 1
		r.model[a.ID] = want

	case p < 60:
		cur := r.pick()
		a := r.randomActivity()
		switch r.rng.IntN(4) {
		case 0: // only the figures change
			a.UnitID, a.Date = cur.UnitID, cur.Date
		case 1: // the same ref kept
			a.Ref = cur.Ref
		}
		a.ID, a.Version = cur.ID, cur.Version
		want := cloneActivity(a)
		if want.Ref == "" {
			want.Ref = cur.Ref // an update without a row key keeps the old one
		}
		err := r.s.UpdateActivity(ctx, prog, &a)
		if r.approved(want.UnitID, want.Date) || r.approved(cur.UnitID, cur.Date) {
			r.ops["update in or out of an approved period"]++
			wantError(t, err, nscl.EFORBIDDEN, "")
			return
		}
		if refTaken(r.model, want.Ref, cur.ID) {
			r.ops["update to a taken ref"]++
			wantError(t, err, nscl.ECONFLICT, "ref")
			return
		}
		r.ops["update"]++
		if err != nil {
			t.Fatalf("update %+v: %v", want, err)
		}
		want.ProgrammeID, want.Version = prog.ID, cur.Version+1
		r.model[cur.ID] = want

	case p < 72:
		cur := r.pick()
		if r.approved(cur.UnitID, cur.Date) {
			r.ops["delete in an approved period"]++
			wantError(t, r.s.DeleteActivity(ctx, prog, cur.ID, cur.Version), nscl.EFORBIDDEN, "")
			return
		}
		r.ops["delete"]++
		if err := r.s.DeleteActivity(ctx, prog, cur.ID, cur.Version); err != nil {
			t.Fatalf("delete %d: %v", cur.ID, err)
		}
		delete(r.model, cur.ID)

	case p < 80:
		cur := r.pick()
		stale := cur.Version + 1 + r.rng.Int64N(3)
		if cur.Version > 1 && r.rng.IntN(2) == 0 {
			stale = cur.Version - 1 - r.rng.Int64N(cur.Version-1)
		}
		// A locked period is refused before the version is looked at.
		code, field := nscl.ECONFLICT, "version"
		if r.approved(cur.UnitID, cur.Date) {
			code, field = nscl.EFORBIDDEN, ""
		}
		if r.rng.IntN(2) == 0 {
			r.ops["update with a stale version"]++
			a := r.randomActivity()
			a.ID, a.Version, a.Ref = cur.ID, stale, ""
			if r.approved(a.UnitID, a.Date) {
				code, field = nscl.EFORBIDDEN, ""
			}
			wantError(t, r.s.UpdateActivity(ctx, prog, &a), code, field)
		} else {
			r.ops["delete with a stale version"]++
			wantError(t, r.s.DeleteActivity(ctx, prog, cur.ID, stale), code, field)
		}

	case p < 88:
		bad := badActivities[r.rng.IntN(len(badActivities))]
		a := r.randomActivity()
		if len(a.Quantities) == 0 || a.Quantities[0].Metric != mTraining {
			// The edits expect the training quantity first.
			a.Quantities = append([]nscl.Quantity{qty(mTraining, 1)}, a.Quantities...)
		}
		bad.edit(r.f, &a)
		if r.rng.IntN(2) == 0 {
			r.ops["invalid create"]++
			wantError(t, r.s.CreateActivity(ctx, prog, &a), bad.code, bad.field)
		} else {
			r.ops["invalid update"]++
			cur := r.pick()
			a.ID, a.Version = cur.ID, cur.Version
			wantError(t, r.s.UpdateActivity(ctx, prog, &a), bad.code, bad.field)
		}

	case p < 92:
		missing := slices.Max(slices.Collect(maps.Keys(r.model))) + 1000
		if r.rng.IntN(2) == 0 {
			r.ops["update of a missing activity"]++
			a := r.randomActivity()
			a.ID, a.Version = missing, 1
			code, field := nscl.ENOTFOUND, "id"
			if r.approved(a.UnitID, a.Date) {
				code, field = nscl.EFORBIDDEN, ""
			}
			wantError(t, r.s.UpdateActivity(ctx, prog, &a), code, field)
		} else {
			r.ops["delete of a missing activity"]++
			wantError(t, r.s.DeleteActivity(ctx, prog, missing, 1), nscl.ENOTFOUND, "id")
		}

	default:
		r.transaction()
	}
}

var errAbandon = errors.New("abandoned on purpose")

// transaction runs a few valid writes in one Update and then either commits
// them or returns an error, which must leave no trace.
func (r *propRun) transaction() {
	t, ctx, prog := r.t, r.t.Context(), r.f.prog
	t.Helper()
	next := maps.Clone(r.model)
	abandon := r.rng.IntN(2) == 0
	n := 2 + r.rng.IntN(3)
	err := r.s.Update(ctx, func(tx *Tx) error {
		for range n {
			var cur nscl.Activity
			if len(next) > 0 {
				ids := slices.Sorted(maps.Keys(next))
				cur = next[ids[r.rng.IntN(len(ids))]]
			}
			switch op := r.rng.IntN(3); {
			case op == 0 || cur.ID == 0 || r.approved(cur.UnitID, cur.Date):
				a := r.randomActivity()
				for r.approved(a.UnitID, a.Date) {
					a = r.randomActivity()
				}
				a.Ref = ""
				want := cloneActivity(a)
				if err := tx.CreateActivity(ctx, prog, &a); err != nil {
					return fmt.Errorf("create: %w", err)
				}
				want.ID, want.ProgrammeID, want.Version, want.Ref = a.ID, prog.ID, 1, a.Ref
				next[a.ID] = want
			case op == 1:
				a := r.randomActivity()
				for r.approved(a.UnitID, a.Date) {
					a = r.randomActivity()
				}
				a.ID, a.Version, a.Ref = cur.ID, cur.Version, ""
				want := cloneActivity(a)
				want.Ref = cur.Ref // kept: the update gives none
				if err := tx.UpdateActivity(ctx, prog, &a); err != nil {
					return fmt.Errorf("update: %w", err)
				}
				want.ProgrammeID, want.Version = prog.ID, cur.Version+1
				next[cur.ID] = want
			default:
				if err := tx.DeleteActivity(ctx, prog, cur.ID, cur.Version); err != nil {
					return fmt.Errorf("delete: %w", err)
				}
				delete(next, cur.ID)
			}
		}
		if abandon {
			return errAbandon
		}
		return nil
	})
	if abandon {
		r.ops["abandoned transaction"]++
		if !errors.Is(err, errAbandon) {
			t.Fatalf("abandoned transaction: %v", err)
		}
		return
	}
	r.ops["committed transaction"]++
	if err != nil {
		t.Fatalf("transaction: %v", err)
	}
	r.model = next
}

// expectedTotals counts the totals from the model: per unit, metric, year
// and approval state, the number of activities reporting the metric and
// either the sum of their quantities or, for the last-value rule, the
// quantity of the activity with the greatest (date, id) and its date.
// state gives an activity's state; one that returns "" for all counts the
// states together.
func expectedTotals(prog *nscl.Programme, model map[int64]nscl.Activity, state func(nscl.Activity) nscl.ApprovalState) map[TotalKey]Total {
	out := map[TotalKey]Total{}
	type latest struct {
		date time.Time
		id   int64
	}
	best := map[TotalKey]latest{}
	for _, a := range model {
		for _, q := range a.Quantities {
			m, _ := prog.Metric(q.Metric)
			k := TotalKey{UnitID: a.UnitID, MetricID: m.ID, Year: a.Year(), State: state(a)}
			t := out[k]
			t.Activities++
			if q.Value > 0 {
				t.Listed += int64(len(a.Beneficiaries))
				if len(a.Beneficiaries) == 0 {
					t.Unlisted++
				}
			}
			if m.Rule != nscl.RuleLast {
				t.Value += q.Value
			} else if b, seen := best[k]; !seen || a.Date.After(b.date) || (a.Date.Equal(b.date) && a.ID > b.id) {
				best[k] = latest{a.Date, a.ID}
				t.Value, t.LatestOn = q.Value, a.Date.Format(time.DateOnly)
			}
			out[k] = t
		}
	}
	return out
}

// stateOf is an activity's approval state in the model.
func (r *propRun) stateOf(a nscl.Activity) nscl.ApprovalState {
	if r.approved(a.UnitID, a.Date) {
		return nscl.StateApproved
	}
	return nscl.StatePending
}

// expectedFigures counts, from the model, what FiguresWith must return for
// the subtree of unit over fromYear…year: the figures of every activity,
// or of the approved ones only, and beside them all less the approved.
func (r *propRun) expectedFigures(unit int64, fromYear, year int, approvedOnly bool) map[string]nscl.Figures {
	approved := maps.Clone(r.model)
	maps.DeleteFunc(approved, func(_ int64, a nscl.Activity) bool { return !r.approved(a.UnitID, a.Date) })
	all, appr := r.figuresOf(r.model, unit, fromYear, year), r.figuresOf(approved, unit, fromYear, year)
	out := map[string]nscl.Figures{}
	for code, a := range all {
		f := a
		if approvedOnly {
			f = appr[code]
		}
		f.PendingYear, f.PendingCumulative = a.YearValue-appr[code].YearValue, a.Cumulative-appr[code].Cumulative
		out[code] = f
	}
	return out
}

// figuresOf counts the figures of the activities acts for the subtree of
// unit over fromYear…year, whatever their state.
func (r *propRun) figuresOf(acts map[int64]nscl.Activity, unit int64, fromYear, year int) map[string]nscl.Figures {
	inTree := map[int64]bool{unit: true}
	for _, u := range r.f.units() { // parents come before children
		if inTree[u.ParentID] {
			inTree[u.ID] = true
		}
	}
	totals := expectedTotals(r.f.prog, acts, func(nscl.Activity) nscl.ApprovalState { return "" })
	out := map[string]nscl.Figures{}
	for _, m := range r.f.prog.Metrics {
		var fig nscl.Figures
		switch m.Rule {
		case nscl.RuleSum:
			for k, t := range totals {
				if k.MetricID == m.ID && inTree[k.UnitID] && k.Year >= fromYear && k.Year <= year {
					fig.Cumulative += t.Value
					if k.Year == year {
						fig.YearValue += t.Value
					}
				}
			}
		case nscl.RuleDistinct:
			yearSet, cumSet := map[string]bool{}, map[string]bool{}
			for _, a := range acts {
				if !inTree[a.UnitID] || a.Year() < fromYear || a.Year() > year || !slices.ContainsFunc(a.Quantities, func(q nscl.Quantity) bool { return q.Metric == m.Code }) {
					continue
				}
				reports := slices.ContainsFunc(a.Quantities, func(q nscl.Quantity) bool { return q.Metric == m.Code && q.Value > 0 })
				for _, q := range a.Quantities {
					if q.Metric == m.Code {
						fig.CumulativeVisits += q.Value
						if a.Year() == year {
							fig.YearVisits += q.Value
						}
					}
				}
				for _, tc := range a.Beneficiaries {
					if !reports {
						break // an activity with no figure for it names no one for it
					}
					cumSet[r.as(tc)] = true
					if a.Year() == year {
						yearSet[r.as(tc)] = true
					}
				}
			}
			fig.YearValue, fig.Cumulative = int64(len(yearSet)), int64(len(cumSet))
		case nscl.RuleLast:
			for u := range inTree {
				for y := year; y >= fromYear; y-- {
					if t, ok := totals[TotalKey{UnitID: u, MetricID: m.ID, Year: y}]; ok {
						fig.Cumulative += t.Value
						if y == year {
							fig.YearValue += t.Value
						}
						break
					}
				}
			}
		}
		if m.CountsEnterprises() {
			fig.YearReach, fig.CumulativeReach = expectedReach(acts, m, inTree, fromYear, year, r.as)
		}
		out[m.Code] = fig
	}
	return out
}

// expectedReach counts from the activities what beneficiary lists say of
// an indicator counted in enterprises: distinct tax codes, visits
// (activity × tax code) and activities with a figure but no list.
func expectedReach(acts map[int64]nscl.Activity, m nscl.Metric, inTree map[int64]bool, fromYear, year int, as func(string) string) (inYear, cumulative nscl.EnterpriseCounts) {
	yearSet, cumSet := map[string]bool{}, map[string]bool{}
	for _, a := range acts {
		if !inTree[a.UnitID] || a.Year() < fromYear || a.Year() > year ||
			!slices.ContainsFunc(a.Quantities, func(q nscl.Quantity) bool { return q.Metric == m.Code && q.Value > 0 }) {
			continue
		}
		thisYear := a.Year() == year
		if len(a.Beneficiaries) == 0 {
			cumulative.Unlisted++
			if thisYear {
				inYear.Unlisted++
			}
		}
		for _, tc := range a.Beneficiaries {
			cumSet[as(tc)] = true
			cumulative.Visits++
			if thisYear {
				yearSet[as(tc)] = true
				inYear.Visits++
			}
		}
	}
	inYear.Enterprises, cumulative.Enterprises = int64(len(yearSet)), int64(len(cumSet))
	return inYear, cumulative
}

// check compares the store with the model after a batch of operations.
func (r *propRun) check(batch int) {
	t, ctx, s := r.t, r.t.Context(), r.s
	t.Helper()
	want := expectedTotals(r.f.prog, r.model, r.stateOf)
	kept, err := s.KeptTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(kept, want) {
		t.Fatalf("after batch %d, kept totals differ from the model:\n%s", batch, r.diffTotals(kept, want))
	}
	fresh, err := s.RecomputedTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(fresh, want) {
		t.Fatalf("after batch %d, recomputed totals differ from the model:\n%s", batch, r.diffTotals(fresh, want))
	}
	checkTotalsAgree(t, s)
	if batch%5 == 4 {
		if err := s.RebuildTotals(ctx); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(rebuilt, want) {
			t.Fatalf("after batch %d, RebuildTotals changed the totals:\n%s", batch, r.diffTotals(rebuilt, want))
		}
	}
	var count int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != len(r.model) {
		t.Fatalf("after batch %d, %d activities stored, want %d", batch, count, len(r.model))
	}
	for _, u := range r.f.units() {
		year := 2021 + r.rng.IntN(4)
		from := 2021 + r.rng.IntN(year-2021+1)
		got, err := s.Figures(ctx, r.f.prog, u.ID, from, year)
		if err != nil {
			t.Fatal(err)
		}
		only, err := s.FiguresOnly(ctx, r.f.prog, u.ID, from, year)
		if err != nil {
			t.Fatal(err)
		}
		approved, err := s.FiguresWith(ctx, r.f.prog, u.ID, from, year, FigureOptions{ApprovedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for code, w := range r.expectedFigures(u.ID, from, year, false) {
			if got[code] != w {
				t.Fatalf("after batch %d, Figures(%s, %d–%d)[%s] = %+v, want %+v", batch, u.Code, from, year, code, got[code], w)
			}
			w.YearReach, w.CumulativeReach = nscl.EnterpriseCounts{}, nscl.EnterpriseCounts{}
			if only[code] != w {
				t.Fatalf("after batch %d, FiguresOnly(%s, %d–%d)[%s] = %+v, want %+v", batch, u.Code, from, year, code, only[code], w)
			}
		}
		for code, w := range r.expectedFigures(u.ID, from, year, true) {
			if approved[code] != w {
				t.Fatalf("after batch %d, approved figures (%s, %d–%d)[%s] = %+v, want %+v", batch, u.Code, from, year, code, approved[code], w)
			}
		}
		r.checkBreakdown(batch, u, year)
	}
}

// checkBreakdown compares the year's totals of the unit's rows by child,
// read where the tree keeps them (GroupYearTotals), with the sums of their
// units' own kept totals, and for a last-value metric with the figures of
// the row's units as a report counts them.
func (r *propRun) checkBreakdown(batch int, u nscl.OrgUnit, year int) {
	t, ctx, s := r.t, r.t.Context(), r.s
	t.Helper()
	counted, err := s.Counted(ctx, u.ID, nscl.Boundaries{})
	if err != nil {
		t.Fatal(err)
	}
	under, err := s.CountedByChild(ctx, u.ID, nscl.Boundaries{}, counted)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[int64][]int64{}
	for _, id := range counted.UnitIDs {
		groups[under[id]] = append(groups[under[id]], id)
	}
	got, err := s.GroupYearTotals(ctx, r.f.prog, groups, year)
	if err != nil {
		t.Fatal(err)
	}
	for child, units := range groups {
		own, err := s.UnitYearTotals(ctx, r.f.prog, units, year)
		if err != nil {
			t.Fatal(err)
		}
		figures, err := s.FiguresWith(ctx, r.f.prog, child, year, year, FigureOptions{ApprovedOnly: true, SkipReach: true, Units: units})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range r.f.prog.Metrics {
			var want UnitTotal
			if m.Rule == nscl.RuleLast {
				want = UnitTotal{Approved: figures[m.Code].YearValue, Pending: figures[m.Code].PendingYear}
			} else {
				for _, values := range own {
					want.Approved += values[m.Code].Approved
					want.Pending += values[m.Code].Pending
				}
			}
			if got[child][m.Code] != want {
				t.Fatalf("after batch %d, %s's row %d of %d: %s = %+v, want %+v (units %v)", batch, u.Code, child, year, m.Code, got[child][m.Code], want, units)
			}
		}
	}
}

// checkActivities reads every activity back and compares it with the model.
func (r *propRun) checkActivities() {
	t := r.t
	t.Helper()
	for _, id := range slices.Sorted(maps.Keys(r.model)) {
		want := r.model[id]
		got, err := r.s.Activity(t.Context(), id)
		if err != nil {
			t.Fatalf("activity %d: %v", id, err)
		}
		if got.ID != want.ID || got.ProgrammeID != want.ProgrammeID || got.UnitID != want.UnitID || !got.Date.Equal(want.Date) ||
			got.TaskGroup != want.TaskGroup || got.Kind != want.Kind || got.Description != want.Description || got.Ref != want.Ref ||
			got.Version != want.Version || !slices.Equal(got.Quantities, want.Quantities) || !slices.Equal(got.Beneficiaries, want.Beneficiaries) {
			t.Fatalf("activity %d read back as\n%+v\nwant\n%+v", id, got, want)
		}
	}
}

// diffTotals describes where got and want differ, naming units and metrics.
func (r *propRun) diffTotals(got, want map[TotalKey]Total) string {
	units, metrics := map[int64]string{}, map[int64]string{}
	for _, u := range r.f.units() {
		units[u.ID] = u.Code
	}
	for _, m := range r.f.prog.Metrics {
		metrics[m.ID] = m.Code
	}
	var lines []string
	for _, k := range slices.SortedFunc(maps.Keys(mergeKeys(got, want)), compareKeys) {
		g, okG := got[k]
		w, okW := want[k]
		if g != w || okG != okW {
			lines = append(lines, fmt.Sprintf("  %s %s %d %s: got %+v (present %v), want %+v (present %v)", units[k.UnitID], metrics[k.MetricID], k.Year, k.State, g, okG, w, okW))
		}
	}
	return strings.Join(lines, "\n")
}

// nscl check on a database in use: activities written while the check
// reads do not show as differences, since the kept totals and their
// recount are read from one snapshot.
func TestCheckTotalsWhileWriting(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, nil)
		done := make(chan struct{})
		writes := make(chan error, 1)
		go func() {
			var err error
			for i := 0; err == nil; i++ {
				select {
				case <-done:
					writes <- nil
					return
				default:
				}
				a := &nscl.Activity{UnitID: f.district.ID, Date: day("2027-05-01").AddDate(0, 0, i%200), TaskGroup: "b", Kind: nscl.KindArticle,
					Description: fmt.Sprintf("Tin bài số %d trong lúc kiểm tra", i), Quantities: []nscl.Quantity{{Metric: "tin", Value: int64(1 + i%3)}}}
				err = st.CreateActivity(ctx, f.prog, a)
			}
			writes <- err
		}()
		checks := 0
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline) || checks < 20; checks++ {
			diffs, err := st.CheckTotals(ctx)
			if err != nil {
				close(done)
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("check %d found %d differences while activities were written, the first: %s", checks+1, len(diffs), diffs[0])
				break
			}
		}
		close(done)
		if err := <-writes; err != nil {
			t.Fatal(err)
		}
		n, err := st.CountActivities(ctx, f.prog, ActivityFilter{})
		if err != nil || n < 10 {
			t.Errorf("only %d activities written beside %d checks (%v): the check did not run beside writes", n, checks, err)
		}
	})
}
