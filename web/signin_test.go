package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"nscl/demo"
)

// syncBuffer is a log that handlers write while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proxiedServer is the test server's data served behind a trusted proxy
// (the loopback), so that a test speaks from any client address it likes
// through X-Forwarded-For; its log is kept.
func proxiedServer(t *testing.T) (*testServer, *syncBuffer) {
	t.Helper()
	ts := newTestServer(t)
	log := &syncBuffer{}
	app := &Server{Store: ts.store, Programme: demo.ProgrammeCode, Log: slog.New(slog.NewTextHandler(log, nil)),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return &testServer{srv, ts.store, app, ts.path}, log
}

// signInFrom signs in through the API from a client address, and returns
// the status and the client, signed in when the status is 200.
func (ts *testServer) signInFrom(t *testing.T, address, email, password string) (int, *http.Client) {
	t.Helper()
	c := ts.client(t, "")
	body, _ := json.Marshal(credentials{Email: email, Password: password})
	resp, _ := send(t, c, "POST", ts.URL+"/api/v1/login", jsonType, string(body), "X-Forwarded-For", address)
	return resp.StatusCode, c
}

// The probe's lock-out: wrong passwords for admin@demo.local, again and
// again, from one address. The attacker's address is slowed; the owner,
// elsewhere, signs in at once, through the API and the sign-in page.
func TestALockOutAttemptLeavesTheOwnerSigningIn(t *testing.T) {
	ts, log := proxiedServer(t)
	const attacker, owner, admin = "192.0.2.66", "198.51.100.10", "admin@demo.local"
	codes := map[int]int{}
	for range 30 {
		code, _ := ts.signInFrom(t, attacker, admin, "Đoán-mò-lần-nữa")
		codes[code]++
	}
	if codes[http.StatusUnauthorized] != pairBurst || codes[http.StatusTooManyRequests] != 30-pairBurst {
		t.Errorf("30 wrong passwords from one address: %v, want %d refused as wrong, then the rest as too many", codes, pairBurst)
	}
	if code, _ := ts.signInFrom(t, attacker, admin, demoPassword); code != http.StatusTooManyRequests {
		t.Errorf("the right password from the attacker's address: %d, want 429", code)
	}
	code, c := ts.signInFrom(t, owner, admin, demoPassword)
	if code != http.StatusOK {
		t.Fatalf("the owner from another address: %d, want 200", code)
	}
	if code, body := fetch(t, c, "GET", ts.URL+"/users", "", ""); code != http.StatusOK || !strings.Contains(body, attacker) {
		t.Errorf("the owner's session: %d", code)
	}
	// The sign-in page too, from a third address.
	resp, _ := send(t, ts.client(t, ""), "POST", ts.URL+"/login", formType,
		url.Values{"email": {admin}, "password": {demoPassword}, "next": {"/users"}}.Encode(), "X-Forwarded-For", "2001:db8:7::5")
	if resp.StatusCode != http.StatusSeeOther || sessionCookieOf(t, resp) == nil || resp.Header.Get("Location") != "/users" {
		t.Errorf("the sign-in page from a third address: %d, %v", resp.StatusCode, resp.Header)
	}

	// Every refusal is logged with the account, the address and the
	// reason, never the password.
	logged := log.String()
	if n := strings.Count(logged, "reason="+reasonWrongPassword); n != pairBurst {
		t.Errorf("%d wrong passwords logged, want %d", n, pairBurst)
	}
	if n := strings.Count(logged, "reason="+reasonAccountAddress); n != 30-pairBurst+1 {
		t.Errorf("%d refusals logged, want %d", n, 30-pairBurst+1)
	}
	if !strings.Contains(logged, "account="+admin+" address="+attacker) || strings.Contains(logged, "Đoán-mò") || strings.Contains(logged, demoPassword) {
		t.Errorf("log:\n%s", logged)
	}
}

// One address cannot try many accounts fast, and a correct password does
// not buy it more attempts at others.
func TestOneAddressCannotTryManyAccounts(t *testing.T) {
	ts, _ := proxiedServer(t)
	const attacker = "203.0.113.77"
	accounts := []string{"admin@demo.local", "focal@demo.local", "thuduc@demo.local", "giam.doc@sokhcn.example", "ke.toan@quan5.example"}
	wrong := 0
	for i := 0; wrong < addressBurst; i++ {
		if i > 2*addressBurst {
			t.Fatalf("%d wrong passwords on %d accounts and still not limited", wrong, len(accounts))
		}
		if i == addressBurst/2 { // a good password of its own half-way
			if code, _ := ts.signInFrom(t, attacker, "thuduc@demo.local", demoPassword); code != http.StatusOK {
				t.Fatalf("the address's own account: %d", code)
			}
		}
		code, _ := ts.signInFrom(t, attacker, accounts[i%len(accounts)], "thử-mật-khẩu-khác")
		switch code {
		case http.StatusUnauthorized:
			wrong++
		case http.StatusTooManyRequests:
			t.Fatalf("limited after %d wrong passwords, want %d", wrong, addressBurst)
		}
	}
	for _, account := range []string{"viewer@nowhere.example", "thuduc@demo.local"} {
		if code, _ := ts.signInFrom(t, attacker, account, demoPassword); code != http.StatusTooManyRequests {
			t.Errorf("%s from the limited address: %d, want 429", account, code)
		}
	}
	if code, _ := ts.signInFrom(t, "203.0.113.78", "focal@demo.local", demoPassword); code != http.StatusOK {
		t.Errorf("a neighbouring address: %d, want 200", code)
	}
}

// An IPv6 client holds a whole /64: its addresses count as one.
func TestAnIPv6NetworkCountsAsOneAddress(t *testing.T) {
	ts, _ := proxiedServer(t)
	for i := range pairBurst {
		a := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(i + 1)}).String()
		if code, _ := ts.signInFrom(t, a, "admin@demo.local", "đoán-bằng-ipv6"); code != http.StatusUnauthorized {
			t.Fatalf("guess %d from %s: %d", i, a, code)
		}
	}
	if code, _ := ts.signInFrom(t, "2001:db8:1::beef", "admin@demo.local", demoPassword); code != http.StatusTooManyRequests {
		t.Errorf("another address of the same /64: %d, want 429", code)
	}
	if code, _ := ts.signInFrom(t, "2001:db8:2::1", "admin@demo.local", demoPassword); code != http.StatusOK {
		t.Errorf("another /64: %d, want 200", code)
	}
}

// Many addresses, one guess each, on one account: once the account is
// under attack, an address that has failed on it is refused, even with
// the right password; one that has not is let in.
func TestAnAccountUnderAttackStillLetsItsOwnerIn(t *testing.T) {
	ts, _ := proxiedServer(t)
	const target = "focal@demo.local"
	addr := func(i int) string { return netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + i)}).String() }
	for i := range accountBurst {
		if code, _ := ts.signInFrom(t, addr(i), target, "mật-khẩu-đoán-bừa"); code != http.StatusUnauthorized {
			t.Fatalf("guess %d from its own address: %d", i, code)
		}
	}
	// A fresh address may still try once; after failing, it is refused.
	fresh := addr(accountBurst)
	if code, _ := ts.signInFrom(t, fresh, target, "mật-khẩu-đoán-bừa"); code != http.StatusUnauthorized {
		t.Errorf("a fresh address's first guess: %d, want 401", code)
	}
	for _, a := range []string{fresh, addr(0)} {
		if code, _ := ts.signInFrom(t, a, target, demoPassword); code != http.StatusTooManyRequests {
			t.Errorf("the right password from %s, which failed on the attacked account: %d, want 429", a, code)
		}
	}
	if code, _ := ts.signInFrom(t, "198.51.100.200", target, demoPassword); code != http.StatusOK {
		t.Errorf("the owner from an address with no failure: %d, want 200", code)
	}
	// Other accounts are not touched from those addresses.
	if code, _ := ts.signInFrom(t, addr(0), "thuduc@demo.local", demoPassword); code != http.StatusOK {
		t.Errorf("another account from an attacking address: %d, want 200", code)
	}
}

// Refused sign-ins are on the users page, which only admins open, with
// the account tried, the address and a readable reason.
func TestAdminsSeeRefusedSignIns(t *testing.T) {
	ts, _ := proxiedServer(t)
	const attacker, stranger = "192.0.2.199", "pho.giam.doc@sokhcn.example"
	for range pairBurst + 3 {
		ts.signInFrom(t, attacker, stranger, "mat-khau-bi-lo")
	}
	_, admin := ts.signInFrom(t, "198.51.100.1", "admin@demo.local", demoPassword)
	code, page := fetch(t, admin, "GET", ts.URL+"/users", "", "")
	if code != http.StatusOK {
		t.Fatalf("users page: %d", code)
	}
	rows := regexpRows(page, "sign-in-failure")
	var wrong, limited int
	for _, r := range rows {
		if !strings.Contains(r, stranger) || !strings.Contains(r, attacker) {
			t.Errorf("row %q: want the account and the address", r)
		}
		switch {
		case strings.Contains(r, "sai e-mail hoặc mật khẩu"):
			wrong++
		case strings.Contains(r, "sai quá nhiều lần với tài khoản này"):
			limited++
		}
	}
	// The three refusals in the minute are recorded once: the log has
	// each, the database the first.
	if wrong != pairBurst || limited != 1 || len(rows) != pairBurst+1 || strings.Contains(page, "mat-khau-bi-lo") {
		t.Errorf("users page lists %d rows, %d wrong passwords, %d refusals; want %d, %d, 1:\n%q", len(rows), wrong, limited, pairBurst+1, pairBurst, rows)
	}
	if code, audit := fetch(t, admin, "GET", ts.URL+"/audit?entity=sign_in", "", ""); code != http.StatusOK || !strings.Contains(audit, stranger) {
		t.Errorf("audit log filtered to sign-ins: %d", code)
	}

	_, reporter := ts.signInFrom(t, "198.51.100.2", "thuduc@demo.local", demoPassword)
	for _, path := range []string{"/users", "/audit?entity=sign_in", "/api/v1/audit?entity=sign_in"} {
		if code, body := fetch(t, reporter, "GET", ts.URL+path, "", ""); code != http.StatusForbidden || strings.Contains(body, attacker) {
			t.Errorf("reporter at %s: %d, want 403 without the address", path, code)
		}
	}
	// Focal staff read the audit log, but not who tried to sign in from where.
	_, focal := ts.signInFrom(t, "198.51.100.3", "focal@demo.local", demoPassword)
	for _, path := range []string{"/users", "/audit", "/audit?entity=sign_in", "/api/v1/audit", "/api/v1/audit?entity=sign_in"} {
		if code, body := fetch(t, focal, "GET", ts.URL+path, "", ""); strings.Contains(body, attacker) || strings.Contains(body, stranger) {
			t.Errorf("focal staff at %s: %d, shows a refused sign-in", path, code)
		}
	}
	if code, body := fetch(t, focal, "GET", ts.URL+"/audit", "", ""); code != http.StatusOK || !strings.Contains(body, "focal@demo.local") {
		t.Errorf("focal staff's audit log: %d, want the other entries", code)
	}
}

// regexpRows returns the table rows of class.
func regexpRows(page, class string) []string {
	var out []string
	for _, part := range strings.Split(page, `<tr class="`+class+`">`)[1:] {
		row, _, _ := strings.Cut(part, "</tr>")
		out = append(out, row)
	}
	return out
}

// The probe's weak passwords, and the other kinds the policy names, are
// refused wherever an account is made, beside the password field, and no
// account is made.
func TestWeakPasswordsAreRefused(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t, "admin@demo.local")
	const email = "nguyen.thi.lan@quan3.example"
	const unit = "HCM-Q1"
	for _, password := range []string{"1234567890", "password12", strings.Repeat(" ", 10), email, "NGUYEN.THI.LAN",
		"matkhau123", "qwertyuiop", "zzzzzzzzzzzz", "0903 123 456", "  ngắn  "} {
		form := url.Values{"email": {email}, "name": {"Nguyễn Thị Lan"}, "role": {"reporter"}, "unit": {unit}, "password": {password}}
		resp, page := send(t, admin, "POST", ts.URL+"/users", formType, form.Encode())
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("page, password %q: %d, want 400", password, resp.StatusCode)
		}
		errs := fieldErrors(page)
		said := 0
		for _, msg := range errs {
			if msg != "" {
				said++
			}
		}
		if errs["password"] == "" || said != 1 {
			t.Errorf("page, password %q: mistakes %q, want one beside the password", password, errs)
		}
		body, _ := json.Marshal(map[string]string{"email": email, "name": "Nguyễn Thị Lan", "role": "reporter", "unit": "HCM-Q1", "password": password})
		code, resp2 := fetch(t, admin, "POST", ts.URL+"/api/v1/users", jsonType, string(body))
		if e := parseAPIError(t, resp2); code != http.StatusBadRequest || e.Error.Field != "password" || e.Error.Message == "" || e.Error.English == "" {
			t.Errorf("API, password %q: %d %s", password, code, resp2)
		}
	}
	if _, users := fetch(t, admin, "GET", ts.URL+"/api/v1/users", "", ""); strings.Contains(users, email) {
		t.Fatal("an account was made with a weak password")
	}
	form := url.Values{"email": {email}, "name": {"Nguyễn Thị Lan"}, "role": {"reporter"}, "unit": {unit}, "password": {"Lan ở Quận 3 từ 2019"}}
	if resp, _ := send(t, admin, "POST", ts.URL+"/users", formType, form.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a good password: %d", resp.StatusCode)
	}
}

func (ts *testServer) mustGet(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	code, body := fetch(t, c, "GET", ts.URL+path, "", "")
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, code)
	}
	return body
}

// Guesses sent all at once are counted as they arrive, not as they fail:
// 30 parallel wrong passwords from one address get no more tries at the
// password than 30 sent one after another.
func TestParallelGuessesAreCountedAsTheyArrive(t *testing.T) {
	ts, _ := proxiedServer(t)
	const attacker = "203.0.113.77"
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			code, _ := ts.signInFrom(t, attacker, "focal@demo.local", "Đoán-mò-song-song")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[http.StatusUnauthorized] > pairBurst || codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 30 {
		t.Errorf("30 parallel wrong passwords from one address: %v, want at most %d tried", codes, pairBurst)
	}
	// The owner's typo, then the right password, from its own address: in.
	const owner = "198.51.100.20"
	if code, _ := ts.signInFrom(t, owner, "focal@demo.local", "gõ-nhầm-một-lần"); code != http.StatusUnauthorized {
		t.Errorf("the owner's typo: %d, want 401", code)
	}
	if code, _ := ts.signInFrom(t, owner, "focal@demo.local", demoPassword); code != http.StatusOK {
		t.Errorf("the owner after a typo: %d, want 200", code)
	}
}
