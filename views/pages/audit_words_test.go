package pages

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/locale"
)

// TestAuditTableShowsAMergeAsOneReadableEvent: the merge's one event shows
// the survivor's changes and the removed contact field by field in the
// reader's language, never the undo snapshot; a summary stored as an
// English message of the catalogue is shown in German.
func TestAuditTableShowsAMergeAsOneReadableEvent(t *testing.T) {
	keep := 7
	evs := []*ent.AuditEvent{
		{ID: 2, At: time.Date(2026, 12, 4, 14, 5, 0, 0, time.UTC), Action: "merge", Entity: "contact", EntityID: &keep,
			Summary: "Merged #9 (Miriam Klein) into #7 (Miriam Klein)",
			Changes: map[string][2]any{"stage": {"aware", "engaged"}, "merged": {float64(9), float64(7)},
				"removed_contact": {map[string]any{"first_name": "Miriam", "last_name": "Klein", "stage": "engaged", "bio": "", "tags": []any{}}, nil},
				"undo_snapshot":   {nil, map[string]any{"DropRow": map[string]any{"email_secret": "x"}}}}},
		{ID: 1, At: time.Date(2026, 12, 4, 14, 0, 0, 0, time.UTC), Action: "retention_keep", Entity: "contact", EntityID: &keep,
			Summary: "kept after retention review"},
	}
	for _, c := range []struct {
		lang string
		want []string
	}{
		{locale.German, []string{"Stufe: Bekannt → Engagiert", "Entfernter Kontakt: Vorname: Miriam; Nachname: Klein; Stufe: Engagiert → ∅",
			"nach Aufbewahrungsprüfung behalten", "Zusammengeführte Kontakte: 9 → 7"}},
		{locale.English, []string{"Stage: Aware → Engaged", "Removed contact: First name: Miriam; Last name: Klein; Stage: Engaged → ∅",
			"kept after retention review", "Merged contacts: 9 → 7"}},
	} {
		t.Run(c.lang, func(t *testing.T) {
			var b bytes.Buffer
			ctx := locale.With(context.Background(), locale.Get(c.lang))
			if err := AuditTable(evs).Render(ctx, &b); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(&b)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			doc.Find("td.small div").Each(func(_ int, s *goquery.Selection) {
				lines = append(lines, strings.Join(strings.Fields(s.Text()), " "))
			})
			text := strings.Join(lines, "\n")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q:\n%s", c.lang, w, text)
				}
			}
			if strings.Contains(text, "email_secret") || strings.Contains(text, "DropRow") {
				t.Errorf("the undo snapshot shows:\n%s", text)
			}
		})
	}
}
