package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	"nscl"
	"nscl/store"
)

// bigPDF is a PDF of size bytes whose every byte says where it is, so
// that a range read from the wrong place shows.
func bigPDF(size int) []byte {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*7 + i/251)
	}
	copy(data, "%PDF-1.7\n")
	return data
}

// addFilePost publishes a document of the Thủ Đức unit with the file data,
// written through the store as the form writes it, and returns the file's address.
func addFilePost(t *testing.T, ts *testServer, data []byte) string {
	t.Helper()
	ctx := context.Background()
	prog := ts.demoProgramme(t)
	unit, err := ts.store.UnitByCode(ctx, "HCM-THUDUC")
	if err != nil {
		t.Fatal(err)
	}
	p := nscl.Post{ProgrammeID: prog.ID, UnitID: unit.ID, Kind: nscl.PostDocument, Title: "Sổ tay năng suất bản đầy đủ", Topic: "Sổ tay",
		PublishedOn: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), State: nscl.PostPublished}
	err = ts.store.Update(ctx, func(tx *store.Tx) error {
		return tx.CreatePost(ctx, prog, &p, &store.FileUpload{Name: "so-tay.pdf", Data: data})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s/tai-lieu/tep/%d/so-tay.pdf", ts.URL, p.FileID)
}

// A file of many chunks comes whole, and a range across a chunk's end
// comes as the bytes it names, with the file's safe headers.
func TestFileDownloadInChunks(t *testing.T) {
	ts := newTestServer(t)
	data := bigPDF(3*store.FileChunk + 1234)
	link := addFilePost(t, ts, data)
	anon := ts.client(t, "")
	resp, body := send(t, anon, "GET", link, "", "")
	if resp.StatusCode != 200 || body != string(data) || resp.Header.Get("Content-Length") != strconv.Itoa(len(data)) {
		t.Fatalf("whole file: %d, %d bytes of %d", resp.StatusCode, len(body), len(data))
	}
	h := resp.Header
	if h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" ||
		h.Get("Content-Disposition") != "inline; filename=so-tay.pdf" {
		t.Errorf("headers %v", h)
	}
	from, to := store.FileChunk-10, 2*store.FileChunk+10 // across two chunks' ends
	resp, body = send(t, anon, "GET", link, "", "", "Range", fmt.Sprintf("bytes=%d-%d", from, to))
	if resp.StatusCode != http.StatusPartialContent || body != string(data[from:to+1]) {
		t.Errorf("range %d-%d: %d, %d bytes", from, to, resp.StatusCode, len(body))
	}
	resp, body = send(t, anon, "GET", link, "", "", "Range", "bytes=-100")
	if resp.StatusCode != http.StatusPartialContent || body != string(data[len(data)-100:]) {
		t.Errorf("the last 100 bytes: %d, %q", resp.StatusCode, body)
	}
}

// Downloads of the largest file a post takes, held open by clients that
// do not read: a few are sent at once, each holding a chunk of the file in
// memory rather than the file; one more is told to come back later (503,
// Retry-After), and is served once a place is free.
func TestFileDownloadsAreBounded(t *testing.T) {
	ts := newTestServer(t)
	link := addFilePost(t, ts, bigPDF(nscl.MaxUpload))
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var held []*http.Response
	defer func() {
		for _, r := range held {
			r.Body.Close()
		}
	}()
	for i := range maxDownloads {
		resp, err := (&http.Client{Transport: &http.Transport{}}).Get(link) // a connection each
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("download %d: %d", i+1, resp.StatusCode)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil { // begun, then left
			t.Fatal(err)
		}
	}
	// Each download waits on its client with what it read; the file is
	// 20 MB, so downloads holding it whole would show here four times over
	// (80 MB). The bound leaves room for what the package's other tests'
	// servers still do in the background (up to 19 MB was seen beside them).
	grown := int64(heap()) - int64(before)
	t.Logf("%d downloads under way hold %d MB of the heap; a file is %d MB", maxDownloads, grown>>20, nscl.MaxUpload>>20)
	if grown > 2*nscl.MaxUpload {
		t.Errorf("%d downloads under way hold %d MB of the heap; a file is %d MB", maxDownloads, grown>>20, nscl.MaxUpload>>20)
	}
	anon := ts.client(t, "")
	resp, _ := send(t, anon, "GET", link, "", "")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != strconv.Itoa(busyRetry) {
		t.Errorf("one download too many: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	rest, err := io.ReadAll(held[0].Body)
	if err != nil || len(rest)+1<<20 != nscl.MaxUpload {
		t.Fatalf("the first download's rest: %d bytes, %v", len(rest), err)
	}
	held[0].Body.Close()
	held = held[1:]
	// The server frees the place once it has sent the last byte.
	for range 100 {
		if resp, _ = send(t, anon, "GET", link, "", "", "Range", "bytes=0-99"); resp.StatusCode != http.StatusServiceUnavailable {
			break
		}
		runtime.Gosched()
	}
	if resp.StatusCode != http.StatusPartialContent {
		t.Errorf("with a place free: %d", resp.StatusCode)
	}
}
