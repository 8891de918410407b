package nscl

import (
	"strings"
	"testing"
	"time"
)

// utcDate is midnight UTC of a day written as 2006-01-02, the form the store
// reads dates in.
func utcDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// validRound asks three units to report on the first half of 2022.
func validRound() Round {
	return Round{Title: "Báo cáo 6 tháng đầu năm 2022", PeriodStart: utcDate("2022-01-01"), PeriodEnd: utcDate("2022-06-30"),
		Cutoff: utcDate("2022-06-15"), Deadline: utcDate("2022-07-10"), UnitIDs: []int64{3, 4, 5}}
}

func TestValidateRound(t *testing.T) {
	prog := testProgramme() // 2021–2030
	if err := ValidateRound(validRound(), prog); err != nil {
		t.Fatalf("valid round refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *Round)
		field string // "" when the round stays valid
	}{
		{"no title", func(r *Round) { r.Title = "" }, "title"},
		{"title of 300 characters", func(r *Round) { r.Title = strings.Repeat("ệ", 300) }, ""},
		{"title of 301 characters", func(r *Round) { r.Title = strings.Repeat("ệ", 301) }, "title"},
		{"no period start", func(r *Round) { r.PeriodStart = time.Time{} }, "period_start"},
		{"no period end", func(r *Round) { r.PeriodEnd = time.Time{} }, "period_end"},
		{"end before start", func(r *Round) { r.PeriodEnd = r.PeriodStart.AddDate(0, 0, -1) }, "period_end"},
		{"one-day period", func(r *Round) { r.PeriodEnd = r.PeriodStart; r.Cutoff = time.Time{} }, ""},
		{"period ends after the programme", func(r *Round) { r.PeriodEnd = utcDate("2031-01-31") }, "period_end"},
		{"period starts before the programme", func(r *Round) { r.PeriodStart = utcDate("2020-12-01") }, "period_start"},
		{"period covering the last programme year", func(r *Round) {
			r.PeriodStart, r.PeriodEnd, r.Cutoff, r.Deadline = utcDate("2030-01-01"), utcDate("2030-12-31"), time.Time{}, utcDate("2031-01-15")
		}, ""},
		{"no deadline", func(r *Round) { r.Deadline = time.Time{} }, "deadline"},
		{"cut-off before the period", func(r *Round) { r.Cutoff = utcDate("2021-12-31") }, "cutoff"},
		{"cut-off on the first day", func(r *Round) { r.Cutoff = r.PeriodStart }, ""},
		{"no cut-off", func(r *Round) { r.Cutoff = time.Time{} }, ""},
		{"no units", func(r *Round) { r.UnitIDs = nil }, "units"},
		{"empty unit list", func(r *Round) { r.UnitIDs = []int64{} }, "units"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRound()
			tc.edit(&r)
			err := ValidateRound(r, prog)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorField(err) != tc.field {
				t.Fatalf("got %v (code %q, field %q), want EINVALID on %q", err, ErrorCode(err), ErrorField(err), tc.field)
			}
		})
	}
}

func TestRoundContainsAndAsks(t *testing.T) {
	r := validRound()
	for d, want := range map[string]bool{
		"2021-12-31": false, "2022-01-01": true, "2022-03-15": true, "2022-06-30": true, "2022-07-01": false,
	} {
		if got := r.Contains(utcDate(d)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", d, got, want)
		}
	}
	for id, want := range map[int64]bool{3: true, 4: true, 5: true, 2: false, 6: false, 0: false} {
		if got := r.Asks(id); got != want {
			t.Errorf("Asks(%d) = %v, want %v", id, got, want)
		}
	}
}

func TestRoundTimeliness(t *testing.T) {
	r := validRound() // deadline 10 July 2022: the whole day, in Vietnam's time, is in time
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		name      string
		submitted string // first submission; "" when never submitted
		status    SubmissionStatus
		today     string
		want      Timeliness
	}{
		{"submitted well before", "2022-07-01T08:00:00+07:00", StatusSubmitted, "2022-07-02T00:00:00+07:00", OnTime},
		{"submitted at the start of the deadline day", "2022-07-10T00:00:00+07:00", StatusSubmitted, "2022-07-10T00:00:00+07:00", OnTime},
		{"submitted in the last moment of the deadline day", "2022-07-10T23:59:59.999999999+07:00", StatusSubmitted, "2022-07-20T00:00:00+07:00", OnTime},
		{"submitted as the next day starts in Vietnam", "2022-07-11T00:00:00+07:00", StatusSubmitted, "2022-07-11T00:00:00+07:00", Late},
		{"submitted at 06:00 the next morning (23:00 UTC)", "2022-07-10T23:00:00Z", StatusSubmitted, "2022-07-11T08:00:00+07:00", Late},
		{"submitted weeks late", "2022-08-01T10:00:00+07:00", StatusApproved, "2022-09-01T00:00:00+07:00", Late},
		{"submitted in time, then returned", "2022-07-09T10:00:00+07:00", StatusReturned, "2022-07-20T00:00:00+07:00", OnTime},
		{"submitted in time and approved", "2022-07-09T10:00:00+07:00", StatusApproved, "2022-07-20T00:00:00+07:00", OnTime},
		{"nothing yet, before the deadline", "", StatusDraft, "2022-07-01T00:00:00+07:00", Pending},
		{"nothing yet, on the deadline day", "", StatusDraft, "2022-07-10T00:00:00+07:00", Pending},
		{"nothing yet, late on the deadline day", "", StatusDraft, "2022-07-10T23:59:59+07:00", Pending},
		{"nothing on the day after the deadline", "", StatusDraft, "2022-07-11T00:00:00+07:00", Missing},
		{"nothing long after", "", StatusDraft, "2023-01-01T00:00:00+07:00", Missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Submission{Status: tc.status}
			if tc.submitted != "" {
				s.FirstSentAt = at(tc.submitted)
				s.SubmittedAt = s.FirstSentAt
			}
			if got := r.Timeliness(s, at(tc.today)); got != tc.want {
				t.Errorf("Timeliness = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCompleteness(t *testing.T) {
	for _, tc := range []struct {
		statuses       []SubmissionStatus
		sent, expected int
	}{
		{nil, 0, 0},
		{[]SubmissionStatus{StatusDraft, StatusDraft}, 0, 2},
		{[]SubmissionStatus{StatusSubmitted, StatusDraft, StatusApproved}, 2, 3},
		{[]SubmissionStatus{StatusReturned, StatusApproved, StatusApproved, StatusSubmitted}, 3, 4},
		{[]SubmissionStatus{StatusReturned}, 0, 1},
	} {
		var subs []Submission
		for i, st := range tc.statuses {
			subs = append(subs, Submission{RoundID: 1, UnitID: int64(i + 1), Status: st})
		}
		sent, expected := Completeness(subs)
		if sent != tc.sent || expected != tc.expected {
			t.Errorf("Completeness(%v) = %d of %d, want %d of %d", tc.statuses, sent, expected, tc.sent, tc.expected)
		}
	}
}

func TestSubmissionTransitions(t *testing.T) {
	now := time.Date(2022, 7, 5, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-48 * time.Hour)
	const reviewer = 42
	// from returns a submission in status st as the store would hold it.
	from := func(st SubmissionStatus) Submission {
		s := Submission{RoundID: 1, UnitID: 3, Status: st, Version: 7}
		switch st {
		case StatusSubmitted: // sent again after a return, whose review is still on record
			s.SubmittedAt, s.ReviewedAt, s.ReviewerID, s.Comment = earlier, earlier, 9, "Thiếu số liệu"
		case StatusApproved:
			s.SubmittedAt, s.ReviewedAt, s.ReviewerID = earlier, earlier, 9
		case StatusReturned:
			s.SubmittedAt, s.ReviewedAt, s.ReviewerID, s.Comment = earlier, earlier, 9, "Thiếu số liệu"
		}
		return s
	}
	type action struct {
		name string
		do   func(s *Submission) error
	}
	submit := action{"submit", func(s *Submission) error { return s.Submit(now) }}
	approve := action{"approve", func(s *Submission) error { return s.Approve(reviewer, now) }}
	ret := action{"return", func(s *Submission) error { return s.Return(reviewer, "Số liệu tháng 5 chưa khớp", now) }}
	allowed := map[string]map[SubmissionStatus]SubmissionStatus{ // action → from → to
		"submit":  {StatusDraft: StatusSubmitted, StatusReturned: StatusSubmitted},
		"approve": {StatusSubmitted: StatusApproved},
		// Returning an approved submission undoes the approval.
		"return": {StatusSubmitted: StatusReturned, StatusApproved: StatusReturned},
	}
	for _, a := range []action{submit, approve, ret} {
		for _, st := range []SubmissionStatus{StatusDraft, StatusSubmitted, StatusApproved, StatusReturned} {
			t.Run(a.name+" from "+string(st), func(t *testing.T) {
				s := from(st)
				err := a.do(&s)
				to, ok := allowed[a.name][st]
				if !ok {
					if ErrorCode(err) != ECONFLICT || ErrorField(err) != "status" {
						t.Fatalf("got %v, want ECONFLICT on status", err)
					}
					if s != from(st) {
						t.Errorf("a refused move changed the submission: %+v, was %+v", s, from(st))
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				want := from(st)
				want.Status = to
				switch a.name {
				case "submit": // the latest submission time is kept, the first one set once; the review stays on record
					want.SubmittedAt = now
					if want.FirstSentAt.IsZero() {
						want.FirstSentAt = now
					}
				case "approve":
					want.ReviewerID, want.ReviewedAt, want.Comment = reviewer, now, ""
				case "return":
					want.ReviewerID, want.ReviewedAt, want.Comment = reviewer, now, "Số liệu tháng 5 chưa khớp"
				}
				if s != want {
					t.Errorf("got %+v\nwant %+v", s, want)
				}
			})
		}
	}
}

func TestSubmissionReturnComment(t *testing.T) {
	now := time.Date(2022, 7, 5, 9, 0, 0, 0, time.UTC)
	submitted := Submission{RoundID: 1, UnitID: 3, Status: StatusSubmitted, SubmittedAt: now.Add(-time.Hour)}
	for _, tc := range []struct {
		name, comment, want string // want "" means refused on the comment
	}{
		{"no comment", "", ""},
		{"only blanks", " \t\n ", ""},
		{"trimmed and precomposed", "  Thie\u0302\u0301u so\u0302\u0301 lie\u0323\u0302u  ", "Thiếu số liệu"},
		{"at the limit in runes", strings.Repeat("ữ", MaxCommentLength), strings.Repeat("ữ", MaxCommentLength)},
		{"over the limit", strings.Repeat("a", MaxCommentLength+1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := submitted
			err := s.Return(7, tc.comment, now)
			if tc.want == "" {
				if ErrorCode(err) != EINVALID || ErrorField(err) != "comment" {
					t.Fatalf("got %v, want EINVALID on comment", err)
				}
				if s != submitted {
					t.Errorf("a refused return changed the submission: %+v", s)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != StatusReturned || s.Comment != tc.want {
				t.Errorf("status %q, comment %q; want returned with %q", s.Status, s.Comment, tc.want)
			}
		})
	}
}

func TestSubmissionLocksActivities(t *testing.T) {
	// Approved locks everyone; submitted locks the reporters only; draft
	// and returned lock nobody.
	for _, st := range []SubmissionStatus{StatusDraft, StatusSubmitted, StatusApproved, StatusReturned} {
		for _, role := range Roles {
			want := st == StatusApproved || (st == StatusSubmitted && role == RoleReporter)
			if got := (Submission{Status: st}).LocksActivities(User{Role: role, UnitID: 3}); got != want {
				t.Errorf("%s submission locks a %s: %v, want %v", st, role, got, want)
			}
		}
	}
}

// TestApprovalOf: an activity is approved when an approved submission of
// its own unit covers its date, whatever other submissions say.
func TestApprovalOf(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	locks := []PeriodLock{
		{Submission{UnitID: 3, Status: StatusApproved}, day("2022-01-01"), day("2022-06-30")},
		{Submission{UnitID: 3, Status: StatusSubmitted}, day("2022-07-01"), day("2022-12-31")},
		{Submission{UnitID: 4, Status: StatusApproved}, day("2022-07-01"), day("2022-12-31")},
	}
	for _, c := range []struct {
		unit int64
		day  string
		want ApprovalState
	}{
		{3, "2022-01-01", StateApproved}, {3, "2022-06-30", StateApproved},
		{3, "2022-07-01", StatePending}, // submitted, not approved
		{3, "2021-12-31", StatePending}, // no round
		{4, "2022-09-09", StateApproved},
		{5, "2022-09-09", StatePending}, // another unit's approval
	} {
		if got := ApprovalOf(locks, c.unit, day(c.day)); got != c.want {
			t.Errorf("unit %d on %s: %s, want %s", c.unit, c.day, got, c.want)
		}
	}
}

func TestDaysLeft(t *testing.T) {
	r := Round{Deadline: time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		now  time.Time
		want int
	}{
		{time.Date(2026, 7, 12, 9, 0, 0, 0, Local), 3},
		{time.Date(2026, 7, 15, 23, 59, 0, 0, Local), 0},
		// 18:00 UTC on the 14th is already the 15th in Vietnam.
		{time.Date(2026, 7, 14, 18, 0, 0, 0, time.UTC), 0},
		{time.Date(2026, 7, 17, 8, 0, 0, 0, Local), -2},
		// Across a month's end and a year's.
		{time.Date(2026, 6, 30, 8, 0, 0, 0, Local), 15},
		{time.Date(2027, 1, 1, 8, 0, 0, 0, Local), -170},
	} {
		if got := r.DaysLeft(tc.now); got != tc.want {
			t.Errorf("DaysLeft at %s: %d, want %d", tc.now, got, tc.want)
		}
	}
}
