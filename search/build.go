package search

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/graph"
)

// BuildStats says what Build did.
type BuildStats struct {
	Generation string
	Contacts   int
	Position   int // the change id the new index starts from
	Took       time.Duration
}

// buildBatch is how many contacts LoadAll hands on at once: a build writes
// each batch as a segment, merges them mergeMax at a time as they come, and
// then the results into one. The batches being analysed and written are
// the build's memory: at 100,000 contacts `rapport reindex` peaked at
// 513–557 MB resident with 1,000 per batch in 28–29 s, and at 726–802 MB
// with 2,000, in 30.5 s (2026-12-06).
//
// mergeMax sets the peak of a server that builds its index at start
// (issue 19: ≤ 512 MB at 100,000 contacts): merging every segment at once
// maps all of them, and their pages count as the process's resident
// memory. At 100,000 contacts (100 segments) one merge of all peaked at
// 502 MB resident (327 MB of it the mapped segment files), merges of ten
// at a time, then of the ten results, at 394 MB (246 MB mapped), writing
// the documents once more.
const (
	buildBatch = 1000
	mergeMax   = 10
)

// Build writes a new generation of the index from the database, next to the
// live one, and then makes it current (by replacing the CURRENT pointer
// atomically). A serving process switches to it within a second, after it
// has caught up with the changes made meanwhile. Two builds cannot run at
// once (build.lock). q reads the change log position (db.DB.Querier), l
// the contacts. progress, if not nil, is called after every batch.
func Build(ctx context.Context, store Store, q db.Querier, l graph.Loader, gapTimeout time.Duration, progress func(done int)) (BuildStats, error) {
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
	st, err := buildInto(ctx, store.Path(gen), gen, q, l, gapTimeout, progress)
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
func buildInto(ctx context.Context, path, gen string, q db.Querier, l graph.Loader, gapTimeout time.Duration, progress func(int)) (BuildStats, error) {
	st := BuildStats{Generation: gen}
	pos, err := safePosition(ctx, q, time.Now(), gapTimeout)
	if err != nil {
		return st, err
	}
	st.Position = pos
	m, err := NewMapping()
	if err != nil {
		return st, fmt.Errorf("search mapping: %w", err)
	}
	analyses := make([]*docAnalysis, runtime.GOMAXPROCS(0))
	for i := range analyses {
		if analyses[i], err = newDocAnalysis(m); err != nil {
			return st, fmt.Errorf("search mapping: %w", err)
		}
	}
	tmp := path + ".build"
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return st, fmt.Errorf("build search index: %w", err)
	}
	defer os.RemoveAll(tmp)

	// Two stages run at once: LoadAll streams the documents from the
	// database (one query per table), and one goroutine per core maps and
	// analyses a batch of them and writes it as a segment (segments).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	loaded := make(chan []*Document, 2)
	errs := make(chan error, 1)
	fail := func(err error) {
		select {
		case errs <- err:
		default:
		}
		cancel()
	}
	go func() {
		defer close(loaded)
		_, err := LoadAll(ctx, l, func(docs []*Document) error {
			select {
			case loaded <- docs:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if err != nil && ctx.Err() == nil {
			fail(err)
		}
	}()
	segs := newSegments(tmp, mergeMax)
	var mu sync.Mutex // st.Contacts and progress
	var wg sync.WaitGroup
	for _, a := range analyses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for docs := range loaded {
				if ctx.Err() != nil {
					return
				}
				out := make([]index.Document, 0, len(docs))
				for _, d := range docs {
					doc, err := a.document(d)
					if err != nil {
						fail(fmt.Errorf("index contact %d: %w", d.ID, err))
						return
					}
					out = append(out, doc)
				}
				if err := segs.write(ctx, out); err != nil {
					fail(fmt.Errorf("build search index: %w", err))
					return
				}
				mu.Lock()
				st.Contacts += len(docs)
				if progress != nil {
					progress(st.Contacts)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return st, err
	default:
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	seg, err := segs.finish(ctx)
	if err != nil {
		return st, fmt.Errorf("build search index: %w", err)
	}
	var ix *Index
	if seg == "" { // no contacts
		ix, err = createIndex(path, gen, false)
	} else if err = installSegment(path, tmp, seg, m); err == nil {
		ix, err = openBleve(path, gen)
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
func safePosition(ctx context.Context, q db.Querier, now time.Time, gapTimeout time.Duration) (int, error) {
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
