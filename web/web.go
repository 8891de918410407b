// Package web serves the pages and the JSON API: sign-in, the dashboard,
// activities, reporting rounds, set-up and the audit log. Pages are
// rendered on the server from embedded templates, in Vietnamese by default
// with English available.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"nscl"
	"nscl/report"
	"nscl/store"
	"nscl/vnfmt"
)

//go:embed templates static
var assets embed.FS

// Server answers HTTP requests for one programme.
type Server struct {
	Store      *store.Store
	Programme  string
	Log        *slog.Logger
	SessionTTL time.Duration // 12 hours when zero
	Now        func() time.Time
	// SecureCookies marks cookies Secure and sends HSTS even on plain
	// HTTP requests: for a server behind a proxy that ends TLS.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed, so that rate limits count each client rather than the
	// proxy every client seems to come from. Empty: headers are ignored.
	TrustedProxies []netip.Prefix
	// ListTimeout bounds reading one page of a list, so that a list made
	// slow by its filters gives up instead of holding a reader; 5 s when zero.
	ListTimeout time.Duration

	pages     map[string]*template.Template
	limiter   *loginLimiter
	progOnce  sync.Once
	imports   importJobs
	views     viewCounts // of the portal's posts, until FlushViews writes them
	homeCache homeCache  // the public home's progress (home.go)
	// documents are the report documents being made at once (maxDocuments):
	// each holds its figures, its charts or the list of every activity.
	documents slots
	shared    sharedBuilds // pages built once for the requests that ask at once
	charts    drawnCharts  // charts drawn lately, by what they draw
	frames    drawnFrames  // the layout drawn around pages drawn beforehand
}

// Handler returns the server's routes, behind CSRF protection: a
// state-changing request from another origin is refused.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticFiles(static)))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /lang/{code}", s.switchLanguage)

	mux.HandleFunc("GET /{$}", s.home) // the dashboard, or to a visitor the public home
	mux.HandleFunc("GET /activities", s.page(s.activityList))
	mux.HandleFunc("GET /activities/new", s.page(s.activityNew))
	mux.HandleFunc("POST /activities", s.page(s.activityCreate))
	mux.HandleFunc("GET /activities/{id}/edit", s.page(s.activityEdit))
	mux.HandleFunc("POST /activities/{id}", s.page(s.activityUpdate))
	mux.HandleFunc("POST /activities/{id}/delete", s.page(s.activityDelete))
	mux.HandleFunc("GET /rounds", s.page(s.roundList))
	mux.HandleFunc("GET /rounds/new", s.page(s.roundNew))
	mux.HandleFunc("POST /rounds", s.page(s.roundCreate))
	mux.HandleFunc("GET /rounds/{id}", s.page(s.roundShow))
	mux.HandleFunc("POST /rounds/{id}/units/{unit}/{action}", s.page(s.roundAct))
	mux.HandleFunc("POST /rounds/{id}/import", s.page(s.roundImport))
	mux.HandleFunc("GET /rounds/{id}/template.xlsx", s.page(s.roundTemplate))
	mux.HandleFunc("GET /activities/export", s.page(s.activityExport))
	mux.HandleFunc("GET /rounds/{id}/imports/{job}", s.page(s.roundImportStatus))
	mux.HandleFunc("POST /rounds/{id}/imports/{job}", s.page(s.roundImportChoose))
	mux.HandleFunc("GET /audit", s.page(s.auditPage))
	mux.HandleFunc("GET /report", s.page(s.reportPage))
	mux.HandleFunc("POST /report", s.page(s.reportSave))
	mux.HandleFunc("GET /report/{file}", s.page(s.reportDownload))
	mux.HandleFunc("GET /report/{year}/chart.svg", s.page(s.reportChart))
	mux.HandleFunc("GET /setup", s.page(s.setupPage))
	mux.HandleFunc("POST /setup/{section}", s.page(s.setupCreate))
	mux.HandleFunc("GET /setup/plans/{id}/edit", s.page(s.planEdit))
	mux.HandleFunc("POST /setup/plans/{id}", s.page(s.planUpdate))
	mux.HandleFunc("GET /setup/units/{id}/edit", s.page(s.unitEdit))
	mux.HandleFunc("POST /setup/units/{id}", s.page(s.unitUpdate))
	mux.HandleFunc("POST /setup/units/{id}/close", s.page(s.unitCloseInto))
	mux.HandleFunc("POST /setup/units/{id}/move", s.page(s.unitMove))
	mux.HandleFunc("GET /users", s.page(s.usersPage))
	mux.HandleFunc("POST /users", s.page(s.userCreate))
	mux.HandleFunc("POST /users/{id}/{action}", s.page(s.userSetDisabled))
	mux.HandleFunc("GET /account", s.page(s.accountPage))
	mux.HandleFunc("POST /account/tokens", s.page(s.accountTokenCreate))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.page(s.accountTokenRevoke))

	s.apiRoutes(mux)
	s.enterpriseRoutes(mux)
	s.unitSearchRoutes(mux)
	s.registrationRoutes(mux)
	s.postRoutes(mux)
	s.classRoutes(mux)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, nscl.Forbidden("yêu cầu đến từ trang khác bị từ chối", "a request from another site was refused"))
	}))
	return s.securityHeaders(s.recoverPanics(csrf.Handler(s.unmatched(mux))))
}

func (s *Server) init() {
	if s.SessionTTL == 0 {
		s.SessionTTL = 12 * time.Hour
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.ListTimeout == 0 {
		s.ListTimeout = defaultListTimeout
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.shared.failed = func(key string, failure any) {
		s.Log.Error("a page built for no request failed", "page", strings.ReplaceAll(key, "\x00", " "), "failure", failure)
	}
	s.limiter = newLoginLimiter()
	s.documents = make(slots, maxDocuments)
	s.pages = map[string]*template.Template{}
	entries, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range entries {
		base := strings.TrimPrefix(name, "templates/")
		if base == "layout.html" {
			continue
		}
		s.pages[base] = template.Must(template.New(base).Funcs(templateFuncs).ParseFS(assets, "templates/layout.html", name))
	}
}

var templateFuncs = template.FuncMap{
	"int":     vnfmt.Int,
	"percent": vnfmt.Percent,
	"decimal": vnfmt.Decimal,
	"date":    func(t time.Time) string { return formatDay(t) },
	"stamp": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(nscl.Local).Format("02/01/2006 15:04")
	},
	"row":         report.Row,
	"status":      report.StatusLabel,
	"statusText":  report.StatusText,
	"add":         func(a, b int) int { return a + b },
	"list":        func(items ...string) []string { return items },
	"args":        func(values ...any) []any { return values }, // several values for a sub-template
	"max1":        func(n int) int { return max(n, 1) },
	"unitChoices": unitChoices,
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) programme(ctx context.Context) (*nscl.Programme, error) {
	return s.Store.ProgrammeByCode(ctx, s.Programme)
}

// view is what every page template receives.
type view struct {
	Title string
	Nav   string
	Lang  string
	User  *nscl.User
	Unit  nscl.OrgUnit // the user's unit
	Error *nscl.Error  // a form-wide error, when any
	// Mistakes are every mistake of a refused form (nscl.ErrorList): each
	// is shown beside its field, and said above the form when the form has
	// no place for it. Render takes Error alone as the only one.
	Mistakes nscl.Errors
	Flash    *flash // what the write before this page did
	Data     any
	// Content is the page's content drawn beforehand, once for the
	// requests that shared its build (sharedBuilds); empty, the page's
	// "content" template draws it.
	Content template.HTML
	// Refresh reloads the page every second: work in the background, shown as it goes.
	Refresh bool

	beside   map[string]bool // the fields a mistake was shown beside
	measured bool            // beside is known: the page was rendered once
}

// T translates key into the page's language.
func (v view) T(key string) string { return translate(v.Lang, key) }

// Part names a written part of the report in the reader's language.
func (v view) Part(p report.Part) string { return partLabel(v.Lang, p) }

// FieldError returns the message for a form field, in the page's
// language, when a mistake is about that field.
func (v view) FieldError(field string) string {
	for _, e := range v.Mistakes {
		if field != "" && e.Field == field {
			if v.beside != nil {
				v.beside[field] = true
			}
			return v.text(e)
		}
	}
	return ""
}

// ErrorText is what the page says above its form: each mistake it shows
// beside no field, after a count of those it does.
func (v view) ErrorText() string {
	var said []string
	besideFields := 0
	for _, e := range v.Mistakes {
		if v.measured && v.beside[e.Field] {
			besideFields++
			continue
		}
		said = append(said, v.text(e))
	}
	if besideFields > 0 {
		said = append([]string{fmt.Sprintf(v.T("form.mistakes"), besideFields)}, said...)
	}
	return strings.Join(said, " ")
}

func (v view) text(e *nscl.Error) string {
	if v.Lang == langEN {
		return e.English
	}
	return e.Message
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Lang = language(r)
	u, ok := userFrom(r.Context())
	if !ok {
		u, ok = s.signedIn(r) // a public page: its menu is still the signed-in reader's
	}
	if ok {
		v.User = &u
		// From the tree kept between requests, which one row's version
		// keeps current: the frame of every page names the reader's unit,
		// and its statement of its own was 6 % of the processor time of
		// the nation's dashboard under load.
		if units, _, err := s.Store.UnitDirectory(r.Context()); err == nil {
			v.Unit = units[u.UnitID]
		}
	}
	v.Flash = s.takeFlash(w, r)
	if v.Mistakes == nil && v.Error != nil {
		v.Mistakes = nscl.Errors{v.Error}
	}
	shown := make(nscl.Errors, len(v.Mistakes))
	for i, e := range v.Mistakes {
		shown[i] = s.publicError(e) // a fault is not shown as it is
	}
	v.Mistakes = shown
	tmpl, ok := s.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	if s.framed(w, status, name, tmpl, v) {
		return
	}
	if len(v.Mistakes) > 0 {
		// A first pass learns beside which fields the form shows a
		// mistake; ErrorText then says the others above the form.
		v.beside = map[string]bool{}
		if err := tmpl.ExecuteTemplate(io.Discard, "layout", v); err != nil {
			s.Log.Error("render", "page", name, "err", err)
		}
		v.measured = true
	}
	writePageHeader(w, status)
	if err := tmpl.ExecuteTemplate(w, "layout", v); err != nil {
		s.Log.Error("render", "page", name, "err", err)
	}
}

// writePageHeader writes the header of a page's answer: HTML, never kept
// by a cache, since it holds the reader's name and menu.
func writePageHeader(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

// drawContent draws a page's "content" template alone, for v.Content: it
// may read v's language and data only, since the requests that share it
// have their own user, unit and flash.
func (s *Server) drawContent(name string, v view) (template.HTML, error) {
	tmpl, ok := s.pages[name]
	if !ok {
		panic("web: no template " + name)
	}
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, "content", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// statusOf maps an error code to the one HTTP status it always gets.
func statusOf(err error) int {
	switch nscl.ErrorCode(err) {
	case nscl.EINVALID:
		return http.StatusBadRequest
	case nscl.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case nscl.EFORBIDDEN:
		return http.StatusForbidden
	case nscl.ENOTFOUND:
		return http.StatusNotFound
	case nscl.ECONFLICT:
		return http.StatusConflict
	case errTooMany:
		return http.StatusTooManyRequests
	case errTooSlow, errBusy:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// publicError is what a person may see of err: the message when it is one
// of ours, a generic one otherwise (the details go to the log).
func (s *Server) publicError(err error) *nscl.Error {
	var e *nscl.Error
	if errors.As(err, &e) && e.Code != nscl.EINTERNAL {
		return e
	}
	s.Log.Error("request failed", "err", err)
	return &nscl.Error{Code: nscl.EINTERNAL, Message: "lỗi hệ thống, vui lòng thử lại sau", English: "internal error, please try again later"}
}

// fail answers a request that cannot go on: JSON under /api/, a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.jsonError(w, err)
		return
	}
	s.errorPage(w, r, statusOf(err), s.publicError(err))
}

// jsonError answers with the first mistake, and, for bad input, every
// mistake under "errors" (docs/api.md).
func (s *Server) jsonError(w http.ResponseWriter, err error) {
	e := s.publicError(err)
	body := map[string]any{"code": e.Code, "message": e.Message, "message_en": e.English, "field": e.Field}
	if e.Code == nscl.EINVALID {
		var list []map[string]string
		for _, m := range nscl.ErrorList(err) {
			m = s.publicError(m)
			list = append(list, map[string]string{"field": m.Field, "message": m.Message, "message_en": m.English})
		}
		body["errors"] = list
	}
	writeJSON(w, statusOf(err), map[string]any{"error": body})
}

// attachment makes the browser save the response as a file named name.
// Every download names its file here: mime.FormatMediaType quotes the name,
// or encodes it (RFC 2231) when it holds what a quoted string cannot.
func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, nscl.NotFound(name, "không tìm thấy", "not found")
	}
	return id, nil
}

func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if code != langEN {
		code = langVI
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: code, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: s.secure(r)})
	back := "/"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		back = safeNext(ref.RequestURI())
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
