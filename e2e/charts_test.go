package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
)

// chartText is what the browser shows of the charts' text: the size of the
// smallest and the largest text as drawn on the screen (its font size times
// the scale at which its SVG is shown), against the body's font size.
const chartText = `(function () {
	var out = {body: parseFloat(getComputedStyle(document.body).fontSize), charts: 0, min: 1e9, max: 0};
	document.querySelectorAll("figure svg").forEach(function (svg) {
		if (!svg.checkVisibility()) return;
		out.charts++;
		var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
		svg.querySelectorAll("text").forEach(function (t) {
			var px = parseFloat(t.getAttribute("font-size")) * scale;
			out.min = Math.min(out.min, px);
			out.max = Math.max(out.max, px);
		});
	});
	return JSON.stringify(out);
})()`

// TestChartTextReadsAtBodySize: on a 1366 px screen and on a 390 px phone,
// the charts of the dashboard and of the report page are shown at a size
// where their text reads at about the body's: none smaller than three
// quarters of it, none stretched past a quarter more.
func TestChartTextReadsAtBodySize(t *testing.T) {
	exe := browser(t)
	_, srv := demoServer(t)
	b := newSession(t, exe, srv.URL)
	b.login("focal@demo.local")
	for _, screen := range []string{"1366", "390"} {
		if screen == "390" {
			b.run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
		}
		for _, path := range []string{"/?year=2022", "/report?year=2022"} {
			b.run(screen+" "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitReady(`body`))
			out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](chartText))
			var m struct {
				Body, Min, Max float64
				Charts         int
			}
			if err == nil {
				err = json.Unmarshal([]byte(out), &m)
			}
			if err != nil {
				t.Fatalf("%s px, %s: %v", screen, path, err)
			}
			if m.Charts < 2 {
				t.Fatalf("%s px, %s: %d charts shown, want the completion chart and the yearly ones", screen, path, m.Charts)
			}
			if m.Min < 0.75*m.Body || m.Max > 1.25*m.Body {
				t.Errorf("%s px, %s: the charts' text is shown at %.1f to %.1f px; the body's is %.0f px", screen, path, m.Min, m.Max, m.Body)
			}
		}
	}
}
