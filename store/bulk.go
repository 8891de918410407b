package store

import (
	"context"
	"fmt"
	"strings"

	"nscl"
)

// WithoutTotals makes the activity writes that follow in the transaction
// leave the kept totals and enterprises reached alone, every other row and
// check being the same: `nscl bench` times one write without them against
// the same write with them, to show what keeping them costs. Whatever is
// written this way must be taken out this way too (or the totals rebuilt,
// RebuildTotals), or the kept totals no longer agree with the activities.
func (tx *Tx) WithoutTotals() { tx.noTotals = true }

// BulkActivities writes generated activities the fast way, for loading
// millions of them (`nscl bench`): their rows only — the activity, its
// quantities and beneficiaries. Each is
// checked by the domain's rules (nscl.ValidateActivity) and must carry its
// own row key, but its unit's dates, the rounds' locks and the user are not
// asked, no audit entry is written, and the kept totals are not moved: the
// caller calls RebuildTotals once after the last batch, which counts them
// from the rows as `nscl check` does. Returns EINVALID naming the row and
// field of the first bad activity, writing none of them.
//
// On SQLite each row is one prepared statement, parsed once: a statement
// of many rows was slower there, SQLite keeping a journal of each in case
// it fails half-way. On PostgreSQL, where each statement is a round trip,
// the rows go a few hundred to a statement.
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
	}
	if tx.dialect == postgres {
		return tx.bulkStatements(ctx, prog, acts)
	}
	stamp := stampOf(tx.now)
	for i := range acts {
		a := &acts[i]
		group, _ := prog.TaskGroup(a.TaskGroup)
		id, err := tx.insert(ctx, `INSERT INTO activities `+bulkColumns+` VALUES (`+placeholders(bulkWidth)+`)`, prog.ID, a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.NotInFootnote,
			a.Source, a.Ref, searchText(a), 1, stamp, stamp)
		if err != nil {
			return fmt.Errorf("store: unable to write activities: %w", err)
		}
		a.ID, a.ProgrammeID, a.Version = id, prog.ID, 1
		for _, q := range a.Quantities {
			m, _ := prog.Metric(q.Metric)
			if _, err := tx.exec(ctx, `INSERT INTO activity_quantities (activity_id, metric_id, unit_id, year, occurred_on, quantity) VALUES (?, ?, ?, ?, ?, ?)`, a.ID, m.ID, a.UnitID, a.Year(), formatDate(a.Date), q.Value); err != nil {
				return fmt.Errorf("store: unable to write quantity %s: %w", q.Metric, err)
			}
		}
		for _, tc := range a.Beneficiaries {
			if _, err := tx.exec(ctx, `INSERT INTO activity_beneficiaries (activity_id, tax_code, unit_id, year) VALUES (?, ?, ?, ?)`, a.ID, tc, a.UnitID, a.Year()); err != nil {
				return fmt.Errorf("store: unable to write beneficiary %s: %w", tc, err)
			}
		}
	}
	return nil
}

// The columns of an activity's row that BulkActivities writes.
const (
	bulkColumns = "(programme_id, unit_id, task_group_id, kind, occurred_on, year, description, not_in_footnote, source, ref, search_text, version, created_at, updated_at)"
	bulkWidth   = 14
)

// bulkStatements is BulkActivities a few hundred rows to a statement.
func (tx *Tx) bulkStatements(ctx context.Context, prog *nscl.Programme, acts []nscl.Activity) error {
	stamp := stampOf(tx.now)
	ids := make(map[string]int64, len(acts))
	for start := 0; start < len(acts); start += rowsPerStatement {
		chunk := acts[start:min(start+rowsPerStatement, len(acts))]
		values := make([]any, 0, len(chunk)*bulkWidth)
		for _, a := range chunk {
			group, _ := prog.TaskGroup(a.TaskGroup)
			values = append(values, prog.ID, a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.NotInFootnote,
				a.Source, a.Ref, searchText(&a), 1, stamp, stamp)
		}
		row := "(" + placeholders(bulkWidth) + ")"
		query := `INSERT INTO activities ` + bulkColumns + ` VALUES ` + row + strings.Repeat(", "+row, len(chunk)-1) + ` RETURNING id, ref`
		trace(query, values) // run on the transaction itself, past conn
		rows, err := tx.conn.q.QueryContext(ctx, tx.rebind(query), values...)
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
