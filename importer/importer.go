// Package importer brings a unit's spreadsheet of activities into the
// store, all or nothing: every row is checked first, and either every
// mistake is listed with its sheet, row and column and nothing is written,
// or all rows are written in one transaction.
package importer

import (
	"cmp"
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
	"nscl/vnfmt"
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
	// Progress, when set, hears how far each pass has come. The check
	// pass's total is about the rows under the heading, as the reader
	// tells it (found when a workbook was opened, estimated from the
	// share read of a .csv file; blank rows included), 0 when not known; the write pass's is the
	// rows the check pass read.
	Progress func(pass string, done, total int)
	// Columns decides headings the template does not know, by the heading
	// as the file writes it (compared as nscl.HeadingKey folds it): the
	// code of the metric its column holds, or "" to pass over it. Once the
	// import is written, what it decided is remembered for the file's unit
	// (the template's, else that of its first row), whose next imports
	// then need not say it again.
	Columns map[string]string
	// SameAsExisting says what a row is that looks like an activity
	// already stored (nscl.LooksAlike): LinkAll writes it onto that
	// activity, NewAll as another; "" refuses such rows, each named with
	// the activity it looks like, unless Same decides it.
	SameAsExisting string
	// Same decides single rows, by their number: the ID of the stored
	// activity the row is, or 0 for another activity.
	Same map[int]int64
	// Confirm hears, after a check pass without problems, the rows that
	// carry no figure, and says whether to write; nil writes.
	Confirm func(warnings []Problem) bool
}

// What a row that looks like a stored activity is (Request.SameAsExisting).
const (
	LinkAll = "link" // the same activity: the row updates it
	NewAll  = "new"  // another activity: the row is written as a new one
)

// Problem is one mistake in the file.
type Problem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
	English string `json:"message_en"`
	// Decide says the file is right but someone must choose:
	// DecideColumn what a column holds (Request.Columns), DecideSame
	// whether a row is an activity already stored (Request.Same).
	Decide string `json:"decide,omitempty"`
}

// Choices a Problem may wait for.
const (
	DecideColumn = "column"
	DecideSame   = "same"
)

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
	Linked                      int       `json:"-"` // of Updated and Unchanged, rows written onto a look-alike
	Problems                    []Problem `json:"problems"`
	MoreProblems                bool      `json:"more_problems"` // past MaxProblems
	// Ignored are the headed columns the sheet does not know that were not
	// read ("F (STT)"): passed over as someone said, or empty.
	Ignored []string `json:"ignored_columns"`
	// Read are the columns under headings of the unit's own read as a
	// metric's, as the request or the unit's earlier imports said.
	Read []ColumnRead `json:"read_columns"`
	// Unmapped are the columns the sheet does not know that hold values
	// nobody has said what they are: each is also a Problem, and the file
	// waits for Request.Columns.
	Unmapped []Unmapped `json:"unmapped_columns"`
	// LookAlikes are rows that look like stored activities, undecided:
	// each is also a Problem, and waits for Request.Same or SameAsExisting.
	// The first MaxLookAlikes are listed; MoreLookAlikes counts the rest.
	LookAlikes     []LookAlike `json:"look_alikes"`
	MoreLookAlikes int         `json:"more_look_alikes"`
	// Warnings are rows that carry no figure: a new activity that counts
	// for nothing, or an update that clears the figures an activity had.
	Warnings []Problem `json:"warnings"`
	// Held: the file was checked and is right, but Confirm did not want
	// it written; nothing was.
	Held bool `json:"held"`
}

// MaxLookAlikes bounds the look-alike rows listed one by one.
const MaxLookAlikes = 100

// ColumnRead is a column of the unit's own heading read as a metric.
type ColumnRead struct {
	Column     string `json:"column"` // "J (Số DN tập huấn)"
	Heading    string `json:"heading"`
	Metric     string `json:"metric"`
	Remembered bool   `json:"remembered"` // as the unit's earlier imports said
}

// Unmapped is a column the sheet does not know, with values under it.
type Unmapped struct {
	Column   string `json:"column"` // "J (Số DN tập huấn)"
	Heading  string `json:"heading"`
	FirstRow int    `json:"first_row"`
	Rows     int    `json:"rows"` // rows with a value in it
	// Candidates are the metrics it could be, most likely first.
	Candidates []nscl.Metric `json:"candidates"`
}

// LookAlike is a row that looks like activities already stored.
type LookAlike struct {
	Sheet    string          `json:"sheet"`
	Row      int             `json:"row"`
	Activity nscl.Activity   `json:"activity"` // as the row reads
	Existing []nscl.Activity `json:"existing"` // oldest first
}

// Import checks every row of the file and, when all are right, writes
// them in one transaction. Problems in the file come back in the Result
// with nothing written; an error is returned for a file that cannot be
// read at all (EINVALID), for a choice in Columns that cannot be
// (EINVALID), or for a failing store.
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
	look, closeLook, err := lookIn(ctx, st, req.Programme)
	if err != nil {
		r.Close()
		return Result{}, err
	}
	var p plan
	res, err := pass(ctx, r, req, rules, 0, look, &p, nil)
	closeLook() // the checking pass reads the file opened for its template's record
	r.Close()
	if err != nil || len(res.Problems) > 0 {
		return res, err
	}
	if len(res.Warnings) > 0 && req.Confirm != nil && !req.Confirm(res.Warnings) {
		res.Held = true
		return res, nil
	}
	if req.User != nil {
		ctx = store.WithActor(ctx, req.User.ID)
	}
	var written Result
	err = st.Update(ctx, func(tx *store.Tx) error {
		var counts [3]int // by store.ImportOutcome; the transaction may be retried
		linked := 0
		tx.Batch()
		p.known = func(acts []nscl.Activity) error { return tx.LookAhead(ctx, req.Programme, acts) }
		r, err := sheet.Reopen(req.Path, req.Name)
		if err != nil {
			return err
		}
		defer r.Close()
		written, err = pass(ctx, r, req, rules, res.Rows, nil, &p, func(a *nscl.Activity, link int64, keep func(nscl.Activity, *nscl.Activity)) error {
			var outcome store.ImportOutcome
			var err error
			if link != 0 {
				outcome, err = tx.LinkRow(ctx, req.Programme, a, link, keep)
				linked++
			} else {
				outcome, err = tx.ImportRow(ctx, req.Programme, a, keep)
			}
			if err == nil {
				counts[outcome]++
			}
			return err
		})
		written.Created, written.Updated, written.Unchanged = counts[store.Created], counts[store.Updated], counts[store.Unchanged]
		written.Linked = linked
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
		if p.fileUnit != 0 && len(p.remember) > 0 {
			if err := tx.RememberColumns(ctx, req.Programme, p.fileUnit, p.remember); err != nil {
				return err
			}
		}
		return tx.Flush(ctx)
	})
	if errors.Is(err, errRowsRefused) {
		return Result{Rows: written.Rows, Problems: written.Problems}, nil
	}
	written.Ignored, written.Read, written.Warnings = res.Ignored, res.Read, res.Warnings
	return written, err
}

// errRowsRefused rolls the writing pass back: a row the store refused, or
// found wrong, is in the Result's problems.
var errRowsRefused = errors.New("importer: the store refused rows")

// writeFunc writes one parsed row: onto the stored activity link when not
// 0, else by its row key; keep fills it in from the activity it updates
// (store.Tx.ImportRow).
type writeFunc func(a *nscl.Activity, link int64, keep func(stored nscl.Activity, a *nscl.Activity)) error

// storedRows finds, for the checking pass, what a file's rows would update.
type storedRows struct {
	prefetch  func(acts []nscl.Activity) error                                         // looks up the keys of the rows read ahead, for byRef
	byRef     func(ref string) (nscl.Activity, bool, error)                            // its ID, unit and date
	byID      func(id int64) (nscl.Activity, error)                                    // whole, with quantities and beneficiaries
	sameDay   func(unitID int64, day time.Time, group string) ([]nscl.Activity, error) // whole
	choicesOf func(unitID int64) (map[string]nscl.ColumnChoice, error)                 // what the unit's sheets hold under their own headings
}

// lookIn prepares the checking pass's look-ups in the store; close frees them.
func lookIn(ctx context.Context, st *store.Store, prog *nscl.Programme) (look *storedRows, close func(), err error) {
	byRef, closeRefs, err := st.RefLookup(ctx, prog)
	if err != nil {
		return nil, nil, err
	}
	sameDay, daysAhead, closeSameDay, err := st.SameDayLookup(ctx, prog)
	if err != nil {
		closeRefs()
		return nil, nil, err
	}
	// The keys of the rows read ahead, and their units' busy days, looked
	// up together: each row's look-up on its own was a round trip on
	// PostgreSQL.
	var ahead map[string]*nscl.Activity // nil: no activity holds the key
	prefetch := func(acts []nscl.Activity) error {
		if err := daysAhead(acts); err != nil {
			return err
		}
		refs := make([]string, len(acts))
		for i, a := range acts {
			refs[i] = a.Ref
		}
		owners, err := st.RefOwners(ctx, prog, refs)
		if err != nil {
			return err
		}
		ahead = make(map[string]*nscl.Activity, len(refs))
		for _, ref := range refs {
			ref = nscl.NormalizeText(ref)
			if owner, ok := owners[ref]; ok {
				ahead[ref] = &owner
			} else {
				ahead[ref] = nil
			}
		}
		return nil
	}
	byRefAhead := func(ref string) (nscl.Activity, bool, error) {
		if owner, ok := ahead[nscl.NormalizeText(ref)]; ok {
			if owner == nil {
				return nscl.Activity{}, false, nil
			}
			return *owner, true, nil
		}
		return byRef(ref)
	}
	look = &storedRows{prefetch: prefetch, byRef: byRefAhead, sameDay: sameDay,
		byID:      func(id int64) (nscl.Activity, error) { return st.Activity(ctx, id) },
		choicesOf: func(unitID int64) (map[string]nscl.ColumnChoice, error) { return st.ColumnChoices(ctx, prog, unitID) }}
	return look, func() { closeRefs(); closeSameDay() }, nil
}

// plan is what the checking pass settles for the writing pass.
type plan struct {
	header   nscl.SheetHeader    // with the unit's own headings resolved
	fileUnit int64               // whose choices of columns the file follows; 0 for none
	remember []nscl.ColumnChoice // the request's choices for the file's columns, to keep for fileUnit
	links    map[int]int64       // row number → the stored activity it is written onto
	// known, in the writing pass, tells the store the rows read ahead
	// before they are written (store.Tx.LookAhead).
	known func(acts []nscl.Activity) error
}

// pass reads a file just opened from the top: finds the heading row, then
// parses every row after it. With write nil it checks — also that a row
// key the sheet gives may update the activity that owner finds with it,
// and whether a row looks like a stored activity — and settles p for the
// writing pass; otherwise it hands each parsed row to write, as p says,
// and stops at the first the store refuses, as a Problem of that row.
// total is the rows the check pass counted, for the write pass's progress.
func pass(ctx context.Context, r sheet.Reader, req Request, rules nscl.RowRules, total int, look *storedRows, p *plan, write writeFunc) (Result, error) {
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
	rd := rowReader{r: r, req: req, header: header, rules: rules, locked: rules.Locked, look: look, plan: p, res: &res, add: add, total: total, above: headerRow.Number, pass: passName(write)}
	rd.prefetch = p.known
	if look != nil {
		rd.prefetch = look.prefetch
	}
	if write == nil {
		p.links = map[int]int64{}
		rd.unknown, rd.linkedTo = map[string]*unknownUse{}, map[int64]int{}
		err = rd.each(ctx, func(parsedRow) error { return nil })
	} else {
		rd.header, rd.parser = p.header, nscl.NewRowParser(rules, p.header)
		err = writeRows(ctx, &rd, write, add)
	}
	res.Rows = rd.rows
	if err != nil {
		return res, err
	}
	if write == nil {
		rd.settleColumns(headerRow)
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
	rules  nscl.RowRules
	header nscl.SheetHeader // resolved once the first row says whose file it is
	parser *nscl.RowParser
	locked func(unitID int64, day time.Time) error
	look   *storedRows // nil in the writing pass
	plan   *plan
	res    *Result
	add    func(Problem)
	total  int // the rows to read, when known before: the write pass's
	above  int // the heading's row, under which the pass reads
	pass   string
	rows   int // non-blank rows read
	// The checking pass's own: the undecided columns that hold values, by
	// heading, and the row written onto each stored activity.
	unknown  map[string]*unknownUse
	linkedTo map[int64]int
	keys     map[[8]byte]int // row keys seen, by digest, with the row that gave each
	// prefetch, when set, is given the good rows read ahead (readAhead)
	// before they are handled, to look up their keys together.
	prefetch func(acts []nscl.Activity) error
}

// expected is about how many rows the pass reads in all, at least those
// read so far; 0 when not known.
func (rd *rowReader) expected() int {
	if rd.total > 0 {
		return rd.total
	}
	last := rd.r.LastRowAbout()
	if last == 0 {
		return 0
	}
	return max(last-rd.above, rd.rows)
}

// unknownUse is where an undecided column holds values.
type unknownUse struct{ first, rows int }

// each parses every row after the heading, notes the problems of the bad
// ones, and hands the good ones to emit, stopping at its first error. It
// reads a few hundred rows ahead, so that the row keys they give are
// looked up together (prefetch).
func (rd *rowReader) each(ctx context.Context, emit func(parsedRow) error) error {
	rd.keys = map[[8]byte]int{} // row keys seen, to refuse a key given twice
	for {
		window, err := rd.readAhead(ctx)
		if err != nil || len(window) == 0 {
			return cmp.Or(err, rd.r.Err())
		}
		if rd.prefetch != nil {
			var good []nscl.Activity
			for _, w := range window {
				if len(w.errs) == 0 {
					good = append(good, w.a)
				}
			}
			if err := rd.prefetch(good); err != nil {
				return err
			}
		}
		for _, w := range window {
			if err := rd.handle(w, emit); err != nil {
				return err
			}
		}
	}
}

// readRow is a row read ahead, parsed.
type readRow struct {
	row  sheet.Row
	a    nscl.Activity
	errs []nscl.CellError
}

// rowsAhead is how many rows each reads ahead: a statement's worth of
// keys; bytesAhead bounds the text of their cells, which a file's long rows
// could make large (a .csv row may hold 2 MiB).
const (
	rowsAhead  = 400
	bytesAhead = 4 << 20
)

// readAhead reads and parses the next rows, up to rowsAhead of them that
// are not blank and bytesAhead of their cells' text; none at the end.
func (rd *rowReader) readAhead(ctx context.Context) ([]readRow, error) {
	var window []readRow
	size := 0
	for len(window) < rowsAhead && size < bytesAhead && rd.r.Next() {
		row := rd.r.Row()
		if row.Blank() {
			continue
		}
		for _, c := range row.Cells {
			size += len(c)
		}
		rd.rows++
		if rd.req.Progress != nil && rd.rows%1000 == 0 {
			rd.req.Progress(rd.pass, rd.rows, rd.expected())
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if rd.parser == nil { // the checking pass's first row; the writing pass follows its plan
			if err := rd.resolveColumns(row); err != nil {
				return nil, err
			}
		}
		a, errs := rd.parser.Parse(row.Cells)
		window = append(window, readRow{row, a, errs})
	}
	return window, nil
}

// handle checks a row read ahead and hands it to emit when it is good.
func (rd *rowReader) handle(w readRow, emit func(parsedRow) error) error {
	req, keys, row, a, errs := rd.req, rd.keys, w.row, w.a, w.errs
	header := rd.header
	problem := func(column, vi, en string) {
		rd.add(Problem{Sheet: row.Sheet, Row: row.Number, Column: columnName(header, column), Message: vi, English: en})
	}
	for _, e := range errs {
		if e.Unknown && rd.unknown != nil {
			use := rd.unknown[e.Column]
			if use == nil {
				use = &unknownUse{first: row.Number}
				rd.unknown[e.Column] = use
			}
			use.rows++
			continue
		}
		problem(e.Column, e.Message, e.English)
	}
	if len(errs) > 0 {
		return nil
	}
	if e, ok := nscl.RefuseHandWrite(a.Ref).(*nscl.Error); ok {
		unchanged, err := rd.portalRowUnchanged(a)
		if err != nil {
			return err
		}
		if !unchanged {
			problem(header.Title(nscl.ColRef), e.Message, e.English)
			return nil
		}
	}
	if first, seen := keys[keyOf(a.Ref)]; seen {
		problem(header.Title(nscl.ColRef),
			fmt.Sprintf("hoạt động trùng với dòng %d (cùng mã dòng, hoặc cùng đơn vị, ngày, nhóm, loại và nội dung)", first),
			fmt.Sprintf("the same activity as row %d (same row key, or same unit, date, group, kind and description)", first))
		return nil
	}
	keys[keyOf(a.Ref)] = row.Number
	var stored nscl.Activity
	found, looked := false, false
	if rd.look != nil {
		var err error
		var refused bool
		if stored, found, looked, refused, err = rd.storedFor(row, a, problem); err != nil {
			return err
		}
		if refused {
			return nil
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
			return nil
		}
	}
	if rd.look != nil && len(a.Quantities) == 0 {
		if err := rd.warnNoFigure(row, a, stored, found); err != nil {
			return err
		}
	}
	if err := emit(parsedRow{sheet: row.Sheet, number: row.Number, a: a, defaultSource: defaultSource}); err != nil {
		return err
	}
	return nil
}

// portalRowUnchanged reports whether a row with a key the portal owns says
// again what the stored activity says — a unit's exported list imported
// again — which writes nothing and is no hand write. The writing pass
// (look nil) leaves it to the store, which holds the same rule.
func (rd *rowReader) portalRowUnchanged(a nscl.Activity) (bool, error) {
	if rd.look == nil {
		return true, nil
	}
	owner, found, err := rd.look.byRef(a.Ref)
	if err != nil || !found {
		return false, err
	}
	stored, err := rd.look.byID(owner.ID)
	if err != nil {
		return false, err
	}
	rd.header.KeepAbsent(stored, &a)
	if a.Source == "" {
		a.Source = stored.Source
	}
	a.Normalize()
	return nscl.SameActivity(stored, a) && stored.Ref == a.Ref, nil
}

// storedFor finds, in the checking pass, the stored activity a row would
// update: the one its row key names, else — the row being new — one it
// looks like and someone said it is (plan.links). looked says the row's
// key was looked up, found or not; refused that the row is a Problem now
// (a key it may not take, a look-alike nobody decided). err is a failing
// store.
func (rd *rowReader) storedFor(row sheet.Row, a nscl.Activity, problem func(column, vi, en string)) (stored nscl.Activity, found, looked, refused bool, err error) {
	if keyGiven(rd.header, row) {
		looked = true
		if stored, found, err = rd.look.byRef(a.Ref); err != nil {
			return
		}
		if found {
			if e := rd.parser.CheckKeyOwner(a, stored); e != nil {
				problem(e.Column, e.Message, e.English)
				return stored, found, looked, true, nil
			}
			return stored, found, looked, rd.takenBefore(row.Number, stored, problem), nil
		}
	}
	// Activities of the unit on the row's day in its group: among them
	// the one its derived key names, if stored, else those it looks like.
	same, err := rd.look.sameDay(a.UnitID, a.Date, a.TaskGroup)
	if err != nil {
		return
	}
	looked = true
	var alikes []nscl.Activity
	for _, s := range same {
		if s.Ref == a.Ref {
			return s, true, true, rd.takenBefore(row.Number, s, problem), nil
		}
		if nscl.LooksAlike(a, s) {
			alikes = append(alikes, s)
		}
	}
	if len(alikes) == 0 {
		return
	}
	id, decided := rd.decide(row.Number, a, alikes)
	switch {
	case !decided:
		rd.lookAlike(row, a, alikes)
		refused = true
	case id == 0:
		// another activity: written as new
	default:
		stored = alikes[slices.IndexFunc(alikes, func(s nscl.Activity) bool { return s.ID == id })]
		if rd.takenBefore(row.Number, stored, problem) {
			return stored, false, looked, true, nil
		}
		rd.linkedTo[id] = row.Number
		rd.plan.links[row.Number] = id
		found = true
	}
	return
}

// takenBefore refuses a row that would write onto a stored activity an
// earlier row of the file writes onto — linked to it, or naming its row
// key: one file cannot hold one activity twice.
func (rd *rowReader) takenBefore(number int, stored nscl.Activity, problem func(column, vi, en string)) bool {
	first := rd.linkedTo[stored.ID]
	if k, ok := rd.keys[keyOf(stored.Ref)]; first == 0 && ok && k != number {
		first = k
	}
	if first == 0 {
		return false
	}
	problem(rd.header.Title(nscl.ColDescription),
		fmt.Sprintf("dòng %d cũng được ghi vào hoạt động đã có số %d; hai dòng không thể cùng là một hoạt động đã có — hãy chọn lại cho một trong hai dòng", first, stored.ID),
		fmt.Sprintf("row %d is also written onto stored activity %d; two rows cannot both be one stored activity — choose again for one of them", first, stored.ID))
	return true
}

// decide says what the request chose for a row that looks like stored
// activities: the ID of the one it is, or 0 for a new activity; decided
// false when it chose nothing (or an activity the row no longer looks
// like). LinkAll takes the oldest of those with the row's description,
// else the oldest.
func (rd *rowReader) decide(number int, a nscl.Activity, alikes []nscl.Activity) (id int64, decided bool) {
	if id, ok := rd.req.Same[number]; ok {
		if id == 0 || slices.ContainsFunc(alikes, func(s nscl.Activity) bool { return s.ID == id }) {
			return id, true
		}
		return 0, false
	}
	switch rd.req.SameAsExisting {
	case NewAll:
		return 0, true
	case LinkAll:
		for _, s := range alikes {
			if nscl.SameDescription(s.Description, a.Description) {
				return s.ID, true
			}
		}
		return alikes[0].ID, true
	}
	return 0, false
}

// lookAlike notes a row that looks like stored activities, undecided: a
// Problem naming both, and the row in the Result for a page to ask about.
func (rd *rowReader) lookAlike(row sheet.Row, a nscl.Activity, alikes []nscl.Activity) {
	var vi, en []string
	for _, s := range alikes {
		vi = append(vi, fmt.Sprintf("số %d: ngày %s, “%s” (%s%s)", s.ID, s.Date.Format("02/01/2006"), shortened(s.Description, 80), s.Kind.Label(), figuresText(rd.rules.Programme, s.Quantities)))
		en = append(en, fmt.Sprintf("no. %d: %s, “%s” (%s%s)", s.ID, s.Date.Format("02/01/2006"), shortened(s.Description, 80), s.Kind, figuresText(rd.rules.Programme, s.Quantities)))
	}
	rd.add(Problem{Sheet: row.Sheet, Row: row.Number, Column: columnName(rd.header, rd.header.Title(nscl.ColDescription)), Decide: DecideSame,
		Message: fmt.Sprintf("dòng này (ngày %s, “%s”) giống hoạt động đã có %s: cùng một hoạt động (ghi vào hoạt động đó) hay hoạt động khác (ghi thành hoạt động mới)? Chưa chọn thì chưa ghi",
			a.Date.Format("02/01/2006"), shortened(a.Description, 80), strings.Join(vi, "; ")),
		English: fmt.Sprintf("this row (%s, “%s”) looks like stored activity %s: the same activity (write onto it) or another (write as new)? Nothing is written until you choose",
			a.Date.Format("02/01/2006"), shortened(a.Description, 80), strings.Join(en, "; "))})
	if len(rd.res.LookAlikes) == MaxLookAlikes {
		rd.res.MoreLookAlikes++
		return
	}
	rd.res.LookAlikes = append(rd.res.LookAlikes, LookAlike{Sheet: row.Sheet, Row: row.Number, Activity: a, Existing: alikes})
}

// figuresText lists an activity's figures for a message: "; 14 lượt doanh nghiệp".
func figuresText(prog *nscl.Programme, qs []nscl.Quantity) string {
	var b strings.Builder
	for _, q := range qs {
		m, _ := prog.Metric(q.Metric)
		fmt.Fprintf(&b, "; %s %s", vnfmt.Int(q.Value), m.Unit)
	}
	return b.String()
}

// warnNoFigure warns of a row that carries no figure when writing it
// counts for nothing: a new activity, or an update that clears the
// figures the activity had (the file has their columns, empty).
func (rd *rowReader) warnNoFigure(row sheet.Row, a, stored nscl.Activity, found bool) error {
	warn := func(vi, en string) {
		if len(rd.res.Warnings) < MaxProblems {
			rd.res.Warnings = append(rd.res.Warnings, Problem{Sheet: row.Sheet, Row: row.Number, Message: vi, English: en})
		}
	}
	if !found {
		warn("dòng không có số liệu nào: hoạt động mới sẽ không được tính vào chỉ tiêu nào", "the row carries no figure: the new activity will count for nothing")
		return nil
	}
	full, err := rd.look.byID(stored.ID)
	if err != nil {
		return err
	}
	if len(full.Quantities) == 0 {
		return nil // reported in words before, and still
	}
	rd.header.KeepAbsent(full, &a)
	if len(a.Quantities) == 0 {
		figures := strings.TrimPrefix(figuresText(rd.rules.Programme, full.Quantities), "; ")
		warn(fmt.Sprintf("dòng không có số liệu nào: các số liệu đã có của hoạt động số %d (%s) sẽ bị xóa", full.ID, figures),
			fmt.Sprintf("the row carries no figure: the figures stored activity %d has (%s) will be cleared", full.ID, figures))
	}
	return nil
}

// resolveColumns settles, at the first row, what the file's own headings
// hold: as the request says, else as the file's unit's earlier imports
// said. The file's unit is the template's, else the first row's.
func (rd *rowReader) resolveColumns(first sheet.Row) error {
	h := rd.header
	if rd.rules.DefaultUnit != nil {
		rd.plan.fileUnit = rd.rules.DefaultUnit.ID
	} else if i, ok := h.Pos[nscl.ColUnit]; ok && i < len(first.Cells) {
		if u, ok := rd.rules.Unit(nscl.NormalizeText(first.Cells[i])); ok {
			rd.plan.fileUnit = u.ID
		}
	}
	remembered := map[string]nscl.ColumnChoice{}
	if rd.plan.fileUnit != 0 && len(h.Ignored) > 0 {
		var err error
		if remembered, err = rd.look.choicesOf(rd.plan.fileUnit); err != nil {
			return err
		}
	}
	asked := map[string]string{}
	for heading, metric := range rd.req.Columns {
		asked[nscl.HeadingKey(heading)] = metric
	}
	fromMemory := map[string]bool{}
	resolved, err := h.Resolve(rd.rules.Programme, func(heading string) (string, bool) {
		key := nscl.HeadingKey(heading)
		if metric, ok := asked[key]; ok {
			rd.plan.remember = append(rd.plan.remember, nscl.ColumnChoice{Heading: heading, Metric: metric})
			return metric, true
		}
		c, ok := remembered[key]
		if _, taken := h.Pos["q:"+c.Metric]; !ok || c.Metric != "" && taken {
			return "", false // a column the file has under the template's heading now
		}
		fromMemory[heading] = true
		return c.Metric, true
	})
	if err != nil {
		return err
	}
	for key, i := range resolved.Pos {
		if heading, ok := resolved.Headings[key]; ok {
			rd.res.Read = append(rd.res.Read, ColumnRead{Column: sheet.ColumnName(i) + " (" + heading + ")", Heading: heading,
				Metric: strings.TrimPrefix(key, "q:"), Remembered: fromMemory[heading]})
		}
	}
	slices.SortFunc(rd.res.Read, func(a, b ColumnRead) int { return resolved.Pos["q:"+a.Metric] - resolved.Pos["q:"+b.Metric] })
	rd.header, rd.plan.header = resolved, resolved
	rd.parser = nscl.NewRowParser(rd.rules, resolved)
	return nil
}

// settleColumns, after the checking pass, turns the undecided columns that
// hold values into Problems — first, each with the metrics it could be —
// and lists the columns not read.
func (rd *rowReader) settleColumns(headerRow sheet.Row) {
	h := rd.header
	var problems []Problem
	taken := map[string]bool{}
	for key := range h.Pos {
		if metric, ok := strings.CutPrefix(key, "q:"); ok {
			taken[metric] = true
		}
	}
	for _, i := range slices.Sorted(maps.Keys(h.Ignored)) {
		heading := h.Ignored[i]
		column := sheet.ColumnName(i) + " (" + heading + ")"
		use := rd.unknown[heading]
		if use == nil {
			rd.res.Ignored = append(rd.res.Ignored, column)
			continue
		}
		u := Unmapped{Column: column, Heading: heading, FirstRow: use.first, Rows: use.rows, Candidates: nscl.HeadingCandidates(rd.rules.Programme, heading, taken)}
		rd.res.Unmapped = append(rd.res.Unmapped, u)
		var vi, en []string
		for _, m := range u.Candidates {
			vi = append(vi, fmt.Sprintf("“%s (%s)” [%s]", m.Name, m.Unit, m.Code))
			en = append(en, fmt.Sprintf("“%s (%s)” [%s]", m.Name, m.Unit, m.Code))
		}
		where, whereEn := fmt.Sprintf("dòng %d", use.first), fmt.Sprintf("row %d", use.first)
		if use.rows > 1 {
			where += fmt.Sprintf(" và %d dòng khác", use.rows-1)
			whereEn += fmt.Sprintf(" and %d more", use.rows-1)
		}
		could, couldEn := "không giống tên cột nào của mẫu", "it resembles no heading of the template"
		if len(vi) > 0 {
			could, couldEn = "có thể là: "+strings.Join(vi, "; "), "it could be: "+strings.Join(en, "; ")
		}
		problems = append(problems, Problem{Sheet: headerRow.Sheet, Row: headerRow.Number, Column: column, Decide: DecideColumn,
			Message: fmt.Sprintf("cột “%s” không có trong mẫu nhưng có dữ liệu (%s); %s. Hãy chọn cột này ghi chỉ tiêu nào, hoặc bỏ qua cột; chưa ghi dòng nào", heading, where, could),
			English: fmt.Sprintf("column “%s” is not the template's but holds values (%s); %s. Choose the indicator it holds, or ignore it; nothing was written", heading, whereEn, couldEn)})
	}
	if len(problems) > 0 {
		rd.res.Problems = append(problems, rd.res.Problems...)
	}
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
	if nscl.SameActivity(full, a) && full.Ref == a.Ref {
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
		err := write(&p.a, rd.plan.links[p.number], keep)
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

// columnName is a column's letter and title: "C (Ngày thực hiện)"; a
// column under the unit's own heading by that heading: "J (Số DN tập huấn)".
func columnName(h nscl.SheetHeader, title string) string {
	for _, c := range h.Columns {
		if h.Title(c.Key) == title {
			if i, ok := h.Pos[c.Key]; ok {
				return sheet.ColumnName(i) + " (" + title + ")"
			}
		}
	}
	for i, heading := range h.Ignored {
		if heading == title {
			return sheet.ColumnName(i) + " (" + title + ")"
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
	// Units by code, name, short or common name; of two units with one
	// name (a district closed and opened again), the open one.
	names := nscl.NewUnitNames(units)
	nearest := map[string][]string{} // the same wrong name is often on many rows
	rules := nscl.RowRules{
		Programme: req.Programme,
		Unit:      names.Find,
		NearestUnits: func(text string) []string {
			near, ok := nearest[text]
			if !ok && len(nearest) < MaxProblems { // past it, the problems are no longer listed
				near = names.Nearest(text, 3)
				nearest[text] = near
			}
			return near
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
		u, ok := names.Find(code)
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
