package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"nscl"

	"nscl/demo"
	"nscl/pdf"
	"nscl/report"
)

func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("report")
	year := fs.Int("year", 0, "năm báo cáo (report year), ví dụ 2022")
	unit := fs.String("unit", "", "mã đơn vị (unit code); mặc định đơn vị có kế hoạch 05 năm")
	format := fs.String("format", "text", "định dạng (format): text, md, json, docx, pdf (docx và pdf cần -o)")
	output := fs.String("o", "", "ghi ra tệp thay vì màn hình (write to FILE)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *year == 0 {
		return usageError{"thiếu --year (--year is required)"}
	}
	write, ok := map[string]func(io.Writer, *report.Report) error{
		"text": report.WriteText, "md": report.WriteMarkdown, "json": report.WriteJSON, "docx": nil, "pdf": nil,
	}[*format]
	if !ok {
		return usageError{fmt.Sprintf("định dạng %q không hỗ trợ; dùng text, md, json, docx hoặc pdf (format %q is not supported; use text, md, json, docx or pdf)", *format, *format)}
	}
	word := *format == "docx" || *format == "pdf"
	if word && *output == "" {
		return usageError{"định dạng docx và pdf cần -o TỆP (docx and pdf need -o FILE)"}
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
	if word {
		texts, err := st.ReportTexts(ctx, rep.Programme, rep.Unit.ID, rep.Year)
		if err != nil {
			return err
		}
		head := nscl.ReportHeadFrom(texts)
		if head.Agency == "" {
			head = defaultHead(rep)
		}
		narrative := texts
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
		if *format == "pdf" {
			write = func(w io.Writer, _ *report.Report) error {
				var doc bytes.Buffer
				if err := report.WriteWord(&doc, in); err != nil {
					return err
				}
				out, err := pdf.FromDocx(ctx, doc.Bytes())
				if err != nil {
					return err
				}
				_, err = w.Write(out)
				return err
			}
		}
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
		os.Remove(*output) // leave no half-written file behind
		return err
	}
	return f.Close()
}

// defaultHead is a letterhead made from the report's unit alone.
func defaultHead(rep *report.Report) nscl.ReportHead {
	return nscl.ReportHead{Agency: rep.Unit.Name, NumberSymbol: "Số:        /BC", Place: "", Date: time.Now(),
		Subject: fmt.Sprintf("Kết quả thực hiện năm %d của %s", rep.Year, rep.Programme.Name)}
}
