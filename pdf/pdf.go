// Package pdf turns a Word document into PDF with LibreOffice, so that the
// PDF matches the .docx officials edit and sign.
package pdf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"nscl"
)

// LibreOffice converts one document at a time: two conversions sharing a
// profile, or running side by side on a small machine, fail or crawl.
var one sync.Mutex

// Timeout bounds one conversion.
var Timeout = 3 * time.Minute

// FromDocx converts a .docx document to PDF. When LibreOffice is not
// installed it says so and how to install it.
func FromDocx(ctx context.Context, docx []byte) ([]byte, error) {
	office, err := findOffice()
	if err != nil {
		return nil, err
	}
	one.Lock()
	defer one.Unlock()
	dir, err := os.MkdirTemp("", "nscl-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	// Its own profile directory, so that a desktop LibreOffice the same
	// user has open does not capture the conversion.
	cmd := exec.CommandContext(ctx, office, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pdf: LibreOffice failed: %w: %s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if err != nil {
		return nil, fmt.Errorf("pdf: LibreOffice wrote no PDF: %s", out)
	}
	return b, nil
}

func findOffice() (string, error) {
	for _, name := range []string{"soffice", "libreoffice"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", &nscl.Error{Code: nscl.EINVALID, Field: "format",
		Message: "cần LibreOffice để xuất PDF; cài bằng: apt-get install -y libreoffice-writer fonts-liberation2",
		English: "PDF needs LibreOffice; install it with: apt-get install -y libreoffice-writer fonts-liberation2"}
}

// Available reports whether a conversion can run here.
func Available() bool {
	_, err := findOffice()
	return err == nil
}
