package handlers

import (
	"math"
	"sync"
	"time"
)

// DefaultAPIRate is how many requests one API token may make per minute.
const DefaultAPIRate = 1200

// rateLimiter counts each token's requests in fixed one-minute windows. One
// mutex decides every request, so parallel requests cannot pass the limit
// together. It is per server: behind a load balancer each server allows the
// limit.
type rateLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	counts map[int]*rateWindow
}

type rateWindow struct {
	start time.Time
	n     int
}

func newRateLimiter(limit int, now func() time.Time) *rateLimiter {
	if limit == 0 {
		limit = DefaultAPIRate
	}
	return &rateLimiter{limit: limit, window: time.Minute, now: now, counts: map[int]*rateWindow{}}
}

// allow counts one request of token id; when the window is full it returns
// false and how long until the next window opens.
func (r *rateLimiter) allow(id int) (bool, time.Duration) {
	if r.limit < 0 {
		return true, 0
	}
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.counts[id]
	if w == nil || now.Sub(w.start) >= r.window {
		if len(r.counts) > 100_000 {
			clear(r.counts)
		}
		w = &rateWindow{start: now}
		r.counts[id] = w
	}
	if w.n >= r.limit {
		wait := w.start.Add(r.window).Sub(now)
		return false, time.Duration(math.Ceil(wait.Seconds())) * time.Second
	}
	w.n++
	return true, 0
}
