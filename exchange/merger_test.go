package exchange

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/store"
)

// ministryAfterMerger is a Ministry's database holding three provinces,
// Bình Dương closed into Hồ Chí Minh on 1 July 2025.
func ministryAfterMerger(t *testing.T, st *store.Store) {
	t.Helper()
	ministry(t, st)
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		root, err := tx.UnitByCode(ctx, "BKHCN")
		if err != nil {
			return err
		}
		for _, p := range []nscl.OrgUnit{
			{Code: "HCM", Name: "Ủy ban nhân dân Thành phố Hồ Chí Minh"},
			{Code: "BD", Name: "Ủy ban nhân dân tỉnh Bình Dương"},
			{Code: "CT", Name: "Ủy ban nhân dân Thành phố Cần Thơ"},
		} {
			p.Level, p.ParentID = nscl.LevelProvince, root.ID
			if err := tx.CreateUnit(ctx, &p); err != nil {
				return err
			}
		}
		_, err = tx.CloseUnitInto(ctx, "BD", day(2025, 7, 1), []string{"HCM"})
		return err
	})
}

// The Ministry's tree keeps a province that no longer exists: its summary
// of a year it was open imports under it, that of the year it closed is
// dated its last day, and that of a year after is refused, naming where
// its work went; the province counts for its successor.
func TestSummaryOfAProvinceThatClosed(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		bd, bo := open(), open()
		on := func(y, m, d int) nscl.Activity {
			a := act("d", 1, map[string]int64{mTraining: int64(10*m + d), mTrainees: 3})
			a.Date = day(y, time.Month(m), d)
			return a
		}
		// Bình Dương's own database, in which it never closed.
		province(t, bd, "BD", "Ủy ban nhân dân tỉnh Bình Dương", on(2024, 5, 10), on(2024, 11, 2), on(2025, 3, 15), on(2025, 6, 30))
		ministryAfterMerger(t, bo)

		// Three figures a year: training, trainees, and the stock of labs,
		// zero being a stock.
		sum := importSummaryOf(t, bo, summaryOf(t, bd, "BD", 2024))
		if sum.UnitCreated || sum.Created != 3 {
			t.Errorf("Bình Dương 2024: %+v", sum)
		}
		sum = importSummaryOf(t, bo, summaryOf(t, bd, "BD", 2025))
		if sum.UnitCreated || sum.Created != 3 {
			t.Errorf("Bình Dương 2025: %+v", sum)
		}
		if again := importSummaryOf(t, bo, summaryOf(t, bd, "BD", 2025)); again.Unchanged != 3 || again.Created+again.Updated+again.Removed != 0 {
			t.Errorf("Bình Dương 2025 again: %+v", again)
		}
		prog, err := bo.ProgrammeByCode(t.Context(), "NSCL")
		if err != nil {
			t.Fatal(err)
		}
		bdUnit, _ := bo.UnitByCode(t.Context(), "BD")
		byYear := map[int]int64{}
		err = bo.EachActivity(t.Context(), prog, store.ActivityFilter{UnitID: bdUnit.ID}, func(a nscl.Activity) error {
			want := day(a.Date.Year(), 12, 31)
			if a.Date.Year() == 2025 {
				want = day(2025, 6, 30)
				if !strings.Contains(a.Source, "30/06/2025") {
					t.Errorf("%s: the source %q does not say why it is dated 30/06/2025", a.Ref, a.Source)
				}
			}
			if !a.Date.Equal(want) {
				t.Errorf("%s dated %s, want %s", a.Ref, a.Date.Format("02/01/2006"), want.Format("02/01/2006"))
			}
			for _, q := range a.Quantities {
				if q.Metric == mTraining {
					byYear[a.Date.Year()] += q.Value
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// 2024: 10·5+10 and 10·11+2; 2025: 10·3+15 and 10·6+30.
		if byYear[2024] != 172 || byYear[2025] != 135 || len(byYear) != 2 {
			t.Errorf("Bình Dương's training at the Ministry by year: %v", byYear)
		}

		// 2026: Bình Dương is gone; the refusal says where its work went.
		_, err = ImportSummary(t.Context(), bo, bytes.NewReader(summaryOf(t, bd, "BD", 2026)), "BKHCN")
		if nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "year" ||
			!strings.Contains(err.Error(), "01/07/2025") || !strings.Contains(err.Error(), "Ủy ban nhân dân Thành phố Hồ Chí Minh (HCM)") {
			t.Errorf("Bình Dương 2026: %v", err)
		}
		if n, _ := bo.CountActivities(t.Context(), prog, store.ActivityFilter{}); n != 6 {
			t.Errorf("after the refusal the Ministry holds %d activities, want 6", n)
		}

		// Hồ Chí Minh, which sent nothing, counts Bình Dương's work in
		// today's tree and at the end of 2025; the 2024 report, in the tree
		// of its year, does not.
		hcm, _ := bo.UnitByCode(t.Context(), "HCM")
		for _, c := range []struct {
			year                int
			b                   nscl.Boundaries
			thisYear, cumulated int64
		}{{2025, nscl.Boundaries{}, 135, 307}, {2025, nscl.YearEnd(2025), 135, 307}, {2024, nscl.YearEnd(2024), 0, 0}} {
			f, err := bo.FiguresWith(t.Context(), prog, hcm.ID, 2021, c.year, store.FigureOptions{Boundaries: c.b})
			if err != nil {
				t.Fatal(err)
			}
			if got := f[mTraining]; got.YearValue != c.thisYear || got.Cumulative != c.cumulated {
				t.Errorf("Hồ Chí Minh's training in %d within %s: %d, cumulated %d; want %d, %d", c.year, c.b, got.YearValue, got.Cumulative, c.thisYear, c.cumulated)
			}
		}
		if diffs, err := bo.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Errorf("kept totals: %v %v", diffs, err)
		}
	})
}

// mergedTree is a database whose tree changed over time: a district that
// moved to another province and back, a province closed into another, and
// its department split in two.
func mergedTree(t *testing.T, st *store.Store) {
	t.Helper()
	ministry(t, st)
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		root, err := tx.UnitByCode(ctx, "BKHCN")
		if err != nil {
			return err
		}
		ids := map[string]int64{"BKHCN": root.ID}
		for _, u := range []struct {
			nscl.OrgUnit
			parent string
		}{
			{nscl.OrgUnit{Code: "X", Name: "Ủy ban nhân dân tỉnh X", Level: nscl.LevelProvince}, "BKHCN"},
			{nscl.OrgUnit{Code: "Y", Name: "Ủy ban nhân dân tỉnh Y", Level: nscl.LevelProvince}, "BKHCN"},
			{nscl.OrgUnit{Code: "X-S1", Name: "Sở Khoa học và Công nghệ tỉnh X", Level: nscl.LevelDepartment}, "X"},
			{nscl.OrgUnit{Code: "X-S2", Name: "Sở Công Thương tỉnh X", Level: nscl.LevelDepartment}, "X"},
			{nscl.OrgUnit{Code: "Y-S", Name: "Sở Khoa học và Công nghệ tỉnh Y", Level: nscl.LevelDepartment}, "Y"},
			{nscl.OrgUnit{Code: "X-D", Name: "Ủy ban nhân dân huyện D", Level: nscl.LevelDistrict}, "X"},
		} {
			unit := u.OrgUnit
			unit.ParentID = ids[u.parent]
			if err := tx.CreateUnit(ctx, &unit); err != nil {
				return err
			}
			ids[unit.Code] = unit.ID
		}
		if _, err := tx.MoveUnit(ctx, "X-D", "Y", day(2023, 1, 1)); err != nil {
			return err
		}
		if _, err := tx.MoveUnit(ctx, "X-D", "X", day(2024, 6, 1)); err != nil {
			return err
		}
		if _, err := tx.CloseUnitInto(ctx, "Y", day(2025, 7, 1), []string{"X"}); err != nil {
			return err
		}
		_, err = tx.CloseUnitInto(ctx, "Y-S", day(2025, 7, 1), []string{"X-S1", "X-S2"})
		return err
	})
}

// history is a database's successions and moves by unit code.
func history(t *testing.T, st *store.Store) (successions, moves []string) {
	t.Helper()
	units, err := st.Units(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	code := map[int64]string{0: "-"}
	for _, u := range units {
		code[u.ID] = u.Code
	}
	all, err := st.Successions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		successions = append(successions, code[s.PredecessorID]+" > "+code[s.SuccessorID]+" "+s.On.Format("2006-01-02")+" "+string(nscl.KindOf(all, s)))
	}
	changes, err := st.ParentChanges(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range changes {
		moves = append(moves, code[m.UnitID]+": "+code[m.OldParentID]+" > "+code[m.NewParentID]+" "+m.On.Format("2006-01-02"))
	}
	return successions, moves
}

// Moving a database by exchange keeps its successions and moves; a file
// written before they were exchanged still imports; and a file whose
// history does not fit its units is refused, naming the record, with
// nothing written.
func TestRoundTripKeepsSuccessionsAndMoves(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b := open(), open()
		mergedTree(t, a)
		file := export(t, a, "NSCL")
		for _, line := range []string{`{"predecessor":"Y","successor":"X","on":"2025-07-01"}`, `{"predecessor":"Y-S","successor":"X-S2","on":"2025-07-01"}`,
			`{"unit":"X-D","old_parent":"X","new_parent":"Y","on":"2023-01-01"}`} {
			if !bytes.Contains(file, []byte(line)) {
				t.Errorf("the export lacks %s", line)
			}
		}
		sum, err := Import(t.Context(), b, bytes.NewReader(file))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if sum.Successions != 3 || sum.UnitMoves != 2 {
			t.Errorf("imported %+v", sum)
		}
		succA, movesA := history(t, a)
		succB, movesB := history(t, b)
		if !slices.Equal(succA, succB) || !slices.Equal(movesA, movesB) || len(succA) != 3 || len(movesA) != 2 {
			t.Errorf("successions %q, after the round trip %q;\nmoves %q, after %q", succA, succB, movesA, movesB)
		}
		if !slices.Contains(succB, "Y-S > X-S1 2025-07-01 split") || !slices.Contains(movesB, "X-D: Y > X 2024-06-01") {
			t.Errorf("after the round trip: %q %q", succB, movesB)
		}
		if x, y := exportedAt.ReplaceAll(file, nil), exportedAt.ReplaceAll(export(t, b, "NSCL"), nil); !bytes.Equal(x, y) {
			t.Errorf("exporting the import again gives another file:\n%s", firstDifference(string(x), string(y)))
		}

		// A file of before: no successions, no moves.
		older := regexp.MustCompile(`(?s),\n  "successions": \[.*?\n  \],\n  "unit_moves": \[.*?\n  \]`).ReplaceAll(file, nil)
		if bytes.Contains(older, []byte("successions")) || bytes.Contains(older, []byte("unit_moves")) {
			t.Fatalf("the sections are still in:\n%s", older)
		}
		if sum, err := Import(t.Context(), open(), bytes.NewReader(older)); err != nil || sum.Successions+sum.UnitMoves != 0 || sum.Units != 7 {
			t.Errorf("a file without the sections: %+v %v", sum, err)
		}

		s := string(file)
		for _, c := range []struct{ name, file, want string }{
			{"a succession of a unit the file leaves open", strings.Replace(s, `{"predecessor":"Y-S","successor":"X-S1","on":"2025-07-01"}`, `{"predecessor":"X-S2","successor":"X-S1","on":"2025-07-01"}`, 1),
				"successions[1] (predecessor X-S2): on"},
			{"another day", strings.Replace(s, `{"predecessor":"Y","successor":"X","on":"2025-07-01"}`, `{"predecessor":"Y","successor":"X","on":"2025-08-01"}`, 1),
				"successions[0] (predecessor Y): on"},
			{"a successor not in the file", strings.Replace(s, `"successor":"X","on"`, `"successor":"NOWHERE","on"`, 1),
				"successions[0] (predecessor Y): successor"},
			{"moves that do not follow one another", strings.Replace(s, `{"unit":"X-D","old_parent":"Y","new_parent":"X"`, `{"unit":"X-D","old_parent":"X-S1","new_parent":"X"`, 1),
				"unit_moves[0] (unit X-D): parent"},
			{"moves out of order", strings.Replace(s, `"new_parent":"X","on":"2024-06-01"`, `"new_parent":"X","on":"2022-06-01"`, 1),
				"unit_moves[0] (unit X-D): on"},
		} {
			if c.file == s {
				t.Fatalf("%s: the file did not change", c.name)
			}
			fresh := open()
			_, err := Import(t.Context(), fresh, strings.NewReader(c.file))
			if nscl.ErrorCode(err) != nscl.EINVALID && nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want an error at %q", c.name, err, c.want)
			}
			if units, _ := fresh.Units(t.Context()); len(units) != 0 {
				t.Errorf("%s: a refused import left %d units", c.name, len(units))
			}
		}
	})
}
