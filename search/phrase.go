package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// posTerms are the terms an analyzer puts at one place of a phrase, rel
// places after its first word (a stop word leaves a gap; a compound puts
// its parts at its own place).
type posTerms struct {
	rel   int
	terms []string
}

// phraseAnalysis is a phrase as one analyzer makes it.
type phraseAnalysis struct {
	analyzer string
	groups   []posTerms
}

// positioned groups a token stream by place.
func positioned(ts analysis.TokenStream) []posTerms {
	var out []posTerms
	for _, t := range ts {
		rel := t.Position - ts[0].Position
		if n := len(out); n > 0 && out[n-1].rel == rel {
			out[n-1].terms = append(out[n-1].terms, string(t.Term))
			continue
		}
		out = append(out, posTerms{rel, []string{string(t.Term)}})
	}
	return out
}

// phraseQuery finds the contacts that have a phrase's words (words, on
// FieldText) and keeps those whose stored text has them in this order in
// one field (one note, one outlet), re-analysed: FieldText holds no places
// of words, which makes it small and quick to build. Phrases are rare and
// their words together rare too, so few documents are read.
type phraseQuery struct {
	text     string
	words    query.Query
	analyses []phraseAnalysis
	analyze  func(analyzer, text string) analysis.TokenStream
}

// Searcher implements query.Query.
func (p *phraseQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	s, err := p.words.Searcher(ctx, i, m, o)
	if err != nil {
		return nil, err
	}
	return searcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return p.inStored(i, d.IndexInternalID)
	}), nil
}

// inStored reports whether the stored fields of document id have the
// phrase.
func (p *phraseQuery) inStored(i index.IndexReader, id index.IndexInternalID) bool {
	ext, err := i.ExternalID(id)
	if err != nil {
		return false
	}
	doc, err := i.Document(ext)
	if err != nil || doc == nil {
		return false
	}
	found := false
	doc.VisitFields(func(f index.Field) {
		if found {
			return
		}
		k := slices.IndexFunc(phraseFields, func(pf struct{ name, analyzer string }) bool { return pf.name == f.Name() })
		if k < 0 {
			return
		}
		a := phraseFields[k].analyzer
		for _, pa := range p.analyses {
			if pa.analyzer == a && hasPhrase(p.analyze(a, string(f.Value())), pa.groups) {
				found = true
				return
			}
		}
	})
	return found
}

// hasPhrase reports whether ts has a term of every group at the group's
// place after some start.
func hasPhrase(ts analysis.TokenStream, groups []posTerms) bool {
	if len(groups) == 0 {
		return false
	}
	at := map[int][]string{}
	for _, t := range ts {
		at[t.Position] = append(at[t.Position], string(t.Term))
	}
	for start, terms := range at {
		if !overlaps(terms, groups[0].terms) {
			continue
		}
		ok := true
		for _, g := range groups[1:] {
			if !overlaps(at[start+g.rel], g.terms) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
