package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
)

// countMapping is the mapping TokenCounts analyses with, made once.
var countMapping = sync.OnceValues(NewMapping)

// TokenCounts adds to into the terms that indexing docs makes, by part of
// the document: "notes → text (rapport_de)" for a part of the combined
// field, "name (rapport_name)" for a field of its own. How the analysis and
// the postings of a build divide among the parts is what the decisions about
// which parts to index weigh (BenchmarkReindexTokens prints the shares).
func TokenCounts(docs []*Document, into map[string]int) error {
	m, err := countMapping()
	if err != nil {
		return fmt.Errorf("count tokens: %w", err)
	}
	count := func(im *mapping.IndexMappingImpl, v any, analyzer, part string) {
		a := im.AnalyzerNamed(analyzer)
		var values []string
		switch v := v.(type) {
		case string:
			values = []string{v}
		case []string:
			values = v
		}
		for _, s := range values {
			into[part] += len(a.Analyze([]byte(s)))
		}
	}
	for _, d := range docs {
		f := d.fields()
		for _, p := range textParts {
			count(m, f[p.field], p.analyzer, p.field+" → text ("+p.analyzer+")")
		}
		for _, own := range []string{FieldName, FieldOutlets, FieldHandles} {
			count(m, f[own], NameAnalyzer, own+" ("+NameAnalyzer+")")
		}
	}
	return nil
}
