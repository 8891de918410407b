package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
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
// field and change nothing; the answers give the unit's history. The
// districts that close are a province's the demo does not hold.
func TestAPIUnitCloseAndMove(t *testing.T) {
	ts := newTestServer(t)
	focal, reporter := ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	fetch(t, focal, "POST", ts.URL+"/api/v1/units", jsonType, `{"code":"CT","name":"Ủy ban nhân dân Thành phố Cần Thơ","level":"province","parent":"BKHCN"}`)
	for _, d := range []string{`"CT-NK","name":"Ủy ban nhân dân Quận Ninh Kiều"`, `"CT-BT","name":"Ủy ban nhân dân Quận Bình Thủy"`} {
		if status, body := fetch(t, focal, "POST", ts.URL+"/api/v1/units", jsonType, `{"code":`+d+`,"level":"district","parent":"CT"}`); status != http.StatusCreated && status != http.StatusOK {
			t.Fatalf("adding a district: %d %s", status, body)
		}
	}
	q1, ninhKieu, thuduc := unitID(t, ts, "HCM-Q1"), unitID(t, ts, "CT-NK"), unitID(t, ts, "HCM-THUDUC")
	closeQ1 := fmt.Sprintf("%s/api/v1/units/%d/close", ts.URL, q1)
	closeNinhKieu := fmt.Sprintf("%s/api/v1/units/%d/close", ts.URL, ninhKieu)
	moveThuDuc := fmt.Sprintf("%s/api/v1/units/%d/move", ts.URL, thuduc)
	_, q1History := fetch(t, focal, "GET", fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, q1), "", "")

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
		{"an older version", closeNinhKieu, `{"on":"01/07/2025","successors":["CT"],"version":7}`, http.StatusConflict, "version"},
		{"an older version", moveThuDuc, `{"parent":"BKHCN","on":"01/01/2024","version":7}`, http.StatusConflict, "version"},
	} {
		status, body := fetch(t, focal, "POST", c.url, jsonType, c.body)
		if a := answerOf(t, body); status != c.status || a.Error == nil || a.Error.Field != c.field {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, status, body, c.status, c.field)
		}
	}
	if status, _ := fetch(t, reporter, "POST", closeNinhKieu, jsonType, `{"on":"01/07/2025","successors":["CT"]}`); status != http.StatusForbidden {
		t.Errorf("a reporter closing a unit: %d", status)
	}
	for url, before := range map[string]string{fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, q1): q1History,
		fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, ninhKieu): `{"moves":[],"successions":[]}`} {
		if _, body := fetch(t, focal, "GET", url, "", ""); !sameHistory(t, body, before) {
			t.Fatalf("refusals changed a history: %s", body)
		}
	}

	status, body := fetch(t, focal, "POST", closeNinhKieu, jsonType, `{"on":"01/07/2025","successors":["CT"],"version":1}`)
	a := answerOf(t, body)
	if status != http.StatusOK || a.Unit.Code != "CT-NK" || len(a.Successions) != 1 || a.Successions[0] != (apiSuccession{Predecessor: "CT-NK", Successor: "CT", On: "2025-07-01", Kind: nscl.KindRename}) {
		t.Errorf("Ninh Kiều into the city: %d %s", status, body)
	}
	fetch(t, focal, "POST", fmt.Sprintf("%s/api/v1/units/%d/close", ts.URL, unitID(t, ts, "CT-BT")), jsonType, `{"on":"01/07/2025","successors":["CT"]}`)
	_, body = fetch(t, focal, "GET", fmt.Sprintf("%s/api/v1/units/%d/history", ts.URL, unitID(t, ts, "CT")), "", "")
	if a := answerOf(t, body); len(a.Successions) != 2 || a.Successions[0].Kind != nscl.KindMerge || a.Successions[1].Kind != nscl.KindMerge {
		t.Errorf("the city's history after two districts: %s", body)
	}

	status, body = fetch(t, focal, "POST", moveThuDuc, jsonType, `{"parent":"CT","on":"01/01/2024"}`)
	a = answerOf(t, body)
	if status != http.StatusOK || a.Unit.Parent != "CT" || len(a.Moves) != 1 || a.Moves[0] != (apiMove{Unit: "HCM-THUDUC", OldParent: "HCM", NewParent: "CT", On: "2024-01-01"}) {
		t.Errorf("Thủ Đức to Cần Thơ: %d %s", status, body)
	}
}

// sameHistory reports whether two history answers hold the same
// successions and moves.
func sameHistory(t *testing.T, a, b string) bool {
	t.Helper()
	x, y := answerOf(t, a), answerOf(t, b)
	return slices.Equal(x.Successions, y.Successions) && slices.Equal(x.Moves, y.Moves)
}

// The unit page closes a unit into successors and moves it, each mistake
// beside its field, and lists what it recorded: a district of a province
// the demo does not hold.
func TestUnitPageClosesAndMoves(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	fetch(t, focal, "POST", ts.URL+"/api/v1/units", jsonType, `{"code":"CT","name":"Ủy ban nhân dân Thành phố Cần Thơ","level":"province","parent":"BKHCN"}`)
	fetch(t, focal, "POST", ts.URL+"/api/v1/units", jsonType, `{"code":"CT-NK","name":"Ủy ban nhân dân Quận Ninh Kiều","level":"district","parent":"CT"}`)
	page := fmt.Sprintf("%s/setup/units/%d", ts.URL, unitID(t, ts, "CT-NK"))
	besideField := func(body, field string) string {
		m := regexp.MustCompile(`name="` + field + `"[^>]*>(?:.*?</select>)?<span class="field-error">([^<]*)</span>`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	status, body := fetch(t, focal, "POST", page+"/close", formType, form(map[string]string{"successors": "CT, NOWHERE", "close_on": "01/07/2025"}))
	if msg := besideField(body, "successors"); status != http.StatusBadRequest || !strings.Contains(msg, "NOWHERE") || besideField(body, "close_on") != "" {
		t.Errorf("an unknown successor: %d, beside the field %q", status, msg)
	}
	if !strings.Contains(body, `value="CT, NOWHERE"`) {
		t.Error("the page should keep what was typed")
	}
	status, body = fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": "BKHCN", "move_on": "30/02/2024"}))
	if msg := besideField(body, "move_on"); status != http.StatusBadRequest || msg == "" || besideField(body, "close_on") != "" {
		t.Errorf("a bad move date: %d, beside the field %q", status, msg)
	}

	// A page read before another change: refused, saying so, nothing kept.
	status, body = fetch(t, focal, "POST", page+"/close", formType, form(map[string]string{"successors": "CT", "close_on": "01/07/2025", "version": "7"}))
	if status != http.StatusConflict || !strings.Contains(body, `id="stale"`) || strings.Contains(body, "kế tục bởi CT") {
		t.Errorf("closing from an older page: %d", status)
	}
	if status, _ := fetch(t, focal, "POST", page+"/close", formType, form(map[string]string{"successors": "CT", "close_on": "01/07/2025", "version": "1"})); status != http.StatusSeeOther {
		t.Fatalf("closing into the city: %d", status)
	}
	status, body = fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": "BKHCN", "move_on": "01/08/2025"}))
	if msg := besideField(body, "move_on"); status != http.StatusBadRequest || msg == "" {
		t.Errorf("a move after closing: %d, beside the field %q", status, msg)
	}
	if status, _ := fetch(t, focal, "POST", page+"/move", formType, form(map[string]string{"parent": "BKHCN", "move_on": "01/01/2024"})); status != http.StatusSeeOther {
		t.Fatalf("moving under the ministry: %d", status)
	}
	_, body = fetch(t, focal, "GET", page+"/edit", "", "")
	for _, want := range []string{"01/01/2024: CT-NK chuyển từ CT sang BKHCN", "01/07/2025: CT-NK kế tục bởi CT (đổi tên)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the unit page lacks %q", want)
		}
	}
}
