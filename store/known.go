package store

import "sync"

// keptAtVersion holds what PostgreSQL writes read of rows that a version
// row moves with (lock_version, user_version): the values read at one
// version, given again while it is the same. Writes read the version with
// the audit chain's lock, under which no other writer moves it, and use
// the values one at a time; the values given out are shared and only
// read. A nil cache keeps nothing.
type keptAtVersion[K comparable, V any] struct {
	mu      sync.Mutex
	version int64
	values  map[K]V
}

// maxKeptValues bounds what one cache keeps: a national tree's units in a
// dozen programmes.
const maxKeptValues = 1 << 16

// get is the value kept for k at version, if any.
func (c *keptAtVersion[K, V]) get(version int64, k K) (V, bool) {
	var v V
	if c == nil {
		return v, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return v, false
	}
	v, ok := c.values[k]
	return v, ok
}

// put keeps k's value as read at version, forgetting those of any other
// version.
func (c *keptAtVersion[K, V]) put(version int64, k K, v V) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || len(c.values) >= maxKeptValues {
		c.version, c.values = version, map[K]V{}
	}
	c.values[k] = v
}
