package chart

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-analyze/charts"
	"golang.org/x/text/unicode/norm"

	"nscl/vnfmt"
)

// UnitValue is one unit's figure of an indicator: what is approved and what
// is entered but not yet approved.
type UnitValue struct {
	Name    string
	Value   int64 // approved; a negative one (corrections) is written, not drawn
	Pending int64 // not yet approved: drawn after the approved part, lighter
	// Others is how many units a row of "the other units" stands for; 0
	// for a unit's own row.
	Others int
}

// Total is what the row's bar draws.
func (u UnitValue) Total() int64 { return max(u.Value, 0) + max(u.Pending, 0) }

// Units is one indicator's breakdown by unit: a horizontal bar per unit,
// the largest first, the approved part dark and the pending part lighter
// after it, the value written beside the bar. Past the first Top units the
// rest are summed in one last row, "Các đơn vị khác (n)", so that a list
// of 130 wards stays a chart; the page keeps the full list as a table.
type Units struct {
	// Title names the chart for screen readers (aria-label); the page
	// shows it as the figure's caption.
	Title string
	Units []UnitValue // in any order
	Top   int         // units drawn by themselves; 10 when 0
	// Texts; when empty, the Vietnamese ones: "Các đơn vị khác",
	// "Kết quả đã duyệt", "Chưa duyệt".
	OthersLabel, ValueLabel, PendingLabel string
}

// ErrNoUnits is returned for a breakdown in which no unit has a figure.
var ErrNoUnits = errors.New("chart: no unit has a figure to draw")

// Rows are the rows the chart draws, top to bottom: the Top units with
// the largest figures (approved plus pending; by name among equals), then
// one row summing the others when more than one is left. Units without a
// figure are left out. The page reads these rows out beside the chart.
func (c Units) Rows() []UnitValue {
	top := c.Top
	if top <= 0 {
		top = 10
	}
	var rows []UnitValue
	for _, u := range c.Units {
		if u.Value != 0 || u.Pending != 0 {
			u.Name, u.Others = norm.NFC.String(u.Name), 0
			rows = append(rows, u)
		}
	}
	slices.SortStableFunc(rows, func(a, b UnitValue) int {
		if c := cmp.Compare(b.Total(), a.Total()); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	if len(rows) <= top+1 { // one unit left over is drawn by itself
		return rows
	}
	others := UnitValue{Others: len(rows) - top}
	for _, u := range rows[top:] {
		others.Value += u.Value
		others.Pending += u.Pending
	}
	others.Name = fmt.Sprintf("%s (%d)", norm.NFC.String(or(c.OthersLabel, "Các đơn vị khác")), others.Others)
	return append(rows[:top:top], others)
}

// UnitValueText is how a row's value is written beside its bar and in the
// page's table: "1.234", or "1.234 (+56)" with 56 not yet approved.
func UnitValueText(u UnitValue) string {
	s := vnfmt.Int(u.Value)
	if u.Pending > 0 {
		s += " (+" + vnfmt.Int(u.Pending) + ")"
	}
	return s
}

// unitsBase is the width the breakdown is laid out for: like the yearly
// chart, it sits in a column of small charts.
const unitsBase = 400

func unitsMetrics(w int) metrics { return metricsAt(scaleFor(w, unitsBase)) }

// unitRowH is the height of a row: room for a label of two lines.
func unitRowH(m metrics) int { return 2*m.labelLineH + m.gap/2 }

// SuggestedHeight is the height in pixels at which every row has room for
// a label of two lines at the given width.
func (c Units) SuggestedHeight(widthPx int) int {
	m := unitsMetrics(widthPx)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: max(widthPx, 1), Height: 1})
	tickStyle := style(fontRegular, m.tickPt, colMuted)
	width := measurer(p, charts.ChartOutputSVG)
	drawn := c.Rows()
	rows := placeLegend(c.legend(drawn), m, widthPx, func(s string) int { return width(s, tickStyle) })
	return max(2*m.pad+len(drawn)*unitRowH(m)+m.gap+rows*m.legendH, MinHeight)
}

// legend is the breakdown's entries when it draws rows (its Rows): the
// approved and the pending part, each when some row draws it (a negative
// correction is written, not drawn).
func (c Units) legend(rows []UnitValue) []legendItem {
	approved, pending := false, false
	for _, u := range rows {
		approved = approved || u.Value > 0
		pending = pending || u.Pending > 0
	}
	return drawnOnly([]legendItem{
		{col: colResult, text: or(c.ValueLabel, "Kết quả đã duyệt"), drawn: approved},
		{col: colPending, text: or(c.PendingLabel, "Chưa duyệt"), drawn: pending},
	})
}

// SVG renders the chart as an SVG element of widthPx × heightPx that may be
// written inside an HTML page whose content security policy forbids inline
// styles (see Yearly.SVG).
func (c Units) SVG(widthPx, heightPx int) ([]byte, error) {
	out, err := c.render(charts.ChartOutputSVG, widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	return labelled(lighter(inlineSafe(out)), widthPx, heightPx, c.Title), nil
}

// PNG renders the chart as a PNG image of widthPx × heightPx pixels.
func (c Units) PNG(widthPx, heightPx int) ([]byte, error) {
	return c.render(charts.ChartOutputPNG, widthPx, heightPx)
}

func (c Units) render(format string, w, h int) ([]byte, error) {
	rows := c.Rows()
	if len(rows) == 0 {
		return nil, ErrNoUnits
	}
	p, err := canvas(format, w, h)
	if err != nil {
		return nil, err
	}
	m := unitsMetrics(w)
	labelStyle := style(fontRegular, m.labelPt, colText)
	tickStyle := style(fontRegular, m.tickPt, colMuted)
	valueStyle := style(fontRegular, m.valuePt, colText)
	width := measurer(p, format)

	items := c.legend(rows)
	legendRows := placeLegend(items, m, w, func(s string) int { return width(s, tickStyle) })
	rowH := unitRowH(m)
	if need := 2*m.pad + len(rows)*rowH + m.gap + legendRows*m.legendH; h < need {
		return nil, fmt.Errorf("chart: %d rows do not fit in %d px; want a height of at least %d", len(rows), h, need)
	}

	// Horizontal layout: the labels take up to 38 % of the width, less
	// when they are short; the bars start after them and leave room for
	// the value written after each.
	inner := w - 2*m.pad
	labelColW := 0
	for _, u := range rows {
		labelColW = max(labelColW, int(math.Ceil(float64(width(u.Name, labelStyle))*browserSlack))+m.gap)
	}
	labelColW = min(labelColW, px(float64(inner)*0.38))
	x0, right := m.pad+labelColW, w-m.pad
	values := make([]string, len(rows))
	pxPerUnit := math.Inf(1) // pixels per unit of value, the same for every bar
	for i, u := range rows {
		values[i] = UnitValueText(u)
		room := float64(right - x0 - m.gap/2 - int(math.Ceil(float64(width(values[i], valueStyle))*browserSlack)))
		if room < 40 {
			return nil, fmt.Errorf("chart: %d px is too narrow for the value %s", w, values[i])
		}
		if u.Total() > 0 {
			pxPerUnit = min(pxPerUnit, room/float64(u.Total()))
		}
	}
	if math.IsInf(pxPerUnit, 1) {
		pxPerUnit = 0 // every figure is a negative correction: no bar
	}

	// The axis the bars start from.
	top := m.pad
	bottom := top + len(rows)*rowH
	p.LineStroke([]charts.Point{{X: x0, Y: top}, {X: x0, Y: bottom}}, colAxis, math.Max(1, m.scale))

	barH := min(px(float64(rowH)*0.55), px(22*m.scale))
	minW := max(px(2*m.scale), 2) // a small figure stays visible
	labelW := int(float64(labelColW-m.gap) / browserSlack)
	for i, u := range rows {
		mid := top + i*rowH + rowH/2
		lines := wrap(u.Name, labelW, 2, func(s string) int { return width(s, labelStyle) })
		blockTop := mid - len(lines)*m.labelLineH/2
		for j, line := range lines {
			p.Text(line, m.pad, baseline(blockTop+j*m.labelLineH, m.labelPt), 0, labelStyle)
		}
		y1, y2 := mid-barH/2, mid-barH/2+barH
		end := x0 + 1
		if v := max(u.Value, 0); v > 0 {
			end = max(x0+1+px(float64(v)*pxPerUnit), x0+1+minW)
			p.FilledRect(x0+1, y1, end, y2, colResult, colResult, 0)
		}
		if v := max(u.Pending, 0); v > 0 {
			next := max(end+px(float64(v)*pxPerUnit), end+minW)
			p.FilledRect(end, y1, next, y2, colPending, colPending, 0)
			end = next
		}
		p.Text(values[i], end+m.gap/2, baseline(mid-m.valueLineH/2, m.valuePt), 0, valueStyle)
	}

	drawLegend(p, items, m, h-m.pad-legendRows*m.legendH, tickStyle)
	return p.Bytes()
}
