package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"nscl"
)

// sameDayQuery selects a unit's activities of a day and task group,
// through activities_unit_day; at most 200: a unit reports far fewer, and
// a longer list is nothing a person would compare by eye.
const sameDayQuery = `SELECT ` + activityColumns +
	activityFrom + ` WHERE a.unit_id = ? AND a.occurred_on = ? AND a.task_group_id = ? AND a.programme_id = ? ORDER BY a.id LIMIT 200`

// LookAlikes returns the stored activities that look like a
// (nscl.LooksAlike) other than a itself, oldest first, with their
// quantities and beneficiaries: what a form shows before saving a second
// record of one activity.
func (s *Store) LookAlikes(ctx context.Context, prog *nscl.Programme, a nscl.Activity) ([]nscl.Activity, error) {
	a.Normalize()
	group, ok := prog.TaskGroup(a.TaskGroup)
	if !ok || a.UnitID == 0 || a.Date.IsZero() {
		return nil, nil
	}
	c := s.reader()
	rows, err := c.query(ctx, sameDayQuery, a.UnitID, formatDate(a.Date), group.ID, prog.ID)
	same, err := scanSameDay(ctx, c, rows, err)
	if err != nil {
		return nil, err
	}
	var out []nscl.Activity
	for _, x := range same {
		if x.ID != a.ID && nscl.LooksAlike(a, x) {
			out = append(out, x)
		}
	}
	return out, nil
}

// SameDayLookup finds, for an import's check, the programme's activities of
// a unit on a day in a task group, oldest first, with their quantities and
// beneficiaries: those a row's derived key may name, and those it may look
// like. Its statement is prepared once; close frees it. The days on which
// a unit has activities are read once for each of its years (a few
// hundred at most), so that the rows of days with none — most rows of a
// new file — cost no query.
//
// ahead reads the busy days of the units and years of rows read ahead, a
// few hundred units to a statement: a file whose rows name many units
// (the nation's bench file names thousands) asked each unit's days in a
// statement of its own, a round trip each on PostgreSQL.
func (s *Store) SameDayLookup(ctx context.Context, prog *nscl.Programme) (lookup func(unitID int64, day time.Time, group string) ([]nscl.Activity, error),
	ahead func(acts []nscl.Activity) error, close func() error, err error) {
	c := s.reader()
	st, err := s.read.PrepareContext(ctx, c.rebind(sameDayQuery))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("store: unable to prepare the same day's activities: %w", err)
	}
	type unitYear struct {
		unitID int64
		year   int
	}
	type dayGroup struct {
		day     string
		groupID int64
	}
	busy := map[unitYear]map[dayGroup]bool{}
	// readDays reads the days of units in year into busy, each unit's
	// none when it has none.
	readDays := func(year int, units []int64) error {
		for _, id := range units {
			busy[unitYear{id, year}] = map[dayGroup]bool{}
		}
		rows, err := c.query(ctx, `SELECT DISTINCT unit_id, occurred_on, task_group_id FROM activities WHERE unit_id IN (`+placeholders(len(units))+`)
			AND occurred_on >= ? AND occurred_on <= ?`,
			append(listArgs(units), formatDate(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)), formatDate(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)))...)
		if err != nil {
			return fmt.Errorf("store: unable to read a unit's days: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var unit int64
			var d time.Time
			var g int64
			if err := rows.Scan(&unit, dateValue{&d}, &g); err != nil {
				return err
			}
			busy[unitYear{unit, year}][dayGroup{d.Format(dateLayout), g}] = true
		}
		return rows.Err()
	}
	ahead = func(acts []nscl.Activity) error {
		unitsOf := map[int][]int64{}
		for _, a := range acts {
			k := unitYear{a.UnitID, a.Date.Year()}
			if _, known := busy[k]; !known && !slices.Contains(unitsOf[k.year], k.unitID) {
				unitsOf[k.year] = append(unitsOf[k.year], k.unitID)
			}
		}
		for _, year := range slices.Sorted(maps.Keys(unitsOf)) {
			for units := range slices.Chunk(unitsOf[year], rowsPerStatement) {
				if err := readDays(year, units); err != nil {
					return err
				}
			}
		}
		return nil
	}
	lookup = func(unitID int64, day time.Time, letter string) ([]nscl.Activity, error) {
		group, ok := prog.TaskGroup(letter)
		if !ok {
			return nil, nil
		}
		k := unitYear{unitID, day.Year()}
		if _, ok := busy[k]; !ok {
			if err := readDays(k.year, []int64{unitID}); err != nil {
				return nil, err
			}
		}
		if !busy[k][dayGroup{day.Format(dateLayout), group.ID}] {
			return nil, nil
		}
		args := []any{unitID, formatDate(day), group.ID, prog.ID}
		trace(sameDayQuery, args) // prepared here, outside conn
		rows, err := st.QueryContext(ctx, args...)
		return scanSameDay(ctx, c, rows, err)
	}
	return lookup, ahead, st.Close, nil
}

func scanSameDay(ctx context.Context, c conn, rows *sql.Rows, err error) ([]nscl.Activity, error) {
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the same day's activities: %w", err)
	}
	return scanActivities(ctx, c, rows)
}
