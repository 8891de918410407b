package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"

	"nscl"
)

// Backup writes a consistent copy of the whole database named by dsn —
// every table: users, tokens, sessions, the audit log, registrations and
// review history with the programme's data — to path, while servers and
// commands go on reading and writing it. SQLite is copied with VACUUM INTO,
// which reads one snapshot of the database; PostgreSQL with pg_dump, which
// does the same in its own transaction.
//
// The file appears whole or not at all (it is written beside path, flushed
// and renamed), readable by its owner only, as it holds password hashes.
// Returns EINVALID when dsn is not an nscl database or the PostgreSQL client
// tools are missing.
func Backup(ctx context.Context, dsn, path string) error {
	if IsPostgres(dsn) {
		return backupPostgres(ctx, dsn, path)
	}
	return backupSQLite(ctx, dsn, path)
}

// Restore replaces the database named by dsn with the backup in file, after
// checking that file is a whole nscl backup whose schema this program knows.
// An older schema is brought up to date the next time the database is
// opened. It returns the schema version restored.
//
// The old database is replaced at once: a crash leaves the old one or the
// restored one. Returns EINVALID for a file that is not such a backup or
// whose schema is newer than this program, and ECONFLICT while a server
// holds the database (see MarkInUse).
func Restore(ctx context.Context, dsn, file string) (int64, error) {
	info, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, nscl.NotFound("file", "không có tệp sao lưu %s", "there is no backup file %s", file)
	case err != nil:
		return 0, err
	case !info.Mode().IsRegular():
		return 0, nscl.Invalid("file", "%s không phải là một tệp", "%s is not a file", file)
	}
	if err := sameEngine(dsn, file); err != nil {
		return 0, err
	}
	if IsPostgres(dsn) {
		return restorePostgres(ctx, dsn, file)
	}
	return restoreSQLite(ctx, dsn, file)
}

// sameEngine refuses a backup of one engine given for a database of the
// other, which neither engine's tools would say plainly.
func sameEngine(dsn, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case IsPostgres(dsn) && string(head) == "SQLite format 3\x00":
		return nscl.Invalid("file", "%s là bản sao lưu SQLite; không khôi phục được vào PostgreSQL (cách chuyển: docs/operations.md)",
			"%s is an SQLite backup; it cannot be restored into PostgreSQL (to move, see docs/operations.md)", file)
	case !IsPostgres(dsn) && strings.HasPrefix(string(head), "PGDMP"):
		return nscl.Invalid("file", "%s là bản sao lưu PostgreSQL; hãy khôi phục vào một địa chỉ postgres://",
			"%s is a PostgreSQL backup; restore it into a postgres:// database", file)
	}
	return nil
}

func backupSQLite(ctx context.Context, dsn, path string) error {
	if info, err := os.Stat(dsn); err != nil || !info.Mode().IsRegular() {
		return nscl.Invalid("db", "không có tệp cơ sở dữ liệu %s", "there is no database file %s", dsn)
	}
	if sameFile(dsn, path) {
		return nscl.Invalid("o", "tệp sao lưu %s chính là cơ sở dữ liệu; hãy chọn tệp khác", "the backup file %s is the database itself; choose another file", path)
	}
	db, err := sql.Open("sqlite", sqliteURI(dsn, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := schemaVersion(ctx, db, dsn); err != nil {
		return err
	}
	// VACUUM INTO writes into an empty file, which keeps the owner-only
	// mode writeBeside created it with.
	return writeBeside(path, func(tmp string) error {
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
			return fmt.Errorf("store: backup of %s: %w", dsn, err)
		}
		return nil
	})
}

func restoreSQLite(ctx context.Context, dsn, file string) (int64, error) {
	if sameFile(dsn, file) {
		return 0, nscl.Invalid("file", "%s chính là cơ sở dữ liệu cần khôi phục", "%s is the database being restored", file)
	}
	hold, err := holdDatabase(ctx, dsn, true)
	if err != nil {
		return 0, err
	}
	defer hold.release()
	var version int64
	err = writeBeside(dsn, func(tmp string) error {
		// The copy is checked, not the file given: it is what goes live.
		if err := copyFile(file, tmp); err != nil {
			return err
		}
		if version, err = checkSQLiteBackup(ctx, tmp, file); err != nil {
			return err
		}
		return settleSQLite(ctx, dsn)
	})
	return version, err
}

// checkSQLiteBackup opens the copy of a backup at path (named file to the
// user) and checks that it is a whole nscl database this program knows.
func checkSQLiteBackup(ctx context.Context, path, file string) (int64, error) {
	db, err := sql.Open("sqlite", sqliteURI(path, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&verdict); err != nil {
		return 0, notABackup(file, err)
	}
	if verdict != "ok" {
		return 0, nscl.Invalid("file", "tệp sao lưu %s bị hỏng (kiểm tra toàn vẹn: %s)", "the backup %s is damaged (integrity check: %s)", file, verdict)
	}
	version, err := schemaVersion(ctx, db, file)
	if err != nil {
		return 0, err
	}
	if latest := knownVersion(sqlite); version > latest {
		return 0, newerSchema("file", file, version, latest)
	}
	return version, nil
}

// settleSQLite moves what the old database at dsn still holds in its
// write-ahead log into the file itself, and removes the log, before the
// restored file takes its name: a log left beside the new file would be
// read as part of it, and a crash before the rename must find the old
// database whole.
func settleSQLite(ctx context.Context, dsn string) error {
	if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", sqliteURI(dsn, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return err
	}
	var busy, logged, moved int
	err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved)
	db.Close()
	// A damaged old database cannot be checkpointed; it is being replaced,
	// which is what a restore is for.
	if err == nil && busy != 0 {
		return inUse(dsn)
	}
	for _, side := range []string{dsn + "-wal", dsn + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// schemaVersion returns the newest migration applied to an nscl database,
// and EINVALID for a database that nscl did not create.
func schemaVersion(ctx context.Context, db *sql.DB, name string) (int64, error) {
	var version int64
	err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version").Scan(&version)
	if err != nil {
		return 0, notABackup(name, err)
	}
	return version, nil
}

func notABackup(name string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "no such table") || strings.Contains(msg, "file is not a database") || strings.Contains(msg, "malformed") {
		return nscl.Invalid("file", "%s không phải là cơ sở dữ liệu SQLite của nscl", "%s is not an nscl SQLite database", name)
	}
	return fmt.Errorf("store: reading %s: %w", name, err)
}

// knownVersion is the newest migration this program carries for d.
func knownVersion(d dialect) int64 {
	folder := "migrations/sqlite"
	if d == postgres {
		folder = "migrations/postgres"
	}
	names, _ := fs.Glob(migrations, folder+"/*.sql")
	var latest int64
	for _, name := range names {
		if v, err := goose.NumericComponent(name); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// newerSchema is the refusal of a database written by a newer nscl.
func newerSchema(field, name string, current, latest int64) error {
	return nscl.Invalid(field, "cơ sở dữ liệu %s có lược đồ phiên bản %d, mới hơn phiên bản %d mà chương trình này biết; hãy dùng bản nscl mới hơn",
		"database %s has schema version %d, newer than version %d this program knows; use a newer nscl", redact(name), current, latest)
}

// writeBeside has write fill a new, empty file next to path (readable by
// its owner only), then flushes it to disk and renames it to path, so that
// a crash leaves the old file or the new one, never a part of either.
func writeBeside(path string, write func(tmp string) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nscl.Invalid("o", "không ghi được vào thư mục của %s: %v", "cannot write in the folder of %s: %v", path, err)
	}
	tmp := f.Name()
	f.Close()
	err = write(tmp)
	if err == nil {
		err = syncAndRename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func syncAndRename(tmp, path string) error {
	f, err := os.Open(tmp)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	// The rename itself is kept only once the folder is flushed.
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}
