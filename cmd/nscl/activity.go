package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"nscl"
	"nscl/demo"
)

// listFlag collects a flag given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runActivity(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"dùng: nscl activity add --unit MÃ --date dd/mm/yyyy --group c --kind training --description \"…\" --qty MÃ=SỐ (usage: nscl activity add …)"}
	}
	fs, db := newFlags("activity add")
	unit := fs.String("unit", "", "mã đơn vị báo cáo (reporting unit code)")
	date := fs.String("date", "", "ngày thực hiện, dd/mm/yyyy (date)")
	group := fs.String("group", "", "nhóm nhiệm vụ: a, b, c, d, đ, e (task group letter)")
	kind := fs.String("kind", string(nscl.KindOther), "loại hoạt động (kind): "+kindList())
	description := fs.String("description", "", "nội dung hoạt động (description)")
	source := fs.String("source", "", "nguồn số liệu (where the figures come from)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
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
	u, err := st.UnitByCode(ctx, *unit)
	if err != nil {
		return err
	}
	a.UnitID = u.ID
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
