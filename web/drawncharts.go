package web

import (
	"fmt"
	"html/template"
	"sync"
)

// drawnCharts keeps the charts drawn lately, each under everything it
// draws: the same figures, texts and size give the same picture. Between
// two builds of the nation's dashboard most of its twenty charts show the
// same figures (a write changes a metric of one province in one year),
// and drawing them was a fifth of the build.
type drawnCharts struct {
	mu    sync.Mutex
	drawn map[string]template.HTML
}

// drawnChartsHeld bounds what is kept: a chart is a few kilobytes; with
// more, the memory starts again empty.
const drawnChartsHeld = 256

// svg returns chart (a value of the chart package, which holds no pointer
// or map, so that its %#v is all it draws) drawn by draw at width × height
// (0: the height the chart suggests), drawing it only when it was not
// kept. The server draws each type of chart one way (a completion chart
// inline, the others as SVG), so the chart and its size name the picture;
// a second way would need its own key.
func (d *drawnCharts) svg(chart any, width, height int, draw func() ([]byte, error)) (template.HTML, error) {
	key := fmt.Sprintf("%T%#v %d×%d", chart, chart, width, height)
	d.mu.Lock()
	svg, ok := d.drawn[key]
	d.mu.Unlock()
	if ok {
		return svg, nil
	}
	out, err := draw()
	if err != nil {
		return "", err
	}
	// The chart package escapes every text it writes.
	svg = template.HTML(out)
	d.mu.Lock()
	if len(d.drawn) >= drawnChartsHeld || d.drawn == nil {
		d.drawn = map[string]template.HTML{}
	}
	d.drawn[key] = svg
	d.mu.Unlock()
	return svg, nil
}
