package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"nscl/demo"
)

// A script posting an activity a unit already has is told so, with the
// stored one, and nothing is counted twice until it says which it is.
func TestAPIAsksAboutALookAlike(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	post := func(kind, extra string) (int, string) {
		t.Helper()
		body := `{"unit":"` + demo.UnitThuDuc + `","date":"2023-05-20","task_group":"d","kind":"` + kind + `",` +
			`"description":"Lớp Kaizen cho doanh nghiệp Thủ Đức","quantities":{"training_enterprises":12,"trainees":40}` + extra + `}`
		return fetch(t, focal, "POST", ts.URL+"/api/v1/activities", jsonType, body)
	}
	trained := func() string {
		t.Helper()
		_, body := fetch(t, focal, "GET", ts.URL+"/api/v1/reports/2023?unit="+demo.UnitThuDuc, "", "")
		var r struct {
			Indicators []struct {
				Code      string `json:"code"`
				YearValue int64  `json:"year_value"`
			} `json:"indicators"`
		}
		json.Unmarshal([]byte(body), &r)
		for _, ind := range r.Indicators {
			if ind.Code == demo.TrainingEnterprises {
				return fmt.Sprint(ind.YearValue)
			}
		}
		return "?"
	}
	code, first := post("training", "")
	if code != http.StatusCreated {
		t.Fatalf("first post: %d %s", code, first)
	}
	var stored apiActivity
	json.Unmarshal([]byte(first), &stored)
	before := trained()

	// The same activity again, with another kind: refused, naming the stored one.
	code, body := post("other", "")
	if code == http.StatusCreated || !strings.Contains(body, `"look_alikes"`) || !strings.Contains(body, fmt.Sprintf(`"id":%d`, stored.ID)) {
		t.Fatalf("a look-alike: %d %s", code, body)
	}
	if got := trained(); got != before {
		t.Errorf("a refused look-alike counted: %s, was %s", got, before)
	}
	// Said to be the stored one: an update, counted once.
	if code, body := post("training", fmt.Sprintf(`,"same_as_existing":"%d"`, stored.ID)); code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`"id":%d`, stored.ID)) {
		t.Fatalf("linked to the stored one: %d %s", code, body)
	}
	if got := trained(); got != before {
		t.Errorf("a linked look-alike counted again: %s, was %s", got, before)
	}
	// Said to be another one: a second activity.
	if code, body := post("training", `,"same_as_existing":"new"`); code != http.StatusCreated {
		t.Fatalf("said to be new: %d %s", code, body)
	}
	if got := trained(); got == before {
		t.Errorf("a new activity was not counted: %s", got)
	}
}
