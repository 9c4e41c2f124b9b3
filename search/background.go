package search

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// ErrBuilding is what MatchIDs and Search answer while the index is being
// built in the background (Options.BuildInBackground): callers fall back
// (the lists match names and e-mail addresses in SQL) or say so.
var ErrBuilding = errors.New("search: the index is being built")

// buildMemoryLimit is the Go runtime's soft memory limit while a serving
// process builds its index, unless GOMEMLIMIT (or the process) set a lower
// one: the garbage of reading and analysing every contact is collected
// instead of piling up (issue 19: 1.67 GB at 100,000 contacts without it).
const buildMemoryLimit = 384 << 20

// buildRetry is how long a failed background build waits before it tries again.
var buildRetry = 30 * time.Second

// buildProgress is how far a background build is: contacts done of total.
type buildProgress struct{ done, total atomic.Int64 }

// Building reports whether the index is being built in the background and
// how far it is, in percent of the contacts (0–99; the switch to the new
// index ends it).
func (s *Service) Building() (percent int, ok bool) {
	p := s.building.Load()
	if p == nil {
		return 0, false
	}
	total := p.total.Load()
	if total <= 0 {
		return 0, true
	}
	return int(min(99, p.done.Load()*100/total)), true
}

// placeholder is the empty in-memory index served while the real one is
// built: searches find nothing in it, and the pages say why (Building).
func placeholder() (*Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	b, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	return &Index{b: b, Name: placeholderName}, nil
}

// placeholderName names the placeholder: never a generation's name.
const placeholderName = "building"

// buildInBackground builds a generation until one is made or ctx ends, with
// the soft memory limit lowered for the time; Run's check of CURRENT then
// switches to it (switchIfRebuilt), which ends Building.
func (s *Service) buildInBackground(ctx context.Context, p *buildProgress) {
	for {
		var total int
		err := scan(ctx, s.opt.Querier, "SELECT COUNT(*) FROM contacts", nil, func(r *sql.Rows) error { return r.Scan(&total) })
		if err == nil {
			p.total.Store(int64(total))
		}
		start := time.Now()
		restore := lowerMemoryLimit(buildMemoryLimit)
		l := s.loader()
		if s.opt.BuildDB != nil {
			l.DB = s.opt.BuildDB
		}
		st, err := Build(ctx, s.store, s.opt.Querier, l, s.opt.GapTimeout, func(done int) { p.done.Store(int64(done)) })
		restore()
		if err == nil {
			s.opt.Log.Info("search index built in the background", "generation", st.Generation, "contacts", st.Contacts,
				"took", time.Since(start).Round(time.Millisecond))
			s.Nudge()
			return
		}
		if ctx.Err() != nil {
			return
		}
		s.opt.Log.Error("build the search index in the background; retrying", "err", err, "retry_in", buildRetry)
		select {
		case <-ctx.Done():
			return
		case <-time.After(buildRetry):
		}
	}
}

// lowerMemoryLimit sets the runtime's soft memory limit to limit unless one
// at least as low is set (GOMEMLIMIT, or the server's own), and returns
// what puts the previous one back and gives freed memory back to the system.
func lowerMemoryLimit(limit int64) (restore func()) {
	old := debug.SetMemoryLimit(-1)
	if old != math.MaxInt64 && old <= limit {
		return func() { debug.FreeOSMemory() }
	}
	debug.SetMemoryLimit(limit)
	return func() {
		debug.SetMemoryLimit(old)
		debug.FreeOSMemory()
	}
}
