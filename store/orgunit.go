package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"nscl"
)

// CreateUnit stores an org unit under its parent (ParentID 0 for a root)
// and sets its ID. Returns EINVALID for a bad unit, ENOTFOUND for an unknown
// parent and ECONFLICT when the code is taken.
func (tx *Tx) CreateUnit(ctx context.Context, u *nscl.OrgUnit) error {
	u.Code, u.Name, u.ShortName = nscl.NormalizeText(u.Code), nscl.NormalizeText(u.Name), nscl.NormalizeText(u.ShortName)
	var parent *nscl.OrgUnit
	var parentID any
	if u.ParentID != 0 {
		p, err := unitByID(ctx, tx.conn, u.ParentID)
		if err != nil {
			return err
		}
		parent, parentID = &p, p.ID
	}
	if err := nscl.ValidateUnit(*u, parent); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO org_units (parent_id, code, name, short_name, level, opened_on, closed_on) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		parentID, u.Code, u.Name, u.ShortName, string(u.Level), formatDate(u.OpenedOn), formatDate(u.ClosedOn))
	if isUniqueViolation(err) {
		return nscl.Conflict("code", "đã có đơn vị mã %q", "a unit with code %q already exists", u.Code)
	}
	if err != nil {
		return fmt.Errorf("store: unable to create unit: %w", err)
	}
	u.ID, u.Version = id, 1
	if err := tx.addAncestors(ctx, u.ID, u.ParentID); err != nil {
		return err
	}
	if err := tx.treeChanged(ctx); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "unit", u.ID, nil, u)
}

// UpdateUnit changes a unit's names and its opening and closing dates (its
// code, level and place in the tree stay), provided u.Version is still the
// stored one. Closing a unit is how a merger is recorded: its history
// stays. Returns EINVALID, ENOTFOUND or ECONFLICT.
func (tx *Tx) UpdateUnit(ctx context.Context, u *nscl.OrgUnit) error {
	tx.forgetChecks()
	before, err := unitByID(ctx, tx.conn, u.ID)
	if err != nil {
		return err
	}
	after := before
	after.Name, after.ShortName = nscl.NormalizeText(u.Name), nscl.NormalizeText(u.ShortName)
	after.OpenedOn, after.ClosedOn = u.OpenedOn, u.ClosedOn
	var parent *nscl.OrgUnit
	if before.ParentID != 0 {
		p, err := unitByID(ctx, tx.conn, before.ParentID)
		if err != nil {
			return err
		}
		parent = &p
	}
	if err := nscl.ValidateUnit(after, parent); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE org_units SET name = ?, short_name = ?, opened_on = ?, closed_on = ?, version = version + 1 WHERE id = ? AND version = ?`,
		after.Name, after.ShortName, formatDate(after.OpenedOn), formatDate(after.ClosedOn), u.ID, u.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update unit: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Conflict("version", "đơn vị đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the unit was changed by someone else after you opened it; reload the page")
	}
	after.Version = before.Version + 1
	*u = after
	if err := tx.treeChanged(ctx); err != nil {
		return err
	}
	return tx.audit(ctx, "update", "unit", u.ID, before, after)
}

const unitColumns = `id, COALESCE(parent_id, 0), code, name, short_name, level, opened_on, closed_on, version`

func scanUnit(row interface{ Scan(...any) error }) (nscl.OrgUnit, error) {
	var u nscl.OrgUnit
	var level string
	err := row.Scan(&u.ID, &u.ParentID, &u.Code, &u.Name, &u.ShortName, &level, dateValue{&u.OpenedOn}, dateValue{&u.ClosedOn}, &u.Version)
	u.Level = nscl.UnitLevel(level)
	return u, err
}

// UnitByCode returns the unit with the given code, or ENOTFOUND.
func (s *Store) UnitByCode(ctx context.Context, code string) (nscl.OrgUnit, error) {
	return unitByCode(ctx, s.reader(), code)
}

// UnitNamed returns the unit text names: its code, or else its full,
// short or common name ("Quận 1", "Thành phố Thủ Đức"), as an import reads
// a unit column. A name that fits none is refused with the nearest names.
func (s *Store) UnitNamed(ctx context.Context, text string) (nscl.OrgUnit, error) {
	u, err := s.UnitByCode(ctx, text)
	if nscl.ErrorCode(err) != nscl.ENOTFOUND {
		return u, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nscl.OrgUnit{}, err
	}
	names := nscl.NewUnitNames(units)
	if u, ok := names.Find(text); ok {
		return u, nil
	}
	if near := names.Nearest(text, 3); len(near) > 0 {
		list := strings.Join(near, ", ")
		return nscl.OrgUnit{}, nscl.NotFound("unit", "không có đơn vị %q; có phải: %s?", "no unit %q; did you mean: %s?", text, list)
	}
	return nscl.OrgUnit{}, nscl.NotFound("unit", "không có đơn vị %q (tìm theo mã, tên đầy đủ, tên ngắn)", "no unit %q (looked up by code, full and short name)", text)
}

// UnitByCode is UnitByCode inside the transaction.
func (tx *Tx) UnitByCode(ctx context.Context, code string) (nscl.OrgUnit, error) {
	return unitByCode(ctx, tx.conn, code)
}

func unitByCode(ctx context.Context, c conn, code string) (nscl.OrgUnit, error) {
	u, err := scanUnit(c.queryRow(ctx, `SELECT `+unitColumns+` FROM org_units WHERE code = ?`, nscl.NormalizeText(code)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, nscl.NotFound("unit", "không có đơn vị mã %q", "no unit with code %q", code)
	}
	if err != nil {
		return u, fmt.Errorf("store: unable to read unit: %w", err)
	}
	return u, nil
}

// UnitByID returns the unit, or ENOTFOUND.
func (s *Store) UnitByID(ctx context.Context, id int64) (nscl.OrgUnit, error) {
	return unitByID(ctx, s.reader(), id)
}

// UnitByID is UnitByID inside the transaction.
func (tx *Tx) UnitByID(ctx context.Context, id int64) (nscl.OrgUnit, error) {
	return unitByID(ctx, tx.conn, id)
}

func unitByID(ctx context.Context, c conn, id int64) (nscl.OrgUnit, error) {
	u, err := scanUnit(c.queryRow(ctx, `SELECT `+unitColumns+` FROM org_units WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, nscl.NotFound("unit", "không có đơn vị số %d", "no unit with id %d", id)
	}
	if err != nil {
		return u, fmt.Errorf("store: unable to read unit: %w", err)
	}
	return u, nil
}

// Units returns every org unit, parents before children (in ID order),
// the caller's own copy.
func (s *Store) Units(ctx context.Context) ([]nscl.OrgUnit, error) {
	_, list, err := s.UnitDirectory(ctx)
	return slices.Clone(list), err
}

// UnitDirectory returns every org unit by ID, and in ID order, read once
// for each version of the tree (every change to a unit makes a new one):
// the API names the units of its every answer by code, and reading the
// nation's 5.101 units for each took half the processor time of a load
// test's writes. Both are shared by every caller: not to be changed.
func (s *Store) UnitDirectory(ctx context.Context) (map[int64]nscl.OrgUnit, []nscl.OrgUnit, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to list units: %w", err)
	}
	return t.byID(), t.units, nil
}

// UnitsByID returns the units of the IDs given, in ID order, leaving out
// IDs no unit has: a page that names a few units reads those, not the tree.
func (s *Store) UnitsByID(ctx context.Context, ids []int64) ([]nscl.OrgUnit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.reader().query(ctx, `SELECT `+unitColumns+` FROM org_units WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY id`, args...)
	units, err := collect(rows, err, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read units: %w", err)
	}
	return units, nil
}

// UnitChain returns the unit's ID followed by its ancestors' up to the root.
func (s *Store) UnitChain(ctx context.Context, unitID int64) ([]int64, error) {
	return unitChain(ctx, s.reader(), unitID)
}

func unitChain(ctx context.Context, c conn, unitID int64) ([]int64, error) {
	rows, err := c.query(ctx, `WITH RECURSIVE chain (id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM org_units WHERE id = ?
			UNION ALL
			SELECT u.id, u.parent_id, chain.depth + 1 FROM org_units u JOIN chain ON u.id = chain.parent_id
		) SELECT id FROM chain ORDER BY depth`, unitID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read unit ancestors: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// subtreeCTE selects, as "subtree (id)", the unit given as its one
// parameter and every unit under it.
const subtreeCTE = `WITH RECURSIVE subtree (id) AS (
		SELECT id FROM org_units WHERE id = ?
		UNION ALL
		SELECT u.id FROM org_units u JOIN subtree ON u.parent_id = subtree.id
	) `

// UnitsUpTo returns the first limit units, parents before children: a
// page asks for one more than it lists whole, to know whether the tree
// is small, without reading a national tree.
func (s *Store) UnitsUpTo(ctx context.Context, limit int) ([]nscl.OrgUnit, error) {
	rows, err := s.reader().query(ctx, `SELECT `+unitColumns+` FROM org_units ORDER BY id LIMIT ?`, limit)
	units, err := collect(rows, err, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list units: %w", err)
	}
	return units, nil
}

// UnitsUnder returns the unit and every unit under it in today's tree, by
// ID, or ENOTFOUND for no such unit.
func (s *Store) UnitsUnder(ctx context.Context, id int64) ([]nscl.OrgUnit, error) {
	rows, err := s.reader().query(ctx, `SELECT `+unitColumns+` FROM org_units WHERE id IN (SELECT unit_id FROM unit_ancestors WHERE ancestor_id = ?) ORDER BY id`, id)
	units, err := collect(rows, err, scanUnit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the units under a unit: %w", err)
	}
	if len(units) == 0 {
		return nil, nscl.NotFound("unit", "không có đơn vị số %d", "no unit with id %d", id)
	}
	return units, nil
}

// UnitChild is a unit of one level of the tree, with how many units are
// under it at every depth.
type UnitChild struct {
	nscl.OrgUnit
	Below int64
}

// UnitChildren returns up to limit units whose parent is parentID (0: the
// roots), in the order of their codes, after the code after ("" from the
// first): a level of the tree a page at a time, however many units it
// holds. Each counts the units under it through unit_ancestors (its own
// row, at depth 0, taken away), on that table's index alone.
func (s *Store) UnitChildren(ctx context.Context, parentID int64, after string, limit int) ([]UnitChild, error) {
	where, args := `parent_id = ?`, []any{parentID}
	if parentID == 0 {
		where, args = `parent_id IS NULL`, nil
	}
	rows, err := s.reader().query(ctx, `SELECT `+unitColumns+`,
			(SELECT COUNT(*) FROM unit_ancestors a WHERE a.ancestor_id = org_units.id) - 1
		FROM org_units WHERE `+where+` AND code > ? ORDER BY code LIMIT ?`, append(args, after, limit)...)
	children, err := collect(rows, err, func(row interface{ Scan(...any) error }) (UnitChild, error) {
		var c UnitChild
		var level string
		err := row.Scan(&c.ID, &c.ParentID, &c.Code, &c.Name, &c.ShortName, &level, dateValue{&c.OpenedOn}, dateValue{&c.ClosedOn}, &c.Version, &c.Below)
		c.Level = nscl.UnitLevel(level)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to list a unit's children: %w", err)
	}
	return children, nil
}
