package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"nscl"
)

// The audit log is a hash chain: each entry carries the hash of the entry
// before it (PrevHash, "" for the first) and its own hash over its content
// and that previous hash. A deleted, rewritten or moved row breaks a link.
// The chain's head (table audit_chain) records the last entry and its hash,
// so that entries cut from the end show too; appends lock it, so that two
// transactions never chain onto the same entry.

// chainHead is the head of the chain as a write transaction holds it.
type chainHead struct {
	lastHash string
	sealed   bool
	moved    bool // the transaction appended or sealed: the head is written at its end
}

// chainHash returns the hash an audit entry carries: SHA-256, in lower-case
// hex, of these fields in this order, each written as a netstring
// (its length in bytes in decimal, ":", the bytes, ","), so that no field
// can run into the next:
//
//	prev_hash, at, user_id, action, entity, entity_id, old_values, new_values
//
// at is UTC rounded to the microsecond, written with nine decimals,
// "2023-01-15T09:30:00.123457000Z" (PostgreSQL rounds a time to
// microseconds; entries SQLite kept to the nanosecond before the chain
// hash the same once copied into PostgreSQL); user_id
// is decimal, "" for the system. docs/operations.md ("Audit log") gives the
// same to verify the chain outside nscl: change both together.
func chainHash(e AuditEntry) string {
	h := sha256.New()
	for _, field := range []string{e.PrevHash, e.AtText(), e.UserText(), e.Action, e.Entity, e.EntityID, e.Before, e.After} {
		fmt.Fprintf(h, "%d:%s,", len(field), field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AtText is the entry's time as its hash reads it: UTC rounded to the
// microsecond, with nine decimals.
func (e AuditEntry) AtText() string { return stampOf(e.At.Round(time.Microsecond)) }

// UserText is the entry's user as its hash reads it: the id in decimal,
// "" for the system.
func (e AuditEntry) UserText() string {
	if e.UserID == 0 {
		return ""
	}
	return strconv.FormatInt(e.UserID, 10)
}

// lockChain reads the chain's head for the transaction, the first time it
// is needed, and on PostgreSQL locks it until the transaction ends. On
// SQLite a write transaction already holds the database's one write lock.
func (tx *Tx) lockChain(ctx context.Context) error {
	if tx.chain != nil {
		return nil
	}
	var head chainHead
	var err error
	if tx.dialect == postgres {
		// The versions of the tree, the locks and the users come with the
		// lock, in the round trip that begins the transaction: no other
		// writer changes them while it is held (knownTree, knowLocks,
		// actorUser). Their rows are locked too: a statement that waited
		// for the lock reads again, as committed by the writer it waited
		// for, only the rows it locks, and the others as they were when it
		// started.
		// An update's or a delete's claim of its activity comes after
		// it, in the same round trip: it runs once the lock is held.
		read := false
		reads := []batchRead{{`SELECT c.last_hash, c.sealed, v.version, l.version, u.version
			FROM audit_chain c CROSS JOIN tree_version v CROSS JOIN lock_version l CROSS JOIN user_version u
			WHERE c.id = 1 AND v.id = 1 AND l.id = 1 AND u.id = 1 FOR UPDATE`, nil, func(scan func(dest ...any) error) error {
			read = true
			return scan(&head.lastHash, &head.sealed, &tx.treeVersion, &tx.lockVersion, &tx.userVersion)
		}}}
		ahead := tx.claimAhead
		if ahead != nil {
			reads = append(reads, tx.claimReads(ahead)...)
		}
		err = tx.eachRows(ctx, reads...)
		if err == nil && !read {
			err = sql.ErrNoRows
		}
		if err == nil && ahead != nil {
			ahead.sent = true
			ahead.claimedRead()
		}
	} else {
		err = tx.queryRow(ctx, `SELECT last_hash, sealed FROM audit_chain WHERE id = 1`).Scan(&head.lastHash, &head.sealed)
	}
	if err != nil && tx.claimAhead != nil {
		return fmt.Errorf("store: unable to read the audit chain and claim activity %d: %w", tx.claimAhead.id, err)
	}
	if err != nil {
		return fmt.Errorf("store: unable to read the audit chain: %w", err)
	}
	tx.chain = &head
	return nil
}

// closeChain records the chain's new head before the transaction commits,
// when it wrote audit entries.
func (tx *Tx) closeChain(ctx context.Context) error {
	if tx.chain == nil || !tx.chain.moved {
		return nil
	}
	if p := tx.pending["audit_log"]; p != nil && len(p.values) > 0 {
		return fmt.Errorf("store: audit entries left unwritten: Flush before the transaction ends")
	}
	// Appends hold the chain's lock, so the newest entry is this one's.
	err := tx.execLater(ctx, `UPDATE audit_chain SET last_id = (SELECT COALESCE(MAX(id), 0) FROM audit_log), last_hash = ?, sealed = ? WHERE id = 1`,
		tx.chain.lastHash, tx.chain.sealed)
	if err != nil {
		return fmt.Errorf("store: unable to write the audit chain: %w", err)
	}
	return nil
}

// sealAudit chains the entries written before the log was a chain
// (migration 00010), once: afterwards an entry without its hash is one
// that was tampered with, not one to seal.
func (s *Store) sealAudit(ctx context.Context) error {
	var sealed bool
	if err := s.reader().queryRow(ctx, `SELECT sealed FROM audit_chain WHERE id = 1`).Scan(&sealed); err != nil || sealed {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		if err := tx.lockChain(ctx); err != nil || tx.chain.sealed {
			return err // another process sealed it first
		}
		tx.chain.lastHash = ""
		// In pages, so that a long log is not held in memory.
		for after := int64(0); ; {
			rows, err := tx.query(ctx, `SELECT `+auditColumns+` `+auditFrom+` WHERE a.id > ? ORDER BY a.id LIMIT 500`, after)
			entries, err := collect(rows, err, scanAudit)
			if err != nil || len(entries) == 0 {
				if err == nil {
					tx.chain.sealed, tx.chain.moved = true, true
				}
				return err
			}
			for _, e := range entries {
				e.PrevHash = tx.chain.lastHash
				e.Hash = chainHash(e)
				if _, err := tx.exec(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`, e.PrevHash, e.Hash, e.ID); err != nil {
					return fmt.Errorf("store: unable to seal the audit log: %w", err)
				}
				tx.chain.lastHash, after = e.Hash, e.ID
			}
		}
	})
}

// auditColumns and auditFrom read an AuditEntry with scanAudit.
const (
	auditColumns = `a.id, a.at, COALESCE(a.user_id, 0), COALESCE(u.email, ''), a.action, a.entity, a.entity_id, a.old_values, a.new_values, a.prev_hash, a.hash, COALESCE(a.unit_id, 0)`
	auditFrom    = `FROM audit_log a LEFT JOIN users u ON u.id = a.user_id`
)

func scanAudit(r interface{ Scan(...any) error }) (AuditEntry, error) {
	var e AuditEntry
	err := r.Scan(&e.ID, timeValue{&e.At}, &e.UserID, &e.UserEmail, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash, &e.UnitID)
	return e, err
}

// AuditChain is the end of the audit chain: the last entry and its hash as
// the chain's head records them, and how many entries were read.
type AuditChain struct {
	LastID   int64
	LastHash string
	Entries  int64
}

// WalkAudit calls fn with every audit entry, oldest first, as one snapshot
// of the log, one entry at a time; it stops at fn's first error and
// returns it. The chain it returns is the head recorded in that snapshot.
func (s *Store) WalkAudit(ctx context.Context, fn func(AuditEntry) error) (AuditChain, error) {
	var chain AuditChain
	err := s.snapshot(ctx, func(c conn) error {
		if err := c.queryRow(ctx, `SELECT last_id, last_hash FROM audit_chain WHERE id = 1`).Scan(&chain.LastID, &chain.LastHash); err != nil {
			return fmt.Errorf("store: unable to read the audit chain: %w", err)
		}
		rows, err := c.query(ctx, `SELECT `+auditColumns+` `+auditFrom+` ORDER BY a.id`)
		if err != nil {
			return fmt.Errorf("store: unable to read audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			if err := fn(e); err != nil {
				return err
			}
			chain.Entries++
		}
		return rows.Err()
	})
	return chain, err
}

// CheckAudit verifies the audit chain and returns its end. When a link is
// broken it returns an EINVALID error naming the first broken entry.
func (s *Store) CheckAudit(ctx context.Context) (AuditChain, error) {
	var prev AuditEntry // the zero entry stands before the first
	chain, err := s.WalkAudit(ctx, func(e AuditEntry) error {
		if err := checkLink(prev, e); err != nil {
			return err
		}
		prev = e
		return nil
	})
	if err != nil {
		return chain, err
	}
	switch {
	case prev.ID == 0 && chain.LastID != 0:
		return chain, auditBroken("nhật ký thao tác trống nhưng mục cuối được ghi nhận là mục %d: các mục đã bị xoá",
			"the audit log is empty but its recorded last entry is %d: its entries were deleted", chain.LastID)
	case prev.ID == chain.LastID && prev.Hash != chain.LastHash:
		return chain, auditBroken("mục %d, mục cuối của nhật ký thao tác, đã bị viết lại (cả mã băm)",
			"audit entry %d, the last, was rewritten, hash included", prev.ID)
	case prev.ID != chain.LastID:
		return chain, auditBroken("nhật ký thao tác kết thúc ở mục %d nhưng mục cuối được ghi nhận là mục %d: các mục cuối đã bị xoá hoặc thêm ngoài nscl",
			"the audit log ends at entry %d but its recorded last entry is %d: entries at its end were deleted, or added outside nscl", prev.ID, chain.LastID)
	}
	return chain, nil
}

// checkLink says how e fails to follow prev, the entry before it (the
// zero entry for the first), or returns nil.
func checkLink(prev, e AuditEntry) error {
	switch {
	case e.PrevHash != prev.Hash && prev.ID == 0:
		return auditBroken("mục %d, mục đầu của nhật ký thao tác, lại nối tiếp một mục trước nó: các mục đầu đã bị xoá hoặc mục này đã bị đổi chỗ",
			"audit entry %d, the first, follows an entry before it: the first entries were deleted, or this one was moved", e.ID)
	case e.PrevHash != prev.Hash:
		return auditBroken("mục %d của nhật ký thao tác không nối tiếp mục %d: mục %d đã bị viết lại (cả mã băm) hoặc đổi chỗ, hoặc các mục giữa hai mục đã bị xoá",
			"audit entry %d does not follow entry %d: entry %d was rewritten (hash included) or moved, or entries between them were deleted", e.ID, prev.ID, prev.ID)
	case e.Hash != chainHash(e):
		return auditBroken("nội dung mục %d của nhật ký thao tác không khớp với mã băm của nó: mục đã bị sửa sau khi ghi",
			"audit entry %d does not match its hash: it was changed after it was written", e.ID)
	}
	return nil
}

func auditBroken(vi, en string, args ...any) error {
	return nscl.Invalid("audit_log", vi, en, args...)
}
