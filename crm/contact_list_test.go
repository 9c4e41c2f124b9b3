package crm

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestListPages: the pages of a list walk every row once in name order with
// the total on each, and a link past the last row (the row it pointed after
// was the last, and what followed was deleted) shows no rows and the total.
func TestListPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var ids []int
		for _, last := range []string{"Köhler", "Bäumer", "Krämer"} {
			c, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "X", LastName: last})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		sels := NewSelections(d.Client, d.Dialect, nil, nil, nil)
		p1, err := sels.List(ctx, ListParams{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p1.Total != 3 || len(p1.Rows) != 2 || p1.Rows[0].LastName != "Bäumer" || p1.Rows[1].LastName != "Köhler" || p1.Next == "" {
			t.Fatalf("page 1: %+v", p1)
		}
		p2, err := sels.List(ctx, ListParams{Limit: 2, After: p1.Next})
		if err != nil {
			t.Fatal(err)
		}
		if p2.Total != 3 || len(p2.Rows) != 1 || p2.Rows[0].LastName != "Krämer" || p2.Next != "" {
			t.Fatalf("page 2: %+v", p2)
		}
		if err := DeleteContact(ctx, d.Client, ids[2]); err != nil {
			t.Fatal(err)
		}
		p2, err = sels.List(ctx, ListParams{Limit: 2, After: p1.Next})
		if err != nil {
			t.Fatal(err)
		}
		if p2.Total != 2 || len(p2.Rows) != 0 {
			t.Fatalf("page 2 after the delete: %+v", p2)
		}
	})
}
