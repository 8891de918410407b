package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// TestReportDownloadShowsItsWork: the department's officer asks for the
// 2023 report as a PDF, which takes seconds to make; the page says it is
// being made, then the file arrives and a link to it stays on the page. A
// download that fails says why, beside the links.
func TestReportDownloadShowsItsWork(t *testing.T) {
	exe := browser(t)
	_, srv := demoServer(t)
	b := newSession(t, exe, srv.URL)
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	b.login("focal@demo.local")
	pdf := `a.download[href^="/report/2023.pdf"]`
	b.run("report page", chromedp.Navigate(srv.URL+"/report?year=2023"), chromedp.WaitVisible(pdf))

	// The preview is a page: it opens in a new tab, which loads it as any
	// page; this page says nothing of it.
	opened := chromedp.WaitNewTarget(b.ctx, func(info *target.Info) bool { return strings.Contains(info.URL, "/report/2023.html") })
	b.run("open the preview", chromedp.Click(`a[href^="/report/2023.html"]`))
	select {
	case id := <-opened:
		tab, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
		heading, err := chromedp.Run(tab, chromedp.Text(`body`))
		cancel()
		if err != nil || !strings.Contains(heading, "năm 2023") {
			t.Errorf("the preview's tab shows %.80q (%v)", heading, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the preview opened no new tab")
	}
	if hidden, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("download-status").hidden`)); err != nil || !hidden {
		t.Errorf("the report page speaks of the preview opened in another tab (%v)", err)
	}
	b.run("ask for the PDF", chromedp.Click(pdf), chromedp.WaitVisible(`#download-status.working`))
	if got := b.text("while it is made", "#download-status"); got != "Đang tạo tệp PDF…" {
		t.Errorf("while the PDF is made the page says %q", got)
	}
	b.run("the file is offered", chromedp.WaitVisible(`#download-status.ready a.download-file`))
	if got := b.text("once made", "#download-status"); !strings.Contains(got, "Đã tạo xong") || !strings.Contains(got, "bao-cao-2023.pdf") {
		t.Errorf("once the PDF is made the page says %q", got)
	}
	saved := filepath.Join(dir, "bao-cao-2023.pdf")
	var body []byte
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if b, err := os.ReadFile(saved); err == nil && len(b) > 0 {
			body = b
			break
		}
	}
	if !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("the browser saved no PDF at %s (%d bytes)", saved, len(body))
	}

	b.run("a download that fails",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('a.download[href^="/report/2023.xlsx"]').setAttribute("href", "/report/2023.xlsx?unit=KHONG-CO")`),
		chromedp.Click(`a.download[href^="/report/2023.xlsx"]`),
		chromedp.WaitVisible(`#download-status.error`),
	)
	if got := b.text("the failure", "#download-status"); !strings.HasPrefix(got, "Không tạo được tệp: ") || len(got) <= len("Không tạo được tệp: ") {
		t.Errorf("a failed download says %q", got)
	}
}
