package search

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

// This file is the benchmark's PostgreSQL peer of the index (bench/): a
// tsvector that holds the terms this index holds, made by the same
// analyzers, and a tsquery that asks for them as the query builder does.
// PostgreSQL's own 'german' configuration stems with Snowball, bleve with a
// light stemmer, a decompounder and folding: the two match different sets
// of people for the same words, so a peer built on it would not do the same
// work. With the same terms the comparison is the engines': an inverted
// index with ranking on both sides. It lives here, beside textFields and
// the builder, so that a change of the query changes the peer too.

// peerField is the lexeme prefix and tsvector weight of each indexed field:
// FieldText (every word is looked up there), the ranking fields (prefixes,
// typos in names) and the exact address.
var peerField = map[string]struct{ letter, weight string }{
	FieldText: {"c", "D"}, FieldName: {"n", "A"}, FieldOutlets: {"o", "B"}, FieldHandles: {"h", "C"}, FieldEmail: {"e", "C"},
}

var (
	peerOnce    sync.Once
	peerMapping *mapping.IndexMappingImpl
	peerErr     error
)

func peerAnalyze(analyzer, text string) analysis.TokenStream {
	peerOnce.Do(func() { peerMapping, peerErr = NewMapping() })
	if peerErr != nil {
		return nil
	}
	a := peerMapping.AnalyzerNamed(analyzer)
	if a == nil {
		return nil
	}
	return a.Analyze([]byte(text))
}

// PeerNamePrefix is the prefix of the name field's lexemes: the peer's
// dictionary for typo-tolerant names holds the lexemes that start with it.
const PeerNamePrefix = "n:"

// PeerDocument is d as the text of a PostgreSQL tsvector: every term of
// FieldText and of the ranking fields, as the mapping's analyzers make them,
// prefixed with the field's letter and weighted like the field's boost.
func PeerDocument(d *Document) string {
	f := d.fields()
	var b strings.Builder
	pos := 0
	add := func(field, analyzer string, texts []string) {
		pf := peerField[field]
		for _, text := range texts {
			var toks []string
			if analyzer == "" {
				toks = []string{text} // keyword: the whole value
			} else {
				for _, t := range peerAnalyze(analyzer, text) {
					toks = append(toks, string(t.Term))
				}
			}
			for _, t := range toks {
				pos = min(pos+1, 16383)
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(&b, "%s:%d%s", peerLexeme(pf.letter, t), pos, pf.weight)
			}
		}
	}
	for _, p := range textParts {
		add(FieldText, p.analyzer, textsOf(f[p.field]))
	}
	for _, rf := range rankFields {
		add(rf.name, NameAnalyzer, textsOf(f[rf.name]))
	}
	add(FieldEmail, "", textsOf(f[FieldEmail]))
	return b.String()
}

// textsOf is a document field's value as its texts.
func textsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

// peerLexeme is a quoted tsvector/tsquery lexeme.
func peerLexeme(letter, term string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(letter+":"+term) + "'"
}

// PeerQuery is the tsquery text (for a ::tsquery cast, not to_tsquery) of
// what the index matches for q, given fuzzy: the name lexemes (with
// PeerNamePrefix) within one edit of a name term, which the caller looks up
// in its dictionary as bleve does in its own. Fuzzy returns the name terms
// that need it. Only plain words are supported: the benchmark's queries.
func PeerQuery(q string, fuzzy func(term string) []string) (string, error) {
	terms, open := Parse(q)
	b := builder{analyze: peerAnalyze}
	positive := len(terms)
	var must []string
	for i, t := range terms {
		if t.Phrase || t.Exclude || t.isEmail() || t.isHandle() {
			return "", fmt.Errorf("peer query %q: only plain words", q)
		}
		last := open && i == len(terms)-1
		if positive > 1 && !last && b.isStopWord(t.Text) {
			continue
		}
		must = append(must, "("+peerWord(t, last, fuzzy)+")")
	}
	if len(must) == 0 {
		return "", fmt.Errorf("peer query %q: nothing to search for", q)
	}
	return strings.Join(must, " & "), nil
}

// PeerFuzzyTerms are the name terms of q that match with one typo (the
// words of fuzzyMin–fuzzyMax letters), for the caller's dictionary lookup.
func PeerFuzzyTerms(q string) []string {
	terms, _ := Parse(q)
	var out []string
	for _, t := range terms {
		if n := utf8.RuneCountInString(t.Text); n >= fuzzyMin && n <= fuzzyMax {
			for _, tok := range peerAnalyze(NameAnalyzer, t.Text) {
				out = append(out, string(tok.Term))
			}
		}
	}
	return out
}

// peerWord mirrors builder.word for a plain word.
func peerWord(t Term, typing bool, fuzzy func(string) []string) string {
	b := builder{analyze: peerAnalyze}
	var any []string
	and := func(letter string, toks []string) {
		if len(toks) > 0 {
			lex := make([]string, len(toks))
			for i, tok := range toks {
				lex[i] = peerLexeme(letter, tok)
			}
			any = append(any, "("+strings.Join(lex, " & ")+")")
		}
	}
	for _, toks := range b.analyses(t.Text) {
		and(peerField[FieldText].letter, toks)
	}
	names := b.tokens(NameAnalyzer, t.Text)
	for _, f := range rankFields {
		and(peerField[f.name].letter, names)
	}
	if n := utf8.RuneCountInString(t.Text); n >= fuzzyMin && n <= fuzzyMax && len(names) > 0 {
		var alts []string
		for _, tok := range names {
			var near []string
			for _, lex := range fuzzy(tok) {
				near = append(near, peerLexeme("n", strings.TrimPrefix(lex, PeerNamePrefix)))
			}
			if len(near) == 0 {
				alts = nil // a token without a near term: the fuzzy part matches nothing
				break
			}
			alts = append(alts, "("+strings.Join(near, " | ")+")")
		}
		if len(alts) > 0 {
			any = append(any, "("+strings.Join(alts, " & ")+")")
		}
	}
	if typing {
		if p := Fold(strings.ToLower(t.Text)); !strings.ContainsAny(p, " \t") {
			for _, f := range rankFields {
				if n := utf8.RuneCountInString(p); n >= f.prefixMin && n <= prefixMax {
					any = append(any, peerLexeme(peerField[f.name].letter, p)+":*")
				}
			}
		}
	}
	if len(any) == 0 {
		return "'-':A & !'-':A" // matches nothing
	}
	return strings.Join(any, " | ")
}
