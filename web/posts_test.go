package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// thuDucFocal is a focal-point officer of Thủ Đức — not the city's focal
// unit — who publishes for Thủ Đức.
const thuDucFocal = "dau-moi-thuduc@demo.local"

func (ts *testServer) addThuDucFocal(t *testing.T) (*http.Client, nscl.OrgUnit) {
	t.Helper()
	ctx := context.Background()
	unit, err := ts.store.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	u := nscl.User{Email: thuDucFocal, Name: "Cán bộ đầu mối Thủ Đức", Role: nscl.RoleFocal, UnitID: unit.ID}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &u, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	return ts.client(t, thuDucFocal), unit
}

// postForm sends the post form as a browser does (multipart), with a file
// when name is not "".
func postForm(t *testing.T, c *http.Client, url string, fields map[string]string, name string, file []byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(file)
	}
	mw.Close()
	return send(t, c, "POST", url, mw.FormDataContentType(), body.String())
}

// demoProgramme is the demo's programme.
func (ts *testServer) demoProgramme(t *testing.T) *nscl.Programme {
	t.Helper()
	prog, err := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// newestPost is the programme's newest post, as the staff's list has it.
func (ts *testServer) newestPost(t *testing.T) (store.PostItem, bool) {
	t.Helper()
	page, err := ts.store.StaffPosts(context.Background(), ts.demoProgramme(t), "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Posts) == 0 {
		return store.PostItem{}, false
	}
	return page.Posts[0], true
}

// yearFigure is a metric's figure of a unit's year.
func (ts *testServer) yearFigure(t *testing.T, unit nscl.OrgUnit, metric string, year int) int64 {
	t.Helper()
	prog := ts.demoProgramme(t)
	figs, err := ts.store.Figures(context.Background(), prog, unit.ID, prog.StartYear, year)
	if err != nil {
		t.Fatal(err)
	}
	return figs[metric].YearValue
}

func article(changes ...string) map[string]string {
	f := map[string]string{"kind": "article", "title": "Hội thảo năng suất tại Thủ Đức",
		"body": "Sáng nay, Thành phố Thủ Đức tổ chức hội thảo.\n\n<script>alert(1)</script> không chạy.", "published_on": "20/04/2023", "state": "published"}
	for i := 0; i+1 < len(changes); i += 2 {
		f[changes[i]] = changes[i+1]
	}
	return f
}

// A focal officer of Thủ Đức publishes an article: it counts 1 article in
// Thủ Đức's year. A visitor with no cookie reads the news and the article,
// gets no cookie, and each view is counted in memory, written by the next
// flush in one batch; a robot's view is not counted.
func TestPublishedArticleForAVisitor(t *testing.T) {
	ts := newTestServer(t)
	focal, thuDuc := ts.addThuDucFocal(t)
	before := ts.yearFigure(t, thuDuc, demo.Articles, openYear)

	resp, page := postForm(t, focal, ts.URL+"/posts", article(), "", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", resp.StatusCode, alertText(page))
	}
	post, ok := ts.newestPost(t)
	if !ok || !post.Published() || post.UnitID != thuDuc.ID || post.ActivityID == 0 {
		t.Fatalf("stored: %+v", post.Post)
	}
	if got := ts.yearFigure(t, thuDuc, demo.Articles, openYear); got != before+1 {
		t.Errorf("Thủ Đức's articles of %d: %d, want %d", openYear, got, before+1)
	}

	anon := ts.client(t, "")
	resp, news := send(t, anon, "GET", ts.URL+"/tin-tuc", "", "")
	path := fmt.Sprintf("/tin-tuc/%d-hoi-thao-nang-suat-tai-thu-duc", post.ID)
	if resp.StatusCode != 200 || !strings.Contains(news, `href="`+path+`"`) || strings.Contains(news, `id="manage-posts"`) {
		t.Fatalf("/tin-tuc: %d\n%s", resp.StatusCode, news)
	}
	if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("/tin-tuc set cookies: %v", c)
	}
	resp, _ = send(t, anon, "GET", fmt.Sprintf("%s/tin-tuc/%d", ts.URL, post.ID), "", "")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != path {
		t.Errorf("the ID alone: %d to %q, want %s", resp.StatusCode, resp.Header.Get("Location"), path)
	}
	const reads = 3
	for range reads {
		resp, body := send(t, anon, "GET", ts.URL+path, "", "", "User-Agent", "Mozilla/5.0 (Linux; Android 14)")
		if resp.StatusCode != 200 || len(resp.Header.Values("Set-Cookie")) > 0 {
			t.Fatalf("article: %d, cookies %v", resp.StatusCode, resp.Header.Values("Set-Cookie"))
		}
		if !strings.Contains(body, "<p>Sáng nay, Thành phố Thủ Đức tổ chức hội thảo.</p>") || strings.Contains(body, "<script>alert") ||
			!strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt; không chạy.") {
			t.Fatalf("the article's text is not shown as plain paragraphs:\n%s", body)
		}
	}
	send(t, anon, "GET", ts.URL+path, "", "", "User-Agent", "Googlebot/2.1 (+http://www.google.com/bot.html)")

	stored, _ := ts.newestPost(t)
	if stored.Views != 0 {
		t.Errorf("%d views written before the flush: each view wrote to the database", stored.Views)
	}
	statements := ts.store.Statements.Load()
	if err := ts.app.FlushViews(context.Background()); err != nil {
		t.Fatal(err)
	}
	// One transaction: begin's lock on PostgreSQL aside, one statement for
	// the one post viewed, however many views.
	if n := ts.store.Statements.Load() - statements; n > 3 {
		t.Errorf("the flush ran %d statements for one post", n)
	}
	stored, _ = ts.newestPost(t)
	if stored.Views != reads {
		t.Errorf("views after the flush: %d, want %d (the robot's not counted)", stored.Views, reads)
	}
	if err := ts.app.FlushViews(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again, _ := ts.newestPost(t); again.Views != reads {
		t.Errorf("a second flush added views: %d", again.Views)
	}

	// Signed in, the news links to the staff's list, which shows the views.
	_, news = send(t, focal, "GET", ts.URL+"/tin-tuc", "", "")
	if !strings.Contains(news, `id="manage-posts"`) {
		t.Error("the news does not link a signed-in officer to the posts' management")
	}
	_, list := send(t, focal, "GET", ts.URL+"/posts", "", "")
	if !strings.Contains(list, fmt.Sprintf(`data-post="%d"`, post.ID)) || !strings.Contains(list, `<td class="num">3</td>`) {
		t.Errorf("the staff's list lacks the post or its views:\n%s", list)
	}
	var api struct {
		Posts []struct {
			ID    int64  `json:"id"`
			URL   string `json:"url"`
			Views int64  `json:"views"`
		} `json:"posts"`
	}
	getJSON(t, anon, ts.URL+"/api/v1/posts", &api)
	if len(api.Posts) != 1 || api.Posts[0].ID != post.ID || api.Posts[0].URL != path || api.Posts[0].Views != reads {
		t.Errorf("API: %+v", api.Posts)
	}
}

// A draft does not exist for the public, its page nor its file; staff
// see it marked as a draft. Taken down, a published post is gone again
// and its activity with it.
func TestDraftsAreNotPublic(t *testing.T) {
	ts := newTestServer(t)
	focal, thuDuc := ts.addThuDucFocal(t)
	resp, page := postForm(t, focal, ts.URL+"/posts", map[string]string{"kind": "document", "title": "Sổ tay 5S", "topic": "Công cụ cải tiến",
		"published_on": "02/05/2023", "state": "draft"}, "so-tay.pdf", []byte("%PDF-1.7\n%%EOF\n"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft: %d %s", resp.StatusCode, alertText(page))
	}
	draft, _ := ts.newestPost(t)
	anon := ts.client(t, "")
	path := fmt.Sprintf("/tai-lieu/%d-so-tay-5s", draft.ID)
	file := fmt.Sprintf("/tai-lieu/tep/%d/so-tay.pdf", draft.FileID)
	for _, p := range []string{path, file} {
		if code, _ := fetch(t, anon, "GET", ts.URL+p, "", ""); code != http.StatusNotFound {
			t.Errorf("a visitor opens the draft's %s: %d, want 404", p, code)
		}
	}
	if _, lib := fetch(t, anon, "GET", ts.URL+"/tai-lieu", "", ""); strings.Contains(lib, "Sổ tay 5S") {
		t.Error("the library lists a draft")
	}
	if code, body := fetch(t, focal, "GET", ts.URL+path, "", ""); code != 200 || !strings.Contains(body, `id="draft-note"`) {
		t.Errorf("staff open the draft: %d", code)
	}
	if code, _ := fetch(t, focal, "GET", ts.URL+file, "", ""); code != 200 {
		t.Errorf("staff open the draft's file: %d", code)
	}

	// Published from the list, then taken down.
	act := func(action string) {
		t.Helper()
		p, _ := ts.newestPost(t)
		if code, body := fetch(t, focal, "POST", fmt.Sprintf("%s/posts/%d/%s", ts.URL, p.ID, action), formType, "version="+strconv.FormatInt(p.Version, 10)); code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", action, code, alertText(body))
		}
	}
	activities := func() int {
		n, err := ts.store.CountActivities(context.Background(), ts.demoProgramme(t), store.ActivityFilter{UnitID: thuDuc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := activities()
	act("publish")
	if code, _ := fetch(t, anon, "GET", ts.URL+path, "", ""); code != 200 || activities() != before+1 {
		t.Errorf("published: page %d, activities %d → %d", code, before, activities())
	}
	act("unpublish")
	if code, _ := fetch(t, anon, "GET", ts.URL+path, "", ""); code != http.StatusNotFound || activities() != before {
		t.Errorf("taken down: page %d, activities %d → %d", code, before, activities())
	}
}

// docx is the smallest zip a Word file is: its [Content_Types].xml names
// the main document part as main says.
func docx(t *testing.T, main string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("[Content_Types].xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="%s"/></Types>`, main)
	w, _ = z.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Uploads are checked by their content: a file that is not what it says,
// a zip that is not an Office file, a macro-enabled one and one too large
// are refused beside the file field, and nothing is stored. A good file is
// served with the type checked and headers that keep a browser from
// running it.
func TestPostUploads(t *testing.T) {
	ts := newTestServer(t)
	focal, _ := ts.addThuDucFocal(t)
	material := map[string]string{"kind": "document", "title": "Hướng dẫn áp dụng ISO 9001", "topic": "Tiêu chuẩn", "published_on": "02/05/2023", "state": "published"}
	large := append([]byte("%PDF-1.7\n"), make([]byte, nscl.MaxUpload)...)
	for _, bad := range []struct {
		name string
		data []byte
		want string
	}{
		{"bao-cao.pdf", []byte("<!doctype html><script>alert(1)</script>"), "chỉ nhận tệp PDF, DOCX"},
		{"bang.xlsx", docx(t, "application/xml"), "chỉ nhận tệp PDF, DOCX"},
		{"macro.docx", docx(t, "application/vnd.ms-word.document.macroEnabled.main+xml"), "không nhận tệp Office có macro"},
		{"lon.pdf", large, "tệp lớn quá 20 MB"},
		{"rong.pdf", []byte{}, ""}, // an empty file is no file: a document needs one
	} {
		resp, page := postForm(t, focal, ts.URL+"/posts", material, bad.name, bad.data)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad.name, resp.StatusCode)
			continue
		}
		want := bad.want
		if want == "" {
			want = "tài liệu cần có tệp"
		}
		checkFieldError(t, page, "file", want)
		if _, stored := ts.newestPost(t); stored {
			t.Fatalf("%s: a post was stored", bad.name)
		}
	}

	word := docx(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
	if resp, page := postForm(t, focal, ts.URL+"/posts", material, `C:\Tài liệu\huong-dan.DOCX`, word); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a Word file: %d %s", resp.StatusCode, alertText(page))
	}
	post, _ := ts.newestPost(t)
	if post.File.Name != "huong-dan.docx" || post.File.Size != int64(len(word)) {
		t.Errorf("file %+v", post.File)
	}
	anon := ts.client(t, "")
	_, lib := fetch(t, anon, "GET", ts.URL+"/tai-lieu", "", "")
	link := fmt.Sprintf("/tai-lieu/tep/%d/huong-dan.docx", post.FileID)
	_, show := fetch(t, anon, "GET", ts.URL+postPath(post.Post), "", "")
	if !strings.Contains(lib, "Tiêu chuẩn") || !strings.Contains(lib, "DOCX") || !strings.Contains(show, `href="`+link+`"`) {
		t.Errorf("the library or the page lacks the file:\n%s\n%s", lib, show)
	}
	resp, body := send(t, anon, "GET", ts.URL+link, "", "")
	h := resp.Header
	if resp.StatusCode != 200 || body != string(word) ||
		h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" ||
		h.Get("Content-Disposition") != `attachment; filename=huong-dan.docx` || !strings.HasPrefix(h.Get("Cache-Control"), "public") || h.Get("ETag") == "" {
		t.Errorf("download: %d, headers %v", resp.StatusCode, h)
	}
	if resp, _ := send(t, anon, "GET", ts.URL+link, "", "", "If-None-Match", h.Get("ETag")); resp.StatusCode != http.StatusNotModified {
		t.Errorf("a cached copy asked again: %d, want 304", resp.StatusCode)
	}
	if err := ts.app.FlushViews(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p, _ := ts.newestPost(t); p.Downloads != 2 {
		t.Errorf("downloads %d, want 2", p.Downloads)
	}
}

// The library finds "năng suất" for "nang suat", and not what does not
// hold the words.
func TestMaterialsSearchWithoutDiacritics(t *testing.T) {
	ts := newTestServer(t)
	focal, _ := ts.addThuDucFocal(t)
	for _, m := range []map[string]string{
		{"kind": "video", "title": "Phim: năng suất xanh", "topic": "Năng suất", "video_url": "https://video.example/nang-suat", "published_on": "03/05/2023", "state": "published"},
		{"kind": "video", "title": "Phim: ISO 9001", "topic": "Tiêu chuẩn", "video_url": "https://video.example/iso", "published_on": "04/05/2023", "state": "published"},
	} {
		if resp, page := postForm(t, focal, ts.URL+"/posts", m, "", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", m["title"], resp.StatusCode, alertText(page))
		}
	}
	anon := ts.client(t, "")
	_, found := fetch(t, anon, "GET", ts.URL+"/tai-lieu?q=nang+suat", "", "")
	if !strings.Contains(found, html.EscapeString("Phim: năng suất xanh")) || strings.Contains(found, "ISO 9001") {
		t.Errorf("search for nang suat:\n%s", found)
	}
	_, none := fetch(t, anon, "GET", ts.URL+"/tai-lieu?q=chat+luong", "", "")
	if strings.Contains(none, "Phim:") {
		t.Errorf("search for chat luong found a video:\n%s", none)
	}
	// Too many words: said above the search box, which keeps them; the
	// API refuses them too.
	tooMany := strings.TrimSpace(strings.Repeat("năng ", nscl.MaxSearchWords+1))
	code, refused := fetch(t, anon, "GET", ts.URL+"/tai-lieu?q="+url.QueryEscape(tooMany), "", "")
	if code != http.StatusBadRequest || !strings.Contains(alertText(refused), "tìm nhiều quá") || !strings.Contains(refused, `value="`+tooMany+`"`) {
		t.Errorf("a search of %d words: %d %q", nscl.MaxSearchWords+1, code, alertText(refused))
	}
	if code, body := fetch(t, anon, "GET", ts.URL+"/api/v1/posts?kind=material&q="+url.QueryEscape(tooMany), "", ""); code != http.StatusBadRequest || !strings.Contains(body, `"field":"q"`) {
		t.Errorf("the API's search of %d words: %d %s", nscl.MaxSearchWords+1, code, body)
	}
	// A video is a link on its page, not a player from elsewhere.
	post, _ := ts.newestPost(t)
	_, show := fetch(t, anon, "GET", ts.URL+postPath(post.Post), "", "")
	if !strings.Contains(show, `id="video-link" href="https://video.example/iso"`) || strings.Contains(show, "<iframe") {
		t.Errorf("video page:\n%s", show)
	}
}

// Publishing into a period whose submission is approved is refused on the
// form with the lock's message; with no task group to count in,
// publishing is refused on the state field. Nothing is stored either way.
func TestPublishingRefusals(t *testing.T) {
	ts := newTestServer(t)
	focal, _ := ts.addThuDucFocal(t)
	resp, page := postForm(t, focal, ts.URL+"/posts", article("published_on", "15/06/2022"), "", nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(alertText(page), "đã được duyệt") {
		t.Errorf("publishing into the approved 2022: %d %q", resp.StatusCode, alertText(page))
	}
	if _, stored := ts.newestPost(t); stored {
		t.Fatal("a refused publication was stored")
	}
	ctx := context.Background()
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.SetPortalCounting(ctx, ts.demoProgramme(t), nscl.PortalCounting{}) }); err != nil {
		t.Fatal(err)
	}
	resp, page = postForm(t, focal, ts.URL+"/posts", article(), "", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("publishing with no group: %d", resp.StatusCode)
	}
	checkFieldError(t, page, "state", "nhóm nhiệm vụ")
	if _, stored := ts.newestPost(t); stored {
		t.Fatal("a refused publication was stored")
	}
	// The demo's reporter and administrator do not write posts.
	for _, who := range []string{"thuduc@demo.local", "admin@demo.local"} {
		if resp, _ := postForm(t, ts.client(t, who), ts.URL+"/posts", article("state", "draft"), "", nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s writes a post: %d", who, resp.StatusCode)
		}
	}
}

// The activity a post counts as is changed through the post only: the
// activity's form, its deletion, the API and an import are refused, with
// a message saying where it is managed.
func TestPortalActivityRefusesHandEdits(t *testing.T) {
	ts := newTestServer(t)
	focal, _ := ts.addThuDucFocal(t)
	if resp, page := postForm(t, focal, ts.URL+"/posts", article(), "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", resp.StatusCode, alertText(page))
	}
	post, _ := ts.newestPost(t)
	a, err := ts.store.Activity(context.Background(), post.ActivityID)
	if err != nil {
		t.Fatal(err)
	}
	id, version := strconv.FormatInt(a.ID, 10), strconv.FormatInt(a.Version, 10)
	cityFocal := ts.client(t, "focal@demo.local")
	for _, c := range []*http.Client{focal, cityFocal} {
		if code, body := fetch(t, c, "GET", ts.URL+"/activities/"+id+"/edit", "", ""); code != http.StatusForbidden || !strings.Contains(body, "Quản lý tin bài, tài liệu") {
			t.Errorf("the activity's form: %d", code)
		}
	}
	if code, _ := fetch(t, cityFocal, "POST", ts.URL+"/activities/"+id, formType, "version="+version+"&description=sửa+tay"); code != http.StatusForbidden {
		t.Errorf("saving the activity's form: %d", code)
	}
	if code, _ := fetch(t, cityFocal, "POST", ts.URL+"/activities/"+id+"/delete", formType, "version="+version+"&confirm=1"); code != http.StatusForbidden {
		t.Errorf("deleting the activity: %d", code)
	}
	if code, body := fetch(t, cityFocal, "PUT", ts.URL+"/api/v1/activities/"+id, "application/json", `{"description":"sửa tay","version":`+version+`}`); code != http.StatusForbidden || !strings.Contains(body, `"field":"ref"`) {
		t.Errorf("API update: %d %s", code, body)
	}
	if code, _ := fetch(t, cityFocal, "DELETE", ts.URL+"/api/v1/activities/"+id+"?version="+version, "", ""); code != http.StatusForbidden {
		t.Errorf("API delete: %d", code)
	}
	// A class's activity, written by the portal the same way, is as safe.
	code, body := fetch(t, cityFocal, "POST", ts.URL+"/api/v1/activities", "application/json",
		`{"unit":"HCM-THUDUC","date":"2023-05-05","task_group":"d","kind":"training","description":"Lớp 5S","ref":"portal-class-9","same_as_existing":"new"}`)
	if code != http.StatusForbidden || !strings.Contains(body, "lớp học") {
		t.Errorf("API create with a class's key: %d %s", code, body)
	}
	// Nor does another spelling of the key get round it.
	code, body = fetch(t, cityFocal, "POST", ts.URL+"/api/v1/activities", "application/json",
		`{"unit":"HCM-THUDUC","date":"2023-05-06","task_group":"b","kind":"article","description":"Tin viết tay","ref":" PORTAL-Post-`+strconv.FormatInt(post.ID+1, 10)+`","same_as_existing":"new"}`)
	if code != http.StatusForbidden || !strings.Contains(body, `"field":"ref"`) {
		t.Errorf("API create with a post's key in capitals: %d %s", code, body)
	}
	page := upload(t, ts, ts.client(t, "thuduc@demo.local"), "tay.csv",
		strings.TrimSuffix(importHeader, "\n")+",Mã dòng\nHCM-THUDUC,20/04/2023,b,tin bài,Sửa tay tin bài,,"+a.Ref+"\n")
	if strings.Contains(page, `id="import-done"`) || !strings.Contains(page, "Quản lý tin bài, tài liệu") {
		t.Errorf("an import onto the post's key:\n%s", page)
	}
	if after, _ := ts.store.Activity(context.Background(), a.ID); after.Version != a.Version || after.Description != a.Description {
		t.Errorf("the activity changed: %+v", after)
	}
	// The list marks it as the portal's, with no link to edit it.
	_, list := fetch(t, cityFocal, "GET", ts.URL+"/activities?year=2023&unit=HCM-THUDUC", "", "")
	if strings.Contains(list, `href="/activities/`+id+`/edit"`) || !regexp.MustCompile(`title="Hoạt động do cổng thông tin ghi`).MatchString(list) {
		t.Errorf("the list offers to edit the portal's activity")
	}
}
