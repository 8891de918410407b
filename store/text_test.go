package store

import (
	"context"
	"testing"

	"nscl"
)

// Text a database cannot hold (PostgreSQL stores no NUL and no broken
// UTF-8) or that hides in names and headers is bad input naming its field,
// on both engines, and writes nothing; multi-line text keeps its tabs and
// line breaks.
func TestControlCharactersAreRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		call := nscl.Call{ProgrammeID: f.prog.ID, Title: "Mời đăng ký hỗ trợ năm 2023", OpensOn: day("2023-01-02")}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateCall(ctx, &call) }); err != nil {
			t.Fatal(err)
		}
		user := newUser(t, s, "thuky@quan3.gov.vn", nscl.RoleReporter, f.district1)
		registration := func(edit func(*nscl.Registration)) func(context.Context, *Tx) error {
			r := nscl.Registration{CallID: call.ID, TaxCode: "0314159265", Name: "Công ty TNHH Bánh kẹo Phú Nhuận",
				Contact: nscl.Contact{Name: "Đỗ Thị Hạnh", Phone: "028 3844 5566"}, Support: "Áp dụng HACCP"}
			edit(&r)
			return func(ctx context.Context, tx *Tx) error { return tx.CreateRegistration(ctx, &r) }
		}
		newActivity := func(edit func(*nscl.Activity)) func(context.Context, *Tx) error {
			a := activity(f.department, "2023-01-10", qty(mTrainees, 27))
			edit(a)
			return func(ctx context.Context, tx *Tx) error { return tx.CreateActivity(ctx, f.prog, a) }
		}

		for _, tc := range []struct {
			name, field string
			write       func(context.Context, *Tx) error
		}{
			{"NUL in a registrant's name", "name", registration(func(r *nscl.Registration) { r.Name = "Công ty\x00 Phú Nhuận" })},
			{"escape in a support request", "support_requested", registration(func(r *nscl.Registration) { r.Support = "HACCP \x1b[31mgấp" })},
			{"broken UTF-8 in an address", "address", registration(func(r *nscl.Registration) { r.Address = "Phường 7, Quận \xff3" })},
			{"NUL in a contact's name", "contact.name", registration(func(r *nscl.Registration) { r.Contact.Name = "Hạnh\x00" })},
			{"NUL in a description", "description", newActivity(func(a *nscl.Activity) { a.Description = "Lớp ISO 22000\x00 cho bếp ăn" })},
			{"a line break in a one-line source", "source", newActivity(func(a *nscl.Activity) { a.Source = "Công văn 12\nBáo cáo quý I" })},
			{"DEL in a unit's name", "name", func(ctx context.Context, tx *Tx) error {
				return tx.CreateUnit(ctx, &nscl.OrgUnit{ParentID: f.province.ID, Code: "HCM-Q3", Name: "Quận 3\x7f", Level: nscl.LevelDistrict})
			}},
			{"a C1 control in a user's name", "name", func(ctx context.Context, tx *Tx) error {
				u := nscl.User{Email: "q3@hcm.gov.vn", Name: "Lê\u0085Minh", Role: nscl.RoleViewer, UnitID: f.province.ID}
				return tx.CreateUser(ctx, &u, testPassword)
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpAll(t, s)
				wantError(t, s.Update(ctx, func(tx *Tx) error { return tc.write(ctx, tx) }), nscl.EINVALID, tc.field)
				wantAllUnchanged(t, s, before)
			})
		}

		// Signing in with such an address is bad input, not a database error.
		_, err := s.Authenticate(ctx, "thuky\x00@quan3.gov.vn", testPassword)
		wantError(t, err, nscl.EINVALID, "email")
		if got, err := s.Authenticate(ctx, user.Email, testPassword); err != nil || got.ID != user.ID {
			t.Errorf("the owner's sign-in: %+v, %v", got, err)
		}

		// A description over lines, with a tab, is stored as it was written.
		a := activity(f.department, "2023-01-11", qty(mTrainees, 31))
		a.Description = "Tập huấn 5S:\n\t- buổi sáng: lý thuyết\r\n\t- buổi chiều: thực hành"
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Activity(ctx, a.ID); err != nil || got.Description != a.Description {
			t.Errorf("multi-line description read back as %q, %v; want %q", got.Description, err, a.Description)
		}
	})
}

// A unit code names files, URLs and sheet cells: letters, digits, "-", "_"
// and "." only.
func TestUnitCodeAlphabet(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		for _, code := range []string{`HCM-Q3";x=1`, "HCM Q3", "HCM/Q3", "HCM-QUẬN3"} {
			before := dumpDB(t, s)
			err := s.Update(ctx, func(tx *Tx) error {
				return tx.CreateUnit(ctx, &nscl.OrgUnit{ParentID: f.province.ID, Code: code, Name: "Quận 3", Level: nscl.LevelDistrict})
			})
			wantError(t, err, nscl.EINVALID, "code")
			wantUnchanged(t, s, before)
		}
		ok := nscl.OrgUnit{ParentID: f.province.ID, Code: "HCM-Q3_cu.2024", Name: "Quận 3", Level: nscl.LevelDistrict}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateUnit(ctx, &ok) }); err != nil {
			t.Errorf("code %s: %v", ok.Code, err)
		}
	})
}
