package store

import (
	"slices"
	"strings"
	"testing"

	"nscl"
)

// LookAlikes finds the unit's activities of the day and group with the
// same description (folded) or the same figures, and no other.
func TestLookAlikes(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		stored := activity(f.district2, "2022-09-12", qty(mTraining, 14), qty(mTrainees, 120))
		stored.Description = "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức"
		others := []*nscl.Activity{
			activity(f.district2, "2022-09-12", qty(mTraining, 3)), // same day and group, other words and figures
			activity(f.district2, "2022-09-13", qty(mTraining, 14)),
			activity(f.district1, "2022-09-12", qty(mTraining, 14)),
		}
		for _, a := range append([]*nscl.Activity{stored}, others...) {
			if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
				t.Fatal(err)
			}
		}
		ids := func(as []nscl.Activity) []int64 {
			var out []int64
			for _, a := range as {
				out = append(out, a.ID)
			}
			return out
		}
		for _, c := range []struct {
			name   string
			change func(a *nscl.Activity)
			want   []int64
		}{
			{"same words in capitals, another kind", func(a *nscl.Activity) {
				a.Description, a.Kind, a.Quantities = "LỚP TẬP HUẤN 5S  CHO DOANH NGHIỆP THỦ ĐỨC", nscl.KindConsulting, nil
			}, []int64{stored.ID}},
			{"other words, same figures", func(a *nscl.Activity) { a.Description = "Lớp 5S" }, []int64{stored.ID}},
			{"other words and figures", func(a *nscl.Activity) { a.Description, a.Quantities = "Lớp 5S", []nscl.Quantity{qty(mTraining, 15)} }, nil},
			{"another group", func(a *nscl.Activity) { a.TaskGroup = "c" }, nil},
			{"itself", func(a *nscl.Activity) { a.ID = stored.ID }, nil},
		} {
			a := *stored
			a.ID, a.Ref = 0, ""
			a.Quantities = slices.Clone(stored.Quantities)
			c.change(&a)
			got, err := s.LookAlikes(t.Context(), f.prog, a)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), c.want) {
				t.Errorf("%s: look-alikes %v, want %v", c.name, ids(got), c.want)
			}
			if len(got) == 1 && len(got[0].Quantities) != 2 {
				t.Errorf("%s: the look-alike comes without its figures: %+v", c.name, got[0])
			}
		}
	})
}

// The look-up goes through an index on the unit and day, not through the
// unit's every activity of the year.
func TestLookAlikeLookUpUsesTheDayIndex(t *testing.T) {
	s := openStore(t, t.TempDir()+"/plan.db")
	rows, err := s.read.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+sameDayQuery, 1, "2022-09-12", 1, 1)
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
	if !strings.Contains(strings.Join(plan, "\n"), "activities_unit_day (unit_id=? AND occurred_on=? AND task_group_id=?)") {
		t.Errorf("query plan:\n%s", strings.Join(plan, "\n"))
	}
}

// A unit's choices of columns are kept per unit and replaced, each change
// audited once.
func TestRememberColumns(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		remember := func(unit nscl.OrgUnit, choices ...nscl.ColumnChoice) error {
			return s.Update(t.Context(), func(tx *Tx) error { return tx.RememberColumns(t.Context(), f.prog, unit.ID, choices) })
		}
		audited := func() int {
			log, err := s.AuditLog(t.Context(), AuditFilter{Entity: "sheet_column", Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return len(log)
		}
		if err := remember(f.district2, nscl.ColumnChoice{Heading: "Số DN tập huấn", Metric: mTraining}, nscl.ColumnChoice{Heading: "Ghi chú", Metric: ""}); err != nil {
			t.Fatal(err)
		}
		if err := remember(f.district2, nscl.ColumnChoice{Heading: "SỐ DN TẬP HUẤN", Metric: mTraining}); err != nil {
			t.Fatal(err)
		}
		if n := audited(); n != 3 {
			t.Errorf("%d audit entries, want 3: two choices, then the heading written in capitals", n)
		}
		if err := remember(f.district2, nscl.ColumnChoice{Heading: "SỐ DN TẬP HUẤN", Metric: mTraining}); err != nil {
			t.Fatal(err)
		}
		if n := audited(); n != 3 {
			t.Errorf("the same choice again was audited: %d entries", n)
		}
		got, err := s.ColumnChoices(t.Context(), f.prog, f.district2.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]nscl.ColumnChoice{"so dn tap huan": {Heading: "SỐ DN TẬP HUẤN", Metric: mTraining}, "ghi chu": {Heading: "Ghi chú"}}
		if len(got) != len(want) || got["so dn tap huan"] != want["so dn tap huan"] || got["ghi chu"] != want["ghi chu"] {
			t.Errorf("choices %+v, want %+v", got, want)
		}
		if other, err := s.ColumnChoices(t.Context(), f.prog, f.district1.ID); err != nil || len(other) != 0 {
			t.Errorf("another unit's choices: %+v %v", other, err)
		}
		err = remember(f.district1, nscl.ColumnChoice{Heading: "Số DN", Metric: "no_such_metric"})
		wantError(t, err, nscl.EINVALID, "columns")
	})
}
