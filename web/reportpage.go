package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"nscl"
	"nscl/report"
	"nscl/store"
)

type reportPageData struct {
	Report   *report.Report
	Problems []string
	Parts    []report.Part
	// The stored texts, with metric placeholders in words: the year's, the
	// unit's settings, and last year's, offered beside each field.
	Texts, Settings, Previous map[string]string
	Version, SettingsVersion  string // of the stored texts and settings, for the conflict check
	Placeholders              []report.Placeholder
	Chart                     bool // some indicator has a target: the completion chart has bars
	ChartHeight               int
	Defaults                  map[string]string // what an empty part says, shown as its hint
	CanEdit                   bool
	Years                     []int
	Plans                     []nscl.Plan // multi-year plans, for the period summaries
}

// reportInput gathers the Word report of a year for the report's unit.
func (s *Server) reportInput(r *http.Request, year int) (report.WordInput, error) {
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
	in, err := s.reportInput(r, year)
	if err != nil {
		return err
	}
	texts, err := s.Store.ReportTexts(r.Context(), in.Report.Programme, in.Report.Unit.ID, year)
	if err != nil {
		return err
	}
	settings, err := s.Store.ReportTexts(r.Context(), in.Report.Programme, in.Report.Unit.ID, nscl.SettingsYear)
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
	plans, err := s.Store.Plans(r.Context(), prog)
	if err != nil {
		return err
	}
	d := reportPageData{Report: in.Report, Problems: problems, Parts: report.Parts(in.Report.Programme),
		Texts: showPlaceholders(prog, texts), Settings: showPlaceholders(prog, settings), Previous: showPlaceholders(prog, in.Previous),
		Version: store.TextsVersion(texts), SettingsVersion: store.TextsVersion(settings),
		Placeholders: report.Placeholders(in.Report), Defaults: map[string]string{}, CanEdit: u.CanManageRounds(), Years: years}
	for _, p := range d.Parts {
		d.Defaults[p.Key] = report.ShowPlaceholders(prog, report.DefaultText(in, p.Key))
	}
	for _, p := range plans {
		if p.Kind == nscl.FiveYearPlan && p.UnitID == in.Report.Plan.UnitID {
			d.Plans = append(d.Plans, p)
		}
	}
	if c := report.CompletionChart(in.Report); len(c.Bars) > 0 {
		d.Chart, d.ChartHeight = true, c.SuggestedHeight(chartWidth)
	}
	s.render(w, r, http.StatusOK, "report.html", view{Title: translate(language(r), "nav.report"), Nav: "report", Data: d})
	return nil
}

// showPlaceholders writes the metric placeholders of stored texts in words.
func showPlaceholders(prog *nscl.Programme, texts map[string]string) map[string]string {
	out := make(map[string]string, len(texts))
	for k, v := range texts {
		out[k] = report.ShowPlaceholders(prog, v)
	}
	return out
}

// reportSave stores the report page's form: the unit's settings for every
// year, and the year's own parts, in one transaction, each refused when
// someone changed it since the form was opened.
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
	version, settingsVersion := r.PostFormValue("version"), r.PostFormValue("settings_version")
	if version == "" || settingsVersion == "" {
		return nscl.Invalid("version", "thiếu phiên bản của nội dung đang sửa", "the version of the texts being edited is missing")
	}
	if date := strings.TrimSpace(r.PostFormValue("date")); date != "" {
		if _, err := nscl.ParseDate("date", date); err != nil {
			return err
		}
	}
	parts, settings := map[string]string{}, map[string]string{}
	for _, p := range report.Parts(rep.Programme) {
		text := report.StorePlaceholders(rep.Programme, strings.ReplaceAll(r.PostFormValue(p.Key), "\r\n", "\n"))
		if p.Setting {
			settings[p.Key] = text
		} else {
			parts[p.Key] = text
		}
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.SetReportTexts(r.Context(), rep.Programme, rep.Unit.ID, nscl.SettingsYear, settings, settingsVersion); err != nil {
			return err
		}
		return tx.SetReportTexts(r.Context(), rep.Programme, rep.Unit.ID, year, parts, version)
	}); err != nil {
		return err
	}
	http.Redirect(w, r, "/report?year="+strconv.Itoa(year), http.StatusSeeOther)
	return nil
}

// reportDownload sends the report as a document: /report/2022.docx, .pdf,
// .html (shown in the browser, for preview and printing) or .xlsx.
//
// A period's summary is /report/2021-2025.docx and so on.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	base, ext, _ := strings.Cut(r.PathValue("file"), ".")
	ctype, known := report.DocumentTypes[ext]
	from, to, err := yearsOf(base)
	if err != nil || !known {
		return nscl.NotFound("file", "không có tệp này", "no such file")
	}
	var body bytes.Buffer
	if err := s.writeReport(r, &body, ext, from, to); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	if ext == "html" {
		// The preview carries its own styles and the chart inline, and runs no script.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'")
	} else {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-%s.%s"`, base, ext))
	}
	w.Write(body.Bytes())
	return nil
}

// writeReport writes a year's report, or a period's summary when to is
// after from, in one of report.DocumentTypes' formats.
func (s *Server) writeReport(r *http.Request, w io.Writer, format string, from, to int) error {
	if from == to {
		in, err := s.reportInput(r, from)
		if err != nil {
			return err
		}
		return report.WriteDocument(r.Context(), w, format, in)
	}
	pin, err := report.GatherPeriod(r.Context(), s.Store, report.PeriodRequest{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), From: from, To: to})
	if err != nil {
		return err
	}
	return report.WritePeriodDocument(r.Context(), w, format, pin)
}

// yearsOf reads "2022" as one year and "2021-2025" as a period.
func yearsOf(s string) (from, to int, err error) {
	first, last, isPeriod := strings.Cut(s, "-")
	if from, err = strconv.Atoi(first); err != nil {
		return 0, 0, err
	}
	if !isPeriod {
		return from, from, nil
	}
	if to, err = strconv.Atoi(last); err == nil && to <= from {
		err = fmt.Errorf("the period %s ends before it begins", s)
	}
	return from, to, err
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
