package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// GET /api/v1/audit takes the audit page's filters — a unit by code, days
// of Vietnam's calendar in either spelling, a user by e-mail or ID, a kind
// of record — pages by before=, gives each entry's sentence in both
// languages, and refuses a bad value naming its field.
func TestAPIAuditFilters(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit := nscl.OrgUnit{ParentID: city.ID, Code: "T-NHAT-KY", Name: "Ủy ban nhân dân phường Thử Nhật Ký", Level: nscl.LevelDistrict}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUnit(ctx, &unit) }); err != nil {
		t.Fatal(err)
	}
	focal, err := ts.store.UserByEmail(ctx, "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	reporter := nscl.User{Email: "phuong-thu@nhat-ky.test", Name: "Trần Thị Thử", Role: nscl.RoleReporter, UnitID: unit.ID}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateUser(ctx, &reporter, demoPassword) }); err != nil {
		t.Fatal(err)
	}
	// Two activities written an hour apart across midnight in Vietnam
	// (still the same day in UTC), each by another user.
	write := func(by nscl.User, at time.Time, description string) {
		t.Helper()
		ts.store.Now = func() time.Time { return at }
		a := nscl.Activity{UnitID: unit.ID, Date: time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
			Description: description, Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 2}, {Metric: demo.Trainees, Value: 25}}}
		if err := ts.store.CreateActivity(store.WithActor(ctx, by.ID), prog, &a); err != nil {
			t.Fatal(err)
		}
	}
	write(focal, vietnam(2031, 3, 10, 23).Add(30*time.Minute), "Tập huấn đo lường năng suất đêm thứ nhất")
	write(reporter, vietnam(2031, 3, 11, 0).Add(30*time.Minute), "Tập huấn đo lường năng suất ngày thứ hai")
	ts.store.Now = time.Now

	client := ts.client(t, "focal@demo.local")
	type page struct {
		Entries []apiAuditEntry `json:"entries"`
		Next    *int64          `json:"next"`
	}
	read := func(query url.Values) page {
		t.Helper()
		var p page
		getJSON(t, client, ts.URL+"/api/v1/audit?"+query.Encode(), &p)
		return p
	}
	descriptions := func(p page) []string {
		var out []string
		for _, e := range p.Entries {
			var after struct{ Description string }
			json.Unmarshal(e.After, &after)
			out = append(out, after.Description)
		}
		return out
	}
	first, second := "Tập huấn đo lường năng suất đêm thứ nhất", "Tập huấn đo lường năng suất ngày thứ hai"
	ofUnit := url.Values{"unit": {unit.Code}, "entity": {"activity"}}
	with := func(extra ...string) url.Values {
		q := url.Values{}
		for k, v := range ofUnit {
			q[k] = v
		}
		for i := 0; i < len(extra); i += 2 {
			q.Set(extra[i], extra[i+1])
		}
		return q
	}

	all := read(ofUnit)
	if got := descriptions(all); !slices.Equal(got, []string{second, first}) {
		t.Fatalf("the unit's activities, newest first: %q", got)
	}
	e := all.Entries[1]
	if e.Unit != unit.Code || e.User != focal.Email || e.Action != "create" ||
		!strings.HasPrefix(e.Sentence, focal.Name+" ") || !strings.Contains(e.Sentence, first) ||
		!strings.HasPrefix(e.SentenceEn, focal.Name+" ") || !strings.Contains(e.SentenceEn, first) || e.Sentence == e.SentenceEn {
		t.Errorf("the first entry: %+v", e)
	}
	if !strings.Contains(e.SentenceEn, "activity") || strings.Contains(e.Sentence, "activity") {
		t.Errorf("the sentences are not each in its language: %q / %q", e.Sentence, e.SentenceEn)
	}
	if len(e.Changes) == 0 || len(e.Changes) != len(e.ChangesEn) {
		t.Errorf("the figures of the new activity: %q / %q", e.Changes, e.ChangesEn)
	}

	for _, c := range []struct {
		query url.Values
		want  []string
	}{
		{with("from", "11/03/2031", "to", "11/03/2031"), []string{second}}, // Vietnam's 11 March, though still the 10th in UTC
		{with("from", "2031-03-10", "to", "2031-03-10"), []string{first}},
		{with("from", "11/03/2031"), []string{second}},
		{with("to", "09/03/2031"), nil},
		{with("user", focal.Email), []string{first}},
		{with("user", fmt.Sprint(reporter.ID)), []string{second}},
		{with("user", reporter.Email, "from", "10/03/2031", "to", "10/03/2031"), nil},
		{url.Values{"unit": {unit.Code}, "user": {reporter.Email}}, []string{second}},
	} {
		if got := descriptions(read(c.query)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.query.Encode(), got, c.want)
		}
	}

	// Paging: a full page says where the next starts.
	p1 := read(with("limit", "1"))
	if got := descriptions(p1); !slices.Equal(got, []string{second}) || p1.Next == nil || *p1.Next != p1.Entries[0].ID {
		t.Fatalf("page 1: %q, next %v", got, p1.Next)
	}
	p2 := read(with("limit", "1", "before", fmt.Sprint(*p1.Next)))
	if got := descriptions(p2); !slices.Equal(got, []string{first}) || p2.Next == nil {
		t.Fatalf("page 2: %q, next %v", got, p2.Next)
	}
	if p3 := read(with("limit", "1", "before", fmt.Sprint(*p2.Next))); len(p3.Entries) != 0 || p3.Next != nil {
		t.Errorf("page 3: %+v", p3)
	}
	// Within dates the pages go as well.
	dated := read(with("limit", "1", "from", "10/03/2031", "to", "11/03/2031", "before", fmt.Sprint(*p1.Next)))
	if got := descriptions(dated); !slices.Equal(got, []string{first}) {
		t.Errorf("page 2 within dates: %q", got)
	}

	// A bad value is refused, naming its field.
	for _, c := range []struct{ query, field string }{
		{"unit=KHONG-CO", "unit"},
		{"from=31/02/2031", "from"},
		{"from=hôm qua", "from"},
		{"to=2031-13-01", "to"},
		{"from=12/03/2031&to=11/03/2031", "to"},
		{"user=khong-co@demo.local", "user"},
		{"user=987654321", "user"},
		{"entity=hoat_dong", "entity"},
		{"limit=0", "limit"},
		{"limit=501", "limit"},
		{"limit=mười", "limit"},
		{"offset=1001", "offset"},
		{"before=abc", "before"},
		{"before=-5", "before"},
	} {
		code, body := fetch(t, client, "GET", ts.URL+"/api/v1/audit?"+strings.ReplaceAll(c.query, " ", "+"), "", "")
		var fields struct {
			Error struct {
				Field   string `json:"field"`
				Message string `json:"message"`
				English string `json:"message_en"`
			} `json:"error"`
		}
		json.Unmarshal([]byte(body), &fields)
		if code != http.StatusBadRequest || fields.Error.Field != c.field || fields.Error.Message == "" || fields.Error.English == "" {
			t.Errorf("%s: %d %s, want 400 naming %s", c.query, code, body, c.field)
		}
	}
}
