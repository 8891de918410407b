package main

import (
	"context"
	"fmt"
	"io"
)

func runCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("check")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	diffs, err := st.CheckTotals(ctx)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d số tổng lệch với dữ liệu gốc (%d kept totals differ from the raw activities)", len(diffs), len(diffs))
	}
	fmt.Fprintln(stdout, "Số tổng, phần đã duyệt và phần chưa duyệt, khớp với dữ liệu gốc. (Kept totals, approved and pending, match the raw activities.)")
	return nil
}
