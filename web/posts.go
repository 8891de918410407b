package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/store"
)

// The portal's news (/tin-tuc) and materials library (/tai-lieu): public
// pages anyone reads without signing in, and the staff's pages (/posts)
// that write, publish and delete what they show.

// postPageSize is how many posts a public list shows at once; the staff's
// list shows staffPostPageSize.
const (
	postPageSize      = 20
	staffPostPageSize = 50
)

// maxDownloads bounds the files sent at once: each holds a chunk of its
// file (store.FileChunk) and a database reader while it lasts. Beyond it a
// download is answered 503 (slots).
const maxDownloads = 4

// errBusy is the code of a request the server has no room for now (503).
const errBusy = "busy"

// maxPostForm bounds a post's form: the largest file and the text beside it.
const maxPostForm = nscl.MaxUpload + 1<<20

func (s *Server) postRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /tin-tuc", s.portalPage(s.newsList))
	mux.HandleFunc("GET /tin-tuc/{ref}", s.portalPage(s.postShow))
	mux.HandleFunc("GET /tai-lieu", s.portalPage(s.materialsList))
	mux.HandleFunc("GET /tai-lieu/{ref}", s.portalPage(s.postShow))
	downloads := make(slots, maxDownloads) // the downloads under way, of all clients
	mux.HandleFunc("GET /tai-lieu/tep/{id}/{name}", s.portalPage(func(w http.ResponseWriter, r *http.Request) error {
		return s.postFileDownload(w, r, downloads)
	}))
	mux.HandleFunc("GET /api/v1/posts", s.apiPosts)

	mux.HandleFunc("GET /posts", s.page(s.postManage))
	mux.HandleFunc("GET /posts/new", s.page(s.postNew))
	mux.HandleFunc("POST /posts", s.page(s.postCreate))
	mux.HandleFunc("GET /posts/{id}/edit", s.page(s.postEdit))
	mux.HandleFunc("POST /posts/{id}", s.page(s.postUpdate))
	mux.HandleFunc("POST /posts/{id}/{action}", s.page(s.postAct))
}

func init() {
	flashPaths["post"] = "/posts/%d/edit"
	flashPaths["post_published"] = "/posts/%d/edit"
	flashPaths["post_unpublished"] = "/posts/%d/edit"
	flashPaths["post_deleted"] = ""
}

// portalPage wraps a public page of the portal: its errors are shown on a
// page that leads back to the news and the library.
func (s *Server) portalPage(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.render(w, r, statusOf(err), "post_error.html", view{Title: translate(language(r), "err.title"), Error: s.publicError(err)})
		}
	}
}

// postPath is a post's public address: its section, its ID, and its
// title's words, which only help a reader (the ID finds it).
func postPath(p nscl.Post) string {
	section := "/tin-tuc/"
	if p.Kind.Material() {
		section = "/tai-lieu/"
	}
	path := section + strconv.FormatInt(p.ID, 10)
	if slug := nscl.Slug(p.Title); slug != "" {
		path += "-" + slug
	}
	return path
}

// fileURL is where a post's file is downloaded.
func fileURL(f nscl.StoredFile) string {
	if f.ID == 0 {
		return ""
	}
	return "/tai-lieu/tep/" + strconv.FormatInt(f.ID, 10) + "/" + url.PathEscape(f.Name)
}

// postRow is a post as a list or a page shows it.
type postRow struct {
	store.PostItem
	Path       string
	Unit       string // the publishing unit's name
	Excerpt    string // the summary, else the text's start
	FileURL    string
	FileLabel  string // "PDF, 1,2 MB"
	KindLabel  string // in the reader's language
	StateLabel string
}

func (s *Server) postRows(r *http.Request, items []store.PostItem) ([]postRow, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.UnitID
	}
	units, err := s.unitsNamed(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	lang := language(r)
	rows := make([]postRow, len(items))
	for i, it := range items {
		excerpt := it.Summary
		if excerpt == "" {
			excerpt = nscl.Excerpt(it.Body, 280)
		}
		rows[i] = postRow{PostItem: it, Path: postPath(it.Post), Unit: units[it.UnitID].Name, Excerpt: excerpt,
			FileURL: fileURL(it.File), FileLabel: fileLabel(it.File), KindLabel: translate(lang, "post.kind."+string(it.Kind)),
			StateLabel: translate(lang, "post.state."+string(it.State))}
	}
	return rows, nil
}

// fileLabel says what a file is and how large: "PDF, 1,2 MB".
func fileLabel(f nscl.StoredFile) string {
	if f.ID == 0 {
		return ""
	}
	kind := strings.ToUpper(strings.TrimPrefix(f.Name[strings.LastIndexByte(f.Name, '.')+1:], "."))
	size := fmt.Sprintf("%s KB", strconv.FormatInt(max(1, f.Size>>10), 10))
	if f.Size >= 1<<20 {
		size = strings.Replace(fmt.Sprintf("%.1f MB", float64(f.Size)/(1<<20)), ".", ",", 1)
	}
	return kind + ", " + size
}

// canManagePosts reports whether a visitor of a public page is signed in
// as staff who read the posts: the page then links to their management.
// The page stays public; the session is only looked up, never set.
func (s *Server) canManagePosts(r *http.Request) (nscl.User, bool) {
	if _, err := r.Cookie(sessionCookie); err != nil && r.Header.Get("Authorization") == "" {
		return nscl.User{}, false // a visitor: no look-up at all
	}
	u, err := s.authenticate(r)
	return u, err == nil && u.CanSeePosts()
}

type postListData struct {
	Posts     []postRow
	Groups    []topicGroup // the library's posts by topic
	Query     string       // the library's search, as typed
	FirstURL  string
	NextURL   string
	CanManage bool
}

// topicGroup is the posts of one topic on a page of the library.
type topicGroup struct {
	Topic string
	Posts []postRow
}

func (s *Server) newsList(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	page, err := s.Store.News(r.Context(), prog, after, postPageSize)
	if err != nil {
		return err
	}
	d := postListData{}
	if d.Posts, err = s.postRows(r, page.Posts); err != nil {
		return err
	}
	_, d.CanManage = s.canManagePosts(r)
	if after != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "posts_news.html", view{Title: translate(language(r), "post.news_title"), Data: d})
	return nil
}

func (s *Server) materialsList(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := postListData{Query: q.Get("q")}
	page, err := s.Store.Materials(r.Context(), prog, d.Query, q.Get("after"), postPageSize)
	if nscl.ErrorField(err) == "q" {
		// Said above the search box, which keeps what was typed.
		s.render(w, r, statusOf(err), "posts_materials.html", view{Title: translate(language(r), "post.materials_title"), Data: d, Error: s.publicError(err)})
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := s.postRows(r, page.Posts)
	if err != nil {
		return err
	}
	for _, row := range rows {
		// The list comes in the order of the folded topic: one group for
		// each, named as its first post spells it.
		if n := len(d.Groups); n > 0 && nscl.SearchKey(d.Groups[n-1].Topic) == nscl.SearchKey(row.Topic) {
			d.Groups[n-1].Posts = append(d.Groups[n-1].Posts, row)
			continue
		}
		d.Groups = append(d.Groups, topicGroup{Topic: row.Topic, Posts: []postRow{row}})
	}
	_, d.CanManage = s.canManagePosts(r)
	if q.Get("after") != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "posts_materials.html", view{Title: translate(language(r), "post.materials_title"), Data: d})
	return nil
}

// postRefID reads the ID at the start of a post's address ("12-hoi-thao").
func postRefID(r *http.Request) (int64, error) {
	ref := r.PathValue("ref")
	digits, _, _ := strings.Cut(ref, "-")
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id <= 0 {
		return 0, nscl.NotFound("id", "không tìm thấy tin bài, tài liệu", "no such article or material")
	}
	return id, nil
}

type postShowData struct {
	postRow
	Paragraphs [][]string
	Draft      bool // shown to staff before it is published
	CanEdit    bool
}

// postShow shows a published post to anyone, and a draft to staff only:
// to the public a draft does not exist. A post is counted once per view
// of its page by a reader that is not a robot.
func (s *Server) postShow(w http.ResponseWriter, r *http.Request) error {
	id, err := postRefID(r)
	if err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	it, err := s.Store.Post(r.Context(), prog, id)
	if err != nil {
		return err
	}
	u, staff := s.canManagePosts(r)
	if !it.Published() && !staff {
		return nscl.NotFound("id", "không tìm thấy tin bài, tài liệu", "no such article or material")
	}
	if path := postPath(it.Post); r.URL.Path != path {
		// The title changed, or the post is in the other section.
		http.Redirect(w, r, path, http.StatusMovedPermanently)
		return nil
	}
	rows, err := s.postRows(r, []store.PostItem{it})
	if err != nil {
		return err
	}
	d := postShowData{postRow: rows[0], Paragraphs: nscl.Paragraphs(it.Body), Draft: !it.Published(), CanEdit: staff && u.CanWritePosts(it.UnitID)}
	if it.Published() && countable(r) {
		s.views.add(it.ID, store.PostCounts{Views: 1})
	}
	s.render(w, r, http.StatusOK, "post.html", view{Title: it.Title, Data: d})
	return nil
}

// postFileDownload sends a post's file as its content was checked to be,
// with headers that keep a browser from reading it as anything else or
// running it: the type checked, nosniff, a sandbox, a download (PDFs and
// images may show in the browser). A draft's file is for staff only.
// The file is read from the database a chunk at a time (store.FileContent),
// and at most cap(downloads) are sent at once, so that many downloads of a
// large file do not hold it many times over in memory.
func (s *Server) postFileDownload(w http.ResponseWriter, r *http.Request, downloads slots) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	f, owner, err := s.Store.PostFile(r.Context(), prog, id)
	if err != nil {
		return err
	}
	h := w.Header()
	release, err := downloads.take(w, "gửi nhiều tệp", "sending many files")
	if err != nil {
		return err
	}
	defer release()
	if owner.Published() {
		// A new file gets a new ID, so a cached one is never stale for
		// long; an hour bounds how long a taken-down one lingers.
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		if _, staff := s.canManagePosts(r); !staff {
			return nscl.NotFound("file", "không có tệp số %d", "no file %d", id)
		}
		h.Set("Cache-Control", "private, no-store")
	}
	disposition := "attachment"
	if f.Inline() {
		disposition = "inline"
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("ETag", `"`+f.SHA256+`"`)
	if owner.Published() && countable(r) && r.Header.Get("Range") == "" {
		s.views.add(owner.ID, store.PostCounts{Downloads: 1})
	}
	http.ServeContent(w, r, "", time.Time{}, s.Store.FileContent(r.Context(), f))
	return nil
}

// Staff's pages.

type postManageData struct {
	Posts    []postRow
	CanWrite bool // the user may write posts (of their own unit)
	FirstURL string
	NextURL  string
}

func (s *Server) postManage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanSeePosts() {
		return nscl.Forbidden("vai trò của bạn không xem được danh sách tin bài, tài liệu", "your role does not read the list of articles and materials")
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	after := r.URL.Query().Get("after")
	page, err := s.Store.StaffPosts(r.Context(), prog, after, staffPostPageSize)
	if err != nil {
		return err
	}
	d := postManageData{CanWrite: u.CanWritePosts(u.UnitID)}
	if d.Posts, err = s.postRows(r, page.Posts); err != nil {
		return err
	}
	if after != "" {
		d.FirstURL = withAfter(r.URL, "")
	}
	if page.Next != "" {
		d.NextURL = withAfter(r.URL, page.Next)
	}
	s.render(w, r, http.StatusOK, "posts_manage.html", view{Title: translate(language(r), "post.manage_title"), Data: d})
	return nil
}

type postFormData struct {
	Post      nscl.Post
	File      nscl.StoredFile // the stored file, when the post has one
	FileURL   string
	Published string // the date as typed
	Kinds     []choice
	States    []choice
	Unit      string // the publishing unit's name
	Path      string // the public address, once stored
}

func (s *Server) renderPostForm(w http.ResponseWriter, r *http.Request, status int, p nscl.Post, file nscl.StoredFile, published string, err error) {
	lang := language(r)
	d := postFormData{Post: p, File: file, FileURL: fileURL(file), Published: published,
		Kinds: choices(lang, "post.kind.", nscl.PostKinds), States: choices(lang, "post.state.", []nscl.PostState{nscl.PostDraft, nscl.PostPublished})}
	if units, uerr := s.unitsNamed(r.Context(), []int64{p.UnitID}); uerr == nil {
		d.Unit = units[p.UnitID].Name
	}
	if p.ID != 0 {
		d.Path = postPath(p)
	}
	title := "post.new"
	if p.ID != 0 {
		title = "post.edit"
	}
	v := view{Title: translate(lang, title), Data: d}
	if err != nil {
		v.Error, v.Mistakes = s.publicError(err), nscl.ErrorList(err)
	}
	s.render(w, r, status, "post_form.html", v)
}

func (s *Server) postNew(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if err := u.RequirePostWriting(u.UnitID); err != nil {
		return err
	}
	today := s.today()
	s.renderPostForm(w, r, http.StatusOK, nscl.Post{UnitID: u.UnitID, Kind: nscl.PostArticle, State: nscl.PostDraft}, nscl.StoredFile{}, today.Format("02/01/2006"), nil)
	return nil
}

// storedPost reads a post of this programme.
func (s *Server) storedPost(r *http.Request) (store.PostItem, *nscl.Programme, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.PostItem{}, nil, err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return store.PostItem{}, nil, err
	}
	it, err := s.Store.Post(r.Context(), prog, id)
	return it, prog, err
}

func (s *Server) postEdit(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	it, _, err := s.storedPost(r)
	if err != nil {
		return err
	}
	if err := u.RequirePostWriting(it.UnitID); err != nil {
		return err
	}
	s.renderPostForm(w, r, http.StatusOK, it.Post, it.File, formatDay(it.PublishedOn), nil)
	return nil
}

func (s *Server) postCreate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	return s.savePost(w, r, u, store.PostItem{Post: nscl.Post{UnitID: u.UnitID}})
}

func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	it, _, err := s.storedPost(r)
	if err != nil {
		return err
	}
	return s.savePost(w, r, u, it)
}

// readPostForm reads a posted post form (multipart, for its file): the
// post as typed, the date as typed, and the file when one was chosen.
// Every field is read so that the form shows again as it was; every
// mistake found is returned.
func readPostForm(w http.ResponseWriter, r *http.Request, p *nscl.Post) (published string, file *store.FileUpload, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPostForm)
	if err := r.ParseMultipartForm(2 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", nil, nscl.Invalid("file", "tệp lớn quá %d MB", "the file is larger than %d MB", nscl.MaxUpload>>20)
		}
		return "", nil, nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	f := r.MultipartForm.Value
	get := func(name string) string {
		if v := f[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	p.Kind, p.Title, p.Topic, p.Summary, p.Body = nscl.PostKind(get("kind")), get("title"), get("topic"), get("summary"), get("body")
	p.VideoURL, p.State = get("video_url"), nscl.PostState(get("state"))
	p.Version, _ = strconv.ParseInt(get("version"), 10, 64)
	published = get("published_on")
	var errs nscl.Errors
	p.PublishedOn = time.Time{}
	if strings.TrimSpace(published) != "" {
		var derr error
		if p.PublishedOn, derr = nscl.ParseDate("published_on", published); derr != nil {
			errs.Add(derr)
		}
	}
	if parts := r.MultipartForm.File["file"]; len(parts) > 0 && parts[0].Size > 0 {
		part, ferr := parts[0].Open()
		if ferr != nil {
			return published, nil, ferr
		}
		defer part.Close()
		data, ferr := io.ReadAll(io.LimitReader(part, nscl.MaxUpload+1))
		if ferr != nil {
			return published, nil, ferr
		}
		file = &store.FileUpload{Name: parts[0].Filename, Data: data}
		// Checked here too, so that a bad file is said beside the other mistakes.
		if _, cerr := nscl.CheckUpload("file", file.Name, file.Data); cerr != nil {
			errs.Add(cerr)
		}
	}
	return published, file, errs.Err()
}

// savePost creates (stored.ID 0) or updates a post from its form. A
// mistake, a refusal (a locked period, no group to count in) or a stale
// version shows the form again with the message, and writes nothing.
func (s *Server) savePost(w http.ResponseWriter, r *http.Request, u nscl.User, stored store.PostItem) error {
	if err := u.RequirePostWriting(stored.UnitID); err != nil {
		return err
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	p := stored.Post
	published, file, err := readPostForm(w, r, &p)
	if err == nil {
		if p.State == "" {
			p.State = nscl.PostDraft
		}
		err = s.Store.Update(r.Context(), func(tx *store.Tx) error {
			attempt := p // a retried transaction starts from the form again
			var err error
			if stored.ID == 0 {
				err = tx.CreatePost(r.Context(), prog, &attempt, file)
			} else {
				err = tx.UpdatePost(r.Context(), prog, &attempt, file)
			}
			if err == nil {
				p = attempt
			}
			return err
		})
	}
	if err == nil {
		what := "post"
		if p.Published() {
			what = "post_published"
		}
		s.saved(w, r, what, p.ID, "/posts")
		return nil
	}
	switch nscl.ErrorCode(err) {
	case nscl.EINVALID, nscl.ECONFLICT, nscl.EFORBIDDEN, nscl.ENOTFOUND:
	default:
		return err
	}
	if errs := nscl.ErrorList(err); file != nil && !errs.Has("file") {
		// A browser does not send a chosen file again: say so beside it.
		errs.Add(nscl.Invalid("file", "hãy chọn lại tệp: tệp chưa được lưu vì biểu mẫu còn lỗi", "choose the file again: it was not kept, as the form has mistakes"))
		err = errs
	}
	s.renderPostForm(w, r, statusOf(err), p, stored.File, published, err)
	return nil
}

// postAct publishes, unpublishes or deletes a post from the staff's list.
func (s *Server) postAct(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	it, prog, err := s.storedPost(r)
	if err != nil {
		return err
	}
	if err := u.RequirePostWriting(it.UnitID); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		return nscl.Invalid("version", "thiếu phiên bản của bản ghi", "the version of the record is missing")
	}
	ctx := r.Context()
	switch action := r.PathValue("action"); action {
	case "publish", "unpublish":
		state, what := nscl.PostPublished, "post_published"
		if action == "unpublish" {
			state, what = nscl.PostDraft, "post_unpublished"
		}
		err := s.Store.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SetPostState(ctx, prog, it.ID, version, state)
			return err
		})
		if err != nil {
			return err
		}
		s.saved(w, r, what, it.ID, "/posts")
	case "delete":
		if !confirmed(r) {
			lang := language(r)
			return s.askConfirmation(w, r, confirmation{Question: translate(lang, "post.confirm_delete"), Detail: it.Title,
				Button: translate(lang, "confirm.delete"), Back: "/posts"})
		}
		if err := s.Store.Update(ctx, func(tx *store.Tx) error { return tx.DeletePost(ctx, prog, it.ID, version) }); err != nil {
			return err
		}
		s.saved(w, r, "post_deleted", it.ID, "/posts")
	default:
		return nscl.NotFound("action", "không có thao tác %q", "no action %q", action)
	}
	return nil
}

// apiPost is a published post as the API gives it.
type apiPost struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Topic       string `json:"topic,omitempty"`
	Summary     string `json:"summary,omitempty"`
	VideoURL    string `json:"video_url,omitempty"`
	FileURL     string `json:"file_url,omitempty"`
	Unit        string `json:"unit"`
	PublishedOn string `json:"published_on"`
	URL         string `json:"url"`
	Views       int64  `json:"views"`
}

// apiPosts lists the published posts, as the public pages do: the news
// (kind=article, the default) or the library (kind=material, with q), a
// page at a time (after=next). No sign-in: it is what the pages show.
func (s *Server) apiPosts(w http.ResponseWriter, r *http.Request) {
	if err := s.writeAPIPosts(w, r); err != nil {
		s.jsonError(w, err)
	}
}

func (s *Server) writeAPIPosts(w http.ResponseWriter, r *http.Request) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var page store.PostPage
	switch q.Get("kind") {
	case "", "article":
		page, err = s.Store.News(r.Context(), prog, q.Get("after"), postPageSize)
	case "material":
		page, err = s.Store.Materials(r.Context(), prog, q.Get("q"), q.Get("after"), postPageSize)
	default:
		return nscl.Invalid("kind", "kind là article hoặc material", "kind is article or material")
	}
	if err != nil {
		return err
	}
	rows, err := s.postRows(r, page.Posts)
	if err != nil {
		return err
	}
	out := struct {
		Posts []apiPost `json:"posts"`
		Next  string    `json:"next,omitempty"`
	}{Posts: []apiPost{}, Next: page.Next}
	for _, p := range rows {
		out.Posts = append(out.Posts, apiPost{ID: p.ID, Kind: string(p.Kind), Title: p.Title, Topic: p.Topic, Summary: p.Excerpt,
			VideoURL: p.VideoURL, FileURL: p.FileURL, Unit: p.Unit, PublishedOn: p.PublishedOn.Format(time.DateOnly), URL: p.Path, Views: p.Views})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
