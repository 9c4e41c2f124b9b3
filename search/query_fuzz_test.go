package search

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The budget of one fuzz input. Generous against a loaded machine (the
// fuzzer runs a worker per core): what the limits let through takes well
// under a tenth of it.
const (
	fuzzParseTime   = 200 * time.Millisecond
	fuzzParseBytes  = 8 << 20
	fuzzSearchTime  = 500 * time.Millisecond
	fuzzSearchBytes = 64 << 20
)

// fuzzSeeds are texts people type and texts that broke the parser's
// neighbours: quotes of every kind, dashes, umlauts, addresses, handles,
// invalid UTF-8, and texts at and over the limits.
var fuzzSeeds = []string{
	"", " ", "müller", "Müller ", "mueller", "MÜLLER", "Jürgen Müller", "muenchen gesundheit", "die Bloggerin aus München",
	`"medizin und pflege"`, `-"medizin und pflege" müller`, `„Süddeutsche Zeitung“`, `"unclosed phrase`, `"`, `""`, `-`, `--`, `- -x`,
	"j.mueller@sz.de", "@jmueller_sz", "@", "@@", "a@b.c", "x@", "IT", "me", "redakt", "Schneidr",
	"M\xffller", "\xff\xfe", "\u0000", "\t\n\v\f\r", "„“”\"", "-„x", "ß", "İ", "ﬀ",
	strings.Repeat("x", MaxTextChars), strings.Repeat("x", MaxTextChars+1), strings.Repeat("ä", MaxTextChars+1),
	strings.TrimSpace(strings.Repeat("Müller ", MaxTextWords)), strings.Repeat("Müller ", MaxTextWords+1),
	strings.Repeat(`"a" `, 30), strings.Repeat("-a ", 30), strings.Repeat("a.", 200),
}

// testBuilder is the query builder with the index mapping's analyzers.
func testBuilder(t testing.TB) builder {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	return builder{analyze: func(name, text string) analysis.TokenStream {
		a := m.AnalyzerNamed(name)
		if a == nil {
			return nil
		}
		return a.Analyze([]byte(text))
	}}
}

// budget runs f and fails t when it takes longer than d or allocates more than n bytes.
func budget(t *testing.T, what string, d time.Duration, n uint64, f func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; took > d || alloc > n {
		t.Fatalf("%s took %v and allocated %d KB, budget %v and %d KB", what, took, alloc>>10, d, n>>10)
	}
}

// FuzzParse: checking any text against the limits, parsing it and building
// its bleve query stays within a small budget of time and memory, and what
// the parser returns is what the limits promise.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	b := testBuilder(f)
	f.Fuzz(func(t *testing.T, q string) {
		budget(t, "check, parse and build", fuzzParseTime, fuzzParseBytes, func() {
			s := Shorten(q)
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxTextChars || !strings.HasPrefix(strings.ToValidUTF8(q, ""), s) {
				t.Fatalf("Shorten gave %d characters, valid %v", utf8.RuneCountInString(s), utf8.ValidString(s))
			}
			err := CheckText(q)
			var te *TextError
			if err != nil && (!errors.As(err, &te) || te.Message == "" || len(err.Error()) > 200) {
				t.Fatalf("CheckText: %v", err)
			}
			if err != nil {
				return
			}
			terms, open := Parse(q)
			if len(terms) > MaxTextWords {
				t.Fatalf("%d terms passed the limit of %d", len(terms), MaxTextWords)
			}
			for _, term := range terms {
				if term.Text == "" {
					t.Fatalf("empty term in %+v", terms)
				}
			}
			_ = b.build(terms, open)
		})
	})
}

// FuzzSearch: any text searched on a small index, facets and snippets
// included, answers within the budget with hits or a refusal, never with
// another error.
func FuzzSearch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	ix := languageIndex(f)
	f.Fuzz(func(t *testing.T, q string) {
		budget(t, "search", fuzzSearchTime, fuzzSearchBytes, func() {
			_, err := ix.Search(context.Background(), Request{Q: q, Facets: true, Snippets: true})
			var te *TextError
			if err != nil && !errors.As(err, &te) {
				t.Fatalf("search: %v", err)
			}
		})
	})
}
