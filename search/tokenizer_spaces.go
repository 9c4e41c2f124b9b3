package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// SpaceTokenizer names the tokenizer of AddressTokens: the runs of
// characters that are not Unicode spaces, as bleve's "whitespace" tokenizer
// cuts them (TestSpaceTokenizerIsWhitespace), found by eachWord without a
// token stream. bleve's makes a stream of room for 1,024 tokens for every
// value, which was 2.4 of the 25.7 GB that a build of 100,000 contacts
// allocated. Registered with WordTokenizer (tokenizer.go).
const SpaceTokenizer = "rapport_spaces"

type spaceTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (spaceTokenizer) Tokenize(in []byte) analysis.TokenStream {
	var stream analysis.TokenStream
	scanSpaces(in, func(start, end int) {
		stream = append(stream, &analysis.Token{Term: in[start:end], Start: start, End: end,
			Position: len(stream) + 1, Type: analysis.AlphaNumeric})
	})
	return stream
}

// scanSpaces calls f with the byte range of each run of characters of in
// that are not spaces. Like bleve's whitespace tokenizer it ends at the
// first byte that is not UTF-8 (or U+FFFD), keeping the run before it.
func scanSpaces(in []byte, f func(start, end int)) {
	start, end := 0, 0
	for i := 0; ; {
		r, size := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError {
			break
		}
		if unicode.IsSpace(r) {
			if end > start {
				f(start, end)
			}
			start = i + size
			end = start
		} else {
			end = i + size
		}
		i += size
	}
	if end > start {
		f(start, end)
	}
}
