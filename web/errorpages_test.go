package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// get fetches a path and returns the response with its body read.
func fetchResp(t *testing.T, c *http.Client, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// isErrorPage checks that body is an error page in the layout, in lang,
// headed title, and not Go's plain text.
func isErrorPage(t *testing.T, what string, resp *http.Response, body string, status int, lang, title string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d", what, resp.StatusCode, status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q, want a page", what, ct)
	}
	for _, want := range []string{`<html lang="` + lang + `">`, `<link rel="stylesheet" href="/static/app.css">`, `id="error-page" data-status="`, "<h1>" + title + "</h1>"} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: the page lacks %q:\n%s", what, want, trim(body))
		}
	}
	if strings.Contains(body, "page not found") || strings.Contains(body, "Method Not Allowed") {
		t.Errorf("%s: Go's plain answer shows through:\n%s", what, trim(body))
	}
}

func TestErrorPagesAreInTheLayoutAndTheReadersLanguage(t *testing.T) {
	ts := newTestServer(t)
	anon, focal, reporter := ts.client(t, ""), ts.client(t, "focal@demo.local"), ts.client(t, "thuduc@demo.local")
	vi, en := func(k string) string { return translate(langVI, k) }, func(k string) string { return translate(langEN, k) }

	resp, body := fetchResp(t, anon, "GET", ts.URL+"/khong-co-trang-nay")
	isErrorPage(t, "unknown path, signed out", resp, body, 404, "vi", vi("errpage.title.404"))
	if !strings.Contains(body, vi("errpage.advice.404")) || !strings.Contains(body, `<a href="/login">`) || strings.Contains(body, `href="/activities"`) {
		t.Errorf("a signed-out reader's 404 page offers to sign in, and no navigation:\n%s", trim(body))
	}

	resp, body = fetchResp(t, focal, "GET", ts.URL+"/activities/12/nowhere")
	isErrorPage(t, "unknown path, signed in", resp, body, 404, "vi", vi("errpage.title.404"))
	if !strings.Contains(body, `<a href="/activities"`) || !strings.Contains(body, vi("errpage.home")) {
		t.Errorf("a signed-in reader's 404 page keeps the navigation and leads back home:\n%s", trim(body))
	}

	resp, body = fetchResp(t, anon, "GET", ts.URL+"/static/no-such-file.css")
	isErrorPage(t, "unknown static file", resp, body, 404, "vi", vi("errpage.title.404"))
	if resp, _ := fetchResp(t, anon, "GET", ts.URL+"/static/app.css"); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("the style sheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// A record that is not there is a 404 with what the handler says of it.
	resp, body = fetchResp(t, focal, "GET", ts.URL+"/report/2022.exe")
	isErrorPage(t, "unknown report file", resp, body, 404, "vi", vi("errpage.title.404"))
	if !strings.Contains(body, "không có tệp này") {
		t.Errorf("the 404 page drops the handler's message:\n%s", trim(body))
	}

	resp, body = fetchResp(t, reporter, "GET", ts.URL+"/setup")
	isErrorPage(t, "set-up for a reporter", resp, body, 403, "vi", vi("errpage.title.403"))
	if !strings.Contains(body, vi("errpage.advice.403")) || !strings.Contains(body, `role="alert"`) {
		t.Errorf("the 403 page says what to do and why:\n%s", trim(body))
	}

	// A path that exists takes other methods: 405 with them in Allow.
	resp, body = fetchResp(t, focal, "DELETE", ts.URL+"/activities")
	isErrorPage(t, "wrong method", resp, body, 405, "vi", vi("err.title"))
	if allow := resp.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("405 without the methods allowed: Allow %q", allow)
	}

	// The API keeps answering JSON.
	resp, body = fetchResp(t, focal, "GET", ts.URL+"/api/v1/nowhere")
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("unknown API path: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	for _, c := range []*http.Client{anon, focal, reporter} {
		fetch(t, c, "GET", ts.URL+"/lang/en", "", "")
	}
	resp, body = fetchResp(t, anon, "GET", ts.URL+"/nowhere")
	isErrorPage(t, "unknown path in English", resp, body, 404, "en", en("errpage.title.404"))
	if strings.Contains(body, vi("errpage.advice.404")) || !strings.Contains(body, en("errpage.advice.404")) {
		t.Errorf("the English 404 page speaks Vietnamese:\n%s", trim(body))
	}
	resp, body = fetchResp(t, reporter, "GET", ts.URL+"/setup")
	isErrorPage(t, "set-up for a reporter, in English", resp, body, 403, "en", en("errpage.title.403"))

	// A fault: the store is gone. The page says so without its details.
	ts.store.Close()
	resp, body = fetchResp(t, focal, "GET", ts.URL+"/activities")
	isErrorPage(t, "a fault", resp, body, 500, "en", en("errpage.title.500"))
	for _, internal := range []string{"sql", "closed", "database", "internal error"} {
		if strings.Contains(strings.ToLower(body), internal) {
			t.Errorf("the 500 page shows %q:\n%s", internal, trim(body))
		}
	}
}

func TestAPanicAnswersThe500Page(t *testing.T) {
	ts := newTestServer(t)
	secret := "token=abc123 in /srv/nscl/web.go:42"
	panicking := ts.app.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(secret) }))

	rec := httptest.NewRecorder()
	panicking.ServeHTTP(rec, httptest.NewRequest("GET", "/activities", nil))
	body := rec.Body.String()
	isErrorPage(t, "panic on a page", rec.Result(), body, 500, "vi", translate(langVI, "errpage.title.500"))
	if strings.Contains(body, "abc123") || strings.Contains(body, "web.go") {
		t.Errorf("the 500 page shows the panic:\n%s", trim(body))
	}

	rec = httptest.NewRecorder()
	panicking.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/me", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || strings.Contains(rec.Body.String(), "abc123") {
		t.Errorf("panic in the API: %d %s", rec.Code, rec.Body.String())
	}

	// Half a page sent: the response is cut, not followed by another page.
	halfway := ts.app.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<p>half"))
		panic(secret)
	}))
	rec = httptest.NewRecorder()
	func() {
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("a panic after the response began: recovered %v, want http.ErrAbortHandler", p)
			}
		}()
		halfway.ServeHTTP(rec, httptest.NewRequest("GET", "/activities", nil))
	}()
	if body := rec.Body.String(); body != "<p>half" {
		t.Errorf("after half a page: %q", body)
	}
}
