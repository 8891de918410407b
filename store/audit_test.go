package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
)

// The audit log is read by unit, by date range, by user and by kind of
// record, page after page by the last id, on entries the test writes at
// times it sets.
func TestAuditLogFilters(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		var writers [2]nscl.User
		for i := range writers {
			writers[i] = nscl.User{Email: fmt.Sprintf("nguoi%d@so.example", i), Name: fmt.Sprintf("Người nhập %d", i), Role: nscl.RoleFocal, UnitID: f.province.ID}
			if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateUser(t.Context(), &writers[i], testPassword) }); err != nil {
				t.Fatal(err)
			}
		}
		u41, u42 := writers[0].ID, writers[1].ID
		start := time.Date(2027, 3, 10, 1, 0, 0, 0, time.UTC)
		clock := start
		s.Now = func() time.Time { return clock }
		// Day d (0, 1, 2): one user writes an activity of district 2, the
		// other one of the implementer, then edits it.
		type written struct {
			id   int64 // activity
			unit int64
			day  int
		}
		var acts []written
		for d := range 3 {
			clock = start.Add(time.Duration(d) * 24 * time.Hour)
			for _, w := range []struct {
				user int64
				unit nscl.OrgUnit
			}{{u41, f.district2}, {u42, f.implementer}} {
				a := activity(w.unit, fmt.Sprintf("2024-0%d-15", d+1), qty(mTraining, int64(10+d)))
				ctx := WithActor(t.Context(), w.user)
				if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateActivity(ctx, f.prog, a) }); err != nil {
					t.Fatal(err)
				}
				acts = append(acts, written{a.ID, w.unit.ID, d})
				if w.user == u42 {
					a.Quantities = []nscl.Quantity{qty(mTraining, int64(20+d))}
					if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdateActivity(ctx, f.prog, a) }); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		read := func(filter AuditFilter) []AuditEntry {
			t.Helper()
			entries, err := s.AuditLog(t.Context(), filter)
			if err != nil {
				t.Fatal(err)
			}
			return entries
		}
		describe := func(entries []AuditEntry) []string {
			var out []string
			for _, e := range entries {
				out = append(out, fmt.Sprintf("%s %s %s u%d unit%d %s", e.At.Format(time.DateOnly), e.Action, e.Entity, e.UserID, e.UnitID, e.EntityID))
			}
			return out
		}

		// By unit: district 2's three activities, newest first, then its
		// own creation by the fixture.
		got := read(AuditFilter{UnitID: f.district2.ID})
		want := []string{
			fmt.Sprintf("2027-03-12 create activity u%d unit%d %d", u41, f.district2.ID, acts[4].id),
			fmt.Sprintf("2027-03-11 create activity u%d unit%d %d", u41, f.district2.ID, acts[2].id),
			fmt.Sprintf("2027-03-10 create activity u%d unit%d %d", u41, f.district2.ID, acts[0].id),
		}
		if len(got) > 0 {
			fixture := got[len(got)-1]
			want = append(want, fmt.Sprintf("%s create unit u0 unit%d %d", fixture.At.Format(time.DateOnly), f.district2.ID, f.district2.ID))
		}
		if !slices.Equal(describe(got), want) {
			t.Errorf("by unit:\n got %q\nwant %q", describe(got), want)
		}
		// The unit of the fixture's own creation is the unit itself.
		if got := read(AuditFilter{UnitID: f.district1.ID}); len(got) != 1 || got[0].Entity != "unit" || got[0].EntityID != fmt.Sprint(f.district1.ID) {
			t.Errorf("district 1: %q, want its creation alone", describe(got))
		}

		// By day: the middle day holds three entries (two creations, one edit).
		got = read(AuditFilter{From: start.Add(24 * time.Hour), To: start.Add(48 * time.Hour)})
		if len(got) != 3 {
			t.Errorf("middle day: %q, want 3 entries", describe(got))
		}
		for _, e := range got {
			if !e.At.Equal(start.Add(24 * time.Hour)) {
				t.Errorf("middle day holds %q", describe([]AuditEntry{e}))
			}
		}
		// From alone, and To alone.
		if got := read(AuditFilter{From: start.Add(48 * time.Hour)}); len(got) != 3 {
			t.Errorf("from the last day: %d entries, want 3", len(got))
		}
		if got := read(AuditFilter{To: start}); len(got) == 0 || slices.ContainsFunc(got, func(e AuditEntry) bool { return e.Entity == "activity" }) {
			t.Errorf("before the first day: %q, want the fixture alone", describe(got))
		}

		// By user and kind, two to a page: the second user's three creations and three
		// edits, newest first, every page going on from the last.
		var pages [][]AuditEntry
		filter := AuditFilter{UserID: u42, Entity: "activity", Limit: 2}
		for {
			page := read(filter)
			if len(page) == 0 {
				break
			}
			pages = append(pages, page)
			filter.Before = page[len(page)-1].ID
		}
		var all []AuditEntry
		for _, p := range pages {
			all = append(all, p...)
		}
		if len(pages) != 3 || len(all) != 6 {
			t.Fatalf("the second user's activities: %d pages, %q", len(pages), describe(all))
		}
		for i, e := range all {
			if e.UserID != u42 || e.UnitID != f.implementer.ID || (i > 0 && e.ID >= all[i-1].ID) {
				t.Errorf("entry %d: %q", i, describe([]AuditEntry{e}))
			}
		}
		if all[0].Action != "update" || all[1].Action != "create" {
			t.Errorf("newest first: %q", describe(all[:2]))
		}
		// Filters together: the first user wrote nothing.
		if got := read(AuditFilter{UserID: u41, UnitID: f.implementer.ID}); len(got) != 0 {
			t.Errorf("user 41 on the implementer: %q", describe(got))
		}
	})
}

func TestAuditUnit(t *testing.T) {
	for _, c := range []struct {
		entity, id, before, after string
		want                      int64
	}{
		{"unit", "12", "", `{"id":12,"parent_id":3}`, 12},
		{"submission", "4/27", "", `{"round_id":4,"unit_id":27}`, 27},
		{"report_text", "9/2027", "", `{"title":"x"}`, 9},
		{"unit_succession", "31>8", "", `{"predecessor_id":31,"successor_id":8}`, 31},
		{"activity", "5", `{"unit_id":6}`, `{"unit_id":7}`, 7},
		{"activity", "5", `{"unit_id":6}`, "", 6},
		{"unit_parent_change", "3", "", `{"unit_id":44,"old_parent_id":2}`, 44},
		{"sign_in", "a@b.c", "", `{"address":"1.2.3.4"}`, 0},
		{"round", "2", "", `"not an object"`, 0},
	} {
		if got := auditUnit(c.entity, c.id, c.before, c.after); got != c.want {
			t.Errorf("auditUnit(%s %s): %d, want %d", c.entity, c.id, got, c.want)
		}
	}
}

// Migration 00015 gives the entries written before it the unit the program
// would give them now.
func TestAuditUnitMigrationAgreesWithTheProgram(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		newFixture(t, s)
		appendAudit(t, s, 3)
		ctx := t.Context()
		err := s.Update(ctx, func(tx *Tx) error {
			for _, e := range []struct {
				entity, id string
				after      any
			}{
				{"submission", "4/27", map[string]int{"round_id": 4, "unit_id": 27}},
				{"report_text", "9/2027", nil},
				{"unit_succession", "31>8", map[string]int{"predecessor_id": 31}},
				{"activity", "5", map[string]int{"unit_id": 0}},
			} {
				if err := tx.audit(ctx, "create", e.entity, e.id, nil, e.after); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var kept []AuditEntry
		if _, err := s.WalkAudit(ctx, func(e AuditEntry) error { kept = append(kept, e); return nil }); err != nil {
			t.Fatal(err)
		}
		tamper(t, s, `UPDATE audit_log SET unit_id = NULL`)
		folder := "sqlite"
		if s.dialect == postgres {
			folder = "postgres"
		}
		migration, err := migrations.ReadFile("migrations/" + folder + "/00015_audit_unit.sql")
		if err != nil {
			t.Fatal(err)
		}
		// The statements between adding the column and the indexes.
		up, _, _ := strings.Cut(string(migration), "CREATE INDEX")
		_, up, _ = strings.Cut(up, "ADD COLUMN unit_id")
		_, up, _ = strings.Cut(up, ";")
		statements := 0
		for _, statement := range strings.Split(up, ";") {
			if strings.TrimSpace(statement) != "" {
				tamper(t, s, statement)
				statements++
			}
		}
		if statements != 2 {
			t.Fatalf("%d statements read from the migration", statements)
		}
		i := 0
		if _, err := s.WalkAudit(ctx, func(e AuditEntry) error {
			if e.UnitID != kept[i].UnitID {
				t.Errorf("%s %s: migration gives unit %d, the program %d", e.Entity, e.EntityID, e.UnitID, kept[i].UnitID)
			}
			i++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if i != len(kept) || i < 10 {
			t.Errorf("%d entries read again, %d kept", i, len(kept))
		}
	})
}
