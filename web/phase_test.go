package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/report"
	"nscl/store"
	"nscl/vnfmt"
)

// demoPlan returns the demo's plan of a kind that starts in a year.
func demoPlan(t *testing.T, plans []nscl.Plan, kind nscl.PlanKind, start int) nscl.Plan {
	t.Helper()
	for _, p := range plans {
		if p.Kind == kind && p.StartYear == start {
			return p
		}
	}
	t.Fatalf("the demo has no %s plan from %d", kind, start)
	return nscl.Plan{}
}

func TestDefaultYear(t *testing.T) {
	span := func(from, to int) []int {
		var out []int
		for y := from; y <= to; y++ {
			out = append(out, y)
		}
		return out
	}
	gap := append(span(2021, 2023), span(2026, 2030)...)
	for _, c := range []struct {
		name     string
		planned  []int
		latest   int // latest year with activities, 0 for none
		thisYear int
		want     int
	}{
		{"the latest year with activities", span(2021, 2030), 2022, 2026, 2022},
		{"no activities: this year", span(2021, 2030), 0, 2026, 2026},
		{"activities dated ahead: this year", span(2021, 2030), 2028, 2026, 2026},
		{"activities in a year no plan covers", gap, 2024, 2026, 2026},
		{"no plan covers this year yet", span(2021, 2025), 0, 2026, 2025},
		{"every plan lies ahead", span(2026, 2030), 0, 2024, 2026},
		{"no plan at all: the programme's first year", nil, 2022, 2026, 2021},
	} {
		if got := defaultYear(c.planned, c.latest, c.thisYear, 2021); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// On 3 December 2026 the dashboard offers the second plan's years, opens
// on 2026 once it has activities, measures 2026 against the city's
// 2026–2030 plan and shows the programme's total beside it; 2022 keeps
// its five columns. The report page shows the same table.
func TestThe2026Dashboard(t *testing.T) {
	ts := newTestServer(t)
	ts.app.Now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, nscl.Local) }
	focal := ts.client(t, "focal@demo.local")
	code, body := fetch(t, focal, "GET", ts.URL+"/", "", "")
	if code != 200 {
		t.Fatalf("dashboard: %d\n%s", code, body)
	}
	for _, y := range []int{2021, 2026, 2030} {
		if !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, y)) {
			t.Errorf("the year selector does not offer %d", y)
		}
	}

	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		return tx.CreateActivity(ctx, prog, &nscl.Activity{UnitID: city.ID, Date: time.Date(2026, 4, 8, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
			Description: "Khóa đào tạo chuyên gia năng suất theo chuẩn quốc tế", Quantities: []nscl.Quantity{{Metric: demo.ExpertsCertified, Value: 4}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	code, body = fetch(t, focal, "GET", ts.URL+"/", "", "")
	if code != 200 {
		t.Fatalf("dashboard: %d\n%s", code, body)
	}
	for _, want := range []string{"Kết quả thực hiện năm 2026", "(minh họa) (2026–2030)", "Lũy kế 2021–2030", `data-indicator="experts_certified"`,
		"Kết quả từ đầu giai đoạn 2026–2030 đến hết năm 2026"} {
		if !strings.Contains(body, want) {
			t.Errorf("the 2026 dashboard lacks %q", want)
		}
	}
	// The dashboard counts approved figures: the programme's total by
	// 2026 is what was approved by the end of 2025, as the 2025 report of
	// approved figures has it.
	first, err := report.Build(ctx, ts.store, report.Request{Programme: demo.ProgrammeCode, Unit: demo.UnitCity, Year: 2025, ApprovedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	training := regexp.MustCompile(`data-indicator="training_enterprises">(?s:.*?)<td class="num programme-cumulative">([^<]*)</td>`).FindStringSubmatch(body)
	if want := vnfmt.Int(first.Indicators[0].Cumulative) + " lượt doanh nghiệp"; training == nil || training[1] != want {
		t.Errorf("the programme's total of training: %q, want %q", training, want)
	}

	_, body = fetch(t, focal, "GET", ts.URL+"/?year=2022", "", "")
	if strings.Contains(body, "Lũy kế 2021–2030") || strings.Contains(body, "experts_certified") {
		t.Error("the 2022 dashboard shows the second phase")
	}
	_, body = fetch(t, focal, "GET", ts.URL+"/report?year=2026", "", "")
	if !strings.Contains(body, "<th>Lũy kế 2021–2030 (từ đầu Chương trình đến hết năm 2026)</th>") {
		t.Error("the 2026 report page lacks the programme's total")
	}
}
