package crm

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// A busy team writes all the time (issue 20: a quarter of the requests):
// when every write emptied the whole cache, every list page read its filter
// choices, stages and rows anew. Writers that know what they wrote declare
// it instead, and only what it can change goes stale.

// written is what a declared write did.
type written struct {
	ids []int // the contacts written
	// lists: it may have moved contacts in or out of a list, or changed
	// their order or a total (a new contact, a changed name, region, stage,
	// owner, channel ...): every page is stale.
	lists bool
	// labels: it may have added a region, topic or tag (filter choices).
	labels bool
	// activity: it changed the last interaction, health or touch-due date
	// of ids: pages sorted or filtered by those are stale too.
	activity bool
}

// declaring marks a context whose mutations the hook leaves alone: the
// writer declares them itself.
type declaringKey struct{}

func withDeclaring(ctx context.Context) context.Context {
	return context.WithValue(ctx, declaringKey{}, true)
}

func isDeclaring(ctx context.Context) bool { return ctx.Value(declaringKey{}) != nil }

// LookupsOf is the cache watching client, nil without one.
func LookupsOf(client *ent.Client) *Lookups {
	if v, ok := lookupsOf.Load(client); ok {
		return v.(*Lookups)
	}
	return nil
}

// declare makes stale what w can change, at once and again after tx
// commits (a value read in between saw the old rows). l may be nil.
func (l *Lookups) declare(tx *ent.Tx, w written) {
	if l == nil {
		return
	}
	l.apply(w)
	tx.OnCommit(func(c ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := c.Commit(ctx, tx)
			l.apply(w)
			return err
		})
	})
}

func (l *Lookups) apply(w written) {
	if w.labels {
		l.labels.Add(1)
	}
	if w.lists {
		l.lists.Add(1)
	}
	l.own.note(w.ids, l.now())
	l.rows.add(rowWrite{ids: w.ids, activity: w.activity})
}

// IndexChanged is told the contacts whose changes the search index applied
// (the change feed: this process's writes, other processes' and raw SQL's).
// Text matches are stale; and unless this process declared every one of
// those contacts lately, so is everything else. A contact that this process
// and another both wrote within ownFor may show the other's write only
// after the TTL.
func (l *Lookups) IndexChanged(ids []int) {
	l.index.Add(1)
	if !l.own.all(ids, l.now()) {
		l.Invalidate()
	}
}

// pageDeps says what a list page depends on besides its rows.
type pageDeps uint8

const (
	depRows     pageDeps = iota // its rows' contacts only
	depActivity                 // also the activity of any contact (sorted or filtered by it)
	depAll                      // any write (free text matched in SQL)
)

// hitBy reports whether the row write w can change p.
func (p *ContactPage) hitBy(w rowWrite) bool {
	if p.deps == depAll || (w.activity && p.deps == depActivity) {
		return true
	}
	for i := range p.Rows {
		if slices.Contains(w.ids, p.Rows[i].ID) {
			return true
		}
	}
	return false
}

// depsOf is what a page of sel depends on besides its rows (a campaign's
// targets are never cached: List).
func depsOf(sel Selection, sqlText bool) pageDeps {
	f := sel.Filter
	switch {
	case sel.Query != "" && sqlText:
		return depAll
	case sel.Sort != SortName, f.MinHealth != nil, f.MaxHealth != nil, f.Stale != nil:
		return depActivity
	}
	return depRows
}

// rowLog remembers the last rowLogMax row writes; a value read before the
// oldest of them is stale.
const rowLogMax = 4096

// rowWrite is one declared write as cached pages see it.
type rowWrite struct {
	ids      []int
	activity bool
}

type rowLog struct {
	mu   sync.Mutex
	seq  atomic.Uint64 // writes logged so far
	ring [rowLogMax]rowWrite
}

func (r *rowLog) add(w rowWrite) {
	r.mu.Lock()
	n := r.seq.Load()
	r.ring[n%rowLogMax] = w
	r.seq.Store(n + 1)
	r.mu.Unlock()
}

// since reports whether a write logged after the first n hits, and up to
// which write it looked.
func (r *rowLog) since(n uint64, hit func(rowWrite) bool) (bool, uint64) {
	if r.seq.Load() == n {
		return false, n
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	end := r.seq.Load()
	if end-n > rowLogMax {
		return true, end
	}
	for i := n; i < end; i++ {
		if hit(r.ring[i%rowLogMax]) {
			return true, end
		}
	}
	return false, end
}

// ownFor is how long a declared contact counts as this process's own write
// when the index's change feed reports it (the feed lags by a pass or two).
const ownFor = 30 * time.Second

// ownWrites are the contacts this process declared lately, with when.
type ownWrites struct {
	mu    sync.Mutex
	at    map[int]time.Time
	swept time.Time
}

func (o *ownWrites) note(ids []int, now time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.at == nil {
		o.at = map[int]time.Time{}
	}
	for _, id := range ids {
		o.at[id] = now
	}
	if now.Sub(o.swept) > ownFor {
		for id, t := range o.at {
			if now.Sub(t) > ownFor {
				delete(o.at, id)
			}
		}
		o.swept = now
	}
}

// all reports whether every one of ids was declared within ownFor.
func (o *ownWrites) all(ids []int, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		if t, ok := o.at[id]; !ok || now.Sub(t) > ownFor {
			return false
		}
	}
	return true
}
