package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"nscl"
)

// The totals of each ancestor (tree_totals, tree_reach, tree_latest) are
// the unit's own kept rows summed over its subtree in today's tree,
// through unit_ancestors (each unit with its ancestors, itself at depth
// 0). A write adds its moves to every ancestor of the unit in the same
// transaction; a report covers its counted units with the fewest whole
// subtrees (cover) and reads those roots' rows, and the own rows of what
// is left.

// latestSQL selects, for the last-value rule, what each unit's kept rows
// that filter selects (a condition on unit_totals aliased t, starting
// with AND) give a report: for each basis (every state, or approved only)
// and year with a value, the value (of the state with the later date, for
// every state) and the unit's next year with a value (until_year, 0 for
// none), up to which it is the unit's latest. Migration 00018 holds a copy.
func latestSQL(filter string) string {
	return `SELECT unit_id, metric_id, basis, year,
		COALESCE(LEAD(year) OVER (PARTITION BY unit_id, metric_id, basis ORDER BY year), 0) AS until_year, total, 1 AS units
	FROM (
		SELECT t.unit_id, t.metric_id, 'all' AS basis, t.year, t.total,
			ROW_NUMBER() OVER (PARTITION BY t.unit_id, t.metric_id, t.year ORDER BY t.latest_on DESC) AS n
		FROM unit_totals t JOIN metrics m ON m.id = t.metric_id WHERE m.rule = 'last'` + filter + `
		UNION ALL
		SELECT t.unit_id, t.metric_id, 'approved', t.year, t.total, 1
		FROM unit_totals t JOIN metrics m ON m.id = t.metric_id WHERE m.rule = 'last' AND t.state = 'approved'` + filter + `
	) v WHERE n = 1`
}

// unitRowsSQL selects the units' own rows that each ancestor table sums,
// as filter (a condition on alias t, starting with AND) narrows them:
// unit_id, then the table's key and figures.
func unitRowsSQL(table, filter string) string {
	switch table {
	case "tree_totals":
		return `SELECT t.unit_id, t.metric_id, t.year, t.state, CASE WHEN m.rule = 'last' THEN 0 ELSE t.total END AS total, t.activities, t.listed, t.unlisted
		FROM unit_totals t JOIN metrics m ON m.id = t.metric_id WHERE 1 = 1` + filter
	case "tree_reach":
		return `SELECT t.unit_id, t.metric_id, t.year, t.state, t.tax_code, t.activities FROM reach_totals t WHERE 1 = 1` + filter
	case "tree_reporting":
		return `SELECT t.unit_id, t.programme_id, t.year, 1 AS units FROM activity_counts t WHERE 1 = 1` + filter + `
		GROUP BY t.unit_id, t.programme_id, t.year`
	case "tree_activity_counts":
		return `SELECT t.unit_id, t.programme_id, t.year, t.task_group_id, t.kind, SUM(t.activities) AS activities FROM activity_counts t WHERE 1 = 1` + filter + `
		GROUP BY t.unit_id, t.programme_id, t.year, t.task_group_id, t.kind`
	case "tree_approved_counts":
		return `SELECT t.unit_id, t.programme_id, t.year, t.task_group_id, t.kind, t.activities FROM approved_counts t WHERE 1 = 1` + filter
	}
	return latestSQL(filter)
}

// The key and the figures of each ancestor table, beside ancestor_id.
var treeKeys = map[string][2][]string{
	"tree_totals": {{"metric_id", "year", "state"}, {"total", "activities", "listed", "unlisted"}},
	"tree_reach":  {{"metric_id", "year", "state", "tax_code"}, {"activities"}},
	"tree_latest": {{"metric_id", "basis", "year", "until_year"}, {"total", "units"}},
	// Moved with activity_counts (applyCounts).
	"tree_activity_counts": {{"programme_id", "year", "task_group_id", "kind"}, {"activities"}},
	"tree_reporting":       {{"programme_id", "year"}, {"units"}},
	// Kept when a submission's approval changes (recountUnit).
	"tree_approved_counts": {{"programme_id", "year", "task_group_id", "kind"}, {"activities"}},
}

// treeTables in the order a write touches them; subtreeTables are those
// and the one the database keeps itself, which a move carries and a
// rebuild and a check count again; emptyTree says when a row counts
// nothing any more.
var (
	treeTables    = []string{"tree_totals", "tree_reach", "tree_latest"}
	subtreeTables = append(slices.Clip(treeTables), "tree_activity_counts", "tree_reporting", "tree_approved_counts")
	emptyTree     = map[string]string{"tree_totals": "activities = 0", "tree_reach": "activities = 0", "tree_latest": "units = 0",
		"tree_activity_counts": "activities = 0", "tree_reporting": "units = 0", "tree_approved_counts": "activities = 0"}
)

// sumsToAncestors sums rows (a query with unit_id, then table's key and
// figures) into the rows of the units' ancestors, as ancestors (a query
// with unit_id and ancestor_id) gives them; with neg "-", the opposite.
func sumsToAncestors(table, rows, ancestors, neg string) string {
	keys, figures := treeKeys[table][0], treeKeys[table][1]
	cols := "ua.ancestor_id"
	for _, k := range keys {
		cols += ", s." + k
	}
	for _, f := range figures {
		cols += ", " + neg + "SUM(s." + f + ")"
	}
	return `SELECT ` + cols + ` FROM (` + rows + `) s JOIN (` + ancestors + `) ua ON ua.unit_id = s.unit_id
		WHERE 1 = 1 GROUP BY ua.ancestor_id, s.` + strings.Join(keys, ", s.")
}

// addTree adds to table the rows query gives (ancestor_id, key, figures).
func (tx *Tx) addTree(ctx context.Context, table, query string, args ...any) error {
	keys, figures := treeKeys[table][0], treeKeys[table][1]
	var set []string
	for _, f := range figures {
		set = append(set, f+" = "+table+"."+f+" + excluded."+f)
	}
	if err := tx.execLater(ctx, `INSERT INTO `+table+` (ancestor_id, `+strings.Join(keys, ", ")+`, `+strings.Join(figures, ", ")+`) `+query+
		` ON CONFLICT (ancestor_id, `+strings.Join(keys, ", ")+`) DO UPDATE SET `+strings.Join(set, ", "), args...); err != nil {
		return fmt.Errorf("store: unable to keep the totals of the tree (%s): %w", table, err)
	}
	return nil
}

// pushUnit adds (neg "") or takes away (neg "-") the unit's own kept rows
// of the programme over fromYear…toYear, and its last-value rows of every
// year (a year's next value changes which years it counts in), to the
// rows of every ancestor of the unit, itself included. An approval takes
// them away, counts the unit again and adds them back.
func (tx *Tx) pushUnit(ctx context.Context, progID, unitID int64, fromYear, toYear int, neg string) error {
	ancestors := `SELECT unit_id, ancestor_id FROM unit_ancestors WHERE unit_id = ?`
	for _, table := range treeTables {
		filter := ` AND t.unit_id = ? AND t.year BETWEEN ? AND ? AND t.metric_id IN (SELECT id FROM metrics WHERE programme_id = ?)`
		args := []any{unitID, fromYear, toYear, progID}
		if table == "tree_latest" {
			filter, args = ` AND t.unit_id = ? AND m.programme_id = ?`, []any{unitID, progID, unitID, progID}
		}
		if err := tx.addTree(ctx, table, sumsToAncestors(table, unitRowsSQL(table, filter), ancestors, neg), append(args, unitID)...); err != nil {
			return err
		}
	}
	return nil
}

// dropEmptyTree removes the rows of the ancestors that count nothing any
// more from the tables given (all when none), through partial indexes
// that hold only those.
func (tx *Tx) dropEmptyTree(ctx context.Context, tables ...string) error {
	if len(tables) == 0 {
		tables = treeTables
	}
	for _, table := range tables {
		if err := tx.execLater(ctx, `DELETE FROM `+table+` WHERE `+emptyTree[table]); err != nil {
			return fmt.Errorf("store: unable to keep the totals of the tree (%s): %w", table, err)
		}
	}
	return nil
}

// pushSubtree adds (neg "") or takes away (neg "-") the unit's rows,
// which count its whole subtree, to the rows of its ancestors above it: a
// move takes them from the old ancestors and gives them to the new.
func (tx *Tx) pushSubtree(ctx context.Context, unitID int64, neg string) error {
	for _, table := range subtreeTables {
		keys, figures := treeKeys[table][0], treeKeys[table][1]
		cols := "ua.ancestor_id, s." + strings.Join(keys, ", s.")
		for _, f := range figures {
			cols += ", " + neg + "s." + f
		}
		query := `SELECT ` + cols + ` FROM (SELECT * FROM ` + table + ` WHERE ancestor_id = ?) s
			JOIN unit_ancestors ua ON ua.unit_id = ? AND ua.depth > 0 WHERE 1 = 1`
		if err := tx.addTree(ctx, table, query, unitID, unitID); err != nil {
			return err
		}
	}
	return tx.dropEmptyTree(ctx, subtreeTables...)
}

// addAncestors records a new unit's place in the tree: itself, and its
// parent's ancestors one step further.
func (tx *Tx) addAncestors(ctx context.Context, unitID, parentID int64) error {
	if _, err := tx.exec(ctx, `INSERT INTO unit_ancestors (unit_id, ancestor_id, depth)
		SELECT CAST(? AS BIGINT), ancestor_id, depth + 1 FROM unit_ancestors WHERE unit_id = ?
		UNION ALL SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 0`, unitID, parentID, unitID, unitID); err != nil {
		return fmt.Errorf("store: unable to record the unit's ancestors: %w", err)
	}
	return nil
}

// moveAncestors moves the unit and the units under it under the new
// parent in unit_ancestors: their ancestors above the unit are replaced
// by the new parent and its ancestors.
func (tx *Tx) moveAncestors(ctx context.Context, unitID, parentID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM unit_ancestors
		WHERE unit_id IN (SELECT unit_id FROM unit_ancestors WHERE ancestor_id = ?)
			AND ancestor_id IN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = ? AND depth > 0)`, unitID, unitID); err != nil {
		return fmt.Errorf("store: unable to move the unit's ancestors: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_ancestors (unit_id, ancestor_id, depth)
		SELECT d.unit_id, a.ancestor_id, d.depth + a.depth + 1 FROM unit_ancestors d JOIN unit_ancestors a ON a.unit_id = ?
		WHERE d.ancestor_id = ?`, parentID, unitID); err != nil {
		return fmt.Errorf("store: unable to move the unit's ancestors: %w", err)
	}
	return nil
}

// treeChanged tells readers that the tree, its history or its
// successions changed: they draw it again.
func (tx *Tx) treeChanged(ctx context.Context) error {
	tx.changedAtLock, tx.newTree = true, true
	if _, err := tx.exec(ctx, `UPDATE tree_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("store: unable to mark the tree changed: %w", err)
	}
	return nil
}

// knownTree is the tree at the version read with the audit chain's lock,
// from which a PostgreSQL write takes its units and their ancestors
// instead of asking the server (two round trips of every activity
// written). Under the lock no other writer changes the tree, and a write
// of this transaction that changes it marks it stale first: nil then, and
// on SQLite, where asking costs no round trip. The tree the readers drew
// serves when its version is the same; otherwise it is drawn here, once
// for each version, on the transaction's own connection (the readers'
// pool is the writers' too, and may be all taken by writers waiting for
// the lock this one holds).
func (tx *Tx) knownTree(ctx context.Context) (*tree, error) {
	if tx.treeVersion == 0 || tx.changedAtLock || tx.store == nil {
		return nil, nil
	}
	if tx.treeAtLock != nil {
		return tx.treeAtLock, nil
	}
	t := tx.store.keptTree()
	if t == nil || t.version != tx.treeVersion {
		var err error
		if t, err = readTree(ctx, tx.conn, tx.treeVersion); err != nil {
			return nil, err
		}
		tx.store.keepTree(t)
	}
	tx.treeAtLock = t
	return t, nil
}

// ancestors is the unit and its ancestors in today's tree, as
// unit_ancestors holds them; false when the tree does not hold the unit
// or there is no tree (nil).
func (t *tree) ancestors(id int64) ([]int64, bool) {
	if t == nil {
		return nil, false
	}
	i, ok := t.index[id]
	if !ok {
		return nil, false
	}
	var out []int64
	for {
		out = append(out, t.units[i].ID)
		if i, ok = t.index[t.units[i].ParentID]; !ok {
			return out, true
		}
	}
}

// tree is the org tree as reports count it, drawn once per version of it.
type tree struct {
	version     int64
	units       []nscl.OrgUnit // every unit, in ID order
	successions []nscl.Succession
	moves       []nscl.ParentChange
	index       map[int64]int // position of a unit in units
	children    [][]int       // by position: the positions of its children
	order       []int         // positions, every parent before its children
	memo        treeMemo
	byID        func() map[int64]nscl.OrgUnit // built when first asked
}

// treeMemo keeps what readers worked out from the tree for what they
// asked: the units a unit's figures count, the child each is shown under,
// and the cover of a set of units. A tree never changes (a change draws a new one), so nothing kept
// goes stale; for the nation's 5.000 units both took 1,8 ms of the 2,8 ms
// of processor time its report needs. It holds at most memoUnits unit IDs
// and starts again empty when it would hold more.
type treeMemo struct {
	mu      sync.Mutex
	counted map[countedKey]nscl.Counted
	byChild map[countedKey]keptByChild
	covers  map[unitSetKey][]keptCover
	held    int
}

type keptByChild struct {
	units  []int64 // the counted units it was worked out for
	under  map[int64]int64
	groups map[int64][]int64 // under turned round: each child's units
}

const memoUnits = 1 << 20

type countedKey struct {
	unit int64
	asOf int64 // Boundaries.AsOf in seconds
	own  bool
}

// keyOfCounted is the memo's key of what unit's figures count within b.
func keyOfCounted(unit int64, b nscl.Boundaries) countedKey {
	return countedKey{unit: unit, asOf: b.AsOf.Unix(), own: b.Own}
}

// unitSetKey sorts sets of units into few buckets; a set is matched in its
// bucket by its every unit.
type unitSetKey struct {
	n        int
	sum, xor int64
}

type keptCover struct {
	units []int64
	cover cover
}

func keyOfSet(units []int64) unitSetKey {
	k := unitSetKey{n: len(units)}
	for _, id := range units {
		k.sum += id
		k.xor ^= id
	}
	return k
}

// hold makes room for n more unit IDs and reports whether they fit.
func (m *treeMemo) hold(n int) bool {
	if n > memoUnits {
		return false
	}
	if m.held+n > memoUnits || m.counted == nil {
		m.counted, m.byChild, m.covers, m.held = map[countedKey]nscl.Counted{}, map[countedKey]keptByChild{}, map[unitSetKey][]keptCover{}, 0
	}
	m.held += n
	return true
}

// counted is nscl.CountedUnits over the tree, worked out once for each
// unit and boundaries. The caller gets its own copy.
func (t *tree) counted(unit int64, b nscl.Boundaries) nscl.Counted {
	key := keyOfCounted(unit, b)
	t.memo.mu.Lock()
	c, ok := t.memo.counted[key]
	t.memo.mu.Unlock()
	if !ok {
		c = nscl.CountedUnits(t.units, t.successions, t.moves, unit, b)
		t.memo.mu.Lock()
		if t.memo.hold(len(c.UnitIDs)) {
			t.memo.counted[key] = c
		}
		t.memo.mu.Unlock()
	}
	return nscl.Counted{UnitIDs: slices.Clone(c.UnitIDs), Former: slices.Clone(c.Former)}
}

// countedByChild is nscl.CountedByChild over the tree, worked out once for
// each unit, boundaries and units counted, with each child's units. What
// it returns is kept for the next reader: the callers copy what they give
// away.
func (t *tree) countedByChild(unit int64, b nscl.Boundaries, counted nscl.Counted) keptByChild {
	key := keyOfCounted(unit, b)
	t.memo.mu.Lock()
	k, ok := t.memo.byChild[key]
	t.memo.mu.Unlock()
	if !ok || !slices.Equal(k.units, counted.UnitIDs) {
		k = keptByChild{units: slices.Clone(counted.UnitIDs), under: nscl.CountedByChild(t.units, t.successions, t.moves, unit, b, counted)}
		k.groups = map[int64][]int64{}
		for _, id := range k.units {
			k.groups[k.under[id]] = append(k.groups[k.under[id]], id)
		}
		for child, units := range k.groups {
			k.groups[child] = slices.Clip(units) // a caller's append copies
		}
		t.memo.mu.Lock()
		if t.memo.hold(3 * len(k.units)) {
			t.memo.byChild[key] = k
		}
		t.memo.mu.Unlock()
	}
	return k
}

// treeCache holds the last tree a reader drew, and when its version was
// last found to be the database's.
type treeCache struct {
	mu      sync.Mutex
	tree    *tree
	drawing sync.Mutex // held by the one reader drawing a newer tree
	// found is when tree's version was last read from the database (the
	// process's clock), and foundAt the count of changes before that read.
	// A writer's tree (Tx.knownTree) may take tree's place meanwhile: it
	// was read under the writers' lock, so it is no older.
	found   time.Time
	foundAt uint64
	changes atomic.Uint64 // new versions of the tree this process made (Store.ended)
}

// treeTrusted is how long a version read from the database is trusted
// without reading it again. Every page's frame asks for the tree to name
// the reader's unit, and reading its version was 4 % of the processor time
// of a load on the nation's dashboard. A change this process makes is seen
// at once (changes); one made by another process within treeTrusted.
const treeTrusted = time.Second

// tree returns today's tree with its history and successions, read again
// only when another write (in this process or another) changed them: a
// national tree has thousands of units, and a version is one row.
func (s *Store) tree(ctx context.Context) (*tree, error) {
	if t := s.trees.current(); t != nil {
		return t, nil
	}
	changes := s.trees.changes.Load()
	c := s.reader()
	var version int64
	if err := c.queryRow(ctx, `SELECT version FROM tree_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, fmt.Errorf("store: unable to read the tree's version: %w", err)
	}
	if t := s.keptTree(); t != nil && t.version == version {
		s.trees.foundCurrent(t, changes)
		return t, nil
	}
	// One reader draws it; the others that find the kept tree stale wait
	// for that one rather than each drawing it: every page's frame asks
	// for the tree, and 5.000 units are a few milliseconds to read.
	s.trees.drawing.Lock()
	defer s.trees.drawing.Unlock()
	if t := s.keptTree(); t != nil && t.version >= version {
		return t, nil
	}
	t, err := readTree(ctx, c, version)
	if err != nil {
		return nil, err
	}
	s.keepTree(t)
	s.trees.foundCurrent(t, changes)
	return t, nil
}

// current is the kept tree if its version was read from the database less
// than treeTrusted ago and this process made no new one since; else nil.
func (c *treeCache) current() *tree {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tree == nil || c.foundAt != c.changes.Load() || time.Since(c.found) >= treeTrusted {
		return nil
	}
	return c.tree
}

// foundCurrent notes that t's version was read from the database just
// now, after changes new versions made here: if t is still the kept tree,
// it is trusted for treeTrusted.
func (c *treeCache) foundCurrent(t *tree, changes uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tree == t {
		c.found, c.foundAt = time.Now(), changes
	}
}

// keptTree is the tree last drawn, nil before the first.
func (s *Store) keptTree() *tree {
	s.trees.mu.Lock()
	defer s.trees.mu.Unlock()
	return s.trees.tree
}

// keepTree keeps t for the next reader.
func (s *Store) keepTree(t *tree) {
	s.trees.mu.Lock()
	defer s.trees.mu.Unlock()
	s.trees.tree = t
}

// readTree draws the tree. The version is read before it, so that a
// change made while it is drawn makes the next reader draw it again.
func readTree(ctx context.Context, c conn, version int64) (*tree, error) {
	rows, err := c.query(ctx, `SELECT `+unitColumns+` FROM org_units ORDER BY id`)
	units, err := collect(rows, err, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the tree: %w", err)
	}
	successions, err := successionsOf(ctx, c, `SELECT `+successionColumns+` FROM unit_successions`)
	if err != nil {
		return nil, err
	}
	moves, err := parentChangesOf(ctx, c, "")
	if err != nil {
		return nil, err
	}
	return drawTree(version, units, successions, moves), nil
}

// drawTree indexes the units by their parents now.
func drawTree(version int64, units []nscl.OrgUnit, successions []nscl.Succession, moves []nscl.ParentChange) *tree {
	t := &tree{version: version, units: units, successions: successions, moves: moves,
		index: make(map[int64]int, len(units)), children: make([][]int, len(units))}
	for i, u := range units {
		t.index[u.ID] = i
	}
	t.byID = sync.OnceValue(func() map[int64]nscl.OrgUnit {
		byID := make(map[int64]nscl.OrgUnit, len(units))
		for _, u := range units {
			byID[u.ID] = u
		}
		return byID
	})
	for i, u := range units {
		if p, ok := t.index[u.ParentID]; ok {
			t.children[p] = append(t.children[p], i)
		} else {
			t.order = append(t.order, i) // a root
		}
	}
	for i := 0; i < len(t.order); i++ {
		t.order = append(t.order, t.children[t.order[i]]...)
	}
	return t
}

// under is the unit and every unit below it in today's tree; the unit
// alone when the tree does not hold it.
func (t *tree) under(id int64) []int64 {
	i, ok := t.index[id]
	if !ok {
		return []int64{id}
	}
	var ids []int64
	for stack := []int{i}; len(stack) > 0; {
		i, stack = stack[len(stack)-1], stack[:len(stack)-1]
		ids = append(ids, t.units[i].ID)
		stack = append(stack, t.children[i]...)
	}
	return ids
}

// cover is a set of units read as whole subtrees of today's tree (roots,
// each unit's rows counting its subtree) and units read alone (singles).
type cover struct{ roots, singles []int64 }

// cover splits units into the fewest subtrees of today's tree that lie
// wholly within them, and the units left alone: a unit of units one of
// whose units below is not counted (a unit opened after the report's
// boundaries, or moved in since). The nation, or a province with no
// succession, is one root; a merger adds a root per former unit.
func (t *tree) cover(units []int64) cover {
	key := keyOfSet(units)
	t.memo.mu.Lock()
	for _, k := range t.memo.covers[key] {
		if slices.Equal(k.units, units) {
			t.memo.mu.Unlock()
			return k.cover
		}
	}
	t.memo.mu.Unlock()
	c := t.drawCover(units)
	t.memo.mu.Lock()
	if t.memo.hold(len(units) + len(c.roots) + len(c.singles)) {
		t.memo.covers[key] = append(t.memo.covers[key], keptCover{slices.Clone(units), c})
	}
	t.memo.mu.Unlock()
	return c
}

// drawCover is cover worked out.
func (t *tree) drawCover(units []int64) cover {
	in := make([]bool, len(t.units))
	var c cover
	for _, id := range units {
		if i, ok := t.index[id]; ok {
			in[i] = true
		} else {
			c.singles = append(c.singles, id) // not in the tree drawn: read alone
		}
	}
	whole := make([]bool, len(t.units))
	for k := len(t.order) - 1; k >= 0; k-- {
		i := t.order[k]
		whole[i] = in[i]
		for _, ch := range t.children[i] {
			whole[i] = whole[i] && whole[ch]
		}
	}
	for _, i := range t.order {
		u := t.units[i]
		switch p, hasParent := t.index[u.ParentID]; {
		case !in[i]:
		case !whole[i]:
			c.singles = append(c.singles, u.ID)
		case !hasParent || !whole[p]:
			c.roots = append(c.roots, u.ID)
		}
	}
	return c
}

// from selects cols of the rows the cover's units keep: the roots' rows
// in treeTable and the singles' own rows in unitTable, each narrowed by
// filter (on alias t, starting with AND, with filterArgs).
func (c cover) from(treeTable, unitTable, cols, filter string, filterArgs ...any) (string, []any) {
	var parts []string
	var args []any
	for _, side := range []struct {
		table, key string
		ids        []int64
	}{{treeTable, "ancestor_id", c.roots}, {unitTable, "unit_id", c.singles}} {
		if len(side.ids) == 0 {
			continue
		}
		parts = append(parts, `SELECT `+cols+` FROM `+side.table+` t WHERE t.`+side.key+` IN (`+placeholders(len(side.ids))+`)`+filter)
		for _, id := range side.ids {
			args = append(args, id)
		}
		args = append(args, filterArgs...)
	}
	if len(parts) == 0 {
		return `(SELECT ` + cols + ` FROM ` + unitTable + ` t WHERE 1 = 0)`, nil
	}
	return `(` + strings.Join(parts, ` UNION ALL `) + `)`, args
}

// listArgs are the values of a list of placeholders.
func listArgs[T any](list []T) []any {
	out := make([]any, len(list))
	for i, id := range list {
		out[i] = id
	}
	return out
}

// drawnAncestorsSQL draws every unit's ancestors again from org_units, as
// migration 00017 first filled unit_ancestors.
const drawnAncestorsSQL = `WITH RECURSIVE chain (unit_id, ancestor_id, depth) AS (
		SELECT id, id, 0 FROM org_units
		UNION ALL
		SELECT chain.unit_id, u.parent_id, chain.depth + 1 FROM chain JOIN org_units u ON u.id = chain.ancestor_id
		WHERE u.parent_id IS NOT NULL
	) SELECT unit_id, ancestor_id, depth FROM chain`

// rebuildTree draws unit_ancestors again from the tree and counts every
// ancestor's rows again from the units' kept rows.
func (tx *Tx) rebuildTree(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM unit_ancestors`); err != nil {
		return fmt.Errorf("store: unable to clear the units' ancestors: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_ancestors (unit_id, ancestor_id, depth) `+drawnAncestorsSQL); err != nil {
		return fmt.Errorf("store: unable to rebuild the units' ancestors: %w", err)
	}
	for _, table := range subtreeTables {
		if _, err := tx.exec(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("store: unable to clear %s: %w", table, err)
		}
		if err := tx.addTree(ctx, table, sumsToAncestors(table, unitRowsSQL(table, ""), `SELECT unit_id, ancestor_id FROM unit_ancestors`, "")); err != nil {
			return err
		}
	}
	if err := tx.rebuildReachYears(ctx); err != nil {
		return err
	}
	return tx.treeChanged(ctx)
}

// checkTree compares unit_ancestors with the tree drawn again, and every
// ancestor's kept rows with the sums of the units' kept rows over that
// tree (CheckTotals compares those with the activities), and describes
// each difference.
func checkTree(ctx context.Context, c conn) ([]string, error) {
	type check struct{ name, kept, fresh string }
	checks := []check{{"unit_ancestors", `SELECT unit_id, ancestor_id, depth FROM unit_ancestors`, drawnAncestorsSQL}}
	for _, table := range subtreeTables {
		keys, figures := treeKeys[table][0], treeKeys[table][1]
		checks = append(checks, check{table,
			`SELECT ancestor_id, ` + strings.Join(keys, ", ") + `, ` + strings.Join(figures, ", ") + ` FROM ` + table,
			sumsToAncestors(table, unitRowsSQL(table, ""), `SELECT unit_id, ancestor_id FROM (`+drawnAncestorsSQL+`) drawn`, "")})
	}
	checks = append(checks, check{"tree_reach_years",
		`SELECT ancestor_id, metric_id, basis, year, prev_year, enterprises FROM tree_reach_years`, reachYearsSQL})
	var diffs []string
	for _, ch := range checks {
		width := 3
		switch {
		case ch.name == "tree_reach_years":
			width = 5
		case ch.name != "unit_ancestors":
			width = 1 + len(treeKeys[ch.name][0])
		}
		kept, err := readRows(ctx, c, ch.kept, width)
		if err != nil {
			return nil, err
		}
		fresh, err := readRows(ctx, c, ch.fresh, width)
		if err != nil {
			return nil, err
		}
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(kept, fresh))) {
			if kept[k] != fresh[k] {
				diffs = append(diffs, fmt.Sprintf("%s %s: kept %q, recounted %q", ch.name, k, kept[k], fresh[k]))
			}
		}
	}
	return diffs, nil
}

// readRows reads rows as text, keyed by their first keyWidth columns.
func readRows(ctx context.Context, c conn, query string, keyWidth int) (map[string]string, error) {
	rows, err := c.query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read kept rows: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		text := make([]string, len(values))
		for i, v := range values {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			text[i] = fmt.Sprint(v)
		}
		out[strings.Join(text[:keyWidth], " ")] = strings.Join(text[keyWidth:], " ")
	}
	return out, rows.Err()
}
