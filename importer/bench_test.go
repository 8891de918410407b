package importer

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nscl"
	"nscl/sheet"
	"nscl/store"
)

// BenchmarkImport100k imports a file of 100.000 activity rows, as .csv and
// as .xlsx, into a fresh demo database (SQLite), both passes included.
// It reports rows per second and memory: peak-MB is the highest Go heap in
// use (HeapInuse, sampled every 10 ms) during the import, peak-growth-MB
// that peak less the heap in use before it, and peak-RSS-MB the process's
// resident memory (which also counts SQLite's own allocations, made
// outside the Go heap). Run once:
//
//	go test -run '^$' -bench Import100k -benchtime 1x ./importer/
func BenchmarkImport100k(b *testing.B) { benchmarkImport(b, 100_000) }

// BenchmarkImport10k is the same with 10.000 rows, so that memory growth
// with the file's length can be judged.
func BenchmarkImport10k(b *testing.B) { benchmarkImport(b, 10_000) }

func benchmarkImport(b *testing.B, n int) {
	dir := b.TempDir()
	files := map[string]string{
		"csv":  writeBenchCSV(b, filepath.Join(dir, "bench.csv"), n),
		"xlsx": writeBenchXLSX(b, filepath.Join(dir, "bench.xlsx"), n),
	}
	// Our own export of the same rows, as a user downloads it from the
	// activity list to correct and import again: made by importing the
	// .csv once and exporting the year (the demo's 2023 activities come
	// with it, so the rows are counted from the file).
	files["export.xlsx"], files["export.csv"] = writeBenchExports(b, dir, files["csv"], n)
	for _, format := range []string{"csv", "xlsx", "export.csv", "export.xlsx"} {
		b.Run(format, func(b *testing.B) {
			info, err := os.Stat(files[format])
			if err != nil {
				b.Fatal(err)
			}
			var peak, peakRSS, growth uint64
			var cpu time.Duration
			rows := 0
			b.StopTimer()
			for i := 0; i < b.N; i++ {
				e := newEnv(b, filepath.Join(b.TempDir(), "bench.db"))
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				sampler := sampleMemory()
				b.StartTimer()
				cpuBefore := cpuTime()
				res, err := Import(b.Context(), e.st, Request{Programme: e.prog, Path: files[format]})
				cpu += cpuTime() - cpuBefore
				b.StopTimer()
				heap, rss := sampler.stop()
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Problems) > 0 || res.Rows < n || res.Created < n || res.Created+res.Unchanged != res.Rows {
					b.Fatalf("import: rows %d, created %d, problems %d (first: %v)", res.Rows, res.Created, len(res.Problems), res.Problems[:min(1, len(res.Problems))])
				}
				rows += res.Rows
				peak, peakRSS = max(peak, heap), max(peakRSS, rss)
				if heap > before.HeapInuse {
					growth = max(growth, heap-before.HeapInuse)
				}
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			// Rows per second of processor time (all threads): on a shared
			// machine, steadier than the wall clock.
			b.ReportMetric(float64(rows)/cpu.Seconds(), "rows/cpu-s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(growth)/(1<<20), "peak-growth-MB")
			if peakRSS > 0 {
				b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
			}
			b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
		})
	}
}

// writeBenchExports imports the .csv at csvPath into a fresh demo database
// and exports its 2023 activities as .xlsx and .csv, through the code the
// activity list's download and `nscl activity export` use.
func writeBenchExports(b *testing.B, dir, csvPath string, n int) (xlsxPath, csvOut string) {
	e := newEnv(b, filepath.Join(b.TempDir(), "export.db"))
	if res, err := Import(b.Context(), e.st, Request{Programme: e.prog, Path: csvPath}); err != nil || res.Created != n {
		b.Fatalf("import for the export: %+v %v", res, err)
	}
	units, err := e.st.Units(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	codes := map[int64]string{}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	each := func(fn func(nscl.Activity) error) error {
		return e.st.EachActivity(b.Context(), e.prog, store.ActivityFilter{Year: 2023}, fn)
	}
	for _, format := range []string{"xlsx", "csv"} {
		path := filepath.Join(dir, "export."+format)
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := sheet.WriteActivities(f, format, e.prog, each, func(id int64) string { return codes[id] }); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if format == "xlsx" {
			xlsxPath = path
		} else {
			csvOut = path
		}
	}
	return xlsxPath, csvOut
}

// memorySampler records the highest heap in use and resident size while it runs.
type memorySampler struct {
	done      chan struct{}
	wg        sync.WaitGroup
	heap, rss uint64
}

func sampleMemory() *memorySampler {
	s := &memorySampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				s.sample()
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *memorySampler) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.heap = max(s.heap, m.HeapInuse)
	s.rss = max(s.rss, residentBytes())
}

func (s *memorySampler) stop() (heap, rss uint64) {
	close(s.done)
	s.wg.Wait()
	return s.heap, s.rss
}

// cpuTime is the processor time the process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// residentBytes is the process's resident set size (Linux), 0 when unknown.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(fields[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// benchUnits are the demo's units open in 2023: Thủ Đức and the districts.
var benchUnits = []string{"HCM-THUDUC", "HCM-Q1", "HCM-Q3", "HCM-Q4", "HCM-Q5", "HCM-Q6", "HCM-Q7", "HCM-Q8", "HCM-Q10", "HCM-Q11",
	"HCM-Q12", "HCM-BTAN", "HCM-BTHANH", "HCM-GVAP", "HCM-PNHUAN", "HCM-TBINH", "HCM-TPHU", "HCM-BCHANH", "HCM-CGIO", "HCM-CCHI", "HCM-HMON", "HCM-NBE"}

var benchKinds = []struct{ group, kind string }{{"d", "training"}, {"b", "hội thảo, hội nghị"}, {"c", "consulting"}, {"d", "tập huấn, đào tạo"}, {"b", "article"}}

// benchAct is the i-th activity of a generated file: every row a distinct
// activity of 2023, spread over the units, with one to three quantities
// and, every tenth row, a beneficiary.
func benchAct(i int) act {
	k := benchKinds[i%len(benchKinds)]
	a := act{unit: benchUnits[i%len(benchUnits)], desc: fmt.Sprintf("Hoạt động số %d: tập huấn, tư vấn nâng cao năng suất chất lượng cho doanh nghiệp", i),
		date: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365).Format("02/01/2006"), group: k.group, kind: k.kind,
		trainees: int64(10 + i%990), training: int64(1 + i%7)}
	if k.group == "b" {
		a.trainees, a.training, a.attendees = 0, 0, int64(20+i%1500)
	}
	if i%10 == 0 {
		a.taxCodes = fmt.Sprintf("03%08d", i)
	}
	return a
}

func writeBenchCSV(b *testing.B, path string, n int) string {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	buf := bufio.NewWriter(f)
	w := csv.NewWriter(buf)
	for _, r := range fileRows() {
		if r == nil {
			w.Flush()
			buf.WriteString("\n")
			continue
		}
		w.Write(r)
	}
	for i := range n {
		w.Write(benchAct(i).cells())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := buf.Flush(); err != nil {
		b.Fatal(err)
	}
	return path
}

// writeBenchXLSX writes the same rows with excelize's StreamWriter, whole
// numbers as number cells.
func writeBenchXLSX(b *testing.B, path string, n int) string {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet.ActivitySheet); err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter(sheet.ActivitySheet)
	if err != nil {
		b.Fatal(err)
	}
	row := 0
	put := func(cells []string) {
		row++
		if cells == nil {
			return
		}
		values := make([]any, len(cells))
		for i, c := range cells {
			if wholeNumber.MatchString(c) && len(c) < 10 {
				v, _ := strconv.Atoi(c)
				values[i] = v
			} else {
				values[i] = c
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, values); err != nil {
			b.Fatal(err)
		}
	}
	for _, r := range fileRows() {
		put(r)
	}
	for i := range n {
		put(benchAct(i).cells())
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReimportKeyed30k imports 30.000 rows that carry their own row
// keys ("Mã dòng"), then measures importing the same file again: every
// key is looked up by the checking pass, and every row comes back
// unchanged.
//
//	go test -run '^$' -bench ReimportKeyed -benchtime 1x ./importer/
func BenchmarkReimportKeyed30k(b *testing.B) {
	const n = 30_000
	var rows [][]string
	for i := range n {
		rows = append(rows, append(benchAct(i).cells(), fmt.Sprintf("K-%06d", i)))
	}
	path := writeCSV(b, b.TempDir(), "co-ma.csv", keyedRows(rows...))
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		e := newEnv(b, filepath.Join(b.TempDir(), "bench.db"))
		if res, err := Import(b.Context(), e.st, Request{Programme: e.prog, Path: path}); err != nil || res.Created != n {
			b.Fatalf("first import: %+v %v", res, err)
		}
		b.StartTimer()
		res, err := Import(b.Context(), e.st, Request{Programme: e.prog, Path: path})
		b.StopTimer()
		if err != nil || res.Unchanged != n {
			b.Fatalf("again: %+v %v", res, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
