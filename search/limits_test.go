package search

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// measure runs f and returns how long it took and how many bytes it allocated.
func measure(f func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return took, after.TotalAlloc - before.TotalAlloc
}

// TestOverLongTextIsRefusedCheaply: text over the limits is refused at
// once, with a message a user can read, without the text in the error and
// without touching the index (issue 20: 600 KB of x took 4.9 GB and 5 s).
func TestOverLongTextIsRefusedCheaply(t *testing.T) {
	ix := languageIndex(t)
	tests := []struct{ name, q, want string }{
		{"err_600k_x", strings.Repeat("x", 600_000), "at most 500 characters"},
		{"err_10k_x", strings.Repeat("x", 10_000), "at most 500 characters"},
		{"err_140k_mueller", strings.Repeat("Müller ", 20_000), "at most 500 characters"},
		{"err_501_chars", strings.Repeat("ä", 501), "at most 500 characters"},
		{"err_21_words", strings.Repeat("Müller ", 21), "at most 20 words"},
		{"err_not_utf8", "M\xffller", "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			took, alloc := measure(func() { _, err = ix.Search(context.Background(), Request{Q: tt.q, Facets: true, Snippets: true}) })
			var te *TextError
			if !errors.As(err, &te) {
				t.Fatalf("err %v, want a *TextError", err)
			}
			if !strings.Contains(te.Message, tt.want) {
				t.Errorf("message %q, want it to say %q", te.Message, tt.want)
			}
			if len(err.Error()) > 200 {
				t.Errorf("the error carries the text (%d bytes): it must not reach the log", len(err.Error()))
			}
			if took > 100*time.Millisecond || alloc > 8<<20 {
				t.Errorf("refusing took %v and allocated %d KB, want < 100 ms and < 8 MB", took, alloc>>10)
			}
		})
	}
}

// TestTextWithinLimitsIsBounded: the most expensive text the limits let
// through (20 long words, typed prefixes, fuzzy words) answers within the
// budget.
func TestTextWithinLimitsIsBounded(t *testing.T) {
	ix := languageIndex(t)
	words := func(w string, n int) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	tests := []struct{ name, q string }{
		{"ok_20_names", words("Müller", 20)},
		{"ok_20_fuzzy_words", words("Schneidr", 20)},
		{"ok_one_word_500", strings.Repeat("x", 500)},
		{"ok_20_words_500_chars", words(strings.Repeat("y", 24), 20)},
		{"ok_typed_prefix", "me"},
		{"ok_phrases", words(`"medizin und pflege"`, 6)},
		{"ok_excluded", words("-müller", 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len([]rune(tt.q)); n > MaxTextChars {
				t.Fatalf("test text has %d characters, over the limit", n)
			}
			var err error
			took, alloc := measure(func() { _, err = ix.Search(context.Background(), Request{Q: tt.q, Facets: true, Snippets: true}) })
			if err != nil {
				t.Fatal(err)
			}
			if took > 200*time.Millisecond || alloc > 64<<20 {
				t.Errorf("search took %v and allocated %d KB, want < 200 ms and < 64 MB", took, alloc>>10)
			}
		})
	}
}

// TestSearchOverBudget: a search that would read more index terms than its
// budget, or run past its time, stops with ErrOverBudget, not bleve's text.
func TestSearchOverBudget(t *testing.T) {
	ix := languageIndex(t)
	saved := searchBudget
	t.Cleanup(func() { searchBudget = saved })
	tests := []struct {
		name  string
		time  time.Duration
		terms int
	}{
		{"err_terms", Budget, 5},
		{"err_time", time.Nanosecond, maxTermSearchers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			searchBudget.time, searchBudget.terms = tt.time, tt.terms
			_, err := ix.Search(context.Background(), Request{Q: "Müller Medizin me", Facets: true})
			if !errors.Is(err, ErrOverBudget) {
				t.Fatalf("err %v, want ErrOverBudget", err)
			}
		})
	}
	searchBudget = saved
	if _, err := ix.Search(context.Background(), Request{Q: "Müller Medizin me", Facets: true}); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
}
