package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"nscl"
)

// CreateProgramme stores a programme with its task groups and metrics and
// sets their IDs. Returns EINVALID for a bad definition and ECONFLICT when
// the code is taken.
func (tx *Tx) CreateProgramme(ctx context.Context, p *nscl.Programme) error {
	p.Code, p.Name = nscl.NormalizeText(p.Code), nscl.NormalizeText(p.Name)
	for i := range p.TaskGroups {
		p.TaskGroups[i].Letter = nscl.NormalizeText(p.TaskGroups[i].Letter)
		p.TaskGroups[i].Name = nscl.NormalizeText(p.TaskGroups[i].Name)
	}
	for i := range p.Metrics {
		m := &p.Metrics[i]
		m.Code, m.Name, m.Unit, m.TaskGroup = nscl.NormalizeText(m.Code), nscl.NormalizeText(m.Name), nscl.NormalizeText(m.Unit), nscl.NormalizeText(m.TaskGroup)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	var docID any
	if p.DocumentID != 0 {
		docID = p.DocumentID
	}
	id, err := tx.insert(ctx, `INSERT INTO programmes (code, name, start_year, end_year, document_id) VALUES (?, ?, ?, ?, ?)`,
		p.Code, p.Name, p.StartYear, p.EndYear, docID)
	if isUniqueViolation(err) {
		return nscl.Conflict("code", "đã có chương trình mã %q", "a programme with code %q already exists", p.Code)
	}
	if err != nil {
		return fmt.Errorf("store: unable to create programme: %w", err)
	}
	p.ID = id
	groupIDs := map[string]int64{}
	for i := range p.TaskGroups {
		g := &p.TaskGroups[i]
		g.ID, err = tx.insert(ctx, `INSERT INTO task_groups (programme_id, position, letter, name) VALUES (?, ?, ?, ?)`, p.ID, i, g.Letter, g.Name)
		if err != nil {
			return fmt.Errorf("store: unable to create task group %s: %w", g.Letter, err)
		}
		groupIDs[g.Letter] = g.ID
	}
	for i := range p.Metrics {
		m := &p.Metrics[i]
		var groupID any
		if m.TaskGroup != "" {
			groupID = groupIDs[m.TaskGroup]
		}
		m.ID, err = tx.insert(ctx, `INSERT INTO metrics (programme_id, position, code, name, unit, kind, rule, task_group_id, first_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, i, m.Code, m.Name, m.Unit, string(m.Kind), string(m.Rule), groupID, m.FirstYear)
		if err != nil {
			return fmt.Errorf("store: unable to create metric %s: %w", m.Code, err)
		}
	}
	return tx.audit(ctx, "create", "programme", p.ID, nil, p)
}

// ProgrammeByCode returns the programme with its task groups and metrics.
// Returns ENOTFOUND when there is none with that code.
//
// Every request reads the programme (three statements, three round trips
// on PostgreSQL), and a programme is written once, by CreateProgramme, and
// never changed: one found is kept for the store's life, and each caller
// gets its own copy. A programme not found is not kept, so that one
// created later, by this process or another, is found.
// TestProgrammesAreWrittenOnce holds the store to that.
func (s *Store) ProgrammeByCode(ctx context.Context, code string) (*nscl.Programme, error) {
	code = nscl.NormalizeText(code)
	if p, ok := s.programmes.Load(code); ok {
		return cloneProgramme(p.(*nscl.Programme)), nil
	}
	p, err := programmeByCode(ctx, s.reader(), code)
	if err != nil {
		return nil, err
	}
	s.programmes.Store(code, cloneProgramme(p))
	return p, nil
}

// cloneProgramme copies a programme with its task groups and metrics.
func cloneProgramme(p *nscl.Programme) *nscl.Programme {
	c := *p
	c.TaskGroups, c.Metrics = slices.Clone(p.TaskGroups), slices.Clone(p.Metrics)
	return &c
}

// ProgrammeByCode is ProgrammeByCode inside the transaction.
func (tx *Tx) ProgrammeByCode(ctx context.Context, code string) (*nscl.Programme, error) {
	return programmeByCode(ctx, tx.conn, code)
}

func programmeByCode(ctx context.Context, c conn, code string) (*nscl.Programme, error) {
	return programmeWhere(ctx, c, `code = ?`, nscl.NormalizeText(code))
}

func programmeByID(ctx context.Context, c conn, id int64) (*nscl.Programme, error) {
	return programmeWhere(ctx, c, `id = ?`, id)
}

func programmeWhere(ctx context.Context, c conn, where string, arg any) (*nscl.Programme, error) {
	p := &nscl.Programme{}
	var docID sql.NullInt64
	err := c.queryRow(ctx, `SELECT id, code, name, start_year, end_year, document_id FROM programmes WHERE `+where, arg).
		Scan(&p.ID, &p.Code, &p.Name, &p.StartYear, &p.EndYear, &docID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nscl.NotFound("programme", "không có chương trình %v", "no programme %v", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read programme: %w", err)
	}
	p.DocumentID = docID.Int64
	rows, err := c.query(ctx, `SELECT id, letter, name FROM task_groups WHERE programme_id = ? ORDER BY position`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read task groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g nscl.TaskGroup
		if err := rows.Scan(&g.ID, &g.Letter, &g.Name); err != nil {
			return nil, err
		}
		p.TaskGroups = append(p.TaskGroups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := c.query(ctx, `SELECT m.id, m.code, m.name, m.unit, m.kind, m.rule, COALESCE(g.letter, ''), m.first_year
		FROM metrics m LEFT JOIN task_groups g ON g.id = m.task_group_id
		WHERE m.programme_id = ? ORDER BY m.position`, p.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read metrics: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var m nscl.Metric
		var kind, rule string
		if err := mrows.Scan(&m.ID, &m.Code, &m.Name, &m.Unit, &kind, &rule, &m.TaskGroup, &m.FirstYear); err != nil {
			return nil, err
		}
		m.Kind, m.Rule = nscl.MetricKind(kind), nscl.CountingRule(rule)
		p.Metrics = append(p.Metrics, m)
	}
	return p, mrows.Err()
}
