package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

var (
	reAuditEntry = regexp.MustCompile(`<li class="audit-entry" id="audit-(\d+)"><time[^>]*>([^<]*)</time>\s*<p class="audit-sentence">([^<]*)</p>`)
	reAuditNext  = regexp.MustCompile(`<a href="(/audit\?[^"]*)">[^<]*→</a>`)
)

// auditEntriesOf reads the entries of an audit page: id, time, sentence.
func auditEntriesOf(page string) [][3]string {
	var out [][3]string
	for _, m := range reAuditEntry.FindAllStringSubmatch(page, -1) {
		out = append(out, [3]string{m[1], m[2], html.UnescapeString(m[3])})
	}
	return out
}

// auditPages follows the audit log from path page after page, and returns
// every entry read.
func auditPages(t *testing.T, c *http.Client, base, path string) (entries [][3]string, pages int) {
	t.Helper()
	for path != "" {
		code, page := fetch(t, c, "GET", base+path, "", "")
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		if strings.Contains(page, "0001-01-01") || strings.Contains(page, "01/01/0001") {
			t.Errorf("%s prints a zero time", path)
		}
		entries = append(entries, auditEntriesOf(page)...)
		pages++
		path = ""
		if m := reAuditNext.FindStringSubmatch(page); m != nil {
			path = html.UnescapeString(m[1])
		}
		if pages > 10 {
			t.Fatal("the pages do not end")
		}
	}
	return entries, pages
}

// The audit page, filtered by date range, user, unit and kind, on units
// the test creates on days of 2031 the demo knows nothing of, reads in
// sentences, page after page.
func TestAuditPageFiltersAndPages(t *testing.T) {
	ts := newTestServer(t)
	ctx := t.Context()
	admin, err := ts.store.UserByEmail(ctx, "admin@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	focal, err := ts.store.UserByEmail(ctx, "focal@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	units, err := ts.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var dept nscl.OrgUnit
	for _, u := range units {
		if u.Code == demo.UnitDept {
			dept = u
		}
	}
	// Times are 09:00 in Vietnam (02:00 UTC) on 10, 11 and 12 May 2031,
	// and one at 00:30 on the 11th in Vietnam, still the 10th in UTC.
	vn := func(day, hour, minute int) time.Time { return time.Date(2031, 5, day, hour, minute, 0, 0, nscl.Local) }
	create := func(who nscl.User, at time.Time, code, name string) nscl.OrgUnit {
		t.Helper()
		ts.store.Now = func() time.Time { return at }
		defer func() { ts.store.Now = time.Now }()
		u := nscl.OrgUnit{ParentID: dept.ID, Code: code, Name: name, Level: nscl.LevelUnit}
		actx := store.WithActor(ctx, who.ID)
		if err := ts.store.Update(actx, func(tx *store.Tx) error { return tx.CreateUnit(actx, &u) }); err != nil {
			t.Fatal(err)
		}
		return u
	}
	create(admin, vn(10, 9, 0), "T-10", "Trung tâm thử nghiệm ngày mười")
	create(admin, vn(11, 0, 30), "T-MIDNIGHT", "Trung tâm thử nghiệm nửa đêm")
	const sameDay = 60
	for i := range sameDay {
		create(admin, vn(11, 9, 0).Add(time.Duration(i)*time.Second), fmt.Sprintf("T-11-%02d", i), fmt.Sprintf("Trung tâm thử nghiệm số %02d", i))
	}
	renamed := create(focal, vn(12, 9, 0), "T-12", "Trung tâm thử nghiệm ngày mười hai")
	func() {
		ts.store.Now = func() time.Time { return vn(12, 10, 15) }
		defer func() { ts.store.Now = time.Now }()
		actx := store.WithActor(ctx, focal.ID)
		renamed.Name = "Trung tâm Kiểm định Cần Thơ"
		if err := ts.store.Update(actx, func(tx *store.Tx) error { return tx.UpdateUnit(actx, &renamed) }); err != nil {
			t.Fatal(err)
		}
	}()

	c := ts.client(t, "admin@demo.local")
	// The 11th in Vietnam: the entry of 00:30 and the sixty of 09:00,
	// newest first, fifty to a page.
	got, pages := auditPages(t, c, ts.URL, "/audit?from=11/05/2031&to=11/05/2031")
	if len(got) != sameDay+1 || pages != 2 {
		t.Fatalf("11/05/2031: %d entries on %d pages, want %d on 2", len(got), pages, sameDay+1)
	}
	var last int64 = 1 << 62
	for i, e := range got {
		id, _ := strconv.ParseInt(e[0], 10, 64)
		if id >= last {
			t.Errorf("entry %d (%s) is not older than the one before", i, e[0])
		}
		last = id
		if !strings.HasPrefix(e[1], "11/05/2031 ") || !strings.HasPrefix(e[2], "Quản trị hệ thống tạo đơn vị #") {
			t.Errorf("entry %d: %q", i, e)
		}
	}
	if want := "Quản trị hệ thống tạo đơn vị #"; !strings.Contains(got[0][2], "Trung tâm thử nghiệm số 59") || !strings.HasPrefix(got[0][2], want) || got[0][1] != "11/05/2031 09:00" {
		t.Errorf("newest of the day: %q", got[0])
	}
	if e := got[len(got)-1]; e[1] != "11/05/2031 00:30" || !strings.HasSuffix(e[2], ": Trung tâm thử nghiệm nửa đêm") {
		t.Errorf("oldest of the day: %q, want the entry of 00:30 in Vietnam", e)
	}
	// To the 10th: the entry of 00:30 on the 11th is not in it.
	got, _ = auditPages(t, c, ts.URL, "/audit?from=10/05/2031&to=10/05/2031")
	if len(got) != 1 || !strings.HasSuffix(got[0][2], "Trung tâm thử nghiệm ngày mười") {
		t.Errorf("10/05/2031: %q", got)
	}

	// By user: the focal point's creation and edit, in sentences, in
	// either language.
	path := "/audit?from=10/05/2031&user=" + itoa(focal.ID)
	got, _ = auditPages(t, c, ts.URL, path)
	want := [][3]string{
		{"", "12/05/2031 10:15", fmt.Sprintf("Cán bộ đầu mối Sở KHCN sửa đơn vị #%d: Trung tâm Kiểm định Cần Thơ", renamed.ID)},
		{"", "12/05/2031 09:00", fmt.Sprintf("Cán bộ đầu mối Sở KHCN tạo đơn vị #%d: Trung tâm Kiểm định Cần Thơ", renamed.ID)},
	}
	if !sameEntries(got, want) {
		t.Errorf("by user:\n got %q\nwant %q", got, want)
	}
	code, page := fetch(t, c, "GET", ts.URL+path, "", "")
	if code != http.StatusOK || !strings.Contains(page, "<li>Tên: Trung tâm thử nghiệm ngày mười hai → Trung tâm Kiểm định Cần Thơ</li>") {
		t.Errorf("the edit's change is not shown: %d", code)
	}
	english := ts.client(t, "admin@demo.local")
	base, _ := url.Parse(ts.URL)
	english.Jar.SetCookies(base, []*http.Cookie{{Name: "lang", Value: langEN}})
	got, _ = auditPages(t, english, ts.URL, path)
	if len(got) != 2 || got[0][2] != fmt.Sprintf("Cán bộ đầu mối Sở KHCN edited unit #%d: Trung tâm Kiểm định Cần Thơ", renamed.ID) {
		t.Errorf("in English: %q", got)
	}

	// By unit: the renamed unit's two entries, whoever wrote them.
	got, _ = auditPages(t, c, ts.URL, "/audit?unit="+renamed.Code)
	if !sameEntries(got, want) {
		t.Errorf("by unit:\n got %q\nwant %q", got, want)
	}
	// By kind: units written on the 12th are the two; no user was.
	if got, _ = auditPages(t, c, ts.URL, "/audit?entity=unit&from=12/05/2031"); len(got) != 2 {
		t.Errorf("units from the 12th: %q", got)
	}
	if got, _ = auditPages(t, c, ts.URL, "/audit?entity=user&from=10/05/2031"); len(got) != 0 {
		t.Errorf("users from the 10th: %q", got)
	}
	// All together: the admin wrote nothing on the 12th.
	if got, _ = auditPages(t, c, ts.URL, "/audit?entity=unit&from=12/05/2031&to=12/05/2031&user="+itoa(admin.ID)); len(got) != 0 {
		t.Errorf("admin on the 12th: %q", got)
	}

	// A bad date names its field; an end before the start is refused.
	for _, bad := range []string{"/audit?from=31/02/2031", "/audit?to=hôm-qua", "/audit?from=12/05/2031&to=11/05/2031"} {
		if code, page := fetch(t, c, "GET", ts.URL+bad, "", ""); code != http.StatusBadRequest || !strings.Contains(page, "dd/mm/yyyy") && !strings.Contains(page, "trước ngày bắt đầu") {
			t.Errorf("%s: %d", bad, code)
		}
	}
	// The demo's own log, unfiltered, prints no zero time either (its
	// units were created without opening days).
	auditPages(t, c, ts.URL, "/audit?entity=unit")
}

// sameEntries compares times and sentences, not ids.
func sameEntries(got, want [][3]string) bool {
	return slices.EqualFunc(got, want, func(a, b [3]string) bool { return a[1] == b[1] && a[2] == b[2] })
}

// The audit page refuses an ID that is not one, naming the field, rather
// than reading it as no filter and showing everything.
func TestAuditPageRefusesBadIDs(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t, "admin@demo.local")
	for _, field := range []string{"user", "unit", "before"} {
		for _, bad := range []string{"abc", "-3", "0"} {
			code, body := fetch(t, admin, "GET", ts.URL+"/audit?"+field+"="+bad, "", "")
			want := field + " phải là mã số"
			if field == "unit" { // a unit field: a unit's code or name, as every unit field reads it
				want = `Đơn vị: không có đơn vị "` + bad + `"`
			}
			if code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), want) {
				t.Errorf("/audit?%s=%s: %d, want 400 naming %s", field, bad, code, field)
			}
		}
	}
	if code, _ := fetch(t, admin, "GET", ts.URL+"/audit?user=&unit=", "", ""); code != http.StatusOK {
		t.Errorf("empty filters: %d, want the whole log", code)
	}
}
