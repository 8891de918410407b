package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"nscl"
)

// WithoutTotals makes the activity writes that follow in the transaction
// leave the kept totals and enterprises reached alone, every other row and
// check being the same: `nscl bench` times one write without them against
// the same write with them, to show what keeping them costs. Whatever is
// written this way must be taken out this way too (or the totals rebuilt,
// RebuildTotals), or the kept totals no longer agree with the activities.
func (tx *Tx) WithoutTotals() { tx.noTotals = true }

// BulkLoad runs load, which writes activities through Tx.BulkActivities
// in transactions of its own, with what makes millions of rows slow to
// write put off to the end, and then rebuilds the kept totals
// (RebuildTotals): the database ends as the same rows written one at a
// time would have left it, audit entries apart.
//
// While load runs, the indexes of the tables it writes that are not
// unique are dropped (each row would be an insert at a random place of
// each, and at millions of rows each such place a read). Afterwards,
// whether load failed or not, the indexes are built again from their own
// definitions, each in one sort, and RebuildTotals counts the activities
// and the totals again. On SQLite the sorts of all this go to temporary
// files (sortInFiles).
//
// Only for a database nothing else uses meanwhile (nscl bench's own):
// until load returns, its lists find no index. A process that dies in
// load leaves the indexes missing: a database to throw away.
func (s *Store) BulkLoad(ctx context.Context, load func() error) (err error) {
	if s.dialect == sqlite {
		restore, err := s.sortInFiles(ctx)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, restore()) }()
	}
	var putBack []string
	err = s.Update(ctx, func(tx *Tx) error {
		var err error
		putBack, err = tx.setAside(ctx)
		return err
	})
	if err != nil {
		return err
	}
	loadErr := load()
	err = s.Update(ctx, func(tx *Tx) error {
		for _, stmt := range putBack {
			if _, err := tx.exec(ctx, stmt); err != nil {
				return fmt.Errorf("store: unable to restore the schema after a bulk load (%s): %w", stmt, err)
			}
		}
		return nil
	})
	if err = errors.Join(loadErr, err); err != nil {
		return err
	}
	if err := s.RebuildTotals(ctx); err != nil {
		return err
	}
	if s.dialect == postgres {
		// PostgreSQL plans from statistics that the autovacuum would
		// gather only later: without them it read tree_latest from end
		// to end for the nation's report. VACUUM also marks the pages
		// just written all-visible, which index-only scans need, and sets
		// their rows' hint bits once: otherwise the first reads after the
		// load do it, while the autovacuum works through the same rows.
		if _, err := s.write.ExecContext(ctx, `VACUUM (ANALYZE) activities, activity_quantities, activity_beneficiaries, activity_counts,
			unit_totals, reach_totals, tree_totals, tree_reach, tree_latest, tree_reach_years, tree_activity_counts, tree_reporting,
			approved_counts, tree_approved_counts`); err != nil {
			return fmt.Errorf("store: unable to vacuum and gather statistics after a bulk load: %w", err)
		}
	}
	return nil
}

// sortInFiles makes the SQLite writer keep its sorts and temporary tables
// in files rather than in memory, until the function it returns puts the
// setting back. Building the indexes and recounting the totals of a
// million activities then held 260 MB of memory instead of 1,4 GB (it
// grows with the rows), and took 14 % less time: the driver's allocator
// gives each freed block of a sort back to the system. The setting is
// changed on the writer's one connection outside a transaction: SQLite
// refuses to change it inside one once temporary storage is open.
func (s *Store) sortInFiles(ctx context.Context) (restore func() error, err error) {
	var was int
	if err := s.write.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&was); err != nil {
		return nil, fmt.Errorf("store: unable to read where sorts go: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
		return nil, fmt.Errorf("store: unable to set where sorts go: %w", err)
	}
	return func() error {
		if _, err := s.write.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA temp_store = %d`, was)); err != nil {
			return fmt.Errorf("store: unable to set where sorts go: %w", err)
		}
		return nil
	}, nil
}

// bulkTables are the tables BulkActivities writes.
var bulkTables = []any{"activities", "activity_quantities", "activity_beneficiaries"}

// setAside drops the bulk tables' indexes that are not unique, and
// returns the statements that build them again.
func (tx *Tx) setAside(ctx context.Context) ([]string, error) {
	var indexes [][2]string // each the statement taking it away, and the one putting it back
	var err error
	if tx.dialect == postgres {
		indexes, err = tx.textPairs(ctx, `SELECT 'DROP INDEX ' || quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
			WHERE x.indrelid IN (?::regclass, ?::regclass, ?::regclass) AND NOT x.indisunique ORDER BY i.relname`, bulkTables...)
	} else {
		indexes, err = tx.textPairs(ctx, `SELECT 'DROP INDEX ' || m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name
			WHERE m.type = 'index' AND m.tbl_name IN (?, ?, ?) AND l."unique" = 0 ORDER BY m.name`, bulkTables...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the schema: %w", err)
	}
	var putBack []string
	for _, ix := range indexes {
		if _, err := tx.exec(ctx, ix[0]); err != nil {
			return nil, fmt.Errorf("store: unable to prepare a bulk load (%s): %w", ix[0], err)
		}
		putBack = append(putBack, ix[1])
	}
	return putBack, nil
}

// textPairs reads rows of two text columns.
func (c conn) textPairs(ctx context.Context, query string, args ...any) ([][2]string, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var r [2]string
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BulkActivities writes generated activities the fast way, for loading
// millions of them (`nscl bench`, in Store.BulkLoad): their rows only —
// the activity, its quantities and beneficiaries — a few hundred to a
// statement. Each is checked by the domain's rules
// (nscl.ValidateActivity) and must carry its own row key, but its unit's
// dates, the rounds' locks and the user are not asked, no audit entry is
// written, and the kept totals are not moved: the caller calls
// RebuildTotals once after the last batch (BulkLoad does), which counts
// them from the rows as `nscl check` does. Returns EINVALID naming the row
// and field of the first bad activity, writing none of them.
//
// SQLite too takes a few hundred rows to a statement: with the indexes
// set aside (BulkLoad), one statement a row spent twice the time.
func (tx *Tx) BulkActivities(ctx context.Context, prog *nscl.Programme, acts []nscl.Activity) error {
	for i := range acts {
		a := &acts[i]
		a.Normalize()
		if err := nscl.ValidateActivity(a, prog); err != nil {
			return fmt.Errorf("activity %d of the batch: %w", i+1, err)
		}
		if a.Ref == "" {
			return nscl.Invalid("ref", "hoạt động %d của lô không có mã dòng", "activity %d of the batch has no row key", i+1)
		}
		if err := tx.refuseHandWrite(a.Ref); err != nil {
			return fmt.Errorf("activity %d of the batch: %w", i+1, err)
		}
	}
	stamp := stampOf(tx.now)
	ids := make(map[string]int64, len(acts))
	for chunk := range slices.Chunk(acts, rowsPerStatement) {
		values := make([]any, 0, len(chunk)*bulkWidth)
		for _, a := range chunk {
			group, _ := prog.TaskGroup(a.TaskGroup)
			values = append(values, prog.ID, a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.NotInFootnote,
				a.Source, a.Ref, searchText(&a), 1, stamp, stamp)
		}
		// Full chunks share one text, which the statement cache prepares.
		rows, err := tx.query(ctx, `INSERT INTO activities `+bulkColumns+` VALUES `+rowPlaceholders(len(chunk), bulkWidth)+` RETURNING id, ref`, values...)
		if err != nil {
			return fmt.Errorf("store: unable to write activities: %w", err)
		}
		for rows.Next() {
			var id int64
			var ref string
			if err := rows.Scan(&id, &ref); err != nil {
				rows.Close()
				return err
			}
			ids[ref] = id
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: unable to write activities: %w", err)
		}
	}
	var quantities, beneficiaries []any
	for i := range acts {
		a := &acts[i]
		a.ID, a.ProgrammeID, a.Version = ids[a.Ref], prog.ID, 1
		if a.ID == 0 {
			return fmt.Errorf("store: activity %q was not written", a.Ref)
		}
		for _, q := range a.Quantities {
			m, _ := prog.Metric(q.Metric)
			quantities = append(quantities, a.ID, m.ID, a.UnitID, a.Year(), formatDate(a.Date), q.Value)
		}
		for _, tc := range a.Beneficiaries {
			beneficiaries = append(beneficiaries, a.ID, tc, a.UnitID, a.Year())
		}
	}
	if err := tx.insertMany(ctx, "activity_quantities", "(activity_id, metric_id, unit_id, year, occurred_on, quantity)", 6, quantities); err != nil {
		return err
	}
	return tx.insertMany(ctx, "activity_beneficiaries", "(activity_id, tax_code, unit_id, year)", 4, beneficiaries)
}

// The columns of an activity's row that BulkActivities writes.
const (
	bulkColumns = "(programme_id, unit_id, task_group_id, kind, occurred_on, year, description, not_in_footnote, source, ref, search_text, version, created_at, updated_at)"
	bulkWidth   = 14
)

// insertMany inserts rows of width values each, a few hundred to a statement.
func (tx *Tx) insertMany(ctx context.Context, table, columns string, width int, values []any) error {
	for len(values) > 0 {
		n := min(len(values), rowsPerStatement*width)
		if err := tx.insertPending(ctx, table, &pendingRows{columns: columns, width: width, values: values[:n]}); err != nil {
			return err
		}
		values = values[n:]
	}
	return nil
}
