package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nscl"
)

// CreateCall opens a call for participation and sets its ID and version.
// Returns EINVALID for bad fields or an unknown notice document.
func (tx *Tx) CreateCall(ctx context.Context, c *nscl.Call) error {
	if err := nscl.ValidateCall(c); err != nil {
		return err
	}
	doc, err := documentRef(ctx, tx.conn, c.DocumentID)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO calls (programme_id, document_id, title, description, opens_on, closes_on, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
		c.ProgrammeID, doc, c.Title, c.Description, formatDate(c.OpensOn), formatDate(c.ClosesOn), stampOf(tx.now))
	if err != nil {
		return fmt.Errorf("store: unable to create call: %w", err)
	}
	c.ID, c.Version = id, 1
	return tx.audit(ctx, "create", "call", c.ID, nil, c)
}

// UpdateCall saves a call's title, description, notice and dates, provided
// c.Version is still the stored one; the call stays with its programme.
// Returns ENOTFOUND for an unknown call, EINVALID for bad fields or an
// unknown notice document, and ECONFLICT when someone saved it since.
func (tx *Tx) UpdateCall(ctx context.Context, c *nscl.Call) error {
	before, err := callByID(ctx, tx.conn, c.ID)
	if err != nil {
		return err
	}
	after := *c
	after.ProgrammeID = before.ProgrammeID
	if err := nscl.ValidateCall(&after); err != nil {
		return err
	}
	doc, err := documentRef(ctx, tx.conn, after.DocumentID)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE calls SET document_id = ?, title = ?, description = ?, opens_on = ?, closes_on = ?, version = version + 1
		WHERE id = ? AND version = ?`, doc, after.Title, after.Description, formatDate(after.OpensOn), formatDate(after.ClosesOn), c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("store: unable to update call: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleCall()
	}
	after.Version = before.Version + 1
	*c = after
	return tx.audit(ctx, "update", "call", c.ID, before, after)
}

func staleCall() error {
	return nscl.Conflict("version", "đợt mời đăng ký đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the call was changed by someone else after you opened it; reload the page")
}

const callColumns = `id, programme_id, COALESCE(document_id, 0), title, description, opens_on, closes_on, version`

func scanCall(row interface{ Scan(...any) error }) (nscl.Call, error) {
	var c nscl.Call
	err := row.Scan(&c.ID, &c.ProgrammeID, &c.DocumentID, &c.Title, &c.Description, dateValue{&c.OpensOn}, dateValue{&c.ClosesOn}, &c.Version)
	return c, err
}

func callByID(ctx context.Context, c conn, id int64) (nscl.Call, error) {
	call, err := scanCall(c.queryRow(ctx, `SELECT `+callColumns+` FROM calls WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return call, nscl.NotFound("call_id", "không có đợt mời đăng ký số %d", "no call %d", id)
	}
	if err != nil {
		return call, fmt.Errorf("store: unable to read call: %w", err)
	}
	return call, nil
}

// Calls lists the programme's calls, newest first.
func (s *Store) Calls(ctx context.Context, prog *nscl.Programme) ([]nscl.Call, error) {
	rows, err := s.reader().query(ctx, `SELECT `+callColumns+` FROM calls WHERE programme_id = ? ORDER BY opens_on DESC, id DESC`, prog.ID)
	return collect(rows, err, scanCall)
}

// Call returns a call by ID, or ENOTFOUND.
func (s *Store) Call(ctx context.Context, id int64) (nscl.Call, error) {
	return callByID(ctx, s.reader(), id)
}

// RegistrationCounts are how many registrations a call has in each status.
type RegistrationCounts struct{ Pending, Accepted, Declined int64 }

// RegistrationCounts counts the registrations of the programme's calls by
// status, by call ID; a call without any is not in the map.
func (s *Store) RegistrationCounts(ctx context.Context, prog *nscl.Programme) (map[int64]RegistrationCounts, error) {
	rows, err := s.reader().query(ctx, `SELECT r.call_id, r.status, COUNT(*) FROM registrations r JOIN calls c ON c.id = r.call_id
		WHERE c.programme_id = ? GROUP BY r.call_id, r.status`, prog.ID)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count registrations: %w", err)
	}
	defer rows.Close()
	out := map[int64]RegistrationCounts{}
	for rows.Next() {
		var callID, n int64
		var status string
		if err := rows.Scan(&callID, &status, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count registrations: %w", err)
		}
		counts := out[callID]
		switch nscl.RegistrationStatus(status) {
		case nscl.RegistrationPending:
			counts.Pending = n
		case nscl.RegistrationAccepted:
			counts.Accepted = n
		case nscl.RegistrationDeclined:
			counts.Declined = n
		}
		out[callID] = counts
	}
	return out, rows.Err()
}

// CreateRegistration stores what a registrant sent to an open call, as
// pending, and sets its ID and reference number.
func (tx *Tx) CreateRegistration(ctx context.Context, r *nscl.Registration) error {
	if err := nscl.ValidateRegistration(r); err != nil {
		return err
	}
	call, err := callByID(ctx, tx.conn, r.CallID)
	if err != nil {
		return err
	}
	// A call's dates are days in Vietnam, whatever the server's zone.
	if err := call.RequireOpen(tx.now.In(nscl.Local)); err != nil {
		return err
	}
	r.Status, r.CreatedAt, r.Version = nscl.RegistrationPending, tx.now, 1
	// The reference is made from the ID, which is known only after the
	// insert: a placeholder unique to this transaction fills the column first.
	placeholder := fmt.Sprintf("pending-%d", tx.now.UnixNano())
	id, err := tx.insert(ctx, `INSERT INTO registrations (call_id, reference, kind, tax_code, name, address, district, sector, size, contact_name, contact_email, contact_phone,
			support_requested, status, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
		r.CallID, placeholder, string(r.Kind), r.TaxCode, r.Name, r.Address, r.District, r.Sector, string(r.Size), r.Contact.Name, r.Contact.Email, r.Contact.Phone,
		r.Support, string(r.Status), stampOf(tx.now))
	if err != nil {
		return fmt.Errorf("store: unable to create registration: %w", err)
	}
	r.ID, r.Reference = id, fmt.Sprintf("DK-%d-%06d", tx.now.Year(), id)
	if _, err := tx.exec(ctx, `UPDATE registrations SET reference = ? WHERE id = ?`, r.Reference, id); err != nil {
		return fmt.Errorf("store: unable to number registration: %w", err)
	}
	return tx.audit(ctx, "create", "registration", r.ID, nil, r)
}

const registrationColumns = `id, call_id, reference, kind, tax_code, name, address, district, sector, size, contact_name, contact_email, contact_phone,
	support_requested, status, reason, COALESCE(enterprise_id, 0), COALESCE(reviewer_id, 0), reviewed_at, version, created_at`

func scanRegistration(row interface{ Scan(...any) error }) (nscl.Registration, error) {
	var r nscl.Registration
	var kind, size, status string
	err := row.Scan(&r.ID, &r.CallID, &r.Reference, &kind, &r.TaxCode, &r.Name, &r.Address, &r.District, &r.Sector, &size,
		&r.Contact.Name, &r.Contact.Email, &r.Contact.Phone, &r.Support, &status, &r.Reason, &r.EnterpriseID, &r.ReviewerID,
		timeValue{&r.ReviewedAt}, &r.Version, timeValue{&r.CreatedAt})
	r.Kind, r.Size, r.Status = nscl.RegistrantKind(kind), nscl.EnterpriseSize(size), nscl.RegistrationStatus(status)
	return r, err
}

func registrationByID(ctx context.Context, c conn, id int64) (nscl.Registration, error) {
	r, err := scanRegistration(c.queryRow(ctx, `SELECT `+registrationColumns+` FROM registrations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, nscl.NotFound("id", "không có đăng ký số %d", "no registration %d", id)
	}
	if err != nil {
		return r, fmt.Errorf("store: unable to read registration: %w", err)
	}
	return r, nil
}

// Registration returns a registration by ID.
func (s *Store) Registration(ctx context.Context, id int64) (nscl.Registration, error) {
	return registrationByID(ctx, s.reader(), id)
}

// RegistrationFilter selects registrations for review.
type RegistrationFilter struct {
	CallID int64                   // this call's; every call's when 0
	Status nscl.RegistrationStatus // "" for any
	Limit  int                     // at most 200; 50 when zero
	After  int64                   // the previous page's Next; 0 for the first page
}

// RegistrationPage is one page of registrations.
type RegistrationPage struct {
	Registrations []nscl.Registration
	Next          int64   // After for the next page; 0 on the last page
	Count         Counted // the registrations the filter matches, counted up to a cap
}

// Registrations lists the registrations f selects, oldest first: the
// review queue, a page at a time. Each page starts after the last one's
// ID through an index on the filter and the ID (migration 00021), and the
// count stops at countCap, so that no page reads the whole queue.
func (s *Store) Registrations(ctx context.Context, f RegistrationFilter) (RegistrationPage, error) {
	where := ` FROM registrations WHERE 1 = 1`
	var args []any
	if f.CallID != 0 {
		where += ` AND call_id = ?`
		args = append(args, f.CallID)
	}
	if f.Status != "" {
		where += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	c := s.lister()
	var page RegistrationPage
	var err error
	if page.Count, err = countUpTo(ctx, c, where, args); err != nil {
		return page, fmt.Errorf("store: unable to count registrations: %w", err)
	}
	limit := pageLimit(f.Limit)
	rows, err := c.query(ctx, `SELECT `+registrationColumns+where+` AND id > ? ORDER BY id LIMIT ?`, append(args, f.After, limit+1)...)
	page.Registrations, err = collect(rows, err, scanRegistration)
	if err != nil {
		return page, fmt.Errorf("store: unable to list registrations: %w", err)
	}
	if len(page.Registrations) > limit {
		page.Registrations = page.Registrations[:limit]
		page.Next = page.Registrations[limit-1].ID
	}
	return page, nil
}

// AcceptRegistration accepts a pending registration, provided version is
// still the stored one. An enterprise's registration is linked to the
// registry's record of its tax code — created from the registration when
// there is none, and given the registration's details where it had only a
// tax code. A consultant's is accepted without a record.
func (tx *Tx) AcceptRegistration(ctx context.Context, id, version int64) (nscl.Registration, error) {
	before, err := tx.registrationAt(ctx, id, version)
	if err != nil {
		return before, err
	}
	after := before
	var enterpriseID int64
	if before.Kind == nscl.RegistrantEnterprise {
		e, err := enterpriseWhere(ctx, tx.conn, `tax_code = ?`, before.TaxCode)
		switch {
		case nscl.ErrorCode(err) == nscl.ENOTFOUND:
			e = before.Enterprise()
			if err := tx.CreateEnterprise(ctx, &e, false); err != nil {
				return before, err
			}
		case err != nil:
			return before, err
		case e.Name == "":
			described := before.Enterprise()
			described.ID, described.Version = e.ID, e.Version
			if err := tx.UpdateEnterprise(ctx, &described); err != nil {
				return before, err
			}
			e = described
		}
		enterpriseID = e.ID
		if e.MergedInto != 0 {
			enterpriseID = e.MergedInto
		}
	}
	if err := after.Accept(tx.actor, enterpriseID, tx.now); err != nil {
		return before, err
	}
	if err := tx.saveReview(ctx, &after); err != nil {
		return before, err
	}
	return after, tx.audit(ctx, "accept", "registration", id, before, after)
}

// DeclineRegistration declines a pending registration with a reason.
func (tx *Tx) DeclineRegistration(ctx context.Context, id, version int64, reason string) (nscl.Registration, error) {
	before, err := tx.registrationAt(ctx, id, version)
	if err != nil {
		return before, err
	}
	after := before
	if err := after.Decline(tx.actor, reason, tx.now); err != nil {
		return before, err
	}
	if err := tx.saveReview(ctx, &after); err != nil {
		return before, err
	}
	return after, tx.audit(ctx, "decline", "registration", id, before, after)
}

// registrationAt reads a registration to review, provided version is
// still the stored one.
func (tx *Tx) registrationAt(ctx context.Context, id, version int64) (nscl.Registration, error) {
	r, err := registrationByID(ctx, tx.conn, id)
	if err == nil && r.Version != version {
		err = staleRegistration()
	}
	return r, err
}

// saveReview writes a reviewed registration, provided no one reviewed it
// since it was read.
func (tx *Tx) saveReview(ctx context.Context, r *nscl.Registration) error {
	var enterprise, reviewer any
	if r.EnterpriseID != 0 {
		enterprise = r.EnterpriseID
	}
	if r.ReviewerID != 0 {
		reviewer = r.ReviewerID
	}
	res, err := tx.exec(ctx, `UPDATE registrations SET status = ?, reason = ?, enterprise_id = ?, reviewer_id = ?, reviewed_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, string(r.Status), r.Reason, enterprise, reviewer, stampOf(r.ReviewedAt), r.ID, r.Version)
	if err != nil {
		return fmt.Errorf("store: unable to review registration: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleRegistration()
	}
	r.Version++
	return nil
}

func staleRegistration() error {
	return nscl.Conflict("version", "đăng ký đã được người khác xem xét sau khi bạn mở; hãy tải lại trang", "the registration was reviewed by someone else after you opened it; reload the page")
}
