package handlers

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/db"
)

const (
	// principalTTL bounds how long this process uses a session's sign-in
	// without asking the database. Revocations arrive sooner: from this
	// process's writes at once, from other servers on PostgreSQL by NOTIFY;
	// the TTL only bounds a notice that was lost.
	principalTTL = 2 * time.Second
	// maxCachedPrincipals bounds the cache: past it, expired entries go,
	// and a tenth of the others if that frees nothing.
	maxCachedPrincipals = 10_000
)

// cachedPrincipal is a session's sign-in as the database last answered.
type cachedPrincipal struct {
	p        Principal
	lastSeen time.Time
	until    time.Time // the earliest of: loaded + principalTTL, the session's end, its idle timeout
}

// principalLoad is one look-up in flight, shared by the requests that ask
// for the same session meanwhile.
type principalLoad struct {
	done  chan struct{}
	epoch uint64
	e     cachedPrincipal
	found bool
	err   error
}

// principalCache keeps the sign-ins of recent sessions by token hash (never
// logged), so that a page served from cache asks the database nothing. Every
// revocation drops the entries it names and starts a new epoch: a look-up
// that began before it does not store its answer, which may predate the
// revoking commit, nor do later requests wait for it.
type principalCache struct {
	mu      sync.Mutex
	epoch   uint64
	entries map[string]cachedPrincipal
	loads   map[string]*principalLoad
}

// lookup answers the sign-in of the session whose token hashes to key,
// from the cache or else from load, which runs once for all the requests
// that ask for the same session at the same time.
func (c *principalCache) lookup(ctx context.Context, key string, now time.Time, load func() (cachedPrincipal, bool, error)) (cachedPrincipal, bool, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && now.Before(e.until) {
		c.mu.Unlock()
		return e, true, nil
	}
	if l, ok := c.loads[key]; ok && l.epoch == c.epoch {
		c.mu.Unlock()
		select {
		case <-l.done:
		case <-ctx.Done():
			return cachedPrincipal{}, false, ctx.Err()
		}
		if l.err == nil && (!l.found || now.Before(l.e.until)) {
			return l.e, l.found, nil
		}
		return load() // the first request failed (it may have been cancelled): ask alone
	}
	l := &principalLoad{done: make(chan struct{}), epoch: c.epoch}
	if c.loads == nil {
		c.loads, c.entries = map[string]*principalLoad{}, map[string]cachedPrincipal{}
	}
	c.loads[key] = l
	c.mu.Unlock()

	l.e, l.found, l.err = load()
	c.mu.Lock()
	if c.loads[key] == l {
		delete(c.loads, key)
	}
	if l.err == nil && l.found && l.epoch == c.epoch && now.Before(l.e.until) {
		c.put(key, l.e, now)
	}
	c.mu.Unlock()
	close(l.done)
	return l.e, l.found, l.err
}

// put stores e under key; c.mu is held.
func (c *principalCache) put(key string, e cachedPrincipal, now time.Time) {
	if len(c.entries) >= maxCachedPrincipals {
		for k, v := range c.entries {
			if !now.Before(v.until) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries { // map order: an arbitrary tenth
			if len(c.entries) < maxCachedPrincipals*9/10 {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[key] = e
}

// revoke drops the entries r names (all of them for r.All) and starts a
// new epoch. db.SessionFeed calls it after the commit of every write that
// ends a session or changes its user, and for other servers' notices.
func (c *principalCache) revoke(r db.Revoked) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if r.All {
		clear(c.entries)
		return
	}
	for k, e := range c.entries {
		if slices.Contains(r.Users, e.p.UserID) || slices.Contains(r.Sessions, e.p.SessionID) {
			delete(c.entries, k)
		}
	}
}

// earliest is the first of the times ts.
func earliest(ts ...time.Time) time.Time {
	first := ts[0]
	for _, t := range ts[1:] {
		if t.Before(first) {
			first = t
		}
	}
	return first
}
