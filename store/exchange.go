package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
)

// Reads and writes the exchange files (package exchange) need beyond what
// the pages use.

// ActivitiesAfter returns up to limit of the programme's activities whose
// ID is above afterID, in ID order, with their quantities and
// beneficiaries. An export pages through every activity by passing the
// last ID it saw: each page then costs the same, where an OFFSET would
// read again every row before it, and ID order keeps the order the
// activities were entered in, which the report falls back on for
// activities of the same day.
func (s *Store) ActivitiesAfter(ctx context.Context, prog *nscl.Programme, afterID int64, limit int) ([]nscl.Activity, error) {
	c := s.reader()
	rows, err := c.query(ctx, `SELECT a.id, a.programme_id, a.unit_id, a.occurred_on, g.letter, a.kind, a.description, a.not_in_footnote, a.source, a.ref, a.version
		FROM activities a JOIN task_groups g ON g.id = a.task_group_id
		WHERE a.programme_id = ? AND a.id > ? ORDER BY a.id LIMIT ?`, prog.ID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list activities: %w", err)
	}
	var acts []nscl.Activity
	index := map[int64]int{}
	for rows.Next() {
		var a nscl.Activity
		var kind string
		if err := rows.Scan(&a.ID, &a.ProgrammeID, &a.UnitID, dateValue{&a.Date}, &a.TaskGroup, &kind, &a.Description, &a.NotInFootnote, &a.Source, &a.Ref, &a.Version); err != nil {
			rows.Close()
			return nil, err
		}
		a.Kind = nscl.ActivityKind(kind)
		index[a.ID] = len(acts)
		acts = append(acts, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(acts) == 0 {
		return acts, err
	}
	// The IDs are integers read from the database, so they are safe to
	// write into the query, as Activities does.
	ids := make([]string, len(acts))
	for i, a := range acts {
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	in := strings.Join(ids, ",")
	qrows, err := c.query(ctx, `SELECT q.activity_id, m.code, q.quantity FROM activity_quantities q JOIN metrics m ON m.id = q.metric_id
		WHERE q.activity_id IN (`+in+`) ORDER BY q.activity_id, m.position`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list quantities: %w", err)
	}
	defer qrows.Close()
	for qrows.Next() {
		var id int64
		var q nscl.Quantity
		if err := qrows.Scan(&id, &q.Metric, &q.Value); err != nil {
			return nil, err
		}
		a := &acts[index[id]]
		a.Quantities = append(a.Quantities, q)
	}
	if err := qrows.Err(); err != nil {
		return nil, err
	}
	brows, err := c.query(ctx, `SELECT activity_id, tax_code FROM activity_beneficiaries WHERE activity_id IN (`+in+`) ORDER BY activity_id, tax_code`)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list beneficiaries: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var id int64
		var tc string
		if err := brows.Scan(&id, &tc); err != nil {
			return nil, err
		}
		a := &acts[index[id]]
		a.Beneficiaries = append(a.Beneficiaries, tc)
	}
	return acts, brows.Err()
}

// ReportTextSet is the written parts of one unit's report for one year.
type ReportTextSet struct {
	UnitID int64
	Year   int
	Parts  map[string]string
}

// AllReportTexts returns every written part stored for the programme,
// by unit and year, in unit and year order.
func (s *Store) AllReportTexts(ctx context.Context, prog *nscl.Programme) ([]ReportTextSet, error) {
	rows, err := s.reader().query(ctx, `SELECT unit_id, year, part, body FROM report_texts WHERE programme_id = ? ORDER BY unit_id, year, part`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read report texts: %w", err)
	}
	defer rows.Close()
	var out []ReportTextSet
	for rows.Next() {
		var unitID int64
		var year int
		var part, body string
		if err := rows.Scan(&unitID, &year, &part, &body); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].UnitID != unitID || out[n-1].Year != year {
			out = append(out, ReportTextSet{UnitID: unitID, Year: year, Parts: map[string]string{}})
		}
		out[len(out)-1].Parts[part] = body
	}
	return out, rows.Err()
}

// DistinctBeneficiaries returns the tax codes of the enterprises that
// benefited in year from the activities of the units (as Store.Counted
// gives them) with a figure for the metric — a record merged into another given as
// that one's code —: the enterprises a distinct-rule indicator counts, read
// from the same kept rows as its figure.
func (s *Store) DistinctBeneficiaries(ctx context.Context, metricID int64, units []int64, year int) ([]string, error) {
	cte, args := unitSetCTE(units)
	rows, err := s.reader().query(ctx, cte+`SELECT DISTINCT COALESCE(t.tax_code, r.tax_code) AS code
		FROM reach_totals r JOIN subtree ON subtree.id = r.unit_id
		LEFT JOIN enterprises e ON e.tax_code = r.tax_code
		LEFT JOIN enterprises t ON t.id = e.merged_into
		WHERE r.metric_id = ? AND r.year = ? ORDER BY code`, append(args, metricID, year)...)
	codes, err := collect(rows, err, func(r interface{ Scan(...any) error }) (string, error) {
		var tc string
		return tc, r.Scan(&tc)
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to list beneficiaries: %w", err)
	}
	return codes, nil
}

// RestoreSubmission sets a unit's submission to a round as a record of it
// says — an exchange file, the demo's history: status, times and the
// reviewer's comment, and moves the kept totals as an approval (or its
// undoing) does. The reviewer is not kept, since accounts are not
// exchanged. Returns EINVALID for an
// unknown status or an oversized comment, and ENOTFOUND when the round does
// not ask the unit.
func (tx *Tx) RestoreSubmission(ctx context.Context, sub nscl.Submission) error {
	tx.forgetChecks()
	sub.Comment = nscl.NormalizeText(sub.Comment)
	statuses := []nscl.SubmissionStatus{nscl.StatusDraft, nscl.StatusSubmitted, nscl.StatusApproved, nscl.StatusReturned}
	if !slices.Contains(statuses, sub.Status) {
		return nscl.Invalid("status", "trạng thái %q không hợp lệ", "status %q is not valid", sub.Status)
	}
	if err := nscl.CheckMultiline("comment", sub.Comment, nscl.MaxCommentLength); err != nil {
		return err
	}
	round, subs, err := roundByID(ctx, tx.conn, sub.RoundID)
	if err != nil {
		return err
	}
	var before nscl.SubmissionStatus
	for _, s := range subs {
		if s.UnitID == sub.UnitID {
			before = s.Status
		}
	}
	res, err := tx.exec(ctx, `UPDATE submissions SET status = ?, submitted_at = ?, first_sent_at = ?, reviewed_at = ?, comment = ?
		WHERE round_id = ? AND unit_id = ?`,
		string(sub.Status), formatTime(sub.SubmittedAt), formatTime(sub.FirstSentAt), formatTime(sub.ReviewedAt), sub.Comment, sub.RoundID, sub.UnitID)
	if err != nil {
		return fmt.Errorf("store: unable to restore submission: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.NotFound("unit", "đợt báo cáo này không yêu cầu đơn vị số %d báo cáo", "this round does not ask unit %d to report", sub.UnitID)
	}
	if err := tx.moveApproval(ctx, round, sub.UnitID, before, sub.Status); err != nil {
		return err
	}
	if err := tx.restoreHistory(ctx, sub); err != nil {
		return err
	}
	return tx.audit(ctx, "import", "submission", fmt.Sprintf("%d/%d", sub.RoundID, sub.UnitID), nil, sub)
}

// restoreHistory gives a restored submission the history its record
// tells, by the rules migration 00016 filled the history with: its last
// sending, then its last review with the comment, by no one known. It
// replaces what the unit's history held in the round, as the record does.
func (tx *Tx) restoreHistory(ctx context.Context, sub nscl.Submission) error {
	if _, err := tx.exec(ctx, `DELETE FROM submission_history WHERE round_id = ? AND unit_id = ?`, sub.RoundID, sub.UnitID); err != nil {
		return fmt.Errorf("store: unable to restore the submission's history: %w", err)
	}
	type step struct {
		kind    nscl.ReviewStep
		at      time.Time
		comment string
	}
	var steps []step
	if !sub.SubmittedAt.IsZero() {
		steps = append(steps, step{nscl.StepSubmit, sub.SubmittedAt, ""})
	}
	if !sub.ReviewedAt.IsZero() && (sub.Status == nscl.StatusApproved || sub.Status == nscl.StatusReturned || sub.Comment != "") {
		kind := nscl.StepReturn
		if sub.Status == nscl.StatusApproved {
			kind = nscl.StepApprove
		}
		steps = append(steps, step{kind, sub.ReviewedAt, sub.Comment})
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.at.Compare(b.at) })
	for _, st := range steps {
		if err := tx.insertHistory(ctx, sub.RoundID, sub.UnitID, st.kind, st.at, st.comment); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) insertHistory(ctx context.Context, roundID, unitID int64, step nscl.ReviewStep, at time.Time, comment string) error {
	if _, err := tx.exec(ctx, `INSERT INTO submission_history (round_id, unit_id, step, user_id, taken_at, comment) VALUES (?, ?, ?, NULL, ?, ?)`,
		roundID, unitID, string(step), formatTime(at), comment); err != nil {
		return fmt.Errorf("store: unable to restore the submission's history: %w", err)
	}
	return nil
}

// RestoreSubmissionHistory replaces the history of a unit's submission to
// a round with the steps a record holds (an exchange file), in their
// order, by no one known: accounts are not exchanged. Call it after
// RestoreSubmission, whose history told by the record it replaces. Returns
// EINVALID, naming the step, for an unknown step, a step without a time or
// an oversized comment, and ENOTFOUND when the round does not ask the unit.
func (tx *Tx) RestoreSubmissionHistory(ctx context.Context, roundID, unitID int64, steps []nscl.SubmissionEvent) error {
	known := []nscl.ReviewStep{nscl.StepSubmit, nscl.StepReturn, nscl.StepApprove, nscl.StepReopen}
	for i := range steps {
		field := fmt.Sprintf("history[%d]", i)
		if !slices.Contains(known, steps[i].Step) {
			return nscl.Invalid(field+".step", "bước %q không hợp lệ", "step %q is not valid", steps[i].Step)
		}
		if steps[i].At.IsZero() {
			return nscl.Invalid(field+".at", "thiếu thời điểm", "the time is missing")
		}
		steps[i].Comment = nscl.NormalizeText(steps[i].Comment)
		if err := nscl.CheckMultiline(field+".comment", steps[i].Comment, nscl.MaxCommentLength); err != nil {
			return err
		}
	}
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM submissions WHERE round_id = ? AND unit_id = ?`, roundID, unitID).Scan(&one)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: unable to restore the submission's history: %w", err)
	}
	if err != nil {
		return nscl.NotFound("unit", "đợt báo cáo này không yêu cầu đơn vị số %d báo cáo", "this round does not ask unit %d to report", unitID)
	}
	if _, err := tx.exec(ctx, `DELETE FROM submission_history WHERE round_id = ? AND unit_id = ?`, roundID, unitID); err != nil {
		return fmt.Errorf("store: unable to restore the submission's history: %w", err)
	}
	for _, st := range steps {
		if err := tx.insertHistory(ctx, roundID, unitID, st.Step, st.At, st.Comment); err != nil {
			return err
		}
	}
	return tx.audit(ctx, "import", "submission_history", fmt.Sprintf("%d/%d", roundID, unitID), nil, steps)
}

// KeepActivityIDsAbove makes sure that activities created from now on get
// IDs above n. An activity entered without a row key gets "nscl:<its ID>";
// imported activities keep the keys they had in the database they came
// from, so the IDs those keys name must not be given out again here.
// PostgreSQL does not undo a sequence change when the transaction fails;
// that only skips some IDs.
func (tx *Tx) KeepActivityIDsAbove(ctx context.Context, n int64) error {
	var err error
	if tx.dialect == postgres {
		_, err = tx.exec(ctx, `SELECT setval(s.seq, ?) FROM (SELECT pg_get_serial_sequence('activities', 'id') AS seq) s
			WHERE ? > COALESCE(pg_sequence_last_value(s.seq::regclass), 0)`, n, n)
		tx.store.activityIDs.drop() // drawn before: some may be n or below
	} else {
		// AUTOINCREMENT keeps the highest ID given out in sqlite_sequence.
		if _, err = tx.exec(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = 'activities' AND seq < ?`, n, n); err == nil {
			_, err = tx.exec(ctx, `INSERT INTO sqlite_sequence (name, seq) SELECT 'activities', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'activities')`, n)
		}
	}
	if err != nil {
		return fmt.Errorf("store: unable to move the activity IDs on: %w", err)
	}
	return nil
}

// ActivityKey is what finds an activity again and lets it be changed.
type ActivityKey struct {
	ID      int64
	Ref     string
	Version int64
}

// ActivitiesWithRefPrefix returns the programme's activities whose row key
// starts with prefix, in row-key order.
func (tx *Tx) ActivitiesWithRefPrefix(ctx context.Context, prog *nscl.Programme, prefix string) ([]ActivityKey, error) {
	prefix = nscl.NormalizeText(prefix)
	rows, err := tx.query(ctx, `SELECT id, ref, version FROM activities WHERE programme_id = ? AND ref LIKE ? ESCAPE '\' ORDER BY ref`,
		prog.ID, likeEscaper.Replace(prefix)+"%")
	keys, err := collect(rows, err, func(r interface{ Scan(...any) error }) (ActivityKey, error) {
		var k ActivityKey
		return k, r.Scan(&k.ID, &k.Ref, &k.Version)
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to find row keys: %w", err)
	}
	// SQLite's LIKE ignores the case of ASCII letters; a row key does not.
	return slices.DeleteFunc(keys, func(k ActivityKey) bool { return !strings.HasPrefix(k.Ref, prefix) }), nil
}
