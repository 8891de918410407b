package report

import (
	"bytes"
	"context"
	"testing"

	"nscl/demo"
)

// Gather reads the figures of the charts the format asked for draws: the
// annex's for the Word file and what is laid out from it, the plan's years
// for the report page, none for the tables; and a file with an annex is
// refused from an input gathered without its figures rather than written
// without its charts.
func TestGatherReadsTheChartsOfItsFormat(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	gather := func(format string) WordInput {
		t.Helper()
		in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2023, Format: format})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	word, page, table := gather(""), gather(PageFormat), gather("csv")
	plan := word.Report.Plan
	if len(word.Yearly) == 0 || word.ByUnit == nil { // read, the rows may be none
		t.Fatalf("the Word file's input has %d yearly series and unit rows %v", len(word.Yearly), word.ByUnit)
	}
	if got, want := len(word.Yearly[0].Points), 2023-plan.StartYear+1; got != want {
		t.Errorf("the annex's yearly series has %d years, want %d (to the report's)", got, want)
	}
	if got, want := len(page.Yearly[0].Points), plan.EndYear-plan.StartYear+1; got != want || page.ByUnit != nil {
		t.Errorf("the page's yearly series has %d years (want %d, the plan's) and %d unit rows (want none)", got, want, len(page.ByUnit))
	}
	if table.Yearly != nil || table.ByUnit != nil {
		t.Errorf("a table's input read %d yearly series and %d unit rows", len(table.Yearly), len(table.ByUnit))
	}
	var out bytes.Buffer
	if err := WriteDocument(ctx, &out, "docx", table); err == nil {
		t.Errorf("a Word file was written from an input gathered for csv")
	}
	if err := WriteDocument(ctx, &out, "csv", table); err != nil {
		t.Errorf("csv: %v", err)
	}
}
