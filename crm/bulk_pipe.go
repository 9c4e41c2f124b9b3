package crm

import (
	"context"
	"errors"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent"
)

// errEarlierChunk rolls a chunk back because the chunk before it did not
// commit: an action's counters always name the committed prefix.
var errEarlierChunk = errors.New("bulk: an earlier chunk did not commit")

// chunkWork does one chunk of a run or undo in tx. It calls prev.wait
// before it writes the action's counters.
type chunkWork func(ctx context.Context, tx *ent.Tx, prev *chunkFlight) error

// chunkFlight is one chunk on its way through its own transaction.
type chunkFlight struct {
	done chan struct{} // closed when the transaction has ended; err is set
	err  error
}

// wait returns once the chunk f has committed, errEarlierChunk when it did
// not; at once for none (nil).
func (f *chunkFlight) wait() error {
	if f == nil {
		return nil
	}
	<-f.done
	if f.err != nil {
		return errEarlierChunk
	}
	return nil
}

// names is what the writer runs before it creates a tag or topic
// (WriteOptions.BeforeNewNames): f.wait, nil for no chunk in flight.
func (f *chunkFlight) names() func() error {
	if f == nil {
		return nil
	}
	return f.wait
}

// chunkPipe runs the chunks of a run or undo, one transaction each. On
// PostgreSQL two are in flight, on two connections, as the importer's
// batches: while the database writes chunk k, chunk k+1 is loaded,
// planned and written as well. What keeps this equal to one chunk after
// the other:
//   - the chunks change disjoint contacts (an action's targets are
//     distinct, and so are its undo items);
//   - chunk k+1 creates a tag or topic only after k committed
//     (WriteOptions.BeforeNewNames), which may be creating it;
//   - chunk k+1 writes the counters only after k committed, and rolls back
//     when k did not: the counters name the committed prefix, so a resumed
//     run or an undo sees what a sequential run leaves.
//
// On SQLite (one writer) each chunk runs at once, one after the other.
type chunkPipe struct {
	ctx    context.Context
	client *ent.Client
	two    bool
	prev   *chunkFlight
}

// add starts work after the chunks added before and returns the error of
// the first chunk that failed so far (then nothing more is in flight).
func (p *chunkPipe) add(work chunkWork) error {
	prev := p.prev
	cur := &chunkFlight{done: make(chan struct{})}
	run := func() {
		defer close(cur.done)
		cur.err = inChunks(p.ctx, p.client, func(ctx context.Context, tx *ent.Tx) error {
			return work(ctx, tx, prev)
		})
	}
	p.prev = cur
	if !p.two {
		run()
		return p.wait()
	}
	go run()
	if prev == nil {
		return nil
	}
	<-prev.done
	if prev.err != nil {
		<-cur.done // rolls back: its predecessor failed
		p.prev = nil
		return prev.err
	}
	return nil
}

// wait waits for the last chunk and returns its error.
func (p *chunkPipe) wait() error {
	f := p.prev
	if f == nil {
		return nil
	}
	p.prev = nil
	<-f.done
	return f.err
}

// pipe returns the chunk pipeline of one run or undo.
func (b *BulkActions) pipe(ctx context.Context) *chunkPipe {
	return &chunkPipe{ctx: ctx, client: b.client, two: b.writer.Dialect() == dialect.Postgres}
}
