package search

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// bleve's offline builder (scorch.Builder) writes its segments one after
// the other, under its lock, in the goroutine that hands it documents; on
// two cores that left one idle for half of a rebuild. parallelZap is the
// builder's segment plugin: it writes each segment in a goroutine of its
// own (at most GOMAXPROCS at once) and lets the builder go on at once;
// opening a segment, which the builder does only to merge them all when it
// closes, waits until that segment is on disk. The segments are zap v17
// segments made by zap itself, and the plugin names itself zap v17 in the
// index it leaves, so the index opens later with bleve's own zap plugin.
//
// The builder picks a plugin only through its "forceSegmentType" option,
// which looks the type up among the registered plugins: parallelZap is
// registered under parallelZapType, then renames itself to zap.
type parallelZap struct {
	zap     *zap.ZapPlugin
	typ     string
	slots   chan struct{} // one per segment being written
	mu      sync.Mutex
	pending map[string]chan error // by segment path: its result, once written
}

const parallelZapType = "rapport-parallel-zap"

var parallelSegments = &parallelZap{zap: &zap.ZapPlugin{}, typ: parallelZapType,
	slots: make(chan struct{}, runtime.GOMAXPROCS(0)), pending: map[string]chan error{}}

func init() {
	scorch.RegisterSegmentPlugin(parallelSegments, false)
	parallelSegments.typ = parallelSegments.zap.Type()
}

// segmentsInParallel selects parallelZap for the builder; false (a test
// hook, to measure against) leaves bleve's default, zap v17 itself.
var segmentsInParallel = true

// builderConfig selects parallelZap in a scorch.Builder config.
func builderConfig(config map[string]any) map[string]any {
	if !segmentsInParallel {
		return config
	}
	config["forceSegmentType"] = parallelZapType
	config["forceSegmentVersion"] = int(parallelSegments.zap.Version())
	return config
}

// Type implements scorch.SegmentPlugin.
func (p *parallelZap) Type() string { return p.typ }

// Version implements scorch.SegmentPlugin.
func (p *parallelZap) Version() uint32 { return p.zap.Version() }

// New implements scorch.SegmentPlugin: a segment that is made when the
// builder persists it.
func (p *parallelZap) New(results []index.Document) (segment.Segment, uint64, error) {
	return &laterSegment{p: p, docs: results}, 0, nil
}

// NewUsing implements scorch.SegmentPlugin.
func (p *parallelZap) NewUsing(results []index.Document, _ map[string]any) (segment.Segment, uint64, error) {
	return p.New(results)
}

// Open implements scorch.SegmentPlugin: it waits for the segment at path
// if it is still being written.
func (p *parallelZap) Open(path string) (segment.Segment, error) {
	p.mu.Lock()
	done, ok := p.pending[path]
	delete(p.pending, path)
	p.mu.Unlock()
	if ok {
		if err := <-done; err != nil {
			return nil, err
		}
	}
	return p.zap.Open(path)
}

// wait waits until the segments being written under dir are on disk and
// returns the first error of any.
func (p *parallelZap) wait(dir string) error {
	p.mu.Lock()
	var waiting []chan error
	for path, done := range p.pending {
		if strings.HasPrefix(path, dir+string(filepath.Separator)) {
			waiting = append(waiting, done)
			delete(p.pending, path)
		}
	}
	p.mu.Unlock()
	var first error
	for _, done := range waiting {
		if err := <-done; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// OpenUsing implements scorch.SegmentPlugin.
func (p *parallelZap) OpenUsing(path string, config map[string]any) (segment.Segment, error) {
	if _, err := p.Open(path); err != nil { // waits; zap opens it again with config
		return nil, err
	}
	return p.zap.OpenUsing(path, config)
}

// Merge implements scorch.SegmentPlugin: the segments are zap's.
func (p *parallelZap) Merge(segments []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error) {
	return p.zap.Merge(segments, drops, path, closeCh, s)
}

// MergeUsing implements scorch.SegmentPlugin.
func (p *parallelZap) MergeUsing(segments []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter, config map[string]any) ([][]uint64, uint64, error) {
	return p.zap.MergeUsing(segments, drops, path, closeCh, s, config)
}

// laterSegment is a segment that the builder has asked for but zap has not
// made yet. The builder only persists it; nothing else of segment.Segment
// is used (the embedded nil interface would panic).
type laterSegment struct {
	segment.Segment
	p    *parallelZap
	docs []index.Document
}

// Persist implements segment.UnpersistedSegment: it starts writing the
// segment to path, waiting first for a free slot. A segment of fewer than
// segmentDocs documents is the builder's last, made when it closes: that
// one is written at once, because a builder with a single segment moves it
// into place without opening it.
func (s *laterSegment) Persist(path string) error {
	p := s.p
	if len(s.docs) < segmentDocs {
		return writeSegment(p.zap, s.docs, path)
	}
	p.slots <- struct{}{}
	done := make(chan error, 1)
	p.mu.Lock()
	p.pending[path] = done
	p.mu.Unlock()
	go func() {
		defer func() { <-p.slots }()
		done <- writeSegment(p.zap, s.docs, path)
	}()
	return nil
}

// Close implements segment.Segment.
func (s *laterSegment) Close() error { return nil }

// writeSegment makes a zap segment of docs and writes it to path.
func writeSegment(z *zap.ZapPlugin, docs []index.Document, path string) error {
	seg, _, err := z.New(docs)
	if err != nil {
		return fmt.Errorf("build search segment: %w", err)
	}
	defer seg.Close()
	u, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("build search segment: %T cannot be written", seg)
	}
	if err := u.Persist(path); err != nil {
		return fmt.Errorf("write search segment %s: %w", path, err)
	}
	return nil
}
