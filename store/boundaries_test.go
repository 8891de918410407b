package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"nscl"
)

// TestBoundariesProperty grows a random tree with activities, records
// every unit's figures, then makes random successions (mergers, splits,
// renamings into new or existing units) and moves over 2025–2026 and adds
// the new units' work. Then, for every unit and several years:
//   - the figures in today's tree equal a recount over the raw activities
//     of every unit reached by following the tree and the successions,
//     found here by a plain fixpoint over sets;
//   - the figures as of a day before the first change equal those recorded
//     before any change was made;
//   - the figures as of the day of each change equal a recount over the
//     tree as the test itself recorded it on that day.
func TestBoundariesProperty(t *testing.T) {
	seed := propertySeed(t)
	runs := 3
	if testing.Short() {
		runs = 1
	}
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		for run := range runs {
			r := &treeRun{t: t, s: s, f: f, rng: rand.New(rand.NewPCG(seed, uint64(run))), prefix: fmt.Sprintf("R%d-", run)}
			r.grow()
			before := r.record()
			changes := r.change()
			beforeChanges := nscl.Boundaries{AsOf: day("2024-12-31")}
			for _, u := range r.units {
				for _, y := range []int{2022, 2024} {
					r.compare(u, y, beforeChanges, before[figKey{u.ID, y}], "as of 31/12/2024 against the figures recorded before any change")
				}
				for _, y := range []int{2022, 2024, 2025, 2026} {
					r.compare(u, y, nscl.Boundaries{}, r.recount(r.reach(u.ID, r.now()), y), "today, against a recount")
				}
				for _, c := range changes {
					r.compare(u, 2026, nscl.Boundaries{AsOf: c.on}, r.recount(r.reach(u.ID, c), 2026), "as of "+c.on.Format("02/01/2006")+", against a recount")
				}
			}
			checkTotalsAgree(t, s)
			t.Logf("run %d: %d units, %d activities, %d changes", run, len(r.units), len(r.acts), len(changes))
		}
	})
}

// treeRun is one run: the store, and the test's own record of the tree
// and the activities.
type treeRun struct {
	t      *testing.T
	s      *Store
	f      *fixture
	rng    *rand.Rand
	prefix string // of the run's unit codes
	units  []nscl.OrgUnit
	parent map[int64]int64 // by unit: its parent today
	closed map[int64]bool
	succ   []nscl.Succession
	acts   []nscl.Activity
}

// treeState is the tree as the test recorded it on a day.
type treeState struct {
	on     time.Time
	parent map[int64]int64
	opened map[int64]bool // units open by then (closed ones included)
	succ   []nscl.Succession
}

type figKey struct {
	unit int64
	year int
}

// taxCodes are the enterprises the distinct-rule indicator's activities name.
var taxCodes = []string{t1, t2, t3, t4, t5}

// grow adds three provinces under the ministry, departments under them
// and units under those, each with a few activities in 2021–2024.
func (r *treeRun) grow() {
	r.parent, r.closed = map[int64]int64{}, map[int64]bool{}
	for p := range 3 {
		prov := r.add(fmt.Sprintf("P%d", p), nscl.LevelProvince, r.f.ministry.ID, time.Time{})
		for d := range 1 + r.rng.IntN(3) {
			dept := r.add(fmt.Sprintf("P%d-D%d", p, d), nscl.LevelDepartment, prov.ID, time.Time{})
			for u := range r.rng.IntN(3) {
				r.add(fmt.Sprintf("P%d-D%d-U%d", p, d, u), nscl.LevelUnit, dept.ID, time.Time{})
			}
		}
	}
	for _, u := range r.units {
		for range r.rng.IntN(4) {
			r.activity(u, time.Date(2021+r.rng.IntN(4), time.Month(1+r.rng.IntN(12)), 1+r.rng.IntN(28), 0, 0, 0, 0, time.UTC))
		}
	}
}

// add creates a unit and records it.
func (r *treeRun) add(code string, level nscl.UnitLevel, parent int64, opened time.Time) nscl.OrgUnit {
	r.t.Helper()
	u := nscl.OrgUnit{ParentID: parent, Code: r.prefix + code, Name: "Đơn vị " + code, Level: level, OpenedOn: opened}
	if err := r.s.Update(r.t.Context(), func(tx *Tx) error { return tx.CreateUnit(r.t.Context(), &u) }); err != nil {
		r.t.Fatalf("unit %s: %v", code, err)
	}
	r.units = append(r.units, u)
	r.parent[u.ID] = parent
	return u
}

// activity writes an activity of unit on day with random figures: the
// sum-rule indicator and the distinct-rule one with the enterprises named.
func (r *treeRun) activity(u nscl.OrgUnit, on time.Time) {
	r.t.Helper()
	named := slices.Clone(taxCodes)
	r.rng.Shuffle(len(named), func(i, j int) { named[i], named[j] = named[j], named[i] })
	named = named[:1+r.rng.IntN(3)]
	a := nscl.Activity{UnitID: u.ID, Date: on, TaskGroup: "d", Kind: nscl.KindTraining, Description: "Lớp tập huấn năng suất chất lượng",
		Quantities:    []nscl.Quantity{qty(mTraining, 1+r.rng.Int64N(50)), qty(mSupported, int64(len(named)))},
		Beneficiaries: named}
	if err := r.s.Update(r.t.Context(), func(tx *Tx) error { return tx.CreateActivity(r.t.Context(), r.f.prog, &a) }); err != nil {
		r.t.Fatalf("activity of %s on %s: %v", u.Code, on.Format(time.DateOnly), err)
	}
	r.acts = append(r.acts, a)
}

// record reads every unit's figures before any change.
func (r *treeRun) record() map[figKey]map[string]nscl.Figures {
	out := map[figKey]map[string]nscl.Figures{}
	for _, u := range r.units {
		for _, y := range []int{2022, 2024} {
			got, err := r.s.FiguresWith(r.t.Context(), r.f.prog, u.ID, 2021, y, FigureOptions{SkipReach: true})
			if err != nil {
				r.t.Fatal(err)
			}
			out[figKey{u.ID, y}] = got
		}
	}
	return out
}

// change makes four to eight changes on days in 2025–2026, each a
// succession or a move, and gives the new units work after their
// opening; it returns the tree as it stood after each.
func (r *treeRun) change() []treeState {
	var states []treeState
	on := day("2025-01-01")
	for range 4 + r.rng.IntN(5) {
		on = on.AddDate(0, 0, 20+r.rng.IntN(40))
		var open []nscl.OrgUnit
		for _, u := range r.units {
			if !r.closed[u.ID] && u.OpenedOn.Before(on) {
				open = append(open, u)
			}
		}
		u := open[r.rng.IntN(len(open))]
		if r.rng.IntN(3) == 0 && r.moveSomewhere(u, on, open) {
			states = append(states, r.state(on))
			continue
		}
		r.closeInto(u, on, open)
		states = append(states, r.state(on))
	}
	return states
}

// moveSomewhere moves u under another open unit of the level above it,
// and reports whether there was one.
func (r *treeRun) moveSomewhere(u nscl.OrgUnit, on time.Time, open []nscl.OrgUnit) bool {
	r.t.Helper()
	var parents []nscl.OrgUnit
	for _, p := range open {
		if p.ID != r.parent[u.ID] && p.ID != u.ID && p.Level.Above(u.Level) && !r.under(p.ID, u.ID) && p.Level != nscl.LevelMinistry {
			parents = append(parents, p)
		}
	}
	if len(parents) == 0 {
		return false
	}
	p := parents[r.rng.IntN(len(parents))]
	if err := r.s.Update(r.t.Context(), func(tx *Tx) error {
		_, err := tx.MoveUnit(r.t.Context(), u.Code, p.Code, on)
		return err
	}); err != nil {
		r.t.Fatalf("move %s under %s on %s: %v", u.Code, p.Code, on.Format(time.DateOnly), err)
	}
	r.parent[u.ID] = p.ID
	return true
}

// under reports whether unit a is b or under it today.
func (r *treeRun) under(a, b int64) bool {
	for id := a; id != 0; id = r.parent[id] {
		if id == b {
			return true
		}
	}
	return false
}

// closeInto closes u on day into one to three successors, new units
// (opened that day, with work of their own after) or open ones.
func (r *treeRun) closeInto(u nscl.OrgUnit, on time.Time, open []nscl.OrgUnit) {
	r.t.Helper()
	var codes []string
	for n := range 1 + r.rng.IntN(3) {
		var succ nscl.OrgUnit
		if candidates := slices.DeleteFunc(slices.Clone(open), func(o nscl.OrgUnit) bool { return o.ID == u.ID || slices.Contains(codes, o.Code) }); r.rng.IntN(2) == 0 && len(candidates) > 0 {
			succ = candidates[r.rng.IntN(len(candidates))]
			if slices.Contains(nscl.Predecessors(r.succ, u.ID), succ.ID) {
				continue // would loop: refused by the store, tested elsewhere
			}
		} else {
			succ = r.add(fmt.Sprintf("N%s-%d", on.Format("0102"), n), u.Level, r.parent[u.ID], on)
			r.activity(succ, on.AddDate(0, 0, r.rng.IntN(30)))
		}
		codes = append(codes, succ.Code)
		r.succ = append(r.succ, nscl.Succession{PredecessorID: u.ID, SuccessorID: succ.ID, On: on})
	}
	if len(codes) == 0 {
		return
	}
	if err := r.s.Update(r.t.Context(), func(tx *Tx) error {
		_, err := tx.CloseUnitInto(r.t.Context(), u.Code, on, codes)
		return err
	}); err != nil {
		r.t.Fatalf("close %s into %v on %s: %v", u.Code, codes, on.Format(time.DateOnly), err)
	}
	r.closed[u.ID] = true
}

// state copies the tree as it stands after the changes of day on.
func (r *treeRun) state(on time.Time) treeState {
	st := treeState{on: on, parent: map[int64]int64{}, opened: map[int64]bool{}, succ: slices.Clone(r.succ)}
	for _, u := range r.units {
		st.parent[u.ID] = r.parent[u.ID]
		st.opened[u.ID] = !u.OpenedOn.After(on)
	}
	return st
}

// now is today's tree: the last state, every unit open.
func (r *treeRun) now() treeState {
	return r.state(day("2099-12-31"))
}

// reach finds, by a plain fixpoint, the units whose work counts for unit
// in the tree st: the unit; then, until nothing is added, the children of
// any unit found (among those opened by then) and the predecessors of any.
func (r *treeRun) reach(unit int64, st treeState) map[int64]bool {
	found := map[int64]bool{unit: true}
	for grew := true; grew; {
		grew = false
		for id, p := range st.parent {
			if found[p] && !found[id] && st.opened[id] {
				found[id], grew = true, true
			}
		}
		for _, s := range st.succ {
			if found[s.SuccessorID] && !found[s.PredecessorID] {
				found[s.PredecessorID], grew = true, true
			}
		}
	}
	return found
}

// recount adds up the activities of the units found, for year and from
// 2021: the sum-rule indicator's figures and the distinct-rule one's
// enterprises and visits.
func (r *treeRun) recount(units map[int64]bool, year int) map[string]nscl.Figures {
	var train, supported nscl.Figures
	inYear, upTo := map[string]bool{}, map[string]bool{}
	for _, a := range r.acts {
		y := a.Date.Year()
		if !units[a.UnitID] || y > year {
			continue
		}
		for _, q := range a.Quantities {
			switch q.Metric {
			case mTraining:
				train.Cumulative += q.Value
				if y == year {
					train.YearValue += q.Value
				}
			case mSupported:
				supported.CumulativeVisits += q.Value
				if y == year {
					supported.YearVisits += q.Value
				}
			}
		}
		for _, tc := range a.Beneficiaries {
			upTo[tc] = true
			if y == year {
				inYear[tc] = true
			}
		}
	}
	supported.YearValue, supported.Cumulative = int64(len(inYear)), int64(len(upTo))
	return map[string]nscl.Figures{mTraining: train, mSupported: supported}
}

// compare reads the unit's figures within b and checks the two
// indicators' against want.
func (r *treeRun) compare(u nscl.OrgUnit, year int, b nscl.Boundaries, want map[string]nscl.Figures, what string) {
	r.t.Helper()
	got, err := r.s.FiguresWith(r.t.Context(), r.f.prog, u.ID, 2021, year, FigureOptions{SkipReach: true, Boundaries: b})
	if err != nil {
		r.t.Fatalf("%s %d %s: %v", u.Code, year, what, err)
	}
	for _, code := range []string{mTraining, mSupported} {
		g, w := got[code], want[code]
		g.PendingYear, g.PendingCumulative, w.PendingYear, w.PendingCumulative = 0, 0, 0, 0
		if g != w {
			r.t.Errorf("%s %s %d, %s: %+v, want %+v", u.Code, code, year, what, g, w)
		}
	}
}
