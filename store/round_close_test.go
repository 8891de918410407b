package store

import (
	"testing"
	"time"

	"nscl"
)

// Closing a round brings its deadline forward; the store's clock stands at
// 15/01/2023, 16:30 in Vietnam.
func TestCloseRound(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		users := newRoleUsers(t, s, f)
		secondHalf := &nscl.Round{Title: "Báo cáo 6 tháng cuối năm 2022", PeriodStart: day("2022-07-01"), PeriodEnd: day("2022-12-31"),
			Cutoff: day("2022-12-31"), Deadline: day("2023-01-31"), UnitIDs: []int64{f.district1.ID, f.district2.ID}}
		createRound(t, s, f, secondHalf)
		firstHalf := firstHalf2022(f.district1)
		createRound(t, s, f, firstHalf)

		closeRound := func(id int64, on string) (nscl.Round, error) {
			var r nscl.Round
			ctx := WithActor(t.Context(), users.admin.ID)
			err := s.Update(ctx, func(tx *Tx) error {
				var err error
				r, err = tx.CloseRound(ctx, f.prog, id, day(on))
				return err
			})
			return r, err
		}
		type refusal struct {
			name        string
			id          int64
			on          string
			code, field string
		}
		refused := func(cases ...refusal) {
			t.Helper()
			tables := []string{"rounds", "submissions", "audit_log"}
			before := dumpTables(t, s, tables)
			for _, c := range cases {
				_, err := closeRound(c.id, c.on)
				if nscl.ErrorCode(err) != c.code || nscl.ErrorField(err) != c.field {
					t.Errorf("%s: got %v, want %s on %q", c.name, err, c.code, c.field)
				}
			}
			if after := dumpTables(t, s, tables); after != before {
				t.Fatalf("a refused close changed the database:\n%s\n%s", before, after)
			}
		}
		refused(
			refusal{"already ended", firstHalf.ID, "2022-07-05", nscl.ECONFLICT, "deadline"},
			refusal{"after the deadline", secondHalf.ID, "2023-02-15", nscl.EINVALID, "deadline"},
			refusal{"on the deadline", secondHalf.ID, "2023-01-31", nscl.ECONFLICT, "deadline"},
			refusal{"before the period", secondHalf.ID, "2022-06-30", nscl.EINVALID, "deadline"},
			refusal{"before the cut-off", secondHalf.ID, "2022-12-30", nscl.EINVALID, "cutoff"},
			refusal{"unknown round", 99, "2023-01-20", nscl.ENOTFOUND, "round"},
		)
		if _, err := actOnSubmission(t, s, users.reporter1, secondHalf, f.district1, 1, ActionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		refused(refusal{"a unit sent after the day", secondHalf.ID, "2023-01-14", nscl.ECONFLICT, "deadline"})

		closed, err := closeRound(secondHalf.ID, "2023-01-15")
		if err != nil {
			t.Fatal(err)
		}
		stored, subs, err := s.Round(t.Context(), secondHalf.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !stored.Deadline.Equal(day("2023-01-15")) || stored.Version != 2 || closed.Version != 2 {
			t.Errorf("closed round: deadline %v, version %d", stored.Deadline, stored.Version)
		}
		// The unit that sent today is on time; the other is missing from midnight.
		midnight := time.Date(2023, 1, 16, 0, 0, 0, 0, nscl.Local)
		for _, sub := range subs {
			want := nscl.Pending
			if sub.UnitID == f.district1.ID {
				want = nscl.OnTime
			}
			if got := stored.Timeliness(sub, midnight.Add(-time.Second)); got != want {
				t.Errorf("unit %d before midnight: %s, want %s", sub.UnitID, got, want)
			}
			if sub.UnitID == f.district2.ID && stored.Timeliness(sub, midnight) != nscl.Missing {
				t.Errorf("unit %d after midnight is not missing", sub.UnitID)
			}
		}
		log, err := s.AuditLog(t.Context(), AuditFilter{Entity: "round", Action: "close"})
		if err != nil || len(log) != 1 || log[0].UserID != users.admin.ID {
			t.Fatalf("audit of the close: %+v, %v", log, err)
		}
	})
}
