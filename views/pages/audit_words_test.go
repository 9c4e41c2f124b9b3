package pages

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/locale"
)

// TestAuditValueInGerman: booleans as Ja/Nein, a list of contacts as how
// many, and the field codes the writers use (due, interaction, notes,
// embargo_until) in words.
func TestAuditValueInGerman(t *testing.T) {
	de := locale.With(context.Background(), locale.Get(locale.German))
	for _, c := range []struct {
		field string
		v     any
		want  string
	}{{"done", true, "Ja"}, {"shared", false, "Nein"}, {"contacts", []any{338.0, 1001.0, 1002.0}, "3 Kontakte"}} {
		if got := auditValue(de, c.field, c.v); got != c.want {
			t.Errorf("auditValue(%s, %v) = %q, want %q", c.field, c.v, got, c.want)
		}
	}
	for f, want := range map[string]string{"due": "Fällig", "interaction": "Interaktion", "notes": "Notizen", "embargo_until": "Sperrfrist bis"} {
		if got := auditField(de, f); got != want {
			t.Errorf("auditField(%s) = %q, want %q", f, got, want)
		}
	}
}
