package web

import (
	"bytes"
	"html/template"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"

	"nscl"
)

// A page drawn beforehand is written in a kept frame byte for byte as the
// whole layout draws it, for every reader, unit, language and title, and
// after a change of any of them; a page with a flash is drawn whole.
func TestFramedPagesAreTheLayoutsOwn(t *testing.T) {
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.init()
	tmpl := s.pages["dashboard.html"]
	focal := nscl.User{ID: 7, Name: "Nguyễn Văn A", Role: nscl.RoleFocal, UnitID: 3, Version: 1}
	reporter := nscl.User{ID: 8, Name: "Trần Thị B <b>", Role: nscl.RoleReporter, UnitID: 4, Version: 1}
	renamed := focal
	renamed.Name, renamed.Version = "Nguyễn Văn Á", 2
	unit := nscl.OrgUnit{ID: 3, Code: "HCM", Name: "Sở Khoa học và Công nghệ"}
	otherUnit := unit
	otherUnit.Name = "Sở KH&CN"
	views := []view{
		{Title: "Tổng quan", Nav: "dashboard", Lang: "vi", User: &focal, Unit: unit},
		{Title: "Dashboard", Nav: "dashboard", Lang: "en", User: &focal, Unit: unit},
		{Title: "Tổng quan", Nav: "dashboard", Lang: "vi", User: &reporter, Unit: unit},
		{Title: "Tổng quan", Nav: "dashboard", Lang: "vi", User: &renamed, Unit: unit},
		{Title: "Tổng quan", Nav: "dashboard", Lang: "vi", User: &focal, Unit: otherUnit},
		{Title: "Tổng quan 2025", Nav: "dashboard", Lang: "vi", User: &focal, Unit: unit},
		{Title: "Tổng quan", Nav: "report", Lang: "vi", User: &focal, Unit: unit},
		{Title: "Tổng quan", Nav: "dashboard", Lang: "vi", User: &focal, Unit: unit, Refresh: true},
		{Title: "Trang chủ", Nav: "home", Lang: "vi"},
	}
	for round := range 2 { // the second from the kept frames
		for i, v := range views {
			v.Content = template.HTML("<p>nội dung " + strconv.Itoa(i) + "</p>")
			var whole bytes.Buffer
			if err := tmpl.ExecuteTemplate(&whole, "layout", v); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			if !s.framed(rec, 200, "dashboard.html", tmpl, v) {
				t.Fatalf("view %d was not framed", i)
			}
			if got := rec.Body.String(); got != whole.String() {
				t.Errorf("round %d, view %d: framed\n%s\nwhole\n%s", round, i, got, whole.String())
			}
			if rec.Header().Get("Content-Length") != strconv.Itoa(whole.Len()) {
				t.Errorf("view %d: Content-Length %s for %d bytes", i, rec.Header().Get("Content-Length"), whole.Len())
			}
		}
	}
	if len(s.frames.drawn) != len(views) {
		t.Errorf("%d frames kept for %d views", len(s.frames.drawn), len(views))
	}
	withFlash := views[0]
	withFlash.Content, withFlash.Flash = "<p>x</p>", &flash{Text: "Đã lưu"}
	if s.framed(httptest.NewRecorder(), 200, "dashboard.html", tmpl, withFlash) {
		t.Error("a page with a flash was framed")
	}
	for i := range 2 * drawnFramesHeld {
		v := views[0]
		v.Title, v.Content = strconv.Itoa(i), "<p>x</p>"
		s.framed(httptest.NewRecorder(), 200, "dashboard.html", tmpl, v)
	}
	if len(s.frames.drawn) > drawnFramesHeld {
		t.Errorf("%d frames kept, more than %d", len(s.frames.drawn), drawnFramesHeld)
	}
}
