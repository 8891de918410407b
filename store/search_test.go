package store

import (
	"context"
	"strings"
	"testing"

	"nscl"
)

// The materials library and the activity list take a search within
// nscl.SearchWords's bounds and refuse one beyond, naming q, before any
// query; within them, every word must be found.
func TestSearchesAreBounded(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", VideoMetric: "vid"})
		video := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostVideo, Title: "Áp dụng công cụ cải tiến Kaizen tại xưởng may của doanh nghiệp nhỏ và vừa ở huyện Một",
			Topic: "Công cụ cải tiến", VideoURL: "https://video.example.vn/kaizen", PublishedOn: day("2029-06-01"), State: nscl.PostPublished}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &video, nil) }); err != nil {
			t.Fatal(err)
		}
		words := strings.Fields(nscl.SearchKey(video.Title))
		most := strings.Join(words[:nscl.MaxSearchWords], " ") // all in the title
		page, err := st.Materials(ctx, f.prog, most, "", 10)
		if err != nil || len(page.Posts) != 1 {
			t.Fatalf("%d words: %d posts, %v", nscl.MaxSearchWords, len(page.Posts), err)
		}
		acts, err := st.Activities(ctx, f.prog, ActivityFilter{Text: most})
		if err != nil || len(acts.Activities) != 1 {
			t.Fatalf("%d words in the activity list: %d, %v", nscl.MaxSearchWords, len(acts.Activities), err)
		}
		for _, bad := range []string{most + " " + words[nscl.MaxSearchWords], strings.Repeat("a", nscl.MaxSearchText+1)} {
			if _, err := st.Materials(ctx, f.prog, bad, "", 10); nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "q" {
				t.Errorf("materials, %.20q…: %v", bad, err)
			}
			if _, err := st.Activities(ctx, f.prog, ActivityFilter{Text: bad}); nscl.ErrorCode(err) != nscl.EINVALID || nscl.ErrorField(err) != "q" {
				t.Errorf("activities, %.20q…: %v", bad, err)
			}
			if _, err := st.CountActivities(ctx, f.prog, ActivityFilter{Text: bad}); nscl.ErrorField(err) != "q" {
				t.Errorf("count, %.20q…: %v", bad, err)
			}
			if err := st.EachActivity(ctx, f.prog, ActivityFilter{Text: bad}, func(nscl.Activity) error { return nil }); nscl.ErrorField(err) != "q" {
				t.Errorf("each, %.20q…: %v", bad, err)
			}
		}
	})
}
