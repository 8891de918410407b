package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// setupState is everything the set-up commands may change: the three
// lists as JSON and the audit log, so that a refused command can be shown
// to have left it as it was.
func setupState(t *testing.T, db string) string {
	t.Helper()
	var b strings.Builder
	for _, list := range []string{"unit", "round", "plan"} {
		out, err := nsclRun(t, list, "list", "--db", db, "--json")
		if err != nil {
			t.Fatalf("%s list: %v", list, err)
		}
		b.WriteString(out)
	}
	for _, e := range auditOf(t, db, "") {
		fmt.Fprintf(&b, "%s %s %s %s\n", e.Action, e.Entity, e.EntityID, e.UserEmail)
	}
	return b.String()
}

// auditOf returns the audit log's entries about entity ("" for all), newest first.
func auditOf(t *testing.T, db, entity string) []store.AuditEntry {
	t.Helper()
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.AuditLog(t.Context(), store.AuditFilter{Entity: entity, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// refusal is a command that must fail naming a flag.
type refusal struct {
	name string
	args []string
	flag string
}

// wantRefused runs each command, wants it refused naming its flag in
// Vietnamese and English, and the stored data unchanged afterwards.
func wantRefused(t *testing.T, db string, cases []refusal) {
	t.Helper()
	before := setupState(t, db)
	for _, c := range cases {
		_, err := nsclRun(t, append(c.args, "--db", db)...)
		if nscl.ErrorField(err) != c.flag {
			t.Errorf("%s: got %v, want an error naming --%s", c.name, err, c.flag)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, c.flag+": ") || !strings.Contains(msg, " (") {
			t.Errorf("%s: the message should name --%s, in Vietnamese and English: %s", c.name, c.flag, msg)
		}
	}
	if after := setupState(t, db); after != before {
		t.Errorf("refused commands changed the data:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

type unitJSON struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	Level     string `json:"level"`
	Parent    string `json:"parent"`
	OpenedOn  string `json:"opened_on"`
	ClosedOn  string `json:"closed_on"`
}

func unitsOf(t *testing.T, db string) map[string]unitJSON {
	t.Helper()
	out, err := nsclRun(t, "unit", "list", "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Units []unitJSON `json:"units"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("unit list --json: %v\n%s", err, out)
	}
	units := map[string]unitJSON{}
	for _, u := range list.Units {
		units[u.Code] = u
	}
	return units
}

func TestUnitCommands(t *testing.T) {
	db := demoDB(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := nsclRun(t, append(args, "--db", db)...)
		if err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	// Beyond the demo: another province, a department opened in 2024
	// under it, and a centre under the department. The name comes
	// decomposed (NFD), as some keyboards type it, and is kept composed.
	run("unit", "add", "--code", "DNG", "--name", "Ủy ban nhân dân Thành phố Đà Nẵng", "--short-name", "UBND Thành phố", "--level", "province", "--parent", "BKHCN")
	out := run("unit", "add", "--code", "DNG-SKHCN", "--name", norm.NFD.String("Sở Khoa học và Công nghệ Thành phố Đà Nẵng"), "--level", "department", "--parent", "DNG", "--opened", "01/01/2024")
	if !strings.Contains(out, "DNG-SKHCN") || !strings.Contains(out, "(department)") {
		t.Errorf("unit add says: %s", out)
	}
	run("unit", "add", "--code", "DNG-SKHCN-TT", "--name", "Trung tâm Thông tin và Thống kê khoa học và công nghệ", "--level", "unit", "--parent", "DNG-SKHCN", "--opened", "2024-03-15")

	units := unitsOf(t, db)
	dept := units["DNG-SKHCN"]
	if dept.Parent != "DNG" || dept.Level != "department" || dept.OpenedOn != "2024-01-01" || dept.Name != "Sở Khoa học và Công nghệ Thành phố Đà Nẵng" || !norm.NFC.IsNormalString(dept.Name) {
		t.Errorf("the new department: %+v", dept)
	}
	if u := units["DNG-SKHCN-TT"]; u.Parent != "DNG-SKHCN" || u.OpenedOn != "2024-03-15" || u.Level != "unit" {
		t.Errorf("the new centre: %+v", u)
	}
	if u := units["HCM-Q1"]; u.ClosedOn != "2025-07-01" || u.Parent != "HCM" || u.ShortName != "Quận 1" {
		t.Errorf("a demo district: %+v", u)
	}
	tree := run("unit", "list")
	for _, line := range []string{
		"BKHCN — Bộ Khoa học và Công nghệ; bộ (ministry)\n",
		"\n  DNG — Ủy ban nhân dân Thành phố Đà Nẵng; tỉnh, thành phố (province)\n",
		"\n    DNG-SKHCN — Sở Khoa học và Công nghệ Thành phố Đà Nẵng; sở, ban, ngành (department); thành lập (opened) 01/01/2024\n",
		"\n      DNG-SKHCN-TT — ",
		"\n    HCM-Q1 — Ủy ban nhân dân Quận 1; quận, huyện (district); giải thể (closed) 01/07/2025\n",
	} {
		if !strings.Contains(tree, line) {
			t.Errorf("the tree lacks %q:\n%s", line, tree)
		}
	}

	wantRefused(t, db, []refusal{
		{"unknown parent", []string{"unit", "add", "--code", "X", "--name", "Sở X", "--level", "department", "--parent", "NOWHERE"}, "parent"},
		{"bad level", []string{"unit", "add", "--code", "X", "--name", "Sở X", "--level", "city", "--parent", "DNG"}, "level"},
		{"a department without a parent", []string{"unit", "add", "--code", "X", "--name", "Sở X", "--level", "department"}, "parent"},
		{"a province under a province", []string{"unit", "add", "--code", "X", "--name", "Tỉnh X", "--level", "province", "--parent", "DNG"}, "parent"},
		{"no name", []string{"unit", "add", "--code", "X", "--level", "department", "--parent", "DNG"}, "name"},
		{"code taken", []string{"unit", "add", "--code", "DNG", "--name", "Sở X", "--level", "department", "--parent", "DNG"}, "code"},
		{"bad opening date", []string{"unit", "add", "--code", "X", "--name", "Sở X", "--level", "department", "--parent", "DNG", "--opened", "31/02/2024"}, "opened"},
		{"closing a closed unit", []string{"unit", "close", "--code", "HCM-Q1", "--on", "01/08/2025"}, "on"},
		{"closing before opening", []string{"unit", "close", "--code", "DNG-SKHCN", "--on", "31/12/2023"}, "on"},
		{"closing without a date", []string{"unit", "close", "--code", "DNG-SKHCN"}, "on"},
		{"closing an unknown unit", []string{"unit", "close", "--code", "NOWHERE", "--on", "01/01/2026"}, "code"},
		{"moving a unit", []string{"unit", "edit", "--code", "DNG-SKHCN-TT", "--parent", "HCM-SKHCN"}, "parent"},
		{"editing an unknown unit", []string{"unit", "edit", "--code", "NOWHERE", "--name", "X"}, "code"},
		{"emptying a name", []string{"unit", "edit", "--code", "DNG-SKHCN", "--name", " "}, "name"},
		{"a closing date before the opening", []string{"unit", "edit", "--code", "DNG-SKHCN", "--closed", "01/06/2023"}, "closed"},
		{"a reporter", []string{"unit", "add", "--code", "X", "--name", "Sở X", "--level", "department", "--parent", "DNG", "--as", "thuduc@demo.local"}, "as"},
		{"an unknown account", []string{"unit", "close", "--code", "DNG-SKHCN", "--on", "01/01/2026", "--as", "ai@demo.local"}, "as"},
	})

	// Edits and the close are in the audit log, with the account --as names.
	run("unit", "edit", "--code", "DNG-SKHCN", "--short-name", "Sở KHCN Đà Nẵng", "--as", "admin@demo.local")
	run("unit", "edit", "--code", "DNG", "--short-name", "")
	out = run("unit", "close", "--code", "DNG-SKHCN-TT", "--on", "01/03/2026", "--as", "focal@demo.local")
	if !strings.Contains(out, "01/03/2026") {
		t.Errorf("unit close says: %s", out)
	}
	units = unitsOf(t, db)
	if units["DNG-SKHCN"].ShortName != "Sở KHCN Đà Nẵng" || units["DNG"].ShortName != "" || units["DNG-SKHCN-TT"].ClosedOn != "2026-03-01" || units["DNG-SKHCN"].OpenedOn != "2024-01-01" {
		t.Errorf("after the edits: %+v, %+v, %+v", units["DNG"], units["DNG-SKHCN"], units["DNG-SKHCN-TT"])
	}
	log := auditOf(t, db, "unit")
	if len(log) < 6 || log[0].Action != "update" || log[0].UserEmail != "focal@demo.local" || log[1].UserEmail != "" || log[2].UserEmail != "admin@demo.local" ||
		log[3].Action != "create" || log[3].UserEmail != "" {
		t.Errorf("audit log: %+v", log[:min(len(log), 6)])
	}
	if !strings.Contains(log[0].After, `"closed_on":"2026-03-01`) {
		t.Errorf("the close's audit entry: %s", log[0].After)
	}
	wantRefused(t, db, []refusal{{"closing twice", []string{"unit", "close", "--code", "DNG-SKHCN-TT", "--on", "01/04/2026"}, "on"}})
}

type roundJSON struct {
	ID          int64          `json:"id"`
	Title       string         `json:"title"`
	Document    int64          `json:"document_id"`
	PeriodStart string         `json:"period_start"`
	Deadline    string         `json:"deadline"`
	Units       []string       `json:"units"`
	Version     int64          `json:"version"`
	Expected    int            `json:"expected"`
	ByStatus    map[string]int `json:"by_status"`
	Submissions []struct {
		Unit   string `json:"unit"`
		Status string `json:"status"`
	} `json:"submissions"`
}

func roundsOf(t *testing.T, db string) map[string]roundJSON {
	t.Helper()
	out, err := nsclRun(t, "round", "list", "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Rounds []roundJSON `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("round list --json: %v\n%s", err, out)
	}
	rounds := map[string]roundJSON{}
	for _, r := range list.Rounds {
		rounds[r.Title] = r
	}
	return rounds
}

func TestRoundCommands(t *testing.T) {
	db := demoDB(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := nsclRun(t, append(args, "--db", db)...)
		if err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	list := run("round", "list")
	// The demo's 2022 round is approved for all; its 2023 one is open.
	if !strings.Contains(list, "Công văn 4225/KH-CN-TĐC") || !strings.Contains(list, "đã gửi (sent) 27/27 — đang soạn (draft): 0; đã gửi, chờ duyệt (submitted): 0; bị trả lại (returned): 0; đã duyệt (approved): 27") ||
		!strings.Contains(list, "đã gửi (sent) 0/27 — đang soạn (draft): 27; đã gửi, chờ duyệt (submitted): 0; bị trả lại (returned): 0; đã duyệt (approved): 0") ||
		!strings.Contains(list, "hạn nộp (deadline) 06/01/2023, đã kết thúc (ended)") {
		t.Errorf("round list:\n%s", list)
	}
	demoRound := roundsOf(t, db)["Báo cáo tình hình thực hiện hỗ trợ doanh nghiệp nâng cao năng suất chất lượng năm 2022"]
	if demoRound.ID != 1 || demoRound.Expected != 27 || demoRound.ByStatus["approved"] != 27 || len(demoRound.Submissions) != 27 {
		t.Errorf("the demo round as JSON: %+v", demoRound)
	}

	// A 2024 round, which the demo does not have, opened by the admin for
	// every district and department open in 2024, the new one among them,
	// and the departments of the two provinces the city absorbed in 2025,
	// which the demo holds with their past.
	run("unit", "add", "--code", "DNG-SKHCN", "--name", "Sở Khoa học và Công nghệ Đà Nẵng", "--level", "department", "--parent", "HCM", "--opened", "01/03/2024")
	out := run("round", "open", "--title", "Báo cáo năm 2024", "--document", "4225 / kh-cn-tđc", "--from", "01/01/2024", "--to", "31/12/2024",
		"--cutoff", "31/12/2024", "--deadline", "15/01/2025", "--level", "district, department", "--as", "admin@demo.local")
	// 22 districts, and 9 departments: the city's six, Bình Dương's, Bà
	// Rịa – Vũng Tàu's and the new one.
	if !strings.Contains(out, "31 đơn vị") {
		t.Errorf("round open says: %s", out)
	}
	r2024 := roundsOf(t, db)["Báo cáo năm 2024"]
	asked := strings.Join(r2024.Units, ",")
	if r2024.Expected != 31 || r2024.ByStatus["draft"] != 31 || r2024.PeriodStart != "2024-01-01" || r2024.Deadline != "2025-01-15" || r2024.Document != demoRound.Document ||
		!strings.Contains(asked, "HCM-Q1") || !strings.Contains(asked, "DNG-SKHCN") || !strings.Contains(asked, "HCM-SKHCN") || strings.Contains(asked, "BKHCN") || strings.Contains(asked, "HCM,") {
		t.Errorf("the 2024 round: %+v", r2024)
	}
	if log := auditOf(t, db, "round"); len(log) != len(demo.Rounds(nil, nil))+1 || log[0].Action != "create" || log[0].UserEmail != "admin@demo.local" {
		t.Errorf("audit of the rounds: %+v", log)
	}

	// --under keeps the city's own tree as it stood then: the absorbed
	// provinces' departments are left out of a 2024 round.
	run("round", "open", "--title", "Báo cáo năm 2024 của Thành phố", "--from", "01/01/2024", "--to", "31/12/2024", "--deadline", "15/01/2025",
		"--level", "district,department", "--under", "HCM")
	if own := roundsOf(t, db)["Báo cáo năm 2024 của Thành phố"]; own.Expected != 29 || strings.Contains(strings.Join(own.Units, ","), "BD-SKHCN") {
		t.Errorf("the city's own 2024 round asks %d: %v", own.Expected, own.Units)
	}

	// After the 2025 merger, the districts, two departments and the
	// absorbed provinces' are gone: --level asks the units still open, the
	// merged department and the wards that replaced the districts.
	out = run("round", "open", "--title", "Báo cáo năm 2026", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--level", "district,department")
	r2026 := roundsOf(t, db)["Báo cáo năm 2026"]
	if asked := strings.Join(r2026.Units, ","); !strings.HasPrefix(asked, "HCM-SKHCN,HCM-SCT,HCM-BQLATTP,HCM-BQLKCNC,HCM-SNNMT,HCM-P-SAIGON,") ||
		!strings.HasSuffix(asked, ",HCM-P-ANKHANH,DNG-SKHCN") || r2026.Expected != 5+102+1 || strings.Contains(asked, "HCM-Q1,") || strings.Contains(asked, "BD-SKHCN") {
		t.Errorf("the 2026 round asks %s", asked)
	}

	// A round far ahead of the clock, to close.
	run("round", "open", "--title", "Báo cáo quý I/2030", "--from", "01/01/2030", "--to", "31/03/2030", "--deadline", "31/12/2099", "--units", "HCM-SCT, DNG-SKHCN", "--as", "focal@demo.local")
	q1 := roundsOf(t, db)["Báo cáo quý I/2030"]
	if q1.Expected != 2 || q1.Version != 1 {
		t.Fatalf("the 2030 round: %+v", q1)
	}
	id := fmt.Sprint(q1.ID)

	wantRefused(t, db, []refusal{
		{"a round with no units", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027"}, "units"},
		{"no unit of the level to ask", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--level", "ministry"}, "level"},
		{"--under a unit the tree lacks", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--level", "department", "--under", "NOWHERE"}, "under"},
		{"a bad level", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--level", "ward"}, "level"},
		{"an unknown unit", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT,NOWHERE"}, "units"},
		{"a closed unit", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-Q1"}, "units"},
		{"a unit before it opened", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2023", "--to", "31/12/2023", "--deadline", "15/01/2024", "--units", "DNG-SKHCN"}, "units"},
		{"a bad date", []string{"round", "open", "--title", "Báo cáo", "--from", "1/13/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT"}, "from"},
		{"a period ending before it starts", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2025", "--deadline", "15/01/2027", "--units", "HCM-SCT"}, "to"},
		{"outside the programme", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2031", "--to", "31/12/2031", "--deadline", "15/01/2032", "--units", "HCM-SCT"}, "from"},
		{"no deadline", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--units", "HCM-SCT"}, "deadline"},
		{"a cut-off after the deadline", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--cutoff", "20/01/2027", "--units", "HCM-SCT"}, "cutoff"},
		{"no title", []string{"round", "open", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT"}, "title"},
		{"an unknown document", []string{"round", "open", "--title", "Báo cáo", "--document", "999/SKH-CN", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT"}, "document"},
		{"a reporter opening", []string{"round", "open", "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT", "--as", "thuduc@demo.local"}, "as"},
		{"closing an ended round", []string{"round", "close", "--id", "1"}, "on"},
		{"closing an unknown round", []string{"round", "close", "--id", "99", "--on", "01/02/2030"}, "id"},
		{"closing without --id", []string{"round", "close"}, "id"},
		{"closing before the period", []string{"round", "close", "--id", id, "--on", "31/12/2029"}, "on"},
		{"closing on a bad date", []string{"round", "close", "--id", id, "--on", "30/02/2030"}, "on"},
		{"closing after the deadline", []string{"round", "close", "--id", id, "--on", "01/01/2100"}, "on"},
		{"a reporter closing", []string{"round", "close", "--id", id, "--on", "01/02/2030", "--as", "thuduc@demo.local"}, "as"},
	})
	if _, err := nsclRun(t, "round", "open", "--db", db, "--title", "Báo cáo", "--from", "01/01/2026", "--to", "31/12/2026", "--deadline", "15/01/2027", "--units", "HCM-SCT", "--level", "department"); err == nil {
		t.Error("--units and --level together accepted")
	}

	out = run("round", "close", "--id", id, "--on", "01/02/2030", "--as", "admin@demo.local")
	if !strings.Contains(out, "01/02/2030") {
		t.Errorf("round close says: %s", out)
	}
	q1 = roundsOf(t, db)["Báo cáo quý I/2030"]
	if q1.Deadline != "2030-02-01" || q1.Version != 2 || q1.Expected != 2 {
		t.Errorf("the closed round: %+v", q1)
	}
	if log := auditOf(t, db, "round"); log[0].Action != "close" || log[0].UserEmail != "admin@demo.local" || !strings.Contains(log[0].After, `"deadline":"2030-02-01`) {
		t.Errorf("audit of the close: %+v", log[0])
	}
	wantRefused(t, db, []refusal{{"closing twice", []string{"round", "close", "--id", id, "--on", "01/02/2030"}, "on"}})

	// Without --on a round ends today, in Vietnam.
	run("round", "open", "--title", "Báo cáo đến nay", "--from", "01/01/2026", "--to", "30/06/2026", "--deadline", "31/12/2099", "--units", "HCM-SCT")
	now := roundsOf(t, db)["Báo cáo đến nay"]
	run("round", "close", "--id", fmt.Sprint(now.ID))
	if got, today := roundsOf(t, db)["Báo cáo đến nay"].Deadline, time.Now().In(nscl.Local).Format(time.DateOnly); got != today {
		t.Errorf("closed today: deadline %s, want %s", got, today)
	}
	wantRefused(t, db, []refusal{{"closing today twice", []string{"round", "close", "--id", fmt.Sprint(now.ID)}, "on"}})
}

func TestPlanList(t *testing.T) {
	db := demoDB(t)
	out, err := nsclRun(t, "plan", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Kế hoạch 05 năm (Five-year plan) 2021–2025; đơn vị (unit) HCM — Ủy ban nhân dân Thành phố Hồ Chí Minh\n  văn bản (document): Quyết định 299/QĐ-UBND\n",
		": 10.000 lượt doanh nghiệp [training_enterprises]\n",
		": 150 lượt chuyên gia [experts_trained]\n",
		"Kế hoạch năm (Annual plan) 2023; đơn vị (unit) HCM",
		": 3.500 lượt doanh nghiệp [training_enterprises]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan list lacks %q:\n%s", want, out)
		}
	}
	// A plan the demo does not have: Đà Nẵng's for 2024, with no target yet.
	if _, err := nsclRun(t, "unit", "add", "--db", db, "--code", "DNG", "--name", "Ủy ban nhân dân Thành phố Đà Nẵng", "--level", "province", "--parent", "BKHCN"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(t.Context(), func(tx *store.Tx) error {
		prog, err := tx.ProgrammeByCode(t.Context(), "NSCL")
		if err != nil {
			return err
		}
		unit, err := tx.UnitByCode(t.Context(), "DNG")
		if err != nil {
			return err
		}
		return tx.CreatePlan(t.Context(), prog, &nscl.Plan{UnitID: unit.ID, Kind: nscl.AnnualPlan, StartYear: 2024, EndYear: 2024, Name: "Kế hoạch năm 2024 của Đà Nẵng"})
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ = nsclRun(t, "plan", "list", "--db", db)
	if !strings.Contains(out, "Kế hoạch năm 2024 của Đà Nẵng\n  Kế hoạch năm (Annual plan) 2024; đơn vị (unit) DNG — Ủy ban nhân dân Thành phố Đà Nẵng\n  chưa đặt chỉ tiêu (no targets)\n") {
		t.Errorf("the new plan:\n%s", out)
	}

	out, err = nsclRun(t, "plan", "list", "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	type planJSON struct {
		Kind      string           `json:"kind"`
		Unit      string           `json:"unit"`
		StartYear int              `json:"start_year"`
		EndYear   int              `json:"end_year"`
		Name      string           `json:"name"`
		Targets   map[string]int64 `json:"targets"`
	}
	var list struct {
		Plans []planJSON `json:"plans"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("plan list --json: %v\n%s", err, out)
	}
	// The city's two of 2021–2025, the absorbed provinces' two, the second
	// phase's two (the Ministry's national plan and the city's), and Đà Nẵng's.
	if len(list.Plans) != 7 {
		t.Fatalf("%d plans:\n%s", len(list.Plans), out)
	}
	var five, annual, added, bd, national, city planJSON
	for _, p := range list.Plans {
		switch {
		case p.Unit == "HCM" && p.Kind == "five_year" && p.StartYear == 2021:
			five = p
		case p.Unit == "HCM" && p.Kind == "five_year":
			city = p
		case p.Unit == "HCM":
			annual = p
		case p.Unit == "DNG":
			added = p
		case p.Unit == "BD":
			bd = p
		case p.Unit == "BKHCN":
			national = p
		}
	}
	if bd.Unit != "BD" || bd.Kind != "five_year" || !strings.Contains(bd.Name, "minh họa") || bd.Targets["training_enterprises"] != 4000 {
		t.Errorf("Bình Dương's plan: %+v", bd)
	}
	if national.Unit != "BKHCN" || national.StartYear != 2026 || national.Targets["experts_certified"] != 200 ||
		city.Unit != "HCM" || city.StartYear != 2026 || city.EndYear != 2030 {
		t.Errorf("the 2026–2030 plans: %+v, %+v", national, city)
	}
	if five.Kind != "five_year" || five.Unit != "HCM" || five.StartYear != 2021 || five.EndYear != 2025 || five.Targets["training_enterprises"] != 10000 || five.Targets["labs_strengthened"] != 10 {
		t.Errorf("the 5-year plan: %+v", five)
	}
	if annual.Kind != "annual" || annual.StartYear != 2023 || annual.Targets["enterprises_supported"] != 50 || len(annual.Targets) != 3 {
		t.Errorf("the 2023 plan: %+v", annual)
	}
	if added.Unit != "DNG" || added.StartYear != 2024 || len(added.Targets) != 0 {
		t.Errorf("the added plan: %+v", added)
	}
}

func TestHelpListsTheSetUpCommands(t *testing.T) {
	out, _ := nsclRun(t, "help")
	for _, cmd := range []string{"unit add|edit|close|move|list", "round open|list|close", "plan list", "portal counting"} {
		if !strings.Contains(out, cmd) {
			t.Errorf("help does not list %s:\n%s", cmd, out)
		}
	}
}

type unitHistoryJSON struct {
	Unit        unitJSON `json:"unit"`
	Successions []struct {
		Predecessor, Successor, On, Kind string
	} `json:"successions"`
	Moves []struct {
		Unit      string `json:"unit"`
		OldParent string `json:"old_parent"`
		NewParent string `json:"new_parent"`
		On        string `json:"on"`
	} `json:"moves"`
}

// Districts of a province the demo does not hold close into it: one is a
// renaming, three on a day a merger; the demo's districts, closed with
// their successors, refuse another closing; a district with activities
// moves to that province, and the kept totals still match the activities.
func TestUnitSuccessionAndMoveCommands(t *testing.T) {
	db := demoDB(t)
	run := func(args ...string) string {
		t.Helper()
		out, err := nsclRun(t, append(args, "--db", db)...)
		if err != nil {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	history := func(out string) unitHistoryJSON {
		t.Helper()
		var h unitHistoryJSON
		if err := json.Unmarshal([]byte(out), &h); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return h
	}
	run("unit", "add", "--code", "CT", "--name", "Ủy ban nhân dân Thành phố Cần Thơ", "--level", "province", "--parent", "BKHCN")
	for code, name := range map[string]string{"CT-NK": "Quận Ninh Kiều", "CT-BT": "Quận Bình Thủy", "CT-CR": "Quận Cái Răng"} {
		run("unit", "add", "--code", code, "--name", "Ủy ban nhân dân "+name, "--level", "district", "--parent", "CT")
	}

	wantRefused(t, db, []refusal{
		{"an unknown successor", []string{"unit", "close", "--code", "HCM-Q1", "--on", "01/07/2025", "--successor", "HCM,NOWHERE"}, "successor"},
		{"no successor", []string{"unit", "close", "--code", "HCM-Q1", "--on", "01/07/2025", "--successor", ""}, "successor"},
		{"succeeding itself", []string{"unit", "close", "--code", "HCM-Q1", "--on", "01/07/2025", "--successor", "HCM-Q1"}, "successor"},
		{"a closed successor", []string{"unit", "close", "--code", "HCM-Q1", "--on", "01/07/2025", "--successor", "HCM-THUDUC"}, "successor"},
		{"another closing day", []string{"unit", "close", "--code", "HCM-Q1", "--on", "02/07/2025", "--successor", "HCM"}, "on"},
		{"moving under an unknown unit", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "NOWHERE", "--on", "01/01/2024"}, "parent"},
		{"moving under a district", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "HCM-Q1", "--on", "01/01/2024"}, "parent"},
		{"moving a closed unit", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "CT", "--on", "01/08/2025"}, "on"},
		{"moving without a date", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "CT"}, "on"},
		{"moving as a reporter", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "CT", "--on", "01/01/2024", "--as", "thuduc@demo.local"}, "as"},
	})

	h := history(run("unit", "close", "--code", "CT-NK", "--on", "01/07/2025", "--successor", "CT", "--json"))
	if h.Unit.Code != "CT-NK" || h.Unit.ClosedOn != "2025-07-01" || len(h.Successions) != 1 || h.Successions[0].Successor != "CT" || h.Successions[0].Kind != "rename" {
		t.Errorf("Ninh Kiều into the city: %+v", h)
	}
	out := run("unit", "close", "--code", "CT-BT", "--on", "01/07/2025", "--successor", "CT", "--as", "focal@demo.local")
	if !strings.Contains(out, "01/07/2025") || !strings.Contains(out, "CT") {
		t.Errorf("unit close says: %s", out)
	}
	h = history(run("unit", "close", "--code", "CT-CR", "--on", "01/07/2025", "--successor", "CT", "--json"))
	if len(h.Successions) != 1 || h.Successions[0].Kind != "merge" {
		t.Errorf("three districts into the city are a merger: %+v", h.Successions)
	}

	out = run("unit", "move", "--code", "HCM-THUDUC", "--parent", "CT", "--on", "01/01/2024")
	if !strings.Contains(out, "CT") || !strings.Contains(out, "01/01/2024") {
		t.Errorf("unit move says: %s", out)
	}
	if u := unitsOf(t, db)["HCM-THUDUC"]; u.Parent != "CT" || u.ClosedOn != "2025-07-01" {
		t.Errorf("Thủ Đức after the move: %+v", u)
	}
	wantRefused(t, db, []refusal{{"moving back before the move", []string{"unit", "move", "--code", "HCM-THUDUC", "--parent", "HCM", "--on", "31/12/2023"}, "on"}})
	h = history(run("unit", "move", "--code", "HCM-THUDUC", "--parent", "HCM", "--on", "01/03/2025", "--json"))
	if len(h.Moves) != 2 || h.Moves[0].OldParent != "HCM" || h.Moves[0].NewParent != "CT" || h.Moves[1].On != "2025-03-01" || h.Unit.Parent != "HCM" {
		t.Errorf("Thủ Đức's moves: %+v", h)
	}
	// Kept totals are per unit and add up by today's tree as they are
	// read: the moves leave them matching the activities.
	if out := run("check"); !strings.Contains(out, "match the raw activities") {
		t.Errorf("check after the moves says: %s", out)
	}
	log := auditOf(t, db, "unit_parent_change")
	if len(log) != 2 || log[0].Action != "create" {
		t.Errorf("the moves' audit entries: %+v", log)
	}
}
