package search

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
)

// Snippet is a piece of stored text around what matched, split into
// segments so that a page can mark the matches without trusting any HTML.
type Snippet struct {
	Field    string    // FieldBio, FieldTitle, FieldOutlets, FieldNotes, FieldCoverage or FieldPosts
	Date     time.Time // of the note, for FieldNotes
	Type     string    // interaction type of the note
	Segments []Segment
}

// Segment is a run of text, marked when it matched.
type Segment struct {
	Text string
	Mark bool
}

// snippetFields are the stored fields a snippet may come from, best first,
// with the analyzers that put their words into FieldText.
var snippetFields = []struct {
	stored    string
	analyzers []string
}{
	{FieldBio, []string{GermanProse, EnglishProse}},
	{FieldTitle, []string{GermanProse}},
	{FieldNotes, []string{GermanProse}},
	{FieldCoverage, []string{GermanProse}},
	{FieldPosts, []string{GermanProse, EnglishProse}},
	{FieldOutlets, []string{NameAnalyzer}},
}

// snippetStored are the stored fields a search reads for its hits' snippets.
var snippetStored = []string{FieldBio, FieldTitle, FieldOutlets, FieldNotes, FieldNoteMeta, FieldCoverage, FieldPosts}

// snippetWidth is about how many characters a snippet shows.
const snippetWidth = 180

// highlight is what a snippet marks: the terms the query's words make under
// each analyzer, and the word still being typed as a folded prefix. The
// stored text is analysed again to find them (FieldText keeps no places of
// its words).
type highlight struct {
	terms  map[string]map[string]bool // analyzer → terms
	prefix string
	named  func(analyzer string) analysis.Analyzer // the mapping's analyzers
	cache  *wordCache                              // the index's: what the filters make of a word
}

// newHighlight collects the terms of the positive words and phrases.
func newHighlight(b builder, terms []Term, open bool) *highlight {
	hl := &highlight{terms: map[string]map[string]bool{}, named: b.named, cache: b.words}
	if hl.cache == nil {
		hl.cache = &wordCache{}
	}
	for i, t := range terms {
		if t.Exclude || t.isEmail() || t.isHandle() {
			continue
		}
		for _, a := range []string{NameAnalyzer, GermanProse, EnglishProse} {
			if hl.terms[a] == nil {
				hl.terms[a] = map[string]bool{}
			}
			for _, tok := range b.tokens(a, t.Text) {
				hl.terms[a][tok] = true
			}
		}
		if open && i == len(terms)-1 && !t.Phrase {
			if p := Fold(strings.ToLower(t.Text)); utf8.RuneCountInString(p) >= 2 {
				hl.prefix = p
			}
		}
	}
	return hl
}

// snippetOf picks the best stored field that has the query's words and cuts
// a snippet around them. A field further down the list wins only when more
// distinct words matched in it.
func (hl *highlight) snippetOf(h *search.DocumentMatch) *Snippet {
	var best *Snippet
	bestTerms := 0
	for _, sf := range snippetFields {
		for elem := 0; ; elem++ {
			text := storedElem(h.Fields[sf.stored], elem)
			if text == "" {
				break
			}
			marks, n := hl.marks(text, sf.analyzers)
			if n <= bestTerms {
				continue
			}
			s := &Snippet{Field: sf.stored, Segments: cut(text, marks)}
			if sf.stored == FieldNotes {
				meta := storedElem(h.Fields[FieldNoteMeta], elem)
				day, typ, _ := strings.Cut(meta, " ")
				s.Date, _ = time.Parse(time.DateOnly, day)
				s.Type = typ
			}
			best, bestTerms = s, n
		}
	}
	return best
}

// marks are the byte ranges of text's words that the query has, sorted,
// and how many distinct words they are. An analyzer that is a tokenizer and
// token filters (all of the snippets') is applied word by word: eachWord
// walks the text's words without making tokens (once per analyzer: bio and
// posts are German and English), and what the filters make of a word is looked up in
// the index's word cache (matchedIn), since the values of the hits repeat
// their words. The filters act on each token alone, so the marks are those
// of analysing the whole text (TestSnippetMarksAsWholeAnalysis).
func (hl *highlight) marks(text string, analyzers []string) ([][2]int, int) {
	var marks [][2]int
	words := map[string]bool{}
	mark := func(start, end int) {
		marks = append(marks, [2]int{start, end})
		words[strings.ToLower(text[start:end])] = true
	}
	value := []byte(text)
	for _, a := range analyzers {
		da := hl.wordwise(a)
		if da == nil {
			continue // every analyzer of snippetFields is one (TestSnippetMarksAsWholeAnalysis)
		}
		eachWord(da.Tokenizer, value, func(w *analysis.Token) {
			for _, r := range hl.matchedIn(a, da, w) {
				mark(w.Start+r[0], w.Start+r[1])
			}
		})
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i][0] != marks[j][0] {
			return marks[i][0] < marks[j][0]
		}
		return marks[i][1] > marks[j][1]
	})
	return marks, len(words)
}

// has reports whether the query has term (of analyzer a) or, typed, its
// prefix; folded is Fold(term) (needed only with a prefix).
func (hl *highlight) has(a, term, folded string) bool {
	return hl.terms[a][term] || (hl.prefix != "" && strings.HasPrefix(folded, hl.prefix))
}

// wordwise is analyzer a as a tokenizer and token filters, or nil when it is
// not one (it has character filters, or is of another kind).
func (hl *highlight) wordwise(a string) *analysis.DefaultAnalyzer {
	if hl.named == nil {
		return nil
	}
	da, ok := hl.named(a).(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 || da.Tokenizer == nil {
		return nil
	}
	return da
}

// matchedIn are the byte ranges, relative to word w, of the terms that da's
// filters make of w (from the index's word cache) and the query has
// (several for a compound).
func (hl *highlight) matchedIn(a string, da *analysis.DefaultAnalyzer, w *analysis.Token) [][2]int {
	var rs [][2]int
	for _, t := range hl.cache.terms(a, da, w) {
		if hl.has(a, t.term, t.folded) {
			rs = append(rs, [2]int{t.start, t.end})
		}
	}
	return rs
}

// storedElem is element i of a stored field (a string or a list of them).
func storedElem(v any, i int) string {
	switch v := v.(type) {
	case string:
		if i == 0 {
			return v
		}
	case []any:
		if i < len(v) {
			s, _ := v[i].(string)
			return s
		}
	}
	return ""
}

// cut returns segments of text around the byte ranges marks (sorted by
// start): a window of about snippetWidth characters that starts a little
// before the first mark, with "…" where text was left out.
func cut(text string, marks [][2]int) []Segment {
	var valid [][2]int
	last := 0
	for _, m := range marks {
		if m[0] >= last && m[1] <= len(text) && m[0] < m[1] && utf8.RuneStart(text[m[0]]) {
			valid = append(valid, m)
			last = m[1]
		}
	}
	start, end := 0, len(text)
	if len(valid) > 0 && valid[0][0] > 40 {
		start = valid[0][0] - 40
		if sp := strings.IndexByte(text[start:valid[0][0]], ' '); sp >= 0 {
			start += sp + 1
		}
		for start < len(text) && !utf8.RuneStart(text[start]) {
			start++
		}
	}
	if end-start > snippetWidth {
		end = start + snippetWidth
		if sp := strings.LastIndexByte(text[start:end], ' '); sp > snippetWidth/2 {
			end = start + sp
		}
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
	}
	var segs []Segment
	if start > 0 {
		segs = append(segs, Segment{Text: "…"})
	}
	pos := start
	for _, m := range valid {
		if m[0] < pos || m[1] > end {
			continue
		}
		if m[0] > pos {
			segs = append(segs, Segment{Text: text[pos:m[0]]})
		}
		segs = append(segs, Segment{Text: text[m[0]:m[1]], Mark: true})
		pos = m[1]
	}
	if pos < end {
		segs = append(segs, Segment{Text: text[pos:end]})
	}
	if end < len(text) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}
