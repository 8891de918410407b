package web

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"nscl/demo"
)

// The API reads one JSON value, in UTF-8, with each key once: anything
// else is a 400 naming what is wrong, and nothing is stored. The standard
// decoder alone would take the first of two values, the last of two keys
// and U+FFFD for broken bytes, and answer 201.
func TestAPIRefusesLooseJSON(t *testing.T) {
	ts := newTestServer(t)
	demoCall(t, ts)
	anon := ts.client(t, "")
	const good = `{"tax_code":"0315926535","name":"Công ty TNHH Gốm sứ Bình Dương","contact":{"email":"gom@binhduong.vn"},"support_requested":"Áp dụng Lean"}`
	before := len(storedRegistrations(t, ts))
	for _, c := range []struct{ name, body, field string }{
		{"garbage after the value", good + "GARBAGE", "body"},
		{"two values back to back", good + good, "body"},
		{"a key twice", strings.Replace(good, `"name":`, `"name":"Công ty A","name":`, 1), "name"},
		{"a nested key twice", strings.Replace(good, `"email":`, `"email":"a@b.vn","email":`, 1), "contact.email"},
		{"a key twice in another case", strings.Replace(good, `"name":`, `"Name":"Công ty A","name":`, 1), "name"},
		{"invalid UTF-8", strings.Replace(good, "Gốm sứ", "G\xf4m s\xe9", 1), "body"},
		{"NUL in a name", strings.Replace(good, "Gốm sứ", `Gốm\u0000sứ`, 1), "name"},
		{"an escape in the request", strings.Replace(good, "Áp dụng Lean", `Áp dụng\u001b[2J Lean`, 1), "support_requested"},
	} {
		code, body := fetch(t, anon, "POST", ts.URL+"/api/v1/registrations", jsonType, c.body)
		if code != http.StatusBadRequest || parseAPIError(t, body).Error.Field != c.field {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, code, trim(body), c.field)
		}
	}
	if n := len(storedRegistrations(t, ts)); n != before {
		t.Fatalf("%d registrations stored by refused bodies", n-before)
	}
	// Spaces and a line break after the value are no second value.
	if code, body := fetch(t, anon, "POST", ts.URL+"/api/v1/registrations", jsonType, good+" \r\n"); code != http.StatusCreated {
		t.Errorf("a body ending in a line break: %d %s", code, trim(body))
	}
}

// A NUL or another control character in what the API stores is a 400
// naming the field (PostgreSQL answered 500); sign-in too.
func TestAPIRefusesControlCharacters(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t, "")
	code, body := fetch(t, anon, "POST", ts.URL+"/api/v1/login", jsonType, `{"email":"focal@demo.local\u0000","password":"`+demoPassword+`"}`)
	if code != http.StatusBadRequest || parseAPIError(t, body).Error.Field != "email" {
		t.Errorf("sign-in with NUL: %d %s", code, trim(body))
	}
	focal := ts.client(t, "focal@demo.local") // the refusal did not count against the account

	activity := func(description, source string) (int, string) {
		return fetch(t, focal, "POST", ts.URL+"/api/v1/activities", jsonType, `{"unit":"`+demo.UnitThuDuc+`","date":"2023-06-14","task_group":"d","kind":"training",`+
			`"description":"`+description+`","source":"`+source+`","quantities":{"trainees":23}}`)
	}
	for _, c := range []struct{ name, description, source, field string }{
		{"NUL in the description", `Lớp 5S\u0000 cho hợp tác xã`, "", "description"},
		{"a bell in the source", "Lớp 5S cho hợp tác xã", `Báo cáo\u0007 quý II`, "source"},
		{"a line break in the source", "Lớp 5S cho hợp tác xã", `Báo cáo\nquý II`, "source"},
	} {
		if code, body := activity(c.description, c.source); code != http.StatusBadRequest || parseAPIError(t, body).Error.Field != c.field {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, code, trim(body), c.field)
		}
	}
	if code, body := activity(`Lớp 5S cho hợp tác xã:\n\t- lý thuyết\n\t- thực hành`, "Báo cáo quý II"); code != http.StatusCreated {
		t.Errorf("a description over lines: %d %s", code, trim(body))
	}
}

// Every download names its file through attachment, which keeps a name
// whole whatever it holds.
func TestAttachmentNames(t *testing.T) {
	for _, name := range []string{"bao-cao-2022.docx", `a";filename=b.exe`, "báo cáo 2022.docx", `mau\"x.xlsx`} {
		w := httptest.NewRecorder()
		attachment(w, name)
		kind, params, err := mime.ParseMediaType(w.Header().Get("Content-Disposition"))
		if err != nil || kind != "attachment" || params["filename"] != name || len(params) != 1 {
			t.Errorf("%q: header %q read back as %s %q, %v", name, w.Header().Get("Content-Disposition"), kind, params, err)
		}
	}

	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	round := ts.openRound(t)
	id := strconv.FormatInt(round.ID, 10)
	for path, want := range map[string]string{
		"/report/2022.docx":                                        "bao-cao-2022.docx",
		"/activities/export?format=csv&year=2022":                  "hoat-dong.csv",
		"/rounds/" + id + "/template.xlsx?unit=" + demo.UnitThuDuc: "mau-bao-cao-dot-" + id + "-" + demo.UnitThuDuc + ".xlsx",
	} {
		resp, err := focal.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if resp.StatusCode != http.StatusOK || err != nil || params["filename"] != want {
			t.Errorf("%s: %d, Content-Disposition %q (%v), want the file %s", path, resp.StatusCode, resp.Header.Get("Content-Disposition"), err, want)
		}
	}
}
