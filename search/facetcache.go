package search

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// facetCache keeps, for every segment of the index, the facet values of
// each of its documents as small numbers (ordinals into the segment's list
// of values). A segment never changes once written, so its columns are
// built once, from the terms and postings that its doc values (which
// bleve's own facet counting reads) are written from, when a search first
// needs them; they are dropped when the segment leaves
// the index (merged away, or all its documents deleted). Counting a facet
// is then one array increment per hit instead of a doc-value visit and a
// string map update per hit and field.
type facetCache struct {
	mu   sync.Mutex
	segs map[uint64]*segmentFacets // by scorch's segment id
}

// segmentFacets are the facet columns of one segment.
type segmentFacets struct {
	once   sync.Once
	err    error
	ready  atomic.Bool                  // built without error
	docs   uint64                       // documents of the segment, deleted ones included
	fields [len(facetOrder)]facetColumn // in the order of Facets
}

// facetColumn is one facet's values of every document of a segment.
type facetColumn struct {
	values []string // ordinal → value
	// one is used when no document has two values: document d has the
	// value one[d]-1, or none when one[d] is 0. Otherwise document d has
	// the values ords[start[d]:start[d+1]].
	one   []uint32
	start []uint32
	ords  []uint32
}

// facetOrder is Facets as an array, so that segmentFacets has a fixed size.
var facetOrder = [...]string{FacetKind, FacetStage, FacetRegion, FacetTopic, FacetTag, FacetPlatform, FacetOwner, FacetOutlet}

// facetIndex is the position of a facet field in facetOrder.
var facetIndex = func() map[string]int {
	m := make(map[string]int, len(facetOrder))
	for i, f := range facetOrder {
		m[f] = i
	}
	return m
}()

// segments returns the facet columns of each segment of snap (perhaps not
// yet built: see built) with the global number of its first document, and
// drops the columns of segments that snap no longer holds.
func (c *facetCache) segments(snap *scorch.IndexSnapshot) ([]*segmentFacets, []uint64) {
	ss := snap.Segments()
	out := make([]*segmentFacets, len(ss))
	offsets := make([]uint64, len(ss)+1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.segs == nil {
		c.segs = map[uint64]*segmentFacets{}
	}
	for i, s := range ss {
		n := s.Segment().Count()
		offsets[i+1] = offsets[i] + n
		sf := c.segs[s.Id()]
		if sf == nil || sf.docs != n {
			sf = &segmentFacets{docs: n}
			c.segs[s.Id()] = sf
		}
		out[i] = sf
	}
	if len(c.segs) > len(ss) {
		live := make(map[uint64]bool, len(ss))
		for _, s := range ss {
			live[s.Id()] = true
		}
		for id := range c.segs {
			if !live[id] {
				delete(c.segs, id)
			}
		}
	}
	return out, offsets
}

// built builds sf's columns from seg, the segment of a snapshot that the
// caller is searching (so it stays open), once; concurrent searches wait
// for one build.
func (sf *segmentFacets) built(seg segment.Segment) error {
	sf.once.Do(func() {
		sf.err = sf.build(seg)
		sf.ready.Store(sf.err == nil)
	})
	return sf.err
}

// build reads each facet's term dictionary and postings in seg: the terms
// and documents from which zap writes the doc values that bleve's own
// facet counting reads (one entry per term and document, in term order).
func (sf *segmentFacets) build(seg segment.Segment) error {
	count := make([]uint32, sf.docs)
	var docs, ords []uint32 // one posting each, in term order
	for i, field := range facetOrder {
		dict, err := seg.Dictionary(field)
		if err != nil {
			return fmt.Errorf("facet %s: %w", field, err)
		}
		col := &sf.fields[i]
		clear(count)
		docs, ords = docs[:0], ords[:0]
		multi := false
		terms := dict.AutomatonIterator(nil, nil, nil)
		var pl segment.PostingsList
		var it segment.PostingsIterator
		for e, err := terms.Next(); e != nil || err != nil; e, err = terms.Next() {
			if err != nil {
				return fmt.Errorf("facet %s: %w", field, err)
			}
			ord := uint32(len(col.values))
			col.values = append(col.values, e.Term)
			if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
				return fmt.Errorf("facet %s=%q: %w", field, e.Term, err)
			}
			it = pl.Iterator(false, false, false, it)
			for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
				if err != nil {
					return fmt.Errorf("facet %s=%q: %w", field, e.Term, err)
				}
				d := uint32(p.Number())
				docs, ords = append(docs, d), append(ords, ord)
				count[d]++
				multi = multi || count[d] > 1
			}
		}
		if !multi {
			col.one = make([]uint32, sf.docs)
			for k, d := range docs {
				col.one[d] = ords[k] + 1
			}
			continue
		}
		col.start = make([]uint32, sf.docs+1)
		for d, n := range count {
			col.start[d+1] = col.start[d] + n
		}
		next := slices.Clone(col.start[:sf.docs])
		col.ords = make([]uint32, len(ords))
		for k, d := range docs {
			col.ords[next[d]] = ords[k]
			next[d]++
		}
	}
	return nil
}

// bytes is about how much memory the columns of sf take.
func (sf *segmentFacets) bytes() int {
	n := 0
	for i := range sf.fields {
		col := &sf.fields[i]
		n += 4 * (cap(col.one) + cap(col.start) + cap(col.ords))
		for _, v := range col.values {
			n += len(v) + 16
		}
	}
	return n
}

// Bytes is about how much memory the built facet columns take.
func (c *facetCache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, sf := range c.segs {
		if sf.ready.Load() {
			n += sf.bytes()
		}
	}
	return n
}
