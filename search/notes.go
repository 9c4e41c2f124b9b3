package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
)

// NoteQuery is a search text as it matches one interaction of a contact's
// timeline: the whole history, where the index holds only the newest
// MaxNotes. It reads the text as the search page does (Parse; a lower-case
// stop word is dropped when there are other words) and matches an
// interaction's subject and body as the index matches its notes: each word
// in one of its analyses (textAnalyzers) among the terms that GermanProse
// makes of the note, a "phrase" in this order within the note, -word and
// -"phrase" not there. The analyzers are the index mapping's own.
type NoteQuery struct {
	words, without     []noteWord
	phrases, exPhrases []notePhrase
	terms              map[string]int // every term the query asks about → its bit in a note's found set
}

// noteWord is a word's analyses as the bits of their terms: one analysis
// whose bits are all found matches.
type noteWord [][]int

// notePhrase is a phrase: its words (a noteWord per analysis, which must be
// there first) and the places of its GermanProse terms.
type notePhrase struct {
	words  noteWord
	groups []posTerms
}

// ParseNotes reads q within the limits of every search text (CheckText).
// It returns nil when q asks for nothing (empty, or only stop words).
func ParseNotes(q string) (*NoteQuery, error) {
	if err := CheckText(q); err != nil {
		return nil, err
	}
	terms, _ := Parse(q)
	b := builder{analyze: peerAnalyze}
	nq := &NoteQuery{terms: map[string]int{}}
	positive := 0
	for _, t := range terms {
		if !t.Exclude {
			positive++
		}
	}
	for _, t := range terms {
		switch {
		case t.Phrase:
			p := notePhrase{words: nq.word(b, t.Text), groups: positioned(peerAnalyze(GermanProse, t.Text))}
			if len(p.groups) == 0 {
				continue // only stop words: nothing to look for
			}
			if t.Exclude {
				nq.exPhrases = append(nq.exPhrases, p)
			} else {
				nq.phrases = append(nq.phrases, p)
			}
		case t.Exclude:
			if w := nq.word(b, t.Text); len(w) > 0 {
				nq.without = append(nq.without, w)
			}
		case positive > 1 && b.isStopWord(t.Text):
		default:
			w := nq.word(b, t.Text)
			if len(w) == 0 {
				w = noteWord{} // a word with no analysis matches no note
			}
			nq.words = append(nq.words, w)
		}
	}
	if len(nq.words)+len(nq.phrases)+len(nq.without)+len(nq.exPhrases) == 0 {
		return nil, nil
	}
	return nq, nil
}

// word is text's analyses as bits of nq.terms.
func (nq *NoteQuery) word(b builder, text string) noteWord {
	var w noteWord
	for _, toks := range b.analyses(text) {
		bits := make([]int, len(toks))
		for i, tok := range toks {
			bit, ok := nq.terms[tok]
			if !ok {
				bit = len(nq.terms)
				nq.terms[tok] = bit
			}
			bits[i] = bit
		}
		w = append(w, bits)
	}
	return w
}

// Match reports whether the interaction with this subject and body
// matches: its text is analysed once (GermanProse, as notes are indexed).
func (nq *NoteQuery) Match(subject, body string) bool {
	ts := peerAnalyze(GermanProse, noteText(Note{Subject: subject, Body: body}))
	return nq.match(ts, nq.found(nil, ts))
}

// MatchPost reports whether a feed post with this title and summary
// matches, as the index matches a contact's posts: the text analysed in
// German and in English, a word found in either (a phrase in the German
// analysis). A keyword rule "Nachhaltigkeit" matches what the German
// analyzer reduces alike, "sustainability" what the English one does.
func (nq *NoteQuery) MatchPost(title, summary string) bool {
	text := noteText(Note{Subject: title, Body: summary})
	ts := peerAnalyze(GermanProse, text)
	return nq.match(ts, nq.found(nq.found(nil, ts), peerAnalyze(EnglishProse, text)))
}

// found marks the query's terms that ts has (found nil: a new set).
func (nq *NoteQuery) found(found []bool, ts analysis.TokenStream) []bool {
	if found == nil {
		found = make([]bool, len(nq.terms))
	}
	for _, t := range ts {
		if bit, ok := nq.terms[string(t.Term)]; ok {
			found[bit] = true
		}
	}
	return found
}

// match applies the query to a text's German terms ts and the set found.
func (nq *NoteQuery) match(ts analysis.TokenStream, found []bool) bool {
	for _, w := range nq.words {
		if !w.in(found) {
			return false
		}
	}
	for _, w := range nq.without {
		if w.in(found) {
			return false
		}
	}
	for _, p := range nq.phrases {
		if !p.in(ts, found) {
			return false
		}
	}
	for _, p := range nq.exPhrases {
		if p.in(ts, found) {
			return false
		}
	}
	return true
}

// in reports whether one of w's analyses has all its terms found.
func (w noteWord) in(found []bool) bool {
	for _, bits := range w {
		all := true
		for _, b := range bits {
			all = all && found[b]
		}
		if all {
			return true
		}
	}
	return false
}

// in reports whether ts has the phrase: its words first (cheap), then
// their order.
func (p notePhrase) in(ts analysis.TokenStream, found []bool) bool {
	return p.words.in(found) && hasPhrase(ts, p.groups)
}
