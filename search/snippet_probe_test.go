package search

import (
	"strings"
	"testing"
)

// TestProbesNeverHide: the cheap check before a stored value is analysed
// again for its snippet (mayMark) never skips a value in which marks would
// mark a word: every word of a corpus of German and English values, and the
// forms that analysis changes most (feminine forms, compounds, umlaut
// spellings, ß, English stems that change a letter), is searched finished
// and while typed, against every value with every snippet field's
// analyzers.
func TestProbesNeverHide(t *testing.T) {
	b := languageIndex(t).builder()
	values := []string{
		"Easy listening, loves crying babies and happy toys.", "Ponies, cries, agreed, relational generalizations.",
		"Die Mueller-Stiftung in der Königsstraße 5, Strasse der Einheit.", "Redakteurinnen und Redakteure der Süddeutschen",
		"Gesundheitsbloggerin aus München, Wärmepumpen-Vergleich im Überblick.", "Öffentlichkeitsarbeit für Äpfel und Übersee",
		"Journalistinnen und Journalisten, eine Fotografin, zwei Moderatorinnen.", "Muenchen, Koeln, Duesseldorf und Groß-Gerau",
		"Café crème über alles; naïve façade.", "Termin in Berlin: Medizin-Magazin",
	}
	for _, d := range languageDocs() {
		values = append(values, d.Bio, d.Title)
		for _, n := range d.Notes {
			values = append(values, n.Body)
		}
		for _, o := range d.Outlets {
			values = append(values, o.Name)
		}
	}
	queries := []string{"easy", "loving", "cry", "toy", "pony", "Müller", "Mueller", "Straße", "strasse", "Journalistin",
		"Redakteur", "gesundheit", "blogger", "über", "Ueberblick", "Koeln", "Köln", "cafe", "naive", "Moderator", "Fotograf"}
	for _, v := range values {
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(" ,.;:-", r) }) {
			queries = append(queries, w)
		}
	}
	checked := 0
	for _, q := range queries {
		r := []rune(q)
		for _, typed := range []string{q + " ", q, string(r[:len(r)/2+1])} {
			terms, open := Parse(typed)
			hl := newHighlight(b, terms, open)
			for _, v := range values {
				for _, sf := range snippetFields {
					if _, n := hl.marks(v, sf.analyzers); n > 0 {
						checked++
						if !hl.mayMark(v) {
							t.Errorf("query %q: %s marks %d words in %q but mayMark skips it (probes %q)", typed, sf.stored, n, v, hl.probes)
						}
					}
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d marked values checked", checked)
	}
	t.Logf("%d marked values checked", checked)
}
