package search

import (
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// mapper makes bleve's document of a contact: the fields that bleve's
// MapDocument makes of Document.fields under the index's mapping, with the
// same names, values, array positions, options and analyzers, but looked up
// once per field name instead of by a reflection walk of every value (which
// with the map of fields was a tenth of a rebuild's CPU). The build and the
// indexer map every document through it; TestMapperAsBleve compares it
// with MapDocument.
//
// It knows the shape NewMapping makes: a static document of text fields,
// each value a string or a list of strings. newMapper refuses any other.
type mapper struct {
	props map[string][]fieldMap // by the name of a value in Document.fields
}

// fieldMap is one field a value makes.
type fieldMap struct {
	name     string
	options  index.FieldIndexingOptions
	analyzer analysis.Analyzer
}

func newMapper(im mapping.IndexMapping) (*mapper, error) {
	impl, ok := im.(*mapping.IndexMappingImpl)
	if !ok || impl.DefaultMapping == nil || len(impl.TypeMapping) > 0 || impl.DefaultMapping.DefaultAnalyzer != "" {
		return nil, fmt.Errorf("the mapper maps one static document type, not %T", im)
	}
	m := &mapper{props: map[string][]fieldMap{}}
	for prop, sub := range impl.DefaultMapping.Properties {
		if !sub.Enabled {
			continue // _all
		}
		if len(sub.Properties) > 0 || sub.DefaultAnalyzer != "" {
			return nil, fmt.Errorf("the mapper maps flat fields, and %s is not", prop)
		}
		for _, fm := range sub.Fields {
			if fm.Type != "text" {
				return nil, fmt.Errorf("the mapper maps text fields, and %s is %s", prop, fm.Type)
			}
			name, analyzer := fm.Name, fm.Analyzer
			if name == "" {
				name = prop
			}
			if analyzer == "" {
				analyzer = impl.DefaultAnalyzer
			}
			f := fieldMap{name: name, options: fm.Options(), analyzer: impl.AnalyzerNamed(analyzer)}
			if f.analyzer == nil {
				return nil, fmt.Errorf("field %s has no analyzer %q", prop, analyzer)
			}
			m.props[prop] = append(m.props[prop], f)
		}
	}
	return m, nil
}

// document maps d. Values the mapping does not name are left out, as
// bleve's static mapping leaves them out.
func (m *mapper) document(d *Document) (*document.Document, error) {
	doc := document.NewDocument(strconv.Itoa(d.ID))
	for prop, v := range d.fields() {
		fields := m.props[prop]
		switch v := v.(type) {
		case string:
			m.add(doc, fields, []uint64{}, v)
		case []string:
			for i, s := range v {
				m.add(doc, fields, []uint64{uint64(i)}, s)
			}
		default:
			return nil, fmt.Errorf("map document: %s is a %T, not text", prop, v)
		}
	}
	doc.SetIndexed()
	return doc, nil
}

// add adds the fields of one value, sharing its array positions as
// MapDocument does. Each field gets a copy of the value: bleve's lowercase
// filter writes into the bytes it analyses.
func (m *mapper) add(doc *document.Document, fields []fieldMap, pos []uint64, v string) {
	for _, f := range fields {
		doc.AddField(document.NewTextFieldCustom(f.name, pos, []byte(v), f.options, f.analyzer))
	}
}
