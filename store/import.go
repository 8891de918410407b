package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

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
	owner, found, err := tx.refOwner(ctx, prog.ID, a.Ref)
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

// LookAhead looks up, on PostgreSQL, what writing an import's next rows
// (a few hundred of them) will ask, a statement for them all: which of
// their keys activities of prog hold, and their units' locks. The
// transaction then writes a new key's activity with its writes held back,
// and finds a known key's activity without asking again. What it learns
// holds while the transaction runs: under the audit chain's lock no other
// writer gives or takes a key or changes a submission, and this
// transaction's own writes keep it. Nothing on SQLite, where asking costs
// no round trip.
func (tx *Tx) LookAhead(ctx context.Context, prog *nscl.Programme, acts []nscl.Activity) error {
	if tx.dialect != postgres {
		return nil
	}
	units := make([]int64, len(acts))
	refs := make([]string, len(acts))
	for i, a := range acts {
		units[i], refs[i] = a.UnitID, a.Ref
	}
	if err := tx.knowLocks(ctx, prog.ID, units); err != nil {
		return err
	}
	if tx.knownRefs == nil || tx.knownRefsOf != prog.ID {
		tx.knownRefs, tx.knownRefsOf = map[string]int64{}, prog.ID
	}
	if len(tx.knownRefs)+len(refs) > maxKnownRefs {
		// An import keeps only its next rows' keys. The activities it
		// created and holds back go into their table first, where the
		// next look-ups find them.
		if err := tx.flushRows(ctx); err != nil {
			return err
		}
		clear(tx.knownRefs)
	}
	var ask []string
	for _, ref := range refs {
		ref = nscl.NormalizeText(ref)
		if _, known := tx.knownRefs[ref]; !known && ref != "" {
			ask = append(ask, ref)
		}
	}
	owners, err := refOwners(ctx, tx.conn, prog.ID, ask)
	if err != nil {
		return err
	}
	for _, ref := range ask {
		tx.knownRefs[ref] = owners[ref].ID // 0: no activity holds it
	}
	return nil
}

// maxKnownRefs bounds the keys a transaction keeps (LookAhead).
const maxKnownRefs = 4 * rowsPerStatement

// refOwner is the activity holding ref, as LookAhead learnt it or asked now.
func (tx *Tx) refOwner(ctx context.Context, programmeID int64, ref string) (nscl.Activity, bool, error) {
	ref = nscl.NormalizeText(ref)
	if id, known := tx.knownRefs[ref]; known && tx.knownRefsOf == programmeID {
		return nscl.Activity{ID: id, ProgrammeID: programmeID, Ref: ref}, id != 0, nil
	}
	return activityByRef(ctx, tx.conn, programmeID, ref)
}

// RefOwners finds the activities of prog holding refs — their ID, unit
// and date, by key; a key none holds is not in the map — a few hundred
// keys to a statement: an import's check looks up every key its file gives.
func (s *Store) RefOwners(ctx context.Context, prog *nscl.Programme, refs []string) (map[string]nscl.Activity, error) {
	normal := make([]string, 0, len(refs))
	for _, ref := range refs {
		if ref = nscl.NormalizeText(ref); ref != "" {
			normal = append(normal, ref)
		}
	}
	return refOwners(ctx, s.reader(), prog.ID, normal)
}

// refOwners is RefOwners of keys already normalized.
func refOwners(ctx context.Context, c conn, programmeID int64, refs []string) (map[string]nscl.Activity, error) {
	out := make(map[string]nscl.Activity, len(refs))
	for chunk := range slices.Chunk(refs, rowsPerStatement) {
		args := append([]any{programmeID}, listArgs(chunk)...)
		rows, err := c.query(ctx, `SELECT id, unit_id, occurred_on, ref FROM activities WHERE programme_id = ? AND ref IN (`+placeholders(len(chunk))+`) AND ref <> ''`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: unable to find row keys: %w", err)
		}
		for rows.Next() {
			a := nscl.Activity{ProgrammeID: programmeID}
			if err := rows.Scan(&a.ID, &a.UnitID, dateValue{&a.Date}, &a.Ref); err != nil {
				rows.Close()
				return nil, err
			}
			out[a.Ref] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: unable to find row keys: %w", err)
		}
	}
	return out, nil
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
