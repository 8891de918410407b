package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"nscl/demo"
)

func TestClientIP(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}}
	for _, tc := range []struct {
		name, peer string
		forwarded  []string // X-Forwarded-For lines; nil for none
		want       string
	}{
		{"untrusted peer, forged header", "198.51.100.7:5000", []string{"203.0.113.9"}, "198.51.100.7"},
		{"untrusted peer, no header", "198.51.100.7:5000", nil, "198.51.100.7"},
		{"trusted peer", "10.0.0.2:443", []string{"203.0.113.9"}, "203.0.113.9"},
		{"trusted peer, forged left part", "10.0.0.2:443", []string{"192.0.2.66, 203.0.113.9"}, "203.0.113.9"},
		{"two trusted proxies", "10.0.0.2:443", []string{"192.0.2.66, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"one line per proxy", "10.0.0.2:443", []string{"192.0.2.66", "203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"trusted peer, no header", "10.0.0.2:443", nil, "10.0.0.2"},
		{"trusted peer, empty header", "10.0.0.2:443", []string{""}, "10.0.0.2"},
		{"malformed header", "10.0.0.2:443", []string{"not-an-address"}, "10.0.0.2"},
		{"malformed hop right of the client", "10.0.0.2:443", []string{"203.0.113.9, junk"}, "10.0.0.2"},
		{"malformed hop left of the client", "10.0.0.2:443", []string{"junk, 203.0.113.9"}, "203.0.113.9"},
		{"only trusted proxies", "10.0.0.2:443", []string{"10.9.9.9"}, "10.0.0.2"},
		{"hop with a port", "10.0.0.2:443", []string{"203.0.113.9:4711"}, "203.0.113.9"},
		{"IPv6 peer and client", "[fd00::1]:443", []string{"2001:db8::7, fd00::2"}, "2001:db8::7"},
		{"IPv6 hop with a port", "[fd00::1]:443", []string{"[2001:db8::7]:4711"}, "2001:db8::7"},
		{"untrusted IPv6 peer", "[2001:db8::1]:443", []string{"2001:db8::7"}, "2001:db8::1"},
		{"IPv4-mapped trusted peer and client", "[::ffff:10.0.0.2]:443", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"IPv4-mapped untrusted peer", "[::ffff:198.51.100.7]:5000", []string{"203.0.113.9"}, "198.51.100.7"},
		{"not an IP peer", "@", []string{"203.0.113.9"}, "@"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		for _, v := range tc.forwarded {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("%s: peer %s, X-Forwarded-For %q: got %s, want %s", tc.name, tc.peer, tc.forwarded, got, tc.want)
		}
	}
}

func TestClientIPWithoutTrustedProxiesIgnoresTheHeader(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := (&Server{}).clientIP(r); got != "127.0.0.1" {
		t.Errorf("got %s, want the peer", got)
	}
}

// Behind a trusted proxy, one client spending its address's sign-in
// allowance must not lock out another client of the same proxy.
func TestClientsBehindATrustedProxyHaveTheirOwnSignInAllowance(t *testing.T) {
	ts := newTestServer(t)
	app := &Server{Store: ts.store, Programme: demo.ProgrammeCode, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	proxy := httptest.NewServer(app.Handler())
	t.Cleanup(proxy.Close)
	c := ts.client(t, "")
	login := func(client, email, password string) int {
		resp, body := send(t, c, "POST", proxy.URL+"/api/v1/login", jsonType, `{"email":"`+email+`","password":"`+password+`"}`,
			"X-Forwarded-For", client)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("login from %s: %d %s", client, resp.StatusCode, body)
		}
		return resp.StatusCode
	}

	// One wrong password for each of many accounts: the address's allowance
	// runs out before any account's does.
	const a, b = "203.0.113.1", "203.0.113.2"
	for i := 1; ; i++ {
		code := login(a, fmt.Sprintf("nobody%d@demo.local", i), "sai-mật-khẩu")
		if code == http.StatusTooManyRequests {
			break
		}
		if i > 50 {
			t.Fatal("the address was never limited")
		}
	}
	if code := login(a, "admin@demo.local", demoPassword); code != http.StatusTooManyRequests {
		t.Errorf("right password from the limited client: %d, want 429", code)
	}
	if code := login(b, "admin@demo.local", demoPassword); code != http.StatusOK {
		t.Errorf("another client behind the same proxy: %d, want 200", code)
	}
}
