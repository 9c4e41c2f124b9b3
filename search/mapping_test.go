package search

import (
	"maps"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
)

// TestEveryFieldIsRead: the index holds only what something reads, and the
// tables below name the reader of every field. A field that nothing reads
// is build time for nothing: reach and the last interaction were indexed
// as bleve numbers as well as sort keys, 16 terms per value and nearly all
// of them unique, and cost about a fifth of a rebuild (2026-12-06) while no
// query used them. A new field needs a line here, saying who reads it.
func TestEveryFieldIsRead(t *testing.T) {
	indexed := map[string]string{
		FieldText:     "every word of a search (match.go)",
		FieldName:     "ranking, prefixes and typos (query.go, match.go)",
		FieldOutlets:  "ranking and prefixes (query.go)",
		FieldHandles:  "ranking and prefixes (query.go)",
		FieldEmail:    "a search for an address (match.go, query.go)",
		FieldHandle:   "a search for a handle (match.go, query.go)",
		FieldSortName: "the order by name (search.go)",
		FieldReachKey: "the order by reach (search.go)",
		FieldLastKey:  "the order by last interaction (search.go)",
		FacetKind:     "facets (facets.go, columns.go)", FacetStage: "facets", FacetRegion: "facets",
		FacetTopic: "facets", FacetTag: "facets", FacetPlatform: "facets", FacetOwner: "facets", FacetOutlet: "facets",
	}
	stored := map[string]string{
		FieldName: "snippets and phrases (snippet.go, phrase.go)", FieldOutlets: "snippets and phrases",
		FieldTitle: "snippets and phrases", FieldBio: "snippets and phrases", FieldNotes: "snippets and phrases",
		FieldNoteMeta: "the date and type of a note's snippet (snippet.go)", FieldCoverage: "snippets and phrases",
		FieldPosts: "snippets and phrases", FieldHash: "Verify (verify.go)",
	}
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	d := hashDoc() // every field set
	doc := document.NewDocument("7")
	if err := m.MapDocument(doc, d.fields()); err != nil {
		t.Fatal(err)
	}
	gotIndexed, gotStored := map[string]bool{}, map[string]bool{}
	for _, f := range doc.Fields {
		if _, text := f.(*document.TextField); !text {
			t.Errorf("field %s is a %T: every field is text (numbers and dates are sort keys)", f.Name(), f)
		}
		if f.Options().IsIndexed() {
			gotIndexed[f.Name()] = true
		}
		if f.Options().IsStored() {
			gotStored[f.Name()] = true
		}
	}
	for _, c := range []struct {
		what string
		got  map[string]bool
		want map[string]string
	}{{"indexed", gotIndexed, indexed}, {"stored", gotStored, stored}} {
		got, want := slices.Sorted(maps.Keys(c.got)), slices.Sorted(maps.Keys(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s fields %q, want %q (each with its reader)", c.what, got, want)
		}
	}
}
