package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// plan is a search in two parts: what a contact must have, found without
// scores, and what ranks the contacts found.
type plan struct {
	words   []query.Query // matchWord each
	phrases []query.Query // phraseQuery each
	mustNot []query.Query
	rank    query.Query // nil: nothing ranks
}

// query is the search for parsed terms (open: the last word is still being
// typed, so it also matches as a prefix) among the contacts with the facet
// values of filters; no terms match everything. What matches is found
// without scores, the words and the facet values together (unscored: bleve
// intersects their postings as bitmaps, so no contact that one of them has
// and another lacks is visited); with ranked, the ranking query then scores
// only the contacts found.
func (ix *Index) query(terms []Term, open bool, filters map[string][]string, ranked bool) query.Query {
	p := ix.builder().build(terms, open)
	fq := filterQueries(filters)
	if ranked && len(p.words) == 1 && len(fq) == 0 && len(p.phrases) == 0 && len(p.mustNot) == 0 {
		// One word and nothing else: its ranking query matches exactly
		// what it matches, in one pass with nothing to skip through; the
		// two parts would only add the bitmap and a second look-up of its
		// typo and prefixes (the busy team's searches: 1.3 → 1.9 s of
		// collecting, 0.8 → 1.2 s of building the searchers).
		return p.rank
	}
	var q query.Query
	if must := append(p.words, fq...); len(must) > 0 {
		q = conjunction(must)
	}
	if len(p.phrases) > 0 {
		// Phrases read stored text: they come last, after the bitmap.
		if q != nil {
			q = conjunction(append([]query.Query{q}, p.phrases...))
		} else {
			q = conjunction(p.phrases)
		}
	}
	if q == nil {
		q = bleve.NewMatchAllQuery()
	}
	if len(p.mustNot) > 0 {
		bq := bleve.NewBooleanQuery()
		bq.AddMust(q)
		bq.AddMustNot(p.mustNot...)
		q = bq
	}
	q = unscored{q}
	if !ranked || p.rank == nil {
		return q
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(q)
	bq.AddShould(p.rank)
	return bq
}

func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// unscored is a query whose searcher computes no scores, as bleve's own
// boolean filters do: bleve then merges the postings of terms as bitmaps
// (its "unadorned" conjunction and disjunction of term searchers) instead
// of stepping through every term's postings with their frequencies.
type unscored struct{ q query.Query }

// Searcher implements query.Query.
func (u unscored) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	o.Score, o.IncludeTermVectors, o.Explain = "none", false, false
	return u.q.Searcher(ctx, i, m, o)
}

// fieldTerm is a term of a field, or a prefix of its terms.
type fieldTerm struct{ field, term string }

// matchQuery is what one word matches: one of its alternatives (all terms
// of one, each in its field), each of its name tokens within one typo, or
// while typed one of its prefixes. Its searcher is one term searcher over
// the union of their postings: it looks up the typo's and the prefixes'
// terms itself, where bleve's fuzzy and prefix searchers return a
// disjunction that cannot be merged with the rest when they find one term.
type matchQuery struct {
	alts     [][]fieldTerm
	fuzzy    []string // name tokens, all within one typo (none: no typo)
	prefixes []fieldTerm
}

// matchWord is what word t matches (word ranks it): its analyses in
// FieldText, its name tokens with one typo (words of fuzzyMin–fuzzyMax
// letters, with fuzzy), while typing its folded prefix in the ranking
// fields; an e-mail address its address, @handle its handle (and their
// prefixes while typing).
func (b builder) matchWord(t Term, typing, fuzzy bool) query.Query {
	lower := strings.ToLower(t.Text)
	m := &matchQuery{}
	switch {
	case t.isEmail():
		m.alts = [][]fieldTerm{{{FieldEmail, lower}}}
		if typing {
			m.prefixes = []fieldTerm{{FieldEmail, lower}}
		}
		return m
	case t.isHandle():
		h := strings.TrimLeft(lower, "@")
		m.alts = [][]fieldTerm{{{FieldHandle, h}}}
		if typing {
			m.prefixes = []fieldTerm{{FieldHandle, h}}
		}
		return m
	}
	for _, toks := range b.analyses(t.Text) {
		alt := make([]fieldTerm, len(toks))
		for i, tok := range toks {
			alt[i] = fieldTerm{FieldText, tok}
		}
		m.alts = append(m.alts, alt)
	}
	if n := utf8.RuneCountInString(t.Text); fuzzy && n >= fuzzyMin && n <= fuzzyMax {
		m.fuzzy = b.tokens(NameAnalyzer, t.Text)
	}
	if typing {
		if p := Fold(lower); !strings.ContainsAny(p, " \t") {
			for _, f := range rankFields {
				if n := utf8.RuneCountInString(p); n >= f.prefixMin && n <= prefixMax {
					m.prefixes = append(m.prefixes, fieldTerm{f.name, p})
				}
			}
		}
	}
	return m
}

// Searcher implements query.Query: one term searcher (bleve's unadorned
// disjunction) when o asks for no scores, as unscored does.
func (m *matchQuery) Searcher(ctx context.Context, i index.IndexReader, _ mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	var any []search.Searcher
	add := func(s search.Searcher, err error) error {
		if s != nil {
			any = append(any, s)
		}
		return err
	}
	err := func() error {
		for _, alt := range m.alts {
			if err := add(m.allTerms(ctx, i, alt, o)); err != nil {
				return err
			}
		}
		if len(m.fuzzy) > 0 {
			if err := add(m.typo(ctx, i, o)); err != nil {
				return err
			}
		}
		for _, p := range m.prefixes {
			terms, err := dictTerms(i.FieldDictPrefix(p.field, []byte(p.term)))
			if err != nil {
				return fmt.Errorf("prefix %q of %s: %w", p.term, p.field, err)
			}
			if err := add(anyTerm(ctx, i, p.field, terms, o)); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		closeAll(any)
		return nil, err
	}
	if s, err := anyOf(ctx, i, any, o); s != nil || err != nil {
		return s, err
	}
	return searcher.NewMatchNoneSearcher(i)
}

// allTerms: every term of alt (nil: one of them is nowhere).
func (m *matchQuery) allTerms(ctx context.Context, i index.IndexReader, alt []fieldTerm, o search.SearcherOptions) (search.Searcher, error) {
	var each []search.Searcher
	for _, ft := range alt {
		s, err := searcher.NewTermSearcher(ctx, i, ft.term, ft.field, 1, o)
		if err != nil {
			closeAll(each)
			return nil, err
		}
		each = append(each, s)
	}
	return allOf(ctx, i, each, o)
}

// typo: every name token within one edit of a name term (nil: none).
func (m *matchQuery) typo(ctx context.Context, i index.IndexReader, o search.SearcherOptions) (search.Searcher, error) {
	fz, ok := i.(index.IndexReaderFuzzy)
	if !ok {
		return nil, fmt.Errorf("typo: index reader %T cannot look up terms by distance", i)
	}
	var each []search.Searcher
	for _, tok := range m.fuzzy {
		terms, err := dictTerms(fz.FieldDictFuzzy(FieldName, tok, 1, ""))
		if err == nil && len(terms) == 0 {
			closeAll(each)
			return nil, nil
		}
		s, err := anyTerm(ctx, i, FieldName, terms, o)
		if err != nil {
			closeAll(each)
			return nil, fmt.Errorf("typo of %q: %w", tok, err)
		}
		each = append(each, s)
	}
	return allOf(ctx, i, each, o)
}

// anyTerm: one of terms in field (nil: no terms).
func anyTerm(ctx context.Context, i index.IndexReader, field string, terms []string, o search.SearcherOptions) (search.Searcher, error) {
	var each []search.Searcher
	for _, t := range terms {
		s, err := searcher.NewTermSearcher(ctx, i, t, field, 1, o)
		if err != nil {
			closeAll(each)
			return nil, err
		}
		each = append(each, s)
	}
	return anyOf(ctx, i, each, o)
}

// anyOf and allOf combine searchers; one is returned as it is (bleve merges
// two or more term searchers into one only when there are two or more).
func anyOf(ctx context.Context, i index.IndexReader, ss []search.Searcher, o search.SearcherOptions) (search.Searcher, error) {
	switch len(ss) {
	case 0:
		return nil, nil
	case 1:
		return ss[0], nil
	}
	return searcher.NewDisjunctionSearcher(ctx, i, ss, 0, o)
}

func allOf(ctx context.Context, i index.IndexReader, ss []search.Searcher, o search.SearcherOptions) (search.Searcher, error) {
	switch len(ss) {
	case 0:
		return nil, nil
	case 1:
		return ss[0], nil
	}
	return searcher.NewConjunctionSearcher(ctx, i, ss, o)
}

// dictTerms reads the terms of a field dictionary and closes it.
func dictTerms(d index.FieldDict, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var terms []string
	e, err := d.Next()
	for err == nil && e != nil {
		terms = append(terms, e.Term)
		e, err = d.Next()
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return terms, err
}

func closeAll(ss []search.Searcher) {
	for _, s := range ss {
		_ = s.Close()
	}
}
