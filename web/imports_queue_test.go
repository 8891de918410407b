package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"nscl"
	"nscl/sheet/sheettest"
	"nscl/store"
)

// Imports take turns server-wide: while one runs, the next wait in the
// order they came, each told its place, and a turn passes on only when
// the import holding it leaves.
func TestImportQueueGivesTurnsInOrder(t *testing.T) {
	var q importQueue
	jobs := []*importJob{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	turns := make([]<-chan struct{}, len(jobs))
	for i, j := range jobs {
		turns[i] = q.join(j)
	}
	for i, want := range []int{0, 1, 2} {
		if got := q.place(jobs[i]); got != want {
			t.Errorf("job %s: place %d, want %d", jobs[i].ID, got, want)
		}
	}
	ready := func(turn <-chan struct{}) bool {
		select {
		case <-turn:
			return true
		default:
			return false
		}
	}
	if !ready(turns[0]) || ready(turns[1]) || ready(turns[2]) {
		t.Fatal("want the first job's turn only")
	}
	q.leave()
	if !ready(turns[1]) || ready(turns[2]) || q.place(jobs[2]) != 1 {
		t.Fatalf("after the first left: second ready %v, third ready %v, third's place %d", ready(turns[1]), ready(turns[2]), q.place(jobs[2]))
	}
	q.leave()
	q.leave()
	if !ready(q.join(&importJob{ID: "d"})) {
		t.Error("with every turn given back, a new job waited")
	}
}

// Four people upload at once — a sheet that unpacks to 400 MB, 25 million
// shared strings, a row of 200 MB of cells, and a real file — while an
// import holds the server's turn. Each page shows its place in the queue;
// once the turn is free they run one after another: the bombs are refused
// naming their limit, the real file is written, and the heap grows by far
// less than 200 MB on the way.
func TestFourUploadsAtOnceWaitTheirTurnInBoundedMemory(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	err := ts.store.Update(ctx, func(tx *store.Tx) error {
		for _, u := range []struct{ email, unit string }{{"q1@demo.local", "HCM-Q1"}, {"q3@demo.local", "HCM-Q3"}} {
			unit, err := tx.UnitByCode(ctx, u.unit)
			if err != nil {
				return err
			}
			user := nscl.User{Email: u.email, Name: "Báo cáo viên " + unit.Name, Role: nscl.RoleReporter, UnitID: unit.ID}
			if err := tx.CreateUser(ctx, &user, demoPassword); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	bomb := func(build func(string) error) string {
		path := filepath.Join(t.TempDir(), "bom.xlsx")
		if err := build(path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	uploads := []struct {
		email, name, content, says string
	}{
		{"focal@demo.local", "bom-trang.xlsx", bomb(func(p string) error { return sheettest.WideRowBomb(p, 400<<20) }), "hơn 384 MB"},
		{"q1@demo.local", "bom-chuoi.xlsx", bomb(func(p string) error { return sheettest.SharedStringsBomb(p, 25_000_000) }), "hơn 384 MB"},
		{"q3@demo.local", "bom-dong.xlsx", bomb(func(p string) error { return sheettest.WideRowBomb(p, 200<<20) }), "hơn 16.384 ô"},
		{"thuduc@demo.local", "that.csv", importHeader + "HCM-THUDUC,12/04/2023,d,tập huấn,Lớp tập huấn Lean cho 31 doanh nghiệp Thủ Đức,57\n", `id="import-done"`},
	}
	holder := &importJob{ID: "holder"}
	<-ts.app.imports.queue.join(holder)
	round := ts.openRound(t).ID
	clients := make([]*http.Client, len(uploads))
	jobs := make([]string, len(uploads))
	for i, u := range uploads {
		clients[i] = ts.client(t, u.email)
		jobs[i] = postUpload(t, ts, clients[i], round, u.name, u.content)
	}
	for i := range uploads {
		_, page := fetch(t, clients[i], "GET", ts.URL+jobs[i], "", "")
		if want := fmt.Sprintf("đứng thứ %d trong hàng chờ", i+1); !strings.Contains(page, `id="import-queued"`) || !strings.Contains(page, want) {
			t.Errorf("upload %d's page while it waits lacks %q:\n%s", i+1, want, page)
		}
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := sampleHeap()
	ts.app.imports.queue.leave() // the holder's turn ends
	pages := make([]string, len(uploads))
	var wg sync.WaitGroup
	for i := range uploads {
		wg.Go(func() { pages[i] = followJob(t, ts, clients[i], jobs[i]) })
	}
	wg.Wait()
	grown := peak() - before.HeapInuse
	t.Logf("four uploads: the heap grew by %.1f MB at most", float64(grown)/(1<<20))
	for i, u := range uploads {
		if !strings.Contains(pages[i], u.says) {
			t.Errorf("%s: the page lacks %q:\n%s", u.name, u.says, pages[i])
		}
	}
	if grown > 200<<20 {
		t.Errorf("the heap grew by %d MB, past 200 MB", grown>>20)
	}
}

// sampleHeap samples the heap in use every 10 ms until the function it
// returns is called, which gives the highest seen.
func sampleHeap() func() uint64 {
	var highest uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			highest = max(highest, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return highest
	}
}
