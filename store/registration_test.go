package store

import (
	"strings"
	"testing"
	"time"

	"nscl"
)

// A call takes registrations while open; accepting an enterprise's
// registration creates its record, or describes the record its tax code
// already had; declining needs a reason; a registration is reviewed once.
func TestRegistrations(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		s.Now = func() time.Time { return time.Date(2022, 10, 1, 9, 0, 0, 0, time.UTC) }
		open := nscl.Call{ProgrammeID: f.prog.ID, Title: "Mời đăng ký tham gia nhiệm vụ hỗ trợ doanh nghiệp năm 2022", OpensOn: day("2022-09-23")}
		closed := nscl.Call{ProgrammeID: f.prog.ID, Title: "Đợt đã đóng", OpensOn: day("2022-01-01"), ClosesOn: day("2022-06-30")}
		err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateCall(ctx, &open); err != nil {
				return err
			}
			if err := tx.CreateCall(ctx, &closed); err != nil {
				return err
			}
			_, err := tx.AddTaxCodes(ctx, []string{"0312345678"}) // met in an activity before it registers
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		register := func(r nscl.Registration) (nscl.Registration, error) {
			err := s.Update(ctx, func(tx *Tx) error { return tx.CreateRegistration(ctx, &r) })
			return r, err
		}
		good := nscl.Registration{CallID: open.ID, TaxCode: "0301234567", Name: "Công ty TNHH Cơ khí Sài Gòn",
			Contact: nscl.Contact{Name: "Nguyễn Văn A", Email: "a@example.vn"}, Support: "Áp dụng công cụ 5S, Kaizen"}
		first, err := register(good)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(first.Reference, "DK-2022-") || first.Status != nscl.RegistrationPending {
			t.Errorf("registration %+v", first)
		}
		described := good
		described.TaxCode, described.Name = "0312345678", "Công ty Cổ phần Dệt may Gia Định"
		second, err := register(described)
		if err != nil {
			t.Fatal(err)
		}
		third, err := register(nscl.Registration{CallID: open.ID, Kind: nscl.RegistrantConsultant, TaxCode: "8012345678", Name: "Trần Thị B",
			Contact: nscl.Contact{Phone: "0903 123 456"}, Support: "Chuyên gia tư vấn năng suất"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = register(nscl.Registration{CallID: closed.ID, TaxCode: "0301234567", Name: "X", Contact: nscl.Contact{Email: "x@example.vn"}, Support: "y"})
		wantError(t, err, nscl.EINVALID, "call_id")
		_, err = register(nscl.Registration{CallID: open.ID, TaxCode: "0301234567", Name: "Không liên hệ", Support: "y"})
		wantError(t, err, nscl.EINVALID, "contact.email")

		review := func(fn func(tx *Tx) (nscl.Registration, error)) (nscl.Registration, error) {
			var r nscl.Registration
			err := s.Update(ctx, func(tx *Tx) error {
				var err error
				r, err = fn(tx)
				return err
			})
			return r, err
		}
		accepted, err := review(func(tx *Tx) (nscl.Registration, error) { return tx.AcceptRegistration(ctx, first.ID, first.Version) })
		if err != nil || accepted.Status != nscl.RegistrationAccepted || accepted.EnterpriseID == 0 {
			t.Fatalf("accept: %+v %v", accepted, err)
		}
		if e, err := s.Enterprise(ctx, accepted.EnterpriseID); err != nil || e.Name != good.Name || e.Contact.Email != "a@example.vn" {
			t.Errorf("the record made: %+v %v", e, err)
		}
		_, err = review(func(tx *Tx) (nscl.Registration, error) { return tx.AcceptRegistration(ctx, first.ID, first.Version) })
		wantError(t, err, nscl.ECONFLICT, "version")

		linked, err := review(func(tx *Tx) (nscl.Registration, error) { return tx.AcceptRegistration(ctx, second.ID, second.Version) })
		if err != nil {
			t.Fatal(err)
		}
		if e, err := s.EnterpriseByTaxCode(ctx, "0312345678"); err != nil || e.ID != linked.EnterpriseID || e.Name != described.Name {
			t.Errorf("the unnamed record described: %+v %v (registration's %d)", e, err, linked.EnterpriseID)
		}

		_, err = review(func(tx *Tx) (nscl.Registration, error) {
			return tx.DeclineRegistration(ctx, third.ID, third.Version, "  ")
		})
		wantError(t, err, nscl.EINVALID, "reason")
		declined, err := review(func(tx *Tx) (nscl.Registration, error) {
			return tx.DeclineRegistration(ctx, third.ID, third.Version, "Chưa đủ kinh nghiệm tư vấn")
		})
		if err != nil || declined.Status != nscl.RegistrationDeclined || declined.EnterpriseID != 0 {
			t.Errorf("decline: %+v %v", declined, err)
		}
		pending, err := s.Registrations(ctx, open.ID, nscl.RegistrationPending)
		if err != nil || len(pending) != 0 {
			t.Errorf("pending after review: %d %v", len(pending), err)
		}
		all, err := s.Registrations(ctx, 0, "")
		if err != nil || len(all) != 3 {
			t.Errorf("all registrations: %d %v", len(all), err)
		}
	})
}
