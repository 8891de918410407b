package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// measure is what the page says of itself in the browser: how wide the
// document is against the screen, which boxes stick out (outside any box
// that scrolls), and which shown form fields have no name.
const measure = `(function () {
	var view = document.documentElement.clientWidth;
	var out = {url: location.pathname + location.search, width: document.documentElement.scrollWidth, view: view, wide: [], unlabelled: []};
	function scrolls(el) {
		for (var p = el.parentElement; p; p = p.parentElement) {
			var o = getComputedStyle(p).overflowX;
			if (o === "auto" || o === "scroll" || o === "hidden") return true;
		}
		return false;
	}
	function name(el) {
		return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + (el.name ? "[name=" + el.name + "]" : "");
	}
	document.querySelectorAll("body *").forEach(function (el) {
		if (out.wide.length < 5 && el.getBoundingClientRect().right > view + 1 && !scrolls(el)) out.wide.push(name(el));
	});
	document.querySelectorAll("input, select, textarea").forEach(function (el) {
		if (["hidden", "submit", "button", "reset", "image"].indexOf(el.type) >= 0) return;
		if (!el.checkVisibility()) return; // not shown (a folded part)
		if ((el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return;
		out.unlabelled.push(name(el));
	});
	return JSON.stringify(out);
})()`

type measured struct {
	URL        string   `json:"url"`
	Width      int      `json:"width"`
	View       int      `json:"view"`
	Wide       []string `json:"wide"`
	Unlabelled []string `json:"unlabelled"`
}

func (s *session) measure(step, path string) measured {
	s.t.Helper()
	s.run(step, chromedp.Navigate(s.base+path), chromedp.WaitReady(`body`))
	out, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](measure))
	var m measured
	if err == nil {
		err = json.Unmarshal([]byte(out), &m)
	}
	if err != nil {
		s.screenshot("FAILED-" + step)
		s.t.Fatalf("%s: %v", step, err)
	}
	return m
}

// phonePages are the pages of the application, with the ids of the demo's
// records; a role that may not open one is shown the refusal, which must
// fit the phone too.
func phonePages(t *testing.T, st *store.Store) []string {
	t.Helper()
	ctx := context.Background()
	thuDuc, err := st.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	round := openRound(t, st)
	return []string{
		"/?year=2022", "/?year=2023&unit=" + demo.UnitThuDuc,
		"/activities?year=2022", "/activities/new",
		"/rounds", "/rounds/new", "/rounds/1", fmt.Sprintf("/rounds/%d", round.ID),
		"/audit", "/report?year=2022", "/report?from=2021&to=2022",
		"/setup", "/setup/plans/1/edit", fmt.Sprintf("/setup/units/%d/edit", thuDuc.ID),
		"/users", "/account",
		"/enterprises", "/enterprises/new",
		"/calls", "/calls/1", "/calls/manage", "/calls/new",
		"/registrations",
		"/tin-tuc", "/tai-lieu", "/lich-tap-huan", "/posts", "/lich-tap-huan/quan-ly", // the portal, with the staff's menu
		"/?year=2025", "/report?year=2025", "/nowhere", // the merged city's lines; the 404 page in the layout
	}
}

// publicPages are the pages a visitor who is not signed in reads: the
// public home at / among them.
var publicPages = []string{"/", "/tin-tuc", "/tai-lieu", "/lich-tap-huan", "/calls", "/login"}

// TestEveryPageOnAPhone opens every page, for each role, on a 390 px wide
// screen: no page is wider than the screen (a wide table scrolls in its own
// box), and every field shown has a label. The navigation is a menu that
// opens. The screenshots are kept where NSCL_E2E_SHOTS says.
func TestEveryPageOnAPhone(t *testing.T) {
	exe := browser(t)
	ctx := context.Background()
	st, srv := demoServer(t)
	err := st.Update(ctx, func(tx *store.Tx) error {
		unit, err := tx.UnitByCode(ctx, demo.UnitThuDuc)
		if err != nil {
			return err
		}
		viewer := nscl.User{Email: "viewer@e2e.local", Name: "Lãnh đạo xem báo cáo", Role: nscl.RoleViewer, UnitID: unit.ID}
		return tx.CreateUser(ctx, &viewer, password)
	})
	if err != nil {
		t.Fatal(err)
	}
	pages := phonePages(t, st)
	for _, who := range []string{"admin@demo.local", "focal@demo.local", "thuduc@demo.local", "viewer@e2e.local"} {
		b := newSession(t, exe, srv.URL)
		b.login(who)
		role := strings.Split(who, "@")[0]
		// On a wide screen the navigation is open, with no menu button.
		wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("header nav a").checkVisibility() && !document.querySelector("details.menu summary").checkVisibility()`))
		if err != nil || !wide {
			t.Errorf("%s: at 1366 px the navigation is folded (%v)", role, err)
		}
		b.run("phone "+role, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
		languages := []string{"vi"}
		if role == "focal" { // the English pages once: their words are not the same length
			languages = append(languages, "en")
		}
		for _, lang := range languages {
			b.run("language "+lang, chromedp.Navigate(srv.URL+"/lang/"+lang))
			for _, path := range pages {
				m := b.measure(fmt.Sprintf("phone %s %s %s", role, lang, path), path)
				if m.View != 390 {
					t.Fatalf("%s, %s: the screen is %d px wide, want 390", role, path, m.View)
				}
				if m.Width > m.View {
					t.Errorf("%s (%s), %s: the page is %d px wide on a %d px screen; sticking out: %v", role, lang, path, m.Width, m.View, m.Wide)
				}
				for _, f := range m.Unlabelled {
					t.Errorf("%s (%s), %s: a field without a label: %s", role, lang, path, f)
				}
			}
		}
		// On the phone the navigation is folded: its links are hidden until
		// the menu is opened.
		b.run("menu "+role, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`details.menu summary`))
		shown, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("header nav a").checkVisibility()`))
		if err != nil || shown {
			t.Errorf("%s: the navigation is shown before the menu is opened (%v)", role, err)
		}
		b.run("open the menu "+role, chromedp.Click(`details.menu summary`), chromedp.WaitVisible(`header nav a[href="/activities"]`))
	}

	// A visitor, in both languages; the visitors' menu folds and opens too.
	b := newSession(t, exe, srv.URL)
	b.run("phone visitor", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, lang := range []string{"vi", "en"} {
		b.run("language "+lang, chromedp.Navigate(srv.URL+"/lang/"+lang))
		for _, path := range publicPages {
			m := b.measure(fmt.Sprintf("phone visitor %s %s", lang, path), path)
			if m.Width > m.View {
				t.Errorf("visitor (%s), %s: the page is %d px wide on a %d px screen; sticking out: %v", lang, path, m.Width, m.View, m.Wide)
			}
			for _, f := range m.Unlabelled {
				t.Errorf("visitor (%s), %s: a field without a label: %s", lang, path, f)
			}
		}
	}
	b.run("visitor's home", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(`details.menu summary`))
	b.run("open the visitors' menu", chromedp.Click(`details.menu summary`), chromedp.WaitVisible(`#visitor-menu a[href="/tin-tuc"]`))
}

// TestPrintKeepsTheStatusColumn: the dashboard and the lists printed on A4
// (the page's width less its margins, about 700 px) fit the paper; the
// dashboard's status column is on it, not cut off.
func TestPrintKeepsTheStatusColumn(t *testing.T) {
	exe := browser(t)
	_, srv := demoServer(t)
	b := newSession(t, exe, srv.URL)
	b.login("focal@demo.local")
	const a4 = 700 // 210 mm less 2 × 12 mm of margin, at 96 px to the inch
	b.run("print", chromedp.EmulateViewport(a4, 1000), chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	for _, path := range []string{"/?year=2022", "/activities?year=2022", "/rounds/1", "/enterprises", "/report?year=2022"} {
		m := b.measure("print "+path, path)
		if m.Width > m.View {
			t.Errorf("printed, %s is %d px wide on %d px of paper; sticking out: %v", path, m.Width, m.View, m.Wide)
		}
	}
	b.measure("print the dashboard", "/?year=2022")
	right, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`Math.max.apply(null, Array.from(document.querySelectorAll("td.status")).map(function (td) { return td.getBoundingClientRect().right; }))`))
	if err != nil || right <= 0 || right > a4 {
		t.Errorf("printed, the dashboard's status column ends at %.0f px, past the paper's %d (%v)", right, a4, err)
	}
	shown, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("header.top")).display !== "none"`))
	if err != nil || shown {
		t.Errorf("printed, the navigation is on the paper (%v)", err)
	}

	// The public home, as a visitor prints it.
	visitor := newSession(t, exe, srv.URL)
	visitor.run("print, a visitor", chromedp.EmulateViewport(a4, 1000), chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if m := visitor.measure("print the public home", "/"); m.Width > m.View {
		t.Errorf("printed, the public home is %d px wide on %d px of paper; sticking out: %v", m.Width, m.View, m.Wide)
	}
}
