package importing

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/locale"
)

// TestReasonText: a stored reason's sentences in German, a value holding
// ". " kept whole, a sentence no problem said kept as stored, and every
// problem in the German catalogue.
func TestReasonText(t *testing.T) {
	de := locale.With(context.Background(), locale.Get(locale.German))
	for _, id := range ProblemIDs() {
		if !locale.Get(locale.German).Has(id) {
			t.Errorf("the German catalogue lacks %q", id)
		}
	}
	for _, c := range []struct{ name, stored, want string }{
		{"ok_two", joinReason("E-mail: Not an e-mail address: aenne@example.", []string{probFollowers.say("Column", "Follower", "Value", "abc")}),
			"E-Mail: Keine E-Mail-Adresse: aenne@example. Follower: „abc“ ist keine Zahl; Follower bleiben bei 0."},
		{"ok_dot_in_value", joinReason("", []string{probCountry.say("Column", "Land", "Value", "St. Helena. Ascension")}),
			"Land: „St. Helena. Ascension“ ist kein Land, das Rapport kennt; ausgelassen."},
		{"ok_numbers", joinReason(probTooLong.say("Column", "Bio", "KB", 2048, "Max", 1024), nil),
			"Bio: Die Zelle enthält 2.048 KB; eine Zelle darf höchstens 1.024 KB enthalten."},
		{"ok_lowercase_start", joinReason("", []string{probNoChannel.say()}),
			"Follower angegeben, aber kein Kanal, dem sie zugeordnet werden können; ausgelassen."},
		{"ok_constant", probSameNothing.say(), "Dieselbe Person wie in einer früheren Zeile; nichts Neues."},
		{"unknown_kept", "Something else happened. " + probSameRow.say("Row", 3), "Something else happened. Dieselbe Person wie in Zeile 3: damit zusammengeführt."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ReasonText(de, c.stored); got != c.want {
				t.Errorf("ReasonText(%q)\n got %q\nwant %q", c.stored, got, c.want)
			}
			if got := ReasonText(context.Background(), c.stored); got != c.stored {
				t.Errorf("in English %q, want it as stored", got)
			}
		})
	}
}
