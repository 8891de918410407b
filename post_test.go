package nscl

import (
	"archive/zip"
	"bytes"
	"slices"
	"testing"
	"time"
)

func TestValidatePostNamesTheField(t *testing.T) {
	prog := &Programme{StartYear: 2021, EndYear: 2030}
	good := func() Post {
		return Post{UnitID: 1, Kind: PostVideo, Title: "Phim", Topic: "Năng suất", VideoURL: "https://video.example/1",
			PublishedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), State: PostPublished}
	}
	p := good()
	if err := ValidatePost(&p, prog); err != nil {
		t.Fatalf("a good video: %v", err)
	}
	for field, change := range map[string]func(*Post){
		"title":        func(p *Post) { p.Title = " " },
		"topic":        func(p *Post) { p.Topic = "" },
		"video_url":    func(p *Post) { p.VideoURL = "javascript:alert(1)" },
		"kind":         func(p *Post) { p.Kind = "podcast" },
		"published_on": func(p *Post) { p.PublishedOn = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) },
		"state":        func(p *Post) { p.State = "hidden" },
		"unit":         func(p *Post) { p.UnitID = 0 },
		"file":         func(p *Post) { p.Kind, p.VideoURL = PostDocument, "" },
		"body":         func(p *Post) { p.Kind, p.VideoURL = PostArticle, "" },
	} {
		p := good()
		change(&p)
		if err := ValidatePost(&p, prog); ErrorField(err) != field || ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", field, err)
		}
	}
	for _, bad := range []string{"ftp://x.example/a", "https://", "//video.example/a", "https://user:pw@video.example/"} {
		if err := CheckVideoURL("video_url", bad); err == nil {
			t.Errorf("%q accepted as a video link", bad)
		}
	}
}

func TestPostActivityCountsInTheGivenMetric(t *testing.T) {
	p := Post{ID: 12, UnitID: 3, Kind: PostVideo, Title: "Phim 5S", PublishedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	a := p.Activity(PortalCounting{CommunicationGroup: "b", VideoMetric: "vid"})
	if a.Ref != "portal-post-12" || !PortalOwned(a.Ref) || a.TaskGroup != "b" || a.Kind != KindVideo || a.Description != "Video “Phim 5S” đăng trong thư viện tài liệu trên cổng thông tin của Chương trình ngày 01/03/2024" ||
		!slices.Equal(a.Quantities, []Quantity{{Metric: "vid", Value: 1}}) {
		t.Errorf("video's activity %+v", a)
	}
	p.Kind = PostDocument
	if a := p.Activity(PortalCounting{CommunicationGroup: "b", VideoMetric: "vid"}); len(a.Quantities) != 0 || a.Kind != KindOther {
		t.Errorf("a document with no document metric: %+v", a)
	}
	if RequirePublishing(PortalCounting{ArticleMetric: "tin"}) == nil {
		t.Error("publishing allowed with no group to count in")
	}
}

func TestRefuseHandWrite(t *testing.T) {
	if err := RefuseHandWrite("", "nscl:12-abc", "KH-2023-001"); err != nil {
		t.Errorf("a hand-entered activity refused: %v", err)
	}
	for _, ref := range []string{"portal-post-3", "portal-class-9", "portal-other"} {
		if err := RefuseHandWrite("", ref); ErrorCode(err) != EFORBIDDEN || ErrorField(err) != "ref" {
			t.Errorf("%s: %v", ref, err)
		}
	}
}

func zipWith(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, content := range files {
		w, _ := z.Create(name)
		w.Write([]byte(content))
	}
	z.Close()
	return b.Bytes()
}

func TestCheckUploadByContent(t *testing.T) {
	types := `<Types><Override PartName="/x" ContentType="%s"/></Types>`
	pptx := zipWith(t, map[string]string{"[Content_Types].xml": `<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`})
	for _, c := range []struct {
		name string
		data []byte
		want string // content type; "" refused
		as   string // the name kept
	}{
		{"a.pdf", []byte("%PDF-1.4 ..."), "application/pdf", "a.pdf"},
		{"anh.pdf", []byte("\x89PNG\r\n\x1a\n...."), "image/png", "anh.png"},
		{"../../etc/x.jpg", []byte("\xff\xd8\xff\xe0...."), "image/jpeg", "x.jpg"},
		{"slides.zip", pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "slides.pptx"},
		{"x.docx", zipWith(t, map[string]string{"word/document.xml": "<w/>"}), "", ""},
		{"x.docx", zipWith(t, map[string]string{"[Content_Types].xml": types}), "", ""},
		{"x.pdf", []byte("<html>"), "", ""},
		{"x.pdf", nil, "", ""},
	} {
		f, err := CheckUpload("file", c.name, c.data)
		switch {
		case c.want == "" && (err == nil || ErrorField(err) != "file"):
			t.Errorf("%s: %+v, %v; want refused on file", c.name, f, err)
		case c.want != "" && (err != nil || f.ContentType != c.want || f.Name != c.as):
			t.Errorf("%s: %+v, %v; want %s as %s", c.name, f, err, c.want, c.as)
		}
	}
}

func TestSlugAndParagraphs(t *testing.T) {
	if got := Slug("Hội thảo: Năng suất & Chất lượng 2023!"); got != "hoi-thao-nang-suat-chat-luong-2023" {
		t.Errorf("slug %q", got)
	}
	got := Paragraphs("Dòng một\ndòng hai\n\n\n  \nĐoạn hai\r\n")
	if len(got) != 2 || !slices.Equal(got[0], []string{"Dòng một", "dòng hai"}) || !slices.Equal(got[1], []string{"Đoạn hai"}) {
		t.Errorf("paragraphs %q", got)
	}
}
