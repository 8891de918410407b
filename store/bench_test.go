package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"nscl"
)

// BenchmarkWriteActivity measures one activity written in its own
// transaction, with the kept totals updated beside it: the price every write
// pays so that reports stay cheap. "create" adds an activity with three
// quantities (sum, distinct and last-value rules) and two beneficiaries;
// "update" moves one to another unit and year.
func BenchmarkWriteActivity(b *testing.B) {
	engines := map[string]string{"sqlite": ""}
	if base := os.Getenv(postgresEnv); base != "" {
		engines["postgres"] = base
	}
	for engine, base := range engines {
		b.Run(engine+"/create", func(b *testing.B) {
			s, f := benchStore(b, base)
			i := 0
			defer reportCPU(b)()
			defer reportStatements(b, s)()
			for b.Loop() {
				i++
				a := benchActivity(f, i)
				if err := s.CreateActivity(b.Context(), f.prog, a); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(engine+"/update", func(b *testing.B) {
			s, f := benchStore(b, base)
			a := benchActivity(f, 0)
			if err := s.CreateActivity(b.Context(), f.prog, a); err != nil {
				b.Fatal(err)
			}
			i := 0
			defer reportCPU(b)()
			defer reportStatements(b, s)()
			for b.Loop() {
				i++
				moved := benchActivity(f, i)
				moved.ID, moved.Version = a.ID, a.Version
				if err := s.UpdateActivity(b.Context(), f.prog, moved); err != nil {
					b.Fatal(err)
				}
				a = moved
			}
		})
	}
}

// reportCPU reports the process's processor time per operation (user and
// system, all threads) from its call to the call of what it returns: on a
// shared machine, wall time follows the neighbours' load more than this.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}
	}
}

// reportStatements reports the statements the store ran and the round
// trips they took per operation, from its call to the call of what it
// returns (on PostgreSQL, writes held back go together: conn.execLater).
func reportStatements(b *testing.B, s *Store) func() {
	statements, trips := s.Statements.Load(), s.RoundTrips.Load()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(s.Statements.Load()-statements)/float64(b.N), "stmts/op")
			b.ReportMetric(float64(s.RoundTrips.Load()-trips)/float64(b.N), "trips/op")
		}
	}
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func benchStore(b *testing.B, postgresBase string) (*Store, *fixture) {
	dsn := filepath.Join(b.TempDir(), "bench.db")
	if postgresBase != "" {
		dsn = postgresSchema(b, postgresBase)
	}
	s := openStore(b, dsn)
	return s, newFixture(b, s)
}

func benchActivity(f *fixture, i int) *nscl.Activity {
	units := []nscl.OrgUnit{f.district1, f.district2, f.implementer}
	return &nscl.Activity{UnitID: units[i%len(units)].ID, Date: day(fmt.Sprintf("%d-%02d-15", 2021+i%4, 1+i%12)),
		TaskGroup: "c", Kind: nscl.KindConsulting, Description: "Tư vấn áp dụng ISO 9001",
		Quantities:    []nscl.Quantity{{Metric: mSupported, Value: 2}, {Metric: mTraining, Value: int64(i % 9)}, {Metric: mLabs, Value: int64(i % 3)}},
		Beneficiaries: []string{fmt.Sprintf("03%08d", i%5000), fmt.Sprintf("03%08d", (i+1)%5000)}}
}

// BenchmarkApproval measures approving a unit's submission and undoing it
// again, each moving the kept totals of what the round's period covers
// between the pending and the approved state: the approval reads the
// unit's activities of the period once, so its cost follows what the unit
// reported for the period, not the whole database.
func BenchmarkApproval(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			s, f := benchStore(b, "")
			ctx := b.Context()
			if err := s.Update(ctx, func(tx *Tx) error {
				tx.Batch()
				for i := range n {
					a := benchActivity(f, i)
					a.UnitID, a.Date = f.district1.ID, day(fmt.Sprintf("2022-%02d-15", 1+i%12))
					if err := tx.CreateActivity(ctx, f.prog, a); err != nil {
						return err
					}
				}
				return tx.Flush(ctx)
			}); err != nil {
				b.Fatal(err)
			}
			round := &nscl.Round{Title: "Báo cáo năm 2022", PeriodStart: day("2022-01-01"), PeriodEnd: day("2022-12-31"),
				Deadline: day("2023-01-10"), UnitIDs: []int64{f.district1.ID}}
			if err := s.Update(ctx, func(tx *Tx) error { return tx.CreateRound(ctx, f.prog, round) }); err != nil {
				b.Fatal(err)
			}
			reporter := newUser(b, s, "reporter@hcm.gov.vn", nscl.RoleReporter, f.district1)
			focal := newUser(b, s, "focal@hcm.gov.vn", nscl.RoleFocal, f.province)
			version := int64(1)
			act := func(u nscl.User, action SubmissionAction, comment string) {
				actx := WithActor(ctx, u.ID)
				if err := s.Update(actx, func(tx *Tx) error {
					sub, err := tx.ActOnSubmission(actx, round.ID, f.district1.ID, version, action, comment)
					version = sub.Version
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
			act(reporter, ActionSubmit, "")
			for b.Loop() {
				act(focal, ActionApprove, "")
				act(focal, ActionReturn, "Hủy duyệt để đo")
				b.StopTimer()
				act(reporter, ActionSubmit, "")
				b.StartTimer()
			}
		})
	}
}

// BenchmarkActivityPage measures one page of 200 activities of the list,
// with their quantities, at the start of a unit's 100.000 activities and
// 1.000 from their end: by cursor (what the list does) and, for
// comparison, by the offset the list used to take, which it now refuses
// that deep.
func BenchmarkActivityPage(b *testing.B) {
	const n, limit = 100_000, 200
	engines := map[string]string{"sqlite": ""}
	if base := os.Getenv(postgresEnv); base != "" {
		engines["postgres"] = base
	}
	for engine, base := range engines {
		s, f := benchStore(b, base)
		ctx := b.Context()
		if err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for i := range n {
				a := benchActivity(f, i)
				a.UnitID, a.Date, a.Beneficiaries = f.district1.ID, day("2021-01-01").AddDate(0, 0, i%1500), nil
				a.Ref = fmt.Sprintf("bench-%d", i)
				if _, err := tx.ImportActivity(ctx, f.prog, a); err != nil {
					return err
				}
			}
			return tx.Flush(ctx)
		}); err != nil {
			b.Fatal(err)
		}
		// PostgreSQL plans from statistics, which its autovacuum gathers
		// within a minute of a bulk write on a running server.
		if _, err := s.write.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
		var last []nscl.Activity // the unit's list, newest first
		if err := s.EachActivity(ctx, f.prog, ActivityFilter{UnitID: f.district1.ID}, func(a nscl.Activity) error {
			last = append(last, a)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			after nscl.Activity
		}{{"start", last[0]}, {"deep", last[n-1000]}} {
			b.Run(engine+"/cursor/"+c.name, func(b *testing.B) {
				for b.Loop() {
					page, err := s.Activities(ctx, f.prog, ActivityFilter{UnitID: f.district1.ID, Limit: limit, After: CursorAfter(c.after)})
					if err != nil || len(page.Activities) != limit {
						b.Fatalf("%d activities, %v", len(page.Activities), err)
					}
				}
			})
		}
		for _, c := range []struct {
			name   string
			offset int
		}{{"start", 1}, {"deep", n - 999}} {
			b.Run(engine+"/offset/"+c.name, func(b *testing.B) {
				prefix, where, args := ActivityFilter{UnitID: f.district1.ID}.sql(f.prog)
				for b.Loop() {
					acts, err := listActivities(ctx, s.lister(), prefix, ActivityFilter{UnitID: f.district1.ID}.from(s.lister()), where+listOrder+` LIMIT ? OFFSET ?`, append(slices.Clone(args), limit, c.offset))
					if err != nil || len(acts) != limit {
						b.Fatalf("%d activities, %v", len(acts), err)
					}
				}
			})
		}
	}
}
