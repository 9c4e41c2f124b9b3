package handlers

import (
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/locale"
)

// TestDescribeSpeaksTheReadersLanguage: the summary of a selection on the
// segments and export pages names fields and enum values in the reader's
// language and numbers in its format; the team's own values stay as they are.
func TestDescribeSpeaksTheReadersLanguage(t *testing.T) {
	yes, health, camp := true, 40, 7
	reach := int64(12000)
	sel := crm.Selection{Query: "pflege", Filter: schema.SegmentFilter{Kinds: []string{"journalist", "blogger"}, Regions: []string{"München"},
		Stages: []string{"supporter"}, Consent: []string{"given"}, Stale: &yes, HasEmail: &yes, MinHealth: &health, MinFollowers: &reach,
		Owners: []int{1, 2}, Campaign: &camp}}
	for _, c := range []struct{ lang, want string }{
		{"de", "“pflege”; Typ: Journalist:in oder Blogger:in; Region: München; Stufe: Unterstützer:in; Einwilligung: Einwilligung erteilt; überfällig; mit E-Mail; Gesundheit ≥ 40; Reichweite ≥ 12.000; Zuständig: 2; Zielkontakte: Kampagne #7"},
		{"en", "“pflege”; Kind: Journalist or Blogger; Region: München; Stage: Supporter; Consent: Given; stale; with e-mail; Health ≥ 40; Reach ≥ 12,000; Owner: 2; Targets: Campaign #7"},
	} {
		if got := describe(locale.Get(c.lang), sel); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.lang, got, c.want)
		}
	}
	if got := describe(locale.Get("de"), crm.Selection{}); got != "alle Kontakte" {
		t.Errorf("empty selection in German: %q", got)
	}
}
