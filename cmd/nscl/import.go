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

	"nscl"
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
	var mapped, ignores listFlag
	fs.Var(&mapped, "map", "cột riêng của đơn vị là chỉ tiêu nào, “TÊN CỘT=MÃ”, lặp lại được; được nhớ cho lần nhập sau của đơn vị (read a column of the unit's own as a metric, repeatable, remembered)")
	fs.Var(&ignores, "ignore", "cột riêng của đơn vị không đọc, lặp lại được; được nhớ cho lần nhập sau (a column of the unit's own not to read, repeatable, remembered)")
	same := fs.String("same-as-existing", "", "dòng giống hoạt động đã có: link = là hoạt động đó (cập nhật nó), new = hoạt động khác (ghi mới) (a row that looks like a stored activity: link or new)")
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
	req := importer.Request{Programme: prog, Path: path, RoundID: *round, Columns: map[string]string{}}
	for _, m := range mapped {
		heading, code, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(heading) == "" || strings.TrimSpace(code) == "" {
			return nscl.Invalid("map", "--map %q phải có dạng \"TÊN CỘT=MÃ CHỈ TIÊU\"", "--map %q must look like \"HEADING=METRIC CODE\"", m)
		}
		req.Columns[strings.TrimSpace(heading)] = strings.TrimSpace(code)
	}
	for _, heading := range ignores {
		req.Columns[strings.TrimSpace(heading)] = ""
	}
	switch *same {
	case "", importer.LinkAll, importer.NewAll:
		req.SameAsExisting = *same
	default:
		return nscl.Invalid("same-as-existing", "--same-as-existing phải là link hoặc new, không phải %q", "--same-as-existing must be link or new, not %q", *same)
	}
	// Rows without a figure are told before anything is written.
	req.Confirm = func(warnings []importer.Problem) bool {
		for _, w := range warnings {
			fmt.Fprintln(stdout, "Lưu ý (warning): "+w.String())
		}
		return true
	}
	progress, done := progressOf(os.Stderr)
	req.Progress = progress
	res, err := importer.Import(ctx, st, req)
	done()
	if err != nil {
		return err
	}
	for _, c := range res.Read {
		how := "theo --map, nhớ cho đơn vị khi tệp được ghi (as --map says, remembered for the unit once written)"
		if c.Remembered {
			how = "theo lựa chọn đã lưu của đơn vị (as the unit chose before)"
		}
		fmt.Fprintf(stdout, "Cột %s được đọc là %s, %s\n", c.Column, c.Metric, how)
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(stdout, "Các cột không thuộc mẫu, trống hoặc đã chọn bỏ qua, không được đọc (columns not read: empty, or ignored): %s\n", strings.Join(res.Ignored, ", "))
	}
	if len(res.Problems) > 0 {
		for _, p := range res.Problems {
			fmt.Fprintln(stdout, p)
		}
		for _, w := range res.Warnings {
			fmt.Fprintln(stdout, "Lưu ý (warning): "+w.String())
		}
		for _, u := range res.Unmapped {
			example := "MÃ"
			if len(u.Candidates) > 0 {
				example = u.Candidates[0].Code
			}
			fmt.Fprintf(stdout, "Cột %s: thêm --map %q hoặc --ignore %q (add --map or --ignore)\n", u.Column, u.Heading+"="+example, u.Heading)
		}
		if len(res.LookAlikes) > 0 {
			fmt.Fprintln(stdout, "Dòng giống hoạt động đã có: thêm --same-as-existing=link nếu là cùng hoạt động (cập nhật hoạt động đó), hoặc --same-as-existing=new nếu là hoạt động khác (rows that look like stored activities: add --same-as-existing=link or =new)")
		}
		more := ""
		if res.MoreProblems {
			more = fmt.Sprintf(" (chỉ liệt kê %d lỗi đầu)", importer.MaxProblems)
		}
		return fmt.Errorf("tệp có lỗi hoặc cần lựa chọn%s; chưa ghi dòng nào (the file has mistakes or needs a choice; nothing was written)", more)
	}
	linked, linkedEn := "", ""
	if res.Linked > 0 {
		linked, linkedEn = fmt.Sprintf("; %d dòng ghi vào hoạt động đã có", res.Linked), fmt.Sprintf("; %d onto stored activities", res.Linked)
	}
	fmt.Fprintf(stdout, "Đã nhập %d dòng: %d hoạt động mới, %d cập nhật, %d không đổi%s (imported %d rows: %d new, %d updated, %d unchanged%s)\n",
		res.Rows, res.Created, res.Updated, res.Unchanged, linked, res.Rows, res.Created, res.Updated, res.Unchanged, linkedEn)
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
