package crm_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// TestCustomValuesSearchable: a custom text and a choice are words of the
// contact's search document (and of the benchmark's peer document); a
// date is not.
func TestCustomValuesSearchable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		met, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldText, LabelEN: "How we met", LabelDE: "Kennengelernt"})
		if err != nil {
			t.Fatal(err)
		}
		beat, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldMulti, LabelEN: "Beats", LabelDE: "Ressorts", Choices: []string{"Raumfahrt", "Energie"}})
		if err != nil {
			t.Fatal(err)
		}
		day, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldDate, LabelEN: "Birthday", LabelDE: "Geburtstag"})
		if err != nil {
			t.Fatal(err)
		}
		w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
		id, err := w.Create(ctx, crm.ContactInput{FirstName: "Ida", LastName: "Weber", Custom: schema.CustomValues{
			met.Key: "Pressereise Lissabon", beat.Key: []string{"Raumfahrt"}, day.Key: "1981-03-07"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Create(ctx, crm.ContactInput{FirstName: "Tom", LastName: "Weber"}); err != nil {
			t.Fatal(err)
		}
		idx, err := search.Open(ctx, search.Options{Dir: t.TempDir(), DB: d.SQL, Dialect: d.Dialect})
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		if err := idx.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]int{"lissabon": {id}, "Raumfahrt": {id}, "1981": nil, "weber": nil} {
			got, err := idx.MatchIDs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if q == "weber" {
				if len(got) != 2 {
					t.Errorf("%q finds %v, want both", q, got)
				}
				continue
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q finds %v, want %v", q, got, want)
			}
		}
		docs, err := search.LoadDocuments(ctx, graph.Loader{DB: d.SQL, Dialect: d.Dialect}, []int{id})
		if err != nil {
			t.Fatal(err)
		}
		if peer := search.PeerDocument(docs[id]); !strings.Contains(peer, "lissabon") {
			t.Errorf("peer document lacks the custom text: %s", peer)
		}
	})
}
