package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/chart"
	"nscl/store"
)

// annexFixture is a province of the test's own under a programme of the
// test's own, 2021–2030: its plan for 2021–2025 sets two indicators'
// targets, annual plans set some years', and a third indicator has neither
// target nor figure. Its Department of Science and Technology trains
// enterprises in 2021, 2022 and 2023 (2021 and 2022 approved, 2023 not);
// the province itself certifies experts in 2023; its Department of
// Industry and Trade reports nothing. A second programme has a plan with no
// target and no activity.
type annexFixture struct {
	st                   *store.Store
	prog, bare           *nscl.Programme
	province, dost, doit nscl.OrgUnit
	// visits are the department's training activities: year → quantities.
	visits map[int][]int64
}

const (
	anVisits    = "visits"
	anCertified = "certified"
	anLabs      = "labs"
)

func newAnnexFixture(t *testing.T) *annexFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "annex.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &annexFixture{st: st, visits: map[int][]int64{2021: {12, 30}, 2022: {45, 7, 160}, 2023: {88, 41}}}
	metrics := func(prefix string) []nscl.Metric {
		return []nscl.Metric{
			{Code: prefix + anVisits, Name: "Tập huấn doanh nghiệp về năng suất", Unit: "lượt doanh nghiệp", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
			{Code: prefix + anCertified, Name: "Chuyên gia được cấp chứng chỉ", Unit: "chuyên gia", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
			{Code: prefix + anLabs, Name: "Phòng thử nghiệm được nâng cấp", Unit: "phòng thử nghiệm", Kind: nscl.Indicator, Rule: nscl.RuleSum, TaskGroup: "a"},
		}
	}
	groups := []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo nguồn nhân lực"}}
	f.prog = &nscl.Programme{Code: "NSQNG", Name: "Chương trình năng suất chất lượng tỉnh Quảng Ngãi", StartYear: 2021, EndYear: 2030, TaskGroups: groups, Metrics: metrics("")}
	f.bare = &nscl.Programme{Code: "TRONG", Name: "Chương trình chưa giao chỉ tiêu", StartYear: 2021, EndYear: 2030, TaskGroups: groups, Metrics: metrics("bare_")}
	f.province = nscl.OrgUnit{Code: "QNG", Name: "Ủy ban nhân dân tỉnh Quảng Ngãi", Level: nscl.LevelProvince}
	f.dost = nscl.OrgUnit{Code: "QNG-SKHCN", Name: "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", ShortName: "Sở KHCN Quảng Ngãi", Level: nscl.LevelDepartment}
	f.doit = nscl.OrgUnit{Code: "QNG-SCT", Name: "Sở Công Thương tỉnh Quảng Ngãi", ShortName: "Sở Công Thương Quảng Ngãi", Level: nscl.LevelDepartment}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for _, p := range []*nscl.Programme{f.prog, f.bare} {
			if err := tx.CreateProgramme(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.CreateUnit(ctx, &f.province); err != nil {
			return err
		}
		for _, u := range []*nscl.OrgUnit{&f.dost, &f.doit} {
			u.ParentID = f.province.ID
			if err := tx.CreateUnit(ctx, u); err != nil {
				return err
			}
		}
		plans := []nscl.Plan{
			{Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch năng suất chất lượng tỉnh Quảng Ngãi giai đoạn 2021 – 2025",
				Targets: []nscl.Target{{Metric: anVisits, Value: 1000}, {Metric: anCertified, Value: 50}}},
			{Kind: nscl.AnnualPlan, StartYear: 2022, EndYear: 2022, Name: "Kế hoạch năm 2022", Targets: []nscl.Target{{Metric: anVisits, Value: 200}}},
			{Kind: nscl.AnnualPlan, StartYear: 2023, EndYear: 2023, Name: "Kế hoạch năm 2023", Targets: []nscl.Target{{Metric: anVisits, Value: 300}, {Metric: anCertified, Value: 10}}},
		}
		for i := range plans {
			plans[i].UnitID = f.province.ID
			if err := tx.CreatePlan(ctx, f.prog, &plans[i]); err != nil {
				return err
			}
		}
		if err := tx.CreatePlan(ctx, f.bare, &nscl.Plan{UnitID: f.province.ID, Kind: nscl.FiveYearPlan, StartYear: 2021, EndYear: 2025, Name: "Kế hoạch chưa giao chỉ tiêu"}); err != nil {
			return err
		}
		for year, values := range f.visits {
			for i, v := range values {
				a := nscl.Activity{UnitID: f.dost.ID, Date: time.Date(year, time.Month(3+i), 15, 0, 0, 0, 0, time.UTC), TaskGroup: "a", Kind: nscl.KindTraining,
					Description: fmt.Sprintf("Lớp tập huấn năng suất số %d năm %d", i+1, year), Quantities: []nscl.Quantity{{Metric: anVisits, Value: v}}}
				if err := tx.CreateActivity(ctx, f.prog, &a); err != nil {
					return err
				}
			}
		}
		a := nscl.Activity{UnitID: f.province.ID, Date: time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC), TaskGroup: "a", Kind: nscl.KindTraining,
			Description: "Cấp chứng chỉ chuyên gia năng suất", Quantities: []nscl.Quantity{{Metric: anCertified, Value: 6}}}
		if err := tx.CreateActivity(ctx, f.prog, &a); err != nil {
			return err
		}
		// The department's 2021 and 2022 are approved; 2023 is not.
		for _, year := range []int{2021, 2022} {
			r := nscl.Round{Title: fmt.Sprintf("Báo cáo năm %d", year), PeriodStart: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC),
				Deadline: time.Date(year+1, 1, 10, 0, 0, 0, 0, time.UTC), UnitIDs: []int64{f.dost.ID}}
			if err := tx.CreateRound(ctx, f.prog, &r); err != nil {
				return err
			}
			at := time.Date(year+1, 1, 5, 3, 0, 0, 0, time.UTC)
			if err := tx.RestoreSubmission(ctx, nscl.Submission{RoundID: r.ID, UnitID: f.dost.ID, Status: nscl.StatusApproved, SubmittedAt: at, FirstSentAt: at, ReviewedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sum(values []int64) int64 {
	var s int64
	for _, v := range values {
		s += v
	}
	return s
}

// annexDocument writes the report in a format and returns what it holds.
func annexDocument(t *testing.T, in WordInput, format string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := WriteDocument(context.Background(), &out, format, in); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return out.Bytes()
}

// docxPictures are the pictures of a Word file, in the order they appear.
func docxPictures(t *testing.T, pkg []byte) [][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for i := 1; ; i++ {
		f, err := z.Open(fmt.Sprintf("word/media/image%d.png", i))
		if err != nil {
			return out
		}
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
}

// htmlPictures are the pictures of the HTML preview with their alt texts.
func htmlPictures(t *testing.T, page []byte) (pics [][]byte, alts []string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<img alt="([^"]*)" [^>]*src="data:image/png;base64,([^"]+)">`).FindAllSubmatch(page, -1) {
		b, err := base64.StdEncoding.DecodeString(string(m[2]))
		if err != nil {
			t.Fatal(err)
		}
		pics, alts = append(pics, b), append(alts, string(m[1]))
	}
	return pics, alts
}

// The annex of a year's report draws the completion chart, each indicator
// with a figure or an annual target year by year up to the report's year,
// and each indicator that a unit under the report's has a figure of, unit
// by unit; the captions are numbered, and the HTML preview shows the Word
// file's pictures. The pictures are compared with charts drawn here from
// the activities the test entered.
func TestAnnexChartsOfAYear(t *testing.T) {
	f := newAnnexFixture(t)
	ctx := context.Background()
	for _, approvedOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("approved_only=%v", approvedOnly), func(t *testing.T) {
			in, err := Gather(ctx, f.st, Request{Programme: f.prog.Code, Unit: f.province.Code, Year: 2023, ApprovedOnly: approvedOnly})
			if err != nil {
				t.Fatal(err)
			}
			// The series: each year of the plan up to 2023, what is
			// approved and what is not, against the annual targets.
			want := map[string][]chart.Year{
				anVisits: {{Year: 2021, Value: sum(f.visits[2021])}, {Year: 2022, Value: sum(f.visits[2022]), Target: 200, HasTarget: true},
					{Year: 2023, Pending: sum(f.visits[2023]), Target: 300, HasTarget: true}},
				anCertified: {{Year: 2021}, {Year: 2022}, {Year: 2023, Pending: 6, Target: 10, HasTarget: true}},
				anLabs:      {{Year: 2021}, {Year: 2022}, {Year: 2023}},
			}
			if len(in.Yearly) != len(want) {
				t.Fatalf("%d series, want %d", len(in.Yearly), len(want))
			}
			for _, s := range in.Yearly {
				if !slices.Equal(s.Points, want[s.Metric.Code]) {
					t.Errorf("%s year by year: %+v, want %+v", s.Metric.Code, s.Points, want[s.Metric.Code])
				}
			}
			// The breakdown: the department and the province's own row;
			// the Department of Industry and Trade, with no figure, is absent.
			var units []string
			for _, row := range in.ByUnit {
				units = append(units, row.Unit.Code)
			}
			if !slices.Equal(units, []string{f.dost.Code, f.province.Code}) {
				t.Errorf("units of the breakdown: %v, want the department's, then the province's own", units)
			}

			pkg := annexDocument(t, in, "docx")
			text := zipPart(t, pkg, "word/document.xml")
			wantCaptions := []string{
				"Biểu đồ 1. Tỷ lệ hoàn thành chỉ tiêu của Kế hoạch năng suất chất lượng tỉnh Quảng Ngãi giai đoạn 2021 – 2025 so với thời gian đã qua của kế hoạch",
				"Biểu đồ 2. Tập huấn doanh nghiệp về năng suất (lượt doanh nghiệp)",
				"Biểu đồ 3. Chuyên gia được cấp chứng chỉ (chuyên gia)",
				"Biểu đồ 4. Tập huấn doanh nghiệp về năng suất (lượt doanh nghiệp)",
			}
			var got []string
			for _, m := range regexp.MustCompile(`<w:t[^>]*>(Biểu đồ \d+\. [^<]*)<`).FindAllStringSubmatch(text, -1) {
				got = append(got, m[1])
			}
			if !slices.Equal(got, wantCaptions) {
				t.Errorf("captions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCaptions, "\n"))
			}
			for _, heading := range []string{"PHỤ LỤC", "Tỷ lệ hoàn thành chỉ tiêu đến hết năm 2023", "Kết quả từng năm so với chỉ tiêu năm", "Kết quả theo đơn vị năm 2023"} {
				if !strings.Contains(text, ">"+heading+"<") {
					t.Errorf("the annex lacks the heading %q", heading)
				}
			}
			if _, annex, _ := strings.Cut(text, ">PHỤ LỤC<"); strings.Contains(annex, "Phòng thử nghiệm được nâng cấp") {
				t.Error("the indicator with neither figure nor target has a chart")
			}
			pics := docxPictures(t, pkg)
			if len(pics) != len(wantCaptions) {
				t.Fatalf("%d pictures in the Word file, want %d", len(pics), len(wantCaptions))
			}

			// Charts 2–4 as drawn from the test's own figures: one value a
			// year when the report counts every figure, approved and
			// pending apart when it counts approved ones only.
			yearly := func(title string, years []chart.Year) chart.Yearly {
				c := chart.Yearly{Title: title, Years: years, ValueLabel: "Kết quả đã duyệt", PendingLabel: "Chưa duyệt", TargetLabel: "Chỉ tiêu năm"}
				if !approvedOnly {
					c.ValueLabel = "Kết quả"
					for i := range c.Years {
						c.Years[i].Value, c.Years[i].Pending = c.Years[i].Value+c.Years[i].Pending, 0
					}
				}
				return c
			}
			visits := yearly("Tập huấn doanh nghiệp về năng suất (lượt doanh nghiệp)", []chart.Year{{Year: 2021, Value: sum(f.visits[2021])},
				{Year: 2022, Value: sum(f.visits[2022]), Target: 200, HasTarget: true}, {Year: 2023, Pending: sum(f.visits[2023]), Target: 300, HasTarget: true}})
			certified := yearly("Chuyên gia được cấp chứng chỉ (chuyên gia)", []chart.Year{{Year: 2021}, {Year: 2022}, {Year: 2023, Pending: 6, Target: 10, HasTarget: true}})
			byUnit := chart.Units{Title: "Tập huấn doanh nghiệp về năng suất (lượt doanh nghiệp)", Units: []chart.UnitValue{{Name: "Sở KHCN Quảng Ngãi", Pending: sum(f.visits[2023])}},
				OthersLabel: "Các đơn vị khác", ValueLabel: "Kết quả đã duyệt", PendingLabel: "Chưa duyệt"}
			if !approvedOnly {
				byUnit.Units[0].Value, byUnit.Units[0].Pending, byUnit.ValueLabel = sum(f.visits[2023]), 0, "Kết quả"
			}
			for i, c := range []chart.Yearly{visits, certified} {
				pic, err := c.PNG(annexChartWidth, annexYearlyHeight)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(pics[1+i], pic) {
					t.Errorf("chart %d is not the yearly chart of the test's figures", 2+i)
				}
			}
			pic, err := byUnit.PNG(annexChartWidth, byUnit.SuggestedHeight(annexChartWidth))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pics[3], pic) {
				t.Error("chart 4 is not the department's figure of the year")
			}

			// The HTML preview: the same pictures, each named by its caption.
			htmlPics, alts := htmlPictures(t, annexDocument(t, in, "html"))
			if len(htmlPics) != len(pics) {
				t.Fatalf("%d pictures in the preview, %d in the Word file", len(htmlPics), len(pics))
			}
			for i := range pics {
				if !bytes.Equal(htmlPics[i], pics[i]) {
					t.Errorf("picture %d of the preview is not the Word file's", i+1)
				}
			}
			if !slices.Equal(alts, wantCaptions) {
				t.Errorf("the preview's pictures are named %q, want the captions", alts)
			}
		})
	}
}

// A department's own report: nothing under it has figures, so its annex
// has no breakdown by unit; its yearly charts are its own figures.
func TestAnnexOfAUnitWithNothingBelow(t *testing.T) {
	f := newAnnexFixture(t)
	in, err := Gather(context.Background(), f.st, Request{Programme: f.prog.Code, Unit: f.dost.Code, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	text := zipPart(t, annexDocument(t, in, "docx"), "word/document.xml")
	if strings.Contains(text, "Kết quả theo đơn vị") {
		t.Error("the department's annex has a breakdown by unit, with no unit under it")
	}
	if !strings.Contains(text, "Kết quả từng năm so với chỉ tiêu năm") {
		t.Error("the department's annex lacks its yearly charts")
	}
	for _, s := range in.Yearly {
		if s.Metric.Code != anVisits {
			continue
		}
		for _, p := range s.Points {
			if p.Value+p.Pending != sum(f.visits[p.Year]) {
				t.Errorf("%d: %d approved and %d pending, want the department's %d", p.Year, p.Value, p.Pending, sum(f.visits[p.Year]))
			}
		}
	}
}

// A report with no target and no activity has no empty chart: no annex at
// all, in the Word file or in the preview.
func TestNoAnnexWithoutTargetsOrFigures(t *testing.T) {
	f := newAnnexFixture(t)
	in, err := Gather(context.Background(), f.st, Request{Programme: f.bare.Code, Unit: f.province.Code, Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	pkg := annexDocument(t, in, "docx")
	if text := zipPart(t, pkg, "word/document.xml"); strings.Contains(text, "PHỤ LỤC") || strings.Contains(text, "Biểu đồ") {
		t.Error("a report with nothing to draw has an annex")
	}
	if pics := docxPictures(t, pkg); len(pics) != 0 {
		t.Errorf("%d pictures in a report with nothing to draw", len(pics))
	}
	if pics, _ := htmlPictures(t, annexDocument(t, in, "html")); len(pics) != 0 {
		t.Errorf("%d pictures in the preview of a report with nothing to draw", len(pics))
	}
}
