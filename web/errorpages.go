package web

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"nscl"
)

// errorPageData is what error.html needs besides the error itself: the
// status, which picks the heading and the advice.
type errorPageData struct {
	Status int
}

// errorTitle is the heading of the page for status in lang: the statuses
// a reader meets by following a link or a bookmark have their own.
func errorTitle(lang string, status int) string {
	switch status {
	case http.StatusNotFound:
		return translate(lang, "errpage.title.404")
	case http.StatusForbidden:
		return translate(lang, "errpage.title.403")
	case http.StatusInternalServerError:
		return translate(lang, "errpage.title.500")
	}
	return translate(lang, "err.title")
}

// errorPage answers with error.html in the layout: the heading and advice
// of status, and e's message when it says more than the heading (a fault's
// details stay in the log: render shows only publicError).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, e *nscl.Error) {
	if e != nil && e.Code == nscl.EINTERNAL {
		e = nil // "internal error" would only repeat the heading
	}
	s.render(w, r, status, "error.html", view{Title: errorTitle(language(r), status), Error: e, Data: errorPageData{Status: status}})
}

// unmatched answers the requests no route takes: with the 404 page, or
// the 405 page and the methods allowed, in the layout and the reader's
// language, and with the navigation when the reader is signed in.
// (Every /api/ path has a route, which answers in JSON.)
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// The mux's own answer says whether the path is unknown (404) or
		// known with other methods (405, with Allow): keep the status and
		// the header, and give the page.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if u, err := s.authenticate(r); err == nil {
			r = withUser(r, u)
		}
		if probe.status == http.StatusMethodNotAllowed {
			if allow := probe.header.Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
			s.errorPage(w, r, http.StatusMethodNotAllowed, nscl.Invalid("method", "trang này không nhận yêu cầu %s", "this page does not take a %s request", r.Method))
			return
		}
		s.errorPage(w, r, http.StatusNotFound, nil)
	})
}

// statusProbe records the status a handler answers with and drops the body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }

func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}

func (p *statusProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

// recoverPanics turns a handler's panic into the 500 page, when nothing
// was sent yet, instead of a dropped connection; the panic goes to the
// log, never to the reader.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &wroteWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // the handler meant to cut the response short
			}
			s.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p)
			if tw.wrote {
				panic(http.ErrAbortHandler) // half a page sent: cut it rather than append another
			}
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.jsonError(w, &nscl.Error{Code: nscl.EINTERNAL})
				return
			}
			s.errorPage(w, r, http.StatusInternalServerError, nil)
		}()
		next.ServeHTTP(tw, r)
	})
}

// wroteWriter notes whether the response has begun.
type wroteWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *wroteWriter) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *wroteWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *wroteWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// staticFiles serves the embedded files, and the 404 page for a file that
// is not there rather than the file server's plain text.
func (s *Server) staticFiles(files fs.FS) http.Handler {
	server := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		if info, err := fs.Stat(files, name); err != nil || info.IsDir() {
			s.errorPage(w, r, http.StatusNotFound, nil)
			return
		}
		server.ServeHTTP(w, r)
	})
}
