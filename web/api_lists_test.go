package web

import (
	"encoding/json"
	"testing"
)

// The lists `nscl unit|round list --json` print too: units with their
// short names and dates, rounds with their submissions counted by status.
func TestAPIListsUnitsAndRounds(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	_, body := fetch(t, focal, "GET", ts.URL+"/api/v1/units", "", "")
	var units struct {
		Units []map[string]any `json:"units"`
	}
	if err := json.Unmarshal([]byte(body), &units); err != nil {
		t.Fatal(err)
	}
	byCode := map[string]map[string]any{}
	for _, u := range units.Units {
		byCode[u["code"].(string)] = u
	}
	if u := byCode["HCM-SKHCN"]; u["short_name"] != "Sở KHCN" || u["parent"] != "HCM" || u["closed_on"] != nil {
		t.Errorf("the department: %v", u)
	}
	if u := byCode["HCM-Q1"]; u["closed_on"] != "2025-07-01" || u["level"] != "district" {
		t.Errorf("Quận 1: %v", u)
	}
	_, body = fetch(t, focal, "GET", ts.URL+"/api/v1/rounds", "", "")
	var rounds struct {
		Rounds []struct {
			Expected int            `json:"expected"`
			ByStatus map[string]int `json:"by_status"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal([]byte(body), &rounds); err != nil {
		t.Fatal(err)
	}
	// Newest first: the absorbed provinces' approved round (illustrative),
	// the open 2023 round, all drafts; then the demo's approved 2021–2022 ones.
	if len(rounds.Rounds) != 4 || rounds.Rounds[0].ByStatus["approved"] != rounds.Rounds[0].Expected ||
		rounds.Rounds[1].ByStatus["draft"] != rounds.Rounds[1].Expected || rounds.Rounds[1].ByStatus["approved"] != 0 || len(rounds.Rounds[1].ByStatus) != 4 ||
		rounds.Rounds[2].ByStatus["approved"] != rounds.Rounds[2].Expected {
		t.Errorf("rounds: %s", body)
	}
}
