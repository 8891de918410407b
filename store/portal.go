package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nscl"
)

// PortalCounting reads where the programme's portal counts its articles,
// materials and classes; the zero value when nobody set it.
func (s *Store) PortalCounting(ctx context.Context, prog *nscl.Programme) (nscl.PortalCounting, error) {
	return portalCounting(ctx, s.reader(), prog)
}

// PortalCounting is Store.PortalCounting inside a transaction.
func (tx *Tx) PortalCounting(ctx context.Context, prog *nscl.Programme) (nscl.PortalCounting, error) {
	return portalCounting(ctx, tx.conn, prog)
}

func portalCounting(ctx context.Context, c conn, prog *nscl.Programme) (nscl.PortalCounting, error) {
	var pc nscl.PortalCounting
	err := c.queryRow(ctx, `SELECT communication_group, article_metric, video_metric, document_metric, class_enterprises_metric, class_trainees_metric
		FROM portal_counting WHERE programme_id = ?`, prog.ID).Scan(&pc.CommunicationGroup, &pc.ArticleMetric, &pc.VideoMetric,
		&pc.DocumentMetric, &pc.ClassEnterprisesMetric, &pc.ClassTraineesMetric)
	if errors.Is(err, sql.ErrNoRows) {
		return nscl.PortalCounting{}, nil
	}
	if err != nil {
		return pc, fmt.Errorf("store: unable to read the portal's counting: %w", err)
	}
	return pc, nil
}

// SetPortalCounting sets where the programme's portal counts. It changes
// what later publications count in, not the activities already written.
// Returns EINVALID, naming the field, for a group or metric the programme
// does not have.
func (tx *Tx) SetPortalCounting(ctx context.Context, prog *nscl.Programme, pc nscl.PortalCounting) error {
	pc.Normalize()
	if err := pc.Validate(prog); err != nil {
		return err
	}
	before, err := tx.PortalCounting(ctx, prog)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO portal_counting (programme_id, communication_group, article_metric, video_metric, document_metric, class_enterprises_metric, class_trainees_metric)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (programme_id) DO UPDATE SET communication_group = excluded.communication_group, article_metric = excluded.article_metric,
			video_metric = excluded.video_metric, document_metric = excluded.document_metric,
			class_enterprises_metric = excluded.class_enterprises_metric, class_trainees_metric = excluded.class_trainees_metric`,
		prog.ID, pc.CommunicationGroup, pc.ArticleMetric, pc.VideoMetric, pc.DocumentMetric, pc.ClassEnterprisesMetric, pc.ClassTraineesMetric); err != nil {
		return fmt.Errorf("store: unable to set the portal's counting: %w", err)
	}
	return tx.audit(ctx, "update", "portal_counting", prog.ID, before, pc)
}

// PortalKindCount is what the portal wrote of one activity kind in a year
// (articles, videos, documents as "other", classes as training): how many
// activities, and their quantities by metric code.
type PortalKindCount struct {
	Activities int64
	Figures    map[string]int64
}

// portalWritten is the condition of the partial index activities_portal
// (migration 00031), said the same way so that the index serves the query:
// the activity's ref begins with nscl.PortalRefPrefix.
const portalWritten = `substr(a.ref, 1, 7) = 'portal-'`

// PortalFigures counts the activities the portal wrote (nscl.PortalOwned)
// in year for the units (as Store.Counted gives them), by kind: every
// state, approved or not. It reads those activities alone, through the
// index on them: its cost follows what the portal published, not what the
// units typed. A few units are named in the statement; more (the nation's
// 5.000) are kept in a set here and the year's portal activities read by
// unit, since binding them all to every statement cost more (8 ms) than
// the dashboard's whole report.
func (s *Store) PortalFigures(ctx context.Context, prog *nscl.Programme, units []int64, year int) (map[nscl.ActivityKind]PortalKindCount, error) {
	out := map[nscl.ActivityKind]PortalKindCount{}
	if len(units) == 0 {
		return out, nil
	}
	c := s.reader()
	where := ` WHERE a.programme_id = ? AND a.year = ? AND ` + portalWritten
	args := []any{prog.ID, year}
	if len(units) <= portalNamedUnits {
		where += ` AND a.unit_id IN (` + placeholders(len(units)) + `)`
		args = append(args, listArgs(units)...)
	}
	counted := make(map[int64]bool, len(units))
	for _, id := range units {
		counted[id] = true
	}
	err := eachRow(ctx, c, `SELECT a.unit_id, a.kind, COUNT(*) FROM activities a`+where+` GROUP BY a.unit_id, a.kind`, args, func(row interface{ Scan(...any) error }) error {
		var unit, n int64
		var kind string
		if err := row.Scan(&unit, &kind, &n); err != nil || !counted[unit] {
			return err
		}
		k := out[nscl.ActivityKind(kind)]
		if k.Figures == nil {
			k.Figures = map[string]int64{}
		}
		k.Activities += n
		out[nscl.ActivityKind(kind)] = k
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to count the portal's activities: %w", err)
	}
	err = eachRow(ctx, c, `SELECT a.unit_id, a.kind, m.code, SUM(q.quantity) FROM activities a
		JOIN activity_quantities q ON q.activity_id = a.id JOIN metrics m ON m.id = q.metric_id`+where+` GROUP BY a.unit_id, a.kind, m.code`, args,
		func(row interface{ Scan(...any) error }) error {
			var unit, sum int64
			var kind, code string
			if err := row.Scan(&unit, &kind, &code, &sum); err != nil || !counted[unit] {
				return err
			}
			out[nscl.ActivityKind(kind)].Figures[code] += sum
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: unable to sum the portal's figures: %w", err)
	}
	return out, nil
}

// portalNamedUnits is the most units PortalFigures names in its statements.
const portalNamedUnits = 50
