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
