package store

import (
	"fmt"
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
		pending, err := s.Registrations(ctx, RegistrationFilter{CallID: open.ID, Status: nscl.RegistrationPending})
		if err != nil || len(pending.Registrations) != 0 || pending.Count != (Counted{}) {
			t.Errorf("pending after review: %+v %v", pending, err)
		}
		all, err := s.Registrations(ctx, RegistrationFilter{})
		if err != nil || len(all.Registrations) != 3 || all.Count != (Counted{N: 3}) {
			t.Errorf("all registrations: %d of %+v, %v", len(all.Registrations), all.Count, err)
		}
		counts, err := s.RegistrationCounts(ctx, f.prog)
		if want := (RegistrationCounts{Accepted: 2, Declined: 1}); err != nil || counts[open.ID] != want || len(counts) != 1 {
			t.Errorf("counts: %+v %v, want %+v for call %d only", counts, err, want, open.ID)
		}
	})
}

// A call is edited from the version read; a stale version, bad dates or an
// unknown notice change nothing; it cannot move to another programme; each
// change is in the audit log.
func TestUpdateCall(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		c := nscl.Call{ProgrammeID: f.prog.ID, Title: "Mời đăng ký năm 2023", OpensOn: day("2023-03-01")}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateCall(ctx, &c) }); err != nil {
			t.Fatal(err)
		}
		if c.Version != 1 {
			t.Errorf("a new call's version: %d", c.Version)
		}
		update := func(c *nscl.Call) error {
			return s.Update(ctx, func(tx *Tx) error { return tx.UpdateCall(ctx, c) })
		}
		edited := c
		edited.Title, edited.Description = "  Mời đăng ký tham gia năm 2023 ", "Hỗ trợ áp dụng 5S, Kaizen"
		edited.DocumentID, edited.ClosesOn = f.planDecision.ID, day("2023-06-30")
		edited.ProgrammeID = f.prog.ID + 100 // not the user's to move
		if err := update(&edited); err != nil {
			t.Fatal(err)
		}
		got, err := s.Call(ctx, c.ID)
		want := nscl.Call{ID: c.ID, ProgrammeID: f.prog.ID, DocumentID: f.planDecision.ID, Title: "Mời đăng ký tham gia năm 2023",
			Description: "Hỗ trợ áp dụng 5S, Kaizen", OpensOn: day("2023-03-01"), ClosesOn: day("2023-06-30"), Version: 2}
		if err != nil || got != want || edited != want {
			t.Errorf("after the update: %+v %v\nreturned %+v\nwant %+v", got, err, edited, want)
		}

		before := dumpDB(t, s)
		stale := c // still version 1
		stale.Title = "Sửa từ bản cũ"
		wantError(t, update(&stale), nscl.ECONFLICT, "version")
		backwards := got
		backwards.ClosesOn = day("2023-01-01")
		wantError(t, update(&backwards), nscl.EINVALID, "closes_on")
		noDoc := got
		noDoc.DocumentID = 9999
		wantError(t, update(&noDoc), nscl.EINVALID, "document")
		wantError(t, update(&nscl.Call{ID: 9999, Title: "X", OpensOn: day("2023-01-01"), Version: 1}), nscl.ENOTFOUND, "call_id")
		wantUnchanged(t, s, before)

		log, err := s.AuditLog(ctx, AuditFilter{Entity: "call", EntityID: fmt.Sprint(c.ID)})
		if err != nil || len(log) != 2 || log[0].Action != "update" || !strings.Contains(log[0].Before, "Mời đăng ký năm 2023") || !strings.Contains(log[0].After, "Kaizen") {
			t.Errorf("audit log: %+v %v", log, err)
		}
	})
}

// The review list comes a page at a time, with the total across pages,
// oldest first, and keeps its filter on every page.
func TestRegistrationPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		s.Now = func() time.Time { return time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC) }
		c := nscl.Call{ProgrammeID: f.prog.ID, Title: "Mời đăng ký năm 2023", OpensOn: day("2023-03-01")}
		var ids []int64
		err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateCall(ctx, &c); err != nil {
				return err
			}
			for i := range 120 {
				r := nscl.Registration{CallID: c.ID, TaxCode: fmt.Sprintf("03%08d", i), Name: fmt.Sprintf("Công ty số %d", i),
					Contact: nscl.Contact{Email: "a@example.vn"}, Support: "Áp dụng 5S"}
				if err := tx.CreateRegistration(ctx, &r); err != nil {
					return err
				}
				ids = append(ids, r.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var seen []int64
		var after int64
		for n := 0; n == 0 || after != 0; n++ {
			page, err := s.Registrations(ctx, RegistrationFilter{Status: nscl.RegistrationPending, After: after})
			if err != nil || page.Count != (Counted{N: 120}) {
				t.Fatalf("page %d: count %+v, %v", n+1, page.Count, err)
			}
			if want := min(50, 120-50*n); len(page.Registrations) != want {
				t.Errorf("page %d: %d registrations, want %d", n+1, len(page.Registrations), want)
			}
			for _, r := range page.Registrations {
				seen = append(seen, r.ID)
			}
			after = page.Next
		}
		if fmt.Sprint(seen) != fmt.Sprint(ids) {
			t.Errorf("the pages hold %v, want %v", seen, ids)
		}
		if page, err := s.Registrations(ctx, RegistrationFilter{Status: nscl.RegistrationAccepted}); err != nil || page.Count != (Counted{}) || page.Next != 0 || len(page.Registrations) != 0 {
			t.Errorf("accepted: %+v %v", page, err)
		}
		if page, err := s.Registrations(ctx, RegistrationFilter{Limit: 1000}); err != nil || len(page.Registrations) != 120 {
			t.Errorf("a large limit: %d %v", len(page.Registrations), err)
		}
	})
}
