package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"nscl/demo"
	"nscl/report"
)

// checksOut is where `nscl report` prints its checks; tests read them.
var checksOut io.Writer = os.Stderr

func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("report")
	year := fs.Int("year", 0, "năm báo cáo (report year), ví dụ 2022")
	from := fs.Int("from", 0, "năm đầu của báo cáo tổng kết giai đoạn (first year of a period summary), ví dụ 2021")
	to := fs.Int("to", 0, "năm cuối của báo cáo tổng kết giai đoạn (last year of a period summary), ví dụ 2025")
	unit := fs.String("unit", "", "mã đơn vị (unit code); mặc định đơn vị có kế hoạch 05 năm của năm, đơn vị thấp nhất trong cây khi có nhiều")
	format := fs.String("format", "text", "định dạng (format): text, md, json, csv, html, docx, xlsx, pdf (docx, xlsx và pdf cần -o)")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	approvedOnly := fs.Bool("approved-only", false, "chỉ tính số liệu đã được duyệt (count approved submissions only); mặc định tính mọi số liệu và nêu phần chưa duyệt trong các mục kiểm tra")
	boundaries := fs.String("boundaries", "", "ranh giới đơn vị (the tree counted in): year-end — cây đơn vị cuối năm báo cáo (mặc định; cuối giai đoạn cho báo cáo tổng kết), current — cây hiện nay, as-of=dd/mm/yyyy — cây tại một ngày; đơn vị đã sáp nhập được tính cho đơn vị kế tục")
	if err := parse(fs, args); err != nil {
		return err
	}
	period := *from != 0 || *to != 0
	switch {
	case period && *year != 0:
		return usageError{"dùng --year, hoặc --from và --to, không dùng cả hai (use --year, or --from and --to, not both)"}
	case period && (*from == 0 || *to == 0):
		return usageError{"báo cáo tổng kết cần cả --from và --to (a period summary needs both --from and --to)"}
	case !period && *year == 0:
		return usageError{"thiếu --year, hoặc --from và --to (--year, or --from and --to, is required)"}
	}
	_, document := report.DocumentTypes[*format]
	plain := map[string]bool{"text": true, "md": true, "json": true, "csv": true}[*format]
	if !plain && !document {
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng text, md, json, csv, html, docx, xlsx hoặc pdf (format %q is not supported; use text, md, json, csv, html, docx, xlsx or pdf)", *format, *format)}
	}
	if document && !plain && *format != "html" && *output == "" {
		return usageError{"định dạng docx, xlsx và pdf cần -o TỆP (docx, xlsx and pdf need -o FILE)"}
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var write func(io.Writer) error
	var problems []string
	if period {
		pin, err := report.GatherPeriod(ctx, st, report.PeriodRequest{Programme: *programme, Unit: *unit, From: *from, To: *to, ApprovedOnly: *approvedOnly, Boundaries: *boundaries, Format: *format})
		if err != nil {
			return err
		}
		problems = report.PeriodChecks(pin)
		write = func(w io.Writer) error {
			switch *format {
			case "text":
				return report.WritePeriodText(w, pin.Period)
			case "md":
				return report.WritePeriodMarkdown(w, pin.Period)
			case "json":
				return report.WritePeriodJSON(w, pin.Period)
			}
			return report.WritePeriodDocument(ctx, w, *format, pin)
		}
	} else {
		in, err := report.Gather(ctx, st, report.Request{Programme: *programme, Unit: *unit, Year: *year, ApprovedOnly: *approvedOnly, Boundaries: *boundaries, Format: *format})
		if err != nil {
			return err
		}
		if problems, err = report.Checks(ctx, st, in); err != nil {
			return err
		}
		write = func(w io.Writer) error {
			switch *format {
			case "text":
				return report.WriteText(w, in.Report)
			case "md":
				return report.WriteMarkdown(w, in.Report)
			case "json":
				return report.WriteJSON(w, in.Report)
			}
			return report.WriteDocument(ctx, w, *format, in)
		}
	}
	// The checks go to the terminal whatever the format, so that nothing is
	// issued unread; the output itself stays clean for a pipe.
	for _, p := range problems {
		fmt.Fprintln(checksOut, "Kiểm tra (check):", p)
	}
	return writeOutput(*output, stdout, write)
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
