package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/go-analyze/charts"
	"golang.org/x/text/unicode/norm"

	"nscl/vnfmt"
)

// Colours of the yearly chart. Blue bars and an orange target line stay
// apart for readers who do not tell red from green.
var (
	colResult  = charts.ColorFromHex("2f5f8a") // approved result
	colPending = charts.ColorFromHex("a9c4dd") // entered, not yet approved
	colTarget  = charts.ColorFromHex("c25400") // the year's target
)

// Year is one year of an indicator: its approved result, what is entered
// but not yet approved, and the annual target when one is set.
type Year struct {
	Year      int
	Value     int64 // approved
	Pending   int64 // entered, not yet approved: drawn on top of the approved part
	Target    int64
	HasTarget bool
}

// Yearly is one indicator's results year by year against its annual
// targets: a vertical bar per year with its value written above it, the
// target as a line across the bar and its value under the year, a value
// axis on the left and a legend whose swatches are drawn with the colours
// of the bars and the line.
type Yearly struct {
	// Title names the chart for screen readers (aria-label); the page
	// shows it as the figure's caption.
	Title string
	Years []Year
	// Legend texts; when empty, the Vietnamese ones: "Kết quả đã duyệt",
	// "Chưa duyệt", "Chỉ tiêu năm".
	ValueLabel, PendingLabel, TargetLabel string
}

// ErrNoYears is returned for a yearly chart with no year to draw.
var ErrNoYears = errors.New("chart: no years to draw (Yearly.Years is empty)")

// yearlyBase is the width the yearly chart is laid out for: it sits in a
// column of small charts, so its text is set larger for its width than the
// completion chart's.
const yearlyBase = 400

// SVG renders the chart as an SVG element of widthPx × heightPx that may be
// written inside an HTML page whose content security policy forbids inline
// styles: colours and fonts are presentation attributes (see inlineSafe).
func (c Yearly) SVG(widthPx, heightPx int) ([]byte, error) {
	out, err := c.render(charts.ChartOutputSVG, widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	return labelled(lighter(inlineSafe(out)), widthPx, heightPx, c.Title), nil
}

// PNG renders the chart as a PNG image of widthPx × heightPx pixels.
func (c Yearly) PNG(widthPx, heightPx int) ([]byte, error) {
	return c.render(charts.ChartOutputPNG, widthPx, heightPx)
}

// InlineSVG is the completion chart as SVG fit to be written inside an
// HTML page (see Yearly.SVG); the image the report page links to stays SVG.
func (c Completion) InlineSVG(widthPx, heightPx int) ([]byte, error) {
	out, err := c.SVG(widthPx, heightPx)
	if err != nil {
		return nil, err
	}
	return lighter(inlineSafe(out)), nil
}

// labelled gives the root element its size, role and accessible name.
func labelled(out []byte, w, h int, title string) []byte {
	const root = `<svg xmlns="http://www.w3.org/2000/svg"`
	if !bytes.HasPrefix(out, []byte(root)) {
		return out // the library changed its output; leave it as it is
	}
	var attrs bytes.Buffer
	fmt.Fprintf(&attrs, ` width="%d" height="%d" role="img"`, w, h)
	if title != "" {
		attrs.WriteString(` aria-label="`)
		_ = xml.EscapeText(&attrs, []byte(norm.NFC.String(title)))
		attrs.WriteByte('"')
	}
	return append([]byte(root), append(attrs.Bytes(), out[len(root):]...)...)
}

// inlineSafe turns the library's style attributes (style="fill:…;
// font-size:…") into presentation attributes (fill="…" font-size="…"),
// which a content security policy without 'unsafe-inline' lets through
// while it drops style attributes, leaving text and bars black. A
// declaration that is not "name: value" (a name of a–z and "-", a value on
// one line) is left out. Read by hand: as two regular expressions it was a
// seventh of the national dashboard's processor time.
func inlineSafe(svg []byte) []byte {
	const open = ` style="`
	out := make([]byte, 0, len(svg)+len(svg)/8)
	for {
		i := bytes.Index(svg, []byte(open))
		if i < 0 {
			return append(out, svg...)
		}
		n := bytes.IndexByte(svg[i+len(open):], '"')
		if n < 0 {
			return append(out, svg...)
		}
		out = append(out, svg[:i]...)
		for decl := range bytes.SplitSeq(svg[i+len(open):i+len(open)+n], []byte(";")) {
			if name, value, ok := styleDeclaration(decl); ok {
				out = append(append(append(append(append(out, ' '), name...), `="`...), value...), '"')
			}
		}
		svg = svg[i+len(open)+n+1:]
	}
}

// cssSpace is what a declaration's name and value are trimmed of.
const cssSpace = " \t\n\f\r"

// styleDeclaration splits one declaration of a style attribute into its
// name and value.
func styleDeclaration(decl []byte) (name, value []byte, ok bool) {
	decl = bytes.TrimLeft(decl, cssSpace)
	n := 0
	for n < len(decl) && ('a' <= decl[n] && decl[n] <= 'z' || decl[n] == '-') {
		n++
	}
	rest := bytes.TrimLeft(decl[n:], cssSpace)
	if n == 0 || len(rest) == 0 || rest[0] != ':' {
		return nil, nil, false
	}
	value = bytes.Trim(rest[1:], cssSpace)
	if bytes.IndexByte(value, '\n') >= 0 {
		return nil, nil, false
	}
	return decl[:n], value, true
}

func (c Yearly) validate() error {
	if len(c.Years) == 0 {
		return ErrNoYears
	}
	// A negative result (a year of corrections) is written, not drawn; a
	// negative pending part or target has no meaning.
	for _, y := range c.Years {
		if y.Pending < 0 || y.Target < 0 {
			return fmt.Errorf("chart: year %d has a negative pending part (%d) or target (%d)", y.Year, y.Pending, y.Target)
		}
	}
	return nil
}

// legend is the yearly chart's entries: the approved and pending parts and
// the target line, each when some year draws it.
func (c Yearly) legend() []legendItem {
	approved, pending, target := false, false, false
	for _, y := range c.Years {
		approved = approved || y.Value > 0
		pending = pending || y.Pending > 0
		target = target || y.HasTarget
	}
	return drawnOnly([]legendItem{
		{col: colResult, text: or(c.ValueLabel, "Kết quả đã duyệt"), drawn: approved},
		{col: colPending, text: or(c.PendingLabel, "Chưa duyệt"), drawn: pending},
		{col: colTarget, text: or(c.TargetLabel, "Chỉ tiêu năm"), drawn: target, line: true},
	})
}

// valueAxis picks the top of the value axis and its step: 1, 2 or 5 × 10ⁿ,
// whole numbers, at most five intervals, the top at or above max.
func valueAxis(maxValue int64) (top, step int64) {
	maxValue = max(maxValue, 1)
	for mag := int64(1); ; mag *= 10 {
		for _, f := range []int64{1, 2, 5} {
			step = f * mag
			if n := (maxValue + step - 1) / step; n <= 5 {
				return n * step, step
			}
		}
	}
}

func (c Yearly) render(format string, w, h int) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	p, err := canvas(format, w, h)
	if err != nil {
		return nil, err
	}
	m := metricsAt(scaleFor(w, yearlyBase))

	tickStyle := style(fontRegular, m.tickPt, colMuted)
	yearStyle := style(fontRegular, m.labelPt, colText)
	valueStyle := style(fontRegular, m.valuePt, colText)
	targetStyle := style(fontRegular, m.tickPt, colTarget)
	width := measurer(p, format)

	// The legend's rows, at the bottom.
	items := c.legend()
	legendRows := placeLegend(items, m, w, func(s string) int { return width(s, tickStyle) })
	hasTarget := slices.ContainsFunc(c.Years, func(y Year) bool { return y.HasTarget })

	// Vertical layout: the value above the tallest bar, the plot, the
	// years, the targets under them, the legend.
	legendTop := h - m.pad - legendRows*m.legendH
	rowsBelow := m.labelLineH
	if hasTarget {
		rowsBelow += m.tickLineH
	}
	plotTop := m.pad + m.valueLineH
	plotBottom := legendTop - m.gap - rowsBelow - px(3*m.scale)
	if plotBottom-plotTop < 4*m.valueLineH {
		return nil, fmt.Errorf("chart: %d px is too low for the yearly chart", h)
	}

	var highest int64
	for _, y := range c.Years {
		highest = max(highest, y.Value+y.Pending, y.Target)
	}
	top, step := valueAxis(highest)
	yAt := func(v int64) int { return plotBottom - px(float64(v)/float64(top)*float64(plotBottom-plotTop)) }

	// The value axis: tick labels right-aligned left of the plot.
	axisW := 0
	for v := int64(0); v <= top; v += step {
		axisW = max(axisW, int(math.Ceil(float64(width(vnfmt.Int(v), tickStyle))*browserSlack)))
	}
	x0, right := m.pad+axisW+m.gap, w-m.pad
	for v := int64(0); v <= top; v += step {
		y := yAt(v)
		col := colGrid
		if v == 0 {
			col = colAxis
		}
		p.LineStroke([]charts.Point{{X: x0, Y: y}, {X: right, Y: y}}, col, math.Max(1, m.scale))
		t := vnfmt.Int(v)
		p.Text(t, x0-m.gap/2-width(t, tickStyle), y+px(emPx(m.tickPt)*0.35), 0, tickStyle)
	}

	// One slot a year: the bar in its middle half.
	slot := float64(right-x0) / float64(len(c.Years))
	sw := swatch(m)
	barW := max(px(slot*0.5), 4)
	minH := max(px(2*m.scale), 2) // a small value stays visible above the axis
	for i, y := range c.Years {
		mid := x0 + px(slot*(float64(i)+0.5))
		bx1, bx2 := mid-barW/2, mid-barW/2+barW
		base := yAt(0)
		barTop := base
		if y.Value > 0 {
			barTop = min(yAt(y.Value), base-minH)
			p.FilledRect(bx1, barTop, bx2, base, colResult, colResult, 0)
		}
		stackTop := barTop
		if y.Pending > 0 {
			stackTop = min(yAt(y.Value+y.Pending), barTop-minH)
			p.FilledRect(bx1, stackTop, bx2, barTop, colPending, colPending, 0)
		}
		if y.HasTarget {
			ty := yAt(y.Target)
			over := max(px(slot*0.12), 3)
			p.LineStroke([]charts.Point{{X: bx1 - over, Y: ty}, {X: bx2 + over, Y: ty}}, colTarget, targetStroke(m))
			// The target's value under the year, after a piece of its line.
			t := vnfmt.Int(y.Target)
			tw := sw*2/3 + m.gap/3 + width(t, targetStyle)
			tx := mid - tw/2
			tTop := plotBottom + px(3*m.scale) + m.labelLineH
			ly := tTop + m.tickLineH/2
			p.LineStroke([]charts.Point{{X: tx, Y: ly}, {X: tx + sw*2/3, Y: ly}}, colTarget, targetStroke(m))
			p.Text(t, tx+sw*2/3+m.gap/3, baseline(tTop, m.tickPt), 0, targetStyle)
		}
		// The value above the bar; above the target line too when the line
		// would cross it (a value close to its target).
		v := vnfmt.Int(y.Value)
		vy := stackTop - px(3*m.scale) // the baseline: digits go no lower
		if y.HasTarget {
			half, clear := targetStroke(m)/2, float64(px(2*m.scale))
			ty := float64(yAt(y.Target))
			if ty+half > float64(vy)-digitHeight(m.valuePt)-clear && ty-half < float64(vy)+clear {
				vy = int(math.Floor(ty - half - clear))
			}
		}
		p.Text(v, mid-width(v, valueStyle)/2, vy, 0, valueStyle)
		yr := fmt.Sprint(y.Year)
		p.Text(yr, mid-width(yr, yearStyle)/2, baseline(plotBottom+px(3*m.scale), m.labelPt), 0, yearStyle)
	}

	drawLegend(p, items, m, legendTop, tickStyle)
	return p.Bytes()
}

// targetStroke is the width of the target's line.
func targetStroke(m metrics) float64 { return math.Max(3, 3*m.scale) }

// digitHeight is how far digits rise above their baseline, with room for
// a browser's own font (Noto Sans's digits rise 0,71 em, DejaVu Sans's 0,73).
func digitHeight(pt float64) float64 { return emPx(pt) * 0.8 }

// lighter drops from an SVG written inside a page what its root can give
// every element by inheritance: stroke="none", which is the initial value,
// and the font family every text names, written once on the root (when
// they name one family most of all, and each names one). The nation's
// dashboard holds ten charts; those two attributes were a third of their
// 50 KB, written to every reader. Only tags are changed, never text. An
// SVG that is not flat — an element that can hold others (a group, a
// link, a second root, a style) — is left as it is, as is one whose root
// already names a stroke or a font. The library's root holds no '>' in
// its attributes (labelled adds the label after).
func lighter(svg []byte) []byte {
	rootEnd := bytes.IndexByte(svg, '>')
	if !bytes.HasPrefix(svg, []byte("<svg ")) || rootEnd < 0 ||
		bytes.Contains(svg[:rootEnd], []byte(" stroke=")) || bytes.Contains(svg[:rootEnd], []byte(" font-family=")) {
		return svg
	}
	body := svg[rootEnd:]
	flat, inText, unnamed := true, false, false
	count := map[string]int{}
	family := ""
	eachPiece(body, func(piece []byte, tag bool) {
		if !tag || !flat {
			return
		}
		if end, ok := bytes.CutPrefix(piece, []byte("</")); ok { // of the text open, or of the root
			flat = inText && string(end) == "text" || !inText && string(end) == "svg"
			inText = false
			return
		}
		name := piece[1:]
		if n := bytes.IndexAny(name, " \t\n\r/"); n >= 0 {
			name = name[:n]
		}
		selfClosing := bytes.HasSuffix(piece, []byte("/"))
		switch {
		case inText: // an element inside a text
			flat = false
		case string(name) == "text":
			inText = !selfClosing
			a := familyOf(piece)
			if a == "" {
				unnamed = true
			} else if count[a]++; count[a] > count[family] {
				family = a
			}
		default:
			flat = selfClosing && flatElements[string(name)]
		}
	})
	if !flat {
		return svg
	}
	drop := []string{` stroke="none"`}
	if unnamed || count[family] < 2 {
		family = ""
	} else {
		drop = append(drop, family)
	}
	out := append(append(make([]byte, 0, len(svg)), svg[:rootEnd]...), family...)
	eachPiece(body, func(piece []byte, tag bool) {
		for tag && len(piece) > 0 {
			i, n := -1, 0 // where the first attribute to drop is, and its length
			for _, d := range drop {
				if j := bytes.Index(piece, []byte(d)); j >= 0 && (i < 0 || j < i) {
					i, n = j, len(d)
				}
			}
			if i < 0 {
				break
			}
			out = append(out, piece[:i]...)
			piece = piece[i+n:]
		}
		out = append(out, piece...)
	})
	return out
}

// flatElements are the elements lighter lets an SVG hold besides texts,
// when they hold nothing themselves: shapes, which inherit from the root
// alone.
var flatElements = map[string]bool{"path": true, "circle": true, "rect": true, "line": true, "polyline": true, "polygon": true, "ellipse": true}

// eachPiece gives svg to fn in pieces: each tag, from its '<' up to its
// '>' (tag true), and what lies between two tags (tag false).
func eachPiece(svg []byte, fn func(piece []byte, tag bool)) {
	for len(svg) > 0 {
		open := bytes.IndexByte(svg, '<')
		if open < 0 {
			fn(svg, false)
			return
		}
		fn(svg[:open], false)
		end := bytes.IndexByte(svg[open:], '>')
		if end < 0 {
			fn(svg[open:], false)
			return
		}
		fn(svg[open:open+end], true)
		svg = svg[open+end:]
	}
}

// familyOf is a tag's font-family attribute (` font-family="…"`), "" when
// it has none.
func familyOf(tag []byte) string {
	const attr = ` font-family="`
	i := bytes.Index(tag, []byte(attr))
	if i < 0 {
		return ""
	}
	n := bytes.IndexByte(tag[i+len(attr):], '"')
	if n < 0 {
		return ""
	}
	return string(tag[i : i+len(attr)+n+1])
}
