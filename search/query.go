package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Term is one part of a parsed query.
type Term struct {
	Text    string
	Phrase  bool // "in quotes"
	Exclude bool // -word or -"phrase"
}

// Kind of a plain term.
func (t Term) isEmail() bool {
	at := strings.IndexByte(t.Text, '@')
	return !t.Phrase && at > 0 && strings.Contains(t.Text[at+1:], ".") && !strings.ContainsAny(t.Text, " \t")
}

func (t Term) isHandle() bool {
	return !t.Phrase && len(t.Text) > 1 && t.Text[0] == '@'
}

// Parse splits a query into terms: words, "phrases", -excluded words and
// -"phrases". open reports whether the last term is a word still being
// typed (no space after it), which then also matches as a prefix.
func Parse(q string) (terms []Term, open bool) {
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		t := Term{}
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			t.Exclude = true
			i++
		}
		if rs[i] == '"' || rs[i] == '„' || rs[i] == '“' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' && rs[j] != '“' && rs[j] != '”' {
				j++
			}
			t.Text, t.Phrase = strings.TrimSpace(string(rs[i+1:min(j, len(rs))])), true
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			t.Text = strings.Trim(string(rs[i:j]), `"„“”,;`)
			i = j
		}
		if t.Text != "" {
			terms = append(terms, t)
		}
	}
	if n := len(terms); n > 0 {
		last := terms[n-1]
		open = !last.Phrase && !last.Exclude && len(q) > 0 && !unicode.IsSpace(rune(q[len(q)-1]))
	}
	return terms, open
}

// textAnalyzers are the analyses of a word that are looked up in FieldText:
// each part of a document is there in its own analysis, so a word matches
// when one of its analyses is there (all of its tokens, when it has more).
var textAnalyzers = []string{NameAnalyzer, GermanProse, EnglishProse, AddressTokens}

// rankField is a field indexed again on its own: a word found there weighs
// more (boost), and the word still being typed matches it as a prefix of
// prefixMin letters or more.
type rankField struct {
	name      string
	boost     float64
	prefixMin int
}

// rankFields are the few fields that rank: where people type names.
var rankFields = []rankField{
	{FieldName, 4, 2},
	{FieldOutlets, 2, 3},
	{FieldHandles, 1.5, 3},
}

// phraseFields are the stored fields a "phrase" is looked for in, with
// their analyzers.
var phraseFields = []struct{ name, analyzer string }{
	{FieldName, NameAnalyzer}, {FieldOutlets, NameAnalyzer},
	{FieldTitle, GermanProse}, {FieldBio, GermanProse}, {FieldNotes, GermanProse}, {FieldCoverage, GermanProse},
	{FieldPosts, GermanProse},
}

// builder turns parsed terms into a bleve query; it needs the mapping's
// analyzers to tell stop words.
type builder struct {
	analyze func(analyzer, text string) analysis.TokenStream
	named   func(analyzer string) analysis.Analyzer // the mapping's analyzers (nil in the peer's builder)
	words   *wordCache                              // the index's, for snippets (nil: one per search)
}

// build returns the plan of terms: what a contact must have, found without
// scores (matchWord; phrases; exclusions), and what ranks the contacts found
// (the words' ranked queries). Nothing to search for (no terms, or only stop
// words) leaves the plan empty.
func (b builder) build(terms []Term, open bool) plan {
	var p plan
	var ranks []query.Query
	positive := 0
	for _, t := range terms {
		if !t.Exclude {
			positive++
		}
	}
	for i, t := range terms {
		last := open && i == len(terms)-1
		switch {
		case t.Exclude && t.Phrase:
			p.mustNot = append(p.mustNot, b.phrase(t.Text))
		case t.Exclude:
			p.mustNot = append(p.mustNot, b.matchWord(t, false, false))
		case t.Phrase:
			q := b.phrase(t.Text)
			p.phrases = append(p.phrases, q)
			if pq, ok := q.(*phraseQuery); ok {
				ranks = append(ranks, pq.words)
			}
		case positive > 1 && !last && b.isStopWord(t.Text):
			// "die Bloggerin aus München": die and aus would have to match somewhere.
		default:
			p.words = append(p.words, b.matchWord(t, last, true))
			ranks = append(ranks, b.word(t, last))
		}
	}
	switch len(ranks) {
	case 0:
	case 1:
		p.rank = ranks[0]
	default:
		p.rank = bleve.NewDisjunctionQuery(ranks...)
	}
	return p
}

// tokens are the terms of text as analyzer makes them.
func (b builder) tokens(analyzer, text string) []string {
	var out []string
	for _, t := range b.analyze(analyzer, text) {
		out = append(out, string(t.Term))
	}
	return out
}

// analyses are the distinct token lists of text under textAnalyzers (a
// stop word of one analyzer has none under it).
func (b builder) analyses(text string) [][]string {
	var out [][]string
	for _, a := range textAnalyzers {
		toks := b.tokens(a, text)
		if len(toks) > 0 && !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, toks) }) {
			out = append(out, toks)
		}
	}
	return out
}

// all is a term query for each of toks in field, all of which must match.
func all(field string, toks []string, boost float64) query.Query {
	qs := make([]query.Query, len(toks))
	for i, t := range toks {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		tq.SetBoost(boost)
		qs[i] = tq
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// word ranks one word: its analyses in FieldText, a name with one typo;
// while typing also a prefix of a name, an outlet or a handle. Found in a
// name, an outlet or a handle it weighs more. An e-mail address ranks by the
// contact's address, @handle by the contact's handle. matchWord is what the
// word matches: the same, with no ranking fields (a word in a name, an
// outlet or a handle is in FieldText too).
func (b builder) word(t Term, typing bool) query.Query {
	lower := strings.ToLower(t.Text)
	switch {
	case t.isEmail():
		tq := bleve.NewTermQuery(lower)
		tq.SetField(FieldEmail)
		if !typing {
			return tq
		}
		pq := bleve.NewPrefixQuery(lower)
		pq.SetField(FieldEmail)
		return bleve.NewDisjunctionQuery(tq, pq)
	case t.isHandle():
		h := strings.TrimLeft(lower, "@")
		tq := bleve.NewTermQuery(h)
		tq.SetField(FieldHandle)
		if !typing {
			return tq
		}
		pq := bleve.NewPrefixQuery(h)
		pq.SetField(FieldHandle)
		return bleve.NewDisjunctionQuery(tq, pq)
	}
	var any []query.Query
	for _, toks := range b.analyses(t.Text) {
		any = append(any, all(FieldText, toks, 1))
	}
	if names := b.tokens(NameAnalyzer, t.Text); len(names) > 0 {
		for _, f := range rankFields {
			any = append(any, all(f.name, names, f.boost))
		}
	}
	if n := utf8.RuneCountInString(t.Text); n >= fuzzyMin && n <= fuzzyMax {
		mq := bleve.NewMatchQuery(t.Text)
		mq.SetField(FieldName)
		mq.Analyzer = NameAnalyzer
		mq.SetFuzziness(1)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		mq.SetBoost(1.5)
		any = append(any, mq)
	}
	if typing {
		if p := Fold(lower); !strings.ContainsAny(p, " \t") {
			for _, f := range rankFields {
				if n := utf8.RuneCountInString(p); n >= f.prefixMin && n <= prefixMax {
					pq := bleve.NewPrefixQuery(p)
					pq.SetField(f.name)
					pq.SetBoost(f.boost / 2)
					any = append(any, pq)
				}
			}
		}
	}
	return bleve.NewDisjunctionQuery(any...)
}

// phrase matches the words in this order in one field: the words anywhere
// (FieldText), then the order in the stored text of the contacts that have
// them, re-analysed (FieldText keeps no places of its words).
func (b builder) phrase(text string) query.Query {
	p := &phraseQuery{text: text, analyze: b.analyze}
	var any []query.Query
	for _, f := range phraseFields {
		toks := b.tokens(f.analyzer, text)
		if len(toks) == 0 {
			continue
		}
		if !slices.ContainsFunc(p.analyses, func(a phraseAnalysis) bool { return a.analyzer == f.analyzer }) {
			p.analyses = append(p.analyses, phraseAnalysis{f.analyzer, positioned(b.analyze(f.analyzer, text))})
			any = append(any, all(FieldText, toks, 1))
		}
	}
	if len(any) == 0 {
		return bleve.NewDisjunctionQuery() // nothing to look for: matches nothing
	}
	p.words = bleve.NewDisjunctionQuery(any...)
	return p
}

// isStopWord reports whether a lower-case word is a German or English stop
// word (der, die, aus, the, of …). Capitalised words are kept: "IT" is a topic.
func (b builder) isStopWord(w string) bool {
	if w != strings.ToLower(w) {
		return false
	}
	return len(b.analyze(GermanProse, w)) == 0 || len(b.analyze(EnglishProse, w)) == 0
}
