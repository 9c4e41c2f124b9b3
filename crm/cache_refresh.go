package crm

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// The team's totals behind every start page (the charts' totals and the
// dashboard's figures) take 50–150 ms to read at 100,000 contacts, and any
// write that moves them made the next start page read them while its user
// waited (issue 16). They are served stale-while-revalidate instead: once
// read, a write (or the TTL) makes the next page start one refresh in the
// background and show the figures it has, so a page lags at most one
// refresh behind (~0.1 s at 100,000 contacts). Only the first page after
// start-up, with nothing to show yet, reads them itself. The person's own
// lists (follow-ups due, their contacts past cadence) are read fresh on
// every page and are never stale. The coverage matrix (300–470 ms at
// 100,000 contacts, issue 18) is served so too (Lookups.Coverage).

// RefreshTimeout bounds one background refresh of the team's totals.
const RefreshTimeout = 30 * time.Second

// LogTo sets where a failed background refresh is logged (slog.Default
// without it); the page keeps showing the last figures.
func (l *Lookups) LogTo(log *slog.Logger) { l.log = log }

// Wait returns when the background refreshes running when it was called have
// ended: for tests, which then read the refreshed figures.
func (l *Lookups) Wait() {
	for _, mu := range []*sync.Mutex{&l.team.mu, &l.totals.mu, &l.cover.mu} { // team first: its refresh may wait for the totals
		mu.Lock()
		mu.Unlock() //nolint:staticcheck // only waiting for the holder
	}
}

// getStale is get for a value that may be served stale: with none yet it
// reads it (as get); else it returns what it has and, when that is stale,
// starts a background refresh unless one is running (refresh).
func (c *cell[T]) getStale(ctx context.Context, l *Lookups, sc scope[T], load func(context.Context) (T, error)) (T, error) {
	e := c.cur.Load()
	if e == nil {
		return c.get(ctx, l, sc, load)
	}
	if !c.fresh(e, l, sc) {
		if l.now().Sub(e.at) > MaxStale {
			// Too old to show: the first start page after a while away
			// (its user's own work since among it) waits for the figures.
			return c.get(ctx, l, sc, load)
		}
		c.refresh(ctx, l, sc, load)
	}
	return e.val, nil
}

// MaxStale is how old team figures served stale may be: an older value is
// read anew while the page waits, so a page shows figures at most this old
// (or one refresh behind a write), never an hour-old page after a break.
const MaxStale = 5 * time.Second

// refresh reads the value anew in a goroutine of its own, bounded by
// RefreshTimeout and detached from ctx (whose request ends first), unless a
// read holds c.mu already: one refresh at a time, however many pages ask.
// A write during the refresh leaves the value stale (its generation is
// taken before the read), so the next page starts another.
func (c *cell[T]) refresh(ctx context.Context, l *Lookups, sc scope[T], load func(context.Context) (T, error)) {
	if !c.mu.TryLock() {
		return
	}
	go func() {
		defer c.mu.Unlock() // a Mutex may be unlocked by another goroutine
		if c.fresh(c.cur.Load(), l, sc) {
			return
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RefreshTimeout)
		defer cancel()
		if _, err := c.load(ctx, l, sc, load); err != nil {
			log := l.log
			if log == nil {
				log = slog.Default()
			}
			log.ErrorContext(ctx, "refresh the team's cached figures", "err", err)
		}
	}()
}
