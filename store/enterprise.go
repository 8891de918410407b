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

// CreateEnterprise adds a firm to the registry and sets its ID. With
// allowUnnamed, a tax code alone is enough (a beneficiary met in an
// activity, described later). Returns EINVALID naming the field, or
// ECONFLICT when the tax code is already registered.
func (tx *Tx) CreateEnterprise(ctx context.Context, e *nscl.Enterprise, allowUnnamed bool) error {
	if err := nscl.ValidateEnterprise(e, allowUnnamed); err != nil {
		return err
	}
	stamp := stampOf(tx.now)
	id, err := tx.insert(ctx, `INSERT INTO enterprises (tax_code, name, address, district, sector, size, contact_name, contact_email, contact_phone, search_text, district_key, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		e.TaxCode, e.Name, e.Address, e.District, e.Sector, string(e.Size), e.Contact.Name, e.Contact.Email, e.Contact.Phone, e.SearchText(), nscl.SearchKey(e.District), stamp, stamp)
	if isUniqueViolation(err) {
		return nscl.Conflict("tax_code", "mã số thuế %s đã có trong danh bạ doanh nghiệp", "tax code %s is already in the registry", e.TaxCode)
	}
	if err != nil {
		return fmt.Errorf("store: unable to create enterprise: %w", err)
	}
	e.ID, e.Version, e.MergedInto = id, 1, 0
	return tx.audit(ctx, "create", "enterprise", e.ID, nil, e)
}

// UpdateEnterprise changes a record's description (its tax code stays),
// provided e.Version is still the stored one.
func (tx *Tx) UpdateEnterprise(ctx context.Context, e *nscl.Enterprise) error {
	before, err := enterpriseWhere(ctx, tx.conn, `id = ?`, e.ID)
	if err != nil {
		return err
	}
	after := *e
	after.TaxCode, after.MergedInto = before.TaxCode, before.MergedInto
	if err := nscl.ValidateEnterprise(&after, false); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE enterprises SET name = ?, address = ?, district = ?, sector = ?, size = ?, contact_name = ?, contact_email = ?, contact_phone = ?,
		search_text = ?, district_key = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		after.Name, after.Address, after.District, after.Sector, string(after.Size), after.Contact.Name, after.Contact.Email, after.Contact.Phone,
		after.SearchText(), nscl.SearchKey(after.District), stampOf(tx.now), e.ID, e.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update enterprise: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleEnterprise()
	}
	after.Version = before.Version + 1
	*e = after
	return tx.audit(ctx, "update", "enterprise", e.ID, before, after)
}

func staleEnterprise() error {
	return nscl.Conflict("version", "doanh nghiệp đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the enterprise was changed by someone else after you opened it; reload the page")
}

// AddTaxCodes puts the tax codes the registry lacks into it, unnamed, and
// returns how many it added: the beneficiaries of an activity, added on
// the spot.
func (tx *Tx) AddTaxCodes(ctx context.Context, codes []string) (int, error) {
	added := 0
	for _, tc := range codes {
		_, err := enterpriseWhere(ctx, tx.conn, `tax_code = ?`, strings.TrimSpace(tc))
		if nscl.ErrorCode(err) != nscl.ENOTFOUND {
			if err != nil {
				return added, err
			}
			continue
		}
		if err := tx.CreateEnterprise(ctx, &nscl.Enterprise{TaxCode: tc}, true); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// MergeEnterprise records that from is the same firm as into: from stays
// on file, marked merged, and from then on counts as into wherever
// activities name it. Both records are claimed (their rows locked) before
// anything is checked, so that two merges at once cannot chain records
// (X into Y while Y goes into Z); records already merged into from are
// refused (ValidateMerge), so that an unmerge gives back what the merge took.
func (tx *Tx) MergeEnterprise(ctx context.Context, fromID, intoID int64) error {
	stamp := stampOf(tx.now)
	for _, id := range []int64{fromID, intoID} {
		if _, err := tx.exec(ctx, `UPDATE enterprises SET version = version + 1, updated_at = ? WHERE id = ?`, stamp, id); err != nil {
			return fmt.Errorf("store: unable to merge enterprise: %w", err)
		}
	}
	from, err := enterpriseWhere(ctx, tx.conn, `id = ?`, fromID)
	if err != nil {
		return err
	}
	into, err := enterpriseWhere(ctx, tx.conn, `id = ?`, intoID)
	if err != nil {
		return err
	}
	var merged int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises WHERE merged_into = ?`, from.ID).Scan(&merged); err != nil {
		return fmt.Errorf("store: unable to merge enterprise: %w", err)
	}
	if err := nscl.ValidateMerge(from, into, merged); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE enterprises SET merged_into = ? WHERE id = ?`, into.ID, from.ID); err != nil {
		return fmt.Errorf("store: unable to merge enterprise: %w", err)
	}
	before := from
	before.Version--
	after := from
	after.MergedInto = into.ID
	return tx.audit(ctx, "merge", "enterprise", from.ID, before, after)
}

// UnmergeEnterprise undoes a merge: the record counts as itself again.
func (tx *Tx) UnmergeEnterprise(ctx context.Context, id int64) error {
	before, err := enterpriseWhere(ctx, tx.conn, `id = ?`, id)
	if err != nil {
		return err
	}
	if before.MergedInto == 0 {
		return nscl.Conflict("id", "doanh nghiệp %s không được gộp vào doanh nghiệp nào", "enterprise %s is not merged into another", before.TaxCode)
	}
	if _, err := tx.exec(ctx, `UPDATE enterprises SET merged_into = NULL, version = version + 1, updated_at = ? WHERE id = ?`, stampOf(tx.now), id); err != nil {
		return fmt.Errorf("store: unable to unmerge enterprise: %w", err)
	}
	after := before
	after.MergedInto, after.Version = 0, before.Version+1
	return tx.audit(ctx, "unmerge", "enterprise", id, before, after)
}

const enterpriseColumns = `id, tax_code, name, address, district, sector, size, contact_name, contact_email, contact_phone, COALESCE(merged_into, 0), version`

func scanEnterprise(row interface{ Scan(...any) error }) (nscl.Enterprise, error) {
	var e nscl.Enterprise
	var size string
	err := row.Scan(&e.ID, &e.TaxCode, &e.Name, &e.Address, &e.District, &e.Sector, &size, &e.Contact.Name, &e.Contact.Email, &e.Contact.Phone, &e.MergedInto, &e.Version)
	e.Size = nscl.EnterpriseSize(size)
	return e, err
}

func enterpriseWhere(ctx context.Context, c conn, where string, arg any) (nscl.Enterprise, error) {
	e, err := scanEnterprise(c.queryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return e, nscl.NotFound("enterprise", "không có doanh nghiệp %v trong danh bạ", "no enterprise %v in the registry", arg)
	}
	if err != nil {
		return e, fmt.Errorf("store: unable to read enterprise: %w", err)
	}
	return e, nil
}

// Enterprise returns a registry record by ID.
func (s *Store) Enterprise(ctx context.Context, id int64) (nscl.Enterprise, error) {
	return enterpriseWhere(ctx, s.reader(), `id = ?`, id)
}

// EnterpriseByTaxCode returns the record of a tax code.
func (s *Store) EnterpriseByTaxCode(ctx context.Context, taxCode string) (nscl.Enterprise, error) {
	return enterpriseWhere(ctx, s.reader(), `tax_code = ?`, strings.TrimSpace(taxCode))
}

// EnterpriseFilter narrows the registry; zero values match everything.
type EnterpriseFilter struct {
	Text     string // words that must all appear in the tax code, name, address, district or sector, without regard to case or diacritics
	District string // compared the same way
	Sector   string // a VSIC code's beginning ("10" finds 101, 1010…), or a section letter ("C" finds 10…33)
	Size     nscl.EnterpriseSize
	Merged   bool   // also records merged into others
	Limit    int    // at most 200; 50 when zero
	After    string // the previous page's Next; "" for the first page
}

// EnterprisePage is one page of the registry.
type EnterprisePage struct {
	Enterprises []nscl.Enterprise
	Next        string  // After for the next page; "" on the last page
	Count       Counted // the records the filter matches, counted up to a cap
}

// Enterprises lists the registry's records matching f by name.
func (s *Store) Enterprises(ctx context.Context, f EnterpriseFilter) (EnterprisePage, error) {
	where := ` WHERE 1 = 1`
	var args []any
	if !f.Merged {
		where += ` AND merged_into IS NULL`
	}
	for _, word := range strings.Fields(nscl.SearchKey(f.Text)) {
		where += ` AND search_text LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(word)+"%")
	}
	if d := nscl.SearchKey(f.District); d != "" {
		where += ` AND district_key LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscaper.Replace(d)+"%")
	}
	if sector := strings.ToUpper(strings.TrimSpace(f.Sector)); sector != "" {
		if first, last, ok := nscl.SectionDivisions(sector); ok {
			// A section letter finds firms recorded by the letter or by any
			// division, group or class under it.
			where += ` AND (sector = ? OR length(sector) >= 2 AND substr(sector, 1, 2) BETWEEN ? AND ?)`
			args = append(args, sector, first, last)
		} else {
			where += ` AND sector LIKE ? ESCAPE '\'`
			args = append(args, likeEscaper.Replace(sector)+"%")
		}
	}
	if f.Size != "" {
		where += ` AND size = ?`
		args = append(args, string(f.Size))
	}
	c := s.lister()
	var page EnterprisePage
	var err error
	if page.Count, err = countUpTo(ctx, c, ` FROM enterprises`+where, args); err != nil {
		return page, fmt.Errorf("store: unable to count enterprises: %w", err)
	}
	// The list is in the order of names, records without a name last, by
	// tax code: the named ones through the index on (name, tax code) of
	// migration 00021, or (size, name, tax code) for a size, then the
	// unnamed ones through the same index. Each page starts after the last
	// one's record in that order.
	var after *enterpriseCursor
	if f.After != "" {
		cur, err := parseEnterpriseCursor(f.After)
		if err != nil {
			return page, err
		}
		after = &cur
	}
	limit := pageLimit(f.Limit)
	if after == nil || after.name != "" {
		named, nargs := where+` AND name <> ''`, slices.Clone(args)
		if after != nil {
			named += ` AND (name, tax_code) > (?, ?)`
			nargs = append(nargs, after.name, after.taxCode)
		}
		rows, err := c.query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises`+named+` ORDER BY name, tax_code LIMIT ?`, append(nargs, limit+1)...)
		if page.Enterprises, err = collect(rows, err, scanEnterprise); err != nil {
			return page, fmt.Errorf("store: unable to list enterprises: %w", err)
		}
	}
	if len(page.Enterprises) <= limit {
		from := "" // the unnamed ones from their first, unless the cursor is among them
		if after != nil && after.name == "" {
			from = after.taxCode
		}
		rows, err := c.query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises`+where+` AND name = '' AND tax_code > ? ORDER BY tax_code LIMIT ?`,
			append(slices.Clone(args), from, limit+1-len(page.Enterprises))...)
		unnamed, err := collect(rows, err, scanEnterprise)
		if err != nil {
			return page, fmt.Errorf("store: unable to list enterprises: %w", err)
		}
		page.Enterprises = append(page.Enterprises, unnamed...)
	}
	if len(page.Enterprises) > limit {
		page.Enterprises = page.Enterprises[:limit]
		page.Next = EnterpriseCursorAfter(page.Enterprises[limit-1])
	}
	return page, nil
}

// EnterprisesByTaxCode returns the records of the tax codes that have one,
// keyed by tax code: the names an activity's beneficiaries show.
func (s *Store) EnterprisesByTaxCode(ctx context.Context, codes []string) (map[string]nscl.Enterprise, error) {
	out := map[string]nscl.Enterprise{}
	for start := 0; start < len(codes); start += 500 {
		chunk := codes[start:min(start+500, len(codes))]
		args := make([]any, len(chunk))
		for i, tc := range chunk {
			args[i] = strings.TrimSpace(tc)
		}
		rows, err := s.reader().query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises WHERE tax_code IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		list, err := collect(rows, err, scanEnterprise)
		if err != nil {
			return nil, fmt.Errorf("store: unable to read enterprises: %w", err)
		}
		for _, e := range list {
			out[e.TaxCode] = e
		}
	}
	return out, nil
}

// MergedInto lists the records merged into the enterprise.
func (s *Store) MergedInto(ctx context.Context, id int64) ([]nscl.Enterprise, error) {
	rows, err := s.reader().query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises WHERE merged_into = ? ORDER BY tax_code`, id)
	return collect(rows, err, scanEnterprise)
}

// EnterpriseSupports lists, newest first, the programme's activities whose
// beneficiaries name the enterprise or a record merged into it.
func (s *Store) EnterpriseSupports(ctx context.Context, prog *nscl.Programme, id int64) ([]nscl.Activity, error) {
	// The activities are found by their beneficiaries, then sorted. The
	// unary + keeps SQLite from walking every activity of the programme
	// through its list index instead, to spare that sort.
	return listActivities(ctx, s.reader(), "", activityFrom, ` WHERE +a.programme_id = ? AND a.id IN (
			SELECT b.activity_id FROM activity_beneficiaries b JOIN enterprises e ON e.tax_code = b.tax_code
			WHERE e.id = ? OR e.merged_into = ?)
		ORDER BY a.occurred_on DESC, a.id DESC`, []any{prog.ID, id, id})
}
