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
