package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nscl"
	"nscl/store"
)

func TestAnEmptyRegistrySaysSoAndHowToFillIt(t *testing.T) {
	ts := newTestServer(t)
	focal, admin := ts.client(t, "focal@demo.local"), ts.client(t, "admin@demo.local")
	vi := func(k string) string { return translate(langVI, k) }

	// The demo's registry is empty.
	_, body := fetch(t, focal, "GET", ts.URL+"/enterprises", "", "")
	if !strings.Contains(body, `id="registry-empty"`) || !strings.Contains(body, vi("ent.empty")) || strings.Contains(body, vi("ent.none")) {
		t.Errorf("the empty registry, no filter set:\n%s", trim(body))
	}
	if !strings.Contains(body, vi("ent.empty_how")+` <a href="/enterprises/new">`) {
		t.Errorf("focal staff, who may add, are not offered to:\n%s", trim(body))
	}
	if _, body := fetch(t, admin, "GET", ts.URL+"/enterprises", "", ""); !strings.Contains(body, vi("ent.empty")) || strings.Contains(body, `href="/enterprises/new"`) {
		t.Errorf("the admin, who may not add, is offered to:\n%s", trim(body))
	}
	if _, body := fetch(t, focal, "GET", ts.URL+"/enterprises?q=abc", "", ""); !strings.Contains(body, vi("ent.none")) || strings.Contains(body, vi("ent.empty")) {
		t.Errorf("an empty registry searched says no match:\n%s", trim(body))
	}

	only := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0319876543", Name: "Công ty TNHH Gốm Sứ Lái Thiêu", District: "Thuận An"})
	_, body = fetch(t, focal, "GET", ts.URL+"/enterprises", "", "")
	if !strings.Contains(body, "Gốm Sứ Lái Thiêu") || strings.Contains(body, vi("ent.empty")) || strings.Contains(body, vi("ent.none")) {
		t.Errorf("a registry of one:\n%s", trim(body))
	}
	for _, filter := range []string{"q=thép", "district=Củ+Chi", "sector=62", "size=large"} {
		_, body = fetch(t, focal, "GET", ts.URL+"/enterprises?"+filter, "", "")
		if !strings.Contains(body, `id="registry-none"`) || strings.Contains(body, vi("ent.empty")) {
			t.Errorf("%s matches nothing in a registry of one:\n%s", filter, trim(body))
		}
	}
	past := url.Values{"after": {store.EnterpriseCursorAfter(only)}}.Encode()
	_, body = fetch(t, focal, "GET", ts.URL+"/enterprises?"+past, "", "")
	if !strings.Contains(body, `id="registry-past-end"`) || !strings.Contains(body, `href="/enterprises"`) || strings.Contains(body, vi("ent.empty")) {
		t.Errorf("a page past the end of a registry of one:\n%s", trim(body))
	}
}

func TestABlankContactPartLeavesNoSeparator(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	noName := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0318765432", Name: "Công ty Cổ phần Bánh Kẹo Biên Hòa Mới", Contact: nscl.Contact{Email: "lienhe@banhkeo.example", Phone: "0251 3891 234"}})
	onlyPhone := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0317654321", Name: "Công ty TNHH Dệt May Tân Uyên", Contact: nscl.Contact{Name: "  ", Phone: "0274 3650 111"}})
	all := addEnterprise(t, ts, nscl.Enterprise{TaxCode: "0316543210", Name: "Công ty TNHH Cơ Khí Dĩ An", Contact: nscl.Contact{Name: "Trần Thị Bích", Email: "bich@cokhi.example", Phone: "0274 3777 888"}})

	cases := []struct {
		e    nscl.Enterprise
		want string
	}{
		{noName, `<dd id="contact"><a href="mailto:lienhe@banhkeo.example">lienhe@banhkeo.example</a> · 0251 3891 234</dd>`},
		{onlyPhone, `<dd id="contact">0274 3650 111</dd>`},
		{all, `<dd id="contact">Trần Thị Bích · <a href="mailto:bich@cokhi.example">bich@cokhi.example</a> · 0274 3777 888</dd>`},
	}
	for _, c := range cases {
		_, body := fetch(t, focal, "GET", ts.URL+"/enterprises/"+strconv.FormatInt(c.e.ID, 10), "", "")
		if !strings.Contains(body, c.want) {
			t.Errorf("%s: want %s in\n%s", c.e.TaxCode, c.want, trim(body))
		}
	}
	_, list := fetch(t, focal, "GET", ts.URL+"/enterprises", "", "")
	if strings.Contains(list, "<td><br>") || !strings.Contains(list, `<td><a href="mailto:lienhe@banhkeo.example">lienhe@banhkeo.example</a><br>0251 3891 234</td>`) {
		t.Errorf("the registry's contact column:\n%s", trim(list))
	}
}

// The report page takes its date of issue as dd/mm/yyyy, keeps it so
// however it was typed, and shows the day its boundaries are drawn on so.
func TestReportDatesAreDayMonthYear(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	_, page := fetch(t, focal, "GET", ts.URL+"/report?year=2024", "", "")
	if !strings.Contains(page, `<input name="date" value="" placeholder="dd/mm/yyyy" inputmode="numeric">`) {
		t.Errorf("the empty date of issue does not ask for dd/mm/yyyy:\n%s", trim(page))
	}
	version := regexp.MustCompile(`name="version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	settings := regexp.MustCompile(`name="settings_version" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if version == nil || settings == nil {
		t.Fatal("the texts form carries no version")
	}
	form := url.Values{"year": {"2024"}, "date": {" 2024-12-05 "}, "version": {version[1]}, "settings_version": {settings[1]}}.Encode()
	if code, body := fetch(t, focal, "POST", ts.URL+"/report", formType, form); code != http.StatusSeeOther {
		t.Fatalf("saving a date typed yyyy-mm-dd: %d\n%s", code, trim(body))
	}
	if _, page = fetch(t, focal, "GET", ts.URL+"/report?year=2024", "", ""); !strings.Contains(page, `<input name="date" value="05/12/2024"`) || strings.Contains(page, "2024-12-05") {
		t.Errorf("the date typed 2024-12-05 is not shown as 05/12/2024:\n%s", trim(page))
	}
	for _, path := range []string{"/report?year=2025&as_of=2025-06-30", "/?year=2025&as_of=2025-06-30"} {
		if _, page := fetch(t, focal, "GET", ts.URL+path, "", ""); !strings.Contains(page, `<input name="as_of" value="30/06/2025"`) {
			t.Errorf("%s: the day of the boundaries is not shown as 30/06/2025", path)
		}
	}
}
