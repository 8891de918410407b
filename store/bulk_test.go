package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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

// TestBulkLoad checks what a bulk load promises: while it runs, the bulk
// tables' indexes that are not unique are away;
// afterwards the schema is as before, and the kept totals and activity
// counts, of the activities written before and by it, equal their
// recounts; a write after it moves the counts again; and a load that
// fails leaves the schema as before and returns its error.
func TestBulkLoad(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s)
		if err := s.CreateActivity(ctx, f.prog, benchActivity(f, 0)); err != nil {
			t.Fatal(err)
		}
		before := bulkSchema(t, s)
		if !inSchema(before, "index", "activities_unit_year") {
			t.Fatalf("the schema read lacks what the test looks for: %q", before)
		}
		acts := make([]nscl.Activity, rowsPerStatement+7)
		for i := range acts {
			acts[i] = *benchActivity(f, i+1)
			acts[i].Ref = fmt.Sprintf("bulk-%d", i)
		}
		var during []string
		tempBefore, tempDuring := writerTempStore(t, s), 0
		err := s.BulkLoad(ctx, func() error {
			during, tempDuring = bulkSchema(t, s), writerTempStore(t, s)
			return s.Update(ctx, func(tx *Tx) error { return tx.BulkActivities(ctx, f.prog, acts) })
		})
		if err != nil {
			t.Fatal(err)
		}
		if tempAfter := writerTempStore(t, s); s.dialect == sqlite && (tempDuring != 1 || tempAfter != tempBefore) {
			t.Errorf("the writer's temp_store: %d before, %d during the load (want 1, files), %d after", tempBefore, tempDuring, tempAfter)
		}
		if inSchema(during, "index", "activities_unit_year") || !inSchema(during, "index", "activities_ref") {
			t.Errorf("during the load: %q; want the unique index only", during)
		}
		if after := bulkSchema(t, s); !slices.Equal(after, before) {
			t.Errorf("after the load the schema is %q, before it was %q", after, before)
		}
		checkRecounts(t, s, "after the bulk load")
		if err := s.CreateActivity(ctx, f.prog, benchActivity(f, len(acts)+1)); err != nil {
			t.Fatal(err)
		}
		checkRecounts(t, s, "after a write that followed")

		failed := errors.New("the load failed")
		if err := s.BulkLoad(ctx, func() error { return failed }); !errors.Is(err, failed) {
			t.Errorf("a failed load returned %v", err)
		}
		if after := bulkSchema(t, s); !slices.Equal(after, before) {
			t.Errorf("after a failed load the schema is %q, before it was %q", after, before)
		}
	})
}

// bulkSchema lists, sorted, the bulk tables' indexes ("index NAME:
// definition") and the triggers on activities ("trigger NAME: definition"
// on SQLite; on PostgreSQL "trigger NAME: O" when enabled, "D" when not).
func bulkSchema(t *testing.T, s *Store) []string {
	t.Helper()
	query := `SELECT type || ' ' || name, sql FROM sqlite_master WHERE tbl_name IN (?, ?, ?) AND type IN ('index', 'trigger') AND sql IS NOT NULL`
	if s.dialect == postgres {
		query = `SELECT 'index ' || indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (?, ?, ?)
			UNION ALL SELECT 'trigger ' || tgname, CAST(tgenabled AS TEXT) FROM pg_trigger WHERE tgrelid = 'activities'::regclass AND NOT tgisinternal`
	}
	rows, err := s.reader().textPairs(t.Context(), query, bulkTables...)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r[0]+": "+r[1])
	}
	slices.Sort(out)
	return out
}

// inSchema reports whether schema (bulkSchema's) has the index or
// trigger named, a trigger enabled.
func inSchema(schema []string, kind, name string) bool {
	return slices.ContainsFunc(schema, func(e string) bool {
		return strings.HasPrefix(e, kind+" "+name+": ") && !(kind == "trigger" && strings.HasSuffix(e, ": D"))
	})
}

// writerTempStore is where the SQLite writer keeps its sorts (PRAGMA
// temp_store: 1 files, 2 memory); 0 on PostgreSQL.
func writerTempStore(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if s.dialect == sqlite {
		if err := s.Update(t.Context(), func(tx *Tx) error { return tx.queryRow(t.Context(), `PRAGMA temp_store`).Scan(&n) }); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

// checkRecounts fails the test when the kept totals or activity counts
// differ from their recounts from the activities.
func checkRecounts(t *testing.T, s *Store, when string) {
	t.Helper()
	if diffs, err := s.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
		t.Errorf("%s, kept totals: %v, %q", when, err, diffs)
	}
	if diffs, err := s.CheckActivityCounts(t.Context()); err != nil || len(diffs) > 0 {
		t.Errorf("%s, activity counts: %v, %q", when, err, diffs)
	}
}
