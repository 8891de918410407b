// Package exchange writes and reads the programme's JSON exchange files
// (docs/exchange.md):
//
//   - "nscl-exchange": a whole programme — its definition, documents, org
//     units with their successions and moves, plans, the enterprise
//     registry with its merges, activities,
//     reporting rounds, calls for participation and report texts — so that
//     it can be moved to another database, SQLite or PostgreSQL. Every
//     reference is by code (unit code, metric code, task group letter,
//     document number/symbol, tax code), never by a database ID.
//   - "nscl-summary": one province's figures for one year, which a ministry
//     database imports as activities of that province, so that the
//     national report adds the provinces up.
//
// Accounts are not exchanged: users, sessions, tokens and the audit log stay
// in the database they belong to. Nor are the registrations sent to calls:
// they are personal submissions under review, not the programme's record.
// The registry's contact details are exchanged, so an nscl-exchange file
// holds personal data.
package exchange

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"nscl"
	"nscl/vnfmt"
)

// The formats and the one version of each this package writes and reads.
// The version goes up only when a change would make an older reader
// misread the file; a field added beside the others does not change it,
// since readers ignore fields they do not know.
const (
	FormatExchange = "nscl-exchange"
	FormatSummary  = "nscl-summary"
	Version        = 1
)

// header is how every exchange file begins.
type header struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	ExportedAt string `json:"exported_at,omitempty"`
}

// The records of an nscl-exchange file. Dates are "yyyy-mm-dd", times RFC
// 3339 in UTC; empty optional fields are left out.

type fileProgramme struct {
	Code       string       `json:"code"`
	Name       string       `json:"name"`
	StartYear  int          `json:"start_year"`
	EndYear    int          `json:"end_year"`
	Document   string       `json:"document,omitempty"`
	TaskGroups []fileGroup  `json:"task_groups"`
	Metrics    []fileMetric `json:"metrics"`
	// Where the portal's articles, materials and classes count; left
	// out, as in older files, when the programme has not set it.
	PortalCounting nscl.PortalCounting `json:"portal_counting,omitzero"`
}

type fileGroup struct {
	Letter string `json:"letter"`
	Name   string `json:"name"`
}

type fileMetric struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Kind      string `json:"kind"`
	Rule      string `json:"rule"`
	TaskGroup string `json:"task_group,omitempty"`
	FirstYear int    `json:"first_year,omitempty"` // 0: from the programme's first year
}

type fileDocument struct {
	Type     string `json:"type"`
	Number   string `json:"number"`
	Symbol   string `json:"symbol,omitempty"`
	IssuedOn string `json:"issued_on,omitempty"`
	Issuer   string `json:"issuer"`
	Title    string `json:"title,omitempty"`
	Source   string `json:"source,omitempty"`
}

type fileUnit struct {
	Code      string `json:"code"`
	Parent    string `json:"parent,omitempty"`
	Name      string `json:"name"`
	ShortName string `json:"short_name,omitempty"`
	Level     string `json:"level"`
	OpenedOn  string `json:"opened_on,omitempty"`
	ClosedOn  string `json:"closed_on,omitempty"`
}

// fileSuccession is a unit that closed on a day with a unit its work went
// on in: one record per predecessor and successor, as the database keeps them.
type fileSuccession struct {
	Predecessor string `json:"predecessor"`
	Successor   string `json:"successor"`
	On          string `json:"on"` // the predecessor's first day closed
}

// fileUnitMove is a unit's move to another parent; OldParent is left out
// when the unit was at the root.
type fileUnitMove struct {
	Unit      string `json:"unit"`
	OldParent string `json:"old_parent,omitempty"`
	NewParent string `json:"new_parent"`
	On        string `json:"on"` // the first day under the new parent
}

type filePlan struct {
	Unit      string           `json:"unit"`
	Kind      string           `json:"kind"`
	StartYear int              `json:"start_year"`
	EndYear   int              `json:"end_year"`
	Document  string           `json:"document,omitempty"`
	Name      string           `json:"name"`
	Targets   map[string]int64 `json:"targets"`
	// Allotments by unit code, then indicator code; left out, as in older
	// files, when the plan allots nothing.
	Allotments map[string]map[string]int64 `json:"allotments,omitempty"`
}

// fileEnterprise is a record of the registry; MergedInto is the tax code of
// the record it is merged into.
type fileEnterprise struct {
	TaxCode    string      `json:"tax_code"`
	Name       string      `json:"name,omitempty"`
	Address    string      `json:"address,omitempty"`
	District   string      `json:"district,omitempty"`
	Sector     string      `json:"sector,omitempty"`
	Size       string      `json:"size,omitempty"`
	Contact    fileContact `json:"contact,omitzero"`
	MergedInto string      `json:"merged_into,omitempty"`
}

type fileContact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type fileActivity struct {
	Ref           string           `json:"ref"`
	Unit          string           `json:"unit"`
	Date          string           `json:"date"`
	TaskGroup     string           `json:"task_group"`
	Kind          string           `json:"kind"`
	Description   string           `json:"description"`
	NotInFootnote bool             `json:"not_in_footnote,omitempty"` // left out, as in older files, when the footnote itemises it
	Source        string           `json:"source,omitempty"`
	Quantities    map[string]int64 `json:"quantities,omitempty"`
	Beneficiaries []string         `json:"beneficiaries,omitempty"`
}

type fileRound struct {
	Title       string           `json:"title"`
	Document    string           `json:"document,omitempty"`
	PeriodStart string           `json:"period_start"`
	PeriodEnd   string           `json:"period_end"`
	Cutoff      string           `json:"cutoff,omitempty"`
	Deadline    string           `json:"deadline"`
	Submissions []fileSubmission `json:"submissions"`
}

type fileSubmission struct {
	Unit        string `json:"unit"`
	Status      string `json:"status"`
	SubmittedAt string `json:"submitted_at,omitempty"`
	FirstSentAt string `json:"first_sent_at,omitempty"`
	ReviewedAt  string `json:"reviewed_at,omitempty"`
	Comment     string `json:"comment,omitempty"`
	// History is every step of the submission, oldest first; a file
	// without it (written before it was carried) gets the history its
	// record tells, as migration 00016 gave the database.
	History []fileStep `json:"history,omitempty"`
}

// fileStep is one step of a submission's history. Who took it is not
// carried: accounts are not exchanged.
type fileStep struct {
	Step    string `json:"step"`
	At      string `json:"at"`
	Comment string `json:"comment,omitempty"`
}

type fileCall struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Document    string `json:"document,omitempty"`
	OpensOn     string `json:"opens_on"`
	ClosesOn    string `json:"closes_on,omitempty"`
}

type fileReportTexts struct {
	Unit  string            `json:"unit"`
	Year  int               `json:"year"`
	Parts map[string]string `json:"parts"`
}

// Summary says what an import wrote.
type Summary struct {
	Format    string // FormatExchange or FormatSummary
	Programme string // code

	// An nscl-exchange file. Merged counts the enterprises among
	// Enterprises that are merged into another.
	Documents, Units, Plans, Activities, Rounds, ReportTexts int
	Enterprises, Merged, Calls                               int
	Successions, UnitMoves                                   int

	// An nscl-summary file: the unit and year it gives figures for, whether
	// the unit was added to the tree, and what became of the activities
	// that carry its figures.
	Unit                                 string
	Year                                 int
	UnitCreated                          bool
	Created, Updated, Unchanged, Removed int
}

// String is the one line the command line prints after an import.
func (s Summary) String() string {
	n := func(i int) string { return vnfmt.Int(int64(i)) }
	if s.Format == FormatSummary {
		added, addedEN := "", ""
		if s.UnitCreated {
			added, addedEN = "thêm đơn vị "+s.Unit+"; ", "added unit "+s.Unit+"; "
		}
		return fmt.Sprintf("Đã nhập số liệu tổng hợp năm %d của %s vào chương trình %s: %s%s số liệu mới, %s sửa, %s không đổi, %s bỏ "+
			"(imported the %d summary of %s into programme %s: %s%s new, %s changed, %s unchanged, %s removed)",
			s.Year, s.Unit, s.Programme, added, n(s.Created), n(s.Updated), n(s.Unchanged), n(s.Removed),
			s.Year, s.Unit, s.Programme, addedEN, n(s.Created), n(s.Updated), n(s.Unchanged), n(s.Removed))
	}
	return fmt.Sprintf("Đã nhập chương trình %s: %s văn bản, %s đơn vị (%s lần kế tục, %s lần chuyển đơn vị cấp trên), %s kế hoạch, %s doanh nghiệp (%s đã gộp), %s hoạt động, %s đợt báo cáo, %s đợt mời đăng ký, %s bộ nội dung báo cáo "+
		"(imported programme %s: %s documents, %s units (%s successions, %s moves), %s plans, %s enterprises (%s merged), %s activities, %s rounds, %s calls, %s sets of report texts)",
		s.Programme, n(s.Documents), n(s.Units), n(s.Successions), n(s.UnitMoves), n(s.Plans), n(s.Enterprises), n(s.Merged), n(s.Activities), n(s.Rounds), n(s.Calls), n(s.ReportTexts),
		s.Programme, n(s.Documents), n(s.Units), n(s.Successions), n(s.UnitMoves), n(s.Plans), n(s.Enterprises), n(s.Merged), n(s.Activities), n(s.Rounds), n(s.Calls), n(s.ReportTexts))
}

const (
	dateLayout = "2006-01-02"
	timeLayout = time.RFC3339Nano
)

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// parseDate reads an optional "yyyy-mm-dd"; "" is the zero date.
func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return t, nscl.Invalid(field, "ngày %q không hợp lệ (dùng yyyy-mm-dd)", "date %q is not valid (use yyyy-mm-dd)", s)
	}
	return t, nil
}

// parseTime reads an optional RFC 3339 time; "" is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, nscl.Invalid(field, "thời điểm %q không hợp lệ (dùng RFC 3339, ví dụ 2023-01-05T08:30:00Z)", "time %q is not valid (use RFC 3339, e.g. 2023-01-05T08:30:00Z)", s)
	}
	return t.UTC(), nil
}

// documentKeys gives each document the key records cite it by: its
// number/symbol, or number/symbol@date when two documents share a
// number/symbol (numbers start again each year at many agencies).
type documentKeys map[int64]string

func newDocumentKeys(docs []nscl.Document) documentKeys {
	seen := map[string]int{}
	for _, d := range docs {
		seen[d.NumberSymbol()]++
	}
	keys := documentKeys{}
	for _, d := range docs {
		keys[d.ID] = d.NumberSymbol()
		if seen[d.NumberSymbol()] > 1 {
			keys[d.ID] = datedKey(d)
		}
	}
	return keys
}

func datedKey(d nscl.Document) string { return d.NumberSymbol() + "@" + formatDate(d.IssuedOn) }

// inRecord names the record an error is about, e.g.
// "activities[12] (ref 2022-c-3): date: …", keeping its code.
func inRecord(record string, err error) error {
	var e *nscl.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("exchange: %s: %w", record, err)
	}
	field := record
	if e.Field != "" {
		field += ": " + e.Field
	}
	return &nscl.Error{Code: e.Code, Field: field, Message: e.Message, English: e.English}
}

// recordName is "activities[12]", with the record's code when it has one:
// "activities[12] (ref 2022-c-3)".
func recordName(section string, i int, what, code string) string {
	name := fmt.Sprintf("%s[%d]", section, i)
	if code = strings.TrimSpace(code); code != "" {
		name += " (" + what + " " + code + ")"
	}
	return name
}
