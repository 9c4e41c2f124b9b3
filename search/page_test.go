package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// marked is the text of a snippet's marked segments.
func marked(s *Snippet) []string {
	var out []string
	for _, seg := range s.Segments {
		if seg.Mark {
			out = append(out, seg.Text)
		}
	}
	return out
}

// TestSnippets: each hit says where it matched, with the matched words
// marked, and only for the words of the query.
func TestSnippets(t *testing.T) {
	ix := languageIndex(t)
	tests := []struct {
		name, q   string
		id        int
		field     string
		wantMarks []string
		date      string // of the note, FieldNotes only
	}{
		{"bio", "pflege", 1, FieldBio, []string{"Pflege"}, ""},
		{"bio_two_words", "medizin pflege", 1, FieldBio, []string{"Medizin", "Pflege"}, ""},
		{"note_with_date", "wärmepumpe", 4, FieldNotes, []string{"Wärmepumpen"}, "2025-03-12"},
		{"title_prefix_while_typing", "redakt", 1, FieldTitle, []string{"Redakteur"}, ""},
		{"outlet", "süddeutsche ", 1, FieldOutlets, []string{"Süddeutsche"}, ""},
		{"feminine_form_in_bio", "journalist ", 3, FieldBio, []string{"Journalistinnen", "Journalisten"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Q: tt.q, Size: 20, Snippets: true})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(res.Hits, func(h Hit) bool { return h.ID == tt.id })
			if i < 0 {
				t.Fatalf("search %q: contact %d not found in %v", tt.q, tt.id, res.Hits)
			}
			s := res.Hits[i].Snippet
			if s == nil {
				t.Fatalf("search %q: contact %d has no snippet", tt.q, tt.id)
			}
			if s.Field != tt.field {
				t.Errorf("snippet field %q, want %q", s.Field, tt.field)
			}
			if got := marked(s); !slices.Equal(got, tt.wantMarks) {
				t.Errorf("marked %q, want %q", got, tt.wantMarks)
			}
			if tt.date != "" && s.Date.Format(time.DateOnly) != tt.date {
				t.Errorf("note date %s, want %s", s.Date.Format(time.DateOnly), tt.date)
			}
			var text strings.Builder
			for _, seg := range s.Segments {
				text.WriteString(seg.Text)
			}
			if text.Len() == 0 {
				t.Error("empty snippet")
			}
		})
	}
	res, err := ix.Search(context.Background(), Request{Q: "pflege", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Snippet != nil {
		t.Errorf("snippets not asked for: hits %v", res.Hits)
	}
}

// TestFacetsSortsPages: facet counts are those of all hits, filters
// combine, sorts order the hits, and SearchAfter pages through all of them
// once.
func TestFacetsSortsPages(t *testing.T) {
	ix := languageIndex(t)
	ctx := context.Background()
	res, err := ix.Search(ctx, Request{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 6 {
		t.Errorf("total %d, want 6", res.Total)
	}
	count := func(res *Result, field, value string) int {
		for _, f := range res.Facets {
			if f.Field == field {
				for _, v := range f.Values {
					if v.Value == value {
						return v.Count
					}
				}
			}
		}
		return 0
	}
	for _, c := range []struct {
		field, value string
		want         int
	}{{FacetKind, "journalist", 3}, {FacetKind, "blogger", 2}, {FacetRegion, "München", 2}, {FacetTopic, "Gesundheit", 2}} {
		if got := count(res, c.field, c.value); got != c.want {
			t.Errorf("facet %s=%s counts %d, want %d", c.field, c.value, got, c.want)
		}
	}
	res, err = ix.Search(ctx, Request{Q: "gesundheit", Facets: true,
		Filters: map[string][]string{FacetKind: {"blogger", "creator"}, FacetRegion: {"München"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != 4 {
		t.Errorf("filtered hits %v, want contact 4", res.Hits)
	}
	if got := count(res, FacetKind, "blogger"); got != 1 {
		t.Errorf("filtered facet kind=blogger counts %d, want 1", got)
	}

	// A facet that a filter pins to one value counts as bleve would count it.
	for _, f := range []map[string][]string{
		{FacetKind: {"journalist"}, FacetTopic: {"Gesundheit"}},
		{FacetRegion: {"Hamburg"}},
		{FacetRegion: {"Nirgendwo"}},
	} {
		pinnedRes, err := ix.Search(ctx, Request{Facets: true, Filters: f})
		if err != nil {
			t.Fatal(err)
		}
		wide := map[string][]string{}
		for k, v := range f {
			wide[k] = append(slices.Clone(v), "no-such-value") // two values: bleve counts
		}
		counted, err := ix.Search(ctx, Request{Facets: true, Filters: wide})
		if err != nil {
			t.Fatal(err)
		}
		if pinnedRes.Total != counted.Total {
			t.Errorf("filters %v: total %d, counted %d", f, pinnedRes.Total, counted.Total)
		}
		for i, fc := range counted.Facets {
			if !slices.Equal(pinnedRes.Facets[i].Values, fc.Values) || pinnedRes.Facets[i].Field != fc.Field {
				t.Errorf("filters %v: facet %s = %v, counted %v", f, fc.Field, pinnedRes.Facets[i].Values, fc.Values)
			}
		}
	}

	var names []int
	after := ""
	for page := 0; page < 10; page++ {
		res, err := ix.Search(ctx, Request{Sort: SortName, Size: 4, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			names = append(names, h.ID)
		}
		if after = res.Next; after == "" {
			break
		}
	}
	// Groß, Klein, Müller, Schäfer, Schneider, Weber
	if want := []int{4, 5, 1, 2, 6, 3}; !slices.Equal(names, want) {
		t.Errorf("by name, paged: %v, want %v", names, want)
	}
	if _, err := ix.Search(ctx, Request{After: "nonsense"}); err != ErrBadCursor {
		t.Errorf("bad cursor: %v, want ErrBadCursor", err)
	}
}
