package importer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// webActivity saves an activity as the web form does: no row key (the
// store gives one), in its own transaction.
func (e *env) webActivity(t *testing.T, unit nscl.OrgUnit, date time.Time, group string, kind nscl.ActivityKind, desc string, qs ...nscl.Quantity) nscl.Activity {
	t.Helper()
	a := nscl.Activity{UnitID: unit.ID, Date: date, TaskGroup: group, Kind: kind, Description: desc, Quantities: qs}
	if err := e.st.SaveActivity(t.Context(), e.prog, &a, false); err != nil {
		t.Fatal(err)
	}
	return a
}

// Issue 12: an activity saved on the web form, then the same row imported
// from the unit's sheet (its kind left empty, its words in capitals),
// counted twice. Now the import stops at the row, naming it and the
// activity; linked, the activity counts once; said to be new, twice.
func TestImportAfterTheWebFormCountsOnce(t *testing.T) {
	// In 2023: the demo's 2022 is approved and locked.
	row := act{unit: "Thành phố Thủ Đức", desc: "LỚP TẬP HUẤN 5S CHO DOANH NGHIỆP THỦ ĐỨC", date: "12/09/2023", group: "d", kind: "", trainees: 120, training: 14}
	for _, choice := range []string{LinkAll, NewAll} {
		t.Run(choice, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, e *env) {
				before := e.totals(t, 2023)
				web := e.webActivity(t, e.thuDuc, time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC), "d", nscl.KindTraining,
					"Lớp tập huấn 5S cho doanh nghiệp Thủ Đức", nscl.Quantity{Metric: demo.TrainingEnterprises, Value: 14}, nscl.Quantity{Metric: demo.Trainees, Value: 120})
				afterWeb := e.totals(t, 2023)
				wantMoved(t, before, afterWeb, sumOf(row))
				count := e.activityCount(t)

				path := writeCSV(t, e.dir, "thu-duc.csv", actRows(workshop2023, row))
				res := e.run(t, Request{Path: path})
				checkProblems(t, res.Problems, "thu-duc.csv", []wantProblem{{firstDataRow + 1, "B (Nội dung hoạt động)", fmt.Sprintf("giống hoạt động đã có số %d", web.ID)}})
				p := res.Problems[0]
				for _, want := range []string{"12/09/2023", "LỚP TẬP HUẤN 5S", "Lớp tập huấn 5S cho doanh nghiệp Thủ Đức", "14 lượt doanh nghiệp"} {
					if !strings.Contains(p.Message, want) {
						t.Errorf("the problem does not name %q: %s", want, p.Message)
					}
				}
				if p.Decide != DecideSame || len(res.LookAlikes) != 1 || res.LookAlikes[0].Row != firstDataRow+1 || res.LookAlikes[0].Existing[0].ID != web.ID {
					t.Errorf("look-alikes %+v", res.LookAlikes)
				}
				e.nothingWrittenIn(t, 2023, count, afterWeb)

				res = e.run(t, Request{Path: path, SameAsExisting: choice})
				after := e.totals(t, 2023)
				if choice == LinkAll {
					wantCounts(t, "linked", res, 2, 1, 1, 0)
					if res.Linked != 1 || e.activityCount(t) != count+1 {
						t.Errorf("linked %d, activities %d; want 1 linked and only the workshop new", res.Linked, e.activityCount(t)-count)
					}
					wantMoved(t, afterWeb, after, sumOf(workshop2023))
					linked, err := e.st.Activity(t.Context(), web.ID)
					if err != nil || linked.Description != row.desc || !strings.HasPrefix(linked.Ref, nscl.RefDerived) {
						t.Errorf("the web's activity after the link: %+v %v; want the row's words and key", linked, err)
					}
					// The same file again, with no choice: found by its key.
					wantCounts(t, "the same file again", e.run(t, Request{Path: path}), 2, 0, 0, 2)
				} else {
					wantCounts(t, "another activity", res, 2, 2, 0, 0)
					wantMoved(t, afterWeb, after, sumOf(workshop2023, row))
					wantCounts(t, "the same file again", e.run(t, Request{Path: path}), 2, 0, 0, 2)
				}
				e.checkTotals(t)
			})
		})
	}
}

// A 2023 workshop of Thủ Đức that looks like nothing stored.
var workshop2023 = act{unit: "HCM-THUDUC", desc: "Hội thảo năng suất chất lượng quý III", date: "20/09/2023", group: "b", kind: "workshop", attendees: 85}

// nothingWrittenIn is nothingWritten for a year.
func (e *env) nothingWrittenIn(t *testing.T, year, count int, before totals) {
	t.Helper()
	if got := e.activityCount(t); got != count {
		t.Errorf("activities %d, want %d: nothing written", got, count)
	}
	wantMoved(t, before, e.totals(t, year), nil)
}

// Two imports of one activity with two kinds (another unit, 2023): the
// second is stopped; decided row by row, linked it counts once; said to
// be another, twice. A choice of an activity the row does not look like,
// or of one another row already takes, is asked again.
func TestImportTwiceWithAnotherKind(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		q1, err := e.st.UnitByCode(t.Context(), "HCM-Q1")
		if err != nil {
			t.Fatal(err)
		}
		first := act{unit: "Quận 1", desc: "Tư vấn áp dụng 5S cho doanh nghiệp quận", date: "05/05/2023", group: "c", kind: "consulting", training: 6}
		res := e.run(t, Request{Path: writeCSV(t, e.dir, "lan-1.csv", actRows(first))})
		wantCounts(t, "first", res, 1, 1, 0, 0)
		page, err := e.st.Activities(t.Context(), e.prog, store.ActivityFilter{UnitID: q1.ID, Year: 2023})
		if err != nil || len(page.Activities) != 1 {
			t.Fatalf("Quận 1's 2023: %v %d", err, len(page.Activities))
		}
		stored := page.Activities[0]
		figures := func() int64 {
			t.Helper()
			byUnit, err := e.st.UnitYearTotals(t.Context(), e.prog, []int64{q1.ID}, 2023)
			if err != nil {
				t.Fatal(err)
			}
			return byUnit[q1.ID][demo.TrainingEnterprises].Pending // 2023 is not approved
		}
		once := figures()

		again := first
		again.kind = "tập huấn, đào tạo"
		other := act{unit: "HCM-Q1", desc: "Buổi tư vấn khác, cùng số doanh nghiệp", date: "05/05/2023", group: "c", kind: "workshop", training: 6} // same figures
		path := writeCSV(t, e.dir, "lan-2.csv", actRows(again, other))
		res = e.run(t, Request{Path: path})
		if len(res.Problems) != 2 || len(res.LookAlikes) != 2 || res.LookAlikes[1].Existing[0].ID != stored.ID {
			t.Fatalf("the second import: look-alikes %+v%s", res.LookAlikes, problemsText(res.Problems))
		}

		// Both rows linked to one activity: the second is refused.
		res = e.run(t, Request{Path: path, Same: map[int]int64{firstDataRow: stored.ID, firstDataRow + 1: stored.ID}})
		checkProblems(t, res.Problems, "lan-2.csv", []wantProblem{{firstDataRow + 1, "B (Nội dung hoạt động)", fmt.Sprintf("dòng %d cũng được ghi vào hoạt động đã có số %d", firstDataRow, stored.ID)}})
		// A choice of an activity the row does not look like is no choice.
		res = e.run(t, Request{Path: path, Same: map[int]int64{firstDataRow: stored.ID + 1000, firstDataRow + 1: 0}})
		if len(res.Problems) != 1 || res.Problems[0].Row != firstDataRow || res.Problems[0].Decide != DecideSame {
			t.Errorf("a stale choice: %s", problemsText(res.Problems))
		}
		if got := figures(); got != once {
			t.Fatalf("refused imports moved the figure from %d to %d", once, got)
		}

		// Row 4 is the stored one, row 5 another.
		res = e.run(t, Request{Path: path, Same: map[int]int64{firstDataRow: stored.ID, firstDataRow + 1: 0}})
		wantCounts(t, "decided row by row", res, 2, 1, 1, 0)
		if got, err := e.st.Activity(t.Context(), stored.ID); err != nil || got.Kind != nscl.KindTraining {
			t.Errorf("the linked activity: %+v %v; want the second import's kind", got, err)
		}
		if got := figures(); got != once+other.training {
			t.Errorf("Quận 1's figure %d, want %d + %d: the first row once, the other row once", got, once, other.training)
		}
		e.checkTotals(t)

		// One file holding the activity twice — by its row key, and as a row
		// linked to it — is refused on the later row, in either order.
		current, err := e.st.Activity(t.Context(), stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		byKey := again // what the activity now holds: its key names it
		variant := first
		variant.kind = "workshop"
		for _, order := range [][]act{{byKey, variant}, {variant, byKey}} {
			linkRow := firstDataRow
			if order[1] == variant {
				linkRow = firstDataRow + 1
			}
			res = e.run(t, Request{Path: writeCSV(t, e.dir, "hai-lan.csv", actRows(order...)), Same: map[int]int64{linkRow: stored.ID}})
			checkProblems(t, res.Problems, "hai-lan.csv", []wantProblem{{firstDataRow + 1, "B (Nội dung hoạt động)", fmt.Sprintf("dòng %d cũng được ghi vào hoạt động đã có số %d", firstDataRow, stored.ID)}})
		}
		if after, err := e.st.Activity(t.Context(), stored.ID); err != nil || after.Version != current.Version {
			t.Errorf("the activity changed: version %d → %d, %v", current.Version, after.Version, err)
		}
	})
}
