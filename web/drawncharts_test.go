package web

import (
	"errors"
	"strconv"
	"testing"

	"nscl/chart"
)

// A chart is drawn again when anything it draws changes (a figure, a text,
// its size), and only then; a failed drawing is not kept, and what is kept
// stays bounded.
func TestDrawnChartsDrawEachPictureOnce(t *testing.T) {
	var d drawnCharts
	draws := 0
	draw := func(c chart.Yearly, w int) string {
		t.Helper()
		svg, err := d.svg(c, w, w/2+200, func() ([]byte, error) {
			draws++
			return c.SVG(w, w/2+200)
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(svg)
	}
	c := chart.Yearly{Title: "Doanh nghiệp", Years: []chart.Year{{Year: 2025, Value: 10, Pending: 2, Target: 30, HasTarget: true}, {Year: 2026, Value: 4}}}
	first := draw(c, 360)
	if again := draw(c, 360); again != first || draws != 1 {
		t.Fatalf("the same chart: %d drawings, same picture %v", draws, again == first)
	}
	changed := c
	changed.Years = []chart.Year{c.Years[0], {Year: 2026, Value: 4, Pending: 1}}
	if other := draw(changed, 360); other == first || draws != 2 {
		t.Errorf("a pending figure changed: %d drawings, same picture %v", draws, other == first)
	}
	retitled := c
	retitled.ValueLabel = "Approved"
	if other := draw(retitled, 360); other == first || draws != 3 {
		t.Errorf("a text changed: %d drawings, same picture %v", draws, other == first)
	}
	if other := draw(c, 720); other == first || draws != 4 {
		t.Errorf("another width: %d drawings, same picture %v", draws, other == first)
	}

	failed := errors.New("no room")
	for range 2 {
		if _, err := d.svg(chart.Yearly{Title: "x"}, 1, 1, func() ([]byte, error) { draws++; return nil, failed }); !errors.Is(err, failed) {
			t.Fatalf("failed drawing: %v", err)
		}
	}
	if draws != 6 {
		t.Errorf("a failed drawing was kept: %d drawings, want 6", draws)
	}

	for i := range 2 * drawnChartsHeld {
		d.svg(chart.Yearly{Title: strconv.Itoa(i)}, 1, 1, func() ([]byte, error) { return []byte("<svg/>"), nil })
	}
	if len(d.drawn) > drawnChartsHeld {
		t.Errorf("%d charts kept, at most %d", len(d.drawn), drawnChartsHeld)
	}
}
