// Package web serves the results over HTTP: a page with the results table,
// the same results as JSON under /api/v1, and /healthz.
package web

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"

	"nscl"
	"nscl/report"
	"nscl/store"
	"nscl/vnfmt"
)

//go:embed templates
var templates embed.FS

// Server answers HTTP requests for one programme.
type Server struct {
	Store     *store.Store
	Programme string
	Log       *slog.Logger
	pages     *template.Template
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	s.pages = template.Must(template.New("").Funcs(template.FuncMap{
		"int":     vnfmt.Int,
		"percent": vnfmt.Percent,
		"status":  report.StatusLabel,
		"row":     report.Row,
	}).ParseFS(templates, "templates/*.html"))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /{$}", s.resultsPage)
	mux.HandleFunc("GET /api/v1/reports/{year}", s.reportJSON)
	return mux
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) resultsPage(w http.ResponseWriter, r *http.Request) {
	year, err := s.year(r, r.URL.Query().Get("year"))
	if err != nil {
		s.pageError(w, err)
		return
	}
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year})
	if err != nil {
		s.pageError(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages.ExecuteTemplate(w, "results.html", rep); err != nil {
		s.Log.Error("render results", "err", err)
	}
}

func (s *Server) reportJSON(w http.ResponseWriter, r *http.Request) {
	year, err := s.year(r, r.PathValue("year"))
	if err != nil {
		s.jsonError(w, err)
		return
	}
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year})
	if err != nil {
		s.jsonError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	report.WriteJSON(w, rep)
}

// year reads the year asked for; when none is, it is the latest year with activities.
func (s *Server) year(r *http.Request, raw string) (int, error) {
	if raw != "" {
		y, err := strconv.Atoi(raw)
		if err != nil {
			return 0, nscl.Invalid("year", "năm %q không hợp lệ", "year %q is not valid", raw)
		}
		return y, nil
	}
	prog, err := s.Store.ProgrammeByCode(r.Context(), s.Programme)
	if err != nil {
		return 0, err
	}
	y, err := s.Store.LatestActivityYear(r.Context(), prog)
	if err != nil || y != 0 {
		return y, err
	}
	return prog.StartYear, nil
}

// statusOf maps an error code to the one HTTP status it always gets.
func statusOf(err error) int {
	switch nscl.ErrorCode(err) {
	case nscl.EINVALID:
		return http.StatusBadRequest
	case nscl.ENOTFOUND:
		return http.StatusNotFound
	case nscl.ECONFLICT:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// publicError is what a person may see of err: its message when it is one
// of ours, a generic one otherwise (the details go to the log).
func (s *Server) publicError(err error) *nscl.Error {
	var e *nscl.Error
	if errors.As(err, &e) {
		return e
	}
	s.Log.Error("request failed", "err", err)
	return &nscl.Error{Code: nscl.EINTERNAL, Message: "lỗi hệ thống, vui lòng thử lại sau", English: "internal error, please try again later"}
}

func (s *Server) jsonError(w http.ResponseWriter, err error) {
	e := s.publicError(err)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(statusOf(err))
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{
		"code": e.Code, "message": e.Message, "message_en": e.English, "field": e.Field}})
}

func (s *Server) pageError(w http.ResponseWriter, err error) {
	e := s.publicError(err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(statusOf(err))
	if err := s.pages.ExecuteTemplate(w, "error.html", e); err != nil {
		s.Log.Error("render error page", "err", err)
	}
}
