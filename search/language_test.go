package search

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"
)

// languageIndex is an on-disk index (never NewMemOnly: its fuzzy matching
// counts bytes, not letters) holding a few contacts that tell the language
// rules apart.
func languageIndex(t testing.TB) *Index {
	t.Helper()
	ix := emptyIndex(t)
	docs := languageDocs()
	ids := slices.Sorted(maps.Keys(docs))
	if err := ix.apply(context.Background(), ids, docs, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	return ix
}

// languageDocs are the contacts of languageIndex.
func languageDocs() map[int]*Document {
	at := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)
	return map[int]*Document{
		1: {ID: 1, Kind: "journalist", FirstName: "Jürgen", LastName: "Müller", Title: "Redakteur", City: "München", Region: "München",
			Bio: "Schreibt über Medizin und Pflege.", Emails: []string{"j.mueller@sz.de"},
			Channels: []Channel{{"x", "jmueller_sz"}}, Outlets: []Outlet{{"Süddeutsche Zeitung", "Redakteur"}}, Topics: []string{"Gesundheit"}},
		2: {ID: 2, Kind: "journalist", FirstName: "Anna", LastName: "Schäfer", Title: "Freie Journalistin", City: "Hamburg", Region: "Hamburg",
			Bio: "Journalistin für Reisen und Hotellerie.", Topics: []string{"Reisen"}},
		3: {ID: 3, Kind: "journalist", FirstName: "Tom", LastName: "Weber", Title: "Journalist", City: "Berlin", Region: "Berlin",
			Bio: "Leitet ein Netzwerk für Journalistinnen und Journalisten.", Topics: []string{"Politik"}},
		4: {ID: 4, Kind: "blogger", FirstName: "Lena", LastName: "Groß", Title: "Bloggerin", City: "München", Region: "München",
			Bio: "Gesundheitsbloggerin aus München. Schreibt über Laufsport.", Topics: []string{"Gesundheit", "Sport"},
			Notes: []Note{{At: at, Type: "call", Subject: "Telefonat", Body: "Möchte ein Testgerät für den Wärmepumpen-Vergleich."}}},
		5: {ID: 5, Kind: "blogger", FirstName: "Max", LastName: "Klein", Title: "Blogger", City: "Köln", Region: "Köln",
			Bio: "Foodblogger mit einer riesigen Community. Loves street food.", Topics: []string{"Food"}, Tags: []string{"VIP"}},
		6: {ID: 6, Kind: "creator", FirstName: "Katharina", LastName: "Schneider", City: "Berlin", Region: "Berlin",
			Bio: "Spricht im Podcast über Medizin im Alltag.", Emails: []string{"k.schneider@example.com"},
			Notes: oldNotes(at)},
	}
}

// oldNotes are MaxNotes+1 interactions, the oldest about gliding: older
// than the newest MaxNotes, it is not in the index.
func oldNotes(at time.Time) []Note {
	notes := []Note{{At: at.AddDate(0, -1, 0), Type: "meeting", Subject: "Treffen", Body: "Sprach über Segelflug."}}
	for i := range MaxNotes {
		notes = append(notes, Note{At: at.AddDate(0, 0, i), Type: "email", Subject: "Rückfrage", Body: "Bittet um Bildmaterial."})
	}
	return notes
}

// TestLanguage: the ways people type a name, a place or a profession find
// the contacts they mean, and nothing else.
func TestLanguage(t *testing.T) {
	ix := languageIndex(t)
	tests := []struct {
		name, q string
		want    []int
	}{
		{"umlaut_folded_ue", "muenchen", []int{1, 4}},
		{"umlaut_dropped", "munchen", []int{1, 4}},
		{"umlaut_written", "München", []int{1, 4}},
		{"name_ue_spelling", "Mueller", []int{1}},
		{"name_umlaut", "müller", []int{1}},
		{"name_eszett_ss", "Gross", []int{4}},
		{"feminine_finds_all", "Journalistin", []int{2, 3}},
		{"feminine_plural_finds_all", "Journalistinnen", []int{2, 3}},
		{"masculine_finds_feminine", "Journalist", []int{2, 3}},
		{"bloggerin_finds_blogger", "Bloggerin", []int{4, 5}},
		{"blogger_finds_bloggerin", "Blogger", []int{4, 5}},
		{"compound_head", "bloggerin muenchen", []int{4}},
		{"compound_whole", "Gesundheitsbloggerin", []int{4}},
		{"stop_words_dropped", "die Gesundheitsbloggerin aus Muenchen", []int{4}},
		{"typo_in_name", "Schnieder", []int{6}},
		{"typo_in_name_umlaut", "Schafer", []int{2}},
		{"short_word_no_fuzzy", "Klin ", nil},
		{"typo_five_letters", "Kleim ", []int{5}},
		{"prefix_while_typing", "Schnei", []int{6}},
		{"prefix_folded", "Mül", []int{1}},
		{"prefix_not_after_space", "Schnei ", nil},
		{"all_words_must_match", "muenchen medizin", []int{1}},
		{"phrase", `"Medizin und Pflege"`, []int{1}},
		{"phrase_order_matters", `"Pflege und Medizin"`, nil},
		{"exclude", "medizin -podcast", []int{1}},
		{"exclude_phrase", `medizin -"im Alltag"`, []int{1}},
		{"email_exact", "j.mueller@sz.de", []int{1}},
		{"email_exact_case", "J.Mueller@SZ.de ", []int{1}},
		{"email_other", "x.mueller@sz.de ", nil},
		{"handle_exact", "@jmueller_sz", []int{1}},
		{"handle_exact_case", "@JMueller_SZ ", []int{1}},
		{"handle_no_partial", "@jmueller ", nil},
		{"outlet", "süddeutsche", []int{1}},
		{"topic", "gesundheit", []int{1, 4}},
		{"tag", "VIP", []int{5}},
		{"english_prose", "loves", []int{5}},
		{"note_text", "Wärmepumpe", []int{4}},
		{"city_region", "köln", []int{5}},
		{"word_only_in_an_old_note", "Segelflug", nil},
		{"word_in_a_newer_note", "Bildmaterial", []int{6}},
		{"phrase_in_a_note", `"ein Testgerät"`, []int{4}},
		{"phrase_in_a_note_order_matters", `"Vergleich Wärmepumpen"`, nil},
		{"phrase_in_a_note_hyphenated", `"Wärmepumpen Vergleich"`, []int{4}},
		{"phrase_in_a_name", `"Jürgen Müller"`, []int{1}},
		{"phrase_not_across_fields", `"Müller Redakteur"`, nil},
		{"exclude_phrase_in_a_note", `blogger -"ein Testgerät"`, []int{5}},
		{"typo_in_outlet_not_matched", "Süddeutshe ", nil},
		{"typo_in_outlet_written_right", "Süddeutsche ", []int{1}},
		{"prefix_in_outlet_role", "Redakt", []int{1}},
		{"no_prefix_in_title", "Journalis", nil},
		{"no_prefix_in_bio", "Laufsp", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Q: tt.q, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("search %q = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestMasculine(t *testing.T) {
	for in, want := range map[string]string{
		"journalistin": "journalist", "journalistinnen": "journalist", "bloggerin": "blogger", "redakteurin": "redakteur",
		"autorinnen": "autor", "arztin": "arzt", "fotografin": "fotograf", "berlin": "berlin", "magazin": "magazin",
		"termin": "termin", "medizin": "medizin", "gewinnen": "gewinnen", "valentin": "valentin", "in": "in",
	} {
		if got, _ := masculine(in); got != want {
			t.Errorf("masculine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"münchen": "munchen", "muenchen": "munchen", "munchen": "munchen", "müller": "muller", "mueller": "muller",
		"groß": "gross", "łukasz": "lukasz", "françois": "francois", "søren": "soren", "özdemir": "ozdemir",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
