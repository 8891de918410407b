package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nscl"
)

// The registry's list goes a page at a time by cursor, named records by
// name then the unnamed ones by tax code, every record once, on both
// engines; a size keeps its filter across pages; the count stops at its
// cap and says there are more; a cursor that is not one is refused.
func TestEnterprisePagesByCursor(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		var want, small []string // tax codes in the list's order, worked out here
		err := s.Update(ctx, func(tx *Tx) error {
			for i := range countCap + 7 {
				e := nscl.Enterprise{TaxCode: fmt.Sprintf("03%08d", (i*7919)%100000), Size: nscl.SizeMedium}
				if i%3 == 0 {
					e.Size = nscl.SizeSmall
				}
				if i%10 != 0 { // every tenth has a tax code only
					e.Name = fmt.Sprintf("Công ty %04d", (i*31)%2000)
				}
				if err := tx.CreateEnterprise(ctx, &e, e.Name == ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.Enterprises(ctx, EnterpriseFilter{Limit: 200})
		if err != nil || all.Count != (Counted{N: countCap, More: true}) {
			t.Fatalf("count of %d records: %+v %v", countCap+7, all.Count, err)
		}
		for _, f := range []EnterpriseFilter{{Limit: 200}, {Limit: 37}, {Size: nscl.SizeSmall, Limit: 50}} {
			var got []string
			var every []nscl.Enterprise
			f.After = ""
			for n := 0; n == 0 || f.After != ""; n++ {
				page, err := s.Enterprises(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Enterprises) > f.Limit || page.Next != "" && len(page.Enterprises) != f.Limit {
					t.Fatalf("%+v: a page of %d", f, len(page.Enterprises))
				}
				for _, e := range page.Enterprises {
					got = append(got, e.TaxCode)
				}
				every = append(every, page.Enterprises...)
				f.After = page.Next
			}
			if want == nil {
				want, small = inListOrder(every, ""), inListOrder(every, nscl.SizeSmall)
				if len(want) != countCap+7 {
					t.Fatalf("the pages hold %d records, want %d", len(want), countCap+7)
				}
			}
			expect := want
			if f.Size != "" {
				expect = small
			}
			if !slices.Equal(got, expect) {
				t.Errorf("limit %d, size %q: the pages are not the list in order once:\n%v\nwant\n%v", f.Limit, f.Size, got, expect)
			}
		}
		for _, bad := range []string{"x", "!!", EnterpriseCursorAfter(nscl.Enterprise{})} {
			_, err := s.Enterprises(ctx, EnterpriseFilter{After: bad})
			wantError(t, err, nscl.EINVALID, "after")
		}
	})
}

// inListOrder sorts records as the registry's list shows them, named ones
// by name and tax code, then the unnamed by tax code, keeping one size
// (or every size for ""), and gives their tax codes.
func inListOrder(list []nscl.Enterprise, size nscl.EnterpriseSize) []string {
	list = slices.DeleteFunc(slices.Clone(list), func(e nscl.Enterprise) bool { return size != "" && e.Size != size })
	slices.SortFunc(list, func(a, b nscl.Enterprise) int {
		if (a.Name == "") != (b.Name == "") {
			if a.Name == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.TaxCode, b.TaxCode)
	})
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.TaxCode
	}
	return out
}

// Each page of the registrations' and the registry's lists is read
// through an index that holds the list's order: SQLite neither sorts nor
// scans the table, whatever the filter.
func TestListPagesReadThroughTheirIndexes(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "plan.db"))
	for _, c := range []struct {
		query string
		args  []any
		index string
	}{
		{`SELECT id FROM registrations WHERE 1 = 1 AND status = ? AND id > ? ORDER BY id LIMIT 51`, []any{"pending", 40}, "registrations_status_list"},
		{`SELECT id FROM registrations WHERE 1 = 1 AND call_id = ? AND status = ? AND id > ? ORDER BY id LIMIT 51`, []any{1, "pending", 40}, "registrations_call_list"},
		{`SELECT id FROM registrations WHERE 1 = 1 AND call_id = ? AND id > ? ORDER BY id LIMIT 51`, []any{1, 40}, "registrations_call_all"},
		{`SELECT id FROM enterprises WHERE 1 = 1 AND merged_into IS NULL AND name <> '' AND (name, tax_code) > (?, ?) ORDER BY name, tax_code LIMIT 51`, []any{"C", "03"}, "enterprises_list"},
		{`SELECT id FROM enterprises WHERE 1 = 1 AND merged_into IS NULL AND size = ? AND name <> '' AND (name, tax_code) > (?, ?) ORDER BY name, tax_code LIMIT 51`, []any{"small", "C", "03"}, "enterprises_size_list"},
		{`SELECT id FROM enterprises WHERE 1 = 1 AND merged_into IS NULL AND name = '' AND tax_code > ? ORDER BY tax_code LIMIT 51`, []any{"03"}, "enterprises_list"},
	} {
		plan := queryPlan(t, s, c.query, c.args...)
		searched := strings.Contains(plan, "USING INDEX "+c.index+" ") || strings.Contains(plan, "USING COVERING INDEX "+c.index+" ")
		if !searched || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: want a search of %s without sorting, got\n%s", c.query, c.index, plan)
		}
	}
}

// queryPlan is SQLite's plan for a query, a step a line.
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+query, args...)
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
	return strings.Join(plan, "\n")
}

// A group's first activities among a few units, read unit by unit, are
// the first of the list the group's index gives for those units, oldest
// first, on both engines: for one unit, two, and units with nothing of
// the group; the year and the group bound them.
func TestFirstOfEachUnitIsTheListsBeginning(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		acts := listFixture(t, s, f, 150)
		full := 0 // cases whose list is longer than the limit
		for _, c := range []struct {
			units []int64
			group string
			year  int
			limit int
		}{
			{[]int64{f.district1.ID}, "c", 2022, 5},
			{[]int64{f.district1.ID, f.implementer.ID}, "d", 2022, 7},
			{[]int64{f.district2.ID, f.province.ID}, "c", 2023, 10},
			{[]int64{f.district2.ID}, "c", 2023, 20},
			{[]int64{f.province.ID}, "d", 2022, 20},
		} {
			got, err := s.FirstOfEachUnit(t.Context(), f.prog, ActivityFilter{Units: c.units, Year: c.year, TaskGroup: c.group, Limit: c.limit})
			if err != nil {
				t.Fatal(err)
			}
			want := newestFirst(acts, func(a nscl.Activity) bool {
				return slices.Contains(c.units, a.UnitID) && a.TaskGroup == c.group && a.Date.Year() == c.year
			})
			slices.Reverse(want)
			if len(want) > c.limit {
				want, full = want[:c.limit], full+1
			}
			if !slices.Equal(ids(got), want) {
				t.Errorf("%+v: got %v, want %v", c, ids(got), want)
			}
			page, err := s.Activities(t.Context(), f.prog, ActivityFilter{Units: c.units, Year: c.year, TaskGroup: c.group, Oldest: true, Limit: c.limit})
			if err != nil || !slices.Equal(ids(page.Activities), want) {
				t.Errorf("%+v: the list through the group's index gives %v (%v), want %v", c, ids(page.Activities), err, want)
			}
			if len(got) > 0 && len(got[0].Quantities) == 0 {
				t.Errorf("%+v: the activities come without their quantities", c)
			}
		}
		if full < 2 {
			t.Errorf("only %d cases cut their list at the limit: the fixture no longer tests the cut", full)
		}
	})
}

// The report page's first activities of a group are read through the
// group's index with the unit checked in it, or, for a few units, through
// each unit's own index: neither walks the table nor sorts the year.
func TestFirstActivitiesReadThroughTheirIndexes(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "plan.db"))
	f := newFixture(t, s)
	listFixture(t, s, f, 50)
	units := []int64{f.district1.ID, f.district2.ID, f.implementer.ID}
	prefix, where, args := ActivityFilter{Units: units, Year: 2022, TaskGroup: "d"}.sql(f.prog)
	plan := queryPlan(t, s, prefix+`SELECT a.id`+activityFrom+where+listOrderOldest+` LIMIT 21`, args...)
	if !strings.Contains(plan, "INDEX activities_group_list (programme_id=? AND task_group_id=? AND occurred_on>? AND occurred_on<?)") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("the group's first activities among units: want a search of activities_group_list without sorting, got\n%s", plan)
	}
	before := s.Statements.Load()
	if _, err := s.FirstOfEachUnit(t.Context(), f.prog, ActivityFilter{Units: units, Year: 2022, TaskGroup: "d"}); err != nil {
		t.Fatal(err)
	}
	if count := s.Statements.Load() - before; count > 3 { // the list, its quantities, its beneficiaries
		t.Errorf("three units' first activities took %d statements", count)
	}
	plan = queryPlan(t, s, firstOfUnitOn(s.lister())+listOrderOldest+` LIMIT 21`, f.district1.ID, f.prog.ID, "2022-01-01", "2022-12-31", f.prog.ID, "d")
	if !strings.Contains(plan, "INDEX activities_unit_list (unit_id=? AND programme_id=? AND occurred_on>? AND occurred_on<?)") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("a unit's first activities of a group: want a search of activities_unit_list without sorting, got\n%s", plan)
	}
}
