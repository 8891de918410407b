package nscl

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
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
	pptx := zipWith(t, map[string]string{"ppt/presentation.xml": "<p/>",
		"[Content_Types].xml": `<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>`})
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

// Office files are told apart by the content type [Content_Types].xml
// gives the parts the zip holds (an Override, else the Default of the
// extension), and refused with their macros whatever they are named.
func TestCheckUploadReadsOfficeContentTypes(t *testing.T) {
	const (
		docxMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
		xlsxMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
		pptxMain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
		docmMain = "application/vnd.ms-word.document.macroEnabled.main+xml"
		rels     = `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`
	)
	override := func(part, ct string) string { return `<Override PartName="` + part + `" ContentType="` + ct + `"/>` }
	types := func(entries ...string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			rels + strings.Join(entries, "") + `</Types>`
	}
	word := func(extra map[string]string, entries ...string) []byte {
		files := map[string]string{"_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document/>", "[Content_Types].xml": types(entries...)}
		for k, v := range extra {
			files[k] = v
		}
		return zipWith(t, files)
	}
	for _, c := range []struct {
		about string
		data  []byte
		want  string // the extension taken; "" refused
		macro bool   // refused for its macros
	}{
		{"a Word main part by Override", word(nil, override("/word/document.xml", docxMain)), ".docx", false},
		{"an Excel main part by its Default, extension in capitals",
			zipWith(t, map[string]string{"xl/workbook.XML": "<workbook/>", "[Content_Types].xml": types(`<Default Extension="xml" ContentType="` + xlsxMain + `"/>`)}), ".xlsx", false},
		{"an Override of a part the zip lacks does not count",
			zipWith(t, map[string]string{"ppt/presentation.xml": "<p/>", "[Content_Types].xml": types(override("/word/document.xml", docxMain), override("/ppt/presentation.xml", pptxMain))}), ".pptx", false},
		{"two kinds of main part", word(map[string]string{"ppt/presentation.xml": "<p/>"}, override("/word/document.xml", docxMain), override("/ppt/presentation.xml", pptxMain)), "", false},
		{"the main type only in a comment", word(nil, `<!-- ContentType="`+docxMain+`" -->`), "", false},
		{"no content types", zipWith(t, map[string]string{"word/document.xml": "<w/>"}), "", false},
		{"a macro-enabled main part (docm named docx)", word(nil, override("/word/document.xml", docmMain)), "", true},
		{"a VBA project part", word(map[string]string{"word/vbaProject.bin": "\x00"}, override("/word/document.xml", docxMain)), "", true},
		{"a VBA project type by Default", word(nil, `<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`, override("/word/document.xml", docxMain)), "", true},
	} {
		f, err := CheckUpload("file", "tai-lieu.docx", c.data)
		switch {
		case c.want != "" && (err != nil || !strings.HasSuffix(f.Name, c.want)):
			t.Errorf("%s: %+v, %v; want %s", c.about, f, err, c.want)
		case c.want == "" && (err == nil || ErrorField(err) != "file"):
			t.Errorf("%s: taken as %+v", c.about, f)
		case c.want == "" && strings.Contains(err.Error(), "macro") != c.macro:
			t.Errorf("%s: %v; macros named %v", c.about, err, c.macro)
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
