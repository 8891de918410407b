// Package store keeps the programme's data in embedded SQLite (the default)
// or in PostgreSQL. It is the only package that speaks SQL. Writes go
// through Update, which runs one transaction; reads go through Store.
//
// Totals per (org unit, metric, year) are kept current in the same
// transaction as every activity write, so reading a report costs the same
// with ten thousand or ten million activities.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"

	"nscl"
)

//go:embed migrations
var migrations embed.FS

type dialect int

const (
	sqlite dialect = iota
	postgres
)

// Store is an open database.
type Store struct {
	read  *sql.DB // a pool of readers
	write *sql.DB // SQLite: a single connection, so writers queue instead of failing
	// Two small pools of readers of their own: the paged lists, which a
	// client can make slow, and the session and token checks, which every
	// request makes first. However many slow lists run, they wait for each
	// other's readers, and a report or a sign-in check finds its own free.
	lists    *sql.DB
	sessions *sql.DB
	// Each pool's prepared statements (SQLite only; nil on PostgreSQL).
	readStmts, writeStmts, listStmts, sessionStmts *stmtCache
	dialect                                        dialect
	Now                                            func() time.Time                          // injected so tests control time
	trees                                          treeCache                                 // the org tree as reports last drew it
	locks                                          keptAtVersion[lockKey, []nscl.PeriodLock] // PostgreSQL: units' locks as writes last read them
	users                                          keptAtVersion[int64, nscl.User]           // PostgreSQL: the users writing, as writes last read them
	plans                                          planCache                                 // the programmes' plans as reports last read them
	programmes                                     sync.Map                                  // code → *nscl.Programme, as first found (ProgrammeByCode)
	activityIDs                                    idBlock                                   // PostgreSQL: IDs drawn for new activities, not yet used
	writes                                         writeGroup                                // SQLite: activity writes waiting to commit together (updateGrouped)
	// Statements counts the statements run through the store's
	// connections, so that a test can hold a page to a number of queries
	// whatever the data hold.
	Statements atomic.Int64
	// RoundTrips counts what went to the server: a statement run alone, or
	// a batch of held-back writes (conn.execLater). On PostgreSQL each is a
	// round trip; on SQLite it equals Statements.
	RoundTrips atomic.Int64
	commits    atomic.Int64 // write transactions committed (Commits)
	lastCommit lastCommits
	signIns    signIns // whom sessions and tokens sign in, kept for a moment
}

// Commits is how many write transactions this Store has committed: a
// page that keeps what it read may keep it while the count stays the same.
// Writes by other processes (another server on the same PostgreSQL) are
// not counted, so such a cache also expires after a while.
func (s *Store) Commits() int64 { return s.commits.Load() }

// LastCommitOf is the count of Commits just after the last write through
// client (WithClient) this Store committed, 0 when none or long ago: what
// the client reads from a snapshot taken once Commits reached it holds
// every write it made through this process.
func (s *Store) LastCommitOf(client string) int64 {
	c := &s.lastCommit
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.of[client].commits
}

// lastCommits is, for each client that wrote in the last clientsKept,
// the count of commits just after its last write.
type lastCommits struct {
	mu    sync.Mutex
	of    map[string]clientCommit
	swept time.Time
	now   func() time.Time // the process's clock, nil for time.Now; tests set it
}

type clientCommit struct {
	commits int64
	at      time.Time
}

// clientsKept is how long a client's last write is remembered. Sessions
// come and go, so the entries are let go after it. It must exceed how old
// a page kept may be when it is shown (web's maxRunningAge, a second):
// every page younger than that holds such a write.
const clientsKept = time.Minute

// ended follows every write transaction. What is kept between requests
// and the transaction changed goes, whether or not it committed: a commit
// whose answer was lost (a request cancelled while PostgreSQL committed)
// may still have made the change. signInsGone: users, sessions or tokens
// changed (the kept sign-ins go); newTree: the tree did (its version is
// read again). Then a commit is counted, with the writes of clients: after,
// so that a page built once the count moved reads the tree and the
// sign-ins anew.
func (s *Store) ended(committed, signInsGone, newTree bool, clients ...string) {
	if signInsGone {
		s.signIns.changed()
	}
	if newTree {
		s.trees.changes.Add(1)
	}
	if committed {
		s.committed(clients...)
	}
}

// committed counts a committed transaction, with its writes through
// clients ("", a write through none, is not kept).
func (s *Store) committed(clients ...string) {
	c := &s.lastCommit
	c.mu.Lock()
	defer c.mu.Unlock()
	n := s.commits.Add(1) // under the lock: a client's count only grows
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	if now.Sub(c.swept) >= clientsKept {
		c.swept = now
		for client, e := range c.of {
			if now.Sub(e.at) >= clientsKept {
				delete(c.of, client)
			}
		}
	}
	for _, client := range clients {
		if client == "" {
			continue
		}
		if c.of == nil {
			c.of = map[string]clientCommit{}
		}
		c.of[client] = clientCommit{n, now}
	}
}

// Connections in each pool. SQLite reads in parallel under WAL; PostgreSQL
// counts every connection against its max_connections (100 by default).
const (
	sqliteReaders   = 4
	postgresReaders = 8
	listReaders     = 2
	sessionReaders  = 2
	// PostgreSQL's writers have a pool of their own, as SQLite's one writer
	// has: a write holds its connection while it waits for the audit
	// chain's lock, and twenty writers waiting in the readers' pool made
	// every read wait behind them. Writes take that lock one at a time:
	// more connections would wait for it on the server (in turn, where
	// database/sql hands a freed connection to any waiter) and would not
	// write faster.
	postgresWriters = 4
)

// IsPostgres reports whether dsn names a PostgreSQL database rather than an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens (creating when needed) the database named by dsn, a file path
// for SQLite or a postgres:// URL, and brings its schema up to date.
// It refuses a file that is not an SQLite database and a database whose
// schema is newer than this program knows.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var s *Store
	var err error
	if IsPostgres(dsn) {
		s, err = openPostgres(dsn)
	} else {
		s, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx, dsn); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.sealAudit(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(path string) (*Store, error) {
	if path == "" {
		return nil, nscl.Invalid("db", "chưa chỉ định tệp cơ sở dữ liệu", "no database file given")
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return nil, nscl.Invalid("db", "%s là một thư mục, không phải tệp cơ sở dữ liệu", "%s is a directory, not a database file", path)
	}
	// The file holds password hashes and sessions: only its owner reads it.
	// SQLite gives the -wal and -shm files the mode of the database file,
	// so creating it empty here (an empty file is a new database) is enough.
	// When it cannot be created (a missing folder, no permission), SQLite
	// fails the same way below, and openError says so in a person's words.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	// Pragmas are set on every connection: WAL lets readers go on while
	// one writer writes; the busy timeout makes a second writer wait
	// rather than fail; foreign keys are off in SQLite unless asked for.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	uri := sqliteURI(path, pragmas)
	readers, err := openPools("sqlite", uri, sqliteReaders, listReaders, sessionReaders)
	if err != nil {
		return nil, err
	}
	// BEGIN IMMEDIATE takes the write lock at the start of a transaction,
	// so two writers never deadlock upgrading a read lock.
	// The writer keeps its statement journals in memory and up to 16 MB of
	// pages (the default is 2 MB): a large import's transaction otherwise
	// writes journal and spilled pages to disk long before it commits, a
	// quarter of the import's time. A larger cache measured no faster in a
	// small database; a batch in a large one raises it (Tx.raiseCache).
	write, err := openPools("sqlite", uri+fmt.Sprintf("&_txlock=immediate&_pragma=cache_size(-%d)&_pragma=temp_store(MEMORY)", writerCacheKiB), 1)
	if err != nil {
		closeAll(readers)
		return nil, err
	}
	return &Store{read: readers[0], lists: readers[1], sessions: readers[2], write: write[0], dialect: sqlite, Now: time.Now,
		readStmts: newStmtCache(readers[0]), listStmts: newStmtCache(readers[1]), sessionStmts: newStmtCache(readers[2]), writeStmts: newStmtCache(write[0])}, nil
}

// sqliteURI is the driver's name for the file at path with params.
// The driver reads a URI: the path is escaped so that "?", "#" and "%" in a
// file name stay part of it.
func sqliteURI(path, params string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + params
}

func openPostgres(dsn string) (*Store, error) {
	pools, err := openPools("pgx", dsn, postgresReaders, listReaders, sessionReaders, postgresWriters)
	if err != nil {
		return nil, nscl.Invalid("db", "địa chỉ PostgreSQL không hợp lệ: %v", "PostgreSQL address is not valid: %v", err)
	}
	return &Store{read: pools[0], lists: pools[1], sessions: pools[2], write: pools[3], dialect: postgres, Now: time.Now}, nil
}

// openPools opens a pool of connections to the database for each size
// given; connections are made when first needed, and then kept: by
// default only two stay idle, and the rest were closed after each burst
// of requests and opened again (schema read, pragmas run) for the next.
func openPools(driver, dsn string, sizes ...int) ([]*sql.DB, error) {
	pools := make([]*sql.DB, 0, len(sizes))
	for _, size := range sizes {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			closeAll(pools)
			return nil, err
		}
		db.SetMaxOpenConns(size)
		db.SetMaxIdleConns(size)
		pools = append(pools, db)
	}
	return pools, nil
}

func closeAll(pools []*sql.DB) error {
	var err error
	for _, db := range pools {
		err = errors.Join(err, db.Close())
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	var err error
	for _, c := range []*stmtCache{s.readStmts, s.writeStmts, s.listStmts, s.sessionStmts} {
		if c != nil {
			err = errors.Join(err, c.close())
		}
	}
	pools := []*sql.DB{s.read, s.lists, s.sessions}
	if s.write != s.read {
		pools = append(pools, s.write)
	}
	return errors.Join(err, closeAll(pools))
}

// migrations is the goose provider of the store's engine, on its writers.
func (s *Store) migrations() (*goose.Provider, error) {
	folder, gooseDialect := "migrations/sqlite", goose.DialectSQLite3
	if s.dialect == postgres {
		folder, gooseDialect = "migrations/postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, folder)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(gooseDialect, s.write, sub)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

func (s *Store) migrate(ctx context.Context, dsn string) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	current, latest, err := p.GetVersions(ctx)
	if err != nil {
		return openError(dsn, err)
	}
	if current > latest {
		return newerSchema("db", dsn, current, latest)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrating %s: %w", redact(dsn), err)
	}
	return nil
}

// openError turns the driver's first complaint about a database into one a
// person can act on.
func openError(dsn string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database"), strings.Contains(msg, "database disk image is malformed"):
		return &nscl.Error{Code: nscl.EINVALID, Field: "db",
			Message: fmt.Sprintf("%s không phải là tệp cơ sở dữ liệu SQLite của nscl", dsn),
			English: fmt.Sprintf("%s is not an nscl SQLite database file", dsn)}
	case strings.Contains(msg, "unable to open database file"), strings.Contains(msg, "out of memory (14)"):
		return &nscl.Error{Code: nscl.EINVALID, Field: "db",
			Message: fmt.Sprintf("không mở được tệp %s (thư mục không tồn tại hoặc không có quyền ghi)", dsn),
			English: fmt.Sprintf("cannot open %s (missing folder or no write permission)", dsn)}
	}
	if IsPostgres(dsn) && (strings.Contains(msg, "failed to connect") || strings.Contains(msg, "dial error")) {
		return &nscl.Error{Code: nscl.EINVALID, Field: "db",
			Message: fmt.Sprintf("không kết nối được PostgreSQL tại %s: %v", redact(dsn), err),
			English: fmt.Sprintf("cannot connect to PostgreSQL at %s", redact(dsn))}
	}
	return fmt.Errorf("store: opening %s: %w", redact(dsn), err)
}

// redact hides a password in a PostgreSQL URL before it is printed.
func redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	userinfo, host, found := strings.Cut(rest, "@")
	if !found {
		return dsn
	}
	user, _, _ := strings.Cut(userinfo, ":")
	return scheme + "://" + user + "@" + host
}

// querier is what reads need; *sql.DB and *sql.Tx both have it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// conn runs queries written with ? placeholders on either engine.
type conn struct {
	q       querier
	dialect dialect
	// stmts, when set, keeps the pool's statements prepared (SQLite):
	// parsing the same SQL again on every request and transaction was a
	// third to a half of the time of writes and of the dashboard.
	stmts *stmtCache
	// tx, in a SQLite write transaction, is the transaction the pool's
	// statements are bound to, each once (txStmts); nil on PostgreSQL,
	// whose transactions the store begins and commits itself.
	tx      *sql.Tx
	txStmts map[string]*sql.Stmt
	count   *atomic.Int64 // the store's Statements
	trips   *atomic.Int64 // the store's RoundTrips
	// later, in a PostgreSQL write transaction, holds the writes whose
	// results the transaction does not read (execLater), sent together.
	later *laterWrites
	// uninterrupted statements run to their end even when their request
	// ends: in a group of writes (writeTogether), where SQLite would roll
	// back the whole transaction under an interrupted write, the others'
	// writes with it.
	uninterrupted bool
}

// context is the context a statement runs with: ctx, without its end
// when the connection's statements run uninterrupted.
func (c conn) context(ctx context.Context) context.Context {
	if c.uninterrupted {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// laterWrites are a PostgreSQL write transaction's statements waiting to
// be sent as one batch (one round trip), before the next statement that
// reads and before the commit. One by one, a write of an activity with its
// kept totals was some twenty round trips.
type laterWrites struct {
	conn   *sql.Conn // the transaction's connection, whose pgx connection sends them
	queued []queuedWrite
	// ownRef is the row key, of programme ownRefOf, of the activity among
	// them that came with a key of its own (Tx.holdOwnRef): the batch's
	// refusal of that key is the activity's conflict.
	ownRef   string
	ownRefOf int64
}

type queuedWrite struct {
	query string // rebound for PostgreSQL
	args  []any
}

// maxLaterWrites bounds the statements held back: an import queues
// thousands.
const maxLaterWrites = 256

// execLater runs a write whose result the transaction does not read: at
// once on SQLite, where a statement costs no round trip; on PostgreSQL it
// waits to be sent with the others (sendLater). Its error, a refused row,
// then comes from the statement that sends it, and fails the transaction
// as it would have.
func (c conn) execLater(ctx context.Context, query string, args ...any) error {
	if c.later == nil {
		_, err := c.exec(ctx, query, args...)
		return err
	}
	c.counted(query, args)
	c.later.queued = append(c.later.queued, queuedWrite{c.rebind(query), args})
	if len(c.later.queued) >= maxLaterWrites {
		return c.sendLater(ctx)
	}
	return nil
}

// holdOwnRef says whether the write of a row key an activity came with
// (ref, of the programme) may wait with the held-back writes, and names
// the key there: the batch's refusal of it is then the activity's
// conflict (refConflict). The writes held back with another such key go
// first, so that one waits at a time and a refusal names it. Not on
// SQLite, which runs each write at once, nor in a batch (an import), whose
// rows wait elsewhere (Tx.pending) and whose refusals must come with the
// row that caused them.
func (tx *Tx) holdOwnRef(ctx context.Context, programmeID int64, ref string) (bool, error) {
	if tx.later == nil || tx.pending != nil {
		return false, nil
	}
	if tx.later.ownRef != "" {
		if err := tx.sendLater(ctx); err != nil {
			return false, err
		}
	}
	tx.later.ownRef, tx.later.ownRefOf = ref, programmeID
	return true, nil
}

// sendLater sends the writes held back, in the order they were made, as
// one pgx batch on the transaction's connection.
func (c conn) sendLater(ctx context.Context) error {
	if c.later == nil || len(c.later.queued) == 0 {
		return nil
	}
	return c.sendBatch(ctx)
}

// batchRead is a read sent in a batch: its query, written with ?
// placeholders, and what takes each of its rows.
type batchRead struct {
	query string
	args  []any
	fn    func(scan func(dest ...any) error) error
}

// eachRows runs reads in order, each giving its rows to its fn: on
// PostgreSQL in a write transaction, in one round trip with the writes
// held back; elsewhere one after the other.
func (c conn) eachRows(ctx context.Context, reads ...batchRead) error {
	if c.later != nil {
		for _, r := range reads {
			c.counted(r.query, r.args)
		}
		return c.sendBatch(ctx, reads...)
	}
	for _, r := range reads {
		if err := c.eachRow(ctx, r.query, r.args, r.fn); err != nil {
			return err
		}
	}
	return nil
}

// eachRow runs a read and gives each of its rows to fn. On PostgreSQL the
// writes held back go ahead of it in the same round trip, where query
// would send them in one of their own first.
func (c conn) eachRow(ctx context.Context, query string, args []any, fn func(scan func(dest ...any) error) error) error {
	if c.later != nil && len(c.later.queued) > 0 {
		return c.eachRows(ctx, batchRead{query, args, fn})
	}
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachOf(rows, fn)
}

// sendBatch sends the writes held back and the reads after them as one pgx
// batch on the transaction's connection, giving each read's rows to its fn.
func (c conn) sendBatch(ctx context.Context, reads ...batchRead) error {
	queued, ownRef, ownRefOf := c.later.queued, c.later.ownRef, c.later.ownRefOf
	c.later.queued, c.later.ownRef = nil, ""
	c.tripped()
	return c.onPgx(func(pc *pgx.Conn) error {
		var b pgx.Batch
		for _, w := range queued {
			b.Queue(w.query, w.args...)
		}
		for _, r := range reads {
			b.Queue(c.rebind(r.query), r.args...)
		}
		results := pc.SendBatch(ctx, &b)
		defer results.Close()
		for _, w := range queued {
			tag, err := results.Exec()
			if ownRef != "" && isRefTaken(err, ownRefOf, ownRef) {
				return refConflict(ownRef)
			}
			if err != nil {
				return fmt.Errorf("store: unable to write: %w", err)
			}
			// PostgreSQL answers COMMIT in a transaction that failed with
			// ROLLBACK, not an error.
			if w.query == "COMMIT" && tag.String() != "COMMIT" {
				return fmt.Errorf("store: the transaction was rolled back (%s)", tag)
			}
		}
		for _, r := range reads {
			rows, err := results.Query()
			if err != nil {
				return err
			}
			err = eachOf(rows, r.fn)
			rows.Close()
			if err != nil {
				return err
			}
		}
		return results.Close()
	})
}

// onPgx runs fn on the pgx connection of a PostgreSQL write transaction.
func (c conn) onPgx(fn func(pc *pgx.Conn) error) error {
	return c.later.conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: the PostgreSQL connection is a %T, not pgx's", driverConn)
		}
		return fn(pc.Conn())
	})
}

// eachOf gives each of rows to fn, and says what went wrong reading them.
func eachOf(rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}, fn func(scan func(dest ...any) error) error) error {
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// stmtCache keeps the statements of one pool, each prepared once on every
// connection that runs it and kept across requests and transactions
// (database/sql prepares a pool's statement again on each connection that
// first runs it, and a transaction binds it with Tx.Stmt without parsing
// it again). A query is prepared the second time it is run: texts built
// for one call (a list of values of its own) are run once and never kept.
// PostgreSQL needs none of it: pgx keeps each connection's statements
// prepared itself, and a statement prepared in a transaction there costs
// two more round trips (prepare, and deallocate when it closes).
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	byQuery map[string]*sql.Stmt
	seen    map[string]bool // run once, not yet prepared
	later   []string        // seen again inside a transaction, prepared once it ends
}

// Bounds of a pool's cache: past maxStmts, new texts run unprepared;
// seen forgets what it holds past maxSeen.
const (
	maxStmts = 256
	maxSeen  = 4096
)

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, byQuery: map[string]*sql.Stmt{}, seen: map[string]bool{}}
}

// get returns query's statement, nil when it is not prepared; again says
// the query was run before and is worth preparing.
func (c *stmtCache) get(query string) (st *sql.Stmt, again bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.byQuery[query]; st != nil {
		return st, false
	}
	if len(c.byQuery) >= maxStmts {
		return nil, false
	}
	if c.seen[query] {
		return nil, true
	}
	if len(c.seen) >= maxSeen {
		clear(c.seen)
	}
	c.seen[query] = true
	return nil, false
}

// prepare prepares query on the pool and keeps it; nil when it cannot (the
// query then runs unprepared, and fails there if it is wrong).
func (c *stmtCache) prepare(ctx context.Context, query string) *sql.Stmt {
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.byQuery[query]; old != nil { // another request prepared it meanwhile
		st.Close()
		return old
	}
	c.byQuery[query] = st
	delete(c.seen, query)
	return st
}

// prepareLater queues a query that a transaction runs again: the pool's
// statement cannot be prepared while the transaction holds the writer
// (SQLite's writer pool has one connection).
func (c *stmtCache) prepareLater(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(c.later, query) {
		c.later = append(c.later, query)
	}
}

// prepareQueued prepares what transactions queued, once the writer is free.
func (c *stmtCache) prepareQueued(ctx context.Context) {
	c.mu.Lock()
	queued := c.later
	c.later = nil
	c.mu.Unlock()
	for _, q := range queued {
		c.prepare(ctx, q)
	}
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.byQuery {
		err = errors.Join(err, st.Close())
	}
	clear(c.byQuery)
	return err
}

// prepared returns the statement for query, nil when it runs unprepared.
func (c conn) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.stmts == nil {
		return nil, nil
	}
	if c.tx == nil {
		st, again := c.stmts.get(query)
		if st == nil && again {
			st = c.stmts.prepare(ctx, query)
		}
		return st, nil
	}
	if st := c.txStmts[query]; st != nil {
		return st, nil
	}
	if len(c.txStmts) >= maxStmts {
		return nil, nil
	}
	st, again := c.stmts.get(query)
	switch {
	case st != nil:
		st = c.tx.StmtContext(ctx, st)
	case again:
		// Prepared for this transaction now, for the pool once it ends.
		c.stmts.prepareLater(query)
		var err error
		if st, err = c.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	c.txStmts[query] = st
	return st, nil
}

func (c conn) rebind(query string) string {
	if c.dialect != postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// counted adds one to the statements run, and shows the statement to a
// test's trace.
func (c conn) counted(query string, args []any) {
	if c.count != nil {
		c.count.Add(1)
	}
	trace(query, args)
}

// tripped adds one to the round trips made.
func (c conn) tripped() {
	if c.trips != nil {
		c.trips.Add(1)
	}
}

// traceStatement, when a test sets it, sees every statement the store runs
// with its arguments, so that the test can ask SQLite how it reads each one
// (plans_test.go): counting statements per page does not show one that
// reads a whole table. Nil otherwise.
var traceStatement func(query string, args []any)

// trace shows a statement to traceStatement. conn's methods call it
// (through counted), and so does each statement of the everyday work run
// past them (bulk.go, import.go, lookalike.go); the maintenance of
// backup.go and hold.go does not.
func trace(query string, args []any) {
	if traceStatement != nil {
		traceStatement(query, args)
	}
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = c.context(ctx)
	if err := c.sendLater(ctx); err != nil {
		return nil, err
	}
	c.counted(query, args)
	c.tripped()
	query = c.rebind(query)
	if st, err := c.prepared(ctx, query); err != nil || st != nil {
		if err != nil {
			return nil, err
		}
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, query, args...)
}

// row is a single-row result, or the error of preparing its statement:
// on PostgreSQL a failed prepare aborts the transaction, and running the
// query unprepared would only report that instead of what went wrong.
type row struct {
	r   *sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) row {
	ctx = c.context(ctx)
	if err := c.sendLater(ctx); err != nil {
		return row{err: err}
	}
	c.counted(query, args)
	c.tripped()
	query = c.rebind(query)
	st, err := c.prepared(ctx, query)
	switch {
	case err != nil:
		return row{err: err}
	case st != nil:
		return row{r: st.QueryRowContext(ctx, args...)}
	}
	return row{r: c.q.QueryRowContext(ctx, query, args...)}
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = c.context(ctx)
	if err := c.sendLater(ctx); err != nil {
		return nil, err
	}
	c.counted(query, args)
	c.tripped()
	query = c.rebind(query)
	if st, err := c.prepared(ctx, query); err != nil || st != nil {
		if err != nil {
			return nil, err
		}
		return st.ExecContext(ctx, args...)
	}
	return c.q.ExecContext(ctx, query, args...)
}

// insert runs an INSERT … RETURNING id and returns the new id.
func (c conn) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := c.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// insertRow runs an INSERT of one row, which updates nothing on a
// conflict (DO NOTHING at most), and returns the new id; sql.ErrNoRows
// when it inserted none. SQLite runs RETURNING as a trigger, and a
// statement with a trigger keeps a statement journal, a copy of every page
// it changes: an activity's insert took half as long again. Its id comes
// from the connection's last inserted row instead.
func (c conn) insertRow(ctx context.Context, query string, args ...any) (int64, error) {
	if c.dialect != sqlite {
		return c.insert(ctx, query, args...)
	}
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, cmp.Or(err, sql.ErrNoRows)
	}
	return res.LastInsertId()
}

// snapshot runs read on one connection inside a read-only transaction,
// so that what it reads in several statements is one state of the
// database, whatever commits meanwhile (SQLite: a read transaction is a
// snapshot; PostgreSQL: repeatable read).
func (s *Store) snapshot(ctx context.Context, read func(c conn) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	sqlTx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sqlTx.Rollback()
	return read(conn{q: sqlTx, dialect: s.dialect, count: &s.Statements, trips: &s.RoundTrips})
}

func (s *Store) reader() conn {
	return conn{q: s.read, dialect: s.dialect, stmts: s.readStmts, count: &s.Statements, trips: &s.RoundTrips}
}

// lister reads a page of a list, from the lists' own readers.
func (s *Store) lister() conn {
	return conn{q: s.lists, dialect: s.dialect, stmts: s.listStmts, count: &s.Statements, trips: &s.RoundTrips}
}

// sessionReader checks a session or a token, from the sessions' own readers.
func (s *Store) sessionReader() conn {
	return conn{q: s.sessions, dialect: s.dialect, stmts: s.sessionStmts, count: &s.Statements, trips: &s.RoundTrips}
}

// writer writes one statement outside a transaction, on the writers' pool.
func (s *Store) writer() conn {
	return conn{q: s.write, dialect: s.dialect, stmts: s.writeStmts, count: &s.Statements, trips: &s.RoundTrips}
}

// Tx is a write transaction. Its methods check their input, write, and keep
// the totals current; nothing is kept unless the function given to Update
// returns nil.
type Tx struct {
	conn
	now    time.Time
	actor  int64  // the user writing, 0 for the system
	client string // the session or token written through (WithClient), "" for none
	// What checking an activity looks up, kept for the transaction: an
	// import checks a hundred thousand activities of a few units. Writes
	// that change units or submissions forget them.
	checkedUnits map[int64]nscl.OrgUnit
	locks        map[lockKey][]nscl.PeriodLock
	batched      map[TotalKey]*totalMove // moves of kept totals gathered by Batch; nil when made at once
	batchedReach map[reachKey]int64      // moves of the enterprises reached, gathered the same way
	batchedCount map[countRow]int64      // moves of the activity counts, gathered the same way
	pending      map[string]*pendingRows // rows queued by Batch, by table
	chain        *chainHead              // the audit chain's head, once an entry is written
	noTotals     bool                    // WithoutTotals: writes leave the kept totals alone
	portal       bool                    // asPortal: the portal writes the activities it owns
	signInsGone  bool                    // users, sessions or tokens changed: the kept sign-ins go (signIns)
	cacheRaised  bool                    // the writer's page cache is raised and the file mapped for a batch (raiseCache)
	store        *Store
	// What this transaction knows without asking (knownTree, knowLocks,
	// actorUser): the versions of the tree, the locks and the users read
	// with the audit chain's lock (PostgreSQL), the tree drawn at its
	// version once asked, and whether the transaction changed any of them
	// since.
	treeVersion   int64
	lockVersion   int64
	userVersion   int64
	treeAtLock    *tree
	changedAtLock bool
	newTree       bool // the transaction made a new version of the tree (treeChanged): readers read it again
	issuedRefs    bool // an activity's row key issued here waits to be written (createActivity)
	// claimAhead is the claim of the activity an update or a delete
	// writes, sent on PostgreSQL with the audit chain's lock (lockChain)
	// and answered by claimActivity; nil when there is none, or once
	// answered.
	claimAhead *activityClaim
	// Row keys of the programme knownRefsOf and the activity holding each,
	// 0 for none, as LookAhead learnt them.
	knownRefs   map[string]int64
	knownRefsOf int64
}

// lockKey is a unit in a programme, whose locks unitLocks looked up.
type lockKey struct{ unitID, programmeID int64 }

// forgetChecks drops what the transaction kept of units and locks.
// Every write that changes units, their tree, their submissions or the
// users calls it first, so the tree, the locks and the users known at the
// lock are not trusted any more either.
func (tx *Tx) forgetChecks() { tx.checkedUnits, tx.locks, tx.changedAtLock = nil, nil, true }

// Update runs fn in one write transaction and commits when fn returns nil.
// On any error nothing fn wrote is kept. When the database gives up on the
// transaction because of another writer (a PostgreSQL deadlock or
// serialisation failure, or SQLite still busy after its timeout), fn is run
// again from the start, a few times, so it must not keep state between runs.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return s.updateClaiming(ctx, nil, fn)
}

// updateClaiming is Update for fn that updates or deletes one activity
// first, as claim says (nil for none): on PostgreSQL its claim goes with
// the round trip that begins the transaction.
func (s *Store) updateClaiming(ctx context.Context, claim *activityClaim, fn func(tx *Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.update(ctx, claim, fn)
		if !isRetryable(err) || attempt == maxAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * 20 * time.Millisecond):
		}
	}
}

const maxAttempts = 4

func (s *Store) update(ctx context.Context, claim *activityClaim, fn func(tx *Tx) error) error {
	if s.dialect == postgres {
		return s.updatePostgres(ctx, claim, fn)
	}
	sqlTx, c, err := s.beginSQLite(ctx)
	if err != nil {
		return err
	}
	tx := s.newTx(ctx, c)
	defer func() { s.endSQLite(ctx, sqlTx, tx.cacheRaised) }()
	committed := false
	defer func() { s.ended(committed, tx.signInsGone, tx.newTree, tx.client) }()
	commit := func() error {
		if err := sqlTx.Commit(); err != nil {
			return fmt.Errorf("store: commit: %w", err)
		}
		return nil
	}
	if err := tx.finish(ctx, fn, commit); err != nil {
		return err
	}
	committed = true
	return nil
}

// beginSQLite begins a transaction on SQLite's one writer; endSQLite
// ends it.
func (s *Store) beginSQLite(ctx context.Context) (*sql.Tx, conn, error) {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, conn{}, fmt.Errorf("store: begin: %w", err)
	}
	return sqlTx, conn{q: sqlTx, dialect: s.dialect, stmts: s.writeStmts, tx: sqlTx, txStmts: map[string]*sql.Stmt{}, count: &s.Statements, trips: &s.RoundTrips}, nil
}

// endSQLite rolls back what beginSQLite's transaction did not commit and
// leaves the writer's connection as it was before (cacheRaised: a batch
// raised its page cache and mapped the file).
func (s *Store) endSQLite(ctx context.Context, sqlTx *sql.Tx, cacheRaised bool) {
	sqlTx.Rollback() // after a commit, nothing
	if cacheRaised {
		// The writer's only connection gives the pages and the map back.
		s.write.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = -%d`, writerCacheKiB))
		s.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA mmap_size = 0`)
	}
	if s.writeStmts != nil {
		s.writeStmts.prepareQueued(ctx)
	}
}

// newTx is a write transaction over c for the request ctx carries.
func (s *Store) newTx(ctx context.Context, c conn) *Tx {
	return &Tx{conn: c, now: s.Now().UTC(), actor: actorOf(ctx), client: ClientOf(ctx), store: s}
}

// updatePostgres is update on PostgreSQL. The transaction runs on a
// connection of its own, whose pgx connection sends the held-back writes
// (conn.sendLater). It begins and commits the transaction itself rather
// than through database/sql, so that BEGIN goes with the statement that
// takes the audit chain's lock and COMMIT with the last writes: two round
// trips fewer for every write.
func (s *Store) updatePostgres(ctx context.Context, claim *activityClaim, fn func(tx *Tx) error) error {
	sc, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer sc.Close() // after the rollback below
	later := &laterWrites{conn: sc, queued: []queuedWrite{{query: "BEGIN"}}}
	tx := s.newTx(ctx, conn{q: sc, dialect: s.dialect, count: &s.Statements, trips: &s.RoundTrips, later: later})
	committed := false
	defer func() { s.ended(committed, tx.signInsGone, tx.newTree, tx.client) }() // after the rollback below
	defer func() {
		if committed {
			return
		}
		if _, err := sc.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			// A connection that cannot say whether it is still in the
			// transaction is not given to the next writer.
			sc.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	// Every PostgreSQL write takes the audit chain's lock first, before
	// any row it may lock: taken at the first audit entry instead, it
	// would come after rows (kept totals) that another writer holding
	// the chain then waits for — a deadlock. SQLite has one writer.
	if claim != nil {
		tx.claimAhead = &activityClaim{progID: claim.progID, id: claim.id, version: claim.version}
	}
	if err := tx.lockChain(ctx); err != nil {
		return err
	}
	commit := func() error {
		later.queued = append(later.queued, queuedWrite{query: "COMMIT"})
		return tx.sendLater(ctx) // with the writes held back
	}
	if err := tx.finish(ctx, fn, commit); err != nil {
		if tx.issuedRefs && isIssuedRefTaken(err) {
			return fmt.Errorf("%w: %w", errIssuedRefTaken, err)
		}
		return err
	}
	committed = true
	return nil
}

// finish runs fn, records the audit chain's head and commits, which on
// PostgreSQL sends what the transaction held back.
func (tx *Tx) finish(ctx context.Context, fn func(tx *Tx) error, commit func() error) error {
	if err := fn(tx); err != nil {
		return err
	}
	if tx.claimAhead != nil && tx.claimAhead.sent {
		// A claim is a version bumped: one no write answered is an
		// activity changed without its audit entry.
		return fmt.Errorf("store: activity %d was claimed and not written", tx.claimAhead.id)
	}
	if err := tx.closeChain(ctx); err != nil {
		return err
	}
	return commit()
}

// idBlock holds IDs drawn from a PostgreSQL sequence a block at a time,
// in ascending order: a write that knows its new row's ID beforehand
// need not wait for the server to learn it. IDs of a transaction that
// fails are lost, as they are with the sequence alone; two processes each
// draw their own blocks, so between them IDs do not follow the order rows
// were written in.
type idBlock struct {
	mu  sync.Mutex
	ids []int64
}

// idsPerDraw is how many IDs a draw takes: one round trip of a few hundred
// writes, and at most as many numbers lost when the process stops.
const idsPerDraw = 200

// nextActivityID is the ID of the next activity this transaction creates
// on PostgreSQL.
func (tx *Tx) nextActivityID(ctx context.Context) (int64, error) {
	b := &tx.store.activityIDs
	b.mu.Lock()
	if len(b.ids) == 0 {
		b.mu.Unlock() // the draw waits for the server: other writers go on meanwhile
		rows, err := tx.query(ctx, `SELECT nextval(pg_get_serial_sequence('activities', 'id')) FROM generate_series(1, ?)`, idsPerDraw)
		ids, err := collect(rows, err, func(r interface{ Scan(...any) error }) (id int64, err error) { return id, r.Scan(&id) })
		if err != nil {
			return 0, fmt.Errorf("store: unable to draw activity IDs: %w", err)
		}
		b.mu.Lock()
		b.ids = append(b.ids, ids...)
		slices.Sort(b.ids)
	}
	id := b.ids[0]
	b.ids = b.ids[1:]
	b.mu.Unlock()
	return id, nil
}

// drop forgets the IDs drawn: the next write draws a new block.
func (b *idBlock) drop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ids = nil
}

// errIssuedRefTaken marks a PostgreSQL transaction that found a row key it
// issued (issuedRef) already taken when its held-back writes were sent:
// run again, it draws another key.
var errIssuedRefTaken = errors.New("store: a row key issued to a new activity was already taken")

// isIssuedRefTaken says whether err refused an activity's row key.
func isIssuedRefTaken(err error) bool {
	return isUniqueViolation(err) && strings.Contains(err.Error(), `"activities_ref"`)
}

// isRefTaken says whether err is PostgreSQL's refusal of the programme's
// row key ref, which it names in the error's detail.
func isRefTaken(err error, programmeID int64, ref string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "activities_ref" &&
		pgErr.Detail == fmt.Sprintf("Key (programme_id, ref)=(%d, %s) already exists.", programmeID, ref)
}

// isRetryable reports whether err means "another writer was in the way;
// the same transaction may well succeed now".
func isRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errIssuedRefTaken) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLSTATE 40P01") || strings.Contains(msg, "SQLSTATE 40001") ||
		strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

const dateLayout = "2006-01-02"

func formatDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(dateLayout)
}

// dateValue scans a date column: TEXT in SQLite, DATE in PostgreSQL.
type dateValue struct{ t *time.Time }

func (d dateValue) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.t = time.Time{}
	case time.Time:
		*d.t = time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("store: cannot read %T as a date", src)
	}
	return nil
}

func (d dateValue) parse(s string) error {
	if len(s) > len(dateLayout) {
		s = s[:len(dateLayout)]
	}
	t, err := time.Parse(dateLayout, s)
	*d.t = t
	return err
}

// collect reads every row a query returned through scan.
func collect[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// eachRow runs a query and hands each row to scan, in order.
func eachRow(ctx context.Context, c conn, query string, args []any, scan func(interface{ Scan(...any) error }) error) error {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// isUniqueViolation reports whether err says a unique constraint refused a row.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
