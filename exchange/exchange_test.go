package exchange

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/report"
	"nscl/store"
)

// postgresEnv names the environment variable holding a PostgreSQL DSN; when
// it is set, the tests that touch the store run on PostgreSQL too, each
// database in a schema of its own, as the store's tests do.
const postgresEnv = "NSCL_TEST_POSTGRES"

// eachEngine runs fn with a function that opens a fresh, empty store of
// each engine: SQLite files in a temporary directory, and PostgreSQL
// schemas when NSCL_TEST_POSTGRES names a server.
func eachEngine(t *testing.T, fn func(t *testing.T, open func() *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		n := 0
		fn(t, func() *store.Store {
			n++
			return openStore(t, filepath.Join(t.TempDir(), fmt.Sprintf("db%d.db", n)))
		})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(postgresEnv)
		if base == "" {
			t.Skip(postgresEnv + " not set: PostgreSQL exchange tests skipped")
		}
		fn(t, func() *store.Store { return openStore(t, postgresSchema(t, base)) })
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
	schema := fmt.Sprintf("nscl_test_%016x", rand.Uint64())
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		// t.Context is already cancelled while cleanups run.
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

var testNow = time.Date(2023, 1, 15, 9, 30, 0, 0, time.UTC)

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	st.Now = func() time.Time { return testNow }
	t.Cleanup(func() { st.Close() })
	return st
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func update(t *testing.T, st *store.Store, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	if err := st.Update(t.Context(), func(tx *store.Tx) error { return fn(t.Context(), tx) }); err != nil {
		t.Fatal(err)
	}
}

func export(t *testing.T, st *store.Store, code string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(t.Context(), st, code, &buf); err != nil {
		t.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

// loadDemoPlus loads the demo and adds what the demo lacks but an export
// must carry: beneficiaries, submissions that moved on (one approved, so
// that it locks its period), two documents sharing a number/symbol, and
// activities whose row keys the database gave ("nscl:<id>"), some deleted
// so that those keys run ahead of the IDs a new database gives.
func loadDemoPlus(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := t.Context()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	thuduc, err := st.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		var docs []nscl.Document
		for _, d := range []nscl.Document{
			{Type: "Kế hoạch", Number: "15", Symbol: "KH-SKHCN", IssuedOn: day(2022, 3, 1), Issuer: "Sở Khoa học và Công nghệ", Title: "về việc <thử> & kiểm tra"},
			{Type: "Kế hoạch", Number: "15", Symbol: "KH-SKHCN", IssuedOn: day(2023, 3, 1), Issuer: "Sở Khoa học và Công nghệ"},
		} {
			if err := tx.CreateDocument(ctx, &d); err != nil {
				return err
			}
			docs = append(docs, d)
		}
		city, err := tx.UnitByCode(ctx, demo.UnitCity)
		if err != nil {
			return err
		}
		plan := nscl.Plan{Kind: nscl.AnnualPlan, StartYear: 2024, EndYear: 2024, UnitID: city.ID, DocumentID: docs[1].ID, Name: "Kế hoạch năm 2024",
			Targets: []nscl.Target{{Metric: demo.TrainingEnterprises, Value: 3000}, {Metric: demo.ExpertsTrained, Value: 40}}}
		if err := tx.CreatePlan(ctx, prog, &plan); err != nil {
			return err
		}
		// The city allots parts of its 5-year targets to Thủ Đức and the department.
		plans, err := tx.Plans(ctx, prog)
		if err != nil {
			return err
		}
		dept, err := tx.UnitByCode(ctx, demo.UnitDept)
		if err != nil {
			return err
		}
		five := plans[0]
		five.Allotments = []nscl.Allotment{{UnitID: thuduc.ID, Metric: demo.TrainingEnterprises, Value: 600},
			{UnitID: thuduc.ID, Metric: demo.EnterprisesSupported, Value: 150}, {UnitID: dept.ID, Metric: demo.ExpertsTrained, Value: 90}}
		if err := tx.UpdatePlan(ctx, prog, &five); err != nil {
			return err
		}
		var made []nscl.Activity
		for i := range 4 {
			a := nscl.Activity{UnitID: thuduc.ID, Date: day(2023, 5, 10+i), TaskGroup: "c", Kind: nscl.KindConsulting,
				Description:   fmt.Sprintf("Tư vấn áp dụng ISO 9001 cho doanh nghiệp, đợt %d", i+1),
				Quantities:    []nscl.Quantity{{Metric: demo.EnterprisesSupported, Value: 2}},
				Beneficiaries: []string{"0301234567", fmt.Sprintf("030765432%d-001", i)}}
			if err := tx.CreateActivity(ctx, prog, &a); err != nil {
				return err
			}
			made = append(made, a)
		}
		for _, a := range made[:2] {
			if err := tx.DeleteActivity(ctx, prog, a.ID, a.Version); err != nil {
				return err
			}
		}
		return nil
	})
	// The demo's 2023 round, left open: one unit approved (its 2023
	// activities move to the approved totals), one returned.
	rounds, err := st.Rounds(ctx, prog)
	i := slices.IndexFunc(rounds, func(r nscl.Round) bool { return r.Contains(day(2023, 5, 10)) && slices.Contains(r.UnitIDs, thuduc.ID) })
	if err != nil || i < 0 || len(rounds[i].UnitIDs) < 2 {
		t.Fatalf("demo rounds %v, %v", rounds, err)
	}
	r := rounds[i]
	j := slices.Index(r.UnitIDs, thuduc.ID) // Thủ Đức, whose activities these are, first
	r.UnitIDs[0], r.UnitIDs[j] = r.UnitIDs[j], r.UnitIDs[0]
	sent := time.Date(2024, 1, 5, 8, 30, 0, 0, time.UTC)
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.RestoreSubmission(ctx, nscl.Submission{RoundID: r.ID, UnitID: r.UnitIDs[0], Status: nscl.StatusApproved,
			SubmittedAt: sent, FirstSentAt: sent, ReviewedAt: sent.Add(24 * time.Hour)}); err != nil {
			return err
		}
		return tx.RestoreSubmission(ctx, nscl.Submission{RoundID: r.ID, UnitID: r.UnitIDs[1], Status: nscl.StatusReturned,
			SubmittedAt: sent, FirstSentAt: sent, ReviewedAt: sent.Add(48 * time.Hour), Comment: "Thiếu số liệu học viên của lớp tháng 6"})
	})
}

// reports writes what a reader sees of a year: the results as JSON, of
// all figures and of approved ones, and the Word report as HTML.
func reports(t *testing.T, st *store.Store, year int) string {
	t.Helper()
	req := report.Request{Programme: demo.ProgrammeCode, Year: year}
	var out bytes.Buffer
	for _, approvedOnly := range []bool{true, false} {
		req.ApprovedOnly = approvedOnly
		rep, err := report.Build(t.Context(), st, req)
		if err != nil {
			t.Fatalf("Build %d: %v", year, err)
		}
		if err := report.WriteJSON(&out, rep); err != nil {
			t.Fatal(err)
		}
	}
	in, err := report.Gather(t.Context(), st, req)
	if err != nil {
		t.Fatalf("Gather %d: %v", year, err)
	}
	if err := report.WriteHTML(&out, in); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

var exportedAt = regexp.MustCompile(`(?m)^  "exported_at": .*$`)

func TestRoundTripKeepsTheReports(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b := open(), open()
		loadDemoPlus(t, a)
		fileA := export(t, a, demo.ProgrammeCode)

		sum, err := Import(t.Context(), b, bytes.NewReader(fileA))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		successions, err := a.Successions(t.Context())
		if err != nil || len(successions) == 0 {
			t.Fatalf("the demo's successions: %d %v", len(successions), err)
		}
		want := Summary{Format: FormatExchange, Programme: demo.ProgrammeCode, Documents: len(demo.Documents()) + 2, Units: len(demo.Units()),
			Successions: len(successions), Plans: len(demo.Plans()) + len(demo.MergerPlans()) + 1, Activities: len(demo.Activities()) + 2,
			Rounds: len(demo.Rounds(map[string]int64{}, map[string]int64{})), Calls: 1, ReportTexts: 2} // the city's settings and its 2022 texts
		if sum != want {
			t.Errorf("summary %+v, want %+v", sum, want)
		}
		// 2025 is the year of the merger, counted through the successions;
		// 2026 the first of the second plan.
		for _, year := range []int{2022, 2023, 2025, 2026} {
			if ra, rb := reports(t, a, year), reports(t, b, year); ra != rb {
				t.Errorf("%d: the reports differ after the round trip:\n%s", year, firstDifference(ra, rb))
			}
		}
		fileB := export(t, b, demo.ProgrammeCode)
		if x, y := exportedAt.ReplaceAll(fileA, nil), exportedAt.ReplaceAll(fileB, nil); !bytes.Equal(x, y) {
			t.Errorf("exporting the import again gives another file:\n%s", firstDifference(string(x), string(y)))
		}
		if pa, pb := allotmentsByCode(t, a), allotmentsByCode(t, b); len(pa) != 3 || !maps.Equal(pa, pb) {
			t.Errorf("allotments %v, after the round trip %v", pa, pb)
		}
		for _, s := range []string{`"beneficiaries":["0301234567","0307654322-001"]`, `"status":"approved"`, `"comment":"Thiếu số liệu`,
			`"allotments":{"HCM-SKHCN":{"experts_trained":90},"HCM-THUDUC":{"enterprises_supported":150,"training_enterprises":600}}`,
			`"document":"15/KH-SKHCN@2023-03-01"`, `"ref":"nscl:`, `<thử> & kiểm tra`, `"first_year": 2026`} {
			if !bytes.Contains(fileA, []byte(s)) {
				t.Errorf("the export lacks %s", s)
			}
		}
		if diffs, err := b.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Errorf("kept totals after import: %v %v", diffs, err)
		}

		// The imported keys "nscl:<n>" were given by A; B must not give
		// them to the activities entered next.
		prog, _ := b.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
		thuduc, _ := b.UnitByCode(t.Context(), demo.UnitThuDuc)
		for i := range 3 {
			act := nscl.Activity{UnitID: thuduc.ID, Date: day(2024, 7, 1), TaskGroup: "b", Kind: nscl.KindArticle,
				Description: fmt.Sprintf("Tin bài %d", i), Quantities: []nscl.Quantity{{Metric: demo.Articles, Value: 1}}}
			if err := b.CreateActivity(t.Context(), prog, &act); err != nil {
				t.Fatalf("a new activity after the import: %v", err)
			}
		}
	})
}

// allotmentsByCode lists every plan's allotments by plan name, unit code
// and indicator: what an exchange must carry across, whatever the IDs.
func allotmentsByCode(t *testing.T, st *store.Store) map[string]int64 {
	t.Helper()
	prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	plans, err := st.Plans(t.Context(), prog)
	if err != nil {
		t.Fatal(err)
	}
	units, err := st.Units(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int64]string{}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	out := map[string]int64{}
	for _, p := range plans {
		for _, a := range p.Allotments {
			out[p.Name+" / "+codes[a.UnitID]+" / "+a.Metric] = a.Value
		}
	}
	return out
}

// firstDifference shows where two long texts part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("…%s\n--- versus ---\n…%s", a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}

// emptyCounts says what a database holds; an import that failed must
// leave it as it was.
func counts(t *testing.T, st *store.Store) string {
	t.Helper()
	units, err := st.Units(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	docs, err := st.Documents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	acts := 0
	if prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode); err == nil {
		n, err := st.CountActivities(t.Context(), prog, store.ActivityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		acts = n
	}
	return fmt.Sprintf("%d units, %d documents, %d activities", len(units), len(docs), acts)
}

func TestImportRefusesAProgrammeAlreadyThere(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a := open()
		if _, err := demo.Load(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		file := export(t, a, demo.ProgrammeCode)
		before := counts(t, a)
		_, err := Import(t.Context(), a, bytes.NewReader(file))
		if nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), `"NSCL"`) {
			t.Errorf("importing into a database that has the programme: %v, want a conflict naming it", err)
		}
		if after := counts(t, a); after != before {
			t.Errorf("a refused import wrote: %s, then %s", before, after)
		}
	})
}

// A file with one bad activity in the middle: the error names it, and the
// empty database stays empty.
func TestImportOfABadRecordWritesNothing(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a := open()
		if _, err := demo.Load(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		file := string(export(t, a, demo.ProgrammeCode))
		lines := strings.Split(file, "\n")
		first := indexOf(lines, `  "activities": [`) + 1
		middle := first + len(demo.Activities())/2
		index := middle - first
		ref := regexp.MustCompile(`"ref":"([^"]*)"`).FindStringSubmatch(lines[middle])[1]
		date := regexp.MustCompile(`"date":"[^"]*"`)
		cases := []struct {
			name   string
			change func(line string) string
			want   string
		}{
			{"unknown metric", func(l string) string {
				return strings.Replace(l, `"quantities":{`, `"quantities":{"no_such_metric":3,`, 1)
			},
				fmt.Sprintf(`activities[%d] (ref %s): quantities.no_such_metric`, index, ref)},
			{"bad date", func(l string) string { return date.ReplaceAllString(l, `"date":"2022-13-31"`) },
				fmt.Sprintf(`activities[%d] (ref %s): date: ngày "2022-13-31" không hợp lệ`, index, ref)},
			{"unknown unit", func(l string) string {
				return regexp.MustCompile(`"unit":"[^"]*"`).ReplaceAllString(l, `"unit":"HCM-Q99"`)
			}, fmt.Sprintf(`activities[%d] (ref %s): unit: không có đơn vị mã "HCM-Q99"`, index, ref)},
			{"broken JSON", func(l string) string { return strings.Replace(l, `"kind":`, `"kind" `, 1) }, fmt.Sprintf(`activities[%d]: tệp JSON hỏng`, index)},
			{"wrong type", func(l string) string {
				return strings.Replace(l, `"quantities":{`, `"quantities":{"trainees":"mười",`, 1)
			},
				fmt.Sprintf(`activities[%d]: trường "quantities.trainees" không nhận giá trị kiểu string`, index)}, // Go 1.27 names the map key too
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				bad := append([]string(nil), lines...)
				bad[middle] = c.change(bad[middle])
				if bad[middle] == lines[middle] {
					t.Fatalf("the change did not apply to %s", lines[middle])
				}
				b := open()
				_, err := Import(t.Context(), b, strings.NewReader(strings.Join(bad, "\n")))
				if nscl.ErrorCode(err) != nscl.EINVALID || !strings.Contains(err.Error(), c.want) {
					t.Errorf("got %v, want an invalid error with %q", err, c.want)
				}
				if got := counts(t, b); got != "0 units, 0 documents, 0 activities" {
					t.Errorf("a failed import left %s", got)
				}
			})
		}
	})
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func TestImportChecksFormatAndVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a := open()
		if _, err := demo.Load(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		file := string(export(t, a, demo.ProgrammeCode))
		for _, c := range []struct{ file, field string }{
			{strings.Replace(file, `"format": "nscl-exchange"`, `"format": "nscl-other"`, 1), "format"},
			{strings.Replace(file, `"version": 1`, `"version": 2`, 1), "version"},
			{`{"programme": {"code": "X"}, "format": "nscl-exchange", "version": 1}`, "format"},
			{`[1, 2, 3]`, "format"},
			{`{"format": "nscl-exchange", "version": 1, "activities": []}`, "programme"},
			{`{"format": "nscl-exchange", "version": 1}`, "programme"},
			{strings.Replace(file, `"rounds": [`, `"units": [], "rounds": [`, 1), "units"},
		} {
			b := open()
			_, err := Import(t.Context(), b, strings.NewReader(c.file))
			if nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != c.field {
				t.Errorf("%.60s…: got %v, want an invalid %s", c.file, err, c.field)
			}
			if got := counts(t, b); got != "0 units, 0 documents, 0 activities" {
				t.Errorf("a refused import left %s", got)
			}
		}

		// Fields a later version adds are ignored, at the top and in records.
		later := strings.Replace(file, `"exported_at":`, `"signature": {"alg": "none", "parts": [1, [2]]}, "exported_at":`, 1)
		later = strings.Replace(later, `"ref":`, `"colour":"xanh","ref":`, 1)
		if _, err := Import(t.Context(), open(), strings.NewReader(later)); err != nil {
			t.Errorf("a file with fields this version does not know: %v", err)
		}
	})
}

func TestDetectFormat(t *testing.T) {
	for in, want := range map[string]string{
		`{"format": "nscl-exchange", "version": 1}`:                        FormatExchange,
		`{"version": 1, "extra": [1, {"a": 2}], "format": "nscl-summary"}`: FormatSummary,
		`{"format": "csv"}`: "",
		`{"version": 1}`:    "",
		`not json`:          "",
	} {
		got, err := DetectFormat(strings.NewReader(in))
		if got != want || (want == "") != (err != nil) {
			t.Errorf("DetectFormat(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// Whether the report's footnote itemises an activity travels with it: the
// demo's remainder and experts' training are exported as not itemised and
// imported so, and a file written before the field existed imports every
// activity as itemised.
func TestRoundTripKeepsNotInFootnote(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a := open()
		if _, err := demo.Load(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"2022-d-con-lai": true, "2022-d-chuyen-gia": true}
		if got := notInFootnote(t, a); !maps.Equal(got, want) {
			t.Fatalf("the demo's activities not in the footnote: %v, want %v", got, want)
		}
		file := export(t, a, demo.ProgrammeCode)
		if n := bytes.Count(file, []byte(`"not_in_footnote":true`)); n != 2 || bytes.Contains(file, []byte(`"not_in_footnote":false`)) {
			t.Errorf("the export says not_in_footnote true %d times (want 2), and false: %v", n, bytes.Contains(file, []byte(`"not_in_footnote":false`)))
		}
		b := open()
		if _, err := Import(t.Context(), b, bytes.NewReader(file)); err != nil {
			t.Fatalf("Import: %v", err)
		}
		if got := notInFootnote(t, b); !maps.Equal(got, want) {
			t.Errorf("after the round trip: %v, want %v", got, want)
		}
		older := bytes.ReplaceAll(file, []byte(`,"not_in_footnote":true`), nil)
		c := open()
		if _, err := Import(t.Context(), c, bytes.NewReader(older)); err != nil {
			t.Fatalf("Import of a file without the field: %v", err)
		}
		if got := notInFootnote(t, c); len(got) != 0 {
			t.Errorf("a file without the field imported %v as not in the footnote", got)
		}
	})
}

// notInFootnote lists the row keys of the demo programme's activities that
// the footnote does not itemise.
func notInFootnote(t *testing.T, st *store.Store) map[string]bool {
	t.Helper()
	prog, err := st.ProgrammeByCode(t.Context(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	err = st.EachActivity(t.Context(), prog, store.ActivityFilter{}, func(a nscl.Activity) error {
		if a.NotInFootnote {
			out[a.Ref] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
