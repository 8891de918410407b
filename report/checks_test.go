package report

import (
	"context"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
)

func TestChecksOnTheDemoAreClean(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	rep, err := Build(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewWordInput(ctx, st, rep, nscl.ReportHead{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	problems, err := Checks(ctx, st, in)
	if err != nil || len(problems) != 0 {
		t.Fatalf("the demo's 2022 report should pass its checks: %v %v", problems, err)
	}
	// An activity outside the unit's subtree would not be listed; here we
	// drop one listed activity to show the footnote sum check fires.
	in.ByGroup["c"] = in.ByGroup["c"][1:] // without "Hướng dẫn cho 01 doanh nghiệp…"
	problems, _ = Checks(ctx, st, in)
	if len(problems) != 1 || !strings.Contains(problems[0], "336") || !strings.Contains(problems[0], "335") {
		t.Errorf("a footnote missing one enterprise: %v", problems)
	}
}
