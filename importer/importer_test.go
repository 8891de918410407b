package importer

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/demo"
	"nscl/sheet"
	"nscl/store"
	"nscl/vnfmt"
)

// postgresEnv names the PostgreSQL DSN the store tests use; when set, every
// test here also runs on PostgreSQL, in a schema of its own.
const postgresEnv = "NSCL_TEST_POSTGRES"

// env is a fresh database holding the demo: the NSCL programme of Ho Chi
// Minh City with its units, 2021–2022 activities and the 2022 round.
type env struct {
	st                 *store.Store
	prog               *nscl.Programme
	city, dept, thuDuc nscl.OrgUnit
	dir                string
}

// eachEngine runs fn on a fresh demo database of each engine: SQLite in a
// temporary file, and PostgreSQL when NSCL_TEST_POSTGRES names one.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, newEnv(t, filepath.Join(t.TempDir(), "nscl.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(postgresEnv)
		if base == "" {
			t.Skip(postgresEnv + " not set: PostgreSQL import tests skipped")
		}
		fn(t, newEnv(t, postgresSchema(t, base)))
	})
}

// postgresSchema creates a schema with a random name, drops it when the
// test ends, and returns base with the schema as its search path.
func postgresSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	schema := fmt.Sprintf("nscl_import_test_%016x", rand.Uint64())
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func newEnv(t testing.TB, dsn string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return time.Date(2023, 1, 15, 9, 30, 0, 0, time.UTC) }
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	e := &env{st: st, dir: t.TempDir()}
	if e.prog, err = st.ProgrammeByCode(ctx, demo.ProgrammeCode); err != nil {
		t.Fatal(err)
	}
	for code, u := range map[string]*nscl.OrgUnit{demo.UnitCity: &e.city, demo.UnitDept: &e.dept, demo.UnitThuDuc: &e.thuDuc} {
		if *u, err = st.UnitByCode(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// The files' layout: a title on line 1, a blank line, the headings on
// line 3 (rearranged, one metric by code, one by name, one by title), the
// activities from line 4.
const firstDataRow = 4

var heading = []string{
	"Đơn vị *",             // A
	"Nội dung hoạt động *", // B
	"Ngày thực hiện *",     // C
	"nhom nhiem vu",        // D
	"Loại hoạt động",       // E
	"trainees",             // F: by code
	"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng", // G: by name
	"Đại biểu dự hội thảo, hội nghị (đại biểu)",                                                // H: by title
	"Mã số thuế doanh nghiệp hưởng lợi",                                                        // I
}

// Columns as problems name them.
const (
	colUnit     = "A (Đơn vị)"
	colDate     = "C (Ngày thực hiện)"
	colTrainees = "F (Học viên được tập huấn, bồi dưỡng (học viên))"
	colTaxCodes = "I (Mã số thuế doanh nghiệp hưởng lợi)"
)

// act is one activity row; quantities of 0 are left empty.
type act struct {
	unit, desc, date, group, kind string
	trainees, training, attendees int64
	taxCodes                      string
}

// cells writes the row as people type it: trainees with dots between
// thousands, enterprises plain, attendees with spaces.
func (a act) cells() []string {
	q := func(n int64, format func(int64) string) string {
		if n == 0 {
			return ""
		}
		return format(n)
	}
	spaced := func(n int64) string { return strings.ReplaceAll(vnfmt.Int(n), ".", " ") }
	plain := func(n int64) string { return strconv.FormatInt(n, 10) }
	return []string{a.unit, a.desc, a.date, a.group, a.kind, q(a.trainees, vnfmt.Int), q(a.training, plain), q(a.attendees, spaced), a.taxCodes}
}

// fileRows lays out a file: title, blank, headings, then the rows (nil for a blank row).
func fileRows(rows ...[]string) [][]string {
	out := [][]string{{"BÁO CÁO HOẠT ĐỘNG NÂNG CAO NĂNG SUẤT CHẤT LƯỢNG NĂM 2023"}, nil, heading}
	return append(out, rows...)
}

func actRows(acts ...act) [][]string {
	var out [][]string
	for _, a := range acts {
		out = append(out, a.cells())
	}
	return fileRows(out...)
}

// writeCSV writes rows as a UTF-8 CSV file with commas; a nil row is a blank line.
func writeCSV(t testing.TB, dir, name string, rows [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range rows {
		if r == nil {
			w.Flush()
			buf.WriteString("\n")
			continue
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var wholeNumber = regexp.MustCompile(`^[0-9]+$`)

// writeXLSX writes rows to the activity sheet of a workbook, the title
// merged over the columns, whole numbers as number cells and dd/mm/yyyy
// dates as date cells; meta, when given, goes to the hidden sheet.
func writeXLSX(t testing.TB, dir, name string, rows [][]string, meta map[string]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := sheet.ActivitySheet
	if err := f.SetSheetName("Sheet1", s); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			var err error
			if d, perr := time.Parse("02/01/2006", v); perr == nil {
				err = f.SetCellValue(s, cell, d)
			} else if wholeNumber.MatchString(v) && len(v) < 10 {
				n, _ := strconv.Atoi(v)
				err = f.SetCellInt(s, cell, int64(n))
			} else if v != "" {
				err = f.SetCellStr(s, cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.MergeCell(s, "A1", "I1"); err != nil {
		t.Fatal(err)
	}
	if meta != nil {
		if _, err := f.NewSheet(sheet.MetaSheet); err != nil {
			t.Fatal(err)
		}
		i := 0
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range meta {
				if !yield(k) {
					return
				}
			}
		}) {
			i++
			if err := f.SetSheetRow(sheet.MetaSheet, fmt.Sprintf("A%d", i), &[]string{k, meta[k]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetSheetVisible(sheet.MetaSheet, false); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func (e *env) run(t *testing.T, req Request) Result {
	t.Helper()
	req.Programme = e.prog
	res, err := Import(t.Context(), e.st, req)
	if err != nil {
		t.Fatalf("Import %s: %v", filepath.Base(req.Path), err)
	}
	return res
}

func (e *env) activityCount(t *testing.T) int {
	t.Helper()
	n, err := e.st.CountActivities(t.Context(), e.prog, store.ActivityFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// totals are the kept totals of a year: Thủ Đức's own, and the city's
// figures, which add up every unit under it.
type totals struct{ unit, city map[string]int64 }

func (e *env) totals(t *testing.T, year int) totals {
	t.Helper()
	byUnit, err := e.st.UnitYearTotals(t.Context(), e.prog, []int64{e.thuDuc.ID}, year)
	if err != nil {
		t.Fatal(err)
	}
	figures, err := e.st.Figures(t.Context(), e.prog, e.city.ID, e.prog.StartYear, year)
	if err != nil {
		t.Fatal(err)
	}
	tt := totals{unit: map[string]int64{}, city: map[string]int64{}}
	for code, n := range byUnit[e.thuDuc.ID] {
		tt.unit[code] = n.Approved + n.Pending
	}
	for code, f := range figures {
		tt.city[code] = f.YearValue
	}
	return tt
}

// wantMoved checks that the totals moved from before to after by exactly delta.
func wantMoved(t *testing.T, before, after totals, delta map[string]int64) {
	t.Helper()
	for _, code := range []string{demo.Trainees, demo.TrainingEnterprises, demo.Attendees, demo.EnterprisesSupported} {
		if got := after.unit[code] - before.unit[code]; got != delta[code] {
			t.Errorf("Thủ Đức's %s moved by %d, want %d", code, got, delta[code])
		}
		if got := after.city[code] - before.city[code]; got != delta[code] {
			t.Errorf("the city's %s moved by %d, want %d", code, got, delta[code])
		}
	}
}

func (e *env) checkTotals(t *testing.T) {
	t.Helper()
	diffs, err := e.st.CheckTotals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("kept totals differ from the activities: %s", d)
	}
}

// sumOf adds up the quantities of acts by metric code.
func sumOf(acts ...act) map[string]int64 {
	return map[string]int64{
		demo.Trainees:            sum(acts, func(a act) int64 { return a.trainees }),
		demo.TrainingEnterprises: sum(acts, func(a act) int64 { return a.training }),
		demo.Attendees:           sum(acts, func(a act) int64 { return a.attendees }),
	}
}

func sum(acts []act, f func(act) int64) int64 {
	var n int64
	for _, a := range acts {
		n += f(a)
	}
	return n
}

func minus(a, b map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range a {
		out[k] = v - b[k]
	}
	return out
}

func wantCounts(t *testing.T, what string, res Result, rows, created, updated, unchanged int) {
	t.Helper()
	if len(res.Problems) > 0 {
		t.Fatalf("%s: problems %v", what, res.Problems)
	}
	if res.Rows != rows || res.Created != created || res.Updated != updated || res.Unchanged != unchanged {
		t.Errorf("%s: rows %d, created %d, updated %d, unchanged %d; want %d, %d, %d, %d",
			what, res.Rows, res.Created, res.Updated, res.Unchanged, rows, created, updated, unchanged)
	}
}

// Three Thủ Đức activities of 2023 (inside the programme, no round).
var (
	training = act{unit: "HCM-THUDUC", desc: "Lớp tập huấn công cụ cải tiến năng suất 5S, Kaizen", date: "15/03/2023", group: "d", kind: "training",
		trainees: 16192, training: 37, taxCodes: "0301234567; 0301234567-001"}
	workshop = act{unit: "Ủy ban nhân dân Thành phố Thủ Đức", desc: "Hội thảo năng suất chất lượng", date: "2023-06-20", group: "b", kind: "hội thảo, hội nghị",
		attendees: 12581}
	consulting = act{unit: "hcm-thuduc", desc: "Tư vấn áp dụng ISO 9001 cho doanh nghiệp", date: "44990", group: "c) Hỗ trợ …", kind: "consulting",
		training: 4}
)

// TestImportCreatesUpdatesAndKeepsRowsRemovedFromTheFile: importing a file
// creates its rows; the same file again changes nothing; an edited file
// updates the changed row and creates the new one, and a row taken out of
// the file stays in the database (an import never deletes).
func TestImportCreatesUpdatesAndKeepsRowsRemovedFromTheFile(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		count0, totals0 := e.activityCount(t), e.totals(t, 2023)
		path := writeCSV(t, e.dir, "thu-duc-2023.csv", actRows(training, workshop, consulting))

		res := e.run(t, Request{Path: path})
		wantCounts(t, "first import", res, 3, 3, 0, 0)
		if got := e.activityCount(t); got != count0+3 {
			t.Errorf("activities %d, want %d", got, count0+3)
		}
		totals1 := e.totals(t, 2023)
		wantMoved(t, totals0, totals1, sumOf(training, workshop, consulting))
		e.checkTotals(t)

		// What was stored is what the file says.
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Year: 2023})
		if err != nil {
			t.Fatal(err)
		}
		byDesc := map[string]nscl.Activity{}
		for _, a := range page.Activities {
			byDesc[a.Description] = a
		}
		if a := byDesc[consulting.desc]; !a.Date.Equal(time.Date(2023, 3, 5, 0, 0, 0, 0, time.UTC)) || a.TaskGroup != "c" || a.Kind != nscl.KindConsulting {
			t.Errorf("serial 44990 row stored as %+v, want 05/03/2023, group c, consulting", a)
		}
		if a := byDesc[workshop.desc]; a.Kind != nscl.KindWorkshop || !strings.HasPrefix(a.Ref, "auto:") ||
			a.Source != "Tệp thu-duc-2023.csv, trang thu-duc-2023.csv, dòng 5" {
			t.Errorf("workshop row stored as %+v", a)
		}
		full, err := e.st.Activity(t.Context(), byDesc[training.desc].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(full.Beneficiaries, []string{"0301234567", "0301234567-001"}) {
			t.Errorf("beneficiaries %q", full.Beneficiaries)
		}

		res = e.run(t, Request{Path: path})
		wantCounts(t, "same file again", res, 3, 0, 0, 3)
		if got := e.activityCount(t); got != count0+3 {
			t.Errorf("activities %d after the same file again, want %d", got, count0+3)
		}
		wantMoved(t, totals1, e.totals(t, 2023), nil)
		e.checkTotals(t)

		// Edited: the training's trainees corrected, the consulting row
		// taken out, a new row at its place.
		corrected := training
		corrected.trainees = 16200
		added := act{unit: "HCM-THUDUC", desc: "Khóa đào tạo chuyên gia năng suất", date: "01/09/2023", group: "d", kind: "đào tạo chuyên gia",
			trainees: 25, training: 3}
		edited := writeCSV(t, e.dir, "thu-duc-2023.csv", actRows(corrected, workshop, added))
		res = e.run(t, Request{Path: edited})
		wantCounts(t, "edited file", res, 3, 1, 1, 1)
		if got := e.activityCount(t); got != count0+4 {
			t.Errorf("activities %d after the edited file, want %d: the removed row is kept, the new one added", got, count0+4)
		}
		delta := minus(sumOf(corrected, added), sumOf(training))
		wantMoved(t, totals1, e.totals(t, 2023), delta)
		e.checkTotals(t)
		if _, err := e.st.Activity(t.Context(), byDesc[consulting.desc].ID); err != nil {
			t.Errorf("the row taken out of the file: %v; want it kept", err)
		}
	})
}

// Rows whose content did not change are Unchanged even when they moved in
// the file or the file was saved under another name: the source the import
// writes by default names the file and line, and must not turn every
// moved row into an update (new version, audit entry, "Updated" count).
func TestImportSameRowsMovedOrRenamedAreUnchanged(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "thang-5.csv", actRows(training, workshop, consulting))})
		wantCounts(t, "first import", res, 3, 3, 0, 0)
		count, totals := e.activityCount(t), e.totals(t, 2023)

		res = e.run(t, Request{Path: writeCSV(t, e.dir, "thang-5.csv", actRows(consulting, training, workshop))})
		wantCounts(t, "rows in another order", res, 3, 0, 0, 3)
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "thang-6.csv", actRows(training, workshop, consulting))})
		wantCounts(t, "the same rows in a file of another name", res, 3, 0, 0, 3)

		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
		wantMoved(t, totals, e.totals(t, 2023), nil)
		e.checkTotals(t)
	})
}

func problemsText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n  %s | %d | %s | %s", p.Sheet, p.Row, p.Column, p.Message)
	}
	return b.String()
}

type wantProblem struct {
	row    int
	column string
	says   string
}

func checkProblems(t *testing.T, got []Problem, sheetName string, want []wantProblem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:%s", len(got), len(want), problemsText(got))
	}
	for i, w := range want {
		p := got[i]
		if p.Sheet != sheetName || p.Row != w.row || p.Column != w.column || !strings.Contains(p.Message, w.says) {
			t.Errorf("problem %d: %s | %d | %s | %s\nwant           %s | %d | %s | …%s…", i, p.Sheet, p.Row, p.Column, p.Message, sheetName, w.row, w.column, w.says)
		}
		if p.English == "" {
			t.Errorf("problem %d has no English message", i)
		}
	}
}

// TestImportAllOrNothing: two good rows and three bad ones; every bad row
// is listed with its sheet, row (as the spreadsheet numbers it) and
// column, and nothing is written.
func TestImportAllOrNothing(t *testing.T) {
	badDate := training
	badDate.desc, badDate.date = "Ngày không có thật", "31/02/2023"
	badUnit := workshop
	badUnit.unit = "HCM-KHONGCO"
	fraction := act{unit: "HCM-THUDUC", desc: "Số học viên có phần lẻ", date: "10/10/2023", group: "d", kind: "training"}
	rows := actRows(training, badDate, badUnit, workshop, fraction)
	rows[len(rows)-1][5] = "1.234,5"
	// rows: 4 good, 5 bad date, 6 bad unit, 7 good, 8 fraction.
	want := []wantProblem{
		{firstDataRow + 1, colDate, "31/02/2023"},
		{firstDataRow + 2, colUnit, "HCM-KHONGCO"},
		{firstDataRow + 4, colTrainees, "1.234,5"},
	}
	eachEngine(t, func(t *testing.T, e *env) {
		count, totals := e.activityCount(t), e.totals(t, 2023)
		t.Run("csv", func(t *testing.T) {
			res := e.run(t, Request{Path: writeCSV(t, e.dir, "sai.csv", rows)})
			checkProblems(t, res.Problems, "sai.csv", want)
			if res.Created+res.Updated+res.Unchanged != 0 || res.MoreProblems {
				t.Errorf("result %+v", res)
			}
		})
		t.Run("xlsx", func(t *testing.T) {
			// The same rows with a blank row after the first: the rows below it move down.
			withBlank := slices.Concat(rows[:firstDataRow], [][]string{nil}, rows[firstDataRow:])
			res := e.run(t, Request{Path: writeXLSX(t, e.dir, "sai.xlsx", withBlank, nil)})
			var moved []wantProblem
			for _, w := range want {
				w.row++
				moved = append(moved, w)
			}
			checkProblems(t, res.Problems, sheet.ActivitySheet, moved)
		})
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d: nothing written", got, count)
		}
		wantMoved(t, totals, e.totals(t, 2023), nil)
		e.checkTotals(t)
	})
}

// The same file as an .xlsx: number cells, date cells, a merged title.
func TestImportXLSX(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		totals := e.totals(t, 2023)
		path := writeXLSX(t, e.dir, "thu-duc.xlsx", actRows(training, workshop, consulting), nil)
		res := e.run(t, Request{Path: path, Name: "Báo cáo Thủ Đức.xlsx"})
		wantCounts(t, "xlsx", res, 3, 3, 0, 0)
		wantMoved(t, totals, e.totals(t, 2023), sumOf(training, workshop, consulting))
		e.checkTotals(t)
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Year: 2023, Text: "hội thảo năng suất"})
		if err != nil || len(page.Activities) != 1 {
			t.Fatalf("workshop row: %v, %d found", err, len(page.Activities))
		}
		if got, want := page.Activities[0].Source, "Tệp Báo cáo Thủ Đức.xlsx, trang Hoạt động, dòng 5"; got != want {
			t.Errorf("source %q, want %q", got, want)
		}
	})
}

// A workbook of the 1904 date system: its date cells are read from 1904.
func TestImportXLSXDate1904(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "nscl.db"))
	path := writeXLSX(t, e.dir, "mac.xlsx", actRows(training), nil)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	// 15/03/2023 is 45000 in the 1900 system, 45000 − 1462 in the 1904 one.
	if err := f.SetCellInt(sheet.ActivitySheet, "C4", 45000-1462); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res := e.run(t, Request{Path: path})
	wantCounts(t, "1904 workbook", res, 1, 1, 0, 0)
	page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Year: 2023})
	if err != nil || len(page.Activities) != 1 {
		t.Fatalf("%v, %d activities", err, len(page.Activities))
	}
	if got := page.Activities[0].Date; !got.Equal(time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v, want 15/03/2023", got)
	}
}

// demoRound is the demo's round that asks Thủ Đức to report on year: the
// 2022 one (approved, so Thủ Đức's 2022 is locked) or the 2023 one (open).
func demoRound(t *testing.T, e *env, year int) nscl.Round {
	t.Helper()
	rounds, err := e.st.Rounds(t.Context(), e.prog)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		if r.PeriodStart.Year() == year && r.PeriodEnd.Year() == year && r.Asks(e.thuDuc.ID) {
			return r
		}
	}
	t.Fatalf("the demo has no %d round for Thủ Đức: %+v", year, rounds)
	return nscl.Round{}
}

// reopen has the focal point undo the approval of a unit's submission to
// the round: its period is no longer locked.
func reopen(t *testing.T, e *env, round nscl.Round, unitID int64) {
	t.Helper()
	ctx := t.Context()
	if err := demo.LoadAccounts(ctx, e.st, "mật khẩu thử nghiệm"); err != nil {
		t.Fatal(err)
	}
	focal, err := e.st.UserByEmail(ctx, "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	_, subs, err := e.st.Round(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == unitID })
	actx := store.WithActor(ctx, focal.ID)
	if err := e.st.Update(actx, func(tx *store.Tx) error {
		_, err := tx.ActOnSubmission(actx, round.ID, unitID, subs[i].Version, store.ActionReturn, "Mở lại để sửa số liệu")
		return err
	}); err != nil {
		t.Fatalf("reopen: %v", err)
	}
}

// Rows in a period whose submission is approved are each listed by the
// check pass, on the unit's column, and nothing is written.
func TestImportLockedPeriodIsRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		// The demo's 2022 is approved: Thủ Đức's 2022 is locked.
		count, totals2022, totals2023 := e.activityCount(t), e.totals(t, 2022), e.totals(t, 2023)
		locked := act{unit: "HCM-THUDUC", desc: "Hội thảo bổ sung năm 2022", date: "20/11/2022", group: "b", kind: "workshop", attendees: 80}
		locked2 := locked
		locked2.desc, locked2.date = "Tập huấn bổ sung năm 2022", "21/11/2022"
		path := writeCSV(t, e.dir, "khoa.csv", actRows(training, locked, workshop, locked2))
		res := e.run(t, Request{Path: path})
		checkProblems(t, res.Problems, "khoa.csv", []wantProblem{{firstDataRow + 1, colUnit, "đã được duyệt"}, {firstDataRow + 3, colUnit, "đã được duyệt"}})
		if res.Created+res.Updated+res.Unchanged != 0 {
			t.Errorf("result %+v claims writes", res)
		}
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d: the row before the locked one rolled back", got, count)
		}
		wantMoved(t, totals2022, e.totals(t, 2022), nil)
		wantMoved(t, totals2023, e.totals(t, 2023), nil)
		e.checkTotals(t)

		// Thủ Đức's 2023 is not locked.
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "mo.csv", actRows(training, workshop))})
		wantCounts(t, "2023 rows", res, 2, 2, 0, 0)
	})
}

func TestImportDuplicateRows(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		count := e.activityCount(t)
		// The same activity on rows 4 and 6, the second with its unit by
		// name and its figure changed: same unit, date, group, kind and
		// description is the same activity.
		again := training
		again.unit, again.trainees = "Ủy ban nhân dân Thành phố Thủ Đức", 1
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "trung.csv", actRows(training, workshop, again))})
		checkProblems(t, res.Problems, "trung.csv", []wantProblem{{firstDataRow + 2, "Mã dòng", "dòng 4"}})

		// Explicit row keys given twice.
		rows := fileRows(append(training.cells(), "TD-1"), append(workshop.cells(), "TD-2"), append(consulting.cells(), "TD-1"))
		rows[2] = append(slices.Clone(heading), "Mã dòng")
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "trung-ma.csv", rows)})
		checkProblems(t, res.Problems, "trung-ma.csv", []wantProblem{{firstDataRow + 2, "J (Mã dòng)", "dòng 4"}})
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
	})
}

// With a round, dates are bounded by its period.
func TestImportRoundBounds(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		round := demoRound(t, e, 2023) // 01/01/2023 – 31/12/2023
		in2023 := act{unit: "HCM-THUDUC", desc: "Tập huấn cuối năm", date: "31/12/2023", group: "d", kind: "training", trainees: 30, training: 2}
		before, after := in2023, in2023
		before.desc, before.date = "Tập huấn năm trước", "31/12/2022"
		after.desc, after.date = "Tập huấn năm sau", "01/01/2024"
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "dot.csv", actRows(in2023, after, before)), RoundID: round.ID})
		checkProblems(t, res.Problems, "dot.csv", []wantProblem{
			{firstDataRow + 1, colDate, "kỳ báo cáo"}, // 01/01/2024
			{firstDataRow + 2, colDate, "kỳ báo cáo"}, // 31/12/2022
		})
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "dot-dung.csv", actRows(in2023)), RoundID: round.ID})
		wantCounts(t, "inside the round", res, 1, 1, 0, 0)

		// An unknown round is an error, not a problem of the file.
		_, err := Import(t.Context(), e.st, Request{Programme: e.prog, Path: writeCSV(t, e.dir, "x.csv", actRows(in2023)), RoundID: round.ID + 100})
		if nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("unknown round: %v, want ENOTFOUND", err)
		}
	})
}

// A reporter imports its own unit's rows only.
func TestImportReporterWritesOnlyItsUnit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		if err := demo.LoadAccounts(t.Context(), e.st, "mật khẩu thử nghiệm"); err != nil {
			t.Fatal(err)
		}
		account, err := e.st.UserByEmail(t.Context(), "thuduc@demo.local")
		if err != nil {
			t.Fatal(err)
		}
		reporter := &nscl.User{ID: account.ID, Role: nscl.RoleReporter, UnitID: e.thuDuc.ID}
		other := workshop
		other.unit = "HCM-SKHCN"
		count := e.activityCount(t)
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "khac.csv", actRows(training, other)), User: reporter})
		checkProblems(t, res.Problems, "khac.csv", []wantProblem{{firstDataRow + 1, colUnit, "Sở Khoa học và Công nghệ"}})
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}

		res = e.run(t, Request{Path: writeCSV(t, e.dir, "minh.csv", actRows(training, workshop)), User: reporter})
		wantCounts(t, "own unit", res, 2, 2, 0, 0)
		log, err := e.st.AuditLog(t.Context(), store.AuditFilter{Entity: "activity", Action: "create", Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) == 0 || log[0].UserID != account.ID {
			t.Errorf("the audit log does not name the importing reporter: %+v", log)
		}
	})
}

func TestImportHeader(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		// Group and description columns missing: each named at the
		// heading row. (The kind may be missing: the group's default.)
		var rows [][]string
		for _, r := range actRows(training) {
			if r != nil && len(r) > 5 {
				r = slices.Concat(r[:1], r[2:3], r[4:])
			}
			rows = append(rows, r)
		}
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "thieu.csv", rows)})
		checkProblems(t, res.Problems, "thieu.csv", []wantProblem{
			{firstDataRow - 1, "Nhóm nhiệm vụ", "Nhóm nhiệm vụ"},
			{firstDataRow - 1, "Nội dung hoạt động", "Nội dung hoạt động"},
		})

		// No heading row at all.
		path := writeCSV(t, e.dir, "khong-tieu-de.csv", [][]string{training.cells(), workshop.cells()})
		_, err := Import(t.Context(), e.st, Request{Programme: e.prog, Path: path})
		if nscl.ErrorCode(err) != nscl.EINVALID || !strings.Contains(err.Error(), "tiêu đề") {
			t.Errorf("no heading row: %v, want EINVALID naming the heading row (tiêu đề)", err)
		}

		// Headings and no activity.
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "rong.csv", fileRows())})
		if len(res.Problems) != 1 || res.Problems[0].Row != firstDataRow-1 {
			t.Errorf("no activity rows: %s", problemsText(res.Problems))
		}

		// Not a spreadsheet.
		empty := filepath.Join(e.dir, "rong.xlsx")
		os.WriteFile(empty, nil, 0o644)
		if _, err := Import(t.Context(), e.st, Request{Programme: e.prog, Path: empty}); nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("empty file: %v, want EINVALID", err)
		}
	})
}

// A template's hidden sheet gives the unit for rows that leave it out and
// the round that bounds the dates; one made for another programme is refused.
func TestImportTemplateMeta(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		noUnit := act{desc: "Tập huấn theo mẫu", date: "01/12/2023", group: "d", kind: "training", trainees: 12, training: 1}
		meta := map[string]string{"programme": demo.ProgrammeCode, "round": strconv.FormatInt(demoRound(t, e, 2023).ID, 10), "unit": demo.UnitThuDuc}
		totals := e.totals(t, 2023)
		res := e.run(t, Request{Path: writeXLSX(t, e.dir, "mau.xlsx", actRows(noUnit), meta)})
		wantCounts(t, "template", res, 1, 1, 0, 0)
		wantMoved(t, totals, e.totals(t, 2023), sumOf(noUnit))

		outside := noUnit
		outside.date = "02/01/2024"
		res = e.run(t, Request{Path: writeXLSX(t, e.dir, "mau-2024.xlsx", actRows(outside), meta)})
		checkProblems(t, res.Problems, sheet.ActivitySheet, []wantProblem{{firstDataRow, colDate, "kỳ báo cáo"}})

		meta["programme"] = "KHAC"
		_, err := Import(t.Context(), e.st, Request{Programme: e.prog, Path: writeXLSX(t, e.dir, "khac.xlsx", actRows(noUnit), meta)})
		if nscl.ErrorCode(err) != nscl.EINVALID {
			t.Errorf("template of another programme: %v, want EINVALID", err)
		}
	})
}

// The check pass lists every problem; a tax code given twice in a row is
// one, on its column: the store refuses it, so leaving it to the write pass
// reports only the first such row, under a field key, not a column.
func TestImportTaxCodeListedTwiceIsFoundByTheCheckPass(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		twice := training
		twice.taxCodes = "0301234567; 0301234567"
		twiceToo := workshop
		twiceToo.taxCodes = "0312345678, 0312345678"
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "mst.csv", actRows(twice, consulting, twiceToo))})
		checkProblems(t, res.Problems, "mst.csv", []wantProblem{
			{firstDataRow, colTaxCodes, "0301234567"},
			{firstDataRow + 2, colTaxCodes, "0312345678"},
		})
	})
}

func TestImportStopsListingAtMaxProblems(t *testing.T) {
	bad := training
	bad.unit = "HCM-KHONGCO"
	var acts []act
	for i := range MaxProblems + 20 {
		a := bad
		a.desc = fmt.Sprintf("Hoạt động %d", i)
		acts = append(acts, a)
	}
	e := newEnv(t, filepath.Join(t.TempDir(), "nscl.db"))
	res := e.run(t, Request{Path: writeCSV(t, e.dir, "nhieu-loi.csv", actRows(acts...))})
	if len(res.Problems) != MaxProblems || !res.MoreProblems || res.Rows != len(acts) {
		t.Errorf("%d problems, more %v, rows %d; want %d, true, %d", len(res.Problems), res.MoreProblems, res.Rows, MaxProblems, len(acts))
	}
}

type progressCall struct {
	pass        string
	done, total int
}

// Progress hears each pass, in order, with counts that only grow; the
// check pass knows about how many rows the file holds, the write pass the
// total the check pass counted.
func TestImportProgress(t *testing.T) {
	const n = 2500
	var acts []act
	for i := range n {
		acts = append(acts, act{unit: "HCM-THUDUC", desc: fmt.Sprintf("Tư vấn doanh nghiệp số %d", i), date: "15/05/2023", group: "c", kind: "consulting", training: 1})
	}
	e := newEnv(t, filepath.Join(t.TempDir(), "nscl.db"))
	var calls []progressCall
	res := e.run(t, Request{Path: writeCSV(t, e.dir, "nhieu.csv", actRows(acts...)), Progress: func(pass string, done, total int) {
		calls = append(calls, progressCall{pass, done, total})
	}})
	wantCounts(t, "2500 rows", res, n, n, 0, 0)
	var passes []string
	last := map[string]int{}
	for _, c := range calls {
		if len(passes) == 0 || passes[len(passes)-1] != c.pass {
			passes = append(passes, c.pass)
		}
		if c.done < last[c.pass] {
			t.Errorf("%s: count went back from %d to %d", c.pass, last[c.pass], c.done)
		}
		last[c.pass] = c.done
		if c.done > n || c.done > c.total {
			t.Errorf("call %+v: beyond %d rows, or beyond its total", c, n)
		}
		// The .csv file's total is estimated from the share of it read.
		if c.pass == "kiểm tra" && (c.total < n*95/100 || c.total > n*105/100) {
			t.Errorf("check pass call %+v: total not within 5 %% of the file's %d rows", c, n)
		}
		if c.pass == "ghi" && c.total != n {
			t.Errorf("write pass call %+v: total %d, want the %d rows the check pass counted", c, c.total, n)
		}
	}
	if !slices.Equal(passes, []string{"kiểm tra", "ghi"}) {
		t.Errorf("passes %q, want check then write", passes)
	}
	for _, pass := range []string{"kiểm tra", "ghi"} {
		if last[pass] != n {
			t.Errorf("%s ended at %d, want %d", pass, last[pass], n)
		}
	}
	if len(calls) < 4 {
		t.Errorf("%d calls for %d rows, want some along the way: %+v", len(calls), n, calls)
	}
}

// A cancelled context stops the import with nothing written.
func TestImportCancelled(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "nscl.db"))
	count := e.activityCount(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Import(ctx, e.st, Request{Programme: e.prog, Path: writeCSV(t, e.dir, "huy.csv", actRows(training, workshop))})
	if err == nil {
		t.Error("cancelled import returned no error")
	}
	if got := e.activityCount(t); got != count {
		t.Errorf("activities %d, want %d", got, count)
	}
}

// keyedRows lays out rows with a row key in a last column, J.
func keyedRows(rows ...[]string) [][]string {
	out := fileRows(rows...)
	out[2] = append(slices.Clone(heading), "Mã dòng")
	return out
}

const colRef = "J (Mã dòng)"

// A unit's own row keys ("1", "2", …) name its activities of the period:
// the same key in another unit's row, or in a later round's, is refused
// instead of overwriting the activity that has it.
func TestImportOwnKeysDoNotReachOtherUnitsOrRounds(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "thu-duc.csv", keyedRows(append(training.cells(), "1"), append(workshop.cells(), "2")))})
		wantCounts(t, "Thủ Đức's rows 1 and 2", res, 2, 2, 0, 0)
		count, totals := e.activityCount(t), e.totals(t, 2023)

		dept := consulting
		dept.unit = "HCM-SKHCN"
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "so.csv", keyedRows(append(dept.cells(), "1")))})
		checkProblems(t, res.Problems, "so.csv", []wantProblem{{firstDataRow, colRef, "đơn vị khác"}})

		in2022 := act{unit: "HCM-THUDUC", desc: "Tập huấn cuối năm", date: "30/12/2022", group: "d", kind: "training", trainees: 30, training: 2}
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "2022.csv", keyedRows(append(in2022.cells(), "2"))), RoundID: demoRound(t, e, 2022).ID})
		checkProblems(t, res.Problems, "2022.csv", []wantProblem{{firstDataRow, colRef, "ngoài kỳ báo cáo"}})

		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
		wantMoved(t, totals, e.totals(t, 2023), nil)

		// Within its unit and period, the key updates its activity.
		corrected := training
		corrected.trainees = 100
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "thu-duc.csv", keyedRows(append(corrected.cells(), "1")))})
		wantCounts(t, "Thủ Đức's row 1 corrected", res, 1, 0, 1, 0)
	})
}

// A file that lacks a column leaves what the activities hold there as it
// was: beneficiaries, an indicator, a measure. A figure written as 0 is a
// figure: imported, and the same again is no change.
func TestImportKeepsWhatTheFileHasNoColumnFor(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "du.csv", actRows(training))})
		wantCounts(t, "full file", res, 1, 1, 0, 0)
		totals := e.totals(t, 2023)

		// The same activity with only the required columns and the
		// enterprises indicator (G), under headings of its own order.
		c := training.cells()
		short := fileRows([]string{c[0], c[1], c[2], c[3], c[4], c[6]})
		short[2] = []string{heading[0], heading[1], heading[2], heading[3], heading[4], heading[6]}
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "thieu-cot.csv", short)})
		wantCounts(t, "file without trainees and beneficiaries", res, 1, 0, 0, 1)
		wantMoved(t, totals, e.totals(t, 2023), nil)
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Text: training.desc})
		if err != nil || len(page.Activities) != 1 {
			t.Fatalf("the activity: %v, %d", err, len(page.Activities))
		}
		if a := page.Activities[0]; len(a.Beneficiaries) != 2 || len(a.Quantities) != 2 {
			t.Errorf("after the short file: %+v, want 2 beneficiaries and 2 quantities kept", a)
		}

		// Trainees corrected to 0: an update, and the totals move by the
		// old figure; the same file again is no change.
		zero := slices.Clone(c)
		zero[5] = "0"
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "khong.csv", fileRows(zero))})
		wantCounts(t, "trainees corrected to 0", res, 1, 0, 1, 0)
		wantMoved(t, totals, e.totals(t, 2023), map[string]int64{"trainees": -training.trainees})
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "khong.csv", fileRows(zero))})
		wantCounts(t, "the 0 again", res, 1, 0, 0, 1)
		e.checkTotals(t)
	})
}

// A column the sheet does not know that holds a value refuses the file
// until someone says what it is; the row numbers (STT) are no figure.
// Once passed over, the columns not read are named in the result.
func TestImportNamesIgnoredColumns(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rows := actRows(training)
		rows[2] = append(slices.Clone(heading), "STT", "Số lượt doanh nghiêp")
		rows[3] = append(rows[3], "1", "37")
		count := e.activityCount(t)
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "them-cot.csv", rows)})
		checkProblems(t, res.Problems, "them-cot.csv", []wantProblem{{firstDataRow - 1, "K (Số lượt doanh nghiêp)", "không có trong mẫu"}})
		if res.Problems[0].Decide != DecideColumn || len(res.Unmapped) != 1 || res.Unmapped[0].FirstRow != firstDataRow {
			t.Errorf("unmapped %+v, problem %+v", res.Unmapped, res.Problems[0])
		}
		if got := e.activityCount(t); got != count {
			t.Fatalf("activities %d, want %d: nothing written", got, count)
		}
		res = e.run(t, Request{Path: writeCSV(t, e.dir, "them-cot.csv", rows), Columns: map[string]string{"so luot doanh nghiep": ""}})
		wantCounts(t, "extra column passed over", res, 1, 1, 0, 0)
		if want := []string{"J (STT)", "K (Số lượt doanh nghiêp)"}; !slices.Equal(res.Ignored, want) {
			t.Errorf("ignored columns %q, want %q", res.Ignored, want)
		}
	})
}

// A file of a long name imports: the default source names it shortened.
func TestImportLongFileName(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		name := strings.Repeat("Báo cáo quý ", 40) + ".csv"
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "dai.csv", actRows(workshop)), Name: name})
		wantCounts(t, "long name", res, 1, 1, 0, 0)
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID, Text: workshop.desc})
		if err != nil || len(page.Activities) != 1 {
			t.Fatalf("the activity: %v, %d", err, len(page.Activities))
		}
		if src := page.Activities[0].Source; !strings.HasPrefix(src, "Tệp Báo cáo quý") || !strings.Contains(src, "…") || len([]rune(src)) > nscl.MaxSource {
			t.Errorf("source %q", src)
		}
	})
}

// The writing pass stops at the row the store refuses, naming it, with
// nothing after it written (and the error that rolls the transaction
// back); a failing store stops it with its own error.
func TestWritePassStopsAtTheRefusedRow(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "pass.db"))
	var rows [][]string
	for i := range 3000 {
		rows = append(rows, benchAct(i).cells())
	}
	path := writeCSV(t, e.dir, "dai.csv", fileRows(rows...))
	req := Request{Programme: e.prog, Path: path, Name: "dai.csv"}
	rules, err := rulesFor(t.Context(), e.st, &req, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The checking pass settles the plan the writing pass follows.
	look, closeLook, err := lookIn(t.Context(), e.st, e.prog)
	if err != nil {
		t.Fatal(err)
	}
	defer closeLook()
	var p plan
	r, err := sheet.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := pass(t.Context(), r, req, rules, 0, look, &p, nil); err != nil || len(res.Problems) > 0 {
		t.Fatalf("check: %v %s", err, problemsText(res.Problems))
	}
	r.Close()
	run := func(refuseAt int, fail error) (Result, int, error) {
		r, err := sheet.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		written := 0
		res, err := pass(t.Context(), r, req, rules, 3000, nil, &p, func(a *nscl.Activity, _ int64, _ func(nscl.Activity, *nscl.Activity)) error {
			if written == refuseAt {
				if fail != nil {
					return fail
				}
				return nscl.Invalid("date", "ngày bị từ chối", "date refused")
			}
			written++
			return nil
		})
		return res, written, err
	}
	res, written, err := run(1500, nil)
	if !errors.Is(err, errRowsRefused) || written != 1500 || len(res.Problems) != 1 {
		t.Fatalf("refused at row 1500: %d written, %v, problems %s", written, err, problemsText(res.Problems))
	}
	if p := res.Problems[0]; p.Row != firstDataRow+1500 || p.Column != colDate {
		t.Errorf("the refusal names %d %q, want row %d, %q", p.Row, p.Column, firstDataRow+1500, colDate)
	}
	failure := errors.New("the disk is full")
	if _, written, err := run(10, failure); !errors.Is(err, failure) || written != 10 {
		t.Errorf("a failing store: %d written, %v", written, err)
	}
	if res, written, err := run(-1, nil); err != nil || written != 3000 || res.Rows != 3000 || len(res.Problems) != 0 {
		t.Errorf("every row: %d written, %d read, %v, %s", written, res.Rows, err, problemsText(res.Problems))
	}
}

// A list exported and imported again changes nothing, also where a
// submission has locked the period: unchanged rows are no write. A row
// that changes a locked activity is refused.
func TestReimportIntoALockedPeriod(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		// The demo's 2022 is approved: Thủ Đức's 2022 is locked.
		units, err := e.st.Units(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		codes := map[int64]string{}
		for _, u := range units {
			codes[u.ID] = u.Code
		}
		path := filepath.Join(e.dir, "xuat.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		each := func(fn func(nscl.Activity) error) error {
			return e.st.EachActivity(t.Context(), e.prog, store.ActivityFilter{UnitID: e.thuDuc.ID}, fn)
		}
		if err := sheet.WriteActivities(f, "csv", e.prog, each, func(id int64) string { return codes[id] }); err != nil {
			t.Fatal(err)
		}
		f.Close()
		count := e.activityCount(t)
		res := e.run(t, Request{Path: path})
		if len(res.Problems) > 0 || res.Unchanged != res.Rows || res.Rows == 0 {
			t.Fatalf("the exported list again: %+v %s", res, problemsText(res.Problems))
		}
		// Change a 2022 (locked) figure: refused, on the unit's column.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		changed := -1
		for i, line := range lines {
			if strings.Contains(line, "/2022,") && strings.Contains(line, ",200,") {
				lines[i] = strings.Replace(line, ",200,", ",201,", 1)
				changed = i + 1
				break
			}
		}
		if changed < 0 {
			t.Fatalf("no 2022 row with 200 in the export:\n%s", data)
		}
		os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
		res = e.run(t, Request{Path: path})
		if len(res.Problems) != 1 || res.Problems[0].Row != changed || !strings.Contains(res.Problems[0].Message, "duyệt") {
			t.Errorf("a changed locked row: %s, want row %d refused as approved", problemsText(res.Problems), changed)
		}
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
	})
}

// Within the units a template speaks for (its unit and those under it), a
// unit's own row key may move its activity to another of them: the
// template tells units to set keys for exactly that.
func TestOwnKeyMovesWithinTheTemplatesUnits(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		meta := map[string]string{"programme": demo.ProgrammeCode, "round": strconv.FormatInt(demoRound(t, e, 2023).ID, 10), "unit": demo.UnitCity}
		row := act{unit: demo.UnitThuDuc, desc: "Tập huấn theo mẫu của thành phố", date: "01/12/2023", group: "d", kind: "training", trainees: 12, training: 1}
		res := e.run(t, Request{Path: writeXLSX(t, e.dir, "mau.xlsx", keyedRows(append(row.cells(), "HCM-D1-001")), meta)})
		wantCounts(t, "first", res, 1, 1, 0, 0)
		moved := row
		moved.unit = demo.UnitDept
		res = e.run(t, Request{Path: writeXLSX(t, e.dir, "mau.xlsx", keyedRows(append(moved.cells(), "HCM-D1-001")), meta)})
		wantCounts(t, "moved to the department", res, 1, 0, 1, 0)
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{Text: "mau cua thanh pho"})
		if err != nil || len(page.Activities) != 1 || page.Activities[0].UnitID != e.dept.ID {
			t.Errorf("the activity after the move: %+v %v", page.Activities, err)
		}
	})
}

// The sheet has no column saying whether the report's footnote itemises an
// activity: a row that corrects the demo's remainder, which it does not,
// leaves it so. The focal point first reopens the city's approved 2021–2022.
func TestImportKeepsNotInFootnote(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rounds, err := e.st.Rounds(t.Context(), e.prog)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(rounds, func(r nscl.Round) bool { return r.Asks(e.city.ID) })
		if i < 0 {
			t.Fatal("no demo round asks the city")
		}
		reopen(t, e, rounds[i], e.city.ID)
		remainder := func() nscl.Activity {
			t.Helper()
			var found nscl.Activity
			err := e.st.EachActivity(t.Context(), e.prog, store.ActivityFilter{UnitID: e.city.ID}, func(a nscl.Activity) error {
				if a.Ref == "2022-d-con-lai" {
					found = a
				}
				return nil
			})
			if err != nil || found.ID == 0 {
				t.Fatalf("the demo's remainder: %v", err)
			}
			return found
		}
		before := remainder()
		if !before.NotInFootnote {
			t.Fatal("the demo's remainder is itemised in the footnote")
		}
		row := act{unit: demo.UnitCity, desc: before.Description, date: "31/12/2022", group: "d", kind: "training", trainees: 1739, training: 409}
		path := writeCSV(t, e.dir, "con-lai.csv", keyedRows(append(row.cells(), "2022-d-con-lai")))
		wantCounts(t, "the remainder corrected", e.run(t, Request{Path: path}), 1, 0, 1, 0)
		after := remainder()
		if !after.NotInFootnote || after.Version == before.Version {
			t.Errorf("after the import: %+v, want it updated and still not in the footnote", after)
		}
		wantCounts(t, "the same file again", e.run(t, Request{Path: path}), 1, 0, 0, 1)
		if !remainder().NotInFootnote {
			t.Errorf("the same file again put the remainder in the footnote")
		}
	})
}

// A workbook's check pass knows its total from the count made when the
// file was opened: the rows under the heading, exactly.
func TestImportProgressOfAWorkbook(t *testing.T) {
	const n = 1500
	var acts []act
	for i := range n {
		acts = append(acts, act{unit: "HCM-THUDUC", desc: fmt.Sprintf("Tư vấn doanh nghiệp số %d", i), date: "15/05/2023", group: "c", kind: "consulting", training: 1})
	}
	e := newEnv(t, filepath.Join(t.TempDir(), "nscl.db"))
	var checks []progressCall
	e.run(t, Request{Path: writeXLSX(t, e.dir, "nhieu.xlsx", actRows(acts...), nil), Progress: func(pass string, done, total int) {
		if pass == "kiểm tra" {
			checks = append(checks, progressCall{pass, done, total})
		}
	}})
	if len(checks) < 2 {
		t.Fatalf("check pass calls %+v, want some along the way", checks)
	}
	for _, c := range checks {
		if c.total != n {
			t.Errorf("check pass call %+v: total %d, want the %d rows under the heading", c, c.total, n)
		}
	}
}

// A unit's exported list holds the activities the portal wrote for it: the
// list imported again changes nothing and is not refused, and a row that
// changes one of them is refused on its row key, nothing written. On the
// department's 2027, which the demo does not hold.
func TestReimportWithPortalActivities(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		post := nscl.Post{UnitID: e.dept.ID, Kind: nscl.PostArticle, Title: "Sở mở lớp năng suất 2027", Body: "Nội dung.",
			PublishedOn: time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), State: nscl.PostPublished}
		if err := e.st.Update(ctx, func(tx *store.Tx) error { return tx.CreatePost(ctx, e.prog, &post, nil) }); err != nil {
			t.Fatal(err)
		}
		hand := nscl.Activity{UnitID: e.dept.ID, Date: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Tin bài trên báo thành phố", Ref: "so-2027-1", Quantities: []nscl.Quantity{{Metric: "articles", Value: 2}}}
		if err := e.st.CreateActivity(ctx, e.prog, &hand); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(e.dir, "so-2027.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		each := func(fn func(nscl.Activity) error) error {
			return e.st.EachActivity(ctx, e.prog, store.ActivityFilter{UnitID: e.dept.ID, Year: 2027}, fn)
		}
		codes := map[int64]string{e.dept.ID: e.dept.Code}
		if err := sheet.WriteActivities(f, "csv", e.prog, each, func(id int64) string { return codes[id] }); err != nil {
			t.Fatal(err)
		}
		f.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), nscl.PostRef(post.ID)) {
			t.Fatalf("the export does not hold the post's activity %s:\n%s", nscl.PostRef(post.ID), data)
		}
		count := e.activityCount(t)
		res := e.run(t, Request{Path: path})
		wantCounts(t, "the exported list again", res, 2, 0, 0, 2)
		if len(res.Problems) > 0 {
			t.Errorf("the exported list again: %s", problemsText(res.Problems))
		}

		lines := strings.Split(string(data), "\n")
		changed := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, nscl.PostRef(post.ID)) }) + 1
		lines[changed-1] = strings.Replace(lines[changed-1], "năng suất 2027", "năng suất và chất lượng 2027", 1)
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		res = e.run(t, Request{Path: path})
		if len(res.Problems) != 1 || res.Problems[0].Row != changed || !strings.Contains(res.Problems[0].Message, "cổng thông tin") {
			t.Errorf("a changed portal row: %s, want row %d refused as the portal's", problemsText(res.Problems), changed)
		}
		if got := e.activityCount(t); got != count {
			t.Errorf("activities %d, want %d", got, count)
		}
		if stored, err := e.st.Activity(ctx, post.ActivityID); err != nil || !strings.Contains(stored.Description, "năng suất 2027") {
			t.Errorf("the post's activity: %q %v", stored.Description, err)
		}
	})
}

// On PostgreSQL an import looks its rows' keys up a few hundred at a time,
// in both passes, and writes a new row's activity with the writes held
// back: its round trips are a small share of its rows (before, each row
// was a look-up in the check and an INSERT … RETURNING in the write). The
// same file again finds every row unchanged.
func TestImportRoundTrips(t *testing.T) {
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " not set: round trips are PostgreSQL's")
	}
	e := newEnv(t, postgresSchema(t, base))
	const n = 1200
	rows := fileRows()
	rows[2] = append(slices.Clone(heading), "Mã dòng")
	for i := range n {
		a := act{unit: "HCM-THUDUC", desc: fmt.Sprintf("Tư vấn doanh nghiệp số %d", i), date: "15/05/2023", group: "c", kind: "consulting",
			training: 1, taxCodes: fmt.Sprintf("03%08d", i)}
		rows = append(rows, append(a.cells(), fmt.Sprintf("thu-duc-2023-%04d", i)))
	}
	path := writeCSV(t, e.dir, "thu-duc-2023.csv", rows)
	count0 := e.activityCount(t)
	trips := e.st.RoundTrips.Load()
	res := e.run(t, Request{Path: path})
	trips = e.st.RoundTrips.Load() - trips
	wantCounts(t, "new rows", res, n, n, 0, 0)
	t.Logf("%d new rows in %d round trips", n, trips)
	if trips > n/10 {
		t.Errorf("%d new rows in %d round trips, want at most %d", n, trips, n/10)
	}
	if got := e.activityCount(t); got != count0+n {
		t.Errorf("activities %d, want %d", got, count0+n)
	}
	e.checkTotals(t)
	res = e.run(t, Request{Path: path})
	wantCounts(t, "the same file again", res, n, 0, 0, n)
	if got := e.activityCount(t); got != count0+n {
		t.Errorf("activities %d after the same file again, want %d", got, count0+n)
	}
	e.checkTotals(t)
}
