package report

import (
	"context"
	"strings"
	"testing"

	"nscl/demo"
)

// The demo's 2022 report, written out in full as the seed is, leaves one
// thing to look at: 2022 has no annual plan with targets on file (the seed
// quotes none of Kế hoạch 1904/KH-SKH-CN's). Gathered as the command line
// prints it, every activity is read and their sum checked.
func TestChecksOnTheDemo(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022, Format: "text"})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Checks(ctx, st, in)
	if err != nil || len(problems) != 1 || !strings.HasPrefix(problems[0], "Chưa có kế hoạch năm 2022") {
		t.Fatalf("the demo's 2022 report: %q %v", problems, err)
	}
	// An activity outside the unit's subtree would not be listed; here we
	// drop one listed activity to show the footnote sum check fires.
	in.ByGroup["c"] = groupOf(in.ByGroup["c"].Cited[1:]...) // without "Hướng dẫn cho 01 doanh nghiệp…"
	problems, _ = Checks(ctx, st, in)
	if len(problems) != 2 || !strings.Contains(problems[0], "336") || !strings.Contains(problems[0], "335") {
		t.Errorf("a footnote missing one enterprise: %q", problems)
	}
}
