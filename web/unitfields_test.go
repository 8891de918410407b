package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// Every field that names a unit — the activity's unit, a user's unit, a
// new unit's parent, a plan's unit, the unit a unit moves under, the audit
// log's unit filter — is the one unit field: past 50 units a code or name
// typed and searched, not every unit as an option. What it sends is read
// as a code or a name only one unit holds; one that names no unit is
// refused beside the field, naming the field and what was typed, and
// nothing is stored.
func TestEveryUnitFieldOfALargeTree(t *testing.T) {
	f := newFormFixture(t)
	ts := f.ts
	ctx := context.Background()
	units := addUnits(t, ts, "THU", 60, false)
	admin := ts.client(t, "admin@demo.local")
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	// options counts the units a page offers as options, by their names.
	options := func(page string) int {
		n := 0
		for _, m := range reOptionText.FindAllStringSubmatch(page, -1) {
			for _, u := range append(units, city, f.thuDuc) {
				if strings.HasPrefix(html.UnescapeString(m[1]), u.Name) {
					n++
				}
			}
		}
		return n
	}
	for _, p := range []struct {
		who          *http.Client
		path, fields string
	}{
		{f.focal, "/activities/new", "unit"},
		{admin, "/users", "unit"},
		{f.focal, "/setup", "unit parent"},
		{f.focal, fmt.Sprintf("/setup/units/%d/edit", units[0].ID), "parent"},
		{admin, "/audit", "unit"},
	} {
		code, page := fetch(t, p.who, "GET", ts.URL+p.path, "", "")
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", p.path, code, alertText(page))
		}
		if n := options(page); n != 0 {
			t.Errorf("%s lists %d units as options", p.path, n)
		}
		for _, field := range strings.Fields(p.fields) {
			if !strings.Contains(page, `<input name="`+field+`" value="`) || !strings.Contains(page, `list="`+field+`-choices" data-unit-search`) {
				t.Errorf("%s: the %s field is not a searched field", p.path, field)
			}
		}
	}
	// A reporter may enter its own unit's activities only: one unit, a list.
	if _, page := fetch(t, f.reporter, "GET", ts.URL+"/activities/new", "", ""); !strings.Contains(page, `<select name="unit"><option value="`+demo.UnitThuDuc+`" selected>`) {
		t.Errorf("a reporter's activity form does not list its one unit")
	}

	// refused posts what the field names no unit of, and checks the page
	// says so beside the field, naming it, keeps what was typed, and that
	// nothing was stored.
	refused := func(who *http.Client, path, action string, form url.Values, field, label string) {
		t.Helper()
		typed := form.Get(field)
		before := stateOf(t, ts, f.focal)
		code, page := fetch(t, who, "POST", ts.URL+path, formType, form.Encode())
		if code != http.StatusBadRequest {
			t.Fatalf("%s with %s %q: %d, want 400 (%s)", path, field, typed, code, alertText(page))
		}
		want := fmt.Sprintf("%s: không có đơn vị %q", label, typed)
		checkFormErrors(t, formWithAction(t, page, action), map[string]string{field: want})
		if !strings.Contains(page, `<input name="`+field+`" value="`+typed+`"`) {
			t.Errorf("%s: the %s field does not keep %q", path, field, typed)
		}
		if d := before.diff(stateOf(t, ts, f.focal)); d != "" {
			t.Errorf("%s with %s %q stored something: %s", path, field, typed, d)
		}
	}
	saved := func(who *http.Client, path string, form url.Values) {
		t.Helper()
		if code, page := fetch(t, who, "POST", ts.URL+path, formType, form.Encode()); code != http.StatusSeeOther {
			t.Fatalf("%s: %d, want 303 (%s)", path, code, alertText(page))
		}
	}
	prog := f.prog
	countOf := func(unit nscl.OrgUnit) int {
		n, err := ts.store.CountActivities(ctx, prog, store.ActivityFilter{Units: []int64{unit.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The activity's unit, by code and by its name.
	for i, typed := range []string{units[7].Code, units[8].Name} {
		form := f.goodActivityForm()
		form.Set("unit", typed)
		form.Set("description", fmt.Sprintf("Hội thảo số %d của đơn vị thử", i))
		form.Set("date", fmt.Sprintf("%02d/06/2023", 10+i))
		saved(f.focal, "/activities", form)
		if n := countOf(units[7+i]); n != 1 {
			t.Errorf("unit %q: %s has %d activities, want the one posted", typed, units[7+i].Code, n)
		}
	}
	form := f.goodActivityForm()
	form.Set("unit", "THU-9999")
	refused(f.focal, "/activities", "/activities", form, "unit", "Đơn vị")

	// A user's unit.
	user := url.Values{"email": {"nguoi.moi@demo.local"}, "name": {"Người mới"}, "role": {"viewer"}, "unit": {units[3].Code}, "password": {"mật khẩu đủ dài"}}
	saved(admin, "/users", user)
	users, err := ts.store.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == "nguoi.moi@demo.local" && u.UnitID != units[3].ID {
			t.Errorf("the new user's unit is %d, want %d (%s)", u.UnitID, units[3].ID, units[3].Code)
		}
	}
	user.Set("email", "nguoi.khac@demo.local")
	user.Set("unit", "Đơn vị không có")
	refused(admin, "/users", "/users", user, "unit", "Đơn vị")

	// A new unit's parent and a new plan's unit, on the set-up page.
	unit := url.Values{"code": {"THU-CON"}, "name": {"Đơn vị con thử"}, "level": {"unit"}, "parent": {demo.UnitThuDuc}}
	saved(f.focal, "/setup/units", unit)
	if child, err := ts.store.UnitByCode(ctx, "THU-CON"); err != nil || child.ParentID != f.thuDuc.ID {
		t.Errorf("the new unit: %+v %v, want it under %s", child, err, demo.UnitThuDuc)
	}
	unit.Set("code", "THU-CON2")
	unit.Set("parent", "THU-9999")
	refused(f.focal, "/setup/units", "/setup/units", unit, "parent", "Đơn vị cấp trên")
	plan := url.Values{"name": {"Kế hoạch năm 2024 của đơn vị thử"}, "kind": {"annual"}, "start_year": {"2024"}, "end_year": {"2024"}, "unit": {units[5].Code}, "document": {"0"}, "t_training_enterprises": {"12"}}
	saved(f.focal, "/setup/plans", plan)
	plans, err := ts.store.Plans(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range plans {
		found = found || p.Name == plan.Get("name") && p.UnitID == units[5].ID
	}
	if !found {
		t.Errorf("no plan of %s stored", units[5].Code)
	}
	plan.Set("name", "Kế hoạch khác")
	plan.Set("unit", "THU-9999")
	refused(f.focal, "/setup/plans", "/setup/plans", plan, "unit", "Đơn vị")

	// The unit a unit moves under.
	move := fmt.Sprintf("/setup/units/%d/move", units[6].ID)
	refused(f.focal, move, move, url.Values{"parent": {"THU-9999"}, "move_on": {"01/01/2024"}, "version": {fmt.Sprint(units[6].Version)}}, "parent", "Đơn vị cấp trên")
	saved(f.focal, move, url.Values{"parent": {demo.UnitThuDuc}, "move_on": {"01/01/2024"}, "version": {fmt.Sprint(units[6].Version)}})
	if moves, err := ts.store.UnitParentChanges(ctx, units[6].ID); err != nil || len(moves) != 1 || moves[0].NewParentID != f.thuDuc.ID {
		t.Errorf("the move: %+v %v, want one under %s", moves, err, demo.UnitThuDuc)
	}

	// The audit log's unit filter: the unit's own entries, by code.
	code, page := fetch(t, admin, "GET", ts.URL+"/audit?unit="+units[6].Code, "", "")
	if code != http.StatusOK || !strings.Contains(page, `<input name="unit" value="`+units[6].Code+`"`) {
		t.Errorf("/audit?unit=%s: %d, or the filter does not show it", units[6].Code, code)
	}
	if code, page := fetch(t, admin, "GET", ts.URL+"/audit?unit=THU-9999", "", ""); code != http.StatusBadRequest || !strings.Contains(alertText(page), `Đơn vị: không có đơn vị "THU-9999"`) {
		t.Errorf("/audit?unit=THU-9999: %d %q, want 400 naming the field", code, alertText(page))
	}
}

var reOptionText = regexp.MustCompile(`<option[^>]*>([^<]*)</option>`)
