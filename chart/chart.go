// Package chart draws the programme's charts with github.com/go-analyze/charts,
// one code path for the web page (SVG) and the Word document (PNG).
//
// Fonts: the text is set in Noto Sans Display Medium (the title in Noto Sans
// Display ExtraBold), which go-analyze/charts embeds in its binary. Both
// cover the whole Vietnamese alphabet (ă â đ ê ô ơ ư and every tone mark on them, precomposed:
// ầ ễ ự …), so a PNG renders the same on any machine with no font installed.
// The Go fonts (golang.org/x/image/font/gofont) do not: they stop at WGL4 and
// lack ư, ơ and most stacked marks. A PNG is rasterised with the embedded font;
// an SVG names it in font-family and the browser draws the text with it, or
// with its own sans-serif when the font is not installed, which is why text
// placed side by side leaves room for a wider font (browserSlack).
package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-analyze/charts"
	"golang.org/x/text/unicode/norm"

	"nscl"
	"nscl/vnfmt"
)

// Font families embedded in go-analyze/charts (see the package comment).
const (
	fontRegular = charts.FontFamilyNotoSans     // Noto Sans Display Medium
	fontBold    = charts.FontFamilyNotoSansBold // Noto Sans Display ExtraBold
)

// browserSlack is how much wider than Noto Sans Display a browser's own
// sans-serif may set a text (DejaVu Sans is about that much wider): labels
// are wrapped, and legend entries spaced, for text that much wider.
const browserSlack = 1.15

// Colours of the dashboard's bars (web/templates/dashboard.html).
var (
	colBackground = charts.ColorFromHex("ffffff")
	colText       = charts.ColorFromHex("222222")
	colMuted      = charts.ColorFromHex("555555")
	colAhead      = charts.ColorFromHex("176b2c") // completion keeps up with the time elapsed
	colBehind     = charts.ColorFromHex("7a1f1f") // completion lags it
	colTrack      = charts.ColorFromHex("e6e3da") // 0 to 100 %: the whole target
	colGrid       = charts.ColorFromHex("e4e1d8")
	colAxis       = charts.ColorFromHex("9a968c")
	colElapsed    = charts.ColorFromHex("222222")
)

// Bar is one indicator: its label, its completion, cumulative ÷ target ×
// 100, and whether it keeps up with the time elapsed.
type Bar struct {
	// Label names the indicator. Long labels are wrapped to at most three
	// lines and cut with "…" beyond; pass a short label for a legible chart.
	Label   string
	Percent float64 // 0 or more; above 100 when the target is exceeded
	// Ahead colours the bar green, as its status says: on track or
	// exceeded (nscl.Status.KeepsPace). The chart does not judge it again,
	// so that a bar and the status word beside it never disagree.
	Ahead bool
}

// Completion is the chart of completion per indicator against the elapsed
// share of the plan period: one horizontal bar per indicator, a light track
// from 0 to 100 % (the target), and a vertical line at the elapsed share.
// Bars that keep up with the elapsed share (Bar.Ahead) are green, the
// others dark red.
type Completion struct {
	Title string // optional, drawn above the chart
	// Name is the SVG's accessible name; when empty, the title or
	// "Tỷ lệ hoàn thành chỉ tiêu so với thời gian đã qua".
	Name           string
	Bars           []Bar // top to bottom
	ElapsedPercent float64
	// ElapsedLabel is the caption of the elapsed line, drawn above it as is;
	// when empty, "Thời gian đã qua: 40 %".
	ElapsedLabel string
	// Legend texts; when empty, the Vietnamese ones: "Đúng hoặc vượt tiến độ",
	// "Chậm tiến độ", "Chỉ tiêu cả giai đoạn (100 %)".
	AheadLabel, BehindLabel, TargetLabel string
}

// FromResults makes the chart of a results table: one bar per indicator
// measured against a target, labelled with labels[metric code] when given,
// else with the indicator's name, coloured as its status says.
func FromResults(title string, results []nscl.IndicatorResult, labels map[string]string) Completion {
	c := Completion{Title: title}
	for i, r := range results {
		if i == 0 {
			c.ElapsedPercent = r.ElapsedPercent
		}
		if !r.Status.Measured() {
			continue
		}
		label := labels[r.Metric.Code]
		if label == "" {
			label = r.Metric.Name
		}
		c.Bars = append(c.Bars, Bar{Label: label, Percent: r.CompletionPercent, Ahead: r.Status.KeepsPace()})
	}
	return c
}

// ErrNoBars is returned for a chart with nothing to draw: no indicator has
// a target.
var ErrNoBars = errors.New("chart: no bars to draw (Completion.Bars is empty)")

// Limits of the canvas.
const (
	MinWidth  = 320
	MinHeight = 160
)

// PNG renders the chart as a PNG image of widthPx × heightPx pixels. Text
// scales with the width (a 1600 px wide image looks like an 800 px one at
// twice the resolution), so render at 2× for a sharp printed document.
func (c Completion) PNG(widthPx, heightPx int) ([]byte, error) {
	return c.render(charts.ChartOutputPNG, widthPx, heightPx)
}

// SVG renders the chart as an SVG document of widthPx × heightPx (width,
// height and viewBox set, so CSS "width:100%;height:auto" scales it).
func (c Completion) SVG(widthPx, heightPx int) ([]byte, error) {
	out, err := c.render(charts.ChartOutputSVG, widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	const root = `<svg xmlns="http://www.w3.org/2000/svg"`
	if !bytes.HasPrefix(out, []byte(root)) {
		return out, nil // the library changed its output; leave it as it is
	}
	label := or(c.Name, c.Title)
	if label == "" {
		label = "Tỷ lệ hoàn thành chỉ tiêu so với thời gian đã qua"
	}
	var attrs bytes.Buffer
	fmt.Fprintf(&attrs, ` width="%d" height="%d" role="img" aria-label="`, widthPx, heightPx)
	_ = xml.EscapeText(&attrs, []byte(norm.NFC.String(label)))
	attrs.WriteByte('"')
	return append([]byte(root), append(attrs.Bytes(), out[len(root):]...)...), nil
}

// SuggestedHeight is a height in pixels at which every bar has room for a
// label of three lines at the given width.
func (c Completion) SuggestedHeight(widthPx int) int {
	m := newMetrics(widthPx)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: max(widthPx, 1), Height: 1})
	tickStyle := style(fontRegular, m.tickPt, colMuted)
	width := measurer(p, charts.ChartOutputSVG)
	legendRows := placeLegend(c.legend(), m, widthPx, func(s string) int { return width(s, tickStyle) })
	h := 2*m.pad + m.annotH + m.tickRowH + legendRows*m.legendH + m.gap
	if c.Title != "" {
		h += 2*m.titleLineH + m.gap
	}
	// A plan of one indicator gives one bar: still a chart that can be drawn.
	return max(h+max(len(c.Bars), 1)*(3*m.labelLineH+2*m.gap), MinHeight)
}

func (c Completion) validate() error {
	if len(c.Bars) == 0 {
		return ErrNoBars
	}
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || x < 0 }
	for i, b := range c.Bars {
		if bad(b.Percent) {
			return fmt.Errorf("chart: bar %d (%q) has percent %v; want a finite number, 0 or more", i+1, b.Label, b.Percent)
		}
	}
	if bad(c.ElapsedPercent) || c.ElapsedPercent > 100 {
		return fmt.Errorf("chart: elapsed percent %v is outside 0–100", c.ElapsedPercent)
	}
	return nil
}

// metrics are the sizes that scale with the width: everything is laid out
// for 800 px and scaled.
type metrics struct {
	scale                                         float64
	pad, gap                                      int
	labelPt, tickPt, titlePt, valuePt             float64
	labelLineH, tickLineH, titleLineH, valueLineH int
	annotH, tickRowH, legendH                     int
}

func newMetrics(width int) metrics {
	return metricsAt(scaleFor(width, 800))
}

// screenScale is the smallest scale text is set at. The pages show a chart
// at the width it is drawn at (one SVG pixel a CSS pixel), where a label is
// then 14,7 px and a tick 13,2 px: about the pages' 16 px serif body. A
// chart narrower than its layout (a phone's) keeps its text at that size
// and lays out tighter; a wider one (an image for print) scales it up.
const screenScale = 1.1

// scaleFor is the scale of a chart of width px laid out for base px.
func scaleFor(width, base int) float64 {
	return min(max(float64(width)/float64(base), screenScale), 4)
}

// metricsAt are the sizes at scale s (1 for the 800 px layout).
func metricsAt(s float64) metrics {
	m := metrics{scale: s, pad: px(14 * s), gap: px(8 * s),
		labelPt: 10 * s, tickPt: 9 * s, titlePt: 12 * s, valuePt: 9.5 * s}
	m.labelLineH = lineHeight(m.labelPt)
	m.tickLineH = lineHeight(m.tickPt)
	m.titleLineH = lineHeight(m.titlePt)
	m.valueLineH = lineHeight(m.valuePt)
	m.annotH = m.tickLineH + px(4*s)
	m.tickRowH = m.tickLineH + px(4*s)
	m.legendH = m.tickLineH
	return m
}

func px(x float64) int { return int(math.Round(x)) }

// emPx is the font size in pixels at the renderer's 96 dpi.
func emPx(pt float64) float64 { return pt * 96 / 72 }

// lineHeight leaves room above the capitals for Vietnamese stacked marks (Ễ).
func lineHeight(pt float64) int { return px(emPx(pt) * 1.35) }

// baseline is where a line of text sits within a line box starting at top.
func baseline(top int, pt float64) int {
	return top + px((float64(lineHeight(pt))-emPx(pt))/2+emPx(pt)*0.86)
}

func style(family string, pt float64, col charts.Color) charts.FontStyle {
	return charts.FontStyle{Font: charts.GetFont(family), FontSize: pt, FontColor: col}
}

// measured keeps the width of each text that painters of a format
// measured, by font and size. A painter builds a font face
// (truetype.NewFace) for each font and size it measures, and charts are
// drawn on new painters: the national dashboard's charts spent 6 of its
// 21 ms of processor time building faces to measure the same labels.
var measured struct {
	sync.Mutex
	widths map[measureKey]int
}

type measureKey struct {
	format string
	font   any // the style's *truetype.Font
	size   float64
	text   string
}

// measuredTexts is the most widths kept; past it the memo starts again.
const measuredTexts = 1 << 14

// measurer measures text of a style on p, a painter of format, as
// p.MeasureText does.
func measurer(p *charts.Painter, format string) func(s string, st charts.FontStyle) int {
	return func(s string, st charts.FontStyle) int {
		if st.Font == nil { // the painter's own font, which the key cannot name
			return p.MeasureText(s, 0, st).Width()
		}
		k := measureKey{format: format, font: st.Font, size: st.FontSize, text: s}
		measured.Lock()
		w, ok := measured.widths[k]
		measured.Unlock()
		if ok {
			return w
		}
		w = p.MeasureText(s, 0, st).Width()
		measured.Lock()
		if measured.widths == nil || len(measured.widths) >= measuredTexts {
			measured.widths = map[measureKey]int{}
		}
		measured.widths[k] = w
		measured.Unlock()
		return w
	}
}

// canvas is a blank painter of w × h px, refused below the smallest size
// a chart reads at.
func canvas(format string, w, h int) (*charts.Painter, error) {
	if w < MinWidth || h < MinHeight {
		return nil, fmt.Errorf("chart: %d × %d px is too small; want at least %d × %d", w, h, MinWidth, MinHeight)
	}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: format, Width: w, Height: h, Font: charts.GetFont(fontRegular)})
	p.FilledRect(0, 0, w, h, colBackground, colBackground, 0)
	return p, nil
}

func (c Completion) render(format string, w, h int) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	p, err := canvas(format, w, h)
	if err != nil {
		return nil, err
	}
	m := newMetrics(w)

	labelStyle := style(fontRegular, m.labelPt, colText)
	tickStyle := style(fontRegular, m.tickPt, colMuted)
	valueStyle := style(fontRegular, m.valuePt, colText)
	titleStyle := style(fontBold, m.titlePt, colText)
	width := measurer(p, format)

	legend := c.legend()
	legendRows := placeLegend(legend, m, w, func(s string) int { return width(s, tickStyle) })

	// Vertical layout: title, elapsed caption, plot, tick labels, legend.
	top := m.pad
	if c.Title != "" {
		lines := wrap(norm.NFC.String(c.Title), w-2*m.pad, 2, func(s string) int { return width(s, titleStyle) })
		for i, line := range lines {
			p.Text(line, m.pad, baseline(top+i*m.titleLineH, m.titlePt), 0, titleStyle)
		}
		top += len(lines)*m.titleLineH + m.gap
	}
	annotTop := top
	plotTop := annotTop + m.annotH
	legendTop := h - m.pad - legendRows*m.legendH
	plotBottom := legendTop - m.gap - m.tickRowH
	n := len(c.Bars)
	rowH := float64(plotBottom-plotTop) / float64(n)
	if rowH < float64(m.labelLineH)+2 {
		return nil, fmt.Errorf("chart: %d bars do not fit in %d px; want a height of at least %d (SuggestedHeight gives %d)",
			n, h, h+int(math.Ceil((float64(m.labelLineH)+2-rowH)*float64(n))), c.SuggestedHeight(w))
	}

	// Horizontal layout: labels, then the plot from x0; the right end of the
	// plot leaves room for the value beside each bar and the last tick label.
	// The labels take up to 36 % of the width, less when they are short.
	labelColW := px(float64(w-2*m.pad) * 0.36)
	longest := 0
	for _, b := range c.Bars {
		longest = max(longest, int(math.Ceil(float64(width(norm.NFC.String(b.Label), labelStyle))*browserSlack))+m.gap+1)
	}
	labelColW = min(labelColW, max(longest, px(float64(w-2*m.pad)*0.15)))
	x0 := m.pad + labelColW
	right := w - m.pad
	values := make([]string, n)
	valueW := make([]int, n)
	maxPercent := 100.0
	for i, b := range c.Bars {
		values[i] = vnfmt.Percent(b.Percent)
		valueW[i] = width(values[i], valueStyle)
		maxPercent = max(maxPercent, b.Percent)
	}
	axisMax, step, plotW, err := scaleAxis(maxPercent, x0, right, m.gap, c.Bars, valueW, func(v float64) int { return width(vnfmt.Percent(v), tickStyle) })
	if err != nil {
		return nil, fmt.Errorf("chart: %d px is too narrow for these values: %w", w, err)
	}
	xAt := func(v float64) int { return x0 + px(v/axisMax*float64(plotW)) }

	// Grid and tick labels.
	for v := 0.0; v <= axisMax+1e-9; v += step {
		x := xAt(v)
		col := colGrid
		if v == 0 {
			col = colAxis
		}
		p.LineStroke([]charts.Point{{X: x, Y: plotTop}, {X: x, Y: plotBottom}}, col, math.Max(1, m.scale))
		t := vnfmt.Percent(v)
		p.Text(t, x-width(t, tickStyle)/2, baseline(plotBottom+px(4*m.scale), m.tickPt), 0, tickStyle)
	}

	// Rows: label, track to 100 %, bar, value.
	maxLines := min(max((int(rowH)-m.gap)/m.labelLineH, 1), 3)
	barH := min(max(px(rowH*0.55), 4), px(26*m.scale))
	labelW := int(float64(labelColW-m.gap) / browserSlack)
	for i, b := range c.Bars {
		mid := plotTop + px(rowH*(float64(i)+0.5))
		lines := wrap(norm.NFC.String(b.Label), labelW, maxLines, func(s string) int { return width(s, labelStyle) })
		blockTop := mid - len(lines)*m.labelLineH/2
		for j, line := range lines {
			p.Text(line, m.pad, baseline(blockTop+j*m.labelLineH, m.labelPt), 0, labelStyle)
		}
		y1, y2 := mid-barH/2, mid-barH/2+barH
		p.FilledRect(x0+1, y1, xAt(100), y2, colTrack, colTrack, 0)
		if b.Percent > 0 {
			col := colBehind
			if b.Ahead {
				col = colAhead
			}
			p.FilledRect(x0+1, y1, max(xAt(b.Percent), x0+2), y2, col, col, 0)
		}
		p.Text(values[i], xAt(max(b.Percent, 100))+m.gap, baseline(mid-m.valueLineH/2, m.valuePt), 0, valueStyle)
	}

	// The elapsed share: a line across the rows and its caption above.
	xe := xAt(c.ElapsedPercent)
	p.LineStroke([]charts.Point{{X: xe, Y: plotTop - px(2*m.scale)}, {X: xe, Y: plotBottom}}, colElapsed, math.Max(2, 2*m.scale))
	caption := norm.NFC.String(c.ElapsedLabel)
	if caption == "" {
		caption = "Thời gian đã qua: " + vnfmt.Percent(c.ElapsedPercent)
	}
	capStyle := style(fontRegular, m.tickPt, colText)
	cw := width(caption, capStyle)
	cx := min(max(xe-cw/2, m.pad), right-cw)
	p.Text(caption, cx, baseline(annotTop, m.tickPt), 0, capStyle)

	// Legend, below the tick labels.
	drawLegend(p, legend, m, legendTop, tickStyle)
	return p.Bytes()
}

// legendItem is one entry of a chart's legend.
type legendItem struct {
	col    charts.Color
	text   string
	line   bool // a piece of line (the yearly target), not a square
	drawn  bool // the chart draws this colour
	x, row int  // where placeLegend puts it
}

// drawnOnly keeps the entries whose colour the chart draws: a legend lists
// only what is drawn, so that every entry can be found in the plot.
func drawnOnly(items []legendItem) []legendItem {
	var out []legendItem
	for _, it := range items {
		if it.drawn {
			it.text = norm.NFC.String(it.text)
			out = append(out, it)
		}
	}
	return out
}

// placeLegend lays the entries out from the left margin, in as many rows as
// the width needs, and returns the number of rows (none for no entry).
func placeLegend(items []legendItem, m metrics, w int, measure func(string) int) (rows int) {
	if len(items) == 0 {
		return 0
	}
	x := m.pad
	for i := range items {
		itemW := swatch(m) + m.gap/2 + px(float64(measure(items[i].text))*browserSlack)
		if x > m.pad && x+itemW > w-m.pad {
			x, rows = m.pad, rows+1
		}
		items[i].x, items[i].row = x, rows
		x += itemW + 2*m.gap
	}
	return rows + 1
}

// drawLegend draws the placed entries, their first row at top: a square, or
// a piece of line, in the entry's colour, and its text.
func drawLegend(p *charts.Painter, items []legendItem, m metrics, top int, st charts.FontStyle) {
	sw := swatch(m)
	for _, it := range items {
		rowTop := top + it.row*m.legendH
		if it.line {
			ly := rowTop + m.legendH/2
			p.LineStroke([]charts.Point{{X: it.x, Y: ly}, {X: it.x + sw, Y: ly}}, it.col, targetStroke(m))
		} else {
			swTop := rowTop + (m.legendH-sw)/2
			p.FilledRect(it.x, swTop, it.x+sw, swTop+sw, it.col, it.col, 0)
		}
		p.Text(it.text, it.x+sw+m.gap/2, baseline(rowTop, m.tickPt), 0, st)
	}
}

// swatch is the side of a legend's square.
func swatch(m metrics) int { return px(12 * m.scale) }

// legend is the completion chart's entries: the colours of the bars drawn,
// and the track, which every bar has.
func (c Completion) legend() []legendItem {
	ahead, behind := false, false
	for _, b := range c.Bars {
		ahead = ahead || b.Percent > 0 && b.Ahead
		behind = behind || b.Percent > 0 && !b.Ahead
	}
	return drawnOnly([]legendItem{
		{col: colAhead, text: or(c.AheadLabel, "Đúng hoặc vượt tiến độ"), drawn: ahead},
		{col: colBehind, text: or(c.BehindLabel, "Chậm tiến độ"), drawn: behind},
		{col: colTrack, text: or(c.TargetLabel, "Chỉ tiêu cả giai đoạn (100 %)"), drawn: true},
	})
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// scaleAxis picks the end of the value axis and its step (1, 2, 5 × 10ⁿ, at
// most six intervals, the tick labels apart), and the plot's width so that
// the value beside each bar and the last tick label end before right.
func scaleAxis(maxPercent float64, x0, right, gap int, bars []Bar, valueW []int, tickW func(float64) int) (axisMax, step float64, plotW int, err error) {
	for mag := 10.0; mag < 1e9; mag *= 10 {
		for _, f := range []float64{1, 2, 5} {
			step = f * mag
			intervals := math.Ceil(maxPercent/step - 1e-9)
			if intervals > 6 {
				continue
			}
			axisMax = intervals * step
			plotW = right - x0 - tickW(axisMax)/2
			for i, b := range bars {
				end := max(b.Percent, 100) / axisMax // where the value label starts, as a share of the plot
				plotW = min(plotW, int(float64(right-x0-gap-valueW[i])/end))
			}
			if plotW < 40 {
				return 0, 0, 0, fmt.Errorf("the plot would be %d px wide", plotW)
			}
			if float64(plotW)/intervals < float64(tickW(axisMax)+gap) {
				continue // tick labels would touch: try a larger step
			}
			return axisMax, step, plotW, nil
		}
	}
	return 0, 0, 0, errors.New("no axis scale fits")
}

// wrap breaks s into lines no wider than maxW, at spaces, into at most
// maxLines lines; the last line ends with "…" when the text does not fit.
func wrap(s string, maxW, maxLines int, measure func(string) int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for len(words) > 0 {
		w := words[0]
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if measure(try) <= maxW {
			cur, words = try, words[1:]
			continue
		}
		if cur == "" { // one word wider than the line: cut it
			cur = fitPrefix(w, maxW, measure)
			if words[0] = w[len(cur):]; words[0] == "" {
				words = words[1:]
			}
		}
		lines, cur = append(lines, cur), ""
		if len(lines) == maxLines {
			break
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(words) > 0 {
		lines = ellipsize(lines, maxW, measure)
	}
	return lines
}

// ellipsize marks the last line as cut.
func ellipsize(lines []string, maxW int, measure func(string) int) []string {
	const trim = " ,;:-–("
	last := strings.TrimRight(lines[len(lines)-1], trim)
	for last != "" && measure(last+"…") > maxW {
		if i := strings.LastIndexByte(last, ' '); i > 0 { // drop the last word
			last = strings.TrimRight(last[:i], trim)
			continue
		}
		_, size := utf8.DecodeLastRuneInString(last)
		last = strings.TrimRight(last[:len(last)-size], trim)
	}
	lines[len(lines)-1] = last + "…"
	return lines
}

// fitPrefix is the longest prefix of w (at least one rune) no wider than maxW.
func fitPrefix(w string, maxW int, measure func(string) int) string {
	end := 0
	for i, r := range w {
		next := i + utf8.RuneLen(r)
		if end > 0 && measure(w[:next]) > maxW {
			break
		}
		end = next
	}
	return w[:end]
}
