package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"nscl"
)

// drawnFrames keeps the layout drawn around a page's content drawn
// beforehand (view.Content, the shared builds), split where the content
// goes. The layout is a page's menu, its reader and language: sixty readers
// of the nation's dashboard were drawing it sixty times a build with some
// sixty calls by reflection each, as much processor time as the build.
type drawnFrames struct {
	mu    sync.Mutex
	drawn map[frameKey]frame
}

// frameKey is everything the layout reads of a view besides its content:
// a page with a flash or a mistake is drawn whole, without the memo.
type frameKey struct {
	page, lang, title, nav string
	refresh                bool
	user                   nscl.User // zero for a visitor
	unit                   nscl.OrgUnit
}

// frame is the layout drawn before and after the content.
type frame struct{ head, tail []byte }

// drawnFramesHeld bounds what is kept: a frame is a few kilobytes, one per
// reader, page and language; with more, the memory starts again empty.
const drawnFramesHeld = 1024

// contentMark stands for the content while a frame is drawn.
const contentMark = template.HTML("<nscl-content-goes-here></nscl-content-goes-here>")

// framed writes v, whose content was drawn beforehand, in its frame, and
// says whether it could: not for a page with a flash or mistakes to show.
func (s *Server) framed(w http.ResponseWriter, status int, page string, tmpl *template.Template, v view) bool {
	if v.Content == "" || v.Flash != nil || len(v.Mistakes) > 0 {
		return false
	}
	key := frameKey{page: page, lang: v.Lang, title: v.Title, nav: v.Nav, refresh: v.Refresh, unit: v.Unit}
	if v.User != nil {
		key.user = *v.User
	}
	s.frames.mu.Lock()
	f, ok := s.frames.drawn[key]
	s.frames.mu.Unlock()
	if !ok {
		var b bytes.Buffer
		marked := v
		marked.Content = contentMark
		if err := tmpl.ExecuteTemplate(&b, "layout", marked); err != nil {
			return false // drawn whole, which logs the error
		}
		head, tail, found := bytes.Cut(b.Bytes(), []byte(contentMark))
		if !found || bytes.Contains(tail, []byte(contentMark)) {
			return false // the layout does not show the content once
		}
		f = frame{head: head, tail: tail}
		s.frames.mu.Lock()
		if len(s.frames.drawn) >= drawnFramesHeld || s.frames.drawn == nil {
			s.frames.drawn = map[frameKey]frame{}
		}
		s.frames.drawn[key] = f
		s.frames.mu.Unlock()
	}
	out := pageBuffers.Get().(*bytes.Buffer)
	defer putPage(out)
	out.Grow(len(f.head) + len(v.Content) + len(f.tail))
	out.Write(f.head)
	out.WriteString(string(v.Content))
	out.Write(f.tail)
	w.Header().Set("Content-Length", strconv.Itoa(out.Len()))
	writePageHeader(w, status)
	w.Write(out.Bytes())
	return true
}

// pageBuffers are the buffers a framed page is put together in, to be written
// at once: the content written on its own was turned from a string into a
// new slice for each reader (the nation's dashboard is 85 KB, and that copy
// and its collection were 2,4 % of the processor time under load), and a
// string written through the server's buffers goes out 2 KB at a time.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// pageKept bounds the buffer a page gives back: one grown for an unusually
// large page is left to the collector.
const pageKept = 1 << 20

// putPage gives b back to pageBuffers, unless it grew past pageKept.
func putPage(b *bytes.Buffer) {
	if b.Cap() <= pageKept {
		b.Reset()
		pageBuffers.Put(b)
	}
}
