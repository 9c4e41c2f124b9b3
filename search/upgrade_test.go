package search_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestOldIndexIsRebuilt: a server that finds an index of an older mapping
// version (what every installation meets once after an upgrade that changes
// the mapping) moves it aside, builds a new one from the database and
// searches that: the contacts are found, and writes go through the mapper,
// which the old index's mapping (a number field) would not pass.
func TestOldIndexIsRebuilt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: "Weber"})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		old, err := search.WriteOldIndex(dir)
		if err != nil {
			t.Fatal(err)
		}
		s, err := search.Open(ctx, search.Options{Dir: dir, Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if got, err := s.MatchIDs(ctx, "Weber"); err != nil || !slices.Equal(got, []int{c.ID}) {
			t.Errorf("Weber: %v %v, want [%d]", got, err, c.ID)
		}
		if got, err := s.MatchIDs(ctx, "Alt"); err != nil || len(got) != 0 {
			t.Errorf("Alt, only in the old index: %v %v, want none", got, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var aside []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "aside-"+old+"-old-") {
				aside = append(aside, e.Name())
			}
		}
		if len(aside) != 1 {
			t.Errorf("entries %v: want the old index moved aside as aside-%s-old-…", entries, old)
		}
		late, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: "Wagner"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if got, err := s.MatchIDs(ctx, "Wagner"); err != nil || !slices.Equal(got, []int{late.ID}) {
			t.Errorf("Wagner, written after the start: %v %v, want [%d]", got, err, late.ID)
		}
	})
}
