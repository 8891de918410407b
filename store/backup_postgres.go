package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"nscl"
)

// On PostgreSQL nscl keeps its tables in one schema: the first of the
// DSN's search_path, else public. A backup is pg_dump's custom format of
// that schema; a restore replaces the schema with the dump's, in one
// transaction.

func backupPostgres(ctx context.Context, dsn, path string) error {
	pgDump, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	conninfo, env := libpqTarget(dsn)
	schema := pgSchema(dsn)
	return writeBeside(path, func(tmp string) error {
		// pg_dump reads the whole schema in one repeatable-read transaction.
		cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-owner", "--schema="+quoteIdent(schema), "--file="+tmp, "--dbname="+conninfo)
		cmd.Env = env
		return runTool(cmd, dsn)
	})
}

func restorePostgres(ctx context.Context, dsn, file string) (int64, error) {
	pgRestore, err := pgTool("pg_restore")
	if err != nil {
		return 0, err
	}
	psql, err := pgTool("psql")
	if err != nil {
		return 0, err
	}
	schema := pgSchema(dsn)
	version, err := checkDump(ctx, pgRestore, file, schema)
	if err != nil {
		return 0, err
	}
	hold, err := holdDatabase(ctx, dsn, true)
	if err != nil {
		return 0, err
	}
	defer hold.release()

	// pg_restore's own --clean drops only what the dump holds, and fails on
	// tables a newer nscl added; so the schema is dropped whole first, in
	// the same transaction (psql -1) as the dump's script, which a failure
	// anywhere rolls back.
	conninfo, env := libpqTarget(dsn)
	script := exec.CommandContext(ctx, pgRestore, "--no-owner", "--file=-", file)
	load := exec.CommandContext(ctx, psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
		"--command=DROP SCHEMA IF EXISTS "+quoteIdent(schema)+" CASCADE", "--file=-", "--dbname="+conninfo)
	load.Env = append(env, "PGOPTIONS=-c client_min_messages=warning")
	if load.Stdin, err = script.StdoutPipe(); err != nil {
		return 0, err
	}
	var scriptErr bytes.Buffer
	script.Stderr = &scriptErr
	if err := script.Start(); err != nil {
		return 0, err
	}
	loadErr := runTool(load, dsn)
	if err := script.Wait(); err != nil && loadErr == nil {
		loadErr = fmt.Errorf("store: pg_restore: %v: %s", err, strings.TrimSpace(scriptErr.String()))
	}
	if loadErr != nil {
		return 0, loadErr
	}
	return version, nil
}

// checkDump checks that file is pg_dump's custom format of an nscl schema
// named schema, and returns its schema version.
func checkDump(ctx context.Context, pgRestore, file, schema string) (int64, error) {
	list, err := exec.CommandContext(ctx, pgRestore, "--list", file).Output()
	if err != nil {
		return 0, nscl.Invalid("file", "%s không phải là bản sao lưu PostgreSQL của nscl (tạo bằng nscl backup)",
			"%s is not an nscl PostgreSQL backup (made by nscl backup)", file)
	}
	// A line of the list: "3350; 0 65505 TABLE DATA myschema goose_db_version owner".
	dumped := ""
	for line := range strings.Lines(string(list)) {
		_, entry, ok := strings.Cut(line, " TABLE DATA ")
		if f := strings.Fields(entry); ok && len(f) >= 2 && f[1] == "goose_db_version" {
			dumped = f[0]
		}
	}
	if dumped == "" {
		return 0, nscl.Invalid("file", "%s không phải là bản sao lưu của một cơ sở dữ liệu nscl", "%s is not a backup of an nscl database", file)
	}
	if dumped != schema {
		return 0, nscl.Invalid("db", "bản sao lưu %s là của lược đồ %s, còn --db dùng lược đồ %s; hãy thêm search_path=%s vào --db",
			"the backup %s holds schema %s while --db uses schema %s; add search_path=%s to --db", file, dumped, schema, dumped)
	}
	data, err := exec.CommandContext(ctx, pgRestore, "--data-only", "--schema="+schema, "--table=goose_db_version", "--file=-", file).Output()
	if err != nil {
		return 0, fmt.Errorf("store: reading the schema version of %s: %w", file, err)
	}
	version, err := copiedMaxVersion(bytes.NewReader(data))
	if err != nil {
		return 0, fmt.Errorf("store: reading the schema version of %s: %w", file, err)
	}
	if latest := knownVersion(postgres); version > latest {
		return 0, newerSchema("file", file, version, latest)
	}
	return version, nil
}

// copiedMaxVersion reads the COPY block of goose_db_version in a script
// written by pg_restore and returns the highest version_id.
func copiedMaxVersion(script io.Reader) (int64, error) {
	var version int64
	column := -1
	sc := bufio.NewScanner(script)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case column < 0 && strings.HasPrefix(line, "COPY "):
			// COPY s.goose_db_version (id, version_id, is_applied, tstamp) FROM stdin;
			_, cols, _ := strings.Cut(line, "(")
			cols, _, _ = strings.Cut(cols, ")")
			for i, c := range strings.Split(cols, ",") {
				if strings.TrimSpace(c) == "version_id" {
					column = i
				}
			}
		case column >= 0 && line == `\.`:
			return version, nil
		case column >= 0:
			fields := strings.Split(line, "\t")
			if column >= len(fields) {
				return 0, fmt.Errorf("short row %q", line)
			}
			v, err := strconv.ParseInt(fields[column], 10, 64)
			if err != nil {
				return 0, err
			}
			version = max(version, v)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no goose_db_version rows")
}

// pgTool finds a PostgreSQL client program, or says what to install.
func pgTool(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", nscl.Invalid("db", "không tìm thấy %s: hãy cài công cụ dòng lệnh của PostgreSQL, cùng phiên bản với máy chủ hoặc mới hơn (Debian/Ubuntu: apt-get install postgresql-client)",
			"%s not found: install PostgreSQL's client tools, of the server's version or newer (Debian/Ubuntu: apt-get install postgresql-client)", name)
	}
	return path, nil
}

// runTool runs a PostgreSQL client program and turns its complaint into an error.
func runTool(cmd *exec.Cmd, dsn string) error {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("store: %s on %s: %v: %s", cmd.Args[0], redact(dsn), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// pgSchema is the schema nscl uses in the database named by dsn.
func pgSchema(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "public"
	}
	first, _, _ := strings.Cut(u.Query().Get("search_path"), ",")
	if first = strings.Trim(strings.TrimSpace(first), `"`); first != "" {
		return first
	}
	return "public"
}

// libpqTarget turns a DSN into what the PostgreSQL client programs take:
// the URL without search_path, which libpq does not know (the schema is
// passed on its own), and without the password, which goes in the
// environment rather than on a command line other users can read.
func libpqTarget(dsn string) (conninfo string, env []string) {
	env = os.Environ()
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, env
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	if u.User != nil {
		if password, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+password)
			u.User = url.User(u.User.Username())
		}
	}
	return u.String(), env
}

// quoteIdent quotes a PostgreSQL identifier, for SQL and for the schema
// patterns of pg_dump and pg_restore alike.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
