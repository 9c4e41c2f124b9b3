package locale_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/locale"
)

func TestFormats(t *testing.T) {
	de := locale.With(context.Background(), locale.Get(locale.German))
	en := context.Background() // no locale: English
	at := time.Date(2026, 12, 4, 14, 5, 0, 0, time.UTC)
	now := at.Add(3*24*time.Hour + time.Hour)
	for _, c := range []struct{ name, got, want string }{
		{"de date", locale.Date(de, at), "4. Dez. 2026"},
		{"de month", locale.Month(de, at), "Dez. 2026"},
		{"de day and month", locale.DayMonth(de, at), "4. Dez."},
		{"en date", locale.Date(en, at), "Dec 4, 2026"},
		{"en month", locale.Month(en, at), "Dec 2026"},
		{"en day and month", locale.DayMonth(en, at), "Dec 4"},
		{"de may", locale.Date(de, time.Date(2025, 5, 12, 0, 0, 0, 0, time.UTC)), "12. Mai 2025"},
		{"de march", locale.Date(de, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)), "1. März 2025"},
		{"de time", locale.Time(de, at), "14:05 Uhr"},
		{"en time", locale.Time(en, at), "2:05 PM"},
		{"de datetime", locale.DateTime(de, at), "4. Dez. 2026, 14:05 Uhr"},
		{"en datetime", locale.DateTime(en, at), "Dec 4, 2026, 2:05 PM"},
		{"de number", locale.Number(de, 1234), "1.234"},
		{"en number", locale.Number(en, 1234), "1,234"},
		{"de big", locale.Number(de, -1234567), "-1.234.567"},
		{"small", locale.Number(de, 999), "999"},
		{"de percent", locale.Percent(de, 0.025), "2,5 %"},
		{"en percent", locale.Percent(en, 0.025), "2.5 %"},
		{"de big percent", locale.Percent(de, 12.3456), "1.234,6 %"},
		{"de small percent", locale.Percent(de, 0.0004), "0,0 %"},
		{"de ago", locale.Ago(de, &at, now), "vor 3 Tagen"},
		{"en ago", locale.Ago(en, &at, now), "3 days ago"},
		{"de ago one month", locale.Ago(de, ptr(now.AddDate(0, 0, -70)), now), "vor 2 Monaten"},
		{"de today", locale.Ago(de, &now, now), "heute"},
		{"en yesterday", locale.Ago(en, ptr(now.Add(-30*time.Hour)), now), "yesterday"},
		{"de never", locale.Ago(de, nil, now), "nie"},
		{"de years", locale.Ago(de, ptr(now.AddDate(-3, 0, 0)), now), "vor 3 Jahren"},
		{"de plural one", locale.N(de, "{{.Count}} contacts", 1), "1 Kontakt"},
		{"de plural many", locale.N(de, "{{.Count}} contacts", 1234), "1.234 Kontakte"},
		{"en plural one", locale.N(en, "{{.Count}} contacts", 1), "1 contact"},
		{"en plural many", locale.N(en, "{{.Count}} contacts", 1234), "1,234 contacts"},
		{"de enum", locale.Label(de, "legitimate_interest"), "Berechtigtes Interesse"},
		{"en enum", locale.Label(en, "legitimate_interest"), "Legitimate interest"},
		{"de given", locale.Label(de, "given"), "Einwilligung erteilt"},
		{"unknown enum", locale.Label(de, "Hamburg"), "Hamburg"},
		{"de placeholder", locale.T(de, "Campaigns of {{.Name}}", "Name", "Bio AG"), "Kampagnen von Bio AG"},
		{"en placeholder", locale.T(en, "Campaigns of {{.Name}}", "Name", "Bio AG"), "Campaigns of Bio AG"},
		{"en plain", locale.T(en, "Sign out"), "Sign out"},
		{"de plain", locale.T(de, "Sign out"), "Abmelden"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func ptr(t time.Time) *time.Time { return &t }

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ choice, accept, want string }{
		{"", "", "en"},
		{"", "de-DE,de;q=0.9,en;q=0.8", "de"},
		{"", "de-AT", "de"},
		{"", "en-US,en;q=0.9", "en"},
		{"", "fr-FR", "en"},
		{"en", "de-DE", "en"},
		{"de", "en-US", "de"},
		{"xx", "de", "de"},
	} {
		if got := locale.Negotiate(c.choice, c.accept).Code; got != c.want {
			t.Errorf("Negotiate(%q, %q) = %s, want %s", c.choice, c.accept, got, c.want)
		}
	}
}

// TestMissingNoted: a message missing from the German catalogue shows its
// English ID and is reported in strict mode.
func TestMissingNoted(t *testing.T) {
	locale.Strict(true)
	defer locale.Strict(false)
	locale.Missing()
	de := locale.With(context.Background(), locale.Get(locale.German))
	if got := locale.T(de, "No such message {{.X}}", "X", "1"); got != "No such message 1" {
		t.Errorf("missing message shows %q", got)
	}
	if m := locale.Missing(); len(m) != 1 || m[0] != "de: No such message {{.X}}" {
		t.Errorf("Missing() = %v", m)
	}
}

// TestUnknownIDIsNotATemplate: an ID that no catalogue holds is shown as
// it is, whatever braces it holds, in both languages and with or without
// values: such IDs may carry what a user typed.
func TestUnknownIDIsNotATemplate(t *testing.T) {
	for _, code := range []string{locale.German, locale.English} {
		ctx := locale.With(context.Background(), locale.Get(code))
		for _, id := range []string{
			"Bad link: ftp://x/{{range 3}}AB{{end}}",
			"{{range 100}}{{range 1000}}{{range 100}}X{{end}}{{end}}{{end}}",
			`{{printf "%s" .Name}} {{.Name | len}}`,
			"{{template \"x\"}}{{define \"x\"}}y{{end}}",
			"unclosed {{.Name",
		} {
			for _, kv := range [][]any{nil, {"Name", "Ada"}} {
				if got := locale.T(ctx, id, kv...); got != id {
					t.Errorf("%s: T(%q, %v) = %.80q, want the ID as it is", code, id, kv, got)
				}
			}
		}
		if got := locale.T(ctx, "Hello {{.Name}}, {{.Name}}", "Name", "{{range 3}}x{{end}}"); got != "Hello {{range 3}}x{{end}}, {{range 3}}x{{end}}" {
			t.Errorf("%s: a value is not a template either: %q", code, got)
		}
	}
}
