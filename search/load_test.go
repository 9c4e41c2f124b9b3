package search_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestLoadAll: the streamed rebuild load (one ordered query per table,
// merged in Go), its fallback in batches (inside a transaction) and the
// indexer's load by ids make the same documents, in id order.
func TestLoadAll(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 2500, Interactions: 12000, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		collect := func(q search.Querier) ([]*search.Document, int) {
			var all []*search.Document
			n, err := search.LoadAll(ctx, q, func(docs []*search.Document) error {
				all = append(all, docs...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return all, n
		}
		streamed, n := collect(d.SQL)
		if n != len(streamed) || n < 2500 {
			t.Fatalf("streamed %d documents, counted %d, want ≥ 2500", len(streamed), n)
		}
		tx, err := d.SQL.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		batched, _ := collect(tx)
		ids := make([]int, len(streamed))
		for i, doc := range streamed {
			ids[i] = doc.ID
		}
		if !slices.IsSorted(ids) {
			t.Error("streamed documents not in id order")
		}
		byID, err := search.LoadDocuments(ctx, d.SQL, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(batched) != len(streamed) || len(byID) != len(streamed) {
			t.Fatalf("streamed %d, batched %d, by id %d documents", len(streamed), len(batched), len(byID))
		}
		notes := 0
		for i, doc := range streamed {
			notes += len(doc.Notes)
			if batched[i].ID != doc.ID || batched[i].Hash() != doc.Hash() || byID[doc.ID].Hash() != doc.Hash() {
				t.Fatalf("contact %d: streamed %+v, batched %+v, by id %+v", doc.ID, doc, batched[i], byID[doc.ID])
			}
		}
		if notes == 0 {
			t.Error("no interactions loaded")
		}
	})
}
