package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"nscl"
)

// Figures counts, for the unit and every unit under it, each metric of the
// programme for year and over fromYear…year. It reads the kept totals (a
// few rows per unit, metric and year, however many activities there are)
// and, for distinct-enterprise indicators, the beneficiary index.
func (s *Store) Figures(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int) (map[string]nscl.Figures, error) {
	c := s.reader()
	codes := map[int64]nscl.Metric{}
	for _, m := range prog.Metrics {
		codes[m.ID] = m
	}
	out := map[string]nscl.Figures{}

	rows, err := c.query(ctx, subtreeCTE+`SELECT t.metric_id,
			SUM(CASE WHEN t.year = ? THEN t.total ELSE 0 END), SUM(t.total)
		FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ? AND m.rule <> 'last' AND t.year BETWEEN ? AND ?
		GROUP BY t.metric_id`, unitID, year, prog.ID, fromYear, year)
	if err != nil {
		return nil, fmt.Errorf("store: unable to sum totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, yearValue, cumulative int64
		if err := rows.Scan(&id, &yearValue, &cumulative); err != nil {
			return nil, err
		}
		m := codes[id]
		f := nscl.Figures{YearValue: yearValue, Cumulative: cumulative}
		if m.Rule == nscl.RuleDistinct {
			f = nscl.Figures{YearVisits: yearValue, CumulativeVisits: cumulative}
		}
		out[m.Code] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.lastValues(ctx, c, prog, unitID, fromYear, year, codes, out); err != nil {
		return nil, err
	}
	if err := s.distinctCounts(ctx, c, prog, unitID, fromYear, year, codes, out); err != nil {
		return nil, err
	}
	if err := s.enterpriseReach(ctx, c, prog, unitID, fromYear, year, codes, out); err != nil {
		return nil, err
	}
	return out, nil
}

// enterpriseReach counts, for each indicator counted in enterprises, what
// the beneficiary lists of the activities reporting it say: distinct
// enterprises (a record merged into another counts as that one), visits
// (an activity naming an enterprise is one), and the activities with a
// figure for it but no list.
func (s *Store) enterpriseReach(ctx context.Context, c conn, prog *nscl.Programme, unitID int64, fromYear, year int, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	var ids []any
	for _, m := range prog.Metrics {
		if m.CountsEnterprises() {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	in := ` IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
	args := append([]any{unitID, year, year}, ids...)
	rows, err := c.query(ctx, subtreeCTE+`SELECT q.metric_id,
			COUNT(DISTINCT CASE WHEN b.year = ? THEN COALESCE(t.tax_code, b.tax_code) END), COUNT(DISTINCT COALESCE(t.tax_code, b.tax_code)),
			SUM(CASE WHEN b.year = ? THEN 1 ELSE 0 END), COUNT(*)
		FROM activity_beneficiaries b JOIN subtree ON subtree.id = b.unit_id
		JOIN activity_quantities q ON q.activity_id = b.activity_id
		LEFT JOIN enterprises e ON e.tax_code = b.tax_code
		LEFT JOIN enterprises t ON t.id = e.merged_into
		WHERE q.metric_id`+in+` AND q.quantity > 0 AND b.year BETWEEN ? AND ?
		GROUP BY q.metric_id`, append(args, fromYear, year)...)
	if err != nil {
		return fmt.Errorf("store: unable to count enterprises reached: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var metric int64
		var y, cum nscl.EnterpriseCounts
		if err := rows.Scan(&metric, &y.Enterprises, &cum.Enterprises, &y.Visits, &cum.Visits); err != nil {
			return err
		}
		f := out[codes[metric].Code]
		f.YearReach.Enterprises, f.YearReach.Visits = y.Enterprises, y.Visits
		f.CumulativeReach.Enterprises, f.CumulativeReach.Visits = cum.Enterprises, cum.Visits
		out[codes[metric].Code] = f
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	args = append([]any{unitID, year}, ids...)
	unlisted, err := c.query(ctx, subtreeCTE+`SELECT q.metric_id, SUM(CASE WHEN q.year = ? THEN 1 ELSE 0 END), COUNT(*)
		FROM activity_quantities q JOIN subtree ON subtree.id = q.unit_id
		WHERE q.metric_id`+in+` AND q.year BETWEEN ? AND ? AND q.quantity > 0
			AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = q.activity_id)
		GROUP BY q.metric_id`, append(args, fromYear, year)...)
	if err != nil {
		return fmt.Errorf("store: unable to count activities without beneficiaries: %w", err)
	}
	defer unlisted.Close()
	for unlisted.Next() {
		var metric, y, cum int64
		if err := unlisted.Scan(&metric, &y, &cum); err != nil {
			return err
		}
		f := out[codes[metric].Code]
		f.YearReach.Unlisted, f.CumulativeReach.Unlisted = y, cum
		out[codes[metric].Code] = f
	}
	return unlisted.Err()
}

// lastValues adds up, across units, each unit's value for year and its
// latest value up to year.
func (s *Store) lastValues(ctx context.Context, c conn, prog *nscl.Programme, unitID int64, fromYear, year int, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	rows, err := c.query(ctx, subtreeCTE+`SELECT t.unit_id, t.metric_id, t.year, t.total
		FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ? AND m.rule = 'last' AND t.year BETWEEN ? AND ?
		ORDER BY t.unit_id, t.metric_id, t.year`, unitID, prog.ID, fromYear, year)
	if err != nil {
		return fmt.Errorf("store: unable to read latest values: %w", err)
	}
	defer rows.Close()
	type key struct{ unit, metric int64 }
	latest := map[key]int64{}
	for rows.Next() {
		var unit, metric, total int64
		var y int
		if err := rows.Scan(&unit, &metric, &y, &total); err != nil {
			return err
		}
		latest[key{unit, metric}] = total // rows come in year order, so the last one wins
		if y == year {
			f := out[codes[metric].Code]
			f.YearValue += total
			out[codes[metric].Code] = f
		}
	}
	for k, v := range latest {
		f := out[codes[k.metric].Code]
		f.Cumulative += v
		out[codes[k.metric].Code] = f
	}
	return rows.Err()
}

// distinctCounts counts distinct beneficiary enterprises of the activities
// that report each distinct-rule indicator.
func (s *Store) distinctCounts(ctx context.Context, c conn, prog *nscl.Programme, unitID int64, fromYear, year int, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	rows, err := c.query(ctx, subtreeCTE+`SELECT q.metric_id,
			COUNT(DISTINCT CASE WHEN b.year = ? THEN b.tax_code END), COUNT(DISTINCT b.tax_code)
		FROM activity_beneficiaries b JOIN subtree ON subtree.id = b.unit_id
		JOIN activity_quantities q ON q.activity_id = b.activity_id
		JOIN metrics m ON m.id = q.metric_id
		WHERE m.programme_id = ? AND m.rule = 'distinct' AND b.year BETWEEN ? AND ?
		GROUP BY q.metric_id`, unitID, year, prog.ID, fromYear, year)
	if err != nil {
		return fmt.Errorf("store: unable to count distinct enterprises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var metric, yearCount, cumulative int64
		if err := rows.Scan(&metric, &yearCount, &cumulative); err != nil {
			return err
		}
		f := out[codes[metric].Code]
		f.YearValue, f.Cumulative = yearCount, cumulative
		out[codes[metric].Code] = f
	}
	return rows.Err()
}

// TotalKey names one kept total.
type TotalKey struct {
	UnitID   int64
	MetricID int64
	Year     int
}

// Total is a kept total and the number of activities counted in it.
type Total struct {
	Value      int64
	Activities int64
}

// recomputeQuery counts totals again from the activities themselves,
// ignoring both the kept totals and the copies of unit and year kept beside
// each quantity.
const recomputeQuery = `SELECT a.unit_id, q.metric_id, a.year,
		CASE WHEN m.rule = 'last' THEN (
			SELECT q2.quantity FROM activity_quantities q2 JOIN activities a2 ON a2.id = q2.activity_id
			WHERE q2.metric_id = q.metric_id AND a2.unit_id = a.unit_id AND a2.year = a.year
			ORDER BY a2.occurred_on DESC, a2.id DESC LIMIT 1)
		ELSE SUM(q.quantity) END,
		COUNT(*)
	FROM activity_quantities q JOIN activities a ON a.id = q.activity_id JOIN metrics m ON m.id = q.metric_id
	GROUP BY a.unit_id, q.metric_id, a.year, m.rule`

// KeptTotals returns every kept total.
func (s *Store) KeptTotals(ctx context.Context) (map[TotalKey]Total, error) {
	return readTotals(ctx, s.reader(), `SELECT unit_id, metric_id, year, total, activities FROM unit_totals`)
}

// RecomputedTotals counts every total again from the raw activities.
func (s *Store) RecomputedTotals(ctx context.Context) (map[TotalKey]Total, error) {
	return readTotals(ctx, s.reader(), recomputeQuery)
}

func readTotals(ctx context.Context, c conn, query string) (map[TotalKey]Total, error) {
	rows, err := c.query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read totals: %w", err)
	}
	defer rows.Close()
	out := map[TotalKey]Total{}
	for rows.Next() {
		var k TotalKey
		var t Total
		if err := rows.Scan(&k.UnitID, &k.MetricID, &k.Year, &t.Value, &t.Activities); err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, rows.Err()
}

// CheckTotals compares the kept totals with a recomputation from the raw
// activities and describes each difference; none means they agree.
func (s *Store) CheckTotals(ctx context.Context) ([]string, error) {
	kept, err := s.KeptTotals(ctx)
	if err != nil {
		return nil, err
	}
	fresh, err := s.RecomputedTotals(ctx)
	if err != nil {
		return nil, err
	}
	var diffs []string
	for _, k := range slices.SortedFunc(maps.Keys(mergeKeys(kept, fresh)), compareKeys) {
		if kept[k] != fresh[k] {
			diffs = append(diffs, fmt.Sprintf("unit %d, metric %d, year %d: kept %+v, recomputed %+v", k.UnitID, k.MetricID, k.Year, kept[k], fresh[k]))
		}
	}
	return diffs, nil
}

// RebuildTotals throws the kept totals away and counts them again from the
// raw activities, for after a bulk load or a repair.
func (s *Store) RebuildTotals(ctx context.Context) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM unit_totals`); err != nil {
			return fmt.Errorf("store: unable to clear totals: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO unit_totals (unit_id, metric_id, year, total, activities) `+recomputeQuery); err != nil {
			return fmt.Errorf("store: unable to rebuild totals: %w", err)
		}
		return nil
	})
}

func mergeKeys(a, b map[TotalKey]Total) map[TotalKey]bool {
	all := map[TotalKey]bool{}
	for k := range a {
		all[k] = true
	}
	for k := range b {
		all[k] = true
	}
	return all
}

func compareKeys(a, b TotalKey) int {
	switch {
	case a.UnitID != b.UnitID:
		return int(a.UnitID - b.UnitID)
	case a.MetricID != b.MetricID:
		return int(a.MetricID - b.MetricID)
	}
	return a.Year - b.Year
}

// UnitYearTotals returns, for each unit in the subtree of unitID that has
// any, its own kept totals of year by metric code (not rolled up): the
// breakdown by reporting unit.
func (s *Store) UnitYearTotals(ctx context.Context, prog *nscl.Programme, unitID int64, year int) (map[int64]map[string]int64, error) {
	rows, err := s.reader().query(ctx, subtreeCTE+`SELECT t.unit_id, m.code, t.total
		FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ? AND t.year = ?`, unitID, prog.ID, year)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read unit totals: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int64{}
	for rows.Next() {
		var unit, total int64
		var code string
		if err := rows.Scan(&unit, &code, &total); err != nil {
			return nil, err
		}
		if out[unit] == nil {
			out[unit] = map[string]int64{}
		}
		out[unit][code] = total
	}
	return out, rows.Err()
}
