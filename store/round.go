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

// CreateRound opens a round and a draft submission for each unit asked.
// Returns EINVALID for bad fields and ENOTFOUND for an unknown unit.
func (tx *Tx) CreateRound(ctx context.Context, prog *nscl.Programme, r *nscl.Round) error {
	tx.forgetChecks()
	r.ProgrammeID, r.Title = prog.ID, nscl.NormalizeText(r.Title)
	if err := nscl.ValidateRound(*r, prog); err != nil {
		return err
	}
	docID, err := documentRef(ctx, tx.conn, r.DocumentID)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO rounds (programme_id, title, document_id, period_start, period_end, cutoff, deadline, version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`,
		prog.ID, r.Title, docID, formatDate(r.PeriodStart), formatDate(r.PeriodEnd), formatDate(r.Cutoff), formatDate(r.Deadline), formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("store: unable to create round: %w", err)
	}
	r.ID, r.Version = id, 1
	for _, unitID := range r.UnitIDs {
		u, err := unitByID(ctx, tx.conn, unitID)
		if err != nil {
			return err
		}
		if !r.MayAsk(u) {
			return nscl.Invalid("units", "%s không thể được yêu cầu báo cáo cho kỳ này", "%s cannot be asked to report for this period", u.Name)
		}
		if _, err := tx.exec(ctx, `INSERT INTO submissions (round_id, unit_id, status, version) VALUES (?, ?, 'draft', 1)`, r.ID, unitID); err != nil {
			if isUniqueViolation(err) {
				return nscl.Invalid("units", "đơn vị được chọn hai lần", "a unit is chosen twice")
			}
			return fmt.Errorf("store: unable to create submission: %w", err)
		}
	}
	return tx.audit(ctx, "create", "round", r.ID, nil, r)
}

// CloseRound ends the programme's round on day (nscl.Round.Close says
// what that means) and returns it. Returns ENOTFOUND for an unknown round,
// ECONFLICT when it has already ended, EINVALID for a day it cannot end on.
func (tx *Tx) CloseRound(ctx context.Context, prog *nscl.Programme, id int64, day time.Time) (nscl.Round, error) {
	r, subs, err := roundByID(ctx, tx.conn, id)
	if err == nil && r.ProgrammeID != prog.ID {
		err = nscl.NotFound("round", "không có đợt báo cáo số %d", "no reporting round with id %d", id)
	}
	if err != nil {
		return r, err
	}
	before := r
	if err := r.Close(day, subs, tx.now); err != nil {
		return before, err
	}
	if err := nscl.ValidateRound(r, prog); err != nil {
		return before, err
	}
	res, err := tx.exec(ctx, `UPDATE rounds SET deadline = ?, version = version + 1 WHERE id = ? AND version = ?`, formatDate(r.Deadline), id, r.Version)
	if err != nil {
		return before, fmt.Errorf("store: unable to close round: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return before, nscl.Conflict("version", "đợt báo cáo vừa được người khác thay đổi; hãy thử lại", "the round was just changed by someone else; try again")
	}
	r.Version++
	return r, tx.audit(ctx, "close", "round", id, before, r)
}

const roundColumns = `id, programme_id, title, COALESCE(document_id, 0), period_start, period_end, cutoff, deadline, version`

func scanRound(row interface{ Scan(...any) error }) (nscl.Round, error) {
	var r nscl.Round
	err := row.Scan(&r.ID, &r.ProgrammeID, &r.Title, &r.DocumentID, dateValue{&r.PeriodStart}, dateValue{&r.PeriodEnd},
		dateValue{&r.Cutoff}, dateValue{&r.Deadline}, &r.Version)
	return r, err
}

// Rounds lists the programme's rounds, newest first, with the units asked.
func (s *Store) Rounds(ctx context.Context, prog *nscl.Programme) ([]nscl.Round, error) {
	rows, err := s.reader().query(ctx, `SELECT `+roundColumns+` FROM rounds WHERE programme_id = ? ORDER BY period_end DESC, id DESC`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list rounds: %w", err)
	}
	defer rows.Close()
	var out []nscl.Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	subs, err := s.RoundSubmissions(ctx, prog)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, sub := range subs[out[i].ID] {
			out[i].UnitIDs = append(out[i].UnitIDs, sub.UnitID)
		}
	}
	return out, nil
}

// RoundSubmissions returns the submissions of all the programme's rounds,
// by round, in one query.
func (s *Store) RoundSubmissions(ctx context.Context, prog *nscl.Programme) (map[int64][]nscl.Submission, error) {
	rows, err := s.reader().query(ctx, `SELECT `+submissionColumns+` FROM submissions s JOIN rounds r ON r.id = s.round_id
		WHERE r.programme_id = ? ORDER BY s.round_id, s.unit_id`, prog.ID)
	subs, err := collect(rows, err, scanSubmission)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list submissions: %w", err)
	}
	out := map[int64][]nscl.Submission{}
	for _, sub := range subs {
		out[sub.RoundID] = append(out[sub.RoundID], sub)
	}
	return out, nil
}

// Round returns a round with its submissions, or ENOTFOUND.
func (s *Store) Round(ctx context.Context, id int64) (nscl.Round, []nscl.Submission, error) {
	return roundByID(ctx, s.reader(), id)
}

func roundByID(ctx context.Context, c conn, id int64) (nscl.Round, []nscl.Submission, error) {
	r, err := scanRound(c.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil, nscl.NotFound("round", "không có đợt báo cáo số %d", "no reporting round with id %d", id)
	}
	if err != nil {
		return r, nil, fmt.Errorf("store: unable to read round: %w", err)
	}
	subs, err := submissions(ctx, c, id)
	for _, sub := range subs {
		r.UnitIDs = append(r.UnitIDs, sub.UnitID)
	}
	return r, subs, err
}

// submissionColumns are read from the submissions table aliased as s.
const submissionColumns = `s.round_id, s.unit_id, s.status, s.submitted_at, s.first_sent_at, s.reviewed_at, COALESCE(s.reviewer_id, 0), s.comment, s.version`

func scanSubmission(row interface{ Scan(...any) error }) (nscl.Submission, error) {
	var s nscl.Submission
	var status string
	err := row.Scan(&s.RoundID, &s.UnitID, &status, timeValue{&s.SubmittedAt}, timeValue{&s.FirstSentAt}, timeValue{&s.ReviewedAt}, &s.ReviewerID, &s.Comment, &s.Version)
	s.Status = nscl.SubmissionStatus(status)
	return s, err
}

func submissions(ctx context.Context, c conn, roundID int64) ([]nscl.Submission, error) {
	rows, err := c.query(ctx, `SELECT `+submissionColumns+` FROM submissions s WHERE s.round_id = ? ORDER BY s.unit_id`, roundID)
	subs, err := collect(rows, err, scanSubmission)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list submissions: %w", err)
	}
	return subs, nil
}

// SubmissionAction is what a user does to a submission.
type SubmissionAction string

const (
	ActionSubmit  SubmissionAction = "submit"
	ActionApprove SubmissionAction = "approve"
	ActionReturn  SubmissionAction = "return"
)

// ActOnSubmission submits, approves or returns a unit's submission,
// provided version is still the stored one. The acting user comes from the
// context (WithActor). Returns EFORBIDDEN when the user may not, ECONFLICT
// for a stale version or a move the status does not allow, EINVALID for a
// return without a comment, ENOTFOUND when the round does not ask the unit.
func (tx *Tx) ActOnSubmission(ctx context.Context, roundID, unitID, version int64, action SubmissionAction, comment string) (nscl.Submission, error) {
	tx.forgetChecks()
	user, err := tx.actorUser(ctx)
	if err != nil {
		return nscl.Submission{}, err
	}
	switch action {
	case ActionSubmit:
		if !user.CanSubmitFor(unitID) {
			return nscl.Submission{}, nscl.Forbidden("bạn không được gửi báo cáo của đơn vị này", "you may not submit this unit's report")
		}
	case ActionApprove, ActionReturn:
		if err := user.RequireReview(); err != nil {
			return nscl.Submission{}, err
		}
	default:
		return nscl.Submission{}, nscl.Invalid("action", "thao tác %q không hợp lệ", "action %q is not valid", action)
	}
	round, _, err := roundByID(ctx, tx.conn, roundID)
	if err != nil {
		return nscl.Submission{}, err
	}
	sub, err := scanSubmission(tx.queryRow(ctx, `SELECT `+submissionColumns+` FROM submissions s WHERE s.round_id = ? AND s.unit_id = ?`, roundID, unitID))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, nscl.NotFound("unit", "đợt báo cáo này không yêu cầu đơn vị số %d báo cáo", "this round does not ask unit %d to report", unitID)
	}
	if err != nil {
		return sub, fmt.Errorf("store: unable to read submission: %w", err)
	}
	if sub.Version != version {
		return sub, nscl.Conflict("version", "báo cáo đã được người khác thay đổi sau khi bạn mở; hãy tải lại trang", "the submission was changed by someone else after you opened it; reload the page")
	}
	before := sub
	switch action {
	case ActionSubmit:
		err = sub.Submit(tx.now)
	case ActionApprove:
		err = sub.Approve(user.ID, tx.now)
	case ActionReturn:
		err = sub.Return(user.ID, comment, tx.now)
	}
	if err != nil {
		return sub, err
	}
	var reviewer any
	if sub.ReviewerID != 0 {
		reviewer = sub.ReviewerID
	}
	res, err := tx.exec(ctx, `UPDATE submissions SET status = ?, submitted_at = ?, first_sent_at = ?, reviewed_at = ?, reviewer_id = ?, comment = ?, version = version + 1
		WHERE round_id = ? AND unit_id = ? AND version = ?`,
		string(sub.Status), formatTime(sub.SubmittedAt), formatTime(sub.FirstSentAt), formatTime(sub.ReviewedAt), reviewer, sub.Comment, roundID, unitID, version)
	if err != nil {
		return sub, fmt.Errorf("store: unable to update submission: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sub, nscl.Conflict("version", "báo cáo đã được người khác thay đổi; hãy tải lại trang", "the submission was changed by someone else; reload the page")
	}
	sub.Version++
	if err := tx.moveApproval(ctx, round, unitID, before.Status, sub.Status); err != nil {
		return sub, err
	}
	step := nscl.ReviewStep(action)
	if action == ActionReturn && before.Status == nscl.StatusApproved {
		step = nscl.StepReopen
	}
	var said string
	if action == ActionReturn {
		said = sub.Comment
	}
	if _, err := tx.exec(ctx, `INSERT INTO submission_history (round_id, unit_id, step, user_id, taken_at, comment) VALUES (?, ?, ?, ?, ?, ?)`,
		roundID, unitID, string(step), user.ID, formatTime(tx.now), said); err != nil {
		return sub, fmt.Errorf("store: unable to keep the submission's history: %w", err)
	}
	return sub, tx.audit(ctx, string(action), "submission", fmt.Sprintf("%d/%d", roundID, unitID), before, sub)
}

// moveApproval moves the kept totals of the unit's activities in the
// round's period between the pending and the approved state when its
// submission becomes approved, or stops being so (before and after are its
// statuses), after the submission is written: it counts the unit's totals
// of the years the period touches again, each activity in the state the
// rounds now give it — which keeps approved what another approved round
// still covers. An approval costs what the unit reported in those years,
// in a handful of statements, however much that is.
func (tx *Tx) moveApproval(ctx context.Context, r nscl.Round, unitID int64, before, after nscl.SubmissionStatus) error {
	if (before == nscl.StatusApproved) == (after == nscl.StatusApproved) {
		return nil
	}
	tx.forgetChecks() // the unit's locks changed
	return tx.recountUnit(ctx, r.ProgrammeID, unitID, r.PeriodStart.Year(), r.PeriodEnd.Year())
}

// actorUser returns the user writing, or EUNAUTHORIZED when the write has
// no user behind it.
func (tx *Tx) actorUser(ctx context.Context) (nscl.User, error) {
	if tx.actor == 0 {
		return nscl.User{}, unauthorized()
	}
	kept := tx.keptUsers()
	if u, ok := kept.get(tx.userVersion, tx.actor); ok {
		return u, nil
	}
	u, err := userWhere(ctx, tx.conn, `id = ?`, tx.actor)
	if err == nil {
		kept.put(tx.userVersion, u.ID, u)
	}
	return u, err
}

// keptUsers is the store's kept users when this transaction may use them:
// on PostgreSQL, where user_version is read with the audit chain's lock,
// until it changes a user; nil otherwise. A write reads the user writing
// again, for what the user may do now; kept, that is a round trip less.
func (tx *Tx) keptUsers() *keptAtVersion[int64, nscl.User] {
	if tx.userVersion == 0 || tx.changedAtLock || tx.store == nil {
		return nil
	}
	return &tx.store.users
}

// unitLocks reads a unit's submitted and approved submissions with their
// rounds' periods, once in a transaction.
func (tx *Tx) unitLocks(ctx context.Context, programmeID, unitID int64) ([]nscl.PeriodLock, error) {
	if err := tx.knowLocks(ctx, programmeID, []int64{unitID}); err != nil {
		return nil, err
	}
	return tx.locks[lockKey{unitID, programmeID}], nil
}

// knowLocks reads the locks of those of units whose locks the transaction
// has not read, a few hundred units to a statement: an import's look-ahead
// asks for its next rows' units at once. On PostgreSQL it first takes
// those kept at the lock version read with the audit chain's lock: under
// that lock no other writer changes them, and lock_version moves with
// every change (a round trip of every activity written).
func (tx *Tx) knowLocks(ctx context.Context, programmeID int64, units []int64) error {
	if tx.locks == nil {
		tx.locks = map[lockKey][]nscl.PeriodLock{}
	}
	kept := tx.keptLocks()
	var ask []int64
	for _, id := range units {
		k := lockKey{id, programmeID}
		if _, ok := tx.locks[k]; ok || slices.Contains(ask, id) {
			continue
		}
		if locks, ok := kept.get(tx.lockVersion, k); ok {
			tx.locks[k] = locks
			continue
		}
		ask = append(ask, id)
	}
	for chunk := range slices.Chunk(ask, rowsPerStatement) {
		rows, err := tx.query(ctx, `SELECT `+submissionColumns+`, r.period_start, r.period_end FROM submissions s JOIN rounds r ON r.id = s.round_id
			WHERE s.unit_id IN (`+placeholders(len(chunk))+`) AND r.programme_id = ? AND s.status IN ('submitted', 'approved')`, append(listArgs(chunk), programmeID)...)
		if err != nil {
			return fmt.Errorf("store: unable to read locks: %w", err)
		}
		locks, err := scanLocks(rows)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			tx.locks[lockKey{id, programmeID}] = nil // none unless read
		}
		for _, l := range locks {
			k := lockKey{l.Submission.UnitID, programmeID}
			tx.locks[k] = append(tx.locks[k], l)
		}
		for _, id := range chunk {
			k := lockKey{id, programmeID}
			kept.put(tx.lockVersion, k, slices.Clone(tx.locks[k]))
		}
	}
	return nil
}

// keptLocks is the store's kept locks when this transaction may use
// them: on PostgreSQL, until it changes a submission; nil otherwise.
func (tx *Tx) keptLocks() *keptAtVersion[lockKey, []nscl.PeriodLock] {
	if tx.lockVersion == 0 || tx.changedAtLock || tx.store == nil {
		return nil
	}
	return &tx.store.locks
}

// PeriodLocks lists the submitted and approved submissions of the
// programme's rounds: the periods whose activities may be locked.
func (s *Store) PeriodLocks(ctx context.Context, prog *nscl.Programme) ([]nscl.PeriodLock, error) {
	rows, err := s.reader().query(ctx, `SELECT `+submissionColumns+`, r.period_start, r.period_end FROM submissions s JOIN rounds r ON r.id = s.round_id
		WHERE r.programme_id = ? AND s.status IN ('submitted', 'approved')`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read locks: %w", err)
	}
	return scanLocks(rows)
}

// scanLocks reads rows of submission columns followed by the round's period.
func scanLocks(rows *sql.Rows) ([]nscl.PeriodLock, error) {
	defer rows.Close()
	var out []nscl.PeriodLock
	for rows.Next() {
		var l nscl.PeriodLock
		var status string
		sub := &l.Submission
		if err := rows.Scan(&sub.RoundID, &sub.UnitID, &status, timeValue{&sub.SubmittedAt}, timeValue{&sub.FirstSentAt}, timeValue{&sub.ReviewedAt},
			&sub.ReviewerID, &sub.Comment, &sub.Version, dateValue{&l.Start}, dateValue{&l.End}); err != nil {
			return nil, err
		}
		sub.Status = nscl.SubmissionStatus(status)
		out = append(out, l)
	}
	return out, rows.Err()
}

// SubmissionHistory returns every step the unit's submission to the round
// has taken, oldest first, with the names of those who took them. A
// submission takes a handful of steps, all read at once.
func (s *Store) SubmissionHistory(ctx context.Context, roundID, unitID int64) ([]nscl.SubmissionEvent, error) {
	rows, err := s.reader().query(ctx, historySelect+` WHERE h.round_id = ? AND h.unit_id = ? ORDER BY h.id`, roundID, unitID)
	events, err := collect(rows, err, scanSubmissionEvent)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the submission's history: %w", err)
	}
	return events, nil
}

// RoundHistory returns the history of every submission to the round, by
// unit, each oldest first: one query however many units the round asks,
// in the order of the index on (round, unit, id).
func (s *Store) RoundHistory(ctx context.Context, roundID int64) (map[int64][]nscl.SubmissionEvent, error) {
	rows, err := s.reader().query(ctx, historySelect+` WHERE h.round_id = ? ORDER BY h.unit_id, h.id`, roundID)
	events, err := collect(rows, err, scanSubmissionEvent)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the round's history: %w", err)
	}
	out := map[int64][]nscl.SubmissionEvent{}
	for _, e := range events {
		out[e.UnitID] = append(out[e.UnitID], e)
	}
	return out, nil
}

const historySelect = `SELECT h.round_id, h.unit_id, h.step, COALESCE(h.user_id, 0), COALESCE(u.name, ''), COALESCE(u.email, ''), h.taken_at, h.comment
		FROM submission_history h LEFT JOIN users u ON u.id = h.user_id`

func scanSubmissionEvent(row interface{ Scan(...any) error }) (nscl.SubmissionEvent, error) {
	var e nscl.SubmissionEvent
	var step string
	err := row.Scan(&e.RoundID, &e.UnitID, &step, &e.UserID, &e.UserName, &e.UserEmail, timeValue{&e.At}, &e.Comment)
	e.Step = nscl.ReviewStep(step)
	return e, err
}

// RoundActivityCounts counts, for each unit the round asks, the activities
// it holds in the round's period, from the counts kept per unit and month
// (ActivityCounts); a unit with none is left out. only, when not 0, counts
// that unit's alone: a reporter's page needs no more.
func (s *Store) RoundActivityCounts(ctx context.Context, r nscl.Round, only int64) (map[int64]int, error) {
	units := r.UnitIDs
	if only != 0 {
		units = nil
		if slices.Contains(r.UnitIDs, only) {
			units = []int64{only}
		}
	}
	counts, err := s.ActivityCounts(ctx, &nscl.Programme{ID: r.ProgrammeID}, CountFilter{Units: units, From: r.PeriodStart, To: r.PeriodEnd})
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, c := range counts {
		out[c.UnitID] += int(c.N)
	}
	return out, nil
}
