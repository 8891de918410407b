package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
)

// CreateActivity checks and stores an activity with its quantities and
// beneficiaries, adds it to the kept totals, and sets its ID and version.
// Returns EINVALID for bad input (naming the field), ENOTFOUND for an
// unknown unit, and ECONFLICT when its Ref is already used.
func (tx *Tx) CreateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	created, err := tx.createActivity(ctx, prog, a, false)
	if err == nil && !created {
		err = refConflict(a.Ref)
	}
	return err
}

// refConflict is the refusal of an activity whose row key another holds.
func refConflict(ref string) error {
	return nscl.Conflict("ref", "mã dòng %q đã được dùng cho một hoạt động khác", "row key %q is already used by another activity", ref)
}

// createActivity is CreateActivity; with orNothing, an activity whose Ref
// is taken is not created (created false, no error) rather than refused:
// an import learns so in the same statement that would have created it,
// instead of looking the key up first.
func (tx *Tx) createActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity, orNothing bool) (created bool, err error) {
	if err := tx.checkActivityData(ctx, prog, a); err != nil {
		return false, err
	}
	if err := tx.refuseHandWrite(a.Ref); err != nil {
		return false, err
	}
	// An import's row that finds its key taken changes nothing here, so the
	// user's permission and the period's lock are asked only once it is
	// created: a locked activity imported again unchanged is no write.
	if !orNothing {
		if err := tx.mayWriteActivity(ctx, prog, a.UnitID, a.Date); err != nil {
			return false, err
		}
	}
	group, _ := prog.TaskGroup(a.TaskGroup)
	stamp := stampOf(tx.now)
	columns := `programme_id, unit_id, task_group_id, kind, occurred_on, year, description, not_in_footnote, source, ref, search_text, version, created_at, updated_at`
	values := []any{prog.ID, a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.NotInFootnote, a.Source, a.Ref, searchText(a), 1, stamp, stamp}
	owner, known := tx.knownRefs[a.Ref]
	known = known && tx.knownRefsOf == prog.ID
	if known && owner != 0 {
		return false, nil // LookAhead found it held
	}
	if tx.dialect == postgres {
		// The ID from the store's block of them (nextActivityID): with it
		// known beforehand, the activity is written with the writes held
		// back.
		id, err := tx.nextActivityID(ctx)
		if err != nil {
			return false, err
		}
		columns, values = "id, "+columns, append([]any{id}, values...)
		// A key issued here, or one no activity holds (LookAhead) — under
		// the audit chain's lock none but this transaction can give it —
		// is written with the others. So is a key the activity came with
		// that no look-ahead looked up (CreateActivity): found taken when
		// sent, it fails the transaction with CreateActivity's refusal, as
		// its insert would have, PostgreSQL ending the transaction either
		// way. One such key waits at a time, so that the refusal names it.
		ownKey := a.Ref != "" && !known && !orNothing
		if ownKey {
			if ownKey, err = tx.holdOwnRef(ctx, prog.ID, a.Ref); err != nil {
				return false, err
			}
		}
		if a.Ref == "" || known || ownKey {
			if orNothing { // it is created: now asked
				if err := tx.mayWriteActivity(ctx, prog, a.UnitID, a.Date); err != nil {
					return false, err
				}
			}
			switch {
			case a.Ref == "":
				a.Ref, tx.issuedRefs = issuedRef(id), true
				values[10] = a.Ref
			case known:
				tx.knownRefs[a.Ref] = id
			}
			// In a batch (an import), with a few hundred others in one statement.
			if err := tx.insertLater(ctx, "activities", "("+columns+")", values...); err != nil {
				return false, fmt.Errorf("store: unable to create activity: %w", err)
			}
			a.ID, a.ProgrammeID, a.Version = id, prog.ID, 1
			return true, tx.writeCreated(ctx, prog, a)
		}
	}
	// A held-back write's refusal must not be taken for this insert's.
	if err := tx.sendLater(ctx); err != nil {
		return false, err
	}
	insert := `INSERT INTO activities (` + columns + `) VALUES (` + placeholders(len(values)) + `)`
	if orNothing {
		insert += ` ON CONFLICT (programme_id, ref) WHERE ref <> '' DO NOTHING`
	}
	id, err := tx.insertRow(ctx, insert, values...)
	if errors.Is(err, sql.ErrNoRows) && orNothing || isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: unable to create activity: %w", err)
	}
	if orNothing {
		if err := tx.mayWriteActivity(ctx, prog, a.UnitID, a.Date); err != nil {
			return false, err
		}
	}
	a.ID, a.ProgrammeID, a.Version = id, prog.ID, 1
	if a.Ref == "" {
		if err := tx.giveRef(ctx, a); err != nil {
			return false, err
		}
	}
	return true, tx.writeCreated(ctx, prog, a)
}

// writeCreated writes what follows a new activity's row: its quantities
// and beneficiaries, its moves of the kept totals, its audit entry.
func (tx *Tx) writeCreated(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if err := tx.writeRows(ctx, prog, a); err != nil {
		return err
	}
	if err := tx.moveTotals(ctx, prog, nil, a); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "activity", a.ID, nil, a)
}

// giveRef gives an activity entered without a row key its own, on SQLite,
// once its ID is known (on PostgreSQL it is known before the activity is
// written, and the key is written with it).
func (tx *Tx) giveRef(ctx context.Context, a *nscl.Activity) error {
	for {
		ref := issuedRef(a.ID)
		// Set only when no activity holds it, in one statement: on
		// PostgreSQL a look-up first would be one more round trip.
		res, err := tx.exec(ctx, `UPDATE activities SET ref = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM activities WHERE programme_id = ? AND ref = ? AND ref <> '')`,
			ref, a.ID, a.ProgrammeID, ref)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			a.Ref = ref
			return err
		}
	}
}

// issuedRef is a new row key for activity id, for an activity entered
// without one, so that exports can be imported again: "nscl:<id>-<6
// random hex digits>". The random part keeps keys from two databases
// apart, so that a file exported from one and imported into another never
// takes an activity there for its own. A key found taken all the same is
// drawn again: by giveRef at once, and on PostgreSQL by the transaction
// run again (errIssuedRefTaken).
func issuedRef(id int64) string {
	suffix := refSuffix()
	return fmt.Sprintf("%s%d-%x", nscl.RefIssued, id, suffix)
}

// refSuffix draws the random part of an issued row key; a variable so that
// a test can make two keys the same.
var refSuffix = randomSuffix

func randomSuffix() (suffix [3]byte) {
	rand.Read(suffix[:])
	return suffix
}

// UpdateActivity replaces a stored activity with a, provided a.Version is
// still the stored version, and moves its contribution in the kept totals.
// Returns ENOTFOUND when it does not exist and ECONFLICT when someone else
// changed it since a.Version was read.
func (tx *Tx) UpdateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if err := tx.checkActivity(ctx, prog, a); err != nil {
		return err
	}
	if err := tx.refuseHandWrite(a.Ref); err != nil {
		return err
	}
	old, err := tx.claimActivity(ctx, prog, a.ID, a.Version)
	if err != nil {
		return err
	}
	if err := tx.refuseHandWrite(old.Ref); err != nil {
		return err
	}
	delete(tx.knownRefs, old.Ref) // the key may move: asked again
	delete(tx.knownRefs, a.Ref)
	if a.Ref == "" {
		a.Ref = old.Ref // a form that does not show the row key keeps it
	}
	group, _ := prog.TaskGroup(a.TaskGroup)
	// Only a new key can be refused. The update waits with the held-back
	// writes, a new key named there as a created activity's own is
	// (holdOwnRef); where it cannot be, the update goes at once, after them,
	// so that their refusal is not taken for its.
	update := `UPDATE activities SET unit_id = ?, task_group_id = ?, kind = ?, occurred_on = ?, year = ?, description = ?, not_in_footnote = ?, source = ?, ref = ?, search_text = ?
		WHERE id = ?`
	args := []any{a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.NotInFootnote, a.Source, a.Ref, searchText(a), a.ID}
	atOnce := false
	if a.Ref != old.Ref {
		held, err := tx.holdOwnRef(ctx, prog.ID, a.Ref)
		if err != nil {
			return err
		}
		atOnce = !held
	}
	if atOnce {
		if err := tx.sendLater(ctx); err != nil {
			return err
		}
		_, err = tx.exec(ctx, update, args...)
	} else {
		err = tx.execLater(ctx, update, args...)
	}
	if atOnce && isUniqueViolation(err) {
		return refConflict(a.Ref)
	}
	if err != nil {
		return fmt.Errorf("store: unable to update activity: %w", err)
	}
	if err := tx.deleteRows(ctx, old.ID); err != nil {
		return err
	}
	a.ProgrammeID, a.Version = prog.ID, old.Version
	if err := tx.writeRows(ctx, prog, a); err != nil {
		return err
	}
	if err := tx.moveTotals(ctx, prog, &old, a); err != nil {
		return err
	}
	old.Version-- // the audit shows the version the change was made from
	return tx.audit(ctx, "update", "activity", a.ID, old, a)
}

// DeleteActivity removes an activity and its contribution to the totals,
// provided version is still the stored version. Returns ENOTFOUND or ECONFLICT.
func (tx *Tx) DeleteActivity(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	old, err := tx.claimActivity(ctx, prog, id, version)
	if err != nil {
		return err
	}
	if err := tx.refuseHandWrite(old.Ref); err != nil {
		return err
	}
	delete(tx.knownRefs, old.Ref)
	if err := tx.deleteRows(ctx, id); err != nil {
		return err
	}
	if err := tx.moveTotals(ctx, prog, &old, nil); err != nil {
		return err
	}
	if err := tx.execLater(ctx, `DELETE FROM activities WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete activity: %w", err)
	}
	old.Version--
	return tx.audit(ctx, "delete", "activity", id, old, nil)
}

// claimActivity bumps the activity's version provided it is still version,
// and returns it as stored (with the new version). Checking and bumping in
// one statement locks the row, so of two people who read the same version
// only the first may write: on PostgreSQL the second waits for the first
// to commit, then finds the version moved on. (It waits at the audit
// chain's lock first, which every write takes: the read that goes with the
// claim there, from the statement's snapshot, sees what the first wrote.)
// A claim the transaction sent with that lock (Tx.claimAhead) is answered
// from what came back.
func (tx *Tx) claimActivity(ctx context.Context, prog *nscl.Programme, id, version int64) (nscl.Activity, error) {
	c := tx.claimAhead
	if c != nil && c.sent && c.progID == prog.ID && c.id == id && c.version == version {
		tx.claimAhead = nil
	} else {
		c = &activityClaim{progID: prog.ID, id: id, version: version}
		if err := tx.claim(ctx, c); err != nil {
			return nscl.Activity{}, err
		}
	}
	stored := c.stored
	if !c.claimed {
		if !c.found {
			return nscl.Activity{}, nscl.NotFound("id", "không có hoạt động số %d", "no activity with id %d", id)
		}
		if stored.ProgrammeID != prog.ID {
			return nscl.Activity{}, nscl.NotFound("id", "không có hoạt động số %d trong chương trình %s", "no activity %d in programme %s", id, prog.Code)
		}
		// Someone who may not write this activity learns nothing more about it.
		if err := tx.mayWriteActivity(ctx, prog, stored.UnitID, stored.Date); err != nil {
			return nscl.Activity{}, err
		}
		return nscl.Activity{}, staleActivity(id)
	}
	return stored, tx.mayWriteActivity(ctx, prog, stored.UnitID, stored.Date)
}

// activityClaim is a claim of activity id of a programme at version
// (claimActivity), and what it found: the activity as stored, with the
// version the claim gave it.
type activityClaim struct {
	progID, id, version int64
	sent                bool // ahead of the write (Tx.claimAhead), with the audit chain's lock
	stored              nscl.Activity
	found, claimed      bool
}

const claimSQL = `UPDATE activities SET version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND programme_id = ?`

// claim makes claim c: on PostgreSQL with its reads (claimReads), in one
// round trip; on SQLite, the claim and then the reads.
func (tx *Tx) claim(ctx context.Context, c *activityClaim) error {
	if tx.later != nil {
		if err := tx.eachRows(ctx, tx.claimReads(c)...); err != nil {
			return fmt.Errorf("store: unable to claim activity: %w", err)
		}
		c.claimedRead()
		return nil
	}
	res, err := tx.exec(ctx, claimSQL, stampOf(tx.now), c.id, c.version, c.progID)
	if err != nil {
		return fmt.Errorf("store: unable to claim activity: %w", err)
	}
	n, _ := res.RowsAffected()
	c.claimed = n == 1
	c.stored, c.found, err = readActivity(ctx, tx.conn, c.id, activityRowSQL, []any{c.id})
	return err
}

// claimReads are, for a batch on PostgreSQL, c's claim with the read of
// the activity's row in one statement, then the reads of its quantities
// and beneficiaries. The row is read as it was before the claim:
// claimedRead then gives it the new version.
func (tx *Tx) claimReads(c *activityClaim) []batchRead {
	c.stored, c.found, c.claimed = nscl.Activity{ID: c.id}, false, false
	return activityReads(&c.stored, &c.found, `WITH claimed AS (`+claimSQL+` RETURNING id) `+
		activityColumnsSQL+`, EXISTS (SELECT 1 FROM claimed)`+activityByIDSQL,
		[]any{stampOf(tx.now), c.id, c.version, c.progID, c.id}, &c.claimed)
}

// claimedRead gives the activity the version its claim made, once
// claimReads' answers are in.
func (c *activityClaim) claimedRead() {
	if c.claimed {
		c.stored.Version++
	}
}

// refuseHandWrite refuses to write an activity whose row key says the
// portal owns it (nscl.RefuseHandWrite), unless the portal's own code
// writes it (asPortal): whatever the path — form, API, sheet, command
// line, batch, exchange — this is where the rule holds.
func (tx *Tx) refuseHandWrite(refs ...string) error {
	if tx.portal {
		return nil
	}
	return nscl.RefuseHandWrite(refs...)
}

// asPortal runs write as the portal's own: the activities of its
// articles, materials and classes, which only it may write.
func (tx *Tx) asPortal(write func() error) error {
	tx.portal = true
	defer func() { tx.portal = false }()
	return write()
}

// searchText is what the free-text filter of the activity list searches.
func searchText(a *nscl.Activity) string {
	return nscl.SearchKey(a.Description + " " + a.Source + " " + a.Ref)
}

func staleActivity(id int64) error {
	return nscl.Conflict("version", "hoạt động %d đã được người khác sửa sau khi bạn mở; hãy tải lại để xem bản mới", "activity %d was changed by someone else after you opened it; reload to see the new version", id)
}

func (tx *Tx) checkActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if err := tx.checkActivityData(ctx, prog, a); err != nil {
		return err
	}
	return tx.mayWriteActivity(ctx, prog, a.UnitID, a.Date)
}

// checkActivityData checks an activity's fields and that its unit is open
// on its date: what checkActivity asks before whether the user may write it.
func (tx *Tx) checkActivityData(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	a.Normalize()
	if err := nscl.ValidateActivity(a, prog); err != nil {
		return err
	}
	u, ok := tx.checkedUnits[a.UnitID]
	if !ok {
		t, err := tx.knownTree(ctx)
		if err != nil {
			return err
		}
		if t != nil {
			u, ok = t.byID()[a.UnitID]
		}
	}
	if !ok {
		var err error
		if u, err = unitByID(ctx, tx.conn, a.UnitID); err != nil {
			return err
		}
		if tx.checkedUnits == nil {
			tx.checkedUnits = map[int64]nscl.OrgUnit{}
		}
		tx.checkedUnits[a.UnitID] = u
	}
	if !u.OpenOn(a.Date) {
		return nscl.Invalid("unit", "đơn vị %s không còn hoạt động (hoặc chưa thành lập) vào ngày %s", "unit %s was not open on %s", u.Name, a.Date.Format("02/01/2006"))
	}
	return nil
}

// mayWriteActivity refuses a write the acting user may not make: another
// unit's activity for a reporter, any for a viewer or an admin, and an
// activity inside a period a round has locked. Writes with no user behind
// them (the command line, the demo) are an operator's and act as focal staff.
func (tx *Tx) mayWriteActivity(ctx context.Context, prog *nscl.Programme, unitID int64, day time.Time) error {
	user := nscl.User{Role: nscl.RoleFocal}
	if tx.actor != 0 {
		var err error
		if user, err = tx.actorUser(ctx); err != nil {
			return err
		}
	}
	locks, err := tx.unitLocks(ctx, prog.ID, unitID)
	if err != nil {
		return err
	}
	return user.WriteRefusal(unitID, day, locks)
}

// writeRows writes the activity's quantities and beneficiaries: in a
// batch, with the batch's rows; else in one statement for each table, not
// one for each row (on PostgreSQL, each statement is a round trip).
func (tx *Tx) writeRows(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if tx.pending != nil {
		return tx.queueRows(ctx, prog, a)
	}
	tx.pending = map[string]*pendingRows{}
	err := tx.queueRows(ctx, prog, a)
	if err == nil {
		err = tx.flushRows(ctx)
	}
	tx.pending = nil
	return err
}

// queueRows queues the activity's quantities and beneficiaries for the batch.
func (tx *Tx) queueRows(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	for _, q := range a.Quantities {
		m, _ := prog.Metric(q.Metric)
		if err := tx.insertLater(ctx, "activity_quantities", "(activity_id, metric_id, unit_id, year, occurred_on, quantity)",
			a.ID, m.ID, a.UnitID, a.Year(), formatDate(a.Date), q.Value); err != nil {
			return fmt.Errorf("store: unable to write quantity %s: %w", q.Metric, err)
		}
	}
	for _, tc := range a.Beneficiaries {
		if err := tx.insertLater(ctx, "activity_beneficiaries", "(activity_id, tax_code, unit_id, year)", a.ID, tc, a.UnitID, a.Year()); err != nil {
			return fmt.Errorf("store: unable to write beneficiary %s: %w", tc, err)
		}
	}
	return nil
}

// deleteRows deletes an activity's quantities and beneficiaries.
func (tx *Tx) deleteRows(ctx context.Context, id int64) error {
	if err := tx.execLater(ctx, `DELETE FROM activity_quantities WHERE activity_id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to remove quantities: %w", err)
	}
	if err := tx.execLater(ctx, `DELETE FROM activity_beneficiaries WHERE activity_id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to remove beneficiaries: %w", err)
	}
	return nil
}

// totalMove is what one write changes in one kept total.
type totalMove struct {
	key      TotalKey
	metric   nscl.Metric
	progID   int64 // the metric's programme, whose rounds decide the state
	delta    int64 // quantity added (negative: taken away)
	count    int64 // activities added
	listed   int64 // beneficiaries named by activities with a figure
	unlisted int64 // activities with a figure naming none
}

// maxBatchedReach bounds the enterprises reached a batch keeps before
// writing them (about 100 bytes each); a variable so that a test can make
// a small batch write them many times. Each time they are written, the
// years of each enterprise at each ancestor are read: in a national
// database the Ministry's and the provinces' rows of the same enterprises
// come back in every write, so fewer, larger writes read less (5.000
// entries made an import into a 200.000-activity database half as fast).
var maxBatchedReach = 50_000

// reachRowsPerStatement is smaller than rowsPerStatement: on SQLite every
// page a statement changes is copied to its statement journal first, and a
// journal past a few megabytes is handed back to the system page by page
// when the statement ends; 100 enterprises (400 rows of ancestors) stay
// under that.
const reachRowsPerStatement = 100

// reachKey is one enterprise in a kept total: reach_totals counts the
// activities of the unit, metric and year with a figure that name it.
type reachKey struct {
	TotalKey
	taxCode string
}

// moveTotals takes the old version of an activity (nil when created) out
// of the kept totals and puts the updated one (nil when deleted) in, after
// their rows are written. Each total is touched once, in (unit, metric,
// year) order, so that two writers moving activities between the same
// units lock the rows in the same order and cannot deadlock.
func (tx *Tx) moveTotals(ctx context.Context, prog *nscl.Programme, old, updated *nscl.Activity) error {
	if err := tx.moveCounts(ctx, prog, old, updated); err != nil {
		return err
	}
	if tx.noTotals {
		return nil
	}
	moves, reach := map[TotalKey]*totalMove{}, map[reachKey]int64{}
	if tx.batched != nil {
		moves, reach = tx.batched, tx.batchedReach
	}
	add := func(a *nscl.Activity, sign int64) error {
		if a == nil {
			return nil
		}
		state, err := tx.approvalOf(ctx, prog, a.UnitID, a.Date)
		if err != nil {
			return err
		}
		for _, q := range a.Quantities {
			m, ok := prog.Metric(q.Metric)
			if !ok {
				return fmt.Errorf("store: activity %d reports %q, which is not in programme %s", a.ID, q.Metric, prog.Code)
			}
			k := TotalKey{UnitID: a.UnitID, MetricID: m.ID, Year: a.Year(), State: state}
			mv := moves[k]
			if mv == nil {
				mv = &totalMove{key: k, metric: m, progID: prog.ID}
				moves[k] = mv
			}
			mv.delta += sign * q.Value
			mv.count += sign
			if q.Value <= 0 {
				continue // no figure: what it names does not count for the metric
			}
			if len(a.Beneficiaries) == 0 {
				mv.unlisted += sign
			}
			mv.listed += sign * int64(len(a.Beneficiaries))
			for _, tc := range a.Beneficiaries {
				reach[reachKey{k, tc}] += sign
			}
		}
		return nil
	}
	if err := add(old, -1); err != nil {
		return err
	}
	if err := add(updated, 1); err != nil {
		return err
	}
	if tx.batched != nil {
		if len(reach) >= maxBatchedReach {
			// Enterprises reached grow with the file, unlike totals: write
			// them now and then, so an import's memory stays bounded.
			tx.batchedReach = map[reachKey]int64{}
			return tx.applyReach(ctx, reach)
		}
		return nil
	}
	if err := tx.applyMoves(ctx, moves); err != nil {
		return err
	}
	return tx.applyReach(ctx, reach)
}

// moveCounts takes the old version of an activity (nil when created) out
// of the activity counts and puts the updated one (nil when deleted) in:
// at once, or in a batch when it settles. Tx.WithoutTotals leaves them
// moved, as the triggers that kept them before did.
func (tx *Tx) moveCounts(ctx context.Context, prog *nscl.Programme, old, updated *nscl.Activity) error {
	counts := tx.batchedCount
	if counts == nil {
		counts = map[countRow]int64{}
	}
	if old != nil {
		countActivity(counts, prog, old, -1)
	}
	if updated != nil {
		countActivity(counts, prog, updated, 1)
	}
	if tx.batchedCount != nil {
		return nil
	}
	return tx.applyCounts(ctx, counts)
}

// approvalOf is the state the kept totals count the unit's activity of
// day in, from the unit's locks (read once in the transaction).
func (tx *Tx) approvalOf(ctx context.Context, prog *nscl.Programme, unitID int64, day time.Time) (nscl.ApprovalState, error) {
	locks, err := tx.unitLocks(ctx, prog.ID, unitID)
	if err != nil {
		return "", err
	}
	return nscl.ApprovalOf(locks, unitID, day), nil
}

// applyMoves moves each total once, in (unit, metric, year) order, so that
// two writers moving activities between the same units lock the rows in
// the same order and cannot deadlock; then every ancestor's totals in a
// statement. A last-value total is re-read rather than moved, so its
// unit's values are taken out of its ancestors' before and put back after.
func (tx *Tx) applyMoves(ctx context.Context, moves map[TotalKey]*totalMove) error {
	var changed []totalMove
	latest := map[[2]int64]bool{} // unit and metric of the last-value rule
	for _, k := range slices.SortedFunc(maps.Keys(moves), compareKeys) {
		mv := moves[k]
		if *mv == (totalMove{key: mv.key, metric: mv.metric, progID: mv.progID}) && mv.metric.Rule != nscl.RuleLast {
			continue
		}
		changed = append(changed, *mv)
		if mv.metric.Rule == nscl.RuleLast {
			latest[[2]int64{k.UnitID, k.MetricID}] = true
		}
	}
	pairs := slices.SortedFunc(maps.Keys(latest), func(a, b [2]int64) int { return slices.Compare(a[:], b[:]) })
	if err := tx.pushLatest(ctx, pairs, "-"); err != nil {
		return err
	}
	if err := tx.moveUnitTotals(ctx, changed); err != nil {
		return err
	}
	removed := slices.ContainsFunc(changed, func(mv totalMove) bool { return mv.count < 0 })
	if err := tx.moveTreeTotals(ctx, changed); err != nil {
		return err
	}
	if err := tx.pushLatest(ctx, pairs, ""); err != nil {
		return err
	}
	var emptied []string
	if removed {
		emptied = append(emptied, "tree_totals")
	}
	if len(pairs) > 0 {
		emptied = append(emptied, "tree_latest")
	}
	if len(emptied) == 0 {
		return nil
	}
	return tx.dropEmptyTree(ctx, emptied...)
}

// pushLatest takes out of (neg "-") or puts back into the ancestors' rows
// the last-value rows of each unit and metric of pairs: a statement for
// each metric and a few hundred of its units (an import moves thousands).
func (tx *Tx) pushLatest(ctx context.Context, pairs [][2]int64, neg string) error {
	unitsOf := map[int64][]int64{}
	for _, p := range pairs {
		unitsOf[p[1]] = append(unitsOf[p[1]], p[0])
	}
	for _, metric := range slices.Sorted(maps.Keys(unitsOf)) {
		for units := range slices.Chunk(unitsOf[metric], rowsPerStatement) {
			list := `(` + placeholders(len(units)) + `)`
			rows := unitRowsSQL("tree_latest", ` AND t.metric_id = ? AND t.unit_id IN `+list)
			filterArgs := append([]any{metric}, listArgs(units)...)
			args := append(append(slices.Clone(filterArgs), filterArgs...), listArgs(units)...) // the filter is in latestSQL twice
			if err := tx.addTree(ctx, "tree_latest", sumsToAncestors("tree_latest", rows, `SELECT unit_id, ancestor_id FROM unit_ancestors WHERE unit_id IN `+list, neg),
				args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveTreeTotals adds the moves to the totals of every ancestor of their
// units, a few hundred moves to a statement. (The total of a last-value
// metric, which tree_latest keeps, stays 0.)
func (tx *Tx) moveTreeTotals(ctx context.Context, moves []totalMove) error {
	for chunk := range slices.Chunk(moves, rowsPerStatement) {
		values := moveValues(chunk)
		rows := `SELECT column1 AS unit_id, column2 AS metric_id, column3 AS year, column4 AS state, column5 AS total,
			column6 AS activities, column7 AS listed, column8 AS unlisted FROM (VALUES ` + valueRows(len(chunk), "BIGINT", "BIGINT", "INTEGER", "TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT") + `) v`
		if err := tx.addTree(ctx, "tree_totals", sumsToAncestors("tree_totals", rows, `SELECT unit_id, ancestor_id FROM unit_ancestors`, ""), values...); err != nil {
			return err
		}
	}
	return nil
}

// valueRows is the placeholders of n rows of a VALUES list whose columns
// have the types given: the first row says them, for PostgreSQL, which
// would otherwise take a parameter of a VALUES list for text.
func valueRows(n int, types ...string) string {
	first := make([]string, len(types))
	for i, t := range types {
		first[i] = "CAST(? AS " + t + ")"
	}
	row := "(" + placeholders(len(types)) + ")"
	return "(" + strings.Join(first, ", ") + ")" + strings.Repeat(", "+row, n-1)
}

// applyReach moves the count of each enterprise reached, of the units and
// of their ancestors, a few hundred to a statement; a row no activity
// counts in any more is removed.
func (tx *Tx) applyReach(ctx context.Context, reach map[reachKey]int64) error {
	keys := slices.SortedFunc(maps.Keys(reach), compareReachKeys)
	keys = slices.DeleteFunc(keys, func(k reachKey) bool { return reach[k] == 0 })
	if tx.dialect == postgres {
		// The server works the enterprises' years out in the statement
		// that moves their counts: read here, they were a round trip of
		// every write with beneficiaries.
		return tx.moveReach(ctx, keys, reach, true)
	}
	groups, ancestors, err := tx.groupsAtAncestors(ctx, keys)
	if err != nil {
		return err
	}
	// The years of each enterprise at each ancestor are read before the
	// move only: after it, they are those counts moved by reach at every
	// ancestor, as moveReach adds them (reading them again was a tenth of
	// an import's time in a national database).
	before, err := tx.reachCounts(ctx, groups)
	if err != nil {
		return err
	}
	after := make(map[reachGroup]yearCounts, len(groups))
	for g, counts := range before {
		after[g] = slices.Clone(counts)
	}
	for _, k := range keys {
		ys := yearState{k.Year, k.State == nscl.StateApproved}
		for _, a := range ancestors[k.UnitID] {
			g := reachGroup{a, k.MetricID, k.taxCode}
			after[g] = after[g].add(ys, reach[k])
		}
	}
	if err := tx.moveReach(ctx, keys, reach, false); err != nil {
		return err
	}
	return tx.moveReachYears(ctx, yearMoves(groups, before, after))
}

// moveReach moves the count of each enterprise of keys by reach, of the
// units and of their ancestors; with withYears (PostgreSQL), the rows of
// tree_reach_years too, worked out by the server (reachYearsMovedSQL).
func (tx *Tx) moveReach(ctx context.Context, keys []reachKey, reach map[reachKey]int64, withYears bool) error {
	var ancestors map[int64][]int64
	if withYears {
		var err error
		if ancestors, err = tx.ancestorsOf(ctx, keys); err != nil {
			return err
		}
	}
	removed := false
	for chunk := range slices.Chunk(keys, reachRowsPerStatement) {
		values := make([]any, 0, 6*len(chunk))
		for _, k := range chunk {
			values = append(values, k.UnitID, k.MetricID, k.Year, string(k.State), k.taxCode, reach[k])
			removed = removed || reach[k] < 0
		}
		list := valueRows(len(chunk), "BIGINT", "BIGINT", "INTEGER", "TEXT", "TEXT", "BIGINT")
		if err := tx.execLater(ctx, `INSERT INTO reach_totals (unit_id, metric_id, year, state, tax_code, activities) VALUES `+list+`
			ON CONFLICT (unit_id, metric_id, year, state, tax_code) DO UPDATE SET activities = reach_totals.activities + excluded.activities`, values...); err != nil {
			return fmt.Errorf("store: unable to update enterprises reached: %w", err)
		}
		var err error
		if withYears {
			err = tx.moveTreeReach(ctx, chunk, reach, ancestors)
		} else {
			rows := `SELECT column1 AS unit_id, column2 AS metric_id, column3 AS year, column4 AS state, column5 AS tax_code, column6 AS activities FROM (VALUES ` + list + `) v`
			err = tx.addTree(ctx, "tree_reach", sumsToAncestors("tree_reach", rows, `SELECT unit_id, ancestor_id FROM unit_ancestors`, ""), values...)
		}
		if err != nil {
			return err
		}
	}
	if withYears && len(keys) > 0 {
		// A year reached between two others takes a link away: any move
		// may leave a row that counts no enterprise.
		if err := tx.execLater(ctx, `DELETE FROM tree_reach_years WHERE enterprises = 0`); err != nil {
			return fmt.Errorf("store: unable to keep the enterprises' years: %w", err)
		}
	}
	if !removed {
		return nil
	}
	if err := tx.execLater(ctx, `DELETE FROM reach_totals WHERE activities = 0`); err != nil {
		return fmt.Errorf("store: unable to update enterprises reached: %w", err)
	}
	return tx.dropEmptyTree(ctx, "tree_reach")
}

// moveTreeReach moves the rows of tree_reach of the keys' units'
// ancestors (the units included, as ancestors gives them) by the keys'
// moves, and tree_reach_years with them, in one statement in which the
// server works the enterprises' years out (reachYearsMovedSQL).
func (tx *Tx) moveTreeReach(ctx context.Context, keys []reachKey, reach map[reachKey]int64, ancestors map[int64][]int64) error {
	moves := map[reachKey]int64{}
	for _, k := range keys {
		for _, a := range ancestors[k.UnitID] {
			at := k
			at.UnitID = a
			moves[at] += reach[k]
		}
	}
	values := make([]any, 0, 6*len(moves))
	for _, k := range slices.SortedFunc(maps.Keys(moves), compareReachKeys) {
		if moves[k] != 0 { // an enterprise moved between two units below the ancestor
			values = append(values, k.UnitID, k.MetricID, k.Year, string(k.State), k.taxCode, moves[k])
		}
	}
	if len(values) == 0 {
		return nil
	}
	list := valueRows(len(values)/6, "BIGINT", "BIGINT", "INTEGER", "TEXT", "TEXT", "BIGINT")
	if err := tx.execLater(ctx, reachYearsMovedSQL(list), values...); err != nil {
		return fmt.Errorf("store: unable to keep the enterprises' years: %w", err)
	}
	return nil
}

// compareReachKeys orders the enterprises reached as their kept rows are.
func compareReachKeys(a, b reachKey) int {
	if c := compareKeys(a.TotalKey, b.TotalKey); c != 0 {
		return c
	}
	return strings.Compare(a.taxCode, b.taxCode)
}

// moveValues are the moves as rows of (unit, metric, year, state, total,
// activities, listed, unlisted). The total of a last-value metric, which
// is re-read rather than moved, is 0.
func moveValues(moves []totalMove) []any {
	values := make([]any, 0, 8*len(moves))
	for _, mv := range moves {
		delta := mv.delta
		if mv.metric.Rule == nscl.RuleLast {
			delta = 0
		}
		values = append(values, mv.key.UnitID, mv.key.MetricID, mv.key.Year, string(mv.key.State), delta, mv.count, mv.listed, mv.unlisted)
	}
	return values
}

// moveUnitTotals adds the moves to the kept totals of their unit, metric,
// year and approval state, a few hundred to a statement, in the order
// given. A last-value total is instead re-read as the unit's latest value
// in that state, through an index. A row no activity counts in any more
// is removed.
func (tx *Tx) moveUnitTotals(ctx context.Context, moves []totalMove) error {
	for chunk := range slices.Chunk(moves, rowsPerStatement) {
		values := moveValues(chunk)
		if err := tx.execLater(ctx, `INSERT INTO unit_totals (unit_id, metric_id, year, state, total, activities, listed, unlisted) VALUES `+
			rowPlaceholders(len(chunk), 8)+`
			ON CONFLICT (unit_id, metric_id, year, state) DO UPDATE SET total = unit_totals.total + excluded.total, activities = unit_totals.activities + excluded.activities,
				listed = unit_totals.listed + excluded.listed, unlisted = unit_totals.unlisted + excluded.unlisted`, values...); err != nil {
			return fmt.Errorf("store: unable to update totals: %w", err)
		}
	}
	for _, mv := range moves {
		k := mv.key
		if mv.metric.Rule == nscl.RuleLast {
			if err := tx.rereadLatest(ctx, mv.progID, k); err != nil {
				return err
			}
		}
		if mv.count < 0 {
			if err := tx.execLater(ctx, `DELETE FROM unit_totals WHERE unit_id = ? AND metric_id = ? AND year = ? AND state = ? AND activities = 0`,
				k.UnitID, k.MetricID, k.Year, string(k.State)); err != nil {
				return fmt.Errorf("store: unable to update totals: %w", err)
			}
		}
	}
	return nil
}

// rereadLatest sets a last-value total to the latest value of the unit's
// activities in the total's year and state, with its date, in one
// statement (on PostgreSQL, one round trip), reading the rows newest first
// through an index. Each row's state is asked of the unit's submissions
// only when an approved one covers part of the year: otherwise every
// activity of the year is pending, and the statement stays as short to
// parse as it was before the states.
func (tx *Tx) rereadLatest(ctx context.Context, progID int64, k TotalKey) error {
	locks, err := tx.unitLocks(ctx, progID, k.UnitID)
	if err != nil {
		return err
	}
	filter, args := "", []any{k.MetricID, k.UnitID, k.Year}
	switch {
	case approvedInYear(locks, k.UnitID, k.Year):
		filter = " AND " + approvedSQL("q.unit_id", "q.occurred_on", "?")
		if k.State != nscl.StateApproved {
			filter = " AND NOT " + approvedSQL("q.unit_id", "q.occurred_on", "?")
		}
		args = append(args, progID)
	case k.State == nscl.StateApproved:
		filter = " AND 1 = 0" // nothing of the year is approved
	}
	latest := ` FROM activity_quantities q WHERE q.metric_id = ? AND q.unit_id = ? AND q.year = ?` + filter + ` ORDER BY q.occurred_on DESC, q.activity_id DESC LIMIT 1)`
	if err := tx.execLater(ctx, `UPDATE unit_totals SET total = COALESCE((SELECT q.quantity`+latest+`, 0), latest_on = (SELECT q.occurred_on`+latest+`
		WHERE unit_id = ? AND metric_id = ? AND year = ? AND state = ?`, append(append(args, args...), k.UnitID, k.MetricID, k.Year, string(k.State))...); err != nil {
		return fmt.Errorf("store: unable to update latest value: %w", err)
	}
	return nil
}

// approvedInYear says whether an approved submission of the unit covers
// some day of year.
func approvedInYear(locks []nscl.PeriodLock, unitID int64, year int) bool {
	for _, l := range locks {
		if l.Submission.UnitID == unitID && l.Submission.Status == nscl.StatusApproved && l.Start.Year() <= year && year <= l.End.Year() {
			return true
		}
	}
	return false
}

// Activity returns an activity with its quantities and beneficiaries, or ENOTFOUND.
func (s *Store) Activity(ctx context.Context, id int64) (nscl.Activity, error) {
	return activityByID(ctx, s.reader(), id)
}

func activityByID(ctx context.Context, c conn, id int64) (nscl.Activity, error) {
	a, found, err := readActivity(ctx, c, id, activityRowSQL, []any{id})
	if err == nil && !found {
		err = nscl.NotFound("id", "không có hoạt động số %d", "no activity with id %d", id)
	}
	return a, err
}

// activityRowSQL reads an activity's row by its ID: readActivity's
// columns (activityColumnsSQL), then the row by ID (activityByIDSQL).
const (
	activityColumnsSQL = `SELECT a.programme_id, a.unit_id, a.occurred_on, g.letter, a.kind, a.description, a.not_in_footnote, a.source, a.ref, a.version`
	activityByIDSQL    = ` FROM activities a JOIN task_groups g ON g.id = a.task_group_id WHERE a.id = ?`
	activityRowSQL     = activityColumnsSQL + activityByIDSQL
)

// readActivity reads activity id with its quantities and beneficiaries
// (on PostgreSQL in a write transaction, in one round trip): its row from
// query, which selects activityColumnsSQL and then the columns extra
// scans; found says there was one.
func readActivity(ctx context.Context, c conn, id int64, query string, args []any, extra ...any) (a nscl.Activity, found bool, err error) {
	a = nscl.Activity{ID: id}
	if err := c.eachRows(ctx, activityReads(&a, &found, query, args, extra...)...); err != nil {
		return a, false, fmt.Errorf("store: unable to read activity: %w", err)
	}
	return a, found, nil
}

// activityReads are readActivity's reads into a (whose ID is set), for a
// batch of their own or one sent with other reads.
func activityReads(a *nscl.Activity, found *bool, query string, args []any, extra ...any) []batchRead {
	return []batchRead{
		{query, args, func(scan func(...any) error) error {
			*found = true
			var kind string
			err := scan(append([]any{&a.ProgrammeID, &a.UnitID, dateValue{&a.Date}, &a.TaskGroup, &kind, &a.Description, &a.NotInFootnote,
				&a.Source, &a.Ref, &a.Version}, extra...)...)
			a.Kind = nscl.ActivityKind(kind)
			return err
		}},
		{`SELECT m.code, q.quantity FROM activity_quantities q JOIN metrics m ON m.id = q.metric_id WHERE q.activity_id = ? ORDER BY m.position`,
			[]any{a.ID}, func(scan func(...any) error) error {
				var q nscl.Quantity
				err := scan(&q.Metric, &q.Value)
				a.Quantities = append(a.Quantities, q)
				return err
			}},
		{`SELECT tax_code FROM activity_beneficiaries WHERE activity_id = ? ORDER BY tax_code`,
			[]any{a.ID}, func(scan func(...any) error) error {
				var tc string
				err := scan(&tc)
				a.Beneficiaries = append(a.Beneficiaries, tc)
				return err
			}},
	}
}

// CreateActivity stores one activity in its own transaction. a is filled
// in (ID, version, normalised text) only when the write is committed.
func (s *Store) CreateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	return s.updateActivityCopy(ctx, a, nil, func(tx *Tx, attempt *nscl.Activity) error { return tx.CreateActivity(ctx, prog, attempt) })
}

// UpdateActivity changes one activity in its own transaction; a gets the
// new version only when the write is committed.
func (s *Store) UpdateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	return s.updateActivityCopy(ctx, a, claimOf(prog, a.ID, a.Version), func(tx *Tx, attempt *nscl.Activity) error { return tx.UpdateActivity(ctx, prog, attempt) })
}

// SaveActivity creates (ID 0) or updates an activity in its own
// transaction and, with addTaxCodes, puts the beneficiaries' tax codes the
// registry lacks into it in the same transaction: a form's "add them on
// the spot" either happens with the activity or not at all.
func (s *Store) SaveActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity, addTaxCodes bool) error {
	return s.updateActivityCopy(ctx, a, claimOf(prog, a.ID, a.Version), func(tx *Tx, attempt *nscl.Activity) error {
		var err error
		if attempt.ID == 0 {
			err = tx.CreateActivity(ctx, prog, attempt)
		} else {
			err = tx.UpdateActivity(ctx, prog, attempt)
		}
		if err == nil && addTaxCodes {
			_, err = tx.AddTaxCodes(ctx, attempt.Beneficiaries)
		}
		return err
	})
}

// updateActivityCopy runs write on a fresh copy of a for each attempt of
// the transaction: a retried attempt must start from what the caller gave,
// not from what a failed attempt left behind.
func (s *Store) updateActivityCopy(ctx context.Context, a *nscl.Activity, claim *activityClaim, write func(tx *Tx, attempt *nscl.Activity) error) error {
	var done nscl.Activity
	err := s.updateGrouped(ctx, claim, func(tx *Tx) error {
		attempt := *a
		attempt.Quantities = slices.Clone(a.Quantities)
		attempt.Beneficiaries = slices.Clone(a.Beneficiaries)
		if err := write(tx, &attempt); err != nil {
			return err
		}
		done = attempt
		return nil
	})
	if err == nil {
		*a = done
	}
	return err
}

// DeleteActivity deletes one activity in its own transaction.
func (s *Store) DeleteActivity(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	return s.updateGrouped(ctx, claimOf(prog, id, version), func(tx *Tx) error { return tx.DeleteActivity(ctx, prog, id, version) })
}

// claimOf is the claim of activity id at version that an update or a
// delete of it makes first; nil for a new activity (id 0).
func claimOf(prog *nscl.Programme, id, version int64) *activityClaim {
	if id == 0 {
		return nil
	}
	return &activityClaim{progID: prog.ID, id: id, version: version}
}

// LatestActivityYear returns the most recent year for which the programme
// has reported figures, or 0 when there is none.
func (s *Store) LatestActivityYear(ctx context.Context, prog *nscl.Programme) (int, error) {
	// Read from the kept totals rather than every activity: each metric's
	// last year is the end of its range of the (metric, year) index, one
	// look-up, where the nation's totals hold half a million rows.
	var year sql.NullInt64
	if err := s.reader().queryRow(ctx, `SELECT MAX(y) FROM (SELECT (SELECT MAX(t.year) FROM unit_totals t WHERE t.metric_id = m.id) AS y
		FROM metrics m WHERE m.programme_id = ?) last`, prog.ID).Scan(&year); err != nil {
		return 0, fmt.Errorf("store: unable to read latest year: %w", err)
	}
	return int(year.Int64), nil
}

// ActivityFilter narrows the activity list; zero values match everything.
type ActivityFilter struct {
	UnitID    int64   // this unit only
	UnderUnit int64   // this unit and every unit under it
	Units     []int64 // one of these units, as Store.Counted gives them; none when empty
	Year      int
	TaskGroup string
	Kind      nscl.ActivityKind
	From, To  time.Time // dates, inclusive; zero for no bound
	Text      string    // words that must all appear, compared without case or diacritics
	Approved  bool      // only those an approved submission covers
	Oldest    bool      // oldest first (the report's footnote order); newest first by default
	Limit     int       // at most 200; 50 when zero
	// After is the Next of the page before: the list goes on from there,
	// at the same cost however deep it is.
	After  string
	Offset int // rows to skip, at most MaxActivityOffset; deeper pages go by After

	// How a page of a subtree's activities is read (Store.narrowSubtree):
	// its units' own rows (Units then lists them), or the list's index
	// walked in its order.
	ownRows, walk bool
}

// MaxActivityOffset bounds ActivityFilter.Offset: the database reads every
// row it skips, so a deep offset would hold a reader for as long as the
// list is long, while a cursor (After) starts where the last page ended.
const MaxActivityOffset = 1000

// checkOffset refuses an offset beyond MaxActivityOffset, in any list,
// naming the cursor (vi, en) that reads further at the same cost.
func checkOffset(offset int, vi, en string) error {
	if offset < 0 || offset > MaxActivityOffset {
		return &nscl.Error{Code: nscl.EINVALID, Field: "offset",
			Message: fmt.Sprintf("offset phải từ 0 đến %d; để đọc sâu hơn, hãy truyền %s", MaxActivityOffset, vi),
			English: fmt.Sprintf("offset must be between 0 and %d; to read further, pass %s", MaxActivityOffset, en)}
	}
	return nil
}

// check refuses a filter whose offset is too deep or whose search is over
// nscl.SearchWords's bounds, before any query.
func (f ActivityFilter) check() error {
	if err := checkOffset(f.Offset, "after=<giá trị next của trang trước>", "after=<the next value of the previous page>"); err != nil {
		return err
	}
	_, err := nscl.SearchWords("q", f.Text)
	return err
}

// ActivityPage is one page of the activity list.
type ActivityPage struct {
	Activities []nscl.Activity // with their quantities and beneficiaries
	// Next is the cursor of the page after this one, for ActivityFilter.After;
	// empty on the last page. Whether there is more is learnt by reading
	// one row beyond the page, not by counting them all.
	Next string
}

// Activities lists the programme's activities matching f, newest first, a
// page at a time. Returns EINVALID for an offset beyond MaxActivityOffset
// or a cursor that is not one Next gave.
func (s *Store) Activities(ctx context.Context, prog *nscl.Programme, f ActivityFilter) (page ActivityPage, err error) {
	if err := f.check(); err != nil {
		return page, err
	}
	if f.UnderUnit != 0 {
		if f, err = s.narrowSubtree(ctx, prog, f); err != nil {
			return page, err
		}
	}
	prefix, where, args := f.sql(prog)
	order, past := listOrder, pastCursor
	if f.Oldest {
		order, past = listOrderOldest, beforeCursor
	}
	if f.After != "" {
		after, err := parseCursor(f.After)
		if err != nil {
			return page, err
		}
		where += ` AND ` + past
		args = append(args, after.args()...)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	c := s.lister()
	acts, err := listActivities(ctx, c, prefix, f.from(c), where+order+` LIMIT ? OFFSET ?`, append(args, f.Limit+1, f.Offset))
	if err != nil {
		return page, err
	}
	if len(acts) > f.Limit {
		acts = acts[:f.Limit]
		page.Next = CursorAfter(acts[len(acts)-1])
	}
	page.Activities = acts
	return page, nil
}

// CountActivities counts the activities matching f (its Limit, After and
// Offset are ignored). Its cost grows with what it counts: for a bounded
// set, such as one unit's activities of a round's period, not for pages.
func (s *Store) CountActivities(ctx context.Context, prog *nscl.Programme, f ActivityFilter) (int, error) {
	if _, err := nscl.SearchWords("q", f.Text); err != nil {
		return 0, err
	}
	prefix, where, args := f.sql(prog)
	var n int
	c := s.reader()
	if err := c.queryRow(ctx, prefix+`SELECT COUNT(*)`+f.from(c)+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count activities: %w", err)
	}
	return n, nil
}

// EachActivity calls fn for every activity the filter selects, newest
// first unless it asks for the oldest (its Limit, After and Offset are
// ignored), a page at a time, so
// that an export of many activities does not hold them all. Each page
// starts where the last ended, so that a long export does not read ever
// more rows to skip.
func (s *Store) EachActivity(ctx context.Context, prog *nscl.Programme, f ActivityFilter, fn func(nscl.Activity) error) error {
	const page = 500
	if _, err := nscl.SearchWords("q", f.Text); err != nil {
		return err
	}
	if f.UnderUnit != 0 {
		f.Limit = page
		var err error
		if f, err = s.narrowSubtree(ctx, prog, f); err != nil {
			return err
		}
	}
	prefix, where, args := f.sql(prog)
	order, past := listOrder, pastCursor
	if f.Oldest {
		order, past = listOrderOldest, beforeCursor
	}
	c := s.reader()
	var last *cursor
	for {
		w, a := where, args
		if last != nil {
			w += ` AND ` + past
			a = append(slices.Clone(args), last.args()...)
		}
		acts, err := listActivities(ctx, c, prefix, f.from(c), w+order+` LIMIT ?`, append(a, page))
		if err != nil {
			return err
		}
		for _, a := range acts {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(acts) < page {
			return nil
		}
		next := cursorOf(acts[len(acts)-1])
		last = &next
	}
}

// ActivityMetrics lists the codes of the metrics of which the activities
// the filter selects report a quantity (its Limit, After and Offset are
// ignored; UnderUnit is not taken): the columns of a list that is then
// read a page at a time (EachActivity), found in one statement rather
// than by reading the list twice.
func (s *Store) ActivityMetrics(ctx context.Context, prog *nscl.Programme, f ActivityFilter) ([]string, error) {
	if f.UnderUnit != 0 {
		return nil, fmt.Errorf("store: ActivityMetrics takes Units, not UnderUnit")
	}
	if _, err := nscl.SearchWords("q", f.Text); err != nil {
		return nil, err
	}
	prefix, where, args := f.sql(prog)
	c := s.reader()
	rows, err := c.query(ctx, prefix+`SELECT m.code FROM metrics m WHERE m.id IN (
		SELECT q.metric_id FROM activity_quantities q WHERE q.activity_id IN (SELECT a.id`+f.from(c)+where+`)) ORDER BY m.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the metrics of activities: %w", err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("store: unable to list the metrics of activities: %w", err)
		}
		codes = append(codes, code)
	}
	return codes, rows.Err()
}

// cursor is a place in the activity list: the sort key (date, id) of the
// last activity of a page.
type cursor struct {
	date time.Time
	id   int64
}

func cursorOf(a nscl.Activity) cursor { return cursor{a.Date, a.ID} }

// CursorAfter is the cursor (for ActivityFilter.After) of a page that
// ends with a: the list goes on with the activity after it.
func CursorAfter(a nscl.Activity) string { return cursorOf(a).String() }

// String is the cursor as clients pass it back: opaque, so that they do
// not build their own, and safe in a URL as it is.
func (c cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.date.Format(dateLayout) + "." + strconv.FormatInt(c.id, 10)))
}

func parseCursor(s string) (cursor, error) {
	bad := nscl.Invalid("after", "after=%q không phải là con trỏ trang; hãy dùng giá trị next của trang trước", "after=%q is not a page cursor; pass the next value of the previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	date, id, ok := strings.Cut(string(raw), ".")
	var c cursor
	if c.date, err = time.Parse(dateLayout, date); !ok || err != nil {
		return cursor{}, bad
	}
	if c.id, err = strconv.ParseInt(id, 10, 64); err != nil || c.id <= 0 {
		return cursor{}, bad
	}
	return c, nil
}

// pastCursor selects the activities that come after a cursor in the
// list's order (date, then id, both descending), given cursor.args; the
// row comparison lets the index on the list's order start right there.
const pastCursor = `(a.occurred_on, a.id) < (?, ?)`

// beforeCursor is pastCursor for the list oldest first.
const beforeCursor = `(a.occurred_on, a.id) > (?, ?)`

func (c cursor) args() []any { return []any{formatDate(c.date), c.id} }

const activityFrom = ` FROM activities a JOIN task_groups g ON g.id = a.task_group_id`

// from is activityFrom for the filter on c's engine, naming on SQLite the
// index that reads the fewest rows. Without statistics (nothing runs
// ANALYZE) SQLite reads one unit's activities of a period through the
// programme's list index as soon as the dates are bounded, walking every
// unit's rows of the period to find the unit's (half a second for one
// unit's year among a million activities), and a group's through the
// programme's index too. PostgreSQL's statistics see the unit's few rows.
func (f ActivityFilter) from(c conn) string {
	switch {
	case c.dialect == postgres:
		return activityFrom
	case f.UnitID != 0 || f.ownRows:
		return unitIndexedFrom
	case f.TaskGroup != "" && (f.walk || f.UnderUnit == 0 && f.Units == nil):
		return groupIndexedFrom
	case f.walk:
		return programmeIndexedFrom
	}
	return activityFrom
}

const (
	unitIndexedFrom      = ` FROM activities a INDEXED BY activities_unit_list JOIN task_groups g ON g.id = a.task_group_id`
	groupIndexedFrom     = ` FROM activities a INDEXED BY activities_group_list JOIN task_groups g ON g.id = a.task_group_id`
	programmeIndexedFrom = ` FROM activities a INDEXED BY activities_programme_list JOIN task_groups g ON g.id = a.task_group_id`
)

// narrowSubtree chooses how a page of a subtree's activities (f.UnderUnit)
// is read. Left to themselves, SQLite reads the whole programme through the
// group index, which holds the unit, and sorts it, and PostgreSQL walks
// the list's index through every unit's rows of the period, however few
// the subtree holds. Either the subtree's own rows are read unit by unit
// and sorted, as many as it holds in the period (its units are then listed,
// which both engines read through the unit's index), or the list's index
// is walked in its order until a page of the subtree's has passed: about a
// page times the programme's rows for each of the subtree's. The first for
// a small subtree, the second for a large one; at worst, where they meet,
// the square root of a page times the programme's rows (some 23.000 rows
// at 10 million). How many each holds comes from the counts kept per
// ancestor (migration 00024).
func (s *Store) narrowSubtree(ctx context.Context, prog *nscl.Programme, f ActivityFilter) (ActivityFilter, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return f, err
	}
	var roots []int64
	for _, u := range t.units {
		if u.ParentID == 0 {
			roots = append(roots, u.ID)
		}
	}
	first, last := prog.StartYear, prog.EndYear
	if f.Year != 0 {
		first, last = f.Year, f.Year
	}
	if !f.From.IsZero() {
		first = max(first, f.From.Year())
	}
	if !f.To.IsZero() {
		last = min(last, f.To.Year())
	}
	var subtree, all int64
	err = s.reader().queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN ancestor_id = ? THEN activities END), 0), COALESCE(SUM(CASE WHEN ancestor_id <> ? THEN activities END), 0)
		FROM tree_activity_counts WHERE ancestor_id IN (`+placeholders(len(roots)+1)+`) AND programme_id = ? AND year BETWEEN ? AND ?`,
		slices.Concat([]any{f.UnderUnit, f.UnderUnit, f.UnderUnit}, listArgs(roots), []any{prog.ID, first, last})...).Scan(&subtree, &all)
	if err != nil {
		return f, fmt.Errorf("store: unable to count a subtree's activities: %w", err)
	}
	if slices.Contains(roots, f.UnderUnit) {
		all += subtree
	}
	if page := int64(pageLimit(f.Limit) + 1); subtree*subtree > page*all {
		f.walk = true
		return f, nil
	}
	f.Units, f.UnderUnit, f.ownRows = t.under(f.UnderUnit), 0, true
	return f, nil
}

// listOrder is the activity list's order, newest first; the indexes of
// migration 00012 hold it.
const listOrder = ` ORDER BY a.occurred_on DESC, a.id DESC`

// listOrderOldest is the list's order oldest first, the same indexes read backwards.
const listOrderOldest = ` ORDER BY a.occurred_on, a.id`

// sql is the filter as a query's WHERE clause over activityFrom, with the
// common table expression it needs first.
func (f ActivityFilter) sql(prog *nscl.Programme) (prefix, where string, args []any) {
	where = ` WHERE a.programme_id = ?`
	args = []any{prog.ID}
	if f.UnitID != 0 {
		where += ` AND a.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if f.UnderUnit != 0 {
		// The subtree as unit_ancestors keeps it: one range of its index,
		// where a recursive walk of org_units would step unit by unit.
		where += ` AND a.unit_id IN (SELECT unit_id FROM unit_ancestors WHERE ancestor_id = ?)`
		args = append(args, f.UnderUnit)
	}
	if f.Units != nil {
		if f.UnderUnit != 0 {
			panic("store: an activity filter takes UnderUnit or Units, not both")
		}
		var ids []any
		prefix, ids = unitSetCTE(f.Units)
		where += ` AND a.unit_id IN (SELECT id FROM subtree)`
		args = append(ids, args...)
	}
	if f.Year != 0 {
		// The year as a range of dates, which the indexes on the list's
		// order (unit or programme, date, id) can start and stop at.
		where += ` AND a.occurred_on >= ? AND a.occurred_on <= ?`
		args = append(args, fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-12-31", f.Year))
	}
	if f.TaskGroup != "" {
		// The group's id, so that the index on (programme, group, date, id)
		// of migration 00020 starts at the group.
		where += ` AND a.task_group_id = (SELECT id FROM task_groups WHERE programme_id = ? AND letter = ?)`
		args = append(args, prog.ID, nscl.NormalizeText(f.TaskGroup))
	}
	if f.Kind != "" {
		where += ` AND a.kind = ?`
		args = append(args, string(f.Kind))
	}
	if !f.From.IsZero() {
		where += ` AND a.occurred_on >= ?`
		args = append(args, formatDate(f.From))
	}
	if !f.To.IsZero() {
		where += ` AND a.occurred_on <= ?`
		args = append(args, formatDate(f.To))
	}
	if f.Approved {
		where += ` AND ` + approvedSQL("a.unit_id", "a.occurred_on", "a.programme_id")
	}
	words, _ := nscl.SearchWords("q", f.Text) // checked before (check)
	for _, word := range words {
		where += ` AND a.search_text LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(word)+"%")
	}
	return prefix, where, args
}

// listActivities reads the activities a query's tail (WHERE … ORDER BY …
// LIMIT …) selects, with their quantities and beneficiaries.
func listActivities(ctx context.Context, c conn, prefix, from, tail string, args []any) ([]nscl.Activity, error) {
	rows, err := c.query(ctx, prefix+`SELECT `+activityColumns+
		from+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list activities: %w", err)
	}
	return scanActivities(ctx, c, rows)
}

// activityColumns are the columns scanActivities reads.
const activityColumns = `a.id, a.programme_id, a.unit_id, a.occurred_on, g.letter, a.kind, a.description, a.not_in_footnote, a.source, a.ref, a.version`

// scanActivities reads rows of activityColumns, then
// the activities' quantities and beneficiaries.
func scanActivities(ctx context.Context, c conn, rows *sql.Rows) ([]nscl.Activity, error) {
	defer rows.Close()
	var acts []nscl.Activity
	for rows.Next() {
		var a nscl.Activity
		var kind string
		if err := rows.Scan(&a.ID, &a.ProgrammeID, &a.UnitID, dateValue{&a.Date}, &a.TaskGroup, &kind, &a.Description, &a.NotInFootnote, &a.Source, &a.Ref, &a.Version); err != nil {
			return nil, err
		}
		a.Kind = nscl.ActivityKind(kind)
		acts = append(acts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return acts, activityDetails(ctx, c, acts)
}

// activityDetails reads the quantities and beneficiaries of a page of
// activities in two queries. The IDs are integers read from the
// database, so they are safe to write into the query.
func activityDetails(ctx context.Context, c conn, acts []nscl.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	index := map[int64]int{}
	ids := make([]string, len(acts))
	for i, a := range acts {
		index[a.ID] = i
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	in := strings.Join(ids, ",")
	qrows, err := c.query(ctx, `SELECT q.activity_id, m.code, q.quantity FROM activity_quantities q JOIN metrics m ON m.id = q.metric_id
		WHERE q.activity_id IN (`+in+`) ORDER BY q.activity_id, m.position`)
	if err != nil {
		return fmt.Errorf("store: unable to list quantities: %w", err)
	}
	defer qrows.Close()
	for qrows.Next() {
		var id int64
		var q nscl.Quantity
		if err := qrows.Scan(&id, &q.Metric, &q.Value); err != nil {
			return err
		}
		a := &acts[index[id]]
		a.Quantities = append(a.Quantities, q)
	}
	if err := qrows.Err(); err != nil {
		return err
	}
	brows, err := c.query(ctx, `SELECT activity_id, tax_code FROM activity_beneficiaries WHERE activity_id IN (`+in+`) ORDER BY activity_id, tax_code`)
	if err != nil {
		return fmt.Errorf("store: unable to list beneficiaries: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var id int64
		var tc string
		if err := brows.Scan(&id, &tc); err != nil {
			return err
		}
		a := &acts[index[id]]
		a.Beneficiaries = append(a.Beneficiaries, tc)
	}
	return brows.Err()
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
