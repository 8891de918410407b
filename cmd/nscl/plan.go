package main

import (
	"context"
	"fmt"
	"io"

	"nscl/demo"
	"nscl/vnfmt"
	"nscl/web"
)

func runPlan(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return usageError{"dùng (usage): nscl plan list [--json]"}
	}
	return planList(ctx, args[1:], stdout)
}

// planList prints the programme's plans with their periods, units and
// targets, or with --json what GET /api/v1/plans answers.
func planList(ctx context.Context, args []string, stdout io.Writer) error {
	fs, db := newFlags("plan list")
	asJSON := fs.Bool("json", false, "in JSON như GET /api/v1/plans (print JSON as the API gives it)")
	programme := fs.String("programme", demo.ProgrammeCode, "mã chương trình (programme code)")
	st, err := parseAndOpen(ctx, fs, db, args, true)
	if err != nil {
		return err
	}
	defer st.Close()
	prog, err := st.ProgrammeByCode(ctx, *programme)
	if err != nil {
		return err
	}
	plans, err := st.Plans(ctx, prog)
	if err != nil {
		return err
	}
	index, _, err := unitIndex(ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(stdout, web.PlansJSON(index, plans))
	}
	docs, err := st.Documents(ctx)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		fmt.Fprintln(stdout, "Chưa có kế hoạch nào. (No plans.)")
	}
	for _, p := range plans {
		unit := index[p.UnitID]
		fmt.Fprintf(stdout, "Kế hoạch %d (plan %d): %s\n", p.ID, p.ID, p.Name)
		years := fmt.Sprint(p.StartYear)
		if p.EndYear != p.StartYear {
			years += fmt.Sprintf("–%d", p.EndYear)
		}
		fmt.Fprintf(stdout, "  %s %s; đơn vị (unit) %s — %s\n", label("setup."+string(p.Kind)), years, unit.Code, unit.Name)
		for _, d := range docs {
			if d.ID == p.DocumentID {
				fmt.Fprintf(stdout, "  văn bản (document): %s %s\n", d.Type, d.NumberSymbol())
			}
		}
		if len(p.Targets) == 0 {
			fmt.Fprintln(stdout, "  chưa đặt chỉ tiêu (no targets)")
		}
		for _, t := range p.Targets {
			m, _ := prog.Metric(t.Metric)
			fmt.Fprintf(stdout, "  %s: %s %s [%s]\n", m.Name, vnfmt.Int(t.Value), m.Unit, t.Metric)
		}
	}
	return nil
}
