package nscl

import "time"

// RegistrantKinds lists the kinds in the order forms offer them.
var RegistrantKinds = []RegistrantKind{RegistrantEnterprise, RegistrantConsultant}

// RegistrationStatuses lists the statuses in the order of review.
var RegistrationStatuses = []RegistrationStatus{RegistrationPending, RegistrationAccepted, RegistrationDeclined}

// CanReviewRegistrations reports whether u may accept or decline
// registrations: focal staff, who answer registrants and keep the
// registry. Administrators read them (CanSeeContacts) but do not decide.
func (u User) CanReviewRegistrations() bool { return u.Role == RoleFocal }

// RequireRegistrations returns EFORBIDDEN unless u may read registrations,
// which carry registrants' contact details.
func (u User) RequireRegistrations() error {
	if u.CanSeeContacts() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối và quản trị xem được các đăng ký tham gia", "only focal-point staff and administrators may read registrations")
}

// RequireRegistrationReview returns EFORBIDDEN unless u may accept or
// decline registrations.
func (u User) RequireRegistrationReview() error {
	if u.CanReviewRegistrations() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối được chấp nhận hoặc không chấp nhận đăng ký", "only focal-point staff may accept or decline registrations")
}

// CanManageCalls reports whether u may open, change and close calls for
// participation: focal staff, who answer the registrations a call brings.
func (u User) CanManageCalls() bool { return u.Role == RoleFocal }

// RequireCallManagement returns EFORBIDDEN unless u may manage calls.
func (u User) RequireCallManagement() error {
	if u.CanManageCalls() {
		return nil
	}
	return Forbidden("chỉ cán bộ đầu mối được mở, sửa và đóng đợt mời đăng ký", "only focal-point staff may open, change and close calls for participation")
}

// CallState is where a call stands on a day.
type CallState string

const (
	CallUpcoming CallState = "upcoming" // opens on a later day
	CallOpen     CallState = "open"
	CallClosed   CallState = "closed"
)

// StateOn says where the call stands on day.
func (c Call) StateOn(day time.Time) CallState {
	switch {
	case c.OpenOn(day):
		return CallOpen
	case calendarDay(day).Before(c.OpensOn):
		return CallUpcoming
	}
	return CallClosed
}

// RequireOpen returns EINVALID, on field call_id, unless the call takes
// registrations on day: the refusal a registrant reads, saying when the
// call opens or when it closed.
func (c Call) RequireOpen(day time.Time) error {
	switch c.StateOn(day) {
	case CallOpen:
		return nil
	case CallClosed:
		return Invalid("call_id", "đợt mời đăng ký “%s” đã hết hạn nhận đăng ký ngày %s", "the call “%s” closed on %s", c.Title, c.ClosesOn.Format("02/01/2006"))
	}
	return Invalid("call_id", "đợt mời đăng ký “%s” nhận đăng ký từ ngày %s", "the call “%s” takes registrations from %s", c.Title, c.OpensOn.Format("02/01/2006"))
}

// CloseOn makes day the call's last day of registrations (it still takes
// them until the day ends). Returns EINVALID, on field closes_on, for a
// call that closed before day — closing it again would reopen it — or that
// has not opened yet: that one is put off by changing its dates.
func (c *Call) CloseOn(day time.Time) error {
	switch c.StateOn(day) {
	case CallClosed:
		return Invalid("closes_on", "đợt mời đăng ký “%s” đã đóng ngày %s", "the call “%s” already closed on %s", c.Title, c.ClosesOn.Format("02/01/2006"))
	case CallUpcoming:
		return Invalid("closes_on", "đợt mời đăng ký “%s” chưa mở (mở từ ngày %s); hãy sửa ngày mở, ngày đóng thay vì đóng", "the call “%s” has not opened yet (it opens on %s); change its dates instead", c.Title, c.OpensOn.Format("02/01/2006"))
	}
	c.ClosesOn = calendarDay(day)
	return nil
}

// calendarDay is the date of t, in t's own zone, as a call's dates are
// kept: midnight UTC.
func calendarDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
