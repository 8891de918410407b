package store

import (
	"context"
	"database/sql"
	"errors"
	"os"

	"nscl"
)

// MarkInUse marks the database named by dsn as served until release is
// called, so that Restore refuses to replace it under a running server.
// Several servers may mark one database (on PostgreSQL they may share it).
// Returns ECONFLICT while a restore is replacing the database.
//
// The mark is a lock the operating system or PostgreSQL drops when the
// process ends, however it ends, so a crash never leaves it behind. On
// SQLite it is an SQLite lock on an empty side file, DB.lock: SQLite's own
// locks work on every system it runs on, and also between two connections
// of one process. On PostgreSQL it is a session advisory lock keyed by the
// schema.
func MarkInUse(ctx context.Context, dsn string) (release func(), err error) {
	h, err := holdDatabase(ctx, dsn, false)
	if err != nil {
		return nil, err
	}
	return h.release, nil
}

// hold is a connection kept open for the lock it holds.
type hold struct{ db *sql.DB }

func (h *hold) release() { h.db.Close() }

// holdDatabase takes the lock shared (a server) or exclusive (a restore),
// without waiting.
func holdDatabase(ctx context.Context, dsn string, exclusive bool) (*hold, error) {
	var h *hold
	var err error
	if IsPostgres(dsn) {
		h, err = holdPostgres(ctx, dsn, exclusive)
	} else {
		h, err = holdSQLite(ctx, dsn, exclusive)
	}
	if errors.Is(err, errHeld) {
		if exclusive {
			return nil, inUse(dsn)
		}
		return nil, nscl.Conflict("db", "cơ sở dữ liệu %s đang được khôi phục (nscl restore); hãy chạy lại khi việc khôi phục xong",
			"database %s is being restored (nscl restore); start again when the restore has finished", redact(dsn))
	}
	return h, err
}

// errHeld says that another process holds the lock in a way that excludes ours.
var errHeld = errors.New("store: database held by another process")

// inUse is the refusal to replace a database a server is using.
func inUse(dsn string) error {
	return nscl.Conflict("db", "cơ sở dữ liệu %s đang được dùng (một máy chủ nscl serve đang chạy); hãy dừng máy chủ rồi khôi phục lại",
		"database %s is in use (an nscl server is running); stop the server, then restore again", redact(dsn))
}

// holdSQLite locks DB.lock in SQLite's exclusive locking mode, in which a
// connection keeps every lock it takes until it closes: a read keeps a
// shared lock, which many connections may hold at once, and BEGIN
// EXCLUSIVE keeps the exclusive lock, which no other may hold beside it.
func holdSQLite(ctx context.Context, dsn string, exclusive bool) (*hold, error) {
	path := dsn + ".lock"
	// Created by hand so that it is the owner's only, like the database.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nscl.Invalid("db", "không tạo được tệp khóa %s: %v", "cannot create the lock file %s: %v", path, err)
	}
	f.Close()
	db, err := sql.Open("sqlite", sqliteURI(path, "_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(OFF)"))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	take := "SELECT count(*) FROM sqlite_master"
	if exclusive {
		take = "BEGIN EXCLUSIVE; COMMIT"
	}
	if _, err := db.ExecContext(ctx, take); err != nil {
		db.Close()
		if isRetryable(err) { // SQLITE_BUSY: held by another
			return nil, errHeld
		}
		return nil, openError(path, err)
	}
	return &hold{db: db}, nil
}

// holdPostgres takes a session advisory lock on one connection, kept open.
func holdPostgres(ctx context.Context, dsn string, exclusive bool) (*hold, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, nscl.Invalid("db", "địa chỉ PostgreSQL không hợp lệ: %v", "PostgreSQL address is not valid: %v", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	take := "SELECT pg_try_advisory_lock_shared(hashtext($1))"
	if exclusive {
		take = "SELECT pg_try_advisory_lock(hashtext($1))"
	}
	var got bool
	if err := db.QueryRowContext(ctx, take, "nscl in use: "+pgSchema(dsn)).Scan(&got); err != nil {
		db.Close()
		return nil, openError(dsn, err)
	}
	if !got {
		db.Close()
		return nil, errHeld
	}
	return &hold{db: db}, nil
}
