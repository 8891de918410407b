package nscl

import (
	"strings"
	"testing"
	"time"
)

func TestCallRequireOpenSaysWhy(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	c := Call{Title: "Đợt 2021", OpensOn: d(2021, 3, 1), ClosesOn: d(2021, 6, 30)}
	for _, tc := range []struct {
		day  time.Time
		want string // "" when open
	}{
		{d(2021, 3, 1), ""},
		{time.Date(2021, 6, 30, 23, 0, 0, 0, Local), ""}, // the closing day is open to its end
		{d(2021, 2, 28), "nhận đăng ký từ ngày 01/03/2021"},
		{d(2021, 7, 1), "đã hết hạn nhận đăng ký ngày 30/06/2021"},
	} {
		err := c.RequireOpen(tc.day)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.day, err)
		case tc.want != "" && (ErrorCode(err) != EINVALID || ErrorField(err) != "call_id" || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: %v, want %q", tc.day, err, tc.want)
		}
	}
	if err := (Call{Title: "Không thời hạn", OpensOn: d(2022, 9, 23)}).RequireOpen(d(2030, 1, 1)); err != nil {
		t.Errorf("a call without a closing date closed: %v", err)
	}
}

func TestOnlyFocalStaffReviewRegistrations(t *testing.T) {
	for _, role := range Roles {
		u := User{Role: role}
		if got := u.CanReviewRegistrations(); got != (role == RoleFocal) {
			t.Errorf("%s reviews: %v", role, got)
		}
		if (u.RequireRegistrationReview() == nil) != u.CanReviewRegistrations() || (u.RequireRegistrations() == nil) != u.CanSeeContacts() {
			t.Errorf("%s: the refusals disagree with the rules", role)
		}
	}
}

func TestOnlyFocalStaffManageCalls(t *testing.T) {
	for _, role := range Roles {
		u := User{Role: role}
		if got := u.CanManageCalls(); got != (role == RoleFocal) {
			t.Errorf("%s manages calls: %v", role, got)
		}
		if (u.RequireCallManagement() == nil) != u.CanManageCalls() {
			t.Errorf("%s: the refusal disagrees with the rule", role)
		}
	}
}

// Closing makes today the last day; a call closed already, or not open
// yet, is refused rather than reopened or given an end before its start.
func TestCallCloseOn(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	today := time.Date(2022, 10, 1, 23, 30, 0, 0, Local) // late evening in Vietnam
	for _, tc := range []struct {
		name  string
		call  Call
		state CallState
		want  time.Time // zero when refused
	}{
		{"open without end", Call{OpensOn: d(2022, 9, 23)}, CallOpen, d(2022, 10, 1)},
		{"open until later", Call{OpensOn: d(2022, 9, 23), ClosesOn: d(2022, 12, 31)}, CallOpen, d(2022, 10, 1)},
		{"closing today", Call{OpensOn: d(2022, 9, 23), ClosesOn: d(2022, 10, 1)}, CallOpen, d(2022, 10, 1)},
		{"closed", Call{OpensOn: d(2022, 1, 1), ClosesOn: d(2022, 6, 30)}, CallClosed, time.Time{}},
		{"upcoming", Call{OpensOn: d(2022, 11, 1)}, CallUpcoming, time.Time{}},
	} {
		if got := tc.call.StateOn(today); got != tc.state {
			t.Errorf("%s: state %s, want %s", tc.name, got, tc.state)
		}
		c := tc.call
		c.Title = "Đợt " + tc.name
		err := c.CloseOn(today)
		switch {
		case tc.want.IsZero() && (ErrorCode(err) != EINVALID || c.ClosesOn != tc.call.ClosesOn):
			t.Errorf("%s: closed to %v (%v), want a refusal", tc.name, c.ClosesOn, err)
		case !tc.want.IsZero() && (err != nil || !c.ClosesOn.Equal(tc.want) || c.StateOn(today) != CallOpen || ValidateCall(&c) != nil):
			t.Errorf("%s: closes on %v (%v), want %v and still open today", tc.name, c.ClosesOn, err, tc.want)
		}
	}
}
