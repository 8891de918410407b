package main

import (
	"context"
	"fmt"
	"io"

	"nscl/demo"
	"nscl/store"
)

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("demo")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return loadDemo(ctx, st, stdout)
}

func loadDemo(ctx context.Context, st *store.Store, stdout io.Writer) error {
	sum, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	if sum.AlreadyLoaded {
		fmt.Fprintln(stdout, "Dữ liệu mẫu đã có sẵn, không ghi thêm. (Demo already loaded; nothing written.)")
		return nil
	}
	fmt.Fprintf(stdout, "Đã nạp dữ liệu mẫu: %d văn bản, %d đơn vị, %d kế hoạch, %d hoạt động. (Demo loaded.)\n",
		sum.Documents, sum.Units, sum.Plans, sum.Activities)
	return nil
}
