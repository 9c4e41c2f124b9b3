package pages

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
)

// TestWordsInGerman: what crm says in codes and English, the pages say in
// German: health lines, access report values, bulk summaries, duplicate
// evidence, audit values and report rows; English stays as crm says it.
func TestWordsInGerman(t *testing.T) {
	de := locale.With(context.Background(), locale.Get(locale.German))
	en := locale.With(context.Background(), locale.Get(locale.English))
	last := time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC)
	h := crm.ComputeHealth(crm.HealthInput{CadenceDays: 30, LastTouch: &last, Recent: 3, Inbound: 1, Positive: 2, Reach: 1234}, last.AddDate(0, 0, 12))
	var gotDE, gotEN []string
	for _, l := range h.Lines {
		gotDE, gotEN = append(gotDE, healthText(de, l)), append(gotEN, healthText(en, l))
	}
	for i, want := range []string{"Ausgangswert", "letzter Kontakt vor 12 Tagen, Rhythmus 30", "3 Interaktionen in den letzten 180 Tagen, 6 erwartet",
		"1 von 3 eingehend", "2 positiv, 0 negativ von 3", "Reichweite 1.234"} {
		if i >= len(gotDE) || gotDE[i] != want {
			t.Errorf("health line %d in German: %q, want %q", i, gotDE, want)
		}
	}
	for i, l := range h.Lines {
		if gotEN[i] != l.Text {
			t.Errorf("health line %d in English: %q, crm says %q", i, gotEN[i], l.Text)
		}
	}
	for _, tc := range []struct{ got, want string }{
		{accessValue(de, "When", "2026-12-04T14:05:00Z"), "4. Dez. 2026, 14:05 Uhr"},
		{accessValue(de, "Lawful basis", "legitimate_interest"), "Berechtigtes Interesse"},
		{accessValue(de, "Consent", "given"), "Einwilligung erteilt"},
		{accessValue(de, "Do not contact", "false"), "nein"},
		{accessValue(de, "Channel x", "anna (1234 followers)"), "anna (1.234 Follower)"},
		{accessLabel(de, "Phone (work)"), "Telefon (Beruflich)"},
		{bulkSummary(de, "set_stage", "supporter", "set stage to “supporter”"), "Stufe auf „Unterstützer:in“ setzen"},
		{bulkSummary(en, "add_tag", "Presse", "add tag “Presse”"), "add tag “Presse”"},
		{evidenceText(de, "same phone +49301234"), "gleiches Telefon +49301234"},
		{auditAction(de, "login"), "angemeldet"},
		{auditValue(de, "occurred_at", "2026-12-04 09:00"), "4. Dez. 2026, 09:00 Uhr"},
		{auditValue(de, "sentiment", "positive"), "Positiv"},
		{countName(de, "2026-11-30"), "30. Nov. 2026"},
		{changedReason(de, ChangedContact{Action: "update", By: "Anna Berg", At: time.Date(2026, 12, 4, 14, 5, 0, 0, time.UTC)}),
			"bearbeitet von Anna Berg am 4. Dez. 2026, 14:05 Uhr"},
		{changedReason(de, ChangedContact{Reason: "changed by someone else after the import"}), "nach dem Import von jemand anderem geändert"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
