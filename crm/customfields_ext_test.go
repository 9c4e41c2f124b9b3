package crm_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
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
		idx, err := search.Open(ctx, search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
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

// TestCustomColumnsExport: an export's custom columns are headed by the
// fields' labels and hold the values as one line each; the members are the
// selection of a custom filter, as the list has them.
func TestCustomColumnsExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{UserID: 0, Name: "Manager", Role: crm.RoleManager})
		beat, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldMulti, LabelEN: "Beats", LabelDE: "Ressorts", Choices: []string{"IT", "Energie"}})
		if err != nil {
			t.Fatal(err)
		}
		circ, err := crm.CreateCustomField(ctx, d.Client, crm.CustomField{Entity: crm.EntityContact, Type: crm.FieldNumber, LabelEN: "Circulation", LabelDE: "Auflage"})
		if err != nil {
			t.Fatal(err)
		}
		w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
		for _, c := range []crm.ContactInput{
			{FirstName: "Ida", LastName: "Weber", Emails: []crm.EmailInput{{Address: "ida@example.de"}}, Custom: schema.CustomValues{beat.Key: []string{"IT", "Energie"}, circ.Key: 12500.5}},
			{FirstName: "Tom", LastName: "Weber", Emails: []crm.EmailInput{{Address: "tom@example.de"}}, Custom: schema.CustomValues{beat.Key: []string{"Energie"}}},
			{FirstName: "Eva", LastName: "Weber", Emails: []crm.EmailInput{{Address: "eva@example.de"}}},
		} {
			if _, err := w.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		sels := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil)
		sel := crm.Selection{Filter: schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: beat.Key, Any: []string{"Energie"}}}}}
		log, res, err := crm.StartExport(ctx, sels, crm.ExportRequest{Selection: sel, Format: "csv", Purpose: "test",
			Columns: []string{"first_name", "custom." + beat.Key, "custom." + circ.Key}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.IDs) != 2 {
			t.Fatalf("export members %v, want Ida and Tom", res.IDs)
		}
		var buf bytes.Buffer
		if _, err := crm.WriteExport(ctx, sels, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, log); err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(strings.TrimPrefix(buf.String(), "\ufeff"), "\r\n", "\n")
		for _, want := range []string{"First name,Beats,Circulation", "Ida,IT; Energie,12500.5", "Tom,Energie,"} {
			if !strings.Contains(got, want) {
				t.Errorf("export lacks %q:\n%s", want, got)
			}
		}
	})
}
