package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sync/errgroup"
)

// Keys of the values the index keeps about itself (bleve's internal storage),
// written in the same batch as the documents they describe.
var (
	keyVersion  = []byte("rapport.mapping_version")
	keyPosition = []byte("rapport.position")  // every change with an id ≤ this is in the index
	keySyncedAt = []byte("rapport.synced_at") // when the indexer last read the change log (RFC 3339)
)

// openTimeout bounds the wait for bleve's file lock, so that a second process
// fails at once instead of hanging.
const openTimeout = "1s"

// Index is one open generation of the search index.
type Index struct {
	b     bleve.Index
	Name  string // generation
	path  string
	cols  columnCache // the contact ids and facet values of each segment, for sorting and counting
	words wordCache   // what the analyzers make of the words of stored values, for snippets

	mapOnce sync.Once // the mapper of b's mapping, made when first needed: an index
	mp      *mapper   // of an old mapping version (ErrOldIndex) is opened only to be
	mpErr   error     // moved aside, and its mapping may be one the mapper refuses
}

// mapper maps documents as the index's own mapping does.
func (ix *Index) mapper() (*mapper, error) {
	ix.mapOnce.Do(func() { ix.mp, ix.mpErr = newMapper(ix.b.Mapping()) })
	return ix.mp, ix.mpErr
}

// ErrOldIndex says the index on disk was built with another mapping version.
var ErrOldIndex = errors.New("search index has an old mapping version")

// createIndex makes a new, empty index at path with the current mapping.
// bulk trades durability of each batch for speed while building.
func createIndex(path, name string, bulk bool) (*Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	b, err := bleve.NewUsing(path, m, scorch.Name, bleve.Config.DefaultKVStore,
		map[string]any{"bolt_timeout": openTimeout, "unsafe_batch": bulk})
	if err != nil {
		return nil, fmt.Errorf("create search index %s: %w", path, err)
	}
	ix := &Index{b: b, Name: name, path: path}
	if err := b.SetInternal(keyVersion, []byte(MappingVersion)); err != nil {
		b.Close()
		return nil, fmt.Errorf("create search index %s: %w", path, err)
	}
	return ix, nil
}

// openIndex opens the index at path for serving: every batch is durable
// before it returns, and the columns of its segments are built. It returns ErrLocked when another process has it open,
// and ErrOldIndex when it was built with another mapping version.
func openIndex(path, name string) (*Index, error) {
	ix, err := openBleve(path, name)
	if err != nil {
		return nil, err
	}
	v, err := ix.b.GetInternal(keyVersion)
	if err == nil && string(v) != MappingVersion {
		err = fmt.Errorf("%w (%q, want %q)", ErrOldIndex, v, MappingVersion)
	}
	if err == nil {
		_, err = ix.Position()
	}
	if err == nil {
		err = ix.warmColumns()
	}
	if err != nil {
		ix.Close()
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	return ix, nil
}

// openBleve opens the bleve index at path, failing within openTimeout when
// another process holds it.
func openBleve(path, name string) (*Index, error) {
	b, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": openTimeout, "unsafe_batch": false})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s is open in another process", ErrLocked, path)
		}
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	return &Index{b: b, Name: name, path: path}, nil
}

// Close closes the index.
func (ix *Index) Close() error { return ix.b.Close() }

// Bleve is the underlying bleve index, for tests and tools.
func (ix *Index) Bleve() bleve.Index { return ix.b }

// Position is the id of the last change the index holds (0 when none).
func (ix *Index) Position() (int, error) {
	v, err := ix.b.GetInternal(keyPosition)
	if err != nil {
		return 0, fmt.Errorf("read search index position: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, fmt.Errorf("search index position %q: %w", v, err)
	}
	return n, nil
}

// SyncedAt is when the indexer last read the change log into this index.
func (ix *Index) SyncedAt() time.Time {
	v, _ := ix.b.GetInternal(keySyncedAt)
	t, _ := time.Parse(time.RFC3339, string(v))
	return t
}

// Count is the number of documents.
func (ix *Index) Count() (uint64, error) { return ix.b.DocCount() }

// applyBatch is how many documents one bleve batch (one new segment)
// holds. scorch builds a batch's segment in the goroutine that hands it the
// batch, so apply hands several at once: at 100,000 imported contacts,
// building segments was three quarters of the index's catch-up.
const applyBatch = 2500

// apply writes the documents of ids (deleting those without one) in
// batches of applyBatch, as many at once as there are cores; the last batch
// also records position, and goes in only after all the others, so the
// position moves only when all documents before it are in. A position < 0
// is not recorded.
func (ix *Index) apply(ctx context.Context, ids []int, docs map[int]*Document, position int, now time.Time) error {
	if len(ids) == 0 {
		return ix.write(ctx, nil, docs, position, now)
	}
	chunks := slices.Collect(slices.Chunk(ids, applyBatch))
	last := chunks[len(chunks)-1]
	if position < 0 {
		last = nil
	} else {
		chunks = chunks[:len(chunks)-1]
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, c := range chunks {
		g.Go(func() error { return ix.write(gctx, c, docs, -1, now) })
	}
	if err := g.Wait(); err != nil || last == nil {
		return err
	}
	return ix.write(ctx, last, docs, position, now)
}

// write writes the documents of ids in one batch, with position when >= 0.
func (ix *Index) write(ctx context.Context, ids []int, docs map[int]*Document, position int, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := ix.b.NewBatch()
	for _, id := range ids {
		d, ok := docs[id]
		if !ok {
			b.Delete(strconv.Itoa(id))
			continue
		}
		mp, err := ix.mapper()
		if err != nil {
			return fmt.Errorf("search mapping: %w", err)
		}
		doc, err := mp.document(d)
		if err == nil {
			err = b.IndexAdvanced(doc)
		}
		if err != nil {
			return fmt.Errorf("index contact %d: %w", id, err)
		}
	}
	if position >= 0 {
		b.SetInternal(keyPosition, []byte(strconv.Itoa(position)))
		b.SetInternal(keySyncedAt, []byte(now.UTC().Format(time.RFC3339)))
	}
	if b.Size() == 0 {
		return nil
	}
	if err := ix.b.Batch(b); err != nil {
		return fmt.Errorf("write search index: %w", err)
	}
	return nil
}
