package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"nscl/demo"
	"nscl/pdf"
)

// The 2022 report as LibreOffice prints it: eight pages of report and three
// of annex (the completion chart, the three indicators with figures year by
// year, then unit by unit), and no page of the report leaves a large
// blank, as the long footnote 3 used to (the body stopping early on page 5
// while the footnote ran on below it: 127 pt, 15 % of the page, measured
// here). The measure: the largest vertical gap between two lines of text
// on a page, at most a seventh of the page, on every page but the
// signature's and the annex's, which end where they end.
func TestThePDFLeavesNoLargeBlank(t *testing.T) {
	if !pdf.Available() {
		if os.Getenv("NSCL_PDF") == "1" {
			t.Fatal("NSCL_PDF=1 but LibreOffice is missing")
		}
		t.Skip("no LibreOffice on this machine: PDF test skipped (CI runs it with NSCL_PDF=1)")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext (poppler-utils) is missing")
	}
	st := demoStore(t)
	ctx := context.Background()
	in, err := Gather(ctx, st, Request{Programme: demo.ProgrammeCode, Year: 2022})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteDocument(ctx, &out, "pdf", in); err != nil {
		t.Fatal(err)
	}
	file := t.TempDir() + "/r.pdf"
	if err := os.WriteFile(file, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	bbox, err := exec.Command(pdftotext, "-bbox", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := regexp.MustCompile(`(?s)<page width="[\d.]+" height="([\d.]+)">(.*?)</page>`).FindAllSubmatch(bbox, -1)
	const reportPages, annexPages = 8, 3
	if len(pages) != reportPages+annexPages {
		t.Fatalf("%d pages, want %d of report and %d of annex", len(pages), reportPages, annexPages)
	}
	if annex := pages[reportPages][2]; !bytes.Contains(annex, []byte(">PHỤ</word>")) {
		t.Errorf("page %d does not open the annex:\n%s", reportPages+1, annex)
	}
	top := regexp.MustCompile(`yMin="([\d.]+)"`)
	for i, p := range pages[:reportPages-1] {
		height, _ := strconv.ParseFloat(string(p[1]), 64)
		var ys []float64
		for _, m := range top.FindAllSubmatch(p[2], -1) {
			y, _ := strconv.ParseFloat(string(m[1]), 64)
			ys = append(ys, y)
		}
		slices.Sort(ys)
		for j := 1; j < len(ys); j++ {
			if gap := ys[j] - ys[j-1]; gap > height/7 {
				t.Errorf("page %d: %.0f pt blank from %.0f pt", i+1, gap, ys[j-1])
			}
		}
	}
}
