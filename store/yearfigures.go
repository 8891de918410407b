package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"nscl"
)

// YearFigures gives, for each year from fromYear to toYear, the figures of
// that year alone — what FiguresWith(ctx, prog, unitID, y, y, o) gives for
// each metric — leaving out what beneficiary lists say, as o.SkipReach
// does. A chart of every year reads the period's kept rows once, in the
// same few statements whatever the number of years, where FiguresWith
// would take a few statements a year (each a round trip on PostgreSQL).
// A metric with no row in a year may be missing from that year's map: its
// figures are zero.
func (s *Store) YearFigures(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, toYear int, o FigureOptions) (map[int]map[string]nscl.Figures, error) {
	o.SkipReach = true
	cov, err := s.coverOf(ctx, unitID, o)
	if err != nil {
		return nil, err
	}
	c := s.reader()
	codes := map[int64]nscl.Metric{}
	for _, m := range prog.Metrics {
		codes[m.ID] = m
	}
	out := map[int]map[string]nscl.Figures{}
	for y := fromYear; y <= toYear; y++ {
		out[y] = map[string]nscl.Figures{}
	}
	// A figure of one year alone is also its figure "over the period":
	// each split below holds the same number twice.
	one := func(n int64) split { return split{n, n} }

	kept, args := cov.from("tree_totals", "unit_totals", "t.metric_id, t.year, t.state, t.total", ` AND t.year BETWEEN ? AND ?`, fromYear, toYear)
	err = eachRow(ctx, c, `SELECT t.metric_id, t.year, SUM(t.total), SUM(CASE WHEN t.state = 'approved' THEN t.total ELSE 0 END)
		FROM `+kept+` t JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ?
		GROUP BY t.metric_id, t.year`, append(args, prog.ID), func(r interface{ Scan(...any) error }) error {
		var id int64
		var year int
		var all, approved int64
		if err := r.Scan(&id, &year, &all, &approved); err != nil {
			return err
		}
		m := codes[id]
		var f nscl.Figures
		switch m.Rule {
		case nscl.RuleSum:
			f.YearValue, f.Cumulative, f.PendingYear, f.PendingCumulative = on(one(all), one(approved), o)
		case nscl.RuleDistinct:
			f.YearVisits, f.CumulativeVisits, _, _ = on(one(all), one(approved), o)
		}
		out[year][m.Code] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to sum totals by year: %w", err)
	}
	if err := s.lastValuesByYear(ctx, c, prog, cov, fromYear, toYear, o, codes, out); err != nil {
		return nil, err
	}
	var distinct []int64
	for _, m := range prog.Metrics {
		if m.Rule == nscl.RuleDistinct {
			distinct = append(distinct, m.ID)
		}
	}
	counts, err := countDistinctByYear(ctx, c, cov, fromYear, toYear, distinct)
	if err != nil {
		return nil, err
	}
	for k, n := range counts {
		m := codes[k.metric]
		f := out[k.year][m.Code]
		setDistinct(&f, m, n, o)
		out[k.year][m.Code] = f
	}
	return out, nil
}

// metricYear names a metric's figures of one year.
type metricYear struct {
	metric int64
	year   int
}

// lastValuesByYear is lastValues for each year alone: each unit's value of
// a year is that of the state with the later date (approved only, that of
// the approved state), added up across units.
func (s *Store) lastValuesByYear(ctx context.Context, c conn, prog *nscl.Programme, cov cover, fromYear, toYear int, o FigureOptions, codes map[int64]nscl.Metric, out map[int]map[string]nscl.Figures) error {
	if !slices.ContainsFunc(prog.Metrics, func(m nscl.Metric) bool { return m.Rule == nscl.RuleLast }) {
		return nil
	}
	sums := map[metricYear]*[2]split{} // all, approved
	add := func(k metricYear, basis int, total int64) {
		if sums[k] == nil {
			sums[k] = &[2]split{}
		}
		sums[k][basis].year += total
		sums[k][basis].cumulative += total
	}
	if len(cov.singles) > 0 {
		type key struct {
			unit, metric int64
			year         int
		}
		type value struct {
			on    time.Time
			total int64
		}
		all, approved := map[key]value{}, map[key]value{}
		cte, args := unitSetCTE(cov.singles)
		err := eachRow(ctx, c, cte+`SELECT t.unit_id, t.metric_id, t.year, t.state, t.total, t.latest_on
			FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
			WHERE m.programme_id = ? AND m.rule = 'last' AND t.year BETWEEN ? AND ?`, append(args, prog.ID, fromYear, toYear),
			func(r interface{ Scan(...any) error }) error {
				var k key
				var v value
				var state string
				if err := r.Scan(&k.unit, &k.metric, &k.year, &state, &v.total, dateValue{&v.on}); err != nil {
					return err
				}
				if prev, ok := all[k]; !ok || v.on.After(prev.on) {
					all[k] = v
				}
				if state == string(nscl.StateApproved) {
					approved[k] = v
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: unable to read latest values by year: %w", err)
		}
		for basis, vals := range []map[key]value{all, approved} {
			for k, v := range vals {
				add(metricYear{k.metric, k.year}, basis, v.total)
			}
		}
	}
	if len(cov.roots) > 0 {
		// Each row counts in its own year: until_year, a unit's next year
		// with a value, which ends a row's count over several years, is
		// always later.
		err := eachRow(ctx, c, `SELECT l.metric_id, l.year, l.basis, SUM(l.total)
			FROM tree_latest l JOIN metrics m ON m.id = l.metric_id
			WHERE l.ancestor_id IN (`+placeholders(len(cov.roots))+`) AND m.programme_id = ? AND l.year BETWEEN ? AND ?
			GROUP BY l.metric_id, l.year, l.basis`, append(listArgs(cov.roots), prog.ID, fromYear, toYear),
			func(r interface{ Scan(...any) error }) error {
				var k metricYear
				var basis string
				var total int64
				if err := r.Scan(&k.metric, &k.year, &basis, &total); err != nil {
					return err
				}
				add(k, slices.Index(bases[:], basis), total)
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: unable to read latest values by year: %w", err)
		}
	}
	for k, sum := range sums {
		code := codes[k.metric].Code
		f := out[k.year][code]
		f.YearValue, f.Cumulative, f.PendingYear, f.PendingCumulative = on(sum[0], sum[1], o)
		out[k.year][code] = f
	}
	return nil
}

// countDistinctByYear is countDistinct for each year alone.
func countDistinctByYear(ctx context.Context, c conn, cov cover, fromYear, toYear int, metricIDs []int64) (map[metricYear][2]split, error) {
	if len(metricIDs) == 0 {
		return nil, nil
	}
	filter := ` AND t.metric_id IN (` + placeholders(len(metricIDs)) + `) AND t.year BETWEEN ? AND ?`
	filterArgs := append(listArgs(metricIDs), fromYear, toYear)
	if len(cov.roots) != 1 || len(cov.singles) != 0 {
		reached, args := cov.from("tree_reach", "reach_totals", "t.metric_id, t.year, t.state, t.tax_code", filter, filterArgs...)
		return countReachedByYear(ctx, c, reached, args, mergedAsOne)
	}
	out := map[metricYear][2]split{}
	err := eachRow(ctx, c, `SELECT metric_id, year, basis, SUM(enterprises)
		FROM tree_reach_years WHERE ancestor_id = ? AND metric_id IN (`+placeholders(len(metricIDs))+`) AND year BETWEEN ? AND ?
		GROUP BY metric_id, year, basis`, append(append([]any{cov.roots[0]}, listArgs(metricIDs)...), fromYear, toYear),
		func(r interface{ Scan(...any) error }) error {
			var k metricYear
			var basis string
			var n int64
			if err := r.Scan(&k.metric, &k.year, &basis, &n); err != nil {
				return err
			}
			counts := out[k]
			counts[slices.Index(bases[:], basis)] = split{n, n}
			out[k] = counts
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: unable to count distinct enterprises by year: %w", err)
	}
	families, err := mergedFamilies(ctx, c)
	if err != nil || len(families) == 0 {
		return out, err
	}
	merged := filter + ` AND t.tax_code IN (` + placeholders(len(families)) + `)`
	reached, args := cov.from("tree_reach", "reach_totals", "t.metric_id, t.year, t.state, t.tax_code", merged, append(filterArgs, families...)...)
	err = takeOffTwice(out, func(enterprise string) (map[metricYear][2]split, error) {
		return countReachedByYear(ctx, c, reached, args, enterprise)
	})
	return out, err
}

// countReachedByYear is countReached for each year alone.
func countReachedByYear(ctx context.Context, c conn, reached string, args []any, enterprise string) (map[metricYear][2]split, error) {
	out := map[metricYear][2]split{}
	err := eachRow(ctx, c, `SELECT r.metric_id, r.year, COUNT(DISTINCT `+enterprise+`),
			COUNT(DISTINCT CASE WHEN r.state = 'approved' THEN `+enterprise+` END)
		FROM `+reached+` r
		LEFT JOIN enterprises e ON e.tax_code = r.tax_code
		LEFT JOIN enterprises t ON t.id = e.merged_into
		GROUP BY r.metric_id, r.year`, args, func(r interface{ Scan(...any) error }) error {
		var k metricYear
		var all, approved int64
		if err := r.Scan(&k.metric, &k.year, &all, &approved); err != nil {
			return err
		}
		out[k] = [2]split{{all, all}, {approved, approved}}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to count distinct enterprises by year: %w", err)
	}
	return out, nil
}
