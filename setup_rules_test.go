package nscl

import (
	"testing"
	"time"
)

// A unit closes once; a wrong closing date is corrected by editing it.
func TestUnitClosesOnce(t *testing.T) {
	u := OrgUnit{Code: "HCM-Q1", Level: LevelDistrict}
	merger := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	if err := u.Close(merger); err != nil || !u.ClosedOn.Equal(merger) {
		t.Fatalf("close: %v, closed on %v", err, u.ClosedOn)
	}
	if err := u.Close(merger.AddDate(0, 1, 0)); ErrorCode(err) != ECONFLICT || ErrorField(err) != "closed_on" || !u.ClosedOn.Equal(merger) {
		t.Errorf("closing twice: %v, closed on %v", err, u.ClosedOn)
	}
	if u.OpenOn(merger) || !u.OpenOn(merger.AddDate(0, 0, -1)) {
		t.Error("the closing day is the first day closed")
	}
}

// A document is found by its number and symbol as people type them.
func TestDocumentHasNumber(t *testing.T) {
	d := Document{Type: "Công văn", Number: "4225", Symbol: "KH-CN-TĐC"}
	for _, ref := range []string{"4225/KH-CN-TĐC", " 4225 / kh-cn-tđc "} {
		if !d.HasNumber(ref) {
			t.Errorf("%q does not find %s", ref, d.NumberSymbol())
		}
	}
	for _, ref := range []string{"4225", "4225/KH-CN", "1322/QĐ-TTg"} {
		if d.HasNumber(ref) {
			t.Errorf("%q finds %s", ref, d.NumberSymbol())
		}
	}
}

func TestStatusCountsNamesEveryStatus(t *testing.T) {
	got := StatusCounts([]Submission{{Status: StatusDraft}, {Status: StatusDraft}, {Status: StatusApproved}})
	want := map[SubmissionStatus]int{StatusDraft: 2, StatusSubmitted: 0, StatusReturned: 0, StatusApproved: 1}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for s, n := range want {
		if got[s] != n {
			t.Errorf("%s: %d, want %d", s, got[s], n)
		}
	}
}
