package search

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// WordTokenizer names the tokenizer of every prose and name analyzer: the
// words of bleve's "unicode" tokenizer (Unicode word boundaries, UAX #29,
// as github.com/blevesearch/segment draws them), cut by a byte-class loop
// when the text is written in the Latin letters, digits and punctuation of
// German and English (nearly every value Rapport holds), and by the unicode
// tokenizer itself otherwise. Both make the same tokens
// (TestWordTokenizerIsUnicode, FuzzWordTokenizer); the loop is several
// times faster (BenchmarkWordTokenizer), which indexing and every search's
// snippets feel.
const WordTokenizer = "rapport_words"

func init() {
	for name, tk := range map[string]analysis.Tokenizer{
		WordTokenizer: wordTokenizer{slow: unicode.NewUnicodeTokenizer()}, SpaceTokenizer: spaceTokenizer{},
	} {
		if err := registry.RegisterTokenizer(name, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			return tk, nil
		}); err != nil {
			panic(err)
		}
	}
}

type wordTokenizer struct{ slow analysis.Tokenizer }

// Tokenize implements analysis.Tokenizer.
func (t wordTokenizer) Tokenize(in []byte) analysis.TokenStream {
	if stream, ok := latinWords(in); ok {
		return stream
	}
	return t.slow.Tokenize(in)
}

// The word-break classes of UAX #29 that latinWords knows. A character of
// class unknown (a combining mark, an emoji modifier or joiner, any other
// script) makes it hand the whole text to the unicode tokenizer.
const (
	unknown      byte = iota
	other             // breaks on both sides and is no word: spaces, most punctuation
	aLetter           // a letter of the Latin script
	numeric           // 0–9
	midLetter         // : ·
	midNum            // , ;
	midNumLet         // . ' ‘ ’
	extendNumLet      // _
)

// asciiClass is the class of each ASCII byte; control characters other
// than tab, line feed and carriage return are unknown.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := ' '; c < utf8.RuneSelf-1; c++ {
		t[c] = other
	}
	t['\t'], t['\n'], t['\r'] = other, other, other
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = aLetter, aLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = numeric
	}
	t[':'], t[','], t[';'], t['.'], t['\''], t['_'] = midLetter, midNum, midNum, midNumLet, midNumLet, extendNumLet
	return t
}()

// runeClass is the class of a character beyond ASCII: the letters of
// Latin-1 and Latin Extended-A, the punctuation of German and English
// typography, and emoji. Every entry is checked against the segmenter
// (TestWordTokenizerClasses).
func runeClass(r rune) byte {
	switch {
	case r >= 0xC0 && r <= 0x17F && r != 0xD7 && r != 0xF7, r == 0xAA, r == 0xB5, r == 0xBA:
		return aLetter
	case r >= 0x2600 && r <= 0x27BF, r >= 0x1F300 && r <= 0x1F6FF && (r < 0x1F3FB || r > 0x1F3FF), r >= 0x1F900 && r <= 0x1F9FF:
		return other // symbols, dingbats and emoji (bios have them), not the skin tones, which extend the one before
	}
	switch r {
	case 0xB7:
		return midLetter
	case 0x2018, 0x2019:
		return midNumLet
	case 0xA0, 0xA7, 0xA9, 0xAB, 0xAE, 0xB0, 0xBB, // no-break space § © « ® ° »
		0x2013, 0x2014, 0x201A, 0x201C, 0x201D, 0x201E, 0x2022, 0x2026, 0x2039, 0x203A, 0x20AC: // – — ‚ “ ” „ • … ‹ › €
		return other
	}
	return unknown
}

// latinWords cuts in into the words of the unicode tokenizer, with their
// byte offsets, positions and types, when every character of in has a known
// class (ok false otherwise).
func latinWords(in []byte) (analysis.TokenStream, bool) {
	words, ok := knownWords(in)
	if !ok {
		return nil, false
	}
	tokens := make([]analysis.Token, words)
	stream := make(analysis.TokenStream, 0, words)
	scanWords(in, func(start, end int, numeric bool) {
		t := &tokens[len(stream)]
		setWord(t, in, start, end, len(stream)+1, numeric)
		stream = append(stream, t)
	})
	return stream, true
}

// setWord makes t the word in[start:end] at position, as the unicode
// tokenizer types it.
func setWord(t *analysis.Token, in []byte, start, end, position int, numeric bool) {
	t.Term, t.Start, t.End, t.Position = in[start:end], start, end, position
	t.Type = analysis.AlphaNumeric
	if numeric {
		t.Type = analysis.Numeric
	}
}

// eachWord calls f with each word that tk cuts in into, in order. When tk
// is the word tokenizer and in is written in known characters, the space
// tokenizer, or the keyword analyzer's, the words are found without making
// a token stream: f gets the same token each time, changed (a search's
// snippets cut many stored values, a build every document's).
func eachWord(tk analysis.Tokenizer, in []byte, f func(*analysis.Token)) {
	switch tk.(type) {
	case wordTokenizer:
		if _, ok := knownWords(in); ok {
			var t analysis.Token
			scanWords(in, func(start, end int, numeric bool) {
				setWord(&t, in, start, end, t.Position+1, numeric)
				f(&t)
			})
			return
		}
	case spaceTokenizer:
		var t analysis.Token
		scanSpaces(in, func(start, end int) {
			t = analysis.Token{Term: in[start:end], Start: start, End: end, Position: t.Position + 1, Type: analysis.AlphaNumeric}
			f(&t)
		})
		return
	case *single.SingleTokenTokenizer: // the keyword analyzer's
		f(&analysis.Token{Term: in, End: len(in), Position: 1, Type: analysis.AlphaNumeric})
		return
	}
	for _, t := range tk.Tokenize(in) {
		f(t)
	}
}

// knownWords says whether every character of in has a known class, and if
// so, at most how many words it holds.
func knownWords(in []byte) (int, bool) {
	words, inWord := 0, false
	for i := 0; i < len(in); {
		k, size := classAt(in, i)
		if k == unknown {
			return 0, false
		}
		w := inWordClass(k)
		if w && !inWord {
			words++ // at most: a middle character may join two runs
		}
		inWord = w
		i += size
	}
	return words, true
}

// scanWords calls f with the byte range of each word of in, which knownWords
// accepted, and whether it is a number. Words join across the rules
// WB5–WB13b of UAX #29: letters, digits and underscores run together, a
// MidLetter or MidNumLet joins two letters, a MidNum or MidNumLet two digits.
func scanWords(in []byte, f func(start, end int, numeric bool)) {
	for i := 0; i < len(in); {
		k, size := classAt(in, i)
		if !inWordClass(k) {
			i += size
			continue
		}
		start := i
		letters, digits := k == aLetter, k == numeric
		for i += size; i < len(in); i += size {
			prev := k
			k, size = classAt(in, i)
			if k == midLetter || k == midNum || k == midNumLet {
				if i+size == len(in) {
					break
				}
				after, n := classAt(in, i+size)
				if !(prev == aLetter && after == aLetter && k != midNum) && !(prev == numeric && after == numeric && k != midLetter) {
					break
				}
				i, k, size = i+size, after, n // the middle character and the one after it join
			} else if !inWordClass(k) {
				break
			}
			letters = letters || k == aLetter
			digits = digits || k == numeric
		}
		f(start, i, digits && !letters)
	}
}

// inWordClass reports whether characters of class k make up words
// (letters, digits and underscores; the middle characters only join them).
func inWordClass(k byte) bool { return k == aLetter || k == numeric || k == extendNumLet }

// classAt is the class and size of the character at byte i of in.
func classAt(in []byte, i int) (byte, int) {
	if c := in[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, size := utf8.DecodeRune(in[i:])
	return runeClass(r), size
}
