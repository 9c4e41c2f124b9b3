package search

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// columnCache keeps, for every segment of the index, the contact id and the
// facet values of each of its documents: the id as its sort key, the facet
// values as small numbers (ordinals into the segment's list of values). A
// segment never changes once written, so its columns are built once, from
// the terms and postings of its _id field and of the facet fields (those
// that the facets' doc values are written from), when a search first needs
// them; they are dropped when the segment leaves the index (merged away, or
// all its documents deleted). The tie-break of every order is then a slice
// of a string per hit instead of a doc-value visit, and counting a facet one
// array increment per hit instead of a doc-value visit and a string map
// update per hit and field.
type columnCache struct {
	mu   sync.Mutex
	segs map[uint64]*segmentColumns // by scorch's segment id
}

// segmentColumns are the columns of one segment.
type segmentColumns struct {
	once  sync.Once
	err   error
	ready atomic.Bool // built without error
	docs  uint64      // documents of the segment, deleted ones included
	// ids holds the sort key of document d's contact id at
	// ids[d*idKeyLen:]: idKeyLen digits, zero-padded, so that the keys'
	// order is the ids'. One string, so that a hit's key is a slice of it,
	// not an allocation.
	ids    string
	fields [len(facetOrder)]facetColumn // in the order of Facets
}

// idKeyLen is the length of an idKey: contact ids have at most 10 digits.
const idKeyLen = 10

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

// facetOrder is Facets as an array, so that segmentColumns has a fixed size.
var facetOrder = [...]string{FacetKind, FacetStage, FacetRegion, FacetTopic, FacetTag, FacetPlatform, FacetOwner, FacetOutlet}

// facetIndex is the position of a facet field in facetOrder.
var facetIndex = func() map[string]int {
	m := make(map[string]int, len(facetOrder))
	for i, f := range facetOrder {
		m[f] = i
	}
	return m
}()

// segments returns the columns of each segment of snap (perhaps not yet
// built: see built) with the global number of its first document, and
// drops the columns of segments that snap no longer holds.
func (c *columnCache) segments(snap *scorch.IndexSnapshot) ([]*segmentColumns, []uint64) {
	ss := snap.Segments()
	out := make([]*segmentColumns, len(ss))
	offsets := make([]uint64, len(ss)+1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.segs == nil {
		c.segs = map[uint64]*segmentColumns{}
	}
	for i, s := range ss {
		n := s.Segment().Count()
		offsets[i+1] = offsets[i] + n
		sf := c.segs[s.Id()]
		if sf == nil || sf.docs != n {
			sf = &segmentColumns{docs: n}
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

// warmColumns builds the columns of the segments of ix's current snapshot
// that have none yet, so that searches find them built: openIndex calls it
// before an index serves, and the indexer after every pass (a batch makes
// a segment; scorch's merges, in the background, make others).
func (ix *Index) warmColumns() error {
	adv, err := ix.b.Advanced()
	if err != nil {
		return fmt.Errorf("build search columns: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("build search columns: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return errNotScorch
	}
	segs, _ := ix.cols.segments(snap)
	for i, s := range snap.Segments() {
		if err := segs[i].built(s.Segment()); err != nil {
			return fmt.Errorf("build search columns: %w", err)
		}
	}
	return nil
}

// built builds sf's columns from seg, the segment of a snapshot that the
// caller is searching (so it stays open), once; concurrent searches wait
// for one build.
func (sf *segmentColumns) built(seg segment.Segment) error {
	sf.once.Do(func() {
		sf.err = sf.build(seg)
		sf.ready.Store(sf.err == nil)
	})
	return sf.err
}

// build reads the term dictionary and postings of _id and of each facet in
// seg: the ids, and the terms and documents from which zap writes the doc
// values that bleve's own facet counting reads (one entry per term and
// document, in term order).
func (sf *segmentColumns) build(seg segment.Segment) error {
	if err := sf.buildIDs(seg); err != nil {
		return err
	}
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

// buildIDs reads the contact id of every document of seg from its _id
// terms (one posting each).
func (sf *segmentColumns) buildIDs(seg segment.Segment) error {
	dict, err := seg.Dictionary("_id")
	if err != nil {
		return fmt.Errorf("ids: %w", err)
	}
	keys := make([]byte, sf.docs*idKeyLen)
	terms := dict.AutomatonIterator(nil, nil, nil)
	var pl segment.PostingsList
	var it segment.PostingsIterator
	for e, err := terms.Next(); e != nil || err != nil; e, err = terms.Next() {
		if err != nil {
			return fmt.Errorf("ids: %w", err)
		}
		id, err := strconv.Atoi(e.Term)
		if err != nil || id < 0 || len(e.Term) > idKeyLen {
			return fmt.Errorf("ids: document id %q is no contact id of at most %d digits", e.Term, idKeyLen)
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return fmt.Errorf("ids: %q: %w", e.Term, err)
		}
		it = pl.Iterator(false, false, false, it)
		for p, err := it.Next(); p != nil || err != nil; p, err = it.Next() {
			if err != nil {
				return fmt.Errorf("ids: %q: %w", e.Term, err)
			}
			key := keys[p.Number()*idKeyLen:][:idKeyLen]
			for i := idKeyLen - 1; i >= 0; i-- {
				key[i] = byte('0' + id%10)
				id /= 10
			}
		}
	}
	sf.ids = string(keys)
	return nil
}

// idKey is the sort key of the contact id of document d of the segment.
func (sf *segmentColumns) idKey(d uint64) string { return sf.ids[d*idKeyLen : (d+1)*idKeyLen] }

// bytes is about how much memory the columns of sf take.
func (sf *segmentColumns) bytes() int {
	n := len(sf.ids)
	for i := range sf.fields {
		col := &sf.fields[i]
		n += 4 * (cap(col.one) + cap(col.start) + cap(col.ords))
		for _, v := range col.values {
			n += len(v) + 16
		}
	}
	return n
}

// Bytes is about how much memory the built columns take.
func (c *columnCache) Bytes() int {
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
