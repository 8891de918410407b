package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nscl"
)

// sheetColumn is a remembered choice as the audit log shows it.
type sheetColumn struct {
	UnitID  int64  `json:"unit_id"`
	Heading string `json:"heading"`
	Metric  string `json:"metric"` // "" when the column is passed over
}

// ColumnChoices returns what the unit's sheets hold under headings the
// template does not know, as its imports chose, by nscl.HeadingKey of the
// heading; none yields an empty map.
func (s *Store) ColumnChoices(ctx context.Context, prog *nscl.Programme, unitID int64) (map[string]nscl.ColumnChoice, error) {
	rows, err := s.reader().query(ctx, `SELECT c.heading_key, c.heading, COALESCE(m.code, '') FROM sheet_columns c LEFT JOIN metrics m ON m.id = c.metric_id
		WHERE c.programme_id = ? AND c.unit_id = ?`, prog.ID, unitID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read sheet columns: %w", err)
	}
	defer rows.Close()
	out := map[string]nscl.ColumnChoice{}
	for rows.Next() {
		var key string
		var c nscl.ColumnChoice
		if err := rows.Scan(&key, &c.Heading, &c.Metric); err != nil {
			return nil, err
		}
		out[key] = c
	}
	return out, rows.Err()
}

// RememberColumns keeps choices for the unit's sheets, each in place of
// the one its heading had; a choice already kept writes nothing, and each
// change is in the audit log. Returns EINVALID for a metric the programme
// lacks.
func (tx *Tx) RememberColumns(ctx context.Context, prog *nscl.Programme, unitID int64, choices []nscl.ColumnChoice) error {
	for _, c := range choices {
		c.Heading = nscl.NormalizeText(c.Heading)
		key := nscl.HeadingKey(c.Heading)
		if key == "" {
			return nscl.Invalid("columns", "tên cột trống", "the column heading is empty")
		}
		var metricID any
		if c.Metric != "" {
			m, ok := prog.Metric(c.Metric)
			if !ok {
				return nscl.Invalid("columns", "cột “%s”: không có chỉ tiêu hoặc số liệu %q trong chương trình", "column “%s”: there is no indicator or measure %q in the programme", c.Heading, c.Metric)
			}
			metricID = m.ID
		}
		var id int64
		var old sheetColumn
		err := tx.queryRow(ctx, `SELECT c.id, c.heading, COALESCE(m.code, '') FROM sheet_columns c LEFT JOIN metrics m ON m.id = c.metric_id
			WHERE c.programme_id = ? AND c.unit_id = ? AND c.heading_key = ?`, prog.ID, unitID, key).Scan(&id, &old.Heading, &old.Metric)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: unable to read sheet column: %w", err)
		}
		now := sheetColumn{UnitID: unitID, Heading: c.Heading, Metric: c.Metric}
		old.UnitID = unitID
		if found && old == now {
			continue
		}
		id, err = tx.insert(ctx, `INSERT INTO sheet_columns (programme_id, unit_id, heading_key, heading, metric_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (programme_id, unit_id, heading_key) DO UPDATE SET heading = excluded.heading, metric_id = excluded.metric_id, updated_at = excluded.updated_at`,
			prog.ID, unitID, key, c.Heading, metricID, stampOf(tx.now))
		if err != nil {
			return fmt.Errorf("store: unable to remember sheet column: %w", err)
		}
		if found {
			err = tx.audit(ctx, "update", "sheet_column", id, old, now)
		} else {
			err = tx.audit(ctx, "create", "sheet_column", id, nil, now)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
