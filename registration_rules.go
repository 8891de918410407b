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

// RequireOpen returns EINVALID, on field call_id, unless the call takes
// registrations on day: the refusal a registrant reads, saying when the
// call opens or when it closed.
func (c Call) RequireOpen(day time.Time) error {
	switch {
	case c.OpenOn(day):
		return nil
	case !c.ClosesOn.IsZero() && time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).After(c.ClosesOn):
		return Invalid("call_id", "đợt mời đăng ký “%s” đã hết hạn nhận đăng ký ngày %s", "the call “%s” closed on %s", c.Title, c.ClosesOn.Format("02/01/2006"))
	}
	return Invalid("call_id", "đợt mời đăng ký “%s” nhận đăng ký từ ngày %s", "the call “%s” takes registrations from %s", c.Title, c.OpensOn.Format("02/01/2006"))
}
