package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
)

// analysedPart is a document field that the mapping analyses into an
// indexed field (its own, or FieldText), with the analyzer it uses.
type analysedPart struct {
	field, label string
	analyzer     analysis.Analyzer
}

// analysedParts are read from the mapping itself (NewMapping), once: every
// text field mapping that is indexed, so what is counted is what is
// indexed.
var analysedParts = sync.OnceValues(func() ([]analysedPart, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	var parts []analysedPart
	for field, dm := range m.DefaultMapping.Properties {
		for _, fm := range dm.Fields {
			if fm.Type != "text" || !fm.Index || fm.Analyzer == "keyword" {
				continue
			}
			label := field + " (" + fm.Analyzer + ")"
			if fm.Name != "" && fm.Name != field {
				label = field + " → " + fm.Name + " (" + fm.Analyzer + ")"
			}
			parts = append(parts, analysedPart{field, label, m.AnalyzerNamed(fm.Analyzer)})
		}
	}
	return parts, nil
})

// TokenCounts adds to into the terms that indexing docs makes, by part of
// the document: "notes → text (rapport_de)" for a part of the combined
// field, "name (rapport_name)" for a field of its own. How the analysis and
// the postings of a build divide among the parts is what the decisions about
// which parts to index weigh (BenchmarkReindexTokens prints the shares).
func TokenCounts(docs []*Document, into map[string]int) error {
	parts, err := analysedParts()
	if err != nil {
		return fmt.Errorf("count tokens: %w", err)
	}
	for _, d := range docs {
		f := d.fields()
		for _, p := range parts {
			var values []string
			switch v := f[p.field].(type) {
			case string:
				values = []string{v}
			case []string:
				values = v
			}
			for _, s := range values {
				into[p.label] += len(p.analyzer.Analyze([]byte(s)))
			}
		}
	}
	return nil
}
