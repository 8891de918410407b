package sheet

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/vnfmt"
)

// TemplateVersion is written into the meta sheet; an import checks it.
const TemplateVersion = "1"

// Keys of the meta sheet (MetaSheet): one a row in column A, its value in
// column B. Dates are yyyy-mm-dd; the round is its ID, the programme and
// the unit their codes.
const (
	MetaTemplateVersion = "template_version"
	MetaProgramme       = "programme"
	MetaRound           = "round"
	MetaUnit            = "unit"
	MetaPeriodStart     = "period_start"
	MetaPeriodEnd       = "period_end"
)

// Rows of a template's activity sheet: the title, the period line, the
// heading row; input starts below it.
const (
	TemplateHeaderRow     = 3
	templateTitleRow      = 1
	templatePeriodRow     = 2
	templateFirstInputRow = TemplateHeaderRow + 1
)

// DefaultTemplateRows is how many input rows a template prepares when
// Template.Rows is not set; MaxTemplateRows bounds it (each row is a row of
// styled cells in the file).
const (
	DefaultTemplateRows = 500
	MaxTemplateRows     = 50_000
)

// The lists the drop-downs offer live on the meta sheet, each in its own
// column with a heading in row 1 and its values from row 2: list cells
// rather than the list written into the validation, which Excel limits to
// 255 characters (the task groups' names alone are longer).
const (
	tmplListGroups = "D"
	tmplListKinds  = "E"
	tmplListUnits  = "F"
)

// Template describes the reporting template of one round for one unit.
type Template struct {
	Programme *nscl.Programme
	Round     nscl.Round     // its ID, Title, PeriodStart/PeriodEnd, Deadline
	Unit      nscl.OrgUnit   // the unit it is made for
	Units     []nscl.OrgUnit // units that may appear in the unit column: the unit and the units under it (may be just the unit)
	Rows      int            // empty rows prepared for input; 0 for DefaultTemplateRows
}

// Write writes the template as an .xlsx workbook: the sheet of activities
// (ActivitySheet) with its heading row, drop-down lists and checks on the
// input rows, the instructions (InstructionsSheet), and the hidden
// MetaSheet saying what the template was made for.
//
// The activity sheet is protected without a password: the title, period
// and heading rows are locked so that they are not changed by mistake,
// the input rows (and every row below them, and the columns right of the
// table) are not. Anyone may lift the protection (Review › Unprotect
// Sheet); the import finds the columns by their titles either way.
func (t Template) Write(w io.Writer) error {
	if t.Programme == nil {
		return errors.New("sheet: a template needs its programme")
	}
	rows := t.Rows
	if rows <= 0 {
		rows = DefaultTemplateRows
	}
	if rows > MaxTemplateRows {
		return nscl.Invalid("rows", "mẫu có tối đa %d dòng nhập", "a template has at most %d input rows", MaxTemplateRows)
	}
	f := excelize.NewFile()
	defer f.Close()
	tw := &tmplWriter{t: t, f: f, cols: templateColumns(t.Programme, t.Round.PeriodEnd.Year()), rows: rows, lists: map[string]string{}}
	if err := tw.write(); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// templateColumns are the activity sheet's columns for a round ending in
// year: a metric that begins later (nscl.Metric.FirstYear) has no column,
// as no results table of the round's years lists it. The import still
// reads such a column from a sheet that has one.
func templateColumns(prog *nscl.Programme, year int) []nscl.SheetColumn {
	var out []nscl.SheetColumn
	for _, c := range nscl.ActivityColumns(prog) {
		if m, ok := prog.Metric(c.Metric); ok && !m.ActiveIn(year) {
			continue
		}
		out = append(out, c)
	}
	return out
}

type tmplWriter struct {
	t     Template
	f     *excelize.File
	cols  []nscl.SheetColumn
	rows  int
	lists map[string]string // column key → the range on the meta sheet its drop-down offers
	st    tmplStyles
}

type tmplStyles struct {
	title, period, heading                      int // locked
	text, wrap, date, integer, free             int // input: unlocked
	guideTitle, guideBold, guideText, guideHead int // the instructions
}

func (tw *tmplWriter) write() error {
	f := tw.f
	if err := f.SetSheetName(f.GetSheetName(0), ActivitySheet); err != nil {
		return err
	}
	for _, name := range []string{InstructionsSheet, MetaSheet} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if err := tw.styles(); err != nil {
		return err
	}
	if err := tw.writeMeta(); err != nil {
		return err
	}
	if err := tw.writeActivities(); err != nil {
		return err
	}
	if err := tw.writeInstructions(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetSheetVisible(MetaSheet, false, true); err != nil {
		return err
	}
	// SetSheetVisible leaves a sheet as it is, without an error, when it
	// cannot hide it.
	if visible, err := f.GetSheetVisible(MetaSheet); err != nil || visible {
		return fmt.Errorf("sheet: the sheet %s could not be hidden (%v)", MetaSheet, err)
	}
	return f.SetDocProps(&excelize.DocProperties{Title: tw.title(), Creator: "nscl"})
}

func (tw *tmplWriter) styles() error {
	f := tw.f
	// A font without a family is shown by LibreOffice in its own default
	// (a serif), so the bold fonts name the workbook's.
	family, err := f.GetDefaultFont()
	add := func(id *int, s excelize.Style) {
		if err == nil {
			*id, err = f.NewStyle(&s)
		}
	}
	locked := &excelize.Protection{Locked: true}
	unlocked := &excelize.Protection{Locked: false}
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	const textFormat = 49 // "@": what is typed stays text (tax codes keep their leading 0)

	add(&tw.st.title, excelize.Style{Font: &excelize.Font{Family: family, Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}, Protection: locked})
	add(&tw.st.period, excelize.Style{Font: &excelize.Font{Family: family, Italic: true}, Alignment: &excelize.Alignment{Vertical: "center"}, Protection: locked})
	add(&tw.st.heading, excelize.Style{Font: &excelize.Font{Family: family, Bold: true},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    border, Protection: locked})
	add(&tw.st.text, excelize.Style{NumFmt: textFormat, Alignment: top, Protection: unlocked})
	// Not text: Excel shows a text-formatted cell of more than 255
	// characters as ####, and descriptions run to 4000.
	add(&tw.st.wrap, excelize.Style{Alignment: wrap, Protection: unlocked})
	add(&tw.st.date, excelize.Style{CustomNumFmt: tmplPtr(tmplDateFormat), Alignment: top, Protection: unlocked})
	add(&tw.st.integer, excelize.Style{CustomNumFmt: tmplPtr(tmplIntegerFormat), Alignment: top, Protection: unlocked})
	add(&tw.st.free, excelize.Style{Protection: unlocked})

	add(&tw.st.guideTitle, excelize.Style{Font: &excelize.Font{Family: family, Bold: true, Size: 14}, Alignment: wrap})
	add(&tw.st.guideBold, excelize.Style{Font: &excelize.Font{Family: family, Bold: true}, Alignment: wrap})
	add(&tw.st.guideText, excelize.Style{Alignment: wrap})
	add(&tw.st.guideHead, excelize.Style{Font: &excelize.Font{Family: family, Bold: true}, Alignment: wrap,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: border})
	return err
}

// Formats of the input cells, as report/xlsx.go writes them: the [$-42A]
// tag makes LibreOffice show Vietnamese separators (16.192) whatever its
// locale; dates show as written, 07/03/2022.
const (
	tmplIntegerFormat = "[$-42A]#,##0"
	tmplDateFormat    = "dd/mm/yyyy"
)

func tmplPtr[T any](v T) *T { return &v }

// title is the template's title line.
func (tw *tmplWriter) title() string {
	return "Báo cáo hoạt động — " + tw.t.Round.Title + " — " + tw.t.Unit.Name
}

// period is the span dates must fall in: the round's period, or the
// programme's years for a round without one.
func (tw *tmplWriter) period() (start, end time.Time) {
	start, end = tw.t.Round.PeriodStart, tw.t.Round.PeriodEnd
	if start.IsZero() || end.IsZero() {
		start = time.Date(tw.t.Programme.StartYear, 1, 1, 0, 0, 0, 0, time.UTC)
		end = time.Date(tw.t.Programme.EndYear, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return start, end
}

// periodLine is the second row: "Kỳ báo cáo: 01/01/2022 – 31/12/2022; hạn gửi: 15/12/2022".
func (tw *tmplWriter) periodLine() string {
	start, end := tw.period()
	s := "Kỳ báo cáo: " + tmplDate(start) + " – " + tmplDate(end)
	if !tw.t.Round.Deadline.IsZero() {
		s += "; hạn gửi: " + tmplDate(tw.t.Round.Deadline)
	}
	return s
}

func tmplDate(t time.Time) string { return t.Format("02/01/2006") }

// tmplExampleDay is a day of the period to show as an example: the 15th of
// its first month, which cannot be read as month and day the other way
// round, when the period has it.
func tmplExampleDay(start, end time.Time) time.Time {
	if d := time.Date(start.Year(), start.Month(), 15, 0, 0, 0, 0, start.Location()); !d.Before(start) && !d.After(end) {
		return d
	}
	return start
}

// tmplSerial is a day as a spreadsheet's date serial number (the 1900
// system, counting from 30 December 1899 as nscl's sheetDate reads it).
func tmplSerial(t time.Time) int {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// unitNames are the names the unit column offers: the template's unit
// first, then the others, each name once.
func (tw *tmplWriter) unitNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, u := range append([]nscl.OrgUnit{tw.t.Unit}, tw.t.Units...) {
		name := nscl.NormalizeText(u.Name)
		if name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

func (tw *tmplWriter) writeMeta() error {
	f, t := tw.f, tw.t
	date := func(d time.Time) string {
		if d.IsZero() {
			return ""
		}
		return d.Format("2006-01-02")
	}
	roundID := ""
	if t.Round.ID != 0 {
		roundID = strconv.FormatInt(t.Round.ID, 10)
	}
	pairs := [][2]string{
		{MetaTemplateVersion, TemplateVersion},
		{MetaProgramme, t.Programme.Code},
		{MetaRound, roundID},
		{MetaUnit, t.Unit.Code},
		{MetaPeriodStart, date(t.Round.PeriodStart)},
		{MetaPeriodEnd, date(t.Round.PeriodEnd)},
	}
	for i, p := range pairs {
		// Text cells, so that a spreadsheet saving the file keeps them as
		// written (a round ID stays "7", not 7.0; a date stays yyyy-mm-dd).
		if err := f.SetSheetRow(MetaSheet, tmplCell(1, i+1), &[]any{p[0], p[1]}); err != nil {
			return err
		}
	}
	var groups, kinds []string
	for _, g := range t.Programme.TaskGroups {
		groups = append(groups, nscl.TaskGroupChoice(g))
	}
	for _, k := range nscl.ActivityKinds {
		kinds = append(kinds, k.Label())
	}
	for _, l := range []struct {
		col, key, heading string
		values            []string
	}{
		{tmplListGroups, nscl.ColTaskGroup, "Nhóm nhiệm vụ", groups},
		{tmplListKinds, nscl.ColKind, "Loại hoạt động", kinds},
		{tmplListUnits, nscl.ColUnit, "Đơn vị", tw.unitNames()},
	} {
		if err := f.SetCellStr(MetaSheet, l.col+"1", l.heading); err != nil {
			return err
		}
		for i, v := range l.values {
			if err := f.SetCellStr(MetaSheet, l.col+strconv.Itoa(i+2), v); err != nil {
				return err
			}
		}
		if len(l.values) > 0 {
			tw.lists[l.key] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", MetaSheet, l.col, l.col, len(l.values)+1)
		}
	}
	return tmplWidths(f, MetaSheet, []float64{18, 14, 4, 60, 24, 40})
}

// inputStyle is the style of a column's input cells.
func (tw *tmplWriter) inputStyle(c nscl.SheetColumn) int {
	switch {
	case c.Metric != "":
		return tw.st.integer
	case c.Key == nscl.ColDate:
		return tw.st.date
	case c.Key == nscl.ColDescription || c.Key == nscl.ColSource:
		return tw.st.wrap
	}
	return tw.st.text
}

// tmplWidth is a column's width in characters.
func tmplWidth(c nscl.SheetColumn) float64 {
	switch c.Key {
	case nscl.ColRef:
		return 14
	case nscl.ColUnit:
		return 28
	case nscl.ColDate:
		return 14
	case nscl.ColTaskGroup:
		return 32
	case nscl.ColKind:
		return 22
	case nscl.ColDescription:
		return 50
	case nscl.ColBeneficiaries:
		return 24
	case nscl.ColSource:
		return 32
	}
	return 18
}

func (tw *tmplWriter) writeActivities() error {
	f, sheet := tw.f, ActivitySheet
	n := len(tw.cols)
	last := ColumnName(n - 1)
	lastRow := TemplateHeaderRow + tw.rows

	// Column styles first, while the sheet has no cells (SetColStyle
	// restyles every existing cell of the column): rows typed below the
	// prepared ones, and notes right of the table, are then not locked.
	for i, c := range tw.cols {
		name := ColumnName(i)
		if err := f.SetColStyle(sheet, name, tw.inputStyle(c)); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, tmplWidth(c)); err != nil {
			return err
		}
	}
	if err := f.SetColStyle(sheet, ColumnName(n)+":XFD", tw.st.free); err != nil {
		return err
	}

	// The title, the period and the heading row, locked.
	if err := f.SetCellStr(sheet, tmplCell(1, templateTitleRow), tw.title()); err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, tmplCell(1, templatePeriodRow), tw.periodLine()); err != nil {
		return err
	}
	titles := make([]any, n)
	for i, c := range tw.cols {
		titles[i] = tmplHeading(c)
	}
	if err := f.SetSheetRow(sheet, tmplCell(1, TemplateHeaderRow), &titles); err != nil {
		return err
	}
	for _, r := range []struct{ row, style int }{{templateTitleRow, tw.st.title}, {templatePeriodRow, tw.st.period}, {TemplateHeaderRow, tw.st.heading}} {
		if err := f.SetCellStyle(sheet, tmplCell(1, r.row), tmplCell(n, r.row), r.style); err != nil {
			return err
		}
		if r.row != TemplateHeaderRow {
			if err := f.MergeCell(sheet, tmplCell(1, r.row), tmplCell(n, r.row)); err != nil {
				return err
			}
		}
	}
	if err := f.SetRowHeight(sheet, templateTitleRow, 24); err != nil {
		return err
	}
	// LibreOffice does not fit a row to its wrapped text when it opens a
	// file: the heading row is made as tall as its longest title needs.
	lines := 1
	for _, c := range tw.cols {
		lines = max(lines, WrappedLines(tmplHeading(c), tmplWidth(c)*0.9)) // bold is wider
	}
	if err := f.SetRowHeight(sheet, TemplateHeaderRow, min(float64(lines)*15+4, excelize.MaxRowHeight)); err != nil {
		return err
	}

	// The input rows: styled cells, unlocked.
	for i, c := range tw.cols {
		if err := f.SetCellStyle(sheet, tmplCell(i+1, templateFirstInputRow), tmplCell(i+1, lastRow), tw.inputStyle(c)); err != nil {
			return err
		}
	}
	if err := tw.validations(lastRow); err != nil {
		return err
	}

	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: TemplateHeaderRow, TopLeftCell: tmplCell(1, templateFirstInputRow),
		ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: tmplCell(1, templateFirstInputRow), ActiveCell: tmplCell(1, templateFirstInputRow), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, tmplCell(1, TemplateHeaderRow)+":"+last+strconv.Itoa(lastRow), nil); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, TemplateHeaderRow, TemplateHeaderRow)}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: tmplPtr(9), Orientation: tmplPtr("landscape")}); err != nil {
		return err
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true,
		InsertRows: true, DeleteRows: true,
		Sort: true, AutoFilter: true,
	})
}

// tmplHeading is a column's heading: its title, required ones marked " *"
// (MatchHeader strips the mark).
func tmplHeading(c nscl.SheetColumn) string {
	if c.Required {
		return c.Title + " *"
	}
	return c.Title
}

// validations checks what is typed in the input rows and offers the lists.
// Dates and quantities refuse what the import would refuse; the lists only
// warn, since the import also takes a group's letter, a kind's code or a
// word of its name, and a unit's code.
func (tw *tmplWriter) validations(lastRow int) error {
	start, end := tw.period()
	var letters []string
	for _, g := range tw.t.Programme.TaskGroups {
		letters = append(letters, g.Letter)
	}
	for i, c := range tw.cols {
		col := ColumnName(i)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", col, templateFirstInputRow, col, lastRow)
		switch {
		case c.Key == nscl.ColDate:
			if err := dv.SetRange(tmplSerial(start), tmplSerial(end), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			tmplPrompt(dv, "Ngày thực hiện", fmt.Sprintf("Ghi ngày theo dạng dd/mm/yyyy (ví dụ %s), trong kỳ báo cáo %s – %s.", tmplDate(tmplExampleDay(start, end)), tmplDate(start), tmplDate(end)))
			tmplError(dv, excelize.DataValidationErrorStyleStop, "Ngày ngoài kỳ báo cáo",
				fmt.Sprintf("Ngày thực hiện phải là một ngày trong kỳ báo cáo, từ %s đến %s, ghi theo dạng dd/mm/yyyy.", tmplDate(start), tmplDate(end)))
		case c.Metric != "":
			if err := dv.SetRange(0, nscl.MaxQuantity, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			m, _ := tw.t.Programme.Metric(c.Metric)
			tmplPrompt(dv, "Số liệu", fmt.Sprintf("%s (%s): số nguyên không âm, ví dụ 16192; để trống nếu hoạt động không đóng góp.", m.Name, m.Unit))
			tmplError(dv, excelize.DataValidationErrorStyleStop, "Số liệu không hợp lệ",
				fmt.Sprintf("Số liệu phải là số nguyên từ 0 đến %s, không có phần thập phân (ví dụ 16192).", vnfmt.Int(nscl.MaxQuantity)))
		case c.Key == nscl.ColTaskGroup && tw.lists[c.Key] != "":
			dv.SetSqrefDropList(tw.lists[c.Key])
			tmplPrompt(dv, "Nhóm nhiệm vụ", "Chọn trong danh sách, hoặc ghi chữ cái của nhóm: "+strings.Join(letters, ", ")+".")
			tmplError(dv, excelize.DataValidationErrorStyleWarning, "Nhóm nhiệm vụ",
				"Không có trong danh sách. Hãy chọn một nhóm trong danh sách hoặc ghi chữ cái của nhóm ("+strings.Join(letters, ", ")+").")
		case c.Key == nscl.ColKind && tw.lists[c.Key] != "":
			dv.SetSqrefDropList(tw.lists[c.Key])
			tmplPrompt(dv, "Loại hoạt động", "Chọn loại hoạt động trong danh sách.")
			tmplError(dv, excelize.DataValidationErrorStyleWarning, "Loại hoạt động", "Không có trong danh sách loại hoạt động. Hãy chọn trong danh sách.")
		case c.Key == nscl.ColUnit && tw.lists[c.Key] != "":
			dv.SetSqrefDropList(tw.lists[c.Key])
			tmplPrompt(dv, "Đơn vị", "Để trống nghĩa là "+tw.t.Unit.Name+". Hoạt động của đơn vị khác: chọn tên trong danh sách hoặc ghi mã đơn vị.")
			tmplError(dv, excelize.DataValidationErrorStyleWarning, "Đơn vị", "Không có đơn vị này trong danh sách. Hãy chọn trong danh sách hoặc ghi mã đơn vị.")
		default:
			continue
		}
		if err := tw.f.AddDataValidation(ActivitySheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// Excel refuses a file whose validation messages are longer than it lets
// one type: 32 characters for a title, 255 for a prompt, 225 for an error.
func tmplPrompt(dv *excelize.DataValidation, title, msg string) {
	dv.SetInput(tmplClip(title, 32), tmplClip(msg, 255))
}

func tmplError(dv *excelize.DataValidation, style excelize.DataValidationErrorStyle, title, msg string) {
	dv.SetError(style, tmplClip(title, 32), tmplClip(msg, 225))
}

// tmplClip cuts s to at most n UTF-16 code units, as Excel counts, ending in "…" when cut.
func tmplClip(s string, n int) string {
	if len(utf16.Encode([]rune(s))) <= n {
		return s
	}
	var b strings.Builder
	used := 1 // the ellipsis
	for _, r := range s {
		if used += utf16.RuneLen(r); used > n {
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String()) + "…"
}

// tmplWidths sets the widths of a sheet's first columns.
func tmplWidths(f *excelize.File, sheet string, widths []float64) error {
	for i, w := range widths {
		if err := f.SetColWidth(sheet, ColumnName(i), ColumnName(i), w); err != nil {
			return err
		}
	}
	return nil
}

func tmplCell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row) // cannot fail for positive coordinates
	return name
}

// The instructions sheet: paragraphs across its four columns, then a
// table of the activity sheet's columns.
const (
	tmplGuideLetter   = 7
	tmplGuideTitle    = 36
	tmplGuideRequired = 10
	tmplGuideMeaning  = 90
	tmplGuideAll      = tmplGuideLetter + tmplGuideTitle + tmplGuideRequired + tmplGuideMeaning
)

func (tw *tmplWriter) writeInstructions() error {
	f, sheet, t := tw.f, InstructionsSheet, tw.t
	if err := tmplWidths(f, sheet, []float64{tmplGuideLetter, tmplGuideTitle, tmplGuideRequired, tmplGuideMeaning}); err != nil {
		return err
	}
	// Printed on landscape pages, shrunk to the page's width.
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: tmplPtr(9), Orientation: tmplPtr("landscape"),
		FitToWidth: tmplPtr(1), FitToHeight: tmplPtr(0)}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: tmplPtr(true)}); err != nil {
		return err
	}
	row := 0
	para := func(style int, text string) error {
		row++
		if text == "" {
			return nil
		}
		if err := f.SetCellStr(sheet, tmplCell(1, row), text); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, tmplCell(1, row), tmplCell(4, row)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, tmplCell(1, row), tmplCell(4, row), style); err != nil {
			return err
		}
		scale := 1.0
		if style == tw.st.guideTitle {
			scale = 14.0 / 11
		}
		if lines := WrappedLines(text, tmplGuideAll/scale); lines > 1 || scale > 1 {
			return f.SetRowHeight(sheet, row, min(float64(lines)*15*scale+2, excelize.MaxRowHeight))
		}
		return nil
	}

	start, end := tw.period()
	example := tmplExampleDay(start, end)
	deadline := "hạn gửi do đơn vị chủ trì thông báo"
	if !t.Round.Deadline.IsZero() {
		deadline = "hạn gửi: " + tmplDate(t.Round.Deadline)
	}
	var letters, groups, kinds []string
	var defaultKinds []string
	for _, g := range t.Programme.TaskGroups {
		letters = append(letters, g.Letter)
		groups = append(groups, nscl.TaskGroupChoice(g))
		defaultKinds = append(defaultKinds, g.Letter+") "+t.Programme.DefaultKind(g.Letter).Label())
	}
	for _, k := range nscl.ActivityKinds {
		kinds = append(kinds, k.Label())
	}
	var required []string
	for _, c := range tw.cols {
		if c.Required {
			required = append(required, "“"+c.Title+"”")
		}
	}
	unitLine := "Cột “Đơn vị” để trống nghĩa là hoạt động của " + t.Unit.Name + ", đơn vị mà tệp mẫu này được lập cho."
	if names := tw.unitNames(); len(names) > 1 {
		names = names[1:]
		const listed = 10
		others := strings.Join(names[:min(len(names), listed)], "; ")
		if len(names) > listed {
			others += fmt.Sprintf("… và %d đơn vị khác", len(names)-listed)
		}
		unitLine += " Hoạt động của đơn vị trực thuộc: chọn tên đơn vị trong danh sách của ô (" + others + ") hoặc ghi mã đơn vị."
	}

	steps := []string{
		"Hướng dẫn điền mẫu báo cáo hoạt động",
		t.Programme.Name,
		"Đợt báo cáo: " + t.Round.Title + ". Đơn vị: " + t.Unit.Name + " (mã " + t.Unit.Code + ").",
		"Kỳ báo cáo: từ " + tmplDate(start) + " đến " + tmplDate(end) + "; " + deadline + ".",
		"",
		"Cách điền",
		"1. Ghi mỗi hoạt động trên một dòng của trang “" + ActivitySheet + "”, bắt đầu từ dòng " + strconv.Itoa(templateFirstInputRow) +
			", ngay dưới dòng tên cột. Ba dòng đầu (tiêu đề, kỳ báo cáo, tên cột) được khóa để không bị sửa nhầm; không đổi tên, không xóa các cột. Dòng trống được bỏ qua.",
		"2. Các cột có dấu * là bắt buộc: " + strings.Join(required, ", ") + " (riêng cột “Đơn vị” có thể để trống, xem mục 3). Các cột khác để trống khi không có.",
		"3. " + unitLine,
		"4. Ngày thực hiện ghi theo dạng dd/mm/yyyy (ví dụ " + tmplDate(example) + ") và phải nằm trong kỳ báo cáo, từ " + tmplDate(start) + " đến " + tmplDate(end) +
			". Nếu máy tính đặt ngày theo kiểu tháng/ngày/năm, hãy gõ năm-tháng-ngày (ví dụ " + example.Format("2006-01-02") + "): bảng tính vẫn hiểu đúng và hiện lại thành dd/mm/yyyy.",
		"5. Số liệu ghi bằng số nguyên không âm, không có phần thập phân: 16192 hoặc 16.192 (dấu chấm ngăn cách hàng nghìn, như bảng tính hiện). Để trống các cột số liệu mà hoạt động không đóng góp.",
		"6. Nhóm nhiệm vụ: chọn trong danh sách của ô, hoặc chỉ ghi chữ cái của nhóm: " + strings.Join(letters, ", ") + ". Các nhóm: " + strings.Join(groups, "; ") + ".",
		"7. Loại hoạt động: chọn trong danh sách của ô: " + strings.Join(kinds, "; ") + ". Để trống thì lấy loại mặc định của nhóm nhiệm vụ: " + strings.Join(defaultKinds, "; ") + ".",
		"8. “Mã dòng” có thể để trống: hệ thống tự tạo mã từ đơn vị, ngày, nhóm nhiệm vụ, loại và nội dung hoạt động, nên gửi lại cùng một tệp không tạo thêm hoạt động nào, và sửa số liệu của một dòng rồi gửi lại thì hoạt động đó được cập nhật. " +
			"Khi sửa một dòng đã gửi, giữ nguyên mã dòng của nó. Dòng không có mã dòng mà sửa đơn vị, ngày, nhóm, loại hoặc nội dung thì được coi là hoạt động mới (hoạt động cũ vẫn còn): với những dòng có thể phải sửa, hãy tự đặt mã dòng (ví dụ " + tmplRefExample(t.Unit, t.Round) + "). " +
			"Dòng giống một hoạt động đã có của đơn vị (cùng ngày, cùng nhóm nhiệm vụ, và cùng nội dung hoặc cùng số liệu — ví dụ đã nhập trên trang web) thì hệ thống hỏi đó là cùng một hoạt động hay hoạt động khác trước khi ghi, để không tính hai lần.",
		"9. Mã số thuế doanh nghiệp hưởng lợi: 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số cho chi nhánh; nhiều mã cách nhau bằng dấu chấm phẩy.",
		"10. Có thể thêm cột riêng ở bên phải bảng (ví dụ ghi chú). Khi nhập, cột không có trong mẫu mà có dữ liệu thì hệ thống hỏi cột đó ghi chỉ tiêu nào hay bỏ qua, và nhớ lựa chọn cho những lần nhập sau của đơn vị; cột số thứ tự (STT) được bỏ qua.",
		"11. Gửi báo cáo: lưu tệp dạng .xlsx (giữ nguyên các trang của tệp), đăng nhập hệ thống, vào mục “Đợt báo cáo”, mở đợt “" + t.Round.Title +
			"”, ở phần “Nhập từ tệp Excel hoặc CSV” chọn tệp rồi bấm “Tải lên và nhập”. Mọi dòng được kiểm tra trước: nếu có lỗi, hệ thống liệt kê lỗi theo dòng và cột và chưa ghi dòng nào; sửa tệp rồi tải lên lại. Gửi trước hạn: " + tmplDeadline(t.Round.Deadline) + ".",
		"",
		"Các cột của trang “" + ActivitySheet + "”",
	}
	for i, s := range steps {
		style := tw.st.guideText
		switch {
		case i == 0:
			style = tw.st.guideTitle
		case s == "Cách điền" || strings.HasPrefix(s, "Các cột của trang"):
			style = tw.st.guideBold
		}
		if err := para(style, s); err != nil {
			return err
		}
	}

	row++
	if err := f.SetSheetRow(sheet, tmplCell(1, row), &[]any{"Cột", "Tên cột", "Bắt buộc", "Cách ghi"}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, tmplCell(1, row), tmplCell(4, row), tw.st.guideHead); err != nil {
		return err
	}
	for i, c := range tw.cols {
		row++
		req := ""
		if c.Required {
			req = "có"
		}
		meaning := tw.columnMeaning(c, start, end, letters)
		if err := f.SetSheetRow(sheet, tmplCell(1, row), &[]any{ColumnName(i), c.Title, req, meaning}); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, tmplCell(1, row), tmplCell(4, row), tw.st.guideText); err != nil {
			return err
		}
		lines := max(WrappedLines(meaning, tmplGuideMeaning), WrappedLines(c.Title, tmplGuideTitle))
		if lines > 1 {
			if err := f.SetRowHeight(sheet, row, min(float64(lines)*15+2, excelize.MaxRowHeight)); err != nil {
				return err
			}
		}
	}
	return nil
}

func tmplDeadline(d time.Time) string {
	if d.IsZero() {
		return "theo thông báo của đơn vị chủ trì"
	}
	return tmplDate(d)
}

// tmplRefExample is a row key a unit might choose: its code, the round
// and a number, so that keys of two rounds never meet (a key is the
// programme's, whatever round brings it).
func tmplRefExample(u nscl.OrgUnit, round nscl.Round) string {
	code := u.Code
	if code == "" {
		code = "DV"
	}
	return fmt.Sprintf("%s-D%d-001", code, round.ID)
}

// columnMeaning says what a column holds and how to write it.
func (tw *tmplWriter) columnMeaning(c nscl.SheetColumn, start, end time.Time, letters []string) string {
	switch c.Key {
	case nscl.ColRef:
		return "Mã do đơn vị tự đặt để nhận ra hoạt động khi gửi lại tệp. Có thể để trống (hệ thống tự tạo mã); khi sửa một dòng đã gửi, giữ nguyên mã của dòng. Tối đa 200 ký tự."
	case nscl.ColUnit:
		return "Đơn vị thực hiện hoạt động. Để trống nghĩa là " + tw.t.Unit.Name + "; hoặc chọn tên đơn vị trong danh sách, hoặc ghi mã đơn vị."
	case nscl.ColDate:
		return "Ngày thực hiện hoạt động, dạng dd/mm/yyyy, trong kỳ báo cáo từ " + tmplDate(start) + " đến " + tmplDate(end) + "."
	case nscl.ColTaskGroup:
		return "Nhóm nhiệm vụ của Chương trình mà hoạt động thuộc về: chọn trong danh sách hoặc ghi chữ cái " + strings.Join(letters, ", ") + "."
	case nscl.ColKind:
		return "Loại hoạt động: chọn trong danh sách; để trống thì lấy loại mặc định của nhóm nhiệm vụ."
	case nscl.ColDescription:
		return "Nội dung hoạt động (tên hội thảo, lớp tập huấn, đối tượng, địa điểm, văn bản liên quan…); tối đa " + strconv.Itoa(nscl.MaxDescription) + " ký tự."
	case nscl.ColBeneficiaries:
		return "Mã số thuế của các doanh nghiệp được hưởng lợi: 10 chữ số (chi nhánh: 10 chữ số, dấu gạch ngang, 3 chữ số), cách nhau bằng dấu chấm phẩy. Để trống khi không có."
	case nscl.ColSource:
		return "Nguồn của số liệu (văn bản, báo cáo) hoặc ghi chú; tối đa 500 ký tự. Để trống thì hệ thống ghi tên tệp và số dòng."
	}
	m, _ := tw.t.Programme.Metric(c.Metric)
	what := "Số liệu"
	if m.Kind == nscl.Indicator {
		what = "Chỉ tiêu"
	}
	s := what + " “" + m.Name + "”, đơn vị tính: " + m.Unit
	if g, ok := tw.t.Programme.TaskGroup(m.TaskGroup); ok {
		s += " (nhóm nhiệm vụ " + g.Letter + ")"
	}
	s += ". Số nguyên không âm; để trống nếu hoạt động không đóng góp."
	switch m.Rule {
	case nscl.RuleDistinct:
		s += " Kết quả của chỉ tiêu đếm số doanh nghiệp khác nhau: ghi mã số thuế của các doanh nghiệp ở cột “Mã số thuế doanh nghiệp hưởng lợi”."
	case nscl.RuleLast:
		s += " Ghi số lũy kế đến ngày thực hiện: hệ thống lấy số mới nhất của mỗi đơn vị, không cộng dồn."
	}
	return s
}
