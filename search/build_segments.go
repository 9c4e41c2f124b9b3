package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
	"golang.org/x/sync/errgroup"
)

// segments writes the segments of a build in a directory of its own: every
// goroutine of the build writes the segment of the documents it analysed,
// and whichever writes the max-th unmerged one merges those into one while
// the others go on; what is left is merged into one segment at the end
// (finish), max at a time, as many merges at once as there are cores.
// bleve's offline builder does the same work on one goroutine under its
// lock (one segment after another, then every merge), which made it the
// build's critical path: 30 of 36 s at 100,000 contacts.
//
// The segments are zap's, of the version bleve's builder writes (zapx
// v17), through zap's plugin API (New, Open, Merge), which scorch itself
// uses.
type segments struct {
	dir  string
	max  int // segments per merge
	plug *zap.ZapPlugin

	mu      sync.Mutex
	n       int      // segments named so far
	written []string // segments not merged yet, in the order written
	merged  []string // results of merges
}

func newSegments(dir string, max int) *segments {
	return &segments{dir: dir, max: max, plug: &zap.ZapPlugin{}}
}

// name is the path of a new segment file.
func (s *segments) name() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return filepath.Join(s.dir, fmt.Sprintf("%06d.zap", s.n))
}

// write writes docs (analysed: their fields' Analyze does nothing) as one
// segment, and merges s.max written segments when this one completes
// them.
func (s *segments) write(ctx context.Context, docs []index.Document) error {
	for _, d := range docs {
		d.AddIDField()
	}
	seg, _, err := s.plug.New(docs)
	if err != nil {
		return fmt.Errorf("write segment: %w", err)
	}
	defer seg.Close()
	mem, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("write segment: zap made a %T, not a segment in memory", seg)
	}
	path := s.name()
	if err := mem.Persist(path); err != nil {
		return fmt.Errorf("write segment: %w", err)
	}
	s.mu.Lock()
	s.written = append(s.written, path)
	var group []string
	if len(s.written) >= s.max {
		group = s.written[:s.max:s.max]
		s.written = s.written[s.max:]
	}
	s.mu.Unlock()
	if group == nil {
		return nil
	}
	out, err := s.merge(ctx, group)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.merged = append(s.merged, out)
	s.mu.Unlock()
	return nil
}

// merge merges the segments at paths into a new one, removes them and
// returns its path. Cancelling ctx stops it.
func (s *segments) merge(ctx context.Context, paths []string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	cancel := make(chan struct{})
	defer context.AfterFunc(ctx, func() { close(cancel) })()
	segs := make([]segment.Segment, 0, len(paths))
	closeAll := func() {
		for _, sg := range segs {
			_ = sg.Close()
		}
	}
	for _, p := range paths {
		sg, err := s.plug.Open(p)
		if err != nil {
			closeAll()
			return "", fmt.Errorf("merge segments: %w", err)
		}
		segs = append(segs, sg)
	}
	out := s.name()
	_, _, err := s.plug.Merge(segs, make([]*roaring.Bitmap, len(segs)), out, cancel, nil)
	closeAll()
	if err != nil {
		return "", fmt.Errorf("merge segments: %w", err)
	}
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			return "", fmt.Errorf("merge segments: %w", err)
		}
	}
	return out, nil
}

// finish merges every segment left into one and returns its path ("" when
// nothing was written).
func (s *segments) finish(ctx context.Context) (string, error) {
	left := slices.Concat(s.merged, s.written)
	for len(left) > 1 {
		groups := slices.Collect(slices.Chunk(left, s.max))
		next := make([]string, len(groups))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, paths := range groups {
			if len(paths) == 1 {
				next[i] = paths[0]
				continue
			}
			g.Go(func() error {
				out, err := s.merge(gctx, paths)
				next[i] = out
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return "", err
		}
		left = next
	}
	if len(left) == 0 {
		return "", nil
	}
	return left[0], nil
}

// installSegment makes the index at path from the one segment at seg:
// bleve's offline builder writes an index of one placeholder document (its
// meta file, the mapping, the root that names the segment, zap v17), and
// seg replaces that index's segment file. The root names a segment by file
// name only when the segment has no deletions and no stats, as the
// builder's has not; TestSegmentsAsBleve and
// TestRebuildAnswersLikeTheIndexer pin that.
func installSegment(path, tmp, seg string, m mapping.IndexMapping) error {
	config := map[string]any{"buildPathPrefix": tmp, "forceSegmentType": "zap", "forceSegmentVersion": 17}
	bl, err := bleve.NewBuilder(path, m, config)
	if err != nil {
		return fmt.Errorf("install segment: %w", err)
	}
	if err := bl.Index("placeholder", map[string]any{}); err != nil {
		return fmt.Errorf("install segment: %w", err)
	}
	if err := bl.Close(); err != nil {
		return fmt.Errorf("install segment: %w", err)
	}
	store, _ := config["path"].(string)
	zaps, err := filepath.Glob(filepath.Join(store, "*.zap"))
	if err != nil || len(zaps) != 1 {
		return fmt.Errorf("install segment: the builder wrote %d segments, want 1: %w", len(zaps), errors.Join(err, errUnexpectedBuilder))
	}
	if err := os.Rename(seg, zaps[0]); err != nil {
		return fmt.Errorf("install segment: %w", err)
	}
	return syncDir(store) // else a crash could bring the placeholder back: an index without contacts
}

// errUnexpectedBuilder says bleve's builder no longer writes what
// installSegment relies on.
var errUnexpectedBuilder = errors.New("bleve's offline builder changed")
