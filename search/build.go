package search

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// BuildStats says what Build did.
type BuildStats struct {
	Generation string
	Contacts   int
	Position   int // the change id the new index starts from
	Took       time.Duration
}

// buildBatch is how many contacts one round of Build reads and indexes.
const buildBatch = 1000

// Build writes a new generation of the index from the database, next to the
// live one, and then makes it current (by replacing the CURRENT pointer
// atomically). A serving process switches to it within a second, after it
// has caught up with the changes made meanwhile. Two builds cannot run at
// once (build.lock). progress, if not nil, is called after every batch.
func Build(ctx context.Context, store Store, q Querier, gapTimeout time.Duration, progress func(done int)) (BuildStats, error) {
	start := time.Now()
	lock, err := store.lock(buildLock)
	if err != nil {
		return BuildStats{}, fmt.Errorf("build search index: %w", err)
	}
	defer lock.Close()
	gen, err := store.newGeneration()
	if err != nil {
		return BuildStats{}, err
	}
	st, err := buildInto(ctx, store.Path(gen), gen, q, gapTimeout, progress)
	if err != nil {
		_ = os.RemoveAll(store.Path(gen))
		return st, err
	}
	if err := store.setCurrent(gen); err != nil {
		return st, err
	}
	st.Took = time.Since(start)
	return st, nil
}

// buildInto indexes every contact into a new index at path. It reads the
// change log position first: whatever changes while it reads is indexed
// again by the indexer that takes over from that position.
func buildInto(ctx context.Context, path, gen string, q Querier, gapTimeout time.Duration, progress func(int)) (BuildStats, error) {
	st := BuildStats{Generation: gen}
	pos, err := safePosition(ctx, q, time.Now(), gapTimeout)
	if err != nil {
		return st, err
	}
	st.Position = pos
	// bleve's offline builder writes segments without waiting for each
	// batch to be made durable; the index is opened normally afterwards.
	m, err := NewMapping()
	if err != nil {
		return st, fmt.Errorf("search mapping: %w", err)
	}
	tmp := path + ".build"
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return st, fmt.Errorf("build search index: %w", err)
	}
	defer os.RemoveAll(tmp)
	var bl bleve.Builder // made with the first batch: an empty builder cannot close
	defer func() {
		if bl != nil {
			bl.Close()
		}
	}()

	// Read the next batch from the database while bleve indexes this one.
	type batch struct {
		ids  []int
		docs map[int]*Document
		err  error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 2)
	go func() {
		defer close(batches)
		after := 0
		for {
			ids, err := contactIDsAfter(ctx, q, after, buildBatch)
			var docs map[int]*Document
			if err == nil && len(ids) > 0 {
				docs, err = LoadDocuments(ctx, q, ids)
			}
			if err != nil || len(ids) == 0 {
				if err != nil {
					batches <- batch{err: err}
				}
				return
			}
			select {
			case batches <- batch{ids: ids, docs: docs}:
			case <-ctx.Done():
				return
			}
			after = ids[len(ids)-1]
		}
	}()
	for b := range batches {
		if b.err != nil {
			return st, b.err
		}
		if bl == nil {
			if bl, err = bleve.NewBuilder(path, m, map[string]any{"buildPathPrefix": tmp, "batchSize": buildBatch}); err != nil {
				return st, fmt.Errorf("build search index: %w", err)
			}
		}
		for _, id := range b.ids { // a contact deleted meanwhile has no document
			if d, ok := b.docs[id]; ok {
				if err := bl.Index(strconv.Itoa(id), d.fields()); err != nil {
					return st, fmt.Errorf("index contact %d: %w", id, err)
				}
				st.Contacts++
			}
		}
		if progress != nil {
			progress(st.Contacts)
		}
	}
	var ix *Index
	if bl == nil { // no contacts
		ix, err = createIndex(path, gen, false)
	} else {
		err = bl.Close()
		bl = nil
		if err == nil {
			ix, err = openBleve(path, gen)
		}
	}
	if err != nil {
		return st, fmt.Errorf("build search index: %w", err)
	}
	if err := ix.b.SetInternal(keyVersion, []byte(MappingVersion)); err != nil {
		ix.Close()
		return st, fmt.Errorf("build search index: %w", err)
	}
	if err := ix.apply(ctx, nil, nil, pos, time.Now()); err != nil {
		ix.Close()
		return st, err
	}
	if err := ix.Close(); err != nil {
		return st, fmt.Errorf("close new search index: %w", err)
	}
	return st, syncDir(path)
}

// safePosition is the change id a freshly built index can start from: the
// newest change, unless a recent gap below it may still be an uncommitted
// transaction, in which case just below the first such gap. It looks at the
// newest 100,000 changes; a gap whose next change is older than twice
// gapTimeout (by the writers' clocks) is taken for a rolled-back transaction.
func safePosition(ctx context.Context, q Querier, now time.Time, gapTimeout time.Duration) (int, error) {
	const window = 100_000
	var maxID int
	err := scan(ctx, q, "SELECT COALESCE(MAX(id), 0) FROM changes", nil, func(rows *sql.Rows) error { return rows.Scan(&maxID) })
	if err != nil {
		return 0, fmt.Errorf("find search index position: %w", err)
	}
	prev := max(0, maxID-window)
	pos, found := maxID, false
	err = scan(ctx, q, "SELECT id, created_at FROM changes WHERE id > $1 ORDER BY id", []any{prev}, func(rows *sql.Rows) error {
		var id int
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		if id > prev+1 && !found && now.Sub(at) < 2*gapTimeout {
			pos, found = prev, true // ids prev+1 … id-1 may still commit
		}
		prev = id
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("find search index position: %w", err)
	}
	return pos, nil
}
