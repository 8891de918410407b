package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"nscl/store"
)

// viewCounts are the views of posts' pages and downloads of their files
// counted since they were last written: a busy page adds to memory, and
// the database takes them in one transaction now and then (FlushViews).
// Nothing about the reader is kept — no cookie, no address — only a
// number for each post, so the memory is bounded by the posts.
type viewCounts struct {
	mu     sync.Mutex
	counts map[int64]store.PostCounts
}

func (v *viewCounts) add(id int64, c store.PostCounts) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.counts == nil {
		v.counts = map[int64]store.PostCounts{}
	}
	sum := v.counts[id]
	sum.Views += c.Views
	sum.Downloads += c.Downloads
	v.counts[id] = sum
}

// take hands over what was counted and starts again from nothing.
func (v *viewCounts) take() map[int64]store.PostCounts {
	v.mu.Lock()
	defer v.mu.Unlock()
	taken := v.counts
	v.counts = nil
	return taken
}

// robotWords are what a robot's User-Agent says of itself; its requests
// are not views.
var robotWords = []string{"bot", "crawler", "spider"}

// countable reports whether a request is a reader's view: a GET (not a
// HEAD) from a User-Agent that does not call itself a robot.
func countable(r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	ua := strings.ToLower(r.UserAgent())
	for _, w := range robotWords {
		if strings.Contains(ua, w) {
			return false
		}
	}
	return true
}

// ViewFlushInterval is how often the views counted are written.
const ViewFlushInterval = 10 * time.Second

// FlushViews writes the views and downloads counted since the last time.
// When the write fails they are counted again, to be written next time.
func (s *Server) FlushViews(ctx context.Context) error {
	counts := s.views.take()
	if err := s.Store.AddPostCounts(ctx, counts); err != nil {
		for id, c := range counts {
			s.views.add(id, c)
		}
		return err
	}
	return nil
}

// CountViews writes the views counted every interval until ctx ends. The
// server writes the last of them with FlushViews once it has stopped
// taking requests.
func (s *Server) CountViews(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.FlushViews(ctx); err != nil {
				s.Log.Error("write views", "err", err)
			}
		}
	}
}
