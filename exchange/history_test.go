package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// historyRound opens a 2024 round (the demo holds none) asking Thủ Đức,
// Quận 1 and a department, and takes its submissions through the steps a
// round sees: Thủ Đức returned twice with comments, then approved; Quận 1
// approved, then the approval undone with a comment; the department never
// sends. Each step an hour after the last. It returns the round's title.
func historyRound(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := t.Context()
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]nscl.OrgUnit{}
	for _, code := range []string{demo.UnitThuDuc, "HCM-Q1", "HCM-SCT", demo.UnitCity} {
		if units[code], err = st.UnitByCode(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	users := map[string]nscl.User{
		"focal":  {Email: "dau-moi@history.test", Name: "Cán bộ đầu mối", Role: nscl.RoleFocal, UnitID: units[demo.UnitCity].ID},
		"thuduc": {Email: "thu-duc@history.test", Name: "Báo cáo Thủ Đức", Role: nscl.RoleReporter, UnitID: units[demo.UnitThuDuc].ID},
		"quan1":  {Email: "quan-1@history.test", Name: "Báo cáo Quận 1", Role: nscl.RoleReporter, UnitID: units["HCM-Q1"].ID},
	}
	const title = "Báo cáo 6 tháng đầu năm 2024 (lịch sử)"
	r := nscl.Round{Title: title, PeriodStart: day(2024, 1, 1), PeriodEnd: day(2024, 6, 30), Deadline: day(2024, 7, 10),
		UnitIDs: []int64{units[demo.UnitThuDuc].ID, units["HCM-Q1"].ID, units["HCM-SCT"].ID}}
	update(t, st, func(ctx context.Context, tx *store.Tx) error {
		for k, u := range users {
			if err := tx.CreateUser(ctx, &u, "mật-khẩu-lịch-sử-đủ-dài"); err != nil {
				return err
			}
			users[k] = u
		}
		return tx.CreateRound(ctx, prog, &r)
	})
	at := time.Date(2024, 7, 1, 8, 0, 0, 0, time.UTC)
	act := func(who, unit string, action store.SubmissionAction, comment string) {
		t.Helper()
		at = at.Add(time.Hour)
		st.Now = func() time.Time { return at }
		_, subs, err := st.Round(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(subs, func(s nscl.Submission) bool { return s.UnitID == units[unit].ID })
		actor := store.WithActor(ctx, users[who].ID)
		if err := st.Update(actor, func(tx *store.Tx) error {
			_, err := tx.ActOnSubmission(actor, r.ID, units[unit].ID, subs[i].Version, action, comment)
			return err
		}); err != nil {
			t.Fatalf("%s: %s of %s: %v", who, action, unit, err)
		}
	}
	act("thuduc", demo.UnitThuDuc, store.ActionSubmit, "")
	act("focal", demo.UnitThuDuc, store.ActionReturn, "Thiếu danh sách học viên lớp Lean.")
	act("thuduc", demo.UnitThuDuc, store.ActionSubmit, "")
	act("quan1", "HCM-Q1", store.ActionSubmit, "")
	act("focal", demo.UnitThuDuc, store.ActionReturn, "Số học viên chưa khớp:\n38, không phải 40.")
	act("focal", "HCM-Q1", store.ActionApprove, "")
	act("thuduc", demo.UnitThuDuc, store.ActionSubmit, "")
	act("focal", demo.UnitThuDuc, store.ActionApprove, "")
	act("focal", "HCM-Q1", store.ActionReturn, "Duyệt nhầm: còn thiếu hội thảo tháng 5.")
	st.Now = func() time.Time { return testNow }
	return title
}

// roundSteps is a round's history by unit code, each step as
// "step at comment", and whether any step names who took it.
func roundSteps(t *testing.T, st *store.Store, title string) (steps map[string][]string, named bool) {
	t.Helper()
	ctx := t.Context()
	prog, err := st.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := st.Rounds(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rounds, func(r nscl.Round) bool { return r.Title == title })
	if i < 0 {
		t.Fatalf("no round %q", title)
	}
	history, err := st.RoundHistory(ctx, rounds[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	steps = map[string][]string{}
	for unitID, events := range history {
		u, err := st.UnitByID(ctx, unitID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			steps[u.Code] = append(steps[u.Code], fmt.Sprintf("%s %s %q", e.Step, e.At.UTC().Format(time.RFC3339), e.Comment))
			named = named || e.UserID != 0
		}
	}
	return steps, named
}

// An nscl-exchange file carries every step of each submission, with its
// comments and times, and the copy reads the same history, by no one known
// since accounts are not exchanged. A file without the history (written
// before it was carried) gets the history its records tell.
func TestRoundTripKeepsSubmissionHistory(t *testing.T) {
	eachEngine(t, func(t *testing.T, open func() *store.Store) {
		a, b, old := open(), open(), open()
		if _, err := demo.Load(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		title := historyRound(t, a)
		want, named := roundSteps(t, a, title)
		if !named || len(want[demo.UnitThuDuc]) != 6 || len(want["HCM-Q1"]) != 3 || len(want["HCM-SCT"]) != 0 {
			t.Fatalf("the original's history is not what the test made: %q", want)
		}
		file := export(t, a, demo.ProgrammeCode)
		if _, err := Import(t.Context(), b, bytes.NewReader(file)); err != nil {
			t.Fatalf("Import: %v", err)
		}
		got, named := roundSteps(t, b, title)
		for _, code := range []string{demo.UnitThuDuc, "HCM-Q1", "HCM-SCT"} {
			if !slices.Equal(got[code], want[code]) {
				t.Errorf("%s's history after the round trip:\n%q\nwant\n%q", code, got[code], want[code])
			}
		}
		if named {
			t.Errorf("the copy names who took a step, though accounts are not exchanged")
		}
		if again := export(t, b, demo.ProgrammeCode); !bytes.Equal(historyOf(t, again), historyOf(t, file)) {
			t.Errorf("the copy exports another history than the original's")
		}

		// A file written before the history was carried.
		if _, err := Import(t.Context(), old, bytes.NewReader(withoutHistory(t, file))); err != nil {
			t.Fatalf("Import of a file without history: %v", err)
		}
		got, _ = roundSteps(t, old, title)
		told := map[string][]string{ // the last sending and the last review, from the records
			demo.UnitThuDuc: {want[demo.UnitThuDuc][4], want[demo.UnitThuDuc][5]},
			"HCM-Q1":        {want["HCM-Q1"][0], `return 2024-07-01T17:00:00Z "Duyệt nhầm: còn thiếu hội thảo tháng 5."`},
		}
		for code, steps := range told {
			if !slices.Equal(got[code], steps) {
				t.Errorf("%s's history from a file without it: %q, want %q", code, got[code], steps)
			}
		}
	})
}

// A step the file gets wrong is refused, naming the submission and the
// step's field, and nothing is written.
func TestImportRefusesABadHistoryStep(t *testing.T) {
	a := openStore(t, t.TempDir()+"/a.db")
	if _, err := demo.Load(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	historyRound(t, a)
	file := export(t, a, demo.ProgrammeCode)
	for _, tc := range []struct{ from, to, field string }{
		{`"step":"return"`, `"step":"xóa"`, "history[1].step"},
		{`"at":"2024-07-01T10:00:00Z"`, `"at":"01/07/2024 10:00"`, "history[1].at"},
	} {
		if !bytes.Contains(file, []byte(tc.from)) {
			t.Fatalf("the file has no %s to spoil", tc.from)
		}
		b := openStore(t, t.TempDir()+"/b.db")
		_, err := Import(t.Context(), b, bytes.NewReader(bytes.Replace(file, []byte(tc.from), []byte(tc.to), 1)))
		if err == nil || !strings.Contains(err.Error(), "(unit "+demo.UnitThuDuc+")") || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: %v, want an error naming Thủ Đức's submission and %s", tc.to, err, tc.field)
		}
		if _, err := b.ProgrammeByCode(t.Context(), demo.ProgrammeCode); err == nil {
			t.Errorf("%s: the refused file wrote its programme", tc.to)
		}
	}
}

// historyOf is the rounds' submissions' histories of an export, as JSON.
func historyOf(t *testing.T, file []byte) []byte {
	t.Helper()
	var f struct {
		Rounds []struct {
			Submissions []struct {
				Unit    string          `json:"unit"`
				History json.RawMessage `json:"history"`
			} `json:"submissions"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(file, &f); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(f.Rounds)
	return out
}

// withoutHistory is the file as an older nscl wrote it: no submission's
// history (the test's comments hold no "]").
func withoutHistory(t *testing.T, file []byte) []byte {
	t.Helper()
	history := regexp.MustCompile(`,"history":\[[^\]]*\]`)
	if n := len(history.FindAll(file, -1)); n < 2 {
		t.Fatalf("%d submissions with a history in the file, want Thủ Đức's and Quận 1's at least", n)
	}
	return history.ReplaceAll(file, nil)
}
