package search

import (
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

// textField is a field that plain words are matched against, with its
// analyzer and weight. Only short fields match prefixes: expanding a prefix
// in bios and notes costs much and finds words in the middle of prose.
type textField struct {
	name, analyzer string
	boost          float64
	prefix         bool // also matched as a prefix while typing
	phrase         bool // searched for "phrases"
}

var textFields = []textField{
	{FieldName, NameAnalyzer, 4, true, true},
	{FieldOutlets, NameAnalyzer, 2, true, true},
	{FieldTopics, NameAnalyzer, 2, true, false},
	{FieldTags, NameAnalyzer, 1.5, true, false},
	{FieldPlace, NameAnalyzer, 1.5, true, false},
	{FieldHandles, NameAnalyzer, 1.5, true, false},
	{FieldEmails, AddressTokens, 1, false, false},
	{FieldTitle, GermanProse, 1.5, true, true},
	{FieldBio, GermanProse, 1, false, true},
	{FieldBioEN, EnglishProse, 0.7, false, false}, // no term vectors: phrases in the bio are the German field's
	{FieldNotes, GermanProse, 0.5, false, true},
}

// builder turns parsed terms into a bleve query; it needs the mapping's
// analyzers to tell stop words.
type builder struct {
	analyze func(analyzer, text string) analysis.TokenStream
}

// build returns the query for terms, nil when there is nothing to search
// for (no terms, or only stop words).
func (b builder) build(terms []Term, open bool) query.Query {
	var must, mustNot []query.Query
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
			mustNot = append(mustNot, b.phrase(t.Text))
		case t.Exclude:
			if q := b.word(t, false, false); q != nil {
				mustNot = append(mustNot, q)
			}
		case t.Phrase:
			must = append(must, b.phrase(t.Text))
		case positive > 1 && !last && b.isStopWord(t.Text):
			// "die Bloggerin aus München": die and aus would have to match somewhere.
		default:
			if q := b.word(t, last, true); q != nil {
				must = append(must, q)
			}
		}
	}
	if len(must) == 0 && len(mustNot) == 0 {
		return nil
	}
	bq := bleve.NewBooleanQuery()
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	bq.AddMust(must...)
	if len(mustNot) > 0 {
		bq.AddMustNot(mustNot...)
	}
	return bq
}

// word matches one word anywhere: names (and names with one typo), outlets,
// topics, tags, places, handles, addresses, titles, bios and notes in German
// and English; while typing also as a prefix. An e-mail address matches the
// contact's address exactly, @handle the contact's handle.
func (b builder) word(t Term, typing, fuzzy bool) query.Query {
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
	for _, f := range textFields {
		mq := bleve.NewMatchQuery(t.Text)
		mq.SetField(f.name)
		mq.Analyzer = f.analyzer
		mq.SetOperator(query.MatchQueryOperatorAnd)
		mq.SetBoost(f.boost)
		any = append(any, mq)
	}
	if n := utf8.RuneCountInString(t.Text); fuzzy && n >= fuzzyMin && n <= fuzzyMax {
		mq := bleve.NewMatchQuery(t.Text)
		mq.SetField(FieldName)
		mq.Analyzer = NameAnalyzer
		mq.SetFuzziness(1)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		mq.SetBoost(1.5)
		any = append(any, mq)
	}
	if typing {
		if p := Fold(lower); utf8.RuneCountInString(p) >= 2 && utf8.RuneCountInString(p) <= prefixMax && !strings.ContainsAny(p, " \t") {
			for _, f := range textFields {
				if f.prefix && (f.analyzer == NameAnalyzer || utf8.RuneCountInString(p) >= 3) {
					pq := bleve.NewPrefixQuery(p)
					pq.SetField(f.name)
					pq.SetBoost(f.boost / 2)
					any = append(any, pq)
				}
			}
			pq := bleve.NewPrefixQuery(lower)
			pq.SetField(FieldEmail)
			any = append(any, pq)
		}
	}
	return bleve.NewDisjunctionQuery(any...)
}

// phrase matches the words in this order in one field.
func (b builder) phrase(text string) query.Query {
	var any []query.Query
	for _, f := range textFields {
		if f.phrase {
			pq := bleve.NewMatchPhraseQuery(text)
			pq.SetField(f.name)
			pq.Analyzer = f.analyzer
			pq.SetBoost(f.boost)
			any = append(any, pq)
		}
	}
	return bleve.NewDisjunctionQuery(any...)
}

// isStopWord reports whether a lower-case word is a German or English stop
// word (der, die, aus, the, of …). Capitalised words are kept: "IT" is a topic.
func (b builder) isStopWord(w string) bool {
	if w != strings.ToLower(w) {
		return false
	}
	return len(b.analyze(GermanProse, w)) == 0 || len(b.analyze(EnglishProse, w)) == 0
}
