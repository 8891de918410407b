package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-analyze/charts"
)

// element is one drawn element of an SVG: its colours, the box of its path
// (a text's x and y in x1 and y1) and its text, font size and stroke width.
type element struct {
	name, fill, stroke, text string
	x1, y1, x2, y2           float64
	size, strokeW            float64
}

// parseSVG reads every element of an SVG, failing on XML that is not well
// formed or on a style attribute (which a page's CSP would drop).
func parseSVG(t *testing.T, out []byte) (root xml.StartElement, elems []element) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return root, elems
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root.Name.Local == "" {
				root = tok.Copy()
			}
			e := element{name: tok.Name.Local}
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "style":
					t.Errorf("<%s> has a style attribute %q, which a content security policy drops", e.name, a.Value)
				case "fill":
					e.fill = a.Value
				case "stroke":
					e.stroke = a.Value
				case "d":
					e.x1, e.y1, e.x2, e.y2 = pathBox(t, a.Value)
				case "x":
					e.x1 = number(t, a.Value)
				case "y":
					e.y1 = number(t, a.Value)
				case "font-size":
					e.size = number(t, strings.TrimSuffix(a.Value, "px"))
				case "stroke-width":
					e.strokeW = number(t, a.Value)
				}
			}
			elems = append(elems, e)
		case xml.CharData:
			if len(elems) > 0 && elems[len(elems)-1].name == "text" {
				elems[len(elems)-1].text += string(tok)
			}
		}
	}
}

// pathBox is the bounding box of a path made of M and L commands.
func pathBox(t *testing.T, d string) (x1, y1, x2, y2 float64) {
	t.Helper()
	first := true
	f := strings.Fields(strings.NewReplacer("M", " ", "L", " ", "Z", " ").Replace(d))
	for i := 0; i+1 < len(f); i += 2 {
		x, err1 := strconv.ParseFloat(f[i], 64)
		y, err2 := strconv.ParseFloat(f[i+1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("path %q: not M/L commands", d)
		}
		if first {
			x1, y1, x2, y2, first = x, y, x, y, false
		}
		x1, y1, x2, y2 = min(x1, x), min(y1, y), max(x2, x), max(y2, y)
	}
	return
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("attribute %q is not a number", s)
	}
	return f
}

func rgb(c charts.Color) string { return fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B) }

// An indicator of another unit over 2026–2030, with numbers the demo does
// not hold: a large year, a tiny one, one with nothing, one without target.
func sampleYearly() Yearly {
	return Yearly{
		Title: "Số doanh nghiệp được hỗ trợ (doanh nghiệp)",
		Years: []Year{
			{Year: 2026, Value: 16192, Target: 15000, HasTarget: true},
			{Year: 2027, Value: 3, Pending: 250, Target: 2000, HasTarget: true},
			{Year: 2028, Value: 0, Target: 7500, HasTarget: true},
			{Year: 2029, Value: 4210},
			{Year: 2030, Value: 1, Target: 0, HasTarget: true},
		},
	}
}

func TestValueAxis(t *testing.T) {
	for _, tc := range []struct{ max, top, step int64 }{
		{0, 1, 1},      // nothing yet: an axis from 0 to 1
		{1, 1, 1},      //
		{5, 5, 1},      // five intervals of 1
		{6, 6, 2},      // six would be too many: steps of 2
		{11, 15, 5},    // 2 × 6 = 12 is too many: steps of 5
		{100, 100, 20}, //
		{101, 150, 50}, // 20 × 6 = 120 too many
		{16192, 20000, 5000},
		{999999, 1000000, 200000},
	} {
		top, step := valueAxis(tc.max)
		if top != tc.top || step != tc.step {
			t.Errorf("valueAxis(%d) = %d, %d; want %d, %d", tc.max, top, step, tc.top, tc.step)
		}
	}
}

func TestYearlySVG(t *testing.T) {
	c := sampleYearly()
	out, err := c.SVG(360, 280)
	if err != nil {
		t.Fatal(err)
	}
	root, elems := parseSVG(t, out)
	attr := func(name string) string {
		for _, a := range root.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	if attr("role") != "img" || attr("aria-label") != c.Title || attr("width") != "360" || attr("height") != "280" || attr("viewBox") != "0 0 360 280" {
		t.Errorf("root element %v: want role img, the title as aria-label, width, height and viewBox", root.Attr)
	}
	var texts []string
	for _, e := range elems {
		if e.name == "text" {
			texts = append(texts, e.text)
		}
	}
	// Axis ticks (16.192 is the highest: steps of 5.000 to 20.000), each
	// year, each value in Vietnamese digits, each target that is set.
	for _, want := range []string{"0", "5.000", "10.000", "15.000", "20.000",
		"2026", "2027", "2028", "2029", "2030",
		"16.192", "3", "4.210", "1",
		"15.000", "2.000", "7.500",
		"Kết quả đã duyệt", "Chưa duyệt", "Chỉ tiêu năm"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no text %q in the chart; texts: %q", want, texts)
		}
	}
	// 15.000 is both a tick and 2026's target; 0 is a tick, 2028's value and 2030's target.
	count := func(s string) (n int) {
		for _, t := range texts {
			if t == s {
				n++
			}
		}
		return n
	}
	if n := count("15.000"); n != 2 {
		t.Errorf("15.000 is written %d times, want 2 (tick, target)", n)
	}
	if n := count("0"); n != 3 {
		t.Errorf("0 is written %d times, want 3 (tick, 2028's value, 2030's target)", n)
	}
}

// dataColours counts, by colour, the shapes of an SVG chart drawn in a
// colour that marks data (not the background, text, grid or axis).
func dataColours(t *testing.T, svg []byte) map[string]int {
	t.Helper()
	neutral := map[string]bool{"white": true, "none": true, "": true}
	for _, c := range []charts.Color{colBackground, colText, colMuted, colGrid, colAxis} {
		neutral[rgb(c)] = true
	}
	_, elems := parseSVG(t, svg)
	uses := map[string]int{}
	for _, e := range elems {
		if e.name == "text" {
			continue
		}
		for _, col := range []string{e.fill, e.stroke} {
			if !neutral[col] {
				uses[col]++
			}
		}
	}
	return uses
}

// Every colour that marks data is in the legend, and every legend colour
// marks data: the legend cannot say red while the line is gold.
func TestYearlyLegendColoursAreTheDrawnOnes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart Yearly
		want  []string
	}{
		{"targets and pending", sampleYearly(), []string{rgb(colResult), rgb(colPending), rgb(colTarget)}},
		{"results only", Yearly{Years: []Year{{Year: 2027, Value: 40}, {Year: 2028, Value: 7}}}, []string{rgb(colResult)}},
		{"targets, nothing pending", Yearly{Years: []Year{{Year: 2027, Value: 40, Target: 50, HasTarget: true}}}, []string{rgb(colResult), rgb(colTarget)}},
		{"nothing approved yet", Yearly{Years: []Year{{Year: 2026, Pending: 12, Target: 30, HasTarget: true}, {Year: 2027}}}, []string{rgb(colPending), rgb(colTarget)}},
	} {
		out, err := tc.chart.SVG(400, 260)
		if err != nil {
			t.Fatal(err)
		}
		// Twice or more means once in the legend and once in the plot at least.
		uses := dataColours(t, out)
		var drawn []string
		for col := range uses {
			drawn = append(drawn, col)
		}
		slices.Sort(drawn)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(drawn, want) {
			t.Errorf("%s: colours drawn %v, want the legend's %v", tc.name, drawn, want)
		}
		var legend []string
		for _, it := range tc.chart.legend() {
			legend = append(legend, rgb(it.col))
		}
		if !slices.Equal(slices.Sorted(slices.Values(legend)), want) {
			t.Errorf("%s: legend colours %v, want %v", tc.name, legend, want)
		}
		for col, n := range uses {
			if n < 2 {
				t.Errorf("%s: colour %s is drawn %d time(s), want in the legend and in the plot", tc.name, col, n)
			}
		}
	}
}

// A value of 1 beside one of 16.192 is still a visible bar; a value of 0
// draws none.
func TestYearlySmallValuesStayVisible(t *testing.T) {
	c := sampleYearly()
	out, err := c.SVG(360, 280)
	if err != nil {
		t.Fatal(err)
	}
	_, elems := parseSVG(t, out)
	var bars []element
	for _, e := range elems {
		if e.name == "path" && e.fill == rgb(colResult) {
			bars = append(bars, e)
		}
	}
	// 2026, 2027, 2029, 2030 and the legend's swatch; not 2028 (0).
	if len(bars) != 5 {
		t.Fatalf("%d shapes in the result colour, want 4 bars and a swatch", len(bars))
	}
	slices.SortFunc(bars, func(a, b element) int { return int(a.x1 - b.x1) })
	swatch, bars := bars[0], bars[1:] // the legend starts at the left margin
	if swatch.y1 < bars[0].y2 {
		t.Errorf("the leftmost shape %v is not the legend below the bars", swatch)
	}
	for i, year := range []int64{16192, 3, 4210, 1} {
		if h := bars[i].y2 - bars[i].y1; h < 2 {
			t.Errorf("the bar of %d is %.0f px high, want 2 or more", year, h)
		}
	}
	if bars[0].y2-bars[0].y1 < 100 {
		t.Errorf("the bar of 16.192 is %.0f px high: the scale is wrong", bars[0].y2-bars[0].y1)
	}
	base := bars[0].y2
	for i, b := range bars {
		if b.y2 != base {
			t.Errorf("bar %d stands on %.0f, not on the axis at %.0f", i, b.y2, base)
		}
	}
	// The pending part of 2027 (250) sits on top of its approved part.
	for _, e := range elems {
		if e.name == "path" && e.fill == rgb(colPending) && e.x1 == bars[1].x1 && e.y2 != bars[1].y1 {
			t.Errorf("the pending part ends at %.0f, not on the approved bar's top %.0f", e.y2, bars[1].y1)
		}
	}
}

// A value close to its year's target is written clear of the target's line:
// the box of every text in the plot (digits rise at most 0,8 em above their
// baseline, at most 0,6 em wide each) stays off the band the line covers.
func TestYearlyValueClearOfTargetLine(t *testing.T) {
	c := Yearly{Years: []Year{
		{Year: 2026, Value: 2000, Target: 2000, HasTarget: true},              // on the target
		{Year: 2027, Value: 1985, Target: 2000, HasTarget: true},              // just under it
		{Year: 2028, Value: 2000, Target: 1970, HasTarget: true},              // just over it
		{Year: 2029, Value: 1900, Pending: 95, Target: 2000, HasTarget: true}, // approved and pending reach it
		{Year: 2030, Value: 40, Target: 60, HasTarget: true},                  // small: the line a few px above the bar
	}}
	for _, size := range [][2]int{{360, 280}, {400, 260}, {720, 480}} {
		out, err := c.SVG(size[0], size[1])
		if err != nil {
			t.Fatal(err)
		}
		_, elems := parseSVG(t, out)
		var axis float64 // the value axis's 0: the plot is above it
		for _, e := range elems {
			if e.name == "path" && e.stroke == rgb(colAxis) {
				axis = e.y1
			}
		}
		var lines, texts []element
		for _, e := range elems {
			switch {
			case e.name == "path" && e.stroke == rgb(colTarget) && e.y1 < axis:
				lines = append(lines, e)
			case e.name == "text" && e.y1 < axis:
				texts = append(texts, e)
			}
		}
		if len(lines) != len(c.Years) {
			t.Fatalf("%v: %d target lines in the plot, want %d", size, len(lines), len(c.Years))
		}
		for _, l := range lines {
			top, bottom := l.y1-l.strokeW/2, l.y1+l.strokeW/2
			for _, tx := range texts {
				x2 := tx.x1 + 0.6*tx.size*float64(len([]rune(tx.text)))
				if tx.x1 > l.x2 || x2 < l.x1 {
					continue // beside the line
				}
				if tx.y1-0.8*tx.size < bottom && tx.y1 > top {
					t.Errorf("%v: the text %q (baseline %.0f, %.1f px) overlaps the target line at %.0f–%.1f", size, tx.text, tx.y1, tx.size, top, bottom)
				}
			}
		}
	}
}

func TestYearlyPNGAndErrors(t *testing.T) {
	out, err := sampleYearly().PNG(720, 480)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 720 || b.Dy() != 480 {
		t.Errorf("PNG is %d × %d, want 720 × 480", b.Dx(), b.Dy())
	}
	if _, err := (Yearly{}).SVG(360, 240); err != ErrNoYears {
		t.Errorf("no years: %v, want ErrNoYears", err)
	}
	if _, err := (Yearly{Years: []Year{{Year: 2027, Value: 5, Target: -1, HasTarget: true}}}).SVG(360, 240); err == nil || !strings.Contains(err.Error(), "2027") {
		t.Errorf("a negative target: %v, want an error naming the year", err)
	}
	if _, err := (Yearly{Years: []Year{{Year: 2027, Value: -4}}}).SVG(360, 240); err != nil {
		t.Errorf("a negative result (corrections): %v, want it written", err)
	}
	if _, err := sampleYearly().SVG(360, 100); err == nil {
		t.Errorf("100 px high: no error")
	}
}

// The completion chart written inside a page keeps its colours as
// attributes, the same bars as the image the report page links to.
func TestCompletionInlineSVG(t *testing.T) {
	c := sample()
	img, err := c.SVG(720, 400)
	if err != nil {
		t.Fatal(err)
	}
	inline, err := c.InlineSVG(720, 400)
	if err != nil {
		t.Fatal(err)
	}
	_, elems := parseSVG(t, inline)
	behind := 0
	for _, e := range elems {
		if e.fill == rgb(colBehind) {
			behind++
		}
	}
	if want := strings.Count(string(img), "fill:"+rgb(colBehind)); behind != want || want < 2 {
		t.Errorf("%d shapes in the behind colour inline, %d in the image; want the same, 2 or more", behind, want)
	}
}
