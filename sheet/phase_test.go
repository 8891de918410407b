package sheet

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"nscl"
)

// A round's template has a column for a metric only from the year the
// metric begins: a 2022 round's has none for one that begins in 2026, a
// 2026 round's has it.
func TestATemplateLeavesOutAMetricNotYetBegun(t *testing.T) {
	prog := tmplProgramme(t)
	prog.Metrics = append(prog.Metrics, nscl.Metric{Code: "certified", Name: "Chuyên gia được chứng nhận quốc tế", Unit: "chuyên gia",
		Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d", FirstYear: 2026})
	if err := prog.Validate(); err != nil {
		t.Fatal(err)
	}
	const heading = "Chuyên gia được chứng nhận quốc tế (chuyên gia)"
	for _, c := range []struct {
		year int
		want bool
	}{{2022, false}, {2025, false}, {2026, true}} {
		tmpl := tmplTestTemplate(prog)
		tmpl.Round.PeriodStart, tmpl.Round.PeriodEnd = tmplDay(c.year, 1, 1), tmplDay(c.year, 12, 31)
		f, err := excelize.OpenReader(bytes.NewReader(tmplWriteTemplate(t, tmpl)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(ActivitySheet)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		header := rows[TemplateHeaderRow-1]
		if got := slices.Contains(header, heading); got != c.want {
			t.Errorf("the %d template has the column: %v, want %v (%q)", c.year, got, c.want, header)
		}
		// Every other metric keeps its column, and the import reads the sheet.
		if !slices.Contains(header, "Tin bài về năng suất chất lượng (tin bài)") {
			t.Errorf("the %d template lost another column: %q", c.year, header)
		}
		if h := nscl.MatchHeader(nscl.ActivityColumns(prog), prog, header); len(h.Missing()) != 0 {
			t.Errorf("the %d template misses %q", c.year, h.Missing())
		}
	}
}
