package nscl

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Document is a legal or administrative document (văn bản): a decision, a
// plan, a notice, an official letter. Plans, rounds and reports cite them.
type Document struct {
	ID       int64     `json:"id"`
	Type     string    `json:"type"`   // "Quyết định", "Kế hoạch", "Thông báo", "Công văn", "Thông tư" …
	Number   string    `json:"number"` // "1322"
	Symbol   string    `json:"symbol"` // "QĐ-TTg"
	IssuedOn time.Time `json:"issued_on"`
	Issuer   string    `json:"issuer"` // "Thủ tướng Chính phủ"
	Title    string    `json:"title"`  // what it is about, starting lower case as cited: "về ban hành …"
	Source   string    `json:"source"` // where this record comes from, e.g. the section of the report that cites it
}

// NumberSymbol returns "1322/QĐ-TTg".
func (d Document) NumberSymbol() string {
	if d.Symbol == "" {
		return d.Number
	}
	return d.Number + "/" + d.Symbol
}

// HasNumber reports whether ref, as people type it ("4225/KH-CN-TĐC",
// "4225 / kh-cn-tđc"), is the document's number and symbol.
func (d Document) HasNumber(ref string) bool {
	return strings.EqualFold(d.NumberSymbol(), strings.ReplaceAll(NormalizeText(ref), " ", ""))
}

// Citation returns the document as Vietnamese administrative text cites it:
// "Quyết định số 1322/QĐ-TTg ngày 31 tháng 8 năm 2020 của Thủ tướng Chính phủ".
func (d Document) Citation() string {
	s := fmt.Sprintf("%s số %s", d.Type, d.NumberSymbol())
	if !d.IssuedOn.IsZero() {
		s += " ngày " + LongDate(d.IssuedOn)
	}
	if d.Issuer != "" {
		s += " của " + d.Issuer
	}
	return s
}

// LongDate writes a date as administrative prose does: "31 tháng 8 năm 2020",
// "08 tháng 12 năm 2022", "21 tháng 01 năm 2022": Nghị định 30/2020 writes
// days below 10 and the months 1 and 2 with a leading zero.
func LongDate(t time.Time) string {
	month := fmt.Sprint(int(t.Month()))
	if t.Month() < 3 {
		month = fmt.Sprintf("%02d", int(t.Month()))
	}
	return fmt.Sprintf("%02d tháng %s năm %d", t.Day(), month, t.Year())
}

// ValidateDocument checks the fields a citation needs, and returns every
// mistake it finds (Errors). The date may be unknown: reports cite some
// documents by number alone.
func ValidateDocument(d Document) error {
	var errs Errors
	for _, f := range []struct {
		field, value string
		limit        int
		required     bool
	}{{"type", d.Type, 100, true}, {"number", d.Number, 50, true}, {"symbol", d.Symbol, 100, false}, {"issuer", d.Issuer, 300, true},
		{"title", d.Title, 2000, false}, {"source", d.Source, 500, false}} {
		if f.required && blank(f.value) {
			errs.Add(Required(f.field))
		}
		errs.Add(CheckText(f.field, f.value, f.limit))
	}
	return errs.Err()
}

// ReportHead is what the top of an administrative report says about who
// issues it (Nghị định 30/2020/NĐ-CP, Phụ lục I).
type ReportHead struct {
	ParentAgency    string // "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH"
	Agency          string // "SỞ KHOA HỌC VÀ CÔNG NGHỆ" (printed upper case)
	AgencyName      string // as running text names it: "Sở Khoa học và Công nghệ"
	AgencyShort     string // "Sở KHCN"
	NumberSymbol    string // "Số: …/BC-SKHCN"
	Place           string // "Thành phố Hồ Chí Minh"
	Date            time.Time
	Subject         string
	Recipients      []string // Nơi nhận
	SignerTitle     string   // "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
	SignerName      string
	RequestCitation string // the document that asked for the report, cited in the opening
}

// Report text parts: the written pieces of a year's report that are not
// computed, stored per programme, unit and year.
// Each task group's point of section I.3 is a part too (GroupPart).
var ReportTextParts = []string{
	"parent_agency", "agency", "agency_name", "agency_short", "number", "place", "date", "subject", "request",
	"direction", "communication", "evaluation_intro", "evaluation", "obstacles", "directions", "solutions", "proposals",
	"recipients", "signer_title", "signer_name",
}

// SettingsYear is the year a unit's report settings are stored under: the
// parts of ReportSettingParts, which every year's report uses unless that
// year stores its own.
const SettingsYear = 0

// ReportSettingParts are the parts of a report that belong to the issuing
// unit rather than to a year: who issues, where, the number's symbol, the
// recipients and the signer.
var ReportSettingParts = []string{
	"parent_agency", "agency", "agency_name", "agency_short", "number", "place", "recipients", "signer_title", "signer_name",
}

// IsReportSetting says whether a part is one of ReportSettingParts.
func IsReportSetting(part string) bool { return slices.Contains(ReportSettingParts, part) }

// GroupPart names the report text part that holds a task group's point of
// section I.3: "group_c".
func GroupPart(letter string) string { return "group_" + letter }

// SummaryTextParts are the written parts of a plan period's summary (báo
// cáo tổng kết giai đoạn), beside the letterhead's: stored with the texts
// of the summary's last year, each under SummaryPart's name.
var SummaryTextParts = []string{"date", "subject", "request", "direction", "obstacles", "lessons", "directions", "proposals"}

// SummaryPart names where a part of the summary is stored: "summary_obstacles".
func SummaryPart(key string) string { return summaryPrefix + key }

const summaryPrefix = "summary_"

// SummaryKey is the part of the summary a stored name holds, and whether it is one.
func SummaryKey(stored string) (string, bool) { return strings.CutPrefix(stored, summaryPrefix) }

// IsReportPart says whether key names a written part of the programme's
// report: one of ReportTextParts, the part of one of its task groups, or a
// part of a period's summary.
func (p *Programme) IsReportPart(key string) bool {
	if slices.Contains(ReportTextParts, key) {
		return true
	}
	if k, ok := SummaryKey(key); ok {
		return slices.Contains(SummaryTextParts, k) || IsReportSetting(k)
	}
	letter, ok := strings.CutPrefix(key, "group_")
	_, known := p.TaskGroup(letter)
	return ok && known
}

// ReportHeadFrom reads the letterhead out of stored report texts.
func ReportHeadFrom(parts map[string]string) ReportHead {
	h := ReportHead{ParentAgency: parts["parent_agency"], Agency: parts["agency"], AgencyName: parts["agency_name"],
		AgencyShort: parts["agency_short"], NumberSymbol: parts["number"], Place: parts["place"], Subject: parts["subject"],
		RequestCitation: parts["request"], SignerTitle: parts["signer_title"], SignerName: parts["signer_name"]}
	if parts["date"] != "" {
		h.Date, _ = ParseDate("date", parts["date"]) // the report page refuses a date it cannot read
	}
	for _, line := range strings.Split(parts["recipients"], "\n") {
		if line = strings.TrimSpace(line); line != "" {
			h.Recipients = append(h.Recipients, line)
		}
	}
	return h
}
