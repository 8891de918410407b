package main

import (
	"strings"
	"testing"

	"nscl"
)

// A set-up command with several mistakes names each, by the flag typed.
func TestSetupCommandNamesEveryMistake(t *testing.T) {
	db := demoDB(t)
	before := setupState(t, db)
	_, err := nsclRun(t, "round", "open", "--db", db, "--title", " ", "--from", "01/04/2026", "--to", "31/03/2026", "--deadline", "15/04/2026", "--cutoff", "20/04/2026", "--units", "HCM-SCT")
	if nscl.ErrorCode(err) != nscl.EINVALID || len(nscl.ErrorList(err)) != 3 {
		t.Fatalf("got %v, want three mistakes", err)
	}
	for _, want := range []string{"title: bắt buộc (required)", "to: ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu", "cutoff: ngày chốt số liệu sau hạn nộp"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message %q lacks %q", err, want)
		}
	}
	if after := setupState(t, db); after != before {
		t.Errorf("a refused command changed the data")
	}
}
