package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"nscl"
)

// CreateActivity checks and stores an activity with its quantities and
// beneficiaries, adds it to the kept totals, and sets its ID and version.
// Returns EINVALID for bad input (naming the field), ENOTFOUND for an
// unknown unit, and ECONFLICT when its Ref is already used.
func (tx *Tx) CreateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if err := tx.checkActivity(ctx, prog, a); err != nil {
		return err
	}
	group, _ := prog.TaskGroup(a.TaskGroup)
	stamp := tx.now.Format(time.RFC3339Nano)
	id, err := tx.insert(ctx, `INSERT INTO activities (programme_id, unit_id, task_group_id, kind, occurred_on, year, description, source, ref, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		prog.ID, a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.Source, a.Ref, stamp, stamp)
	if isUniqueViolation(err) {
		return nscl.Conflict("ref", "mã dòng %q đã được dùng cho một hoạt động khác", "row key %q is already used by another activity", a.Ref)
	}
	if err != nil {
		return fmt.Errorf("store: unable to create activity: %w", err)
	}
	a.ID, a.ProgrammeID, a.Version = id, prog.ID, 1
	if err := tx.addContribution(ctx, prog, a); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "activity", a.ID, nil, a)
}

// UpdateActivity replaces a stored activity with a, provided a.Version is
// still the stored version, and moves its contribution in the kept totals.
// Returns ENOTFOUND when it does not exist and ECONFLICT when someone else
// changed it since a.Version was read.
func (tx *Tx) UpdateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	if err := tx.checkActivity(ctx, prog, a); err != nil {
		return err
	}
	old, err := tx.claimActivity(ctx, a.ID, a.Version)
	if err != nil {
		return err
	}
	group, _ := prog.TaskGroup(a.TaskGroup)
	_, err = tx.exec(ctx, `UPDATE activities SET unit_id = ?, task_group_id = ?, kind = ?, occurred_on = ?, year = ?, description = ?, source = ?, ref = ?
		WHERE id = ?`,
		a.UnitID, group.ID, string(a.Kind), formatDate(a.Date), a.Year(), a.Description, a.Source, a.Ref, a.ID)
	if isUniqueViolation(err) {
		return nscl.Conflict("ref", "mã dòng %q đã được dùng cho một hoạt động khác", "row key %q is already used by another activity", a.Ref)
	}
	if err != nil {
		return fmt.Errorf("store: unable to update activity: %w", err)
	}
	if err := tx.removeContribution(ctx, prog, old); err != nil {
		return err
	}
	a.ProgrammeID, a.Version = prog.ID, old.Version
	if err := tx.addContribution(ctx, prog, a); err != nil {
		return err
	}
	old.Version-- // the audit shows the version the change was made from
	return tx.audit(ctx, "update", "activity", a.ID, old, a)
}

// DeleteActivity removes an activity and its contribution to the totals,
// provided version is still the stored version. Returns ENOTFOUND or ECONFLICT.
func (tx *Tx) DeleteActivity(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	old, err := tx.claimActivity(ctx, id, version)
	if err != nil {
		return err
	}
	if err := tx.removeContribution(ctx, prog, old); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM activities WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: unable to delete activity: %w", err)
	}
	old.Version--
	return tx.audit(ctx, "delete", "activity", id, old, nil)
}

// claimActivity bumps the activity's version provided it is still version,
// and returns it as stored (with the new version). Checking and bumping in
// one statement locks the row before anything else is read, so of two
// people who read the same version only the first may write: on
// PostgreSQL the second waits for the first to commit, then finds the
// version moved on.
func (tx *Tx) claimActivity(ctx context.Context, id, version int64) (nscl.Activity, error) {
	res, err := tx.exec(ctx, `UPDATE activities SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		tx.now.Format(time.RFC3339Nano), id, version)
	if err != nil {
		return nscl.Activity{}, fmt.Errorf("store: unable to claim activity: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := activityByID(ctx, tx.conn, id); err != nil {
			return nscl.Activity{}, err
		}
		return nscl.Activity{}, staleActivity(id)
	}
	old, err := activityByID(ctx, tx.conn, id)
	if err != nil {
		return old, err
	}
	prog, err := programmeByID(ctx, tx.conn, old.ProgrammeID)
	if err != nil {
		return old, err
	}
	return old, tx.mayWriteActivity(ctx, prog, old.UnitID, old.Date)
}

func staleActivity(id int64) error {
	return nscl.Conflict("version", "hoạt động %d đã được người khác sửa sau khi bạn mở; hãy tải lại để xem bản mới", "activity %d was changed by someone else after you opened it; reload to see the new version", id)
}

func (tx *Tx) checkActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	a.Normalize()
	if err := nscl.ValidateActivity(a, prog); err != nil {
		return err
	}
	u, err := unitByID(ctx, tx.conn, a.UnitID)
	if err != nil {
		return err
	}
	if !u.OpenOn(a.Date) {
		return nscl.Invalid("unit", "đơn vị %s không còn hoạt động (hoặc chưa thành lập) vào ngày %s", "unit %s was not open on %s", u.Name, a.Date.Format("02/01/2006"))
	}
	return tx.mayWriteActivity(ctx, prog, a.UnitID, a.Date)
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
		if !user.CanWriteActivities(unitID) {
			return nscl.Forbidden("bạn không được nhập hoặc sửa hoạt động của đơn vị này", "you may not enter or change this unit's activities")
		}
	}
	lock, err := tx.activityLock(ctx, user, prog.ID, unitID, day)
	if err != nil || lock == nil {
		return err
	}
	if lock.Status == nscl.StatusApproved {
		return nscl.Forbidden("báo cáo của đơn vị cho kỳ này đã được duyệt; số liệu trong kỳ đã khóa", "the unit's report for this period is approved; its figures are locked")
	}
	return nscl.Forbidden("báo cáo của đơn vị cho kỳ này đã gửi và đang chờ duyệt; chỉ sửa được khi bị trả lại", "the unit's report for this period is waiting for review; it can be changed only if returned")
}

// addContribution writes the activity's quantities and beneficiaries and
// adds them to the kept totals.
func (tx *Tx) addContribution(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	// Totals rows are touched in the programme's metric order, as
	// removeContribution does, so that concurrent writers lock them in
	// the same order.
	slices.SortStableFunc(a.Quantities, func(x, y nscl.Quantity) int { return metricPosition(prog, x.Metric) - metricPosition(prog, y.Metric) })
	for _, q := range a.Quantities {
		m, _ := prog.Metric(q.Metric)
		if _, err := tx.exec(ctx, `INSERT INTO activity_quantities (activity_id, metric_id, unit_id, year, occurred_on, quantity) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, m.ID, a.UnitID, a.Year(), formatDate(a.Date), q.Value); err != nil {
			return fmt.Errorf("store: unable to write quantity %s: %w", q.Metric, err)
		}
		if err := tx.moveTotal(ctx, m, a.UnitID, a.Year(), q.Value, 1); err != nil {
			return err
		}
	}
	for _, tc := range a.Beneficiaries {
		if _, err := tx.exec(ctx, `INSERT INTO activity_beneficiaries (activity_id, tax_code, unit_id, year) VALUES (?, ?, ?, ?)`,
			a.ID, tc, a.UnitID, a.Year()); err != nil {
			return fmt.Errorf("store: unable to write beneficiary %s: %w", tc, err)
		}
	}
	return nil
}

func metricPosition(prog *nscl.Programme, code string) int {
	return slices.IndexFunc(prog.Metrics, func(m nscl.Metric) bool { return m.Code == code })
}

// removeContribution deletes the stored activity's quantities and
// beneficiaries and takes them out of the kept totals.
func (tx *Tx) removeContribution(ctx context.Context, prog *nscl.Programme, old nscl.Activity) error {
	if _, err := tx.exec(ctx, `DELETE FROM activity_quantities WHERE activity_id = ?`, old.ID); err != nil {
		return fmt.Errorf("store: unable to remove quantities: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM activity_beneficiaries WHERE activity_id = ?`, old.ID); err != nil {
		return fmt.Errorf("store: unable to remove beneficiaries: %w", err)
	}
	for _, q := range old.Quantities {
		m, ok := prog.Metric(q.Metric)
		if !ok {
			return fmt.Errorf("store: activity %d reports %q, which is not in programme %s", old.ID, q.Metric, prog.Code)
		}
		if err := tx.moveTotal(ctx, m, old.UnitID, old.Year(), -q.Value, -1); err != nil {
			return err
		}
	}
	return nil
}

// moveTotal adds delta (and count activities) to the kept total of a unit,
// metric and year. For the last-value rule the total is instead re-read as
// the unit's latest value, through an index. A row no activity counts in
// any more is removed.
func (tx *Tx) moveTotal(ctx context.Context, m nscl.Metric, unitID int64, year int, delta, count int64) error {
	if m.Rule == nscl.RuleLast {
		delta = 0
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_totals (unit_id, metric_id, year, total, activities) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (unit_id, metric_id, year) DO UPDATE SET total = unit_totals.total + excluded.total, activities = unit_totals.activities + excluded.activities`,
		unitID, m.ID, year, delta, count); err != nil {
		return fmt.Errorf("store: unable to update totals: %w", err)
	}
	if m.Rule == nscl.RuleLast {
		if _, err := tx.exec(ctx, `UPDATE unit_totals SET total = COALESCE((
				SELECT quantity FROM activity_quantities WHERE metric_id = ? AND unit_id = ? AND year = ?
				ORDER BY occurred_on DESC, activity_id DESC LIMIT 1), 0)
			WHERE unit_id = ? AND metric_id = ? AND year = ?`, m.ID, unitID, year, unitID, m.ID, year); err != nil {
			return fmt.Errorf("store: unable to update latest value: %w", err)
		}
	}
	if count < 0 {
		if _, err := tx.exec(ctx, `DELETE FROM unit_totals WHERE unit_id = ? AND metric_id = ? AND year = ? AND activities = 0`, unitID, m.ID, year); err != nil {
			return fmt.Errorf("store: unable to update totals: %w", err)
		}
	}
	return nil
}

// Activity returns an activity with its quantities and beneficiaries, or ENOTFOUND.
func (s *Store) Activity(ctx context.Context, id int64) (nscl.Activity, error) {
	return activityByID(ctx, s.reader(), id)
}

func activityByID(ctx context.Context, c conn, id int64) (nscl.Activity, error) {
	a := nscl.Activity{ID: id}
	var kind string
	err := c.queryRow(ctx, `SELECT a.programme_id, a.unit_id, a.occurred_on, g.letter, a.kind, a.description, a.source, a.ref, a.version
		FROM activities a JOIN task_groups g ON g.id = a.task_group_id WHERE a.id = ?`, id).
		Scan(&a.ProgrammeID, &a.UnitID, dateValue{&a.Date}, &a.TaskGroup, &kind, &a.Description, &a.Source, &a.Ref, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nscl.NotFound("id", "không có hoạt động số %d", "no activity with id %d", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: unable to read activity: %w", err)
	}
	a.Kind = nscl.ActivityKind(kind)
	rows, err := c.query(ctx, `SELECT m.code, q.quantity FROM activity_quantities q JOIN metrics m ON m.id = q.metric_id WHERE q.activity_id = ? ORDER BY m.position`, id)
	if err != nil {
		return a, fmt.Errorf("store: unable to read quantities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q nscl.Quantity
		if err := rows.Scan(&q.Metric, &q.Value); err != nil {
			return a, err
		}
		a.Quantities = append(a.Quantities, q)
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	brows, err := c.query(ctx, `SELECT tax_code FROM activity_beneficiaries WHERE activity_id = ? ORDER BY tax_code`, id)
	if err != nil {
		return a, fmt.Errorf("store: unable to read beneficiaries: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var tc string
		if err := brows.Scan(&tc); err != nil {
			return a, err
		}
		a.Beneficiaries = append(a.Beneficiaries, tc)
	}
	return a, brows.Err()
}

// CreateActivity stores one activity in its own transaction.
func (s *Store) CreateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.CreateActivity(ctx, prog, a) })
}

// UpdateActivity changes one activity in its own transaction.
func (s *Store) UpdateActivity(ctx context.Context, prog *nscl.Programme, a *nscl.Activity) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.UpdateActivity(ctx, prog, a) })
}

// DeleteActivity deletes one activity in its own transaction.
func (s *Store) DeleteActivity(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	return s.Update(ctx, func(tx *Tx) error { return tx.DeleteActivity(ctx, prog, id, version) })
}

// LatestActivityYear returns the most recent year with an activity in the
// programme, or 0 when there is none.
func (s *Store) LatestActivityYear(ctx context.Context, prog *nscl.Programme) (int, error) {
	var year sql.NullInt64
	if err := s.reader().queryRow(ctx, `SELECT MAX(year) FROM activities WHERE programme_id = ?`, prog.ID).Scan(&year); err != nil {
		return 0, fmt.Errorf("store: unable to read latest year: %w", err)
	}
	return int(year.Int64), nil
}
