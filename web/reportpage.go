package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"nscl"
	"nscl/pdf"
	"nscl/report"
	"nscl/store"
)

type reportPageData struct {
	Version  string // of the stored texts (not of last year's offered ones)
	Report   *report.Report
	Problems []string
	Texts    map[string]string
	Parts    []reportPart
	CanEdit  bool
	Years    []int
}

type reportPart struct {
	Key, Label string
	Long       bool
}

// reportParts are the written parts offered for editing, in the report's order.
var reportParts = []reportPart{
	{"parent_agency", "Cơ quan chủ quản", false}, {"agency", "Cơ quan ban hành", false}, {"agency_short", "Tên viết tắt", false},
	{"number", "Số, ký hiệu", false}, {"place", "Địa danh", false}, {"date", "Ngày ban hành (yyyy-mm-dd)", false},
	{"subject", "Trích yếu", true}, {"request", "Văn bản yêu cầu báo cáo", true},
	{"direction", "I.1 Công tác lãnh đạo, chỉ đạo (thêm)", true}, {"communication", "I.2 Thông tin, truyền thông", true},
	{"obstacles", "II.2 Tồn tại, vướng mắc", true}, {"directions", "III.1 Phương hướng", true},
	{"solutions", "III.2 Giải pháp", true}, {"proposals", "IV Đề xuất, kiến nghị", true},
	{"recipients", "Nơi nhận (mỗi dòng một nơi)", true}, {"signer_title", "Chức danh người ký", true}, {"signer_name", "Người ký", false},
}

// reportInput gathers the Word report of a year for the report's unit.
func (s *Server) reportInput(r *http.Request, year int) (report.WordInput, map[string]string, error) {
	rep, err := report.Build(r.Context(), s.Store, report.Request{Programme: s.Programme, Unit: r.URL.Query().Get("unit"), Year: year})
	if err != nil {
		return report.WordInput{}, nil, err
	}
	texts, err := s.Store.ReportTexts(r.Context(), rep.Programme, rep.Unit.ID, year)
	if err != nil {
		return report.WordInput{}, nil, err
	}
	if len(texts) == 0 && year > rep.Programme.StartYear {
		// Last year's text is the starting point.
		if texts, err = s.Store.ReportTexts(r.Context(), rep.Programme, rep.Unit.ID, year-1); err != nil {
			return report.WordInput{}, nil, err
		}
		delete(texts, "date")
		delete(texts, "number")
	}
	head := nscl.ReportHeadFrom(texts)
	if head.Agency == "" {
		head.Agency, head.Subject = rep.Unit.Name, fmt.Sprintf("Kết quả thực hiện năm %d của %s", year, rep.Programme.Name)
	}
	in, err := report.NewWordInput(r.Context(), s.Store, rep, head, texts)
	return in, texts, err
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
	in, texts, err := s.reportInput(r, year)
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
	d := reportPageData{Version: store.TextsVersion(stored), Report: in.Report, Problems: problems, Texts: texts, Parts: reportParts, CanEdit: u.CanManageRounds(), Years: years}
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
	for _, p := range reportParts {
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

// reportDownload sends the Word report or its PDF: /report/2022.docx, /report/2022.pdf.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	name := r.PathValue("file")
	base, ext, _ := strings.Cut(name, ".")
	year, err := strconv.Atoi(base)
	if err != nil || (ext != "docx" && ext != "pdf") {
		return nscl.NotFound("file", "không có tệp này", "no such file")
	}
	in, _, err := s.reportInput(r, year)
	if err != nil {
		return err
	}
	var doc bytes.Buffer
	if err := report.WriteWord(&doc, in); err != nil {
		return err
	}
	body, ctype := doc.Bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	if ext == "pdf" {
		if body, err = pdf.FromDocx(r.Context(), body); err != nil {
			return err
		}
		ctype = "application/pdf"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bao-cao-%d.%s"`, year, ext))
	w.Write(body)
	return nil
}
