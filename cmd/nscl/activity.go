package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"nscl"
	"nscl/demo"
	"nscl/sheet"
	"nscl/store"
)

// listFlag collects a flag given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runActivity(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return runActivityExport(ctx, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "add" {
		return usageError{"dùng: nscl activity add --unit MÃ --date dd/mm/yyyy --group c --kind training --description \"…\" --qty MÃ=SỐ, hoặc nscl activity export --format csv|xlsx -o TỆP (usage: nscl activity add|export …)"}
	}
	fs, db := newFlags("activity add")
	unit := fs.String("unit", "", "đơn vị báo cáo: mã hoặc tên (reporting unit: code or name)")
	date := fs.String("date", "", "ngày thực hiện, dd/mm/yyyy (date)")
	group := fs.String("group", "", "nhóm nhiệm vụ: a, b, c, d, đ, e (task group letter)")
	kind := fs.String("kind", string(nscl.KindOther), "loại hoạt động (kind): "+kindList())
	description := fs.String("description", "", "nội dung hoạt động (description)")
	source := fs.String("source", "", "nguồn số liệu (where the figures come from)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	same := fs.String("same-as-existing", "", "new: ghi cả khi giống một hoạt động đã có của đơn vị (write even when it looks like a stored activity)")
	var quantities, beneficiaries listFlag
	fs.Var(&quantities, "qty", "số liệu MÃ=SỐ, lặp lại được (quantity CODE=N, repeatable)")
	fs.Var(&beneficiaries, "beneficiary", "mã số thuế doanh nghiệp thụ hưởng, lặp lại được (beneficiary tax code, repeatable)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a := nscl.Activity{TaskGroup: *group, Kind: nscl.ActivityKind(*kind), Description: *description, Source: *source, Beneficiaries: beneficiaries}
	for _, raw := range quantities {
		code, value, ok := strings.Cut(raw, "=")
		if !ok {
			return nscl.Invalid("qty", "%q phải có dạng MÃ=SỐ", "%q must look like CODE=N", raw)
		}
		code = strings.TrimSpace(code)
		n, err := nscl.ParseQuantity("quantities."+code, value)
		if err != nil {
			return err
		}
		a.Quantities = append(a.Quantities, nscl.Quantity{Metric: code, Value: n})
	}
	day, err := nscl.ParseDate("date", *date)
	if err != nil {
		return err
	}
	a.Date = day
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	u, err := st.UnitNamed(ctx, *unit)
	if err != nil {
		return err
	}
	a.UnitID = u.ID
	if *same != "" && *same != "new" {
		return nscl.Invalid("same-as-existing", "--same-as-existing chỉ nhận new, không phải %q", "--same-as-existing takes only new, not %q", *same)
	}
	if *same != "new" {
		// One activity counts once: a stored one it looks like is named first.
		alikes, err := st.LookAlikes(ctx, prog, a)
		if err != nil {
			return err
		}
		if len(alikes) > 0 {
			var named []string
			for _, x := range alikes {
				named = append(named, fmt.Sprintf("số %d: ngày %s, “%s”", x.ID, x.Date.Format("02/01/2006"), x.Description))
			}
			list := strings.Join(named, "; ")
			return nscl.Conflict("same-as-existing", "hoạt động này giống hoạt động đã có (%s); nếu là cùng hoạt động, hãy sửa hoạt động đó; nếu là hoạt động khác, thêm --same-as-existing=new",
				"this activity looks like a stored one (%s); if it is the same, edit that one; if it is another, add --same-as-existing=new", list)
		}
	}
	if err := st.CreateActivity(ctx, prog, &a); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã thêm hoạt động số %d cho %s. (Activity %d added.)\n", a.ID, u.Name, a.ID)
	return nil
}

func kindList() string {
	names := make([]string, len(nscl.ActivityKinds))
	for i, k := range nscl.ActivityKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// runActivityExport writes activities as the activity sheet (.csv or
// .xlsx), which `nscl import` reads back: corrected figures update their
// activities.
func runActivityExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("activity export")
	format := fs.String("format", "csv", "định dạng (format): csv hoặc xlsx")
	output := fs.String("o", "", "ghi ra tệp (write to FILE); csv có thể ra màn hình")
	year := fs.Int("year", 0, "chỉ năm này (only this year)")
	unit := fs.String("unit", "", "chỉ đơn vị này: mã hoặc tên (only this unit: code or name)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if *format != "csv" && *format != "xlsx" {
		return usageError{"--format phải là csv hoặc xlsx (--format must be csv or xlsx)"}
	}
	if *format == "xlsx" && *output == "" {
		return usageError{"định dạng xlsx cần -o TỆP (xlsx needs -o FILE)"}
	}
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	f := store.ActivityFilter{Year: *year}
	if *unit != "" {
		u, err := st.UnitNamed(ctx, *unit)
		if err != nil {
			return err
		}
		f.UnitID = u.ID
	}
	units, err := st.Units(ctx)
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	each := func(fn func(nscl.Activity) error) error { return st.EachActivity(ctx, prog, f, fn) }
	return writeOutput(*output, stdout, func(w io.Writer) error {
		return sheet.WriteActivities(w, *format, prog, each, func(id int64) string { return codes[id] })
	})
}
