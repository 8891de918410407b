package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nscl"
)

type unitHistoryAnswer struct {
	Unit        apiUnit         `json:"unit"`
	Successions []apiSuccession `json:"successions"`
	Moves       []apiMove       `json:"moves"`
	Error       *struct {
		Field string `json:"field"`
	} `json:"error"`
}

func answerOf(t *testing.T, body string) unitHistoryAnswer {
	t.Helper()
	var a unitHistoryAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return a
}

func unitID(t *testing.T, ts *testServer, code string) int64 {
	t.Helper()
	u, err := ts.store.UnitByCode(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// Closing into successors and moving, through the API: refusals name the
// field and change nothing; the answers give the unit's history.
func TestAPIUnitCloseAndMove(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	q1, thuduc := unitID(t, ts, "HCM-Q1"), unitID(t, ts, "HCM-THUDUC")
	closeQ1 := fmt.Sprintf("%s/api/v1/units/%d/close", ts.URL, q1)
	moveThuDuc := fmt.Sprintf("%s/api/v1/units/%d/move", ts.URL, thuduc)

	for _, c := range []struct {
		name, url, body string
		status          int
		field           string
	}{
		{"unknown successor", closeQ1, `{"on":"01/07/2025","successors":["HCM","NOWHERE"]}`, http.StatusBadRequest, "successor"},
		{"no successor", closeQ1, `{"on":"01/07/2025","successors":[]}`, http.StatusBadRequest, "successor"},
		{"bad date", closeQ1, `{"on":"31/06/2025","successors":["HCM"]}`, http.StatusBadRequest, "on"},
		{"closed another day", closeQ1, `{"on":"01/01/2025","successors":["HCM"]}`, http.StatusConflict, "on"},
		{"no parent", moveThuDuc, `{"on":"01/01/2024"}`, http.StatusBadRequest, "parent"},
		{"under a district", moveThuDuc, `{"parent":"HCM-Q1","on":"01/01/2024"}`, http.StatusBadRequest, "parent"},
		{"after closing", moveThuDuc, `{"parent":"BKHCN","on":"01/07/2025"}`, http.StatusBadRequest, "on"},
	} {
		status, body := fetch(t, focal, "POST", c.url, jsonType, c.body)
		if a := answerOf(t, body); status != c.status || a.Error == nil || a.Error.Field != c.field {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, status, body, c.status, c.field)
		}
	}
	if status, _ := fetch(t, reporter, "POST", closeQ1, jsonType, `{"on":"01/07/2025","successors":["HCM"]}`); status != http.StatusForbidden {
		t.Errorf("a reporter closing a unit: %d", status)
	}
	_, body := fetch(t, focal, "GET", fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, q1), "", "")
	if a := answerOf(t, body); len(a.Successions) != 0 || len(a.Moves) != 0 {
		t.Fatalf("refusals left a history: %s", body)
	}

	status, body := fetch(t, focal, "POST", closeQ1, jsonType, `{"on":"01/07/2025","successors":["HCM"]}`)
	a := answerOf(t, body)
	if status != http.StatusOK || a.Unit.Code != "HCM-Q1" || len(a.Successions) != 1 || a.Successions[0] != (apiSuccession{Predecessor: "HCM-Q1", Successor: "HCM", On: "2025-07-01", Kind: nscl.KindRename}) {
		t.Errorf("Quận 1 into the city: %d %s", status, body)
	}
	fetch(t, focal, "POST", fmt.Sprintf("%s/api/v1/units/%d/close", ts.URL, unitID(t, ts, "HCM-Q3")), jsonType, `{"on":"01/07/2025","successors":["HCM"]}`)
	_, body = fetch(t, focal, "GET", fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, unitID(t, ts, "HCM")), "", "")
	if a := answerOf(t, body); len(a.Successions) != 2 || a.Successions[0].Kind != nscl.KindMerge || a.Successions[1].Kind != nscl.KindMerge {
		t.Errorf("the city's history after two districts: %s", body)
	}

	fetch(t, focal, "POST", ts.URL+"/api/v1/units", jsonType, `{"code":"CT","name":"Ủy ban nhân dân Thành phố Cần Thơ","level":"province","parent":"BKHCN"}`)
	status, body = fetch(t, focal, "POST", moveThuDuc, jsonType, `{"parent":"CT","on":"01/01/2024"}`)
	a = answerOf(t, body)
	if status != http.StatusOK || a.Unit.Parent != "CT" || len(a.Moves) != 1 || a.Moves[0] != (apiMove{Unit: "HCM-THUDUC", OldParent: "HCM", NewParent: "CT", On: "2024-01-01"}) {
		t.Errorf("Thủ Đức to Cần Thơ: %d %s", status, body)
	}
}

// The unit page closes a unit into successors and moves it, each mistake
// beside its field, and lists what it recorded.
func TestUnitPageClosesAndMoves(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	q1 := unitID(t, ts, "HCM-Q1")
	page := fmt.Sprintf("%s/setup/units/%d", ts.URL, q1)
	besideField := func(body, field string) string {
		m := regexp.MustCompile(`name="` + field + `"[^>]*>(?:.*?</select>)?<span class="field-error">([^<]*)</span>`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	status, body := fetch(t, focal, "POST", page+"/close", formType, form(map[string]string{"successors": "HCM, NOWHERE", "close_on": "01/07/2025"}))
	if msg := besideField(body, "successors"); status != http.StatusBadRequest || !strings.Contains(msg, "NOWHERE") || besideField(body, "close_on") != "" {
		t.Errorf("an unknown successor: %d, beside the field %q", status, msg)
	}
	if !strings.Contains(body, `value="HCM, NOWHERE"`) {
		t.Error("the page should keep what was typed")
	}
	status, body = fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": fmt.Sprint(unitID(t, ts, "BKHCN")), "move_on": "30/02/2024"}))
	if msg := besideField(body, "move_on"); status != http.StatusBadRequest || msg == "" || besideField(body, "close_on") != "" {
		t.Errorf("a bad move date: %d, beside the field %q", status, msg)
	}
	status, body = fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": fmt.Sprint(unitID(t, ts, "BKHCN")), "move_on": "01/08/2025"}))
	if msg := besideField(body, "move_on"); status != http.StatusBadRequest || msg == "" {
		t.Errorf("a move after closing: %d, beside the field %q", status, msg)
	}

	if status, _ := fetch(t, focal, "POST", page+"/close", formType, form(map[string]string{"successors": "HCM", "close_on": "01/07/2025"})); status != http.StatusSeeOther {
		t.Fatalf("closing into the city: %d", status)
	}
	if status, _ := fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": fmt.Sprint(unitID(t, ts, "BKHCN")), "move_on": "01/01/2024"})); status != http.StatusSeeOther {
		t.Fatalf("moving under the ministry: %d", status)
	}
	_, body = fetch(t, focal, "GET", page+"/edit", "", "")
	for _, want := range []string{"01/01/2024: HCM-Q1 chuyển từ HCM sang BKHCN", "01/07/2025: HCM-Q1 kế tục bởi HCM (đổi tên)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the unit page lacks %q", want)
		}
	}
}
