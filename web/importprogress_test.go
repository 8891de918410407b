package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The words of an import's progress at known points, in both languages.
func TestProgressText(t *testing.T) {
	cases := []struct {
		lang, pass  string
		done, total int
		left        time.Duration
		want        string
	}{
		{langVI, "", 0, 0, unknownLeft, ""},
		{langVI, "kiểm tra", 48_000, 0, unknownLeft, "Kiểm tra: 48.000 dòng"},
		{langVI, "kiểm tra", 48_000, 100_000, 21 * time.Second, "Kiểm tra: 48.000 / 100.000 dòng (48 %) — còn khoảng 25 giây"},
		{langEN, "kiểm tra", 48_000, 100_000, 21 * time.Second, "Checking: 48.000 / 100.000 rows (48 %) — about 25 seconds left"},
		{langVI, "ghi", 2_000, 250_000, unknownLeft, "Ghi: 2.000 / 250.000 dòng (0 %)"},
		{langVI, "ghi", 1_000, 3_000, 3 * time.Second, "Ghi: 1.000 / 3.000 dòng (33 %) — sắp xong"},
		{langVI, "ghi", 10_000, 200_000, 80 * time.Second, "Ghi: 10.000 / 200.000 dòng (5 %) — còn khoảng 1 phút"},
		{langEN, "ghi", 10_000, 200_000, 80 * time.Second, "Writing: 10.000 / 200.000 rows (5 %) — about a minute left"},
		{langVI, "ghi", 10_000, 200_000, 12*time.Minute + 40*time.Second, "Ghi: 10.000 / 200.000 dòng (5 %) — còn khoảng 13 phút"},
		{langEN, "ghi", 10_000, 200_000, 56 * time.Second, "Writing: 10.000 / 200.000 rows (5 %) — about a minute left"},
		// A .csv file's total is an estimate that the rows may pass: never more than all.
		{langVI, "kiểm tra", 10_200, 10_000, time.Second, "Kiểm tra: 10.000 / 10.000 dòng (100 %)"},
	}
	for _, c := range cases {
		if got := progressText(c.lang, c.pass, c.done, c.total, c.left); got != c.want {
			t.Errorf("progressText(%s, %q, %d, %d, %v) = %q, want %q", c.lang, c.pass, c.done, c.total, c.left, got, c.want)
		}
	}
}

// The time left is the remaining rows at the pace of the done ones, and
// unknown before any is done or without a total.
func TestTimeLeft(t *testing.T) {
	if got := timeLeft(48_000, 52_000, 24*time.Second); got != 26*time.Second {
		t.Errorf("48.000 rows in 24 s, 52.000 to go: %v, want 26s", got)
	}
	for _, c := range [][2]int{{0, 1000}, {1000, -1}} {
		if got := timeLeft(c[0], c[1], time.Minute); got != unknownLeft {
			t.Errorf("timeLeft(%d, %d) = %v, want unknown", c[0], c[1], got)
		}
	}
}

// A running import's page says the rows checked of the total and the time
// left at the pace so far; the write pass counts its pace from its own start.
func TestImportPageShowsProgress(t *testing.T) {
	ts := newTestServer(t)
	reporter, err := ts.store.UserByEmail(context.Background(), "thuduc@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	round := ts.openRound(t).ID
	job := &importJob{ID: newJobID(), RoundID: round, UserID: reporter.ID, FileName: "lon.xlsx", Started: time.Now()}
	ts.app.imports.add(job)
	c := ts.client(t, "thuduc@demo.local")
	page := func(lang string) string {
		t.Helper()
		fetch(t, c, "GET", ts.URL+"/lang/"+lang, "", "")
		code, body := fetch(t, c, "GET", fmt.Sprintf("%s/rounds/%d/imports/%s", ts.URL, round, job.ID), "", "")
		if code != http.StatusOK {
			t.Fatalf("the job's page: %d", code)
		}
		return body
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	job.begin(t0)
	if p := page("vi"); strings.Contains(p, `id="import-count"`) || !strings.Contains(p, "<progress aria-labelledby") {
		t.Errorf("before the first report the page shows a count or a measured bar:\n%s", p)
	}
	job.progress("kiểm tra", 36_000, 120_000, t0.Add(12*time.Second))
	for _, lw := range [][2]string{
		{"en", "Checking: 36.000 / 120.000 rows (30 %) — about 30 seconds left"},
		{"vi", "Kiểm tra: 36.000 / 120.000 dòng (30 %) — còn khoảng 30 giây"},
	} {
		lang, want := lw[0], lw[1]
		if p := page(lang); !strings.Contains(p, want) || !strings.Contains(p, `<progress value="36000" max="120000"`) {
			t.Errorf("%s page lacks %q or its measured bar:\n%s", lang, want, p)
		}
	}
	job.progress("kiểm tra", 120_000, 120_000, t0.Add(40*time.Second))
	// The write pass starts slower; its first report has no pace yet.
	job.progress("ghi", 1_000, 120_000, t0.Add(50*time.Second))
	if p := page("vi"); !strings.Contains(p, "Ghi: 1.000 / 120.000 dòng (0 %)<") {
		t.Errorf("the write pass's first report shows a time left it cannot know:\n%s", p)
	}
	job.progress("ghi", 61_000, 120_000, t0.Add(110*time.Second))
	if p := page("vi"); !strings.Contains(p, "Ghi: 61.000 / 120.000 dòng (50 %) — còn khoảng 1 phút") {
		t.Errorf("the write pass at its own pace (60.000 rows a minute):\n%s", p)
	}
}
