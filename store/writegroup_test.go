package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"nscl"
)

// groupedWrites starts writes while a first write holds SQLite's writer,
// waits until they all wait behind it (on SQLite, where they then commit
// as one group), lets the first go on and returns each write's result by
// name. On PostgreSQL each commits on its own, with the same results.
func groupedWrites(t *testing.T, s *Store, f *fixture, writes map[string]func() error) map[string]error {
	t.Helper()
	ctx := t.Context()
	release := make(chan struct{})
	results := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(name string, write func() error) {
		wg.Go(func() {
			err := write()
			mu.Lock()
			results[name] = err
			mu.Unlock()
		})
	}
	run("first", func() error {
		return s.updateGrouped(ctx, nil, func(tx *Tx) error {
			<-release
			return tx.CreateActivity(ctx, f.prog, benchActivity(f, 1))
		})
	})
	if s.dialect == sqlite {
		waitFor(t, func() bool { waiting, leading := s.writesWaiting(); return len(waiting) == 0 && leading })
	}
	for name, write := range writes {
		run(name, write)
	}
	if s.dialect == sqlite {
		waitFor(t, func() bool { waiting, _ := s.writesWaiting(); return len(waiting) == len(writes) })
	}
	close(release)
	all := make(chan struct{})
	go func() { wg.Wait(); close(all) }()
	select {
	case <-all:
	case <-time.After(30 * time.Second):
		t.Fatal("writes still wait for their answers")
	}
	mu.Lock()
	defer mu.Unlock()
	return results
}

// writesWaiting is the writes waiting for a group, and whether a group is
// being written.
func (s *Store) writesWaiting() ([]*groupedWrite, bool) {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	return append([]*groupedWrite(nil), s.writes.waiting...), s.writes.leading
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writes did not queue")
		}
	}
}

// Activity writes that arrive while another is being written commit
// together on SQLite, each in a savepoint of its own: the refused ones
// and the one whose request ended leave nothing behind, the others are
// all kept with their totals, counts and audit entries, in one commit.
func TestWritesCommitTogether(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s)
		old := benchActivity(f, 0)
		if err := s.CreateActivity(ctx, f.prog, old); err != nil {
			t.Fatal(err)
		}
		chain, err := s.CheckAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		commits := s.Commits()

		created := make([]*nscl.Activity, 12)
		writes := map[string]func() error{}
		for i := range created {
			created[i] = benchActivity(f, 100+7*i) // other units, years and enterprises
			writes[fmt.Sprintf("create %d", i)] = func() error { return s.CreateActivity(ctx, f.prog, created[i]) }
		}
		changed := *old
		changed.Quantities = []nscl.Quantity{qty(mSupported, 2), qty(mTraining, 40)}
		writes["update"] = func() error { return s.UpdateActivity(ctx, f.prog, &changed) }
		writes["stale delete"] = func() error { return s.DeleteActivity(ctx, f.prog, old.ID, old.Version+5) }
		writes["unknown metric"] = func() error {
			return s.CreateActivity(ctx, f.prog, activity(f.district1, "2023-03-01", qty("no_such_metric", 1)))
		}
		notKept := activity(f.district2, "2023-04-01", qty(mTraining, 999))
		notKept.Description = "Không được giữ"
		writes["changed its mind"] = func() error {
			return s.updateGrouped(ctx, nil, func(tx *Tx) error {
				a := *notKept
				if err := tx.CreateActivity(ctx, f.prog, &a); err != nil {
					return err
				}
				return errors.New("changed its mind")
			})
		}
		ended, cancel := context.WithCancel(ctx)
		cancel()
		writes["request ended"] = func() error {
			return s.CreateActivity(ended, f.prog, activity(f.district2, "2023-05-01", qty(mTraining, 555)))
		}

		midway := activity(f.district1, "2023-06-01", qty(mTraining, 777))
		writes["request ends midway"] = func() error {
			ending, end := context.WithCancel(ctx)
			return s.updateGrouped(ending, nil, func(tx *Tx) error {
				a := *midway
				end()
				if err := tx.CreateActivity(ending, f.prog, &a); err != nil {
					return err
				}
				midway.ID = a.ID
				return nil
			})
		}

		results := groupedWrites(t, s, f, writes)

		for name, err := range results {
			switch name {
			case "stale delete":
				if nscl.ErrorCode(err) != nscl.ECONFLICT {
					t.Errorf("%s: %v, want a conflict", name, err)
				}
			case "unknown metric":
				if nscl.ErrorCode(err) != nscl.EINVALID {
					t.Errorf("%s: %v, want it refused", name, err)
				}
			case "request ends midway":
				// In a group a write once begun runs to its end; alone
				// (PostgreSQL) it may stop. Its rows agree (below).
				if s.dialect == sqlite && err != nil {
					t.Errorf("%s: %v, want it run to its end", name, err)
				}
			case "changed its mind", "request ended":
				if err == nil {
					t.Errorf("%s: no error", name)
				}
			default:
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
		for i, a := range created {
			got, err := s.Activity(ctx, a.ID)
			if err != nil || a.ID == 0 || len(got.Quantities) != len(a.Quantities) {
				t.Errorf("create %d: %+v, %v", i, got, err)
			}
		}
		if got, err := s.Activity(ctx, old.ID); err != nil || got.Version != old.Version+1 {
			t.Errorf("the updated activity: %+v, %v", got, err)
		}
		var stray int
		if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM activities WHERE description = ? OR id IN
			(SELECT activity_id FROM activity_quantities WHERE quantity IN (555, 999))`, notKept.Description).Scan(&stray); err != nil || stray != 0 {
			t.Errorf("rows of the writes not kept: %d, %v", stray, err)
		}
		kept := 2 + len(created) // the first, the update and the creates
		var midwayRows int
		if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM activity_quantities WHERE quantity = 777`).Scan(&midwayRows); err != nil {
			t.Fatal(err)
		}
		if midwayKept := results["request ends midway"] == nil; midwayKept != (midwayRows == 1) || midwayRows > 1 {
			t.Errorf("the write whose request ended midway answered %v, and %d of its rows are kept", results["request ends midway"], midwayRows)
		} else if midwayKept {
			kept++
		}
		var n int // the one before, the first, the creates and the midway one when kept
		if want := 2 + len(created) + midwayRows; s.reader().queryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&n) != nil || n != want {
			t.Errorf("%d activities, want %d", n, want)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("kept totals: %v, %v", err, diffs)
		}
		if diffs, err := s.CheckActivityCounts(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("activity counts: %v, %v", err, diffs)
		}
		after, err := s.CheckAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Entries-chain.Entries != int64(kept) {
			t.Errorf("%d audit entries written, want %d", after.Entries-chain.Entries, kept)
		}
		want := int64(kept) // each its own commit
		if s.dialect == sqlite {
			want = 2 // the first, then every other in one group
		}
		if got := s.Commits() - commits; got != want {
			t.Errorf("%d commits, want %d", got, want)
		}
	})
}

// When SQLite gives up a group's whole transaction, no write of it is
// kept as it ran there: each runs again alone and answers for itself.
func TestGroupGivenUpRunsEachAlone(t *testing.T) {
	s := openStore(t, t.TempDir()+"/group.db")
	ctx := t.Context()
	f := newFixture(t, s)
	commits := s.Commits()
	created := make([]*nscl.Activity, 5)
	writes := map[string]func() error{}
	for i := range created {
		created[i] = benchActivity(f, 10+i)
		writes[fmt.Sprintf("create %d", i)] = func() error { return s.CreateActivity(ctx, f.prog, created[i]) }
	}
	// As SQLite does on some failures (an interrupted write, a full disk),
	// this write ends the whole transaction under the others.
	writes["rolls back"] = func() error {
		return s.updateGrouped(ctx, nil, func(tx *Tx) error {
			_, err := tx.exec(ctx, `ROLLBACK`)
			return err
		})
	}
	results := groupedWrites(t, s, f, writes)
	for name, err := range results {
		if (err != nil) != (name == "rolls back") {
			t.Errorf("%s: %v", name, err)
		}
	}
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&n); err != nil || n != 1+len(created) {
		t.Errorf("%d activities, want %d: %v", n, 1+len(created), err)
	}
	if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("kept totals: %v, %v", err, diffs)
	}
	if _, err := s.CheckAudit(ctx); err != nil {
		t.Error(err)
	}
	// The first alone, then each create alone after the group gave up.
	if got, want := s.Commits()-commits, int64(1+len(created)); got != want {
		t.Errorf("%d commits, want %d", got, want)
	}
}

// A write that panics in a group panics in its own request, as it would
// alone: the others of its group are kept, and the writes after them do
// not wait for ever.
func TestWritePanicStaysItsOwn(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s)
		writes := map[string]func() error{}
		for i := range 3 {
			writes[fmt.Sprintf("create %d", i)] = func() error { return s.CreateActivity(ctx, f.prog, benchActivity(f, 20+i)) }
		}
		writes["panics"] = func() (err error) {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("panicked: %v", v)
				}
			}()
			return s.updateGrouped(ctx, nil, func(tx *Tx) error {
				if err := tx.CreateActivity(ctx, f.prog, benchActivity(f, 50)); err != nil {
					return err
				}
				panic("a broken write")
			})
		}
		results := groupedWrites(t, s, f, writes)
		for name, err := range results {
			if name == "panics" {
				if err == nil || err.Error() != "panicked: a broken write" {
					t.Errorf("%s: %v, want its own panic", name, err)
				}
			} else if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		writeAfter(t, s, f, 5) // the first, three creates, the write after
	})
}

// When the group's own code breaks off (here a panic where a write's
// savepoint is released), every write of it is answered, none with
// success, and the writes after it are not left waiting.
func TestGroupBrokenOffAnswersEveryWrite(t *testing.T) {
	s := openStore(t, t.TempDir()+"/broken.db")
	ctx := t.Context()
	f := newFixture(t, s)
	writes := map[string]func() error{}
	for i := range 3 {
		writes[fmt.Sprintf("create %d", i)] = func() (err error) {
			defer func() { // the write that leads the group panics
				if v := recover(); v != nil {
					err = fmt.Errorf("panicked: %v", v)
				}
			}()
			return s.CreateActivity(ctx, f.prog, benchActivity(f, 30+i))
		}
	}
	traceStatement = func(query string, _ []any) {
		if query == "RELEASE "+groupSavepoint {
			panic("the group broke off")
		}
	}
	results := groupedWrites(t, s, f, writes)
	traceStatement = nil
	for name, err := range results {
		if name != "first" && err == nil { // the first was written alone
			t.Errorf("%s: answered success", name)
		}
	}
	writeAfter(t, s, f, 2) // the first, the write after
}

// writeAfter checks that a write after a group is not left waiting, then
// that the database holds want activities and their kept totals agree.
func writeAfter(t *testing.T, s *Store, f *fixture, want int) {
	t.Helper()
	ctx := t.Context()
	after := make(chan error, 1)
	go func() { after <- s.CreateActivity(ctx, f.prog, benchActivity(f, 60)) }()
	select {
	case err := <-after:
		if err != nil {
			t.Errorf("the write after: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the write after the group still waits")
	}
	var n int
	if err := s.reader().queryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&n); err != nil || n != want {
		t.Errorf("%d activities, want %d: %v", n, want, err)
	}
	if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("kept totals: %v, %v", err, diffs)
	}
}

// LastCommitOf is, for each client (a session or token), the count of
// commits just after its last write kept, whether it committed alone or in
// a group; a write refused, or made through another client of the same
// user or of another, leaves it; a client that wrote nothing for
// clientsKept is let go.
func TestLastCommitOfFollowsEachClientsWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		focal := newUser(t, s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province).ID
		other := newUser(t, s, "focal2@hcm.gov.vn", nscl.RoleFocal, f.province).ID
		through := func(user int64, client string) context.Context {
			return WithClient(WithActor(t.Context(), user), client)
		}
		if err := s.CreateActivity(through(focal, "session A"), f.prog, benchActivity(f, 1)); err != nil {
			t.Fatal(err)
		}
		if got, want := s.LastCommitOf("session A"), s.Commits(); got != want || got == 0 {
			t.Errorf("after a write through session A: %d, want the commits counted, %d", got, want)
		}
		wroteA := s.LastCommitOf("session A")
		if err := s.CreateActivity(through(focal, "token B"), f.prog, benchActivity(f, 2)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateActivity(through(other, "session C"), f.prog, benchActivity(f, 3)); err != nil {
			t.Fatal(err)
		}
		refused := benchActivity(f, 4)
		refused.UnitID = 0
		if err := s.CreateActivity(through(focal, "session A"), f.prog, refused); err == nil {
			t.Fatal("an activity of no unit was kept")
		}
		if got := s.LastCommitOf("session A"); got != wroteA {
			t.Errorf("after the same user's write through a token, another user's and a refused one: %d, want %d", got, wroteA)
		}
		if got, want := s.LastCommitOf("token B"), s.Commits()-1; got != want {
			t.Errorf("the token's: %d, want %d", got, want)
		}
		if got := s.LastCommitOf("session C"); got != s.Commits() {
			t.Errorf("the other user's session: %d, want %d", got, s.Commits())
		}
		if got := s.LastCommitOf("session D"); got != 0 {
			t.Errorf("a session that wrote nothing: %d, want 0", got)
		}
		// Written together (on SQLite, one group behind a first write).
		before := s.Commits()
		results := groupedWrites(t, s, f, map[string]func() error{
			"session A": func() error { return s.CreateActivity(through(focal, "session A"), f.prog, benchActivity(f, 5)) },
			"session C": func() error { return s.CreateActivity(through(other, "session C"), f.prog, benchActivity(f, 6)) },
		})
		for name, err := range results {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		for _, client := range []string{"session A", "session C"} {
			if got := s.LastCommitOf(client); got <= before || got > s.Commits() {
				t.Errorf("%s, after writes together: %d, want after %d and at most %d", client, got, before, s.Commits())
			}
		}
		// Past clientsKept, a client that wrote nothing since is let go;
		// one that wrote within it is kept.
		now := time.Now()
		s.lastCommit.mu.Lock()
		s.lastCommit.now = func() time.Time { return now }
		s.lastCommit.mu.Unlock()
		write := func(client string, n int) int64 {
			t.Helper()
			if err := s.CreateActivity(through(other, client), f.prog, benchActivity(f, n)); err != nil {
				t.Fatal(err)
			}
			return s.Commits()
		}
		now = now.Add(clientsKept) // session A and C wrote before
		write("session D", 7)
		now = now.Add(clientsKept / 2)
		wroteE := write("session E", 8)
		now = now.Add(clientsKept / 2)
		write("session F", 9)
		for client, want := range map[string]int64{"session A": 0, "session C": 0, "session D": 0, "session E": wroteE} {
			if got := s.LastCommitOf(client); got != want {
				t.Errorf("%s, after the sweeps: %d, want %d", client, got, want)
			}
		}
	})
}
