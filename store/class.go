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

// Classes of the portal's training calendar, the enterprises registered to
// them and their attendees (migration 00027). Whatever changes who was
// present, or what the class says, writes the class's activity in the same
// transaction (syncClassActivity), through the activity writes that keep
// the totals.

// mayOrganise refuses a write to the classes of unitID by someone who may
// not run them. Writes with no user behind them (the command line, tests)
// are an operator's and act as focal staff, as for activities.
func (tx *Tx) mayOrganise(ctx context.Context, unitID int64) error {
	if tx.actor == 0 {
		return nil
	}
	u, err := tx.actorUser(ctx)
	if err != nil {
		return err
	}
	return u.RequireClassOrganiser(unitID)
}

// checkOrganiser checks that the class's organiser may be written by the
// acting user and is a unit open on the class's first day.
func (tx *Tx) checkOrganiser(ctx context.Context, c *nscl.Class) error {
	if err := tx.mayOrganise(ctx, c.UnitID); err != nil {
		return err
	}
	u, err := unitByID(ctx, tx.conn, c.UnitID)
	if err != nil {
		return err
	}
	if !u.OpenOn(c.StartsOn) {
		return nscl.Invalid("unit", "đơn vị %s không còn hoạt động (hoặc chưa thành lập) vào ngày %s", "unit %s was not open on %s", u.Name, c.StartsOn.Format("02/01/2006"))
	}
	return nil
}

// CreateClass publishes a class of the programme and sets its ID and
// version. Returns EINVALID for bad fields (naming the field), ENOTFOUND
// for an unknown unit and EFORBIDDEN for a user who may not run the
// unit's classes.
func (tx *Tx) CreateClass(ctx context.Context, prog *nscl.Programme, c *nscl.Class) error {
	if err := nscl.ValidateClass(c, prog); err != nil {
		return err
	}
	if err := tx.checkOrganiser(ctx, c); err != nil {
		return err
	}
	stamp := stampOf(tx.now)
	id, err := tx.insert(ctx, `INSERT INTO classes (programme_id, unit_id, title, topic, task_group, starts_on, ends_on, place, online_link, capacity,
			registration_closes_on, description, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		prog.ID, c.UnitID, c.Title, c.Topic, c.TaskGroup, formatDate(c.StartsOn), formatDate(c.EndsOn), c.Place, c.OnlineLink, c.Capacity,
		formatDate(c.RegistrationClosesOn), c.Description, stamp, stamp)
	if err != nil {
		return fmt.Errorf("store: unable to create class: %w", err)
	}
	c.ID, c.ProgrammeID, c.Version, c.Registered, c.ActivityID = id, prog.ID, 1, 0, 0
	return tx.audit(ctx, "create", "class", c.ID, nil, c)
}

// UpdateClass saves what a class says, provided c.Version is still the
// stored one, and brings its activity in step (a new title, date, group
// or organiser). Returns ENOTFOUND, EINVALID (naming the field),
// EFORBIDDEN — also when the activity's period is locked by a round — and
// ECONFLICT when someone saved the class since.
func (tx *Tx) UpdateClass(ctx context.Context, prog *nscl.Programme, c *nscl.Class) error {
	before, err := tx.claimClass(ctx, prog, c.ID, c.Version)
	if err != nil {
		return err
	}
	after := *c
	after.ProgrammeID, after.Registered, after.ActivityID, after.Version = before.ProgrammeID, before.Registered, before.ActivityID, before.Version
	if err := nscl.ValidateClass(&after, prog); err != nil {
		return err
	}
	if err := tx.mayOrganise(ctx, before.UnitID); err != nil {
		return err
	}
	if err := tx.checkOrganiser(ctx, &after); err != nil {
		return err
	}
	if after.Capacity < after.Registered {
		return nscl.Invalid("capacity", "đã có %d người đăng ký; số chỗ không thể ít hơn", "%d people are registered already; the capacity cannot be smaller", after.Registered)
	}
	if _, err := tx.exec(ctx, `UPDATE classes SET unit_id = ?, title = ?, topic = ?, task_group = ?, starts_on = ?, ends_on = ?, place = ?, online_link = ?,
			capacity = ?, registration_closes_on = ?, description = ? WHERE id = ?`,
		after.UnitID, after.Title, after.Topic, after.TaskGroup, formatDate(after.StartsOn), formatDate(after.EndsOn), after.Place, after.OnlineLink,
		after.Capacity, formatDate(after.RegistrationClosesOn), after.Description, after.ID); err != nil {
		return fmt.Errorf("store: unable to update class: %w", err)
	}
	if err := tx.syncClassActivity(ctx, prog, &after); err != nil {
		return err
	}
	*c = after
	before.Version--
	return tx.audit(ctx, "update", "class", c.ID, before, after)
}

// DeleteClass removes a class with its registrations and its activity,
// provided version is still the stored one. Returns ENOTFOUND, ECONFLICT,
// and EFORBIDDEN — also when the activity's period is locked.
func (tx *Tx) DeleteClass(ctx context.Context, prog *nscl.Programme, id, version int64) error {
	before, err := tx.claimClass(ctx, prog, id, version)
	if err != nil {
		return err
	}
	if err := tx.mayOrganise(ctx, before.UnitID); err != nil {
		return err
	}
	if err := tx.dropClassActivity(ctx, prog, &before); err != nil {
		return err
	}
	for _, stmt := range []string{`DELETE FROM class_attendees WHERE class_id = ?`, `DELETE FROM class_registrations WHERE class_id = ?`, `DELETE FROM classes WHERE id = ?`} {
		if _, err := tx.exec(ctx, stmt, id); err != nil {
			return fmt.Errorf("store: unable to delete class: %w", err)
		}
	}
	before.Version--
	return tx.audit(ctx, "delete", "class", id, before, nil)
}

// claimClass bumps the class's version provided it is still version, and
// returns it as stored (with the new version): the row is locked before
// anything else is read, as claimActivity does for activities.
func (tx *Tx) claimClass(ctx context.Context, prog *nscl.Programme, id, version int64) (nscl.Class, error) {
	res, err := tx.exec(ctx, `UPDATE classes SET version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND programme_id = ?`,
		stampOf(tx.now), id, version, prog.ID)
	if err != nil {
		return nscl.Class{}, fmt.Errorf("store: unable to claim class: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if _, err := tx.lockClass(ctx, prog, id); err != nil {
			return nscl.Class{}, err
		}
		return nscl.Class{}, nscl.Conflict("version", "lớp tập huấn đã được người khác sửa sau khi bạn mở; hãy tải lại trang", "the class was changed by someone else after you opened it; reload the page")
	}
	return classByID(ctx, tx.conn, id)
}

// lockClass touches the programme's class, which locks its row until the
// transaction ends — two saves of one class's registrations or attendance
// then follow each other — and returns it. Returns ENOTFOUND for a class
// of no programme or of another.
func (tx *Tx) lockClass(ctx context.Context, prog *nscl.Programme, id int64) (nscl.Class, error) {
	res, err := tx.exec(ctx, `UPDATE classes SET updated_at = ? WHERE id = ? AND programme_id = ?`, stampOf(tx.now), id, prog.ID)
	if err != nil {
		return nscl.Class{}, fmt.Errorf("store: unable to lock class: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nscl.Class{}, noClass(id)
	}
	return classByID(ctx, tx.conn, id)
}

func noClass(id int64) error {
	return nscl.NotFound("class_id", "không có lớp tập huấn số %d", "no class %d", id)
}

const classColumns = `id, programme_id, unit_id, title, topic, task_group, starts_on, ends_on, place, online_link, capacity,
	registration_closes_on, description, registered, COALESCE(activity_id, 0), version`

func scanClass(row interface{ Scan(...any) error }) (nscl.Class, error) {
	var c nscl.Class
	err := row.Scan(&c.ID, &c.ProgrammeID, &c.UnitID, &c.Title, &c.Topic, &c.TaskGroup, dateValue{&c.StartsOn}, dateValue{&c.EndsOn},
		&c.Place, &c.OnlineLink, &c.Capacity, dateValue{&c.RegistrationClosesOn}, &c.Description, &c.Registered, &c.ActivityID, &c.Version)
	return c, err
}

func classByID(ctx context.Context, c conn, id int64) (nscl.Class, error) {
	class, err := scanClass(c.queryRow(ctx, `SELECT `+classColumns+` FROM classes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return class, noClass(id)
	}
	if err != nil {
		return class, fmt.Errorf("store: unable to read class: %w", err)
	}
	return class, nil
}

// Class returns a class by ID, or ENOTFOUND.
func (s *Store) Class(ctx context.Context, id int64) (nscl.Class, error) {
	return classByID(ctx, s.reader(), id)
}

// ClassFilter selects a page of the programme's classes.
type ClassFilter struct {
	// Past lists the classes that started before Day, latest first;
	// otherwise those starting on Day or later, soonest first. A zero Day
	// lists every class, latest first.
	Day   time.Time
	Past  bool
	After string // the previous page's Next; "" for the first page
	Limit int    // at most 200; 50 when zero
}

// ClassPage is one page of classes.
type ClassPage struct {
	Classes []nscl.Class
	Next    string // After for the next page; "" on the last page
}

// Classes lists a page of the programme's classes by first day and ID,
// through the index on that order (migration 00027): a page starts after
// the previous one's last class, so that no page reads those before it.
func (s *Store) Classes(ctx context.Context, prog *nscl.Programme, f ClassFilter) (ClassPage, error) {
	where, args := ` WHERE programme_id = ?`, []any{prog.ID}
	soonest := !f.Day.IsZero() && !f.Past
	switch {
	case soonest:
		where += ` AND starts_on >= ?`
		args = append(args, formatDate(f.Day))
	case !f.Day.IsZero():
		where += ` AND starts_on < ?`
		args = append(args, formatDate(f.Day))
	}
	if f.After != "" {
		c, err := parseCursor(f.After)
		if err != nil {
			return ClassPage{}, err
		}
		if soonest {
			where += ` AND (starts_on, id) > (?, ?)`
		} else {
			where += ` AND (starts_on, id) < (?, ?)`
		}
		args = append(args, c.args()...)
	}
	order := ` ORDER BY starts_on DESC, id DESC`
	if soonest {
		order = ` ORDER BY starts_on, id`
	}
	limit := pageLimit(f.Limit)
	rows, err := s.lister().query(ctx, `SELECT `+classColumns+` FROM classes`+where+order+` LIMIT ?`, append(args, limit+1)...)
	classes, err := collect(rows, err, scanClass)
	if err != nil {
		return ClassPage{}, fmt.Errorf("store: unable to list classes: %w", err)
	}
	var page ClassPage
	if len(classes) > limit {
		classes = classes[:limit]
		last := classes[limit-1]
		page.Next = cursor{last.StartsOn, last.ID}.String()
	}
	page.Classes = classes
	return page, nil
}

// RegisterForClass stores an enterprise's registration to a class that
// takes it today (in Vietnam), with its attendees, and sets its ID and the
// attendees'. Returns EINVALID naming the field: a bad field, registration
// closed (class_id), too few places left (attendees), the tax code
// registered already (tax_code); ENOTFOUND for an unknown class.
func (tx *Tx) RegisterForClass(ctx context.Context, prog *nscl.Programme, r *nscl.ClassRegistration) error {
	if err := nscl.ValidateClassRegistration(r); err != nil {
		return err
	}
	// Counting the places taken locks the class's row: two registrations
	// for its last places follow each other, and the second finds none.
	res, err := tx.exec(ctx, `UPDATE classes SET registered = registered + ? WHERE id = ? AND programme_id = ?`, len(r.Attendees), r.ClassID, prog.ID)
	if err != nil {
		return fmt.Errorf("store: unable to count a class's places: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return noClass(r.ClassID)
	}
	class, err := classByID(ctx, tx.conn, r.ClassID)
	if err != nil {
		return err
	}
	class.Registered -= int64(len(r.Attendees)) // the places taken before this one
	if err := class.RequireRoom(tx.now.In(nscl.Local), int64(len(r.Attendees))); err != nil {
		return err
	}
	var taken int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM class_registrations WHERE class_id = ? AND tax_code = ?`, r.ClassID, r.TaxCode).Scan(&taken); err != nil {
		return fmt.Errorf("store: unable to look up a registration: %w", err)
	}
	if taken > 0 {
		// The public form's answer: it names no enterprise and does not
		// say that this one registered, which anyone may ask of any tax code.
		return nscl.Invalid("tax_code", "chưa ghi nhận được đăng ký này qua biểu mẫu; xin liên hệ đơn vị tổ chức lớp để đăng ký hoặc thay đổi người tham dự",
			"this registration could not be recorded through the form; contact the class's organiser to register or to change attendees")
	}
	r.CreatedAt = tx.now
	r.ID, err = tx.insert(ctx, `INSERT INTO class_registrations (class_id, tax_code, enterprise_name, contact_name, contact_email, contact_phone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ClassID, r.TaxCode, r.EnterpriseName, r.Contact.Name, r.Contact.Email, r.Contact.Phone, stampOf(tx.now))
	if err != nil {
		return fmt.Errorf("store: unable to create a class registration: %w", err)
	}
	for i := range r.Attendees {
		if err := tx.insertAttendee(ctx, r.ClassID, r.ID, &r.Attendees[i]); err != nil {
			return err
		}
	}
	return tx.audit(ctx, "create", "class_registration", r.ID, nil, r)
}

func (tx *Tx) insertAttendee(ctx context.Context, classID, registrationID int64, a *nscl.Attendee) error {
	id, err := tx.insert(ctx, `INSERT INTO class_attendees (class_id, registration_id, name, position, present) VALUES (?, ?, ?, ?, ?)`,
		classID, registrationID, a.Name, a.Position, a.Present)
	if err != nil {
		return fmt.Errorf("store: unable to add an attendee: %w", err)
	}
	a.ID, a.RegistrationID = id, registrationID
	return nil
}

// ClassRegistrations returns the class's registrations with their
// attendees, in the order they came. A class's attendees are bounded by
// its capacity and the walk-ins each registration may add, so they are
// read whole.
func (s *Store) ClassRegistrations(ctx context.Context, classID int64) ([]nscl.ClassRegistration, error) {
	return classRegistrations(ctx, s.reader(), classID)
}

func classRegistrations(ctx context.Context, c conn, classID int64) ([]nscl.ClassRegistration, error) {
	rows, err := c.query(ctx, `SELECT id, class_id, tax_code, enterprise_name, contact_name, contact_email, contact_phone, created_at
		FROM class_registrations WHERE class_id = ? ORDER BY id`, classID)
	regs, err := collect(rows, err, func(row interface{ Scan(...any) error }) (nscl.ClassRegistration, error) {
		var r nscl.ClassRegistration
		err := row.Scan(&r.ID, &r.ClassID, &r.TaxCode, &r.EnterpriseName, &r.Contact.Name, &r.Contact.Email, &r.Contact.Phone, timeValue{&r.CreatedAt})
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a class's registrations: %w", err)
	}
	at := make(map[int64]int, len(regs))
	for i, r := range regs {
		at[r.ID] = i
	}
	err = eachRow(ctx, c, `SELECT id, registration_id, name, position, present FROM class_attendees WHERE class_id = ? ORDER BY registration_id, id`, []any{classID},
		func(row interface{ Scan(...any) error }) error {
			var a nscl.Attendee
			if err := row.Scan(&a.ID, &a.RegistrationID, &a.Name, &a.Position, &a.Present); err != nil {
				return err
			}
			if i, ok := at[a.RegistrationID]; ok {
				regs[i].Attendees = append(regs[i].Attendees, a)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a class's attendees: %w", err)
	}
	return regs, nil
}

// SaveAttendance marks the class's attendees present or not, as present
// says by attendee ID; attendees it does not name keep their mark (someone
// who registered after the page was opened). The class's activity follows
// in the same transaction. Returns ENOTFOUND for an unknown class,
// EINVALID (attendees) for an attendee of another class, and EFORBIDDEN
// for a user who may not run the class or a period a round has locked.
func (tx *Tx) SaveAttendance(ctx context.Context, prog *nscl.Programme, classID int64, present map[int64]bool) error {
	class, err := tx.lockClass(ctx, prog, classID)
	if err != nil {
		return err
	}
	if err := tx.mayOrganise(ctx, class.UnitID); err != nil {
		return err
	}
	was := map[int64]bool{}
	err = eachRow(ctx, tx.conn, `SELECT id, present FROM class_attendees WHERE class_id = ?`, []any{classID}, func(row interface{ Scan(...any) error }) error {
		var id int64
		var p bool
		err := row.Scan(&id, &p)
		was[id] = p
		return err
	})
	if err != nil {
		return fmt.Errorf("store: unable to read attendance: %w", err)
	}
	var before, after []int64
	for id, p := range was {
		if p {
			before = append(before, id)
		}
	}
	for id, p := range present {
		old, ok := was[id]
		if !ok {
			return nscl.Invalid("attendees", "người tham dự số %d không thuộc lớp này", "attendee %d is not of this class", id)
		}
		if old == p {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE class_attendees SET present = ? WHERE id = ?`, p, id); err != nil {
			return fmt.Errorf("store: unable to mark attendance: %w", err)
		}
		was[id] = p
	}
	for id, p := range was {
		if p {
			after = append(after, id)
		}
	}
	if err := tx.syncClassActivity(ctx, prog, &class); err != nil {
		return err
	}
	return tx.audit(ctx, "update", "class_attendance", classID, attendance{class.UnitID, slices.Sorted(slices.Values(before))}, attendance{class.UnitID, slices.Sorted(slices.Values(after))})
}

// attendance is what the audit log keeps of a class's attendance.
type attendance struct {
	UnitID  int64   `json:"unit_id"`
	Present []int64 `json:"present"`
}

// AddWalkIn adds a person who came without being registered to one of the
// class's registrations, marked present, and brings the activity in step.
// A walk-in is in the room already: neither the closing date nor the
// capacity, which are online registration's, refuse one. Returns EINVALID
// (naming the field), ENOTFOUND and EFORBIDDEN as SaveAttendance does.
func (tx *Tx) AddWalkIn(ctx context.Context, prog *nscl.Programme, classID, registrationID int64, a *nscl.Attendee) error {
	if err := nscl.ValidateAttendee("name", a); err != nil {
		return err
	}
	class, err := tx.lockClass(ctx, prog, classID)
	if err != nil {
		return err
	}
	if err := tx.mayOrganise(ctx, class.UnitID); err != nil {
		return err
	}
	var names []string
	err = eachRow(ctx, tx.conn, `SELECT a.name FROM class_attendees a JOIN class_registrations r ON r.id = a.registration_id WHERE r.id = ? AND r.class_id = ?`,
		[]any{registrationID, classID}, func(row interface{ Scan(...any) error }) error {
			var name string
			err := row.Scan(&name)
			names = append(names, name)
			return err
		})
	if err != nil {
		return fmt.Errorf("store: unable to read a registration's attendees: %w", err)
	}
	switch {
	case len(names) == 0: // every registration names someone: none is not this class's
		return nscl.NotFound("registration", "lớp không có đăng ký số %d", "the class has no registration %d", registrationID)
	case len(names) >= nscl.MaxClassAttendees:
		return nscl.Invalid("name", "một doanh nghiệp đăng ký không quá %d người", "an enterprise registers at most %d people", nscl.MaxClassAttendees)
	}
	for _, n := range names {
		if nscl.SearchKey(n) == nscl.SearchKey(a.Name) {
			return nscl.Invalid("name", "“%s” đã có trong danh sách của doanh nghiệp này", "“%s” is already on this enterprise's list", a.Name)
		}
	}
	a.Present = true
	if err := tx.insertAttendee(ctx, classID, registrationID, a); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE classes SET registered = registered + 1 WHERE id = ?`, classID); err != nil {
		return fmt.Errorf("store: unable to count a walk-in: %w", err)
	}
	class.Registered++
	if err := tx.syncClassActivity(ctx, prog, &class); err != nil {
		return err
	}
	return tx.audit(ctx, "create", "class_attendee", a.ID, nil, struct {
		UnitID  int64 `json:"unit_id"`
		ClassID int64 `json:"class_id"`
		nscl.Attendee
	}{class.UnitID, classID, *a})
}

// syncClassActivity writes the activity the class's attendance makes
// (nscl.ClassActivity), changes the one it made before, or deletes it when
// nobody is present any more, and keeps its ID on the class. An activity
// that would not change is not written again: editing a class's
// description does not touch a period a round has locked.
func (tx *Tx) syncClassActivity(ctx context.Context, prog *nscl.Programme, c *nscl.Class) error {
	pc, err := tx.PortalCounting(ctx, prog)
	if err != nil {
		return err
	}
	present := map[string]int{}
	err = eachRow(ctx, tx.conn, `SELECT r.tax_code, COUNT(*) FROM class_attendees a JOIN class_registrations r ON r.id = a.registration_id
		WHERE a.class_id = ? AND a.present = ? GROUP BY r.tax_code`, []any{c.ID, true}, func(row interface{ Scan(...any) error }) error {
		var code string
		var n int
		err := row.Scan(&code, &n)
		present[code] = n
		return err
	})
	if err != nil {
		return fmt.Errorf("store: unable to count attendance: %w", err)
	}
	want, ok := nscl.ClassActivity(*c, pc, present)
	if !ok {
		return tx.dropClassActivity(ctx, prog, c)
	}
	old, found, err := tx.classActivity(ctx, c)
	if err != nil {
		return err
	}
	if found {
		if nscl.SameActivity(old, want) && old.Ref == want.Ref {
			return nil
		}
		want.ID, want.Version, want.NotInFootnote = old.ID, old.Version, old.NotInFootnote
		return tx.asPortal(func() error { return tx.UpdateActivity(ctx, prog, &want) })
	}
	if err := tx.asPortal(func() error { return tx.CreateActivity(ctx, prog, &want) }); err != nil {
		return err
	}
	c.ActivityID = want.ID
	return tx.setClassActivity(ctx, c.ID, want.ID)
}

// dropClassActivity deletes the activity the class made, if any.
func (tx *Tx) dropClassActivity(ctx context.Context, prog *nscl.Programme, c *nscl.Class) error {
	old, found, err := tx.classActivity(ctx, c)
	if err != nil || !found {
		return err
	}
	if err := tx.asPortal(func() error { return tx.DeleteActivity(ctx, prog, old.ID, old.Version) }); err != nil {
		return err
	}
	c.ActivityID = 0
	return tx.setClassActivity(ctx, c.ID, 0)
}

// classActivity reads the activity the class made; found is false when it
// made none, or it is gone.
func (tx *Tx) classActivity(ctx context.Context, c *nscl.Class) (a nscl.Activity, found bool, err error) {
	if c.ActivityID == 0 {
		return a, false, nil
	}
	a, err = activityByID(ctx, tx.conn, c.ActivityID)
	if nscl.ErrorCode(err) == nscl.ENOTFOUND || err == nil && a.Ref != nscl.ClassRef(c.ID) {
		return nscl.Activity{}, false, nil
	}
	return a, err == nil, err
}

func (tx *Tx) setClassActivity(ctx context.Context, classID, activityID int64) error {
	var id any
	if activityID != 0 {
		id = activityID
	}
	if _, err := tx.exec(ctx, `UPDATE classes SET activity_id = ? WHERE id = ?`, id, classID); err != nil {
		return fmt.Errorf("store: unable to link a class to its activity: %w", err)
	}
	return nil
}
