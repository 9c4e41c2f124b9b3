package search

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// Snippet is a piece of stored text around what matched, split into
// segments so that a page can mark the matches without trusting any HTML.
type Snippet struct {
	Field    string    // FieldBio, FieldTitle, FieldOutlets or FieldNotes
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
// with the indexed fields whose matches point into them.
var snippetFields = []struct {
	stored  string
	indexed []string
}{
	{FieldBio, []string{FieldBio}}, // (FieldBioEN keeps no places of its words)
	{FieldTitle, []string{FieldTitle}},
	{FieldNotes, []string{FieldNotes}},
	{FieldOutlets, []string{FieldOutlets}},
}

// snippetWidth is about how many characters a snippet shows.
const snippetWidth = 180

// snippetOf picks the best stored field that matched and cuts a snippet
// around its first matches. A field further down the list wins only when
// more distinct terms matched in it.
func snippetOf(h *search.DocumentMatch) *Snippet {
	type span struct{ start, end int }
	var best *Snippet
	bestTerms := 0
	for _, sf := range snippetFields {
		byElem := map[int][]span{}
		terms := map[int]map[string]bool{}
		for _, f := range sf.indexed {
			for term, locs := range h.Locations[f] {
				for _, l := range locs {
					e := 0
					if len(l.ArrayPositions) > 0 {
						e = int(l.ArrayPositions[0])
					}
					byElem[e] = append(byElem[e], span{int(l.Start), int(l.End)})
					if terms[e] == nil {
						terms[e] = map[string]bool{}
					}
					terms[e][term] = true
				}
			}
		}
		if len(byElem) == 0 {
			continue
		}
		elem, n := -1, 0
		for e, ts := range terms {
			if len(ts) > n || (len(ts) == n && e < elem) {
				elem, n = e, len(ts)
			}
		}
		if n <= bestTerms {
			continue
		}
		text := storedElem(h.Fields[sf.stored], elem)
		if text == "" {
			continue
		}
		spans := byElem[elem]
		sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
		s := &Snippet{Field: sf.stored}
		if sf.stored == FieldNotes {
			meta := storedElem(h.Fields[FieldNoteMeta], elem)
			day, typ, _ := strings.Cut(meta, " ")
			s.Date, _ = time.Parse(time.DateOnly, day)
			s.Type = typ
		}
		marks := make([][2]int, 0, len(spans))
		for _, sp := range spans {
			marks = append(marks, [2]int{sp.start, sp.end})
		}
		s.Segments = cut(text, marks)
		best, bestTerms = s, n
	}
	return best
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
