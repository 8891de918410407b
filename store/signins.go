package store

import (
	"sync"
	"sync/atomic"
	"time"

	"nscl"
)

// signIns keeps, for a moment, whom a session or an API token was last
// found to sign in. Every request checks its session or token first, and
// under the national load that check's two reads were a twentieth of the
// server's processor time. A change this process makes to a user, a
// session or a token (signing out, a disabled account, a new password, a
// revoked token) lets every kept entry go at once; one made by another
// process is seen within signInKept.
type signIns struct {
	changes atomic.Uint64 // the changes made by this process
	mu      sync.RWMutex
	byHash  map[string]signIn
}

// signIn is what a session or token was found to be: its user and when it
// expires.
type signIn struct {
	user    nscl.User
	expires time.Time
	read    time.Time // when it was read, by the store's clock
	changes uint64    // signIns.changes before it was read
}

// trusted says whether e, read at e.read, may still be given at now.
func (e signIn) trusted(now time.Time) bool {
	age := now.Sub(e.read)
	return age >= 0 && age < signInKept
}

// signInKept is how long an entry is trusted; signInsHeld bounds the
// entries (one a session or token in use): when they are as many, the
// entries too old to trust go, and if that leaves as many, all of them.
const (
	signInKept  = time.Second
	signInsHeld = 4096
)

// reading is the count of changes to record with an entry about to be
// read: a change committed while it is read makes the entry stale.
func (c *signIns) reading() uint64 { return c.changes.Load() }

// get is the entry kept for hash, if it is still to be trusted at now
// (the store's clock).
func (c *signIns) get(hash string, now time.Time) (signIn, bool) {
	c.mu.RLock()
	e, ok := c.byHash[hash]
	c.mu.RUnlock()
	if !ok || e.changes != c.changes.Load() || !e.trusted(now) {
		return signIn{}, false
	}
	return e, true
}

// put keeps e, read at now after reading() gave changes.
func (c *signIns) put(hash string, e signIn, changes uint64, now time.Time) {
	e.read, e.changes = now, changes
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byHash) >= signInsHeld {
		for h, old := range c.byHash {
			if !old.trusted(now) {
				delete(c.byHash, h)
			}
		}
	}
	if c.byHash == nil || len(c.byHash) >= signInsHeld {
		c.byHash = map[string]signIn{}
	}
	c.byHash[hash] = e
}

// changed lets every entry go; called after a transaction that changed
// users, sessions or tokens (Store.ended).
func (c *signIns) changed() {
	c.changes.Add(1)
	c.mu.Lock()
	c.byHash = nil
	c.mu.Unlock()
}
