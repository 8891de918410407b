package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"nscl/demo"
	"nscl/store"
)

// Admins open rounds as focal staff do, from the page and the API, and
// the audit log names them; a reporter is not offered the form.
func TestAdminOpensARound(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t, "admin@demo.local")
	if _, page := fetch(t, admin, "GET", ts.URL+"/rounds", "", ""); !strings.Contains(page, `href="/rounds/new"`) {
		t.Error("the round list offers an admin no new round")
	}
	if _, page := fetch(t, ts.client(t, "thuduc@demo.local"), "GET", ts.URL+"/rounds", "", ""); strings.Contains(page, `href="/rounds/new"`) {
		t.Error("the round list offers a reporter a new round")
	}
	unit, err := ts.store.UnitByCode(context.Background(), "HCM-SCT")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"title": {"Báo cáo năm 2024"}, "period_start": {"01/01/2024"}, "period_end": {"31/12/2024"},
		"deadline": {"15/01/2025"}, "units": {strconv.FormatInt(unit.ID, 10)}}
	if code, body := fetch(t, admin, "POST", ts.URL+"/rounds", formType, form.Encode()); code != 303 {
		t.Fatalf("admin opens a round on the page: %d\n%s", code, trim(body))
	}
	if code, body := fetch(t, admin, "POST", ts.URL+"/api/v1/rounds", jsonType,
		`{"title":"Báo cáo quý I/2024","period_start":"2024-01-01","period_end":"2024-03-31","deadline":"2024-04-10","units":["HCM-SCT"]}`); code != 201 || !strings.Contains(body, `"by_status":{`) {
		t.Fatalf("admin opens a round through the API: %d\n%s", code, trim(body))
	}
	log, err := ts.store.AuditLog(context.Background(), store.AuditFilter{Entity: "round", Action: "create"})
	if err != nil {
		t.Fatal(err)
	}
	// The demo's three, then the admin's two, newest first.
	if len(log) != len(demo.Rounds(nil, nil))+2 || log[0].UserEmail != "admin@demo.local" || log[1].UserEmail != "admin@demo.local" {
		t.Errorf("audit of the rounds: %+v", log)
	}
}
