package benchgen

import (
	"path/filepath"
	"reflect"
	"testing"

	"nscl"
	"nscl/store"
)

func small() Config {
	return Config{Provinces: 3, UnitsPerProvince: 25, Metrics: 11, FromYear: 2021, ToYear: 2030, Activities: 600, Enterprises: 200, Seed: 7}
}

// TestGeneratedProgrammeIsConsistent builds a small national programme
// and checks what the measurements rely on: the tree's shape, activities
// the same for the same seed and different for another, every counting
// rule present, and kept totals that agree with the raw rows after the
// writes and the approved round.
func TestGeneratedProgrammeIsConsistent(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "bench.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := small()
	n, err := Build(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + cfg.Provinces*cfg.UnitsPerProvince; len(units) != want || len(n.Units) != want-1 {
		t.Fatalf("%d units stored, %d drawn over; want %d and %d", len(units), len(n.Units), want, want-1)
	}
	levels := map[nscl.UnitLevel]int{}
	for _, u := range units {
		levels[u.Level]++
	}
	if levels[nscl.LevelMinistry] != 1 || levels[nscl.LevelProvince] != cfg.Provinces || levels[nscl.LevelDepartment] == 0 || levels[nscl.LevelDistrict] == 0 || levels[nscl.LevelUnit] == 0 {
		t.Errorf("levels %v", levels)
	}
	rules := map[nscl.CountingRule]bool{}
	for _, m := range n.Programme.Metrics {
		rules[m.Rule] = true
	}
	if len(n.Programme.Metrics) != cfg.Metrics || !rules[nscl.RuleSum] || !rules[nscl.RuleDistinct] || !rules[nscl.RuleLast] {
		t.Errorf("%d metrics, rules %v", len(n.Programme.Metrics), rules)
	}

	again := &National{Config: cfg, Programme: n.Programme, Units: n.Units}
	other := &National{Config: cfg, Programme: n.Programme, Units: n.Units}
	other.Seed++
	same, differ, listed := 0, 0, 0
	for i := range 100 {
		a, b, c := n.Activity(i), again.Activity(i), other.Activity(i)
		if reflect.DeepEqual(a, b) {
			same++
		}
		if !reflect.DeepEqual(a, c) {
			differ++
		}
		if len(a.Beneficiaries) > 0 {
			listed++
		}
	}
	if same != 100 || differ < 90 || listed == 0 {
		t.Errorf("same seed gave %d of 100 equal, another seed %d different; %d name beneficiaries", same, differ, listed)
	}

	if err := n.Write(ctx, st, 0, cfg.Activities, nil); err != nil {
		t.Fatal(err)
	}
	if err := n.AddRounds(ctx, st); err != nil {
		t.Fatal(err)
	}
	kept, err := st.KeptTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[nscl.ApprovalState]bool{}
	var count int64
	for k, total := range kept {
		states[k.State] = true
		if k.MetricID == n.Programme.Metrics[0].ID {
			count += total.Activities
		}
	}
	if !states[nscl.StateApproved] || !states[nscl.StatePending] {
		t.Errorf("kept totals hold the states %v, want both", states)
	}
	if count == 0 {
		t.Error("no activity counted for the first metric")
	}
	diffs, err := st.CheckTotals(ctx)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("check: %v, %d differences, first %v", err, len(diffs), diffs[:min(1, len(diffs))])
	}
}
