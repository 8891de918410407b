package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// yearFigures returns the year's value of every indicator and measure of
// the JSON report, by code.
func yearFigures(t *testing.T, db string, year int) map[string]int64 {
	t.Helper()
	out, err := nsclRun(t, "report", "--db", db, "--year", fmt.Sprint(year), "--format", "json")
	if err != nil {
		t.Fatalf("report %d: %v", year, err)
	}
	var r struct {
		Indicators, Measures []struct {
			Code      string `json:"code"`
			YearValue int64  `json:"year_value"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	figures := map[string]int64{}
	for _, f := range append(r.Indicators, r.Measures...) {
		figures[f.Code] = f.YearValue
	}
	return figures
}

// sqlRows returns the rows a query gives on an SQLite file, each row's
// values printed one after another.
func sqlRows(t *testing.T, db, query string, args ...any) []string {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(query, args...)
	if err != nil {
		t.Fatalf("%s on %s: %v", query, db, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range values {
			if b, ok := v.([]byte); ok {
				values[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(values))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A backup taken while four writers keep adding activities restores to a
// database holding every activity acknowledged before the backup began,
// each writer's activities a gapless run (nothing half-written), the
// audit log the source's up to the same entry, the users and tokens as
// they were, totals that `nscl check` finds equal to the activities, and
// reports that count exactly the activities restored.
func TestBackupUnderConcurrentWrites(t *testing.T) {
	checksOut = io.Discard
	t.Cleanup(func() { checksOut = os.Stderr })
	stdin = strings.NewReader("mật khẩu kiểm tra sao lưu\n")
	t.Cleanup(func() { stdin = os.Stdin })
	dir := t.TempDir()
	db := demoDB(t)
	if _, err := nsclRun(t, "user", "add", "--db", db, "--email", "kiem-tra@sao-luu.vn", "--role", "reporter", "--unit", "HCM-Q1"); err != nil {
		t.Fatal(err)
	}
	token, err := nsclRun(t, "user", "token", "--db", db, "--email", "kiem-tra@sao-luu.vn", "--name", "đồng bộ")
	if err != nil {
		t.Fatal(err)
	}
	token, _, _ = strings.Cut(token, "\n")
	users, _ := nsclRun(t, "user", "list", "--db", db)
	before := yearFigures(t, db, 2024)
	report2022, _ := nsclRun(t, "report", "--db", db, "--year", "2022", "--format", "json")

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	q1, err := st.UnitNamed(ctx, "HCM-Q1")
	if err != nil {
		t.Fatal(err)
	}
	const writers = 4
	var acked [writers]atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := int64(0); ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := nscl.Activity{UnitID: q1.ID, Date: time.Date(2024, 3, 1+w, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
					Description: fmt.Sprintf("Lớp sao lưu %d-%05d", w, i),
					Quantities:  []nscl.Quantity{{Metric: "training_enterprises", Value: 1}, {Metric: "trainees", Value: int64(w + 1)}}}
				if err := st.CreateActivity(ctx, prog, &a); err != nil {
					errs <- err
					return
				}
				acked[w].Store(i + 1)
			}
		})
	}
	waitFor(t, func() bool {
		for w := range writers {
			if acked[w].Load() < 20 {
				return false
			}
		}
		return true
	})
	var ackedBefore [writers]int64
	for w := range writers {
		ackedBefore[w] = acked[w].Load()
	}
	backup := filepath.Join(dir, "nscl-backup.db")
	_, backupErr := nsclRun(t, "backup", "--db", db, "-o", backup)
	var ackedAfter int64
	for w := range writers {
		ackedAfter += acked[w].Load()
	}
	waitFor(t, func() bool { // a few more writes after the backup
		var n int64
		for w := range writers {
			n += acked[w].Load()
		}
		return n >= ackedAfter+writers
	})
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	if backupErr != nil {
		t.Fatalf("backup: %v", backupErr)
	}

	restored := filepath.Join(dir, "restored.db")
	if _, err := nsclRun(t, "restore", "--db", restored, backup); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if out, err := nsclRun(t, "check", "--db", restored); err != nil {
		t.Fatalf("check after restore: %v\n%s", err, out)
	}

	var kept, total int64
	for w := range writers {
		descriptions := sqlRows(t, restored, "SELECT description FROM activities WHERE description LIKE ? ORDER BY description", fmt.Sprintf("Lớp sao lưu %d-%%", w))
		for i, d := range descriptions {
			if want := fmt.Sprintf("[Lớp sao lưu %d-%05d]", w, i); d != want {
				t.Fatalf("writer %d: activity %d is %s, want %s: a gap", w, i, d, want)
			}
		}
		n := int64(len(descriptions))
		if n < ackedBefore[w] {
			t.Errorf("writer %d: %d activities restored, but %d were acknowledged before the backup began", w, n, ackedBefore[w])
		}
		kept += n
		total += acked[w].Load()
		q := sqlRows(t, restored, "SELECT count(*) FROM activity_quantities q JOIN activities a ON a.id = q.activity_id WHERE a.description LIKE ?", fmt.Sprintf("Lớp sao lưu %d-%%", w))
		if want := fmt.Sprintf("[%d]", 2*n); q[0] != want {
			t.Errorf("writer %d: %s quantities for %d activities", w, q[0], n)
		}
	}
	t.Logf("activities acknowledged: %d before the backup began, %d when it ended, %d in all; %d in the backup", sum(ackedBefore[:]), ackedAfter, total, kept)
	if kept >= total {
		t.Fatalf("the backup holds all %d writes: it did not run while they went on", total)
	}

	// The report counts what was restored, no more and no less.
	after := yearFigures(t, restored, 2024)
	var trainees int64
	for w := range writers {
		n := int64(len(sqlRows(t, restored, "SELECT id FROM activities WHERE description LIKE ?", fmt.Sprintf("Lớp sao lưu %d-%%", w))))
		trainees += n * int64(w+1)
	}
	if after["training_enterprises"] != before["training_enterprises"]+kept || after["trainees"] != before["trainees"]+trainees {
		t.Errorf("2024 report after restore: %d enterprise-visits, %d trainees; want %d and %d",
			after["training_enterprises"], after["trainees"], before["training_enterprises"]+kept, before["trainees"]+trainees)
	}
	if got, _ := nsclRun(t, "report", "--db", restored, "--year", "2022", "--format", "json"); got != report2022 {
		t.Error("the 2022 report differs after the restore")
	}
	if got, _ := nsclRun(t, "user", "list", "--db", restored); got != users {
		t.Errorf("users after restore:\n%s\nwant:\n%s", got, users)
	}
	if got, want := sqlRows(t, restored, "SELECT * FROM api_tokens ORDER BY id"), sqlRows(t, db, "SELECT * FROM api_tokens ORDER BY id"); !slices.Equal(got, want) {
		t.Errorf("tokens after restore: %v, want %v", got, want)
	}
	rst, err := store.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rst.Close()
	if u, err := rst.TokenUser(ctx, token); err != nil || u.Email != "kiem-tra@sao-luu.vn" {
		t.Errorf("the token after restore: %v %v", u, err)
	}
	// The audit log is the source's, entry for entry, up to the last one
	// restored: one entry per write, in the order of the writes.
	audit := sqlRows(t, restored, "SELECT * FROM audit_log ORDER BY id")
	last := sqlRows(t, restored, "SELECT max(id) FROM audit_log")[0]
	var lastID int64
	fmt.Sscanf(strings.Trim(last, "[]"), "%d", &lastID)
	if want := sqlRows(t, db, "SELECT * FROM audit_log WHERE id <= ? ORDER BY id", lastID); !slices.Equal(audit, want) {
		t.Errorf("audit log after restore: %d entries, want the source's first %d", len(audit), len(want))
	}
	if n := len(sqlRows(t, restored, "SELECT id FROM audit_log WHERE entity = 'activity' AND new_values LIKE '%Lớp sao lưu%'")); int64(n) != kept {
		t.Errorf("%d audit entries of the writers' activities for %d activities", n, kept)
	}
}

func sum(ns []int64) int64 {
	var s int64
	for _, n := range ns {
		s += n
	}
	return s
}

// waitFor waits up to 30 s for cond.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// A running server keeps its backups and holds its database: a restore is
// refused, naming the server, and leaves the database as it was; once the
// server has stopped, the restore goes through and `nscl check` passes.
func TestServeKeepsBackupsAndRestoreWaitsForIt(t *testing.T) {
	db := demoDB(t)
	dir := filepath.Join(t.TempDir(), "sao-luu")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		served <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--backup-dir", dir, "--backup-every", "1h", "--backup-keep", "2"}, closeOnWrite(ready))
	}()
	select {
	case <-ready:
	case err := <-served:
		t.Fatalf("serve: %v", err)
	}
	var backups []string
	waitFor(t, func() bool {
		backups, _ = filepath.Glob(filepath.Join(dir, "nscl-*.db"))
		return len(backups) == 1
	})
	if !backupName.MatchString(filepath.Base(backups[0])) {
		t.Errorf("backup named %s", backups[0])
	}

	// A change after the backup, which the restore will undo.
	if _, err := nsclRun(t, "activity", "add", "--db", db, "--unit", "HCM-Q1", "--date", "09/10/2024", "--group", "d", "--kind", "training",
		"--description", "Lớp sau bản sao lưu", "--qty", "training_enterprises=11"); err != nil {
		t.Fatal(err)
	}
	changed := sqlRows(t, db, "SELECT id, description FROM activities ORDER BY id")
	_, err := nsclRun(t, "restore", "--db", db, backups[0])
	if nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), "nscl serve") {
		t.Fatalf("restore while serving: %v, want a refusal naming the server", err)
	}
	if got := sqlRows(t, db, "SELECT id, description FROM activities ORDER BY id"); !slices.Equal(got, changed) {
		t.Fatal("a refused restore changed the database")
	}

	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := nsclRun(t, "restore", "--db", db, backups[0]); err != nil {
		t.Fatalf("restore with the server stopped: %v", err)
	}
	if out, err := nsclRun(t, "check", "--db", db); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	if got := sqlRows(t, db, "SELECT id FROM activities WHERE description = 'Lớp sau bản sao lưu'"); len(got) != 0 {
		t.Error("the activity written after the backup is still there")
	}
	if got := sqlRows(t, db, "SELECT id, description FROM activities ORDER BY id"); len(got) != len(changed)-1 {
		t.Errorf("%d activities after the restore, want %d", len(got), len(changed)-1)
	}
}

// closeOnWrite is an output that closes a channel when first written to.
type closeOnWrite chan struct{}

func (c closeOnWrite) Write(p []byte) (int, error) {
	select {
	case <-c:
	default:
		close(c)
	}
	return len(p), nil
}

// Kept backups are named by their time, the newest --backup-keep of them
// stay, other files in the folder are left alone, and a failed backup is
// logged while the loop goes on.
func TestKeptBackupsRotate(t *testing.T) {
	db := demoDB(t)
	dir := t.TempDir()
	for _, other := range []string{"ghi-chu.txt", "nscl-truoc-nang-cap.db"} {
		if err := os.WriteFile(filepath.Join(dir, other), []byte("của người quản trị"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	k := keptBackups{dir: dir, every: time.Hour, keep: 3, log: slog.New(slog.DiscardHandler)}
	start := time.Date(2031, 12, 31, 22, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	for i := range 5 {
		if _, err := k.take(context.Background(), db, start.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"ghi-chu.txt", "nscl-20311231T170000Z.db", "nscl-20311231T180000Z.db", "nscl-20311231T190000Z.db", "nscl-truoc-nang-cap.db"}
	if !slices.Equal(names, want) {
		t.Errorf("folder holds %v, want %v", names, want)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if _, err := nsclRun(t, "restore", "--db", restored, filepath.Join(dir, "nscl-20311231T190000Z.db")); err != nil {
		t.Fatalf("restore of a kept backup: %v", err)
	}

	var log syncBuffer
	k.log = slog.New(slog.NewTextHandler(&log, nil))
	k.every = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	k.run(ctx, filepath.Join(dir, "missing.db"), &wg)
	waitFor(t, func() bool { return strings.Contains(log.String(), "backup failed") })
	cancel()
	wg.Wait()
	if !strings.Contains(log.String(), "missing.db") {
		t.Errorf("the log does not say what failed: %s", log.String())
	}
}

// syncBuffer is a buffer a logger may write to while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestBackupUsage(t *testing.T) {
	db := demoDB(t)
	var usage usageError
	for _, args := range [][]string{
		{"backup", "--db", db},
		{"restore", "--db", db},
		{"restore", "--db", db, "a.db", "b.db"},
		{"serve", "--db", db, "--backup-dir", t.TempDir(), "--backup-keep", "0"},
		{"serve", "--db", db, "--backup-dir", t.TempDir(), "--backup-every", "10s"},
	} {
		if _, err := nsclRun(t, args...); !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if _, err := nsclRun(t, "restore", "--db", db, db); nscl.ErrorField(err) != "file" {
		t.Errorf("restoring a database onto itself: %v", err)
	}
}
