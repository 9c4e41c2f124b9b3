package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// TestMapperAsBleve: the mapper makes the fields bleve's MapDocument makes
// of the same document (name, value, array positions, options, analyzer),
// under NewMapping (a build) and under the mapping as an index on disk
// reads it back from its JSON (the indexer), for documents with every
// field, 300 random ones and empty ones.
func TestMapperAsBleve(t *testing.T) {
	fresh, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(fresh)
	if err != nil {
		t.Fatal(err)
	}
	read := mapping.NewIndexMapping()
	if err := json.Unmarshal(raw, read); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, 6))
	docs := []*Document{hashDoc(), {ID: 2}, {ID: 3, Emails: []string{""}, Topics: []string{"", "Bauen"}, Tags: []string{}}}
	for id := 10; id < 310; id++ {
		docs = append(docs, richDoc(rng, id))
	}
	for name, im := range map[string]*mapping.IndexMappingImpl{"new mapping": fresh, "mapping read back": read} {
		m, err := newMapper(im)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			want := document.NewDocument(strconv.Itoa(d.ID))
			if err := im.MapDocument(want, d.fields()); err != nil {
				t.Fatal(err)
			}
			got, err := m.document(d)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID() != want.ID() || got.Indexed() != want.Indexed() || len(got.CompositeFields) != len(want.CompositeFields) {
				t.Fatalf("%s, contact %d: id %q indexed %v composite %d, want %q %v %d", name, d.ID,
					got.ID(), got.Indexed(), len(got.CompositeFields), want.ID(), want.Indexed(), len(want.CompositeFields))
			}
			w := mappedFields(t, want)
			for _, when := range []string{"mapped", "analysed"} {
				g := mappedFields(t, got)
				if len(g) != len(w) {
					t.Fatalf("%s, contact %d: %d fields, want %d", name, d.ID, len(g), len(w))
				}
				for i := range w {
					if when == "analysed" && !index.FieldIndexingOptions(w[i].options).IsStored() {
						continue // its own copy, lowercased by its analysis as in bleve
					}
					if !reflect.DeepEqual(g[i], w[i]) || g[i].analyzer != w[i].analyzer {
						t.Fatalf("%s, contact %d, %s: field %d is %+v, want %+v", name, d.ID, when, i, g[i], w[i])
					}
				}
				// bleve's analysis lowercases words in the bytes of the
				// value: a stored value must not share them.
				for _, f := range got.Fields {
					f.Analyze()
				}
			}
		}
	}
}

// mappedField is what a mapped text field holds.
type mappedField struct {
	name     string
	pos      []uint64
	value    string
	options  int
	analyzer any
}

// mappedFields are doc's fields in a fixed order (MapDocument walks a map).
func mappedFields(t *testing.T, doc *document.Document) []mappedField {
	t.Helper()
	var out []mappedField
	for _, f := range doc.Fields {
		tf, ok := f.(*document.TextField)
		if !ok {
			t.Fatalf("field %s is a %T", f.Name(), f)
		}
		out = append(out, mappedField{f.Name(), f.ArrayPositions(), string(f.Value()), int(f.Options()), tf.Analyzer()})
	}
	slices.SortStableFunc(out, func(a, b mappedField) int {
		return cmp.Or(cmp.Compare(a.name, b.name), slices.Compare(a.pos, b.pos), cmp.Compare(a.value, b.value), cmp.Compare(a.options, b.options),
			cmp.Compare(fmt.Sprintf("%p", a.analyzer), fmt.Sprintf("%p", b.analyzer))) // the same analyzers in both
	})
	return out
}

// BenchmarkMapDocument maps the same 100 random documents through the
// mapper and through bleve's MapDocument.
func BenchmarkMapDocument(b *testing.B) {
	im, err := NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	m, err := newMapper(im)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, 6))
	var docs []*Document
	for id := range 100 {
		docs = append(docs, richDoc(rng, id))
	}
	b.Run("mapper", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := m.document(docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bleve", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			d := docs[i%len(docs)]
			if err := im.MapDocument(document.NewDocument(strconv.Itoa(d.ID)), d.fields()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
