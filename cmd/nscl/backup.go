package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"nscl"
	"nscl/store"
)

func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("backup")
	out := fs.String("o", "", "tệp sao lưu cần ghi (the backup file to write)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"thiếu -o TỆP: nơi ghi bản sao lưu (missing -o FILE: where to write the backup)"}
	}
	if err := store.Backup(ctx, *db, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã sao lưu toàn bộ cơ sở dữ liệu vào %s. (Whole database backed up to %s.)\n", *out, *out)
	return nil
}

func runRestore(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("restore")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"dùng: nscl restore --db CSDL TỆP — tùy chọn đứng trước tệp (usage: nscl restore --db DB FILE, options before the file)"}
	}
	file := fs.Arg(0)
	version, err := store.Restore(ctx, *db, file)
	if err != nil {
		return err
	}
	// The database is not named: a PostgreSQL URL may hold a password.
	fmt.Fprintf(stdout, "Đã khôi phục cơ sở dữ liệu từ %s (lược đồ phiên bản %d); hãy chạy `nscl check` với cùng --db. (Restored from %s, schema version %d; now run nscl check with the same --db.)\n",
		file, version, file, version)
	return nil
}

// backupName matches the names of the backups a server keeps: their time
// in UTC, so that sorting them by name sorts them by age.
var backupName = regexp.MustCompile(`^nscl-\d{8}T\d{6}Z\.(db|dump)$`)

// keptBackups is what `serve --backup-dir` asks for.
type keptBackups struct {
	dir   string
	every time.Duration
	keep  int
	log   *slog.Logger
}

func (k keptBackups) check() error {
	if k.every < time.Minute {
		return usageError{fmt.Sprintf("--backup-every %v: ít nhất 1m (at least 1m)", k.every)}
	}
	if k.keep < 1 {
		return usageError{fmt.Sprintf("--backup-keep %d: ít nhất 1 (at least 1)", k.keep)}
	}
	if err := os.MkdirAll(k.dir, 0o700); err != nil {
		return nscl.Invalid("backup-dir", "không tạo được thư mục sao lưu %s: %v", "cannot create the backup folder %s: %v", k.dir, err)
	}
	return nil
}

// run takes a backup at once and then every k.every until ctx ends. A
// failed backup is logged and tried again at the next turn: the server
// goes on serving.
func (k keptBackups) run(ctx context.Context, dsn string, wg *sync.WaitGroup) {
	wg.Go(func() {
		tick := time.NewTicker(k.every)
		defer tick.Stop()
		for {
			if path, err := k.take(ctx, dsn, time.Now()); err != nil {
				if ctx.Err() != nil {
					return
				}
				k.log.Error("backup failed", "dir", k.dir, "err", err)
			} else {
				k.log.Info("backup written", "file", path)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	})
}

// take writes one backup named by now and removes the oldest beyond k.keep.
func (k keptBackups) take(ctx context.Context, dsn string, now time.Time) (string, error) {
	ext := ".db"
	if store.IsPostgres(dsn) {
		ext = ".dump"
	}
	path := filepath.Join(k.dir, "nscl-"+now.UTC().Format("20060102T150405Z")+ext)
	if err := store.Backup(ctx, dsn, path); err != nil {
		return "", err
	}
	return path, k.prune()
}

// prune removes the oldest backups beyond k.keep; other files are left alone.
func (k keptBackups) prune() error {
	entries, err := os.ReadDir(k.dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for len(names) > k.keep {
		if err := os.Remove(filepath.Join(k.dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}
