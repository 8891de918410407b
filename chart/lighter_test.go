package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/go-analyze/charts"
)

// drawn is an element as a browser draws it: its name, its own
// attributes but the two lighter moves, the stroke and font family it
// inherits or names, and its text.
type drawn struct {
	name, attrs, stroke, family, text string
}

// drawnElements reads svg as a browser would for the two properties
// lighter moves: stroke (initially none) and font-family (initially the
// browser's), both inherited, the font family of text only.
func drawnElements(t *testing.T, svg []byte) []drawn {
	t.Helper()
	type inherited struct{ stroke, family string }
	stack := []inherited{{stroke: "none"}}
	var out []drawn
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			in := stack[len(stack)-1]
			var attrs []string
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "stroke":
					in.stroke = a.Value
				case "font-family":
					in.family = a.Value
				default:
					attrs = append(attrs, a.Name.Space+":"+a.Name.Local+"="+a.Value)
				}
			}
			slices.Sort(attrs)
			stack = append(stack, in)
			d := drawn{name: tok.Name.Local, attrs: strings.Join(attrs, " "), stroke: in.stroke}
			if d.name == "text" || d.name == "tspan" {
				d.family = in.family // the only elements drawn with a font
			}
			out = append(out, d)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(out) > 0 {
				out[len(out)-1].text += string(tok)
			}
		}
	}
}

// An SVG made lighter draws every element as before, with the same
// stroke, font and text, in a quarter less at least for the library's
// charts.
func TestLighterDrawsTheSame(t *testing.T) {
	units := Units{Title: "Số doanh nghiệp", Units: []UnitValue{{Name: "Sở KHCN", Value: 12, Pending: 3}, {Name: "Quận 1", Value: 4}}}
	for name, render := range map[string]func() ([]byte, error){
		"yearly":     func() ([]byte, error) { return sampleYearly().render(charts.ChartOutputSVG, 360, 280) },
		"completion": func() ([]byte, error) { return sample().render(charts.ChartOutputSVG, 800, 400) },
		"units":      func() ([]byte, error) { return units.render(charts.ChartOutputSVG, 400, 300) },
	} {
		out, err := render()
		if err != nil {
			t.Fatal(name, err)
		}
		heavy := inlineSafe(out)
		light := lighter(heavy)
		if got, want := drawnElements(t, light), drawnElements(t, heavy); !slices.Equal(got, want) {
			t.Errorf("%s: drawn differently once lighter", name)
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("first difference, element %d: %+v, want %+v", i, got[i], want[i])
					break
				}
			}
		}
		if len(light) > len(heavy)*3/4 {
			t.Errorf("%s: %d bytes once lighter, %d before: want a quarter less at least", name, len(light), len(heavy))
		}
	}
	for _, svg := range []string{
		// Text that reads like the attributes stays as it is.
		`<svg xmlns="http://www.w3.org/2000/svg"><text stroke="none" font-family="A">stroke="none" font-family="A"</text><text font-family="A">b</text></svg>`,
		// The family most tags name goes to the root; the others stay.
		`<svg xmlns="http://www.w3.org/2000/svg"><text font-family="B">a</text><text font-family="A">b</text><text font-family="A">c</text><path stroke="red" d="M 0 0"/></svg>`,
		// A family named once stays where it is.
		`<svg xmlns="http://www.w3.org/2000/svg"><text font-family="A">a</text><path stroke="none"/></svg>`,
		// A text that names no family keeps the page's: none goes to the root.
		`<svg xmlns="http://www.w3.org/2000/svg"><text font-family="A">a</text><text font-family="A">b</text><text>c</text></svg>`,
		// A '>' in a value and a '<' in a text.
		`<svg xmlns="http://www.w3.org/2000/svg"><text x="1>2" font-family="A" stroke="none">a &lt; b</text><text font-family="A">c</text></svg>`,
	} {
		if got, want := drawnElements(t, lighter([]byte(svg))), drawnElements(t, []byte(svg)); !slices.Equal(got, want) {
			t.Errorf("lighter(%s):\n%+v, want\n%+v", svg, got, want)
		}
	}
	for _, svg := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg"><g stroke="red"><path stroke="none"/></g></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" stroke="red"><path stroke="none"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" font-family="B"><text font-family="A">a</text><text font-family="A">a</text></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><svg stroke="red"><path stroke="none"/></svg></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><a stroke="red"><path stroke="none"/></a></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><text stroke="red">a<tspan stroke="none">b</tspan></text></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><use stroke="red" href="#p"/><path id="p" stroke="none"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><style>svg { stroke: red }</style><path stroke="none"/></svg>`,
	} {
		if got := lighter([]byte(svg)); string(got) != svg {
			t.Errorf("lighter(%s) = %s, want it left as it is", svg, got)
		}
	}
}
