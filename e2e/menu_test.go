package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// withoutDetailsContent drops the style sheet's rules for browsers that know
// ::details-content, as a browser without it ignores them; it answers how
// many it dropped.
const withoutDetailsContent = `(function () {
	var dropped = 0;
	for (const sheet of document.styleSheets) {
		for (let i = sheet.cssRules.length - 1; i >= 0; i--) {
			var r = sheet.cssRules[i];
			if (r instanceof CSSSupportsRule && r.conditionText.indexOf("details-content") >= 0) {
				sheet.deleteRule(i);
				dropped++;
			}
		}
	}
	return dropped;
})()`

// TestMenuOpenOnAWideScreenWithoutDetailsContent: in a browser that cannot
// show a closed <details>'s content, the navigation still stands open on a
// 1366 px screen, with no menu button; on a phone it folds, and opens at a
// touch.
func TestMenuOpenOnAWideScreenWithoutDetailsContent(t *testing.T) {
	exe := browser(t)
	_, srv := demoServer(t)
	b := newSession(t, exe, srv.URL)
	b.login("focal@demo.local")
	const linkShown = `document.querySelector('header nav a[href="/rounds"]').checkVisibility()`
	const buttonShown = `document.querySelector("details.menu summary").checkVisibility()`
	check := func(step string, wantLink, wantButton bool) {
		t.Helper()
		link, err1 := chromedp.Run(b.ctx, chromedp.Evaluate[bool](linkShown))
		button, err2 := chromedp.Run(b.ctx, chromedp.Evaluate[bool](buttonShown))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", step, err1, err2)
		}
		if link != wantLink || button != wantButton {
			t.Errorf("%s: the navigation's links shown %v, the menu button %v; want %v, %v", step, link, button, wantLink, wantButton)
		}
	}
	for _, path := range []string{"/", "/rounds"} {
		b.run("wide "+path, chromedp.Navigate(srv.URL+path), chromedp.WaitReady(`body`))
		dropped, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](withoutDetailsContent))
		if err != nil || dropped == 0 {
			t.Fatalf("no ::details-content rule to drop (%d, %v): the test would show nothing", dropped, err)
		}
		check("1366 px, without ::details-content, "+path, true, false)
	}
	b.run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	check("turned to 390 px", false, true)
	b.run("phone page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(`body`))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](withoutDetailsContent)); err != nil {
		t.Fatal(err)
	}
	check("390 px, without ::details-content", false, true)
	b.run("open the menu", chromedp.Click(`details.menu summary`), chromedp.WaitVisible(`header nav a[href="/rounds"]`))
}
