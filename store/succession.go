package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"nscl"
)

// CloseUnitInto closes the unit with code on day, its work going on in the
// units with the successor codes (a merger, a split or a renaming by the
// shape of the day's successions), and returns the unit as closed. A unit
// already closed on day is given the successors and stays as it is. The
// closing and the successions are audited with the transaction. Returns
// ENOTFOUND for an unknown unit, EINVALID naming "successor" or "on", and
// ECONFLICT when the unit is closed since another day.
func (tx *Tx) CloseUnitInto(ctx context.Context, code string, day time.Time, successorCodes []string) (nscl.OrgUnit, error) {
	u, err := tx.UnitByCode(ctx, code)
	if err != nil {
		return u, err
	}
	var successors []nscl.OrgUnit
	for _, c := range successorCodes {
		c = strings.TrimSpace(c)
		if c == "" || slices.ContainsFunc(successors, func(s nscl.OrgUnit) bool { return s.Code == nscl.NormalizeText(c) }) {
			continue
		}
		s, err := tx.UnitByCode(ctx, c)
		if nscl.ErrorCode(err) == nscl.ENOTFOUND {
			return u, nscl.Invalid("successor", "không có đơn vị kế tục mã %q", "no successor unit with code %q", c)
		}
		if err != nil {
			return u, err
		}
		successors = append(successors, s)
	}
	// What the checks need of the successions on file: the unit's own as
	// predecessor, and the chain of those that lead into it (a loop).
	onFile, err := successionsOf(ctx, tx.conn, `WITH RECURSIVE chain (id) AS (
			SELECT CAST(? AS BIGINT)
			UNION
			SELECT s.predecessor_id FROM unit_successions s JOIN chain ON s.successor_id = chain.id
		) SELECT `+successionColumns+` FROM unit_successions WHERE successor_id IN (SELECT id FROM chain) OR predecessor_id = ?`, u.ID, u.ID)
	if err != nil {
		return u, err
	}
	if err := nscl.ValidateSuccession(u, successors, day, onFile); err != nil {
		return u, err
	}
	if u.ClosedOn.IsZero() {
		if err := u.Close(day); err != nil {
			return u, err
		}
		if err := tx.UpdateUnit(ctx, &u); err != nil {
			return u, err
		}
	}
	if err := tx.treeChanged(ctx); err != nil {
		return u, err
	}
	for _, s := range successors {
		row := nscl.Succession{PredecessorID: u.ID, SuccessorID: s.ID, On: day}
		if _, err := tx.exec(ctx, `INSERT INTO unit_successions (predecessor_id, successor_id, succeeded_on) VALUES (?, ?, ?)`,
			row.PredecessorID, row.SuccessorID, formatDate(day)); err != nil {
			return u, fmt.Errorf("store: unable to record succession: %w", err)
		}
		if err := tx.audit(ctx, "create", "unit_succession", fmt.Sprintf("%d>%d", row.PredecessorID, row.SuccessorID), nil, row); err != nil {
			return u, err
		}
	}
	return u, nil
}

// MoveUnit moves the unit with code under the unit with parentCode from
// day on: org_units.parent_id becomes the new parent and a history row
// keeps the old one. Returns the unit as moved, ENOTFOUND for an unknown
// unit, EINVALID naming "parent" or "on".
//
// The unit's kept totals stay its own; the totals kept per ancestor
// (tree_totals and the others), which count its subtree, move with it from
// its old ancestors to its new ones in the same transaction. So after a
// move the unit's whole past counts under its new parent in a report of
// today's tree, and under its old one no more; the tree of an earlier day
// is drawn again from the history (nscl.TreeOn) and read through the
// units' own totals where it differs from today's.
func (tx *Tx) MoveUnit(ctx context.Context, code, parentCode string, day time.Time) (nscl.OrgUnit, error) {
	tx.forgetChecks()
	u, err := tx.UnitByCode(ctx, code)
	if err != nil {
		return u, err
	}
	parent, err := tx.UnitByCode(ctx, parentCode)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND {
		return u, nscl.Invalid("parent", "không có đơn vị mã %q", "no unit with code %q", parentCode)
	}
	if err != nil {
		return u, err
	}
	ancestors, err := unitChain(ctx, tx.conn, parent.ID)
	if err != nil {
		return u, err
	}
	var lastMove time.Time
	if err := tx.queryRow(ctx, `SELECT MAX(changed_on) FROM unit_parent_changes WHERE unit_id = ?`, u.ID).Scan(dateValue{&lastMove}); err != nil {
		return u, fmt.Errorf("store: unable to read unit moves: %w", err)
	}
	if err := nscl.ValidateMove(u, parent, ancestors, day, lastMove); err != nil {
		return u, err
	}
	change := nscl.ParentChange{UnitID: u.ID, OldParentID: u.ParentID, NewParentID: parent.ID, On: day}
	var old any
	if u.ParentID != 0 {
		old = u.ParentID
	}
	res, err := tx.exec(ctx, `UPDATE org_units SET parent_id = ?, version = version + 1 WHERE id = ? AND version = ?`, parent.ID, u.ID, u.Version)
	if err != nil {
		return u, fmt.Errorf("store: unable to move unit: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return u, nscl.Conflict("version", "đơn vị đã được người khác sửa; hãy thử lại", "the unit was changed by someone else; try again")
	}
	if err := tx.settle(ctx); err != nil { // an import's gathered moves go to the old ancestors first
		return u, err
	}
	// The subtree's enterprises at the ancestors it leaves and those it
	// joins.
	groups, err := tx.readReachGroups(ctx, `SELECT a.ancestor_id, t.metric_id, t.tax_code FROM tree_reach t
		JOIN (SELECT ancestor_id FROM unit_ancestors WHERE unit_id = ? AND depth > 0
			UNION SELECT ancestor_id FROM unit_ancestors WHERE unit_id = ?) a ON 1 = 1
		WHERE t.ancestor_id = ? GROUP BY a.ancestor_id, t.metric_id, t.tax_code`, u.ID, parent.ID, u.ID)
	if err != nil {
		return u, err
	}
	if err := tx.keepReachYears(ctx, groups, func() error {
		if err := tx.pushSubtree(ctx, u.ID, "-"); err != nil {
			return err
		}
		if err := tx.moveAncestors(ctx, u.ID, parent.ID); err != nil {
			return err
		}
		return tx.pushSubtree(ctx, u.ID, "")
	}); err != nil {
		return u, err
	}
	if err := tx.treeChanged(ctx); err != nil {
		return u, err
	}
	before := u
	u.ParentID, u.Version = parent.ID, u.Version+1
	if err := tx.audit(ctx, "update", "unit", u.ID, before, u); err != nil {
		return u, err
	}
	id, err := tx.insert(ctx, `INSERT INTO unit_parent_changes (unit_id, old_parent_id, new_parent_id, changed_on) VALUES (?, ?, ?, ?)`,
		u.ID, old, parent.ID, formatDate(day))
	if err != nil {
		return u, fmt.Errorf("store: unable to record unit move: %w", err)
	}
	return u, tx.audit(ctx, "create", "unit_parent_change", id, nil, change)
}

const successionColumns = `predecessor_id, successor_id, succeeded_on`

func successionsOf(ctx context.Context, c conn, query string, args ...any) ([]nscl.Succession, error) {
	rows, err := c.query(ctx, query+` ORDER BY succeeded_on, predecessor_id, successor_id`, args...)
	out, err := collect(rows, err, func(r interface{ Scan(...any) error }) (nscl.Succession, error) {
		var s nscl.Succession
		return s, r.Scan(&s.PredecessorID, &s.SuccessorID, dateValue{&s.On})
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read successions: %w", err)
	}
	return out, nil
}

// Successions returns every succession on file, oldest first: a few rows
// per unit that ever closed.
func (s *Store) Successions(ctx context.Context) ([]nscl.Succession, error) {
	return successionsOf(ctx, s.reader(), `SELECT `+successionColumns+` FROM unit_successions`)
}

// UnitSuccessions returns the successions the unit is in, as predecessor
// or as successor, oldest first.
func (s *Store) UnitSuccessions(ctx context.Context, unitID int64) ([]nscl.Succession, error) {
	return successionsOf(ctx, s.reader(), `SELECT `+successionColumns+` FROM unit_successions WHERE predecessor_id = ? UNION ALL SELECT `+successionColumns+` FROM unit_successions WHERE successor_id = ?`, unitID, unitID)
}

func parentChangesOf(ctx context.Context, c conn, where string, args ...any) ([]nscl.ParentChange, error) {
	rows, err := c.query(ctx, `SELECT unit_id, COALESCE(old_parent_id, 0), new_parent_id, changed_on FROM unit_parent_changes `+where+` ORDER BY changed_on, id`, args...)
	out, err := collect(rows, err, func(r interface{ Scan(...any) error }) (nscl.ParentChange, error) {
		var m nscl.ParentChange
		return m, r.Scan(&m.UnitID, &m.OldParentID, &m.NewParentID, dateValue{&m.On})
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read unit moves: %w", err)
	}
	return out, nil
}

// ParentChanges returns every move of a unit to another parent, oldest
// first, for nscl.TreeOn.
func (s *Store) ParentChanges(ctx context.Context) ([]nscl.ParentChange, error) {
	return parentChangesOf(ctx, s.reader(), "")
}

// UnitParentChanges returns the unit's moves, oldest first.
func (s *Store) UnitParentChanges(ctx context.Context, unitID int64) ([]nscl.ParentChange, error) {
	return parentChangesOf(ctx, s.reader(), "WHERE unit_id = ?", unitID)
}

// Counted returns the units whose work counts for unitID within b, as
// nscl.CountedUnits draws them from the tree, the successions and the
// moves on file. Returns ENOTFOUND for an unknown unit.
func (s *Store) Counted(ctx context.Context, unitID int64, b nscl.Boundaries) (nscl.Counted, error) {
	t, err := s.treeHolding(ctx, unitID)
	if err != nil {
		return nscl.Counted{}, err
	}
	return t.counted(unitID, b), nil
}

// treeHolding is today's tree with its history, when unitID is in it;
// ENOTFOUND when it is not.
func (s *Store) treeHolding(ctx context.Context, unitID int64) (*tree, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := t.index[unitID]; !ok {
		return nil, nscl.NotFound("unit", "không có đơn vị số %d", "no unit with id %d", unitID)
	}
	return t, nil
}

// unitSetCTE selects, as "subtree (id)", the units given: what a count
// reads in place of subtreeCTE once the units are known.
func unitSetCTE(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return `WITH subtree (id) AS (SELECT id FROM org_units WHERE 1 = 0) `, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return `WITH subtree (id) AS (SELECT id FROM org_units WHERE id IN (?` + strings.Repeat(", ?", max(len(ids)-1, 0)) + `)) `, args
}
