package web

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The browser test (e2e) measures every page at 390 px; these tests catch,
// without a browser, the causes of a page wider than a phone that were
// seen: a table that is not in a box of its own that scrolls, a fixed width
// wider than the screen in the style sheet; and a form field nobody can
// name because it has no label.

var (
	reTag  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	reAttr = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?`)
)

type tag struct {
	closing bool
	name    string
	attrs   map[string]string
	text    string // as written, to name it in a message
}

func tags(page string) []tag {
	var out []tag
	for _, m := range reTag.FindAllStringSubmatch(page, -1) {
		t := tag{closing: m[1] == "/", name: strings.ToLower(m[2]), attrs: map[string]string{}, text: m[0]}
		for _, a := range reAttr.FindAllStringSubmatch(m[3], -1) {
			t.attrs[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
		}
		out = append(out, t)
	}
	return out
}

func (t tag) hasClass(c string) bool { return slices.Contains(strings.Fields(t.attrs["class"]), c) }

func (t tag) has(attr string) bool { _, ok := t.attrs[attr]; return ok }

// phoneProblems lists what in a page would make it wider than a phone or
// leave a field without a name: a <table> outside a div.table-wrap, and an
// input, select or textarea that is shown but has no <label> around it, no
// <label for=> its id and no aria-label. Divs and labels must be closed in
// HTML, so counting them is enough to know what encloses what.
func phoneProblems(page string) []string {
	all := tags(page)
	labelled := map[string]bool{}
	for _, t := range all {
		if t.name == "label" && !t.closing && t.attrs["for"] != "" {
			labelled[t.attrs["for"]] = true
		}
	}
	var problems []string
	var divs []bool // for each open div: is it a scrolling box, or a hidden one (values read out beside a chart)?
	inLabel := 0
	for _, t := range all {
		switch {
		case t.name == "div" && !t.closing:
			divs = append(divs, t.hasClass("table-wrap") || t.hasClass("visually-hidden"))
		case t.name == "div" && t.closing:
			if len(divs) > 0 {
				divs = divs[:len(divs)-1]
			}
		case t.name == "label":
			if t.closing {
				inLabel--
			} else {
				inLabel++
			}
		case t.name == "table" && !t.closing:
			if !slices.Contains(divs, true) {
				problems = append(problems, "a table outside a scrolling box (div.table-wrap): "+t.text)
			}
		case (t.name == "input" || t.name == "select" || t.name == "textarea") && !t.closing:
			switch t.attrs["type"] {
			case "hidden", "submit", "button", "reset", "image":
				continue
			}
			if t.has("hidden") || inLabel > 0 || t.attrs["aria-label"] != "" || t.attrs["aria-labelledby"] != "" || labelled[t.attrs["id"]] && t.attrs["id"] != "" {
				continue
			}
			problems = append(problems, "a form field without a label: "+t.text)
		}
	}
	return problems
}

// The checker itself finds what it is meant to find, and passes what is right.
func TestPhoneProblemsFindsTheCauses(t *testing.T) {
	for _, c := range []struct {
		name, page string
		want       int
	}{
		{"bare table", `<main><table><tr><td>1</td></tr></table></main>`, 1},
		{"table in a plain div", `<div class="box"><table></table></div>`, 1},
		{"table after a closed wrapper", `<div class="table-wrap"><table></table></div><table></table>`, 1},
		{"wrapped table", `<div class="table-wrap"><table><tr><td><table></table></td></tr></table></div>`, 0},
		{"wrapped among other classes", `<div class="x table-wrap"><table></table></div>`, 0},
		{"input without a label", `<form><input name="comment" placeholder="Ý kiến"></form>`, 1},
		{"select and textarea without labels", `<select name="a"></select><textarea name="b"></textarea>`, 2},
		{"input after a closed label", `<label>Tên <input name="a"></label><input name="b">`, 1},
		{"label around", `<label>Năm <select name="year"></select></label>`, 0},
		{"label for", `<label for="q">Tìm</label><input id="q" name="q">`, 0},
		{"label for another id", `<label for="p">Tìm</label><input id="q" name="q">`, 1},
		{"aria-label", `<input name="x" aria-label="Số lượng">`, 0},
		{"empty aria-label", `<input name="x" aria-label="">`, 1},
		{"hidden and buttons", `<input type="hidden" name="v"><input type="submit"><textarea hidden></textarea>`, 0},
	} {
		if got := phoneProblems(c.page); len(got) != c.want {
			t.Errorf("%s: %d problems %q, want %d", c.name, len(got), got, c.want)
		}
	}
}

// phonePages are the pages a signed-in person can open, with the ids of
// records the test makes: every template that draws a page is among them.
func phonePages(t *testing.T, ts *testServer, f routeFixture) (pages []string, callPage string) {
	t.Helper()
	call := demoCall(t, ts)
	if resp, _ := register(t, ts, ts.client(t, ""), call.ID, registrationForm()); resp.StatusCode != 303 {
		t.Fatalf("registering: %d", resp.StatusCode)
	}
	regs := storedRegistrations(t, ts)
	if len(regs) == 0 {
		t.Fatal("no registration to show")
	}
	callPage = fmt.Sprintf("/calls/%d", call.ID)
	return []string{
		"/?year=2022", "/?year=2023&unit=HCM-THUDUC",
		"/activities?year=2022", "/activities/new", fmt.Sprintf("/activities/%d/edit", f.ownActivity.ID),
		"/rounds", "/rounds/new", fmt.Sprintf("/rounds/%d", f.round), "/rounds/1", "/rounds/2",
		"/audit", "/report?year=2022", "/report?from=2021&to=2022", "/setup", "/setup/plans/1/edit", fmt.Sprintf("/setup/units/%d/edit", f.ownUnit.ID),
		"/users", "/account",
		"/enterprises", "/enterprises/new", fmt.Sprintf("/enterprises/%d", f.enterprise), fmt.Sprintf("/enterprises/%d/edit", f.enterprise),
		"/calls", callPage, "/calls/manage", "/calls/new", fmt.Sprintf("/calls/%d/edit", call.ID),
		"/registrations", fmt.Sprintf("/registrations/%d", regs[0].ID),
		"/nowhere",
	}, callPage
}

// Every page each role can open has its tables in scrolling boxes and a
// label for each field, and its navigation folds into the menu.
func TestEveryPageFitsAPhone(t *testing.T) {
	ts, f := newRouteServer(t)
	pages, callPage := phonePages(t, ts, f)
	tables, fields, seen := 0, 0, 0
	check := func(who, path string, code int, body string) {
		t.Helper()
		if code != 200 {
			return
		}
		seen++
		tables += strings.Count(body, "<table")
		fields += len(regexp.MustCompile(`<(input|select|textarea)\b`).FindAllString(body, -1))
		for _, p := range phoneProblems(body) {
			t.Errorf("%s, %s: %s", who, path, p)
		}
	}
	anon := ts.client(t, "")
	for _, path := range []string{"/login", "/calls", callPage} {
		code, body := fetch(t, anon, "GET", ts.URL+path, "", "")
		check("anonymous", path, code, body)
	}
	for _, role := range []string{"admin", "focal", "reporter", "viewer"} {
		c := ts.client(t, emails[role])
		for _, path := range pages {
			code, body := fetch(t, c, "GET", ts.URL+path, "", "")
			check(role, path, code, body)
			if code == 200 && strings.Contains(body, `action="/logout"`) && !regexp.MustCompile(`(?s)<details class="menu">.*<nav\b.*</nav>.*</details>`).MatchString(body) {
				t.Errorf("%s, %s: the navigation is not in the folding menu", role, path)
			}
		}
	}
	// Also the page that asks before deleting, and the English pages.
	focal := ts.client(t, emails["focal"])
	code, body := fetch(t, focal, "POST", fmt.Sprintf("%s/activities/%d/delete", ts.URL, f.ownActivity.ID), formType, form(map[string]string{"version": fmt.Sprint(f.ownActivity.Version)}))
	check("focal", "delete, unconfirmed", code, body)
	fetch(t, focal, "GET", ts.URL+"/lang/en", "", "")
	for _, path := range pages {
		code, body := fetch(t, focal, "GET", ts.URL+path, "", "")
		check("focal in English", path, code, body)
	}
	t.Logf("checked %d pages, %d tables, %d fields", seen, tables, fields)
	// Not a vacuous pass: the pages were there and held tables and fields.
	if seen < 60 || tables < 40 || fields < 200 {
		t.Errorf("checked %d pages, %d tables, %d fields: fewer than the application shows", seen, tables, fields)
	}
}

// The style sheet sets no width wider than a phone's screen (360 px less
// the page's margins) outside the print rules: such a box would widen the
// page whatever its content.
func TestStyleSheetHasNoWidthWiderThanAPhone(t *testing.T) {
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	problems := cssWidthProblems(string(css), 340)
	for _, p := range problems {
		t.Error(p)
	}
	// The checker does see a wide box, in or out of a media query.
	if got := cssWidthProblems("a { color: red; }\n@media print { table { width: 50rem; } }\n.x { min-width: 30rem; }\n@media (max-width: 40em) { .y { width: 400px } }", 340); len(got) != 2 {
		t.Errorf("the checker found %q, want .x and .y", got)
	}
}

var reWidth = regexp.MustCompile(`(?:^|[;{\s])((?:min-)?width)\s*:\s*([0-9.]+)(px|rem|em)|minmax\(\s*([0-9.]+)(px|rem|em)`)

// cssWidthProblems lists fixed widths and minimum widths above limit px
// (1 rem = 1 em = 16 px), leaving out @media print blocks.
func cssWidthProblems(css string, limit float64) []string {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	for {
		i := strings.Index(css, "@media print")
		if i < 0 {
			break
		}
		depth, end := 0, len(css)
		for j := i; j < len(css); j++ {
			if css[j] == '{' {
				depth++
			} else if css[j] == '}' {
				depth--
				if depth == 0 {
					end = j + 1
					break
				}
			}
		}
		css = css[:i] + css[end:]
	}
	var problems []string
	for _, m := range reWidth.FindAllStringSubmatch(css, -1) {
		number, unit := m[2], m[3]
		if number == "" {
			number, unit = m[4], m[5]
		}
		v, _ := strconv.ParseFloat(number, 64)
		if unit != "px" {
			v *= 16
		}
		if v > limit {
			problems = append(problems, fmt.Sprintf("app.css: %q is %.0f px, wider than a phone", strings.TrimSpace(m[0]), v))
		}
	}
	return problems
}
