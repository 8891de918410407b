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

// Each page of the list, the first and one further on, reads through the
// index that holds its order and its rows, as the store runs it: a unit's
// own index for one unit, even with the dates bounded (where SQLite, without
// statistics, took the programme's index and walked every unit's rows of
// the period), and for a subtree that holds few of the activities; the
// programme's or the group's index, walked in the list's order, for one
// that holds many, whose rows come up often enough on the way.
func TestActivityListReadsThroughItsIndexes(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "plan.db"))
	f := newFixture(t, s)
	listFixture(t, s, f, 300)
	small := nscl.OrgUnit{ParentID: f.department.ID, Code: "HCM-SKHCN-TT", Name: "Trung tâm Kỹ thuật", Level: nscl.LevelUnit}
	err := s.Update(t.Context(), func(tx *Tx) error {
		if err := tx.CreateUnit(t.Context(), &small); err != nil {
			return err
		}
		for i := range 3 {
			a := &nscl.Activity{UnitID: small.ID, Date: day("2022-03-01").AddDate(0, 0, i), TaskGroup: "c", Kind: nscl.KindOther, Description: fmt.Sprintf("Hoạt động nhỏ %d", i)}
			if err := tx.CreateActivity(t.Context(), f.prog, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		filter ActivityFilter
		index  string
		sorts  bool // the few rows read are sorted
	}{
		{ActivityFilter{UnitID: f.district1.ID}, "activities_unit_list", false},
		{ActivityFilter{UnitID: f.district1.ID, Year: 2022}, "activities_unit_list", false},
		{ActivityFilter{UnitID: small.ID, Year: 2022, TaskGroup: "c"}, "activities_unit_list", false},
		{ActivityFilter{}, "activities_programme_list", false},
		{ActivityFilter{Year: 2022, TaskGroup: "d"}, "activities_group_list", false},
		{ActivityFilter{UnderUnit: small.ID, Year: 2022}, "activities_unit_list", true},
		{ActivityFilter{UnderUnit: small.ID}, "activities_unit_list", true},
		{ActivityFilter{UnderUnit: f.province.ID, Year: 2022}, "activities_programme_list", false},
		{ActivityFilter{UnderUnit: f.ministry.ID, TaskGroup: "d"}, "activities_group_list", false},
	} {
		filter := c.filter
		filter.Limit = 2
		var next string
		traced := traceStatements(t, func() {
			page, err := s.Activities(t.Context(), f.prog, filter)
			if err != nil {
				t.Fatal(err)
			}
			filter.After = page.Next
			if _, err := s.Activities(t.Context(), f.prog, filter); err != nil {
				t.Fatal(err)
			}
			next = page.Next
		})
		if next == "" {
			t.Fatalf("%+v: one page only; the fixture is too small to try the second", c.filter)
		}
		lists := 0
		for _, st := range traced {
			if !strings.Contains(st.query, " FROM activities a") || !strings.Contains(st.query, "ORDER BY") {
				continue
			}
			lists++
			plan := strings.Join(explain(t, s.read, st.query, st.args), "\n")
			searched := strings.Contains(plan, "SEARCH a USING INDEX "+c.index+" ") || strings.Contains(plan, "SEARCH a USING COVERING INDEX "+c.index+" ")
			if !searched || strings.Contains(plan, "TEMP B-TREE") != c.sorts {
				t.Errorf("%+v: want a search of %s (sorting: %v), got\n%s", c.filter, c.index, c.sorts, plan)
			}
		}
		if lists != 2 {
			t.Errorf("%+v: %d list statements traced, want the first page and the next", c.filter, lists)
		}
	}
}

// explain is SQLite's plan of a statement, a step a line.
func explain(t *testing.T, db *sql.DB, query string, args []any) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
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

// ActivityMetrics names the metrics the selected activities report, each
// once, and only theirs: another year's, another unit's or another
// group's quantities do not count.
func TestActivityMetricsNamesWhatTheListReports(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, nil)
		add := func(unit nscl.OrgUnit, date, group string, qs ...nscl.Quantity) {
			t.Helper()
			a := &nscl.Activity{UnitID: unit.ID, Date: day(date), TaskGroup: group, Kind: nscl.KindOther, Description: "Hoạt động " + date + " " + group, Quantities: qs}
			if err := st.CreateActivity(ctx, f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		add(f.district, "2027-02-01", "b", nscl.Quantity{Metric: "tin", Value: 3})
		add(f.district, "2027-03-01", "b", nscl.Quantity{Metric: "tin", Value: 1}, nscl.Quantity{Metric: "vid", Value: 0})
		add(f.district, "2028-03-01", "a", nscl.Quantity{Metric: "hv", Value: 20}) // another year
		add(f.province, "2027-03-01", "a", nscl.Quantity{Metric: "hv", Value: 5})  // another unit
		add(f.district, "2027-04-01", "a")                                         // no quantity
		for _, c := range []struct {
			filter ActivityFilter
			want   []string
		}{
			{ActivityFilter{Units: []int64{f.district.ID}, Year: 2027}, []string{"tin", "vid"}},
			{ActivityFilter{Units: []int64{f.district.ID, f.province.ID}, Year: 2027}, []string{"hv", "tin", "vid"}},
			{ActivityFilter{Units: []int64{f.district.ID}, Year: 2027, TaskGroup: "a"}, nil},
			{ActivityFilter{Units: []int64{f.province.ID}, Year: 2028}, nil},
			{ActivityFilter{Year: 2028}, []string{"hv"}},
		} {
			got, err := st.ActivityMetrics(ctx, f.prog, c.filter)
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("%+v: %q %v, want %q", c.filter, got, err, c.want)
			}
		}
	})
}
