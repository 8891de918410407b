package store

import (
	"math/rand/v2"
	"testing"

	"nscl"
)

// YearFigures gives for each year what FiguresWith gives for that year
// alone, beneficiary lists left out (whether or not the options say so):
// after random writes, reviews, moves
// of units and merges of enterprises, for every unit, on both bases, in
// today's tree and within an earlier year's boundaries.
func TestYearFiguresEqualEachYearAlone(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		r := newPropRun(t, s, rand.New(rand.NewPCG(propertySeed(t), 3)))
		r.openRounds()
		for range 200 {
			r.step()
		}
		const from, to = 2020, 2026 // a year on each side with nothing in it
		notZero := map[nscl.CountingRule]int{}
		for _, u := range r.f.units() {
			for _, b := range []nscl.Boundaries{{}, nscl.YearEnd(2022)} {
				for _, approvedOnly := range []bool{false, true} {
					o := FigureOptions{ApprovedOnly: approvedOnly, SkipReach: true, Boundaries: b}
					got, err := s.YearFigures(ctx, r.f.prog, u.ID, from, to, FigureOptions{ApprovedOnly: approvedOnly, Boundaries: b})
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != to-from+1 {
						t.Fatalf("%s: %d years, want %d", u.Code, len(got), to-from+1)
					}
					for y := from; y <= to; y++ {
						want, err := s.FiguresWith(ctx, r.f.prog, u.ID, y, y, o)
						if err != nil {
							t.Fatal(err)
						}
						for _, m := range r.f.prog.Metrics {
							if got[y][m.Code] != want[m.Code] {
								t.Errorf("%s %d %s (approved only %v, boundaries %+v): by year %+v, alone %+v",
									u.Code, y, m.Code, approvedOnly, b, got[y][m.Code], want[m.Code])
							}
							if want[m.Code] != (nscl.Figures{}) {
								notZero[m.Rule]++
							}
						}
					}
				}
			}
		}
		t.Logf("figures compared that are not zero, by rule: %v; operations: %v", notZero, r.ops)
		for _, rule := range []nscl.CountingRule{nscl.RuleSum, nscl.RuleDistinct, nscl.RuleLast} {
			if notZero[rule] < 10 {
				t.Errorf("only %d figures under the %s rule were not zero: the run compared too little", notZero[rule], rule)
			}
		}
	})
}
