package search

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/graph"
)

// cursor is the indexer's reading position in the change log (the outbox
// table "changes", written in the transaction of every write that alters a
// contact's document).
//
// Change ids come from a sequence, and on PostgreSQL transactions commit in
// any order: a transaction may hold id 5 while id 6 commits and becomes
// visible first. Moving the stored position to 6 would lose 5 for good. So
// the cursor keeps two marks: pos, below which every change is in the index
// (the one that is stored), and hi, the highest id read. The ids between
// that were not seen yet are missing: they are looked for on every pass,
// and given up after gapTimeout — a rolled-back transaction leaves a gap
// forever. Rebuilding a contact twice is harmless, so rows above a gap are
// indexed at once and simply read again after a restart.
type cursor struct {
	pos, hi    int
	missing    map[int]time.Time // id → when the gap was first seen
	gapTimeout time.Duration
}

// maxTracked bounds the missing ids tracked; a larger jump of the sequence
// (say, a bulk insert rolled back) is given up at once.
const maxTracked = 100_000

func newCursor(pos int, gapTimeout time.Duration) *cursor {
	return &cursor{pos: pos, hi: pos, missing: map[int]time.Time{}, gapTimeout: gapTimeout}
}

// seen records the ids read in one pass (new ones above hi, or missing ones
// that showed up) and returns the new position.
func (c *cursor) seen(ids []int, now time.Time) int {
	slices.Sort(ids)
	for _, id := range ids {
		switch {
		case id > c.hi:
			if id-c.hi-1 <= maxTracked {
				for g := c.hi + 1; g < id; g++ {
					c.missing[g] = now
				}
			}
			c.hi = id
		default:
			delete(c.missing, id)
		}
	}
	for id, since := range c.missing {
		if now.Sub(since) >= c.gapTimeout {
			delete(c.missing, id)
		}
	}
	c.pos = c.hi
	for id := range c.missing {
		c.pos = min(c.pos, id-1)
	}
	return c.pos
}

func (c *cursor) clone() *cursor {
	d := *c
	d.missing = maps.Clone(c.missing)
	return &d
}

// missingIDs are the gap ids to look for, in order.
func (c *cursor) missingIDs() []int {
	ids := slices.Collect(maps.Keys(c.missing))
	slices.Sort(ids)
	return ids
}

// change is one row of the change log.
type change struct{ id, contact int }

// readChanges returns up to limit changes with an id above after, and the
// missing ones among ids.
func readChanges(ctx context.Context, q db.Querier, after, limit int, missing []int) ([]change, error) {
	var out []change
	each := func(rows *sql.Rows) error {
		var c change
		if err := rows.Scan(&c.id, &c.contact); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}
	err := scan(ctx, q, "SELECT id, contact_id FROM changes WHERE id > $1 ORDER BY id LIMIT $2", []any{after, limit}, each)
	if err != nil {
		return nil, fmt.Errorf("read search changes: %w", err)
	}
	for chunk := range slices.Chunk(missing, 1000) {
		list, args := placeholders(chunk)
		if err := scan(ctx, q, "SELECT id, contact_id FROM changes WHERE id IN ("+list+")", args, each); err != nil {
			return nil, fmt.Errorf("read search changes: %w", err)
		}
	}
	return out, nil
}

// syncBatch is how many change rows one pass reads at most.
const syncBatch = 20_000

// Sync runs one pass: it reads the changes after the cursor (and the
// missing ones) with q, rebuilds the documents of their contacts from the
// database with l, and writes them with the new position in the same batch. It
// reports whether it read a full batch (so more may be waiting).
func (ix *Index) sync(ctx context.Context, q db.Querier, l graph.Loader, c *cursor, now func() time.Time) (more bool, applied []int, err error) {
	changes, err := readChanges(ctx, q, c.hi, syncBatch, c.missingIDs())
	if err != nil {
		return false, nil, err
	}
	ids := make([]int, 0, len(changes))
	contacts := map[int]bool{}
	for _, ch := range changes {
		ids = append(ids, ch.id)
		contacts[ch.contact] = true
	}
	saved := c.clone()
	defer func() {
		if err != nil { // read these changes again on the next pass
			*c = *saved
		}
	}()
	before := c.pos
	pos := c.seen(ids, now())
	if len(contacts) == 0 {
		if pos != before {
			return false, nil, ix.apply(ctx, nil, nil, pos, now())
		}
		return false, nil, nil
	}
	cids := slices.Sorted(maps.Keys(contacts))
	for chunk := range slices.Chunk(cids, 5000) {
		docs, err := LoadDocuments(ctx, l, chunk)
		if err != nil {
			return false, nil, err
		}
		last := -1
		if &chunk[len(chunk)-1] == &cids[len(cids)-1] {
			last = pos
		}
		if err := ix.apply(ctx, chunk, docs, last, now()); err != nil {
			return false, nil, err
		}
	}
	return len(changes) >= syncBatch, cids, nil
}
