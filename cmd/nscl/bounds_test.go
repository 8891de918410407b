package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nscl/sheet/sheettest"
)

// childArgs, in the environment, makes the test binary run the command line
// with these arguments (one a line) instead of the tests, and print its
// peak resident memory last: a child process, whose memory is its own.
const childArgs = "NSCL_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		err := run(context.Background(), strings.Split(args, "\n"), os.Stdout)
		if err != nil {
			fmt.Println("nscl:", err)
		}
		// VmHWM, the kernel's high-water mark of the process's resident
		// memory since its exec (rusage's maxrss would also count the
		// parent's, which the child was forked from).
		status, _ := os.ReadFile("/proc/self/status")
		for line := range strings.Lines(string(status)) {
			if strings.HasPrefix(line, "VmHWM:") {
				fmt.Print(line)
			}
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// maxRSS is the bound on the resident memory of a whole process importing
// any file: the Go heap, SQLite's cache, the runtime and the binary.
const maxRSS = 200 << 20

// runChild runs the command line in a child process and returns what it
// printed, its error, and its peak resident memory.
func runChild(t *testing.T, args ...string) (out string, err error, rss int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args, "\n"))
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err = cmd.Run()
	out = buf.String()
	i := strings.LastIndex(out, "VmHWM:")
	if i < 0 {
		t.Fatalf("nscl %s printed no peak memory (%v):\n%s", strings.Join(args, " "), err, out)
	}
	kb, convErr := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(out[i:], "VmHWM:")), " kB"), 10, 64)
	if convErr != nil {
		t.Fatalf("VmHWM: %v", convErr)
	}
	return out[:i], err, kb << 10
}

// `nscl import` of each zip bomb a probe sent — a sheet that unpacks to
// 400 MB, 25 million shared strings — and of the bombs only counting while
// unpacking finds, is refused with the limit it passes, the whole process
// staying under 200 MB.
func TestImportBombsInBoundedMemory(t *testing.T) {
	db := demoDB(t)
	cases := []struct {
		name  string
		build func(string) error
		says  string
	}{
		{"sheet-400MB", func(p string) error { return sheettest.WideRowBomb(p, 400<<20) }, "phần xl/worksheets/sheet1.xml hơn 384 MB"},
		{"strings-25M", func(p string) error { return sheettest.SharedStringsBomb(p, 25_000_000) }, "phần xl/sharedStrings.xml hơn 384 MB"},
		{"rows-200MB", func(p string) error { return sheettest.RowsBomb(p, 200<<20) }, "có hơn 250.000 dòng"},
		{"cells-200MB", func(p string) error { return sheettest.WideRowBomb(p, 200<<20) }, "có hơn 16.384 ô"},
		{"text-200MB", func(p string) error { return sheettest.LongCellBomb(p, 200<<20) }, "dài hơn 1 MB"},
		{"strings-10M", func(p string) error { return sheettest.SharedStringsBomb(p, 10_000_000) }, "hơn 1.000.000 chuỗi dùng chung"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name+".xlsx")
			if err := tc.build(path); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			out, err, rss := runChild(t, "import", "--db", db, path)
			t.Logf("%s: refused in %v, peak resident memory %.1f MB", tc.name, time.Since(start).Round(time.Millisecond), float64(rss)/(1<<20))
			if err == nil || !strings.Contains(out, tc.says) {
				t.Fatalf("want a refusal saying %q, got %v:\n%s", tc.says, err, out)
			}
			if rss > maxRSS {
				t.Errorf("peak resident memory %d MB, past %d MB", rss>>20, maxRSS>>20)
			}
		})
	}
}

// Our own export of 100.000 activities imports back — every row unchanged —
// within the same bound: the limits leave real files alone. It takes a
// minute or two, so it runs when NSCL_TEST_LARGE is set (.ci/run sets it).
func TestImport100kExportedActivitiesInBoundedMemory(t *testing.T) {
	if os.Getenv("NSCL_TEST_LARGE") == "" {
		t.Skip("NSCL_TEST_LARGE not set")
	}
	const n = 100_000
	db := demoDB(t)
	demo2023, err := strconv.Atoi(strings.Trim(sqlRows(t, db, `SELECT COUNT(*) FROM activities WHERE occurred_on BETWEEN '2023-01-01' AND '2023-12-31'`)[0], "[]"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "100k.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("Đơn vị,Ngày thực hiện,Nhóm nhiệm vụ,Loại hoạt động,Nội dung hoạt động,\"Học viên được tập huấn, bồi dưỡng (học viên)\"\n")
	units := []string{"HCM-THUDUC", "HCM-Q1", "HCM-Q3", "HCM-BTHANH", "HCM-CGIO"}
	for i := range n {
		day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
		fmt.Fprintf(w, "%s,%s,d,tập huấn,\"Lớp %d: tập huấn công cụ cải tiến năng suất cho doanh nghiệp, đợt %d\",%d\n", units[i%len(units)], day.Format("02/01/2006"), i, i%17, 5+i%80)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	measured := func(args ...string) string {
		t.Helper()
		start := time.Now()
		out, err, rss := runChild(t, args...)
		t.Logf("nscl %s: %v, peak resident memory %.1f MB", args[0]+" "+filepath.Base(args[len(args)-1]), time.Since(start).Round(time.Second), float64(rss)/(1<<20))
		if err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if rss > maxRSS {
			t.Errorf("peak resident memory %d MB, past %d MB", rss>>20, maxRSS>>20)
		}
		return out
	}
	if out := measured("import", "--db", db, csvPath); !strings.Contains(out, fmt.Sprintf("%d hoạt động mới", n)) {
		t.Fatalf("the .csv did not import whole:\n%s", out)
	}
	xlsxPath := filepath.Join(dir, "hoat-dong-2023.xlsx")
	if out, err := nsclRun(t, "activity", "export", "--db", db, "--year", "2023", "--format", "xlsx", "-o", xlsxPath); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if z, err := zip.OpenReader(xlsxPath); err == nil {
		for _, f := range z.File {
			t.Logf("exported %s: %.1f MB unpacked", f.Name, float64(f.UncompressedSize64)/(1<<20))
		}
		z.Close()
	}
	// The export holds the demo's own 2023 activities too.
	exported := n + demo2023
	out := measured("import", "--db", db, xlsxPath)
	if !strings.Contains(out, "0 hoạt động mới, 0 cập nhật") || !strings.Contains(out, fmt.Sprintf("Đã nhập %d dòng", exported)) {
		t.Fatalf("the exported sheet did not come back unchanged:\n%s", out)
	}
}
