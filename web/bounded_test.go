package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// addYearActivities writes n activities of 2023 spread over the units the
// open 2023 round (the demo's third) asks, its months, the task groups
// and a few kinds, in one batch, and returns that round.
func addYearActivities(t *testing.T, ts *testServer, n int) nscl.Round {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	round, _, err := ts.store.Round(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if round.PeriodStart.Year() != 2023 {
		t.Fatalf("round 3 covers %v, want 2023", round.PeriodStart)
	}
	groups := []string{"a", "b", "c", "d", "đ", "e"}
	kinds := []nscl.ActivityKind{nscl.KindWorkshop, nscl.KindArticle, nscl.KindTraining, nscl.KindOther}
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		tx.Batch()
		for i := range n {
			a := &nscl.Activity{UnitID: round.UnitIDs[i%len(round.UnitIDs)], Date: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*11)%365),
				TaskGroup: groups[i%len(groups)], Kind: kinds[i%len(kinds)], Description: fmt.Sprintf("Hoạt động thử số %d của năm", i),
				Quantities: []nscl.Quantity{{Metric: "articles", Value: 1}}, Ref: fmt.Sprintf("thu-%d", i)}
			if _, err := tx.ImportActivity(ctx, prog, a); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return round
}

// boundedPages are the pages that must cost the same whatever the number
// of activities.
var boundedPages = []string{"/report?year=2023", "/rounds/3", "/activities", "/activities?year=2023&group=b", "/"}

// The report page, the round page and the activity list run the same
// number of statements, and stay about the same size, with 100 and with
// 5.000 activities in the year: they read kept counts and a page of rows,
// never every activity.
func TestPagesIssueBoundedQueries(t *testing.T) {
	type cost struct {
		statements int64
		bytes      int
	}
	measure := func(n int) map[string]cost {
		ts := newTestServer(t)
		addYearActivities(t, ts, n)
		focal := ts.client(t, "focal@demo.local")
		out := map[string]cost{}
		for _, page := range boundedPages {
			fetch(t, focal, "GET", ts.URL+page, "", "") // caches warm
			ts.store.Statements.Store(0)
			code, body := fetch(t, focal, "GET", ts.URL+page, "", "")
			if code != 200 {
				t.Fatalf("%s with %d activities: %d %.300s", page, n, code, body)
			}
			out[page] = cost{ts.store.Statements.Load(), len(body)}
		}
		return out
	}
	few, many := measure(100), measure(5000)
	for _, page := range boundedPages {
		t.Logf("%s: %d statements, %d bytes with 100 activities; %d, %d bytes with 5.000", page, few[page].statements, few[page].bytes, many[page].statements, many[page].bytes)
		if few[page].statements != many[page].statements {
			t.Errorf("%s: %d statements with 100 activities, %d with 5.000", page, few[page].statements, many[page].statements)
		}
		if limit := few[page].bytes*5/4 + 2048; many[page].bytes > limit {
			t.Errorf("%s: %d bytes with 5.000 activities, more than %d (100 activities: %d)", page, many[page].bytes, limit, few[page].bytes)
		}
	}
}
