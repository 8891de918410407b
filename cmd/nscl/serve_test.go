package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestTrustedProxyFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	var usage usageError
	for _, bad := range []string{"proxy.local", "10.0.0.0/8,10.0.0.0/33"} {
		_, err := nsclRun(t, "serve", "--db", db, "--trusted-proxy", bad)
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--trusted-proxy") {
			t.Errorf("--trusted-proxy %s: %v, want a usage error naming the flag", bad, err)
		}
	}
	t.Setenv("NSCL_TRUSTED_PROXIES", "nonsense")
	if _, err := nsclRun(t, "serve", "--db", db); !errors.As(err, &usage) {
		t.Errorf("NSCL_TRUSTED_PROXIES=nonsense: %v, want a usage error", err)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a usage error created the database: %v", err)
	}

	got, err := parsePrefixes(" 10.0.0.0/8, 127.0.0.1,::1 ,")
	if err != nil || len(got) != 3 || got[0].String() != "10.0.0.0/8" || got[1].String() != "127.0.0.1/32" || got[2].String() != "::1/128" {
		t.Errorf("parsePrefixes: %v %v", got, err)
	}

	// A good list starts the server; it is stopped as soon as it says so.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--trusted-proxy", "10.0.0.0/8,::1"}, cancelOnWrite(cancel)); err != nil {
		t.Errorf("serve with good proxies: %v", err)
	}
}

// cancelOnWrite is an output that cancels a context when written to.
type cancelOnWrite context.CancelFunc

func (c cancelOnWrite) Write(p []byte) (int, error) {
	c()
	return len(p), nil
}

// TestServerGCPace: the server's collector runs at serverGCPercent unless
// GOGC is set, and the pace before comes back afterwards (nscl bench sets
// it for its load only).
func TestServerGCPace(t *testing.T) {
	const before = 123
	defer debug.SetGCPercent(debug.SetGCPercent(before))
	for _, c := range []struct {
		gogc string
		want int
	}{{"", serverGCPercent}, {"150", before}} {
		t.Setenv("GOGC", c.gogc)
		restore := serverGC()
		if got := debug.SetGCPercent(c.want); got != c.want {
			t.Errorf("GOGC=%q: the server's pace %d, want %d", c.gogc, got, c.want)
		}
		restore()
		if got := debug.SetGCPercent(before); got != before {
			t.Errorf("GOGC=%q: after the server, pace %d, want %d back", c.gogc, got, before)
		}
	}
}
