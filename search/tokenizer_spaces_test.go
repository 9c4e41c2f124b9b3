package search

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/registry"
)

func whitespaceTokenizer(t testing.TB) analysis.Tokenizer {
	t.Helper()
	tk, err := registry.NewCache().TokenizerNamed(whitespace.Name)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestSpaceTokenizerIsWhitespace: SpaceTokenizer cuts random texts of
// letters, addresses, every kind of Unicode space, invalid UTF-8 and U+FFFD
// as bleve's whitespace tokenizer does; eachWord walks the keyword
// analyzer's one token as its tokenizer makes it.
func TestSpaceTokenizerIsWhitespace(t *testing.T) {
	ws := whitespaceTokenizer(t)
	rng := rand.New(rand.NewPCG(6, 19))
	alphabet := []string{"a", "Z", "ü", "@", ".", "-", "😀", " ", "\t", "\n", "\r", "\v", "\f", "\u0085", "\u00a0", "\u1680",
		"\u2003", "\u2028", "\u202f", "\u3000", "\u200b", "\ufffd", "\xff", "\xc3"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		sameAsTokenizer(t, ws, spaceTokenizer{}, b.String())
	}
	for _, s := range []string{"", " ", "anna.mueller@redaktion.example", "  a  b  ", "vor\u00a0nach@x.de\tb@y.de ", "a\xffb c"} {
		sameAsTokenizer(t, ws, spaceTokenizer{}, s)
		sameAsTokenizer(t, single.NewSingleTokenTokenizer(), single.NewSingleTokenTokenizer(), s)
	}
}

// FuzzSpaceTokenizer: any text is cut as bleve's whitespace tokenizer cuts it.
func FuzzSpaceTokenizer(f *testing.F) {
	for _, s := range []string{"a b", "a\u00a0b\u3000c", "a\xffb", "\ufffd x"} {
		f.Add(s)
	}
	ws := whitespaceTokenizer(f)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		sameAsTokenizer(t, ws, spaceTokenizer{}, s)
	})
}
