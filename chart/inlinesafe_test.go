package chart

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"

	"github.com/go-analyze/charts"
)

var (
	styleAttr = regexp.MustCompile(` style="([^"]*)"`)
	styleDecl = regexp.MustCompile(`^\s*([a-z-]+)\s*:\s*(.*?)\s*$`)
)

// inlineSafeByRegexp is inlineSafe as it was first written, with regular
// expressions: what the hand-written reader must give.
func inlineSafeByRegexp(svg []byte) []byte {
	return styleAttr.ReplaceAllFunc(svg, func(m []byte) []byte {
		var out bytes.Buffer
		for _, decl := range bytes.Split(styleAttr.FindSubmatch(m)[1], []byte(";")) {
			if kv := styleDecl.FindSubmatch(decl); kv != nil {
				fmt.Fprintf(&out, ` %s="%s"`, kv[1], kv[2])
			}
		}
		return out.Bytes()
	})
}

// inlineSafeSamples are the library's own SVG of each of our charts, and
// style attributes written to catch the edges of a declaration.
func inlineSafeSamples(t testing.TB) [][]byte {
	var samples [][]byte
	for _, render := range []func() ([]byte, error){
		func() ([]byte, error) { return sampleYearly().render(charts.ChartOutputSVG, 360, 280) },
		func() ([]byte, error) { return sample().render(charts.ChartOutputSVG, 800, 400) },
		func() ([]byte, error) {
			return Units{Title: "Số doanh nghiệp", Units: []UnitValue{{Name: "Sở KHCN", Value: 12, Pending: 3}, {Name: "Quận 1", Value: 4}}}.render(charts.ChartOutputSVG, 400, 300)
		},
	} {
		out, err := render()
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, out)
	}
	return append(samples,
		[]byte(`<text style="fill:#fff; font-size : 12px ;stroke-width:1;">x</text>`),
		[]byte(`<a style="">`), []byte(`<a style=";;">`), []byte(`<a style="Fill:red;fill:blue">`),
		[]byte(`<a style=" -webkit-x : a:b ; c">`), []byte(`<a style="fill:
red;font: a
b">`), []byte(`<a style="fill:red`), []byte(`<a style="x:1" style="y:2"> style="z:3"`),
		[]byte("<a style=\"fill:\xff\t\">"), []byte(`<a  style="fill:red">`), []byte(`<a style="fill:"`))
}

func TestInlineSafeReadsAsTheRegularExpressions(t *testing.T) {
	for _, s := range inlineSafeSamples(t) {
		if got, want := inlineSafe(s), inlineSafeByRegexp(s); !bytes.Equal(got, want) {
			t.Errorf("inlineSafe(%.200q)\n= %.400q\nwant %.400q", s, got, want)
		}
	}
}

func FuzzInlineSafe(f *testing.F) {
	for _, s := range inlineSafeSamples(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		if got, want := inlineSafe(s), inlineSafeByRegexp(s); !bytes.Equal(got, want) {
			t.Errorf("inlineSafe(%q)\n= %q\nwant %q", s, got, want)
		}
	})
}

func BenchmarkInlineSafe(b *testing.B) {
	out, err := sampleYearly().render(charts.ChartOutputSVG, 360, 280)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			inlineSafe(out)
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			inlineSafeByRegexp(out)
		}
	})
}

// TestMeasuredWidthsDrawTheSameChart draws each chart with no width kept,
// then again after the other format and the other charts were drawn: the
// widths kept must be those its own painter measures.
func TestMeasuredWidthsDrawTheSameChart(t *testing.T) {
	units := Units{Title: "Số doanh nghiệp", Units: []UnitValue{{Name: "Sở Khoa học và Công nghệ", Value: 12, Pending: 3}, {Name: "Quận 1", Value: 4}}}
	draws := map[string]func() ([]byte, error){
		"yearly svg":     func() ([]byte, error) { return sampleYearly().SVG(360, 280) },
		"yearly png":     func() ([]byte, error) { return sampleYearly().PNG(720, 560) },
		"completion svg": func() ([]byte, error) { return sample().InlineSVG(800, sample().SuggestedHeight(800)) },
		"completion png": func() ([]byte, error) { return sample().PNG(1600, 800) },
		"units svg":      func() ([]byte, error) { return units.SVG(400, units.SuggestedHeight(400)) },
		"units png":      func() ([]byte, error) { return units.PNG(800, 600) },
	}
	forget := func() {
		measured.Lock()
		measured.widths = nil
		measured.Unlock()
	}
	alone := map[string][]byte{}
	for name, draw := range draws {
		forget()
		out, err := draw()
		if err != nil {
			t.Fatal(name, err)
		}
		alone[name] = out
	}
	for range 2 {
		for name, draw := range draws { // every other chart drawn before, in map order
			out, err := draw()
			if err != nil {
				t.Fatal(name, err)
			}
			if !bytes.Equal(out, alone[name]) {
				t.Errorf("%s drawn after the others differs from it drawn alone", name)
			}
		}
	}
}
