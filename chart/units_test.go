package chart

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-analyze/charts"
)

// manyUnits are 14 wards with figures 1 400, 1 300 … 100 (approved) and
// 5 pending each for the odd ones, plus two without any figure.
func manyUnits() []UnitValue {
	var us []UnitValue
	for i := 14; i >= 1; i-- {
		u := UnitValue{Name: fmt.Sprintf("Phường Số %02d", i), Value: int64(i) * 100}
		if i%2 == 1 {
			u.Pending = 5
		}
		us = append(us, u)
	}
	return append(us, UnitValue{Name: "Phường Không Có"}, UnitValue{Name: "Xã Trống"})
}

func TestUnitsRowsTopAndOthers(t *testing.T) {
	units := manyUnits()
	// Shuffle the input: the chart orders it.
	slices.Reverse(units)
	rows := Units{Units: units}.Rows()
	if len(rows) != 11 {
		t.Fatalf("%d rows, want the top 10 and one of the others: %v", len(rows), rows)
	}
	for i, r := range rows[:10] {
		if want := fmt.Sprintf("Phường Số %02d", 14-i); r.Name != want || r.Others != 0 {
			t.Errorf("row %d is %q (others %d), want %q by itself", i, r.Name, r.Others, want)
		}
	}
	// Units 4, 3, 2, 1 are left: 1.000 approved, 10 pending (3 and 1); the
	// two units without a figure are neither drawn nor counted.
	others := rows[10]
	if others.Name != "Các đơn vị khác (4)" || others.Others != 4 || others.Value != 1000 || others.Pending != 10 {
		t.Errorf("the others' row is %+v, want 4 units, 1.000 + 10 pending", others)
	}
	if got := UnitValueText(others); got != "1.000 (+10)" {
		t.Errorf("the others' value is written %q", got)
	}

	// Top 13 of 14: the one unit left is drawn by itself, not as "others".
	rows = Units{Units: units, Top: 13}.Rows()
	if len(rows) != 14 || rows[13].Name != "Phường Số 01" || rows[13].Others != 0 {
		t.Errorf("top 13 of 14: %d rows, last %+v; want the 14th unit by its name", len(rows), rows[len(rows)-1])
	}
	// In English the others' row says so.
	rows = Units{Units: units, Top: 2, OthersLabel: "Other units"}.Rows()
	if len(rows) != 3 || rows[2].Name != "Other units (12)" || rows[2].Value != 7800 || rows[2].Pending != 30 {
		t.Errorf("top 2 in English: %+v", rows)
	}
	// Equal figures are ordered by name; pending counts in the order.
	rows = Units{Units: []UnitValue{{Name: "B", Value: 5}, {Name: "A", Value: 5}, {Name: "C", Value: 1, Pending: 9}}}.Rows()
	if names := []string{rows[0].Name, rows[1].Name, rows[2].Name}; !slices.Equal(names, []string{"C", "A", "B"}) {
		t.Errorf("order %v, want C (1 + 9 pending), then A and B by name", names)
	}
}

// unitBars are the bars of a unit breakdown, by colour, top to bottom.
func unitBars(elems []element, col charts.Color) []element {
	var bars []element
	for _, e := range elems {
		if e.name == "path" && e.fill == rgb(col) {
			bars = append(bars, e)
		}
	}
	slices.SortFunc(bars, func(a, b element) int { return int(a.y1 - b.y1) })
	return bars
}

func TestUnitsSVG(t *testing.T) {
	c := Units{Title: "Doanh nghiệp được đào tạo (lượt) theo đơn vị", Units: manyUnits()}
	h := c.SuggestedHeight(360)
	out, err := c.SVG(360, h)
	if err != nil {
		t.Fatal(err)
	}
	root, elems := parseSVG(t, out)
	for _, a := range root.Attr {
		if a.Name.Local == "aria-label" && a.Value != c.Title {
			t.Errorf("aria-label %q, want the title", a.Value)
		}
	}
	var texts []string
	for _, e := range elems {
		if e.name == "text" {
			texts = append(texts, e.text)
		}
	}
	joined := strings.Join(texts, " ") // a label may take two lines
	for _, want := range []string{"1.400", "1.300 (+5)", "600", "500 (+5)", "1.000 (+10)", "Kết quả đã duyệt", "Chưa duyệt"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no text %q in the chart: %q", want, texts)
		}
	}
	if !strings.Contains(joined, "Các đơn vị khác") || strings.Contains(joined, "Phường Số 04") || strings.Contains(joined, "Phường Không Có") {
		t.Errorf("the chart names a unit it sums with the others, or lacks the others' row: %q", texts)
	}

	// 11 approved bars and the legend's swatch at the bottom; a pending
	// part after the approved bar of each unit with one (13, 11, 9, 7, 5
	// and the others), and its swatch.
	approved, pending := unitBars(elems, colResult), unitBars(elems, colPending)
	if len(approved) != 12 || len(pending) != 7 {
		t.Fatalf("%d approved shapes and %d pending, want 11 bars + swatch and 6 + swatch", len(approved), len(pending))
	}
	bars := approved[:11]
	for i := 1; i < len(bars); i++ {
		if bars[i].x1 != bars[0].x1 {
			t.Errorf("bar %d starts at %.0f, not on the axis at %.0f", i, bars[i].x1, bars[0].x1)
		}
	}
	// Lengths in proportion: 1.400 is twice 700 (rows 0 and 7).
	w0, w7 := bars[0].x2-bars[0].x1, bars[7].x2-bars[7].x1
	if d := w0 - 2*w7; d < -2 || d > 2 {
		t.Errorf("the bar of 1.400 is %.0f px, that of 700 %.0f px: not in proportion", w0, w7)
	}
	if w0 < 100 {
		t.Errorf("the longest bar is %.0f px of a 360 px chart: the scale is wrong", w0)
	}
	// The pending part of 1.300 (row 1) follows its approved bar.
	if pending[0].x1 != bars[1].x2 || pending[0].y1 != bars[1].y1 {
		t.Errorf("the pending part %v does not follow the approved bar %v", pending[0], bars[1])
	}
	if approved[11].y1 < bars[10].y2 || pending[6].y1 < bars[10].y2 {
		t.Errorf("the legend's swatches are not below the bars")
	}
	for _, e := range elems {
		if e.name == "path" && e.x2 > 360 {
			t.Errorf("a shape ends at %.0f, past the 360 px chart", e.x2)
		}
	}
}

// A ward's 1 beside a city's 50.000 is still a visible bar, and so is a
// pending 1.
func TestUnitsTinyValuesVisible(t *testing.T) {
	c := Units{Units: []UnitValue{{Name: "Thành phố", Value: 50000}, {Name: "Phường nhỏ", Value: 1, Pending: 1}}}
	out, err := c.SVG(360, c.SuggestedHeight(360))
	if err != nil {
		t.Fatal(err)
	}
	_, elems := parseSVG(t, out)
	approved, pending := unitBars(elems, colResult), unitBars(elems, colPending)
	if len(approved) != 3 || len(pending) != 2 {
		t.Fatalf("%d approved shapes, %d pending; want 2 bars + swatch and 1 + swatch", len(approved), len(pending))
	}
	if w := approved[1].x2 - approved[1].x1; w < 2 {
		t.Errorf("the bar of 1 is %.1f px wide, want 2 or more", w)
	}
	if w := pending[0].x2 - pending[0].x1; w < 2 {
		t.Errorf("the pending 1 is %.1f px wide, want 2 or more", w)
	}
}

// Every colour that marks data is in the legend and drawn in the plot.
func TestUnitsLegendColoursAreTheDrawnOnes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart Units
		want  []string
	}{
		{"with pending", Units{Units: manyUnits()}, []string{rgb(colResult), rgb(colPending)}},
		{"approved only", Units{Units: []UnitValue{{Name: "A", Value: 3}, {Name: "B", Value: 7}}}, []string{rgb(colResult)}},
		// A new round: what the wards entered is not yet approved, and a
		// correction of last year's figure is written, not drawn.
		{"pending only", Units{Units: []UnitValue{{Name: "Phường Mới", Pending: 12}, {Name: "Xã Mới", Pending: 4}, {Name: "Phường Sửa", Value: -2}}}, []string{rgb(colPending)}},
	} {
		out, err := tc.chart.SVG(400, tc.chart.SuggestedHeight(400))
		if err != nil {
			t.Fatal(err)
		}
		uses := dataColours(t, out)
		var drawn []string
		for col, n := range uses {
			drawn = append(drawn, col)
			if n < 2 {
				t.Errorf("%s: colour %s is drawn %d time(s), want in the legend and in the plot", tc.name, col, n)
			}
		}
		if slices.Sort(drawn); !slices.Equal(drawn, slices.Sorted(slices.Values(tc.want))) {
			t.Errorf("%s: colours drawn %v, want %v", tc.name, drawn, tc.want)
		}
		var legend []string
		for _, it := range tc.chart.legend(tc.chart.Rows()) {
			legend = append(legend, rgb(it.col))
		}
		if !slices.Equal(slices.Sorted(slices.Values(legend)), slices.Sorted(slices.Values(tc.want))) {
			t.Errorf("%s: legend colours %v, want %v", tc.name, legend, tc.want)
		}
	}
}

func TestUnitsErrors(t *testing.T) {
	if _, err := (Units{Units: []UnitValue{{Name: "A"}}}).SVG(360, 200); err != ErrNoUnits {
		t.Errorf("no figure: %v, want ErrNoUnits", err)
	}
	c := Units{Units: manyUnits()}
	if _, err := c.SVG(360, 200); err == nil {
		t.Errorf("11 rows in 200 px: no error")
	}
	// A negative correction is written, not drawn.
	c = Units{Units: []UnitValue{{Name: "A", Value: -4}, {Name: "B", Value: 10}}}
	out, err := c.SVG(360, c.SuggestedHeight(360))
	if err != nil {
		t.Fatalf("a negative correction: %v", err)
	}
	if !strings.Contains(string(out), ">-4</text>") {
		t.Errorf("the negative correction is not written")
	}
	if _, err := c.PNG(720, c.SuggestedHeight(720)); err != nil {
		t.Errorf("PNG: %v", err)
	}
}
