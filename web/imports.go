package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"nscl"
	"nscl/importer"
	"nscl/sheet"
)

// importJob is an upload being checked and written in the background,
// so that the page can show how far a large file has come. A file that
// waits for its user to choose (what a column of the unit's own holds,
// whether a row is an activity already stored, whether to write rows
// without figures) is kept until they have, or the job expires.
type importJob struct {
	ID       string
	RoundID  int64
	UserID   int64
	FileName string
	Started  time.Time

	mu      sync.Mutex
	path    string // the upload, while the job may run again; "" once removed
	choices importChoices
	pass    string
	done    int
	total   int           // about the rows of the pass, 0 when not known
	left    time.Duration // the pass's time left, unknownLeft when not known
	// The pace of the pass counts from when it started and the rows done then.
	passStart time.Time
	startDone int
	finished  bool
	result    importer.Result
	err       *nscl.Error // in words the page can show
	notice    *nscl.Error // why the last choices were not taken
}

// importChoices are what the user chose on the job's page, gathered over
// its runs.
type importChoices struct {
	Columns   map[string]string // heading → metric code, "" to pass over
	SameAll   string            // importer.LinkAll or NewAll
	Same      map[int]int64     // row → the stored activity it is, 0 for a new one
	Confirmed bool              // write rows without figures
}

// importJobView is a job as its page shows it.
type importJobView struct {
	ID, FileName, Pass string
	RoundID            int64
	Done, Total        int
	Progress           string // how far the pass has come, in words; "" before its first report
	Finished           bool
	Result             importer.Result
	Error, Notice      *nscl.Error
	Queued             int // its place among the imports waiting for their turn; 0 once it runs
	// What the page asks, when the file waits for a choice.
	AskColumns, AskSame, AskConfirm bool
	Problems                        []importer.Problem // those a choice does not settle
	Metrics                         []nscl.Metric      // what a column may hold
	Units, Names                    map[string]string  // metric code → its unit, its name
}

func (j *importJob) view() importJobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := importJobView{ID: j.ID, FileName: j.FileName, RoundID: j.RoundID, Pass: j.pass, Done: j.done, Total: j.total, Finished: j.finished, Result: j.result, Error: j.err, Notice: j.notice}
	if !j.finished || j.err != nil {
		return v
	}
	for _, p := range j.result.Problems {
		if p.Decide == "" {
			v.Problems = append(v.Problems, p)
		}
	}
	v.AskColumns = len(j.result.Unmapped) > 0
	v.AskSame = !v.AskColumns && len(v.Problems) == 0 && len(j.result.LookAlikes) > 0
	v.AskConfirm = j.result.Held
	return v
}

// waiting reports whether the job's file waits for a choice of its user:
// what its columns hold (other mistakes may then show), whether rows are
// stored activities, or whether to write rows without figures.
func (v importJobView) waiting() bool { return v.AskColumns || v.AskSame || v.AskConfirm }

// importJobs holds the jobs of the last hour.
type importJobs struct {
	queue importQueue
	mu    sync.Mutex
	jobs  map[string]*importJob
	// uploading are the users whose file is being received, before its job
	// starts: the slot is taken before the upload is read, so that two
	// uploads at once cannot both pass the check.
	uploading map[int64]string
}

func (js *importJobs) add(j *importJob) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.jobs == nil {
		js.jobs = map[string]*importJob{}
	}
	for id, old := range js.jobs {
		if time.Since(old.Started) > time.Hour && old.view().Finished {
			old.removeFile()
			delete(js.jobs, id)
		}
	}
	js.jobs[j.ID] = j
}

// running is the user's job that has not finished, nil for none.
func (js *importJobs) running(userID int64) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.runningLocked(userID)
}

func (js *importJobs) runningLocked(userID int64) *importJob {
	for _, j := range js.jobs {
		if j.UserID == userID && !j.view().Finished {
			return j
		}
	}
	return nil
}

// reserve takes the user's one import slot for an upload about to be
// read, or says what holds it; release gives it back (once the job has
// started, or the upload failed).
func (js *importJobs) reserve(userID int64) (release func(), busyWith string) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.runningLocked(userID); j != nil {
		return nil, j.FileName
	}
	if _, busy := js.uploading[userID]; busy {
		return nil, js.uploading[userID]
	}
	if js.uploading == nil {
		js.uploading = map[int64]string{}
	}
	js.uploading[userID] = "…"
	return func() {
		js.mu.Lock()
		defer js.mu.Unlock()
		delete(js.uploading, userID)
	}, ""
}

func (js *importJobs) get(id string) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.jobs[id]
}

// roundImport takes an uploaded activity file for a round, saves it, and
// starts checking and writing it; the job's page follows it.
func (s *Server) roundImport(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if !u.CanImport() {
		return nscl.Forbidden("bạn không được nhập hoạt động", "you may not enter activities")
	}
	if _, _, err := s.Store.Round(r.Context(), id); err != nil {
		return err
	}
	// One file at a time for each user: an import holds the database's
	// writer while it writes, and a second upload of the same file would
	// only wait behind the first.
	release, busyWith := s.imports.reserve(u.ID)
	if release == nil {
		return nscl.Conflict("file", "tệp %s của bạn đang được nhập; hãy chờ xong rồi nhập tệp khác", "your file %s is still being imported; wait until it is done", busyWith)
	}
	defer release() // the job, once added, holds the slot itself
	r.Body = http.MaxBytesReader(w, r.Body, sheet.MaxFileSize+1<<20)
	file, header, err := r.FormFile("file")
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nscl.Invalid("file", "tệp lớn quá %d MB", "the file is larger than %d MB", sheet.MaxFileSize>>20)
		}
		return nscl.Invalid("file", "chưa chọn tệp để nhập", "no file was chosen")
	}
	defer file.Close()
	name := filepath.Base(header.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".xlsx" && ext != ".csv" {
		return nscl.Invalid("file", "chỉ nhận tệp .xlsx hoặc .csv", "only .xlsx or .csv files are taken")
	}
	tmp, err := os.CreateTemp("", "nscl-import-*"+ext)
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, file); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	tmp.Close()
	job := &importJob{ID: newJobID(), RoundID: id, UserID: u.ID, FileName: name, Started: time.Now(), path: tmp.Name()}
	s.imports.add(job)
	s.runImport(r, job, u)
	http.Redirect(w, r, "/rounds/"+strconv.FormatInt(id, 10)+"/imports/"+job.ID, http.StatusSeeOther)
	return nil
}

// runImport checks and writes the job's file in the background, with what
// its user has chosen so far. The file is kept while the job waits for a
// choice, and removed once it is written or refused for mistakes.
func (s *Server) runImport(r *http.Request, job *importJob, user nscl.User) {
	job.mu.Lock()
	choices, path, previous := job.choices, job.path, job.result
	job.finished, job.result, job.err, job.pass, job.done, job.total = false, importer.Result{}, nil, "", 0, 0
	job.passStart, job.left = time.Time{}, unknownLeft
	choices.Columns, choices.Same = maps.Clone(choices.Columns), maps.Clone(choices.Same) // the page may choose on while this runs
	job.mu.Unlock()
	turn := s.imports.queue.join(job) // in line before the page shows its place
	go func() {
		defer func() {
			// A fault in reading some odd file must not take the server down.
			if p := recover(); p != nil {
				s.Log.Error("import panicked", "file", job.FileName, "panic", p)
				job.mu.Lock()
				job.finished, job.err = true, s.publicError(fmt.Errorf("import: %v", p))
				job.mu.Unlock()
				job.removeFile()
			}
		}()
		<-turn // one import at a time, server-wide
		defer s.imports.queue.leave()
		job.begin(time.Now())
		// The import outlives the request that started it, but not half an hour.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Minute)
		defer cancel()
		prog, err := s.programme(ctx)
		var res importer.Result
		if err == nil {
			res, err = importer.Import(ctx, s.Store, importer.Request{
				Programme: prog, Path: path, Name: job.FileName, RoundID: job.RoundID, User: &user,
				Columns: choices.Columns, SameAsExisting: choices.SameAll, Same: choices.Same,
				Confirm:  func([]importer.Problem) bool { return choices.Confirmed },
				Progress: func(pass string, done, total int) { job.progress(pass, done, total, time.Now()) },
			})
		}
		job.mu.Lock()
		job.finished, job.result, job.notice = true, res, nil
		switch {
		case nscl.ErrorField(err) == "columns":
			// A choice of columns that cannot be (two columns as one
			// metric): asked again, the file kept.
			job.result, job.notice, job.choices.Columns = previous, s.publicError(err), nil
		case err != nil:
			job.err = s.publicError(err)
		}
		job.mu.Unlock()
		if !job.view().waiting() {
			job.removeFile()
		}
	}()
}

// removeFile removes the job's upload, once it may not run again.
func (j *importJob) removeFile() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.path != "" {
		os.Remove(j.path)
		j.path = ""
	}
}

// roundImportChoose takes what the user chose on a job's page — what each
// column of the unit's own holds, whether the rows that look like stored
// activities are them (for the file, or row by row), whether to write
// rows without figures — and runs the job again with it.
func (s *Server) roundImportChoose(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	job := s.imports.get(r.PathValue("job"))
	if job == nil || job.UserID != u.ID || job.RoundID != id {
		return nscl.NotFound("job", "không có lần nhập này (hoặc đã quá một giờ)", "no such import (or it is more than an hour old)")
	}
	if err := r.ParseForm(); err != nil {
		return nscl.Invalid("form", "biểu mẫu không đọc được", "the form is unreadable")
	}
	release, busyWith := s.imports.reserve(u.ID)
	if release == nil {
		return nscl.Conflict("file", "tệp %s của bạn đang được nhập; hãy chờ xong", "your file %s is still being imported; wait until it is done", busyWith)
	}
	defer release()
	v := job.view()
	job.mu.Lock()
	if !v.Finished || !v.waiting() || job.path == "" {
		job.mu.Unlock()
		return nscl.Conflict("job", "lần nhập này không còn chờ lựa chọn", "this import no longer waits for a choice")
	}
	c := &job.choices
	if c.Columns == nil {
		c.Columns, c.Same = map[string]string{}, map[int]int64{}
	}
	headings, metrics := r.PostForm["heading"], r.PostForm["metric"]
	for i := range min(len(headings), len(metrics)) {
		switch metrics[i] {
		case "": // not chosen yet
		case ignoreColumn:
			c.Columns[headings[i]] = ""
		default:
			c.Columns[headings[i]] = metrics[i]
		}
	}
	switch all := r.PostFormValue("same_all"); all {
	case importer.LinkAll, importer.NewAll:
		c.SameAll = all
	}
	for _, la := range v.Result.LookAlikes {
		if raw := r.PostFormValue("same." + strconv.Itoa(la.Row)); raw != "" {
			if chosen, err := strconv.ParseInt(raw, 10, 64); err == nil {
				c.Same[la.Row] = chosen
			}
		}
	}
	if r.PostFormValue("confirm") == "1" {
		c.Confirmed = true
	}
	job.mu.Unlock()
	s.runImport(r, job, u)
	http.Redirect(w, r, "/rounds/"+strconv.FormatInt(id, 10)+"/imports/"+job.ID, http.StatusSeeOther)
	return nil
}

// ignoreColumn is the choice to pass over a column of the unit's own.
const ignoreColumn = "-"

// roundImportStatus shows a job: its progress while it runs (the page
// reloads itself), then what was imported or every mistake in the file.
func (s *Server) roundImportStatus(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	job := s.imports.get(r.PathValue("job"))
	if job == nil || job.UserID != u.ID || job.RoundID != id {
		return nscl.NotFound("job", "không có lần nhập này (hoặc đã quá một giờ)", "no such import (or it is more than an hour old)")
	}
	v := job.view()
	v.Queued = s.imports.queue.place(job)
	if !v.Finished {
		v.Progress = job.progressIn(language(r))
	}
	if v.Finished {
		prog, err := s.programme(r.Context())
		if err != nil {
			return err
		}
		v.Metrics, v.Units, v.Names = prog.Metrics, map[string]string{}, map[string]string{}
		for _, m := range prog.Metrics {
			v.Units[m.Code], v.Names[m.Code] = m.Unit, m.Name
		}
	}
	s.render(w, r, http.StatusOK, "import.html", view{Title: translate(language(r), "import.title"), Nav: "rounds", Data: v, Refresh: !v.Finished})
	return nil
}

// importsAtOnce is how many imports the server runs at once; the others
// wait in the order they came, their page showing their place. One: an
// import's memory is bounded (sheet's limits), so one at a time bounds the
// server's; and imports write through the database's one writer anyway.
const importsAtOnce = 1

// importQueue gives imports their turns.
type importQueue struct {
	mu      sync.Mutex
	running int
	waiting []importTurn // in the order they came
}

type importTurn struct {
	job   *importJob
	ready chan struct{} // closed when it is the job's turn
}

// join puts the job in line: the channel is closed when it is the job's
// turn to run (at once when none waits), and leave must follow.
func (q *importQueue) join(job *importJob) <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	turn := importTurn{job: job, ready: make(chan struct{})}
	if q.running < importsAtOnce && len(q.waiting) == 0 {
		q.running++
		close(turn.ready)
		return turn.ready
	}
	q.waiting = append(q.waiting, turn)
	return turn.ready
}

// leave ends a job's turn, handing it to the first job waiting.
func (q *importQueue) leave() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		q.running--
		return
	}
	close(q.waiting[0].ready)
	q.waiting = q.waiting[1:]
}

// place is the job's place among those waiting, from 1; 0 when it does not wait.
func (q *importQueue) place(job *importJob) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, t := range q.waiting {
		if t.job == job {
			return i + 1
		}
	}
	return 0
}

func newJobID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// roundTemplate sends the round's Excel template for a unit: a reporter's
// own, any for focal staff.
func (s *Server) roundTemplate(w http.ResponseWriter, r *http.Request, u nscl.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("unit")
	if !u.CanImport() {
		return nscl.Forbidden("bạn không được nhập hoạt động", "you may not enter activities")
	}
	if !u.CanManageRounds() {
		own, err := s.Store.UnitByID(r.Context(), u.UnitID)
		if err != nil {
			return err
		}
		if code == "" {
			code = own.Code
		}
		if !strings.EqualFold(code, own.Code) {
			return nscl.Forbidden("bạn chỉ tải được tệp mẫu của đơn vị mình", "you may download your own unit's template only")
		}
	}
	prog, err := s.programme(r.Context())
	if err != nil {
		return err
	}
	t, err := importer.Template(r.Context(), s.Store, prog, id, code)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	attachment(w, fmt.Sprintf("mau-bao-cao-dot-%d-%s.xlsx", id, t.Unit.Code))
	w.Write(buf.Bytes())
	return nil
}
