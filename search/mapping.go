package search

import (
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de" // stop_de, stemmer_de_light
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping, an analyzer or the document
// changes meaning. An index built with another version is moved aside and
// rebuilt when Rapport starts.
const MappingVersion = "16" // 16: no numeric or date fields (reach and the last interaction were indexed as bleve numbers, 16 terms per value, and read by no query; their sort keys stay) and no stored updated_at (read by nothing); 15: e-mail addresses cut by rapport_spaces (the words of bleve's whitespace tokenizer: an older binary opening this index would not know its name), and the stored hash digests the values, not their JSON (Verify would find every document of an older index changed); 14: the word tokenizer (rapport_words) and bleve's English analyzer rebuilt on it (rapport_en); 13: no id_key: the tie-break is read from a column of each segment's _id terms; 12: id_key, the tie-break of every order; 11: the titles of the newest feed posts of the contact's channels are a text part (German and English); 10: custom fields' text values are a text part; 9: the coverage a contact authored (title and outlet) is a text part; 8: one combined text field

// Field names of the contact document. Every word is matched against
// FieldText; name, outlets and handles are indexed again on their own for
// ranking, prefixes and (names) typos; the rest is stored for phrases and
// snippets, which re-analyse it.
const (
	FieldText     = "text"      // everything searchable, each part with its analyzer (no places of words)
	FieldName     = "name"      // first and last name (NameAnalyzer; stored)
	FieldSortName = "sort_name" // sortkey.Name(last, first): the lists' name order (keyword, sortable)
	FieldTitle    = "title"     // job title (German; stored)
	FieldBio      = "bio"       // biography (German and English; stored)
	FieldOutlets  = "outlets"   // names of outlets and roles (stored)
	FieldTopics   = "topics"    // topic names (text)
	FieldTags     = "tags"      // tag names (text)
	FieldPlace    = "place"     // city, region (text)
	FieldHandles  = "handles"   // handles as words
	FieldEmails   = "emails"    // addresses as words (text)
	FieldNotes    = "notes"     // recent interactions: subject and body (German; text, stored)
	FieldNoteMeta = "note_meta" // per note: "2006-01-02 type" (stored only)
	FieldCoverage = "coverage"  // coverage the contact authored: "title — outlet" (German; text, stored)
	FieldPosts    = "posts"     // titles of the newest feed posts of the contact's channels (German and English; text, stored)
	FieldEmail    = "email"     // exact address (keyword)
	FieldHandle   = "handle"    // exact handle (keyword)
	FieldReachKey = "reach_key" // reach, zero-padded (keyword, sortable)
	FieldLastKey  = "last_key"  // last interaction, RFC 3339 or "0" (keyword, sortable)
	FieldHash     = "hash"      // digest of the document (stored only)
	FacetKind     = "kind"      // facets: keyword fields with doc values
	FacetStage    = "stage"     //
	FacetRegion   = "region"    //
	FacetTopic    = "topic"     //
	FacetTag      = "tag"       //
	FacetPlatform = "platform"  //
	FacetOwner    = "owner"     // owner's user id, "" when nobody
	FacetOutlet   = "outlet"    //
	FieldCustom   = "custom"    // custom fields' text values: text, choices, URLs (only in FieldText)
)

// textParts are the parts of a document that FieldText holds, each as its
// analyzer makes it (the bio twice: German and English).
var textParts = []struct{ field, analyzer string }{
	{FieldName, NameAnalyzer}, {FieldTitle, GermanProse}, {FieldBio, GermanProse}, {FieldBio, EnglishProse},
	{FieldOutlets, NameAnalyzer}, {FieldTopics, NameAnalyzer}, {FieldTags, NameAnalyzer}, {FieldPlace, NameAnalyzer},
	{FieldHandles, NameAnalyzer}, {FieldEmails, AddressTokens}, {FieldNotes, GermanProse},
	{FieldCoverage, GermanProse}, {FieldCustom, NameAnalyzer}, {FieldPosts, GermanProse}, {FieldPosts, EnglishProse},
}

// NewMapping returns the explicit mapping of the contact index: no dynamic
// fields, no _all field, the keyword analyzer as default so that nothing is
// analysed by accident, doc values only on facet and sort fields.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	err := im.AddCustomAnalyzer(NameAnalyzer, map[string]any{"type": custom.Name, "tokenizer": WordTokenizer,
		"token_filters": []any{lowercase.Name, FoldFilter}})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(GermanProse, map[string]any{"type": custom.Name, "tokenizer": WordTokenizer,
		"token_filters": []any{lowercase.Name, "stop_de", FoldFilter, FeminineFilter, DecompoundFilter, "stemmer_de_light"}})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(EnglishProse, map[string]any{"type": custom.Name, "tokenizer": WordTokenizer,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, porter.Name}})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(AddressTokens, map[string]any{"type": custom.Name, "tokenizer": SpaceTokenizer,
		"token_filters": []any{lowercase.Name}})
	if err != nil {
		return nil, err
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no composite field: nothing is in it
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = analyzer, store, vectors, false, false
		return f
	}
	named := func(f *mapping.FieldMapping, name string) *mapping.FieldMapping { f.Name = name; return f }
	keyword := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, docValues
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index, f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, true, false, false, false
		return f
	}

	// Every part of textParts goes to FieldText with its own analyzer,
	// without the places of its words; names, outlets and handles also to a
	// field of their own, for ranking and prefixes. Phrases and snippets
	// re-analyse the stored text.
	own := map[string][]*mapping.FieldMapping{
		FieldName:     {text(NameAnalyzer, true, false)},
		FieldOutlets:  {text(NameAnalyzer, true, false)},
		FieldHandles:  {text(NameAnalyzer, false, false)},
		FieldTitle:    {stored()},
		FieldBio:      {stored()},
		FieldNotes:    {stored()},
		FieldCoverage: {stored()},
		FieldPosts:    {stored()},
	}
	var order []string
	for _, p := range textParts {
		if !slices.Contains(order, p.field) {
			order = append(order, p.field)
		}
		own[p.field] = append(own[p.field], named(text(p.analyzer, false, false), FieldText))
	}
	for _, f := range order {
		dm.AddFieldMappingsAt(f, own[f]...)
	}
	dm.AddFieldMappingsAt(FieldNoteMeta, stored())
	dm.AddFieldMappingsAt(FieldHash, stored())
	dm.AddFieldMappingsAt(FieldEmail, keyword(false))
	dm.AddFieldMappingsAt(FieldHandle, keyword(false))
	for _, f := range []string{FieldSortName, FieldReachKey, FieldLastKey, FacetKind, FacetStage, FacetRegion,
		FacetTopic, FacetTag, FacetPlatform, FacetOwner, FacetOutlet} {
		dm.AddFieldMappingsAt(f, keyword(true))
	}

	im.DefaultMapping = dm
	im.DefaultField = FieldName
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
