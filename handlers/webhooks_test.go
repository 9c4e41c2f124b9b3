package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/webhook"
)

// TestWebhookPages: an admin subscribes a URL, sees its secret and its
// delivery log, and replays a delivery; bad input is a 422 with the values kept.
func TestWebhookPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		b := a.browser()
		b.login("admin@example.com")
		b.get("/webhooks")
		bad := b.post("/webhooks", url.Values{"url": {"ftp://example.com"}, "events": {"contact.created"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if v, _ := bad.doc.Find(`input[name="url"]`).Attr("value"); v != "ftp://example.com" {
			t.Errorf("url not kept: %q", v)
		}
		p := b.post("/webhooks", url.Values{"url": {"https://hooks.example.com/rapport"}, "events": {"contact.created", "export.made"}})
		wantStatus(t, p, http.StatusSeeOther)
		page := b.get(p.header.Get("Location"))
		if s := page.text(`[data-testid="webhook-secret"]`); !strings.HasPrefix(s, "whsec_") {
			t.Errorf("secret %q", s)
		}
		// One event, dispatched into the log, replayed from the page.
		svc := webhook.New(a.db.Client, webhook.Options{})
		if _, err := svc.Dispatch(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := crm.CreateContact(context.Background(), a.db.Client, crm.ContactInput{Kind: "blogger", LastName: "Hook"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Dispatch(context.Background()); err != nil {
			t.Fatal(err)
		}
		page = b.get(p.header.Get("Location"))
		if row := page.text(`[data-testid="delivery-row"]`); !strings.Contains(row, "contact.created") || !strings.Contains(row, "pending") {
			t.Fatalf("delivery log %q", row)
		}
		d := a.db.Client.WebhookDelivery.Query().OnlyX(context.Background())
		wantStatus(t, b.post(fmt.Sprintf("%s/deliveries/%d/replay", p.header.Get("Location"), d.ID), url.Values{}), http.StatusSeeOther)
		if list := b.get("/webhooks"); !strings.Contains(list.text(`[data-testid="webhook-row"]`), "hooks.example.com") {
			t.Errorf("list %q", list.text(`[data-testid="webhooks"]`))
		}
	})
}
