package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

type actorKey struct{}

type clientKey struct{}

// WithClient returns a context naming the client a write comes through:
// a browser's session or an API token, by a hash of its secret. A reader
// of the same client can then be shown what it wrote at once
// (Store.LastCommitOf); one user's other sessions and tokens are not
// waited for.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// ClientOf is the client ctx names (WithClient), "" for none.
func ClientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

// WithActor returns a context saying which user is writing; every write
// made under it is recorded in the audit log with that user. Writes without
// one (the demo loader, migrations) are recorded as the system's.
func WithActor(ctx context.Context, userID int64) context.Context {
	return context.WithValue(ctx, actorKey{}, userID)
}

func actorOf(ctx context.Context) int64 {
	id, _ := ctx.Value(actorKey{}).(int64)
	return id
}

// audit records one write: what was done to which record, by whom, with
// the values before and after (nil for none) as JSON. The entry is chained
// onto the one before it (auditchain.go); the first entry of a transaction
// locks the chain until the transaction ends.
func (tx *Tx) audit(ctx context.Context, action, entity string, id any, before, after any) error {
	if err := tx.lockChain(ctx); err != nil {
		return err
	}
	// PostgreSQL keeps microseconds: the hash must be of the time as kept.
	e := AuditEntry{At: tx.now.Truncate(time.Microsecond), UserID: tx.actor, Action: action, Entity: entity,
		EntityID: fmt.Sprint(id), Before: toJSON(before), After: toJSON(after), PrevHash: tx.chain.lastHash}
	e.Hash = chainHash(e)
	var user, unit any
	if e.UserID != 0 {
		user = e.UserID
	}
	if id := auditUnit(e.Entity, e.EntityID, e.Before, e.After); id != 0 {
		unit = id
	}
	err := tx.insertLater(ctx, "audit_log", "(at, user_id, action, entity, entity_id, old_values, new_values, prev_hash, hash, unit_id)",
		stampOf(e.At), user, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash, unit)
	if err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	tx.chain.lastHash, tx.chain.moved = e.Hash, true
	return nil
}

// auditUnit is the unit an entry is about, 0 for none, for reading the log
// by unit: the unit itself; the unit of a submission ("round/unit") or of
// a report's texts ("unit/year"); the unit that a succession
// ("predecessor>successor") ends; otherwise the unit_id of the record
// after the change, or before it. Migration 00015 fills the entries
// written before it by the same rules.
func auditUnit(entity, entityID, before, after string) int64 {
	var text string
	switch entity {
	case "unit":
		text = entityID
	case "submission":
		_, text, _ = strings.Cut(entityID, "/")
	case "report_text":
		text, _, _ = strings.Cut(entityID, "/")
	case "unit_succession":
		text, _, _ = strings.Cut(entityID, ">")
	default:
		for _, values := range []string{after, before} {
			var record struct {
				UnitID int64 `json:"unit_id"`
			}
			if strings.HasPrefix(values, "{") && json.Unmarshal([]byte(values), &record) == nil {
				return record.UnitID
			}
		}
		return 0
	}
	id, _ := strconv.ParseInt(text, 10, 64)
	return id
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	UserID    int64 // 0 for the system
	UserEmail string
	UnitID    int64  // the unit the entry is about (auditUnit), 0 for none
	Action    string // create, update, delete, submit, approve, return, login …
	Entity    string // activity, unit, plan, round, submission, user …
	EntityID  string
	Before    string // JSON, "" when there was nothing before
	After     string // JSON, "" when nothing is left
	PrevHash  string // the hash of the entry before, "" for the first
	Hash      string // chainHash of this entry
}

// AuditFilter narrows the audit log; zero values match everything.
type AuditFilter struct {
	UserID   int64
	UnitID   int64     // entries about this unit (AuditEntry.UnitID)
	From, To time.Time // entries written at From or later, before To
	Entity   string
	EntityID string
	Action   string
	Hidden   string // an entity left out (what a reader may not see)
	Limit    int
	// Before is the ID of the last entry of the page before: the log goes
	// on from there, at the same cost however deep.
	Before int64
	Offset int // at most MaxActivityOffset; deeper pages go by Before
}

// AuditLog returns entries matching f, newest first. Returns EINVALID for
// an offset beyond MaxActivityOffset.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	if err := checkOffset(f.Offset, "before=<mã của mục cuối trang trước>", "before=<the id of the last entry of the previous page>"); err != nil {
		return nil, err
	}
	q := `SELECT ` + auditColumns + ` ` + auditFrom + ` WHERE 1 = 1`
	var args []any
	// Within dates the log is read in the order of its times, which the
	// index on (at, id) holds, so that a page stops after its entries
	// however many the dates span; otherwise in the order of the ids.
	dated := !f.From.IsZero() || !f.To.IsZero()
	order := ` ORDER BY a.id DESC`
	switch {
	case dated && f.Before > 0:
		q += ` AND (a.at, a.id) < (SELECT b.at, b.id FROM audit_log b WHERE b.id = ?)`
		args = append(args, f.Before)
	case f.Before > 0:
		q += ` AND a.id < ?`
		args = append(args, f.Before)
	}
	if dated {
		order = ` ORDER BY a.at DESC, a.id DESC`
	}
	if f.UserID != 0 {
		q += ` AND a.user_id = ?`
		args = append(args, f.UserID)
	}
	if f.UnitID != 0 {
		q += ` AND a.unit_id = ?`
		args = append(args, f.UnitID)
	}
	if !f.From.IsZero() {
		q += ` AND a.at >= ?`
		args = append(args, stampOf(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND a.at < ?`
		args = append(args, stampOf(f.To))
	}
	if f.Entity != "" {
		q += ` AND a.entity = ?`
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		q += ` AND a.entity_id = ?`
		args = append(args, f.EntityID)
	}
	if f.Action != "" {
		q += ` AND a.action = ?`
		args = append(args, f.Action)
	}
	if f.Hidden != "" {
		q += ` AND a.entity <> ?`
		args = append(args, f.Hidden)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q += order + ` LIMIT ? OFFSET ?`
	args = append(args, f.Limit, f.Offset)
	rows, err := s.reader().query(ctx, q, args...)
	out, err := collect(rows, err, scanAudit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read audit log: %w", err)
	}
	return out, nil
}

// timeValue scans a timestamp column: RFC 3339 text in SQLite, TIMESTAMPTZ
// in PostgreSQL; NULL is the zero time.
type timeValue struct{ t *time.Time }

func (v timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*v.t = time.Time{}
	case time.Time:
		*v.t = x.UTC()
	case string:
		return v.parse(x)
	case []byte:
		return v.parse(string(x))
	default:
		return fmt.Errorf("store: cannot read %T as a time", src)
	}
	return nil
}

func (v timeValue) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	*v.t = t
	return err
}

// stampLayout writes timestamps at a fixed width in UTC, so that SQLite,
// which compares them as text, orders them as times: RFC 3339 with
// trailing zeros dropped would put "10:30:00.5Z" before "10:30:00Z".
const stampLayout = "2006-01-02T15:04:05.000000000Z"

func stampOf(t time.Time) string { return t.UTC().Format(stampLayout) }

func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return stampOf(t)
}

var _ sql.Scanner = timeValue{}
