package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Roles of the route table. "reporter" reports for Thủ Đức city: its own
// unit is Thủ Đức, the other unit is the department's sub-department.
var roles = []string{"anon", "admin", "focal", "reporter", "viewer"}

var emails = map[string]string{
	"admin": "admin@demo.local", "focal": "focal@demo.local", "reporter": "thuduc@demo.local", "viewer": "viewer@demo.local",
}

// fixture IDs the routes refer to.
type routeFixture struct {
	ownActivity, otherActivity nscl.Activity
	round                      int64
	ownUnit, otherUnit         nscl.OrgUnit
	textsVersion               string // of the 2022 report's texts
	settingsVersion            string // of the city's report settings
}

func newRouteServer(t *testing.T) (*testServer, routeFixture) {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	var f routeFixture
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		var err error
		if f.ownUnit, err = tx.UnitByCode(ctx, demo.UnitThuDuc); err != nil {
			return err
		}
		if f.otherUnit, err = tx.UnitByCode(ctx, demo.UnitStandards); err != nil {
			return err
		}
		viewer := nscl.User{Email: "viewer@demo.local", Name: "Lãnh đạo xem báo cáo", Role: nscl.RoleViewer, UnitID: f.ownUnit.ID}
		return tx.CreateUser(ctx, &viewer, demoPassword)
	})
	if err != nil {
		t.Fatal(err)
	}
	prog, _ := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	// The demo's 2022 is approved and locked: the activities to change,
	// and the round to submit to, are of the open year.
	f.ownActivity, f.otherActivity = ts.openActivity(t, f.ownUnit.Code, nil), ts.openActivity(t, f.otherUnit.Code, nil)
	f.round = ts.openRound(t).ID
	city, _ := ts.store.UnitByCode(ctx, demo.UnitCity)
	texts, err := ts.store.ReportTexts(ctx, prog, city.ID, 2022)
	if err != nil {
		t.Fatal(err)
	}
	f.textsVersion = store.TextsVersion(texts, false)
	settings, err := ts.store.ReportTexts(ctx, prog, city.ID, nscl.SettingsYear)
	if err != nil {
		t.Fatal(err)
	}
	f.settingsVersion = store.TextsVersion(settings, false)
	return ts, f
}

type routeCase struct {
	name, method, path, contentType, body string
	want                                  map[string]int // by role
}

func form(values map[string]string) string {
	v := url.Values{}
	for k, s := range values {
		v.Set(k, s)
	}
	return v.Encode()
}

const formType = "application/x-www-form-urlencoded"
const jsonType = "application/json"

// same gives every signed-in role one status and anon another.
func same(anon, signedIn int) map[string]int {
	return map[string]int{"anon": anon, "admin": signedIn, "focal": signedIn, "reporter": signedIn, "viewer": signedIn}
}

func byRole(anon, admin, focal, reporter, viewer int) map[string]int {
	return map[string]int{"anon": anon, "admin": admin, "focal": focal, "reporter": reporter, "viewer": viewer}
}

func routeCases(f routeFixture) []routeCase {
	const (
		ok, created, noContent, seeOther = 200, 201, 204, 303
		bad, unauth, forbidden, notFound = 400, 401, 403, 404
	)
	activityForm := func(unit nscl.OrgUnit, version int64) string {
		return form(map[string]string{"unit": fmt.Sprint(unit.ID), "date": "20/05/2023", "task_group": "d", "kind": "training",
			"description": "Lớp tập huấn năng suất", "q_trainees": "30", "version": fmt.Sprint(version)})
	}
	activityJSON := func(unit nscl.OrgUnit, version int64) string {
		return fmt.Sprintf(`{"unit":%q,"date":"2023-05-20","task_group":"d","kind":"training","description":"Lớp tập huấn","quantities":{"trainees":30},"version":%d}`, unit.Code, version)
	}
	own, other := f.ownActivity, f.otherActivity
	ownPath, otherPath := fmt.Sprintf("/activities/%d", own.ID), fmt.Sprintf("/activities/%d", other.ID)
	roundPath := fmt.Sprintf("/rounds/%d", f.round)
	submitOwn := fmt.Sprintf("%s/units/%d/submit", roundPath, f.ownUnit.ID)
	roundForm := form(map[string]string{"title": "Báo cáo quý", "period_start": "01/01/2023", "period_end": "31/03/2023", "deadline": "10/04/2023", "units": fmt.Sprint(f.ownUnit.ID)})
	roundJSON := fmt.Sprintf(`{"title":"Báo cáo quý","period_start":"2023-01-01","period_end":"2023-03-31","deadline":"2023-04-10","units":[%q]}`, f.ownUnit.Code)
	return []routeCase{
		{"healthz", "GET", "/healthz", "", "", same(ok, ok)},
		{"login page", "GET", "/login", "", "", same(ok, ok)},
		{"dashboard", "GET", "/?year=2022", "", "", same(seeOther, ok)},
		{"activity list", "GET", "/activities?year=2022", "", "", same(seeOther, ok)},
		{"round template, own unit", "GET", "/rounds/1/template.xlsx?unit=HCM-THUDUC", "", "", byRole(seeOther, forbidden, ok, ok, forbidden)},
		{"round template, other unit", "GET", "/rounds/1/template.xlsx?unit=HCM-Q1", "", "", byRole(seeOther, forbidden, ok, forbidden, forbidden)},
		{"round template, unit not asked (permission first)", "GET", "/rounds/1/template.xlsx?unit=HCM-SKHCN", "", "", byRole(seeOther, forbidden, bad, forbidden, forbidden)},
		{"activity export, CSV", "GET", "/activities/export?format=csv&year=2022", "", "", same(seeOther, ok)},
		{"activity export, bad format", "GET", "/activities/export?format=pdf", "", "", same(seeOther, bad)},
		{"new activity form", "GET", "/activities/new", "", "", byRole(seeOther, forbidden, ok, ok, forbidden)},
		{"create activity, own unit", "POST", "/activities", formType, activityForm(f.ownUnit, 0), byRole(unauth, forbidden, seeOther, seeOther, forbidden)},
		{"create activity, other unit", "POST", "/activities", formType, activityForm(f.otherUnit, 0), byRole(unauth, forbidden, seeOther, forbidden, forbidden)},
		{"edit form, own unit", "GET", ownPath + "/edit", "", "", byRole(seeOther, forbidden, ok, ok, forbidden)},
		{"edit form, other unit", "GET", otherPath + "/edit", "", "", byRole(seeOther, forbidden, ok, forbidden, forbidden)},
		{"update activity, own unit", "POST", ownPath, formType, activityForm(f.ownUnit, own.Version), byRole(unauth, forbidden, seeOther, seeOther, forbidden)},
		{"update activity, other unit", "POST", otherPath, formType, activityForm(f.otherUnit, other.Version), byRole(unauth, forbidden, seeOther, forbidden, forbidden)},
		{"delete activity, own unit", "POST", ownPath + "/delete", formType, form(map[string]string{"version": fmt.Sprint(own.Version), "confirm": "1"}), byRole(unauth, forbidden, seeOther, seeOther, forbidden)},
		{"delete activity, other unit", "POST", otherPath + "/delete", formType, form(map[string]string{"version": fmt.Sprint(other.Version), "confirm": "1"}), byRole(unauth, forbidden, seeOther, forbidden, forbidden)},
		// Unconfirmed, a delete is asked about (200), once it is known to be allowed.
		{"delete activity unconfirmed, own unit", "POST", ownPath + "/delete", formType, form(map[string]string{"version": fmt.Sprint(own.Version)}), byRole(unauth, forbidden, ok, ok, forbidden)},
		{"delete activity unconfirmed, other unit", "POST", otherPath + "/delete", formType, form(map[string]string{"version": fmt.Sprint(other.Version)}), byRole(unauth, forbidden, ok, forbidden, forbidden)},
		{"round list", "GET", "/rounds", "", "", same(seeOther, ok)},
		{"new round form", "GET", "/rounds/new", "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"open a round", "POST", "/rounds", formType, roundForm, byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"round page", "GET", roundPath, "", "", same(seeOther, ok)},
		{"submit, own unit", "POST", submitOwn, formType, form(map[string]string{"version": "1"}), byRole(unauth, forbidden, forbidden, seeOther, forbidden)},
		{"submit, other unit", "POST", fmt.Sprintf("%s/units/%d/submit", roundPath, unitAsked(f)), formType, form(map[string]string{"version": "1"}), byRole(unauth, forbidden, forbidden, forbidden, forbidden)},
		{"approve a draft", "POST", fmt.Sprintf("%s/units/%d/approve", roundPath, f.ownUnit.ID), formType, form(map[string]string{"version": "1"}), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"approve a draft, confirmed", "POST", fmt.Sprintf("%s/units/%d/approve", roundPath, f.ownUnit.ID), formType, form(map[string]string{"version": "1", "confirm": "1"}), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"audit log", "GET", "/audit", "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"set-up page", "GET", "/setup", "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"add a document", "POST", "/setup/documents", formType, form(map[string]string{"type": "Công văn", "number": "12", "symbol": "SKH-CN", "issued_on": "05/01/2023", "issuer": "Sở Khoa học và Công nghệ"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"add a unit", "POST", "/setup/units", formType, form(map[string]string{"code": "HCM-SYT", "name": "Sở Y tế", "level": "department", "parent": fmt.Sprint(f.ownUnit.ParentID)}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"add a plan", "POST", "/setup/plans", formType, form(map[string]string{"name": "Kế hoạch năm 2024", "kind": "annual", "start_year": "2024", "end_year": "2024", "unit": fmt.Sprint(f.ownUnit.ParentID), "t_training_enterprises": "3.500"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"add a plan, target not a whole number", "POST", "/setup/plans", formType, form(map[string]string{"name": "Kế hoạch", "kind": "annual", "start_year": "2024", "end_year": "2024", "unit": fmt.Sprint(f.ownUnit.ParentID), "t_training_enterprises": "3,5"}), byRole(unauth, bad, bad, forbidden, forbidden)},
		{"edit a plan", "GET", "/setup/plans/1/edit", "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"save a plan, stale version", "POST", "/setup/plans/1", formType, form(map[string]string{"name": "Kế hoạch", "t_training_enterprises": "10.000", "version": "9"}), byRole(unauth, 409, 409, forbidden, forbidden)},
		{"edit a unit", "GET", fmt.Sprintf("/setup/units/%d/edit", f.ownUnit.ID), "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"save a unit", "POST", fmt.Sprintf("/setup/units/%d", f.ownUnit.ID), formType, form(map[string]string{"name": "Ủy ban nhân dân Thành phố Thủ Đức", "closed_on": "01/07/2025", "version": "1"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"report page", "GET", "/report?year=2022", "", "", same(seeOther, ok)},
		{"report download, Word", "GET", "/report/2022.docx", "", "", same(seeOther, ok)},
		{"report preview, HTML", "GET", "/report/2022.html", "", "", same(seeOther, ok)},
		{"report download, Excel", "GET", "/report/2022.xlsx", "", "", same(seeOther, ok)},
		{"report download, CSV", "GET", "/report/2022.csv", "", "", same(seeOther, ok)},
		{"report chart", "GET", "/report/2022/chart.svg", "", "", same(seeOther, ok)},
		{"report chart, bad year", "GET", "/report/x/chart.svg", "", "", same(seeOther, notFound)},
		{"report download, unknown file", "GET", "/report/2022.exe", "", "", same(seeOther, notFound)},
		{"edit the report's texts", "POST", "/report", formType, form(map[string]string{"year": "2022", "obstacles": "Chưa có vướng mắc.", "agency": "Sở Khoa học và Công nghệ", "version": f.textsVersion, "settings_version": f.settingsVersion}), byRole(unauth, forbidden, seeOther, forbidden, forbidden)},
		{"edit the report's texts, stale", "POST", "/report", formType, form(map[string]string{"year": "2022", "obstacles": "Chưa có vướng mắc.", "version": "0000", "settings_version": f.settingsVersion}), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"users page", "GET", "/users", "", "", byRole(seeOther, ok, forbidden, forbidden, forbidden)},
		{"add a user", "POST", "/users", formType, form(map[string]string{"email": "moi@demo.local", "name": "Người mới", "role": "viewer", "unit": fmt.Sprint(f.ownUnit.ID), "password": "mật khẩu đủ dài"}), byRole(unauth, seeOther, forbidden, forbidden, forbidden)},
		{"disable the reporter", "POST", "/users/3/disable", formType, form(map[string]string{"version": "1"}), byRole(unauth, seeOther, forbidden, forbidden, forbidden)},
		{"add a user, weak password", "POST", "/users", formType, form(map[string]string{"email": "moi@demo.local", "name": "Người mới", "role": "viewer", "unit": fmt.Sprint(f.ownUnit.ID), "password": "ngắn"}), byRole(unauth, bad, forbidden, forbidden, forbidden)},
		{"unknown page", "GET", "/nowhere", "", "", same(notFound, notFound)},

		{"api me", "GET", "/api/v1/me", "", "", same(unauth, ok)},
		{"api report", "GET", "/api/v1/reports/2022", "", "", same(unauth, ok)},
		{"api report, bad year", "GET", "/api/v1/reports/hai", "", "", same(unauth, bad)},
		{"api units", "GET", "/api/v1/units", "", "", same(unauth, ok)},
		{"api activities", "GET", "/api/v1/activities?year=2022", "", "", same(unauth, ok)},
		{"api activities of other unit", "GET", "/api/v1/activities?unit=" + f.otherUnit.Code, "", "", byRole(unauth, ok, ok, forbidden, ok)},
		{"api activity, own unit", "GET", "/api/v1" + ownPath, "", "", same(unauth, ok)},
		{"api activity, other unit", "GET", "/api/v1" + otherPath, "", "", byRole(unauth, ok, ok, forbidden, ok)},
		{"api create, own unit", "POST", "/api/v1/activities", jsonType, activityJSON(f.ownUnit, 0), byRole(unauth, forbidden, created, created, forbidden)},
		{"api create, other unit", "POST", "/api/v1/activities", jsonType, activityJSON(f.otherUnit, 0), byRole(unauth, forbidden, created, forbidden, forbidden)},
		{"api update, own unit", "PUT", "/api/v1" + ownPath, jsonType, activityJSON(f.ownUnit, own.Version), byRole(unauth, forbidden, ok, ok, forbidden)},
		{"api update, other unit", "PUT", "/api/v1" + otherPath, jsonType, activityJSON(f.otherUnit, other.Version), byRole(unauth, forbidden, ok, forbidden, forbidden)},
		{"api update, stale version", "PUT", "/api/v1" + ownPath, jsonType, activityJSON(f.ownUnit, own.Version+5), byRole(unauth, forbidden, 409, 409, forbidden)},
		{"api delete, own unit", "DELETE", fmt.Sprintf("/api/v1%s?version=%d", ownPath, own.Version), "", "", byRole(unauth, forbidden, noContent, noContent, forbidden)},
		{"api delete, other unit", "DELETE", fmt.Sprintf("/api/v1%s?version=%d", otherPath, other.Version), "", "", byRole(unauth, forbidden, noContent, forbidden, forbidden)},
		{"api rounds", "GET", "/api/v1/rounds", "", "", same(unauth, ok)},
		{"api round", "GET", "/api/v1" + roundPath, "", "", same(unauth, ok)},
		{"api open a round", "POST", "/api/v1/rounds", jsonType, roundJSON, byRole(unauth, created, created, forbidden, forbidden)},
		{"api submit, own unit", "POST", fmt.Sprintf("/api/v1%s/submissions/%s/submit", roundPath, f.ownUnit.Code), jsonType, `{"version":1}`, byRole(unauth, forbidden, forbidden, ok, forbidden)},
		{"update other unit, stale version", "POST", otherPath, formType, activityForm(f.otherUnit, other.Version+7), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"delete other unit, stale version", "POST", otherPath + "/delete", formType, form(map[string]string{"version": fmt.Sprint(other.Version + 7), "confirm": "1"}), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"api activities, bad year", "GET", "/api/v1/activities?year=abc", "", "", same(unauth, bad)},
		{"api open a round, unknown document", "POST", "/api/v1/rounds", jsonType, strings.Replace(roundJSON, `"title"`, `"document_id":9999,"title"`, 1), byRole(unauth, bad, bad, forbidden, forbidden)},
		{"api return a draft", "POST", fmt.Sprintf("/api/v1%s/submissions/%s/return", roundPath, f.ownUnit.Code), jsonType, `{"version":1,"comment":"thiếu số liệu"}`, byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"api audit", "GET", "/api/v1/audit", "", "", byRole(unauth, ok, ok, forbidden, forbidden)},
		{"api token", "POST", "/api/v1/tokens", jsonType, `{"name":"script"}`, same(unauth, created)},
		{"api unknown", "GET", "/api/v1/nowhere", "", "", same(notFound, notFound)},
		{"api plans", "GET", "/api/v1/plans", "", "", same(unauth, ok)},
		{"api create a plan", "POST", "/api/v1/plans", jsonType, `{"kind":"annual","unit":"HCM","start_year":2024,"end_year":2024,"name":"Kế hoạch năm 2024","targets":{"training_enterprises":3500},"version":0}`, byRole(unauth, created, created, forbidden, forbidden)},
		{"api create a plan, target on a measure", "POST", "/api/v1/plans", jsonType, `{"kind":"annual","unit":"HCM","start_year":2024,"end_year":2024,"name":"Kế hoạch","targets":{"trainees":10},"version":0}`, byRole(unauth, bad, bad, forbidden, forbidden)},
		{"api change a plan", "PUT", "/api/v1/plans/1", jsonType, `{"name":"Kế hoạch 05 năm","targets":{"training_enterprises":10000,"experts_trained":150},"version":1}`, byRole(unauth, ok, ok, forbidden, forbidden)},
		{"api change a plan, stale", "PUT", "/api/v1/plans/1", jsonType, `{"name":"Kế hoạch 05 năm","targets":{},"version":7}`, byRole(unauth, 409, 409, forbidden, forbidden)},
		{"api documents", "GET", "/api/v1/documents", "", "", same(unauth, ok)},
		{"api create a document", "POST", "/api/v1/documents", jsonType, `{"type":"Công văn","number":"15","symbol":"SKH-CN","issued_on":"2023-01-05","issuer":"Sở Khoa học và Công nghệ","title":"về việc báo cáo"}`, byRole(unauth, created, created, forbidden, forbidden)},
		{"api create a unit", "POST", "/api/v1/units", jsonType, `{"code":"HCM-SYT","name":"Sở Y tế","level":"department","parent":"HCM"}`, byRole(unauth, created, created, forbidden, forbidden)},
		{"api close a unit", "PUT", fmt.Sprintf("/api/v1/units/%d", f.ownUnit.ID), jsonType, `{"name":"Ủy ban nhân dân Thành phố Thủ Đức","closed_on":"2025-07-01","version":1}`, byRole(unauth, ok, ok, forbidden, forbidden)},
		{"api users", "GET", "/api/v1/users", "", "", byRole(unauth, ok, forbidden, forbidden, forbidden)},
		{"api create a user", "POST", "/api/v1/users", jsonType, `{"email":"moi@demo.local","name":"Người mới","role":"viewer","unit":"HCM","password":"mật khẩu đủ dài"}`, byRole(unauth, created, forbidden, forbidden, forbidden)},
	}
}

// unitAsked is a unit the demo round asks that is neither the reporter's
// own nor absent from the round: Quận 1.
func unitAsked(f routeFixture) int64 { return quan1ID }

var quan1ID int64

// TestRouteTable checks every route for every role, for the reporter's own
// unit and another one. Each write runs on a fresh server so that the
// rows do not depend on each other.
func TestRouteTable(t *testing.T) {
	shared, f := newRouteServer(t)
	q1, err := shared.store.UnitByCode(context.Background(), "HCM-Q1")
	if err != nil {
		t.Fatal(err)
	}
	quan1ID = q1.ID
	clients := map[string]*http.Client{}
	for _, role := range roles {
		clients[role] = shared.client(t, emails[role])
	}
	for _, c := range routeCases(f) {
		for _, role := range roles {
			want, ok := c.want[role]
			if !ok {
				t.Fatalf("%s: no expectation for %s", c.name, role)
			}
			t.Run(c.name+"/"+role, func(t *testing.T) {
				ts, client := shared, clients[role]
				if c.method != "GET" {
					ts, _ = newRouteServer(t)
					client = ts.client(t, emails[role])
				}
				got, body := fetch(t, client, c.method, ts.URL+c.path, c.contentType, c.body)
				if got != want {
					t.Errorf("%s %s as %s: %d, want %d\n%s", c.method, c.path, role, got, want, trim(body))
				}
				if strings.HasPrefix(c.path, "/api/") && got >= 400 && !strings.Contains(body, `"error":{`) {
					t.Errorf("%s %s as %s: error is not JSON: %s", c.method, c.path, role, trim(body))
				}
			})
		}
	}
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func TestCrossOriginWriteIsRefused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "focal@demo.local")
	req, _ := http.NewRequest("POST", ts.URL+"/rounds", strings.NewReader("title=x"))
	req.Header.Set("Content-Type", formType)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d, want 403", resp.StatusCode)
	}
}
