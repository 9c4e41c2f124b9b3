package search

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// snippetVocabulary mixes what the analyzers treat specially: compounds,
// feminine forms, umlauts and their spellings, stop words, English forms,
// hyphens, digits, e-mail addresses, punctuation.
var snippetVocabulary = []string{"Gesundheitsbloggerin", "Wärmepumpen-Vergleich", "Redakteurinnen", "Redakteur",
	"Journalistin", "Journalisten", "die", "der", "und", "aus", "München", "Muenchen", "Straße", "Müller",
	"Mueller", "loves", "loving", "running", "the", "of", "E-Mail", "2025", "Pflege,", "Medizin.", "(Reisen)",
	"Berlin", "Magazin", "Energiewende", "Nachhaltigkeit", "community", "Communitys", "anna@example.de",
	"Reisebloggerinnen", "Foodblogger", "Ärztin", "Öko-Test", "SPIEGEL", "ß", "„Zitat“", "co-founder", "it's"}

// TestSnippetMarksAsWholeAnalysis: marking word by word (one cut for the
// analyzers that share a tokenizer, each word's filtered terms memoized)
// marks the same ranges and counts the same words as analysing each whole
// value, for random texts and queries under every analyzer set a snippet
// field uses.
func TestSnippetMarksAsWholeAnalysis(t *testing.T) {
	ix, err := createIndex(filepath.Join(t.TempDir(), "gen-000001"), "gen-000001", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	b := ix.builder()
	if b.named == nil {
		t.Fatal("the index's builder has no analyzers")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	word := func() string { return snippetVocabulary[rng.IntN(len(snippetVocabulary))] }
	compared, marked := 0, 0
	for i := range 300 {
		var q []string
		for range 1 + rng.IntN(2) {
			w := word()
			if rng.IntN(3) == 0 {
				w = w[:max(2, len(w)/2)] // a prefix while typing
			}
			q = append(q, w)
		}
		terms, open := Parse(strings.Join(q, " "))
		wordwise := newHighlight(b, terms, open)
		whole := newHighlight(builder{analyze: b.analyze}, terms, open)
		for range 5 {
			var text []string
			for range 3 + rng.IntN(30) {
				text = append(text, word())
			}
			v := strings.Join(text, " ")
			for _, sf := range snippetFields {
				got, gotN := wordwise.marks(v, sf.analyzers)
				want, wantN := whole.marks(v, sf.analyzers)
				if gotN != wantN || !slices.Equal(got, want) {
					t.Fatalf("query %d %q, %v on %q: word by word %v (%d words), whole %v (%d)", i, q, sf.analyzers, v, got, gotN, want, wantN)
				}
				compared++
				if wantN > 0 {
					marked++
				}
			}
		}
	}
	t.Logf("%d values compared, %d with marks", compared, marked)
	if marked < compared/4 {
		t.Fatalf("only %d of %d values had marks: the comparison says little", marked, compared)
	}
}
