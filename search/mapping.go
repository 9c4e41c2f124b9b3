package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de" // stop_de, stemmer_de_light
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // the en analyzer
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping, an analyzer or the document
// changes meaning. An index built with another version is moved aside and
// rebuilt when Rapport starts.
const MappingVersion = "7" // 7: sort_name is crm/sortkey.Name (DIN 5007-1), as the database lists sort; documents carry the stage

// Field names of the contact document.
const (
	FieldName      = "name"       // first and last name (NameAnalyzer)
	FieldSortName  = "sort_name"  // sortkey.Name(last, first): the lists' name order (keyword, sortable)
	FieldTitle     = "title"      // job title (German; stored)
	FieldBio       = "bio"        // biography (German; stored)
	FieldBioEN     = "bio_en"     // biography (English)
	FieldOutlets   = "outlets"    // names of outlets and roles (stored)
	FieldTopics    = "topics"     // topic names (text)
	FieldTags      = "tags"       // tag names (text)
	FieldPlace     = "place"      // city, region
	FieldHandles   = "handles"    // handles as words
	FieldEmails    = "emails"     // addresses as words
	FieldNotes     = "notes"      // recent interactions: subject and body (German; stored)
	FieldNoteMeta  = "note_meta"  // per note: "2006-01-02 type" (stored only)
	FieldEmail     = "email"      // exact address (keyword)
	FieldHandle    = "handle"     // exact handle (keyword)
	FieldReach     = "reach"      // numeric
	FieldLastAt    = "last_at"    // date of the last interaction
	FieldReachKey  = "reach_key"  // reach, zero-padded (keyword, sortable)
	FieldLastKey   = "last_key"   // last interaction, RFC 3339 or "0" (keyword, sortable)
	FieldHash      = "hash"       // digest of the document (stored only)
	FacetKind      = "kind"       // facets: keyword fields with doc values
	FacetStage     = "stage"      //
	FacetRegion    = "region"     //
	FacetTopic     = "topic"      //
	FacetTag       = "tag"        //
	FacetPlatform  = "platform"   //
	FacetOwner     = "owner"      // owner's user id, "" when nobody
	FacetOutlet    = "outlet"     //
	FieldUpdatedAt = "updated_at" // contact's updated_at (stored only, for diagnostics)
)

// NewMapping returns the explicit mapping of the contact index: no dynamic
// fields, no _all field, the keyword analyzer as default so that nothing is
// analysed by accident, doc values only on facet and sort fields.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	err := im.AddCustomAnalyzer(NameAnalyzer, map[string]any{"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, FoldFilter}})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(GermanProse, map[string]any{"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, "stop_de", FoldFilter, FeminineFilter, DecompoundFilter, "stemmer_de_light"}})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(AddressTokens, map[string]any{"type": custom.Name, "tokenizer": whitespace.Name,
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

	dm.AddFieldMappingsAt(FieldName, text(NameAnalyzer, false, true))
	dm.AddFieldMappingsAt(FieldTitle, text(GermanProse, true, true))
	// The English analysis of the bio finds English words in their forms
	// (loves, loving → love); phrases and snippets use the German one, which
	// has the same words in the same places, so it keeps no term vectors.
	dm.AddFieldMappingsAt(FieldBio, text(GermanProse, true, true), named(text(EnglishProse, false, false), FieldBioEN))
	dm.AddFieldMappingsAt(FieldOutlets, text(NameAnalyzer, true, true))
	dm.AddFieldMappingsAt(FieldTopics, text(NameAnalyzer, false, false))
	dm.AddFieldMappingsAt(FieldTags, text(NameAnalyzer, false, false))
	dm.AddFieldMappingsAt(FieldPlace, text(NameAnalyzer, false, false))
	dm.AddFieldMappingsAt(FieldHandles, text(NameAnalyzer, false, false))
	dm.AddFieldMappingsAt(FieldEmails, text(AddressTokens, false, false))
	dm.AddFieldMappingsAt(FieldNotes, text(GermanProse, true, true))
	dm.AddFieldMappingsAt(FieldNoteMeta, stored())
	dm.AddFieldMappingsAt(FieldHash, stored())
	dm.AddFieldMappingsAt(FieldUpdatedAt, stored())
	dm.AddFieldMappingsAt(FieldEmail, keyword(false))
	dm.AddFieldMappingsAt(FieldHandle, keyword(false))
	for _, f := range []string{FieldSortName, FieldReachKey, FieldLastKey, FacetKind, FacetStage, FacetRegion,
		FacetTopic, FacetTag, FacetPlatform, FacetOwner, FacetOutlet} {
		dm.AddFieldMappingsAt(f, keyword(true))
	}
	num := bleve.NewNumericFieldMapping()
	num.IncludeInAll, num.DocValues = false, false
	dm.AddFieldMappingsAt(FieldReach, num)
	date := bleve.NewDateTimeFieldMapping()
	date.IncludeInAll, date.DocValues = false, false
	dm.AddFieldMappingsAt(FieldLastAt, date)

	im.DefaultMapping = dm
	im.DefaultField = FieldName
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
