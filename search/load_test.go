package search_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// TestLoadAll: the streamed rebuild load (every contact, one ordered query
// per table) and the indexer's load by ids make the same documents, in id
// order.
func TestLoadAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 2500, Interactions: 12000, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		l := graph.Loader{DB: d.SQL, Dialect: d.Dialect}
		var streamed []*search.Document
		n, err := search.LoadAll(ctx, l, func(docs []*search.Document) error {
			streamed = append(streamed, docs...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(streamed) || n < 2500 {
			t.Fatalf("streamed %d documents, counted %d, want ≥ 2500", len(streamed), n)
		}
		ids := make([]int, len(streamed))
		for i, doc := range streamed {
			ids[i] = doc.ID
		}
		if !slices.IsSorted(ids) {
			t.Error("streamed documents not in id order")
		}
		byID, err := search.LoadDocuments(ctx, l, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(byID) != len(streamed) {
			t.Fatalf("streamed %d, by id %d documents", len(streamed), len(byID))
		}
		notes, stages := 0, map[string]int{}
		for _, doc := range streamed {
			notes += len(doc.Notes)
			stages[doc.Stage]++
			if byID[doc.ID].Hash() != doc.Hash() {
				t.Fatalf("contact %d: streamed %+v, by id %+v", doc.ID, doc, byID[doc.ID])
			}
		}
		if notes == 0 {
			t.Error("no interactions loaded")
		}
		if stages[""] > 0 || len(stages) < 3 {
			t.Errorf("stages of the documents: %v", stages)
		}
	})
}
