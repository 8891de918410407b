package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"nscl/demo"
	"nscl/store"
)

// BenchmarkReport builds the 2022 results of the demo city over 10 thousand
// and 1 million generated activities. The report reads kept totals, so its
// cost should not grow with the number of activities; BenchmarkRecompute
// shows what the same figures cost when counted from the raw rows.
func BenchmarkReport(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			st := generated(b, n, false)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReportWithBeneficiaries is BenchmarkReport where every generated
// activity names two of 5.000 enterprises: the report then also counts the
// distinct enterprises reached, from their kept rows.
func BenchmarkReportWithBeneficiaries(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			st := generated(b, n, true)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRecompute(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			st := generated(b, n, false)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, err := st.RecomputedTotals(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// generated returns an SQLite store holding the demo plus n activities
// spread over the demo's units and the years 2021–2025, each with two
// quantities and, with beneficiaries, two of 5.000 tax codes. The rows are written with one SQL statement each, then the
// kept totals are rebuilt: going through CreateActivity a million times
// would take minutes and measure something else.
func generated(b *testing.B, n int, beneficiaries bool) *store.Store {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	// One connection, because the temporary table lives in the connection that made it.
	conn, err := raw.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	statements := []string{
		`CREATE TEMP TABLE gen AS WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?) SELECT i FROM seq`,
		`INSERT INTO activities (programme_id, unit_id, task_group_id, kind, occurred_on, year, description, source, ref, version, created_at, updated_at)
			SELECT p.id, u.min_id + (gen.i % u.n), g.id, 'training', (2021 + gen.i % 5) || '-06-15', 2021 + gen.i % 5,
				'Hoạt động sinh ra cho đo hiệu năng', 'benchmark', '', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
			FROM gen, programmes p, task_groups g, (SELECT MIN(id) AS min_id, COUNT(*) AS n FROM org_units) u
			WHERE p.code = 'NSCL' AND g.programme_id = p.id AND g.letter = 'd'`,
		`INSERT INTO activity_quantities (activity_id, metric_id, unit_id, year, occurred_on, quantity)
			SELECT a.id, m.id, a.unit_id, a.year, a.occurred_on, 1 + a.id % 7
			FROM activities a, metrics m WHERE a.source = 'benchmark' AND m.code IN ('training_enterprises', 'trainees')`,
	}
	if beneficiaries {
		statements = append(statements, `INSERT INTO activity_beneficiaries (activity_id, tax_code, unit_id, year)
			SELECT a.id, printf('03%08d', (a.id + k.k) % 5000), a.unit_id, a.year
			FROM activities a, (SELECT 0 AS k UNION ALL SELECT 2500) k WHERE a.source = 'benchmark'`)
	}
	for i, stmt := range statements {
		var args []any
		if i == 0 {
			args = append(args, n)
		}
		if _, err := conn.ExecContext(ctx, stmt, args...); err != nil {
			b.Fatalf("generating activities: %v", err)
		}
	}
	if err := st.RebuildTotals(ctx); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkReportXLSX writes the city's 2022 .xlsx file, which lists every
// activity of the year, over 20 thousand and a million generated activities (a
// fifth of them in 2022), and reports the largest heap seen while it was
// written: the list is read from the store as it is written, so the heap
// should not follow the activities, while the time does.
func BenchmarkReportXLSX(b *testing.B) {
	for _, n := range []int{20_000, 1_000_000} {
		b.Run(fmt.Sprintf("activities=%d", n), func(b *testing.B) {
			st := generated(b, n, true)
			ctx := context.Background()
			var peak uint64
			b.ResetTimer()
			for b.Loop() {
				runtime.GC()
				stop := sampleHeap(&peak)
				in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022, Format: "xlsx"})
				if err != nil {
					b.Fatal(err)
				}
				if err := WriteDocument(ctx, io.Discard, "xlsx", in); err != nil {
					b.Fatal(err)
				}
				stop()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// sampleHeap keeps in peak the largest heap in use it sees, every 2 ms,
// until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}
