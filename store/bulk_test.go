package store

import (
	"fmt"
	"testing"

	"nscl"
)

// TestBulkActivitiesThenRebuild writes activities by the bulk path, a
// batch larger than one statement of rows, and checks that they read back
// whole and that the rebuilt kept totals agree with the raw rows; a bad
// activity in a batch is refused naming it, and nothing of its batch stays.
func TestBulkActivitiesThenRebuild(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s)
		acts := make([]nscl.Activity, rowsPerStatement+7)
		for i := range acts {
			acts[i] = *benchActivity(f, i)
			acts[i].Ref = fmt.Sprintf("bulk-%d", i)
		}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.BulkActivities(ctx, f.prog, acts) }); err != nil {
			t.Fatal(err)
		}
		last := acts[len(acts)-1]
		got, err := s.Activity(ctx, last.ID)
		if err != nil || got.Ref != last.Ref || len(got.Quantities) != len(last.Quantities) || len(got.Beneficiaries) != len(last.Beneficiaries) {
			t.Fatalf("read back %+v, %v; wrote %+v", got, err, last)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) == 0 {
			t.Fatalf("before the rebuild the kept totals should lack the bulk rows: %v, %d differences", err, len(diffs))
		}
		if err := s.RebuildTotals(ctx); err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("after the rebuild: %v, %v", err, diffs)
		}

		bad := []nscl.Activity{*benchActivity(f, 1), *benchActivity(f, 2)}
		bad[0].Ref, bad[1].Ref = "bulk-good", "bulk-bad"
		bad[1].Quantities = append(bad[1].Quantities, nscl.Quantity{Metric: "no_such_metric", Value: 1})
		err = s.Update(ctx, func(tx *Tx) error { return tx.BulkActivities(ctx, f.prog, bad) })
		if nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "quantities.no_such_metric" {
			t.Fatalf("a bad activity: %v (field %q)", err, nscl.ErrorField(err))
		}
		if _, found, err := activityByRef(ctx, s.reader(), f.prog.ID, "bulk-good"); err != nil || found {
			t.Fatalf("the good activity of a refused batch was written: %v, %v", found, err)
		}
	})
}

// TestWithoutTotals checks what nscl bench's plain write relies on: a
// write without the kept totals leaves them as they were, and taking it
// out the same way leaves them agreeing with the raw rows again.
func TestWithoutTotals(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s)
		if err := s.CreateActivity(ctx, f.prog, benchActivity(f, 1)); err != nil {
			t.Fatal(err)
		}
		before, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		plain := benchActivity(f, 2)
		plainly := func(fn func(tx *Tx) error) error {
			return s.Update(ctx, func(tx *Tx) error { tx.WithoutTotals(); return fn(tx) })
		}
		if err := plainly(func(tx *Tx) error { return tx.CreateActivity(ctx, f.prog, plain) }); err != nil {
			t.Fatal(err)
		}
		after, err := s.KeptTotals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("kept totals moved: before %v, after %v", before, after)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) == 0 {
			t.Fatalf("the plain write should be missing from the kept totals: %v, %d differences", err, len(diffs))
		}
		if err := plainly(func(tx *Tx) error { return tx.DeleteActivity(ctx, f.prog, plain.ID, plain.Version) }); err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("after the plain delete: %v, %v", err, diffs)
		}
	})
}
