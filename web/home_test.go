package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"nscl/store"
)

// / is the public home to a visitor, with no cookie at all, and the
// dashboard to a signed-in user; a visitor is not sent to sign in.
func TestHomeIsPublicAndTheDashboardSignedIn(t *testing.T) {
	ts := newTestServer(t)
	visitor := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	code, home := fetch(t, visitor, "GET", ts.URL+"/", "", "")
	if code != http.StatusOK {
		t.Fatalf("/ as a visitor: %d\n%s", code, trim(home))
	}
	for _, want := range []string{`id="progress"`, `id="home-calls"`, `id="home-classes"`, `id="home-news"`, `id="visitor-menu"`,
		`href="/tin-tuc"`, `href="/tai-lieu"`, `href="/lich-tap-huan"`, `href="/calls"`, `href="/login"`, `<html lang="vi">`} {
		if !strings.Contains(home, want) {
			t.Errorf("the public home lacks %s", want)
		}
	}
	for _, unwanted := range []string{`action="/logout"`, `href="/activities"`, "<script src=\"http"} {
		if strings.Contains(home, unwanted) {
			t.Errorf("the public home holds %s", unwanted)
		}
	}
	code, dash := fetch(t, ts.client(t, "focal@demo.local"), "GET", ts.URL+"/", "", "")
	if code != http.StatusOK || !strings.Contains(dash, `id="approved-note"`) || strings.Contains(dash, `id="home-news"`) || strings.Contains(dash, `id="visitor-menu"`) {
		t.Errorf("/ signed in is not the dashboard: %d\n%s", code, trim(dash))
	}
	for _, want := range []string{`href="/posts"`, `href="/lich-tap-huan/quan-ly"`} {
		if !strings.Contains(dash, want) {
			t.Errorf("the focal staff's menu lacks %s", want)
		}
	}
}

// On a new installation with no programme yet, / sends a visitor to sign
// in, as it did before there was a public home.
func TestHomeWithoutAProgrammeLeadsToSignIn(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer((&Server{Store: st, Programme: "NSCL", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	t.Cleanup(srv.Close)
	visitor := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := visitor.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("/ without a programme: %d to %q, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
}
