package store

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nscl"
)

// A batched transaction ends as if each write had been made at once: the
// kept totals equal a recount (sum, distinct and last-value rules), every
// activity has its quantities, beneficiaries and audit entry, and an
// import row that updates an activity of the same transaction reads it
// back whole. More rows than one statement takes are written, so that full
// and partial statements both run, and the enterprises reached are written
// many times along the way (a bound of 7), as a long import writes them.
func TestBatchWritesWhatSeparateWritesWould(t *testing.T) {
	defer func(old int) { maxBatchedReach = old }(maxBatchedReach)
	maxBatchedReach = 7
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		const n = rowsPerStatement + 37
		var last *nscl.Activity
		var err error
		traced := traceStatements(t, func() {
			err = s.Update(ctx, func(tx *Tx) error {
				tx.Batch()
				rows := make([]nscl.Activity, n)
				for i := range rows {
					unit := []nscl.OrgUnit{f.district1, f.district2}[i%2]
					rows[i] = *activity(unit, fmt.Sprintf("2022-%02d-%02d", 1+i%12, 1+i%28), qty(mTraining, int64(i%7)), qty(mLabs, int64(i%3)), qty(mSupported, 1))
					rows[i].Ref = fmt.Sprintf("R%d", i)
					rows[i].Beneficiaries = []string{fmt.Sprintf("03%08d", i%50)}
				}
				// As the importer does: the next rows' keys looked up at once.
				for chunk := range slices.Chunk(rows, rowsPerStatement) {
					if err := tx.LookAhead(ctx, f.prog, chunk); err != nil {
						return err
					}
				}
				for i := range rows {
					if _, err := tx.ImportActivity(ctx, f.prog, &rows[i]); err != nil {
						return err
					}
					last = &rows[i]
				}
				// The same row again, with another figure: read back and updated.
				again := *last
				again.ID, again.Version = 0, 0
				again.Quantities = []nscl.Quantity{qty(mTraining, 100)}
				outcome, err := tx.ImportActivity(ctx, f.prog, &again)
				if err != nil || outcome != Updated {
					return fmt.Errorf("re-import: %v %v", outcome, err)
				}
				return tx.Flush(ctx)
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		// PostgreSQL copies a batch's rows (COPY), SQLite inserts them a
		// few hundred to a statement.
		for _, table := range []string{"activities", "activity_quantities", "activity_beneficiaries", "audit_log"} {
			copied := slices.ContainsFunc(traced, func(st tracedStatement) bool { return strings.HasPrefix(st.query, "COPY "+table+" ") })
			if want := s.dialect == postgres; copied != want {
				t.Errorf("%s copied: %t, want %t", table, copied, want)
			}
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("kept totals after a batch: %v %v", diffs, err)
		}
		// The entries' times went through COPY as times: the chain holds.
		if chain, err := s.CheckAudit(ctx); err != nil || chain.Entries < n+1 {
			t.Errorf("the audit chain after a batch: %+v %v", chain, err)
		}
		got, err := s.Activity(ctx, last.ID)
		if err != nil || len(got.Quantities) != 1 || got.Quantities[0].Value != 100 || len(got.Beneficiaries) != 1 {
			t.Errorf("the updated activity: %+v %v", got, err)
		}
		count := 0
		for offset := 0; ; offset += 500 {
			page, err := s.AuditLog(ctx, AuditFilter{Entity: "activity", Limit: 500, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			count += len(page)
			if len(page) < 500 {
				break
			}
		}
		if count != n+1 {
			t.Errorf("audit entries: %d, want %d creations and 1 update", count, n)
		}
	})
}

// TestImportIntoATreeWithActivitiesKeepsTotals imports, in a batch, rows of
// units at every level of a tree whose units already reported, naming
// enterprises those units and their ancestors already reached in earlier,
// later and the same years, and rows that change stored activities (an
// enterprise taken off, another added): the kept totals, the ancestors'
// rows and the enterprises' years at each ancestor must equal their
// recount, as `nscl check` says.
func TestImportIntoATreeWithActivitiesKeepsTotals(t *testing.T) {
	defer func(old int) { maxBatchedReach = old }(maxBatchedReach)
	maxBatchedReach = 5
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		units := []nscl.OrgUnit{f.province, f.department, f.implementer, f.district1, f.district2}
		taxCode := func(i int) string { return fmt.Sprintf("03%08d", i%9) }
		// What the tree holds before: written one at a time.
		for i := range 40 {
			a := activity(units[i%len(units)], fmt.Sprintf("%d-%02d-%02d", 2021+i%2*2, 1+i%12, 1+i%28), qty(mTraining, int64(1+i%5)), qty(mSupported, 1))
			a.Ref = fmt.Sprintf("old-%d", i)
			a.Beneficiaries = []string{taxCode(i), taxCode(i + 4)}
			if err := s.CreateActivity(ctx, f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for i := range 60 {
				// 2021 to 2024, between and around the years stored.
				a := activity(units[(i*3)%len(units)], fmt.Sprintf("%d-%02d-%02d", 2021+i%4, 1+i%6, 1+i%28), qty(mTraining, int64(i%4)), qty(mSupported, 1))
				a.Ref = fmt.Sprintf("new-%d", i)
				a.Beneficiaries = []string{taxCode(i * 7)}
				if _, err := tx.ImportActivity(ctx, f.prog, a); err != nil {
					return err
				}
			}
			// Stored rows again: their unit and date kept, one enterprise
			// taken off and another named.
			for i := 0; i < 40; i += 3 {
				a := activity(units[i%len(units)], fmt.Sprintf("%d-%02d-%02d", 2021+i%2*2, 1+i%12, 1+i%28), qty(mTraining, 2), qty(mSupported, 1))
				a.Ref = fmt.Sprintf("old-%d", i)
				a.Beneficiaries = []string{taxCode(i + 1)}
				if outcome, err := tx.ImportActivity(ctx, f.prog, a); err != nil || outcome != Updated {
					return fmt.Errorf("row old-%d again: %v %v", i, outcome, err)
				}
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("kept totals after an import into the tree: %v %v", diffs, err)
		}
	})
}

// TestBatchMovesActivityCounts imports, in a batch, rows that make units
// start and stop reporting a year: a unit's first activities of a year, a
// unit's only activity of a year moved to another unit and year, an
// activity created and moved away again in the same batch (its unit's year
// ends where it began), and a move between months of the same year. The
// activity counts, their sums at every ancestor and how many units of each
// subtree reported must equal their recount, and the units counted as
// reporting are those left with an activity of the year.
func TestBatchMovesActivityCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		row := func(ref string, unit nscl.OrgUnit, date string, kind nscl.ActivityKind) *nscl.Activity {
			a := activity(unit, date, qty(mTraining, 3))
			a.Ref, a.Kind = ref, kind
			return a
		}
		for _, a := range []*nscl.Activity{
			row("q1-only", f.district1, "2022-03-10", nscl.KindTraining),
			row("dept-1", f.department, "2022-04-10", nscl.KindTraining),
			row("dept-2", f.department, "2022-05-10", nscl.KindTraining),
		} {
			if err := s.CreateActivity(ctx, f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for _, a := range []*nscl.Activity{
				row("impl-1", f.implementer, "2023-01-05", nscl.KindTraining),
				row("impl-2", f.implementer, "2023-02-05", nscl.KindWorkshop),
				row("impl-3", f.implementer, "2023-02-06", nscl.KindTraining),
				row("q1-only", f.district2, "2024-06-01", nscl.KindTraining),   // district 1 stops reporting 2022
				row("passing", f.district2, "2022-07-01", nscl.KindTraining),   // district 2 starts 2022 …
				row("passing", f.implementer, "2023-03-01", nscl.KindTraining), // … and stops again
				row("dept-2", f.department, "2022-11-10", nscl.KindConsulting),
			} {
				if _, err := tx.ImportActivity(ctx, f.prog, a); err != nil {
					return fmt.Errorf("row %s: %w", a.Ref, err)
				}
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if diffs, err := s.CheckTotals(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("kept counts after the batch: %v %v", diffs, err)
		}
		reporting := map[[2]int64]int64{} // (ancestor, year): units
		rows, err := s.reader().query(ctx, `SELECT ancestor_id, year, units FROM tree_reporting WHERE programme_id = ?`, f.prog.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var ancestor, year, units int64
			if err := rows.Scan(&ancestor, &year, &units); err != nil {
				t.Fatal(err)
			}
			reporting[[2]int64{ancestor, year}] = units
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := map[[2]int64]int64{
			{f.ministry.ID, 2022}: 1, {f.province.ID, 2022}: 1, {f.department.ID, 2022}: 1,
			{f.ministry.ID, 2023}: 1, {f.province.ID, 2023}: 1, {f.department.ID, 2023}: 1, {f.implementer.ID, 2023}: 1,
			{f.ministry.ID, 2024}: 1, {f.province.ID, 2024}: 1, {f.district2.ID, 2024}: 1,
		}
		if !maps.Equal(reporting, want) {
			t.Errorf("units reporting by (ancestor, year): %v, want %v", reporting, want)
		}
	})
}

// A batch in a large SQLite database reads it through a map and a larger
// cache while it runs, and leaves the writer's connection with neither
// when it ends, committed or not: the next writes of a server are small.
func TestBatchMapsALargeDatabaseOnlyWhileItRuns(t *testing.T) {
	defer func(old int64) { largeDatabase = old }(largeDatabase)
	largeDatabase = 0 // every database is large
	s := openStore(t, filepath.Join(t.TempDir(), "nscl.db"))
	ctx := t.Context()
	writerPragmas := func(read func(query string, dest any) error) (mapped, cache int64) {
		t.Helper()
		if err := read(`PRAGMA mmap_size`, &mapped); err != nil {
			t.Fatal(err)
		}
		if err := read(`PRAGMA cache_size`, &cache); err != nil {
			t.Fatal(err)
		}
		return mapped, cache
	}
	onWriter := func(query string, dest any) error { return s.write.QueryRowContext(ctx, query).Scan(dest) }
	for _, commit := range []bool{true, false} {
		err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			mapped, cache := writerPragmas(func(query string, dest any) error { return tx.tx.QueryRowContext(ctx, query).Scan(dest) })
			// SQLite keeps the map under its own limit, a little under 2 GB.
			if mapped < 1<<30 || mapped > importMapBytes || cache != -importCacheKiB {
				t.Errorf("during the batch: mmap_size %d, cache_size %d; want 1–2 GB, %d", mapped, cache, -importCacheKiB)
			}
			if !commit {
				return errors.New("given up")
			}
			return tx.Flush(ctx)
		})
		if commit != (err == nil) {
			t.Fatalf("Update (commit %v): %v", commit, err)
		}
		if mapped, cache := writerPragmas(onWriter); mapped != 0 || cache != -writerCacheKiB {
			t.Errorf("after the batch (commit %v): mmap_size %d, cache_size %d; want 0, %d", commit, mapped, cache, -writerCacheKiB)
		}
	}
	// A write that is not a batch leaves both as they are.
	if err := s.Update(ctx, func(tx *Tx) error {
		mapped, cache := writerPragmas(func(query string, dest any) error { return tx.tx.QueryRowContext(ctx, query).Scan(dest) })
		if mapped != 0 || cache != -writerCacheKiB {
			t.Errorf("a write not batched: mmap_size %d, cache_size %d", mapped, cache)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
