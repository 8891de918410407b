package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"nscl"
)

// ReportTexts returns the stored written parts of a unit's report for a
// year, by part name; none yields an empty map.
func (s *Store) ReportTexts(ctx context.Context, prog *nscl.Programme, unitID int64, year int) (map[string]string, error) {
	return reportTexts(ctx, s.reader(), prog, unitID, year)
}

func reportTexts(ctx context.Context, c conn, prog *nscl.Programme, unitID int64, year int) (map[string]string, error) {
	rows, err := c.query(ctx, `SELECT part, body FROM report_texts WHERE programme_id = ? AND unit_id = ? AND year = ?`, prog.ID, unitID, year)
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

// TextsVersion is the version of a document's stored texts: a digest of
// them, so that a form saved over texts someone else changed since it was
// opened is refused, as every other edit is. Under one year are stored two
// documents, the year's report and the summary of a plan period ending
// that year (nscl.SummaryPart); summary says which one is versioned, so
// that saving one does not make the other's open form stale.
func TextsVersion(texts map[string]string, summary bool) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(texts)) {
		if _, isSummary := nscl.SummaryKey(k); isSummary != summary {
			continue
		}
		fmt.Fprintf(h, "%s\x00%s\x00", k, texts[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// SetReportTexts stores written parts of a report, or of a summary,
// provided version is still TextsVersion of that document's stored parts
// ("" skips the check, for loaders);
// an empty body removes the part. Year nscl.SettingsYear holds the unit's
// settings (nscl.ReportSettingParts) for every year. Returns EINVALID for an
// unknown part, a year outside the programme, a part that is not a setting
// stored as one, or an oversized text, and ECONFLICT when the texts changed
// meanwhile.
func (tx *Tx) SetReportTexts(ctx context.Context, prog *nscl.Programme, unitID int64, year int, parts map[string]string, version string) error {
	if year != nscl.SettingsYear && !prog.ContainsYear(year) {
		return nscl.Invalid("year", "năm %d nằm ngoài giai đoạn chương trình %d–%d", "year %d is outside the programme %d–%d", year, prog.StartYear, prog.EndYear)
	}
	summary := false
	for part := range parts {
		_, summary = nscl.SummaryKey(part)
		break
	}
	for part := range parts {
		if _, s := nscl.SummaryKey(part); s != summary {
			return nscl.Invalid(part, "một lần lưu chỉ gồm phần của báo cáo năm hoặc của báo cáo tổng kết", "one save holds the parts of a year's report or of a summary, not both")
		}
	}
	if version != "" {
		current, err := reportTexts(ctx, tx.conn, prog, unitID, year)
		if err != nil {
			return err
		}
		if TextsVersion(current, summary) != version {
			return nscl.Conflict("version", "nội dung báo cáo đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the report's texts were changed by someone else after you opened them; reload the page")
		}
	}
	for part, body := range parts {
		if !prog.IsReportPart(part) {
			return nscl.Invalid(part, "phần %q không có trong báo cáo", "the report has no part %q", part)
		}
		if year == nscl.SettingsYear && !nscl.IsReportSetting(part) {
			return nscl.Invalid(part, "phần %q được soạn theo từng năm, không phải thiết lập chung của đơn vị", "the part %q is written for a year, not a setting of the unit", part)
		}
		body = nscl.NormalizeText(body)
		if err := nscl.CheckMultiline(part, body, 20000); err != nil {
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
