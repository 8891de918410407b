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
	format := fs.String("format", "text", "định dạng (format): text, md, json, csv, html, docx, xlsx, pdf (docx, xlsx và pdf cần -o)")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return usageError{"thiếu --year (--year is required)"}
	}
	write, ok := map[string]func(io.Writer, *report.Report) error{
		"text": report.WriteText, "md": report.WriteMarkdown, "json": report.WriteJSON, "csv": report.WriteCSV,
	}[*format]
	_, document := report.DocumentTypes[*format]
	document = document && !ok // csv is written from the results alone
	if !ok && !document {
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng text, md, json, csv, html, docx, xlsx hoặc pdf (format %q is not supported; use text, md, json, csv, html, docx, xlsx or pdf)", *format, *format)}
	}
	if document && *format != "html" && *output == "" {
		return usageError{"định dạng docx, xlsx và pdf cần -o TỆP (docx, xlsx and pdf need -o FILE)"}
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	req := report.Request{Programme: *programme, Unit: *unit, Year: *year}
	rep, err := report.Build(ctx, st, req)
	if err != nil {
		return err
	}
	if document {
		in, _, err := report.Gather(ctx, st, req)
		if err != nil {
			return err
		}
		problems, err := report.Checks(ctx, st, in)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "Cảnh báo (warning):", p)
		}
		write = func(w io.Writer, _ *report.Report) error { return report.WriteDocument(ctx, w, *format, in) }
	}
	return writeOutput(*output, stdout, func(w io.Writer) error { return write(w, rep) })
}

// writeOutput writes to the file named (stdout when none), leaving no
// half-written file behind when writing fails.
func writeOutput(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "" {
		return write(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	return f.Close()
}
