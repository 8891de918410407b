package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// demoCall is the demo's one open call.
func demoCall(t *testing.T, ts *testServer) nscl.Call {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	calls, err := ts.store.Calls(ctx, prog)
	if err != nil || len(calls) != 1 {
		t.Fatalf("the demo's calls: %v %v", calls, err)
	}
	return calls[0]
}

// addCall opens another call of the demo programme.
func addCall(t *testing.T, ts *testServer, title string, opens, closes time.Time) nscl.Call {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	c := nscl.Call{ProgrammeID: prog.ID, Title: title, OpensOn: opens, ClosesOn: closes}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateCall(ctx, &c) }); err != nil {
		t.Fatal(err)
	}
	return c
}

func storedRegistrations(t *testing.T, ts *testServer) []nscl.Registration {
	t.Helper()
	page, err := ts.store.Registrations(context.Background(), store.RegistrationFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return page.Registrations
}

// registrationForm is what a newcomer types into the call's form, with
// changes.
func registrationForm(changes ...string) url.Values {
	v := url.Values{
		"kind": {"enterprise"}, "tax_code": {"0312345678"}, "name": {"Công ty TNHH Cơ khí Ánh Dương"},
		"address": {"12 Võ Văn Ngân, phường Linh Chiểu"}, "district": {"Thành phố Thủ Đức"}, "sector": {"2592"}, "size": {"small"},
		"contact_name": {"Nguyễn Thị Hồng"}, "contact_email": {"hong@anhduong.vn"}, "contact_phone": {"0903 123 456"},
		"support_requested": {"Áp dụng công cụ 5S và Kaizen tại xưởng cơ khí"}, "website": {""},
	}
	for i := 0; i+1 < len(changes); i += 2 {
		v.Set(changes[i], changes[i+1])
	}
	return v
}

var reReference = regexp.MustCompile(`DK-[0-9]{4}-[0-9]+`)

// register posts the form of a call and returns the response and page.
func register(t *testing.T, ts *testServer, c *http.Client, callID int64, v url.Values) (*http.Response, string) {
	t.Helper()
	return send(t, c, "POST", fmt.Sprintf("%s/calls/%d/register", ts.URL, callID), formType, v.Encode())
}

// A newcomer finds the open call, registers and gets a reference; the
// focal user finds the registration, accepts it, and the registry has the
// enterprise.
func TestRegistrationFromNewcomerToRegistry(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon := ts.client(t, "")

	code, list := fetch(t, anon, "GET", ts.URL+"/calls", "", "")
	callPath := fmt.Sprintf("/calls/%d", call.ID)
	if code != 200 || !strings.Contains(list, html.EscapeString(call.Title)) || !strings.Contains(list, `href="`+callPath+`"`) {
		t.Fatalf("/calls: %d\n%s", code, trim(list))
	}
	code, page := fetch(t, anon, "GET", ts.URL+callPath, "", "")
	if code != 200 || !strings.Contains(page, "1905/TB-SKH-CN") || !strings.Contains(page, `action="`+callPath+`/register#form"`) {
		t.Fatalf("call page: %d\n%s", code, trim(page))
	}
	for _, want := range []string{`name="website"`, `class="hp" aria-hidden="true"`, `tabindex="-1"`, "Mã số thuế", "siêu nhỏ", `<html lang="vi">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the call page lacks %q", want)
		}
	}
	// What a browser sends from the page, once filled in.
	sent := formValues(t, page)
	for name, values := range registrationForm() {
		sent[name] = values
	}
	resp, _ := register(t, ts, anon, call.ID, sent)
	loc := resp.Header.Get("Location")
	ref := reReference.FindString(loc)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, callPath+"/registered?ref=") || ref == "" {
		t.Fatalf("register: %d to %q", resp.StatusCode, loc)
	}
	code, done := fetch(t, anon, "GET", ts.URL+loc, "", "")
	if code != 200 || !strings.Contains(done, `<strong id="reference">`+ref+`</strong>`) || !strings.Contains(done, "Cảm ơn") {
		t.Fatalf("confirmation: %d\n%s", code, trim(done))
	}
	if strings.Contains(done, "Ánh Dương") || strings.Contains(done, "0312345678") || strings.Contains(done, "hong@anhduong.vn") {
		t.Errorf("the confirmation repeats what was sent")
	}

	regs := storedRegistrations(t, ts)
	if len(regs) != 1 || regs[0].Reference != ref || regs[0].Status != nscl.RegistrationPending || regs[0].Size != nscl.SizeSmall || regs[0].Contact.Phone != "0903 123 456" {
		t.Fatalf("stored: %+v", regs)
	}
	reg := regs[0]

	focal := ts.client(t, "focal@demo.local")
	code, queue := fetch(t, focal, "GET", ts.URL+"/registrations", "", "")
	if code != 200 || !strings.Contains(queue, ref) || !strings.Contains(queue, "Ánh Dương") || !strings.Contains(queue, "hong@anhduong.vn") {
		t.Fatalf("review list: %d\n%s", code, trim(queue))
	}
	regPath := fmt.Sprintf("%s/registrations/%d", ts.URL, reg.ID)
	code, detail := fetch(t, focal, "GET", regPath, "", "")
	if code != 200 || !strings.Contains(detail, "/accept") || !strings.Contains(detail, "/decline") || !strings.Contains(detail, "Áp dụng công cụ 5S") {
		t.Fatalf("registration page: %d\n%s", code, trim(detail))
	}
	if code, _ := fetch(t, focal, "POST", regPath+"/accept", formType, "version=1&confirm=1"); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	e, err := ts.store.EnterpriseByTaxCode(context.Background(), "0312345678")
	if err != nil || e.Name != "Công ty TNHH Cơ khí Ánh Dương" || e.Contact.Email != "hong@anhduong.vn" || e.Size != nscl.SizeSmall {
		t.Fatalf("registry: %+v %v", e, err)
	}
	_, detail = fetch(t, focal, "GET", regPath, "", "")
	if !strings.Contains(detail, fmt.Sprintf(`href="/enterprises/%d"`, e.ID)) || strings.Contains(detail, "/accept") {
		t.Errorf("the accepted registration's page does not link to the enterprise, or still offers to accept")
	}
	// Accepted, it leaves the default (pending) list, and is in the accepted one.
	if _, queue := fetch(t, focal, "GET", ts.URL+"/registrations", "", ""); strings.Contains(queue, ref) {
		t.Errorf("an accepted registration is still in the pending list")
	}
	if _, accepted := fetch(t, focal, "GET", ts.URL+"/registrations?status=accepted", "", ""); !strings.Contains(accepted, ref) {
		t.Errorf("the accepted list lacks %s", ref)
	}
	if code, _ := fetch(t, focal, "GET", ts.URL+"/registrations?status=maybe", "", ""); code != http.StatusBadRequest {
		t.Errorf("an unknown status filter: %d", code)
	}
}

// A bad tax code shows the form again, with the message beside the field
// and every value kept.
func TestRegistrationFormKeepsInputOnError(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	sent := registrationForm("tax_code", "03123", "kind", "consultant", "size", "medium")
	resp, page := register(t, ts, ts.client(t, ""), call.ID, sent)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad tax code: %d", resp.StatusCode)
	}
	checkFieldError(t, page, "tax_code", "mã số thuế")
	again := formValues(t, page)
	for _, name := range []string{"tax_code", "name", "address", "district", "sector", "size", "contact_name", "contact_email", "contact_phone", "support_requested"} {
		if again.Get(name) != sent.Get(name) {
			t.Errorf("%s: the form shows %q, typed %q", name, again.Get(name), sent.Get(name))
		}
	}
	if !regexp.MustCompile(`value="consultant"\s+checked`).MatchString(page) {
		t.Errorf("the chosen kind is not kept")
	}
	// Each field the domain names gets its message beside it.
	for field, change := range map[string][]string{
		"name":              {"name", " "},
		"contact_email":     {"contact_email", "không-phải-email"},
		"support_requested": {"support_requested", ""},
		"sector":            {"sector", "Z9"},
	} {
		_, page := register(t, ts, ts.client(t, ""), call.ID, registrationForm(change...))
		errs := fieldErrors(page)
		if errs[field] == "" {
			t.Errorf("%s: no message beside it (form-wide: %q)", field, alertText(page))
		}
	}
	if n := len(storedRegistrations(t, ts)); n != 0 {
		t.Errorf("%d registrations stored from bad forms", n)
	}
}

// Abuse: a robot filling the hidden field learns nothing and stores
// nothing; an oversized post is refused; one address may send only so
// many registrations (mistakes do not count); markup is stored as text and
// shown escaped.
func TestRegistrationAbuse(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon := ts.client(t, "")

	// A person whose browser filled the hidden field is told to try again.
	resp, page := register(t, ts, anon, call.ID, registrationForm("website", "http://spam.example"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Không gửi được đăng ký") || !strings.Contains(page, "Vui lòng thử lại") ||
		!strings.Contains(page, "cán bộ đầu mối") || reReference.MatchString(page) || strings.Contains(page, "Cảm ơn") || strings.Contains(page, "Ánh Dương") {
		t.Errorf("honeypot: %d\n%s", resp.StatusCode, trim(page))
	}
	if !strings.Contains(page, fmt.Sprintf(`href="/calls/%d#form"`, call.ID)) {
		t.Errorf("the refusal does not lead back to the form")
	}
	if n := len(storedRegistrations(t, ts)); n != 0 {
		t.Fatalf("the honeypot stored %d registrations", n)
	}

	huge := registrationForm("support_requested", strings.Repeat("Hỗ trợ ", 6000))
	resp, page = register(t, ts, anon, call.ID, huge)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "quá lớn") {
		t.Errorf("oversized post: %d\n%s", resp.StatusCode, trim(page))
	}
	if n := len(storedRegistrations(t, ts)); n != 0 {
		t.Fatalf("the oversized post stored %d registrations", n)
	}

	// Markup goes in as text and comes out escaped.
	script := "<script>alert(1)</script>"
	resp, _ = register(t, ts, anon, call.ID, registrationForm("name", script+" Công ty", "support_requested", script))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("registration with markup: %d", resp.StatusCode)
	}
	regs := storedRegistrations(t, ts)
	if len(regs) != 1 || regs[0].Name != script+" Công ty" || regs[0].Support != script {
		t.Fatalf("stored: %+v", regs)
	}
	focal := ts.client(t, "focal@demo.local")
	for _, path := range []string{"/registrations", fmt.Sprintf("/registrations/%d", regs[0].ID)} {
		code, page := fetch(t, focal, "GET", ts.URL+path, "", "")
		if code != 200 || strings.Contains(page, script) || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: %d, markup not escaped\n%s", path, code, trim(page))
		}
	}
	if _, page := register(t, ts, anon, call.ID, registrationForm("name", script, "tax_code", "1")); strings.Contains(page, script) {
		t.Errorf("the form shown again holds raw markup")
	}

	// Two registrations stored so far from 127.0.0.1 (the honeypot's post
	// counts too); mistakes cost nothing.
	for range 5 {
		if resp, _ := register(t, ts, anon, call.ID, registrationForm("tax_code", "x")); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("a mistake: %d", resp.StatusCode)
		}
	}
	for i := range registrationBurst - 2 {
		resp, _ := register(t, ts, anon, call.ID, registrationForm("tax_code", fmt.Sprintf("03000000%02d", i)))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("registration %d of the allowance: %d", i+3, resp.StatusCode)
		}
	}
	before := len(storedRegistrations(t, ts))
	resp, page = register(t, ts, anon, call.ID, registrationForm("tax_code", "0399999999"))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "quá nhiều đăng ký") {
		t.Errorf("over the allowance: %d\n%s", resp.StatusCode, trim(page))
	}
	// The API shares the allowance.
	code, body := fetch(t, anon, "POST", ts.URL+"/api/v1/registrations", jsonType, `{"tax_code":"0399999998","name":"Công ty Mới","contact_email":"a@b.vn","support_requested":"5S"}`)
	if code != http.StatusTooManyRequests || parseAPIError(t, body).Error.Code != errTooMany {
		t.Errorf("API over the allowance: %d %s", code, body)
	}
	if after := len(storedRegistrations(t, ts)); after != before || after != registrationBurst-1 {
		t.Errorf("%d registrations stored, want %d", after, registrationBurst-1)
	}
}

func TestRegistrationLimiter(t *testing.T) {
	l := newAddressLimiter(time.Hour, 2, 100)
	refund, err := l.take("192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	refund() // nothing was stored: the post does not count
	for range 2 {
		if _, err := l.take("192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.take("192.0.2.1"); nscl.ErrorCode(err) != errTooMany {
		t.Errorf("third post at once: %v", err)
	}
	if _, err := l.take("192.0.2.2"); err != nil {
		t.Errorf("another address is limited too: %v", err)
	}

	// Once its bucket is full again, an address is forgotten.
	quick := newAddressLimiter(time.Millisecond, 2, 100)
	quick.take("192.0.2.1")
	quick.take("192.0.2.2")
	time.Sleep(5 * time.Millisecond)
	if _, err := quick.take("192.0.2.3"); err != nil {
		t.Fatal(err)
	}
	quick.mu.Lock()
	n := len(quick.byAddr)
	quick.mu.Unlock()
	if n != 1 {
		t.Errorf("%d addresses remembered, want 1", n)
	}
}

// An IPv6 client spends its /64's allowance, whichever address of it it
// uses; an IPv4 address, also written as IPv6, is its own.
func TestRegistrationLimiterKeysIPv6ByNetwork(t *testing.T) {
	l := newAddressLimiter(time.Hour, 2, 100)
	for _, addr := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff:eeee:dddd:cccc"} {
		if _, err := l.take(addr); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
	}
	for _, addr := range []string{"2001:db8:1:2::99", "2001:DB8:1:2:0:0:0:1"} {
		if _, err := l.take(addr); nscl.ErrorCode(err) != errTooMany {
			t.Errorf("%s, in a /64 that spent its allowance: %v", addr, err)
		}
	}
	for _, addr := range []string{"2001:db8:1:3::1", "192.0.2.1", "::ffff:192.0.2.1", "not an address"} {
		if _, err := l.take(addr); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	// 192.0.2.1 and ::ffff:192.0.2.1 are one address: its second post was its last.
	if _, err := l.take("192.0.2.1"); nscl.ErrorCode(err) != errTooMany {
		t.Errorf("IPv4 written two ways is counted apart: %v", err)
	}
	if _, err := l.take("192.0.2.2"); err != nil {
		t.Errorf("the next IPv4 address shares a bucket: %v", err)
	}
	for addr, want := range map[string]string{
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64", "fe80::1%eth0": "fe80::/64", "::ffff:192.0.2.1": "192.0.2.1", "192.0.2.1": "192.0.2.1", "[::1]": "[::1]",
	} {
		if got := limiterKey(addr); got != want {
			t.Errorf("limiterKey(%q) = %q, want %q", addr, got, want)
		}
	}
}

// A refund that fills the bucket again forgets the address; past the cap,
// a new address is refused while those known keep their allowance.
func TestRegistrationLimiterMemory(t *testing.T) {
	l := newAddressLimiter(time.Hour, 2, 3)
	remembered := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.byAddr)
	}
	refund, err := l.take("192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	refund()
	if n := remembered(); n != 0 {
		t.Errorf("%d addresses remembered after a refund, want 0", n)
	}
	first, _ := l.take("192.0.2.1")
	second, _ := l.take("192.0.2.1")
	second()
	if n := remembered(); n != 1 {
		t.Errorf("a refund that leaves the bucket short forgot the address (%d remembered)", n)
	}
	for _, addr := range []string{"192.0.2.2", "2001:db8::1"} {
		if _, err := l.take(addr); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
	}
	if _, err := l.take("192.0.2.9"); nscl.ErrorCode(err) != errTooMany || statusOf(err) != http.StatusTooManyRequests {
		t.Errorf("a new address past the cap: %v", err)
	}
	if _, err := l.take("2001:db8::2"); err != nil {
		t.Errorf("a known /64 past the cap: %v", err)
	}
	if n := remembered(); n != 3 {
		t.Errorf("%d addresses remembered, want the cap, 3", n)
	}
	// A refund that fills a bucket makes room.
	refund, err = l.take("192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	refund()
	first() // given back too, 192.0.2.1's bucket is full again
	if _, err := l.take("192.0.2.9"); err != nil {
		t.Errorf("a new address once room was made: %v", err)
	}
}

// Through the API, the addresses of one IPv6 /64 share the allowance.
func TestRegistrationAPIKeysIPv6ByNetwork(t *testing.T) {
	ts := newTestServer(t)
	post := func(remote, taxCode string) int {
		t.Helper()
		body := fmt.Sprintf(`{"tax_code":%q,"name":"Công ty Mới","contact_email":"a@b.vn","support_requested":"5S"}`, taxCode)
		req := httptest.NewRequest("POST", "/api/v1/registrations", strings.NewReader(body))
		req.Header.Set("Content-Type", jsonType)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		ts.Config.Handler.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range registrationBurst {
		if code := post(fmt.Sprintf("[2001:db8:1:2::%x]:4000%d", i+1, i), fmt.Sprintf("03000001%02d", i)); code != http.StatusCreated {
			t.Fatalf("registration %d from the /64: %d", i+1, code)
		}
	}
	if code := post("[2001:db8:1:2:abcd::1]:5000", "0300000199"); code != http.StatusTooManyRequests {
		t.Errorf("another address of the /64: %d, want 429", code)
	}
	if code := post("[2001:db8:1:3::1]:5000", "0300000198"); code != http.StatusCreated {
		t.Errorf("the next /64: %d", code)
	}
}

// The API registers with or without call_id, names the field at fault,
// and refuses closed and unknown calls.
func TestRegistrationAPI(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon := ts.client(t, "")
	post := func(body string) (int, string) {
		t.Helper()
		return fetch(t, anon, "POST", ts.URL+"/api/v1/registrations", jsonType, body)
	}
	code, body := post(`{"tax_code":"0301234567","name":"Công ty CP Thực phẩm Sài Gòn","contact":{"name":"Lê Văn Tâm","email":"tam@sgfood.vn"},"support_requested":"Áp dụng ISO 22000"}`)
	var got struct {
		ID        int64  `json:"id"`
		Reference string `json:"reference"`
		Status    string `json:"status"`
		CallID    int64  `json:"call_id"`
	}
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &got) != nil || !reReference.MatchString(got.Reference) || got.Status != "pending" || got.CallID != call.ID {
		t.Fatalf("register without call_id: %d %s", code, body)
	}
	stored, err := ts.store.Registration(context.Background(), got.ID)
	if err != nil || stored.Kind != nscl.RegistrantEnterprise || stored.Contact.Email != "tam@sgfood.vn" || stored.Reference != got.Reference {
		t.Errorf("stored: %+v %v", stored, err)
	}

	for _, c := range []struct {
		name, body, field string
		want              int
	}{
		{"bad tax code", `{"tax_code":"123","name":"X","contact_email":"a@b.vn","support_requested":"5S"}`, "tax_code", 400},
		{"no name", `{"tax_code":"0301234568","contact_email":"a@b.vn","support_requested":"5S"}`, "name", 400},
		{"no contact", `{"tax_code":"0301234568","name":"X","support_requested":"5S"}`, "contact.email", 400},
		{"bad kind", `{"kind":"bank","tax_code":"0301234568","name":"X","contact_email":"a@b.vn","support_requested":"5S"}`, "kind", 400},
		{"both contacts", `{"tax_code":"0301234568","name":"X","contact_email":"a@b.vn","contact":{"phone":"0903123456"},"support_requested":"5S"}`, "contact", 400},
		{"unknown field", `{"tax_code":"0301234568","name":"X","contact_email":"a@b.vn","support_requested":"5S","website":"x"}`, "website", 400},
		{"malformed", `{"tax_code":`, "body", 400},
		{"unknown call", `{"call_id":9999,"tax_code":"0301234568","name":"X","contact_email":"a@b.vn","support_requested":"5S"}`, "call_id", 400},
		{"oversized", `{"tax_code":"0301234568","name":"X","contact_email":"a@b.vn","support_requested":"` + strings.Repeat("x", 40<<10) + `"}`, "body", 400},
	} {
		code, body := post(c.body)
		if code != c.want || parseAPIError(t, body).Error.Field != c.field {
			t.Errorf("%s: %d %s, want %d naming %s", c.name, code, trim(body), c.want, c.field)
		}
	}

	// A consultant, into the call named.
	code, body = post(fmt.Sprintf(`{"call_id":%d,"kind":"consultant","tax_code":"8012345678","name":"Trần Thị Bình","contact_phone":"0912 345 678","support_requested":"Chuyên gia tư vấn Lean"}`, call.ID))
	if code != http.StatusCreated {
		t.Errorf("consultant: %d %s", code, body)
	}

	// A closed call is refused by the API and by its pages; with two calls
	// open, the API needs call_id.
	closed := addCall(t, ts, "Đợt mời đăng ký năm 2021", time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC))
	code, body = post(fmt.Sprintf(`{"call_id":%d,"tax_code":"0301234569","name":"X","contact_email":"a@b.vn","support_requested":"5S"}`, closed.ID))
	if e := parseAPIError(t, body); code != 400 || e.Error.Field != "call_id" || !strings.Contains(e.Error.Message, "hết hạn") {
		t.Errorf("closed call: %d %s", code, body)
	}
	closedPath := fmt.Sprintf("%s/calls/%d", ts.URL, closed.ID)
	if code, page := fetch(t, anon, "GET", closedPath, "", ""); code != 400 || !strings.Contains(page, "đã hết hạn nhận đăng ký ngày 30/06/2021") || strings.Contains(page, `name="tax_code"`) {
		t.Errorf("closed call's page: %d\n%s", code, trim(page))
	}
	if resp, _ := register(t, ts, anon, closed.ID, registrationForm()); resp.StatusCode != 400 {
		t.Errorf("posting to a closed call: %d", resp.StatusCode)
	}
	if code, page := fetch(t, anon, "GET", ts.URL+"/calls/9999", "", ""); code != 404 || !strings.Contains(page, "không có đợt mời đăng ký số 9999") {
		t.Errorf("unknown call's page: %d\n%s", code, trim(page))
	}
	if _, list := fetch(t, anon, "GET", ts.URL+"/calls", "", ""); strings.Contains(list, closed.Title) {
		t.Errorf("the list of open calls shows a closed one")
	}
	addCall(t, ts, "Đợt mời đăng ký bổ sung", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
	code, body = post(`{"tax_code":"0301234569","name":"X","contact_email":"a@b.vn","support_requested":"5S"}`)
	if code != 400 || parseAPIError(t, body).Error.Field != "call_id" {
		t.Errorf("two calls open, no call_id: %d %s", code, body)
	}
	if n := len(storedRegistrations(t, ts)); n != 2 {
		t.Errorf("%d registrations stored, want 2", n)
	}
}

// Only focal staff and administrators read registrations, only focal staff
// decide; the public pages show nobody's registration.
func TestRegistrationPrivacy(t *testing.T) {
	ts, _ := newRouteServer(t) // adds viewer@demo.local
	call := demoCall(t, ts)
	anon := ts.client(t, "")
	resp, _ := register(t, ts, anon, call.ID, registrationForm())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	reg := storedRegistrations(t, ts)[0]
	list, one := ts.URL+"/registrations", fmt.Sprintf("%s/registrations/%d", ts.URL, reg.ID)
	for _, email := range []string{"thuduc@demo.local", "viewer@demo.local"} {
		c := ts.client(t, email)
		for _, path := range []string{list, one} {
			if code, page := fetch(t, c, "GET", path, "", ""); code != http.StatusForbidden || strings.Contains(page, "Ánh Dương") {
				t.Errorf("%s GET %s: %d", email, path, code)
			}
		}
		if code, _ := fetch(t, c, "POST", one+"/accept", formType, "version=1"); code != http.StatusForbidden {
			t.Errorf("%s accepts: %d", email, code)
		}
		if _, dash := fetch(t, c, "GET", ts.URL+"/?year=2022", "", ""); strings.Contains(dash, `href="/registrations"`) {
			t.Errorf("%s sees the registrations link", email)
		}
	}
	if code, _ := fetch(t, anon, "GET", list, "", ""); code != http.StatusSeeOther {
		t.Errorf("anonymous review list: %d, want a redirect to sign in", code)
	}
	if code, _ := fetch(t, anon, "POST", one+"/accept", formType, "version=1"); code != http.StatusUnauthorized {
		t.Errorf("anonymous accept: %d", code)
	}
	// The administrator reads, but does not decide.
	admin := ts.client(t, "admin@demo.local")
	code, page := fetch(t, admin, "GET", one, "", "")
	if code != 200 || !strings.Contains(page, "hong@anhduong.vn") || strings.Contains(page, "/accept") {
		t.Errorf("admin's view: %d", code)
	}
	if code, _ := fetch(t, admin, "POST", one+"/accept", formType, "version=1"); code != http.StatusForbidden {
		t.Errorf("admin accepts: %d", code)
	}
	// Nothing public shows what was sent.
	for _, path := range []string{"/calls", fmt.Sprintf("/calls/%d", call.ID), fmt.Sprintf("/calls/%d/registered?ref=%s", call.ID, reg.Reference)} {
		code, page := fetch(t, anon, "GET", ts.URL+path, "", "")
		if code != 200 {
			t.Errorf("%s: %d", path, code)
		}
		for _, secret := range []string{"Ánh Dương", "0312345678", "hong@anhduong.vn", "0903 123 456", "5S"} {
			if strings.Contains(page, secret) {
				t.Errorf("%s shows %q", path, secret)
			}
		}
	}
	// A crafted link cannot put words on the confirmation page.
	crafted := fmt.Sprintf("/calls/%d/registered?ref=%s", call.ID, url.QueryEscape("Gọi 1900 để nhận hỗ trợ"))
	if _, page := fetch(t, anon, "GET", ts.URL+crafted, "", ""); strings.Contains(page, "1900") {
		t.Errorf("the confirmation shows a crafted reference")
	}
}

// Declining needs a reason; a registration is reviewed once, and a stale
// version is a conflict.
func TestRegistrationReview(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon := ts.client(t, "")
	for _, tax := range []string{"0312345678", "0312345679"} {
		if resp, _ := register(t, ts, anon, call.ID, registrationForm("tax_code", tax)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("register: %d", resp.StatusCode)
		}
	}
	regs := storedRegistrations(t, ts)
	focal := ts.client(t, "focal@demo.local")
	first, second := fmt.Sprintf("%s/registrations/%d", ts.URL, regs[0].ID), fmt.Sprintf("%s/registrations/%d", ts.URL, regs[1].ID)

	code, page := fetch(t, focal, "POST", first+"/decline", formType, "version=1&reason=+")
	if code != http.StatusBadRequest {
		t.Fatalf("decline without a reason: %d", code)
	}
	checkFieldError(t, page, "reason", "lý do")
	if r, _ := ts.store.Registration(context.Background(), regs[0].ID); r.Status != nscl.RegistrationPending {
		t.Errorf("declined without a reason: %s", r.Status)
	}
	if code, _ := fetch(t, focal, "POST", first+"/decline", formType, form(map[string]string{"version": "1", "reason": "Doanh nghiệp không thuộc địa bàn Thành phố", "confirm": "1"})); code != http.StatusSeeOther {
		t.Fatalf("decline: %d", code)
	}
	_, page = fetch(t, focal, "GET", first, "", "")
	if !strings.Contains(page, "Doanh nghiệp không thuộc địa bàn Thành phố") || !strings.Contains(page, "không chấp nhận") || strings.Contains(page, `action="/registrations/`) {
		t.Errorf("declined registration's page:\n%s", trim(page))
	}
	if code, _ := fetch(t, focal, "POST", first+"/accept", formType, "version=1&confirm=1"); code != http.StatusConflict {
		t.Errorf("accepting a declined registration from its old version: %d", code)
	}

	if code, _ := fetch(t, focal, "POST", second+"/accept", formType, "version=1&confirm=1"); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	code, page = fetch(t, focal, "POST", second+"/accept", formType, "version=1&confirm=1")
	if code != http.StatusConflict || !strings.Contains(page, "tải lại trang") {
		t.Errorf("accepting twice: %d\n%s", code, trim(page))
	}
	if code, _ := fetch(t, focal, "POST", ts.URL+"/registrations/9999/accept", formType, "version=1"); code != http.StatusNotFound {
		t.Errorf("accepting an unknown registration: %d", code)
	}
}

// The new pages are translated in both languages, in NFC.
func TestRegistrationPagesAreTranslated(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	anon, focal := ts.client(t, ""), ts.client(t, "focal@demo.local")
	resp, _ := register(t, ts, anon, call.ID, registrationForm())
	ref := reReference.FindString(resp.Header.Get("Location"))
	reg := storedRegistrations(t, ts)[0]
	pages := []struct {
		c    *http.Client
		path string
	}{
		{anon, "/calls"}, {anon, fmt.Sprintf("/calls/%d", call.ID)}, {anon, fmt.Sprintf("/calls/%d/registered?ref=%s", call.ID, ref)},
		{anon, "/calls/9999"}, {focal, "/registrations"}, {focal, "/registrations?status=all"}, {focal, fmt.Sprintf("/registrations/%d", reg.ID)},
		{focal, "/calls/manage"}, {focal, "/calls/new"}, {focal, fmt.Sprintf("/calls/%d/edit", call.ID)},
	}
	rawKey := rawKeyPattern()
	for _, lang := range []string{langVI, langEN} {
		for _, c := range []*http.Client{anon, focal} {
			fetch(t, c, "GET", ts.URL+"/lang/"+lang, "", "")
		}
		for _, p := range pages {
			_, body := fetch(t, p.c, "GET", ts.URL+p.path, "", "")
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s is not in that language", lang, p.path)
			}
			if !norm.NFC.IsNormalString(body) {
				t.Errorf("%s %s is not NFC", lang, p.path)
			}
			for _, m := range rawKey.FindAllStringSubmatch(body, -1) {
				if _, ok := catalogue[m[1]]; !ok {
					t.Errorf("%s %s shows %q, which looks like a missing key", lang, p.path, m[1])
				}
			}
			for _, key := range []string{"reg.kind.enterprise", "reg.status.pending", "ent.size.small"} {
				if strings.Contains(body, key) {
					t.Errorf("%s %s shows the key %s", lang, p.path, key)
				}
			}
		}
	}
	_, en := fetch(t, focal, "GET", ts.URL+"/registrations", "", "")
	if !strings.Contains(en, "awaiting review") || !strings.Contains(en, "enterprise requesting support") {
		t.Errorf("the English review list does not name the kind and status in English")
	}
}

// Focal staff open a call, change it and close it today; bad input shows
// the form again as typed, with the message at the field; a stale version
// is a conflict; nobody else manages calls.
func TestCallManagement(t *testing.T) {
	ts := newTestServer(t)
	// Late on 1 October 2022 by UTC is already 2 October in Vietnam.
	ts.app.Now = func() time.Time { return time.Date(2022, 10, 1, 23, 30, 0, 0, time.UTC) }
	ctx := context.Background()
	open := demoCall(t, ts)
	docs, err := ts.store.Documents(ctx)
	if err != nil || len(docs) == 0 {
		t.Fatalf("the demo's documents: %v", err)
	}
	doc := docs[len(docs)-1]
	focal, admin, anon := ts.client(t, "focal@demo.local"), ts.client(t, "admin@demo.local"), ts.client(t, "")
	manage := ts.URL + "/calls/manage"

	// Focal staff find the page from the review list and the public list; nobody else does.
	for _, c := range []struct {
		client *http.Client
		path   string
		link   bool
	}{{focal, "/registrations", true}, {focal, "/calls", true}, {admin, "/registrations", false}, {admin, "/calls", false}, {anon, "/calls", false}} {
		if _, page := fetch(t, c.client, "GET", ts.URL+c.path, "", ""); strings.Contains(page, `href="/calls/manage"`) != c.link {
			t.Errorf("%s links to the calls' management: %v, want %v", c.path, !c.link, c.link)
		}
	}
	for _, email := range []string{"admin@demo.local", "thuduc@demo.local"} {
		c := ts.client(t, email)
		for _, r := range []struct{ method, path, body string }{
			{"GET", "/calls/manage", ""}, {"GET", "/calls/new", ""}, {"GET", fmt.Sprintf("/calls/%d/edit", open.ID), ""},
			{"POST", "/calls", "title=X&opens_on=01/01/2023"}, {"POST", fmt.Sprintf("/calls/%d", open.ID), "title=X&opens_on=01/01/2023&version=1"},
			{"POST", fmt.Sprintf("/calls/%d/close", open.ID), "version=1"},
		} {
			if code, _ := fetch(t, c, r.method, ts.URL+r.path, formType, r.body); code != http.StatusForbidden {
				t.Errorf("%s %s %s: %d, want 403", email, r.method, r.path, code)
			}
		}
	}
	if code, _ := fetch(t, anon, "GET", manage, "", ""); code != http.StatusSeeOther {
		t.Errorf("anonymous management page: %d, want a redirect to sign in", code)
	}

	code, page := fetch(t, focal, "GET", manage, "", "")
	if code != 200 || !strings.Contains(page, html.EscapeString(open.Title)) || !strings.Contains(page, "đang mở") ||
		!strings.Contains(page, fmt.Sprintf(`action="/calls/%d/close"`, open.ID)) || !strings.Contains(page, "1905/TB-SKH-CN") {
		t.Fatalf("management page: %d\n%s", code, trim(page))
	}

	// A new call, typed wrong first.
	code, page = fetch(t, focal, "GET", ts.URL+"/calls/new", "", "")
	if code != 200 || !strings.Contains(page, `action="/calls"`) || !strings.Contains(page, `<option value="">`) {
		t.Fatalf("new call form: %d\n%s", code, trim(page))
	}
	sent := url.Values{"title": {"Mời đăng ký tham gia đào tạo chuyên gia năm 2023"}, "description": {"Đào tạo chuyên gia năng suất"},
		"document": {fmt.Sprint(doc.ID)}, "opens_on": {"01/13/2022"}, "closes_on": {"30/06/2023"}}
	for _, c := range []struct {
		field, value, want string
		shown              bool // the form shows the value as typed
	}{
		{"opens_on", "01/13/2022", "dd/mm/yyyy", true},
		{"opens_on", "", "bắt buộc", true},
		{"closes_on", "31/10/2022", "trước ngày mở", true},
		{"title", " ", "bắt buộc", false},      // trimmed
		{"document", "9999", "văn bản", false}, // not among the choices
	} {
		bad := url.Values{}
		for k, v := range sent {
			bad[k] = v
		}
		bad.Set("opens_on", "01/11/2022")
		bad.Set(c.field, c.value)
		code, page := fetch(t, focal, "POST", ts.URL+"/calls", formType, bad.Encode())
		if code != http.StatusBadRequest {
			t.Errorf("%s %q: %d", c.field, c.value, code)
			continue
		}
		checkFieldError(t, page, c.field, c.want)
		again := formValues(t, page)
		for name := range bad {
			if (name != c.field || c.shown) && again.Get(name) != bad.Get(name) {
				t.Errorf("%s %q: the form shows %s %q, typed %q", c.field, c.value, name, again.Get(name), bad.Get(name))
			}
		}
	}
	sent.Set("opens_on", "01/11/2022")
	resp, _ := send(t, focal, "POST", ts.URL+"/calls", formType, sent.Encode())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/calls/manage" {
		t.Fatalf("create: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	prog, _ := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	calls, _ := ts.store.Calls(ctx, prog)
	var c nscl.Call
	for _, each := range calls {
		if each.Title == sent.Get("title") {
			c = each
		}
	}
	if c.ID == 0 || !c.OpensOn.Equal(time.Date(2022, 11, 1, 0, 0, 0, 0, time.UTC)) || c.DocumentID != doc.ID || c.Version != 1 || c.Description != "Đào tạo chuyên gia năng suất" {
		t.Fatalf("the call created: %+v", c)
	}
	_, page = fetch(t, focal, "GET", manage, "", "")
	if !strings.Contains(page, "chưa mở") || strings.Contains(page, fmt.Sprintf(`action="/calls/%d/close"`, c.ID)) {
		t.Errorf("the new call is not shown as not yet open, or offers to close")
	}

	// Edited from the form it was opened with; a stale form is a conflict.
	callPath := fmt.Sprintf("%s/calls/%d", ts.URL, c.ID)
	code, page = fetch(t, focal, "GET", callPath+"/edit", "", "")
	edited := formValues(t, page)
	if code != 200 || edited.Get("opens_on") != "01/11/2022" || edited.Get("closes_on") != "30/06/2023" || edited.Get("version") != "1" || edited.Get("document") != fmt.Sprint(doc.ID) {
		t.Fatalf("edit form: %d %v", code, edited)
	}
	edited.Set("opens_on", "01/10/2022")
	edited.Set("document", "")
	if code, _ := fetch(t, focal, "POST", callPath, formType, edited.Encode()); code != http.StatusSeeOther {
		t.Fatalf("update: %d", code)
	}
	got, err := ts.store.Call(ctx, c.ID)
	if err != nil || !got.OpensOn.Equal(time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)) || got.DocumentID != 0 || got.Version != 2 {
		t.Fatalf("after the update: %+v %v", got, err)
	}
	if _, list := fetch(t, anon, "GET", ts.URL+"/calls", "", ""); !strings.Contains(list, html.EscapeString(c.Title)) {
		t.Errorf("the call, open now, is not on the public list")
	}
	edited.Set("title", "Sửa từ bản cũ") // still version 1
	code, page = fetch(t, focal, "POST", callPath, formType, edited.Encode())
	if code != http.StatusConflict || !reStale.MatchString(page) || !strings.Contains(page, `id="latest"`) {
		t.Errorf("stale update: %d\n%s", code, trim(page))
	}
	if again := formValues(t, page); again.Get("title") != "Sửa từ bản cũ" || again.Get("version") != "2" {
		t.Errorf("the stale form: %v, want the title typed and the stored version", again)
	}
	if now, _ := ts.store.Call(ctx, c.ID); now.Title != c.Title || now.Version != 2 {
		t.Errorf("a stale form changed the call: %+v", now)
	}
	if code, _ := fetch(t, focal, "GET", ts.URL+"/calls/9999/edit", "", ""); code != http.StatusNotFound {
		t.Errorf("editing an unknown call: %d", code)
	}

	// Closed today, Vietnam's day: it still takes registrations until the day ends.
	if code, _ := fetch(t, focal, "POST", callPath+"/close", formType, "version=2&confirm=1"); code != http.StatusSeeOther {
		t.Fatalf("close: %d", code)
	}
	got, _ = ts.store.Call(ctx, c.ID)
	if !got.ClosesOn.Equal(time.Date(2022, 10, 2, 0, 0, 0, 0, time.UTC)) || got.Version != 3 || got.StateOn(ts.app.Now().In(nscl.Local)) != nscl.CallOpen {
		t.Errorf("after closing: %+v", got)
	}
	code, page = fetch(t, focal, "POST", callPath+"/close", formType, "version=2&confirm=1")
	if code != http.StatusConflict || !strings.Contains(alertText(page), "tải lại trang") || !strings.Contains(page, html.EscapeString(open.Title)) {
		t.Errorf("closing from a stale list: %d\n%s", code, trim(page))
	}
	closed := addCall(t, ts, "Đợt mời đăng ký năm 2021", time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC))
	upcoming := addCall(t, ts, "Đợt mời đăng ký năm 2023", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
	for _, c := range []struct {
		call nscl.Call
		want string
	}{{closed, "đã đóng ngày 30/06/2021"}, {upcoming, "chưa mở"}} {
		code, page := fetch(t, focal, "POST", fmt.Sprintf("%s/calls/%d/close", ts.URL, c.call.ID), formType, "version=1")
		if code != http.StatusBadRequest || !strings.Contains(alertText(page), c.want) {
			t.Errorf("closing %s: %d %q", c.call.Title, code, alertText(page))
		}
		if now, _ := ts.store.Call(ctx, c.call.ID); now != c.call {
			t.Errorf("a refused close changed %s: %+v", c.call.Title, now)
		}
	}
	_, page = fetch(t, focal, "GET", manage, "", "")
	if !strings.Contains(page, "đã đóng") || !strings.Contains(page, "02/10/2022") {
		t.Errorf("the management page does not show the closed call or the new closing date")
	}
}

// The review list shows 50 registrations a page, oldest first, each page
// after the last one's registration, with a link to the next and to the
// first page that keeps the status filter, and the count on every page.
func TestRegistrationListPages(t *testing.T) {
	ts := newTestServer(t)
	call := demoCall(t, ts)
	ctx := context.Background()
	var ids []int64
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		for i := range 120 {
			r := nscl.Registration{CallID: call.ID, TaxCode: fmt.Sprintf("03%08d", i), Name: fmt.Sprintf("Công ty số %d", i),
				Contact: nscl.Contact{Email: "a@example.vn"}, Support: "Áp dụng 5S"}
			if err := tx.CreateRegistration(ctx, &r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		for _, id := range ids[:10] {
			if _, err := tx.DeclineRegistration(ctx, id, 1, "Ngoài địa bàn"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	focal := ts.client(t, "focal@demo.local")
	rows := regexp.MustCompile(`data-registration="(\d+)"`)
	link := func(page, id string) string {
		m := regexp.MustCompile(`id="` + id + `" href="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return strings.ReplaceAll(m[1], "&amp;", "&")
	}
	for _, c := range []struct {
		query string
		want  []int64 // every row, over the pages, in order
		sizes []int   // rows a page
		total string
	}{
		{"/registrations", ids[10:], []int{50, 50, 10}, "110"},
		{"/registrations?status=all", ids, []int{50, 50, 20}, "120"},
		{"/registrations?status=declined", ids[:10], []int{10}, "10"},
	} {
		var seen []int64
		next := c.query
		for n := 0; next != ""; n++ {
			code, page := fetch(t, focal, "GET", ts.URL+next, "", "")
			found := rows.FindAllStringSubmatch(page, -1)
			if code != 200 || n >= len(c.sizes) || len(found) != c.sizes[n] {
				t.Fatalf("%s, page %d: %d, %d rows, want %v", next, n+1, code, len(found), c.sizes)
			}
			for _, f := range found {
				id, _ := strconv.ParseInt(f[1], 10, 64)
				seen = append(seen, id)
			}
			if !strings.Contains(page, `<span id="registration-total">`+c.total+" ") {
				t.Errorf("%s: the total is not %s", next, c.total)
			}
			if first := link(page, "first"); n == 0 && first != "" || n > 0 && first != c.query {
				t.Errorf("%s: link to the first page %q, want %q", next, first, c.query)
			}
			next = link(page, "next")
			if next != "" && !strings.Contains(next, "after=") || strings.Contains(c.query, "status=") && next != "" && !strings.Contains(next, "status=") {
				t.Errorf("%s: next link %q does not go by cursor within the filter", c.query, next)
			}
		}
		if !slices.Equal(seen, c.want) {
			t.Errorf("%s: the pages show %v, want %v", c.query, seen, c.want)
		}
	}
	for _, bad := range []string{"abc", "-3", "0"} {
		code, page := fetch(t, focal, "GET", ts.URL+"/registrations?after="+bad, "", "")
		if code != http.StatusBadRequest || !strings.Contains(page, "after=") {
			t.Errorf("after=%s: %d %q", bad, code, alertText(page))
		}
	}
}
