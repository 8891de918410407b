package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/docx"
)

// The fixture of these tests: a programme with five task groups (a–đ), two
// indicators with targets, one without, and a measure; figures of 2022
// large enough to need a dot between thousands; three documents.

func textProgramme() *nscl.Programme {
	return &nscl.Programme{Code: "NSCL", Name: "Chương trình năng suất chất lượng", StartYear: 2021, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Tuyên truyền"}, {Letter: "b", Name: "Đào tạo"}, {Letter: "c", Name: "Hỗ trợ"}, {Letter: "d", Name: "Chuyên gia"}, {Letter: "đ", Name: "Khác"}},
		Metrics: []nscl.Metric{
			{Code: "training", Name: "Số lượt doanh nghiệp được đào tạo", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "b"},
			{Code: "support", Name: "Số doanh nghiệp được hỗ trợ", Unit: "doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "c"},
			{Code: "experts", Name: "Số chuyên gia được đào tạo", Unit: "người", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "d"},
			{Code: "articles", Name: "Số tin bài", Unit: "tin bài", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a"},
		}}
}

// textReport is the results of 2022 against the 2021–2025 plan; withNext
// adds the 2023 annual plan, which targets training and support only.
func textReport(withNext bool) *Report {
	prog := textProgramme()
	plan := nscl.Plan{Name: "Kế hoạch 05 năm", UnitID: 1, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025,
		Targets: []nscl.Target{{Metric: "training", Value: 50_000}, {Metric: "support", Value: 2_000}}}
	var next *nscl.Plan
	if withNext {
		next = &nscl.Plan{Name: "Kế hoạch năm 2023", UnitID: 1, Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023,
			Targets: []nscl.Target{{Metric: "training", Value: 12_000}, {Metric: "support", Value: 1_500}}}
	}
	figures := map[string]nscl.Figures{
		"training": {YearValue: 16_192, Cumulative: 25_300},   // 50,6 % of 50.000 after 40 % of the time: on track
		"support":  {YearValue: 1_247, Cumulative: 2_500},     // 125 % of 2.000: exceeded
		"articles": {YearValue: 1_250, Cumulative: 1_234_567}, // a measure
	}
	unit := nscl.OrgUnit{ID: 1, Code: "HCM", Name: "Thành phố Hồ Chí Minh"}
	return &Report{Results: nscl.ComputeResults(prog, unit, 2022, plan, nil, next, figures), Programme: prog}
}

var (
	textDecision = nscl.Document{ID: 1, Type: "Quyết định", Number: "1322", Symbol: "QĐ-TTg", IssuedOn: time.Date(2020, 8, 31, 0, 0, 0, 0, time.UTC),
		Issuer: "Thủ tướng Chính phủ", Title: "phê duyệt Chương trình quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng"}
	textPlan = nscl.Document{ID: 2, Type: "Kế hoạch", Number: "4225", Symbol: "KH-CN-TĐC", IssuedOn: time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC),
		Issuer: "Bộ Khoa học và Công nghệ", Title: "thực hiện Chương trình giai đoạn 2021 - 2025"}
	textLetter = nscl.Document{ID: 3, Type: "Công văn", Number: "12", Symbol: "SKHCN"} // no date, no issuer
)

// groupOf counts activities as a task group's, citing every one: the
// report of a reader who may read them all.
func groupOf(acts ...nscl.Activity) GroupActivities {
	var g GroupActivities
	for _, a := range acts {
		g.add(a, true)
	}
	return g
}

func textActivity(group, desc string, qty ...nscl.Quantity) nscl.Activity {
	return nscl.Activity{Date: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), TaskGroup: group, Description: desc, Quantities: qty}
}

// textInput is the Word input of textReport(withNext): groups a and d
// reported nothing, b two trainings, c three activities over three
// metrics, đ one activity without figures.
func textInput(withNext bool, narrative map[string]string) WordInput {
	return WordInput{
		Report:    textReport(withNext),
		Legal:     []nscl.Document{textDecision, textPlan},
		Documents: []nscl.Document{textDecision, textPlan, textLetter},
		ByGroup: map[string]GroupActivities{
			"b": groupOf(
				textActivity("b", "Tập huấn về năng suất", nscl.Quantity{Metric: "training", Value: 900}),
				textActivity("b", "Đào tạo chuyên gia.", nscl.Quantity{Metric: "training", Value: 350}),
			),
			"c": groupOf(
				textActivity("c", "tư vấn cho doanh nghiệp về 5S.", nscl.Quantity{Metric: "support", Value: 1_200}, nscl.Quantity{Metric: "training", Value: 150}),
				textActivity("c", "DN nhỏ được hướng dẫn TCVN ISO 9001;", nscl.Quantity{Metric: "support", Value: 47}),
				textActivity("c", "Đăng tin bài về năng suất", nscl.Quantity{Metric: "articles", Value: 1_003}),
			),
			"đ": groupOf(textActivity("đ", "Hội thảo chia sẻ kinh nghiệm")),
		},
		Reporting: 1, // the fixture's activities are all one unit's
		Narrative: narrative,
	}
}

// Group totals of the fixture, in the programme's metric order, and the
// footnotes listing the activities.
const (
	totalsB = "1.250 lượt doanh nghiệp"                                    // 900 + 350
	totalsC = "150 lượt doanh nghiệp, 1.247 doanh nghiệp và 1.003 tin bài" // 150; 1.200 + 47; 1.003
	noteB   = "Tập huấn về năng suất; đào tạo chuyên gia."                 // the second lowered, its dot dropped
	noteC   = "Tư vấn cho doanh nghiệp về 5S; DN nhỏ được hướng dẫn TCVN ISO 9001; đăng tin bài về năng suất."
	noteĐ   = "Hội thảo chia sẻ kinh nghiệm."
	nextA   = "- Số lượt doanh nghiệp được đào tạo, mục tiêu 12.000 lượt doanh nghiệp."
	nextB   = "- Số doanh nghiệp được hỗ trợ, mục tiêu 1.500 doanh nghiệp."
	labelC  = "I.3 c)"
	labelI2 = "I.2 Thông tin, truyền thông"
)

// textOf writes a document's body as plain text, one string a paragraph,
// each footnote mark written "[^its text]" in place, and a table after the
// letterhead one string a row, its cells joined by " | ".
func textOf(t *testing.T, d *docx.Document) []string {
	t.Helper()
	notes := footnoteTexts(t, d)
	text := func(p docx.Paragraph) string {
		var s strings.Builder
		for _, r := range p.Runs {
			if r.Footnote != 0 {
				s.WriteString("[^" + notes[r.Footnote] + "]")
				continue
			}
			s.WriteString(r.Text)
		}
		return s.String()
	}
	var out []string
	for i, b := range d.Body {
		switch x := b.(type) {
		case docx.Paragraph:
			out = append(out, text(x))
		case docx.Table:
			if i == 0 {
				continue // the letterhead
			}
			for _, row := range x.Rows {
				var cells []string
				for _, c := range row {
					var lines []string
					for _, p := range c.Paragraphs {
						lines = append(lines, text(p))
					}
					cells = append(cells, strings.Join(lines, " "))
				}
				out = append(out, strings.Join(cells, " | "))
			}
		}
	}
	return out
}

// footnoteTexts reads the footnotes' texts by number out of the .docx.
func footnoteTexts(t *testing.T, d *docx.Document) map[int]string {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf, "test"); err != nil {
		t.Fatal(err)
	}
	raw := zipPart(t, buf.Bytes(), "word/footnotes.xml")
	var x struct {
		Notes []struct {
			ID    int      `xml:"id,attr"`
			Texts []string `xml:"p>r>t"`
		} `xml:"footnote"`
	}
	if err := xml.Unmarshal([]byte(raw), &x); err != nil {
		t.Fatal(err)
	}
	notes := map[int]string{}
	for _, n := range x.Notes {
		if n.ID > 0 {
			notes[n.ID] = strings.TrimPrefix(strings.Join(n.Texts, ""), " ") // the space after the footnote's number
		}
	}
	return notes
}

// zipPart reads a part of a .docx package.
func zipPart(t *testing.T, pkg []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// wantParagraphs checks that the paragraphs want follow one another in got.
func wantParagraphs(t *testing.T, got []string, want ...string) {
	t.Helper()
	i := slices.Index(got, want[0])
	if i < 0 || i+len(want) > len(got) || !slices.Equal(got[i:i+len(want)], want) {
		t.Errorf("paragraphs\n%q\nnot found in order in\n%q", want, got)
	}
}

func basisOf(d nscl.Document) string { return "Căn cứ " + d.Citation() + " " + d.Title + "." }

func TestComposeFillsInPlaceholders(t *testing.T) {
	cases := []struct {
		name, part, text string
		want             []string // consecutive paragraphs; nil to check only the problems
		problems         []string // prefixes of the problems, in order: "label: token — "
	}{
		{"year", "communication", "Năm {năm}, chuẩn bị cho năm {năm sau}.",
			[]string{"Năm 2022, chuẩn bị cho năm 2023."}, nil},
		{"indicator", "communication", "Đào tạo {training}, lũy kế {training lũy kế}.",
			[]string{"Đào tạo 16.192, lũy kế 25.300."}, nil},
		{"measure", "obstacles", "Có {articles} tin bài, lũy kế {articles lũy kế}.",
			[]string{"Có 1.250 tin bài, lũy kế 1.234.567."}, nil},
		{"document", "communication", "Theo {văn bản 4225/KH-CN-TĐC}.",
			[]string{"Theo " + textPlan.Citation() + "."}, nil},
		{"document, case and spaces ignored", "communication", "Theo {văn bản 4225 / kh-cn-tđc} và {văn bản 12/skhcn}.",
			[]string{"Theo " + textPlan.Citation() + " và Công văn số 12/SKHCN."}, nil},
		{"basis of one document", "direction", "{căn cứ 1322/qđ-ttg}\nTiếp theo.",
			[]string{basisOf(textDecision), "Tiếp theo."}, nil},
		{"legal basis on its own line", "direction", "Mở đầu.\n  {căn cứ}  \nKết thúc.",
			[]string{"Mở đầu.", basisOf(textDecision), basisOf(textPlan), "Kết thúc."}, nil},
		{"next year's targets on their own line", "directions", "Chỉ tiêu:\n{chỉ tiêu năm sau}\nHết.",
			[]string{"Chỉ tiêu:", nextA, nextB, "Hết."}, nil},
		{"group totals, count and footnote", "group_c", "Kết quả: {kết quả}; {số hoạt động} hoạt động{chú thích}.",
			[]string{"c) Hỗ trợ:", "Kết quả: " + totalsC + "; 03 hoạt động[^" + noteC + "]."}, nil},
		{"one total", "group_b", "Đạt {kết quả}.",
			[]string{"b) Đào tạo:", "Đạt " + totalsB + "."}, nil},
		{"group activities on their own line", "group_c", "Gồm:\n{hoạt động}",
			[]string{"c) Hỗ trợ:", "Gồm:", "- Tư vấn cho doanh nghiệp về 5S.", "- DN nhỏ được hướng dẫn TCVN ISO 9001.", "- Đăng tin bài về năng suất."}, nil},
		{"written footnote", "communication", "Đã đăng tin[^Số liệu năm {năm}, theo {văn bản 12/SKHCN}].",
			[]string{"Đã đăng tin[^Số liệu năm 2022, theo Công văn số 12/SKHCN]."}, nil},
		{"unknown placeholder in a footnote", "communication", "Xem[^{không có}].",
			[]string{"Xem[^{không có}]."}, []string{labelI2 + ": {không có} — "}},
		{"activities' footnote inside a footnote", "group_c", "Xem[^danh sách {chú thích}].",
			[]string{"c) Hỗ trợ:", "Xem[^danh sách {chú thích}]."}, []string{labelC + ": {chú thích} — "}},
		{"unknown placeholders stay", "communication", "Có {không có} và {văn bản 9999/XX}.",
			[]string{"Có {không có} và {văn bản 9999/XX}."}, []string{labelI2 + ": {không có} — ", labelI2 + ": {văn bản 9999/XX} — "}},
		{"unknown basis", "direction", "{căn cứ 1/ABC}",
			[]string{"{căn cứ 1/ABC}"}, []string{"I.1 Công tác lãnh đạo, chỉ đạo: {căn cứ 1/ABC} — "}},
		{"unknown in a group", "group_đ", "Còn {không có}.",
			[]string{"đ) Khác:", "Còn {không có}."}, []string{"I.3 đ): {không có} — "}},
		{"group placeholders outside a group", "communication", "{kết quả}, {số hoạt động}, {chú thích}\n{hoạt động}",
			[]string{"{kết quả}, {số hoạt động}, {chú thích}", "{hoạt động}"},
			[]string{labelI2 + ": {kết quả} — ", labelI2 + ": {số hoạt động} — ", labelI2 + ": {chú thích} — ", labelI2 + ": {hoạt động} — "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, problems := Compose(textInput(true, map[string]string{c.part: c.text}))
			if c.want != nil {
				wantParagraphs(t, textOf(t, d), c.want...)
			}
			if len(problems) != len(c.problems) {
				t.Fatalf("problems %q, want %d starting %q", problems, len(c.problems), c.problems)
			}
			for i, p := range problems {
				if !strings.HasPrefix(p, c.problems[i]) {
					t.Errorf("problem %q, want it to start %q", p, c.problems[i])
				}
			}
		})
	}
}

// A footnote written inside a footnote cannot be a footnote of its own:
// Word has no such thing. The writer is told.
func TestComposeRefusesAFootnoteInAFootnote(t *testing.T) {
	_, problems := Compose(textInput(true, map[string]string{"communication": "Câu[^ngoài [^trong] tiếp]."}))
	if len(problems) != 1 || !strings.Contains(problems[0], "chú thích không thể nằm trong chú thích") {
		t.Errorf("problems %q, want one saying a footnote cannot hold a footnote", problems)
	}
}

// With nothing written, every part says what the year's data say, or is a
// marked blank where only a person can write; the defaults fill in
// without a problem, and the blanks are listed.
func TestComposeDefaultTexts(t *testing.T) {
	in := textInput(true, nil)
	d, problems := Compose(in)
	if len(problems) != 0 {
		t.Errorf("problems of the default texts: %q", problems)
	}
	got := textOf(t, d)
	wantParagraphs(t, got, "1. Công tác lãnh đạo, chỉ đạo triển khai thực hiện", basisOf(textDecision), basisOf(textPlan),
		"[cần bổ sung: công tác lãnh đạo, chỉ đạo, văn bản đã ban hành trong năm 2022]")
	wantParagraphs(t, got,
		"a) Tuyên truyền:", "Năm 2022, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo.",
		"b) Đào tạo:", "Năm 2022, đã triển khai 02 hoạt động, với kết quả "+totalsB+"[^"+noteB+"].",
		"c) Hỗ trợ:", "Năm 2022, đã triển khai 03 hoạt động, với kết quả "+totalsC+"[^"+noteC+"].",
		"d) Chuyên gia:", "Năm 2022, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo.",
		"đ) Khác:", "Năm 2022, đã triển khai 01 hoạt động[^"+noteĐ+"].",
	)
	// One unit (ID 0 in the fixture) reported the six activities.
	wantParagraphs(t, got, "1. Đánh giá kết quả, hiệu quả đã đạt được", "Năm 2022, 01 đơn vị đã báo cáo 06 hoạt động thuộc 03 nhóm nhiệm vụ của Chương trình.")
	wantParagraphs(t, got, "1. Phương hướng:", "Căn cứ kết quả đạt được đến hết năm 2022, các chỉ tiêu của Kế hoạch 05 năm đều đạt tiến độ.",
		"Chỉ tiêu của Kế hoạch năm 2023:", nextA, nextB, "2. Giải pháp thực hiện:", "[cần bổ sung: giải pháp thực hiện năm 2023]")
	// 2.500 of 2.000 enterprises supported is 125 %; training is on track.
	wantParagraphs(t, got, "Nhiệm vụ số doanh nghiệp được hỗ trợ (125 %) đã vượt chỉ tiêu của Kế hoạch 05 năm.", "2. Những tồn tại và vướng mắc",
		"[cần bổ sung: những tồn tại, vướng mắc trong năm 2022]")
	_, c := compose(in)
	blanks := c.blanks
	want := []string{"I.1 Công tác lãnh đạo, chỉ đạo: còn để trống [cần bổ sung: công tác lãnh đạo",
		"II.2 Tồn tại, vướng mắc: còn để trống", "III.2 Giải pháp: còn để trống", "IV Đề xuất, kiến nghị: còn để trống"}
	if len(blanks) != len(want) {
		t.Fatalf("blanks %q, want %d", blanks, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(blanks[i], want[i]) {
			t.Errorf("blank %q, want it to start %q", blanks[i], want[i])
		}
	}

	// Without a plan for 2023, III.1 leaves a blank for its targets.
	got = textOf(t, must(Compose(textInput(false, nil))))
	wantParagraphs(t, got, "1. Phương hướng:", "Căn cứ kết quả đạt được đến hết năm 2022, các chỉ tiêu của Kế hoạch 05 năm đều đạt tiến độ.",
		"Chỉ tiêu của Kế hoạch năm 2023:", "- [cần bổ sung: chỉ tiêu năm 2023 — chưa có kế hoạch năm 2023 trong hệ thống]", "2. Giải pháp thực hiện:")
}

// The blanks of a draft are highlighted in the Word file.
func TestBlanksAreHighlighted(t *testing.T) {
	var b bytes.Buffer
	if err := WriteWord(&b, textInput(false, nil)); err != nil {
		t.Fatal(err)
	}
	doc := zipPart(t, b.Bytes(), "word/document.xml")
	for _, blank := range []string{"[cần bổ sung: những tồn tại, vướng mắc trong năm 2022]", "[cần bổ sung: chỉ tiêu năm 2023 — chưa có kế hoạch năm 2023 trong hệ thống]"} {
		if !strings.Contains(doc, `<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">`+blank+`</w:t>`) {
			t.Errorf("the blank %s is not highlighted", blank)
		}
	}
}

func must(d *docx.Document, _ []string) *docx.Document { return d }

func TestTextChecks(t *testing.T) {
	cases := []struct {
		name      string
		withNext  bool
		narrative map[string]string
		want      []string // what each problem contains
	}{
		{"default texts", true, nil, nil},
		{"next year's targets left out", true, map[string]string{"directions": "Tiếp tục triển khai."},
			[]string{"III.1 Phương hướng: chỉ tiêu của kế hoạch năm 2023"}},
		{"no plan for next year", false, map[string]string{"directions": "Tiếp tục triển khai."}, nil},
		{"next year's targets written in", true, map[string]string{"directions": "Mục tiêu:\n{chỉ tiêu năm sau}"}, nil},
		{"a group's activities left out", true, map[string]string{"group_c": "Đã hỗ trợ nhiều doanh nghiệp."},
			[]string{"I.3 c): có 3 hoạt động trong năm 2022"}},
		{"a group's figures written in", true, map[string]string{"group_c": "Đạt {kết quả}."}, nil},
		{"a group without activities", true, map[string]string{"group_a": "Không có hoạt động."}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := textChecks(textInput(c.withNext, c.narrative), nil)
			if len(got) != len(c.want) {
				t.Fatalf("got %q, want %d problems %q", got, len(c.want), c.want)
			}
			for i := range got {
				if !strings.Contains(got[i], c.want[i]) {
					t.Errorf("problem %q, want it to contain %q", got[i], c.want[i])
				}
			}
		})
	}
}

func TestDefaultText(t *testing.T) {
	with, without := textInput(true, nil), textInput(false, nil)
	cases := []struct {
		in        WordInput
		key, want string
	}{
		{with, "direction", "{căn cứ}\n[cần bổ sung: công tác lãnh đạo, chỉ đạo, văn bản đã ban hành trong năm 2022]"},
		{with, "evaluation", "{đánh giá}"},
		{with, "directions", "Căn cứ kết quả đạt được đến hết năm {năm}, các chỉ tiêu của Kế hoạch 05 năm đều đạt tiến độ.\nChỉ tiêu của Kế hoạch năm {năm sau}:\n{chỉ tiêu năm sau}"},
		{without, "directions", "Căn cứ kết quả đạt được đến hết năm {năm}, các chỉ tiêu của Kế hoạch 05 năm đều đạt tiến độ.\nChỉ tiêu của Kế hoạch năm {năm sau}:\n{chỉ tiêu năm sau}"},
		{with, "communication", "Năm {năm}, chưa có hoạt động thông tin, truyền thông nào (hội thảo, hội nghị, tin bài, video) được báo cáo."},
		{with, "group_a", "Năm {năm}, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo."},
		{with, "obstacles", "[cần bổ sung: những tồn tại, vướng mắc trong năm 2022]"},
		{with, "request", "[cần bổ sung: văn bản yêu cầu báo cáo kết quả năm 2022]"},
		{with, "subject", "Kết quả thực hiện năm 2022 của Chương trình năng suất chất lượng"},
		{with, "group_b", "Năm {năm}, đã triển khai {số hoạt động} hoạt động, với kết quả {kết quả}{chú thích}."},
		{with, "group_đ", "Năm {năm}, đã triển khai {số hoạt động} hoạt động{chú thích}."},
	}
	for _, c := range cases {
		if got := DefaultText(c.in, c.key); got != c.want {
			t.Errorf("DefaultText(%s) = %q, want %q", c.key, got, c.want)
		}
	}
}

func TestParts(t *testing.T) {
	prog := textProgramme()
	parts := Parts(prog)
	var keys []string
	for _, p := range parts {
		keys = append(keys, p.Key)
		if !prog.IsReportPart(p.Key) {
			t.Errorf("part %q is not a report part of the programme", p.Key)
		}
	}
	i := slices.Index(keys, "communication")
	want := []string{"communication", "group_a", "group_b", "group_c", "group_d", "group_đ", "evaluation_intro"}
	if i < 0 || i+len(want) > len(keys) || !slices.Equal(keys[i:i+len(want)], want) {
		t.Errorf("parts %q, want %q in a row", keys, want)
	}
	if len(parts) != len(nscl.ReportTextParts)+len(prog.TaskGroups) {
		t.Errorf("%d parts, want %d", len(parts), len(nscl.ReportTextParts)+len(prog.TaskGroups))
	}
	if g := parts[i+5]; g.Label != "I.3 đ) Khác" || !g.Long {
		t.Errorf("part of group đ: %+v", g)
	}
	for key, want := range map[string]string{"directions": "III.1 Phương hướng", "group_đ": "I.3 đ)", "khác": "khác"} {
		if got := PartLabel(key); got != want {
			t.Errorf("PartLabel(%q) = %q, want %q", key, got, want)
		}
	}
}
