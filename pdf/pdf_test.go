package pdf

import (
	"bytes"
	"context"
	"os"
	"testing"

	"nscl/docx"
)

func TestFromDocx(t *testing.T) {
	if !Available() {
		if os.Getenv("NSCL_PDF") == "1" {
			t.Fatal("NSCL_PDF=1 but LibreOffice is missing")
		}
		t.Skip("no LibreOffice on this machine: PDF test skipped (CI runs it with NSCL_PDF=1)")
	}
	d := &docx.Document{Font: "Times New Roman", FontSize: 14, MarginTop: 20, MarginBottom: 20, MarginLeft: 30, MarginRight: 15}
	d.Body = []docx.Block{docx.Paragraph{Runs: []docx.Run{{Text: "Kết quả năm 2022: 9,93 %"}}}}
	var buf bytes.Buffer
	if err := d.Write(&buf, "thử"); err != nil {
		t.Fatal(err)
	}
	out, err := FromDocx(context.Background(), buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Errorf("not a PDF: %q", out[:min(len(out), 20)])
	}
}
