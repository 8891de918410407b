package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestReadsGoOnWhileWritersWait: writes wait their turn — for the audit
// chain's lock on PostgreSQL, for the one writer on SQLite — holding the
// writers' connections while they wait. Reads go on meanwhile: they have
// connections of their own. On PostgreSQL they once shared the readers'
// pool, and a dashboard under 20 writers waited behind them at each of its
// statements, over a second a page.
func TestReadsGoOnWhileWritersWait(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *Store) {
		f := newFixture(t, s)
		ctx := t.Context()
		release := make(chan struct{})
		holding := make(chan struct{})
		var wg sync.WaitGroup
		defer wg.Wait()
		defer close(release)
		wg.Go(func() {
			err := s.Update(ctx, func(*Tx) error {
				close(holding)
				<-release
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
		<-holding
		// More writers than any pool has connections wait behind it.
		for range 2 * max(postgresReaders, sqliteReaders) {
			wg.Go(func() {
				if err := s.Update(ctx, func(*Tx) error { return nil }); err != nil {
					t.Error(err)
				}
			})
		}
		for deadline := time.Now().Add(10 * time.Second); s.write.Stats().WaitCount == 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the writers never waited for a connection: %+v", s.write.Stats())
			}
		}
		short, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := s.Plans(short, f.prog); err != nil {
			t.Errorf("a read while writers wait: %v, want it answered", err)
		}
	})
}
