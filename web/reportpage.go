package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"nscl"
	"nscl/report"
	"nscl/store"
)

type reportPageData struct {
	Report   *report.Report // the year's; for a summary, its last year's
	Period   *report.Period // a plan period's summary; nil for a year's report
	Problems []string
	Parts    []report.Part
	// Texts are what the fields hold, with metric placeholders in words:
	// the document's own parts or, for the letterhead, recipients and
	// signer it has not saved yet, the unit's settings; saving copies them
	// into the document. Previous are last year's, offered beside.
	Texts, Previous          map[string]string
	Version, SettingsVersion string // of the stored texts and settings, for the conflict check
	Placeholders             []report.Placeholder
	// Completion and Yearly are the dashboard's charts, drawn by the same
	// code: the completion chart (empty when no indicator has a target)
	// and each indicator's years of the plan against the annual targets.
	Completion       template.HTML
	Yearly           []yearSeries
	Defaults         map[string]string // what an empty part says, shown as its hint
	CanEdit          bool
	Years            []int
	Plans            []nscl.Plan // multi-year plans, for the period summaries
	Unit             string      // the unit asked for; "" for the plan's owner
	ApprovedOnly     bool        // the figures of approved submissions only (?approved_only=1)
	Boundaries, AsOf string      // the page's ?boundaries= and ?as_of=, for its switch
	Query            string      // "?unit=CODE&approved_only=1" for the links, or ""
	File             string      // the documents' name: "2023" or "2021-2025"
	// Groups are the year's first activities of each task group, as the
	// footnotes begin, with how many more the full list holds.
	Groups    []pageGroup
	UnitNames map[int64]string
}

// pageGroup is a task group's first activities on the report page.
type pageGroup struct {
	Group nscl.TaskGroup
	Count int64           // every activity of the group the figures count
	Cited []nscl.Activity // the first the reader may read
	More  int64           // how many more of those the list holds
	List  string          // the activity list filtered to the group and year
}

// citedOnPage is how many activities of each task group the report page
// shows: the page reads these and kept counts, never the whole year, and
// links to the full list (the Word file's footnotes cite them all).
const citedOnPage = 20

// pageGroups are the groups of in that reported activities, each with
// its first ones and a link to the rest.
func pageGroups(in report.WordInput, unit string) []pageGroup {
	var out []pageGroup
	for _, g := range in.Report.Programme.TaskGroups {
		acts := in.ByGroup[g.Letter]
		if acts.Count == 0 {
			continue
		}
		q := url.Values{"year": {strconv.Itoa(in.Report.Year)}, "group": {g.Letter}}
		if unit != "" {
			q.Set("under", unit)
		}
		out = append(out, pageGroup{Group: g, Count: acts.Count, Cited: acts.Cited, More: acts.More, List: "/activities?" + q.Encode()})
	}
	return out
}

// PeriodQuery is the address of a plan period's summary with the page's
// unit, basis and boundaries.
func (d reportPageData) PeriodQuery(from, to int) string {
	q, _ := url.ParseQuery(strings.TrimPrefix(d.Query, "?"))
	q.Set("from", strconv.Itoa(from))
	q.Set("to", strconv.Itoa(to))
	return "?" + q.Encode()
}

// reportInput gathers the report of a year for the report's unit, as u
// reads it, for one of report.DocumentTypes' formats: the unit's figures,
// citing only the activities u may read, and the annex's figures only for
// a format that draws it.
func (s *Server) reportInput(r *http.Request, u nscl.User, year int, format string) (report.WordInput, error) {
	return report.Gather(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year, ApprovedOnly: approvedOnly(r), Reader: &u, Boundaries: boundariesOf(r.URL.Query()), Format: format})
}

// approvedOnly says whether the address asks for the figures of approved
// submissions only (?approved_only=1); by default a report counts every
// figure and its checks say how much is not yet approved.
func approvedOnly(r *http.Request) bool { return r.URL.Query().Get("approved_only") == "1" }

// boundariesOf reads the tree a page counts in, as report.Request takes
// it: ?as_of=dd/mm/yyyy for the tree of that day, ?boundaries=current for
// today's, and by default the tree at the end of the year.
func boundariesOf(q url.Values) string {
	if day := strings.TrimSpace(q.Get("as_of")); day != "" {
		return "as-of=" + day
	}
	return q.Get("boundaries")
}

// boundaryLinks keeps the page's boundaries in its links.
func boundaryLinks(q, links url.Values) {
	for _, key := range []string{"boundaries", "as_of"} {
		if v := strings.TrimSpace(q.Get(key)); v != "" {
			links.Set(key, v)
		}
	}
}

// reportPage shows a year's report (?year=2023) or a plan period's summary
// (?from=2021&to=2025), for the plan's unit or ?unit=CODE: its checks, and
// for focal staff its written parts.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := reportPageData{Defaults: map[string]string{}, CanEdit: u.CanManageRounds(), Unit: q.Get("unit"), ApprovedOnly: approvedOnly(r)}
	links := url.Values{}
	if d.Unit != "" {
		links.Set("unit", d.Unit)
	}
	if d.ApprovedOnly {
		links.Set("approved_only", "1")
	}
	boundaryLinks(r.URL.Query(), links)
	d.Boundaries, d.AsOf = q.Get("boundaries"), dayShown(q.Get("as_of"))
	if len(links) > 0 {
		d.Query = "?" + links.Encode()
	}
	var in report.WordInput
	var stored map[string]string // the document's own parts
	if q.Get("from") != "" || q.Get("to") != "" {
		from, err1 := strconv.Atoi(q.Get("from"))
		to, err2 := strconv.Atoi(q.Get("to"))
		if err1 != nil || err2 != nil {
			return nscl.Invalid("to", "giai đoạn %s–%s không hợp lệ", "the period %s–%s is not valid", q.Get("from"), q.Get("to"))
		}
		pin, err := report.GatherPeriod(r.Context(), s.Store, report.PeriodRequest{Programme: s.Programme, Unit: d.Unit, From: from, To: to, ApprovedOnly: d.ApprovedOnly, Reader: &u,
			Boundaries: boundariesOf(r.URL.Query()), CitedPerGroup: citedOnPage, Format: report.PageFormat})
		if err != nil {
			return err
		}
		in, d.Period, d.Problems, d.Parts = pin.Word, pin.Period, report.PeriodChecks(pin), report.SummaryParts()
		d.Placeholders = report.PeriodPlaceholders(pin.Period)
		d.File = fmt.Sprintf("%d-%d", from, to)
	} else {
		year, err := s.chosenYear(r, prog)
		if err != nil {
			return err
		}
		in, err = report.Gather(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: d.Unit, Year: year, ApprovedOnly: d.ApprovedOnly,
			Reader: &u, Boundaries: boundariesOf(r.URL.Query()), CitedPerGroup: citedOnPage, Format: report.PageFormat})
		if err != nil {
			return err
		}
		d.Groups, d.UnitNames = pageGroups(in, d.Unit), in.UnitNames
		if d.Problems, err = report.Checks(r.Context(), s.Store, in); err != nil {
			return err
		}
		d.Parts, d.File = report.Parts(in.Report.Programme), strconv.Itoa(year)
		d.Placeholders = report.Placeholders(in.Report)
		d.Previous = showPlaceholders(prog, in.Previous)
	}
	d.Report = in.Report
	texts, settings := in.Stored, in.Settings // as the report was gathered from them
	stored = report.YearTexts(texts)
	if d.Period != nil {
		stored = report.SummaryTexts(texts)
	}
	d.Version, d.SettingsVersion = store.TextsVersion(texts, d.Period != nil), store.TextsVersion(settings, false)
	d.Texts = map[string]string{}
	for _, p := range d.Parts {
		text, ok := stored[p.Key]
		if !ok && p.Setting {
			text = settings[p.Key]
		}
		if p.Key == "date" {
			text = dayShown(text) // one typed as 2023-12-05 before it was written back as 05/12/2023
		}
		d.Texts[p.Key] = report.ShowPlaceholders(prog, text)
		d.Defaults[p.Key] = report.ShowPlaceholders(prog, report.DefaultText(in, p.Key))
	}
	d.Years = plannedYearsOf(prog, in.Report.Plans)
	for _, p := range in.Report.Plans {
		if p.Kind == nscl.FiveYearPlan && p.UnitID == in.Report.Plan.UnitID {
			d.Plans = append(d.Plans, p)
		}
	}
	lang := language(r)
	if d.Completion, err = s.completionChart(lang, in.Report); err != nil {
		return err
	}
	if d.Period == nil {
		// The year's plan, as Gather read it for the page (a summary draws none).
		if d.Yearly, err = s.drawYearly(lang, in.Yearly); err != nil {
			return err
		}
	} else if d.Yearly, err = s.yearlyCharts(r.Context(), language(r), in.Report); err != nil {
		return err
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

// reportSave stores the report page's form: a year's report (year) or a
// summary (from, to), for the unit the page was opened for. Every part,
// the letterhead, recipients and signer included, is stored with the
// document, so that a report once written keeps them; with save_settings,
// those also become the unit's settings for the years to come. One
// transaction; refused when someone changed the texts since the form was
// opened.
func (s *Server) reportSave(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	if !u.CanManageRounds() {
		return nscl.Forbidden("chỉ cán bộ đầu mối soạn báo cáo", "only focal-point staff edit the report")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	unit := r.PostFormValue("unit")
	var rep *report.Report
	parts, storedAs := report.Parts, func(key string) string { return key }
	back := url.Values{"unit": {unit}}
	if r.PostFormValue("to") != "" {
		from, err1 := strconv.Atoi(r.PostFormValue("from"))
		to, err2 := strconv.Atoi(r.PostFormValue("to"))
		if err1 != nil || err2 != nil {
			return nscl.Invalid("to", "giai đoạn không hợp lệ", "the period is not valid")
		}
		p, err := report.BuildPeriod(r.Context(), s.Store, report.PeriodRequest{Programme: s.Programme, Unit: unit, From: from, To: to})
		if err != nil {
			return err
		}
		rep, storedAs = p.Last(), nscl.SummaryPart
		parts = func(*nscl.Programme) []report.Part { return report.SummaryParts() }
		back.Set("from", strconv.Itoa(from))
		back.Set("to", strconv.Itoa(to))
	} else {
		year, err := strconv.Atoi(r.PostFormValue("year"))
		if err != nil {
			return nscl.Invalid("year", "năm không hợp lệ", "year is not valid")
		}
		if rep, err = report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: unit, Year: year}); err != nil {
			return err
		}
		back.Set("year", strconv.Itoa(year))
	}
	version, settingsVersion := r.PostFormValue("version"), r.PostFormValue("settings_version")
	if version == "" || settingsVersion == "" {
		return nscl.Invalid("version", "thiếu phiên bản của nội dung đang sửa", "the version of the texts being edited is missing")
	}
	if date := strings.TrimSpace(r.PostFormValue("date")); date != "" {
		if _, err := nscl.ParseDate("date", date); err != nil {
			return err
		}
		r.PostForm.Set("date", dayShown(date)) // kept as the report prints it, whichever way it was typed
	}
	texts, settings := map[string]string{}, map[string]string{}
	for _, p := range parts(rep.Programme) {
		text := report.StorePlaceholders(rep.Programme, strings.ReplaceAll(r.PostFormValue(p.Key), "\r\n", "\n"))
		texts[storedAs(p.Key)] = text
		if p.Setting {
			settings[p.Key] = text
		}
	}
	if err := s.Store.Update(r.Context(), func(tx *store.Tx) error {
		if r.PostFormValue("save_settings") != "" {
			if err := tx.SetReportTexts(r.Context(), rep.Programme, rep.Unit.ID, nscl.SettingsYear, settings, settingsVersion); err != nil {
				return err
			}
		}
		return tx.SetReportTexts(r.Context(), rep.Programme, rep.Unit.ID, rep.Year, texts, version)
	}); err != nil {
		return err
	}
	if unit == "" {
		back.Del("unit")
	}
	if r.PostFormValue("approved_only") == "1" {
		back.Set("approved_only", "1")
	}
	s.saved(w, r, "report_texts", int64(rep.Year), "/report?"+back.Encode()) // the page it leads to shows them
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
	release, err := s.documents.take(w, "tạo nhiều báo cáo", "making many reports")
	if err != nil {
		return err
	}
	defer release()
	// Written whole before its first byte is sent, so that a failure is an
	// error page rather than a cut file; into a temporary file, so that the
	// .xlsx's list of every activity does not sit in memory.
	body, err := os.CreateTemp("", "nscl-report-*."+ext)
	if err != nil {
		return err
	}
	defer os.Remove(body.Name())
	defer body.Close()
	if err := s.writeReport(r, u, body, ext, from, to); err != nil {
		return err
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	if ext == "html" {
		// The preview carries its own styles and the chart inline, and runs no script.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'")
	} else {
		attachment(w, fmt.Sprintf("bao-cao-%s.%s", base, ext))
	}
	io.Copy(w, body) // the client's going away is no error of ours
	return nil
}

// maxDocuments bounds the report documents made at once, of all clients:
// a Word file draws its charts, a PDF runs LibreOffice, an .xlsx lists
// every activity of its year.
const maxDocuments = 4

// writeReport writes a year's report, or a period's summary when to is
// after from, in one of report.DocumentTypes' formats, as u reads it.
func (s *Server) writeReport(r *http.Request, u nscl.User, w io.Writer, format string, from, to int) error {
	if from == to {
		in, err := s.reportInput(r, u, from, format)
		if err != nil {
			return err
		}
		return report.WriteDocument(r.Context(), w, format, in)
	}
	pin, err := report.GatherPeriod(r.Context(), s.Store, report.PeriodRequest{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), From: from, To: to, ApprovedOnly: approvedOnly(r), Reader: &u,
		Boundaries: boundariesOf(r.URL.Query()), Format: format})
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
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year, ApprovedOnly: approvedOnly(r), Boundaries: boundariesOf(r.URL.Query())})
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
