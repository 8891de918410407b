package store

import (
	"maps"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
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
// The round trips are counted twice: by the store, and on the wire between
// it and the server, where BEGIN and COMMIT are exchanges too.
func TestActivityWriteRoundTrips(t *testing.T) {
	wire := newTripCounter(t, postgresOnly(t, "round trips are PostgreSQL's"))
	s := openStore(t, wire.dsn)
	f := newFixture(t, s)
	// Written as a user does, whom the write reads for what the user may do.
	ctx := WithActor(t.Context(), newRoleUsers(t, s, f).focal.ID)
	// The first writes draw the tree, the units' locks and a block of IDs,
	// once for many, and each connection prepares a statement the first
	// time it sends it: they send each statement's shape (the units' depths
	// in the tree, the years) first.
	for i := range 24 {
		if err := s.CreateActivity(ctx, f.prog, benchActivity(f, 100+i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		a := benchActivity(f, i)
		statements, trips, onWire := s.Statements.Load(), s.RoundTrips.Load(), wire.trips.Load()
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
		statements, trips, onWire = s.Statements.Load()-statements, s.RoundTrips.Load()-trips, wire.trips.Load()-onWire
		t.Logf("write %d: %d statements in %d round trips (%d on the wire)", i, statements, trips, onWire)
		if onWire > maxWriteTrips || trips*2 > statements {
			t.Errorf("write %d: %d statements in %d round trips on the wire, want at most %d and half the statements", i, statements, onWire, maxWriteTrips)
		}
		if trips != onWire {
			t.Errorf("write %d: the store counted %d round trips, the wire %d", i, trips, onWire)
		}
	}
	// An activity with a row key of its own goes the same way.
	a := benchActivity(f, 4)
	a.Ref = "Hồ sơ số 4"
	trips, onWire := s.RoundTrips.Load(), wire.trips.Load()
	if err := s.CreateActivity(ctx, f.prog, a); err != nil {
		t.Fatal(err)
	}
	if trips, onWire = s.RoundTrips.Load()-trips, wire.trips.Load()-onWire; onWire > maxWriteTrips || trips != onWire {
		t.Errorf("a write with its own row key: %d round trips on the wire, %d by the store's count; want at most %d", onWire, trips, maxWriteTrips)
	}
	// An update and a delete claim the activity in the round trip that
	// takes the audit chain's lock and read it there; the first few
	// prepare their statements on each connection.
	for i := range 12 {
		a := benchActivity(f, 200+i)
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
		moved := benchActivity(f, 300+i)
		moved.ID, moved.Version = a.ID, a.Version
		for _, c := range []struct {
			name  string
			write func() error
		}{
			{"an update", func() error { return s.UpdateActivity(ctx, f.prog, moved) }},
			{"a delete", func() error { return s.DeleteActivity(ctx, f.prog, moved.ID, moved.Version) }},
		} {
			trips, onWire := s.RoundTrips.Load(), wire.trips.Load()
			if err := c.write(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			trips, onWire = s.RoundTrips.Load()-trips, wire.trips.Load()-onWire
			if i >= 8 && (onWire > maxClaimTrips || trips != onWire) {
				t.Errorf("%s: %d round trips on the wire, %d by the store's count; want at most %d", c.name, onWire, trips, maxClaimTrips)
			}
		}
	}
}

// A claim sent ahead with the audit chain's lock (PostgreSQL) that no
// update or delete then answers is refused at the commit and undone, so no
// version moves without its audit entry; so is one of another activity
// than the one the write updates.
func TestClaimSentAheadIsAnsweredOrUndone(t *testing.T) {
	s := openStore(t, postgresOnly(t, "only PostgreSQL sends a claim ahead"))
	f := newFixture(t, s)
	ctx := t.Context()
	a, b := benchActivity(f, 1), benchActivity(f, 2)
	for _, x := range []*nscl.Activity{a, b} {
		if err := s.CreateActivity(ctx, f.prog, x); err != nil {
			t.Fatal(err)
		}
	}
	before := dumpDB(t, s)
	moved := benchActivity(f, 3)
	moved.ID, moved.Version = b.ID, b.Version
	for _, c := range []struct {
		name string
		fn   func(tx *Tx) error
	}{
		{"no write", func(tx *Tx) error { return nil }},
		{"another activity's update", func(tx *Tx) error { return tx.UpdateActivity(ctx, f.prog, moved) }},
	} {
		err := s.updateClaiming(ctx, claimOf(f.prog, a.ID, a.Version), c.fn)
		if err == nil || !strings.Contains(err.Error(), "claimed and not written") {
			t.Errorf("%s after a claim sent ahead: %v, want the claim refused", c.name, err)
		}
		if dumpDB(t, s) != before {
			t.Errorf("%s after a claim sent ahead: the database changed", c.name)
		}
	}
}

// maxClaimTrips: an update or a delete first claims the activity and reads
// it as it was, in the round trip that takes the audit chain's lock (it
// took one of its own before 05/12/2026's fourth session; seven before the
// claim and the reads of the row, its quantities and its beneficiaries went
// in one).
const maxClaimTrips = 2

// An activity's own row key found taken when the held-back writes are sent
// is refused by name, whichever of a transaction's activities holds it, and
// nothing of the transaction is kept (both engines; only PostgreSQL holds
// the writes back).
func TestOwnRefTakenIsNamed(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		first := benchActivity(f, 1)
		first.Ref = "Hồ sơ 12"
		if err := s.CreateActivity(ctx, f.prog, first); err != nil {
			t.Fatal(err)
		}
		before := dumpDB(t, s)
		for _, c := range []struct {
			refs  []string
			batch bool // an import's: its rows wait apart, and its keys go at once
		}{{[]string{"Hồ sơ 12"}, false}, {[]string{"Hồ sơ 12", "Hồ sơ 13"}, false}, {[]string{"Hồ sơ 13", "Hồ sơ 12"}, false},
			{[]string{"Hồ sơ 13", "Hồ sơ 12", "Hồ sơ 14"}, false}, {[]string{"Hồ sơ 13", "Hồ sơ 12", "Hồ sơ 14"}, true}, {[]string{"", "Hồ sơ 12", ""}, true}} {
			refs := c.refs
			err := s.Update(ctx, func(tx *Tx) error {
				if c.batch {
					tx.Batch()
				}
				for i, ref := range refs {
					// One unit, neither enterprises nor a last value: no read
					// (of another unit's locks, of the enterprises' years, of
					// the latest values) sends the writes held back.
					a := benchActivity(f, 10+i)
					a.UnitID, a.Ref, a.Beneficiaries, a.Quantities = f.district1.ID, ref, nil, []nscl.Quantity{{Metric: mTraining, Value: 1}}
					if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
						return err
					}
				}
				return nil
			})
			if nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), `"Hồ sơ 12"`) {
				t.Errorf("%q (batch %t): %v, want the conflict of \"Hồ sơ 12\"", refs, c.batch, err)
			}
			wantUnchanged(t, s, before)
		}
	})
}

// maxWriteTrips: BEGIN with the audit chain's lock (and the versions of
// the tree, the locks and the users, from which the unit, its ancestors,
// its locks and the user writing are known), then every write with COMMIT,
// the enterprises' years worked out by the server. Twelve before the tree
// was known and IDs drawn beforehand, seven before the locks and the user
// were kept and BEGIN and COMMIT sent with other statements, three before
// the server worked the enterprises' years out.
const maxWriteTrips = 2

// tripCounter stands between the store and PostgreSQL and counts the round
// trips on the wire: each time a connection's client sends after the
// server answered (or first), one more.
type tripCounter struct {
	dsn   string // dsn, through the counter
	trips atomic.Int64
}

func newTripCounter(t *testing.T, dsn string) *tripCounter {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	server := u.Host
	u.Host = ln.Addr().String()
	c := &tripCounter{dsn: u.String()}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			go c.relay(client, server)
		}
	}()
	return c
}

// relay copies one connection both ways, counting the client's turns. A
// server it cannot reach closes the client's connection, which the store
// reports.
func (c *tripCounter) relay(client net.Conn, server string) {
	defer client.Close()
	up, err := net.Dial("tcp", server)
	if err != nil {
		return
	}
	defer up.Close()
	var mu sync.Mutex
	clientsTurn := true // nothing answered yet: the first send is a trip
	copyCounting := func(dst, src net.Conn, fromClient bool) {
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				mu.Lock()
				if fromClient && clientsTurn {
					c.trips.Add(1)
				}
				clientsTurn = !fromClient
				mu.Unlock()
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				dst.Close()
				return
			}
		}
	}
	go copyCounting(client, up, false)
	copyCounting(up, client, true)
}
