package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"nscl"
)

// countCap is how far a list counts the rows its filter matches: past it
// the page says "more than 1.000", so that no page counts a whole table.
const countCap = 1000

// Counted is how many rows a list's filter matches, counted up to countCap.
type Counted struct {
	N    int64 // the rows counted, at most countCap
	More bool  // more than N match
}

// countUpTo counts the rows of fromWhere (" FROM … WHERE …"), stopping
// after countCap of them.
func countUpTo(ctx context.Context, c conn, fromWhere string, args []any) (Counted, error) {
	var n int64
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1`+fromWhere+` LIMIT ?) capped`, append(slices.Clone(args), countCap+1)...).Scan(&n)
	return Counted{N: min(n, countCap), More: n > countCap}, err
}

// pageLimit is a list's page size: 50 when not given, at most 200.
func pageLimit(limit int) int {
	if limit <= 0 {
		return 50
	}
	return min(limit, 200)
}

// enterpriseCursor is a place in the registry's list: the name and tax
// code of a page's last record, opaque to clients.
type enterpriseCursor struct{ name, taxCode string }

// EnterpriseCursorAfter is the cursor (for EnterpriseFilter.After) of a
// page that ends with e: the list goes on with the record after it.
func EnterpriseCursorAfter(e nscl.Enterprise) string {
	return enterpriseCursor{e.Name, e.TaxCode}.String()
}

func (c enterpriseCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.taxCode + "\n" + c.name))
}

func parseEnterpriseCursor(s string) (enterpriseCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	taxCode, name, ok := strings.Cut(string(raw), "\n")
	if err != nil || !ok || taxCode == "" {
		return enterpriseCursor{}, nscl.Invalid("after", "after=%q không phải là con trỏ trang; hãy dùng liên kết trang sau", "after=%q is not a page cursor; follow the next page's link", s)
	}
	return enterpriseCursor{name, taxCode}, nil
}

// firstOfUnit selects a unit's activities of a group in a range of days,
// given the unit, the programme, the first and last day, the programme
// again and the group's letter (and after the table, firstOfUnitOn's
// choice of index). The group's condition is written
// +a.task_group_id so that no plan takes the group's index for one unit.
const firstOfUnit = `SELECT a.id FROM activities a%s WHERE a.unit_id = ? AND a.programme_id = ? AND a.occurred_on >= ? AND a.occurred_on <= ?
	AND +a.task_group_id = (SELECT id FROM task_groups WHERE programme_id = ? AND letter = ?)`

// firstOfUnitOn is firstOfUnit on c's engine: on SQLite naming the unit's
// index, for the reason ActivityFilter.from gives.
func firstOfUnitOn(c conn) string {
	if c.dialect == postgres {
		return fmt.Sprintf(firstOfUnit, "")
	}
	return fmt.Sprintf(firstOfUnit, " INDEXED BY activities_unit_list")
}

// FirstOfEachUnit is the first f.Limit activities, oldest first, of
// f.TaskGroup in f.Year among a few units (f.Units; f.Approved is kept):
// the report page's first activities of a group for a unit or a district.
// Each unit's own first ones are read through the unit's list index
// (migration 00012), at most f.Limit rows a unit, then the earliest of
// those; the group's index would instead skip, one by one, every other
// unit's activities of the group and year, and the fewer of them the units
// hold, the more it skips. One statement, whatever the number of units;
// callers keep that number small (the report's rule is in package report).
func (s *Store) FirstOfEachUnit(ctx context.Context, prog *nscl.Programme, f ActivityFilter) ([]nscl.Activity, error) {
	if len(f.Units) == 0 || f.Year == 0 || f.TaskGroup == "" {
		return nil, nil
	}
	limit := pageLimit(f.Limit)
	c := s.lister()
	one := firstOfUnitOn(c)
	if f.Approved {
		one += ` AND ` + approvedSQL("a.unit_id", "a.occurred_on", "a.programme_id")
	}
	one += listOrderOldest + ` LIMIT ?`
	parts := make([]string, len(f.Units))
	var args []any
	for i, unit := range f.Units {
		parts[i] = `SELECT id FROM (` + one + `) u` + strconv.Itoa(i)
		args = append(args, unit, prog.ID, fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-12-31", f.Year),
			prog.ID, nscl.NormalizeText(f.TaskGroup), limit)
	}
	return listActivities(ctx, c, "", activityFrom, ` WHERE a.id IN (`+strings.Join(parts, ` UNION ALL `)+`)`+listOrderOldest+` LIMIT ?`, append(args, limit))
}

// CountedByChild says under which unit directly below unitID each unit of
// counted (what unitID's figures count within b) is shown, as
// nscl.CountedByChild places them: a dashboard's rows by child.
func (s *Store) CountedByChild(ctx context.Context, unitID int64, b nscl.Boundaries, counted nscl.Counted) (map[int64]int64, error) {
	t, err := s.treeHolding(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return maps.Clone(t.countedByChild(unitID, b, counted).under), nil
}

// UnitsByChild is CountedByChild turned round: for each unit directly
// below unitID (and unitID itself, for its own work), the counted units
// shown under it. The slices are shared with later callers and must not
// be changed.
func (s *Store) UnitsByChild(ctx context.Context, unitID int64, b nscl.Boundaries, counted nscl.Counted) (map[int64][]int64, error) {
	t, err := s.treeHolding(ctx, unitID)
	if err != nil {
		return nil, err
	}
	return maps.Clone(t.countedByChild(unitID, b, counted).groups), nil
}
