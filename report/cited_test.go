package report

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// A unit the demo does not hold reports 70 articles in 2024, more than a
// document cites of a group: the Word file cites the first CitedInDocument
// of them and says how many more the .xlsx file lists; the .xlsx lists
// them all; the figures count them all either way.
func TestADocumentCitesTheFirstOfALargeGroup(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	const year, done = 2024, 70
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := st.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	unit := nscl.OrgUnit{Code: "PHU-MOI", Name: "Phường Phú Mới", Level: nscl.LevelUnit, ParentID: city.ID}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUnit(ctx, &unit); err != nil {
			return err
		}
		for i := range done {
			a := &nscl.Activity{UnitID: unit.ID, Date: time.Date(year, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), TaskGroup: "b", Kind: nscl.KindArticle,
				Description: fmt.Sprintf("Đăng bài số %02d về năng suất trên cổng thông tin phường", i+1), Quantities: []nscl.Quantity{{Metric: demo.Articles, Value: 1}}}
			if err := tx.CreateActivity(ctx, prog, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gather := func(format string) WordInput {
		t.Helper()
		in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Unit: unit.Code, Year: year, Format: format})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}

	word := gather("docx")
	g := word.ByGroup["b"]
	if len(g.Cited) != CitedInDocument || g.More != done-CitedInDocument || g.Count != done {
		t.Fatalf("the Word file cites %d of group b with %d more, counting %d; want %d, %d more, %d", len(g.Cited), g.More, g.Count, CitedInDocument, done-CitedInDocument, done)
	}
	text := strings.Join(documentText(t, word), "\n")
	if !strings.Contains(text, "Đăng bài số 01 về năng suất") || strings.Contains(text, fmt.Sprintf("Đăng bài số %02d", done)) {
		t.Errorf("the Word file should cite the first articles of the year and not the last")
	}
	if want := fmt.Sprintf("Ngoài ra còn %d hoạt động khác, liệt kê đầy đủ trong tệp Excel (.xlsx) của báo cáo.", done-CitedInDocument); !strings.Contains(text, want) {
		t.Errorf("the Word file does not say %q", want)
	}
	for _, ind := range word.Report.Measures {
		if ind.Metric.Code == demo.Articles && ind.YearValue != done {
			t.Errorf("the Word file's articles of %d: %d, want %d", year, ind.YearValue, done)
		}
	}

	// The .xlsx file cites as few, and lists every one, read from the
	// store as it is written: each article once.
	sheet := gather("xlsx")
	if n := len(sheet.Activities()); n != CitedInDocument {
		t.Errorf("the .xlsx input holds %d activities, want the %d cited", n, CitedInDocument)
	}
	var buf bytes.Buffer
	if err := WriteDocument(ctx, &buf, "xlsx", sheet); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsxActivitiesSheet)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]int{}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if strings.HasPrefix(cell, "Đăng bài số ") {
				listed[cell]++
			}
		}
		if !slices.Contains(row, unit.Name) {
			t.Errorf("a row without its unit's name: %q", row)
		}
	}
	for i := range done {
		if d := fmt.Sprintf("Đăng bài số %02d về năng suất trên cổng thông tin phường", i+1); listed[d] != 1 {
			t.Errorf("the .xlsx file lists %q %d times, want once", d, listed[d])
		}
	}
	if len(rows)-1 != done {
		t.Errorf("the .xlsx file lists %d activities, want all %d", len(rows)-1, done)
	}

	// The plan period's summary up to that year cites as few of the year,
	// and its .xlsx lists them all.
	pin, err := GatherPeriod(ctx, st, PeriodRequest{Programme: demo.ProgrammeCode, Unit: unit.Code, From: 2021, To: year, Format: "docx"})
	if err != nil {
		t.Fatal(err)
	}
	pg := pin.ByYear[year-2021]["b"]
	if len(pg.Cited) != CitedInDocument || pg.More != done-CitedInDocument || pg.Count != done {
		t.Errorf("the summary cites %d of %d's group b with %d more, counting %d; want %d, %d more, %d", len(pg.Cited), year, pg.More, pg.Count, CitedInDocument, done-CitedInDocument, done)
	}
	buf.Reset()
	if err := WritePeriodDocument(ctx, &buf, "xlsx", pin); err != nil {
		t.Fatal(err)
	}
	pf, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if rows, err := pf.GetRows(xlsxActivitiesSheet); err != nil || len(rows)-1 != done {
		t.Errorf("the summary's .xlsx file lists %d activities (%v), want all %d", len(rows)-1, err, done)
	}
}

// A city with 220 more units, 150 of which report in 2024: its report
// counts the task groups from the counts kept per ancestor (the units are
// not read one by one), and says what was written — how many activities
// of each group and kind, how many units reported — citing the first of
// each group; its page for a reporter of one of the units counts the same
// from the tree and cites the reporter's own unit's activities.
func TestAReportOfManyUnitsCountsFromTheTree(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	const year = 2024
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	city, err := st.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[nscl.ActivityKind]int64{"b": {}, "c": {}}
	reported := 0
	var own nscl.OrgUnit // a reporter's unit: its report is the city's, citing its own
	ownActs := map[string]int64{}
	err = st.Update(ctx, func(tx *store.Tx) error {
		for i := range 220 {
			u := nscl.OrgUnit{Code: fmt.Sprintf("KP-%03d", i), Name: fmt.Sprintf("Khu phố thử %03d", i), Level: nscl.LevelUnit, ParentID: city.ID}
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			if i >= 150 {
				continue // opened, nothing reported
			}
			reported++
			for j := range i%3 + 1 {
				group, kind, metric := "b", nscl.KindArticle, demo.Articles
				if (i+j)%2 == 1 {
					group, kind, metric = "c", nscl.KindConsulting, demo.ExpertsTrained
				}
				a := &nscl.Activity{UnitID: u.ID, Date: time.Date(year, time.Month(1+(i+j)%12), 1+i%28, 0, 0, 0, 0, time.UTC), TaskGroup: group, Kind: kind,
					Description: fmt.Sprintf("Hoạt động %d của khu phố %03d", j+1, i), Quantities: []nscl.Quantity{{Metric: metric, Value: 1}}}
				if err := tx.CreateActivity(ctx, prog, a); err != nil {
					return err
				}
				want[group][kind]++
				if i == 5 {
					own = u
					ownActs[group]++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reporter := nscl.User{Role: nscl.RoleReporter, UnitID: own.ID}
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: year, Format: PageFormat, CitedPerGroup: 20, Reader: &reporter})
	if err != nil {
		t.Fatal(err)
	}
	for group, kinds := range want {
		g := in.ByGroup[group]
		var count int64
		for _, n := range kinds {
			count += n
		}
		if g.Count != count || int64(len(g.Cited)) != ownActs[group] || g.More != 0 || in.Reporting != int64(reported) {
			t.Errorf("the reporter's page: group %s counts %d activities (want %d), cites %d with %d more (want its unit's %d), %d units reported (want %d)",
				group, g.Count, count, len(g.Cited), g.More, ownActs[group], in.Reporting, reported)
		}
		if g.Units != nil {
			t.Errorf("the reporter's page: group %s was counted unit by unit, not from the tree", group)
		}
		for _, a := range g.Cited {
			if a.UnitID != own.ID {
				t.Errorf("the reporter's page cites an activity of unit %d", a.UnitID)
			}
		}
	}
	// The reporter's .xlsx lists its own unit's activities, and no other's.
	sheet, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: year, Format: "xlsx", Reader: &reporter})
	if err != nil {
		t.Fatal(err)
	}
	var listed []nscl.Activity
	if err := sheet.EachActivity(ctx, func(a nscl.Activity) error { listed = append(listed, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if int64(len(listed)) != ownActs["b"]+ownActs["c"] {
		t.Errorf("the reporter's .xlsx lists %d activities, want its unit's %d", len(listed), ownActs["b"]+ownActs["c"])
	}
	for i, a := range listed {
		if a.UnitID != own.ID {
			t.Errorf("the reporter's .xlsx lists an activity of unit %d", a.UnitID)
		}
		// In the footnotes' order: by task group, then date, then entry.
		if i > 0 {
			p := listed[i-1]
			if c := cmp.Or(strings.Compare(p.TaskGroup, a.TaskGroup), p.Date.Compare(a.Date), cmp.Compare(p.ID, a.ID)); c >= 0 {
				t.Errorf("the reporter's .xlsx lists %s %v #%d after %s %v #%d", a.TaskGroup, a.Date, a.ID, p.TaskGroup, p.Date, p.ID)
			}
		}
	}
	for _, format := range []string{"docx", PageFormat} {
		cited := CitedInDocument
		if format == PageFormat {
			cited = 20
		}
		in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: year, Format: format, CitedPerGroup: cited})
		if err != nil {
			t.Fatal(err)
		}
		if in.Reporting != int64(reported) {
			t.Errorf("%s: %d units reported, want %d", format, in.Reporting, reported)
		}
		for group, kinds := range want {
			g := in.ByGroup[group]
			var count int64
			for _, n := range kinds {
				count += n
			}
			if g.Units != nil {
				t.Errorf("%s: group %s was counted unit by unit, not from the tree", format, group)
			}
			if g.Count != count || !maps.Equal(g.Kinds, kinds) {
				t.Errorf("%s: group %s counts %d activities %v, want %d %v", format, group, g.Count, g.Kinds, count, kinds)
			}
			if len(g.Cited) != cited || g.More != count-int64(cited) {
				t.Errorf("%s: group %s cites %d with %d more, want %d with %d more", format, group, len(g.Cited), g.More, cited, count-int64(cited))
			}
			for i := 1; i < len(g.Cited); i++ {
				if g.Cited[i].Date.Before(g.Cited[i-1].Date) {
					t.Fatalf("%s: group %s cites %s after %s: not the first of the year in order", format, group, g.Cited[i].Date, g.Cited[i-1].Date)
				}
			}
		}
	}
}
