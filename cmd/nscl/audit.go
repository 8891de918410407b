package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"nscl/store"
)

func runAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		return usageError{"dùng (usage): nscl audit export [--db DB] --format csv|json [-o FILE]"}
	}
	return auditExport(ctx, args[1:], stdout)
}

// auditExport writes every audit entry with its hashes, oldest first, one
// entry at a time, so that the chain can be verified outside nscl
// (docs/operations.md, "Audit log").
func auditExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("audit export")
	format := fs.String("format", "", "định dạng (format): csv|json")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var writeEntries func(ctx context.Context, st *store.Store, w io.Writer) (store.AuditChain, error)
	switch *format {
	case "csv":
		writeEntries = auditCSV
	case "json":
		writeEntries = auditJSON
	default:
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng --format csv hoặc json (format %q is not supported; use --format csv or json)", *format, *format)}
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var chain store.AuditChain
	write := func(w io.Writer) error {
		buf := bufio.NewWriter(w)
		if chain, err = writeEntries(ctx, st, buf); err != nil {
			return err
		}
		return buf.Flush()
	}
	if *output == "" || *output == "-" {
		return write(stdout)
	}
	if err := writeFileAtomically(*output, write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã xuất %d mục nhật ký thao tác ra %s; mục cuối %d, mã băm %s. (Wrote %d audit entries to %s; the last is %d, hash %s.)\n",
		chain.Entries, *output, chain.LastID, chain.LastHash, chain.Entries, *output, chain.LastID, chain.LastHash)
	return nil
}

// auditRecord is an entry as the export writes it: the fields its hash
// covers in the form the hash reads them, then the hashes. user_email,
// for the reader, is not covered: an account's address may change.
type auditRecord struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	UserID    string `json:"user_id"` // "" for the system
	UserEmail string `json:"user_email"`
	Action    string `json:"action"`
	Entity    string `json:"entity"`
	EntityID  string `json:"entity_id"`
	OldValues string `json:"old_values"`
	NewValues string `json:"new_values"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
}

var auditHeader = []string{"id", "at", "user_id", "user_email", "action", "entity", "entity_id", "old_values", "new_values", "prev_hash", "hash"}

func recordOf(e store.AuditEntry) auditRecord {
	return auditRecord{e.ID, e.AtText(), e.UserText(), e.UserEmail, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash}
}

func auditCSV(ctx context.Context, st *store.Store, w io.Writer) (store.AuditChain, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(auditHeader); err != nil {
		return store.AuditChain{}, err
	}
	chain, err := st.WalkAudit(ctx, func(e store.AuditEntry) error {
		r := recordOf(e)
		return cw.Write([]string{strconv.FormatInt(r.ID, 10), r.At, r.UserID, r.UserEmail, r.Action, r.Entity, r.EntityID, r.OldValues, r.NewValues, r.PrevHash, r.Hash})
	})
	if err != nil {
		return chain, err
	}
	cw.Flush()
	return chain, cw.Error()
}

// auditJSON writes a JSON array, an entry to a line.
func auditJSON(ctx context.Context, st *store.Store, w io.Writer) (store.AuditChain, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	sep := "[\n"
	chain, err := st.WalkAudit(ctx, func(e store.AuditEntry) error {
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		sep = ","
		return enc.Encode(recordOf(e))
	})
	if err != nil {
		return chain, err
	}
	if sep == "[\n" {
		_, err = io.WriteString(w, "[\n]\n")
	} else {
		_, err = io.WriteString(w, "]\n")
	}
	return chain, err
}
