package chart

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-analyze/charts"

	"nscl"
)

// The demo's four indicators as the report words them, with the seed's
// completion in 2022 (end of year 2 of 2021–2025: 40 %), plus a bar with
// markup characters that the SVG must escape.
func sample() Completion {
	return Completion{
		Title: "Mức độ hoàn thành chỉ tiêu giai đoạn 2021–2025 đến hết năm 2022",
		Bars: []Bar{
			{Label: "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng", Percent: 9.93},
			{Label: "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh", Percent: 173.5, Ahead: true},
			{Label: "Huấn luyện bồi dưỡng kiến thức cho chuyên gia", Percent: 47.33, Ahead: true},
			{Label: "Phòng thử nghiệm <R&D> \"được\" tăng cường", Percent: 0},
		},
		ElapsedPercent: 40,
	}
}

// vietnamese has every letter of the Vietnamese alphabet with every tone
// mark, both cases, and the punctuation the chart writes.
const vietnamese = "Tập huấn, bồi dưỡng kiến thức nguồn nhân lực – Thời gian đã qua: 40 % … " +
	"aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ đ " +
	"AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ ÔỒỔỖỐỘ ƠỜỞỠỚỢ UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ Đ " +
	"bcdghklmnpqrstvx BCDGHKLMNPQRSTVX 0123456789 ,.;:()<>&\"'"

func TestFontsCoverVietnamese(t *testing.T) {
	for _, family := range []string{fontRegular, fontBold} {
		f := charts.GetFont(family)
		if f == nil {
			t.Fatalf("font %q is not available", family)
		}
		var missing []rune
		for _, r := range vietnamese + sample().Title {
			if r != ' ' && f.Index(r) == 0 {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			t.Errorf("font %q (%s) has no glyph for %q", family, f.Name(1), string(missing))
		}
	}
	// The labels are normalised to NFC before drawing: the font has no mark
	// positioning, so a decomposed "ư" + combining hook must become "ử".
	c := sample()
	c.Bars[0].Label = "Tu\u031b\u0309u ca\u0302\u0300n"
	if _, err := c.PNG(800, 400); err != nil {
		t.Fatal(err)
	}
	if out, err := c.SVG(800, 400); err != nil {
		t.Fatal(err)
	} else if !bytes.Contains(out, []byte(">Tửu cần<")) {
		t.Errorf("the decomposed label is not drawn composed:\n%s", out)
	}
}

func TestPNG(t *testing.T) {
	for _, size := range [][2]int{{800, 400}, {1600, 900}, {MinWidth, sample().SuggestedHeight(MinWidth)}} {
		out, err := sample().PNG(size[0], size[1])
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		if b := img.Bounds(); b.Dx() != size[0] || b.Dy() != size[1] {
			t.Errorf("PNG is %d × %d, want %v", b.Dx(), b.Dy(), size)
		}
	}
}

func TestSVG(t *testing.T) {
	c := sample()
	out, err := c.SVG(800, 400)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(out))
	var root *xml.StartElement
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == nil {
				e := tok.Copy()
				root = &e
			}
			inText = tok.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root == nil || root.Name.Local != "svg" {
		t.Fatalf("root element is %v, want svg", root)
	}
	attrs := map[string]string{}
	for _, a := range root.Attr {
		attrs[a.Name.Local] = a.Value
	}
	if attrs["width"] != "800" || attrs["height"] != "400" || attrs["viewBox"] != "0 0 800 400" || attrs["aria-label"] != c.Title {
		t.Errorf("root attributes %v", attrs)
	}
	all := strings.Join(texts, "\n")
	// Labels are wrapped, so look for their words; the escaped one whole.
	for _, want := range []string{
		"Tập huấn, bồi dưỡng", "Huấn luyện bồi dưỡng", `Phòng thử nghiệm <R&D> "được"`,
		"Mức độ hoàn thành chỉ tiêu", "Thời gian đã qua: 40 %",
		"9,93 %", "173,5 %", "47,33 %", "0 %", "100 %", "200 %",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG text lacks %q; texts:\n%s", want, all)
		}
	}
	if !bytes.Contains(out, []byte("&lt;R&amp;D&gt;")) {
		t.Error("the label with markup is not escaped")
	}
	// The longest label does not fit in three lines: it is cut with "…".
	if !strings.Contains(all, "…") {
		t.Errorf("no label was shortened; texts:\n%s", all)
	}
	for _, decimalPoint := range []string{"9.93", "173.5", "47.33"} {
		if strings.Contains(all, decimalPoint) {
			t.Errorf("SVG writes %q with a decimal point", decimalPoint)
		}
	}
}

// A bar above 100 % and its value fit inside the canvas: the axis runs to
// 200 % and the value label ends before the right edge.
func TestOverHundredAndZero(t *testing.T) {
	c := Completion{Bars: []Bar{{Label: "Vượt", Percent: 173.5}, {Label: "Chưa có", Percent: 0}}, ElapsedPercent: 40}
	out, err := c.SVG(400, 200)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(">173,5 %<")) || !bytes.Contains(out, []byte(">0 %<")) {
		t.Errorf("values missing:\n%s", out)
	}
	// Where is the text of the value, and how wide?
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: 400, Height: 200})
	m := newMetrics(400)
	w := p.MeasureText("173,5 %", 0, style(fontRegular, m.valuePt, colText)).Width()
	i := bytes.Index(out, []byte(">173,5 %<"))
	tag := out[bytes.LastIndex(out[:i], []byte("<text")):i]
	_, xs, _ := strings.Cut(string(tag), `x="`)
	x, err := strconv.Atoi(xs[:strings.IndexByte(xs, '"')])
	if err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	if x+w > 400-m.pad {
		t.Errorf("value label runs to %d px, past %d", x+w, 400-m.pad)
	}
	if _, err := c.PNG(400, 200); err != nil {
		t.Fatal(err)
	}
	// Large values still get a readable axis.
	c.Bars[0].Percent = 12345.6
	if out, err = c.SVG(400, 200); err != nil {
		t.Fatal(err)
	} else if !bytes.Contains(out, []byte(">12.345,6 %<")) {
		t.Errorf("large value missing:\n%s", out)
	}
}

func TestErrors(t *testing.T) {
	_, err := Completion{ElapsedPercent: 40}.PNG(800, 400)
	if err == nil || !strings.Contains(err.Error(), "no bars") {
		t.Errorf("empty Bars: err = %v, want a clear error", err)
	}
	if _, err := (Completion{Bars: []Bar{{"x", -1, false}}}).SVG(800, 400); err == nil {
		t.Error("negative percent: no error")
	}
	if _, err := sample().PNG(100, 50); err == nil {
		t.Error("tiny canvas: no error")
	}
	many := Completion{ElapsedPercent: 40}
	for range 40 {
		many.Bars = append(many.Bars, Bar{"Chỉ tiêu", 50, true})
	}
	if _, err := many.PNG(800, 300); err == nil || !strings.Contains(err.Error(), "do not fit") {
		t.Errorf("40 bars in 300 px: err = %v", err)
	}
	if _, err := many.PNG(800, many.SuggestedHeight(800)); err != nil {
		t.Errorf("at the suggested height: %v", err)
	}
	// A plan of one indicator, as the completion chart draws it in the page.
	one := Completion{ElapsedPercent: 40, Bars: []Bar{{"Doanh nghiệp được đào tạo", 12, true}}}
	if _, err := one.InlineSVG(720, one.SuggestedHeight(720)); err != nil {
		t.Errorf("one bar at the suggested height: %v", err)
	}
}

func TestFromResults(t *testing.T) {
	rs := []nscl.IndicatorResult{
		{Metric: nscl.Metric{Code: "a", Name: "Tập huấn dài"}, CompletionPercent: 9.93, ElapsedPercent: 40, Status: nscl.StatusBehind},
		{Metric: nscl.Metric{Code: "b", Name: "Không chỉ tiêu"}, ElapsedPercent: 40, Status: nscl.StatusNoTarget},
		{Metric: nscl.Metric{Code: "c", Name: "Hỗ trợ doanh nghiệp"}, CompletionPercent: 173.5, ElapsedPercent: 40, Status: nscl.StatusExceeded},
		{Metric: nscl.Metric{Code: "d", Name: "Không chỉ tiêu riêng"}, ElapsedPercent: 40, Status: nscl.StatusNoOwnTarget},
		{Metric: nscl.Metric{Code: "e", Name: "Vừa đủ"}, CompletionPercent: 100, ElapsedPercent: 100, Status: nscl.StatusExceeded},
	}
	c := FromResults("T", rs, map[string]string{"a": "Tập huấn"})
	if c.ElapsedPercent != 40 || len(c.Bars) != 3 || c.Bars[0] != (Bar{"Tập huấn", 9.93, false}) || c.Bars[1] != (Bar{"Hỗ trợ doanh nghiệp", 173.5, true}) ||
		c.Bars[2] != (Bar{"Vừa đủ", 100, true}) {
		t.Errorf("FromResults = %+v", c)
	}
}

// A bar is coloured as its status says, not judged again by the chart: a
// target reached exactly at the end of the plan is green, and a bar the
// status calls behind is red whatever its length.
func TestBarColourIsTheStatus(t *testing.T) {
	// A colour drawn is in the legend once, and once more for each bar; a
	// colour no bar has is not in the legend.
	fills := func(c Completion) (ahead, behind int) {
		t.Helper()
		out, err := c.SVG(400, 200)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(out), "fill:rgb(23,107,44)"), strings.Count(string(out), "fill:rgb(122,31,31)")
	}
	if ahead, behind := fills(Completion{Bars: []Bar{{"Vừa đủ", 100, true}}, ElapsedPercent: 100}); ahead != 2 || behind != 0 {
		t.Errorf("100 %% at the end, exceeded: %d green shapes, %d red; want a green bar and its legend", ahead, behind)
	}
	if ahead, behind := fills(Completion{Bars: []Bar{{"Chậm", 50, false}}, ElapsedPercent: 40}); ahead != 0 || behind != 2 {
		t.Errorf("a bar its status calls behind: %d green shapes, %d red; want a red bar and its legend", ahead, behind)
	}
}

func TestWrap(t *testing.T) {
	measure := func(s string) int { return len([]rune(s)) } // one unit a rune
	cases := []struct {
		s     string
		w, n  int
		lines []string
	}{
		{"a bb ccc", 10, 3, []string{"a bb ccc"}},
		{"a bb ccc", 4, 3, []string{"a bb", "ccc"}},
		{"aaaa bbbb cccc dddd", 4, 2, []string{"aaaa", "bbb…"}},
		{"abcdefghij", 4, 3, []string{"abcd", "efgh", "ij"}},
		{"Tập huấn, bồi dưỡng", 9, 1, []string{"Tập huấn…"}},
	}
	for _, c := range cases {
		got := wrap(c.s, c.w, c.n, measure)
		if strings.Join(got, "|") != strings.Join(c.lines, "|") {
			t.Errorf("wrap(%q, %d, %d) = %q, want %q", c.s, c.w, c.n, got, c.lines)
		}
	}
}

// NSCL_CHART_DIR=/tmp go test ./chart -run Samples writes the sample chart
// as chart-test.png and chart-test.svg to look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("NSCL_CHART_DIR")
	if dir == "" {
		t.Skip("NSCL_CHART_DIR not set")
	}
	c := sample()
	for _, f := range []struct {
		name string
		fn   func(int, int) ([]byte, error)
	}{{"chart-test.png", c.PNG}, {"chart-test.svg", c.SVG}} {
		out, err := f.fn(800, c.SuggestedHeight(800))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkPNG(b *testing.B) {
	c := sample()
	for b.Loop() {
		if _, err := c.PNG(800, 400); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSVG(b *testing.B) {
	c := sample()
	for b.Loop() {
		if _, err := c.SVG(800, 400); err != nil {
			b.Fatal(err)
		}
	}
}
