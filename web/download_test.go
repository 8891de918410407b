package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The report page's download links carry what report.js needs to show a
// document being made and then offer it — for a reporter too, who cannot
// edit the texts — in the page's language; and a failed download answers
// with its message where the script reads it.
func TestReportDownloadsCarryWhatTheScriptNeeds(t *testing.T) {
	ts := newTestServer(t)
	_, script := fetch(t, ts.client(t, "focal@demo.local"), "GET", ts.URL+"/static/report.js", "", "")
	for _, sel := range []string{`".downloads"`, `"download-status"`, `"a.download"`, `"data-busy"`, `"data-ready"`, `"data-failed"`, `#error-page [role=alert]`} {
		if !strings.Contains(script, sel) {
			t.Errorf("report.js no longer looks for %s: the page test below checks the wrong markup", sel)
		}
	}
	links := regexp.MustCompile(`<a [^>]*href="/report/2023\.(docx|pdf|xlsx|csv)[^"]*"`)
	for _, c := range []struct{ email, lang, busy string }{
		{"thuduc@demo.local", "vi", `data-busy="Đang tạo tệp %s…"`},
		{"focal@demo.local", "en", `data-busy="Making the file %s…"`},
	} {
		cl := ts.client(t, c.email)
		fetch(t, cl, "GET", ts.URL+"/lang/"+c.lang, "", "")
		code, page := fetch(t, cl, "GET", ts.URL+"/report?year=2023", "", "")
		if code != http.StatusOK {
			t.Fatalf("%s: the report page: %d", c.email, code)
		}
		for _, want := range []string{`<script src="/static/report.js" defer></script>`, `<span class="downloads" ` + c.busy, `data-ready="`, `data-failed="`, `<p class="download-status" id="download-status" role="status" aria-live="polite" hidden></p>`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s (%s): the report page lacks %s", c.email, c.lang, want)
			}
		}
		found := links.FindAllString(page, -1)
		if len(found) != 4 {
			t.Errorf("%s: %d download links, want Word, PDF, Excel and CSV: %q", c.email, len(found), found)
		}
		for _, a := range found {
			if !strings.HasPrefix(a, `<a class="download" `) {
				t.Errorf("%s: download link without the script's class: %s", c.email, a)
			}
		}
	}
	code, page := fetch(t, ts.client(t, "focal@demo.local"), "GET", ts.URL+"/report/2023.pdf?unit=KHONG-CO", "", "")
	if code < 400 || !regexp.MustCompile(`(?s)id="error-page".*<p class="error" role="alert">[^<]+</p>`).MatchString(page) {
		t.Errorf("a download that fails: %d, without its message where the script reads it:\n%s", code, page)
	}
}

// While as many documents as the server makes at once are under way, one
// more is told, in the reader's language, to come back later (503,
// Retry-After) and nothing is sent; once a slot is free, it is made. The
// slots are taken by hand here: a real document is made too fast to hold
// one open.
func TestReportDownloadsAreBounded(t *testing.T) {
	ts := newTestServer(t)
	focal := ts.client(t, "focal@demo.local")
	for range maxDocuments {
		ts.app.documents <- struct{}{}
	}
	resp, body := send(t, focal, "GET", ts.URL+"/report/2023.xlsx", "", "")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != strconv.Itoa(busyRetry) ||
		!strings.Contains(body, "máy chủ đang tạo nhiều báo cáo cùng lúc") || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("one document too many: %d, Retry-After %q, Content-Disposition %q\n%.400s", resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Disposition"), alertText(body))
	}
	<-ts.app.documents
	resp, body = send(t, focal, "GET", ts.URL+"/report/2023.xlsx", "", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("with a slot free: %d, %d bytes", resp.StatusCode, len(body))
	}
	if n := len(ts.app.documents); n != maxDocuments-1 {
		t.Errorf("%d slots held after the download, want the %d taken by hand", n, maxDocuments-1)
	}
}
