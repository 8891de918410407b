package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nscl"
)

// ImportOutcome is what importing one activity did.
type ImportOutcome int

const (
	Created ImportOutcome = iota
	Updated
	Unchanged
)

// ImportActivity writes an activity keyed by its Ref: a new key is
// created; a known one is updated when the activity changed and left alone
// when it did not, so that importing the same file twice adds nothing. The
// checks and the audit are those of CreateActivity and UpdateActivity.
func (tx *Tx) ImportActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) (ImportOutcome, error) {
	return tx.ImportRow(ctx, prog, a, nil)
}

// ImportRow is ImportActivity for a file row that may not set every field:
// keep, when not nil, fills in the row from the stored activity it
// updates (what the file has no column for, a source that only says where
// the row was) before the two are compared.
func (tx *Tx) ImportRow(ctx context.Context, prog *nscl.Programme, a *nscl.Activity, keep func(stored nscl.Activity, a *nscl.Activity)) (ImportOutcome, error) {
	if a.Ref == "" {
		return 0, nscl.Invalid("ref", "dòng nhập không có mã dòng", "an imported row has no row key")
	}
	// A row whose key the portal owns may only say again what is stored
	// (a unit's exported list imported again), which writes nothing.
	portalRefusal := tx.refuseHandWrite(a.Ref)
	if portalRefusal == nil {
		if created, err := tx.createActivity(ctx, prog, a, true); created || err != nil {
			return Created, err
		}
	}
	owner, found, err := activityByRef(ctx, tx.conn, prog.ID, a.Ref)
	if err != nil {
		return 0, err
	}
	if !found && portalRefusal != nil {
		return 0, portalRefusal
	}
	id := owner.ID
	if err := tx.flushRows(ctx); err != nil { // what follows reads activities back
		return 0, err
	}
	old, err := activityByID(ctx, tx.conn, id)
	if err != nil {
		return 0, err
	}
	a.Normalize()
	if keep != nil {
		keep(old, a)
	}
	// No import file says whether the report's footnote itemises an
	// activity (a sheet has no column for it, a summary gives figures, not
	// footnote items): an update keeps what the activity holds.
	a.NotInFootnote = old.NotInFootnote
	if nscl.SameActivity(old, *a) {
		*a = old
		return Unchanged, nil
	}
	if portalRefusal != nil {
		return 0, portalRefusal
	}
	a.ID, a.Version = old.ID, old.Version
	return Updated, tx.UpdateActivity(ctx, prog, a)
}

// LinkRow writes a file row onto the stored activity id that the user said
// it is (one that looked like it, nscl.LooksAlike): the activity takes the
// row's content and its row key, so that the same file imported again
// finds it by key, and it still counts once. keep is as for ImportRow.
// Returns ENOTFOUND for an unknown activity, EINVALID for another unit's.
func (tx *Tx) LinkRow(ctx context.Context, prog *nscl.Programme, a *nscl.Activity, id int64, keep func(stored nscl.Activity, a *nscl.Activity)) (ImportOutcome, error) {
	if err := tx.flushRows(ctx); err != nil { // what follows reads activities back
		return 0, err
	}
	old, err := activityByID(ctx, tx.conn, id)
	if err != nil {
		return 0, err
	}
	a.Normalize()
	if old.ProgrammeID != prog.ID || old.UnitID != a.UnitID {
		return 0, nscl.Invalid("unit", "hoạt động số %d không phải của đơn vị này", "activity %d is not this unit's", id)
	}
	// Refused before keep fills the row in from the stored activity.
	if err := tx.refuseHandWrite(old.Ref, a.Ref); err != nil {
		return 0, err
	}
	if keep != nil {
		keep(old, a)
	}
	a.NotInFootnote = old.NotInFootnote
	if nscl.SameActivity(old, *a) && old.Ref == a.Ref {
		*a = old
		return Unchanged, nil
	}
	a.ID, a.Version = old.ID, old.Version
	return Updated, tx.UpdateActivity(ctx, prog, a)
}

// RefLookup finds the programme's activities by row key — their ID, unit
// and date only; found false when none has the key — with its statement
// prepared once: an import's check looks up every key its file gives.
// close frees the statement.
func (s *Store) RefLookup(ctx context.Context, prog *nscl.Programme) (lookup func(ref string) (nscl.Activity, bool, error), close func() error, err error) {
	c := s.reader()
	st, err := s.read.PrepareContext(ctx, c.rebind(refOwnerQuery))
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to prepare row keys: %w", err)
	}
	lookup = func(ref string) (nscl.Activity, bool, error) {
		args := []any{prog.ID, nscl.NormalizeText(ref)}
		trace(refOwnerQuery, args) // prepared here, outside conn
		return scanRefOwner(st.QueryRowContext(ctx, args...), prog.ID, ref)
	}
	return lookup, st.Close, nil
}

const refOwnerQuery = `SELECT id, unit_id, occurred_on FROM activities WHERE programme_id = ? AND ref = ? AND ref <> ''`

func activityByRef(ctx context.Context, c conn, programmeID int64, ref string) (a nscl.Activity, found bool, err error) {
	return scanRefOwner(c.queryRow(ctx, refOwnerQuery, programmeID, nscl.NormalizeText(ref)), programmeID, ref)
}

func scanRefOwner(row interface{ Scan(...any) error }, programmeID int64, ref string) (a nscl.Activity, found bool, err error) {
	err = row.Scan(&a.ID, &a.UnitID, dateValue{&a.Date})
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("store: unable to find row key %q: %w", ref, err)
	}
	a.ProgrammeID, a.Ref = programmeID, nscl.NormalizeText(ref)
	return a, true, nil
}
