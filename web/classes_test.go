package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"nscl"
	"nscl/demo"
	"nscl/store"
)

// classDay is the clocks' day in the class tests: 1 March of the open year.
var classDay = time.Date(openYear, 3, 1, 9, 0, 0, 0, nscl.Local)

// classServer is a demo server whose clocks say classDay.
func classServer(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ts.app.Now = func() time.Time { return classDay }
	ts.store.Now = func() time.Time { return classDay }
	return ts
}

// addClass publishes a class of Thủ Đức — a unit other than the city's
// focal department — starting on start, as edit changes it.
func addClass(t *testing.T, ts *testServer, start time.Time, capacity int64, edit func(*nscl.Class)) nscl.Class {
	t.Helper()
	ctx := context.Background()
	prog, err := ts.store.ProgrammeByCode(ctx, demo.ProgrammeCode)
	if err != nil {
		t.Fatal(err)
	}
	unit, err := ts.store.UnitByCode(ctx, demo.UnitThuDuc)
	if err != nil {
		t.Fatal(err)
	}
	c := nscl.Class{UnitID: unit.ID, Title: "Tập huấn Lean và 5S cho doanh nghiệp cơ khí", Topic: "Công cụ cải tiến năng suất", TaskGroup: "d",
		StartsOn: start, Place: "Trung tâm hành chính Thành phố Thủ Đức", Capacity: capacity}
	if edit != nil {
		edit(&c)
	}
	if err := ts.store.Update(ctx, func(tx *store.Tx) error { return tx.CreateClass(ctx, prog, &c) }); err != nil {
		t.Fatal(err)
	}
	return c
}

// classRegistrationForm is what an enterprise types, with changes.
func classRegistrationForm(taxCode string, names ...string) url.Values {
	v := url.Values{"tax_code": {taxCode}, "enterprise_name": {"Công ty TNHH Cơ khí Ánh Dương"}, "contact_name": {"Nguyễn Thị Hồng"},
		"contact_email": {"hong@anhduong.vn"}, "contact_phone": {""}, "website": {""}}
	for _, n := range names {
		v.Add("attendee_name", n)
		v.Add("attendee_position", "Kỹ sư")
	}
	return v
}

func registerForClass(t *testing.T, ts *testServer, c *http.Client, classID int64, v url.Values) (*http.Response, string) {
	t.Helper()
	return send(t, c, "POST", fmt.Sprintf("%s/lich-tap-huan/%d/dang-ky", ts.URL, classID), formType, v.Encode())
}

func storedClassRegistrations(t *testing.T, ts *testServer, classID int64) []nscl.ClassRegistration {
	t.Helper()
	regs, err := ts.store.ClassRegistrations(context.Background(), classID)
	if err != nil {
		t.Fatal(err)
	}
	return regs
}

var reAttendeesError = regexp.MustCompile(`(?s)<span class="field-error" id="attendees-error">(.*?)</span>`)

// A visitor with no cookie at all finds the class on the calendar,
// registers two people from the form as the page has it, and reads them
// back; the same tax code again is refused beside the field.
func TestClassRegistrationByAVisitor(t *testing.T) {
	ts := classServer(t)
	c := addClass(t, ts, time.Date(openYear, 4, 20, 0, 0, 0, 0, time.UTC), 30, nil)
	past := addClass(t, ts, time.Date(openYear, 2, 10, 0, 0, 0, 0, time.UTC), 30, func(c *nscl.Class) { c.Title = "Lớp tháng Hai đã học xong" })
	visitor := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }} // no cookie jar

	code, list := fetch(t, visitor, "GET", ts.URL+"/lich-tap-huan", "", "")
	classPath := fmt.Sprintf("/lich-tap-huan/%d", c.ID)
	if code != 200 || !strings.Contains(list, `href="`+classPath+`"`) || !strings.Contains(list, "20/04/2023") || strings.Contains(list, past.Title) {
		t.Fatalf("calendar: %d\n%s", code, trim(list))
	}
	if _, older := fetch(t, visitor, "GET", ts.URL+"/lich-tap-huan?past=1", "", ""); !strings.Contains(older, past.Title) || strings.Contains(older, c.Title) {
		t.Errorf("the past classes' page does not list the past class alone")
	}
	code, page := fetch(t, visitor, "GET", ts.URL+classPath, "", "")
	if code != 200 || !strings.Contains(page, `action="`+classPath+`/dang-ky#form"`) || !strings.Contains(page, `<strong id="places-left">30</strong>`) {
		t.Fatalf("class page: %d\n%s", code, trim(page))
	}
	for _, want := range []string{`name="website"`, `class="hp" aria-hidden="true"`, "Ủy ban nhân dân Thành phố Thủ Đức", `<html lang="vi">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the class page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script src=\"http") {
		t.Errorf("the public page loads a script from elsewhere")
	}
	if n := strings.Count(page, `name="attendee_name"`); n != registrationLines {
		t.Errorf("%d attendee lines, want %d", n, registrationLines)
	}
	// What a browser sends from the page: two lines filled in, the rest empty.
	sent := formValues(t, page)
	names := sent["attendee_name"]
	names[0], names[1] = "Nguyễn Văn An", norm.NFD.String("Trần Thị Bình") // as some keyboards send it
	for k, v := range classRegistrationForm("0312345678") {
		if k != "attendee_name" && k != "attendee_position" {
			sent[k] = v
		}
	}
	resp, done := registerForClass(t, ts, visitor, c.ID, sent)
	if resp.StatusCode != 200 || !strings.Contains(done, "Đã nhận đăng ký tham dự") || !strings.Contains(done, "<li>Nguyễn Văn An</li>") || !strings.Contains(done, "<li>Trần Thị Bình</li>") {
		t.Fatalf("register: %d\n%s", resp.StatusCode, trim(done))
	}
	regs := storedClassRegistrations(t, ts, c.ID)
	if len(regs) != 1 || regs[0].TaxCode != "0312345678" || len(regs[0].Attendees) != 2 || regs[0].Attendees[1].Name != norm.NFC.String("Trần Thị Bình") || regs[0].Attendees[0].Present {
		t.Fatalf("stored: %+v", regs)
	}
	if _, page := fetch(t, visitor, "GET", ts.URL+classPath, "", ""); !strings.Contains(page, `<strong id="places-left">28</strong>`) {
		t.Errorf("the places left did not go down by 2")
	}

	resp, again := registerForClass(t, ts, visitor, c.ID, classRegistrationForm("0312345678", "Lê Văn Cường"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("the same tax code again: %d", resp.StatusCode)
	}
	// The answer says nothing of whether that enterprise registered: it
	// names no one, and reads the same for any tax code it refuses.
	checkFieldError(t, again, "tax_code", "chưa ghi nhận được đăng ký này")
	if msg := alertText(again); strings.Contains(msg, "0312345678") || strings.Contains(msg, "đã đăng ký") {
		t.Errorf("the refusal discloses the registration: %q", msg)
	}
	if !strings.Contains(again, `value="Lê Văn Cường"`) {
		t.Errorf("the refused form lost the names typed")
	}
	if regs := storedClassRegistrations(t, ts, c.ID); len(regs) != 1 || len(regs[0].Attendees) != 2 {
		t.Errorf("the refused registration stored something: %+v", regs)
	}
}

// What the class cannot take is refused naming the field, and stores
// nothing: a full class, too many people for the places left, a bad tax
// code, registration closed, and the hidden field a robot fills.
func TestClassRegistrationRefusedStoresNothing(t *testing.T) {
	ts := classServer(t)
	anon := ts.client(t, "")
	c := addClass(t, ts, time.Date(openYear, 4, 20, 0, 0, 0, 0, time.UTC), 3, nil)
	if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0300000001", "Một", "Hai")); resp.StatusCode != 200 {
		t.Fatalf("first registration: %d", resp.StatusCode)
	}
	stored := func() int {
		n := 0
		for _, r := range storedClassRegistrations(t, ts, c.ID) {
			n += len(r.Attendees)
		}
		return n
	}

	resp, page := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0300000002", "Ba", "Bốn"))
	if m := reAttendeesError.FindStringSubmatch(page); resp.StatusCode != http.StatusBadRequest || m == nil || !strings.Contains(html.UnescapeString(m[1]), "chỉ còn 1 chỗ") {
		t.Errorf("two people for one place: %d, beside the attendees %q (form-wide %q)", resp.StatusCode, m, alertText(page))
	}
	resp, page = registerForClass(t, ts, anon, c.ID, classRegistrationForm("03000", "Ba"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad tax code: %d", resp.StatusCode)
	}
	checkFieldError(t, page, "tax_code", "mã số thuế")
	resp, page = registerForClass(t, ts, anon, c.ID, classRegistrationForm("0300000002", "Ba", "ba"))
	if errs := fieldErrors(page); resp.StatusCode != http.StatusBadRequest || !strings.Contains(errs["attendee_name"], "đã được ghi") {
		t.Errorf("one name twice: %d, beside the names %q", resp.StatusCode, errs["attendee_name"])
	}

	// The robot's post: answered as the calls' are, and stores nothing.
	v := classRegistrationForm("0300000003", "Ba")
	v.Set("website", "http://spam.example")
	resp, page = registerForClass(t, ts, anon, c.ID, v)
	if resp.StatusCode != 200 || !strings.Contains(page, "Không gửi được đăng ký") || strings.Contains(page, "Đã nhận đăng ký") {
		t.Errorf("honeypot: %d\n%s", resp.StatusCode, trim(page))
	}
	if n := stored(); n != 2 {
		t.Fatalf("%d attendees stored after the refusals, want 2", n)
	}

	if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0300000004", "Ba")); resp.StatusCode != 200 {
		t.Fatalf("the last place: %d", resp.StatusCode)
	}
	_, page = fetch(t, anon, "GET", fmt.Sprintf("%s/lich-tap-huan/%d", ts.URL, c.ID), "", "")
	if !strings.Contains(page, `id="class-full"`) || strings.Contains(page, `name="attendee_name"`) {
		t.Errorf("a full class still offers its form")
	}
	resp, page = registerForClass(t, ts, anon, c.ID, classRegistrationForm("0300000005", "Năm"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(alertText(page), "đã đủ 3 người") {
		t.Errorf("a full class: %d, %q", resp.StatusCode, alertText(page))
	}
	if n := stored(); n != 3 {
		t.Errorf("%d attendees stored in a class of 3", n)
	}
}

// A class whose registration closed refuses the form and stores nothing;
// a class of no programme of this server is not found. (Apart from the
// refusals above, which spent the address's allowance.)
func TestClassRegistrationClosedStoresNothing(t *testing.T) {
	ts := classServer(t)
	anon := ts.client(t, "")
	// Closed the day before today.
	closed := addClass(t, ts, time.Date(openYear, 3, 10, 0, 0, 0, 0, time.UTC), 30, func(c *nscl.Class) {
		c.RegistrationClosesOn = time.Date(openYear, 2, 28, 0, 0, 0, 0, time.UTC)
	})
	_, page := fetch(t, anon, "GET", fmt.Sprintf("%s/lich-tap-huan/%d", ts.URL, closed.ID), "", "")
	if !strings.Contains(page, `id="class-closed"`) || strings.Contains(page, `name="attendee_name"`) {
		t.Errorf("a closed class still offers its form")
	}
	resp, page := registerForClass(t, ts, anon, closed.ID, classRegistrationForm("0300000006", "Sáu"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(alertText(page), "hết hạn đăng ký ngày 28/02/2023") {
		t.Errorf("a closed class: %d, %q", resp.StatusCode, alertText(page))
	}
	if regs := storedClassRegistrations(t, ts, closed.ID); len(regs) != 0 {
		t.Errorf("a closed class stored %+v", regs)
	}
	// A class of no programme of this server is not found.
	if code, _ := fetch(t, anon, "GET", ts.URL+"/lich-tap-huan/99999", "", ""); code != http.StatusNotFound {
		t.Errorf("an unknown class: %d", code)
	}
}

// classActivity is the activity a class's attendance wrote, read back.
func classActivity(t *testing.T, ts *testServer, classID int64) (nscl.Class, nscl.Activity) {
	t.Helper()
	c, err := ts.store.Class(context.Background(), classID)
	if err != nil {
		t.Fatal(err)
	}
	if c.ActivityID == 0 {
		return c, nscl.Activity{}
	}
	a, err := ts.store.Activity(context.Background(), c.ActivityID)
	if err != nil {
		t.Fatal(err)
	}
	return c, a
}

// The organiser's reporter takes attendance on the phone page in one post:
// two enterprises, three people present make the class's activity, which
// the certificates follow; a walk-in adds one. Another unit's reporter may
// not; a period approved by a round is refused on the page.
func TestClassAttendancePage(t *testing.T) {
	ts := classServer(t)
	anon := ts.client(t, "")
	c := addClass(t, ts, time.Date(openYear, 4, 20, 0, 0, 0, 0, time.UTC), 30, nil)
	for _, r := range []url.Values{
		classRegistrationForm("0300000001", "Nguyễn Văn An", "Trần Thị Bình"),
		classRegistrationForm("0300000002", "Lê Văn Cường"),
		classRegistrationForm("0300000003", "Phạm Thị Dung"),
	} {
		if resp, _ := registerForClass(t, ts, anon, c.ID, r); resp.StatusCode != 200 {
			t.Fatalf("registration: %d", resp.StatusCode)
		}
	}
	regs := storedClassRegistrations(t, ts, c.ID)
	an, binh, cuong, dung := regs[0].Attendees[0], regs[0].Attendees[1], regs[1].Attendees[0], regs[2].Attendees[0]

	reporter := ts.client(t, "thuduc@demo.local")
	path := fmt.Sprintf("%s/lich-tap-huan/%d/diem-danh", ts.URL, c.ID)
	code, page := fetch(t, reporter, "GET", path, "", "")
	if code != 200 || strings.Count(page, `name="present"`) != 4 || !strings.Contains(page, `<meta name="viewport" content="width=device-width, initial-scale=1">`) ||
		!strings.Contains(page, `data-registration="`) || !strings.Contains(page, `class="attend"`) {
		t.Fatalf("attendance page: %d\n%s", code, trim(page))
	}
	// The page's form, An, Bình and Cường ticked, as a phone sends it.
	sent := url.Values{}
	for _, a := range []nscl.Attendee{an, binh, cuong, dung} {
		sent.Add("shown", fmt.Sprint(a.ID))
	}
	for _, a := range []nscl.Attendee{an, binh, cuong} {
		sent.Add("present", fmt.Sprint(a.ID))
	}
	if resp, body := send(t, reporter, "POST", path, formType, sent.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving attendance: %d\n%s", resp.StatusCode, trim(body))
	}
	_, a := classActivity(t, ts, c.ID)
	if want := []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 2}, {Metric: demo.Trainees, Value: 3}}; !slices.Equal(a.Quantities, want) ||
		!slices.Equal(a.Beneficiaries, []string{"0300000001", "0300000002"}) || a.Ref != nscl.ClassRef(c.ID) || a.Year() != openYear {
		t.Fatalf("the class's activity: %+v", a)
	}
	_, page = fetch(t, reporter, "GET", path, "", "")
	if !strings.Contains(page, `<strong id="present-count">3</strong>`) || !regexp.MustCompile(fmt.Sprintf(`value="%d"\s+checked`, an.ID)).MatchString(page) {
		t.Errorf("the page does not show the marks saved")
	}

	// Certificates: a present attendee's, and nobody else's.
	certPath := fmt.Sprintf("%s/lich-tap-huan/%d/chung-nhan/", ts.URL, c.ID)
	code, cert := fetch(t, reporter, "GET", certPath+fmt.Sprint(an.ID), "", "")
	for _, want := range []string{"GIẤY CHỨNG NHẬN THAM DỰ", `<strong id="certificate-name">Nguyễn Văn An</strong>`, "Công ty TNHH Cơ khí Ánh Dương", "0300000001",
		"Ủy ban nhân dân Thành phố Thủ Đức", "20/04/2023", html.EscapeString(c.Title), "/static/classes.css"} {
		if !strings.Contains(cert, want) {
			t.Errorf("the certificate (%d) lacks %q", code, want)
		}
	}
	if code, body := fetch(t, reporter, "GET", certPath+fmt.Sprint(dung.ID), "", ""); code != http.StatusNotFound || !strings.Contains(body, "chưa được điểm danh có mặt") {
		t.Errorf("the certificate of someone absent: %d", code)
	}
	if code, _ := fetch(t, anon, "GET", certPath+fmt.Sprint(an.ID), "", ""); code != http.StatusSeeOther {
		t.Errorf("a certificate without signing in: %d, want the sign-in", code)
	}

	// Cường was not there after all; Dung came, and so did a walk-in.
	sent.Del("present")
	sent.Add("present", fmt.Sprint(an.ID))
	sent.Add("present", fmt.Sprint(binh.ID))
	sent.Add("present", fmt.Sprint(dung.ID))
	if resp, _ := send(t, reporter, "POST", path, formType, sent.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving attendance again: %d", resp.StatusCode)
	}
	walkIn := url.Values{"registration": {fmt.Sprint(regs[2].ID)}, "name": {"Đỗ Văn Em"}, "position": {"Tổ trưởng"}}
	if resp, body := send(t, reporter, "POST", path+"/them", formType, walkIn.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("walk-in: %d\n%s", resp.StatusCode, trim(body))
	}
	_, a = classActivity(t, ts, c.ID)
	if want := []nscl.Quantity{{Metric: demo.TrainingEnterprises, Value: 2}, {Metric: demo.Trainees, Value: 4}}; !slices.Equal(a.Quantities, want) ||
		!slices.Equal(a.Beneficiaries, []string{"0300000001", "0300000003"}) {
		t.Errorf("after the changes: %v %v", a.Quantities, a.Beneficiaries)
	}
	if resp, body := send(t, reporter, "POST", path+"/them", formType, url.Values{"name": {"Ai Đó"}}.Encode()); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "hãy chọn doanh nghiệp") {
		t.Errorf("a walk-in with no enterprise: %d", resp.StatusCode)
	}

	// Another unit's reporter may not; the focal point may.
	other := addClass(t, ts, time.Date(openYear, 5, 5, 0, 0, 0, 0, time.UTC), 10, func(c *nscl.Class) {
		u, _ := ts.store.UnitByCode(context.Background(), demo.UnitStandards)
		c.UnitID = u.ID
	})
	if code, _ := fetch(t, reporter, "GET", fmt.Sprintf("%s/lich-tap-huan/%d/diem-danh", ts.URL, other.ID), "", ""); code != http.StatusForbidden {
		t.Errorf("another unit's attendance page: %d", code)
	}
	if code, _ := fetch(t, ts.client(t, "focal@demo.local"), "GET", fmt.Sprintf("%s/lich-tap-huan/%d/diem-danh", ts.URL, other.ID), "", ""); code != 200 {
		t.Errorf("the focal point's attendance page: %d", code)
	}

	// A class of 2022, whose round approved Thủ Đức's figures: the
	// attendance is refused on the page, and nothing moves.
	ts.app.Now = func() time.Time { return time.Date(2022, 5, 1, 9, 0, 0, 0, nscl.Local) }
	ts.store.Now = ts.app.Now
	locked := addClass(t, ts, time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), 10, nil)
	if resp, _ := registerForClass(t, ts, anon, locked.ID, classRegistrationForm("0300000009", "Hồ Văn Phúc")); resp.StatusCode != 200 {
		t.Fatalf("registration to the 2022 class: %d", resp.StatusCode)
	}
	lockedPath := fmt.Sprintf("%s/lich-tap-huan/%d/diem-danh", ts.URL, locked.ID)
	id := storedClassRegistrations(t, ts, locked.ID)[0].Attendees[0].ID
	resp, body := send(t, reporter, "POST", lockedPath, formType, url.Values{"shown": {fmt.Sprint(id)}, "present": {fmt.Sprint(id)}}.Encode())
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `id="attendance-error"`) || !strings.Contains(body, "đã được duyệt") || !strings.Contains(body, `name="present"`) {
		t.Errorf("attendance in an approved period: %d\n%s", resp.StatusCode, trim(body))
	}
	if c, _ := classActivity(t, ts, locked.ID); c.ActivityID != 0 || storedClassRegistrations(t, ts, locked.ID)[0].Attendees[0].Present {
		t.Errorf("the refused attendance was kept")
	}
}

// The organisers create and edit a class through the form; its mistakes
// are shown beside their fields.
func TestClassForm(t *testing.T) {
	ts := classServer(t)
	reporter := ts.client(t, "thuduc@demo.local")
	code, page := fetch(t, reporter, "GET", ts.URL+"/lich-tap-huan/moi", "", "")
	if code != 200 {
		t.Fatalf("new class form: %d", code)
	}
	sent := formValues(t, page)
	if sent.Get("task_group") != "d" || sent.Get("unit") != demo.UnitThuDuc {
		t.Errorf("the new form offers group %q and unit %q, want d (the group of %s) and Thủ Đức", sent.Get("task_group"), sent.Get("unit"), demo.TrainingEnterprises)
	}
	sent.Set("title", "Tập huấn ISO 9001:2015")
	sent.Set("starts_on", "12/06/2023")
	sent.Set("capacity", "40")
	sent.Set("online_link", "javascript:alert(1)")
	resp, page := send(t, reporter, "POST", ts.URL+"/lich-tap-huan", formType, sent.Encode())
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad link: %d", resp.StatusCode)
	}
	checkFieldError(t, page, "online_link", "http")
	sent.Set("online_link", "https://meet.example.vn/iso")
	if resp, body := send(t, reporter, "POST", ts.URL+"/lich-tap-huan", formType, sent.Encode()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", resp.StatusCode, trim(body))
	}
	_, list := fetch(t, reporter, "GET", ts.URL+"/lich-tap-huan/quan-ly", "", "")
	if !strings.Contains(list, "Tập huấn ISO 9001:2015") || !strings.Contains(list, "0 / 40") {
		t.Errorf("the organisers' list lacks the new class\n%s", trim(list))
	}
}

// A tax code refused as already registered spends the allowance as a
// registration stored does: one address cannot ask of tax code after tax
// code whether its enterprise registered.
func TestRefusedClassRegistrationsSpendTheAllowance(t *testing.T) {
	ts := classServer(t)
	anon := ts.client(t, "")
	c := addClass(t, ts, time.Date(openYear, 5, 12, 0, 0, 0, 0, time.UTC), 100, nil)
	if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0311110001", "Phạm Thị Dung")); resp.StatusCode != 200 {
		t.Fatalf("the first registration: %d", resp.StatusCode)
	}
	for i := 1; i < registrationBurst; i++ {
		if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0311110001", "Đỗ Văn Em")); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("the same tax code, try %d: %d", i, resp.StatusCode)
		}
	}
	resp, page := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0311110002", "Đỗ Văn Em"))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "quá nhiều đăng ký") {
		t.Errorf("after %d posts, refused ones among them: %d, want 429", registrationBurst, resp.StatusCode)
	}
	if regs := storedClassRegistrations(t, ts, c.ID); len(regs) != 1 {
		t.Errorf("%d registrations stored, want 1", len(regs))
	}
}

// The calendar's registrations share the calls' allowance rules: a
// client address stores so many, then is refused until it earns more;
// mistakes cost nothing.
func TestClassRegistrationLimit(t *testing.T) {
	ts := classServer(t)
	anon := ts.client(t, "")
	c := addClass(t, ts, time.Date(openYear, 4, 20, 0, 0, 0, 0, time.UTC), 100, nil)
	for range 3 {
		if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm("x", "An")); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("a mistake: %d", resp.StatusCode)
		}
	}
	for i := range registrationBurst {
		if resp, _ := registerForClass(t, ts, anon, c.ID, classRegistrationForm(fmt.Sprintf("03000000%02d", i+1), "An")); resp.StatusCode != 200 {
			t.Fatalf("registration %d of the allowance: %d", i+1, resp.StatusCode)
		}
	}
	resp, page := registerForClass(t, ts, anon, c.ID, classRegistrationForm("0399999999", "An"))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "quá nhiều đăng ký") {
		t.Errorf("over the allowance: %d", resp.StatusCode)
	}
	if n := len(storedClassRegistrations(t, ts, c.ID)); n != registrationBurst {
		t.Errorf("%d registrations stored, want %d", n, registrationBurst)
	}
}
