package search

import (
	"testing"
	"time"
)

// TestTokenCounts: the terms of each part are counted as its analyzer makes
// them — the name twice (the combined field and its own), the bio in German
// and in English, stop words not at all.
func TestTokenCounts(t *testing.T) {
	d := &Document{ID: 1, FirstName: "Anna", LastName: "Müller", Bio: "Die Gesundheitsbloggerin loves running",
		Notes: []Note{{At: time.Now(), Type: "call", Subject: "Termin", Body: "Wir sprechen über die Kampagne"}}}
	counts := map[string]int{}
	if err := TokenCounts([]*Document{d, d}, counts); err != nil {
		t.Fatal(err)
	}
	for part, want := range map[string]int{
		"name → text (rapport_name)": 4, // anna, muller; two documents
		"name (rapport_name)":        4,
		"bio → text (rapport_de)":    10, // gesundheitsbloggerin + gesundheit + blogger, loves, running; die is a stop word
		"bio → text (rapport_en)":    8,  // die, gesundheitsbloggerin, love, run
	} {
		if counts[part] != want {
			t.Errorf("%s: %d terms, want %d (all: %v)", part, counts[part], want, counts)
		}
	}
	if counts["notes → text (rapport_de)"] == 0 {
		t.Errorf("the note's terms are not counted: %v", counts)
	}
}
