package search

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// maxCachedWords bounds a wordCache: past it the cache starts afresh (the
// words in use come back within a few searches). A team's contacts use some
// tens of thousands of distinct words; an entry takes about 100 bytes.
const maxCachedWords = 100_000

// filtered is a term that an analyzer's token filters made of a word, at
// bytes start–end of the word (a compound's parts are at the whole word).
type filtered struct {
	start, end int
	term       string
	raw        []byte // term's bytes, shared by every document's token frequencies that hold it
	folded     string // Fold(term), which a typed prefix is compared with
}

// wordCache holds what each analyzer's token filters make of a word, for
// the snippets of every search on one index and for the documents of a
// build (docAnalysis): analysis is deterministic, and the stored values of
// the hits and the documents repeat the vocabulary of a team's contacts
// (their bios, notes, posts and coverage), so a word is filtered once, not
// once per value and search or document.
type wordCache struct {
	mu sync.RWMutex
	by map[string]map[string][]filtered // analyzer → word → terms
	n  int
}

// terms are the terms that da's filters (analyzer a) make of word w, as the
// tokenizer cut it.
func (c *wordCache) terms(a string, da *analysis.DefaultAnalyzer, w *analysis.Token) []filtered {
	c.mu.RLock()
	ts, ok := c.by[a][string(w.Term)]
	c.mu.RUnlock()
	if ok {
		return ts
	}
	word := string(w.Term)
	stream := analysis.TokenStream{{Term: []byte(word), Start: 0, End: w.End - w.Start, Position: 1, Type: w.Type, KeyWord: w.KeyWord}}
	for _, f := range da.TokenFilters {
		stream = f.Filter(stream)
	}
	ts = make([]filtered, len(stream))
	for i, t := range stream {
		term := string(t.Term)
		ts[i] = filtered{t.Start, t.End, term, []byte(term), Fold(term)}
	}
	c.mu.Lock()
	if c.by == nil || c.n >= maxCachedWords {
		c.by, c.n = map[string]map[string][]filtered{}, 0
	}
	if c.by[a] == nil {
		c.by[a] = map[string][]filtered{}
	}
	c.by[a][word] = ts
	c.n++
	c.mu.Unlock()
	return ts
}
