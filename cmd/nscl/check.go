package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"nscl"
	"nscl/store"
)

// runCheck compares the kept totals and activity counts with the raw activities and verifies
// the audit log's chain; it fails when either is wrong.
func runCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("check")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	return checkStore(ctx, st, stdout)
}

// checkStore is `nscl check` on an open database: it prints what it finds
// and fails when the kept totals or the audit log's chain are wrong.
func checkStore(ctx context.Context, st *store.Store, stdout io.Writer) error {
	diffs, err := st.CheckTotals(ctx)
	if err != nil {
		return err
	}
	var totalsErr error
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	if len(diffs) > 0 {
		totalsErr = fmt.Errorf("%d số tổng lệch với dữ liệu gốc (%d kept totals differ from the raw activities)", len(diffs), len(diffs))
	} else {
		fmt.Fprintln(stdout, "Số tổng, phần đã duyệt và phần chưa duyệt, và số hoạt động khớp với dữ liệu gốc. (Kept totals, approved and pending, match the raw activities, and so do the activity counts.)")
	}
	chain, auditErr := st.CheckAudit(ctx)
	switch {
	case auditErr != nil && nscl.ErrorCode(auditErr) != nscl.EINVALID:
		return auditErr // the database failed, not the chain
	case auditErr == nil:
		// The last hash, noted elsewhere, shows later whether the log was rebuilt.
		fmt.Fprintf(stdout, "Nhật ký thao tác nguyên vẹn: %d mục, mục cuối %d, mã băm %s. (The audit log's chain is intact: %d entries, the last %d, hash %s.)\n",
			chain.Entries, chain.LastID, chain.LastHash, chain.Entries, chain.LastID, chain.LastHash)
	}
	return errors.Join(totalsErr, auditErr)
}
