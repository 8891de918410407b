package store

import (
	"maps"
	"os"
	"strings"
	"testing"

	"nscl"
)

// A write held back (execLater) is seen by the transaction's next read,
// and by the database once committed.
func TestHeldBackWritesAreSentBeforeReads(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		err := s.Update(ctx, func(tx *Tx) error {
			for _, name := range []string{"Tên thứ nhất", "Tên thứ hai"} {
				if err := tx.execLater(ctx, `UPDATE programmes SET name = ? WHERE id = ?`, name, f.prog.ID); err != nil {
					return err
				}
			}
			var got string
			if err := tx.queryRow(ctx, `SELECT name FROM programmes WHERE id = ?`, f.prog.ID).Scan(&got); err != nil {
				return err
			}
			if got != "Tên thứ hai" {
				t.Errorf("read in the transaction: %q, want the last write held back", got)
			}
			return tx.execLater(ctx, `UPDATE programmes SET name = ? WHERE id = ?`, "Tên thứ ba", f.prog.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := s.reader().queryRow(ctx, `SELECT name FROM programmes WHERE id = ?`, f.prog.ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != "Tên thứ ba" {
			t.Errorf("after commit: %q, want the write held back until the commit", got)
		}
	})
}

// A held-back write the database refuses fails the transaction when it is
// sent, and nothing the transaction wrote is kept: not the activity
// written before it, nor its kept totals.
func TestRefusedHeldBackWriteKeepsNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		before, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a := benchActivity(f, 1)
		err = s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
				return err
			}
			// quantity >= 0 is a CHECK of the table: refused by the database.
			return tx.execLater(ctx, `INSERT INTO activity_quantities (activity_id, metric_id, unit_id, year, occurred_on, quantity) VALUES (?, ?, ?, ?, ?, ?)`,
				a.ID, f.prog.Metrics[0].ID, a.UnitID, a.Year(), formatDate(a.Date), -1)
		})
		if err == nil {
			t.Fatal("a refused write was committed")
		}
		if !strings.Contains(strings.ToLower(err.Error()), "check") {
			t.Errorf("error %q does not say which rule refused the write", err)
		}
		if _, err := s.Activity(ctx, a.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("the activity of the failed transaction: %v, want not found", err)
		}
		after, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Errorf("kept totals moved by a failed transaction: %v, want %v", after, before)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("CheckTotals: %v %v", diffs, err)
		}
	})
}

// On PostgreSQL, a write of an activity with its kept totals goes to the
// server in a few round trips, not one per statement (some twenty of them).
func TestActivityWriteRoundTrips(t *testing.T) {
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " not set: round trips are PostgreSQL's")
	}
	s := openStore(t, postgresSchema(t, base))
	f := newFixture(t, s)
	ctx := t.Context()
	// The first write draws the tree and a block of IDs, once for many.
	if err := s.CreateActivity(ctx, f.prog, benchActivity(f, 0)); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		a := benchActivity(f, i)
		statements, trips := s.Statements.Load(), s.RoundTrips.Load()
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
		statements, trips = s.Statements.Load()-statements, s.RoundTrips.Load()-trips
		t.Logf("write %d: %d statements in %d round trips", i, statements, trips)
		if trips > maxWriteTrips || trips*2 > statements {
			t.Errorf("write %d: %d statements in %d round trips, want at most %d and half the statements", i, statements, trips, maxWriteTrips)
		}
	}
}

// maxWriteTrips: the audit chain's lock (with the tree's version, from
// which the unit and its ancestors are known), the unit's locks, the
// writes held back with the read of the enterprises' years, and the rest
// of them. Nine before the tree was known and IDs drawn beforehand.
const maxWriteTrips = 4
