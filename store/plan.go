package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"

	"nscl"
)

// CreatePlan stores a plan with its targets and sets its ID. Returns
// EINVALID for a bad plan, including a target for an indicator that is not
// in the programme, and ENOTFOUND for an unknown unit.
func (tx *Tx) CreatePlan(ctx context.Context, prog *nscl.Programme, p *nscl.Plan) error {
	p.ProgrammeID = prog.ID
	p.Name = nscl.NormalizeText(p.Name)
	if err := nscl.ValidatePlan(*p, prog); err != nil {
		return err
	}
	if _, err := unitByID(ctx, tx.conn, p.UnitID); err != nil {
		return err
	}
	docID, err := documentRef(ctx, tx.conn, p.DocumentID)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO plans (programme_id, unit_id, kind, start_year, end_year, document_id, name) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.ProgrammeID, p.UnitID, string(p.Kind), p.StartYear, p.EndYear, docID, p.Name)
	if err != nil {
		return fmt.Errorf("store: unable to create plan: %w", err)
	}
	p.ID, p.Version = id, 1
	if err := tx.writeTargets(ctx, prog, p); err != nil {
		return err
	}
	if err := tx.writeAllotments(ctx, prog, p); err != nil {
		return err
	}
	if err := tx.plansChanged(ctx); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "plan", p.ID, nil, p)
}

// UpdatePlan changes a plan's name, document, targets and allotments (its
// kind, unit and years stay), provided p.Version is still the stored one.
// Returns EINVALID, ENOTFOUND or ECONFLICT.
func (tx *Tx) UpdatePlan(ctx context.Context, prog *nscl.Programme, p *nscl.Plan) error {
	plans, err := plansOf(ctx, tx.conn, prog)
	if err != nil {
		return err
	}
	var before *nscl.Plan
	for i := range plans {
		if plans[i].ID == p.ID {
			before = &plans[i]
		}
	}
	if before == nil {
		return nscl.NotFound("plan", "không có kế hoạch số %d", "no plan with id %d", p.ID)
	}
	after := *before
	after.Name, after.DocumentID, after.Targets, after.Allotments = nscl.NormalizeText(p.Name), p.DocumentID, p.Targets, p.Allotments
	if err := nscl.ValidatePlan(after, prog); err != nil {
		return err
	}
	docID, err := documentRef(ctx, tx.conn, after.DocumentID)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE plans SET name = ?, document_id = ?, version = version + 1 WHERE id = ? AND version = ?`, after.Name, docID, p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update plan: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Conflict("version", "kế hoạch đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the plan was changed by someone else after you opened it; reload the page")
	}
	if _, err := tx.exec(ctx, `DELETE FROM targets WHERE plan_id = ?`, p.ID); err != nil {
		return fmt.Errorf("store: unable to update targets: %w", err)
	}
	if err := tx.writeTargets(ctx, prog, &after); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM allotments WHERE plan_id = ?`, p.ID); err != nil {
		return fmt.Errorf("store: unable to update allotments: %w", err)
	}
	if err := tx.writeAllotments(ctx, prog, &after); err != nil {
		return err
	}
	if err := tx.plansChanged(ctx); err != nil {
		return err
	}
	after.Version = before.Version + 1
	*p = after
	return tx.audit(ctx, "update", "plan", p.ID, before, after)
}

func (tx *Tx) writeTargets(ctx context.Context, prog *nscl.Programme, p *nscl.Plan) error {
	for _, t := range p.Targets {
		m, _ := prog.Metric(t.Metric)
		if _, err := tx.exec(ctx, `INSERT INTO targets (plan_id, metric_id, value) VALUES (?, ?, ?)`, p.ID, m.ID, t.Value); err != nil {
			return fmt.Errorf("store: unable to set target %s: %w", t.Metric, err)
		}
	}
	return nil
}

// writeAllotments writes the plan's allotments, each to a unit under the
// plan's unit (the domain has checked the rest). Returns EINVALID naming
// the allotment given to a unit elsewhere in the tree.
func (tx *Tx) writeAllotments(ctx context.Context, prog *nscl.Programme, p *nscl.Plan) error {
	if len(p.Allotments) == 0 {
		return nil
	}
	rows, err := tx.query(ctx, subtreeCTE+`SELECT id FROM subtree`, p.UnitID)
	under, err := collect(rows, err, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("store: unable to read the units under the plan's: %w", err)
	}
	for _, a := range p.Allotments {
		if !slices.Contains(under, a.UnitID) {
			plan, _ := unitByID(ctx, tx.conn, p.UnitID)
			return nscl.Invalid(nscl.AllotmentField(a.UnitID, a.Metric), "chỉ giao chỉ tiêu cho đơn vị trực thuộc %s", "targets are allotted only to units under %s", plan.Name)
		}
		m, _ := prog.Metric(a.Metric)
		if _, err := tx.exec(ctx, `INSERT INTO allotments (plan_id, unit_id, metric_id, value) VALUES (?, ?, ?, ?)`, p.ID, a.UnitID, m.ID, a.Value); err != nil {
			return fmt.Errorf("store: unable to allot %s: %w", a.Metric, err)
		}
	}
	return nil
}

// Plans returns the programme's plans with their targets and allotments.
//
// Every report reads them, and they change seldom: they are kept from one
// call to the next while plan_version, which every plan write moves, stays
// the same. The caller gets its own copy.
func (s *Store) Plans(ctx context.Context, prog *nscl.Programme) ([]nscl.Plan, error) {
	c := s.reader()
	var version int64
	if err := c.queryRow(ctx, `SELECT version FROM plan_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, fmt.Errorf("store: unable to read the plans' version: %w", err)
	}
	if plans, ok := s.plans.get(version, prog.ID); ok {
		return clonePlans(plans), nil
	}
	// The plans, their targets and allotments, and the version they are
	// kept under, read in one snapshot: three statements apart, a plan
	// created between them had its targets read without it.
	var plans []nscl.Plan
	err := s.snapshot(ctx, func(c conn) error {
		if err := c.queryRow(ctx, `SELECT version FROM plan_version WHERE id = 1`).Scan(&version); err != nil {
			return fmt.Errorf("store: unable to read the plans' version: %w", err)
		}
		var err error
		plans, err = plansOf(ctx, c, prog)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.plans.put(version, prog.ID, plans)
	return clonePlans(plans), nil
}

// planCache holds each programme's plans as last read, at one plan_version.
type planCache struct {
	mu      sync.Mutex
	version int64
	byProg  map[int64][]nscl.Plan
}

func (c *planCache) get(version, progID int64) ([]nscl.Plan, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	plans, ok := c.byProg[progID]
	return plans, ok && c.version == version
}

func (c *planCache) put(version, progID int64, plans []nscl.Plan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.byProg == nil {
		c.version, c.byProg = version, map[int64][]nscl.Plan{}
	}
	c.byProg[progID] = clonePlans(plans)
}

// clonePlans copies plans with their targets and allotments, so that what
// the cache holds and what a caller changes stay apart.
func clonePlans(plans []nscl.Plan) []nscl.Plan {
	out := slices.Clone(plans)
	for i := range out {
		out[i].Targets = slices.Clone(out[i].Targets)
		out[i].Allotments = slices.Clone(out[i].Allotments)
	}
	return out
}

// plansChanged tells readers that a plan, its targets or its allotments
// changed: they read the plans again.
func (tx *Tx) plansChanged(ctx context.Context) error {
	if _, err := tx.exec(ctx, `UPDATE plan_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("store: unable to mark the plans changed: %w", err)
	}
	return nil
}

// Plans returns the programme's plans as this transaction sees them.
func (tx *Tx) Plans(ctx context.Context, prog *nscl.Programme) ([]nscl.Plan, error) {
	return plansOf(ctx, tx.conn, prog)
}

func plansOf(ctx context.Context, c conn, prog *nscl.Programme) ([]nscl.Plan, error) {
	rows, err := c.query(ctx, `SELECT id, unit_id, kind, start_year, end_year, document_id, name, version FROM plans WHERE programme_id = ? ORDER BY start_year, id`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list plans: %w", err)
	}
	defer rows.Close()
	var plans []nscl.Plan
	index := map[int64]int{}
	for rows.Next() {
		p := nscl.Plan{ProgrammeID: prog.ID}
		var kind string
		var docID sql.NullInt64
		if err := rows.Scan(&p.ID, &p.UnitID, &kind, &p.StartYear, &p.EndYear, &docID, &p.Name, &p.Version); err != nil {
			return nil, err
		}
		p.Kind, p.DocumentID = nscl.PlanKind(kind), docID.Int64
		index[p.ID] = len(plans)
		plans = append(plans, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trows, err := c.query(ctx, `SELECT t.plan_id, m.code, t.value FROM targets t
		JOIN plans p ON p.id = t.plan_id JOIN metrics m ON m.id = t.metric_id
		WHERE p.programme_id = ? ORDER BY t.plan_id, m.position`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list targets: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var planID int64
		var t nscl.Target
		if err := trows.Scan(&planID, &t.Metric, &t.Value); err != nil {
			return nil, err
		}
		p := &plans[index[planID]]
		p.Targets = append(p.Targets, t)
	}
	if err := trows.Err(); err != nil {
		return nil, err
	}
	arows, err := c.query(ctx, `SELECT a.plan_id, a.unit_id, m.code, a.value FROM allotments a
		JOIN plans p ON p.id = a.plan_id JOIN metrics m ON m.id = a.metric_id
		WHERE p.programme_id = ? ORDER BY a.plan_id, a.unit_id, m.position`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list allotments: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var planID int64
		var a nscl.Allotment
		if err := arows.Scan(&planID, &a.UnitID, &a.Metric, &a.Value); err != nil {
			return nil, err
		}
		p := &plans[index[planID]]
		p.Allotments = append(p.Allotments, a)
	}
	return plans, arows.Err()
}
