package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// What the portal wrote in a year the demo does not hold is cited in the
// report's footnotes as any activity is, in words that say what it was,
// where it was published or held, and when: an article published on the
// portal, and a class of the training calendar with the enterprises and
// people its attendance counted.
func TestFootnotesCiteThePortal(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	const year = 2027
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	dept, err := st.UnitByCode(ctx, demo.UnitDept)
	if err != nil {
		t.Fatal(err)
	}
	post := nscl.Post{UnitID: dept.ID, Kind: nscl.PostArticle, Title: "Năng suất xanh cho doanh nghiệp nhỏ", Body: "Nội dung bài.",
		PublishedOn: time.Date(year, 3, 15, 0, 0, 0, 0, time.UTC), State: nscl.PostPublished}
	class := nscl.Class{UnitID: dept.ID, Title: "Áp dụng Kaizen trong sản xuất", TaskGroup: "d", StartsOn: time.Date(year, 5, 12, 0, 0, 0, 0, time.UTC),
		Place: "Hội trường Sở Khoa học và Công nghệ", Capacity: 20}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePost(ctx, prog, &post, nil); err != nil {
			return err
		}
		if err := tx.CreateClass(ctx, prog, &class); err != nil {
			return err
		}
		present := map[int64]bool{}
		for i, people := range [][]string{{"Nguyễn Văn An", "Trần Thị Bình"}, {"Lê Văn Cường"}} {
			reg := nscl.ClassRegistration{ClassID: class.ID, TaxCode: []string{"0312345678", "0309876543"}[i], EnterpriseName: "Công ty thử",
				Contact: nscl.Contact{Name: "Người liên hệ", Email: "lienhe@example.vn"}}
			for _, p := range people {
				reg.Attendees = append(reg.Attendees, nscl.Attendee{Name: p})
			}
			if err := tx.RegisterForClass(ctx, prog, &reg); err != nil {
				return err
			}
			for _, a := range reg.Attendees {
				present[a.ID] = true
			}
		}
		return tx.SaveAttendance(ctx, prog, class.ID, present)
	})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: year, Format: "docx"})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(documentText(t, in), "\n")
	for _, want := range []string{
		"[^Tin bài “Năng suất xanh cho doanh nghiệp nhỏ” đăng trên cổng thông tin của Chương trình ngày 15/03/2027.]",
		"[^Lớp tập huấn “Áp dụng Kaizen trong sản xuất” ngày 12/05/2027 tại Hội trường Sở Khoa học và Công nghệ cho 02 doanh nghiệp, 03 học viên (lịch tập huấn trên cổng thông tin của Chương trình).]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report's footnotes do not cite %q:\n%s", want, text)
		}
	}
}
