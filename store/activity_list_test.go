package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
)

// listFixture writes n activities spread over three units and two and a
// half years, four to a day, so that pages end in the middle of a day;
// the ones written in the same transaction are not in date order.
func listFixture(t *testing.T, s *Store, f *fixture, n int) []nscl.Activity {
	t.Helper()
	units := []nscl.OrgUnit{f.district1, f.district2, f.implementer}
	var out []nscl.Activity
	err := s.Update(t.Context(), func(tx *Tx) error {
		tx.Batch()
		for i := range n {
			// Days walk forwards and back, so ids do not follow dates.
			d := time.Date(2021, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i/4*137)%800)
			a := &nscl.Activity{UnitID: units[i%3].ID, Date: d, TaskGroup: []string{"c", "d"}[i%2],
				Kind: nscl.KindOther, Description: fmt.Sprintf("Hoạt động số %d", i), Quantities: []nscl.Quantity{qty(mArticles, int64(i))}}
			if err := tx.CreateActivity(t.Context(), f.prog, a); err != nil {
				return err
			}
			out = append(out, *a)
		}
		return tx.Flush(t.Context())
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newestFirst is the list's order, worked out here from the activities
// written: by date, then by id, both descending.
func newestFirst(acts []nscl.Activity, keep func(nscl.Activity) bool) []int64 {
	var kept []nscl.Activity
	for _, a := range acts {
		if keep(a) {
			kept = append(kept, a)
		}
	}
	slices.SortFunc(kept, func(a, b nscl.Activity) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(b.ID, a.ID))
	})
	ids := make([]int64, len(kept))
	for i, a := range kept {
		ids[i] = a.ID
	}
	return ids
}

// walk reads every page of the list by its cursor and returns the ids in
// the order read, failing on a page longer than limit or a last page that
// claims more.
func walk(t *testing.T, s *Store, f *fixture, filter ActivityFilter, limit int) []int64 {
	t.Helper()
	filter.Limit = limit
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%+v: the cursor does not move on", filter)
		}
		page, err := s.Activities(t.Context(), f.prog, filter)
		if err != nil {
			t.Fatalf("%+v: %v", filter, err)
		}
		if len(page.Activities) > limit {
			t.Fatalf("%+v: a page of %d, limit %d", filter, len(page.Activities), limit)
		}
		if page.Next != "" && len(page.Activities) < limit {
			t.Fatalf("%+v: a short page (%d) with a next cursor", filter, len(page.Activities))
		}
		for _, a := range page.Activities {
			ids = append(ids, a.ID)
		}
		if page.Next == "" {
			return ids
		}
		filter.After = page.Next
	}
}

// Walking the list page by page by its cursor reads each activity once, in
// the list's order, for each filter, on both engines; the last page says
// there is no more even when it is full.
func TestActivityListPagesByCursor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		acts := listFixture(t, s, f, 72) // 12 pages of 6: the last one full
		for _, c := range []struct {
			name   string
			filter ActivityFilter
			keep   func(nscl.Activity) bool
		}{
			{"programme", ActivityFilter{}, func(nscl.Activity) bool { return true }},
			{"unit", ActivityFilter{UnitID: f.district2.ID}, func(a nscl.Activity) bool { return a.UnitID == f.district2.ID }},
			{"year", ActivityFilter{Year: 2022}, func(a nscl.Activity) bool { return a.Date.Year() == 2022 }},
			{"unit and year", ActivityFilter{UnitID: f.implementer.ID, Year: 2023}, func(a nscl.Activity) bool {
				return a.UnitID == f.implementer.ID && a.Date.Year() == 2023
			}},
			{"subtree and task group", ActivityFilter{UnderUnit: f.department.ID, TaskGroup: "c"}, func(a nscl.Activity) bool {
				return a.UnitID == f.implementer.ID && a.TaskGroup == "c"
			}},
			{"a year with none", ActivityFilter{Year: 2029}, func(nscl.Activity) bool { return false }},
		} {
			want := newestFirst(acts, c.keep)
			for _, limit := range []int{1, 6, 7, 200} {
				if got := walk(t, s, f, c.filter, limit); !slices.Equal(got, want) {
					t.Errorf("%s, %d a page: read %v\nwant %v", c.name, limit, got, want)
				}
			}
		}
	})
}

// A page read after others wrote goes on where the last one ended: what
// was written before the cursor is not read twice or shifted into view,
// and what was written after it is read in its place.
func TestActivityListCursorHoldsItsPlaceAcrossWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		acts := listFixture(t, s, f, 30)
		first, err := s.Activities(t.Context(), f.prog, ActivityFilter{Limit: 10})
		if err != nil || first.Next == "" {
			t.Fatalf("first page: %v, next %q", err, first.Next)
		}
		newest := activity(f.district1, "2024-06-01", qty(mTraining, 1))
		oldest := activity(f.district1, "2021-01-02", qty(mTraining, 1))
		for _, a := range []*nscl.Activity{newest, oldest} {
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		rest := walk(t, s, f, ActivityFilter{After: first.Next}, 10)
		want := append(newestFirst(acts, func(nscl.Activity) bool { return true })[10:], oldest.ID)
		if !slices.Equal(rest, want) {
			t.Errorf("after the first page: %v\nwant %v", rest, want)
		}
	})
}

// A small offset still works, as it did; a deep one is refused, naming
// the field and the cursor to use instead, and so is a cursor the list
// did not give.
func TestActivityListRefusesDeepOffsetsAndForeignCursors(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		acts := listFixture(t, s, f, 20)
		all := newestFirst(acts, func(nscl.Activity) bool { return true })
		page, err := s.Activities(t.Context(), f.prog, ActivityFilter{Offset: 3, Limit: 5})
		if err != nil || !slices.Equal(ids(page.Activities), all[3:8]) || page.Next == "" {
			t.Errorf("offset 3: %v, next %q (%v), want %v", ids(page.Activities), page.Next, err, all[3:8])
		}
		if _, err := s.Activities(t.Context(), f.prog, ActivityFilter{Offset: MaxActivityOffset}); err != nil {
			t.Errorf("offset %d: %v", MaxActivityOffset, err)
		}
		for _, offset := range []int{MaxActivityOffset + 1, 1_100_000, -1} {
			_, err := s.Activities(t.Context(), f.prog, ActivityFilter{Offset: offset})
			wantError(t, err, nscl.EINVALID, "offset")
			if e := err.(*nscl.Error); !strings.Contains(e.Message, "after=") || !strings.Contains(e.English, "after=") {
				t.Errorf("offset %d: %q / %q does not point to the cursor", offset, e.Message, e.English)
			}
		}
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, bad := range []string{"2022-05-01.12", "abc", enc("2022-13-01.5"), enc("2022-05-01.0"), enc("2022-05-01"), enc("2022-05-01.x"), enc("' OR 1=1 --")} {
			_, err := s.Activities(t.Context(), f.prog, ActivityFilter{After: bad})
			wantError(t, err, nscl.EINVALID, "after")
		}
	})
}

func ids(acts []nscl.Activity) []int64 {
	out := make([]int64, len(acts))
	for i, a := range acts {
		out[i] = a.ID
	}
	return out
}

// Each page of the list, at any depth, is read through an index that
// holds the list's order: SQLite neither sorts nor scans the table.
func TestActivityListReadsThroughItsIndexes(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "plan.db"))
	f := newFixture(t, s)
	listFixture(t, s, f, 50)
	for _, c := range []struct {
		filter ActivityFilter
		index  string
	}{
		{ActivityFilter{UnitID: f.district1.ID}, "activities_unit_list"},
		{ActivityFilter{UnitID: f.district1.ID, Year: 2022}, "activities_unit_list"},
		{ActivityFilter{}, "activities_programme_list"},
		{ActivityFilter{Year: 2022, TaskGroup: "d"}, "activities_group_list"},
	} {
		prefix, where, args := c.filter.sql(f.prog)
		rows, err := s.read.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+prefix+`SELECT a.id`+activityFrom+where+` AND `+pastCursor+listOrder+` LIMIT 51`,
			append(args, cursor{day("2022-06-30"), 40}.args()...)...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		searched := strings.Contains(text, "SEARCH a USING INDEX "+c.index+" ") || strings.Contains(text, "SEARCH a USING COVERING INDEX "+c.index+" ")
		if !searched || strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%+v: want a search of %s without sorting, got\n%s", c.filter, c.index, text)
		}
	}
}

// While every reader the lists may use is taken, another list waits (and
// gives up at its deadline), but a session check, a token check and the
// other reads go on: they have readers of their own. While every general
// reader is taken, the session check still goes on.
func TestListsAndSessionChecksHaveReadersOfTheirOwn(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		listFixture(t, s, f, 10)
		u := newUser(t, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
		session, err := s.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := s.CreateToken(ctx, u.ID, "máy chủ báo cáo", nscl.DefaultTokenDays)
		if err != nil {
			t.Fatal(err)
		}
		hold := func(pool *sql.DB, n int) {
			for range n {
				c, err := pool.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { c.Close() })
			}
		}
		within := func(fn func(context.Context) error) error {
			short, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			return fn(short)
		}
		hold(s.lists, listReaders)
		err = within(func(ctx context.Context) error {
			_, err := s.Activities(ctx, f.prog, ActivityFilter{})
			return err
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a list with every list reader taken: %v, want it to wait until its deadline", err)
		}
		if err := within(func(ctx context.Context) error { _, err := s.SessionUser(ctx, session); return err }); err != nil {
			t.Errorf("session check while the lists' readers are taken: %v", err)
		}
		if err := within(func(ctx context.Context) error { _, err := s.Units(ctx); return err }); err != nil {
			t.Errorf("another read while the lists' readers are taken: %v", err)
		}
		hold(s.read, readersOf(s))
		if err := within(func(ctx context.Context) error { _, err := s.SessionUser(ctx, session); return err }); err != nil {
			t.Errorf("session check while every general reader is taken: %v", err)
		}
		if err := within(func(ctx context.Context) error { _, err := s.TokenUser(ctx, token); return err }); err != nil {
			t.Errorf("token check while every general reader is taken: %v", err)
		}
	})
}

func readersOf(s *Store) int {
	if s.dialect == postgres {
		return postgresReaders
	}
	return sqliteReaders
}
