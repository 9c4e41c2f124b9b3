package handlers

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/locale"
)

// TestRecordOfProcessingInGerman: the record of processing is a document for
// people, so a German reader gets German headings, the lawful basis as its
// word and the fixed texts translated; counts stay as they are.
func TestRecordOfProcessingInGerman(t *testing.T) {
	header := []string{"Processing", "Lawful basis", "Contacts", "Categories of data", "Data subjects", "Recipients", "Retention", "Erasures (last 20)", "Open requests"}
	rows := [][]string{{"Influencer and press relations", "legitimate_interest", "1234",
		"name, job title, outlets, e-mail, phone, social channels and reach, topics, interactions, consent history",
		"journalists, bloggers, creators, advocates, analysts, customers", "the team's users; exports as logged",
		"legitimate interest and no interaction for 24 months", "3", "1"}}
	h, r := recordInWords(locale.Get("de"), header, rows)
	got := strings.Join(h, " | ") + "\n" + strings.Join(r[0], " | ")
	for _, want := range []string{"Verarbeitungstätigkeit | Rechtsgrundlage | Kontakte | Datenkategorien | Betroffene Personen | Empfänger | Löschfrist | Löschungen (letzte 20)",
		"Influencer- und Pressearbeit | Berechtigtes Interesse | 1234 | Name, Funktion", "Journalist:innen, Blogger:innen", "die Nutzer:innen des Teams"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, code := range []string{"legitimate_interest", "Processing", "Lawful basis"} {
		if strings.Contains(got, code) {
			t.Errorf("English or a code left: %q in\n%s", code, got)
		}
	}
}
