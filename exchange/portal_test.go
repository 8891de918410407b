package exchange

import (
	"bytes"
	"context"
	"testing"

	"nscl"
	"nscl/store"
)

// portalSource is a programme that is not the demo's, with where its
// portal counts and a published article, whose activity the portal wrote.
func portalSource(t *testing.T, st *store.Store) (*nscl.Programme, nscl.OrgUnit, nscl.PortalCounting, nscl.Post) {
	t.Helper()
	prog := &nscl.Programme{Code: "CT-CONG", Name: "Chương trình có cổng thông tin", StartYear: 2026, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo"}, {Letter: "b", Name: "Truyền thông"}},
		Metrics: []nscl.Metric{
			{Code: "hoc_vien", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a", Unit: "người", Name: "Học viên"},
			{Code: "tin_bai", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "tin", Name: "Tin bài"},
		}}
	pc := nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin_bai", ClassTraineesMetric: "hoc_vien"}
	unit := nscl.OrgUnit{Code: "TINH-CONG", Name: "Sở Khoa học và Công nghệ tỉnh Cổng", Level: nscl.LevelProvince}
	post := nscl.Post{Kind: nscl.PostArticle, Title: "Khai mạc tuần lễ năng suất", Body: "Nội dung tin.", PublishedOn: day(2027, 9, 9), State: nscl.PostPublished}
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.CreateProgramme(ctx, prog); err != nil {
			return err
		}
		if err := tx.CreateUnit(ctx, &unit); err != nil {
			return err
		}
		if err := tx.SetPortalCounting(ctx, prog, pc); err != nil {
			return err
		}
		post.UnitID = unit.ID
		return tx.CreatePost(ctx, prog, &post, nil)
	})
	return prog, unit, pc, post
}

// A programme moved to another database keeps where its portal counts,
// and the activities its portal wrote, as ordinary activities under an
// exchange key: the new database's portal does not own them (they may be
// edited by hand) and its own articles' keys do not meet theirs. A file
// that still holds a portal key imports the same way.
func TestRoundTripCarriesThePortal(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		ctx := t.Context()
		a := open()
		progA, unitA, pc, post := portalSource(t, a)
		written := nscl.PostRef(post.ID)
		file := export(t, a, progA.Code)
		if bytes.Contains(file, []byte(`"ref":"`+written+`"`)) || !bytes.Contains(file, []byte(`"ref":"`+nscl.ExchangePortalPrefix+written+`"`)) {
			t.Fatalf("the file carries the portal's key as it was:\n%s", file)
		}
		figuresA, err := a.Figures(ctx, progA, unitA.ID, 2026, 2027)
		if err != nil {
			t.Fatal(err)
		}

		older := bytes.ReplaceAll(file, []byte(nscl.ExchangePortalPrefix+written), []byte(written))
		for name, f := range map[string][]byte{"the file": file, "a file with the portal's own key": older} {
			b := open()
			if _, err := Import(ctx, b, bytes.NewReader(f)); err != nil {
				t.Fatalf("%s: Import: %v", name, err)
			}
			progB, err := b.ProgrammeByCode(ctx, progA.Code)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := b.PortalCounting(ctx, progB); err != nil || got != pc {
				t.Errorf("%s: portal counting %+v, %v; want %+v", name, got, err, pc)
			}
			unitB, err := b.UnitByCode(ctx, unitA.Code)
			if err != nil {
				t.Fatal(err)
			}
			figuresB, err := b.Figures(ctx, progB, unitB.ID, 2026, 2027)
			if err != nil {
				t.Fatal(err)
			}
			if figuresB["tin_bai"].YearValue != figuresA["tin_bai"].YearValue || figuresA["tin_bai"].YearValue != 1 {
				t.Errorf("%s: articles of 2027 %d, in the source %d", name, figuresB["tin_bai"].YearValue, figuresA["tin_bai"].YearValue)
			}
			var carried nscl.Activity
			err = b.EachActivity(ctx, progB, store.ActivityFilter{}, func(x nscl.Activity) error { carried = x; return nil })
			if err != nil || carried.Ref != nscl.ExchangePortalPrefix+written || nscl.PortalOwned(carried.Ref) {
				t.Fatalf("%s: the carried activity %+v, %v", name, carried, err)
			}
			// Ordinary here: edited by hand.
			carried.Description = "Tin bài (chuyển từ cơ sở dữ liệu cũ)"
			if err := b.UpdateActivity(ctx, progB, &carried); err != nil {
				t.Errorf("%s: a hand edit of the carried activity: %v", name, err)
			}
			// This database's own first article takes a key of its own.
			own := nscl.Post{UnitID: unitB.ID, Kind: nscl.PostArticle, Title: "Tin đầu tiên của cơ sở mới", Body: "Nội dung.",
				PublishedOn: day(2027, 10, 1), State: nscl.PostPublished}
			if err := b.Update(ctx, func(tx *store.Tx) error { return tx.CreatePost(ctx, progB, &own, nil) }); err != nil {
				t.Fatalf("%s: the new database's article: %v", name, err)
			}
			if after, _ := b.Figures(ctx, progB, unitB.ID, 2026, 2027); after["tin_bai"].YearValue != figuresA["tin_bai"].YearValue+1 {
				t.Errorf("%s: articles after one more %d", name, after["tin_bai"].YearValue)
			}
		}
	})
}
