package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// docAnalysis maps and analyses documents as bleve would, for one
// goroutine of a build: the words of text fields go through a word cache
// of its own (the vocabulary of a team's contacts repeats: at 100,000
// contacts most words have been filtered before), and a text field's terms
// are counted straight into its token frequencies, without a token stream.
// (The indexer keeps bleve's own analysis: handing it documents analysed
// here made an import of 100,000 no faster to search, 22.1–25.0 s against
// 21.7–21.9 s.)
type docAnalysis struct {
	mp    *mapper
	names map[analysis.Analyzer]string // the mapping's own analyzers
	words wordCache

	// freqs is where the token frequencies of the documents come from, a
	// block at a time instead of one allocation each (460 per contact of
	// the benchmark's), and textTerms how many terms the last document's
	// FieldText had: the next one's map starts that large instead of
	// growing to it.
	freqs     []index.TokenFreq
	textTerms int
}

// freqBlock is how many token frequencies docAnalysis allocates at once.
const freqBlock = 4096

func newDocAnalysis(m mapping.IndexMapping) (*docAnalysis, error) {
	mp, err := newMapper(m)
	if err != nil {
		return nil, err
	}
	a := &docAnalysis{mp: mp, names: map[analysis.Analyzer]string{}}
	for _, name := range []string{NameAnalyzer, GermanProse, EnglishProse, AddressTokens, keyword.Name} {
		if an := m.AnalyzerNamed(name); an != nil {
			a.names[an] = name
		}
	}
	return a, nil
}

// document maps d (mapper) and analyses its fields, and returns it wrapped so that
// bleve does not analyse it again.
//
// The parts of FieldText (textParts: one field each, all named FieldText)
// leave here as one field: their lengths summed and their terms counted
// into one map, which is what bleve's segment writer makes of several
// fields of one name, merging their maps term by term (5 s of the 23 s it
// took to write the segments of 100,000 contacts).
// TestAnalysedDocumentAsBleve compares the two.
func (a *docAnalysis) document(d *Document) (index.Document, error) {
	doc, err := a.mp.document(d)
	if err != nil {
		return nil, err
	}
	var text *termsField
	fields := doc.Fields[:0]
	for _, f := range doc.Fields {
		if !f.Options().IsIndexed() {
			fields = append(fields, f)
			continue
		}
		merge := f.Name() == FieldText && onlyTerms(f.Options()) && (text == nil || f.Options() == text.Options())
		if merge && text != nil {
			n, tfs := a.analyse(doc, f, text.tfs)
			if tfs != nil {
				text.tfs.MergeAll(FieldText, tfs)
			}
			text.length += n
			text.bytes += f.NumPlainTextBytes()
			continue
		}
		size := 0
		if merge {
			size = a.textTerms
		}
		t := &termsField{Field: f, tfs: make(index.TokenFrequencies, size), bytes: f.NumPlainTextBytes()}
		n, tfs := a.analyse(doc, f, t.tfs)
		if tfs != nil {
			t.tfs = tfs
		}
		t.length = n
		if merge {
			text = t // the first part of FieldText: the others join it
		}
		fields = append(fields, t)
	}
	doc.Fields = fields
	if text != nil {
		a.textTerms = len(text.tfs)
	}
	return analysed{doc}, nil
}

// analyse analyses f and returns its length: its terms counted into tfs
// (a.terms), or, when that cannot be done, by f itself, whose terms it then
// returns (and composes into doc's composite fields, of which NewMapping
// has none).
func (a *docAnalysis) analyse(doc *document.Document, f document.Field, tfs index.TokenFrequencies) (int, index.TokenFrequencies) {
	if len(doc.CompositeFields) == 0 {
		if n, ok := a.terms(f, tfs); ok {
			return n, nil
		}
	}
	f.Analyze()
	for _, c := range doc.CompositeFields {
		c.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
	}
	return f.AnalyzedLength(), f.AnalyzedTokenFrequencies()
}

// terms counts the terms of f into tfs and returns how many it made, when f
// is a text field of one of the mapping's analyzers that keeps no places of
// words (ok false otherwise: then f analyses itself). The terms are those
// of f.Analyze: every token filter of the mapping's analyzers looks at one
// token at a time.
func (a *docAnalysis) terms(f index.Field, tfs index.TokenFrequencies) (n int, ok bool) {
	tf, isText := f.(*document.TextField)
	if !isText || f.Options().IncludeTermVectors() {
		return 0, false
	}
	name, known := a.names[tf.Analyzer()]
	da, plain := tf.Analyzer().(*analysis.DefaultAnalyzer)
	if !known || !plain || len(da.CharFilters) > 0 || da.Tokenizer == nil {
		return 0, false
	}
	count := !f.Options().SkipFreqNorm()
	add := func(term string, raw []byte) {
		n++
		e := tfs[term]
		if e == nil {
			e = a.freq()
			e.Term = raw
			tfs[term] = e
		}
		if count {
			e.SetFrequency(e.Frequency() + 1)
		}
	}
	if len(da.TokenFilters) == 0 { // each word is its term (keywords: sort keys are unique, so not for the cache)
		eachWord(da.Tokenizer, tf.Value(), func(w *analysis.Token) { add(string(w.Term), w.Term) })
		return n, true
	}
	eachWord(da.Tokenizer, tf.Value(), func(w *analysis.Token) {
		for _, t := range a.words.terms(name, da, w) {
			add(t.term, t.raw)
		}
	})
	return n, true
}

// freq is a new token frequency.
func (a *docAnalysis) freq() *index.TokenFreq {
	if len(a.freqs) == 0 {
		a.freqs = make([]index.TokenFreq, freqBlock)
	}
	e := &a.freqs[0]
	a.freqs = a.freqs[1:]
	return e
}

// onlyTerms reports whether a field with options o is indexed for its terms
// alone: not stored, without term vectors or doc values, so that several
// such fields of one name and the same options are their summed length and
// frequencies. A part with other options stays a field of its own.
func onlyTerms(o index.FieldIndexingOptions) bool {
	return o.IsIndexed() && !o.IsStored() && !o.IncludeTermVectors() && !o.IncludeDocValues()
}

// termsField is an analysed field: a text field whose terms were counted
// without a token stream, or the parts of FieldText of one document as one
// field.
type termsField struct {
	document.Field // the first part
	length         int
	tfs            index.TokenFrequencies
	bytes          uint64
}

// AnalyzedLength implements index.Field: the parts' summed length.
func (t *termsField) AnalyzedLength() int { return t.length }

// AnalyzedTokenFrequencies implements index.Field: the parts' merged terms.
func (t *termsField) AnalyzedTokenFrequencies() index.TokenFrequencies { return t.tfs }

// NumPlainTextBytes implements document.Field: the parts' text in bytes.
func (t *termsField) NumPlainTextBytes() uint64 { return t.bytes }

// Analyze implements index.Field: the terms are counted already.
func (*termsField) Analyze() {}

// analysed is a document whose indexed fields are analysed already: each
// is a termsField, whose Analyze does nothing. bleve visits a document's
// fields several times while it writes a segment; they are visited as they
// are, without a wrapper made per visit.
type analysed struct{ *document.Document }

// HasComposite implements index.Document: composite fields are composed
// already.
func (a analysed) HasComposite() bool { return false }

// AddIDField implements index.Document: the _id field that a build's
// segments add is analysed at once.
func (a analysed) AddIDField() {
	a.Document.AddIDField()
	last := len(a.Fields) - 1
	f := a.Fields[last]
	f.Analyze()
	a.Fields[last] = &termsField{Field: f, length: f.AnalyzedLength(), tfs: f.AnalyzedTokenFrequencies(), bytes: f.NumPlainTextBytes()}
}
