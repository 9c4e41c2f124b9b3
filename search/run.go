package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/db"
)

// Run keeps the index current until ctx ends: it syncs when PostgreSQL
// announces changes (LISTEN on db.ChangeChannel), on every poll (which covers
// lost notifications and SQLite), and on Nudge; it switches to a new
// generation when a build made one current; it prunes old change records.
// Errors of a pass are logged and the pass is retried; Run returns nil when
// ctx ends or the service was closed.
func (s *Service) Run(ctx context.Context) error {
	if s.opt.ListenURL != "" {
		go s.listen(ctx)
	}
	if p := s.building.Load(); p != nil {
		go s.buildInBackground(ctx, p)
	}
	poll := time.NewTicker(s.opt.Poll)
	defer poll.Stop()
	gens := time.NewTicker(time.Second)
	defer gens.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	heartbeat := time.NewTicker(10 * time.Minute)
	defer heartbeat.Stop()
	failing := false
	var last time.Time     // when the last pass started
	var took time.Duration // how long it ran
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-poll.C:
		case <-gens.C:
			if err := s.switchIfRebuilt(ctx); err != nil && ctx.Err() == nil {
				s.opt.Log.Error("switch to the new search index", "err", err)
			}
			continue
		case <-prune.C:
			s.prune(ctx)
			continue
		case <-heartbeat.C:
			if !failing && s.building.Load() == nil { // a failing indexer has not read the changes: its index must not look current
				s.heartbeat(ctx)
			}
			continue
		}
		// Passes are spaced by passGap: under a stream of writes a pass
		// takes all the changes since the last one in one batch (one
		// segment, one fsync) instead of one pass per notified write.
		if wait := passGap(took) - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(wait):
			}
		}
		last = time.Now()
		err := s.Sync(ctx)
		took = time.Since(last)
		switch {
		case errors.Is(err, ErrClosed):
			return nil
		case err != nil && ctx.Err() == nil && !failing:
			s.opt.Log.Error("search index sync failed; retrying", "err", err)
			failing = true
		case err == nil && failing:
			s.opt.Log.Info("search index sync works again")
			failing = false
		}
	}
}

// passGap is the shortest time from the start of one pass of Run to the
// start of the next, after a pass that took took: five times the pass, so
// the indexer writes at most a fifth of the time and a busy stream of
// writes is taken in ever larger batches, between minPass (a change after a
// quick pass is searchable within tens of milliseconds) and maxPass (the
// most the index lags a busy database by, beyond the pass itself). A fixed
// 200 ms made every change of a steady stream wait ~200 ms
// (BenchmarkChangeToSearchable p50 196–241 ms at 100,000 contacts).
func passGap(took time.Duration) time.Duration {
	return min(maxPass, max(minPass, 5*took))
}

const (
	minPass = 20 * time.Millisecond
	maxPass = 200 * time.Millisecond
)

// listen wakes Run on every notification of db.ChangeChannel, and when the
// connection comes back after a loss (notifications may have been missed).
func (s *Service) listen(ctx context.Context) {
	if err := db.Listen(ctx, s.opt.ListenURL, db.ChangeChannel, s.opt.Log, func(string, bool) { s.Nudge() }); err != nil {
		s.opt.Log.Warn("search change listener: LISTEN failed; polling only", "err", err)
	}
}

// switchIfRebuilt switches to the generation CURRENT names, if that is not
// the one served: it opens it, brings it up to date from its own position,
// and only then swaps it in, so searches never see an index that is behind.
func (s *Service) switchIfRebuilt(ctx context.Context) error {
	name, err := s.store.Current()
	if err != nil || name == "" || name == s.Generation() || name == s.rejected {
		return err
	}
	next, err := openIndex(s.store.Path(name), name)
	if err != nil {
		return err
	}
	pos, err := next.Position()
	if err != nil {
		next.Close()
		return err
	}
	cur := newCursor(pos, s.opt.GapTimeout)
	for {
		more, _, err := next.sync(ctx, s.opt.Querier, s.loader(), cur, time.Now)
		if err != nil {
			next.Close()
			return err
		}
		if !more {
			break
		}
	}
	changed, err := s.changedSinceBuild(ctx, max(cur.pos, cur.hi))
	if err != nil {
		next.Close()
		return err
	}
	s.passMu.Lock()
	// Changes that arrived during the catch-up are read by the next pass.
	s.mu.Lock()
	old := s.ix
	s.ix, s.cur = next, cur
	s.building.Store(nil) // a background build is done: searches use the new index
	s.mu.Unlock()
	// No sync pass reported the changes written while the index was built
	// (Sync waits for the build; the build and the catch-up applied them):
	// the listeners (the list cache) hear of them now.
	if len(changed) > 0 {
		for _, f := range s.onChange {
			f(changed)
		}
	}
	s.passMu.Unlock()
	s.opt.Log.Info("switched to the rebuilt search index", "generation", name, "previous", old.Name)
	err = old.Close()
	s.cleanup(name)
	s.Nudge()
	return err
}

// changedSinceBuild lists the contacts changed after the background build
// was decided, up to the change pos: none when no build ran.
func (s *Service) changedSinceBuild(ctx context.Context, pos int) ([]int, error) {
	if s.building.Load() == nil {
		return nil, nil
	}
	var ids []int
	err := scan(ctx, s.opt.Querier, "SELECT DISTINCT contact_id FROM changes WHERE id > $1 AND id <= $2", []any{s.buildFrom, pos}, func(r *sql.Rows) error {
		var id int
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search: contacts changed during the build: %w", err)
	}
	return ids, nil
}

// prune deletes change records older than the retention that this index has read.
func (s *Service) prune(ctx context.Context) {
	if s.opt.Retention <= 0 {
		return
	}
	res, err := s.opt.Querier.ExecContext(ctx, "DELETE FROM changes WHERE created_at < $1 AND id <= $2",
		time.Now().Add(-s.opt.Retention).UTC(), s.Position())
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.opt.Log.Warn("prune search changes", "err", err)
		}
		return
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.opt.Log.Info("pruned search changes", "rows", n)
	}
}

// heartbeat records that the index is in sync even when nothing changes,
// so that Open can tell a current index from one that slept through the
// retention of the change log.
func (s *Service) heartbeat(ctx context.Context) {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	err := s.withIndex(func(ix *Index) error { return ix.apply(ctx, nil, nil, s.cur.pos, time.Now()) })
	if err != nil && ctx.Err() == nil {
		s.opt.Log.Warn("search index heartbeat", "err", err)
	}
}
