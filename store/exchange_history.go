package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nscl"
)

// RestoreParentChanges records the parents a unit had before its parent
// now, as an import restores them: its moves, oldest first, each with the
// unit's ID and the parents' IDs. The unit's row is not changed (it holds
// its parent now); only the history rows are written, checked as a whole
// by nscl.ValidateParentHistory, and audited as MoveUnit's are. Returns
// ENOTFOUND for an unknown unit, ECONFLICT when the unit already has moves
// on file, and EINVALID naming "parent" or "on".
func (tx *Tx) RestoreParentChanges(ctx context.Context, unitID int64, moves []nscl.ParentChange) error {
	unit, err := unitByID(ctx, tx.conn, unitID)
	if err != nil {
		return err
	}
	var one int
	switch err := tx.queryRow(ctx, `SELECT 1 FROM unit_parent_changes WHERE unit_id = ? LIMIT 1`, unitID).Scan(&one); {
	case err == nil:
		return nscl.Conflict("on", "đơn vị %s đã có lịch sử chuyển đơn vị cấp trên", "unit %s already has moves on file", unit.Code)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: unable to read unit moves: %w", err)
	}
	parents := map[int64]nscl.OrgUnit{}
	for _, m := range moves {
		for _, id := range []int64{m.OldParentID, m.NewParentID} {
			if _, ok := parents[id]; id == 0 || ok {
				continue
			}
			p, err := unitByID(ctx, tx.conn, id)
			if nscl.ErrorCode(err) == nscl.ENOTFOUND {
				return nscl.Invalid("parent", "không có đơn vị số %d", "no unit with id %d", id)
			}
			if err != nil {
				return err
			}
			parents[id] = p
		}
	}
	if err := nscl.ValidateParentHistory(unit, moves, parents); err != nil {
		return err
	}
	if err := tx.treeChanged(ctx); err != nil {
		return err
	}
	for _, m := range moves {
		m.UnitID = unitID
		var old any
		if m.OldParentID != 0 {
			old = m.OldParentID
		}
		id, err := tx.insert(ctx, `INSERT INTO unit_parent_changes (unit_id, old_parent_id, new_parent_id, changed_on) VALUES (?, ?, ?, ?)`,
			unitID, old, m.NewParentID, formatDate(m.On))
		if err != nil {
			return fmt.Errorf("store: unable to restore unit move: %w", err)
		}
		if err := tx.audit(ctx, "import", "unit_parent_change", id, nil, m); err != nil {
			return err
		}
	}
	return nil
}

// Successors returns the units the unit's work went on in, by code: whom
// a refusal names when a closed unit is given work after it closed.
func (tx *Tx) Successors(ctx context.Context, unitID int64) ([]nscl.OrgUnit, error) {
	rows, err := tx.conn.query(ctx, `SELECT `+unitColumns+` FROM org_units
		WHERE id IN (SELECT successor_id FROM unit_successions WHERE predecessor_id = ?) ORDER BY code`, unitID)
	out, err := collect(rows, err, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read successors: %w", err)
	}
	return out, nil
}
