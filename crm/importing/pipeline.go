package importing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/rapport-crm/rapport/ent"
)

// errEarlierBatch rolls a batch back because the batch before it failed: a
// batch never commits without all the rows before it.
var errEarlierBatch = errors.New("import: an earlier batch did not commit")

// flight is one batch on its way through its own transaction.
//
// On PostgreSQL two batches are in flight at a time, on two connections, so
// that the database works on both cores: while batch N writes, batch N+1 is
// planned and written too. What keeps this equivalent to one batch after
// the other:
//   - N+1 is planned after N is planned, against the committed data; if a
//     row of N+1 has a match key (id, e-mail, handle) of a row of N, or
//     leads to a contact that N changes, N+1 waits until N has committed
//     and plans again — so it sees N's contacts as a sequential run would;
//   - N+1 changes existing contacts, and creates outlets, topics and tags,
//     only after N has committed (no lost update, no duplicate name);
//   - N+1 saves its progress only after N committed, and only if the job's
//     counter is exactly at N+1's first row: the counter always names the
//     committed prefix of the file, and a batch whose predecessor failed
//     rolls back. Resume and revert see what a sequential run leaves.
type flight struct {
	recs       int
	before     int // rows of the file before this batch
	b          *batch
	counts     Counts
	keys       map[string]bool // the match keys of the batch's rows
	ids        map[int]bool    // the existing contacts the batch leads to
	planned    chan struct{}   // closed when b, keys and ids are set, or on failure
	done       chan struct{}   // closed when the transaction has ended; err is set
	remembered chan struct{}   // closed by the run loop once it has recorded the batch (or its failure)
	err        error
}

// batches runs the rest of the file in transactional batches, two in
// flight on PostgreSQL, one after the other on SQLite.
func (r *Runner) batches(ctx context.Context, e *engine, src Source, total int) error {
	var prev *flight
	queued := e.counts.Processed
	finish := func(f *flight) error {
		<-f.done
		defer close(f.remembered)
		if f.err != nil {
			return f.err
		}
		e.mu.Lock()
		e.remember(f.b)
		e.counts.add2(f.counts, f.recs)
		e.mu.Unlock()
		if r.Progress != nil {
			r.Progress(e.counts.Processed, total)
		}
		return nil
	}
	for done := false; !done; {
		recs, err := readBatch(src, r.batchSize())
		if errors.Is(err, io.EOF) {
			done = true
		} else if err != nil {
			if prev != nil {
				if ferr := finish(prev); ferr != nil {
					return ferr
				}
			}
			return err
		}
		if len(recs) == 0 {
			break
		}
		cur := e.launch(ctx, r.Client, recs, prev, queued)
		queued += len(recs)
		if prev != nil {
			if err := finish(prev); err != nil {
				<-cur.done
				close(cur.remembered)
				return err
			}
		}
		prev = cur
		if !e.pg {
			prev = nil
			if err := finish(cur); err != nil {
				return err
			}
		}
	}
	if prev != nil {
		return finish(prev)
	}
	return nil
}

// launch starts a batch in its own transaction after prev (may be nil).
func (e *engine) launch(ctx context.Context, client *ent.Client, recs []Record, prev *flight, before int) *flight {
	f := &flight{recs: len(recs), before: before, planned: make(chan struct{}), done: make(chan struct{}), remembered: make(chan struct{})}
	var once sync.Once
	markPlanned := func() { once.Do(func() { close(f.planned) }) }
	waitPrev := func() error {
		if prev == nil {
			return nil
		}
		<-prev.done
		if prev.err != nil {
			return errEarlierBatch
		}
		return nil
	}
	go func() {
		defer close(f.done)
		defer markPlanned()
		f.err = withTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			if prev != nil {
				<-prev.planned // plans run one at a time, in file order
				if prev.b == nil {
					return errEarlierBatch // its plan failed
				}
			}
			b, err := e.planShared(ctx, tx.Client(), recs)
			if err != nil {
				return err
			}
			if prev != nil && b.overlaps(prev) {
				<-prev.remembered
				if prev.err != nil {
					return errEarlierBatch
				}
				if b, err = e.planShared(ctx, tx.Client(), recs); err != nil {
					return err
				}
			}
			f.b, f.keys, f.ids = b, b.keySet(), b.existingIDs()
			markPlanned()
			if b.changesExisting() {
				if err := waitPrev(); err != nil {
					return err
				}
			}
			if err := e.writeContacts(ctx, tx, b, waitPrev); err != nil {
				return err
			}
			if err := e.saveOutcomes(ctx, tx, b); err != nil {
				return err
			}
			f.counts = b.counts()
			if err := waitPrev(); err != nil {
				return err
			}
			return e.saveProgress(ctx, tx, f.counts, len(recs), before)
		})
	}()
	return f
}

// planShared plans a batch while no committed batch is being recorded.
func (e *engine) planShared(ctx context.Context, client *ent.Client, recs []Record) (*batch, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	b, err := e.plan(ctx, client, recs)
	if err != nil {
		return nil, fmt.Errorf("import: plan batch: %w", err)
	}
	return b, nil
}

// keySet is the match keys of the batch's rows.
func (b *batch) keySet() map[string]bool { return b.rowKeys }

// existingIDs is the existing contacts the batch's rows lead to.
func (b *batch) existingIDs() map[int]bool {
	out := map[int]bool{}
	for _, t := range b.targets {
		if t.id != 0 {
			out[t.id] = true
		}
	}
	return out
}

// changesExisting reports whether the batch saves over existing contacts.
func (b *batch) changesExisting() bool {
	for _, t := range b.targets {
		if t.id != 0 && t.changed {
			return true
		}
	}
	return false
}

// overlaps reports whether the batch may depend on what prev writes: a row
// key of both, a contact both lead to, or a Rapport ID not found (prev may
// be creating it).
func (b *batch) overlaps(prev *flight) bool {
	if b.unknown {
		return true
	}
	for k := range b.rowKeys {
		if prev.keys[k] {
			return true
		}
	}
	for _, t := range b.targets {
		if t.id != 0 && prev.ids[t.id] {
			return true
		}
	}
	return false
}
