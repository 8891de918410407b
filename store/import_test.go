package store

import (
	"fmt"
	"testing"
	"time"

	"nscl"
)

// EachActivity visits every activity the filter selects exactly once,
// newest first, across many pages, with many activities on one day (where
// the page boundary falls between equal dates), and honours the filter.
func TestEachActivityVisitsAllOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		const n = 1234
		err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for i := range n {
				unit := []nscl.OrgUnit{f.district1, f.district2}[i%2]
				a := activity(unit, fmt.Sprintf("2022-%02d-01", 1+i%3)) // three days only
				a.Ref = fmt.Sprintf("R%d", i)
				if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
					return err
				}
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			filter ActivityFilter
			want   int
		}{
			{ActivityFilter{}, n},
			{ActivityFilter{UnitID: f.district2.ID}, n / 2},
			{ActivityFilter{UnitID: f.district1.ID, From: day("2022-02-01")}, 411}, // i even, i%3 in {1,2}
		} {
			seen := map[int64]bool{}
			var prev nscl.Activity
			err := s.EachActivity(ctx, f.prog, c.filter, func(a nscl.Activity) error {
				if seen[a.ID] {
					return fmt.Errorf("activity %d visited twice", a.ID)
				}
				seen[a.ID] = true
				if prev.ID != 0 && (a.Date.After(prev.Date) || a.Date.Equal(prev.Date) && a.ID > prev.ID) {
					return fmt.Errorf("activity %d (%s) after %d (%s): not newest first", a.ID, a.Date.Format(time.DateOnly), prev.ID, prev.Date.Format(time.DateOnly))
				}
				if c.filter.UnitID != 0 && a.UnitID != c.filter.UnitID {
					return fmt.Errorf("activity %d of unit %d outside the filter", a.ID, a.UnitID)
				}
				prev = a
				return nil
			})
			if err != nil {
				t.Fatalf("%+v: %v", c.filter, err)
			}
			if len(seen) != c.want {
				t.Errorf("%+v: visited %d activities, want %d", c.filter, len(seen), c.want)
			}
		}
	})
}
