package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
)

type apiToken struct {
	nscl.APIToken
	Token string `json:"token"`
}

// makeToken makes a token through the API with body, as the signed-in c.
func (ts *testServer) makeToken(t *testing.T, c *http.Client, body string) apiToken {
	t.Helper()
	code, resp := fetch(t, c, "POST", ts.URL+"/api/v1/tokens", jsonType, body)
	var tok apiToken
	if code != http.StatusCreated || json.Unmarshal([]byte(resp), &tok) != nil || tok.Token == "" {
		t.Fatalf("make token %s: %d %s", body, code, resp)
	}
	return tok
}

// withToken calls the API with a Bearer token.
func (ts *testServer) withToken(t *testing.T, method, path, token string) (int, string) {
	t.Helper()
	resp, body := send(t, &http.Client{}, method, ts.URL+path, "", "", "Authorization", "Bearer "+token)
	return resp.StatusCode, body
}

func TestAPITokensExpireAndAreListedAndRevoked(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	start := time.Now()
	short := ts.makeToken(t, focal, `{"name":"Đồng bộ số liệu quận 5","days":2}`)
	long := ts.makeToken(t, focal, `{"name":"Bảng tính tổng hợp"}`)
	if d := short.ExpiresAt.Sub(start); d < 47*time.Hour || d > 49*time.Hour {
		t.Errorf("a 2-day token expires in %v", d)
	}
	if d := long.ExpiresAt.Sub(start); d < (nscl.DefaultTokenDays*24-1)*time.Hour || d > (nscl.DefaultTokenDays*24+1)*time.Hour {
		t.Errorf("a token made without days expires in %v, want %d days", d, nscl.DefaultTokenDays)
	}

	// Bad lifetimes are refused beside the field, and make nothing.
	for _, body := range []string{`{"name":"x","days":0}`, `{"name":"x","days":400}`, `{"name":"x","days":"30"}`} {
		code, resp := fetch(t, focal, "POST", ts.URL+"/api/v1/tokens", jsonType, body)
		if e := parseAPIError(t, resp); code != http.StatusBadRequest || e.Error.Field != "days" {
			t.Errorf("%s: %d %s", body, code, resp)
		}
	}

	// Used once, listed with its use, never with a secret.
	if code, _ := ts.withToken(t, "GET", "/api/v1/me", short.Token); code != http.StatusOK {
		t.Fatalf("the new token: %d", code)
	}
	code, body := ts.withToken(t, "GET", "/api/v1/tokens", long.Token)
	var list struct{ Tokens []nscl.APIToken }
	if code != http.StatusOK || json.Unmarshal([]byte(body), &list) != nil || len(list.Tokens) != 2 {
		t.Fatalf("list: %d %s", code, body)
	}
	if list.Tokens[0].ID != long.ID || list.Tokens[1].ID != short.ID || list.Tokens[1].Name != "Đồng bộ số liệu quận 5" ||
		list.Tokens[1].LastUsedAt.Before(start.Truncate(time.Second)) || !list.Tokens[1].ExpiresAt.Equal(short.ExpiresAt) {
		t.Errorf("listed: %+v", list.Tokens)
	}
	if strings.Contains(body, short.Token) || strings.Contains(body, long.Token) || strings.Contains(body, `"token"`) {
		t.Errorf("the list shows a secret: %s", body)
	}
	// Another user's list does not hold them, nor may they revoke them.
	thuduc := ts.client(t, "thuduc@demo.local")
	if code, body := fetch(t, thuduc, "GET", ts.URL+"/api/v1/tokens", "", ""); code != http.StatusOK || strings.TrimSpace(body) != `{"tokens":[]}` {
		t.Errorf("another user's list: %d %s", code, body)
	}
	if code, body := fetch(t, thuduc, "DELETE", ts.URL+"/api/v1/tokens/"+itoa(short.ID), "", ""); code != http.StatusNotFound {
		t.Errorf("another user revokes it: %d %s", code, body)
	}

	// Revoked: 401 saying so; the other token goes on.
	if code, body := fetch(t, focal, "DELETE", ts.URL+"/api/v1/tokens/"+itoa(short.ID), "", ""); code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", code, body)
	}
	code, body = ts.withToken(t, "GET", "/api/v1/me", short.Token)
	if e := parseAPIError(t, body); code != http.StatusUnauthorized || e.Error.Code != nscl.EUNAUTHORIZED || !strings.Contains(e.Error.Message, "thu hồi") {
		t.Errorf("a revoked token: %d %s", code, body)
	}
	if code, _ := ts.withToken(t, "GET", "/api/v1/me", long.Token); code != http.StatusOK {
		t.Errorf("the token left: %d", code)
	}
	// A token may revoke itself.
	if code, body := ts.withToken(t, "DELETE", "/api/v1/tokens/"+itoa(long.ID), long.Token); code != http.StatusNoContent {
		t.Errorf("a token revoking itself: %d %s", code, body)
	}

	// Expired: 401 saying so, with the moment.
	late := ts.makeToken(t, focal, `{"name":"hết hạn","days":1}`)
	ts.store.Now = func() time.Time { return late.ExpiresAt.Add(time.Minute) }
	t.Cleanup(func() { ts.store.Now = time.Now })
	code, body = ts.withToken(t, "GET", "/api/v1/activities?limit=1", late.Token)
	if e := parseAPIError(t, body); code != http.StatusUnauthorized || !strings.Contains(e.Error.Message, "hết hạn") || !strings.Contains(e.Error.English, "expired") {
		t.Errorf("an expired token: %d %s", code, body)
	}
}

func TestOwnTokensOnTheAccountPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t, "thuduc@demo.local")
	code, page := fetch(t, c, "GET", ts.URL+"/account", "", "")
	if code != http.StatusOK || !strings.Contains(page, "Chưa có mã truy cập nào") {
		t.Fatalf("account page: %d", code)
	}
	// A mistake is said beside its field.
	resp, page := send(t, c, "POST", ts.URL+"/account/tokens", formType, url.Values{"name": {"Nhập liệu Thủ Đức"}, "days": {"ba mươi"}}.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("days in words: %d", resp.StatusCode)
	}
	checkFieldError(t, page, "days", "từ 1 đến 365 ngày")

	resp, page = send(t, c, "POST", ts.URL+"/account/tokens", formType, url.Values{"name": {"Nhập liệu Thủ Đức"}, "days": {"30"}}.Encode())
	secret := between(page, "<code>", "</code>")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(secret, "nscl_") {
		t.Fatalf("make a token: %d, secret %q", resp.StatusCode, secret)
	}
	if code, _ := ts.withToken(t, "GET", "/api/v1/me", secret); code != http.StatusOK {
		t.Fatalf("the token made on the page: %d", code)
	}
	// Shown once: the page read again lists it, without the secret.
	_, page = fetch(t, c, "GET", ts.URL+"/account", "", "")
	if !strings.Contains(page, "Nhập liệu Thủ Đức") || strings.Contains(page, secret) {
		t.Errorf("account page after: the token listed %v, the secret shown %v", strings.Contains(page, "Nhập liệu Thủ Đức"), strings.Contains(page, secret))
	}
	// A token cannot make another, on the page either.
	if code, _ := ts.withToken(t, "POST", "/account/tokens", secret); code != http.StatusForbidden {
		t.Errorf("a token making a token on the page: %d, want 403", code)
	}

	var list struct{ Tokens []nscl.APIToken }
	_, body := fetch(t, c, "GET", ts.URL+"/api/v1/tokens", "", "")
	if json.Unmarshal([]byte(body), &list) != nil || len(list.Tokens) != 1 {
		t.Fatalf("tokens: %s", body)
	}
	revoke := ts.URL + "/account/tokens/" + itoa(list.Tokens[0].ID) + "/revoke"
	// Nobody revokes another's token from their page.
	focal := ts.client(t, "focal@demo.local")
	if resp, _ := send(t, focal, "POST", revoke, formType, "confirm=1"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user revoking: %d", resp.StatusCode)
	}
	// Asked first; then revoked.
	resp, page = send(t, c, "POST", revoke, formType, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Thu hồi mã truy cập này?") {
		t.Errorf("revoke without confirming: %d", resp.StatusCode)
	}
	if code, _ := ts.withToken(t, "GET", "/api/v1/me", secret); code != http.StatusOK {
		t.Errorf("the token before the answer: %d", code)
	}
	if resp, _ := send(t, c, "POST", revoke, formType, "confirm=1"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("revoke: %d", resp.StatusCode)
	}
	if code, _ := ts.withToken(t, "GET", "/api/v1/me", secret); code != http.StatusUnauthorized {
		t.Errorf("the revoked token: %d", code)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// between returns the text of page between the first from and the next to.
func between(page, from, to string) string {
	_, rest, ok := strings.Cut(page, from)
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(rest, to)
	return s
}
