package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"nscl"
)

// Figures counts, for the unit and every unit under it, each metric of the
// programme for year and over fromYear…year, with what beneficiary lists
// say of the indicators counted in enterprises, and beside them what is
// not yet approved (Pending). It reads the kept totals (a few rows per
// unit, metric, year and approval state, however many activities there
// are) and the kept enterprises reached.
func (s *Store) Figures(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int) (map[string]nscl.Figures, error) {
	return s.FiguresWith(ctx, prog, unitID, fromYear, year, FigureOptions{})
}

// FiguresOnly is Figures without what beneficiary lists say (the Reach
// fields stay zero): for pages that show only the figures, such as a chart
// of every year, it leaves out counting the enterprises reached but for
// distinct-rule indicators, whose figure they are.
func (s *Store) FiguresOnly(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int) (map[string]nscl.Figures, error) {
	return s.FiguresWith(ctx, prog, unitID, fromYear, year, FigureOptions{SkipReach: true})
}

// FigureOptions narrow what FiguresWith counts.
type FigureOptions struct {
	// ApprovedOnly counts only the activities that approved submissions
	// cover; the Pending fields are then what it leaves out.
	ApprovedOnly bool
	// SkipReach leaves out what beneficiary lists say, as FiguresOnly.
	SkipReach bool
	// Boundaries say which units count: the zero value is today's tree,
	// following every succession on file (Store.Counted).
	Boundaries nscl.Boundaries
	// Units, when set, are the units counted, as Store.Counted gave them
	// for the same unit and boundaries: a page that reads several years
	// draws the tree once.
	Units []int64
}

// FiguresWith is Figures as the options say.
func (s *Store) FiguresWith(ctx context.Context, prog *nscl.Programme, unitID int64, fromYear, year int, o FigureOptions) (map[string]nscl.Figures, error) {
	cov, err := s.coverOf(ctx, unitID, o)
	if err != nil {
		return nil, err
	}
	return s.figuresOver(ctx, prog, cov, fromYear, year, o)
}

// coverOf is the cover of the units the figures of unitID count, as the
// options say.
func (s *Store) coverOf(ctx context.Context, unitID int64, o FigureOptions) (cover, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return cover{}, err
	}
	units := o.Units
	if units == nil {
		if _, ok := t.index[unitID]; !ok {
			return cover{}, nscl.NotFound("unit", "không có đơn vị số %d", "no unit with id %d", unitID)
		}
		units = t.counted(unitID, o.Boundaries).UnitIDs
	}
	return t.cover(units), nil
}

// figuresOver counts the figures of the units the cover reads: the totals
// its roots keep for their subtrees, and the singles' own.
func (s *Store) figuresOver(ctx context.Context, prog *nscl.Programme, cov cover, fromYear, year int, o FigureOptions) (map[string]nscl.Figures, error) {
	c := s.reader()
	codes := map[int64]nscl.Metric{}
	for _, m := range prog.Metrics {
		codes[m.ID] = m
	}
	out := map[string]nscl.Figures{}
	// The figures on the basis asked for, and the part not yet approved:
	// all less the approved.
	basis := "t.state IN ('pending', 'approved')"
	if o.ApprovedOnly {
		basis = "t.state = 'approved'"
	}
	kept, args := cov.from("tree_totals", "unit_totals", "t.metric_id, t.year, t.state, t.total, t.listed, t.unlisted", ` AND t.year BETWEEN ? AND ?`, fromYear, year)
	rows, err := c.query(ctx, `SELECT t.metric_id,
			SUM(CASE WHEN t.year = ? THEN t.total ELSE 0 END), SUM(t.total),
			SUM(CASE WHEN t.year = ? AND t.state = 'approved' THEN t.total ELSE 0 END), SUM(CASE WHEN t.state = 'approved' THEN t.total ELSE 0 END),
			SUM(CASE WHEN t.year = ? AND `+basis+` THEN t.listed ELSE 0 END), SUM(CASE WHEN `+basis+` THEN t.listed ELSE 0 END),
			SUM(CASE WHEN t.year = ? AND `+basis+` THEN t.unlisted ELSE 0 END), SUM(CASE WHEN `+basis+` THEN t.unlisted ELSE 0 END)
		FROM `+kept+` t JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ?
		GROUP BY t.metric_id, m.rule`, append(append([]any{year, year, year, year}, args...), prog.ID)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to sum totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var all, approved split
		var y, cum nscl.EnterpriseCounts
		if err := rows.Scan(&id, &all.year, &all.cumulative, &approved.year, &approved.cumulative, &y.Visits, &cum.Visits, &y.Unlisted, &cum.Unlisted); err != nil {
			return nil, err
		}
		m := codes[id]
		var f nscl.Figures
		switch m.Rule {
		case nscl.RuleSum:
			f.YearValue, f.Cumulative, f.PendingYear, f.PendingCumulative = on(all, approved, o)
		case nscl.RuleDistinct:
			f.YearVisits, f.CumulativeVisits, _, _ = on(all, approved, o)
		}
		if !o.SkipReach && m.CountsEnterprises() {
			f.YearReach, f.CumulativeReach = y, cum
		}
		out[m.Code] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.lastValues(ctx, c, prog, cov, fromYear, year, o, codes, out); err != nil {
		return nil, err
	}
	if err := s.distinctCounts(ctx, c, prog, cov, fromYear, year, o, codes, out); err != nil {
		return nil, err
	}
	return out, nil
}

// split is a figure for the year and cumulated, of every activity or of
// the approved ones.
type split struct{ year, cumulative int64 }

// on picks the figures on the options' basis, and what is not yet
// approved beside them.
func on(all, approved split, o FigureOptions) (year, cumulative, pendingYear, pendingCumulative int64) {
	year, cumulative = all.year, all.cumulative
	if o.ApprovedOnly {
		year, cumulative = approved.year, approved.cumulative
	}
	return year, cumulative, all.year - approved.year, all.cumulative - approved.cumulative
}

// lastValues adds up, across units, each unit's value for year and its
// latest value up to year. A unit's latest value of a year is that of the
// state with the later date; approved only, that of the approved state.
// The singles' own rows are read unit by unit; the roots' kept sums
// (tree_latest) hold the same for their subtrees.
func (s *Store) lastValues(ctx context.Context, c conn, prog *nscl.Programme, cov cover, fromYear, year int, o FigureOptions, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	// A statement costs a round trip on PostgreSQL: none is sent for what
	// cannot give a row.
	if !slices.ContainsFunc(prog.Metrics, func(m nscl.Metric) bool { return m.Rule == nscl.RuleLast }) {
		return nil
	}
	type key struct{ unit, metric int64 }
	type value struct {
		year  int
		on    time.Time
		total int64
	}
	all, approved := map[key]value{}, map[key]value{}
	if len(cov.singles) > 0 {
		cte, args := unitSetCTE(cov.singles)
		rows, err := c.query(ctx, cte+`SELECT t.unit_id, t.metric_id, t.year, t.state, t.total, t.latest_on
			FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
			WHERE m.programme_id = ? AND m.rule = 'last' AND t.year BETWEEN ? AND ?
			ORDER BY t.unit_id, t.metric_id, t.year`, append(args, prog.ID, fromYear, year)...)
		if err != nil {
			return fmt.Errorf("store: unable to read latest values: %w", err)
		}
		defer rows.Close()
		// Rows come in year order: the last one kept per unit is its latest year.
		for rows.Next() {
			var k key
			var v value
			var state string
			if err := rows.Scan(&k.unit, &k.metric, &v.year, &state, &v.total, dateValue{&v.on}); err != nil {
				return err
			}
			if prev, ok := all[k]; !ok || prev.year < v.year || v.on.After(prev.on) {
				all[k] = v
			}
			if state == string(nscl.StateApproved) {
				approved[k] = v
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	sums := map[int64]*[2]split{} // by metric: all, approved
	add := func(vals map[key]value, i int) {
		for k, v := range vals {
			if sums[k.metric] == nil {
				sums[k.metric] = &[2]split{}
			}
			sum := &sums[k.metric][i]
			sum.cumulative += v.total
			if v.year == year {
				sum.year += v.total
			}
		}
	}
	add(all, 0)
	add(approved, 1)
	if len(cov.roots) > 0 {
		rows, err := c.query(ctx, `SELECT l.metric_id, l.basis, SUM(CASE WHEN l.year = ? THEN l.total ELSE 0 END), SUM(l.total)
			FROM tree_latest l JOIN metrics m ON m.id = l.metric_id
			WHERE l.ancestor_id IN (`+placeholders(len(cov.roots))+`) AND m.programme_id = ? AND l.year BETWEEN ? AND ? AND (l.until_year = 0 OR l.until_year > ?)
			GROUP BY l.metric_id, l.basis`, append(append([]any{year}, listArgs(cov.roots)...), prog.ID, fromYear, year, year)...)
		if err != nil {
			return fmt.Errorf("store: unable to read latest values: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var metric int64
			var basis string
			var n split
			if err := rows.Scan(&metric, &basis, &n.year, &n.cumulative); err != nil {
				return err
			}
			if sums[metric] == nil {
				sums[metric] = &[2]split{}
			}
			i := 0
			if basis == string(nscl.StateApproved) {
				i = 1
			}
			sums[metric][i].year += n.year
			sums[metric][i].cumulative += n.cumulative
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for metric, sum := range sums {
		f := out[codes[metric].Code]
		f.YearValue, f.Cumulative, f.PendingYear, f.PendingCumulative = on(sum[0], sum[1], o)
		out[codes[metric].Code] = f
	}
	return nil
}

// distinctCounts counts, for each indicator counted in enterprises, the
// distinct enterprises its activities name (a record merged into another
// counts as that one), from the kept rows of enterprises reached: that is
// the figure of a distinct-rule indicator, and what beneficiary lists say
// of the others. Both states are counted in one pass: for a distinct-rule
// indicator, all less the approved is the part not yet approved.
func (s *Store) distinctCounts(ctx context.Context, c conn, prog *nscl.Programme, cov cover, fromYear, year int, o FigureOptions, codes map[int64]nscl.Metric, out map[string]nscl.Figures) error {
	var counted []int64
	for _, m := range prog.Metrics {
		if m.Rule == nscl.RuleDistinct || !o.SkipReach && m.CountsEnterprises() {
			counted = append(counted, m.ID)
		}
	}
	counts, err := countDistinct(ctx, c, cov, fromYear, year, counted)
	if err != nil {
		return err
	}
	for metric, n := range counts {
		m := codes[metric]
		f := out[m.Code]
		setDistinct(&f, m, n, o)
		out[m.Code] = f
	}
	return nil
}

// setDistinct sets a metric's figures from its distinct enterprises, of
// every state and approved: the figure of a distinct-rule indicator, and
// what beneficiary lists say of the others unless o.SkipReach.
func setDistinct(f *nscl.Figures, m nscl.Metric, n [2]split, o FigureOptions) {
	all, basis := n[0], n[0]
	if o.ApprovedOnly {
		basis = n[1]
	}
	if m.Rule == nscl.RuleDistinct {
		f.YearValue, f.Cumulative = basis.year, basis.cumulative
		f.PendingYear, f.PendingCumulative = all.year-n[1].year, all.cumulative-n[1].cumulative
	}
	if !o.SkipReach && m.CountsEnterprises() {
		f.YearReach.Enterprises, f.CumulativeReach.Enterprises = basis.year, basis.cumulative
	}
}

// countDistinct counts, by metric, the distinct enterprises the cover's
// units reached for the year and over fromYear…year, of every activity
// and of the approved ones. A cover of one root reads the root's kept
// counts (tree_reach_years), which count each record apart, and takes off
// what merged records count twice; any other cover counts the roots'
// rows, one per enterprise reached in their subtree, and the singles'
// own.
func countDistinct(ctx context.Context, c conn, cov cover, fromYear, year int, metricIDs []int64) (map[int64][2]split, error) {
	if len(metricIDs) == 0 {
		return map[int64][2]split{}, nil
	}
	filter := ` AND t.metric_id IN (` + placeholders(len(metricIDs)) + `) AND t.year BETWEEN ? AND ?`
	filterArgs := append(listArgs(metricIDs), fromYear, year)
	if len(cov.roots) != 1 || len(cov.singles) != 0 {
		reached, args := cov.from("tree_reach", "reach_totals", "t.metric_id, t.year, t.state, t.tax_code", filter, filterArgs...)
		return countReached(ctx, c, reached, args, year, mergedAsOne)
	}
	out, err := keptDistinct(ctx, c, cov.roots[0], fromYear, year, metricIDs)
	if err != nil {
		return nil, err
	}
	// The root's rows of records merged into another or merged into, few
	// through the index on an enterprise's rows: counted apart, and as one;
	// with none merged there is nothing to take off.
	families, err := mergedFamilies(ctx, c)
	if err != nil || len(families) == 0 {
		return out, err
	}
	merged := filter + ` AND t.tax_code IN (` + placeholders(len(families)) + `)`
	reached, args := cov.from("tree_reach", "reach_totals", "t.metric_id, t.year, t.state, t.tax_code", merged, append(filterArgs, families...)...)
	err = takeOffTwice(out, func(enterprise string) (map[int64][2]split, error) {
		return countReached(ctx, c, reached, args, year, enterprise)
	})
	return out, err
}

// takeOffTwice takes off kept counts of distinct records what records
// merged into another count twice: the merged families' rows counted
// apart (count(eachRecord)) less counted as one (count(mergedAsOne)).
func takeOffTwice[K comparable](out map[K][2]split, count func(enterprise string) (map[K][2]split, error)) error {
	apart, err := count(eachRecord)
	if err != nil {
		return err
	}
	asOne, err := count(mergedAsOne)
	if err != nil {
		return err
	}
	for k, n := range apart {
		counts := out[k]
		for b := range counts {
			counts[b].year -= n[b].year - asOne[k][b].year
			counts[b].cumulative -= n[b].cumulative - asOne[k][b].cumulative
		}
		out[k] = counts
	}
	return nil
}

// mergedFamilies are the tax codes of the records merged into another
// and of those they were merged into, as arguments. They are read first
// and given as a list, which PostgreSQL looks up in the index on an
// enterprise's rows (as a subquery it read all the root's rows: 0,3–0,6 s
// for the nation at 1M).
func mergedFamilies(ctx context.Context, c conn) ([]any, error) {
	var families []any
	err := eachRow(ctx, c, `SELECT tax_code FROM enterprises WHERE merged_into IS NOT NULL
		UNION ALL SELECT t2.tax_code FROM enterprises e2 JOIN enterprises t2 ON t2.id = e2.merged_into WHERE e2.merged_into IS NOT NULL`, nil,
		func(r interface{ Scan(...any) error }) error {
			var taxCode string
			families = append(families, &taxCode)
			return r.Scan(&taxCode)
		})
	return families, err
}

// How countReached names an enterprise: a record merged into another as
// that one, or each record apart.
const (
	mergedAsOne = `COALESCE(t.tax_code, r.tax_code)`
	eachRecord  = `r.tax_code`
)

// countReached counts, by metric, the distinct enterprises (named by
// enterprise) of reached (metric_id, year, state and tax_code rows of
// fromYear…year) for the year and over all, of every state and approved.
func countReached(ctx context.Context, c conn, reached string, args []any, year int, enterprise string) (map[int64][2]split, error) {
	rows, err := c.query(ctx, `SELECT r.metric_id,
			COUNT(DISTINCT CASE WHEN r.year = ? THEN `+enterprise+` END), COUNT(DISTINCT `+enterprise+`),
			COUNT(DISTINCT CASE WHEN r.year = ? AND r.state = 'approved' THEN `+enterprise+` END),
			COUNT(DISTINCT CASE WHEN r.state = 'approved' THEN `+enterprise+` END)
		FROM `+reached+` r
		LEFT JOIN enterprises e ON e.tax_code = r.tax_code
		LEFT JOIN enterprises t ON t.id = e.merged_into
		GROUP BY r.metric_id`, append([]any{year, year}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count distinct enterprises: %w", err)
	}
	defer rows.Close()
	out := map[int64][2]split{}
	for rows.Next() {
		var metric int64
		var n [2]split
		if err := rows.Scan(&metric, &n[0].year, &n[0].cumulative, &n[1].year, &n[1].cumulative); err != nil {
			return nil, err
		}
		out[metric] = n
	}
	return out, rows.Err()
}

// keptDistinct counts, by metric, the distinct records the root's
// subtree reached for the year and over fromYear…year, of every state and
// approved, from the root's kept counts: a few dozen rows.
func keptDistinct(ctx context.Context, c conn, root int64, fromYear, year int, metricIDs []int64) (map[int64][2]split, error) {
	rows, err := c.query(ctx, `SELECT metric_id, basis,
			SUM(CASE WHEN year = ? THEN enterprises ELSE 0 END), SUM(CASE WHEN prev_year < ? THEN enterprises ELSE 0 END)
		FROM tree_reach_years WHERE ancestor_id = ? AND metric_id IN (`+placeholders(len(metricIDs))+`) AND year BETWEEN ? AND ?
		GROUP BY metric_id, basis`, append(append([]any{year, fromYear, root}, listArgs(metricIDs)...), fromYear, year)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count distinct enterprises: %w", err)
	}
	defer rows.Close()
	out := map[int64][2]split{}
	for rows.Next() {
		var metric int64
		var basis string
		var n split
		if err := rows.Scan(&metric, &basis, &n.year, &n.cumulative); err != nil {
			return nil, err
		}
		k := out[metric]
		k[slices.Index(bases[:], basis)] = n
		out[metric] = k
	}
	return out, rows.Err()
}

// TotalKey names one kept total.
type TotalKey struct {
	UnitID   int64
	MetricID int64
	Year     int
	State    nscl.ApprovalState
}

// Total is a kept total and the number of activities counted in it; of
// those with a figure, the beneficiaries they name (Listed) and how many
// name none (Unlisted).
type Total struct {
	Value      int64
	Activities int64
	Listed     int64
	Unlisted   int64
	LatestOn   string // last-value rule: the date of the value, yyyy-mm-dd; "" for the others
}

// approvedSQL is the rule of nscl.ApprovalOf in SQL: true when an
// approved submission of the unit to a round of the programme covers the
// day. unit, day and prog are SQL expressions; the subquery's own aliases
// are unusual so that they do not hide the caller's.
func approvedSQL(unit, day, prog string) string {
	return `EXISTS (SELECT 1 FROM submissions ap_s JOIN rounds ap_r ON ap_r.id = ap_s.round_id
		WHERE ap_s.unit_id = ` + unit + ` AND ap_s.status = 'approved' AND ap_r.programme_id = ` + prog + `
			AND ` + day + ` BETWEEN ap_r.period_start AND ap_r.period_end)`
}

// stateSQL is the approval state of the activity aliased a.
func stateSQL(a string) string {
	return `CASE WHEN ` + approvedSQL(a+".unit_id", a+".occurred_on", a+".programme_id") + ` THEN 'approved' ELSE 'pending' END`
}

// recountSQL counts totals again from the activities themselves, ignoring
// both the kept totals and the copies of unit, year and date kept beside
// each quantity, and deciding each activity's state from the rounds; only
// the activities that where (a condition on activities aliased a, or "")
// selects.
func recountSQL(where string) string {
	return `SELECT a.unit_id, q.metric_id, a.year, a.state,
		CASE WHEN m.rule = 'last' THEN (
			SELECT q2.quantity FROM activity_quantities q2 JOIN activities a2 ON a2.id = q2.activity_id
			WHERE q2.metric_id = q.metric_id AND a2.unit_id = a.unit_id AND a2.year = a.year AND ` + stateSQL("a2") + ` = a.state
			ORDER BY a2.occurred_on DESC, a2.id DESC LIMIT 1)
		ELSE SUM(q.quantity) END AS total,
		COUNT(*) AS activities,
		SUM(CASE WHEN q.quantity > 0 THEN (SELECT COUNT(*) FROM activity_beneficiaries b WHERE b.activity_id = a.id) ELSE 0 END) AS listed,
		SUM(CASE WHEN q.quantity > 0 AND NOT EXISTS (SELECT 1 FROM activity_beneficiaries b WHERE b.activity_id = a.id) THEN 1 ELSE 0 END) AS unlisted,
		CASE WHEN m.rule = 'last' THEN MAX(a.occurred_on) END AS latest_on
	FROM activity_quantities q JOIN (SELECT a.id, a.unit_id, a.year, a.occurred_on, ` + stateSQL("a") + ` AS state FROM activities a ` + where + `) a ON a.id = q.activity_id
	JOIN metrics m ON m.id = q.metric_id
	GROUP BY a.unit_id, q.metric_id, a.year, a.state, m.rule`
}

// recountReachSQL counts the enterprises reached again from the
// activities where selects, as recountSQL counts the totals.
func recountReachSQL(where string) string {
	return `SELECT a.unit_id, q.metric_id, a.year, a.state, b.tax_code, COUNT(*)
	FROM activity_quantities q JOIN (SELECT a.id, a.unit_id, a.year, ` + stateSQL("a") + ` AS state FROM activities a ` + where + `) a ON a.id = q.activity_id
	JOIN activity_beneficiaries b ON b.activity_id = a.id
	WHERE q.quantity > 0
	GROUP BY a.unit_id, q.metric_id, a.year, a.state, b.tax_code`
}

// recountUnit counts the kept totals and enterprises reached of a unit's
// activities in a programme over fromYear…toYear again, in four
// statements: what an approval, or its undoing, changes. The unit's rows
// are taken out of its ancestors' before and put back after. Its cost
// follows what the unit reported in those years.
func (tx *Tx) recountUnit(ctx context.Context, progID, unitID int64, fromYear, toYear int) error {
	if err := tx.settle(ctx); err != nil {
		return err
	}
	// The enterprises the unit's rows name, before the recount and in the
	// activities it counts from, at each ancestor.
	groups, err := tx.readReachGroups(ctx, `SELECT ua.ancestor_id, r.metric_id, r.tax_code
		FROM (SELECT metric_id, tax_code FROM reach_totals
				WHERE unit_id = ? AND year BETWEEN ? AND ? AND metric_id IN (SELECT id FROM metrics WHERE programme_id = ?)
			UNION
			SELECT q.metric_id, b.tax_code FROM activities a JOIN activity_quantities q ON q.activity_id = a.id
				JOIN activity_beneficiaries b ON b.activity_id = a.id
				WHERE a.unit_id = ? AND a.programme_id = ? AND a.year BETWEEN ? AND ?) r
		JOIN unit_ancestors ua ON ua.unit_id = ?`, unitID, fromYear, toYear, progID, unitID, progID, fromYear, toYear, unitID)
	if err != nil {
		return err
	}
	return tx.keepReachYears(ctx, groups, func() error { return tx.recountUnitRows(ctx, progID, unitID, fromYear, toYear) })
}

// recountUnitRows is recountUnit's work on the kept rows.
func (tx *Tx) recountUnitRows(ctx context.Context, progID, unitID int64, fromYear, toYear int) error {
	if err := tx.pushUnit(ctx, progID, unitID, fromYear, toYear, "-"); err != nil {
		return err
	}
	if err := tx.recountApproved(ctx, progID, unitID, fromYear, toYear); err != nil {
		return err
	}
	const kept = ` WHERE unit_id = ? AND year BETWEEN ? AND ? AND metric_id IN (SELECT id FROM metrics WHERE programme_id = ?)`
	where := `WHERE a.unit_id = ? AND a.programme_id = ? AND a.year BETWEEN ? AND ?`
	for _, st := range []struct{ table, columns, recount string }{
		{"unit_totals", "(unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on)", recountSQL(where)},
		{"reach_totals", "(unit_id, metric_id, year, state, tax_code, activities)", recountReachSQL(where)},
	} {
		if _, err := tx.exec(ctx, `DELETE FROM `+st.table+kept, unitID, fromYear, toYear, progID); err != nil {
			return fmt.Errorf("store: unable to recount %s: %w", st.table, err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO `+st.table+` `+st.columns+` `+st.recount, unitID, progID, fromYear, toYear); err != nil {
			return fmt.Errorf("store: unable to recount %s: %w", st.table, err)
		}
	}
	if err := tx.pushUnit(ctx, progID, unitID, fromYear, toYear, ""); err != nil {
		return err
	}
	return tx.dropEmptyTree(ctx)
}

// recountApproved counts the unit's approved activities of the programme
// over fromYear…toYear again (approved_counts), and moves the difference
// to every ancestor of the unit, itself included (tree_approved_counts).
func (tx *Tx) recountApproved(ctx context.Context, progID, unitID int64, fromYear, toYear int) error {
	const filter = ` AND t.unit_id = ? AND t.year BETWEEN ? AND ? AND t.programme_id = ?`
	ancestors := `SELECT unit_id, ancestor_id FROM unit_ancestors WHERE unit_id = ?`
	args := []any{unitID, fromYear, toYear, progID, unitID}
	const table = "tree_approved_counts"
	if err := tx.addTree(ctx, table, sumsToAncestors(table, unitRowsSQL(table, filter), ancestors, "-"), args...); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM approved_counts WHERE unit_id = ? AND year BETWEEN ? AND ? AND programme_id = ?`, unitID, fromYear, toYear, progID); err != nil {
		return fmt.Errorf("store: unable to recount approved activities: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO approved_counts (`+approvedCountsColumns+`) `+recountApprovedSQL(` AND a.unit_id = ? AND a.programme_id = ? AND a.year BETWEEN ? AND ?`),
		unitID, progID, fromYear, toYear); err != nil {
		return fmt.Errorf("store: unable to recount approved activities: %w", err)
	}
	if err := tx.addTree(ctx, table, sumsToAncestors(table, unitRowsSQL(table, filter), ancestors, ""), args...); err != nil {
		return err
	}
	return tx.dropEmptyTree(ctx, table)
}

// approvedCountsColumns are approved_counts' columns, key first.
const approvedCountsColumns = "unit_id, programme_id, year, task_group_id, kind, activities"

// recountApprovedSQL counts approved_counts' rows from the activities
// themselves, in its columns' order, of those where (conditions on
// activities aliased a, each starting with AND, or "") selects.
// Migration 00030 holds a copy.
func recountApprovedSQL(where string) string {
	return `SELECT a.unit_id, a.programme_id, a.year, a.task_group_id, a.kind, COUNT(*) FROM activities a
		WHERE ` + approvedSQL("a.unit_id", "a.occurred_on", "a.programme_id") + where + ` GROUP BY 1, 2, 3, 4, 5`
}

// KeptTotals returns every kept total.
func (s *Store) KeptTotals(ctx context.Context) (map[TotalKey]Total, error) {
	return readTotals(ctx, s.reader(), keptTotalsSQL)
}

const keptTotalsSQL = `SELECT unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on FROM unit_totals`

// RecomputedTotals counts every total again from the raw activities.
func (s *Store) RecomputedTotals(ctx context.Context) (map[TotalKey]Total, error) {
	return readTotals(ctx, s.reader(), recountSQL(""))
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
		var state string
		var latest time.Time
		if err := rows.Scan(&k.UnitID, &k.MetricID, &k.Year, &state, &t.Value, &t.Activities, &t.Listed, &t.Unlisted, dateValue{&latest}); err != nil {
			return nil, err
		}
		k.State = nscl.ApprovalState(state)
		if !latest.IsZero() {
			t.LatestOn = latest.Format(dateLayout)
		}
		out[k] = t
	}
	return out, rows.Err()
}

// CheckTotals compares the kept totals, and the activity counts, with a
// recomputation from the raw activities and describes each difference;
// none means they agree. Both are read from one snapshot: a write
// committed between the two would otherwise show as a difference on a
// database in use.
func (s *Store) CheckTotals(ctx context.Context) (diffs []string, err error) {
	err = s.snapshot(ctx, func(c conn) error {
		diffs, err = checkTotals(ctx, c)
		return err
	})
	return diffs, err
}

func checkTotals(ctx context.Context, c conn) ([]string, error) {
	kept, err := readTotals(ctx, c, keptTotalsSQL)
	if err != nil {
		return nil, err
	}
	fresh, err := readTotals(ctx, c, recountSQL(""))
	if err != nil {
		return nil, err
	}
	var diffs []string
	for _, k := range slices.SortedFunc(maps.Keys(mergeKeys(kept, fresh)), compareKeys) {
		if kept[k] != fresh[k] {
			diffs = append(diffs, fmt.Sprintf("unit %d, metric %d, year %d, %s: kept %+v, recomputed %+v", k.UnitID, k.MetricID, k.Year, k.State, kept[k], fresh[k]))
		}
	}
	keptReach, err := readReach(ctx, c, `SELECT unit_id, metric_id, year, state, tax_code, activities FROM reach_totals`)
	if err != nil {
		return nil, err
	}
	freshReach, err := readReach(ctx, c, recountReachSQL(""))
	if err != nil {
		return nil, err
	}
	var reachDiffs []string
	for k := range mergeKeys(keptReach, freshReach) {
		if keptReach[k] != freshReach[k] {
			reachDiffs = append(reachDiffs, fmt.Sprintf("unit %d, metric %d, year %d, %s, enterprise %s: kept %d activities, recomputed %d",
				k.UnitID, k.MetricID, k.Year, k.State, k.taxCode, keptReach[k], freshReach[k]))
		}
	}
	slices.Sort(reachDiffs)
	keptApproved, err := readRows(ctx, c, `SELECT `+approvedCountsColumns+` FROM approved_counts`, 5)
	if err != nil {
		return nil, err
	}
	freshApproved, err := readRows(ctx, c, recountApprovedSQL(""), 5)
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(mergeKeys(keptApproved, freshApproved))) {
		if keptApproved[k] != freshApproved[k] {
			reachDiffs = append(reachDiffs, fmt.Sprintf("approved_counts %s: kept %q, recounted %q", k, keptApproved[k], freshApproved[k]))
		}
	}
	countDiffs, err := checkActivityCounts(ctx, c)
	if err != nil {
		return nil, err
	}
	treeDiffs, err := checkTree(ctx, c)
	if err != nil {
		return nil, err
	}
	return slices.Concat(diffs, reachDiffs, countDiffs, treeDiffs), nil
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
		var state string
		if err := rows.Scan(&k.UnitID, &k.MetricID, &k.Year, &state, &k.taxCode, &n); err != nil {
			return nil, err
		}
		k.State = nscl.ApprovalState(state)
		out[k] = n
	}
	return out, rows.Err()
}

// RebuildTotals throws the kept totals and activity counts away and counts
// them again from the raw activities, and those of every ancestor from the
// tree, for after a bulk load, activities written in SQL of one's own, or
// a repair.
func (s *Store) RebuildTotals(ctx context.Context) error {
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM unit_totals`); err != nil {
			return fmt.Errorf("store: unable to clear totals: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO unit_totals (unit_id, metric_id, year, state, total, activities, listed, unlisted, latest_on) `+recountSQL("")); err != nil {
			return fmt.Errorf("store: unable to rebuild totals: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM reach_totals`); err != nil {
			return fmt.Errorf("store: unable to clear enterprises reached: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO reach_totals (unit_id, metric_id, year, state, tax_code, activities) `+recountReachSQL("")); err != nil {
			return fmt.Errorf("store: unable to rebuild enterprises reached: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM activity_counts`); err != nil {
			return fmt.Errorf("store: unable to clear activity counts: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO activity_counts (`+activityCountsColumns+`) `+recountActivitiesSQL(tx.dialect)); err != nil {
			return fmt.Errorf("store: unable to rebuild activity counts: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM approved_counts`); err != nil {
			return fmt.Errorf("store: unable to clear approved counts: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO approved_counts (`+approvedCountsColumns+`) `+recountApprovedSQL("")); err != nil {
			return fmt.Errorf("store: unable to rebuild approved counts: %w", err)
		}
		return tx.rebuildTree(ctx)
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
	case a.Year != b.Year:
		return a.Year - b.Year
	}
	return strings.Compare(string(a.State), string(b.State))
}

// GroupYearTotals is UnitYearTotals for groups of units (a breakdown's
// rows, as CountedByChild gathers a unit's counted units under its
// children): each group's kept totals of year by metric code, approved and
// not. A group's totals are read where the tree keeps them, at the
// subtrees it holds whole, and from its other units' own, so that a
// province's row reads a few rows however many units lie below it, and
// all groups are read in three statements however many there are. As in
// UnitYearTotals, a distinct-rule metric's total is its visits; a
// last-value metric's is the sum of its units' values of the year, its
// Pending what the latest value of every state adds to the approved.
func (s *Store) GroupYearTotals(ctx context.Context, prog *nscl.Programme, groups map[int64][]int64, year int) (map[int64]map[string]UnitTotal, error) {
	out := make(map[int64]map[string]UnitTotal, len(groups))
	if len(groups) == 0 {
		return out, nil
	}
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	// Each group's subtrees held whole (roots) and other units (singles),
	// as (group, unit) pairs; the statements walk the pairs, each pair one
	// range of the kept table's key, whatever the number of groups.
	var roots, singles []any
	groupOf := map[int64]int64{} // each single unit's group
	for id, units := range groups {
		cov := t.cover(units)
		for _, u := range cov.roots {
			roots = append(roots, id, u)
		}
		for _, u := range cov.singles {
			singles = append(singles, id, u)
			groupOf[u] = id
		}
	}
	pairs := func(list []any) string {
		if len(list) == 0 {
			return `SELECT CAST(0 AS BIGINT) AS group_id, CAST(0 AS BIGINT) AS unit_id WHERE 1 = 0`
		}
		return `SELECT column1 AS group_id, column2 AS unit_id FROM (VALUES ` + valueRows(len(list)/2, "BIGINT", "BIGINT") + `) v`
	}
	rootPairs, singlePairs := pairs(roots), pairs(singles)
	add := func(group int64, code string, approved, pending int64) {
		if out[group] == nil {
			out[group] = map[string]UnitTotal{}
		}
		v := out[group][code]
		v.Approved += approved
		v.Pending += pending
		out[group][code] = v
	}
	c := s.reader()
	codes := map[int64]nscl.Metric{}
	var summed, last []int64 // the metrics of each kind of kept rows
	for _, m := range prog.Metrics {
		codes[m.ID] = m
		if m.Rule == nscl.RuleLast {
			last = append(last, m.ID)
		} else {
			summed = append(summed, m.ID)
		}
	}
	// The kept rows' keys begin with the unit and the metric: naming the
	// metrics lets each (unit, metric, year) be looked up, where the year
	// alone had every year of every metric read (a third of the nation's
	// dashboard's statements' time).
	if len(summed) > 0 {
		inSummed := ` AND t.metric_id IN (` + placeholders(len(summed)) + `)`
		// Summed and distinct-rule metrics: the kept totals by state.
		// Summed by add, not by the statement: its GROUP BY sorted every
		// row first, where a group is most often one subtree, one row.
		err := eachRow(ctx, c, `SELECT r.group_id, t.metric_id, t.state, t.total FROM (`+rootPairs+`) r CROSS JOIN tree_totals t
				WHERE t.ancestor_id = r.unit_id AND t.year = ?`+inSummed+`
			UNION ALL
			SELECT s.group_id, t.metric_id, t.state, t.total FROM (`+singlePairs+`) s CROSS JOIN unit_totals t
				WHERE t.unit_id = s.unit_id AND t.year = ?`+inSummed,
			slices.Concat(roots, []any{year}, listArgs(summed), singles, []any{year}, listArgs(summed)),
			func(r interface{ Scan(...any) error }) error {
				var group, metric, total int64
				var state string
				if err := r.Scan(&group, &metric, &state, &total); err != nil {
					return err
				}
				if m, ok := codes[metric]; ok && m.Rule != nscl.RuleLast {
					if state == string(nscl.StateApproved) {
						add(group, m.Code, total, 0)
					} else {
						add(group, m.Code, 0, total)
					}
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("store: unable to sum the groups' totals: %w", err)
		}
	}
	// Last-value metrics: the subtrees' kept sums of latest values, on
	// each basis, and the single units' own, the later state's.
	byBasis := map[[2]int64][2]int64{} // group, metric: all, approved
	if len(roots) > 0 && len(last) > 0 {
		err = eachRow(ctx, c, `SELECT r.group_id, l.metric_id, l.basis, l.total
			FROM (`+rootPairs+`) r CROSS JOIN tree_latest l
			WHERE l.ancestor_id = r.unit_id AND l.metric_id IN (`+placeholders(len(last))+`) AND l.year = ?`,
			slices.Concat(roots, listArgs(last), []any{year}),
			func(r interface{ Scan(...any) error }) error {
				var group, metric, total int64
				var basis string
				if err := r.Scan(&group, &metric, &basis, &total); err != nil {
					return err
				}
				v := byBasis[[2]int64{group, metric}]
				if basis == string(nscl.StateApproved) {
					v[1] += total
				} else {
					v[0] += total
				}
				byBasis[[2]int64{group, metric}] = v
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("store: unable to read the groups' latest values: %w", err)
		}
	}
	if len(singles) > 0 && len(last) > 0 {
		type state struct {
			on    time.Time
			total int64
		}
		all, approved := map[[2]int64]state{}, map[[2]int64]state{}
		err = eachRow(ctx, c, `SELECT t.unit_id, t.metric_id, t.state, t.total, t.latest_on
			FROM (`+singlePairs+`) s CROSS JOIN unit_totals t
			WHERE t.unit_id = s.unit_id AND t.metric_id IN (`+placeholders(len(last))+`) AND t.year = ?`,
			slices.Concat(singles, listArgs(last), []any{year}), func(r interface{ Scan(...any) error }) error {
				var unit, metric int64
				var st string
				var v state
				if err := r.Scan(&unit, &metric, &st, &v.total, dateValue{&v.on}); err != nil {
					return err
				}
				k := [2]int64{unit, metric}
				if prev, ok := all[k]; !ok || v.on.After(prev.on) {
					all[k] = v
				}
				if st == string(nscl.StateApproved) {
					approved[k] = v
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("store: unable to read latest values: %w", err)
		}
		for k, v := range all {
			b := byBasis[[2]int64{groupOf[k[0]], k[1]}]
			b[0] += v.total
			b[1] += approved[k].total
			byBasis[[2]int64{groupOf[k[0]], k[1]}] = b
		}
	}
	for k, v := range byBasis {
		if m, ok := codes[k[1]]; ok {
			add(k[0], m.Code, v[1], v[0]-v[1])
		}
	}
	return out, nil
}

// UnitTotal is a unit's own kept total of a metric for a year: approved,
// and not yet approved.
type UnitTotal struct{ Approved, Pending int64 }

// UnitYearTotals returns, for each of the units (as Store.Counted gives
// them) that has any, its own kept totals of year by metric code (not
// rolled up): the breakdown by reporting unit.
func (s *Store) UnitYearTotals(ctx context.Context, prog *nscl.Programme, units []int64, year int) (map[int64]map[string]UnitTotal, error) {
	cte, args := unitSetCTE(units)
	rows, err := s.reader().query(ctx, cte+`SELECT t.unit_id, m.code, t.state, t.total
		FROM unit_totals t JOIN subtree ON subtree.id = t.unit_id JOIN metrics m ON m.id = t.metric_id
		WHERE m.programme_id = ? AND t.year = ?`, append(args, prog.ID, year)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read unit totals: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]UnitTotal{}
	for rows.Next() {
		var unit, total int64
		var code, state string
		if err := rows.Scan(&unit, &code, &state, &total); err != nil {
			return nil, err
		}
		if out[unit] == nil {
			out[unit] = map[string]UnitTotal{}
		}
		t := out[unit][code]
		if state == string(nscl.StateApproved) {
			t.Approved = total
		} else {
			t.Pending = total
		}
		out[unit][code] = t
	}
	return out, rows.Err()
}
