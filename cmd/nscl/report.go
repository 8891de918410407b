package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"nscl/demo"
	"nscl/report"
)

func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("report")
	year := fs.Int("year", 0, "năm báo cáo (report year), ví dụ 2022")
	unit := fs.String("unit", "", "mã đơn vị (unit code); mặc định đơn vị có kế hoạch 05 năm")
	format := fs.String("format", "text", "định dạng (format): text, md, json")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return usageError{"thiếu --year (--year is required)"}
	}
	write, ok := map[string]func(io.Writer, *report.Report) error{
		"text": report.WriteText, "md": report.WriteMarkdown, "json": report.WriteJSON,
	}[*format]
	if !ok {
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng text, md hoặc json (format %q is not supported; use text, md or json)", *format, *format)}
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := report.Build(ctx, st, report.Request{Programme: *programme, Unit: *unit, Year: *year})
	if err != nil {
		return err
	}
	if *output == "" {
		return write(stdout, rep)
	}
	f, err := os.Create(*output)
	if err != nil {
		return err
	}
	if err := write(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
