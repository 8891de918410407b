package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"nscl"
)

// tree_reach_years keeps, for each ancestor, metric and basis, how many
// enterprises its subtree reached in a year with a given previous year
// reached (migration 00022 says why). A write that may change which years
// an enterprise is reached in at some ancestors reads those years before
// and after it (keepReachYears) and moves the rows by the difference; on
// PostgreSQL an activity's write has the server do it in the statement
// that moves the enterprise's rows (reachYearsMovedSQL).

// reachYearsSQL counts tree_reach_years again from tree_reach, as
// migration 00022 first filled it.
const reachYearsSQL = `SELECT ancestor_id, metric_id, basis, year, prev_year, COUNT(*) AS enterprises FROM (
		SELECT ancestor_id, metric_id, basis, year,
			COALESCE(LAG(year) OVER (PARTITION BY ancestor_id, metric_id, basis, tax_code ORDER BY year), 0) AS prev_year
		FROM (
			SELECT DISTINCT ancestor_id, metric_id, 'all' AS basis, tax_code, year FROM tree_reach WHERE activities > 0
			UNION ALL
			SELECT ancestor_id, metric_id, 'approved', tax_code, year FROM tree_reach WHERE activities > 0 AND state = 'approved'
		) p
	) g GROUP BY ancestor_id, metric_id, basis, year, prev_year`

// reachYearsMovedSQL adds rows (a VALUES list of ancestor_id, metric_id,
// year, state, tax_code, activities, each key once) to tree_reach and
// moves tree_reach_years by what that changed, in one statement
// (PostgreSQL, whose sub-statements all read the tables as they were
// before it): the links of each enterprise's years at each ancestor before
// the move are taken away and those after it added, as yearMoves does in
// Go. LATERAL has the server look each enterprise's rows up by the key,
// where a join would read the whole table.
func reachYearsMovedSQL(rows string) string {
	return `WITH d (ancestor_id, metric_id, year, state, tax_code, activities) AS (VALUES ` + rows + `),
	g AS (SELECT DISTINCT ancestor_id, metric_id, tax_code FROM d),
	before AS (
		SELECT g.ancestor_id, g.metric_id, g.tax_code, t.year, t.state, t.activities FROM g
		CROSS JOIN LATERAL (SELECT year, state, activities FROM tree_reach t WHERE t.ancestor_id = g.ancestor_id
			AND t.metric_id = g.metric_id AND t.tax_code = g.tax_code AND t.activities > 0) t),
	moved AS (
		INSERT INTO tree_reach (ancestor_id, metric_id, year, state, tax_code, activities) SELECT * FROM d
		ON CONFLICT (ancestor_id, metric_id, tax_code, year, state) DO UPDATE SET activities = tree_reach.activities + excluded.activities),
	after AS (
		SELECT ancestor_id, metric_id, tax_code, year, state FROM (
			SELECT ancestor_id, metric_id, tax_code, year, state, activities FROM before
			UNION ALL
			SELECT ancestor_id, metric_id, tax_code, year, state, activities FROM d) x
		GROUP BY ancestor_id, metric_id, tax_code, year, state HAVING SUM(activities) > 0),
	years AS (
		SELECT DISTINCT ancestor_id, metric_id, tax_code, 'all' AS basis, year, -1 AS n FROM before
		UNION ALL
		SELECT ancestor_id, metric_id, tax_code, 'approved', year, -1 FROM before WHERE state = 'approved'
		UNION ALL
		SELECT DISTINCT ancestor_id, metric_id, tax_code, 'all', year, 1 FROM after
		UNION ALL
		SELECT ancestor_id, metric_id, tax_code, 'approved', year, 1 FROM after WHERE state = 'approved'),
	links AS (
		SELECT ancestor_id, metric_id, basis, year, n,
			COALESCE(LAG(year) OVER (PARTITION BY ancestor_id, metric_id, tax_code, basis, n ORDER BY year), 0) AS prev_year
		FROM years)
	INSERT INTO tree_reach_years (ancestor_id, metric_id, basis, year, prev_year, enterprises)
	SELECT ancestor_id, metric_id, basis, year, prev_year, SUM(n) FROM links
	GROUP BY ancestor_id, metric_id, basis, year, prev_year HAVING SUM(n) <> 0
	ON CONFLICT (ancestor_id, metric_id, basis, year, prev_year) DO UPDATE SET enterprises = tree_reach_years.enterprises + excluded.enterprises`
}

// reachGroup is one enterprise's rows at one ancestor for one metric.
type reachGroup struct {
	ancestor, metric int64
	tax              string
}

// reachYearKey is one row of tree_reach_years.
type reachYearKey struct {
	ancestor, metric int64
	basis            string
	year, prev       int
}

// bases are the two ways a report counts: every state, or approved only.
var bases = [2]string{"all", "approved"}

// keepReachYears runs change, which may change the years the groups'
// enterprises are reached in at their ancestors, and moves the kept
// rows of tree_reach_years by what it changed.
func (tx *Tx) keepReachYears(ctx context.Context, groups []reachGroup, change func() error) error {
	before, err := tx.reachCounts(ctx, groups)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := tx.reachCounts(ctx, groups)
	if err != nil {
		return err
	}
	return tx.moveReachYears(ctx, yearMoves(groups, before, after))
}

// yearMoves is what moves the rows of tree_reach_years when the groups'
// counts go from before to after.
func yearMoves(groups []reachGroup, before, after map[reachGroup]yearCounts) map[reachYearKey]int64 {
	moves := map[reachYearKey]int64{}
	for _, g := range groups {
		old, now := before[g].years(), after[g].years()
		for b, basis := range bases {
			if slices.Equal(old[b], now[b]) {
				continue
			}
			for i, y := range old[b] {
				moves[reachYearKey{g.ancestor, g.metric, basis, y, prevYear(old[b], i)}]--
			}
			for i, y := range now[b] {
				moves[reachYearKey{g.ancestor, g.metric, basis, y, prevYear(now[b], i)}]++
			}
		}
	}
	return moves
}

// prevYear is the year before years[i] in the sorted list, 0 for none.
func prevYear(years []int, i int) int {
	if i == 0 {
		return 0
	}
	return years[i-1]
}

// yearState is a year and whether its state is approved.
type yearState struct {
	year     int
	approved bool
}

// yearCount is the activities of a group's row of tree_reach of a year
// and state.
type yearCount struct {
	yearState
	n int64
}

// yearCounts are the activities of one group's rows of tree_reach: a
// few, at most two a year, so a list rather than a map (a batch holds
// them for every enterprise at every ancestor).
type yearCounts []yearCount

// add adds n to the count of ys.
func (c yearCounts) add(ys yearState, n int64) yearCounts {
	for i := range c {
		if c[i].yearState == ys {
			c[i].n += n
			return c
		}
	}
	return append(c, yearCount{ys, n})
}

// years are the years the counts reach the enterprise in, for each basis
// (in the order of bases), sorted.
func (c yearCounts) years() [2][]int {
	var out [2][]int
	for _, yc := range c {
		if yc.n <= 0 {
			continue
		}
		if !slices.Contains(out[0], yc.year) {
			out[0] = append(out[0], yc.year)
		}
		if yc.approved {
			out[1] = append(out[1], yc.year)
		}
	}
	slices.Sort(out[0])
	slices.Sort(out[1])
	return out
}

// reachCounts reads each group's rows of tree_reach, a few hundred groups
// to a statement through the index on an enterprise's rows.
func (tx *Tx) reachCounts(ctx context.Context, groups []reachGroup) (map[reachGroup]yearCounts, error) {
	out := make(map[reachGroup]yearCounts, len(groups))
	for chunk := range slices.Chunk(groups, rowsPerStatement) {
		values := make([]any, 0, 3*len(chunk))
		for _, g := range chunk {
			values = append(values, g.ancestor, g.metric, g.tax)
		}
		// CROSS JOIN keeps SQLite looking up each group: with a join it
		// would rather read the whole index and look for each row in the
		// list.
		err := tx.eachRow(ctx, `SELECT t.ancestor_id, t.metric_id, t.tax_code, t.year, t.state, t.activities
			FROM (VALUES `+valueRows(len(chunk), "BIGINT", "BIGINT", "TEXT")+`) v
			CROSS JOIN tree_reach t WHERE t.ancestor_id = v.column1 AND t.metric_id = v.column2 AND t.tax_code = v.column3
				AND t.activities > 0`, values, func(scan func(...any) error) error {
			var g reachGroup
			var ys yearState
			var state string
			var n int64
			if err := scan(&g.ancestor, &g.metric, &g.tax, &ys.year, &state, &n); err != nil {
				return err
			}
			ys.approved = state == string(nscl.StateApproved)
			out[g] = out[g].add(ys, n)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: unable to read enterprises' years: %w", err)
		}
	}
	return out, nil
}

// moveReachYears adds the moves to tree_reach_years, a few hundred rows
// to a statement, and removes the rows that count no enterprise any more.
func (tx *Tx) moveReachYears(ctx context.Context, moves map[reachYearKey]int64) error {
	keys := slices.SortedFunc(maps.Keys(moves), func(a, b reachYearKey) int {
		return cmp.Or(cmp.Compare(a.ancestor, b.ancestor), cmp.Compare(a.metric, b.metric), cmp.Compare(a.basis, b.basis),
			cmp.Compare(a.year, b.year), cmp.Compare(a.prev, b.prev))
	})
	keys = slices.DeleteFunc(keys, func(k reachYearKey) bool { return moves[k] == 0 })
	removed := false
	for chunk := range slices.Chunk(keys, rowsPerStatement) {
		values := make([]any, 0, 6*len(chunk))
		for _, k := range chunk {
			values = append(values, k.ancestor, k.metric, k.basis, k.year, k.prev, moves[k])
			removed = removed || moves[k] < 0
		}
		if err := tx.execLater(ctx, `INSERT INTO tree_reach_years (ancestor_id, metric_id, basis, year, prev_year, enterprises)
			VALUES `+valueRows(len(chunk), "BIGINT", "BIGINT", "TEXT", "INTEGER", "INTEGER", "BIGINT")+`
			ON CONFLICT (ancestor_id, metric_id, basis, year, prev_year) DO UPDATE SET enterprises = tree_reach_years.enterprises + excluded.enterprises`, values...); err != nil {
			return fmt.Errorf("store: unable to keep the enterprises' years: %w", err)
		}
	}
	if !removed {
		return nil
	}
	if err := tx.execLater(ctx, `DELETE FROM tree_reach_years WHERE enterprises = 0`); err != nil {
		return fmt.Errorf("store: unable to keep the enterprises' years: %w", err)
	}
	return nil
}

// readReachGroups reads the groups a query selects (ancestor_id,
// metric_id, tax_code; each once).
func (tx *Tx) readReachGroups(ctx context.Context, query string, args ...any) ([]reachGroup, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read enterprises reached: %w", err)
	}
	defer rows.Close()
	var out []reachGroup
	for rows.Next() {
		var g reachGroup
		if err := rows.Scan(&g.ancestor, &g.metric, &g.tax); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// rebuildReachYears counts tree_reach_years again from tree_reach.
func (tx *Tx) rebuildReachYears(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM tree_reach_years`); err != nil {
		return fmt.Errorf("store: unable to clear the enterprises' years: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO tree_reach_years (ancestor_id, metric_id, basis, year, prev_year, enterprises) `+reachYearsSQL); err != nil {
		return fmt.Errorf("store: unable to count the enterprises' years: %w", err)
	}
	return nil
}

// groupsAtAncestors is each enterprise of keys at every ancestor of its
// unit (the unit included), for the metric, each once; and the ancestors
// of each unit of keys.
func (tx *Tx) groupsAtAncestors(ctx context.Context, keys []reachKey) ([]reachGroup, map[int64][]int64, error) {
	units, err := tx.ancestorsOf(ctx, keys)
	if err != nil || len(keys) == 0 {
		return nil, nil, err
	}
	seen := map[reachGroup]bool{}
	var out []reachGroup
	for _, k := range keys {
		for _, a := range units[k.UnitID] {
			g := reachGroup{a, k.MetricID, k.taxCode}
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out, units, nil
}

// ancestorsOf gives the ancestors of each unit of keys, the unit included:
// from the tree the transaction knows, or else from unit_ancestors.
func (tx *Tx) ancestorsOf(ctx context.Context, keys []reachKey) (map[int64][]int64, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	units := map[int64][]int64{}
	for _, k := range keys {
		units[k.UnitID] = nil
	}
	var asked []int64
	t, err := tx.knownTree(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(units)) {
		if ancestors, ok := t.ancestors(id); ok {
			units[id] = ancestors
		} else {
			asked = append(asked, id)
		}
	}
	for chunk := range slices.Chunk(asked, rowsPerStatement) {
		rows, err := tx.query(ctx, `SELECT unit_id, ancestor_id FROM unit_ancestors WHERE unit_id IN (`+placeholders(len(chunk))+`)`, listArgs(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("store: unable to read the units' ancestors: %w", err)
		}
		for rows.Next() {
			var unit, ancestor int64
			if err := rows.Scan(&unit, &ancestor); err != nil {
				rows.Close()
				return nil, err
			}
			units[unit] = append(units[unit], ancestor)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return units, nil
}
