// Package importer brings a unit's spreadsheet of activities into the
// store, all or nothing: every row is checked first, and either every
// mistake is listed with its sheet, row and column and nothing is written,
// or all rows are written in one transaction.
package importer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"nscl"
	"nscl/sheet"
	"nscl/store"
)

// MaxProblems bounds the mistakes listed: past it the file is plainly not
// what was meant, and the list says there are more.
const MaxProblems = 500

// headerSearch is how many rows from the top may hold the heading row
// (titles and notes above it are skipped).
const headerSearch = 20

// Request is one import.
type Request struct {
	Programme *nscl.Programme
	Path      string // an .xlsx or .csv file
	Name      string // the file's name as the user knows it, for the activities' source; default the path's base
	// RoundID bounds the dates to the round's period; 0 takes the round
	// from a template's hidden sheet, or none.
	RoundID int64
	// User is who imports, for the units they may write and the audit
	// log; nil for the command line, which acts as focal staff.
	User *nscl.User
	// Progress, when set, hears how far each pass has come: total is 0
	// while the first pass counts the rows.
	Progress func(pass string, done, total int)
}

// Problem is one mistake in the file.
type Problem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
	English string `json:"message_en"`
}

func (p Problem) String() string {
	where := fmt.Sprintf("trang %q, dòng %d", p.Sheet, p.Row)
	if p.Column != "" {
		where += ", cột " + p.Column
	}
	return where + ": " + p.Message + " (" + p.English + ")"
}

// Result says what an import did, or what is wrong with the file.
type Result struct {
	Rows                        int       `json:"rows"`
	Created, Updated, Unchanged int       `json:"-"`
	Problems                    []Problem `json:"problems"`
	MoreProblems                bool      `json:"more_problems"` // past MaxProblems
	// Ignored are the headed columns the sheet does not know ("F (STT)"):
	// passed over, and said, so that a figure under a misspelt heading is
	// not lost unseen.
	Ignored []string `json:"ignored_columns"`
}

// Import checks every row of the file and, when all are right, writes
// them in one transaction. Problems in the file come back in the Result
// with nothing written; an error is returned for a file that cannot be
// read at all (EINVALID) or a failing store.
func Import(ctx context.Context, st *store.Store, req Request) (Result, error) {
	if req.Name == "" {
		req.Name = filepath.Base(req.Path)
	}
	req.Name = shortened(req.Name, maxNameInSource)
	r, err := sheet.OpenAs(req.Path, req.Name)
	if err != nil {
		return Result{}, err
	}
	rules, err := rulesFor(ctx, st, &req, r.Meta())
	rules.Date1904 = r.Date1904()
	if err != nil {
		r.Close()
		return Result{}, err
	}
	byRef, closeLookup, err := st.RefLookup(ctx, req.Programme)
	if err != nil {
		r.Close()
		return Result{}, err
	}
	look := &storedRows{byRef: byRef, byID: func(id int64) (nscl.Activity, error) { return st.Activity(ctx, id) }}
	res, err := pass(ctx, r, req, rules, 0, look, nil)
	closeLookup() // the checking pass reads the file opened for its template's record
	r.Close()
	if err != nil || len(res.Problems) > 0 {
		return res, err
	}
	if req.User != nil {
		ctx = store.WithActor(ctx, req.User.ID)
	}
	var written Result
	err = st.Update(ctx, func(tx *store.Tx) error {
		var counts [3]int // by store.ImportOutcome; the transaction may be retried
		tx.Batch()
		r, err := sheet.Reopen(req.Path, req.Name)
		if err != nil {
			return err
		}
		defer r.Close()
		written, err = pass(ctx, r, req, rules, res.Rows, nil, func(a *nscl.Activity, keep func(nscl.Activity, *nscl.Activity)) error {
			outcome, err := tx.ImportRow(ctx, req.Programme, a, keep)
			if err == nil {
				counts[outcome]++
			}
			return err
		})
		written.Created, written.Updated, written.Unchanged = counts[store.Created], counts[store.Updated], counts[store.Unchanged]
		if err == nil && len(written.Problems) > 0 {
			return errRowsRefused // roll back: the file changed since it was checked
		}
		if err == nil && written.Rows != res.Rows {
			return nscl.Invalid("file", "tệp đã thay đổi trong khi nhập (%d dòng khi kiểm tra, %d dòng khi ghi); chưa ghi dòng nào — hãy nhập lại",
				"the file changed during the import (%d rows checked, %d rows read to write); nothing was written — import it again", res.Rows, written.Rows)
		}
		if err != nil {
			return err
		}
		return tx.Flush(ctx)
	})
	if errors.Is(err, errRowsRefused) {
		return Result{Rows: written.Rows, Problems: written.Problems}, nil
	}
	return written, err
}

// errRowsRefused rolls the writing pass back: a row the store refused, or
// found wrong, is in the Result's problems.
var errRowsRefused = errors.New("importer: the store refused rows")

// writeFunc writes one parsed row; keep fills it in from the activity it
// updates (store.Tx.ImportRow).
type writeFunc func(a *nscl.Activity, keep func(stored nscl.Activity, a *nscl.Activity)) error

// storedRows finds, for the checking pass, what a file's rows would update.
type storedRows struct {
	byRef func(ref string) (nscl.Activity, bool, error) // its ID, unit and date
	byID  func(id int64) (nscl.Activity, error)         // whole, with quantities and beneficiaries
}

// pass reads a file just opened from the top: finds the heading row, then parses
// every row after it. With write nil it only checks, also that a row key
// the sheet gives may update the activity that owner finds with it;
// otherwise it hands each parsed row to write and stops at the first the
// store refuses, as a Problem of that row. total is the rows the check
// pass counted, for the write pass's progress.
func pass(ctx context.Context, r sheet.Reader, req Request, rules nscl.RowRules, total int, look *storedRows, write writeFunc) (Result, error) {
	var res Result
	add := func(p Problem) {
		if len(res.Problems) == MaxProblems {
			res.MoreProblems = true
			return
		}
		res.Problems = append(res.Problems, p)
	}
	header, headerRow, err := findHeader(r, rules.Programme)
	if err != nil {
		return res, err
	}
	if missing := header.Missing(); len(missing) > 0 {
		for _, title := range missing {
			add(Problem{Sheet: headerRow.Sheet, Row: headerRow.Number, Column: title, Message: "thiếu cột bắt buộc “" + title + "”", English: "the required column “" + title + "” is missing"})
		}
		return res, nil
	}
	for _, i := range slices.Sorted(maps.Keys(header.Ignored)) {
		res.Ignored = append(res.Ignored, sheet.ColumnName(i)+" ("+header.Ignored[i]+")")
	}
	rd := rowReader{r: r, req: req, header: header, parser: nscl.NewRowParser(rules, header), locked: rules.Locked, look: look, add: add, total: total, pass: passName(write)}
	if write == nil {
		err = rd.each(ctx, func(parsedRow) error { return nil })
	} else {
		err = writeRows(ctx, &rd, write, add)
	}
	res.Rows = rd.rows
	if err != nil {
		return res, err
	}
	if res.Rows == 0 && len(res.Problems) == 0 {
		add(Problem{Sheet: headerRow.Sheet, Row: headerRow.Number, Message: "tệp không có dòng hoạt động nào dưới dòng tiêu đề", English: "the file has no activity rows under its heading row"})
	}
	if req.Progress != nil {
		req.Progress(rd.pass, res.Rows, res.Rows)
	}
	return res, nil
}

// parsedRow is a row ready to write.
type parsedRow struct {
	sheet         string
	number        int
	a             nscl.Activity
	defaultSource bool // its source only says where the row was
}

// rowReader reads and checks the rows under a sheet's heading.
type rowReader struct {
	r      sheet.Reader
	req    Request
	header nscl.SheetHeader
	parser *nscl.RowParser
	locked func(unitID int64, day time.Time) error
	look   *storedRows // nil in the writing pass
	add    func(Problem)
	total  int
	pass   string
	rows   int // non-blank rows read
}

// each parses every row after the heading, notes the problems of the bad
// ones, and hands the good ones to emit, stopping at its first error.
func (rd *rowReader) each(ctx context.Context, emit func(parsedRow) error) error {
	header, req := rd.header, rd.req
	keys := map[[8]byte]int{} // row keys seen, to refuse a key given twice
	for rd.r.Next() {
		row := rd.r.Row()
		if row.Blank() {
			continue
		}
		rd.rows++
		if req.Progress != nil && rd.rows%1000 == 0 {
			req.Progress(rd.pass, rd.rows, rd.total)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		problem := func(column, vi, en string) {
			rd.add(Problem{Sheet: row.Sheet, Row: row.Number, Column: columnName(header, column), Message: vi, English: en})
		}
		a, errs := rd.parser.Parse(row.Cells)
		for _, e := range errs {
			problem(e.Column, e.Message, e.English)
		}
		if len(errs) > 0 {
			continue
		}
		if first, seen := keys[keyOf(a.Ref)]; seen {
			problem(header.Title(nscl.ColRef),
				fmt.Sprintf("hoạt động trùng với dòng %d (cùng mã dòng, hoặc cùng đơn vị, ngày, nhóm, loại và nội dung)", first),
				fmt.Sprintf("the same activity as row %d (same row key, or same unit, date, group, kind and description)", first))
			continue
		}
		keys[keyOf(a.Ref)] = row.Number
		var stored nscl.Activity
		found := false
		looked := rd.look != nil && keyGiven(header, row)
		if looked {
			var err error
			if stored, found, err = rd.look.byRef(a.Ref); err != nil {
				return err
			}
			if found {
				if e := rd.parser.CheckKeyOwner(a, stored); e != nil {
					problem(e.Column, e.Message, e.English)
					continue
				}
			}
		}
		defaultSource := a.Source == ""
		if defaultSource {
			a.Source = fmt.Sprintf("Tệp %s, trang %s, dòng %d", req.Name, row.Sheet, row.Number)
		}
		if rd.look != nil && rd.locked != nil {
			if locked, err := rd.lockRefusal(a, stored, found, looked, defaultSource); locked != nil || err != nil {
				if err != nil {
					return err
				}
				e := locked.(*nscl.Error)
				problem(header.Title(nscl.ColUnit), e.Message, e.English)
				continue
			}
		}
		if err := emit(parsedRow{sheet: row.Sheet, number: row.Number, a: a, defaultSource: defaultSource}); err != nil {
			return err
		}
	}
	return rd.r.Err()
}

// lockRefusal is why a checked row may not be written into a period a
// submission locks — its own, or that of the activity it updates — or nil
// (looked says the row's key was already looked up, found or not):
// a row that changes nothing there is no write, so a file exported and
// imported again passes. err is a failing store.
func (rd *rowReader) lockRefusal(a, stored nscl.Activity, found, looked, defaultSource bool) (locked, err error) {
	locked = rd.locked(a.UnitID, a.Date)
	if !found {
		if locked == nil || looked {
			return locked, nil // a new activity: none has its key
		}
		if stored, found, err = rd.look.byRef(a.Ref); err != nil || !found {
			return locked, err
		}
	}
	if locked == nil {
		locked = rd.locked(stored.UnitID, stored.Date)
	}
	if locked == nil {
		return nil, nil
	}
	full, err := rd.look.byID(stored.ID)
	if err != nil {
		return nil, err
	}
	rd.header.KeepAbsent(full, &a)
	if defaultSource {
		a.Source = full.Source
	}
	if nscl.SameActivity(full, a) {
		return nil, nil
	}
	return locked, nil
}

// writeRows writes the rows rd reads; the first row the store refuses
// becomes a Problem and stops the pass. (Reading ahead on a second
// goroutine while the store wrote was measured on an idle machine and
// gained nothing: SQLite and the garbage collector already keep both cores
// busy.)
func writeRows(ctx context.Context, rd *rowReader, write writeFunc, add func(Problem)) error {
	return rd.each(ctx, func(p parsedRow) error {
		keep := func(stored nscl.Activity, a *nscl.Activity) {
			rd.header.KeepAbsent(stored, a)
			if p.defaultSource {
				a.Source = stored.Source // where the row was is no change to the activity
			}
		}
		err := write(&p.a, keep)
		var e *nscl.Error
		if errors.As(err, &e) {
			add(Problem{Sheet: p.sheet, Row: p.number, Column: columnName(rd.header, rd.header.Title(nscl.ColumnOf(e.Field))), Message: e.Message, English: e.English})
			return errRowsRefused
		}
		return err
	})
}

// keyGiven reports whether the row's sheet gives its row key (the parser
// derives one otherwise, which names only the same unit's same activity).
func keyGiven(h nscl.SheetHeader, row sheet.Row) bool {
	i, ok := h.Pos[nscl.ColRef]
	return ok && i < len(row.Cells) && strings.TrimSpace(row.Cells[i]) != ""
}

// maxNameInSource bounds the file name in an activity's default source
// ("Tệp …, trang …, dòng …"), which must fit the source's limit.
const maxNameInSource = 120

// shortened cuts text to at most n characters, marking the cut with "…".
func shortened(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n-1]) + "…"
}

func passName(write writeFunc) string {
	if write == nil {
		return "kiểm tra"
	}
	return "ghi"
}

// keyOf is a short digest of a row key: enough to tell keys apart, small
// enough that a million rows take a few tens of megabytes.
func keyOf(ref string) [8]byte {
	var k [8]byte
	h := uint64(14695981039346656037)
	for i := 0; i < len(ref); i++ {
		h = (h ^ uint64(ref[i])) * 1099511628211
	}
	for i := range k {
		k[i] = byte(h >> (8 * i))
	}
	return k
}

// unitsUnder is the unit and every unit under it, however deep.
func unitsUnder(units []nscl.OrgUnit, id int64) map[int64]bool {
	under := map[int64]bool{id: true}
	for changed := true; changed; {
		changed = false
		for _, u := range units {
			if !under[u.ID] && under[u.ParentID] {
				under[u.ID], changed = true, true
			}
		}
	}
	return under
}

// findHeader takes the row among the first ones that names the most of
// the sheet's columns as the heading row.
func findHeader(r sheet.Reader, prog *nscl.Programme) (nscl.SheetHeader, sheet.Row, error) {
	cols := nscl.ActivityColumns(prog)
	var best nscl.SheetHeader
	var bestRow sheet.Row
	for i := 0; i < headerSearch && r.Next(); i++ {
		row := r.Row()
		h := nscl.MatchHeader(cols, prog, row.Cells)
		if len(h.Pos) > len(best.Pos) {
			best, bestRow = h, row
		}
		if len(h.Pos) > 0 && len(h.Missing()) == 0 {
			return h, row, nil
		}
	}
	if err := r.Err(); err != nil {
		return best, bestRow, err
	}
	if len(best.Pos) < 2 {
		return best, bestRow, nscl.Invalid("file", "không tìm thấy dòng tiêu đề của bảng hoạt động trong %d dòng đầu (cần các cột như “Đơn vị”, “Ngày thực hiện”, “Nhóm nhiệm vụ”…)",
			"no heading row of an activity table in the first %d rows (columns such as “Đơn vị”, “Ngày thực hiện”, “Nhóm nhiệm vụ”…)", headerSearch)
	}
	return best, bestRow, nil
}

// columnName is a column's letter and title: "C (Ngày thực hiện)".
func columnName(h nscl.SheetHeader, title string) string {
	for _, c := range h.Columns {
		if c.Title == title {
			if i, ok := h.Pos[c.Key]; ok {
				return sheet.ColumnName(i) + " (" + title + ")"
			}
		}
	}
	return title
}

// rulesFor gathers what rows are checked against: the units by code and
// name, the units the user may write, and the round's period.
func rulesFor(ctx context.Context, st *store.Store, req *Request, meta map[string]string) (nscl.RowRules, error) {
	units, err := st.Units(ctx)
	if err != nil {
		return nscl.RowRules{}, err
	}
	locks, err := st.PeriodLocks(ctx, req.Programme)
	if err != nil {
		return nscl.RowRules{}, err
	}
	actor := nscl.User{Role: nscl.RoleFocal} // the command line acts as focal staff, as the store takes it
	if req.User != nil {
		actor = *req.User
	}
	// Units by name, then by code (codes are unique and win); of two units
	// with one name (a district closed and opened again), the open one.
	byText := map[string]nscl.OrgUnit{}
	for _, u := range units {
		if old, taken := byText[nscl.SearchKey(u.Name)]; !taken || !old.ClosedOn.IsZero() && u.ClosedOn.IsZero() {
			byText[nscl.SearchKey(u.Name)] = u
		}
	}
	for _, u := range units {
		byText[nscl.SearchKey(u.Code)] = u
	}
	rules := nscl.RowRules{
		Programme: req.Programme,
		Unit: func(text string) (nscl.OrgUnit, bool) {
			u, ok := byText[nscl.SearchKey(text)]
			return u, ok
		},
		MayWrite: func(unitID int64, day time.Time) error {
			return actor.WriteRefusal(unitID, day, nil)
		},
		Locked: func(unitID int64, day time.Time) error {
			if sub := nscl.LockOn(locks, actor, unitID, day); sub != nil {
				return sub.LockError()
			}
			return nil
		},
	}
	// A template says what it was made for.
	if v := meta[sheet.MetaTemplateVersion]; v != "" && v != sheet.TemplateVersion {
		return rules, nscl.Invalid("file", "tệp mẫu đã cũ (phiên bản %s); hãy tải mẫu mới trên trang đợt báo cáo", "the template is outdated (version %s); download a new one from the round's page", v)
	}
	if code := meta[sheet.MetaProgramme]; code != "" && code != req.Programme.Code {
		return rules, nscl.Invalid("file", "tệp mẫu này của chương trình %s, không phải %s", "this template is for programme %s, not %s", code, req.Programme.Code)
	}
	if text := meta[sheet.MetaRound]; text != "" {
		id, _ := strconv.ParseInt(text, 10, 64)
		if req.RoundID != 0 && id != req.RoundID {
			return rules, nscl.Invalid("file", "tệp mẫu này của đợt báo cáo số %d, không phải đợt %d", "this template is for reporting round %d, not %d", id, req.RoundID)
		}
		req.RoundID = id
	}
	if code := meta[sheet.MetaUnit]; code != "" {
		u, ok := byText[nscl.SearchKey(code)]
		if !ok {
			return rules, nscl.Invalid("file", "tệp mẫu ghi đơn vị %q, không có trong hệ thống", "the template names unit %q, which is not in the system", code)
		}
		rules.DefaultUnit = &u
		scope := unitsUnder(units, u.ID)
		rules.InScope = func(id int64) bool { return scope[id] }
	}
	if req.RoundID != 0 {
		round, _, err := st.Round(ctx, req.RoundID)
		if err != nil {
			return rules, err
		}
		rules.PeriodStart, rules.PeriodEnd = round.PeriodStart, round.PeriodEnd
	}
	return rules, nil
}
