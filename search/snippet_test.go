package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
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
	ix := emptyIndex(t)
	b := ix.builder()
	hl := newHighlight(b, nil, false)
	for _, sf := range snippetFields {
		for _, a := range sf.analyzers {
			if hl.wordwise(a) == nil {
				t.Fatalf("%s (%s) is not a tokenizer and token filters: its snippets would mark nothing", a, sf.stored)
			}
		}
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
		for range 5 {
			var text []string
			for range 3 + rng.IntN(30) {
				text = append(text, word())
			}
			v := strings.Join(text, " ")
			for _, sf := range snippetFields {
				got, gotN := wordwise.marks(v, sf.analyzers)
				want, wantN := wholeMarks(b, wordwise, v, sf.analyzers)
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

// wholeMarks is what marks found before it went word by word: each
// analyzer's analysis of the whole value, its terms that the query has.
func wholeMarks(b builder, hl *highlight, text string, analyzers []string) ([][2]int, int) {
	var marks [][2]int
	words := map[string]bool{}
	for _, a := range analyzers {
		for _, t := range b.analyze(a, text) {
			if term := string(t.Term); hl.has(a, term, Fold(term)) {
				marks = append(marks, [2]int{t.Start, t.End})
				words[strings.ToLower(text[t.Start:t.End])] = true
			}
		}
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i][0] != marks[j][0] {
			return marks[i][0] < marks[j][0]
		}
		return marks[i][1] > marks[j][1]
	})
	return marks, len(words)
}

// TestWordCacheIsBounded: the snippets' word cache never holds more than
// maxCachedWords words, however many distinct words the hits bring, and
// answers as the filters do after it started afresh.
func TestWordCacheIsBounded(t *testing.T) {
	ix := emptyIndex(t)
	da, ok := ix.b.Mapping().AnalyzerNamed(GermanProse).(*analysis.DefaultAnalyzer)
	if !ok {
		t.Fatalf("%s is not a tokenizer and filters", GermanProse)
	}
	c := &wordCache{}
	for i := range maxCachedWords + 10 {
		w := fmt.Sprintf("Gesundheitsbloggerinnen%d", i)
		c.terms(GermanProse, da, &analysis.Token{Term: []byte(w), End: len(w), Type: analysis.AlphaNumeric})
		if c.n > maxCachedWords {
			t.Fatalf("%d words cached, at most %d", c.n, maxCachedWords)
		}
	}
	w := "Redakteurinnen"
	got := c.terms(GermanProse, da, &analysis.Token{Term: []byte(w), End: len(w), Type: analysis.AlphaNumeric})
	if len(got) != 1 || got[0].term != "redakteur" || got[0].end != len(w) {
		t.Fatalf("after starting afresh: %+v", got)
	}
}
