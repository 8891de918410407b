package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"nscl/demo"
	"nscl/importer"
)

// runImport brings a file into the database: a unit's activities as .xlsx
// or .csv (all rows or none), or a JSON exchange file.
func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("import")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	round := fs.Int64("round", 0, "số đợt báo cáo: ngày phải nằm trong kỳ của đợt (reporting round ID); mặc định lấy từ tệp mẫu")
	parent := fs.String("parent", "", "tệp tổng hợp của tỉnh (.json): mã đơn vị cha để nhập vào (parent unit code for a province summary)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"thiếu tên tệp: nscl import [tùy chọn] TỆP (.xlsx, .csv, .json) (the file is missing)"}
	}
	path := fs.Arg(0)
	if err := parse(fs, fs.Args()[1:]); err != nil { // options may also follow the file
		return err
	}
	exchangeFile := strings.EqualFold(filepath.Ext(path), ".json")
	st, err := openStore(ctx, *db, !exchangeFile) // an exchange file may start a new database
	if err != nil {
		return err
	}
	defer st.Close()
	if exchangeFile {
		return importExchange(ctx, st, path, *parent, stdout)
	}
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	progress, done := progressOf(os.Stderr)
	res, err := importer.Import(ctx, st, importer.Request{Programme: prog, Path: path, RoundID: *round, Progress: progress})
	done()
	if err != nil {
		return err
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(stdout, "Các cột không thuộc mẫu, không được đọc (columns not read): %s\n", strings.Join(res.Ignored, ", "))
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintln(stdout, p)
		}
		more := ""
		if res.MoreProblems {
			more = fmt.Sprintf(" (chỉ liệt kê %d lỗi đầu)", importer.MaxProblems)
		}
		return fmt.Errorf("tệp có lỗi%s; chưa ghi dòng nào — hãy sửa và nhập lại (the file has mistakes; nothing was written)", more)
	}
	fmt.Fprintf(stdout, "Đã nhập %d dòng: %d hoạt động mới, %d cập nhật, %d không đổi (imported %d rows: %d new, %d updated, %d unchanged)\n",
		res.Rows, res.Created, res.Updated, res.Unchanged, res.Rows, res.Created, res.Updated, res.Unchanged)
	return nil
}

// progressOf shows an import's progress: a bar on a terminal, a log line
// every so often otherwise (a CI log, a redirected output). done ends it.
func progressOf(w *os.File) (progress func(pass string, done, total int), done func()) {
	if !term.IsTerminal(int(w.Fd())) {
		log := slog.New(slog.NewTextHandler(w, nil))
		last := 0
		return func(pass string, n, total int) {
			if n-last >= 10000 || (total > 0 && n == total) {
				log.Info("import", "pass", pass, "rows", n)
				last = n
			}
		}, func() {}
	}
	var bar *progressbar.ProgressBar
	current := ""
	return func(pass string, n, total int) {
			if pass != current {
				if bar != nil {
					bar.Finish()
				}
				bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(pass), progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000))
				current = pass
			}
			bar.Set(n)
		}, func() {
			if bar != nil {
				bar.Finish()
				fmt.Fprintln(w)
			}
		}
}

// runTemplate writes a round's Excel template for a unit.
func runTemplate(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("template")
	round := fs.Int64("round", 0, "số đợt báo cáo (reporting round ID)")
	unit := fs.String("unit", "", "mã đơn vị (unit code)")
	output := fs.String("o", "", "tệp .xlsx ghi ra (the .xlsx FILE to write)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if *round == 0 || *unit == "" || *output == "" {
		return usageError{"cần --round, --unit và -o TỆP.xlsx (--round, --unit and -o FILE.xlsx are required)"}
	}
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	t, err := importer.Template(ctx, st, prog, *round, *unit)
	if err != nil {
		return err
	}
	if err := writeOutput(*output, stdout, t.Write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã ghi tệp mẫu %s cho %s, đợt %d (wrote the template)\n", *output, t.Unit.Name, *round)
	return nil
}
