package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLogInteraction(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		id := idFrom(t, b.post("/contacts", contactForm()))
		b.get("/contacts/" + id)

		when := time.Now().Add(-2 * time.Hour).Format("2006-01-02T15:04")
		p := b.post("/contacts/"+id+"/interactions", url.Values{"type": {"call"}, "direction": {"outbound"},
			"occurred_at": {when}, "subject": {"Anruf wegen Messe"}, "body": {"Zugesagt für den 12.03. – Stand B4 🎉"}, "sentiment": {"positive"}})
		wantStatus(t, p, http.StatusSeeOther)
		p = b.get("/contacts/" + id)
		entry := p.text(`[data-testid="timeline-entry"]`)
		for _, want := range []string{"Call", "Anruf wegen Messe", "Zugesagt für den 12.03. – Stand B4 🎉", "by Test staff"} {
			if !strings.Contains(entry, want) {
				t.Errorf("timeline %q lacks %q", entry, want)
			}
		}
		c := a.db.Client.Contact.Query().OnlyX(t.Context())
		if c.LastInteractionAt == nil || time.Since(*c.LastInteractionAt) > 3*time.Hour {
			t.Errorf("last_interaction_at = %v, want about two hours ago", c.LastInteractionAt)
		}

		// An older interaction does not move last_interaction_at back.
		old := time.Now().AddDate(-1, 0, 0).Format("2006-01-02T15:04")
		wantStatus(t, b.post("/contacts/"+id+"/interactions", url.Values{"type": {"email"}, "occurred_at": {old}, "subject": {"Alt"}}), http.StatusSeeOther)
		c2 := a.db.Client.Contact.Query().OnlyX(t.Context())
		if !c2.LastInteractionAt.Equal(*c.LastInteractionAt) {
			t.Errorf("last_interaction_at moved back to %v", c2.LastInteractionAt)
		}

		p = b.post("/contacts/"+id+"/interactions", url.Values{"type": {"telepathy"}, "occurred_at": {""}, "subject": {"Keep me"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-type"]`) == "" || p.text(`[data-testid="error-occurred_at"]`) == "" {
			t.Error("no field errors for type and date")
		}
		if v, _ := p.doc.Find(`input[name="subject"]`).Attr("value"); v != "Keep me" {
			t.Errorf("subject not kept: %q", v)
		}
		wantStatus(t, b.post("/contacts/999999/interactions", url.Values{"type": {"call"}, "occurred_at": {when}, "subject": {"x"}}), http.StatusNotFound)
	})
}
