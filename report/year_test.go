package report

import (
	"bytes"
	"context"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// The demo holds 2021 and 2022. These tests make 2023 themselves: five
// activities of four units, and a round of the Ministry that asks the city
// for its 2023 report. The demo's 2023 annual plan (3.500 lượt doanh
// nghiệp, 50 doanh nghiệp, 5 phòng thử nghiệm) is the year's plan; there
// is no plan for 2024.

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// with2023 adds the year 2023 to the demo.
func with2023(t *testing.T) *store.Store {
	t.Helper()
	st := demoStore(t)
	ctx := context.Background()
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit := func(code string) int64 {
		u, err := st.UnitByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	qty := func(pairs ...any) []nscl.Quantity {
		var out []nscl.Quantity
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, nscl.Quantity{Metric: pairs[i].(string), Value: int64(pairs[i+1].(int))})
		}
		return out
	}
	for _, a := range []nscl.Activity{
		{UnitID: unit(demo.UnitTrade), Date: day(2023, 3, 15), TaskGroup: "d", Kind: nscl.KindTraining,
			Description: "Tập huấn công cụ 5S cho 40 doanh nghiệp cơ khí", Quantities: qty(demo.TrainingEnterprises, 40, demo.Trainees, 120)},
		{UnitID: unit(demo.UnitThuDuc), Date: day(2023, 5, 20), TaskGroup: "d", Kind: nscl.KindTraining,
			Description: "Các lớp Kaizen và quản lý tinh gọn tại Thủ Đức", Quantities: qty(demo.TrainingEnterprises, 1160, demo.Trainees, 2304)},
		{UnitID: unit(demo.UnitStandards), Date: day(2023, 8, 1), TaskGroup: "đ", Kind: nscl.KindLabSupport,
			Description: "Hỗ trợ phòng thử nghiệm áp dụng ISO/IEC 17025", Quantities: qty(demo.LabsStrengthened, 2)},
		{UnitID: unit(demo.UnitDept), Date: day(2023, 6, 1), TaskGroup: "c", Kind: nscl.KindConsulting,
			Description: "Tư vấn áp dụng ISO 9001 cho doanh nghiệp nhỏ và vừa", Quantities: qty(demo.EnterprisesSupported, 12)},
		{UnitID: unit(demo.UnitDept), Date: day(2023, 10, 10), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Viết tin bài về năng suất chất lượng", Quantities: qty(demo.Articles, 7)},
	} {
		if err := st.CreateActivity(ctx, prog, &a); err != nil {
			t.Fatal(err)
		}
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		doc := nscl.Document{Type: "Công văn", Number: "120", Symbol: "BKHCN-TĐC", IssuedOn: day(2023, 11, 20), Issuer: "Bộ Khoa học và Công nghệ",
			Title: "về việc báo cáo kết quả thực hiện năm 2023 của Chương trình"}
		if err := tx.CreateDocument(ctx, &doc); err != nil {
			return err
		}
		return tx.CreateRound(ctx, prog, &nscl.Round{Title: "Báo cáo năm 2023", DocumentID: doc.ID, PeriodStart: day(2023, 1, 1), PeriodEnd: day(2023, 12, 31),
			Deadline: day(2024, 1, 15), UnitIDs: []int64{unit(demo.UnitCity)}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// documentText is the composed report as text: its body paragraphs, table
// rows with cells joined by " | ", footnotes written "[^…]" in place.
func documentText(t *testing.T, in WordInput) []string {
	t.Helper()
	d, problems := Compose(in)
	if len(problems) != 0 {
		t.Errorf("placeholders not filled in: %q", problems)
	}
	return textOf(t, d)
}

func TestTheReportOfAYearTheDemoDoesNotHold(t *testing.T) {
	st := with2023(t)
	ctx := context.Background()
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	doc := documentText(t, in)
	text := strings.Join(doc, "\n")

	// The subject, the request and the headings are 2023's.
	wantParagraphs(t, doc, "BÁO CÁO", "Kết quả thực hiện năm 2023 của "+in.Report.Programme.Name)
	if !strings.Contains(text, "Thực hiện yêu cầu tại Công văn số 120/BKHCN-TĐC ngày 20 tháng 11 năm 2023 của Bộ Khoa học và Công nghệ về việc báo cáo kết quả thực hiện năm 2023") {
		t.Error("the opening does not cite the Ministry's 2023 request")
	}
	for _, h := range []string{"III. Phương hướng, giải pháp thực hiện Chương trình năm 2024",
		"II. Đánh giá kết quả, hiệu quả đã đạt được trong năm 2023 và lũy kế kết quả, hiệu quả đạt được từ đầu Chương trình đến hết năm 2023"} {
		if !slices.Contains(doc, h) {
			t.Errorf("heading %q missing", h)
		}
	}

	// Not one sentence of 2022's texts: every stretch of them between
	// placeholders, long enough to be a sentence of its own.
	for key, stored := range demo.ReportTexts2022() {
		for _, line := range strings.Split(stored, "\n") {
			for _, piece := range placeholder.Split(line, -1) {
				if piece = strings.TrimSpace(piece); len([]rune(piece)) >= 30 && strings.Contains(text, piece) {
					t.Errorf("2022's %s appears in the 2023 draft: %q", key, piece)
				}
			}
		}
	}

	// Every figure in prose is one the test's arithmetic gives: 2023's
	// result (30 + 963 before it), the cumulative, the plan's and the
	// year's targets.
	known := map[string][]int64{
		"lượt doanh nghiệp": {40 + 1160, 993 + 1200, 10000, 3500},
		"học viên":          {120 + 2304},
		"doanh nghiệp":      {12, 347 + 12, 200, 50},
		"phòng thử nghiệm":  {2, 10, 5},
		"tin bài":           {7},
		"lượt chuyên gia":   {71, 150},
	}
	figure := regexp.MustCompile(`(\d{1,3}(?:\.\d{3})+|\d+) (lượt doanh nghiệp|doanh nghiệp|học viên|phòng thử nghiệm|tin bài|lượt chuyên gia)\b`)
	footnote := regexp.MustCompile(`\[\^[^\]]*\]`)
	for _, p := range doc {
		if strings.Contains(p, " | ") {
			continue // the results table, checked below
		}
		for _, m := range figure.FindAllStringSubmatch(footnote.ReplaceAllString(p, ""), -1) {
			n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ".", ""), 10, 64)
			if !slices.Contains(known[m[2]], n) {
				t.Errorf("“%s” is not a figure of 2023: %s", m[0], p)
			}
		}
	}
	for _, want := range []string{
		"Năm 2023, đã triển khai 02 hoạt động, với kết quả 1.200 lượt doanh nghiệp và 2.424 học viên[^Tập huấn công cụ 5S cho 40 doanh nghiệp cơ khí; các lớp Kaizen và quản lý tinh gọn tại Thủ Đức.].",
		"Năm 2023, đã triển khai 01 hoạt động, với kết quả 02 phòng thử nghiệm[^Hỗ trợ phòng thử nghiệm áp dụng ISO/IEC 17025.].",
		"Năm 2023, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo.",
		"Năm 2023, đã triển khai 01 hoạt động thông tin, truyền thông, gồm 01 hoạt động viết, đăng tin bài; kết quả cụ thể nêu tại mục 3 dưới đây.",
		"Năm 2023, 04 đơn vị đã báo cáo 05 hoạt động thuộc 04 nhóm nhiệm vụ của Chương trình.",
	} {
		if !slices.Contains(doc, want) {
			t.Errorf("missing: %s", want)
		}
	}

	// Table II.1 sets 2023 against its annual plan beside the 5-year plan.
	wantParagraphs(t, doc, "Nội dung thực hiện | Chỉ tiêu theo Kế hoạch 05 năm | Chỉ tiêu theo Kế hoạch năm 2023 | Kết quả năm 2023 | Tỷ lệ so với Kế hoạch năm 2023 | Kết quả từ đầu Chương trình đến hết năm 2023 | Tỷ lệ hoàn thành Kế hoạch 05 năm",
		"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng | 10.000 lượt doanh nghiệp | 3.500 lượt doanh nghiệp | 1.200 lượt doanh nghiệp | 34,29 % | 2.193 lượt doanh nghiệp | 21,93 %")
	if !strings.Contains(text, "So với Kế hoạch năm 2023, nhiệm vụ tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng mới đạt 34,29 % (1.200/3.500 lượt doanh nghiệp)") {
		t.Error("the evaluation does not name the annual targets missed")
	}

	// The checks list each blank the document highlights, and nothing is
	// "without a problem".
	checks, err := Checks(ctx, st, in)
	if err != nil {
		t.Fatal(err)
	}
	var blanks []string
	for _, c := range checks {
		if strings.Contains(c, "còn để trống [cần bổ sung") {
			blanks = append(blanks, c)
		}
	}
	if n := strings.Count(text, "[cần bổ sung"); n == 0 || n != len(blanks) {
		t.Errorf("%d blanks in the document, %d in the checks: %q", n, len(blanks), checks)
	}
	for _, want := range []string{"II.2 Tồn tại, vướng mắc: còn để trống", "III.1 Phương hướng: còn để trống [cần bổ sung: chỉ tiêu năm 2024",
		"Huấn luyện bồi dưỡng kiến thức cho chuyên gia: Kế hoạch năm 2023 không đặt chỉ tiêu năm."} {
		if !slices.ContainsFunc(checks, func(c string) bool { return strings.HasPrefix(c, want) }) {
			t.Errorf("no check starts %q: %q", want, checks)
		}
	}
}

// checksWith writes texts as 2023's, in place of any written before, and
// returns the checks of 2023's report.
func checksWith(t *testing.T, st *store.Store, texts map[string]string) []string {
	t.Helper()
	ctx := context.Background()
	prog, _ := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	city, _ := st.UnitByCode(ctx, demo.UnitCity)
	err := st.Update(ctx, func(tx *store.Tx) error {
		parts := map[string]string{}
		for _, k := range nscl.ReportTextParts {
			parts[k] = ""
		}
		for _, g := range prog.TaskGroups {
			parts[nscl.GroupPart(g.Letter)] = ""
		}
		maps.Copy(parts, texts)
		return tx.SetReportTexts(ctx, prog, city.ID, 2023, parts, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	checks, err := Checks(ctx, st, in)
	if err != nil {
		t.Fatal(err)
	}
	return checks
}

// wantChecks says which of want no check starts with.
func wantChecks(t *testing.T, checks []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.ContainsFunc(checks, func(c string) bool { return strings.HasPrefix(c, w) }) {
			t.Errorf("no check starts %q in %q", w, checks)
		}
	}
}

// Texts written for 2023 that say what the data do not are caught: last
// year's text saved again, a figure typed that the data do not hold, "none"
// of what the year counts, another year in the subject.
func TestChecksCatchTextsThatAreNotTheYears(t *testing.T) {
	st := with2023(t)
	checks := checksWith(t, st, map[string]string{
		"obstacles": demo.ReportTexts2022()["obstacles"],
		"group_d":   "Năm {năm}, đã tập huấn cho 977 lượt doanh nghiệp và {số học viên} học viên{chú thích}.",
		"group_đ":   "Năm {năm}, không có tổ chức thử nghiệm, phòng thử nghiệm được hỗ trợ.",
		"subject":   "Kết quả thực hiện năm 2022 của Chương trình",
		"group_c":   "Năm {năm}, đã hỗ trợ {số doanh nghiệp} doanh nghiệp{chú thích}; lũy kế 359 doanh nghiệp.",
	})
	wantChecks(t, checks,
		"II.2 Tồn tại, vướng mắc: 1 câu giống hệt nội dung năm 2022",
		"I.3 d): “977 lượt doanh nghiệp” được gõ thành số và khác số liệu năm 2023 (1.200 lượt doanh nghiệp); hãy dùng {số lượt doanh nghiệp}.",
		"I.3 đ): câu “Năm {năm}, không có tổ chức thử nghiệm, phòng thử nghiệm được hỗ trợ” nói không có phòng thử nghiệm, nhưng số liệu năm 2023 là 2 phòng thử nghiệm.",
		"Trích yếu: nêu năm 2022 trong báo cáo năm 2023.",
	)
	// The cumulative typed as 359 is the data's: not a problem.
	if slices.ContainsFunc(checks, func(c string) bool { return strings.Contains(c, "359") }) {
		t.Errorf("a figure the data hold is flagged: %q", checks)
	}
}

// Realistic prose of a 2023 report: what is true must pass, what is not
// must be caught.
func TestChecksOnRealisticProse(t *testing.T) {
	st := with2023(t)
	about := []string{"gõ thành số", "nói không có", "nêu năm", "giống hệt", "là 0 trong năm"}
	for _, c := range checksWith(t, st, map[string]string{
		"subject":   "Kết quả thực hiện năm 2023 và kế hoạch năm 2024 của Chương trình Quốc gia hỗ trợ doanh nghiệp nâng cao năng suất và chất lượng sản phẩm, hàng hóa giai đoạn 2021-2030",
		"request":   "Công văn số 120/BKHCN-TĐC ngày 20/11/2023 của Bộ Khoa học và Công nghệ",
		"direction": "a) Về xây dựng kế hoạch triển khai thực hiện:\n{căn cứ}",
		"group_d":   "Năm {năm}, chỉ tiêu năm là 3 500 lượt doanh nghiệp; riêng Thủ Đức đã tập huấn cho 1.160 doanh nghiệp{chú thích}.",
		"obstacles": "Một số doanh nghiệp chưa có nhu cầu tham gia; việc thanh toán theo Thông tư số 35/2021/TT-BTC còn vướng. So với năm 2022, số lớp tập huấn ít hơn.\n" +
			"Nhiều đơn vị không có kinh phí riêng để hỗ trợ doanh nghiệp.\n" +
			"Một số doanh nghiệp chưa có nhu cầu, trong khi nhiều doanh nghiệp khác đăng ký tham gia.",
		"evaluation_intro": "Năm {năm}, không có khó khăn đáng kể, Sở đã hỗ trợ {số doanh nghiệp} doanh nghiệp. Đến hết năm 2023 359 doanh nghiệp đã được hỗ trợ. So với năm 2022 (963 lượt doanh nghiệp), kết quả năm nay cao hơn.",
		"solutions":        "Phấn đấu năm 2024 hỗ trợ 60 doanh nghiệp và tập huấn 4.000 lượt doanh nghiệp; đến năm 2025 đạt chỉ tiêu của kế hoạch, định hướng đến năm 2030.",
		"proposals":        "Đề nghị sửa đổi Luật Tiêu chuẩn và Quy chuẩn kỹ thuật năm 2006 và Luật Chất lượng sản phẩm, hàng hóa năm 2007.",
		"group_c":          "Năm {năm}, đã hỗ trợ {số doanh nghiệp} doanh nghiệp{chú thích}, lũy kế {số doanh nghiệp lũy kế} doanh nghiệp.",
	}) {
		for _, a := range about {
			if strings.Contains(c, a) {
				t.Errorf("a true text is flagged: %s", c)
			}
		}
	}
	wantChecks(t, checksWith(t, st, map[string]string{
		"request":    "Công văn số 3705/BKHCN-TĐC ngày 08/12/2021 của Bộ Khoa học và Công nghệ",
		"group_b":    strings.Replace(demo.ReportTexts2022()["group_b"], "Năm {năm}", "Trong năm {năm}", 1),
		"evaluation": "{đánh giá} Năm 2021 là năm đầu tiên thực hiện các nhiệm vụ thuộc Chương trình.",
		"group_c":    "Năm {năm}, không có doanh nghiệp nào được hỗ trợ.",
	}),
		"Văn bản yêu cầu báo cáo: nêu năm 2021 trong báo cáo năm 2023.",
		"I.3 b): 11 câu giống hệt nội dung năm 2022",
		"I.3 b): {số đại biểu} là 0 trong năm 2023",
		"II.1 Đánh giá (sau bảng kết quả): nêu năm 2021 trong báo cáo năm 2023.",
		"I.3 c): câu “Năm {năm}, không có doanh nghiệp nào được hỗ trợ” nói không có doanh nghiệp, nhưng số liệu năm 2023 là 12 doanh nghiệp.",
	)
}

// A summary at mid-term (sơ kết, 2021–2023): it looks ahead to the rest
// of the plan with what is still needed; its placeholders are the
// period's; what is written for it is checked against the period's data.
func TestMidTermSummary(t *testing.T) {
	st := with2023(t)
	ctx := context.Background()
	prog, _ := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	city, _ := st.UnitByCode(ctx, demo.UnitCity)
	texts := map[string]string{
		nscl.SummaryPart("lessons"):   "Giai đoạn {năm}, đã tập huấn cho {số lượt doanh nghiệp} lượt doanh nghiệp và {số học viên} học viên.",
		nscl.SummaryPart("obstacles"): "Năm 2019, đã tập huấn cho 977 lượt doanh nghiệp; không có phòng thử nghiệm nào được hỗ trợ.",
	}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.SetReportTexts(ctx, prog, city.ID, 2023, texts, "") }); err != nil {
		t.Fatal(err)
	}
	pin, err := GatherPeriod(ctx, st, PeriodRequest{Programme: demo.ProgrammeCode, From: 2021, To: 2023})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ComposePeriod(pin)
	doc := textOf(t, d)
	wantParagraphs(t, doc, "BÁO CÁO", "Sơ kết giai đoạn 2021 – 2023 thực hiện "+prog.Name)
	// 993 + 1.200 trained of 10.000: 7.807 to go in 2024–2025, 3.904 a year;
	// 347 + 12 of 200 enterprises supported: reached.
	wantParagraphs(t, doc, "III. Phương hướng, nhiệm vụ giai đoạn 2024 – 2025",
		"Chỉ tiêu còn phải thực hiện đến hết năm 2025 để đạt "+pin.Period.Last().Plan.Name+":",
		"- Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng: còn 7.807 lượt doanh nghiệp, mỗi năm 3.904 lượt doanh nghiệp.",
		"- Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn, quy chuẩn kỹ thuật, hệ thống quản lý, công cụ cải tiến năng suất chất lượng, công cụ cho sản xuất thông minh, dịch vụ thông minh: đã đạt chỉ tiêu (179,5 %).")
	// 30 + 963 + 1.200 visits and 16.192 + 2.424 trainees over the period.
	wantParagraphs(t, doc, "3. Bài học kinh nghiệm", "Giai đoạn 2021 – 2023, đã tập huấn cho 2.193 lượt doanh nghiệp và 18.616 học viên.")
	wantChecks(t, PeriodChecks(pin),
		"II.2 Tồn tại, hạn chế và nguyên nhân: nêu năm 2019 trong báo cáo giai đoạn 2021 – 2023.",
		"II.2 Tồn tại, hạn chế và nguyên nhân: “977 lượt doanh nghiệp” được gõ thành số và khác số liệu giai đoạn 2021 – 2023 (2.193 lượt doanh nghiệp)",
		"II.2 Tồn tại, hạn chế và nguyên nhân: câu “không có phòng thử nghiệm nào được hỗ trợ” nói không có phòng thử nghiệm, nhưng số liệu giai đoạn 2021 – 2023 là 2 phòng thử nghiệm.",
	)
}

// A district's report: the letterhead names the district's People's
// Committee alone (Nghị định 30 puts no authority above it), and what only
// the district can say (its place, its signer) is left blank.
func TestTheReportOfADistrict(t *testing.T) {
	st := with2023(t)
	in, err := Gather(context.Background(), st, Request{Programme: demo.ProgrammeCode, Unit: demo.UnitThuDuc, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	h := in.Head
	if h.Agency != in.Report.Unit.Name || h.ParentAgency != "" {
		t.Errorf("letterhead %q under %q", h.Agency, h.ParentAgency)
	}
	_, c := compose(in)
	blanks := strings.Join(c.blanks, "\n")
	for _, want := range []string{"[cần bổ sung: địa danh]", "[cần bổ sung: họ tên người ký]", "[cần bổ sung: nơi nhận]"} {
		if !strings.Contains(blanks, want) {
			t.Errorf("the district's report lacks the blank %s: %s", want, blanks)
		}
	}
	doc := strings.Join(documentText(t, in), "\n")
	if !strings.Contains(doc, "1.160 lượt doanh nghiệp và 2.304 học viên") || strings.Contains(doc, "1.200 lượt doanh nghiệp và") {
		t.Error("the district's report does not hold its own figures only")
	}
}

// The summary of 2021–2025: each year's results add up to the period's,
// each year's activities are footnoted under their year, and the years
// without data say so.
func TestThePeriodSummary(t *testing.T) {
	st := with2023(t)
	ctx := context.Background()
	pin, err := GatherPeriod(ctx, st, PeriodRequest{Programme: demo.ProgrammeCode, From: 2021, To: 2025})
	if err != nil {
		t.Fatal(err)
	}
	p := pin.Period
	// The summary counts in the tree at the end of 2025: each year holds
	// the demo's illustrative figures of Bình Dương and Bà Rịa – Vũng Tàu,
	// absorbed on 01/07/2025 (training 120 in 2021, 75 in 2022, 90 in
	// 2025; support 8, 15 and 6; experts 12 and 9; labs 1 and 1), and 2025
	// those of the new city's communes and departments (training 25,
	// support 10 + 7).
	want := map[string][]int64{
		demo.TrainingEnterprises:  {30 + 120, 963 + 75, 1200, 0, 25 + 90},
		demo.EnterprisesSupported: {11 + 8, 336 + 15, 12, 0, 17 + 6},
		demo.ExpertsTrained:       {30, 41, 12, 9, 0},
		demo.LabsStrengthened:     {0, 0, 2 + 1, 1, 0},
	}
	for _, ind := range p.Indicators {
		if !slices.Equal(ind.ByYear, want[ind.Metric.Code]) {
			t.Errorf("%s by year %v, want %v", ind.Metric.Code, ind.ByYear, want[ind.Metric.Code])
		}
		var sum int64
		for _, v := range ind.ByYear {
			sum += v
		}
		if sum != ind.Cumulative {
			t.Errorf("%s: the years add up to %d, the period's cumulative is %d", ind.Metric.Code, sum, ind.Cumulative)
		}
	}
	d, _ := ComposePeriod(pin)
	doc := textOf(t, d)
	wantParagraphs(t, doc, "BÁO CÁO", "Tổng kết giai đoạn 2021 – 2025 thực hiện "+p.Last().Programme.Name)
	wantParagraphs(t, doc, "Nội dung thực hiện | Chỉ tiêu theo Kế hoạch 05 năm | Năm 2021 | Năm 2022 | Năm 2023 | Năm 2024 | Năm 2025 | Tổng giai đoạn 2021 – 2025 | Tỷ lệ hoàn thành",
		"Tập huấn, bồi dưỡng kiến thức nguồn nhân lực cho hoạt động nâng cao năng suất chất lượng | 16.500 lượt doanh nghiệp | 150 | 1.038 | 1.200 | 0 | 115 | 2.503 lượt doanh nghiệp | 15,17 %")
	text := strings.Join(doc, "\n")
	for _, s := range []string{
		"- Năm 2023: 02 hoạt động, kết quả 03 phòng thử nghiệm[^Hỗ trợ phòng thử nghiệm áp dụng ISO/IEC 17025; hỗ trợ phòng thử nghiệm dầu khí tăng cường năng lực đánh giá sự phù hợp.].",
		"Giai đoạn 2021 – 2025, không có hoạt động nào thuộc nhóm nhiệm vụ này được báo cáo.",
		"Đến hết năm 2025, nhiệm vụ tập huấn",
		"- Năm 2023: Kế hoạch năm 2023, chỉ tiêu 3.500 lượt doanh nghiệp, 50 doanh nghiệp và 05 phòng thử nghiệm.",
		// The city's next plan, with the indicator that begins with it.
		"Chỉ tiêu của Kế hoạch nâng cao năng suất và chất lượng của Thành phố Hồ Chí Minh giai đoạn 2026 – 2030 (minh họa):",
		"- Chuyên gia được chứng nhận quốc tế, mục tiêu 30 chuyên gia.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the summary lacks %q", s)
		}
	}
	// The workbook holds the same figures as numbers, and the period's activities.
	var book bytes.Buffer
	if err := WritePeriodDocument(ctx, &book, "xlsx", pin); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	xlsxWantRow(t, f, "Kết quả", 3, "Nội dung thực hiện", "Đơn vị tính", "Chỉ tiêu theo Kế hoạch 05 năm", "Năm 2021", "Năm 2022", "Năm 2023", "Năm 2024", "Năm 2025", "Tổng giai đoạn 2021 – 2025", "Tỷ lệ hoàn thành")
	for i, ref := range []string{"D4", "E4", "F4", "G4", "H4"} {
		if got := xlsxNumber(t, f, "Kết quả", ref); got != float64(want[demo.TrainingEnterprises][i]) {
			t.Errorf("%s = %v", ref, got)
		}
	}
	if got := xlsxNumber(t, f, "Kết quả", "I4"); got != 2503 {
		t.Errorf("the period's training %v", got)
	}
	// The demo's activities, the absorbed provinces' among them, and the 5 made here.
	rows, err := f.GetRows("Hoạt động")
	if err != nil || len(rows) != 1+len(pin.Activities()) || len(pin.Activities()) != len(demo.Activities())+5 {
		t.Errorf("%d activity rows for %d activities (%v)", len(rows)-1, len(pin.Activities()), err)
	}
	if !slices.ContainsFunc(PeriodChecks(pin), func(c string) bool { return strings.Contains(c, "tồn tại, hạn chế") }) {
		t.Error("the summary's checks do not list its blanks")
	}
	// A summary starts with its plan and ends inside it.
	for _, years := range [][2]int{{2022, 2023}, {2021, 2026}, {2023, 2021}} {
		if _, err := BuildPeriod(ctx, st, PeriodRequest{Programme: demo.ProgrammeCode, From: years[0], To: years[1]}); err == nil {
			t.Errorf("a summary of %d–%d: no error", years[0], years[1])
		}
	}

	// What a person writes for the summary is stored with 2025's texts and
	// fills its blanks; the annual report of 2025 does not take it.
	prog := p.Last().Programme
	texts := map[string]string{nscl.SummaryPart("obstacles"): "Số doanh nghiệp tham gia còn ít so với tiềm năng.", nscl.SummaryPart("signer_name"): "Trần Văn Bình"}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.SetReportTexts(ctx, prog, p.Last().Unit.ID, 2025, texts, "") }); err != nil {
		t.Fatal(err)
	}
	pin, err = GatherPeriod(ctx, st, PeriodRequest{Programme: demo.ProgrammeCode, From: 2021, To: 2025})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = ComposePeriod(pin)
	doc = textOf(t, d)
	wantParagraphs(t, doc, "2. Tồn tại, hạn chế và nguyên nhân", "Số doanh nghiệp tham gia còn ít so với tiềm năng.", "3. Bài học kinh nghiệm")
	if pin.Word.Head.SignerName != "Trần Văn Bình" || slices.ContainsFunc(PeriodChecks(pin), func(c string) bool { return strings.Contains(c, "tồn tại, hạn chế") }) {
		t.Errorf("the summary's own texts: signer %q, checks %q", pin.Word.Head.SignerName, PeriodChecks(pin))
	}
	annual, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	if annual.Head.SignerName == "Trần Văn Bình" || strings.Contains(strings.Join(documentText(t, annual), "\n"), "còn ít so với tiềm năng") {
		t.Error("the 2025 report took the summary's texts")
	}
}
