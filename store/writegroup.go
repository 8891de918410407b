package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// writeGroup lets the activity writes that arrive on SQLite while another
// is being written commit together, in one transaction (group commit).
// SQLite has one writer, so they would have waited in turn anyway; one
// commit for many writes them once each the pages they all change — the
// nation's and the provinces' kept totals, the audit chain's head, the
// last pages of the activities and the audit log — and empties the
// readers' page caches once (every commit under WAL does) instead of once
// for each write. Each write runs in a savepoint of its own, so one that
// fails leaves the others' rows as they were.
//
// The first write to arrive when none is being written leads: it takes
// every write waiting (itself first) as a group, writes it, gives each its
// result and hands the lead to the first write that arrived meanwhile.
// A write is never dropped from the queue: a writer whose request ends
// still waits for its answer. A write whose request ended before its turn
// is not run; one begun runs to its end (conn.uninterrupted).
type writeGroup struct {
	mu      sync.Mutex
	waiting []*groupedWrite
	leading bool // a group is being written, and its leader hands over
}

// groupedWrite is one write waiting in the group.
type groupedWrite struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error // its result, or errLead
}

// errLead tells a waiting write that it leads the next group.
var errLead = errors.New("store: lead the next group of writes")

// maxGroup bounds a group, so that a leader's own answer waits for at most
// this many writes.
const maxGroup = 64

// updateGrouped is Update for a write that may commit with others written
// at the same time (on SQLite; PostgreSQL's writers commit each their own).
// fn must keep no state between runs, as Update's retries already ask: it
// runs again alone when its group cannot commit.
func (s *Store) updateGrouped(ctx context.Context, claim *activityClaim, fn func(tx *Tx) error) error {
	if s.dialect != sqlite {
		return s.updateClaiming(ctx, claim, fn)
	}
	w := &groupedWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g := &s.writes
	g.mu.Lock()
	g.waiting = append(g.waiting, w)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	for {
		if lead {
			s.writeNextGroup()
		}
		err := <-w.done
		if p, ok := err.(*panicked); ok {
			panic(p.value) // in the write's own goroutine, as without the group
		}
		if err != errLead {
			return err
		}
		lead = true
	}
}

// writeNextGroup writes the writes waiting, up to maxGroup, and hands the
// lead to the next one waiting.
func (s *Store) writeNextGroup() {
	g := &s.writes
	g.mu.Lock()
	n := min(len(g.waiting), maxGroup)
	group := make([]*groupedWrite, n)
	copy(group, g.waiting)
	g.waiting = append(g.waiting[:0], g.waiting[n:]...)
	g.mu.Unlock()

	errs := make([]error, len(group))
	answered := false
	// Every write is answered and the lead handed on even if the group's
	// own code panics (the writes' panics are caught): otherwise every
	// write after it would wait for ever.
	defer func() {
		if !answered {
			for i := range errs {
				errs[i] = errGroupBroke
			}
		}
		for i, w := range group {
			w.done <- errs[i]
		}
		g.mu.Lock()
		if len(g.waiting) > 0 {
			g.waiting[0].done <- errLead
		} else {
			g.leading = false
		}
		g.mu.Unlock()
	}()
	alone := func(w *groupedWrite) error { return caught(func() error { return s.Update(w.ctx, w.fn) }) }
	if len(group) == 1 {
		errs[0] = alone(group[0])
	} else if err := s.writeTogether(group, errs); err != nil {
		// The group did not commit: each write runs alone, with Update's
		// retries, and answers for itself.
		for i, w := range group {
			errs[i] = alone(w)
		}
	}
	answered = true
}

// errGroupBroke answers the writes of a group whose own code panicked:
// whether it committed is not known.
var errGroupBroke = errors.New("store: the group of writes broke off; whether it was kept is not known")

// groupSavepoint is the savepoint each write of a group runs in.
const groupSavepoint = "grouped_write"

// writeTogether runs each write of group in its own savepoint of one
// transaction, its result in errs, and commits them all. An error
// returned means nothing was committed: the transaction could not begin,
// a savepoint could not be ended (the whole transaction was rolled back,
// as SQLite does on some failures), a write failed in a way that a retry
// may cure, or the commit failed.
func (s *Store) writeTogether(group []*groupedWrite, errs []error) error {
	// The group's transaction is no request's, and its statements run to
	// their end: a request that ends does not roll back the others' writes
	// (a write whose request ended before its turn is not run).
	ctx := context.Background()
	sqlTx, c, err := s.beginSQLite(ctx)
	if err != nil {
		return err
	}
	c.uninterrupted = true
	raised := false
	defer func() { s.endSQLite(ctx, sqlTx, raised) }()
	var clients []string // of the writes kept
	signInsGone := false // a write of the group changed users, sessions or tokens
	newTree := false     // or the tree
	committed := false
	defer func() { s.ended(committed, signInsGone, newTree, clients...) }()
	for i, w := range group {
		if errs[i] = w.ctx.Err(); errs[i] != nil {
			continue
		}
		if _, err := c.exec(ctx, "SAVEPOINT "+groupSavepoint); err != nil {
			return err
		}
		tx := s.newTx(w.ctx, c)
		errs[i] = caught(func() error { return tx.finish(w.ctx, w.fn, func() error { return nil }) })
		raised = raised || tx.cacheRaised
		if isRetryable(errs[i]) {
			return errs[i]
		}
		if errs[i] != nil {
			if _, err := c.exec(ctx, "ROLLBACK TO "+groupSavepoint); err != nil {
				return err
			}
		} else {
			clients = append(clients, tx.client)
		}
		signInsGone = signInsGone || tx.signInsGone
		newTree = newTree || tx.newTree
		if _, err := c.exec(ctx, "RELEASE "+groupSavepoint); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// panicked is a write's panic, caught where the group ran it and raised
// again in the goroutine whose write it was: one write's panic must not
// leave the others of its group, and every write after them, waiting.
type panicked struct{ value any }

func (p *panicked) Error() string { return fmt.Sprint("store: a write panicked: ", p.value) }

// caught runs fn, and returns its panic as a *panicked error.
func caught(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicked{v}
		}
	}()
	return fn()
}
