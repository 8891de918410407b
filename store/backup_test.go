package store

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nscl"
)

// backupEngines runs fn on each engine, as eachEngineDSN, with a file name
// for a backup; PostgreSQL only where pg_dump, pg_restore and psql are.
func backupEngines(t *testing.T, fn func(t *testing.T, dsn, backup string)) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		if IsPostgres(dsn) {
			for _, tool := range []string{"pg_dump", "pg_restore", "psql"} {
				if _, err := exec.LookPath(tool); err != nil {
					t.Skip(tool + " is not on PATH: the PostgreSQL backup is not tested")
				}
			}
		}
		fn(t, dsn, filepath.Join(t.TempDir(), "backup"))
	})
}

// allTables names every table of the store's schema, the migrations' own
// included, so that a test of a backup misses none added later.
func allTables(t *testing.T, s *Store) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.dialect == postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := s.read.QueryContext(t.Context(), q)
	tables, err := collect(rows, err, func(r interface{ Scan(...any) error }) (string, error) {
		var name string
		return name, r.Scan(&name)
	})
	if err != nil || len(tables) < 20 {
		t.Fatalf("tables: %v %v", tables, err)
	}
	return tables
}

// dumpEveryTable is every row of every table.
func dumpEveryTable(t *testing.T, dsn string) string {
	t.Helper()
	s, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	defer s.Close()
	return dumpTables(t, s, allTables(t, s))
}

// filled opens dsn and writes what a backup must carry beyond the
// programme: users with a password, a token and a session, activities, a
// portal's document with its file, and the audit log of it all.
func filled(t *testing.T, dsn string) (s *Store, f *fixture, token string) {
	t.Helper()
	s = openStore(t, dsn)
	f = newFixture(t, s)
	u := newUser(t, s, "sao-luu@vi-du.vn", nscl.RoleReporter, f.department)
	token, _, err := s.CreateToken(t.Context(), u.ID, "báo cáo hằng tháng", nscl.DefaultTokenDays)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(t.Context(), u.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	ctx := WithActor(t.Context(), u.ID)
	for _, a := range []*nscl.Activity{
		activity(f.department, "2023-04-11", qty(mTraining, 17), qty(mTrainees, 230)),
		activity(f.department, "2024-02-29", qty(mExperts, 3)),
	} {
		if err := s.CreateActivity(ctx, f.prog, a); err != nil {
			t.Fatal(err)
		}
	}
	// A portal's document with its file, which lives in the database.
	doc := nscl.Post{UnitID: f.department.ID, Kind: nscl.PostDocument, Title: "Sổ tay năng suất", Topic: "Năng suất"}
	err = s.Update(t.Context(), func(tx *Tx) error {
		return tx.CreatePost(t.Context(), f.prog, &doc, &FileUpload{Name: "so-tay.png", Data: []byte("\x89PNG\r\n\x1a\n tệp ảnh")})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, f, token
}

// A backup restored over a database that changed since gives back every
// row of every table as it was, and the users can sign in with their
// password and token as before.
func TestBackupAndRestoreGiveBackEveryTable(t *testing.T) {
	backupEngines(t, func(t *testing.T, dsn, backup string) {
		s, f, token := filled(t, dsn)
		if err := Backup(t.Context(), dsn, backup); err != nil {
			t.Fatalf("Backup: %v", err)
		}
		if info, err := os.Stat(backup); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("backup file: %v %v, want mode 0600 (it holds password hashes)", info, err)
		}
		want := dumpEveryTable(t, dsn)
		if !strings.Contains(want, "sao-luu@vi-du.vn") || !strings.Contains(want, "audit_log (") || !strings.Contains(want, "portal_files (1 rows)") {
			t.Fatalf("the dump misses the user or the audit log:\n%s", want)
		}

		// Changes after the backup: a user, an activity, a password.
		newUser(t, s, "sau-sao-luu@vi-du.vn", nscl.RoleViewer, f.province)
		if err := s.CreateActivity(t.Context(), f.prog, activity(f.department, "2023-05-02", qty(mTraining, 5))); err != nil {
			t.Fatal(err)
		}
		changed := dumpEveryTable(t, dsn)
		if changed == want {
			t.Fatal("the changes after the backup changed nothing")
		}
		s.Close()

		version, err := Restore(t.Context(), dsn, backup)
		if err != nil {
			t.Fatalf("Restore: %v", err)
		}
		if version != knownVersion(s.dialect) {
			t.Errorf("restored schema version %d, want %d", version, knownVersion(s.dialect))
		}
		if got := dumpEveryTable(t, dsn); got != want {
			t.Errorf("restored database differs from the one backed up\nwant:\n%s\ngot:\n%s", want, got)
		}
		s = openStore(t, dsn)
		if diffs, err := s.CheckTotals(t.Context()); err != nil || len(diffs) > 0 {
			t.Errorf("check after restore: %v %v", diffs, err)
		}
		if u, err := s.Authenticate(t.Context(), "sao-luu@vi-du.vn", testPassword); err != nil || u.Email != "sao-luu@vi-du.vn" {
			t.Errorf("sign-in after restore: %v %v", u, err)
		}
		if u, err := s.TokenUser(t.Context(), token); err != nil || u.Email != "sao-luu@vi-du.vn" {
			t.Errorf("token after restore: %v %v", u, err)
		}
	})
}

// A restore refuses, leaving the database as it was, a file that is not a
// backup, a backup of a newer schema, and any backup while a server holds
// the database; and a server does not start while a restore holds it.
func TestRestoreRefuses(t *testing.T) {
	backupEngines(t, func(t *testing.T, dsn, backup string) {
		ctx := t.Context()
		s, _, _ := filled(t, dsn)
		if err := Backup(ctx, dsn, backup); err != nil {
			t.Fatal(err)
		}
		// A backup whose schema is newer: a migration this program lacks.
		newer := filepath.Join(t.TempDir(), "newer")
		latest := knownVersion(s.dialect)
		if _, err := s.write.ExecContext(ctx, s.reader().rebind("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)"), latest+1, true); err != nil {
			t.Fatal(err)
		}
		if err := Backup(ctx, dsn, newer); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.ExecContext(ctx, s.reader().rebind("DELETE FROM goose_db_version WHERE version_id = ?"), latest+1); err != nil {
			t.Fatal(err)
		}
		s.Close()
		before := dumpEveryTable(t, dsn)

		notDB := filepath.Join(t.TempDir(), "report.docx")
		if err := os.WriteFile(notDB, []byte(strings.Repeat("PK\x03\x04 không phải cơ sở dữ liệu ", 400)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Restore(ctx, dsn, notDB)
		wantError(t, err, nscl.EINVALID, "file")
		_, err = Restore(ctx, dsn, newer)
		wantError(t, err, nscl.EINVALID, "file")
		if !strings.Contains(err.Error(), "newer than version") {
			t.Errorf("newer schema: %v", err)
		}
		// A backup of the other engine: pg_dump's and SQLite's first bytes.
		otherEngine := filepath.Join(t.TempDir(), "other-engine")
		head := "SQLite format 3\x00"
		if !IsPostgres(dsn) {
			head = "PGDMP\x01\x0e\x00"
		}
		if err := os.WriteFile(otherEngine, []byte(head+strings.Repeat("\x00", 4096)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = Restore(ctx, dsn, otherEngine)
		wantError(t, err, nscl.EINVALID, "file")
		if !strings.Contains(err.Error(), "backup; ") {
			t.Errorf("a backup of the other engine: %v", err)
		}
		_, err = Restore(ctx, dsn, filepath.Join(t.TempDir(), "missing"))
		wantError(t, err, nscl.ENOTFOUND, "file")

		release, err := MarkInUse(ctx, dsn)
		if err != nil {
			t.Fatalf("MarkInUse: %v", err)
		}
		// A second server may mark it too; a restore may not replace it.
		release2, err := MarkInUse(ctx, dsn)
		if err != nil {
			t.Fatalf("second MarkInUse: %v", err)
		}
		_, err = Restore(ctx, dsn, backup)
		wantError(t, err, nscl.ECONFLICT, "db")
		release()
		_, err = Restore(ctx, dsn, backup)
		wantError(t, err, nscl.ECONFLICT, "db")
		release2()
		if got := dumpEveryTable(t, dsn); got != before {
			t.Fatalf("a refused restore changed the database\nbefore:\n%s\nafter:\n%s", before, got)
		}
		if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dsn), ".*.part")); len(leftovers) > 0 {
			t.Errorf("refused restores left %v", leftovers)
		}

		// While a restore holds the database, a server does not start.
		h, err := holdDatabase(ctx, dsn, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := MarkInUse(ctx, dsn); nscl.ErrorCode(err) != nscl.ECONFLICT || !strings.Contains(err.Error(), "being restored") {
			t.Errorf("MarkInUse during a restore: %v", err)
		}
		h.release()
		if _, err := Restore(ctx, dsn, backup); err != nil {
			t.Errorf("restore once the server is gone: %v", err)
		}
	})
}

// A PostgreSQL backup restores into the schema it was taken from only.
func TestRestoreRefusesAnotherSchema(t *testing.T) {
	backupEngines(t, func(t *testing.T, dsn, backup string) {
		if !IsPostgres(dsn) {
			t.Skip("schemas are PostgreSQL's")
		}
		s, _, _ := filled(t, dsn)
		s.Close()
		if err := Backup(t.Context(), dsn, backup); err != nil {
			t.Fatal(err)
		}
		other := postgresSchema(t, os.Getenv(postgresEnv))
		_, err := Restore(t.Context(), other, backup)
		wantError(t, err, nscl.EINVALID, "db")
		if !strings.Contains(err.Error(), "search_path="+pgSchema(dsn)) {
			t.Errorf("the refusal should say which schema to give: %v", err)
		}
	})
}

// A backup is refused for a database nscl did not make, and never
// overwrites the database it copies.
func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (text TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = Backup(context.Background(), other, filepath.Join(dir, "copy"))
	wantError(t, err, nscl.EINVALID, "file")
	err = Backup(context.Background(), filepath.Join(dir, "missing.db"), filepath.Join(dir, "copy"))
	wantError(t, err, nscl.EINVALID, "db")
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("a backup of a missing database created it: %v", err)
	}

	dsn := filepath.Join(dir, "nscl.db")
	openStore(t, dsn).Close()
	err = Backup(context.Background(), dsn, dsn)
	wantError(t, err, nscl.EINVALID, "o")
}
