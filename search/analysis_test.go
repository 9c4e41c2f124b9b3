package search

import (
	"math/rand"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// TestFoldASCII: the fast path of folding for ASCII words does exactly what
// bleve's German normalisation does to them.
func TestFoldASCII(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	letters := "aeiouqyxbsnt"
	for i := 0; i < 200000; i++ {
		n := 1 + r.Intn(10)
		b := make([]byte, n)
		for j := range b {
			b[j] = letters[r.Intn(len(letters))]
		}
		want := string(germanNormalize.Filter(analysis.TokenStream{{Term: append([]byte(nil), b...)}})[0].Term)
		got, _ := foldASCII(b)
		if string(got) != want {
			t.Fatalf("%q: got %q want %q", b, got, want)
		}
	}
}

// TestFoldGerman: the quick path of the fold filter agrees with Fold.
func TestFoldGerman(t *testing.T) {
	for _, w := range []string{"münchen", "müller", "groß", "größe", "gebäude", "äußerst", "rückmeldung",
		"wünscht", "übergröße", "bräuer", "koeln", "köln", "straße", "öl", "ä", "über"} {
		got, ok := foldGerman([]byte(w))
		if !ok {
			t.Errorf("foldGerman(%q) not handled", w)
			continue
		}
		if string(got) != Fold(w) {
			t.Errorf("foldGerman(%q) = %q, Fold = %q", w, got, Fold(w))
		}
	}
	for _, w := range []string{"françois", "łukasz", "søren", "\xc3"} {
		if _, ok := foldGerman([]byte(w)); ok {
			t.Errorf("foldGerman(%q) handled, want Fold", w)
		}
	}
}
