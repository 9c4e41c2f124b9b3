package search

import (
	"errors"
	"strings"
	"testing"
)

// TestNoteQuery: a timeline's words match an interaction as the index
// matches its notes: stems, folding, compounds, feminine forms, phrases in
// order, exclusions, stop words dropped; texts over the limits are refused.
func TestNoteQuery(t *testing.T) {
	const (
		trip  = "Reise nach München: Pressereise zur Wärmepumpen-Messe"
		blog  = "Gesundheitsbloggerin möchte Testgeräte für die Bloggerinnen-Aktion"
		plain = "Rückruf wegen Bildmaterial, Treffen im Café verschoben"
	)
	tests := []struct {
		name, q string
		want    []string // of trip, blog, plain
	}{
		{"stem_plural_finds_singular", "Reisen", []string{trip}},
		{"folded_ue_spelling", "muenchen", []string{trip}},
		{"folded_no_dots", "Munchen", []string{trip}},
		{"compound_part", "Wärmepumpen", []string{trip}},
		{"hyphen_compound_whole", "Wärmepumpen-Messe", []string{trip}},
		{"decompound_person_noun", "Blogger", []string{blog}},
		{"decompound_gesundheit", "Gesundheit", []string{blog}},
		{"feminine_plural", "Bloggerinnen", []string{blog}},
		{"accent_folded", "cafe", []string{plain}},
		{"case_insensitive", "VERSCHOBEN", []string{plain}},
		{"all_words_must_match", "Reise Bildmaterial", nil},
		{"stop_word_dropped", "die Reise", []string{trip}},
		{"phrase_in_order", `"Reise nach München"`, []string{trip}},
		{"phrase_out_of_order", `"München Reise"`, nil},
		{"excluded_word", "-Reise", []string{blog, plain}},
		{"excluded_phrase", `Treffen -"im Café"`, nil},
		{"no_substring", "eise", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nq, err := ParseNotes(tc.q)
			if err != nil || nq == nil {
				t.Fatalf("ParseNotes(%q) = %v, %v", tc.q, nq, err)
			}
			var got []string
			for _, n := range []string{trip, blog, plain} {
				subject, body, _ := strings.Cut(n, ":")
				if !strings.Contains(n, ":") {
					subject, body = "", n
				}
				if nq.Match(subject, body) {
					got = append(got, n)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%q matched %q, want %q", tc.q, got, tc.want)
			}
		})
	}
	if nq, err := ParseNotes("  "); nq != nil || err != nil {
		t.Errorf("empty text: %v, %v", nq, err)
	}
	var te *TextError
	if _, err := ParseNotes(strings.Repeat("wort ", MaxTextWords+1)); !errors.As(err, &te) {
		t.Errorf("too many words: %v", err)
	}
}
