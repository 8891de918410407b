package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"nscl/auth"

	"nscl/demo"
	"nscl/store"
)

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("demo")
	st, err := parseAndOpen(ctx, fs, db, args, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return loadDemo(ctx, st, stdout)
}

// loadDemo loads the demo programme (once) and the demo accounts, whose
// password comes from NSCL_DEMO_PASSWORD or is drawn afresh and printed.
func loadDemo(ctx context.Context, st *store.Store, stdout io.Writer) error {
	sum, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	if sum.AlreadyLoaded {
		fmt.Fprintln(stdout, "Dữ liệu mẫu đã có sẵn, không ghi thêm. (Demo already loaded; nothing written.)")
	} else {
		fmt.Fprintf(stdout, "Đã nạp dữ liệu mẫu: %d văn bản, %d đơn vị, %d kế hoạch, %d hoạt động. (Demo loaded.)\n",
			sum.Documents, sum.Units, sum.Plans, sum.Activities)
	}
	password, fromEnv := os.LookupEnv("NSCL_DEMO_PASSWORD")
	if !fromEnv || password == "" {
		password = auth.RandomPassword()
	}
	if err := demo.LoadAccounts(ctx, st, password); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Tài khoản mẫu (demo accounts):")
	for _, a := range demo.Accounts {
		fmt.Fprintf(stdout, "  %-20s %s\n", a.Email, a.Role)
	}
	if fromEnv && password != "" {
		fmt.Fprintln(stdout, "  mật khẩu: giá trị của NSCL_DEMO_PASSWORD (password: the value of NSCL_DEMO_PASSWORD)")
	} else {
		fmt.Fprintf(stdout, "  mật khẩu (password): %s\n", password)
	}
	return nil
}
