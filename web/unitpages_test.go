package web

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
	"nscl/vnfmt"
)

// unitPages are the pages that name units and must not grow with the
// tree: %d is the city's ID.
var unitPages = []string{"/setup", "/setup?unit=%d", "/rounds/new", "/setup/units/%d/edit", "/activities/new", "/activities"}

// The set-up page, a level of its tree, the round form and a unit's page
// run the same statements and stay about the same size with 300 and with
// 2.000 units under the city: they show a level a page at a time and
// choose units by fields, never one line or option per unit.
func TestUnitPagesDoNotGrowWithTheTree(t *testing.T) {
	measure := func(n int) map[string]pageCost {
		ts := newTestServer(t)
		addUnits(t, ts, "THU", n, false)
		city, err := ts.store.UnitByCode(context.Background(), demo.UnitCity)
		if err != nil {
			t.Fatal(err)
		}
		focal := ts.client(t, "focal@demo.local")
		out := map[string]pageCost{}
		for _, page := range unitPages {
			path := page
			if strings.Contains(page, "%d") {
				path = fmt.Sprintf(page, city.ID)
			}
			out[page] = costOf(t, ts, focal, path, fmt.Sprintf("%d units", n))
		}
		return out
	}
	checkCostsFlat(t, unitPages, measure(300), measure(2000), "300 units", "2.000 units")
}

// A tree past 200 units is shown a level at a time: the page opens on the
// Ministry's children, each with the units under it counted and a link to
// them; a level of 250 units comes 100 at a time, in the order of codes,
// every unit on exactly one page; a search finds by code or by name
// without diacritics; a unit that is not a number is refused.
func TestSetupShowsALargeTreeALevelAtATime(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	added := addUnits(t, ts, "THU", 250, false)
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	units, err := ts.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// What the store holds, counted here: the city's children, and the
	// units under the city at every depth.
	children := map[string]bool{}
	parent := map[int64]int64{}
	for _, u := range units {
		parent[u.ID] = u.ParentID
		if u.ParentID == city.ID {
			children[u.Code] = true
		}
	}
	below := 0
	for _, u := range units {
		for p := parent[u.ID]; p != 0; p = parent[p] {
			if p == city.ID {
				below++
				break
			}
		}
	}
	focal := ts.client(t, "focal@demo.local")
	code, body := fetch(t, focal, "GET", ts.URL+"/setup", "", "")
	if code != 200 {
		t.Fatalf("/setup: %d %s", code, alertText(body))
	}
	if n := strings.Count(body, `<li id="unit-`); n > 10 {
		t.Errorf("/setup shows %d units, want the Ministry's few children", n)
	}
	link := fmt.Sprintf(`<a class="below" href="/setup?unit=%d#units">(%s đơn vị) ›</a>`, city.ID, vnfmt.Int(int64(below)))
	if !strings.Contains(body, link) {
		t.Errorf("/setup has no link %s", link)
	}
	seen := map[string]int{}
	next, pages := fmt.Sprintf("/setup?unit=%d", city.ID), 0
	for next != "" {
		pages++
		code, body := fetch(t, focal, "GET", ts.URL+strings.ReplaceAll(next, "&amp;", "&"), "", "")
		if code != 200 || pages > 10 {
			t.Fatalf("%s: %d, page %d", next, code, pages)
		}
		if n := strings.Count(body, `<li id="unit-`); n > 100 {
			t.Errorf("%s shows %d units, more than 100", next, n)
		}
		for _, m := range reTreeCode.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
		}
		next = ""
		if m := reNextLink.FindStringSubmatch(body); m != nil {
			next = m[1]
		}
	}
	if pages != (len(children)+99)/100 {
		t.Errorf("the city's %d children over %d pages", len(children), pages)
	}
	for code := range children {
		if seen[code] != 1 {
			t.Errorf("%s shown %d times over the pages", code, seen[code])
		}
	}
	if len(seen) != len(children) {
		t.Errorf("%d units shown over the pages, the city has %d children", len(seen), len(children))
	}

	for _, q := range []string{added[123].Code, "don vi thu thu 0123"} {
		_, body := fetch(t, focal, "GET", ts.URL+"/setup?q="+url.QueryEscape(q), "", "")
		if !strings.Contains(body, fmt.Sprintf(`<li id="unit-%d">`, added[123].ID)) || strings.Count(body, `<li id="unit-`) != 1 {
			t.Errorf("searching %q does not find %s alone", q, added[123].Code)
		}
	}
	if code, body := fetch(t, focal, "GET", ts.URL+"/setup?unit=x", "", ""); code != 400 || !strings.Contains(alertText(body), `đơn vị "x" không hợp lệ`) {
		t.Errorf("/setup?unit=x: %d %q", code, alertText(body))
	}
}

var (
	reTreeCode = regexp.MustCompile(`<li id="unit-\d+"[^>]*><a href="/setup/units/\d+/edit" class="code">([^<]+)</a>`)
	reNextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// On a large tree the round form has no checkbox per unit: a round opened
// for a department's subtree asks exactly its open units of the levels
// that report, the department included; Add shows the choice before the
// round is opened; a unit one field names alone joins them; a field that
// names no unit, or a subtree with no unit to ask, is refused beside the
// field in Vietnamese and English, and nothing is stored.
func TestRoundForASubtree(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	addUnits(t, ts, "KHAC", 120, false) // a large tree, outside the subtree
	city, err := ts.store.UnitByCode(ctx, demo.UnitCity)
	if err != nil {
		t.Fatal(err)
	}
	dept := nscl.OrgUnit{Code: "THU-SO", Name: "Sở thử nghiệm", Level: nscl.LevelDepartment, ParentID: city.ID}
	empty := nscl.OrgUnit{Code: "THU-TINH", Name: "Tỉnh không có đơn vị", Level: nscl.LevelProvince, ParentID: 0}
	want := map[int64]bool{}
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		for _, u := range []*nscl.OrgUnit{&dept, &empty} {
			if err := tx.CreateUnit(ctx, u); err != nil {
				return err
			}
		}
		want[dept.ID] = true
		for i := range 30 {
			u := nscl.OrgUnit{Code: fmt.Sprintf("THU-SO-%02d", i), Name: fmt.Sprintf("Chi cục thử %02d", i), Level: nscl.LevelUnit, ParentID: dept.ID}
			if i == 29 {
				u.ClosedOn = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) // closed: not asked
			}
			if err := tx.CreateUnit(ctx, &u); err != nil {
				return err
			}
			if i != 29 {
				want[u.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/rounds/new", "", "")
	if strings.Contains(page, `type="checkbox"`) || !strings.Contains(page, `<input name="under" value=""`) || !strings.Contains(page, `<input name="add" value=""`) {
		t.Fatalf("the round form of a large tree: checkboxes, or no unit fields:\n%s", trim(page))
	}
	rounds := func() int {
		prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
		if err != nil {
			t.Fatal(err)
		}
		list, err := ts.store.Rounds(ctx, prog)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := rounds()
	form := url.Values{"title": {"Báo cáo của sở thử"}, "period_start": {"01/01/2024"}, "period_end": {"31/03/2024"}, "deadline": {"10/04/2024"}, "under": {"THU-SO"}, "more": {"1"}}
	code, page := fetch(t, focal, "POST", ts.URL+"/rounds", formType, form.Encode())
	chosen := fmt.Sprintf(`<input type="checkbox" name="subtree" value="%d" checked> Sở thử nghiệm (%d đơn vị báo cáo)`, dept.ID, len(want))
	if code != 200 || !strings.Contains(page, chosen) || !strings.Contains(page, `<input name="under" value=""`) || !strings.Contains(page, `value="Báo cáo của sở thử"`) {
		t.Errorf("Add: %d, want the form again with %s", code, chosen)
	}
	if rounds() != before {
		t.Error("Add opened a round")
	}

	// The refusals, each beside its field, in both languages.
	for _, c := range []struct {
		field, typed, vi, en string
	}{
		{"under", "THU-9999", `Đơn vị và mọi đơn vị trực thuộc: không có đơn vị "THU-9999"`, `A unit and every unit under it: no unit "THU-9999"`},
		{"add", "THU-9999", `Thêm một đơn vị: không có đơn vị "THU-9999"`, `Add one unit: no unit "THU-9999"`},
		{"under", "THU-TINH", "Đơn vị và mọi đơn vị trực thuộc: Tỉnh không có đơn vị và các đơn vị trực thuộc không có đơn vị báo cáo nào", "A unit and every unit under it: Tỉnh không có đơn vị has no open reporting unit"},
	} {
		bad := url.Values{"title": {"Báo cáo sai"}, "period_start": {"01/01/2024"}, "period_end": {"31/03/2024"}, "deadline": {"10/04/2024"}, c.field: {c.typed}}
		for _, lang := range []string{"vi", "en"} {
			fetch(t, focal, "GET", ts.URL+"/lang/"+lang, "", "")
			code, page := fetch(t, focal, "POST", ts.URL+"/rounds", formType, bad.Encode())
			want := map[string]string{"vi": c.vi, "en": c.en}[lang]
			if code != 400 || !strings.Contains(fieldErrors(page)[c.field], want) {
				t.Errorf("%s %q (%s): %d, beside the field %q, want %q", c.field, c.typed, lang, code, fieldErrors(page)[c.field], want)
			}
			if !strings.Contains(page, `<input name="`+c.field+`" value="`+c.typed+`"`) {
				t.Errorf("%s %q (%s): the field does not keep what was typed", c.field, c.typed, lang)
			}
		}
		fetch(t, focal, "GET", ts.URL+"/lang/vi", "", "")
	}
	if rounds() != before {
		t.Error("a refused form opened a round")
	}

	// Opened: the subtree chosen before, and one unit typed by code.
	delete(form, "more")
	form.Set("under", "")
	form.Set("subtree", fmt.Sprint(dept.ID))
	form.Set("add", "KHAC-0007")
	code, page = fetch(t, focal, "POST", ts.URL+"/rounds", formType, form.Encode())
	if code != 303 {
		t.Fatalf("opening the round: %d %s", code, alertText(page))
	}
	other, err := ts.store.UnitByCode(ctx, "KHAC-0007")
	if err != nil {
		t.Fatal(err)
	}
	want[other.ID] = true
	prog, _ := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	list, err := ts.store.Rounds(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	round := list[0]
	for _, r := range list {
		if r.ID > round.ID {
			round = r
		}
	}
	got := map[int64]bool{}
	for _, id := range round.UnitIDs {
		got[id] = true
	}
	if !maps.Equal(got, want) || len(round.UnitIDs) != len(want) {
		t.Errorf("the round asks %d units %v, want %d %v", len(round.UnitIDs), round.UnitIDs, len(want), want)
	}
}
