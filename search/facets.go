package search

import (
	"context"
	"errors"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// hitColumns are the columns of the segments that one search reads. They
// are hooked into bleve's collector in front of its top-N handler (a
// DocumentMatchHandler), where they learn the snapshot searched and build
// the columns of its segments (once per segment); idSort then reads each
// hit's id key from them, and a facetCounter counts each hit's values.
type hitColumns struct {
	cache   *columnCache
	counter *facetCounter // nil when no facet is counted

	segs    []*segmentColumns
	offsets []uint64 // global number of each segment's first document; one more at the end
	seg     int      // segment of the last hit whose id was read
	lo, hi  uint64   // its document numbers
}

var errNotScorch = errors.New("search: hit columns need a scorch index and bleve's top-N collector")

// columns returns the columns of one search on ix, counting facets with
// counter when it is not nil. Hook them into the search with context.
func (ix *Index) columns(counter *facetCounter) *hitColumns {
	return &hitColumns{cache: &ix.cols, counter: counter}
}

// context returns ctx with h hooked into bleve's collector.
func (h *hitColumns) context(ctx context.Context) context.Context {
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(h.handler))
}

// handler is a search.MakeDocumentMatchHandler: it builds the columns of
// the snapshot's segments that are not built yet, then hands each hit to
// the facet counter, if any, and to bleve's top-N handler.
func (h *hitColumns) handler(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
	next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
	if !ok || next == nil {
		return nil, false, errNotScorch
	}
	h.segs, h.offsets = h.cache.segments(snap)
	for i, s := range snap.Segments() {
		if err := h.segs[i].built(s.Segment()); err != nil {
			return nil, false, err
		}
	}
	h.lo, h.hi = 1, 0 // no segment yet
	if h.counter == nil {
		return next, loadID, nil
	}
	return h.counter.handler(h, next), loadID, nil
}

// segmentOf is the segment of global document number n.
func (h *hitColumns) segmentOf(n uint64) int {
	i, _ := slices.BinarySearch(h.offsets, n+1) // first offset > n
	return i - 1
}

// idKey is the sort key of the contact id of hit d (see segmentColumns.ids).
func (h *hitColumns) idKey(d *search.DocumentMatch) string {
	n := d.IndexInternalID.Value()
	if n < h.lo || n >= h.hi {
		h.seg = h.segmentOf(n)
		h.lo, h.hi = h.offsets[h.seg], h.offsets[h.seg+1]
	}
	return h.segs[h.seg].idKey(n - h.lo)
}

// idSort is the tie-break of every order: the contact id, ascending, read
// from the hit's segment's id column (bleve's "_id" sort loads every hit's
// stored id, a doc-value field visits every hit's doc values).
type idSort struct {
	cols *hitColumns
	desc bool
}

func (s *idSort) UpdateVisitor(string, []byte)         {}
func (s *idSort) Value(d *search.DocumentMatch) string { return s.cols.idKey(d) }
func (s *idSort) DecodeValue(v string) string          { return v }
func (s *idSort) Descending() bool                     { return s.desc }
func (s *idSort) RequiresDocID() bool                  { return false }
func (s *idSort) RequiresScoring() bool                { return false }
func (s *idSort) RequiresFields() []string             { return nil }
func (s *idSort) Reverse()                             { s.desc = !s.desc }
func (s *idSort) Copy() search.SearchSort              { c := *s; return &c }

// facetCounter counts the values of some facets among all hits of one
// search, from the facet columns of the search's hitColumns. It buffers
// the hits of one segment to count them column by column.
type facetCounter struct {
	fields []int // positions in facetOrder of the facets counted

	cols   *hitColumns
	counts [][][]uint32 // segment → field (of fields) → ordinal+1 → hits (0: hits without a value)
	seg    int          // segment of the buffered hits, -1 before the first
	buf    []uint32     // its hits, as document numbers within it
}

// facetCount is the count of one facet's values among all hits, as bleve's
// terms facet reports them: Values are the top Size by count (then value),
// Total counts values (a hit with two values counts twice), Missing the hits
// without a value, Other the values beyond those listed.
type facetCount struct {
	Field          string
	Values         []FacetValue
	Total, Missing int
	Other          int
}

// newFacetCounter counts facets (names of Facets).
func newFacetCounter(facets []string) *facetCounter {
	c := &facetCounter{seg: -1}
	for _, f := range facets {
		c.fields = append(c.fields, facetIndex[f])
	}
	return c
}

// handler counts each hit with the columns of h, then hands it to next.
func (c *facetCounter) handler(h *hitColumns, next search.DocumentMatchHandler) search.DocumentMatchHandler {
	c.cols = h
	c.counts = make([][][]uint32, len(h.segs))
	lo, hi := uint64(1), uint64(0) // document numbers of the current segment: none yet
	return func(d *search.DocumentMatch) error {
		if d == nil {
			c.flush()
			return next(nil)
		}
		n := d.IndexInternalID.Value()
		if n < lo || n >= hi {
			c.flush()
			c.seg = h.segmentOf(n)
			lo, hi = h.offsets[c.seg], h.offsets[c.seg+1]
		}
		c.buf = append(c.buf, uint32(n-lo))
		return next(d)
	}
}

// flush counts the buffered hits of the current segment.
func (c *facetCounter) flush() {
	if len(c.buf) == 0 {
		return
	}
	sf := c.cols.segs[c.seg]
	counts := c.counts[c.seg]
	if counts == nil {
		counts = make([][]uint32, len(c.fields))
		for i, f := range c.fields {
			counts[i] = make([]uint32, len(sf.fields[f].values)+1)
		}
		c.counts[c.seg] = counts
	}
	for i, f := range c.fields {
		col, cnt := &sf.fields[f], counts[i]
		if col.one != nil {
			one := col.one[:len(col.one):len(col.one)]
			for _, d := range c.buf {
				cnt[one[d]]++
			}
			continue
		}
		for _, d := range c.buf {
			s, e := col.start[d], col.start[d+1]
			if s == e {
				cnt[0]++
			}
			for _, o := range col.ords[s:e] {
				cnt[o+1]++
			}
		}
	}
	c.buf = c.buf[:0]
}

// results are the counts of the facets, in the order asked for, each
// listing its top size[field] values.
func (c *facetCounter) results(size map[string]int) []facetCount {
	out := make([]facetCount, len(c.fields))
	for i, f := range c.fields {
		fc := facetCount{Field: facetOrder[f]}
		hint := 0 // the values counted in some segment, at most: the map is sized once, not grown value by value
		for _, counts := range c.counts {
			if counts != nil {
				for _, n := range counts[i][1:] {
					if n > 0 {
						hint++
					}
				}
			}
		}
		byValue := make(map[string]int, hint)
		for s, counts := range c.counts {
			if counts == nil {
				continue
			}
			values := c.cols.segs[s].fields[f].values
			fc.Missing += int(counts[i][0])
			for o, n := range counts[i][1:] {
				if n > 0 {
					byValue[values[o]] += int(n)
					fc.Total += int(n)
				}
			}
		}
		fc.Values = topValues(byValue, size[fc.Field])
		fc.Other = fc.Total
		for _, v := range fc.Values {
			fc.Other -= v.Count
		}
		out[i] = fc
	}
	return out
}

// topValues are the k values of byValue counted most often, most first,
// ties by value. It keeps the best k in order as it goes: a facet such as
// the outlets has thousands of values, of which a page shows ten.
func topValues(byValue map[string]int, k int) []FacetValue {
	if k <= 0 || len(byValue) == 0 {
		return nil
	}
	before := func(a, b FacetValue) bool { return a.Count > b.Count || a.Count == b.Count && a.Value < b.Value }
	top := make([]FacetValue, 0, min(k, len(byValue)))
	for v, n := range byValue {
		fv := FacetValue{Value: v, Count: n}
		if len(top) == k && !before(fv, top[k-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, fv, func(a, b FacetValue) int {
			if before(a, b) {
				return -1
			}
			return 1
		})
		if len(top) < k {
			top = append(top, FacetValue{})
		}
		copy(top[i+1:], top[i:])
		top[i] = fv
	}
	return top
}

// FacetColumnBytes is about how much memory the id and facet columns of
// the served index take (0 while it is being built).
func (s *Service) FacetColumnBytes() int {
	n := 0
	s.withIndex(func(ix *Index) error { n = ix.cols.Bytes(); return nil })
	return n
}
