package store

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nscl"
)

func TestActivityRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		// Typed with combining marks, the way some keyboards and PDFs
		// produce Vietnamese: o + dot below + circumflex for ộ, and so on.
		typed := "  Ho\u0302\u0323i tha\u0309o ta\u0323i Thu\u0309 \u0110u\u031b\u0301c  "
		want := "H\u1ed9i th\u1ea3o t\u1ea1i Th\u1ee7 \u0110\u1ee9c"
		if want != "Hội thảo tại Thủ Đức" {
			t.Fatal("the test's own expectation is not precomposed")
		}
		a := &nscl.Activity{
			UnitID:      f.district2.ID,
			Date:        day("2022-06-23"),
			TaskGroup:   " b ",
			Kind:        nscl.KindWorkshop,
			Description: typed,
			Source:      "Chu\u0301 thi\u0301ch 2, mu\u0323c 1",
			Ref:         "TĐ-2022-01",
			// Given out of the programme's metric order; read back in it.
			Quantities:    []nscl.Quantity{qty(mArticles, 2), qty(mSupported, 3), qty(mTraining, 60)},
			Beneficiaries: []string{" 0312345678 ", "0301234567-001", "0309876543"},
		}
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Version != 1 || a.ProgrammeID != f.prog.ID {
			t.Fatalf("after create: id %d, version %d, programme %d", a.ID, a.Version, a.ProgrammeID)
		}
		got, err := s.Activity(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Description != want {
			t.Errorf("description read back as %q (% x), want precomposed %q", got.Description, got.Description, want)
		}
		if got.Source != "Chú thích 2, mục 1" {
			t.Errorf("source read back as %q, want it precomposed", got.Source)
		}
		if got.ID != a.ID || got.ProgrammeID != f.prog.ID || got.UnitID != f.district2.ID || !got.Date.Equal(day("2022-06-23")) ||
			got.TaskGroup != "b" || got.Kind != nscl.KindWorkshop || got.Ref != "TĐ-2022-01" || got.Version != 1 {
			t.Errorf("read back as %+v", got)
		}
		if want := []nscl.Quantity{qty(mTraining, 60), qty(mSupported, 3), qty(mArticles, 2)}; !slices.Equal(got.Quantities, want) {
			t.Errorf("quantities %v, want %v", got.Quantities, want)
		}
		if want := []string{"0301234567-001", "0309876543", "0312345678"}; !slices.Equal(got.Beneficiaries, want) {
			t.Errorf("beneficiaries %q, want %q", got.Beneficiaries, want)
		}

		// The activity counts in the kept totals of its unit and year.
		kept, err := s.KeptTotals(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want3 := map[TotalKey]Total{
			// Each figure's activity names three beneficiaries.
			{f.district2.ID, metricID(f, mTraining), 2022, nscl.StatePending}:  {Value: 60, Activities: 1, Listed: 3},
			{f.district2.ID, metricID(f, mSupported), 2022, nscl.StatePending}: {Value: 3, Activities: 1, Listed: 3},
			{f.district2.ID, metricID(f, mArticles), 2022, nscl.StatePending}:  {Value: 2, Activities: 1, Listed: 3},
		}
		if !maps.Equal(kept, want3) {
			t.Errorf("kept totals %v, want %v", kept, want3)
		}
	})
}

func TestActivityWithoutQuantities(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		// An activity reported only in words: stored, read back, counted nowhere.
		a := activity(f.department, "2022-09-09")
		a.TaskGroup, a.Kind, a.Description = "a", nscl.KindOther, "Góp ý dự thảo chính sách hỗ trợ doanh nghiệp"
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Activity(t.Context(), a.ID)
		if err != nil || len(got.Quantities) != 0 || got.Description != a.Description {
			t.Fatalf("read back as %+v, %v", got, err)
		}
		if kept, _ := s.KeptTotals(t.Context()); len(kept) != 0 {
			t.Errorf("kept totals %v, want none", kept)
		}
		// Adding a quantity later counts it; removing it again uncounts it.
		got.Quantities = []nscl.Quantity{qty(mArticles, 1)}
		if err := s.UpdateActivity(t.Context(), f.prog, &got); err != nil {
			t.Fatal(err)
		}
		if kept, _ := s.KeptTotals(t.Context()); !maps.Equal(kept, map[TotalKey]Total{{f.department.ID, metricID(f, mArticles), 2022, nscl.StatePending}: {Value: 1, Activities: 1, Unlisted: 1}}) {
			t.Errorf("kept totals %v after adding a quantity", kept)
		}
		got.Quantities = nil
		if err := s.UpdateActivity(t.Context(), f.prog, &got); err != nil {
			t.Fatal(err)
		}
		if kept, _ := s.KeptTotals(t.Context()); len(kept) != 0 {
			t.Errorf("kept totals %v after removing the quantity, want none", kept)
		}
	})
}

func metricID(f *fixture, code string) int64 {
	m, ok := f.prog.Metric(code)
	if !ok {
		panic("no metric " + code)
	}
	return m.ID
}

func TestUpdateActivityBumpsVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		a := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mLabs, 2))
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}

		// Move it to another unit and year, change its quantities.
		edit := *a
		edit.UnitID, edit.Date = f.implementer.ID, day("2023-02-01")
		edit.Quantities = []nscl.Quantity{qty(mTraining, 7), qty(mTrainees, 40)}
		edit.Beneficiaries = []string{"0312345678"}
		if err := s.UpdateActivity(t.Context(), f.prog, &edit); err != nil {
			t.Fatal(err)
		}
		if edit.Version != 2 {
			t.Errorf("version after update %d, want 2", edit.Version)
		}
		got, err := s.Activity(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.UnitID != f.implementer.ID || !got.Date.Equal(day("2023-02-01")) ||
			!slices.Equal(got.Quantities, []nscl.Quantity{qty(mTraining, 7), qty(mTrainees, 40)}) ||
			!slices.Equal(got.Beneficiaries, []string{"0312345678"}) {
			t.Errorf("read back as %+v", got)
		}
		// The old unit and year no longer count it; the new ones do.
		kept, err := s.KeptTotals(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := map[TotalKey]Total{
			{f.implementer.ID, metricID(f, mTraining), 2023, nscl.StatePending}: {Value: 7, Activities: 1, Listed: 1},
			{f.implementer.ID, metricID(f, mTrainees), 2023, nscl.StatePending}: {Value: 40, Activities: 1, Listed: 1},
		}
		if !maps.Equal(kept, want) {
			t.Errorf("kept totals %v, want %v", kept, want)
		}

		// A second update with the new version bumps it again.
		got.Description = "Lớp tập huấn đã sửa"
		if err := s.UpdateActivity(t.Context(), f.prog, &got); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Activity(t.Context(), a.ID); again.Version != 3 || again.Description != "Lớp tập huấn đã sửa" {
			t.Errorf("after second update: %+v", again)
		}
	})
}

func TestStaleVersionConflicts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		a := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
		first := *a // what a second person opened, at version 1
		first.Quantities = slices.Clone(a.Quantities)
		a.Quantities = []nscl.Quantity{qty(mTraining, 12)}
		if err := s.UpdateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}

		before := dumpDB(t, s)
		first.Quantities = []nscl.Quantity{qty(mTraining, 99)}
		wantError(t, s.UpdateActivity(t.Context(), f.prog, &first), nscl.ECONFLICT, "version")
		wantUnchanged(t, s, before)
		wantError(t, s.DeleteActivity(t.Context(), f.prog, a.ID, 1), nscl.ECONFLICT, "version")
		wantUnchanged(t, s, before)
		future := *a
		future.Version = 5
		wantError(t, s.UpdateActivity(t.Context(), f.prog, &future), nscl.ECONFLICT, "version")
		wantError(t, s.DeleteActivity(t.Context(), f.prog, a.ID, 5), nscl.ECONFLICT, "version")
		wantUnchanged(t, s, before)

		got, err := s.Activity(t.Context(), a.ID)
		if err != nil || got.Version != 2 || got.Quantities[0].Value != 12 {
			t.Fatalf("after refused writes: %+v, %v", got, err)
		}
		// With the current version the delete goes through, totals and all.
		if err := s.DeleteActivity(t.Context(), f.prog, a.ID, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Activity(t.Context(), a.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("deleted activity: got %v, want ENOTFOUND", err)
		}
		if kept, _ := s.KeptTotals(t.Context()); len(kept) != 0 {
			t.Errorf("kept totals after deleting the only activity: %v", kept)
		}
	})
}

func TestActivityNotFound(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		before := dumpDB(t, s)
		a := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		a.ID, a.Version = 424242, 1
		wantError(t, s.UpdateActivity(t.Context(), f.prog, a), nscl.ENOTFOUND, "id")
		wantError(t, s.DeleteActivity(t.Context(), f.prog, 424242, 1), nscl.ENOTFOUND, "id")
		if _, err := s.Activity(t.Context(), 424242); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("Activity: got %v, want ENOTFOUND", err)
		}
		wantUnchanged(t, s, before)
	})
}

// badActivities are edits that make a valid activity invalid, each with
// the error the store must refuse it with.
var badActivities = []struct {
	name        string
	edit        func(f *fixture, a *nscl.Activity)
	code, field string
}{
	{"negative quantity", func(f *fixture, a *nscl.Activity) { a.Quantities[0].Value = -1 }, nscl.EINVALID, "quantities." + mTraining},
	{"quantity too large", func(f *fixture, a *nscl.Activity) { a.Quantities[0].Value = nscl.MaxQuantity + 1 }, nscl.EINVALID, "quantities." + mTraining},
	{"unknown metric", func(f *fixture, a *nscl.Activity) { a.Quantities = append(a.Quantities, qty("patents", 1)) }, nscl.EINVALID, "quantities.patents"},
	{"metric given twice", func(f *fixture, a *nscl.Activity) { a.Quantities = append(a.Quantities, qty(mTraining, 1)) }, nscl.EINVALID, "quantities." + mTraining},
	{"unknown task group", func(f *fixture, a *nscl.Activity) { a.TaskGroup = "g" }, nscl.EINVALID, "task_group"},
	{"date before the programme", func(f *fixture, a *nscl.Activity) { a.Date = day("2020-12-31") }, nscl.EINVALID, "date"},
	{"date after the programme", func(f *fixture, a *nscl.Activity) { a.Date = day("2031-01-01") }, nscl.EINVALID, "date"},
	{"no date", func(f *fixture, a *nscl.Activity) { a.Date = time.Time{} }, nscl.EINVALID, "date"},
	{"unknown unit id", func(f *fixture, a *nscl.Activity) { a.UnitID = 999999 }, nscl.ENOTFOUND, "unit"},
	{"no unit", func(f *fixture, a *nscl.Activity) { a.UnitID = 0 }, nscl.EINVALID, "unit"},
	{"unit closed on the date", func(f *fixture, a *nscl.Activity) { a.UnitID, a.Date = f.district1.ID, day("2025-07-01") }, nscl.EINVALID, "unit"},
	{"tax code of nine digits", func(f *fixture, a *nscl.Activity) { a.Beneficiaries = []string{"0312345678", "031234567"} }, nscl.EINVALID, "beneficiaries.2"},
	{"tax code with letters", func(f *fixture, a *nscl.Activity) { a.Beneficiaries = []string{"03123456AB"} }, nscl.EINVALID, "beneficiaries.1"},
	{"branch tax code of two digits", func(f *fixture, a *nscl.Activity) { a.Beneficiaries = []string{"0312345678-01"} }, nscl.EINVALID, "beneficiaries.1"},
	{"tax code listed twice", func(f *fixture, a *nscl.Activity) { a.Beneficiaries = []string{"0312345678", " 0312345678"} }, nscl.EINVALID, "beneficiaries.2"},
	{"blank description", func(f *fixture, a *nscl.Activity) { a.Description = " \t " }, nscl.EINVALID, "description"},
	{"unknown kind", func(f *fixture, a *nscl.Activity) { a.Kind = "party" }, nscl.EINVALID, "kind"},
}

func TestActivityRefusesBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		valid := func() *nscl.Activity {
			a := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mSupported, 1))
			a.Beneficiaries = []string{"0309876543"}
			return a
		}
		existing := valid()
		if err := s.CreateActivity(t.Context(), f.prog, existing); err != nil {
			t.Fatal(err)
		}
		for _, tc := range badActivities {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpDB(t, s)
				a := valid()
				tc.edit(f, a)
				wantError(t, s.CreateActivity(t.Context(), f.prog, a), tc.code, tc.field)
				wantUnchanged(t, s, before)

				a = valid()
				a.ID, a.Version = existing.ID, existing.Version
				a.Quantities[0].Value = 11 // a change that would go in, but for the bad one
				tc.edit(f, a)
				wantError(t, s.UpdateActivity(t.Context(), f.prog, a), tc.code, tc.field)
				wantUnchanged(t, s, before)
			})
		}
	})
}

func TestActivityOfClosedUnit(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		// District 1 closed on 1 July 2025: its last day was 30 June.
		a := activity(f.district1, "2025-06-30", qty(mTraining, 4))
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatalf("activity on the last day of a unit: %v", err)
		}
		before := dumpDB(t, s)
		late := activity(f.district1, "2025-07-01", qty(mTraining, 4))
		wantError(t, s.CreateActivity(t.Context(), f.prog, late), nscl.EINVALID, "unit")
		a.Date = day("2026-01-15")
		wantError(t, s.UpdateActivity(t.Context(), f.prog, a), nscl.EINVALID, "unit")
		wantUnchanged(t, s, before)
		// Moving it to the province, which stays open, is fine.
		a.UnitID = f.province.ID
		if err := s.UpdateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUpdateRollsBackOnError(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		kept := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mLabs, 3))
		kept.Ref = "KEPT"
		if err := s.CreateActivity(t.Context(), f.prog, kept); err != nil {
			t.Fatal(err)
		}
		before := dumpDB(t, s)
		totalsBefore, err := s.KeptTotals(t.Context())
		if err != nil {
			t.Fatal(err)
		}

		boom := errors.New("boom")
		for _, tc := range []struct {
			name string
			last func(tx *Tx) error // runs after some writes went through
			want func(t *testing.T, err error)
		}{
			{"error from the function", func(tx *Tx) error { return boom }, func(t *testing.T, err error) {
				if !errors.Is(err, boom) {
					t.Fatalf("Update returned %v, want the function's error", err)
				}
			}},
			{"invalid activity", func(tx *Tx) error {
				return tx.CreateActivity(t.Context(), f.prog, activity(f.district1, "2019-01-01", qty(mTraining, 1)))
			}, func(t *testing.T, err error) { wantError(t, err, nscl.EINVALID, "date") }},
			{"refused by the database", func(tx *Tx) error {
				dup := activity(f.district2, "2022-05-01", qty(mTraining, 1))
				dup.Ref = "NEW" // taken by the activity created earlier in the transaction
				return tx.CreateActivity(t.Context(), f.prog, dup)
			}, func(t *testing.T, err error) { wantError(t, err, nscl.ECONFLICT, "ref") }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var created *nscl.Activity
				err := s.Update(t.Context(), func(tx *Tx) error {
					created = activity(f.implementer, "2022-07-01", qty(mTraining, 5), qty(mLabs, 9))
					created.Ref = "NEW"
					if err := tx.CreateActivity(t.Context(), f.prog, created); err != nil {
						return err
					}
					edit, err := activityByID(t.Context(), tx.conn, kept.ID)
					if err != nil {
						return err
					}
					edit.Quantities = []nscl.Quantity{qty(mTraining, 1000)}
					if err := tx.UpdateActivity(t.Context(), f.prog, &edit); err != nil {
						return err
					}
					if err := tx.DeleteActivity(t.Context(), f.prog, kept.ID, edit.Version); err != nil {
						return err
					}
					return tc.last(tx)
				})
				tc.want(t, err)
				if _, err := s.Activity(t.Context(), created.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
					t.Errorf("activity created in the failed transaction: got %v, want ENOTFOUND", err)
				}
				if got, err := s.Activity(t.Context(), kept.ID); err != nil || got.Version != 1 {
					t.Errorf("activity updated and deleted in the failed transaction: %+v, %v", got, err)
				}
				totalsAfter, err := s.KeptTotals(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(totalsAfter, totalsBefore) {
					t.Errorf("kept totals %v, want %v", totalsAfter, totalsBefore)
				}
				wantUnchanged(t, s, before)
			})
		}
	})
}

func TestDuplicateRef(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		first := activity(f.district1, "2022-03-01", qty(mTraining, 10))
		first.Ref = "Hồ sơ 12"
		if err := s.CreateActivity(t.Context(), f.prog, first); err != nil {
			t.Fatal(err)
		}
		// Activities without a ref never clash.
		for range 2 {
			if err := s.CreateActivity(t.Context(), f.prog, activity(f.district2, "2022-04-01", qty(mTraining, 1))); err != nil {
				t.Fatalf("second activity without a ref: %v", err)
			}
		}
		other := activity(f.district2, "2022-05-01", qty(mTraining, 2))
		other.Ref = "Hồ sơ 13"
		if err := s.CreateActivity(t.Context(), f.prog, other); err != nil {
			t.Fatal(err)
		}
		before := dumpDB(t, s)

		for _, ref := range []string{"Hồ sơ 12", " Ho\u0302\u0300 so\u031b 12"} { // the same ref typed precomposed and decomposed
			dup := activity(f.district2, "2022-06-01", qty(mTraining, 3))
			dup.Ref = ref
			wantError(t, s.CreateActivity(t.Context(), f.prog, dup), nscl.ECONFLICT, "ref")
			wantUnchanged(t, s, before)
		}
		taken := other
		taken.Ref = "Hồ sơ 12"
		wantError(t, s.UpdateActivity(t.Context(), f.prog, taken), nscl.ECONFLICT, "ref")
		wantUnchanged(t, s, before)

		// Keeping its own ref is no clash.
		same, err := s.Activity(t.Context(), first.ID)
		if err != nil {
			t.Fatal(err)
		}
		same.Quantities = []nscl.Quantity{qty(mTraining, 11)}
		if err := s.UpdateActivity(t.Context(), f.prog, &same); err != nil {
			t.Fatalf("update keeping its own ref: %v", err)
		}
	})
}

// TestConcurrentWritesToOneActivity lets several people write the same
// activity at once, all holding version 1: exactly one may win, the others
// must be refused, and the kept totals must still agree with a recount.
func TestConcurrentWritesToOneActivity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		for round := range 10 {
			a := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mLabs, 3))
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatal(err)
			}
			const writers = 6
			errs := make([]error, writers)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range writers {
				wg.Go(func() {
					<-start
					if i%2 == 0 {
						errs[i] = s.DeleteActivity(t.Context(), f.prog, a.ID, 1)
						return
					}
					edit := *a
					edit.Quantities = []nscl.Quantity{qty(mTraining, int64(20+i)), qty(mLabs, int64(i))}
					errs[i] = s.UpdateActivity(t.Context(), f.prog, &edit)
				})
			}
			close(start)
			wg.Wait()
			won := 0
			outcomes := make([]string, writers) // "delete: ok", "update: conflict" …
			for i, err := range errs {
				outcomes[i] = map[bool]string{true: "delete: ", false: "update: "}[i%2 == 0] + nscl.ErrorCode(err)
				switch nscl.ErrorCode(err) {
				case "":
					won++
					outcomes[i] += "ok"
				case nscl.ECONFLICT, nscl.ENOTFOUND:
				default:
					t.Errorf("round %d, writer %d: %v", round, i, err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d writers holding version 1 succeeded, want exactly 1 (%s)", round, won, strings.Join(outcomes, ", "))
			}
			checkTotalsAgree(t, s)
		}
	})
}

// TestWriteQueuedBehindAnother holds one write transaction open while a
// second person, who read the activity at version 1, writes it too: once
// the first commits, the second must be refused and the kept totals must
// agree with a recount. Unlike the test above it does not depend on luck.
func TestWriteQueuedBehindAnother(t *testing.T) {
	deleteIt := func(ctx context.Context, s *Store, tx *Tx, f *fixture, a nscl.Activity) error {
		if tx != nil {
			return tx.DeleteActivity(ctx, f.prog, a.ID, a.Version)
		}
		return s.DeleteActivity(ctx, f.prog, a.ID, a.Version)
	}
	updateIt := func(ctx context.Context, s *Store, tx *Tx, f *fixture, a nscl.Activity) error {
		a.Quantities = []nscl.Quantity{qty(mTraining, 25), qty(mLabs, 7)}
		if tx != nil {
			return tx.UpdateActivity(ctx, f.prog, &a)
		}
		return s.UpdateActivity(ctx, f.prog, &a)
	}
	type write func(ctx context.Context, s *Store, tx *Tx, f *fixture, a nscl.Activity) error
	for _, tc := range []struct {
		name          string
		first, second write
	}{
		{"delete then delete", deleteIt, deleteIt},
		{"update then delete", updateIt, deleteIt},
		{"delete then update", deleteIt, updateIt},
		{"update then update", updateIt, updateIt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, s *Store) {
				f := newFixture(t, s)
				ctx := t.Context()
				a := activity(f.district1, "2022-03-01", qty(mTraining, 10), qty(mLabs, 3))
				if err := s.CreateActivity(ctx, f.prog, a); err != nil {
					t.Fatal(err)
				}
				seen := cloneActivity(*a) // what both people opened: version 1
				written, release := make(chan struct{}), make(chan struct{})
				firstDone, secondDone := make(chan error, 1), make(chan error, 1)
				go func() {
					firstDone <- s.Update(ctx, func(tx *Tx) error {
						if err := tc.first(ctx, s, tx, f, cloneActivity(seen)); err != nil {
							return err
						}
						close(written)
						<-release
						return nil
					})
				}()
				select {
				case <-written:
				case err := <-firstDone:
					t.Fatalf("first writer: %v", err)
				}
				go func() { secondDone <- tc.second(ctx, s, nil, f, cloneActivity(seen)) }()
				time.Sleep(300 * time.Millisecond) // the second writer reads, then waits for the first
				close(release)
				if err := <-firstDone; err != nil {
					t.Fatalf("first writer: %v", err)
				}
				err := <-secondDone
				if code := nscl.ErrorCode(err); code != nscl.ECONFLICT && code != nscl.ENOTFOUND {
					t.Errorf("second writer holding version 1 after the first committed: got %v, want ECONFLICT or ENOTFOUND", err)
				}
				checkTotalsAgree(t, s)
			})
		})
	}
}

// An activity the report's footnote does not itemise keeps that flag
// through every read and write, and counts in the totals as any other.
func TestActivityNotInFootnoteRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		a := activity(f.district1, "2022-12-31", qty(mTraining, 409), qty(mSupported, 2))
		a.Description, a.NotInFootnote = "Phần còn lại của kết quả tập huấn năm 2022", true
		a.Beneficiaries = []string{"0312345678"}
		itemised := activity(f.district1, "2022-06-01", qty(mTraining, 5))
		for _, x := range []*nscl.Activity{a, itemised} {
			if err := s.CreateActivity(ctx, f.prog, x); err != nil {
				t.Fatal(err)
			}
		}
		// Every way activities are read says which is which.
		reads := func() map[string]map[int64]bool {
			out := map[string]map[int64]bool{}
			add := func(way string, acts ...nscl.Activity) {
				if out[way] == nil {
					out[way] = map[int64]bool{}
				}
				for _, x := range acts {
					out[way][x.ID] = x.NotInFootnote
				}
			}
			for _, id := range []int64{a.ID, itemised.ID} {
				got, err := s.Activity(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				add("Activity", got)
			}
			page, err := s.Activities(ctx, f.prog, ActivityFilter{})
			if err != nil {
				t.Fatal(err)
			}
			add("Activities", page.Activities...)
			if err := s.EachActivity(ctx, f.prog, ActivityFilter{}, func(x nscl.Activity) error { add("EachActivity", x); return nil }); err != nil {
				t.Fatal(err)
			}
			after, err := s.ActivitiesAfter(ctx, f.prog, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			add("ActivitiesAfter", after...)
			return out
		}
		for way, got := range reads() {
			if want := map[int64]bool{a.ID: true, itemised.ID: false}; !maps.Equal(got, want) {
				t.Errorf("%s: flags %v, want %v", way, got, want)
			}
		}
		kept, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := kept[TotalKey{f.district1.ID, metricID(f, mTraining), 2022, nscl.StatePending}]; got != (Total{Value: 414, Activities: 2, Listed: 1, Unlisted: 1}) {
			t.Errorf("kept total %+v: the flag must not change what counts", got)
		}
		checkTotalsAgree(t, s)

		// Cleared, then set again by updates; the audit shows the change.
		stored, _ := s.Activity(ctx, a.ID)
		stored.NotInFootnote = false
		if err := s.UpdateActivity(ctx, f.prog, &stored); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Activity(ctx, a.ID); got.NotInFootnote {
			t.Errorf("after clearing: still not in the footnote")
		}
		entries, err := s.AuditLog(ctx, AuditFilter{Entity: "activity", Action: "update"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %v, %d entries", err, len(entries))
		}
		if e := entries[0]; !strings.Contains(e.Before, `"not_in_footnote":true`) || !strings.Contains(e.After, `"not_in_footnote":false`) {
			t.Errorf("audit entry before %s, after %s: want the flag's change", e.Before, e.After)
		}
		stored.NotInFootnote = true
		if err := s.UpdateActivity(ctx, f.prog, &stored); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Activity(ctx, a.ID); !got.NotInFootnote || got.Description != a.Description {
			t.Errorf("after setting again: %+v", got)
		}
		if kept2, _ := s.KeptTotals(ctx); !maps.Equal(kept, kept2) {
			t.Errorf("kept totals moved with the flag: %v, was %v", kept2, kept)
		}
	})
}

// A file row does not say whether the footnote itemises an activity: the
// row that updates one keeps what it holds, and a row that changes nothing
// else is no change.
func TestImportRowKeepsNotInFootnote(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		a := activity(f.district1, "2022-12-31", qty(mTraining, 409))
		a.Ref, a.NotInFootnote = "2022-d-con-lai", true
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
		import1 := func(row *nscl.Activity) ImportOutcome {
			t.Helper()
			var outcome ImportOutcome
			err := s.Update(ctx, func(tx *Tx) error {
				var err error
				outcome, err = tx.ImportActivity(ctx, f.prog, row)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return outcome
		}
		same := activity(f.district1, "2022-12-31", qty(mTraining, 409))
		same.Ref = a.Ref
		if got := import1(same); got != Unchanged || !same.NotInFootnote {
			t.Errorf("the same row: %v, flag %v; want unchanged, not in the footnote", got, same.NotInFootnote)
		}
		changed := activity(f.district1, "2022-12-31", qty(mTraining, 410))
		changed.Ref = a.Ref
		if got := import1(changed); got != Updated {
			t.Errorf("a changed row: %v, want updated", got)
		}
		got, err := s.Activity(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.NotInFootnote || got.Quantities[0].Value != 410 {
			t.Errorf("after the changed row: flag %v, quantities %v; want the flag kept and 410", got.NotInFootnote, got.Quantities)
		}
	})
}
