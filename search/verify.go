package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"

	"github.com/rapport-crm/rapport/graph"
)

// Diff is how the index differs from the database.
type Diff struct {
	Missing []int // contacts without a document
	Extra   []int // documents without a contact
	Stale   []int // documents that differ from what the database says now
}

// Empty reports whether index and database agree.
func (d Diff) Empty() bool { return len(d.Missing)+len(d.Extra)+len(d.Stale) == 0 }

// String summarises the diff.
func (d Diff) String() string {
	return fmt.Sprintf("%d missing %v, %d extra %v, %d stale %v", len(d.Missing), head(d.Missing), len(d.Extra), head(d.Extra), len(d.Stale), head(d.Stale))
}

func head(ids []int) []int { return ids[:min(len(ids), 10)] }

// Verify compares every document of the served index with the document the
// database makes of the contact now (by their hashes).
func (s *Service) Verify(ctx context.Context) (Diff, error) {
	var d Diff
	err := s.withIndex(func(ix *Index) error {
		var err error
		d, err = ix.verify(ctx, s.loader())
		return err
	})
	return d, err
}

func (ix *Index) verify(ctx context.Context, l graph.Loader) (Diff, error) {
	var diff Diff
	indexed, err := ix.hashes(ctx)
	if err != nil {
		return diff, err
	}
	_, err = LoadAll(ctx, l, func(docs []*Document) error {
		for _, d := range docs {
			h, ok := indexed[d.ID]
			switch {
			case !ok:
				diff.Missing = append(diff.Missing, d.ID)
			case h != d.Hash():
				diff.Stale = append(diff.Stale, d.ID)
			}
			delete(indexed, d.ID)
		}
		return nil
	})
	if err != nil {
		return diff, err
	}
	for id := range indexed {
		diff.Extra = append(diff.Extra, id)
	}
	slices.Sort(diff.Extra)
	return diff, nil
}

// hashes returns the stored hash of every document, by contact id.
func (ix *Index) hashes(ctx context.Context) (map[int]string, error) {
	out := map[int]string{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1000, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{FieldHash}
		req.SearchAfter = after
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("read search index: %w", err)
		}
		for _, h := range res.Hits {
			id, _ := strconv.Atoi(h.ID)
			out[id], _ = h.Fields[FieldHash].(string)
		}
		if len(res.Hits) < 1000 {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
