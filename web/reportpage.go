package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"nscl"
	"nscl/report"
	"nscl/store"
)

type reportPageData struct {
	Version  string // of the stored texts (not of last year's offered ones)
	Report   *report.Report
	Problems []string
	Texts    map[string]string
	Parts    []report.Part
	// Placeholders are the words in braces the written parts may use.
	Placeholders [][2]string
	Offered      bool // Texts are last year's, offered as a starting point
	Chart        bool // some indicator has a target: the completion chart has bars
	ChartHeight  int
	Defaults     map[string]string // what an empty part says, shown as its hint
	CanEdit      bool
	Years        []int
}

// reportInput gathers the Word report of a year for the report's unit.
func (s *Server) reportInput(r *http.Request, year int) (in report.WordInput, offered bool, err error) {
	return report.Gather(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year})
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	year, err := s.chosenYear(r, prog)
	if err != nil {
		return err
	}
	in, offered, err := s.reportInput(r, year)
	if err != nil {
		return err
	}
	stored, err := s.Store.ReportTexts(r.Context(), in.Report.Programme, in.Report.Unit.ID, year)
	if err != nil {
		return err
	}
	problems, err := report.Checks(r.Context(), s.Store, in)
	if err != nil {
		return err
	}
	years, err := s.plannedYears(r, prog)
	if err != nil {
		return err
	}
	d := reportPageData{Version: store.TextsVersion(stored), Report: in.Report, Problems: problems, Texts: in.Narrative, Parts: report.Parts(in.Report.Programme), Placeholders: report.Placeholders,
		Offered: offered, Defaults: map[string]string{}, CanEdit: u.CanManageRounds(), Years: years}
	for _, p := range d.Parts {
		d.Defaults[p.Key] = report.DefaultText(in, p.Key)
	}
	if c := report.CompletionChart(in.Report); len(c.Bars) > 0 {
		d.Chart, d.ChartHeight = true, c.SuggestedHeight(chartWidth)
	}
	s.render(w, r, http.StatusOK, "report.html", view{Title: translate(language(r), "nav.report"), Nav: "report", Data: d})
	return nil
}

func (s *Server) reportSave(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanManageRounds() {
		return nscl.Forbidden("chỉ cán bộ đầu mối soạn báo cáo", "only focal-point staff edit the report")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil {
		return nscl.Invalid("year", "năm không hợp lệ", "year is not valid")
	}
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Year: year})
	if err != nil {
		return err
	}
	version := r.PostFormValue("version")
	if version == "" {
		return nscl.Invalid("version", "thiếu phiên bản của nội dung đang sửa", "the version of the texts being edited is missing")
	}
	parts := map[string]string{}
	for _, p := range report.Parts(rep.Programme) {
		parts[p.Key] = strings.ReplaceAll(r.PostFormValue(p.Key), "\r\n", "\n")
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error {
		return tx.SetReportTexts(r.Context(), rep.Programme, rep.Unit.ID, year, parts, version)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/report?year="+strconv.Itoa(year), http.StatusSeeOther)
	return nil
}

// reportDownload sends the report as a document: /report/2022.docx, .pdf,
// .html (shown in the browser, for preview and printing) or .xlsx.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	base, ext, _ := strings.Cut(r.PathValue("file"), ".")
	year, err := strconv.Atoi(base)
	ctype, known := report.DocumentTypes[ext]
	if err != nil || !known {
		return nscl.NotFound("file", "không có tệp này", "no such file")
	}
	in, _, err := s.reportInput(r, year)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := report.WriteDocument(r.Context(), &body, ext, in); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	if ext == "html" {
		// The preview carries its own styles and the chart inline, and runs no script.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'")
	} else {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-%d.%s"`, year, ext))
	}
	w.Write(body.Bytes())
	return nil
}

// chartWidth is the report page's chart width in pixels.
const chartWidth = 720

// reportChart draws the completion chart of a year as SVG, from the same
// code as the Word file's annex.
func (s *Server) reportChart(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return nscl.NotFound("year", "không có báo cáo năm này", "no report for this year")
	}
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year})
	if err != nil {
		return err
	}
	c := report.CompletionChart(rep)
	svg, err := c.SVG(chartWidth, c.SuggestedHeight(chartWidth))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(svg)
	return nil
}
