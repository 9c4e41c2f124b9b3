package crm

import (
	"context"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestResolveIDsBeyondParameterLimits: a list of ids longer than either
// database takes parameters (PostgreSQL 65,535, SQLite 32,766) resolves,
// because it travels as one array argument; ids without a contact drop out.
func TestResolveIDsBeyondParameterLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var want []int
		for _, last := range []string{"Köhler", "Bäumer"} {
			c, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "Ida", LastName: last, LawfulBasis: "legitimate_interest"})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, c.ID)
		}
		ids := make([]int, 0, 70_000)
		for id := 1; len(ids) < 70_000; id++ {
			ids = append(ids, id)
		}
		res, err := NewSelections(d.Client, d.Dialect, nil, nil, nil).ResolveIDs(ctx, ids, false)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.All, want) || !slices.Equal(res.IDs, want) {
			t.Errorf("resolved %v (kept %v), want %v", res.All, res.IDs, want)
		}
	})
}
