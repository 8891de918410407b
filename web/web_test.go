package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

const demoPassword = "mật-khẩu-thử-nghiệm"

type testServer struct {
	*httptest.Server
	store *store.Store
	app   *Server
	path  string // the database file
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "web.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAccounts(ctx, st, demoPassword); err != nil {
		t.Fatal(err)
	}
	app := &Server{Store: st, Programme: demo.ProgrammeCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		srv.Close()
		app.Wait()
	})
	return &testServer{srv, st, app, path}
}

// client returns an HTTP client that keeps cookies and does not follow
// redirects, signed in as email ("" for nobody).
func (ts *testServer) client(t *testing.T, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if email == "" {
		return c
	}
	body := `{"email":"` + email + `","password":"` + demoPassword + `"}`
	resp, err := c.Post(ts.URL+"/api/v1/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d", email, resp.StatusCode)
	}
	return c
}

func fetch(t *testing.T, c *http.Client, method, url, contentType, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthzNeedsNoSession(t *testing.T) {
	ts := newTestServer(t)
	if code, body := fetch(t, ts.client(t, ""), "GET", ts.URL+"/healthz", "", ""); code != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
}

func TestPagesNeedASession(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t, "")
	code, _ := fetch(t, anon, "GET", ts.URL+"/activities?year=2022", "", "")
	if code != http.StatusSeeOther {
		t.Errorf("anonymous page: %d, want a redirect to sign in", code)
	}
	code, body := fetch(t, anon, "GET", ts.URL+"/api/v1/reports/2022", "", "")
	if code != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) {
		t.Errorf("anonymous API: %d %s", code, body)
	}
}

func TestDashboardShowsTheSeedFigures(t *testing.T) {
	ts := newTestServer(t)
	code, body := fetch(t, ts.client(t, "focal@demo.local"), "GET", ts.URL+"/?year=2022", "", "")
	if code != 200 {
		t.Fatalf("dashboard: %d\n%s", code, body)
	}
	for _, want := range []string{"10.000 lượt doanh nghiệp", "963 lượt doanh nghiệp", "993 lượt doanh nghiệp", "9,93 %", "173,5 %", "47,33 %", "0 %", "16.192", "Kết quả từ đầu Chương trình đến hết năm 2022"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

func TestReportAPIMatchesTheCommandLine(t *testing.T) {
	ts := newTestServer(t)
	code, body := fetch(t, ts.client(t, "thuduc@demo.local"), "GET", ts.URL+"/api/v1/reports/2022", "", "")
	var got map[string]any
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil {
		t.Fatalf("%d %s", code, body)
	}
	if got["year"].(float64) != 2022 || len(got["indicators"].([]any)) != 4 {
		t.Errorf("report: %v", got)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "focal@demo.local")
	u, _ := url.Parse(ts.URL)
	stolen := c.Jar.Cookies(u)
	fetch(t, c, "POST", ts.URL+"/logout", "application/x-www-form-urlencoded", "")
	// A copy of the cookie taken before logout no longer works.
	replay := ts.client(t, "")
	replay.Jar.SetCookies(u, stolen)
	if code, _ := fetch(t, replay, "GET", ts.URL+"/api/v1/me", "", ""); code != http.StatusUnauthorized {
		t.Errorf("cookie still works after logout: %d", code)
	}
}

func TestDisablingAnAccountEndsItsSessions(t *testing.T) {
	ts := newTestServer(t)
	reporter := ts.client(t, "thuduc@demo.local")
	admin := ts.client(t, "admin@demo.local")
	u, err := ts.store.UserByEmail(context.Background(), "thuduc@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	path := ts.URL + "/users/" + strconv.FormatInt(u.ID, 10) + "/disable"
	if code, _ := fetch(t, admin, "POST", path, "application/x-www-form-urlencoded", "version="+strconv.FormatInt(u.Version, 10)); code != http.StatusSeeOther {
		t.Fatalf("disable: %d", code)
	}
	if code, _ := fetch(t, reporter, "GET", ts.URL+"/api/v1/me", "", ""); code != http.StatusUnauthorized {
		t.Errorf("a disabled account's session still works: %d", code)
	}
	if code, _ := fetch(t, admin, "POST", path, "application/x-www-form-urlencoded", "version="+strconv.FormatInt(u.Version, 10)); code != http.StatusConflict {
		t.Errorf("disabling again from the old version: %d, want 409", code)
	}
	body := `{"email":"thuduc@demo.local","password":"` + demoPassword + `"}`
	if code, _ := fetch(t, ts.client(t, ""), "POST", ts.URL+"/api/v1/login", "application/json", body); code != http.StatusUnauthorized {
		t.Errorf("a disabled account signs in: %d", code)
	}
}

func TestSafeNextStaysOnThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"/activities?year=2022": "/activities?year=2022",
		"/rounds/1":             "/rounds/1",
		"//evil.example":        "/",
		"/\t/evil.example":      "/",
		"/\\evil.example":       "/",
		"https://evil.example":  "/",
		"javascript:alert(1)":   "/",
		"":                      "/",
		"/x\n/y":                "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecureCookiesBehindAProxy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "web.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo.Load(ctx, st)
	demo.LoadAccounts(ctx, st, demoPassword)
	srv := httptest.NewServer((&Server{Store: st, Programme: demo.ProgrammeCode, SecureCookies: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/api/v1/login", "application/json", strings.NewReader(`{"email":"focal@demo.local","password":"`+demoPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Cookies(); len(c) != 1 || !c[0].Secure || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("behind a TLS proxy: cookies %v, HSTS %q", c, resp.Header.Get("Strict-Transport-Security"))
	}
}

func TestATokenCannotMakeTokens(t *testing.T) {
	ts := newTestServer(t)
	code, body := fetch(t, ts.client(t, "focal@demo.local"), "POST", ts.URL+"/api/v1/tokens", "application/json", `{"name":"script"}`)
	var tok struct{ Token string }
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &tok) != nil {
		t.Fatalf("%d %s", code, body)
	}
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/tokens", strings.NewReader(`{"name":"another"}`))
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("token made a token: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("token does not sign in: %v %v", resp, err)
	}
}

// openYear is the year the demo leaves open: its 2023 round asks the
// units, while 2021 and 2022 are approved and locked. Tests that write
// activities write them there.
const openYear = 2023

// openRound is the demo's round for openYear.
func (ts *testServer) openRound(t *testing.T) nscl.Round {
	t.Helper()
	prog, err := ts.store.ProgrammeByCode(context.Background(), demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := ts.store.Rounds(context.Background(), prog)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		if r.PeriodStart.Year() == openYear {
			return r
		}
	}
	t.Fatalf("the demo has no %d round: %+v", openYear, rounds)
	return nscl.Round{}
}

// openActivity stores a training activity of the unit in openYear, as
// edit changes it, for the tests that change one: the demo's own are
// approved and locked.
func (ts *testServer) openActivity(t *testing.T, unitCode string, edit func(*nscl.Activity)) nscl.Activity {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := ts.store.UnitByCode(ctx, unitCode)
	if err != nil {
		t.Fatal(err)
	}
	a := nscl.Activity{UnitID: unit.ID, Date: time.Date(openYear, 4, 20, 0, 0, 0, 0, time.UTC), TaskGroup: "d", Kind: nscl.KindTraining,
		Description: "Lớp tập huấn năng suất chất lượng cho doanh nghiệp", Source: "Báo cáo quý II",
		Quantities: []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 4}, {Metric: demo.Trainees, Value: 60}}}
	if edit != nil {
		edit(&a)
	}
	if err := ts.store.CreateActivity(ctx, prog, &a); err != nil {
		t.Fatal(err)
	}
	return a
}
