package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"nscl/demo"
	"nscl/exchange"
)

// runExport writes a whole programme, or one unit's figures for a year,
// as a JSON exchange file (docs/exchange.md).
func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("export")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	format := fs.String("format", "json", "định dạng (format): json")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	summary := fs.Bool("summary", false, "chỉ xuất số liệu tổng hợp của một đơn vị trong một năm, cho cấp trên nhập (one unit's figures for a year, for the level above to import)")
	unit := fs.String("unit", "", "mã đơn vị, với --summary (unit code, with --summary)")
	year := fs.Int("year", 0, "năm, với --summary (year, with --summary)")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *format != "json":
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng json (format %q is not supported; use json)", *format, *format)}
	case *summary && (*unit == "" || *year == 0):
		return usageError{"--summary cần --unit MÃ và --year NĂM (--summary needs --unit CODE and --year YEAR)"}
	case !*summary && (*unit != "" || *year != 0):
		return usageError{"--unit và --year chỉ dùng với --summary (--unit and --year go with --summary)"}
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	write := func(w io.Writer) error { return exchange.Export(ctx, st, *programme, w) }
	what := fmt.Sprintf("chương trình %s (programme %s)", *programme, *programme)
	if *summary {
		write = func(w io.Writer) error { return exchange.ExportSummary(ctx, st, *programme, *unit, *year, w) }
		what = fmt.Sprintf("số liệu tổng hợp năm %d của %s (the %d summary of %s)", *year, *unit, *year, *unit)
	}
	if *output == "" || *output == "-" {
		return write(stdout)
	}
	if err := writeFileAtomically(*output, write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã xuất %s ra %s.\n", what, *output)
	return nil
}

// writeFileAtomically writes path through a temporary file beside it, so
// that a failed export leaves neither half a file nor a damaged older one.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".nscl-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
