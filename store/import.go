package store

import (
	"cmp"
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
	return tx.ImportRow(ctx, prog, a, false)
}

// ImportRow is ImportActivity for a file row whose source, when
// defaultSource, only says where the row was (file, row number): a known
// activity keeps its own source then, so that the same rows in another
// order, or in a file of another name, change nothing.
func (tx *Tx) ImportRow(ctx context.Context, prog *nscl.Programme, a *nscl.Activity, defaultSource bool) (ImportOutcome, error) {
	if a.Ref == "" {
		return 0, nscl.Invalid("ref", "dòng nhập không có mã dòng", "an imported row has no row key")
	}
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM activities WHERE programme_id = ? AND ref = ? AND ref <> ''`, prog.ID, nscl.NormalizeText(a.Ref)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Created, tx.CreateActivity(ctx, prog, a)
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to find row key %q: %w", a.Ref, err)
	}
	if err := tx.flushRows(ctx); err != nil { // what follows reads activities back
		return 0, err
	}
	old, err := activityByID(ctx, tx.conn, id)
	if err != nil {
		return 0, err
	}
	a.Normalize()
	if defaultSource {
		a.Source = old.Source
	}
	if sameActivity(old, *a) {
		*a = old
		return Unchanged, nil
	}
	a.ID, a.Version = old.ID, old.Version
	return Updated, tx.UpdateActivity(ctx, prog, a)
}

// sameActivity compares what a file row sets.
func sameActivity(x, y nscl.Activity) bool {
	sorted := func(q []nscl.Quantity) []nscl.Quantity {
		q = slices.Clone(q)
		slices.SortFunc(q, func(a, b nscl.Quantity) int { return cmp.Compare(a.Metric, b.Metric) })
		return q
	}
	return x.UnitID == y.UnitID && x.Date.Equal(y.Date) && x.TaskGroup == y.TaskGroup && x.Kind == y.Kind &&
		x.Description == y.Description && x.Source == y.Source &&
		slices.Equal(sorted(x.Quantities), sorted(y.Quantities)) &&
		slices.Equal(slices.Sorted(slices.Values(x.Beneficiaries)), slices.Sorted(slices.Values(y.Beneficiaries)))
}
