package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Batch makes the transaction write the way an import needs: the moves of
// the kept totals are gathered and each made once, and the rows that
// follow an activity (quantities, beneficiaries, audit entries) are
// written a few hundred to a statement. Flush writes what is pending; the
// caller calls it before committing. An import of a hundred thousand
// activities of a few units then touches a few hundred totals, and runs a
// few statements per activity instead of half a dozen.
//
// While batching, what is pending is not yet in the tables: a write that
// reads an activity of this transaction back first flushes (ImportRow does).
func (tx *Tx) Batch() {
	tx.batched, tx.batchedReach, tx.batchedCount = map[TotalKey]*totalMove{}, map[reachKey]int64{}, map[countRow]int64{}
	tx.pending = map[string]*pendingRows{}
	tx.raiseCache()
}

// The SQLite writer's page cache, in KiB: writerCacheKiB as a rule, and
// importCacheKiB for a batch in a database of more than largeDatabase
// bytes. A batch there reads and changes the kept rows of enterprises
// reached all over their tables, and with the usual cache most of its time
// went to reading pages again (an import into a 200.000-activity database
// was 1,7 times as fast with a larger cache; 64 MB took no more CPU than
// 128 or 256 MB, and 150 MB less memory than 128). In a small database the
// usual cache is as fast, and keeps an import's memory low.
//
// Such a batch also reads the file through a map of it (importMapBytes;
// SQLite keeps the map within its own limit, 2 GB in this build): the
// pages it reads no longer cost a system call each, which was a fifth of
// an import's time into a 1M-activity database (1,3 times as fast with
// the map, 20.000 rows, alternating). The batch holds the write lock, so
// no other connection can shrink the file under the map; a larger cache
// with the map was slower still (1 GB) or no faster (256 MB).
const (
	writerCacheKiB = 16 << 10
	importCacheKiB = 64 << 10
	importMapBytes = 2 << 30
)

// largeDatabase is the size past which a batch raises the cache (a
// variable for the test that has a small database count as large).
var largeDatabase int64 = 256 << 20

// raiseCache gives the writer the larger cache and the map for a batch in
// a large SQLite database; endSQLite sets both back when the
// transaction ends. A pragma that fails leaves the usual cache or no map,
// which is only slower.
func (tx *Tx) raiseCache() {
	if tx.dialect != sqlite || tx.tx == nil {
		return
	}
	ctx := context.Background()
	var size int64
	if err := tx.tx.QueryRowContext(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&size); err != nil || size <= largeDatabase {
		return
	}
	if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB)); err == nil {
		tx.cacheRaised = true
	}
	if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA mmap_size = %d`, importMapBytes)); err == nil {
		tx.cacheRaised = true
	}
}

// Flush writes the pending rows and moves the gathered totals, and stops
// batching.
func (tx *Tx) Flush(ctx context.Context) error {
	if err := tx.settle(ctx); err != nil {
		return err
	}
	tx.batched, tx.batchedReach, tx.batchedCount, tx.pending = nil, nil, nil, nil
	return nil
}

// settle writes what batching holds back — the pending rows and the
// gathered moves of the kept totals and activity counts — and goes on
// batching: an approval within an import (an exchange file's rounds) reads
// the activities' rows and moves the totals they are in.
func (tx *Tx) settle(ctx context.Context) error {
	if tx.batched == nil {
		return nil
	}
	if err := tx.flushRows(ctx); err != nil {
		return err
	}
	moves, reach, counts := tx.batched, tx.batchedReach, tx.batchedCount
	tx.batched, tx.batchedReach, tx.batchedCount = map[TotalKey]*totalMove{}, map[reachKey]int64{}, map[countRow]int64{}
	if err := tx.applyCounts(ctx, counts); err != nil {
		return err
	}
	if err := tx.applyMoves(ctx, moves); err != nil {
		return err
	}
	return tx.applyReach(ctx, reach)
}

// pendingRows are rows waiting to be inserted into one table.
type pendingRows struct {
	columns string // "(a, b, c)"
	width   int
	values  []any
}

// rowsPerStatement keeps a statement's parameters under SQLite's default
// limit (32.766) and PostgreSQL's (65.535).
const rowsPerStatement = 400

// insertLater queues a row for table, or inserts it now when not batching.
func (tx *Tx) insertLater(ctx context.Context, table, columns string, values ...any) error {
	if tx.pending == nil {
		return tx.execLater(ctx, `INSERT INTO `+table+` `+columns+` VALUES (`+placeholders(len(values))+`)`, values...)
	}
	p := tx.pending[table]
	if p == nil {
		p = &pendingRows{columns: columns, width: len(values)}
		tx.pending[table] = p
	}
	p.values = append(p.values, values...)
	if len(p.values)/p.width >= rowsPerStatement {
		return tx.flushRows(ctx) // every table: a quantity's activity goes first
	}
	return nil
}

// flushRows inserts every table's pending rows, activities before the rows
// that refer to them.
func (tx *Tx) flushRows(ctx context.Context) error {
	for _, table := range []string{"activities", "activity_quantities", "activity_beneficiaries", "audit_log"} {
		if p := tx.pending[table]; p != nil && len(p.values) > 0 {
			if err := tx.insertPending(ctx, table, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (tx *Tx) insertPending(ctx context.Context, table string, p *pendingRows) error {
	if tx.batched != nil && tx.later != nil {
		return tx.copyRows(ctx, table, p)
	}
	query := `INSERT INTO ` + table + ` ` + p.columns + ` VALUES ` + rowPlaceholders(len(p.values)/p.width, p.width)
	if err := tx.execLater(ctx, query, p.values...); err != nil {
		return fmt.Errorf("store: unable to write %s: %w", table, err)
	}
	p.values = nil // the statement may wait to be sent (execLater) with these

	return nil
}

// copyRows writes the pending rows of a batch (an import) into table with
// COPY, on PostgreSQL, after the writes held back, to which they may
// refer: a round trip of its own, where an INSERT waits with the others,
// but the server reads the rows as they come instead of binding a
// statement's thousands of parameters. (pgx asks the table's column types
// once per connection, a round trip the store does not count.)
func (tx *Tx) copyRows(ctx context.Context, table string, p *pendingRows) error {
	if err := tx.sendLater(ctx); err != nil {
		return err
	}
	columns := strings.Split(strings.Trim(p.columns, "()"), ", ")
	layouts := make([]string, len(columns)) // "" for a column not of times
	for i, col := range columns {
		layouts[i] = timeColumns[col]
	}
	rows := make([][]any, 0, len(p.values)/p.width)
	for row := range slices.Chunk(p.values, p.width) {
		for i, layout := range layouts {
			if text, ok := row[i].(string); ok && layout != "" {
				t, err := time.Parse(layout, text)
				if err != nil {
					return fmt.Errorf("store: unable to write %s: %s %q: %w", table, columns[i], text, err)
				}
				// Rounded as PostgreSQL rounds the text an INSERT gives it.
				row[i] = t.Round(time.Microsecond)
			}
		}
		rows = append(rows, row)
	}
	p.values = nil
	tx.counted("COPY "+table+" "+strings.Join(columns, ", "), nil)
	tx.tripped()
	err := tx.onPgx(func(pc *pgx.Conn) error {
		_, err := pc.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: unable to write %s: %w", table, err)
	}
	return nil
}

// timeColumns are the columns of the copied tables whose dates and times
// the store gives as text (stampOf, formatDate), with their layouts: COPY's
// binary format takes them as times.
var timeColumns = map[string]string{"at": stampLayout, "created_at": stampLayout, "updated_at": stampLayout, "occurred_on": dateLayout}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// rowPlaceholders are the placeholders of rows rows of width values each,
// for a multi-row VALUES list: "(?, ?), (?, ?)".
func rowPlaceholders(rows, width int) string {
	row := "(" + placeholders(width) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}
