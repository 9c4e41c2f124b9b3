package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// mustDocAnalysis is a build's analysis under m.
func mustDocAnalysis(t testing.TB, m mapping.IndexMapping) *docAnalysis {
	t.Helper()
	a, err := newDocAnalysis(m)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fieldTerms is what the segment writer keeps of a document's fields of
// one name: their summed length and term frequencies; and how many fields
// had the name.
type fieldTerms struct {
	fields, length int
	freqs          map[string]int
}

// termsByName adds up visited fields by name, as the segment writer does.
func termsByName(visit func(index.FieldVisitor)) map[string]*fieldTerms {
	byName := map[string]*fieldTerms{}
	visit(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		ft := byName[f.Name()]
		if ft == nil {
			ft = &fieldTerms{freqs: map[string]int{}}
			byName[f.Name()] = ft
		}
		ft.fields++
		ft.length += f.AnalyzedLength()
		for term, tf := range f.AnalyzedTokenFrequencies() {
			ft.freqs[term] += tf.Frequency()
			if string(tf.Term) != term {
				ft.freqs["term bytes differ: "+term]++ // the segment writer reads the bytes
			}
		}
	})
	return byName
}

// bothTerms adds up d's fields by name twice: as bleve maps and analyses
// the document itself (want), and as a build's docAnalysis hands it to the
// builder (got).
func bothTerms(t *testing.T, m mapping.IndexMapping, a *docAnalysis, d *Document) (want, got map[string]*fieldTerms) {
	t.Helper()
	plain := document.NewDocument(strconv.Itoa(d.ID))
	if err := m.MapDocument(plain, d.fields()); err != nil {
		t.Fatal(err)
	}
	want = termsByName(func(v index.FieldVisitor) {
		for _, f := range plain.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			v(f)
		}
	})
	doc, err := a.document(d)
	if err != nil {
		t.Fatal(err)
	}
	return want, termsByName(doc.VisitFields)
}

// TestAnalysedDocumentAsBleve: the documents docAnalysis hands a build's
// segments, whose FieldText parts are merged into one field, hold for every field name the same
// length and term frequencies as the document bleve maps and analyses
// itself; FieldText is one field, every other field
// is as bleve makes it.
func TestAnalysedDocumentAsBleve(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 19))
	a := mustDocAnalysis(t, m) // one for all: later documents meet cached words
	for id := 1; id <= 300; id++ {
		d := richDoc(rng, id)
		want, got := bothTerms(t, m, a, d)
		names := slices.Sorted(maps.Keys(want))
		if gotNames := slices.Sorted(maps.Keys(got)); !slices.Equal(gotNames, names) {
			t.Fatalf("contact %d: fields %v, bleve's %v", id, gotNames, names)
		}
		if want[FieldText].fields < 2 || got[FieldText].fields != 1 {
			t.Fatalf("contact %d: %d parts of %s became %d fields, want 1", id, want[FieldText].fields, FieldText, got[FieldText].fields)
		}
		for _, name := range names {
			w, g := want[name], got[name]
			if name != FieldText && g.fields != w.fields {
				t.Fatalf("contact %d: %d fields %s, bleve's %d", id, g.fields, name, w.fields)
			}
			if g.length != w.length || !maps.Equal(g.freqs, w.freqs) {
				t.Fatalf("contact %d, field %s: length %d, terms %v; bleve's %d, %v", id, name, g.length, g.freqs, w.length, w.freqs)
			}
		}
	}
	if _, ok := a.words.by[GermanProse]["Gesundheitsbloggerin"]; !ok {
		t.Fatalf("the prose's words did not go through the word cache (%d words in it)", a.words.n)
	}
}

// richWords are the words of richDoc's texts: compounds, feminine and
// English forms, upper case, a possessive, numbers, Greek, Japanese, emoji
// and a skin tone.
var richWords = []string{"Gesundheit", "gesund", "Journalistin", "loves", "running", "und", "the", "München", "Müller",
	"Reisen", "travel", "Podcast", "Energiewende", "Nachhaltigkeit", "Redaktion", "Bloggerin", "Spiegel", "🏔", "café",
	"Gesundheitsbloggerin", "GESUNDHEIT", "Anna's", "2026", "3,5", "東京", "Ελλάδα", "👍🏽", "Straße"}

// richDoc is facetDoc with every part of FieldText: title, bio, e-mail,
// notes, coverage, posts and custom text of richWords.
func richDoc(rng *rand.Rand, id int) *Document {
	text := func(n int) string {
		var b strings.Builder
		for i := range rng.IntN(n + 1) {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(richWords[rng.IntN(len(richWords))])
		}
		return b.String()
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	d := facetDoc(rng, id)
	d.Title, d.Bio, d.City = text(3), text(40), "Köln"
	d.Emails = []string{fmt.Sprintf("vor%d.nach@redaktion.example", id)}
	for range rng.IntN(MaxNotes + 1) {
		d.Notes = append(d.Notes, Note{At: at, Type: "call", Subject: text(4), Body: text(20)})
	}
	for range rng.IntN(3) {
		d.Coverage = append(d.Coverage, Piece{At: at, Title: text(6), Outlet: "Die Zeit"})
		d.Posts = append(d.Posts, Post{At: at, Title: text(8)})
	}
	if rng.IntN(2) == 0 {
		d.Custom = []string{text(3)}
	}
	return d
}

// TestAnalysedDocumentKeepsOtherOptions: a part of FieldText whose options
// differ from the first part's stays a field of its own (the segment writer
// merges it as before); the totals per name are still bleve's.
func TestAnalysedDocumentKeepsOtherOptions(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	changed := false
	for _, f := range m.DefaultMapping.Properties[FieldBio].Fields {
		if f.Name == FieldText {
			f.SkipFreqNorm, changed = true, true
		}
	}
	if !changed {
		t.Fatal("the bio has no part in the text field")
	}
	d := &Document{ID: 1, FirstName: "Anna", LastName: "Müller", Title: "Redakteurin", Bio: "Sie liebt Reisen and loves travel",
		Topics: []string{"Reisen"}}
	want, got := bothTerms(t, m, mustDocAnalysis(t, m), d)
	// The first part met (the mapping's order is a map's) takes the parts
	// with its options; those with other options stay apart.
	if got[FieldText].fields < 2 || got[FieldText].fields >= want[FieldText].fields {
		t.Fatalf("%d parts of %s became %d fields, want those with other options apart and the rest merged",
			want[FieldText].fields, FieldText, got[FieldText].fields)
	}
	if w, g := want[FieldText], got[FieldText]; g.length != w.length || !maps.Equal(g.freqs, w.freqs) {
		t.Fatalf("text: length %d, terms %v; bleve's %d, %v", g.length, g.freqs, w.length, w.freqs)
	}
}
