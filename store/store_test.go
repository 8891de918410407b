package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"nscl"
)

// postgresEnv names the environment variable holding a PostgreSQL DSN. When
// it is set, every store test also runs on PostgreSQL, each in a schema of
// its own that is dropped afterwards.
const postgresEnv = "NSCL_TEST_POSTGRES"

// eachEngine runs fn on a fresh, migrated store of each engine: SQLite in a
// temporary file, and PostgreSQL when NSCL_TEST_POSTGRES names one.
func eachEngine(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		fn(t, openStore(t, dsn))
	})
}

// eachEngineDSN runs fn with the DSN of an empty database of each engine,
// for tests that open the store themselves.
func eachEngineDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "nscl.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(postgresEnv)
		if base == "" {
			t.Skip(postgresEnv + " not set: PostgreSQL store tests skipped")
		}
		fn(t, postgresSchema(t, base))
	})
}

// postgresOnly is, for a test of what only PostgreSQL does, a new schema
// as postgresSchema gives it; the test is skipped, saying why, when no
// PostgreSQL is set.
func postgresOnly(t *testing.T, why string) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " not set: " + why)
	}
	return postgresSchema(t, base)
}

// postgresSchema creates a schema with a random name, drops it when the
// test ends, and returns base with the schema as its search path, so that
// the store creates and finds its tables there.
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

// openStore opens dsn with a fixed clock and closes it when the test ends.
func openStore(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.Now = func() time.Time { return time.Date(2023, 1, 15, 9, 30, 0, 0, time.UTC) }
	t.Cleanup(func() { s.Close() })
	return s
}

// Metric codes of the fixture programme: every counting rule, and measures.
const (
	mTraining  = "training_enterprises"  // indicator, sum
	mSupported = "enterprises_supported" // indicator, distinct enterprises
	mExperts   = "experts_trained"       // indicator, sum
	mLabs      = "testing_labs"          // indicator, last value
	mTrainees  = "trainees"              // measure, sum
	mArticles  = "articles"              // measure, sum
)

// fixture is a small programme (2021–2030), an org tree and a 5-year plan:
//
//	ministry
//	└── province
//	    ├── district1 (closed on 1 July 2025)
//	    ├── district2 (closed on 1 July 2025)
//	    └── department
//	        └── implementer
type fixture struct {
	prog                            *nscl.Programme
	ministry, province              nscl.OrgUnit
	district1, district2            nscl.OrgUnit
	department, implementer         nscl.OrgUnit
	plan                            nscl.Plan
	programmeDecision, planDecision nscl.Document
}

// units returns the fixture's units, parents first.
func (f *fixture) units() []nscl.OrgUnit {
	return []nscl.OrgUnit{f.ministry, f.province, f.district1, f.district2, f.department, f.implementer}
}

func newFixture(t testing.TB, s *Store) *fixture {
	t.Helper()
	f := &fixture{}
	err := s.Update(t.Context(), func(tx *Tx) error {
		ctx := t.Context()
		f.programmeDecision = nscl.Document{Type: "Quyết định", Number: "1322", Symbol: "QĐ-TTg",
			IssuedOn: day("2020-08-31"), Issuer: "Thủ tướng Chính phủ",
			Title: "phê duyệt Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021 – 2030"}
		if err := tx.CreateDocument(ctx, &f.programmeDecision); err != nil {
			return err
		}
		f.planDecision = nscl.Document{Type: "Quyết định", Number: "299", Symbol: "QĐ-UBND",
			IssuedOn: day("2022-01-21"), Issuer: "Ủy ban nhân dân Thành phố Hồ Chí Minh"}
		if err := tx.CreateDocument(ctx, &f.planDecision); err != nil {
			return err
		}
		f.prog = &nscl.Programme{
			Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
			DocumentID: f.programmeDecision.ID,
			TaskGroups: []nscl.TaskGroup{
				{Letter: "a", Name: "Hoàn thiện cơ chế, chính sách"},
				{Letter: "b", Name: "Thông tin, truyền thông"},
				{Letter: "c", Name: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, công cụ cải tiến"},
				{Letter: "d", Name: "Đào tạo nguồn nhân lực"},
				{Letter: "đ", Name: "Tiêu chuẩn hóa và đánh giá sự phù hợp"},
				{Letter: "e", Name: "Hợp tác quốc tế"},
			},
			Metrics: []nscl.Metric{
				{Code: mTraining, Name: "Tập huấn nguồn nhân lực", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
				{Code: mSupported, Name: "Doanh nghiệp được hỗ trợ", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleDistinct, TaskGroup: "c"},
				{Code: mExperts, Name: "Chuyên gia được huấn luyện", Unit: "lượt chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
				{Code: mLabs, Name: "Phòng thử nghiệm được tăng cường năng lực", Unit: "phòng thử nghiệm", Kind: nscl.Indicator, Rule: nscl.RuleLast, TaskGroup: "đ"},
				{Code: mTrainees, Name: "Học viên được tập huấn", Unit: "học viên", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "d"},
				{Code: mArticles, Name: "Tin bài", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b"},
			},
		}
		if err := tx.CreateProgramme(ctx, f.prog); err != nil {
			return err
		}
		for _, u := range []struct {
			unit   *nscl.OrgUnit
			parent *nscl.OrgUnit
			code   string
			name   string
			level  nscl.UnitLevel
		}{
			{&f.ministry, nil, "BKHCN", "Bộ Khoa học và Công nghệ", nscl.LevelMinistry},
			{&f.province, &f.ministry, "HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh", nscl.LevelProvince},
			{&f.district1, &f.province, "HCM-Q1", "Ủy ban nhân dân Quận 1", nscl.LevelDistrict},
			{&f.district2, &f.province, "HCM-THUDUC", "Ủy ban nhân dân Thành phố Thủ Đức", nscl.LevelDistrict},
			{&f.department, &f.province, "HCM-SKHCN", "Sở Khoa học và Công nghệ", nscl.LevelDepartment},
			{&f.implementer, &f.department, "HCM-SKHCN-CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", nscl.LevelUnit},
		} {
			*u.unit = nscl.OrgUnit{Code: u.code, Name: u.name, Level: u.level}
			if u.parent != nil {
				u.unit.ParentID = u.parent.ID
			}
			if u.level == nscl.LevelDistrict {
				u.unit.ClosedOn = day("2025-07-01") // the 2025 merger abolished the districts
			}
			if err := tx.CreateUnit(ctx, u.unit); err != nil {
				return fmt.Errorf("unit %s: %w", u.code, err)
			}
		}
		f.plan = nscl.Plan{UnitID: f.province.ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
			DocumentID: f.planDecision.ID, Name: "Quyết định 299/QĐ-UBND",
			Targets: []nscl.Target{{Metric: mTraining, Value: 10000}, {Metric: mSupported, Value: 200}, {Metric: mExperts, Value: 150}, {Metric: mLabs, Value: 10}}}
		return tx.CreatePlan(ctx, f.prog, &f.plan)
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

// day parses a date written as 2006-01-02.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// qty is a quantity of a metric.
func qty(metric string, value int64) nscl.Quantity {
	return nscl.Quantity{Metric: metric, Value: value}
}

// activity returns a valid activity of unit on date with the given quantities.
func activity(unit nscl.OrgUnit, date string, qs ...nscl.Quantity) *nscl.Activity {
	return &nscl.Activity{UnitID: unit.ID, Date: day(date), TaskGroup: "d", Kind: nscl.KindTraining,
		Description: "Lớp tập huấn năng suất chất lượng", Quantities: qs}
}

// wantError fails unless err carries the code and names the field.
func wantError(t *testing.T, err error, code, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s on %q", code, field)
	}
	if nscl.ErrorCode(err) != code || nscl.ErrorField(err) != field {
		t.Fatalf("got %v (code %q, field %q), want code %q, field %q", err, nscl.ErrorCode(err), nscl.ErrorField(err), code, field)
	}
}

// storeTables lists every table of the schema, for dumpDB.
var storeTables = []string{"documents", "programmes", "task_groups", "metrics", "org_units", "plans", "targets",
	"activities", "activity_quantities", "activity_beneficiaries", "unit_totals", "reach_totals", "allotments", "unit_successions", "unit_parent_changes"}

// dumpDB returns every row of every table as text, so that a test can tell
// that a refused write left the database exactly as it was.
func dumpDB(t *testing.T, s *Store) string {
	t.Helper()
	return dumpTables(t, s, storeTables)
}

// wantUnchanged fails when the database differs from the dump taken before.
func wantUnchanged(t *testing.T, s *Store, before string) {
	t.Helper()
	if after := dumpDB(t, s); after != before {
		t.Fatalf("database changed by a refused write\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestProgrammeRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		got, err := s.ProgrammeByCode(t.Context(), "NSCL")
		if err != nil {
			t.Fatal(err)
		}
		var letters []string
		for _, g := range got.TaskGroups {
			letters = append(letters, g.Letter)
		}
		if want := []string{"a", "b", "c", "d", "đ", "e"}; !slices.Equal(letters, want) {
			t.Errorf("task groups %q, want %q", letters, want)
		}
		if got.ID != f.prog.ID || got.StartYear != 2021 || got.EndYear != 2030 || got.DocumentID != f.programmeDecision.ID {
			t.Errorf("programme read back as %+v", got)
		}
		if !slices.Equal(got.Metrics, f.prog.Metrics) {
			t.Errorf("metrics read back as\n%+v\nwant\n%+v", got.Metrics, f.prog.Metrics)
		}
		if _, err := s.ProgrammeByCode(t.Context(), "NOPE"); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("unknown programme: got %v, want ENOTFOUND", err)
		}

		plans, err := s.Plans(t.Context(), got)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 1 || plans[0].ID != f.plan.ID || plans[0].UnitID != f.province.ID || !slices.Equal(plans[0].Targets, f.plan.Targets) {
			t.Errorf("plans read back as %+v, want [%+v]", plans, f.plan)
		}

		chain, err := s.UnitChain(t.Context(), f.implementer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{f.implementer.ID, f.department.ID, f.province.ID, f.ministry.ID}; !slices.Equal(chain, want) {
			t.Errorf("unit chain %v, want %v", chain, want)
		}
		d2, err := s.UnitByCode(t.Context(), "HCM-THUDUC")
		if err != nil {
			t.Fatal(err)
		}
		if d2 != f.district2 {
			t.Errorf("unit read back as %+v, want %+v", d2, f.district2)
		}
	})
}

func TestCreatePlanRefusesBadInput(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		good := func() nscl.Plan {
			return nscl.Plan{UnitID: f.province.ID, Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023, Name: "Kế hoạch năm 2023",
				Targets: []nscl.Target{{Metric: mTraining, Value: 3500}}}
		}
		for _, tc := range []struct {
			name        string
			edit        func(p *nscl.Plan)
			code, field string
		}{
			{"metric not in programme", func(p *nscl.Plan) { p.Targets = append(p.Targets, nscl.Target{Metric: "patents", Value: 1}) }, nscl.EINVALID, "targets.patents"},
			{"target on a measure", func(p *nscl.Plan) { p.Targets = append(p.Targets, nscl.Target{Metric: mTrainees, Value: 100}) }, nscl.EINVALID, "targets." + mTrainees},
			{"negative target", func(p *nscl.Plan) { p.Targets[0].Value = -1 }, nscl.EINVALID, "targets." + mTraining},
			{"target set twice", func(p *nscl.Plan) { p.Targets = append(p.Targets, nscl.Target{Metric: mTraining, Value: 1}) }, nscl.EINVALID, "targets." + mTraining},
			{"outside programme", func(p *nscl.Plan) { p.StartYear, p.EndYear = 2031, 2031 }, nscl.EINVALID, "end_year"},
			{"unknown unit", func(p *nscl.Plan) { p.UnitID = 999999 }, nscl.ENOTFOUND, "unit"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpDB(t, s)
				p := good()
				tc.edit(&p)
				err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreatePlan(t.Context(), f.prog, &p) })
				wantError(t, err, tc.code, tc.field)
				wantUnchanged(t, s, before)
			})
		}
		// The good plan itself goes in.
		p := good()
		if err := s.Update(t.Context(), func(tx *Tx) error { return tx.CreatePlan(t.Context(), f.prog, &p) }); err != nil {
			t.Fatalf("good plan: %v", err)
		}
	})
}

func TestOpenRefusesNonSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	content := []byte(strings.Repeat("Báo cáo năm 2022, không phải cơ sở dữ liệu.\n", 200))
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a file that is not an SQLite database")
	}
	t.Logf("Open: %v", err)
	var e *nscl.Error
	if !errors.As(err, &e) || e.Field != "db" {
		t.Fatalf("got %v (%T), want an *nscl.Error on field db", err, err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(content) {
		t.Error("Open changed the file it refused")
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(t.Context(), dir)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a directory")
	}
	t.Logf("Open: %v", err)
	if nscl.ErrorField(err) != "db" {
		t.Errorf("got %v, want an error on field db", err)
	}
}

func TestOpenRefusesMissingFolder(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "missing", "nscl.db"))
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a path in a folder that does not exist")
	}
	t.Logf("Open: %v", err)
	if nscl.ErrorField(err) != "db" {
		t.Errorf("got %v, want an error on field db", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		s, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.write.ExecContext(t.Context(), s.reader().rebind(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)`), 9999, true)
		s.Close()
		if err != nil {
			t.Fatalf("record version 9999: %v", err)
		}
		s, err = Open(t.Context(), dsn)
		if err == nil {
			s.Close()
			t.Fatal("Open accepted a database with a newer schema")
		}
		t.Logf("Open: %v", err)
		if nscl.ErrorField(err) != "db" || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "9999") {
			t.Errorf("got %v, want an error on field db saying the schema (9999) is newer", err)
		}
	})
}

func TestOpenTwiceKeepsData(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		f := newFixture(t, s)
		a := activity(f.district1, "2022-05-01", qty(mTraining, 3))
		if err := s.CreateActivity(t.Context(), f.prog, a); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s2 := openStore(t, dsn) // migrations already applied: a no-op
		got, err := s2.Activity(t.Context(), a.ID)
		if err != nil || got.Version != 1 {
			t.Fatalf("after reopening: %+v, %v", got, err)
		}
	})
}

func TestCreateRefusesDuplicatesAndBadUnits(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		for _, tc := range []struct {
			name        string
			write       func(ctx context.Context, tx *Tx) error
			code, field string
		}{
			{"programme code taken", func(ctx context.Context, tx *Tx) error {
				p := &nscl.Programme{Code: " NSCL ", Name: "Chương trình khác", StartYear: 2021, EndYear: 2025}
				return tx.CreateProgramme(ctx, p)
			}, nscl.ECONFLICT, "code"},
			{"task groups out of order", func(ctx context.Context, tx *Tx) error {
				p := &nscl.Programme{Code: "KHAC", Name: "Chương trình khác", StartYear: 2021, EndYear: 2025,
					TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Một"}, {Letter: "b", Name: "Hai"}, {Letter: "c", Name: "Ba"}, {Letter: "d", Name: "Bốn"}, {Letter: "e", Name: "Năm"}}}
				return tx.CreateProgramme(ctx, p)
			}, nscl.EINVALID, "task_groups"},
			{"unit code taken", func(ctx context.Context, tx *Tx) error {
				return tx.CreateUnit(ctx, &nscl.OrgUnit{ParentID: f.province.ID, Code: "HCM-Q1", Name: "Quận 1", Level: nscl.LevelDistrict})
			}, nscl.ECONFLICT, "code"},
			{"unknown parent unit", func(ctx context.Context, tx *Tx) error {
				return tx.CreateUnit(ctx, &nscl.OrgUnit{ParentID: 999999, Code: "HCM-Q3", Name: "Quận 3", Level: nscl.LevelDistrict})
			}, nscl.ENOTFOUND, "unit"},
			{"district under a district", func(ctx context.Context, tx *Tx) error {
				return tx.CreateUnit(ctx, &nscl.OrgUnit{ParentID: f.district1.ID, Code: "HCM-Q3", Name: "Quận 3", Level: nscl.LevelDistrict})
			}, nscl.EINVALID, "parent"},
			{"document on file", func(ctx context.Context, tx *Tx) error {
				return tx.CreateDocument(ctx, &nscl.Document{Type: "Quyết định", Number: "1322", Symbol: "QĐ-TTg", IssuedOn: day("2020-08-31"), Issuer: "Thủ tướng Chính phủ"})
			}, nscl.ECONFLICT, "number"},
			{"undated document twice", func(ctx context.Context, tx *Tx) error {
				d := nscl.Document{Type: "Thông tư", Number: "35/2021", Symbol: "TT-BTC", Issuer: "Bộ Tài chính"}
				if err := tx.CreateDocument(ctx, &d); err != nil {
					return err
				}
				d.ID = 0
				return tx.CreateDocument(ctx, &d)
			}, nscl.ECONFLICT, "number"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := dumpDB(t, s)
				wantError(t, s.Update(t.Context(), func(tx *Tx) error { return tc.write(t.Context(), tx) }), tc.code, tc.field)
				wantUnchanged(t, s, before)
			})
		}
	})
}

// File names are paths, not URIs: "#", "?", "%" and spaces stay in the name.
func TestOpenOddFileNames(t *testing.T) {
	for _, name := range []string{"a#b.db", "a?b.db", "a%20b.db", "số liệu 2022.db"} {
		path := filepath.Join(t.TempDir(), name)
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: database not created under its own name: %v", name, err)
		}
	}
}

// The database holds password hashes and sessions: a new file, and the
// -wal and -shm files beside it, are readable by their owner only.
func TestNewDatabaseFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "riêng.db")
	s := openStore(t, path)
	newFixture(t, s) // writes, so that the WAL holds pages
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(name), mode)
		}
	}
}

// migrationProvider is the store's goose provider, for a test that moves
// its schema down and up again.
func migrationProvider(t testing.TB, s *Store) *goose.Provider {
	t.Helper()
	p, err := s.migrations()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
