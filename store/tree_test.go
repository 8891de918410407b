package store

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nscl"
)

// TestCover draws random trees and random sets of units and checks that
// the cover reads each unit of the set exactly once — through one root
// whose whole subtree is in the set, or alone — with no root whose parent
// could have been read instead, and no single unit whose whole subtree is
// in the set.
func TestCover(t *testing.T) {
	rng := rand.New(rand.NewPCG(propertySeed(t), 1))
	for run := range 300 {
		n := 1 + rng.IntN(40)
		units := make([]nscl.OrgUnit, n)
		for i := range units {
			units[i].ID = int64(100 + i)
			if i > 0 && rng.IntN(8) > 0 { // now and then a second root
				units[i].ParentID = units[rng.IntN(i)].ID
			}
		}
		rng.Shuffle(n, func(i, j int) { units[i], units[j] = units[j], units[i] })
		tr := drawTree(1, units, nil, nil)
		parent, children := map[int64]int64{}, map[int64][]int64{}
		for _, u := range units {
			parent[u.ID] = u.ParentID
			children[u.ParentID] = append(children[u.ParentID], u.ID)
		}
		var subtree func(id int64) []int64
		subtree = func(id int64) []int64 {
			out := []int64{id}
			for _, c := range children[id] {
				out = append(out, subtree(c)...)
			}
			return out
		}
		in := map[int64]bool{}
		for _, u := range units {
			if rng.IntN(4) > 0 {
				in[u.ID] = true
			}
		}
		in[999] = true // a unit the tree drawn does not know yet
		set := slices.Sorted(maps.Keys(in))
		whole := func(id int64) bool {
			return !slices.ContainsFunc(subtree(id), func(u int64) bool { return !in[u] })
		}
		c := tr.cover(set)
		read := map[int64]int{}
		for _, r := range c.roots {
			if !whole(r) {
				t.Fatalf("run %d: root %d has a unit below it outside the set", run, r)
			}
			if p := parent[r]; p != 0 && whole(p) {
				t.Fatalf("run %d: root %d could be read through its parent %d", run, r, p)
			}
			for _, u := range subtree(r) {
				read[u]++
			}
		}
		for _, s := range c.singles {
			if s != 999 && whole(s) {
				t.Fatalf("run %d: unit %d read alone, though its whole subtree is in the set", run, s)
			}
			read[s]++
		}
		for _, u := range set {
			if read[u] != 1 {
				t.Fatalf("run %d: unit %d read %d times, want once", run, u, read[u])
			}
		}
		if len(read) != len(set) {
			t.Fatalf("run %d: the cover reads %d units, the set has %d", run, len(read), len(set))
		}
	}
	// The whole tree is one root.
	units := []nscl.OrgUnit{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4, ParentID: 1}}
	if c := drawTree(1, units, nil, nil).cover([]int64{4, 3, 2, 1}); !slices.Equal(c.roots, []int64{1}) || len(c.singles) != 0 {
		t.Errorf("cover of the whole tree = %+v, want the root alone", c)
	}
	// Without unit 3 (opened after the report's day, say), 1 and 2 are read alone, 4 whole.
	if c := drawTree(1, units, nil, nil).cover([]int64{1, 2, 4}); !slices.Equal(c.roots, []int64{4}) || !slices.Equal(c.singles, []int64{1, 2}) {
		t.Errorf("cover without unit 3 = %+v, want root 4 and units 1, 2 alone", c)
	}
}

// TestTreeMemo asks a tree, again and again, the units counted for each
// unit within several boundaries, the child each is shown under, and the
// cover of several sets of units,
// and checks that what it kept is what working them out again gives: after
// a caller changed what it was given, and for two sets the memo's key
// cannot tell apart.
func TestTreeMemo(t *testing.T) {
	rng := rand.New(rand.NewPCG(propertySeed(t), 2))
	day := func(y int) time.Time { return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC) }
	for run := range 50 {
		n := 2 + rng.IntN(30)
		units := make([]nscl.OrgUnit, n)
		for i := range units {
			units[i].ID = int64(1 + i)
			units[i].OpenedOn = day(2020 + rng.IntN(6))
			if i > 0 && rng.IntN(6) > 0 {
				units[i].ParentID = units[rng.IntN(i)].ID
			}
		}
		var successions []nscl.Succession
		for range rng.IntN(4) {
			successions = append(successions, nscl.Succession{PredecessorID: units[rng.IntN(n)].ID, SuccessorID: units[rng.IntN(n)].ID, On: day(2021 + rng.IntN(5))})
		}
		tr := drawTree(1, units, successions, nil)
		bounds := []nscl.Boundaries{{}, {AsOf: day(2023)}, {AsOf: day(2023), Own: true}, nscl.YearEnd(2025)}
		for range 3 {
			for _, u := range units {
				for _, b := range bounds {
					want := nscl.CountedUnits(units, successions, nil, u.ID, b)
					got := tr.counted(u.ID, b)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("run %d: counted for unit %d within %+v = %+v, want %+v", run, u.ID, b, got, want)
					}
					got.UnitIDs[0] = -1 // the caller's own copy
					if len(got.Former) > 0 {
						got.Former[0].PredecessorID = -1
					}
					// By child, for the units counted and for fewer of them.
					fewer := nscl.Counted{UnitIDs: want.UnitIDs[:len(want.UnitIDs)-1]}
					for _, c := range []nscl.Counted{want, want, fewer, fewer} {
						kept := tr.countedByChild(u.ID, b, c)
						wantUnder := nscl.CountedByChild(units, successions, nil, u.ID, b, c)
						if !reflect.DeepEqual(kept.under, wantUnder) {
							t.Fatalf("run %d: by child for unit %d within %+v of %v = %v, want %v", run, u.ID, b, c.UnitIDs, kept.under, wantUnder)
						}
						wantGroups := map[int64][]int64{}
						for _, id := range c.UnitIDs {
							wantGroups[wantUnder[id]] = append(wantGroups[wantUnder[id]], id)
						}
						if !reflect.DeepEqual(kept.groups, wantGroups) {
							t.Fatalf("run %d: units by child for unit %d within %+v of %v = %v, want %v", run, u.ID, b, c.UnitIDs, kept.groups, wantGroups)
						}
					}
				}
			}
			for range 5 {
				var set []int64
				for _, u := range units {
					if rng.IntN(3) > 0 {
						set = append(set, u.ID)
					}
				}
				if got, want := tr.cover(set), tr.drawCover(set); !reflect.DeepEqual(got, want) {
					t.Fatalf("run %d: cover of %v = %+v, want %+v", run, set, got, want)
				}
			}
		}
	}
	// {1, 6} and {2, 5} share a key (two units, sum 7, xor 7).
	units := []nscl.OrgUnit{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 5, ParentID: 1}, {ID: 6, ParentID: 2}}
	tr := drawTree(1, units, nil, nil)
	if keyOfSet([]int64{1, 6}) != keyOfSet([]int64{2, 5}) {
		t.Fatal("the two sets were meant to share a key")
	}
	for range 2 {
		for _, set := range [][]int64{{1, 6}, {2, 5}, {2, 6}} {
			if got, want := tr.cover(set), tr.drawCover(set); !reflect.DeepEqual(got, want) {
				t.Errorf("cover of %v = %+v, want %+v", set, got, want)
			}
		}
	}
	// Past its bound the memo starts again empty.
	var m treeMemo
	if !m.hold(memoUnits) || m.held != memoUnits {
		t.Fatalf("a first set of memoUnits IDs: held %d", m.held)
	}
	m.counted[countedKey{unit: 1}] = nscl.Counted{}
	if !m.hold(1) || m.held != 1 || len(m.counted) != 0 {
		t.Errorf("one more ID: held %d with %d counted kept, want 1 and none", m.held, len(m.counted))
	}
	if m.hold(memoUnits + 1) {
		t.Error("more IDs than the bound were kept")
	}
}

// The unit directory, read once per version of the tree, follows every
// change to a unit: at once when this store made it, and once the version
// is read again (treeTrusted) when another process on the same database
// did. A caller's copy of the units is its own.
func TestUnitDirectoryFollowsChanges(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		s, other := openStore(t, dsn), openStore(t, dsn)
		f := newFixture(t, s)
		named := func(st *Store, id int64) nscl.OrgUnit {
			t.Helper()
			byID, list, err := st.UnitDirectory(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if i := slices.IndexFunc(list, func(u nscl.OrgUnit) bool { return u.ID == id }); i < 0 || list[i] != byID[id] {
				t.Fatalf("unit %d: in the list %v, by ID %+v", id, i >= 0, byID[id])
			}
			return byID[id]
		}
		readAt := time.Now() // the fixture's units changed the tree: s reads its version again
		if got := named(s, f.district1.ID); got.Name != f.district1.Name || got.Code != f.district1.Code {
			t.Fatalf("the district in the directory: %+v, want %+v", got, f.district1)
		}
		renamed := f.district1
		renamed.Name = "Ủy ban nhân dân quận Một"
		if err := other.Update(ctx, func(tx *Tx) error { return tx.UpdateUnit(ctx, &renamed) }); err != nil {
			t.Fatal(err)
		}
		// Unless the machine was slow enough that the moment passed.
		if got := named(s, f.district1.ID); got.Name != f.district1.Name && time.Since(readAt) < treeTrusted/2 {
			t.Errorf("a moment after another process renamed it: %+v, want the version read a moment before, %+v", got, f.district1)
		}
		s.trees.mu.Lock()
		s.trees.found = s.trees.found.Add(-treeTrusted) // as if treeTrusted had passed
		s.trees.mu.Unlock()
		if got := named(s, f.district1.ID); got.Name != renamed.Name || got.Version != renamed.Version {
			t.Errorf("after another process renamed it: %+v, want %+v", got, renamed)
		}
		added := nscl.OrgUnit{Code: "T2-H9", Name: "Ủy ban nhân dân huyện Chín", Level: nscl.LevelDistrict, ParentID: f.province.ID}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateUnit(ctx, &added) }); err != nil {
			t.Fatal(err)
		}
		for name, st := range map[string]*Store{"this store": s, "the other": other} {
			if got := named(st, added.ID); got.Code != added.Code || got.ParentID != f.province.ID {
				t.Errorf("a unit added, seen by %s: %+v, want %+v", name, got, added)
			}
		}
		// A change this store made is seen at once, even when it was not
		// committed: a commit's answer may be lost while it was made.
		moved := added
		moved.ParentID = f.department.ID
		if err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.UpdateUnit(ctx, &moved); err != nil {
				return err
			}
			return errors.New("given up")
		}); err == nil {
			t.Fatal("a write given up was committed")
		}
		s.trees.mu.Lock()
		read := s.trees.foundAt != s.trees.changes.Load()
		s.trees.mu.Unlock()
		if !read {
			t.Error("after a change to the tree given up, the version is trusted without being read again")
		}
		units, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range units {
			units[i].Name = "changed by the caller"
		}
		if got := named(s, added.ID); got.Name != added.Name {
			t.Errorf("a caller's change to Units reached the directory: %+v", got)
		}
	})
}

// TestMigrationCountsTreeTotals makes random writes, approvals and moves,
// records every unit's figures, then takes the schema back before the
// totals per ancestor (migration 00016) and up again: migrations 00017 and
// 00018 count them from the units' kept rows, and the figures and the
// check agree with what the writes kept.
func TestMigrationCountsTreeTotals(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r := newPropRun(t, s, rand.New(rand.NewPCG(propertySeed(t), 2)))
		r.openRounds()
		for range 120 {
			r.step()
		}
		checkTotalsAgree(t, s)
		figures := func() map[string]map[string]nscl.Figures {
			out := map[string]map[string]nscl.Figures{}
			for _, u := range r.f.units() {
				for _, approvedOnly := range []bool{false, true} {
					got, err := s.FiguresWith(ctx, r.f.prog, u.ID, 2021, 2024, FigureOptions{ApprovedOnly: approvedOnly})
					if err != nil {
						t.Fatal(err)
					}
					out[fmt.Sprintf("%s approved only %v", u.Code, approvedOnly)] = got
				}
			}
			return out
		}
		// Some seeds' 120 steps leave no last-value figure (each written
		// was deleted again): the run goes on until one is kept.
		var rows int
		for extra := 0; ; extra++ {
			if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tree_latest`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows > 0 {
				break
			}
			if extra == 500 {
				t.Fatalf("tree_latest holds no row after %d steps: the run wrote no last-value figure", 120+extra)
			}
			r.step()
		}
		checkTotalsAgree(t, s)
		before := figures()
		p := migrationProvider(t, s)
		if _, err := p.DownTo(ctx, 16); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatal(err)
		}
		checkTotalsAgree(t, s)
		after := figures()
		for k, want := range before {
			if !maps.Equal(after[k], want) {
				t.Errorf("%s after the migration: %+v, want %+v", k, after[k], want)
			}
		}
		t.Logf("operations: %v", r.ops)
	})
}

// Readers that find the kept tree stale at once draw it once between them:
// one reads it while the others wait for it.
func TestTreeDrawnOnceForReadersAtOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		err := s.Update(ctx, func(tx *Tx) error {
			province := nscl.OrgUnit{Code: "P", Name: "Tỉnh", Level: nscl.LevelProvince}
			if err := tx.CreateUnit(ctx, &province); err != nil {
				return err
			}
			for i := range 500 { // enough units that drawing the tree takes a while
				u := nscl.OrgUnit{ParentID: province.ID, Code: fmt.Sprintf("D%03d", i), Name: fmt.Sprintf("Huyện %d", i), Level: nscl.LevelDistrict}
				if err := tx.CreateUnit(ctx, &u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		const readers = 16
		var mu sync.Mutex
		var versionReads, drawing int
		traceStatement = func(query string, _ []any) {
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(query, "FROM tree_version") {
				versionReads++
			} else {
				drawing++
			}
		}
		defer func() { traceStatement = nil }()
		for round := range 3 {
			var want int64
			if err := s.read.QueryRowContext(ctx, `SELECT version FROM tree_version`).Scan(&want); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			versionReads, drawing = 0, 0
			mu.Unlock()
			start, done := make(chan struct{}), make(chan error, readers)
			for range readers {
				go func() {
					<-start
					tr, err := s.tree(ctx)
					if err == nil && tr.version != want {
						err = fmt.Errorf("a reader got the tree of version %d, want %d", tr.version, want)
					}
					done <- err
				}()
			}
			close(start)
			for range readers {
				if err := <-done; err != nil {
					t.Fatal(err)
				}
			}
			// One reader reads the units, the successions and the moves;
			// the version is read by each reader that comes before the
			// tree drawn is trusted (treeTrusted), and by one at least.
			mu.Lock()
			if drawing != 3 || versionReads < 1 || versionReads > readers {
				t.Errorf("round %d: %d statements drawing the tree and %d reading its version for %d readers, want 3 and 1–%d", round, drawing, versionReads, readers, readers)
			}
			mu.Unlock()
			if err := s.Update(ctx, func(tx *Tx) error { return tx.treeChanged(ctx) }); err != nil {
				t.Fatal(err)
			}
		}
	})
}
