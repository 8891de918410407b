package importer

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"nscl"
	"nscl/sheet/sheettest"
)

// memoryBound is what an import may add to the Go heap, whatever the file.
const memoryBound = 200 << 20

// The zip bombs a probe sent are refused, each with the limit it passes,
// while memory stays bounded: a sheet that unpacks to 400 MB and a table of
// 25 million shared strings, each file about 1 MB or less. So are bombs
// under the size of a part, which only counting while reading finds: rows
// past the limit, a row of too many cells, a cell of too much text, too
// many shared strings, and a part that unpacks to more than its header
// says. Nothing is written.
func TestBombsAreRefusedInBoundedMemory(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "bom.db"))
	before := e.activityCount(t)
	cases := []struct {
		name  string
		build func(path string) error
		says  string
	}{
		{"a sheet of 400 MB", func(p string) error { return sheettest.WideRowBomb(p, 400<<20) }, "phần xl/worksheets/sheet1.xml hơn 384 MB"},
		{"25 million shared strings", func(p string) error { return sheettest.SharedStringsBomb(p, 25_000_000) }, "phần xl/sharedStrings.xml hơn 384 MB"},
		{"200 MB of rows", func(p string) error { return sheettest.RowsBomb(p, 200<<20) }, `trang "Hoạt động" có hơn 250.000 dòng`},
		{"a row of 200 MB", func(p string) error { return sheettest.WideRowBomb(p, 200<<20) }, `dòng 2 của trang "Hoạt động" có hơn 16.384 ô`},
		{"a cell of 200 MB", func(p string) error { return sheettest.LongCellBomb(p, 200<<20) }, "dài hơn 1 MB trong phần xl/worksheets/sheet1.xml"},
		{"10 million shared strings", func(p string) error { return sheettest.SharedStringsBomb(p, 10_000_000) }, "hơn 1.000.000 chuỗi dùng chung"},
		{"400 MB declared as 100 KB", func(p string) error {
			sheettest.Declared = 100 << 10
			defer func() { sheettest.Declared = 0 }()
			return sheettest.RowsBomb(p, 400<<20)
		}, "hỏng: phần xl/worksheets/sheet1.xml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bom.xlsx")
			if err := tc.build(path); err != nil {
				t.Fatal(err)
			}
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size() > 1100<<10 {
				t.Fatalf("the bomb is %d bytes, not about 1 MB or less", info.Size())
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			sampler := sampleMemory()
			start := time.Now()
			_, err = Import(t.Context(), e.st, Request{Programme: e.prog, Path: path})
			took := time.Since(start)
			peak, rss := sampler.stop()
			t.Logf("%s: file %d KB, refused in %v, peak heap %d MB (%d MB before), peak RSS %d MB",
				tc.name, info.Size()>>10, took.Round(time.Millisecond), peak>>20, ms.HeapInuse>>20, rss>>20)
			if err == nil || nscl.ErrorCode(err) != nscl.EINVALID || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("want a refusal saying %q, got %v", tc.says, err)
			}
			if peak > ms.HeapInuse+memoryBound {
				t.Errorf("the heap grew by %d MB, past %d MB", (peak-ms.HeapInuse)>>20, memoryBound>>20)
			}
		})
	}
	if after := e.activityCount(t); after != before {
		t.Errorf("activities: %d before, %d after the bombs", before, after)
	}
}
