package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// auditedDB is the demo with writes of its own after it: a unit added by
// the focal point and an activity added by the system.
func auditedDB(t *testing.T) string {
	t.Helper()
	db := demoDB(t)
	for _, args := range [][]string{
		{"unit", "add", "--code", "CT-SKHCN", "--name", "Sở Khoa học và Công nghệ Thành phố Cần Thơ", "--level", "department", "--parent", "HCM", "--as", "focal@demo.local"},
		{"activity", "add", "--unit", "HCM-THUDUC", "--date", "02/05/2023", "--group", "d", "--kind", "training",
			"--description", "Lớp \"Kaizen\" cho doanh nghiệp, khóa 3;\nbuổi chiều", "--qty", "training_enterprises=4", "--qty", "trainees=61"},
	} {
		if out, err := nsclRun(t, append(args, "--db", db)...); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return db
}

// entryHash computes an exported entry's hash after prev as
// docs/operations.md tells a reader outside nscl to.
func entryHash(prev string, e map[string]string) string {
	var input bytes.Buffer
	for _, f := range []string{prev, e["at"], e["user_id"], e["action"], e["entity"], e["entity_id"], e["old_values"], e["new_values"]} {
		input.WriteString(strconv.Itoa(len(f)))
		input.WriteByte(':')
		input.WriteString(f)
		input.WriteByte(',')
	}
	sum := sha256.Sum256(input.Bytes())
	return hex.EncodeToString(sum[:])
}

// verifyChain follows the chain of exported entries and returns the last
// hash, or says which entry breaks it.
func verifyChain(entries []map[string]string) (string, error) {
	prev := ""
	for _, e := range entries {
		if e["prev_hash"] != prev || e["hash"] != entryHash(prev, e) {
			return "", fmt.Errorf("entry %s breaks the chain", e["id"])
		}
		prev = e["hash"]
	}
	return prev, nil
}

func exportAudit(t *testing.T, db, format string) []map[string]string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "audit."+format)
	if out, err := nsclRun(t, "audit", "export", "--db", db, "--format", format, "-o", file); err != nil {
		t.Fatalf("audit export: %v\n%s", err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var entries []map[string]string
	switch format {
	case "json":
		var raw []map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("the JSON export is not JSON: %v", err)
		}
		for _, r := range raw {
			e := map[string]string{}
			for k, v := range r {
				e[k] = fmt.Sprint(v)
			}
			entries = append(entries, e)
		}
	case "csv":
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("the CSV export: %v", err)
		}
		for _, row := range rows[1:] {
			e := map[string]string{}
			for i, k := range rows[0] {
				e[k] = row[i]
			}
			entries = append(entries, e)
		}
	}
	return entries
}

func TestAuditExportVerifiesOutsideNSCL(t *testing.T) {
	db := auditedDB(t)
	out, err := nsclRun(t, "check", "--db", db)
	if err != nil {
		t.Fatalf("check on an untouched log: %v\n%s", err, out)
	}
	for _, format := range []string{"csv", "json"} {
		entries := exportAudit(t, db, format)
		last, err := verifyChain(entries)
		if err != nil {
			t.Fatalf("%s export: %v", format, err)
		}
		if !strings.Contains(out, fmt.Sprintf("%d entries, the last %s, hash %s", len(entries), entries[len(entries)-1]["id"], last)) {
			t.Errorf("check says %q; the %s export ends at %s with %d entries", out, format, last, len(entries))
		}
		byFocal := entries[len(entries)-2]
		if byFocal["entity"] != "unit" || byFocal["user_email"] != "focal@demo.local" || byFocal["user_id"] == "" {
			t.Errorf("%s export: the unit's entry is %v", format, byFocal)
		}
		if e := entries[len(entries)-1]; e["entity"] != "activity" || e["user_id"] != "" || !strings.Contains(e["new_values"], `Kaizen\" cho doanh nghiệp, khóa 3;\nbuổi chiều`) {
			t.Errorf("%s export: the activity's entry is %v", format, e)
		}
	}
	// The same file on stdout.
	if out, err := nsclRun(t, "audit", "export", "--db", db, "--format", "csv"); err != nil || !strings.HasPrefix(out, "id,at,user_id,") {
		t.Errorf("export to stdout: %v\n%.80s", err, out)
	}
	for _, args := range [][]string{{"audit"}, {"audit", "list"}, {"audit", "export"}, {"audit", "export", "--format", "xml"}} {
		if _, err := nsclRun(t, append(args, "--db", db)...); err == nil {
			t.Errorf("%v accepted", args)
		} else if _, ok := err.(usageError); !ok {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestCheckNamesTheFirstBrokenAuditEntry(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, sqlDB *sql.DB, entries []map[string]string) string // what check must say
	}{
		{"one field", func(t *testing.T, sqlDB *sql.DB, entries []map[string]string) string {
			id := entries[60]["id"]
			mustExec(t, sqlDB, `UPDATE audit_log SET entity_id = '999' WHERE id = ?`, id)
			return "audit entry " + id + " does not match its hash"
		}},
		{"100 rows deleted", func(t *testing.T, sqlDB *sql.DB, entries []map[string]string) string {
			mustExec(t, sqlDB, `DELETE FROM audit_log WHERE id BETWEEN ? AND ?`, entries[10]["id"], entries[109]["id"])
			return fmt.Sprintf("audit entry %s does not follow entry %s", entries[110]["id"], entries[9]["id"])
		}},
		{"one row and its hash", func(t *testing.T, sqlDB *sql.DB, entries []map[string]string) string {
			e := entries[len(entries)-2]
			// Someone who knows the recipe rewrites the hash too.
			e["action"] = "delete"
			e["hash"] = entryHash(e["prev_hash"], e)
			mustExec(t, sqlDB, `UPDATE audit_log SET action = ?, hash = ? WHERE id = ?`, e["action"], e["hash"], e["id"])
			return fmt.Sprintf("audit entry %s does not follow entry %s: entry %s was rewritten", entries[len(entries)-1]["id"], e["id"], e["id"])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := auditedDB(t)
			entries := exportAudit(t, db, "csv")
			sqlDB, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.tamper(t, sqlDB, entries)
			sqlDB.Close()
			out, err := nsclRun(t, "check", "--db", db)
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nhật ký thao tác") {
				t.Fatalf("check after tampering: %v\n%s\nwant it to fail saying %q", err, out, want)
			}
			// The totals are still right, and check says so.
			if !strings.Contains(out, "Kept totals, approved and pending, match") || strings.Contains(out, "is intact") {
				t.Errorf("check printed %q", out)
			}
			// The export, verified outside nscl, shows it too.
			if _, err := verifyChain(exportAudit(t, db, "json")); err == nil {
				t.Error("the tampered export verifies")
			}
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
