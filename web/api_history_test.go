package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"nscl"
)

// GET /api/v1/rounds/{id} carries each submission's history — every step,
// who took it, when, and a return's comment kept after approval — for the
// units the reader may read; the list of rounds does not.
func TestAPIRoundCarriesSubmissionHistory(t *testing.T) {
	f := newRoundFixture(t, time.Date(2024, 7, 15, 0, 0, 0, 0, time.UTC))
	f.at(vietnam(2024, 7, 1, 9))
	q1Reporter := f.reporterOf(t, f.q1)
	asked := "Bổ sung danh sách học viên lớp tháng 3"
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.at(vietnam(2024, 7, 1, 10))
	f.act(t, f.focal, f.thuDuc, "return", asked)
	f.at(vietnam(2024, 7, 1, 11))
	f.act(t, f.reporter, f.thuDuc, "submit", "")
	f.act(t, q1Reporter, f.q1, "submit", "")
	f.at(vietnam(2024, 7, 1, 12))
	f.act(t, f.focal, f.thuDuc, "approve", "")

	focalUser, err := f.ts.store.UserByEmail(t.Context(), "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	reporterUser, err := f.ts.store.UserByEmail(t.Context(), "thuduc@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		Step    nscl.ReviewStep `json:"step"`
		Name    string          `json:"by_name"`
		Email   string          `json:"by_email"`
		At      time.Time       `json:"at"`
		Comment string          `json:"comment"`
	}
	read := func(c *http.Client) map[string][]step {
		t.Helper()
		code, body := fetch(t, c, "GET", fmt.Sprintf("%s/api/v1/rounds/%d", f.ts.URL, f.round.ID), "", "")
		if code != http.StatusOK {
			t.Fatalf("round: %d %s", code, body)
		}
		var round struct {
			Submissions []struct {
				Unit    string  `json:"unit"`
				History *[]step `json:"history"`
			} `json:"submissions"`
		}
		if err := json.Unmarshal([]byte(body), &round); err != nil {
			t.Fatal(err)
		}
		out := map[string][]step{}
		for _, s := range round.Submissions {
			if s.History == nil {
				t.Errorf("%s: no history in %s", s.Unit, body)
				continue
			}
			out[s.Unit] = *s.History
		}
		return out
	}

	all := read(f.focal)
	if len(all) != 3 || len(all[f.sct.Code]) != 0 || len(all[f.q1.Code]) != 1 {
		t.Fatalf("focal staff read every unit's history: %+v", all)
	}
	want := []step{
		{nscl.StepSubmit, reporterUser.Name, reporterUser.Email, vietnam(2024, 7, 1, 9), ""},
		{nscl.StepReturn, focalUser.Name, focalUser.Email, vietnam(2024, 7, 1, 10), asked},
		{nscl.StepSubmit, reporterUser.Name, reporterUser.Email, vietnam(2024, 7, 1, 11), ""},
		{nscl.StepApprove, focalUser.Name, focalUser.Email, vietnam(2024, 7, 1, 12), ""},
	}
	got := all[f.thuDuc.Code]
	if len(got) != len(want) {
		t.Fatalf("Thủ Đức's history: %+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.Step != w.Step || g.Name != w.Name || g.Email != w.Email || !g.At.Equal(w.At) || g.Comment != w.Comment {
			t.Errorf("step %d: %+v, want %+v", i, g, w)
		}
	}
	if q1 := all[f.q1.Code][0]; q1.Step != nscl.StepSubmit || q1.Email != strings.ToLower(f.q1.Code)+"@round.test" {
		t.Errorf("Q1's sending: %+v", q1)
	}

	// A reporter reads its own unit's history, nobody else's.
	own := read(f.reporter)
	if len(own) != 1 || len(own[f.thuDuc.Code]) != len(want) {
		t.Errorf("the reporter reads %+v", own)
	}

	// The list of rounds stays short: no history in it.
	_, list := fetch(t, f.focal, "GET", f.ts.URL+"/api/v1/rounds", "", "")
	if strings.Contains(list, `"history"`) || !strings.Contains(list, f.round.Title) {
		t.Errorf("the list of rounds: %s", trim(list))
	}
}
