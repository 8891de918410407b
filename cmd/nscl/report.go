package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"nscl"

	"nscl/demo"
	"nscl/report"
)

func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("report")
	year := fs.Int("year", 0, "năm báo cáo (report year), ví dụ 2022")
	unit := fs.String("unit", "", "mã đơn vị (unit code); mặc định đơn vị có kế hoạch 05 năm")
	format := fs.String("format", "text", "định dạng (format): text, md, json, docx (docx cần -o)")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return usageError{"thiếu --year (--year is required)"}
	}
	write, ok := map[string]func(io.Writer, *report.Report) error{
		"text": report.WriteText, "md": report.WriteMarkdown, "json": report.WriteJSON, "docx": nil,
	}[*format]
	if !ok {
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng text, md, json hoặc docx (format %q is not supported; use text, md, json or docx)", *format, *format)}
	}
	if *format == "docx" && *output == "" {
		return usageError{"định dạng docx cần -o TỆP (docx needs -o FILE)"}
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
	if *format == "docx" {
		// Until reports keep their own letterhead and narrative (issue 4),
		// the demo programme's come from the seed; others get the units' names.
		head, narrative := defaultHead(rep), map[string]string{}
		if rep.Programme.Code == demo.ProgrammeCode && rep.Year == 2022 {
			head, narrative = demo.ReportHead(), demo.Narrative()
		}
		in, err := report.NewWordInput(ctx, st, rep, head, narrative)
		if err != nil {
			return err
		}
		problems, err := report.Checks(ctx, st, in)
		if err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Fprintln(stdout, "Cảnh báo (warning):", p)
		}
		write = func(w io.Writer, _ *report.Report) error { return report.WriteWord(w, in) }
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

// defaultHead is a letterhead made from the report's unit alone.
func defaultHead(rep *report.Report) nscl.ReportHead {
	return nscl.ReportHead{Agency: rep.Unit.Name, NumberSymbol: "Số:        /BC", Place: "", Date: time.Now(),
		Subject: fmt.Sprintf("Kết quả thực hiện năm %d của %s", rep.Year, rep.Programme.Name)}
}
