package search

import (
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// analysedDocument maps d with m and analyses its fields, as bleve's
// builder would, and returns it wrapped so that the builder does not
// analyse it again.
//
// The parts of FieldText (textParts: one field each, all named FieldText)
// leave here as one field: their lengths summed and their term frequencies
// merged, which is what bleve's segment writer makes of several fields of
// one name. Done here, the merging runs on every core with the analysis;
// left to the segment writer, it ran on the builder's one goroutine, whose
// work is the build's critical path (5 of its 23 s per build at 100,000
// contacts). TestAnalysedDocumentAsBleve compares the two.
func analysedDocument(m mapping.IndexMapping, d *Document) (index.Document, error) {
	doc := document.NewDocument(strconv.Itoa(d.ID))
	if err := m.MapDocument(doc, d.fields()); err != nil {
		return nil, fmt.Errorf("map document: %w", err)
	}
	var text *mergedText
	fields := doc.Fields[:0]
	for _, f := range doc.Fields {
		if !f.Options().IsIndexed() {
			fields = append(fields, f)
			continue
		}
		f.Analyze()
		for _, c := range doc.CompositeFields {
			c.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
		}
		switch {
		case f.Name() != FieldText || !onlyTerms(f.Options()) || text != nil && f.Options() != text.Options():
			fields = append(fields, f) // kept as it is: the segment writer merges it
		case text == nil:
			text = &mergedText{Field: f, length: f.AnalyzedLength(), tfs: f.AnalyzedTokenFrequencies(), bytes: f.NumPlainTextBytes()}
			fields = append(fields, text)
		default:
			text.length += f.AnalyzedLength()
			text.bytes += f.NumPlainTextBytes()
			text.tfs.MergeAll(FieldText, f.AnalyzedTokenFrequencies())
		}
	}
	doc.Fields = fields
	return analysed{doc}, nil
}

// onlyTerms reports whether a field with options o is indexed for its terms
// alone: not stored, without term vectors or doc values, so that several
// such fields of one name and the same options are their summed length and
// frequencies. A part with other options stays a field of its own.
func onlyTerms(o index.FieldIndexingOptions) bool {
	return o.IsIndexed() && !o.IsStored() && !o.IncludeTermVectors() && !o.IncludeDocValues()
}

// mergedText is the parts of FieldText of one document as one field.
type mergedText struct {
	document.Field // the first part
	length         int
	tfs            index.TokenFrequencies
	bytes          uint64
}

// AnalyzedLength implements index.Field: the parts' summed length.
func (t *mergedText) AnalyzedLength() int { return t.length }

// AnalyzedTokenFrequencies implements index.Field: the parts' merged terms.
func (t *mergedText) AnalyzedTokenFrequencies() index.TokenFrequencies { return t.tfs }

// NumPlainTextBytes implements document.Field: the parts' text in bytes.
func (t *mergedText) NumPlainTextBytes() uint64 { return t.bytes }

// analysed is a document whose fields are analysed already.
type analysed struct{ *document.Document }

// VisitFields implements index.Document: the fields, analysed.
func (a analysed) VisitFields(visit index.FieldVisitor) {
	for _, f := range a.Fields {
		visit(analysedField{f})
	}
}

// HasComposite implements index.Document: composite fields are composed
// already.
func (a analysed) HasComposite() bool { return false }

// AddIDField implements index.Document: the _id field the builder adds is
// analysed at once.
func (a analysed) AddIDField() {
	a.Document.AddIDField()
	a.Fields[len(a.Fields)-1].Analyze()
}

// analysedField is a field whose Analyze has been called.
type analysedField struct{ index.Field }

// Analyze implements index.Field: nothing left to do.
func (analysedField) Analyze() {}
