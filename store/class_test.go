package store

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
)

// classTables are the tables a class writes, beside the activity's.
var classTables = append(slices.Clone(storeTables), "classes", "class_registrations", "class_attendees")

// newClass publishes a class of prog run by unit, starting on start, in
// the group the portal counts classes in (d when it counts them nowhere).
func newClass(t *testing.T, s *Store, prog *nscl.Programme, unit nscl.OrgUnit, start string, capacity int64) nscl.Class {
	t.Helper()
	pc, err := s.PortalCounting(t.Context(), prog)
	if err != nil {
		t.Fatal(err)
	}
	c := nscl.Class{UnitID: unit.ID, Title: "Tập huấn áp dụng công cụ cải tiến năng suất 5S, Kaizen", TaskGroup: cmp.Or(nscl.DefaultClassGroup(prog, pc), "d"),
		StartsOn: day(start), Place: "Hội trường Sở Khoa học và Công nghệ", Capacity: capacity}
	if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreateClass(t.Context(), prog, &c) }); err != nil {
		t.Fatalf("create class: %v", err)
	}
	return c
}

// registerTo registers the enterprise with the people named, or fails.
func registerTo(t *testing.T, s *Store, prog *nscl.Programme, c nscl.Class, taxCode string, names ...string) nscl.ClassRegistration {
	t.Helper()
	r, err := tryRegister(t, s, prog, c, taxCode, names...)
	if err != nil {
		t.Fatalf("register %s: %v", taxCode, err)
	}
	return r
}

func tryRegister(t *testing.T, s *Store, prog *nscl.Programme, c nscl.Class, taxCode string, names ...string) (nscl.ClassRegistration, error) {
	t.Helper()
	r := nscl.ClassRegistration{ClassID: c.ID, TaxCode: taxCode, EnterpriseName: "Công ty " + taxCode, Contact: nscl.Contact{Email: "lienhe@example.vn"}}
	for _, n := range names {
		r.Attendees = append(r.Attendees, nscl.Attendee{Name: n})
	}
	err := s.Update(t.Context(), func(tx *Tx) error { return tx.RegisterForClass(t.Context(), prog, &r) })
	return r, err
}

// mark saves the attendance, present or not by attendee.
func mark(t *testing.T, s *Store, prog *nscl.Programme, c nscl.Class, present map[int64]bool) error {
	t.Helper()
	return s.Update(t.Context(), func(tx *Tx) error { return tx.SaveAttendance(t.Context(), prog, c.ID, present) })
}

// figureMoves are what the figures of unit for year moved by since before.
func figureMoves(t *testing.T, s *Store, prog *nscl.Programme, unit nscl.OrgUnit, year int, before map[string]nscl.Figures, metrics ...string) []int64 {
	t.Helper()
	now, err := s.Figures(t.Context(), prog, unit.ID, year, year)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, m := range metrics {
		out = append(out, now[m].YearValue-before[m].YearValue, now[m].YearReach.Enterprises-before[m].YearReach.Enterprises)
	}
	return out
}

func figuresOf(t *testing.T, s *Store, prog *nscl.Programme, unit nscl.OrgUnit, year int) map[string]nscl.Figures {
	t.Helper()
	f, err := s.Figures(t.Context(), prog, unit.ID, year, year)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A class of 2024 run by a unit below the department: marking two
// enterprises' three people present writes one activity with 2 enterprises
// and 3 trainees, and the kept totals of the unit and its ancestors move by
// exactly that; unmarking moves them back, and nobody present leaves no
// activity.
func TestClassAttendanceIsAnActivity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		pc := nscl.PortalCounting{ClassEnterprisesMetric: mTraining, ClassTraineesMetric: mTrainees}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.SetPortalCounting(ctx, f.prog, pc) }); err != nil {
			t.Fatal(err)
		}
		const year = 2024
		unit := f.implementer
		before := map[string]map[string]nscl.Figures{}
		for _, u := range []nscl.OrgUnit{unit, f.department, f.province} {
			before[u.Code] = figuresOf(t, s, f.prog, u, year)
		}
		c := newClass(t, s, f.prog, unit, "2024-03-12", 10)
		if c.TaskGroup != "d" {
			t.Fatalf("the class's default group is %q, want d (the group of %s)", c.TaskGroup, mTraining)
		}
		r1 := registerTo(t, s, f.prog, c, t1, "Nguyễn Văn An", "Trần Thị Bình")
		r2 := registerTo(t, s, f.prog, c, t2, "Lê Văn Cường")
		r3 := registerTo(t, s, f.prog, c, t3, "Phạm Thị Dung")
		if c, _ = s.Class(ctx, c.ID); c.Registered != 4 || c.ActivityID != 0 {
			t.Fatalf("after registering: %+v; want 4 registered and no activity", c)
		}
		// Registered, nobody is counted yet.
		if got := figureMoves(t, s, f.prog, unit, year, before[unit.Code], mTraining, mTrainees); !slices.Equal(got, []int64{0, 0, 0, 0}) {
			t.Fatalf("registrations moved the figures by %v", got)
		}

		an, binh, cuong, dung := r1.Attendees[0].ID, r1.Attendees[1].ID, r2.Attendees[0].ID, r3.Attendees[0].ID
		if err := mark(t, s, f.prog, c, map[int64]bool{an: true, binh: true, cuong: true, dung: false}); err != nil {
			t.Fatal(err)
		}
		c, _ = s.Class(ctx, c.ID)
		a, err := s.Activity(ctx, c.ActivityID)
		if err != nil {
			t.Fatalf("the class's activity: %v", err)
		}
		if a.Ref != nscl.PortalRefPrefix+"class-"+strconv.FormatInt(c.ID, 10) || a.UnitID != unit.ID || !a.Date.Equal(day("2024-03-12")) || a.Kind != nscl.KindTraining || a.TaskGroup != "d" {
			t.Errorf("activity %+v", a)
		}
		if want := []nscl.Quantity{qty(mTraining, 2), qty(mTrainees, 3)}; !slices.Equal(a.Quantities, want) {
			t.Errorf("quantities %v, want %v", a.Quantities, want)
		}
		if want := []string{t1, t2}; !slices.Equal(a.Beneficiaries, want) {
			t.Errorf("beneficiaries %v, want %v", a.Beneficiaries, want)
		}
		// The unit and every ancestor: enterprises-visits +2 (2 enterprises
		// reached), trainees +3.
		for _, u := range []nscl.OrgUnit{unit, f.department, f.province} {
			if got, want := figureMoves(t, s, f.prog, u, year, before[u.Code], mTraining, mTrainees), []int64{2, 2, 3, 0}; !slices.Equal(got, want) {
				t.Errorf("%s: the figures moved by %v, want %v", u.Code, got, want)
			}
		}
		checkTotalsAgree(t, s)

		// Lê Văn Cường was not there after all: t2 is no longer reached.
		if err := mark(t, s, f.prog, c, map[int64]bool{cuong: false}); err != nil {
			t.Fatal(err)
		}
		a, _ = s.Activity(ctx, c.ActivityID)
		if want := []nscl.Quantity{qty(mTraining, 1), qty(mTrainees, 2)}; !slices.Equal(a.Quantities, want) || !slices.Equal(a.Beneficiaries, []string{t1}) {
			t.Errorf("after unmarking: %v %v", a.Quantities, a.Beneficiaries)
		}
		if got, want := figureMoves(t, s, f.prog, f.province, year, before[f.province.Code], mTraining, mTrainees), []int64{1, 1, 2, 0}; !slices.Equal(got, want) {
			t.Errorf("after unmarking, the province moved by %v, want %v", got, want)
		}

		// Nobody present: no activity, and the figures are as before.
		id := c.ActivityID
		if err := mark(t, s, f.prog, c, map[int64]bool{an: false, binh: false}); err != nil {
			t.Fatal(err)
		}
		if c, _ = s.Class(ctx, c.ID); c.ActivityID != 0 {
			t.Errorf("nobody present, the class still names activity %d", c.ActivityID)
		}
		if _, err := s.Activity(ctx, id); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("nobody present, the activity is still there: %v", err)
		}
		for _, u := range []nscl.OrgUnit{unit, f.department, f.province} {
			if got := figureMoves(t, s, f.prog, u, year, before[u.Code], mTraining, mTrainees); !slices.Equal(got, []int64{0, 0, 0, 0}) {
				t.Errorf("%s: nobody present, the figures still moved by %v", u.Code, got)
			}
		}
		checkTotalsAgree(t, s)

		// Marked again, then the class moves to 2025 and another unit: the
		// activity follows it; deleted, the class takes its activity along.
		if err := mark(t, s, f.prog, c, map[int64]bool{an: true}); err != nil {
			t.Fatal(err)
		}
		c, _ = s.Class(ctx, c.ID)
		c.StartsOn, c.EndsOn, c.UnitID, c.Place = day("2025-02-03"), day("2025-02-04"), f.department.ID, ""
		c.OnlineLink = "https://meet.example.vn/tap-huan"
		if err := s.Update(ctx, func(tx *Tx) error { return tx.UpdateClass(ctx, f.prog, &c) }); err != nil {
			t.Fatal(err)
		}
		a, _ = s.Activity(ctx, c.ActivityID)
		if a.UnitID != f.department.ID || a.Year() != 2025 || !strings.Contains(a.Description, "“"+c.Title+"” từ ngày 03/02/2025 đến ngày 04/02/2025 trực tuyến cho 01 doanh nghiệp, 01 học viên") {
			t.Errorf("the activity did not follow the class: %+v", a)
		}
		if got := figureMoves(t, s, f.prog, unit, year, before[unit.Code], mTrainees); !slices.Equal(got, []int64{0, 0}) {
			t.Errorf("the class moved away, %d still counts %v", year, got)
		}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.DeleteClass(ctx, f.prog, c.ID, c.Version) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Activity(ctx, a.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("the class is deleted, its activity is not: %v", err)
		}
		checkTotalsAgree(t, s)
	})
}

// A programme that is not the demo's counts only trainees: the activity
// carries that one quantity, in its own group, and still lists the
// enterprises present.
func TestClassActivityOfAnotherProgramme(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newFixture(t, s) // for its units
		prog := nscl.Programme{Code: "P2", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
			TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Truyền thông"}, {Letter: "b", Name: "Đào tạo"}},
			Metrics:    []nscl.Metric{{Code: "hv", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "người", Name: "Học viên"}}}
		if err := s.Update(ctx, func(tx *Tx) error {
			if err := tx.CreateProgramme(ctx, &prog); err != nil {
				return err
			}
			return tx.SetPortalCounting(ctx, &prog, nscl.PortalCounting{ClassTraineesMetric: "hv"})
		}); err != nil {
			t.Fatal(err)
		}
		c := nscl.Class{UnitID: f.department.ID, Title: "Lớp đào tạo", TaskGroup: "b", StartsOn: day("2027-06-01"), Place: "Thủ Đức", Capacity: 5}
		if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateClass(ctx, &prog, &c) }); err != nil {
			t.Fatal(err)
		}
		r := registerTo(t, s, &prog, c, t4, "Võ Thị Hoa", "Đặng Văn Khoa")
		if err := mark(t, s, &prog, c, map[int64]bool{r.Attendees[0].ID: true, r.Attendees[1].ID: true}); err != nil {
			t.Fatal(err)
		}
		c, _ = s.Class(ctx, c.ID)
		a, err := s.Activity(ctx, c.ActivityID)
		if err != nil {
			t.Fatal(err)
		}
		if a.ProgrammeID != prog.ID || a.TaskGroup != "b" || !slices.Equal(a.Quantities, []nscl.Quantity{qty("hv", 2)}) || !slices.Equal(a.Beneficiaries, []string{t4}) {
			t.Errorf("activity %+v", a)
		}
		// A class of one programme is not found through another.
		if err := s.Update(ctx, func(tx *Tx) error { return tx.SaveAttendance(ctx, f.prog, c.ID, nil) }); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("attendance through another programme: %v", err)
		}
		checkTotalsAgree(t, s)
	})
}

// Registrations the class cannot take are refused naming the field, and
// leave everything as it was.
func TestClassRegistrationRefusals(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		c := newClass(t, s, f.prog, f.district1, "2023-03-01", 3) // the store's clock says 15/01/2023
		registerTo(t, s, f.prog, c, t1, "Nguyễn Văn An", "Trần Thị Bình")
		for _, tc := range []struct {
			name, taxCode string
			names         []string
			field         string
		}{
			{"too many for the places left", t2, []string{"Một", "Hai"}, "attendees"},
			{"the same tax code twice", t1, []string{"Lê Văn Cường"}, "tax_code"},
			{"a bad tax code", "03000", []string{"Lê Văn Cường"}, "tax_code"},
			{"nobody named", t2, nil, "attendees"},
			{"one name twice", t2, []string{"Lê Văn Cường", "lê văn cường"}, "attendees.2"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpTables(t, s, classTables)
				_, err := tryRegister(t, s, f.prog, c, tc.taxCode, tc.names...)
				wantError(t, err, nscl.EINVALID, tc.field)
				if after := dumpTables(t, s, classTables); after != before {
					t.Fatalf("a refused registration changed the database")
				}
			})
		}
		registerTo(t, s, f.prog, c, t2, "Lê Văn Cường") // the last place
		_, err := tryRegister(t, s, f.prog, c, t3, "Phạm Thị Dung")
		wantError(t, err, nscl.EINVALID, "attendees")

		// Closed: the day after its closing date.
		late := newClass(t, s, f.prog, f.district1, "2023-03-01", 30)
		late.RegistrationClosesOn = day("2023-01-14")
		if err := s.Update(t.Context(), func(tx *Tx) error { return tx.UpdateClass(t.Context(), f.prog, &late) }); err != nil {
			t.Fatal(err)
		}
		_, err = tryRegister(t, s, f.prog, late, t3, "Phạm Thị Dung")
		wantError(t, err, nscl.EINVALID, "class_id")
		s.Now = func() time.Time { return time.Date(2023, 1, 13, 16, 59, 0, 0, time.UTC) } // 23:59 in Vietnam on the 13th
		registerTo(t, s, f.prog, late, t3, "Phạm Thị Dung")
	})
}

// The calendar's pages go by (first day, id): upcoming soonest first from
// a day, past latest first before it, each page after the last one's key,
// classes of the same day included once.
func TestClassPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		var ids []int64
		for _, start := range []string{"2023-02-01", "2023-03-01", "2023-03-01", "2023-03-01", "2023-04-01", "2023-05-01"} {
			ids = append(ids, newClass(t, s, f.prog, f.department, start, 10).ID)
		}
		walk := func(filter ClassFilter) []int64 {
			var got []int64
			for pages := 0; ; pages++ {
				page, err := s.Classes(t.Context(), f.prog, filter)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Classes) > filter.Limit || pages > 10 {
					t.Fatalf("a page of %d classes, limit %d", len(page.Classes), filter.Limit)
				}
				for _, c := range page.Classes {
					got = append(got, c.ID)
				}
				if page.Next == "" {
					return got
				}
				filter.After = page.Next
			}
		}
		march := day("2023-03-01")
		if got, want := walk(ClassFilter{Day: march, Limit: 2}), ids[1:]; !slices.Equal(got, want) {
			t.Errorf("upcoming from 01/03: %v, want %v", got, want)
		}
		if got, want := walk(ClassFilter{Day: march, Past: true, Limit: 2}), ids[:1]; !slices.Equal(got, want) {
			t.Errorf("before 01/03: %v, want %v", got, want)
		}
		all := slices.Clone(ids)
		slices.Reverse(all)
		if got := walk(ClassFilter{Limit: 4}); !slices.Equal(got, all) {
			t.Errorf("every class: %v, want %v", got, all)
		}
		if _, err := s.Classes(t.Context(), f.prog, ClassFilter{After: "nonsense"}); nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("a bad cursor: %v", err)
		}
	})
}
