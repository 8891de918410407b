package store

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"nscl"
)

// A write of an activity counts its enterprises at the ancestors its unit
// has when it commits, whoever moved the unit before: another process
// (whose tree this one drew earlier), the same transaction, or a
// transaction that held the lock while this one waited for it. On
// PostgreSQL the write takes the tree from what it knows instead of
// asking (knownTree); on SQLite it asks, and the test holds it to the same.
func TestWritesFollowTreeChanges(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		s, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, s)
		n := 0
		write := func(st *Store, tx *Tx) error {
			n++
			a := &nscl.Activity{UnitID: f.implementer.ID, Date: day("2023-03-15"), TaskGroup: "c", Kind: nscl.KindConsulting,
				Description: fmt.Sprintf("Tư vấn %d", n), Quantities: []nscl.Quantity{{Metric: mSupported, Value: 1}},
				Beneficiaries: []string{fmt.Sprintf("03%08d", n)}}
			if tx != nil {
				return tx.CreateActivity(ctx, f.prog, a)
			}
			return st.CreateActivity(ctx, f.prog, a)
		}
		move := func(tx *Tx, parent nscl.OrgUnit, on string) error {
			_, err := tx.MoveUnit(ctx, f.implementer.Code, parent.Code, day(on))
			return err
		}
		check := func(what string) {
			t.Helper()
			if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
				t.Fatalf("%s: %v %v", what, err, diffs)
			}
		}
		if err := write(s, nil); err != nil { // draws the tree
			t.Fatal(err)
		}
		if _, err := s.tree(ctx); err != nil {
			t.Fatal(err)
		}
		if err := other.Update(ctx, func(tx *Tx) error { return move(tx, f.district1, "2024-01-01") }); err != nil {
			t.Fatal(err)
		}
		if err := write(s, nil); err != nil {
			t.Fatal(err)
		}
		check("after another process moved the unit")

		if err := s.Update(ctx, func(tx *Tx) error {
			if err := write(s, tx); err != nil {
				return err
			}
			if err := move(tx, f.district2, "2024-02-01"); err != nil {
				return err
			}
			return write(s, tx)
		}); err != nil {
			t.Fatal(err)
		}
		check("after a move in the writing transaction")

		// Another process holds the lock while it moves the unit; the
		// write waits for it, then counts at the new ancestors, not at
		// those of the tree as this process last drew it.
		if _, err := s.tree(ctx); err != nil {
			t.Fatal(err)
		}
		moved, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- other.Update(ctx, func(tx *Tx) error {
				if err := move(tx, f.department, "2024-03-01"); err != nil {
					return err
				}
				close(moved)
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		}()
		<-moved
		if err := write(s, nil); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		check("after a write that waited for a move")
		var parent int64
		if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM tree_reach WHERE ancestor_id = ? AND tax_code = ?`,
			f.department.ID, fmt.Sprintf("03%08d", n)).Scan(&parent); err != nil || parent != 1 {
			t.Errorf("the last enterprise at the unit's new parent: %d rows, %v; want 1", parent, err)
		}
	})
}

// On PostgreSQL an activity given its row key by nscl is written with the
// writes held back; a key found taken then (the same ID and random part as
// one imported from another database) makes the transaction draw another,
// and the activity is written all the same.
func TestIssuedRefTakenIsDrawnAgain(t *testing.T) {
	s := openStore(t, postgresOnly(t, "keys are issued before the write on PostgreSQL only"))
	f := newFixture(t, s)
	ctx := t.Context()
	if err := s.CreateActivity(ctx, f.prog, benchActivity(f, 0)); err != nil { // draws a block of IDs
		t.Fatal(err)
	}
	s.activityIDs.mu.Lock()
	next := s.activityIDs.ids[1] // the first goes to the activity below
	s.activityIDs.mu.Unlock()
	taken := benchActivity(f, 1)
	taken.Ref = fmt.Sprintf("%s%d-%x", nscl.RefIssued, next, [3]byte{1, 2, 3})
	if err := s.CreateActivity(ctx, f.prog, taken); err != nil {
		t.Fatal(err)
	}
	var drawn atomic.Int32
	refSuffix = func() [3]byte {
		if drawn.Add(1) == 1 {
			return [3]byte{1, 2, 3}
		}
		return [3]byte{4, 5, 6}
	}
	t.Cleanup(func() { refSuffix = randomSuffix })
	a := benchActivity(f, 2)
	if err := s.CreateActivity(ctx, f.prog, a); err != nil {
		t.Fatalf("a key drawn again: %v", err)
	}
	if drawn.Load() != 2 || !strings.HasSuffix(a.Ref, "-040506") || a.ID == next {
		t.Errorf("activity %d, key %q after %d draws; want a new ID and the second key", a.ID, a.Ref, drawn.Load())
	}
	stored, err := s.Activity(ctx, a.ID)
	if err != nil || stored.Ref != a.Ref {
		t.Errorf("stored: %+v, %v", stored, err)
	}
	if kept, err := s.Activity(ctx, taken.ID); err != nil || kept.Ref != taken.Ref {
		t.Errorf("the activity holding the key: %+v, %v", kept, err)
	}

	// Beside an activity with a key of its own that an issued key begins
	// with, the issued key's refusal is still drawn again, not taken for
	// that activity's conflict.
	s.activityIDs.mu.Lock()
	next = s.activityIDs.ids[2] // the first goes to taken below, the second to own
	s.activityIDs.mu.Unlock()
	taken = benchActivity(f, 3)
	taken.Ref = fmt.Sprintf("%s%d-%x", nscl.RefIssued, next, [3]byte{1, 2, 3})
	if err := s.CreateActivity(ctx, f.prog, taken); err != nil {
		t.Fatal(err)
	}
	drawn.Store(0)
	sameWrite := func(i int, ref string) *nscl.Activity { // no read between them sends the writes held back
		a := benchActivity(f, i)
		a.UnitID, a.Ref, a.Beneficiaries, a.Quantities = f.district1.ID, ref, nil, []nscl.Quantity{{Metric: mTraining, Value: 1}}
		return a
	}
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.CreateActivity(ctx, f.prog, sameWrite(4, "nscl")); err != nil {
			return err
		}
		return tx.CreateActivity(ctx, f.prog, sameWrite(5, ""))
	})
	if err != nil || drawn.Load() != 2 {
		t.Errorf("an issued key taken beside the key %q: %v after %d draws; want it drawn again", "nscl", err, drawn.Load())
	}
	if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("CheckTotals: %v %v", diffs, err)
	}
}

// After KeepActivityIDsAbove(n) (an exchange file's activities keep the
// keys naming IDs of the database they came from), a new activity's ID is
// above n, also on PostgreSQL, where IDs drawn before wait in the store.
func TestActivityIDsAboveAfterExchange(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		first := benchActivity(f, 0)
		if err := s.CreateActivity(ctx, f.prog, first); err != nil {
			t.Fatal(err)
		}
		above := first.ID + 5000
		if err := s.Update(ctx, func(tx *Tx) error { return tx.KeepActivityIDsAbove(ctx, above) }); err != nil {
			t.Fatal(err)
		}
		next := benchActivity(f, 1)
		if err := s.CreateActivity(ctx, f.prog, next); err != nil {
			t.Fatal(err)
		}
		if next.ID <= above {
			t.Errorf("activity %d after KeepActivityIDsAbove(%d), want above it", next.ID, above)
		}
	})
}

// The locks an import's look-ahead reads for many units in one statement
// (knowLocks) are each unit's own, as the programme's locks read whole
// (PeriodLocks) give them: submitted and approved submissions of the unit,
// none for a unit without.
func TestLocksReadTogetherAreEachUnitsOwn(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		year := &nscl.Round{Title: "Báo cáo năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-12-31"),
			Deadline: day("2023-01-10"), UnitIDs: []int64{f.district1.ID, f.district2.ID, f.department.ID}}
		half := firstHalf2022(f.district1)
		createRound(t, s, f, year)
		createRound(t, s, f, half)
		mustActOnSubmission(t, s, p.reporter1, year, f.district1, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.reporter1, half, f.district1, 1, ActionSubmit, "")
		sub := mustActOnSubmission(t, s, p.reporter2, year, f.district2, 1, ActionSubmit, "")
		mustActOnSubmission(t, s, p.focal, year, f.district2, sub.Version, ActionApprove, "")
		units := []int64{f.district1.ID, f.district2.ID, f.department.ID, f.implementer.ID, f.district1.ID}
		all, err := s.PeriodLocks(t.Context(), f.prog)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Update(t.Context(), func(tx *Tx) error {
			if err := tx.knowLocks(t.Context(), f.prog.ID, units); err != nil {
				return err
			}
			together := tx.locks
			for _, id := range units {
				var alone []nscl.PeriodLock
				for _, l := range all {
					if l.Submission.UnitID == id {
						alone = append(alone, l)
					}
				}
				got := together[lockKey{id, f.prog.ID}]
				byRound := func(a, b nscl.PeriodLock) int { return int(a.Submission.RoundID - b.Submission.RoundID) }
				slices.SortFunc(got, byRound)
				slices.SortFunc(alone, byRound)
				if !reflect.DeepEqual(got, alone) || len(alone) == 0 && id != f.department.ID && id != f.implementer.ID {
					t.Errorf("unit %d: read together %+v, the programme's %+v", id, got, alone)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// A write of an activity is refused in a period a submission locks, and
// allowed once it is returned, whoever changed the submission: another
// process, SQL typed by hand, or the writing transaction itself. On
// PostgreSQL the write takes the unit's locks from those kept at the lock
// version read with the audit chain's lock (knowLocks); on SQLite it reads
// them, and the test holds it to the same.
func TestWritesFollowLockChanges(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		s, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, s)
		p := newRoleUsers(t, s, f)
		r := firstHalf2022(f.district1)
		createRound(t, s, f, r)
		ctx := WithActor(t.Context(), p.reporter1.ID)
		n := 0
		write := func(tx *Tx) error {
			n++
			a := &nscl.Activity{UnitID: f.district1.ID, Date: day("2022-03-15"), TaskGroup: "c", Kind: nscl.KindConsulting,
				Description: fmt.Sprintf("Tư vấn %d", n), Quantities: []nscl.Quantity{{Metric: mTraining, Value: 1}}}
			if tx != nil {
				return tx.CreateActivity(ctx, f.prog, a)
			}
			return s.CreateActivity(ctx, f.prog, a)
		}
		expect := func(what string, err error, locked bool) { t.Helper(); expectRefusal(t, what, err, locked) }
		expect("before the submission", write(nil), false) // the unit's locks read, and kept on PostgreSQL
		sub := mustActOnSubmission(t, other, p.reporter1, r, f.district1, 1, ActionSubmit, "")
		expect("after another process submitted", write(nil), true)

		if _, err := other.writer().exec(t.Context(), `UPDATE submissions SET status = 'returned', comment = 'Sửa tay' WHERE round_id = ? AND unit_id = ?`,
			r.ID, f.district1.ID); err != nil {
			t.Fatal(err)
		}
		expect("after SQL typed by hand returned it", write(nil), false)

		err := s.Update(ctx, func(tx *Tx) error {
			if err := write(tx); err != nil {
				return err
			}
			if _, err := tx.ActOnSubmission(ctx, r.ID, f.district1.ID, sub.Version, ActionSubmit, ""); err != nil {
				return err
			}
			return write(tx)
		})
		expect("after the writing transaction submitted", err, true)
		expect("after that transaction failed", write(nil), false)

		// Another process holds the lock while it submits; the write waits
		// for it, then reads the lock version it left.
		submitted, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- other.Update(ctx, func(tx *Tx) error {
				if _, err := tx.ActOnSubmission(ctx, r.ID, f.district1.ID, sub.Version, ActionSubmit, ""); err != nil {
					return err
				}
				close(submitted)
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		}()
		<-submitted
		expect("after a write waited for a submission", write(nil), true)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Fatalf("CheckTotals: %v %v", diffs, err)
		}
	})
}

// A write of an activity is refused for a unit that is no longer the
// reporter's, and allowed for the one that now is, whoever moved the user:
// SQL typed by hand, or a transaction that held the lock while the write
// waited for it. On PostgreSQL the write takes the user from those kept
// at the user version read with the audit chain's lock (actorUser); on
// SQLite it reads the user, and the test holds it to the same.
func TestWritesFollowUserChanges(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		s, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, s)
		reporter := newRoleUsers(t, s, f).reporter1
		ctx := WithActor(t.Context(), reporter.ID)
		n := 0
		write := func(unit nscl.OrgUnit) error {
			n++
			return s.CreateActivity(ctx, f.prog, &nscl.Activity{UnitID: unit.ID, Date: day("2022-03-15"), TaskGroup: "c", Kind: nscl.KindConsulting,
				Description: fmt.Sprintf("Tư vấn %d", n), Quantities: []nscl.Quantity{{Metric: mTraining, Value: 1}}})
		}
		expect := func(what string, err error, refused bool) { t.Helper(); expectRefusal(t, what, err, refused) }
		moveTo := func(c conn, unit nscl.OrgUnit) error {
			_, err := c.exec(t.Context(), `UPDATE users SET unit_id = ? WHERE id = ?`, unit.ID, reporter.ID)
			return err
		}
		expect("the reporter's own unit", write(f.district1), false) // the user read, and kept on PostgreSQL
		expect("another unit", write(f.district2), true)
		if err := moveTo(other.writer(), f.district2); err != nil {
			t.Fatal(err)
		}
		expect("the old unit after SQL typed by hand moved the reporter", write(f.district1), true)
		expect("the new unit", write(f.district2), false)

		// Another process holds the lock while it moves the reporter back;
		// the write waits for it, then reads the user version it left.
		moved, done := make(chan struct{}), make(chan error, 1)
		go func() {
			done <- other.Update(ctx, func(tx *Tx) error {
				if err := moveTo(tx.conn, f.district1); err != nil {
					return err
				}
				close(moved)
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		}()
		<-moved
		expect("after a write waited for the move back", write(f.district1), false)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Fatalf("CheckTotals: %v %v", diffs, err)
		}
	})
}

// expectRefusal fails the test unless err is a write's refusal (refused)
// or nil (not refused).
func expectRefusal(t *testing.T, what string, err error, refused bool) {
	t.Helper()
	switch {
	case refused && nscl.ErrorCode(err) != nscl.EFORBIDDEN:
		t.Fatalf("%s: %v, want a refusal", what, err)
	case !refused && err != nil:
		t.Fatalf("%s: %v, want the write", what, err)
	}
}
