package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/pdf"
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
	enterprise                 int64 // a record of the registry
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
	f.enterprise = addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0301112223", Name: "Công ty Ánh Dương"}).ID
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
		return form(map[string]string{"unit": unit.Code, "date": "20/05/2023", "task_group": "d", "kind": "training",
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
		{"dashboard, or to a visitor the public home", "GET", "/?year=2022", "", "", same(ok, ok)},
		{"the public home", "GET", "/", "", "", same(ok, ok)},
		{"news", "GET", "/tin-tuc", "", "", same(ok, ok)},
		{"materials", "GET", "/tai-lieu", "", "", same(ok, ok)},
		{"training calendar", "GET", "/lich-tap-huan", "", "", same(ok, ok)},
		{"calls for registration", "GET", "/calls", "", "", same(ok, ok)},
		{"manage articles and materials", "GET", "/posts", "", "", byRole(seeOther, ok, ok, forbidden, ok)},
		{"manage training classes", "GET", "/lich-tap-huan/quan-ly", "", "", same(seeOther, ok)},
		{"activity list", "GET", "/activities?year=2022", "", "", same(seeOther, ok)},
		{"round template, own unit", "GET", "/rounds/1/template.xlsx?unit=HCM-THUDUC", "", "", byRole(seeOther, forbidden, ok, ok, forbidden)},
		{"round template, other unit", "GET", "/rounds/1/template.xlsx?unit=HCM-Q1", "", "", byRole(seeOther, forbidden, ok, forbidden, forbidden)},
		{"round template, unit not asked (permission first)", "GET", "/rounds/1/template.xlsx?unit=HCM-SKHCN", "", "", byRole(seeOther, forbidden, bad, forbidden, forbidden)},
		{"activity export, CSV", "GET", "/activities/export?format=csv&year=2022", "", "", same(seeOther, ok)},
		{"activity export, Excel", "GET", "/activities/export?format=xlsx&year=2022", "", "", same(seeOther, ok)},
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
		{"add a unit", "POST", "/setup/units", formType, form(map[string]string{"code": "HCM-SYT", "name": "Sở Y tế", "level": "department", "parent": demo.UnitCity}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"add a plan", "POST", "/setup/plans", formType, form(map[string]string{"name": "Kế hoạch năm 2024", "kind": "annual", "start_year": "2024", "end_year": "2024", "unit": demo.UnitCity, "t_training_enterprises": "3.500"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"add a plan, target not a whole number", "POST", "/setup/plans", formType, form(map[string]string{"name": "Kế hoạch", "kind": "annual", "start_year": "2024", "end_year": "2024", "unit": demo.UnitCity, "t_training_enterprises": "3,5"}), byRole(unauth, bad, bad, forbidden, forbidden)},
		{"edit a plan", "GET", "/setup/plans/1/edit", "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"save a plan, stale version", "POST", "/setup/plans/1", formType, form(map[string]string{"name": "Kế hoạch", "t_training_enterprises": "10.000", "version": "9"}), byRole(unauth, 409, 409, forbidden, forbidden)},
		{"edit a unit", "GET", fmt.Sprintf("/setup/units/%d/edit", f.ownUnit.ID), "", "", byRole(seeOther, ok, ok, forbidden, forbidden)},
		{"save a unit", "POST", fmt.Sprintf("/setup/units/%d", f.ownUnit.ID), formType, form(map[string]string{"name": "Ủy ban nhân dân Thành phố Thủ Đức", "closed_on": "01/07/2025", "version": "1"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"close a unit into its successor", "POST", fmt.Sprintf("/setup/units/%d/close", f.ownUnit.ID), formType, form(map[string]string{"successors": "HCM", "close_on": "01/07/2025"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"move a unit", "POST", fmt.Sprintf("/setup/units/%d/move", f.ownUnit.ID), formType, form(map[string]string{"parent": demo.UnitMinistry, "move_on": "01/01/2024"}), byRole(unauth, seeOther, seeOther, forbidden, forbidden)},
		{"report page", "GET", "/report?year=2022", "", "", same(seeOther, ok)},
		{"report download, Word", "GET", "/report/2022.docx", "", "", same(seeOther, ok)},
		{"report preview, HTML", "GET", "/report/2022.html", "", "", same(seeOther, ok)},
		{"report download, Excel", "GET", "/report/2022.xlsx", "", "", same(seeOther, ok)},
		{"report download, CSV", "GET", "/report/2022.csv", "", "", same(seeOther, ok)},
		{"report chart", "GET", "/report/2022/chart.svg", "", "", same(seeOther, ok)},
		{"summary download, Word", "GET", "/report/2021-2022.docx", "", "", same(seeOther, ok)},
		{"summary preview, HTML", "GET", "/report/2021-2022.html", "", "", same(seeOther, ok)},
		{"summary download, Excel", "GET", "/report/2021-2022.xlsx", "", "", same(seeOther, ok)},
		{"report download of a unit, Excel", "GET", "/report/2022.xlsx?unit=" + f.otherUnit.Code, "", "", same(seeOther, ok)},
		{"enterprise list", "GET", "/enterprises", "", "", same(seeOther, ok)},
		{"enterprise page", "GET", fmt.Sprintf("/enterprises/%d", f.enterprise), "", "", same(seeOther, ok)},
		{"api enterprises", "GET", "/api/v1/enterprises?q=c%C3%B4ng", "", "", same(unauth, ok)},
		{"report chart, bad year", "GET", "/report/x/chart.svg", "", "", same(seeOther, notFound)},
		{"report download, unknown file", "GET", "/report/2022.exe", "", "", same(seeOther, notFound)},
		{"edit the report's texts", "POST", "/report", formType, form(map[string]string{"year": "2022", "obstacles": "Chưa có vướng mắc.", "agency": "Sở Khoa học và Công nghệ", "version": f.textsVersion, "settings_version": f.settingsVersion}), byRole(unauth, forbidden, seeOther, forbidden, forbidden)},
		{"edit the report's texts, stale", "POST", "/report", formType, form(map[string]string{"year": "2022", "obstacles": "Chưa có vướng mắc.", "version": "0000", "settings_version": f.settingsVersion}), byRole(unauth, forbidden, 409, forbidden, forbidden)},
		{"users page", "GET", "/users", "", "", byRole(seeOther, ok, forbidden, forbidden, forbidden)},
		{"add a user", "POST", "/users", formType, form(map[string]string{"email": "moi@demo.local", "name": "Người mới", "role": "viewer", "unit": f.ownUnit.Code, "password": "mật khẩu đủ dài"}), byRole(unauth, seeOther, forbidden, forbidden, forbidden)},
		{"disable the reporter", "POST", "/users/3/disable", formType, form(map[string]string{"version": "1"}), byRole(unauth, seeOther, forbidden, forbidden, forbidden)},
		{"add a user, weak password", "POST", "/users", formType, form(map[string]string{"email": "moi@demo.local", "name": "Người mới", "role": "viewer", "unit": f.ownUnit.Code, "password": "ngắn"}), byRole(unauth, bad, forbidden, forbidden, forbidden)},
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
		{"api unit history", "GET", fmt.Sprintf("/api/v1/units/%d/history", f.ownUnit.ID), "", "", same(unauth, ok)},
		{"api close a unit into its successor", "POST", fmt.Sprintf("/api/v1/units/%d/close", f.ownUnit.ID), jsonType, `{"on":"01/07/2025","successors":["HCM"]}`, byRole(unauth, ok, ok, forbidden, forbidden)},
		{"api move a unit", "POST", fmt.Sprintf("/api/v1/units/%d/move", f.ownUnit.ID), jsonType, `{"parent":"BKHCN","on":"01/01/2024"}`, byRole(unauth, ok, ok, forbidden, forbidden)},
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

// The scope part of the route table: every page, download and API answer
// that can carry activity rows or enterprise data, for each reader, holds
// no activity of a unit outside the reader's scope (nscl.User.CanSeeUnit)
// and, where the route lists rows, does hold those inside it. The data are
// the test's own: one distinctive activity in each of two units, both
// naming one enterprise, in 2023 (a year the demo leaves open).
func TestRouteScope(t *testing.T) {
	ts, f := newRouteServer(t)
	ctx := context.Background()
	other := nscl.User{Email: "chicuc@demo.local", Name: "Báo cáo viên Chi cục", Role: nscl.RoleReporter, UnitID: f.otherUnit.ID}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &other, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	firm := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0319876543", Name: "Công ty Phạm Vi Kiểm Thử"})
	day := time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC)
	marks := map[string]string{ // by unit code: what only that unit's activity says
		f.ownUnit.Code:   "PV-TĐ-7731",
		f.otherUnit.Code: "PV-CC-4418",
	}
	addSupport(t, ts, f.ownUnit.Code, "d", "Lớp tập huấn riêng "+marks[f.ownUnit.Code], day, firm.TaxCode)
	addSupport(t, ts, f.otherUnit.Code, "d", "Khóa đào tạo riêng "+marks[f.otherUnit.Code], day, firm.TaxCode)

	both := []string{f.ownUnit.Code, f.otherUnit.Code}
	cases := []struct {
		name, path string
		lists      []string // the units whose activity the route lists for a reader of every unit
	}{
		{"report, Word", "/report/2023.docx", both},
		{"report, HTML", "/report/2023.html", both},
		{"report, Excel", "/report/2023.xlsx", both},
		{"report, CSV", "/report/2023.csv", nil},
		{"report of one unit, Word", "/report/2023.docx?unit=" + f.ownUnit.Code, []string{f.ownUnit.Code}},
		{"report of one unit, Excel", "/report/2023.xlsx?unit=" + f.otherUnit.Code, []string{f.otherUnit.Code}},
		{"report, approved only", "/report/2023.docx?approved_only=1", nil}, // 2023 is not approved
		{"summary, Word", "/report/2021-2023.docx", both},
		{"summary, HTML", "/report/2021-2023.html", both},
		{"summary, Excel", "/report/2021-2023.xlsx", both},
		{"report page", "/report?year=2023", both}, // each group's first activities, the reader's own
		{"summary page", "/report?from=2021&to=2023", nil},
		{"report chart", "/report/2023/chart.svg", nil},
		{"api report", "/api/v1/reports/2023", nil},
		{"dashboard", "/?year=2023", nil},
		{"activity list", "/activities?year=2023&q=PV", both},
		{"activity export, CSV", "/activities/export?format=csv&year=2023", both},
		{"activity export, Excel", "/activities/export?format=xlsx&year=2023", both},
		{"api activities", "/api/v1/activities?year=2023&q=PV", both},
		{"round page", fmt.Sprintf("/rounds/%d", f.round), nil},
		{"enterprise page", fmt.Sprintf("/enterprises/%d", firm.ID), both},
		{"enterprise list", "/enterprises?q=0319876543", nil},
		{"api enterprises", "/api/v1/enterprises?q=0319876543", nil},
	}
	// The units whose activity a route lists to their own reporters alone:
	// the round page's own part.
	toReporter := map[string]string{"round page": f.ownUnit.Code}
	readers := []struct {
		name, email string
		sees        func(unit string) bool
	}{
		{"admin", "admin@demo.local", func(string) bool { return true }},
		{"focal", "focal@demo.local", func(string) bool { return true }},
		{"viewer", "viewer@demo.local", func(string) bool { return true }},
		{"reporter of " + f.ownUnit.Code, "thuduc@demo.local", func(u string) bool { return u == f.ownUnit.Code }},
		{"reporter of " + f.otherUnit.Code, other.Email, func(u string) bool { return u == f.otherUnit.Code }},
	}
	for _, rd := range readers {
		client := ts.client(t, rd.email)
		for _, c := range cases {
			t.Run(c.name+"/"+rd.name, func(t *testing.T) {
				code, body := fetch(t, client, "GET", ts.URL+c.path, "", "")
				if code != http.StatusOK {
					t.Fatalf("%s: %d\n%s", c.path, code, trim(body))
				}
				text := outputText(t, body)
				for unit, mark := range marks {
					listed := slices.Contains(c.lists, unit) && rd.sees(unit)
					reporter := !rd.sees(f.ownUnit.Code) || !rd.sees(f.otherUnit.Code)
					listed = listed || (unit == toReporter[c.name] && reporter && rd.sees(unit))
					if got := strings.Contains(text, mark); got != listed {
						t.Errorf("%s as %s: holds %s's activity %v, want %v", c.path, rd.name, unit, got, listed)
					}
				}
			})
		}
	}
}

// TestReporterCopyKeepsTheTotals: a reporter's copy of the city's report
// has the city's figures and sentences word for word — only the footnotes
// differ, citing the reporter's own activities and counting the others.
func TestReporterCopyKeepsTheTotals(t *testing.T) {
	ts, f := newRouteServer(t)
	day := time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC)
	firm := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0319876543", Name: "Công ty Phạm Vi Kiểm Thử"})
	addSupport(t, ts, f.ownUnit.Code, "d", "Lớp tập huấn riêng PV-TĐ-7731", day, firm.TaxCode)
	addSupport(t, ts, f.otherUnit.Code, "d", "Khóa đào tạo riêng PV-CC-4418", day, firm.TaxCode)
	addSupport(t, ts, f.otherUnit.Code, "d", "Khóa đào tạo thứ hai PV-CC-4419", day, firm.TaxCode)
	get := func(email, path string) string {
		t.Helper()
		code, body := fetch(t, ts.client(t, email), "GET", ts.URL+path, "", "")
		if code != http.StatusOK {
			t.Fatalf("%s as %s: %d", path, email, code)
		}
		return body
	}
	full, mine := get("focal@demo.local", "/report/2023.docx"), get("thuduc@demo.local", "/report/2023.docx")
	if a, b := unzipPart(t, full, "word/document.xml"), unzipPart(t, mine, "word/document.xml"); a != b {
		t.Errorf("the reporter's report body differs from the focal point's")
	}
	if a, b := get("focal@demo.local", "/report/2023.csv"), get("thuduc@demo.local", "/report/2023.csv"); a != b {
		t.Errorf("results differ:\nfocal:\n%s\nreporter:\n%s", a, b)
	}
	notes := unzipPart(t, mine, "word/footnotes.xml")
	// The group's footnote cites the reporter's activity, and counts the
	// other unit's two, with every other unit's the demo holds for 2023.
	withheld := regexp.MustCompile(`(\d+) hoạt động của đơn vị khác có trong số liệu nhưng không được liệt kê trong bản này`).FindAllStringSubmatch(notes, -1)
	if !strings.Contains(notes, "PV-TĐ-7731") || strings.Contains(notes, "PV-CC-44") || len(withheld) == 0 {
		t.Fatalf("reporter's footnotes: %s", notes)
	}
	if strings.Contains(unzipPart(t, full, "word/footnotes.xml"), "không được liệt kê") {
		t.Errorf("the focal point's footnotes say something is left out")
	}
	var left int
	for _, m := range withheld {
		n, _ := strconv.Atoi(m[1])
		left += n
	}
	prog, _ := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	city, _ := ts.store.UnitByCode(context.Background(), demo.UnitCity)
	var others int
	err := ts.store.EachActivity(context.Background(), prog, store.ActivityFilter{Year: 2023, UnderUnit: city.ID}, func(a nscl.Activity) error {
		if a.UnitID != f.ownUnit.ID {
			others++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if left != others || others < 2 {
		t.Errorf("footnotes leave out %d activities of other units, the year holds %d", left, others)
	}
}

// TestReporterPDFCitesItsOwnOnly: the PDF is LibreOffice's print of the
// same document, and holds the reporter's activity and not another unit's.
func TestReporterPDFCitesItsOwnOnly(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if !pdf.Available() || err != nil {
		t.Skip("no LibreOffice or pdftotext on this machine: PDF scope test skipped")
	}
	ts, f := newRouteServer(t)
	day := time.Date(2023, 9, 12, 0, 0, 0, 0, time.UTC)
	firm := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0319876543", Name: "Công ty Phạm Vi Kiểm Thử"})
	addSupport(t, ts, f.ownUnit.Code, "d", "Lớp tập huấn riêng mã 7731", day, firm.TaxCode)
	addSupport(t, ts, f.otherUnit.Code, "d", "Khóa đào tạo riêng mã 4418", day, firm.TaxCode)
	code, body := fetch(t, ts.client(t, "thuduc@demo.local"), "GET", ts.URL+"/report/2023.pdf", "", "")
	if code != http.StatusOK {
		t.Fatalf("PDF: %d %s", code, trim(body))
	}
	file := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(text, []byte("7731")) || bytes.Contains(text, []byte("4418")) {
		t.Errorf("the reporter's PDF: own activity %v, other unit's %v", bytes.Contains(text, []byte("7731")), bytes.Contains(text, []byte("4418")))
	}
}

// outputText is what a response says: the body, or for an Office file
// every part of its package (sheets, shared strings, document, footnotes).
func outputText(t *testing.T, body string) string {
	t.Helper()
	if !strings.HasPrefix(body, "PK") {
		return body
	}
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
