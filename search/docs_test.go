package search

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/docfacts"
)

// rankOf is the weight and the shortest prefix rankFields give a field, as
// docs/SEARCH.md writes them.
func rankOf(t *testing.T, name string) (boost, prefix string) {
	for _, f := range rankFields {
		if f.name == name {
			return fmt.Sprint(f.boost), fmt.Sprint(f.prefixMin)
		}
	}
	t.Fatalf("no ranking field %q", name)
	return "", ""
}

// TestDocumentedFigures: the figures docs/SEARCH.md and README.md state
// about search are the code's (the change retention is checked in
// cmd/rapport, where it is set).
func TestDocumentedFigures(t *testing.T) {
	var o Options
	o.defaults()
	var pg Options
	pg.ListenURL = "postgres://x"
	pg.defaults()
	itoa, k := docfacts.Itoa, docfacts.Thousands
	nameBoost, namePrefix := rankOf(t, FieldName)
	outletBoost, outletPrefix := rankOf(t, FieldOutlets)
	handleBoost, handlePrefix := rankOf(t, FieldHandles)
	docfacts.Check(t, "../docs/SEARCH.md", []docfacts.Fact{
		docfacts.F(`A load takes its (\w+) connections at once`, docfacts.Word(docNeeds.Queries())),
		docfacts.F(`Batches of ([\d,]+) ids had PostgreSQL`, k(buildBatch)),
		docfacts.F("the newest `MaxNotes` = (\\d+) ", itoa(MaxNotes)),
		docfacts.F(`the first ([\d,]+) characters of the body`, k(MaxNoteText)),
		docfacts.F("`MaxCoverage` = (\\d+) pieces", itoa(MaxCoverage)),
		docfacts.F("`MaxPosts` = (\\d+) titles", itoa(MaxPosts)),
		docfacts.F(`weighs more: in a name (\d+), an outlet ([\d.]+), a handle ([\d.]+) `, nameBoost, outletBoost, handleBoost),
		docfacts.F(`a prefix of a name \((\d+)\+ letters\), an outlet \((\d+)\+\) or a handle \((\d+)\+\)`, namePrefix, outletPrefix, handlePrefix),
		docfacts.F(`words of (\d+)–(\d+) letters\s+also match names with one typo`, itoa(fuzzyMin), itoa(fuzzyMax)),
		docfacts.F(`and given up after (\d+) s `, itoa(int(o.GapTimeout.Seconds()))),
		docfacts.F(`a poll \((\d+) s on PostgreSQL, (\d+) ms on SQLite\)`, itoa(int(pg.Poll.Seconds())), itoa(int(o.Poll.Milliseconds()))),
		docfacts.F(`is more than ([\d,]+) changes behind`, k(o.RebuildBacklog)),
		docfacts.F(`in bleve batches of ([\d,]+),`, k(applyBatch)),
		docfacts.F(`writes each batch \(([\d,]+) documents\) as a segment`, k(buildBatch)),
		docfacts.F(`merges those (\w+) into one while`, docfacts.Word(mergeMax)),
		docfacts.F(`merged into one segment, (\w+) at a time`, docfacts.Word(mergeMax)),
		docfacts.F("opened with `bolt_timeout` (\\d+ ?s)", strings.Replace(openTimeout, "s", " s", 1)),
		docfacts.F("The address analyzer \\(`(\\w+)`: lower case, split at spaces only\\) cuts with `(\\w+)`", AddressTokens, SpaceTokenizer),
	})
	docfacts.Check(t, "../README.md", []docfacts.Fact{
		docfacts.F(`the text of their (\d+) newest interactions`, itoa(MaxNotes)),
		docfacts.F(`a name \(a word of (\d+)–(\d+) letters\) may carry one typo`, itoa(fuzzyMin), itoa(fuzzyMax)),
	})
}
