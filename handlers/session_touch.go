package handlers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/ent/session"
)

// maxTrackedTouches bounds sessionTouches' memory: past it, entries older
// than touchEvery are dropped, and all of them if that frees nothing.
const maxTrackedTouches = 10_000

// sessionTouches decides which request of this process writes a session's
// last-seen time: one per session per touchEvery. Without it every request
// of a burst that read the old time wrote the row, each a commit of its own
// queued on the row's lock (13–18 writes for 24 requests on PostgreSQL), a
// stall of the list page under load once a minute.
type sessionTouches struct {
	mu   sync.Mutex
	last map[int]time.Time // session id → the last-seen time written (or being written) here
}

// claim reports whether the caller is the one to write now as id's
// last-seen time; the others go on without waiting.
func (t *sessionTouches) claim(id int, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if last, ok := t.last[id]; ok && now.Sub(last) <= touchEvery {
		return false
	}
	if t.last == nil {
		t.last = map[int]time.Time{}
	}
	if len(t.last) >= maxTrackedTouches {
		for k, v := range t.last {
			if now.Sub(v) > touchEvery {
				delete(t.last, k)
			}
		}
		if len(t.last) >= maxTrackedTouches {
			clear(t.last)
		}
	}
	t.last[id] = now
	return true
}

// release forgets a claim whose write failed, so the next request tries.
func (t *sessionTouches) release(id int) {
	t.mu.Lock()
	delete(t.last, id)
	t.mu.Unlock()
}

// touch writes now as the session's last-seen time, once per touchEvery
// across this process's requests; the condition keeps several servers on
// one database from writing it again (and the time from going back).
func (s *Sessions) touch(ctx context.Context, id int, now time.Time) error {
	if !s.touches.claim(id, now) {
		return nil
	}
	err := s.client.Session.Update().
		Where(session.ID(id), session.LastSeenAtLT(now.Add(-touchEvery))).
		SetLastSeenAt(now).Exec(ctx)
	if err != nil {
		s.touches.release(id)
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}
