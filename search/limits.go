package search

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// The limits on search text. Every text that reaches the index (the search
// page, the top bar, the contact list, segments, exports, the command line)
// passes CheckText first, in Index.Search and Service.MatchIDs; pages call it
// themselves to answer with a message next to the field. Within them a
// search costs at most a few tens of milliseconds and megabytes; unbounded,
// 600 KB of one letter took 4.9 GB (issue 20). docs/SEARCH.md states them.
const (
	// MaxTextChars is the most characters (runes, after trimming spaces) a
	// search text may have.
	MaxTextChars = 500
	// MaxTextWords is the most words, "phrases" and -exclusions a search
	// text may have; each one is a query on eleven fields.
	MaxTextWords = 20
	// MaxFilterValues is the most values one facet filter may have (each
	// is a term query; a URL holds a hundred thousand).
	MaxFilterValues = 50
	// fuzzyMin and fuzzyMax bound the words that also match names with one
	// typo: the automaton of a fuzzy word grows with its length (10,000
	// letters made bleve fail with "dfa contains more than 10000 states").
	fuzzyMin, fuzzyMax = 5, 20
	// prefixMax bounds the word still being typed that also matches as a
	// prefix; the shortest are in word (2 letters in names, 3 elsewhere).
	prefixMax = 40
	// maxTermSearchers caps the index terms one search may read, over the
	// whole query: words times fields plus the expansions of prefixes and
	// typos. A 20-word query reads about 250 (plus the typo expansions); a
	// two-letter prefix as many as the index has words that start so.
	maxTermSearchers = 20_000
	// Budget is the most time one search may take; past it the search
	// stops and answers ErrOverBudget.
	Budget = 3 * time.Second
)

// TextError says why a search text is refused. Message is safe to show to
// the user; the error never carries the text itself (it may be megabytes,
// and it may be personal data bound for the log).
type TextError struct {
	Message string
	Chars   int // the text's length in bytes
}

// Error implements error.
func (e *TextError) Error() string {
	return fmt.Sprintf("search text refused (%d bytes): %s", e.Chars, e.Message)
}

// ErrOverBudget is returned when a search runs past its Budget or would
// read more than maxTermSearchers index terms.
var ErrOverBudget = errors.New("search: over its time or term budget")

// CheckText returns a *TextError when q is not valid UTF-8 or over
// MaxTextChars or MaxTextWords, else nil. It costs nothing on long texts:
// the byte length rules them out before any scan.
func CheckText(q string) error {
	q = strings.TrimSpace(q)
	switch {
	case len(q) > utf8.UTFMax*MaxTextChars || (len(q) > MaxTextChars && utf8.RuneCountInString(q) > MaxTextChars):
		return &TextError{Message: fmt.Sprintf("The search text is too long: at most %d characters.", MaxTextChars), Chars: len(q)}
	case !utf8.ValidString(q):
		return &TextError{Message: "The search text is not valid text (check its encoding).", Chars: len(q)}
	}
	if terms, _ := Parse(q); len(terms) > MaxTextWords {
		return &TextError{Message: fmt.Sprintf("The search text has too many words: at most %d words.", MaxTextWords), Chars: len(q)}
	}
	return nil
}

// CheckFilters returns a *TextError when a facet filter has more than
// MaxFilterValues values, else nil.
func CheckFilters(filters map[string][]string) error {
	for _, vs := range filters {
		if len(vs) > MaxFilterValues {
			return &TextError{Message: fmt.Sprintf("Too many filters: at most %d values of one kind.", MaxFilterValues)}
		}
	}
	return nil
}

// Shorten cuts q to MaxTextChars characters of valid UTF-8, so that a page
// can show what the user typed without echoing megabytes.
func Shorten(q string) string {
	q = strings.ToValidUTF8(q[:min(len(q), utf8.UTFMax*MaxTextChars)], "")
	if utf8.RuneCountInString(q) <= MaxTextChars {
		return q
	}
	n := 0
	for i := range q {
		if n == MaxTextChars {
			return q[:i]
		}
		n++
	}
	return q
}

// searchBudget is what budgeted allows one search; tests lower it.
var searchBudget = struct {
	time  time.Duration
	terms int
}{Budget, maxTermSearchers}

// budgeted returns ctx with the per-search limits: the Budget deadline and
// bleve's cap on the term searchers of one search.
func budgeted(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, searchBudget.terms)
	return context.WithTimeout(ctx, searchBudget.time)
}

// overBudget turns bleve's answer to a search that ran out of time or terms
// into ErrOverBudget; the caller's own cancellation stays what it is.
func overBudget(parent context.Context, err error) error {
	if err != nil && parent.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "TooManyTermSearchers")) {
		return ErrOverBudget
	}
	return err
}
