package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// sameTokens fails unless the word tokenizer cuts text exactly as bleve's
// unicode tokenizer does (terms, offsets, positions and types), and
// eachWord walks the same words.
func sameTokens(t testing.TB, text string) {
	t.Helper()
	sameAsTokenizer(t, unicode.NewUnicodeTokenizer(), wordTokenizer{slow: unicode.NewUnicodeTokenizer()}, text)
}

// sameAsTokenizer fails unless tk cuts text as want does (terms, offsets,
// positions and types), and eachWord walks the same words.
func sameAsTokenizer(t testing.TB, want, tk analysis.Tokenizer, text string) {
	t.Helper()
	w := want.Tokenize([]byte(text))
	if got := tk.Tokenize([]byte(text)); show(got) != show(w) {
		t.Fatalf("tokens of %q:\n got %s\nwant %s", text, show(got), show(w))
	}
	var walked analysis.TokenStream
	eachWord(tk, []byte(text), func(w *analysis.Token) { c := *w; walked = append(walked, &c) })
	if show(walked) != show(w) {
		t.Fatalf("eachWord of %q:\n got %s\nwant %s", text, show(walked), show(w))
	}
}

func show(s analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range s {
		fmt.Fprintf(&b, "[%s %d-%d #%d %d]", t.Term, t.Start, t.End, t.Position, t.Type)
	}
	return b.String()
}

// classed are the characters latinWords knows beyond letters and digits,
// and some it does not (so that the tests take the unicode tokenizer's path too).
var classed = []rune{' ', '\t', '\n', '\r', '.', ',', ';', ':', '\'', '_', '-', '/', '@', '#', '%', '&', '(', ')', '"', '?', '!',
	'\u00a0', '§', '©', '«', '®', '°', '»', '·', 'ª', 'µ', 'º', '×', '÷', '‘', '’', '–', '—', '‚', '“', '”', '„', '•', '…', '‹', '›', '€',
	'ä', 'ö', 'ü', 'ß', 'Ä', 'é', 'ł', 'ſ', 'ŉ', '☕', '🏔', '📷', '🤝'}

var unclassed = []rune{'\u0301', '\u00ad', '\u200d', '\u202f', '\ufe0f', '\U0001f3fd', 'م', '日', 'ا', '٣', '²', '\x00', '\u2024', 'ƀ'}

// TestWordTokenizerClasses checks every class latinWords gives a character
// beyond ASCII, and every ASCII byte, between letters and digits.
func TestWordTokenizerClasses(t *testing.T) {
	var rs []rune
	for r := rune(0); r <= utf8.MaxRune; r++ { // every character: one classed by mistake anywhere shows
		if r < 0x80 || runeClass(r) != unknown {
			rs = append(rs, r)
		}
	}
	for _, r := range rs {
		c := string(r)
		for _, s := range []string{c, "a" + c, c + "a", "a" + c + "b", "1" + c + "2", "a" + c + "2", "1" + c + "b", "_" + c + "_",
			c + c, "ab" + c + c + "cd", "x " + c + " y", "a" + c + "b" + c + "c"} {
			sameTokens(t, s)
		}
	}
}

// TestWordTokenizerIsUnicode compares the two tokenizers on random texts
// made of letters, digits, the known punctuation and some unknown
// characters, and on German and English prose.
func TestWordTokenizerIsUnicode(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 19))
	alphabet := append([]rune("abcxyzABC0129_"), classed...)
	for range 20000 {
		var b strings.Builder
		n := rng.IntN(14)
		for range n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		if rng.IntN(20) == 0 {
			b.WriteRune(unclassed[rng.IntN(len(unclassed))])
		}
		sameTokens(t, b.String())
	}
	for _, s := range []string{"",
		"Müller-Lüdenscheid berichtet seit 2019 über Gesundheit, Pflege & Medizin – u.a. für die „Süddeutsche“.",
		"It's the editor's pick: 3.000,00 € (12,5 %) at 10:30 — e.g. U.S.A.; see https://example.org/a_b?c=d#e.",
		"Journalist·innen, Blogger:innen und Creator_innen; geht’s? «Ja» ‹nein› … • ° § ©",
		strings.Repeat("Straße ", 100), strings.Repeat("x", 1000),
	} {
		sameTokens(t, s)
	}
}

// FuzzWordTokenizer: any text is cut as the unicode tokenizer cuts it.
func FuzzWordTokenizer(f *testing.F) {
	for _, s := range []string{"a.b 1,5 it's", "Müller-Lüdenscheid „x“", "1_a _ __ a_1", "a·b 1:2 a’b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		sameTokens(t, s)
	})
}

func BenchmarkWordTokenizer(b *testing.B) {
	text := []byte(strings.Repeat("Müller-Lüdenscheid berichtet seit 2019 über Gesundheit, Pflege und Medizin für die „Süddeutsche“. ", 8))
	for name, tk := range map[string]analysis.Tokenizer{
		"unicode": unicode.NewUnicodeTokenizer(), "words": wordTokenizer{slow: unicode.NewUnicodeTokenizer()},
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tk.Tokenize(text)
			}
		})
	}
}

// TestAnalyzersAsOnUnicode: every analyzer of the mapping makes the same
// terms as with bleve's unicode tokenizer, and EnglishProse the same as
// bleve's own English analyzer.
func TestAnalyzersAsOnUnicode(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	english, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 19))
	words := strings.Fields("Müller-Lüdenscheid berichtet seit 2019 über Gesundheitsblogger, Journalistinnen & Medizin – u.a. für die „Süddeutsche“. " +
		"It's the editor's pick: loves running stories (12,5 %) at 10:30 — e.g. U.S.A.; Straße Muenchen café naïve Łódź geht’s 😀 日本")
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteString([]string{" ", ", ", "-", ". ", "’", "_"}[rng.IntN(6)])
		}
		text := b.String() // each analysis gets its own copy: filters may change terms in place
		for _, a := range []string{NameAnalyzer, GermanProse, EnglishProse} {
			da := m.AnalyzerNamed(a).(*analysis.DefaultAnalyzer)
			ref := &analysis.DefaultAnalyzer{Tokenizer: unicode.NewUnicodeTokenizer(), TokenFilters: da.TokenFilters}
			if got, want := show(da.Analyze([]byte(text))), show(ref.Analyze([]byte(text))); got != want {
				t.Fatalf("%s of %q:\n got %s\nwant %s", a, text, got, want)
			}
		}
		if got, want := show(m.AnalyzerNamed(EnglishProse).Analyze([]byte(text))), show(english.Analyze([]byte(text))); got != want {
			t.Fatalf("English of %q:\n got %s\nwant %s", text, got, want)
		}
	}
}
