// Command nscl runs the programme monitoring and reporting system: the web
// server, the demo data, the results report and data entry from the shell.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"nscl"
	"nscl/store"
)

// command is one subcommand of nscl.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout io.Writer) error
}

var commands = map[string]command{
	"serve":    {"chạy máy chủ web (start the web server)", runServe},
	"demo":     {"nạp dữ liệu mẫu: báo cáo năm 2022 của Sở KHCN TP.HCM (load the demo programme)", runDemo},
	"report":   {"in bảng kết quả của một năm (print a year's results table)", runReport},
	"activity": {"thêm hoạt động: nscl activity add … (add an activity)", runActivity},
	"check":    {"đối chiếu số tổng với dữ liệu gốc, kiểm tra chuỗi nhật ký thao tác (check kept totals against raw activities, and the audit log's chain)", runCheck},
	"audit":    {"xuất nhật ký thao tác kèm mã băm: nscl audit export (export the audit log with its hashes)", runAudit},
	"import":   {"nhập hoạt động từ .xlsx/.csv (tất cả hoặc không), hoặc tệp JSON trao đổi (import activities or an exchange file)", runImport},
	"template": {"tệp mẫu Excel của một đợt báo cáo cho một đơn vị (a round's Excel template for a unit)", runTemplate},
	"export":   {"xuất chương trình hoặc số liệu tổng hợp ra tệp JSON (export a programme or a unit's summary as JSON)", runExport},
	"user":     {"tài khoản: nscl user add|passwd|list|token|tokens|revoke-token (accounts)", runUser},
	"unit":     {"đơn vị báo cáo: nscl unit add|edit|close|move|list (org units)", runUnit},
	"round":    {"đợt báo cáo: nscl round open|list|close (reporting rounds)", runRound},
	"plan":     {"kế hoạch và chỉ tiêu: nscl plan list (plans and targets)", runPlan},
	"portal":   {"cổng thông tin tính vào đâu: nscl portal counting [--group …] (where the portal counts: show, or set)", runPortal},
	"bench":    {"đo hiệu năng trên dữ liệu cả nước sinh ra (measure performance on a generated national programme)", runBench},
	"backup":   {"sao lưu toàn bộ cơ sở dữ liệu vào một tệp, cả khi máy chủ đang chạy (back up the whole database to a file, also while serving)", runBackup},
	"restore":  {"khôi phục cơ sở dữ liệu từ bản sao lưu, khi máy chủ đã dừng (restore the database from a backup, with the server stopped)", runRestore},
}

// usageError is a mistake in how nscl was called; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "nscl:", err)
	var usage usageError
	if errors.As(err, &usage) || errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("không có lệnh %q; xem `nscl help` (unknown command %q; see `nscl help`)", args[0], args[0])}
	}
	return cmd.run(ctx, args[1:], stdout)
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "nscl — theo dõi và báo cáo Chương trình năng suất chất lượng (programme monitoring and reporting)")
	fmt.Fprintln(w, "\nCách dùng (usage): nscl <lệnh> [tùy chọn]\n\nCác lệnh (commands):")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "  help      in hướng dẫn này (this help)")
	fmt.Fprintln(w, "\n`nscl <lệnh> -h` liệt kê tùy chọn của lệnh (lists a command's options).")
	fmt.Fprintln(w, "Cơ sở dữ liệu (database): --db FILE cho SQLite (mặc định nscl.db, hoặc biến NSCL_DB), --db postgres://… cho PostgreSQL.")
}

// newFlags returns a flag set for a subcommand with the --db flag every
// subcommand shares.
func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("nscl "+name, flag.ContinueOnError)
	defaultDB := os.Getenv("NSCL_DB")
	if defaultDB == "" {
		defaultDB = "nscl.db"
	}
	db := fs.String("db", defaultDB, "tệp SQLite hoặc địa chỉ postgres:// (SQLite file or postgres:// URL)")
	return fs, db
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("thừa tham số %q (unexpected argument %q)", fs.Arg(0), fs.Arg(0))}
	}
	return nil
}

// parseAndOpen parses a subcommand's flags and opens its database.
// db is read after parsing, so that --db is honoured.
func parseAndOpen(ctx context.Context, fs *flag.FlagSet, db *string, args []string, mustExist bool) (*store.Store, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return openStore(ctx, *db, mustExist)
}

// openStore opens the database; for commands that only read, an SQLite
// file that does not exist yet is an error rather than a new empty database.
func openStore(ctx context.Context, dsn string, mustExist bool) (*store.Store, error) {
	if mustExist && !store.IsPostgres(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			return nil, nscl.Invalid("db", "không có tệp %s; hãy chạy `nscl demo --db %s` hoặc chỉ định --db", "%s does not exist; run `nscl demo --db %s` or give --db", dsn, dsn)
		}
	}
	return store.Open(ctx, dsn)
}
