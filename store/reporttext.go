package store

import (
	"context"
	"fmt"
	"slices"

	"nscl"
)

// ReportTexts returns the stored written parts of a unit's report for a
// year, by part name; none yields an empty map.
func (s *Store) ReportTexts(ctx context.Context, prog *nscl.Programme, unitID int64, year int) (map[string]string, error) {
	rows, err := s.reader().query(ctx, `SELECT part, body FROM report_texts WHERE programme_id = ? AND unit_id = ? AND year = ?`, prog.ID, unitID, year)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read report texts: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var part, body string
		if err := rows.Scan(&part, &body); err != nil {
			return nil, err
		}
		out[part] = body
	}
	return out, rows.Err()
}

// SetReportTexts stores written parts of a report; an empty body removes
// the part. Returns EINVALID for an unknown part or an oversized text.
func (tx *Tx) SetReportTexts(ctx context.Context, prog *nscl.Programme, unitID int64, year int, parts map[string]string) error {
	for part, body := range parts {
		if !slices.Contains(nscl.ReportTextParts, part) {
			return nscl.Invalid(part, "phần %q không có trong báo cáo", "the report has no part %q", part)
		}
		body = nscl.NormalizeText(body)
		if err := nscl.TooLong(part, body, 20000); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM report_texts WHERE programme_id = ? AND unit_id = ? AND year = ? AND part = ?`, prog.ID, unitID, year, part); err != nil {
			return fmt.Errorf("store: unable to write report text: %w", err)
		}
		if body == "" {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO report_texts (programme_id, unit_id, year, part, body) VALUES (?, ?, ?, ?, ?)`, prog.ID, unitID, year, part, body); err != nil {
			return fmt.Errorf("store: unable to write report text: %w", err)
		}
	}
	return tx.audit(ctx, "update", "report_text", fmt.Sprintf("%d/%d", unitID, year), nil, parts)
}
