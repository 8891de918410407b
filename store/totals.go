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
// programme for year and over fromYear…year, with what beneficiary lists
// say of the indicators counted in enterprises. It reads the kept totals
// (a few rows per unit, metric and year, however many activities there
// are) and the kept enterprises reached.
func (s *Store) Figures(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int) (map[string]nscl.Figures, error) {
	return s.figures(ctx, prog, unitID, fromYear, year, true)
}

// FiguresOnly is Figures without what beneficiary lists say (the Reach
// fields stay zero): for pages that show only the figures, such as a chart
// of every year, it leaves out counting the enterprises reached but for
// distinct-rule indicators, whose figure they are.
func (s *Store) FiguresOnly(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int) (map[string]nscl.Figures, error) {
	return s.figures(ctx, prog, unitID, fromYear, year, false)
}

func (s *Store) figures(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int, reach bool) (map[string]nscl.Figures, error) {
	c := s.reader()
	codes := map[int64]nscl.Metric{}
	for _, m := range prog.Metrics {
		codes[m.ID] = m
	}
	out := map[string]nscl.Figures{}

	rows, err := c.query(ctx, subtreeCTE+`SELECT t.metric_id,
			SUM(CASE WHEN t.year = ? THEN t.total ELSE 0 END), SUM(t.total),
			SUM(CASE WHEN t.year = ? THEN t.listed ELSE 0 END), SUM(t.listed),
			SUM(CASE WHEN t.year = ? THEN t.unlisted ELSE 0 END), SUM(t.unlisted)
		FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ? AND t.year BETWEEN ? AND ?
		GROUP BY t.metric_id, m.rule`, unitID, year, year, year, prog.ID, fromYear, year)
	if err != nil {
		return nil, fmt.Errorf("store: unable to sum totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, yearValue, cumulative int64
		var y, cum nscl.EnterpriseCounts
		if err := rows.Scan(&id, &yearValue, &cumulative, &y.Visits, &cum.Visits, &y.Unlisted, &cum.Unlisted); err != nil {
			return nil, err
		}
		m := codes[id]
		var f nscl.Figures
		switch m.Rule {
		case nscl.RuleSum:
			f.YearValue, f.Cumulative = yearValue, cumulative
		case nscl.RuleDistinct:
			f.YearVisits, f.CumulativeVisits = yearValue, cumulative
		}
		if reach && m.CountsEnterprises() {
			f.YearReach, f.CumulativeReach = y, cum
		}
		out[m.Code] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.lastValues(ctx, c, prog, unitID, fromYear, year, codes, out); err != nil {
		return nil, err
	}
	if err := s.distinctCounts(ctx, c, prog, unitID, fromYear, year, reach, codes, out); err != nil {
		return nil, err
	}
	return out, nil
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

// distinctCounts counts, for each indicator counted in enterprises, the
// distinct enterprises its activities name (a record merged into another
// counts as that one), from the kept rows of enterprises reached: that is
// the figure of a distinct-rule indicator, and what beneficiary lists say
// of the others.
func (s *Store) distinctCounts(ctx context.Context, c conn, prog *nscl.Programme, unitID int64, fromYear, year int, reach bool, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	args := []any{unitID, year}
	for _, m := range prog.Metrics {
		if m.Rule == nscl.RuleDistinct || reach && m.CountsEnterprises() {
			args = append(args, m.ID)
		}
	}
	if len(args) == 2 {
		return nil
	}
	rows, err := c.query(ctx, subtreeCTE+`SELECT r.metric_id,
			COUNT(DISTINCT CASE WHEN r.year = ? THEN COALESCE(t.tax_code, r.tax_code) END), COUNT(DISTINCT COALESCE(t.tax_code, r.tax_code))
		FROM reach_totals r JOIN subtree ON subtree.id = r.unit_id
		LEFT JOIN enterprises e ON e.tax_code = r.tax_code
		LEFT JOIN enterprises t ON t.id = e.merged_into
		WHERE r.metric_id IN (?`+strings.Repeat(", ?", len(args)-3)+`) AND r.year BETWEEN ? AND ?
		GROUP BY r.metric_id`, append(args, fromYear, year)...)
	if err != nil {
		return fmt.Errorf("store: unable to count distinct enterprises: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var metric, yearCount, cumulative int64
		if err := rows.Scan(&metric, &yearCount, &cumulative); err != nil {
			return err
		}
		m := codes[metric]
		f := out[m.Code]
		if m.Rule == nscl.RuleDistinct {
			f.YearValue, f.Cumulative = yearCount, cumulative
		}
		if reach && m.CountsEnterprises() {
			f.YearReach.Enterprises, f.CumulativeReach.Enterprises = yearCount, cumulative
		}
		out[m.Code] = f
	}
	return rows.Err()
}

// TotalKey names one kept total.
type TotalKey struct {
	UnitID   int64
	MetricID int64
	Year     int
}

// Total is a kept total and the number of activities counted in it; of
// those with a figure, the beneficiaries they name (Listed) and how many
// name none (Unlisted).
type Total struct {
	Value      int64
	Activities int64
	Listed     int64
	Unlisted   int64
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
		COUNT(*),
		SUM(CASE WHEN q.quantity > 0 THEN (SELECT COUNT(*) FROM activity_beneficiaries b WHERE b.activity_id = a.id) ELSE 0 END),
		SUM(CASE WHEN q.quantity > 0 AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = a.id) THEN 1 ELSE 0 END)
	FROM activity_quantities q JOIN activities a ON a.id = q.activity_id JOIN metrics m ON m.id = q.metric_id
	GROUP BY a.unit_id, q.metric_id, a.year, m.rule`

// recomputeReachQuery counts the enterprises reached again from the
// activities, as recomputeQuery counts the totals.
const recomputeReachQuery = `SELECT a.unit_id, q.metric_id, a.year, b.tax_code, COUNT(*)
	FROM activity_quantities q JOIN activities a ON a.id = q.activity_id JOIN activity_beneficiaries b ON b.activity_id = a.id
	WHERE q.quantity > 0
	GROUP BY a.unit_id, q.metric_id, a.year, b.tax_code`

// KeptTotals returns every kept total.
func (s *Store) KeptTotals(ctx context.Context) (map[TotalKey]Total, error) {
	return readTotals(ctx, s.reader(), `SELECT unit_id, metric_id, year, total, activities, listed, unlisted FROM unit_totals`)
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
		if err := rows.Scan(&k.UnitID, &k.MetricID, &k.Year, &t.Value, &t.Activities, &t.Listed, &t.Unlisted); err != nil {
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
	keptReach, err := readReach(ctx, s.reader(), `SELECT unit_id, metric_id, year, tax_code, activities FROM reach_totals`)
	if err != nil {
		return nil, err
	}
	freshReach, err := readReach(ctx, s.reader(), recomputeReachQuery)
	if err != nil {
		return nil, err
	}
	var reachDiffs []string
	for k := range mergeKeys(keptReach, freshReach) {
		if keptReach[k] != freshReach[k] {
			reachDiffs = append(reachDiffs, fmt.Sprintf("unit %d, metric %d, year %d, enterprise %s: kept %d activities, recomputed %d",
				k.UnitID, k.MetricID, k.Year, k.taxCode, keptReach[k], freshReach[k]))
		}
	}
	slices.Sort(reachDiffs)
	return append(diffs, reachDiffs...), nil
}

func readReach(ctx context.Context, c conn, query string) (map[reachKey]int64, error) {
	rows, err := c.query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read enterprises reached: %w", err)
	}
	defer rows.Close()
	out := map[reachKey]int64{}
	for rows.Next() {
		var k reachKey
		var n int64
		if err := rows.Scan(&k.UnitID, &k.MetricID, &k.Year, &k.taxCode, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// RebuildTotals throws the kept totals away and counts them again from the
// raw activities, for after a bulk load or a repair.
func (s *Store) RebuildTotals(ctx context.Context) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM unit_totals`); err != nil {
			return fmt.Errorf("store: unable to clear totals: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO unit_totals (unit_id, metric_id, year, total, activities, listed, unlisted) `+recomputeQuery); err != nil {
			return fmt.Errorf("store: unable to rebuild totals: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM reach_totals`); err != nil {
			return fmt.Errorf("store: unable to clear enterprises reached: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO reach_totals (unit_id, metric_id, year, tax_code, activities) `+recomputeReachQuery); err != nil {
			return fmt.Errorf("store: unable to rebuild enterprises reached: %w", err)
		}
		return nil
	})
}

func mergeKeys[K comparable, V any](a, b map[K]V) map[K]bool {
	all := map[K]bool{}
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
