package search

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// facetCache keeps, for every segment of the index, the facet values of
// each of its documents as small numbers (ordinals into the segment's list
// of values). A segment never changes once written, so its columns are
// built once, from the same doc values bleve's own facet counting reads,
// when a search first needs them; they are dropped when the segment leaves
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

// segments returns the facet columns of each segment of snap (not yet
// built: see built) with the global number of its first document, and
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

// built builds sf's columns from snap's doc values of the segment whose
// first document is offset, once; concurrent searches wait for one build.
func (sf *segmentFacets) built(snap *scorch.IndexSnapshot, offset uint64) error {
	sf.once.Do(func() {
		sf.err = sf.build(snap, offset)
		sf.ready.Store(sf.err == nil)
	})
	return sf.err
}

func (sf *segmentFacets) build(snap *scorch.IndexSnapshot, offset uint64) error {
	dvr, err := snap.DocValueReader(Facets)
	if err != nil {
		return fmt.Errorf("facet values: %w", err)
	}
	var dict [len(facetOrder)]map[string]uint32
	for i := range sf.fields {
		dict[i] = map[string]uint32{}
		sf.fields[i].start = make([]uint32, 1, sf.docs+1)
	}
	visit := func(field string, term []byte) {
		i, ok := facetIndex[field]
		if !ok {
			return
		}
		col := &sf.fields[i]
		ord, ok := dict[i][string(term)]
		if !ok {
			ord = uint32(len(col.values))
			dict[i][string(term)] = ord
			col.values = append(col.values, string(term))
		}
		col.ords = append(col.ords, ord)
	}
	id := index.NewIndexInternalID(nil, 0)
	for d := range sf.docs {
		id.SetValue(offset + d)
		if err := dvr.VisitDocValues(id, visit); err != nil {
			return fmt.Errorf("facet values of document %d: %w", offset+d, err)
		}
		for i := range sf.fields {
			col := &sf.fields[i]
			col.start = append(col.start, uint32(len(col.ords)))
		}
	}
	for i := range sf.fields {
		sf.fields[i].compact()
	}
	return nil
}

// compact turns a column in which no document has two values into one,
// which takes a third of the memory and one read per document.
func (col *facetColumn) compact() {
	for d := 1; d < len(col.start); d++ {
		if col.start[d]-col.start[d-1] > 1 {
			col.ords = col.ords[:len(col.ords):len(col.ords)]
			return
		}
	}
	col.one = make([]uint32, len(col.start)-1)
	for d := range col.one {
		if col.start[d+1] > col.start[d] {
			col.one[d] = col.ords[col.start[d]] + 1
		}
	}
	col.start, col.ords = nil, nil
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
