package store

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"nscl"
)

// postFixture is a programme that is not the demo's (2026–2030, its own
// letters and codes), a province with a district under it, and where its
// portal counts, when counting is set.
type postFixture struct {
	prog               *nscl.Programme
	province, district nscl.OrgUnit
}

func newPostFixture(t testing.TB, st *Store, counting *nscl.PortalCounting) postFixture {
	t.Helper()
	ctx := context.Background()
	f := postFixture{prog: &nscl.Programme{Code: "P2", Name: "Chương trình thử", StartYear: 2026, EndYear: 2030,
		TaskGroups: []nscl.TaskGroup{{Letter: "a", Name: "Đào tạo"}, {Letter: "b", Name: "Truyền thông"}},
		Metrics: []nscl.Metric{
			{Code: "hv", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "a", Unit: "người", Name: "Học viên"},
			{Code: "tin", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "tin", Name: "Tin bài"},
			{Code: "vid", Kind: nscl.Measure, Rule: nscl.RuleSum, TaskGroup: "b", Unit: "video", Name: "Video"},
		}}}
	err := st.Update(ctx, func(tx *Tx) error {
		if err := tx.CreateProgramme(ctx, f.prog); err != nil {
			return err
		}
		f.province = nscl.OrgUnit{Code: "T2", Name: "Ủy ban nhân dân tỉnh Thử", Level: nscl.LevelProvince}
		if err := tx.CreateUnit(ctx, &f.province); err != nil {
			return err
		}
		f.district = nscl.OrgUnit{Code: "T2-H1", Name: "Ủy ban nhân dân huyện Một", Level: nscl.LevelDistrict, ParentID: f.province.ID}
		if err := tx.CreateUnit(ctx, &f.district); err != nil {
			return err
		}
		if counting != nil {
			return tx.SetPortalCounting(ctx, f.prog, *counting)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// yearValues reads each metric's figure of a year at the unit (its
// subtree counted).
func yearValues(t *testing.T, st *Store, prog *nscl.Programme, unit nscl.OrgUnit, year int) map[string]int64 {
	t.Helper()
	figs, err := st.Figures(context.Background(), prog, unit.ID, prog.StartYear, year)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for code, f := range figs {
		out[code] = f.YearValue
	}
	return out
}

// portalActivities are the activities the portal wrote for posts.
func portalActivities(t *testing.T, st *Store, prog *nscl.Programme) []ActivityKey {
	t.Helper()
	var keys []ActivityKey
	err := st.Update(context.Background(), func(tx *Tx) error {
		var err error
		keys, err = tx.ActivitiesWithRefPrefix(context.Background(), prog, nscl.PortalRefPrefix+"post-")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// Publishing writes one activity in the portal's group that moves the
// unit's (and its parent's) year by exactly 1 of the article metric;
// moving the date moves the 1 to the other year; taking it back to draft
// and deleting take it away, and the totals are what they were.
func TestPublishingAPostCountsItOnce(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin", VideoMetric: "vid"})
		// Something counted already, by hand: the post adds to it.
		hand := &nscl.Activity{UnitID: f.district.ID, Date: day("2027-02-10"), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Ba tin bài trên báo địa phương", Quantities: []nscl.Quantity{{Metric: "tin", Value: 3}}}
		if err := st.CreateActivity(ctx, f.prog, hand); err != nil {
			t.Fatal(err)
		}
		before27 := yearValues(t, st, f.prog, f.district, 2027)
		before28 := yearValues(t, st, f.prog, f.district, 2028)
		province27 := yearValues(t, st, f.prog, f.province, 2027)

		p := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostArticle, Title: "Hội thảo năng suất tại huyện Một",
			Body: "Đoạn một.\n\nĐoạn hai.", PublishedOn: day("2027-05-20"), State: nscl.PostDraft}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, nil) }); err != nil {
			t.Fatal(err)
		}
		if got := yearValues(t, st, f.prog, f.district, 2027); got["tin"] != before27["tin"] || len(portalActivities(t, st, f.prog)) != 0 {
			t.Fatalf("a draft counted: %v, %v", got, portalActivities(t, st, f.prog))
		}

		var published nscl.Post
		err := st.Update(ctx, func(tx *Tx) error {
			var err error
			published, err = tx.SetPostState(ctx, f.prog, p.ID, p.Version, nscl.PostPublished)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		after := yearValues(t, st, f.prog, f.district, 2027)
		if after["tin"] != before27["tin"]+1 || after["vid"] != before27["vid"] || after["hv"] != before27["hv"] {
			t.Errorf("published: %v, want %v with tin +1", after, before27)
		}
		if got := yearValues(t, st, f.prog, f.province, 2027); got["tin"] != province27["tin"]+1 {
			t.Errorf("the province: tin %d, want %d", got["tin"], province27["tin"]+1)
		}
		keys := portalActivities(t, st, f.prog)
		if len(keys) != 1 || keys[0].Ref != nscl.PostRef(p.ID) || keys[0].ID != published.ActivityID {
			t.Fatalf("portal activities %+v, post's %d", keys, published.ActivityID)
		}
		a, err := st.Activity(ctx, published.ActivityID)
		if err != nil {
			t.Fatal(err)
		}
		if a.UnitID != f.district.ID || a.TaskGroup != "b" || a.Kind != nscl.KindArticle || a.Description != "Tin bài “Hội thảo năng suất tại huyện Một” đăng trên cổng thông tin của Chương trình ngày 20/05/2027" ||
			!a.Date.Equal(day("2027-05-20")) || !strings.HasPrefix(a.Source, nscl.PortalSource) {
			t.Errorf("activity %+v", a)
		}

		// Edited: another title and a date of the next year.
		published.Title, published.PublishedOn = "Hội thảo năng suất (bản sửa)", day("2028-01-08")
		if err := st.Update(ctx, func(tx *Tx) error { return tx.UpdatePost(ctx, f.prog, &published, nil) }); err != nil {
			t.Fatal(err)
		}
		if got := yearValues(t, st, f.prog, f.district, 2027); got["tin"] != before27["tin"] {
			t.Errorf("2027 after the move: tin %d, want %d", got["tin"], before27["tin"])
		}
		if got := yearValues(t, st, f.prog, f.district, 2028); got["tin"] != before28["tin"]+1 {
			t.Errorf("2028 after the move: tin %d, want %d", got["tin"], before28["tin"]+1)
		}
		if a, _ := st.Activity(ctx, published.ActivityID); a.Description != "Tin bài “Hội thảo năng suất (bản sửa)” đăng trên cổng thông tin của Chương trình ngày 08/01/2028" || a.Year() != 2028 {
			t.Errorf("the activity did not follow: %+v", a)
		}
		if n := len(portalActivities(t, st, f.prog)); n != 1 {
			t.Errorf("%d portal activities after an edit, want 1", n)
		}

		// A stale version is refused and changes nothing.
		stale := published
		stale.Version--
		stale.Title = "Không được lưu"
		err = st.Update(ctx, func(tx *Tx) error { return tx.UpdatePost(ctx, f.prog, &stale, nil) })
		wantError(t, err, nscl.ECONFLICT, "version")

		// Back to draft: the activity goes, the totals are as before.
		err = st.Update(ctx, func(tx *Tx) error {
			var err error
			published, err = tx.SetPostState(ctx, f.prog, published.ID, published.Version, nscl.PostDraft)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := yearValues(t, st, f.prog, f.district, 2028); got["tin"] != before28["tin"] || published.ActivityID != 0 || len(portalActivities(t, st, f.prog)) != 0 {
			t.Errorf("unpublished: 2028 tin %d (want %d), activity %d", got["tin"], before28["tin"], published.ActivityID)
		}

		// Published again, then deleted: gone with its activity.
		err = st.Update(ctx, func(tx *Tx) error {
			var err error
			published, err = tx.SetPostState(ctx, f.prog, published.ID, published.Version, nscl.PostPublished)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := yearValues(t, st, f.prog, f.district, 2028); got["tin"] != before28["tin"]+1 {
			t.Errorf("published again: tin %d", got["tin"])
		}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.DeletePost(ctx, f.prog, published.ID, published.Version) }); err != nil {
			t.Fatal(err)
		}
		if got := yearValues(t, st, f.prog, f.district, 2028); got["tin"] != before28["tin"] || len(portalActivities(t, st, f.prog)) != 0 {
			t.Errorf("deleted: tin %d, want %d", got["tin"], before28["tin"])
		}
		if _, err := st.Post(ctx, f.prog, published.ID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("deleted post read back: %v", err)
		}
		if problems, err := st.CheckTotals(ctx); err != nil || len(problems) > 0 {
			t.Errorf("kept totals disagree with the activities: %v %v", problems, err)
		}
	})
}

// A document counts in no figure when the portal names no document
// metric: its activity is itemised in words only. Its file is kept in the
// database, and goes with it.
func TestPublishingADocumentWithItsFile(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin"})
		before := yearValues(t, st, f.prog, f.district, 2029)
		pdf := []byte("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		p := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostDocument, Title: "Sổ tay 5S", Topic: "Công cụ cải tiến",
			PublishedOn: day("2029-09-02"), State: nscl.PostPublished}
		err := st.Update(ctx, func(tx *Tx) error {
			return tx.CreatePost(ctx, f.prog, &p, &FileUpload{Name: `C:\Tài liệu\so-tay.PDF`, Data: pdf})
		})
		if err != nil {
			t.Fatal(err)
		}
		file, owner, err := st.PostFile(ctx, f.prog, p.FileID)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(st.FileContent(ctx, file))
		if err != nil {
			t.Fatal(err)
		}
		if file.ContentType != "application/pdf" || file.Name != "so-tay.pdf" || string(data) != string(pdf) || file.Size != int64(len(pdf)) ||
			len(file.SHA256) != 64 || owner.ID != p.ID {
			t.Errorf("file %+v (owner %d)", file, owner.ID)
		}
		if got := yearValues(t, st, f.prog, f.district, 2029); got["tin"] != before["tin"] || got["vid"] != before["vid"] {
			t.Errorf("a document counted in a figure: %v, before %v", got, before)
		}
		a, err := st.Activity(ctx, p.ActivityID)
		if err != nil || a.Kind != nscl.KindOther || a.Description != "Tài liệu “Sổ tay 5S” đăng trong thư viện tài liệu trên cổng thông tin của Chương trình ngày 02/09/2029" || len(a.Quantities) != 0 {
			t.Errorf("document's activity %+v, %v", a, err)
		}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.DeletePost(ctx, f.prog, p.ID, p.Version) }); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.PostFile(ctx, f.prog, p.FileID); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("the deleted post's file: %v", err)
		}
	})
}

// postTables are the tables a refused post must leave as they were.
var postTables = append([]string{"posts", "portal_files", "portal_file_chunks"}, storeTables...)

// Without a communication group, publishing is refused and nothing is
// stored; a draft may still be written. A file that is not what the
// portal takes is refused, by its content, on the file field.
func TestPostRefusals(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{ArticleMetric: "tin"}) // counts articles, but in no group
		before := dumpTables(t, st, postTables)
		p := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostArticle, Title: "Tin thử", Body: "Nội dung.", PublishedOn: day("2027-03-03"), State: nscl.PostPublished}
		err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, nil) })
		wantError(t, err, nscl.EINVALID, "state")
		if after := dumpTables(t, st, postTables); after != before {
			t.Fatalf("a refused publication stored something:\n%s\n%s", before, after)
		}

		html := []byte("<!doctype html><script>alert(1)</script>")
		doc := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostDocument, Title: "Tài liệu", Topic: "Chủ đề", State: nscl.PostDraft}
		err = st.Update(ctx, func(tx *Tx) error {
			return tx.CreatePost(ctx, f.prog, &doc, &FileUpload{Name: "bao-cao.pdf", Data: html})
		})
		wantError(t, err, nscl.EINVALID, "file")
		if after := dumpTables(t, st, postTables); after != before {
			t.Fatalf("a refused file was stored")
		}

		draft := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostArticle, Title: "Bản nháp", Body: "Chưa đăng.", PublishedOn: day("2027-04-04"), State: nscl.PostDraft}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &draft, nil) }); err != nil {
			t.Fatal(err)
		}
		err = st.Update(ctx, func(tx *Tx) error {
			_, err := tx.SetPostState(ctx, f.prog, draft.ID, draft.Version, nscl.PostPublished)
			return err
		})
		wantError(t, err, nscl.EINVALID, "state")
		if got, err := st.Post(ctx, f.prog, draft.ID); err != nil || got.Published() || got.Version != draft.Version {
			t.Errorf("after a refused publication: %+v %v", got.Post, err)
		}
	})
}

// The public lists page by (date, ID) and by topic, hold published posts
// only, and the library's search finds words with or without diacritics.
func TestPostListsPageAndSearch(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin", VideoMetric: "vid"})
		var want []int64 // the articles, newest first
		err := st.Update(ctx, func(tx *Tx) error {
			for i := range 7 {
				p := nscl.Post{UnitID: f.province.ID, Kind: nscl.PostArticle, Title: "Tin số " + string(rune('A'+i)), Body: "Nội dung.",
					PublishedOn: day("2027-06-01").AddDate(0, 0, i/2), State: nscl.PostPublished} // two a day: the ID breaks the tie
				if err := tx.CreatePost(ctx, f.prog, &p, nil); err != nil {
					return err
				}
				want = append([]int64{p.ID}, want...)
			}
			draft := nscl.Post{UnitID: f.province.ID, Kind: nscl.PostArticle, Title: "Nháp", Body: "x", PublishedOn: day("2027-12-01")}
			if err := tx.CreatePost(ctx, f.prog, &draft, nil); err != nil {
				return err
			}
			for i, topic := range []string{"Năng suất", "Chất lượng", "Năng suất"} {
				v := nscl.Post{UnitID: f.province.ID, Kind: nscl.PostVideo, Title: "Video " + string(rune('1'+i)), Topic: topic,
					Summary: "Phim về " + topic, VideoURL: "https://video.example/" + string(rune('1'+i)), PublishedOn: day("2027-07-01"), State: nscl.PostPublished}
				if err := tx.CreatePost(ctx, f.prog, &v, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for after, pages := "", 0; ; pages++ {
			page, err := st.News(ctx, f.prog, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Posts {
				got = append(got, p.ID)
			}
			if after = page.Next; after == "" || pages > 5 {
				break
			}
		}
		if !equalIDs(got, want) {
			t.Errorf("news by pages of 3: %v, want %v", got, want)
		}
		page, err := st.Materials(ctx, f.prog, "", "", 2)
		if err != nil || len(page.Posts) != 2 || page.Posts[0].Topic != "Chất lượng" || page.Posts[1].Topic != "Năng suất" || page.Next == "" {
			t.Fatalf("first materials page: %+v %v", page, err)
		}
		rest, err := st.Materials(ctx, f.prog, "", page.Next, 2)
		if err != nil || len(rest.Posts) != 1 || rest.Posts[0].Topic != "Năng suất" || rest.Next != "" {
			t.Errorf("second materials page: %+v %v", rest, err)
		}
		for _, q := range []string{"nang suat", "NĂNG SUẤT", "năng"} {
			found, err := st.Materials(ctx, f.prog, q, "", 10)
			if err != nil || len(found.Posts) != 2 {
				t.Errorf("search %q: %d found, %v; want the 2 of the topic", q, len(found.Posts), err)
			}
		}
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// View counts are added in one batch, leave the version alone, and skip a
// post deleted since they were counted.
func TestAddPostCounts(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b"})
		p := nscl.Post{UnitID: f.province.ID, Kind: nscl.PostArticle, Title: "Tin", Body: "x", PublishedOn: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), State: nscl.PostPublished}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, nil) }); err != nil {
			t.Fatal(err)
		}
		if err := st.AddPostCounts(ctx, map[int64]PostCounts{p.ID: {Views: 41, Downloads: 2}, p.ID + 1000: {Views: 5}}); err != nil {
			t.Fatal(err)
		}
		if err := st.AddPostCounts(ctx, map[int64]PostCounts{p.ID: {Views: 1}}); err != nil {
			t.Fatal(err)
		}
		got, err := st.Post(ctx, f.prog, p.ID)
		if err != nil || got.Views != 42 || got.Downloads != 2 || got.Version != p.Version {
			t.Errorf("counts: %+v %v", got.Post, err)
		}
	})
}
