package store

import (
	"context"
	"testing"

	"nscl"
)

// Every store write of an activity refuses a row key the portal owns
// unless the portal writes it: create, update, delete, an import's row, a
// link, a batch and the bulk path, with the key spelled as the portal
// spells it or in another case, with spaces, full-width or with an
// invisible character. What was stored stays as it was.
func TestStoreRefusesHandWritesToPortalActivities(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, &nscl.PortalCounting{CommunicationGroup: "b", ArticleMetric: "tin"})
		p := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostArticle, Title: "Tin thử của huyện Một", Body: "Nội dung.",
			PublishedOn: day("2028-03-02"), State: nscl.PostPublished}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, nil) }); err != nil {
			t.Fatal(err) // the portal writes its own activity
		}
		owned, err := st.Activity(ctx, p.ActivityID)
		if err != nil {
			t.Fatal(err)
		}
		hand := &nscl.Activity{UnitID: f.district.ID, Date: day("2028-04-01"), TaskGroup: "b", Kind: nscl.KindArticle,
			Description: "Tin bài báo huyện", Ref: "huyen-mot-1", Quantities: []nscl.Quantity{{Metric: "tin", Value: 2}}}
		if err := st.CreateActivity(ctx, f.prog, hand); err != nil {
			t.Fatal(err)
		}
		before := yearValues(t, st, f.prog, f.district, 2028)
		newOne := func(ref string) *nscl.Activity {
			return &nscl.Activity{UnitID: f.district.ID, Date: day("2028-05-01"), TaskGroup: "b", Kind: nscl.KindArticle,
				Description: "Tin bài viết tay", Ref: ref, Quantities: []nscl.Quantity{{Metric: "tin", Value: 1}}}
		}
		disguises := []string{nscl.PostRef(p.ID), " Portal-Post-77 ", "PORTAL-class-3", "ｐｏｒｔａｌ-post-5", "portal\u200b-post-6", "por tal-class-8"}
		writes := map[string]func(tx *Tx, ref string) error{
			"create": func(tx *Tx, ref string) error { return tx.CreateActivity(ctx, f.prog, newOne(ref)) },
			"import": func(tx *Tx, ref string) error { _, err := tx.ImportActivity(ctx, f.prog, newOne(ref)); return err },
			"batch": func(tx *Tx, ref string) error {
				tx.Batch()
				return tx.CreateActivity(ctx, f.prog, newOne(ref))
			},
			"bulk": func(tx *Tx, ref string) error { return tx.BulkActivities(ctx, f.prog, []nscl.Activity{*newOne(ref)}) },
			"update to the key": func(tx *Tx, ref string) error {
				a := *hand
				a.Ref = ref
				return tx.UpdateActivity(ctx, f.prog, &a)
			},
			"link": func(tx *Tx, ref string) error {
				_, err := tx.LinkRow(ctx, f.prog, newOne(ref), hand.ID, nil)
				return err
			},
		}
		for name, write := range writes {
			for _, ref := range disguises {
				err := st.Update(ctx, func(tx *Tx) error { return write(tx, ref) })
				if nscl.ErrorCode(err) != nscl.EFORBIDDEN || nscl.ErrorField(err) != "ref" {
					t.Errorf("%s with %q: %v, want EFORBIDDEN on ref", name, ref, err)
				}
			}
		}
		// The portal's own activity, changed or deleted by hand.
		change := owned
		change.Description = "Sửa tay"
		change.Ref = ""
		if err := st.UpdateActivity(ctx, f.prog, &change); nscl.ErrorCode(err) != nscl.EFORBIDDEN {
			t.Errorf("update of the post's activity: %v", err)
		}
		if err := st.DeleteActivity(ctx, f.prog, owned.ID, owned.Version); nscl.ErrorCode(err) != nscl.EFORBIDDEN {
			t.Errorf("delete of the post's activity: %v", err)
		}
		if err := st.Update(ctx, func(tx *Tx) error {
			_, err := tx.LinkRow(ctx, f.prog, newOne("huyen-mot-2"), owned.ID, nil)
			return err
		}); nscl.ErrorCode(err) != nscl.EFORBIDDEN {
			t.Errorf("a row linked onto the post's activity: %v", err)
		}
		if after, _ := st.Activity(ctx, owned.ID); after.Version != owned.Version || after.Description != owned.Description {
			t.Errorf("the post's activity changed: %+v", after)
		}
		if after, _ := st.Activity(ctx, hand.ID); after.Version != hand.Version || after.Ref != hand.Ref {
			t.Errorf("the hand activity changed: %+v", after)
		}
		if got := yearValues(t, st, f.prog, f.district, 2028); got["tin"] != before["tin"] {
			t.Errorf("totals moved: %v, want %v", got, before)
		}
		// The post's activity imported again as it is stored (a unit's
		// exported list read back) is no write, and is not refused.
		again := owned
		again.ID, again.Version = 0, 0
		var outcome ImportOutcome
		if err := st.Update(ctx, func(tx *Tx) (err error) {
			outcome, err = tx.ImportActivity(ctx, f.prog, &again)
			return err
		}); err != nil || outcome != Unchanged {
			t.Errorf("the post's activity imported unchanged: %v, %v; want unchanged", outcome, err)
		}
		// A key that merely holds the word is anyone's.
		if err := st.CreateActivity(ctx, f.prog, newOne("bao-cao-portal-1")); err != nil {
			t.Errorf("an ordinary key: %v", err)
		}
		// The portal still keeps its own: unpublishing deletes its activity.
		err = st.Update(ctx, func(tx *Tx) error {
			_, err := tx.SetPostState(ctx, f.prog, p.ID, p.Version, nscl.PostDraft)
			return err
		})
		if err != nil {
			t.Fatalf("the portal's own write: %v", err)
		}
	})
}
