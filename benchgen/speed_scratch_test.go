package benchgen

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"nscl/store"
)

func TestScratchSpeed(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "bench.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := Config{Provinces: 34, UnitsPerProvince: 150, Metrics: 10, FromYear: 2021, ToYear: 2030, Activities: 100000, Enterprises: 50000, Seed: 1}
	t0 := time.Now()
	n, err := Build(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build %v", time.Since(t0))
	t0 = time.Now()
	if err := n.Write(ctx, st, 0, cfg.Activities, func(d int) { t.Logf("%d %v", d, time.Since(t0)) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("write %v: %.0f rows/s", time.Since(t0), float64(cfg.Activities)/time.Since(t0).Seconds())
}
