package store

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"

	"nscl"
)

// storeFile publishes a document with a PDF of size bytes (at least
// 120), each byte saying where it is but for quotes, line breaks and a
// NUL, and returns the file and its content.
func storeFile(t testing.TB, st *Store, f postFixture, size int) (nscl.StoredFile, []byte, nscl.Post) {
	t.Helper()
	ctx := context.Background()
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*7 + i/251)
	}
	copy(data, "%PDF-1.7\n")
	copy(data[100:], "'\n\r\x00\\x'\"") // what a quoting mistake would spoil
	p := nscl.Post{UnitID: f.district.ID, Kind: nscl.PostDocument, Title: "Sổ tay cải tiến", Topic: "Sổ tay",
		PublishedOn: day("2027-08-01"), State: nscl.PostDraft}
	err := st.Update(ctx, func(tx *Tx) error { return tx.CreatePost(ctx, f.prog, &p, &FileUpload{Name: "so-tay.pdf", Data: data}) })
	if err != nil {
		t.Fatal(err)
	}
	file, _, err := st.PostFile(ctx, f.prog, p.FileID)
	if err != nil {
		t.Fatal(err)
	}
	return file, data, p
}

// A file's content reads back whole a chunk at a time, from any place it
// seeks to, across chunks' ends; a file deleted during a read ends it
// with ENOTFOUND rather than short.
func TestFileContentReadsInChunks(t *testing.T) {
	ctx := context.Background()
	eachEngine(t, func(t *testing.T, st *Store) {
		f := newPostFixture(t, st, nil)
		file, data, p := storeFile(t, st, f, 2*FileChunk+777)
		got, err := io.ReadAll(st.FileContent(ctx, file))
		if err != nil || string(got) != string(data) {
			t.Fatalf("whole: %d bytes of %d, %v", len(got), len(data), err)
		}
		r := st.FileContent(ctx, file)
		for _, at := range []int64{FileChunk - 3, 10, 2*FileChunk + 700, 0} {
			if _, err := r.Seek(at, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 20)
			n, err := io.ReadFull(r, part)
			want := data[at:min(at+20, int64(len(data)))]
			if string(part[:n]) != string(want) || err != nil && n != len(want) {
				t.Errorf("20 bytes at %d: %d read, %v", at, n, err)
			}
		}
		if end, err := r.Seek(-5, io.SeekEnd); err != nil || end != int64(len(data)-5) {
			t.Errorf("seek from the end: %d, %v", end, err)
		}
		if _, err := r.Seek(-1, io.SeekStart); err == nil {
			t.Error("a seek before the start was taken")
		}

		half := st.FileContent(ctx, file)
		if _, err := io.ReadFull(half, make([]byte, FileChunk+1)); err != nil {
			t.Fatal(err)
		}
		if err := st.Update(ctx, func(tx *Tx) error { return tx.DeletePost(ctx, f.prog, p.ID, p.Version) }); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(half); nscl.ErrorCode(err) != nscl.ENOTFOUND {
			t.Errorf("reading on after the file was deleted: %v", err)
		}
	})
}

// BenchmarkFileContent reads the largest file a post takes, a chunk at a
// time, as a download does; its bytes allocated per op are a few chunks'
// garbage, its live memory one chunk.
func BenchmarkFileContent(b *testing.B) {
	st := openStore(b, filepath.Join(b.TempDir(), "files.db"))
	f := newPostFixture(b, st, nil)
	file, _, _ := storeFile(b, st, f, nscl.MaxUpload)
	b.SetBytes(file.Size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Copy(io.Discard, st.FileContent(context.Background(), file)); err != nil {
			b.Fatal(err)
		}
	}
}

// Migration 00032 cuts the files stored whole before it into chunks a
// download reads as they were, and its Down puts them back whole.
func TestMigrationCutsFilesIntoChunks(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		f := newPostFixture(t, s, nil)
		provider := func() *goose.Provider { return migrationProvider(t, s) }
		// A file uploaded now, which Down puts back whole.
		kept, keptData, _ := storeFile(t, s, f, FileChunk+3)
		if _, err := provider().DownTo(ctx, 30); err != nil {
			t.Fatal(err)
		}
		var whole []byte
		if err := s.reader().queryRow(ctx, `SELECT data FROM portal_files WHERE id = ?`, kept.ID).Scan(&whole); err != nil || string(whole) != string(keptData) {
			t.Fatalf("down: %d bytes of %d, %v", len(whole), len(keptData), err)
		}
		// Files as version 30 stored them: one of a chunk exactly, one of
		// two chunks and a byte, one smaller than a chunk.
		sizes := []int{FileChunk, 2*FileChunk + 1, 130}
		ids := make([]int64, len(sizes))
		contents := make([][]byte, len(sizes))
		for i, size := range sizes {
			data := make([]byte, size)
			for j := range data {
				data[j] = byte(j*13 + i + j/509)
			}
			contents[i] = data
			var err error
			ids[i], err = s.reader().insert(ctx, `INSERT INTO portal_files (programme_id, name, content_type, size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				f.prog.ID, "cu.pdf", "application/pdf", size, "", data, stampOf(s.Now()))
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := provider().Up(ctx); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			got, err := io.ReadAll(s.FileContent(ctx, nscl.StoredFile{ID: id, Size: int64(sizes[i])}))
			if err != nil || string(got) != string(contents[i]) {
				t.Errorf("file of %d bytes after the migration: %d bytes, %v", sizes[i], len(got), err)
			}
		}
		if got, err := io.ReadAll(s.FileContent(ctx, kept)); err != nil || string(got) != string(keptData) {
			t.Errorf("the file put back whole and cut again: %d bytes, %v", len(got), err)
		}
	})
}
