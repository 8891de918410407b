package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nscl"
)

// appendAudit writes n audit entries, a few to a transaction, as user 7
// and (every fifth transaction) as the system.
func appendAudit(t *testing.T, s *Store, n int) {
	t.Helper()
	for done := 0; done < n; {
		ctx := t.Context()
		if done%5 != 0 {
			ctx = WithActor(ctx, 7)
		}
		batch := min(n-done, 1+done%4)
		err := s.Update(ctx, func(tx *Tx) error {
			for i := range batch {
				k := done + i
				before := map[string]any{"ghi_chú": fmt.Sprintf("Bản %d trước khi sửa", k), "số": k}
				if err := tx.audit(ctx, "update", "thiết_bị", k, before, map[string]any{"ghi_chú": "Đã hiệu chỉnh", "số": k + 1}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		done += batch
	}
}

// auditIDs returns the ids of the audit log, oldest first.
func auditIDs(t *testing.T, s *Store) []int64 {
	t.Helper()
	var ids []int64
	if _, err := s.WalkAudit(t.Context(), func(e AuditEntry) error { ids = append(ids, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}

// tamper runs SQL on the database directly, as someone bypassing nscl would.
func tamper(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if _, err := s.write.ExecContext(t.Context(), s.reader().rebind(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// wantBroken checks that the audit check fails with a message holding want.
func wantBroken(t *testing.T, s *Store, want string) {
	t.Helper()
	_, err := s.CheckAudit(t.Context())
	var e *nscl.Error
	if !errors.As(err, &e) || e.Code != nscl.EINVALID {
		t.Fatalf("CheckAudit = %v, want an EINVALID error saying %q", err, want)
	}
	if !strings.Contains(e.English, want) || e.Message == "" {
		t.Fatalf("CheckAudit = %v, want it to say %q", err, want)
	}
}

func TestAuditChainShowsTampering(t *testing.T) {
	const n = 300
	cases := []struct {
		name   string
		tamper func(t *testing.T, s *Store, ids []int64) string // returns what the check must say
	}{
		{"one field rewritten", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `UPDATE audit_log SET new_values = ? WHERE id = ?`, `{"ghi_chú":"Đã hiệu chỉnh","số":9999}`, ids[57])
			return fmt.Sprintf("audit entry %d does not match its hash", ids[57])
		}},
		{"the user changed", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `UPDATE audit_log SET user_id = NULL WHERE id = ?`, ids[3])
			return fmt.Sprintf("audit entry %d does not match its hash", ids[3])
		}},
		{"100 rows deleted", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `DELETE FROM audit_log WHERE id BETWEEN ? AND ?`, ids[100], ids[199])
			return fmt.Sprintf("audit entry %d does not follow entry %d", ids[200], ids[99])
		}},
		{"a row and its hash rewritten", func(t *testing.T, s *Store, ids []int64) string {
			e := entryAt(t, s, ids[150])
			e.After = `{"ghi_chú":"Đã hiệu chỉnh","số":0}`
			tamper(t, s, `UPDATE audit_log SET new_values = ?, hash = ? WHERE id = ?`, e.After, chainHash(e), e.ID)
			return fmt.Sprintf("audit entry %d does not follow entry %d: entry %d was rewritten", ids[151], ids[150], ids[150])
		}},
		{"two rows swapped", func(t *testing.T, s *Store, ids []int64) string {
			a, b := entryAt(t, s, ids[20]), entryAt(t, s, ids[21])
			for _, pair := range [][2]AuditEntry{{a, b}, {b, a}} {
				to, from := pair[0], pair[1]
				tamper(t, s, `UPDATE audit_log SET user_id = ?, old_values = ?, new_values = ?, entity_id = ?, prev_hash = ?, hash = ? WHERE id = ?`,
					nullable(from.UserID), from.Before, from.After, from.EntityID, from.PrevHash, from.Hash, to.ID)
			}
			return fmt.Sprintf("audit entry %d does not follow entry %d", ids[20], ids[19])
		}},
		{"a hash changed", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `UPDATE audit_log SET hash = ? WHERE id = ?`, strings.Repeat("0", 64), ids[250])
			return fmt.Sprintf("audit entry %d does not match its hash", ids[250])
		}},
		{"the last rows deleted", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `DELETE FROM audit_log WHERE id > ?`, ids[n-4])
			return fmt.Sprintf("the audit log ends at entry %d but its recorded last entry is %d", ids[n-4], ids[n-1])
		}},
		{"the last row and its hash rewritten", func(t *testing.T, s *Store, ids []int64) string {
			e := entryAt(t, s, ids[n-1])
			e.Action = "delete"
			tamper(t, s, `UPDATE audit_log SET action = ?, hash = ? WHERE id = ?`, e.Action, chainHash(e), e.ID)
			return fmt.Sprintf("audit entry %d, the last, was rewritten", ids[n-1])
		}},
		{"the first row deleted", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `DELETE FROM audit_log WHERE id = ?`, ids[0])
			return fmt.Sprintf("audit entry %d, the first, follows an entry before it", ids[1])
		}},
		{"every row deleted", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `DELETE FROM audit_log`)
			return fmt.Sprintf("the audit log is empty but its recorded last entry is %d", ids[n-1])
		}},
		{"a row added outside nscl", func(t *testing.T, s *Store, ids []int64) string {
			tamper(t, s, `INSERT INTO audit_log (id, at, action, entity, entity_id) VALUES (?, ?, 'delete', 'user', '1')`, ids[n-1]+1, "2023-01-15T09:31:00.000000000Z")
			return fmt.Sprintf("audit entry %d does not follow entry %d", ids[n-1]+1, ids[n-1])
		}},
	}
	t.Run("untouched", func(t *testing.T) {
		eachEngine(t, func(t *testing.T, s *Store) {
			appendAudit(t, s, n)
			ids := auditIDs(t, s)
			chain, err := s.CheckAudit(t.Context())
			if err != nil || chain.Entries != n || chain.LastID != ids[n-1] || len(chain.LastHash) != 64 {
				t.Fatalf("CheckAudit = %+v, %v; want %d entries ending at %d", chain, err, n, ids[n-1])
			}
		})
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachEngineDSN(t, func(t *testing.T, dsn string) {
				s := openStore(t, dsn)
				appendAudit(t, s, n)
				want := tc.tamper(t, s, auditIDs(t, s))
				wantBroken(t, s, want)
				// Opening the database again seals nothing: the log stays broken.
				s.Close()
				wantBroken(t, openStore(t, dsn), want)
			})
		})
	}
}

// entryAt reads one audit entry.
func entryAt(t *testing.T, s *Store, id int64) AuditEntry {
	t.Helper()
	e, err := scanAudit(s.reader().queryRow(t.Context(), `SELECT `+auditColumns+` `+auditFrom+` WHERE a.id = ?`, id))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// nullable is a user id as the column holds it: NULL for the system.
func nullable(userID int64) any {
	if userID == 0 {
		return nil
	}
	return userID
}

// Two transactions never chain onto the same entry: writers of two
// processes (two stores on one database) append at once.
func TestAuditAppendsStaySerialised(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		stores := []*Store{openStore(t, dsn), openStore(t, dsn)}
		const writers, each = 8, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				s := stores[w%2]
				ctx := WithActor(t.Context(), int64(100+w))
				for i := range each {
					errs <- s.Update(ctx, func(tx *Tx) error {
						// Two entries with work between them, so that
						// transactions overlap while they hold the chain.
						if err := tx.audit(ctx, "create", "phiếu", fmt.Sprintf("%d-%d", w, i), nil, map[string]int{"lần": i}); err != nil {
							return err
						}
						if _, err := tx.exec(ctx, `SELECT COUNT(*) FROM audit_log`); err != nil {
							return err
						}
						return tx.audit(ctx, "submit", "phiếu", fmt.Sprintf("%d-%d", w, i), nil, nil)
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		chain, err := stores[0].CheckAudit(t.Context())
		if err != nil || chain.Entries != writers*each*2 {
			t.Fatalf("CheckAudit = %+v, %v; want %d entries", chain, err, writers*each*2)
		}
	})
}

// An import's entries, written a few hundred to a statement, chain as
// entries written one by one do.
func TestBatchedAuditEntriesChain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		appendAudit(t, s, 3)
		ctx := t.Context()
		const n = 2*rowsPerStatement + 17
		err := s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			for i := range n {
				if err := tx.audit(ctx, "create", "hoạt_động", i, nil, map[string]int{"học_viên": i}); err != nil {
					return err
				}
			}
			return tx.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		appendAudit(t, s, 2)
		if chain, err := s.CheckAudit(ctx); err != nil || chain.Entries != n+5 {
			t.Fatalf("CheckAudit = %+v, %v; want %d entries", chain, err, n+5)
		}
		// Entries left unwritten at the end would leave a head the log does not reach.
		err = s.Update(ctx, func(tx *Tx) error {
			tx.Batch()
			return tx.audit(ctx, "create", "hoạt_động", "quên", nil, nil)
		})
		if err == nil || !strings.Contains(err.Error(), "Flush") {
			t.Fatalf("a batch never flushed: %v, want it refused", err)
		}
	})
}

// The entries written before the log was a chain are chained when the
// database is first opened by this version, and only then.
func TestExistingAuditEntriesAreSealedOnce(t *testing.T) {
	eachEngineDSN(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		s := openStore(t, dsn)
		p := migrationProvider(t, s)
		if _, err := p.DownTo(ctx, 9); err != nil {
			t.Fatal(err)
		}
		// What version 9 wrote: no hashes. One entry with nanoseconds, as
		// SQLite kept them (PostgreSQL keeps microseconds).
		old := []struct {
			at   string
			user any
		}{{"2022-03-01T08:00:00.123456789Z", nil}, {"2022-03-01T08:00:01.000000000Z", int64(3)}, {"2022-03-02T10:15:00.500000000Z", int64(4)}}
		for i, e := range old {
			tamper(t, s, `INSERT INTO audit_log (at, user_id, action, entity, entity_id, new_values) VALUES (?, ?, 'create', 'đơn_vị', ?, ?)`,
				e.at, e.user, fmt.Sprint(i), fmt.Sprintf(`{"tên":"Phường %d"}`, i))
		}
		s.Close()
		s = openStore(t, dsn)
		if chain, err := s.CheckAudit(ctx); err != nil || chain.Entries != int64(len(old)) {
			t.Fatalf("after sealing: CheckAudit = %+v, %v; want %d entries", chain, err, len(old))
		}
		// Copied into PostgreSQL, the time is rounded to the microsecond: the
		// chain must hold there too (scripts/sqlite-to-postgres.sh).
		tamper(t, s, `UPDATE audit_log SET at = '2022-03-01T08:00:00.123457000Z' WHERE entity_id = '0'`)
		if _, err := s.CheckAudit(ctx); err != nil {
			t.Fatalf("a nanosecond time kept to the microsecond: %v", err)
		}
		appendAudit(t, s, 4)
		chain, err := s.CheckAudit(ctx)
		if err != nil || chain.Entries != int64(len(old)+4) {
			t.Fatalf("after appending: CheckAudit = %+v, %v", chain, err)
		}
		first := auditIDs(t, s)[0]
		tamper(t, s, `UPDATE audit_log SET prev_hash = '', hash = '' WHERE id = ?`, first)
		s.Close()
		wantBroken(t, openStore(t, dsn), fmt.Sprintf("audit entry %d does not match its hash", first))
	})
}

// The recipe docs/operations.md gives to verify the chain outside nscl, on
// its own example: the hash is SHA-256 of the netstrings written there.
func TestAuditHashIsTheDocumentedOne(t *testing.T) {
	first := AuditEntry{At: time.Date(2023, 1, 15, 9, 30, 0, 0, time.UTC), UserID: 3, Action: "login", Entity: "user", EntityID: "3"}
	documented := sha256.Sum256([]byte("0:,30:2023-01-15T09:30:00.000000000Z,1:3,5:login,4:user,1:3,0:,0:,"))
	if got := chainHash(first); got != hex.EncodeToString(documented[:]) {
		t.Errorf("chainHash = %s, not the documented recipe's %x", got, documented)
	}
	second := AuditEntry{At: time.Date(2023, 1, 15, 9, 31, 12, 5e8, time.UTC), Action: "create", Entity: "unit", EntityID: "12",
		After: `{"code":"CT-SKHCN","name":"Sở KH&CN Cần Thơ"}`, PrevHash: chainHash(first)}
	documented = sha256.Sum256([]byte("64:" + second.PrevHash + `,30:2023-01-15T09:31:12.500000000Z,0:,6:create,4:unit,2:12,0:,50:{"code":"CT-SKHCN","name":"Sở KH&CN Cần Thơ"},`))
	if got := chainHash(second); got != hex.EncodeToString(documented[:]) {
		t.Errorf("chainHash = %s, not the documented recipe's %x", got, documented)
	}
}

// The audit log is read a page at a time from the last entry of the page
// before, newest first, each entry once; a deep offset is refused.
func TestAuditLogPagesByID(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		appendAudit(t, s, 23)
		want := auditIDs(t, s) // oldest first
		slices.Reverse(want)
		var got []int64
		for f := (AuditFilter{Limit: 5}); ; {
			page, err := s.AuditLog(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				got = append(got, e.ID)
			}
			if len(page) < f.Limit {
				break
			}
			f.Before = page[len(page)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("pages by id: %v, want %v", got, want)
		}
		_, err := s.AuditLog(t.Context(), AuditFilter{Offset: MaxActivityOffset + 1})
		wantError(t, err, nscl.EINVALID, "offset")
	})
}
