package search

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
)

// facetCounter counts the values of some facets among all hits of one
// search, from the facet columns of facetCache. It sees every hit through
// bleve's DocumentMatchHandler hook, ahead of bleve's own top-N handler,
// and buffers the hits of one segment to count them column by column.
type facetCounter struct {
	cache  *facetCache
	fields []int // positions in facetOrder of the facets counted

	snap    *scorch.IndexSnapshot
	segs    []*segmentFacets
	offsets []uint64     // global number of each segment's first document; one more at the end
	counts  [][][]uint32 // segment → field (of fields) → ordinal+1 → hits (0: hits without a value)
	seg     int          // segment of the buffered hits, -1 before the first
	buf     []uint32     // its hits, as document numbers within it
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

var errNotScorch = errors.New("search: facet counting needs a scorch index and bleve's top-N collector")

// withFacetCounter returns ctx with c hooked into bleve's collector.
func withFacetCounter(ctx context.Context, c *facetCounter) context.Context {
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, search.MakeDocumentMatchHandler(c.handler))
}

// newFacetCounter counts facets (names of Facets) with the columns of cache.
func newFacetCounter(cache *facetCache, facets []string) *facetCounter {
	c := &facetCounter{cache: cache, seg: -1}
	for _, f := range facets {
		c.fields = append(c.fields, facetIndex[f])
	}
	return c
}

// handler is a search.MakeDocumentMatchHandler: it counts each hit, then
// hands it to bleve's top-N handler.
func (c *facetCounter) handler(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
	next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
	if err != nil {
		return nil, false, err
	}
	snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
	if !ok || next == nil {
		return nil, false, errNotScorch
	}
	c.snap = snap
	c.segs, c.offsets = c.cache.segments(snap)
	c.counts = make([][][]uint32, len(c.segs))
	lo, hi := uint64(1), uint64(0) // document numbers of the current segment: none yet
	return func(d *search.DocumentMatch) error {
		if d == nil {
			if err := c.flush(); err != nil {
				return err
			}
			return next(nil)
		}
		n := d.IndexInternalID.Value()
		if n < lo || n >= hi {
			if err := c.flush(); err != nil {
				return err
			}
			i, _ := slices.BinarySearch(c.offsets, n+1) // first offset > n
			c.seg = i - 1
			lo, hi = c.offsets[c.seg], c.offsets[c.seg+1]
		}
		c.buf = append(c.buf, uint32(n-lo))
		return next(d)
	}, loadID, nil
}

// flush counts the buffered hits of the current segment.
func (c *facetCounter) flush() error {
	if len(c.buf) == 0 {
		return nil
	}
	sf := c.segs[c.seg]
	if err := sf.built(c.snap.Segments()[c.seg].Segment()); err != nil {
		return err
	}
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
	return nil
}

// results are the counts of the facets, in the order asked for, each
// listing its top size[field] values.
func (c *facetCounter) results(size map[string]int) []facetCount {
	out := make([]facetCount, len(c.fields))
	for i, f := range c.fields {
		fc := facetCount{Field: facetOrder[f]}
		byValue := map[string]int{}
		for s, counts := range c.counts {
			if counts == nil {
				continue
			}
			values := c.segs[s].fields[f].values
			fc.Missing += int(counts[i][0])
			for o, n := range counts[i][1:] {
				if n > 0 {
					byValue[values[o]] += int(n)
					fc.Total += int(n)
				}
			}
		}
		for v, n := range byValue {
			fc.Values = append(fc.Values, FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(fc.Values, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		fc.Values = fc.Values[:min(len(fc.Values), size[fc.Field])]
		fc.Other = fc.Total
		for _, v := range fc.Values {
			fc.Other -= v.Count
		}
		out[i] = fc
	}
	return out
}

// FacetColumnBytes is about how much memory the facet columns of the
// served index take (0 while it is being built).
func (s *Service) FacetColumnBytes() int {
	n := 0
	s.withIndex(func(ix *Index) error { n = ix.facets.Bytes(); return nil })
	return n
}
