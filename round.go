package nscl

import "time"

// Round is a request to reporting units to report their activities for a
// period, as Công văn 4225/KH-CN-TĐC asked the departments and districts to
// report on 2022.
type Round struct {
	ID          int64     `json:"id"`
	ProgrammeID int64     `json:"programme_id"`
	Title       string    `json:"title"`
	DocumentID  int64     `json:"document_id"`  // the request document; 0 when none is on file
	PeriodStart time.Time `json:"period_start"` // first day reported
	PeriodEnd   time.Time `json:"period_end"`   // last day reported
	Cutoff      time.Time `json:"cutoff"`       // data cut-off date: figures as of this day
	Deadline    time.Time `json:"deadline"`     // last day to submit
	UnitIDs     []int64   `json:"unit_ids"`     // units asked
	Version     int64     `json:"version"`
}

// SubmissionStatus is where a unit's submission to a round stands.
type SubmissionStatus string

const (
	StatusDraft     SubmissionStatus = "draft"
	StatusSubmitted SubmissionStatus = "submitted"
	StatusApproved  SubmissionStatus = "approved"
	StatusReturned  SubmissionStatus = "returned"
)

// Submission is one unit's answer to a round.
type Submission struct {
	RoundID     int64            `json:"round_id"`
	UnitID      int64            `json:"unit_id"`
	Status      SubmissionStatus `json:"status"`
	SubmittedAt time.Time        `json:"submitted_at"`  // last submission; zero when never submitted
	FirstSentAt time.Time        `json:"first_sent_at"` // first submission, which timeliness is judged by
	ReviewedAt  time.Time        `json:"reviewed_at"`
	ReviewerID  int64            `json:"reviewer_id"`
	Comment     string           `json:"comment"` // the reviewer's comment when returned
	Version     int64            `json:"version"`
}

// Timeliness says whether a unit answered a round in time.
type Timeliness string

const (
	OnTime  Timeliness = "on_time"
	Late    Timeliness = "late"
	Missing Timeliness = "missing" // deadline passed, nothing submitted
	Pending Timeliness = "pending" // not submitted, deadline still ahead
)

// MaxCommentLength bounds a reviewer's comment.
const MaxCommentLength = 2000

// ValidateRound checks a round's fields against its programme, and returns
// every mistake it finds (Errors).
func ValidateRound(r Round, prog *Programme) error {
	var errs Errors
	if blank(r.Title) {
		errs.Add(Required("title"))
	}
	errs.Add(CheckText("title", r.Title, 300))
	switch {
	case r.PeriodStart.IsZero():
		errs.Add(Required("period_start"))
	case !prog.ContainsYear(r.PeriodStart.Year()):
		errs.Add(Invalid("period_start", "kỳ báo cáo bắt đầu ngoài giai đoạn chương trình", "the period starts outside the programme"))
	}
	switch {
	case r.PeriodEnd.IsZero():
		errs.Add(Required("period_end"))
	case r.PeriodEnd.Before(r.PeriodStart):
		errs.Add(Invalid("period_end", "ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu", "period end must be after its start"))
	case !prog.ContainsYear(r.PeriodEnd.Year()):
		errs.Add(Invalid("period_end", "kỳ báo cáo kết thúc ngoài giai đoạn chương trình", "the period ends outside the programme"))
	}
	switch {
	case r.Deadline.IsZero():
		errs.Add(Required("deadline"))
	case !r.PeriodStart.IsZero() && r.Deadline.Before(r.PeriodStart):
		errs.Add(Invalid("deadline", "hạn nộp trước ngày bắt đầu kỳ báo cáo", "the deadline is before the period starts"))
	}
	switch {
	case r.Cutoff.IsZero():
	case !r.PeriodStart.IsZero() && r.Cutoff.Before(r.PeriodStart):
		errs.Add(Invalid("cutoff", "ngày chốt số liệu trước kỳ báo cáo", "cut-off date is before the period"))
	case !r.Deadline.IsZero() && r.Cutoff.After(r.Deadline):
		errs.Add(Invalid("cutoff", "ngày chốt số liệu sau hạn nộp", "cut-off date is after the deadline"))
	}
	if len(r.UnitIDs) == 0 {
		errs.Add(Invalid("units", "chưa chọn đơn vị nào được yêu cầu báo cáo", "no unit is asked to report"))
	}
	return errs.Err()
}

// MayAsk reports whether the round may ask unit u to report: the ministry
// does not report to a province's round, and a unit closed before the
// period begins (or opened after it ends) cannot.
func (r Round) MayAsk(u OrgUnit) bool {
	return u.Level != LevelMinistry && (u.OpenOn(r.PeriodStart) || u.OpenOn(r.PeriodEnd))
}

// Close ends the round early on day: day becomes its deadline, so that
// units that have sent nothing by the end of it count as missing. A round
// has no other state: a unit may still send after the deadline (a report
// returned to it must go back) and is then late. subs are the round's
// submissions, now the time of closing. Returns ECONFLICT when the round
// has ended or ends on day already, or when a unit first sent after day
// (its timely report would turn late), and EINVALID for a day after the
// deadline; ValidateRound checks the rest.
func (r *Round) Close(day time.Time, subs []Submission, now time.Time) error {
	if r.Ended(now) {
		return Conflict("deadline", "đợt báo cáo đã kết thúc (hạn nộp %s)", "the round has already ended (deadline %s)", r.Deadline.Format("02/01/2006"))
	}
	if day.Equal(r.Deadline) {
		return Conflict("deadline", "đợt báo cáo đã kết thúc vào ngày này, hạn nộp của đợt", "the round already ends on that day, its deadline")
	}
	if day.After(r.Deadline) {
		return Invalid("deadline", "ngày kết thúc phải trước hạn nộp %s; kết thúc đợt không lùi hạn nộp", "the closing day must be before the deadline %s; closing does not extend it", r.Deadline.Format("02/01/2006"))
	}
	closed := *r
	closed.Deadline = day
	for _, s := range subs {
		if !s.FirstSentAt.IsZero() && !s.FirstSentAt.Before(closed.DeadlineEnd()) {
			return Conflict("deadline", "có đơn vị đã gửi báo cáo sau ngày %s, đúng hạn cũ; kết thúc sớm hơn sẽ tính là trễ hạn", "a unit sent its report after %s, within the deadline; ending the round earlier would make it late", day.Format("02/01/2006"))
		}
	}
	r.Deadline = day
	return nil
}

// SubmissionStatuses lists the statuses in the order a submission moves through them.
var SubmissionStatuses = []SubmissionStatus{StatusDraft, StatusSubmitted, StatusReturned, StatusApproved}

// StatusCounts counts the submissions in each status, every status present.
func StatusCounts(subs []Submission) map[SubmissionStatus]int {
	out := map[SubmissionStatus]int{}
	for _, st := range SubmissionStatuses {
		out[st] = 0
	}
	for _, s := range subs {
		out[s.Status]++
	}
	return out
}

// Contains reports whether day d falls inside the round's period.
func (r Round) Contains(d time.Time) bool {
	return !d.Before(r.PeriodStart) && !d.After(r.PeriodEnd)
}

// Asks reports whether the round asks unitID to report.
func (r Round) Asks(unitID int64) bool {
	for _, id := range r.UnitIDs {
		if id == unitID {
			return true
		}
	}
	return false
}

// Local is the time zone deadlines are kept in: Vietnam, UTC+7 all year.
var Local = time.FixedZone("ICT", 7*3600)

// DeadlineEnd is when the deadline day ends: midnight in Vietnam.
func (r Round) DeadlineEnd() time.Time {
	return time.Date(r.Deadline.Year(), r.Deadline.Month(), r.Deadline.Day()+1, 0, 0, 0, 0, Local)
}

// Ended reports whether the round's deadline has passed at time now.
func (r Round) Ended(now time.Time) bool { return !now.Before(r.DeadlineEnd()) }

// Timeliness of a submission at time now. It is judged by the first
// submission: a unit that sent in time and was asked to fix something
// after the deadline was still on time.
func (r Round) Timeliness(s Submission, now time.Time) Timeliness {
	deadlineEnd := r.DeadlineEnd()
	switch {
	case !s.FirstSentAt.IsZero() && s.FirstSentAt.Before(deadlineEnd):
		return OnTime
	case !s.FirstSentAt.IsZero():
		return Late
	case !now.Before(deadlineEnd):
		return Missing
	}
	return Pending
}

// Completeness counts the submissions sent (submitted or approved) of those asked.
func Completeness(subs []Submission) (sent, expected int) {
	for _, s := range subs {
		if s.Status == StatusSubmitted || s.Status == StatusApproved {
			sent++
		}
	}
	return sent, len(subs)
}

// Submit moves a draft or returned submission to submitted.
func (s *Submission) Submit(now time.Time) error {
	if s.Status != StatusDraft && s.Status != StatusReturned {
		return Conflict("status", "báo cáo đang ở trạng thái %q, không gửi lại được", "a %s submission cannot be submitted", s.Status)
	}
	s.Status, s.SubmittedAt = StatusSubmitted, now
	if s.FirstSentAt.IsZero() {
		s.FirstSentAt = now
	}
	return nil
}

// Approve accepts a submitted submission; the unit's period is then locked.
func (s *Submission) Approve(reviewerID int64, now time.Time) error {
	if s.Status != StatusSubmitted {
		return Conflict("status", "chỉ duyệt được báo cáo đã gửi (hiện ở trạng thái %q)", "only a submitted submission can be approved (it is %s)", s.Status)
	}
	s.Status, s.ReviewerID, s.ReviewedAt, s.Comment = StatusApproved, reviewerID, now, ""
	return nil
}

// Return sends a submitted submission back to its unit with a comment,
// or undoes an approval the same way: its figures are pending again and
// the unit may correct them.
func (s *Submission) Return(reviewerID int64, comment string, now time.Time) error {
	comment = NormalizeText(comment)
	if s.Status != StatusSubmitted && s.Status != StatusApproved {
		return Conflict("status", "chỉ trả lại được báo cáo đã gửi hoặc đã duyệt (hiện ở trạng thái %q)", "only a submitted or approved submission can be returned (it is %s)", s.Status)
	}
	if comment == "" {
		return Invalid("comment", "cần ghi lý do trả lại", "a comment saying why is required")
	}
	if err := CheckMultiline("comment", comment, MaxCommentLength); err != nil {
		return err
	}
	s.Status, s.ReviewerID, s.ReviewedAt, s.Comment = StatusReturned, reviewerID, now, comment
	return nil
}

// LocksActivities reports whether activities of the unit inside the round's
// period may no longer change: once approved for everyone, and while
// waiting for review for the unit's own reporters.
func (s Submission) LocksActivities(u User) bool {
	return s.Status == StatusApproved || (s.Status == StatusSubmitted && u.Role == RoleReporter)
}

// PeriodLock is a unit's submitted or approved submission with its
// round's period: the activities it may lock.
type PeriodLock struct {
	Submission Submission
	Start, End time.Time
}

// WriteRefusal is why u may not write the unit's activity of day — not
// the user's unit, or a period a submission locks — or nil when u may.
// locks are the unit's (others are passed over).
func (u User) WriteRefusal(unitID int64, day time.Time, locks []PeriodLock) error {
	if !u.CanWriteActivities(unitID) {
		return Forbidden("bạn không được nhập hoặc sửa hoạt động của đơn vị này", "you may not enter or change this unit's activities")
	}
	if s := LockOn(locks, u, unitID, day); s != nil {
		return s.LockError()
	}
	return nil
}

// LockOn finds among locks the one that keeps u from writing the unit's
// activity of day; nil when none does.
func LockOn(locks []PeriodLock, u User, unitID int64, day time.Time) *Submission {
	for _, l := range locks {
		if l.Submission.UnitID == unitID && !day.Before(l.Start) && !day.After(l.End) && l.Submission.LocksActivities(u) {
			return &l.Submission
		}
	}
	return nil
}

// LockError is the refusal of a write into the period the submission locks.
func (s Submission) LockError() error {
	if s.Status == StatusApproved {
		return Forbidden("báo cáo của đơn vị cho kỳ này đã được duyệt; số liệu trong kỳ đã khóa", "the unit's report for this period is approved; its figures are locked")
	}
	return Forbidden("báo cáo của đơn vị cho kỳ này đã gửi và đang chờ duyệt; chỉ sửa được khi bị trả lại", "the unit's report for this period is waiting for review; it can be changed only if returned")
}

// ApprovalState is whether figures are approved. An activity is approved
// once its unit's submission to a round whose period covers its date is
// approved; until then — a draft, submitted or returned submission, or no
// round covering it — it is pending. Kept totals carry the state of what
// they count.
type ApprovalState string

const (
	StatePending  ApprovalState = "pending"
	StateApproved ApprovalState = "approved"
)

// ApprovalOf is the state of the unit's activity of day. locks are the
// unit's submitted and approved submissions with their periods (others
// are passed over).
func ApprovalOf(locks []PeriodLock, unitID int64, day time.Time) ApprovalState {
	for _, l := range locks {
		if l.Submission.UnitID == unitID && l.Submission.Status == StatusApproved && !day.Before(l.Start) && !day.After(l.End) {
			return StateApproved
		}
	}
	return StatePending
}

// DaysLeft counts the days from now's day in Vietnam to the deadline: 0 on
// the deadline day itself, negative once it has passed (-2 is two days
// overdue).
func (r Round) DaysLeft(now time.Time) int {
	here := now.In(Local)
	today := time.Date(here.Year(), here.Month(), here.Day(), 0, 0, 0, 0, time.UTC)
	deadline := time.Date(r.Deadline.Year(), r.Deadline.Month(), r.Deadline.Day(), 0, 0, 0, 0, time.UTC)
	return int(deadline.Sub(today).Hours() / 24)
}

// ReviewStep is one kind of step in a submission's history.
type ReviewStep string

const (
	StepSubmit  ReviewStep = "submit"
	StepApprove ReviewStep = "approve"
	StepReturn  ReviewStep = "return"
	StepReopen  ReviewStep = "reopen" // an approval undone: returned after it was approved
)

// ReviewSteps lists every step, in the order a submission usually takes them.
var ReviewSteps = []ReviewStep{StepSubmit, StepReturn, StepApprove, StepReopen}

// SubmissionEvent is one step of a submission's history: who sent,
// returned or approved it, when, and the comment a return gave. The
// history is kept whole, so that a return's comment can still be read
// after the report is sent again and approved (which clears Comment).
type SubmissionEvent struct {
	RoundID   int64      `json:"round_id"`
	UnitID    int64      `json:"unit_id"`
	Step      ReviewStep `json:"step"`
	UserID    int64      `json:"user_id"`   // 0 when not known (steps from before the history was kept)
	UserName  string     `json:"user_name"` // the user's name as it is now
	UserEmail string     `json:"user_email"`
	At        time.Time  `json:"at"`
	Comment   string     `json:"comment"`
}
