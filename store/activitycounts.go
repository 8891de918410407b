package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"nscl"
)

// ActivityCount is how many activities of a kind a unit reported in a
// task group.
type ActivityCount struct {
	UnitID    int64
	TaskGroup string // the group's letter
	Kind      nscl.ActivityKind
	N         int64
}

// CountFilter selects the activities ActivityCounts counts.
type CountFilter struct {
	Units    []int64   // these units; none when empty
	From, To time.Time // dates, inclusive; both required
	Approved bool      // only those an approved submission covers
}

// ActivityCounts counts the programme's activities f selects, by unit,
// task group and kind, from the counts the database keeps per unit and
// month (migration 00019): its cost follows the units and months, not the
// activities. Only a month that the period, or for Approved the unit's
// approved rounds, cover in part is counted from the activities of its
// days in the period, through the index on (unit, programme, day).
func (s *Store) ActivityCounts(ctx context.Context, prog *nscl.Programme, f CountFilter) ([]ActivityCount, error) {
	if len(f.Units) == 0 || f.To.Before(f.From) {
		return nil, nil
	}
	c := s.reader()
	var approved map[int64][]span
	if f.Approved {
		var err error
		if approved, err = approvedSpans(ctx, c, prog, f.Units); err != nil {
			return nil, err
		}
	}
	prefix, args := unitSetCTE(f.Units)
	rows, err := c.query(ctx, prefix+`SELECT k.unit_id, k.year, k.month, g.letter, k.kind, k.activities
		FROM activity_counts k JOIN task_groups g ON g.id = k.task_group_id
		WHERE k.unit_id IN (SELECT id FROM subtree) AND k.programme_id = ? AND k.year >= ? AND k.year <= ?`,
		append(args, prog.ID, f.From.Year(), f.To.Year())...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read activity counts: %w", err)
	}
	defer rows.Close()
	counts := map[countKey]int64{}
	covers := map[unitMonth]coverage{}
	var partial []unitMonth
	for rows.Next() {
		var um unitMonth
		var k countKey
		var kind string
		var n int64
		if err := rows.Scan(&um.unit, &um.year, &um.month, &k.group, &kind, &n); err != nil {
			return nil, err
		}
		cover, seen := covers[um]
		if !seen {
			cover = um.coverage(f, approved[um.unit], f.Approved)
			covers[um] = cover
			if cover == coveredInPart {
				partial = append(partial, um)
			}
		}
		if cover == coveredWhole {
			k.unit, k.kind = um.unit, nscl.ActivityKind(kind)
			counts[k] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := countPartialMonths(ctx, c, prog, f, partial, counts); err != nil {
		return nil, err
	}
	out := make([]ActivityCount, 0, len(counts))
	for _, k := range slices.SortedFunc(maps.Keys(counts), compareCountKeys) {
		out = append(out, ActivityCount{UnitID: k.unit, TaskGroup: k.group, Kind: k.kind, N: counts[k]})
	}
	return out, nil
}

type countKey struct {
	unit  int64
	group string
	kind  nscl.ActivityKind
}

func compareCountKeys(a, b countKey) int {
	return cmp.Or(cmp.Compare(a.unit, b.unit), strings.Compare(a.group, b.group), strings.Compare(string(a.kind), string(b.kind)))
}

// span is a period of days, inclusive.
type span struct{ start, end time.Time }

func (s span) holds(day time.Time) bool { return !day.Before(s.start) && !day.After(s.end) }

// unitMonth is a unit's month, as the kept counts hold it.
type unitMonth struct {
	unit        int64
	year, month int
}

func (um unitMonth) days() span {
	first := time.Date(um.year, time.Month(um.month), 1, 0, 0, 0, 0, time.UTC)
	return span{first, first.AddDate(0, 1, -1)}
}

// coverage is how much of a month a count takes in.
type coverage int

const (
	coveredNot coverage = iota
	coveredInPart
	coveredWhole
)

// coverage says which of the month's days f counts: those in its period
// and, when approvedOnly, in one of the unit's approved spans.
func (um unitMonth) coverage(f CountFilter, approved []span, approvedOnly bool) coverage {
	month, in, days := um.days(), 0, 0
	for day := month.start; !day.After(month.end); day = day.AddDate(0, 0, 1) {
		days++
		if !(span{f.From, f.To}).holds(day) {
			continue
		}
		if approvedOnly && !slices.ContainsFunc(approved, func(s span) bool { return s.holds(day) }) {
			continue
		}
		in++
	}
	switch in {
	case 0:
		return coveredNot
	case days:
		return coveredWhole
	}
	return coveredInPart
}

// partialChunk bounds the unit-months one query counts: three parameters
// each, well under SQLite's limit of 32.766.
const partialChunk = 1000

// countPartialMonths adds to counts the activities of the months f covers
// in part, counted from the activities of their days in the period.
func countPartialMonths(ctx context.Context, c conn, prog *nscl.Programme, f CountFilter, partial []unitMonth, counts map[countKey]int64) error {
	for chunk := range slices.Chunk(partial, partialChunk) {
		var terms []string
		args := []any{prog.ID}
		for _, um := range chunk {
			days := um.days()
			from, to := maxTime(days.start, f.From), minTime(days.end, f.To)
			terms = append(terms, `(a.unit_id = ? AND a.occurred_on >= ? AND a.occurred_on <= ?)`)
			args = append(args, um.unit, formatDate(from), formatDate(to))
		}
		where := ` WHERE a.programme_id = ? AND (` + strings.Join(terms, " OR ") + `)`
		if f.Approved {
			where += ` AND ` + approvedSQL("a.unit_id", "a.occurred_on", "a.programme_id")
		}
		rows, err := c.query(ctx, `SELECT a.unit_id, g.letter, a.kind, COUNT(*)`+activityFrom+where+` GROUP BY a.unit_id, g.letter, a.kind`, args...)
		if err != nil {
			return fmt.Errorf("store: unable to count activities: %w", err)
		}
		for rows.Next() {
			var k countKey
			var kind string
			var n int64
			if err := rows.Scan(&k.unit, &k.group, &kind, &n); err != nil {
				rows.Close()
				return err
			}
			k.kind = nscl.ActivityKind(kind)
			counts[k] += n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// approvedSpans are the periods of the rounds to which each unit's
// submission is approved: its activities of those days count as approved.
func approvedSpans(ctx context.Context, c conn, prog *nscl.Programme, units []int64) (map[int64][]span, error) {
	prefix, args := unitSetCTE(units)
	rows, err := c.query(ctx, prefix+`SELECT s.unit_id, r.period_start, r.period_end FROM submissions s JOIN rounds r ON r.id = s.round_id
		WHERE s.unit_id IN (SELECT id FROM subtree) AND s.status = 'approved' AND r.programme_id = ?`, append(args, prog.ID)...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read approved periods: %w", err)
	}
	defer rows.Close()
	out := map[int64][]span{}
	for rows.Next() {
		var unit int64
		var s span
		if err := rows.Scan(&unit, dateValue{&s.start}, dateValue{&s.end}); err != nil {
			return nil, err
		}
		out[unit] = append(out[unit], s)
	}
	return out, rows.Err()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// activityCountsColumns are activity_counts' columns, key first.
const activityCountsColumns = "unit_id, programme_id, year, month, task_group_id, kind, activities"

// recountActivitiesSQL counts activity_counts' rows again from the
// activities themselves, in its columns' order: what `nscl check` compares
// the kept counts with, and what a bulk load (Store.BulkLoad) writes.
// Migration 00019 holds a copy.
func recountActivitiesSQL(d dialect) string {
	month := `CAST(substr(occurred_on, 6, 2) AS INTEGER)`
	if d == postgres {
		month = `CAST(EXTRACT(MONTH FROM occurred_on) AS BIGINT)`
	}
	return `SELECT unit_id, programme_id, year, ` + month + `, task_group_id, kind, COUNT(*) FROM activities GROUP BY 1, 2, 3, 4, 5, 6`
}

// CheckActivityCounts compares the kept activity counts with a count of
// the activities themselves and describes each difference; none means
// they agree.
func (s *Store) CheckActivityCounts(ctx context.Context) ([]string, error) {
	return checkActivityCounts(ctx, s.reader())
}

// checkActivityCounts is CheckActivityCounts on c (CheckTotals: its snapshot).
func checkActivityCounts(ctx context.Context, c conn) ([]string, error) {
	read := func(query string) (map[string]int64, error) {
		rows, err := c.query(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("store: unable to read activity counts: %w", err)
		}
		defer rows.Close()
		out := map[string]int64{}
		for rows.Next() {
			var unit, prog, year, month, group, n int64
			var kind string
			if err := rows.Scan(&unit, &prog, &year, &month, &group, &kind, &n); err != nil {
				return nil, err
			}
			out[fmt.Sprintf("unit %d, programme %d, %02d/%d, task group %d, %s", unit, prog, month, year, group, kind)] = n
		}
		return out, rows.Err()
	}
	kept, err := read(`SELECT ` + activityCountsColumns + ` FROM activity_counts`)
	if err != nil {
		return nil, err
	}
	fresh, err := read(recountActivitiesSQL(c.dialect))
	if err != nil {
		return nil, err
	}
	var diffs []string
	for k := range mergeCounts(kept, fresh) {
		if kept[k] != fresh[k] {
			diffs = append(diffs, fmt.Sprintf("activity count of %s: kept %d, counted %d", k, kept[k], fresh[k]))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

func mergeCounts(a, b map[string]int64) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// YearCounts are the activities a set of units reported in a year.
type YearCounts struct {
	ByGroup   map[string]map[nscl.ActivityKind]int64 // by task-group letter and kind
	Reporting int64                                  // how many of the units reported any
	// Root is the unit whose whole subtree the units are, when they are
	// one (ActivityFilter.UnderUnit then lists them), or 0.
	Root int64
	// Every says the units are every unit of the tree: a list of their
	// activities needs no filter by unit.
	Every bool
}

// TreeActivityCounts counts the activities the units (as Store.Counted
// gives them) reported in year, by task group and kind, from the counts
// kept at the subtrees they hold whole (tree_activity_counts, migration
// 00024) and the other units' own months, and how many units reported,
// from tree_reporting likewise: a few dozen rows for the nation, where
// ActivityCounts reads every unit's months. With approved, only the
// approved activities, from approved_counts and tree_approved_counts
// (migration 00030), and the units that reported approved ones, from each
// unit's approved rows of the year (one look-up a unit). It does not split
// them by unit.
func (s *Store) TreeActivityCounts(ctx context.Context, prog *nscl.Programme, units []int64, year int, approved bool) (YearCounts, error) {
	out := YearCounts{ByGroup: map[string]map[nscl.ActivityKind]int64{}}
	if len(units) == 0 {
		return out, nil
	}
	t, err := s.tree(ctx)
	if err != nil {
		return out, err
	}
	c := s.reader()
	cov := t.cover(units)
	if len(cov.roots) == 1 && len(cov.singles) == 0 {
		out.Root, out.Every = cov.roots[0], len(units) == len(t.units)
	}
	treeTable, unitTable := "tree_activity_counts", "activity_counts"
	if approved {
		treeTable, unitTable = "tree_approved_counts", "approved_counts"
	}
	kept, args := cov.from(treeTable, unitTable, "t.programme_id, t.year, t.task_group_id, t.kind, t.activities", ` AND t.programme_id = ? AND t.year = ?`, prog.ID, year)
	err = eachRow(ctx, c, `SELECT g.letter, k.kind, SUM(k.activities) FROM `+kept+` k JOIN task_groups g ON g.id = k.task_group_id
		GROUP BY g.letter, k.kind`, args, func(r interface{ Scan(...any) error }) error {
		var letter, kind string
		var n int64
		if err := r.Scan(&letter, &kind, &n); err != nil {
			return err
		}
		if out.ByGroup[letter] == nil {
			out.ByGroup[letter] = map[nscl.ActivityKind]int64{}
		}
		out.ByGroup[letter][nscl.ActivityKind(kind)] += n
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("store: unable to read activity counts: %w", err)
	}
	if approved {
		err := c.queryRow(ctx, `SELECT COUNT(*) FROM org_units u WHERE u.id IN (`+placeholders(len(units))+`)
			AND EXISTS (SELECT 1 FROM approved_counts k WHERE k.unit_id = u.id AND k.programme_id = ? AND k.year = ?)`,
			append(listArgs(units), prog.ID, year)...).Scan(&out.Reporting)
		if err != nil {
			return out, fmt.Errorf("store: unable to count the units that reported: %w", err)
		}
		return out, nil
	}
	// How many units reported: the subtrees' kept counts (tree_reporting),
	// and a look-up of each other unit's rows of the year.
	var parts []string
	var countArgs []any
	if len(cov.roots) > 0 {
		parts = append(parts, `SELECT units FROM tree_reporting WHERE ancestor_id IN (`+placeholders(len(cov.roots))+`) AND programme_id = ? AND year = ?`)
		countArgs = append(append(countArgs, listArgs(cov.roots)...), prog.ID, year)
	}
	if len(cov.singles) > 0 {
		parts = append(parts, `SELECT 1 AS units FROM org_units u WHERE u.id IN (`+placeholders(len(cov.singles))+`)
			AND EXISTS (SELECT 1 FROM activity_counts k WHERE k.unit_id = u.id AND k.programme_id = ? AND k.year = ?)`)
		countArgs = append(append(countArgs, listArgs(cov.singles)...), prog.ID, year)
	}
	if err := c.queryRow(ctx, `SELECT COALESCE(SUM(units), 0) FROM (`+strings.Join(parts, ` UNION ALL `)+`) r`, countArgs...).Scan(&out.Reporting); err != nil {
		return out, fmt.Errorf("store: unable to count the units that reported: %w", err)
	}
	return out, nil
}

// The activities each unit reported by month, task group and kind
// (activity_counts), their sums at every ancestor (tree_activity_counts)
// and how many units of each subtree reported in a year (tree_reporting)
// are moved by the write that moves the activity, with the kept totals
// (Tx.moveTotals), and gathered for a batch like them. Until migration
// 00035 triggers on activities kept them: on SQLite a trigger makes every
// insert keep a statement journal, a copy of each page it changes.

// reportingYear is a unit's year in a programme, which tree_reporting
// counts at each ancestor while activity_counts holds a row of it.
type reportingYear struct {
	unitID, programmeID int64
	year                int
}

func compareReportingYears(a, b reportingYear) int {
	return cmp.Or(cmp.Compare(a.unitID, b.unitID), cmp.Compare(a.programmeID, b.programmeID), cmp.Compare(a.year, b.year))
}

// countRow is one row of activity_counts: a unit's year, and in it a
// month, task group and kind.
type countRow struct {
	reportingYear
	month       int
	taskGroupID int64
	kind        string
}

// countActivity adds sign (1 or -1) times the activity to counts.
func countActivity(counts map[countRow]int64, prog *nscl.Programme, a *nscl.Activity, sign int64) {
	group, _ := prog.TaskGroup(a.TaskGroup)
	counts[countRow{reportingYear{a.UnitID, prog.ID, a.Year()}, int(a.Date.Month()), group.ID, string(a.Kind)}] += sign
}

// applyCounts moves activity_counts by counts, and the rows of every
// ancestor with them, a few hundred to a statement. A unit starts to count
// in tree_reporting when a year of it had no activity before the move, and
// stops when it has none after: the rows of activity_counts say so, read by
// the statements themselves, before and after the move.
func (tx *Tx) applyCounts(ctx context.Context, counts map[countRow]int64) error {
	var rows []countRow
	years := map[reportingYear]int64{}
	for r, n := range counts {
		if n != 0 {
			rows = append(rows, r)
			years[r.reportingYear] += n
		}
	}
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b countRow) int {
		return cmp.Or(compareReportingYears(a.reportingYear, b.reportingYear),
			cmp.Compare(a.month, b.month), cmp.Compare(a.taskGroupID, b.taskGroupID), strings.Compare(a.kind, b.kind))
	})
	var starting, stopping []reportingYear
	for y, n := range years {
		if n > 0 {
			starting = append(starting, y)
		} else if n < 0 {
			stopping = append(stopping, y)
		}
	}
	if err := tx.moveReporting(ctx, starting, ""); err != nil {
		return err
	}
	for chunk := range slices.Chunk(rows, rowsPerStatement) {
		values := make([]any, 0, 7*len(chunk))
		for _, r := range chunk {
			values = append(values, r.unitID, r.programmeID, r.year, r.month, r.taskGroupID, r.kind, counts[r])
		}
		list := valueRows(len(chunk), "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "TEXT", "BIGINT")
		if err := tx.execLater(ctx, `INSERT INTO activity_counts (`+activityCountsColumns+`) VALUES `+list+`
			ON CONFLICT (unit_id, programme_id, year, month, task_group_id, kind) DO UPDATE SET activities = activity_counts.activities + excluded.activities`, values...); err != nil {
			return fmt.Errorf("store: unable to count activities: %w", err)
		}
		byGroup := `SELECT column1 AS unit_id, column2 AS programme_id, column3 AS year, column5 AS task_group_id, column6 AS kind, column7 AS activities
			FROM (VALUES ` + list + `) v`
		if err := tx.addTree(ctx, "tree_activity_counts", sumsToAncestors("tree_activity_counts", byGroup, `SELECT unit_id, ancestor_id FROM unit_ancestors`, ""), values...); err != nil {
			return err
		}
	}
	removed := false
	for _, r := range rows {
		if counts[r] >= 0 {
			continue
		}
		removed = true
		if err := tx.execLater(ctx, `DELETE FROM activity_counts WHERE unit_id = ? AND programme_id = ? AND year = ? AND month = ? AND task_group_id = ? AND kind = ? AND activities = 0`,
			r.unitID, r.programmeID, r.year, r.month, r.taskGroupID, r.kind); err != nil {
			return fmt.Errorf("store: unable to count activities: %w", err)
		}
	}
	if removed {
		if err := tx.dropEmptyTree(ctx, "tree_activity_counts"); err != nil {
			return err
		}
	}
	if len(stopping) == 0 {
		return nil
	}
	if err := tx.moveReporting(ctx, stopping, "-"); err != nil {
		return err
	}
	return tx.dropEmptyTree(ctx, "tree_reporting")
}

// moveReporting adds (neg "") or takes away (neg "-") each year of years
// that activity_counts holds no row of, at every ancestor of its unit.
func (tx *Tx) moveReporting(ctx context.Context, years []reportingYear, neg string) error {
	slices.SortFunc(years, compareReportingYears)
	for chunk := range slices.Chunk(years, rowsPerStatement) {
		values := make([]any, 0, 3*len(chunk))
		for _, y := range chunk {
			values = append(values, y.unitID, y.programmeID, y.year)
		}
		empty := `SELECT column1 AS unit_id, column2 AS programme_id, column3 AS year, 1 AS units FROM (VALUES ` + valueRows(len(chunk), "BIGINT", "BIGINT", "BIGINT") + `) v
			WHERE NOT EXISTS (SELECT 1 FROM activity_counts k WHERE k.unit_id = v.column1 AND k.programme_id = v.column2 AND k.year = v.column3)`
		if err := tx.addTree(ctx, "tree_reporting", sumsToAncestors("tree_reporting", empty, `SELECT unit_id, ancestor_id FROM unit_ancestors`, neg), values...); err != nil {
			return err
		}
	}
	return nil
}
