package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/participation"
)

// TestInteractionForSeveralEditDelete: a meeting with three editors is
// logged once from one contact's page (a ticked colleague and an e-mail
// address) and shows on all three timelines; its author edits it (links
// included) and the contacts' last interaction follows; someone else may
// not; the timeline filters by type, author, period and words; the delete
// moves the last interaction back and is audited.
func TestInteractionForSeveralEditDelete(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		mk := func(first, email string) int {
			c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: first, LastName: "Redaktion",
				Emails: []crm.EmailInput{{Address: email}}, Outlets: []crm.OutletRole{{Outlet: "Süddeutsche Zeitung", Role: "Redakteurin"}}})
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		eva, ole := mk("Eva", "eva@sz.example"), mk("Ole", "ole@sz.example")
		ina, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Ina", LastName: "Frei", Emails: []crm.EmailInput{{Address: "ina@frei.example"}}})
		if err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		b.login("anna@example.com")
		page := b.get(fmt.Sprintf("/contacts/%d", eva))
		if got := page.text(`[data-testid="interaction-with"] label.choice`); got != "Ole Redaktion" {
			t.Fatalf("colleagues offered %q", got)
		}
		when := time.Now().Add(-3 * time.Hour).Format("2006-01-02T15:04")
		form := url.Values{"type": {"meeting"}, "occurred_at": {when}, "subject": {"Redaktionsbesuch München"},
			"body": {"Themenplanung Frühjahr"}, "with": {fmt.Sprint(ole)}, "also": {"Ina@Frei.example"},
			"links": {"https://example.com/protokoll\n"}}
		p := b.post(fmt.Sprintf("/contacts/%d/interactions", eva), form)
		wantStatus(t, p, http.StatusSeeOther)
		if f := b.get(fmt.Sprintf("/contacts/%d", eva)).text(`[data-testid="flash"]`); f != "Interaction logged for 3 contacts." {
			t.Errorf("flash %q", f)
		}
		for _, id := range []int{eva, ole, ina.ID} {
			tl := b.get(fmt.Sprintf("/contacts/%d", id))
			if got := tl.text(`[data-testid="timeline-entry"] strong + strong, [data-testid="timeline-entry"] div[dir] strong`); !strings.Contains(got, "Redaktionsbesuch München") {
				t.Errorf("contact %d timeline %q", id, got)
			}
			if got := tl.text(`[data-testid="timeline-links"]`); got != "https://example.com/protokoll" {
				t.Errorf("contact %d links %q", id, got)
			}
		}
		wantStatus(t, b.post(fmt.Sprintf("/contacts/%d/interactions", eva), url.Values{"type": {"call"}, "occurred_at": {when},
			"subject": {"x"}, "also": {"nobody@nowhere.example"}}), http.StatusUnprocessableEntity)

		itID := a.db.Client.Participation.Query().Where(participation.ContactID(ole)).OnlyX(ctx).InteractionID
		edit := b.get(fmt.Sprintf("/interactions/%d/edit?contact=%d", itID, ole))
		wantStatus(t, edit, http.StatusOK)
		// another staff member may neither open nor save nor delete it
		o := a.browser()
		o.login("ben@example.com")
		if o.get(fmt.Sprintf("/contacts/%d", eva)).doc.Find(`[data-testid="edit-interaction-link"]`).Length() != 0 {
			t.Error("someone else is offered the edit link")
		}
		wantStatus(t, o.get(fmt.Sprintf("/interactions/%d/edit", itID)), http.StatusForbidden)
		wantStatus(t, o.post(fmt.Sprintf("/interactions/%d/delete", itID), url.Values{}), http.StatusForbidden)
		changes := a.db.Client.Change.Query().Where(change.ContactIDIn(eva, ole, ina.ID)).CountX(ctx)

		later := time.Now().Add(-1 * time.Hour)
		p = b.post(fmt.Sprintf("/interactions/%d", itID), url.Values{"contact": {fmt.Sprint(ole)}, "type": {"meeting"},
			"occurred_at": {later.Format("2006-01-02T15:04")}, "subject": {"Redaktionsbesuch München (verschoben)"},
			"body": {"Themenplanung Frühjahr"}, "sentiment": {"positive"}, "links": {"https://example.com/protokoll\nhttps://example.com/fotos"}})
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != fmt.Sprintf("/contacts/%d#timeline-head", ole) {
			t.Errorf("back to %q", loc)
		}
		for _, id := range []int{eva, ole, ina.ID} {
			c := a.db.Client.Contact.GetX(ctx, id)
			if c.LastInteractionAt == nil || c.LastInteractionAt.Sub(later.Truncate(time.Minute)).Abs() > time.Minute {
				t.Errorf("contact %d last interaction %v, want %v", id, c.LastInteractionAt, later)
			}
		}
		if n := a.db.Client.Change.Query().Where(change.ContactIDIn(eva, ole, ina.ID)).CountX(ctx); n < changes+3 {
			t.Errorf("search changes %d → %d: the index would not follow", changes, n)
		}
		ev := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityInteraction), auditevent.Action(crm.ActionUpdate)).OnlyX(ctx)
		if ev.Changes["subject"][1] != "Redaktionsbesuch München (verschoben)" {
			t.Errorf("audit %v", ev.Changes)
		}
		bad := b.post(fmt.Sprintf("/interactions/%d", itID), url.Values{"type": {"meeting"}, "occurred_at": {when},
			"subject": {"x"}, "links": {"javascript:alert(1)"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)

		// a second interaction to filter by
		wantStatus(t, b.post(fmt.Sprintf("/contacts/%d/interactions", eva), url.Values{"type": {"email"},
			"occurred_at": {time.Now().AddDate(0, -2, 0).Format("2006-01-02T15:04")}, "subject": {"Pressemitteilung Q1"}}), http.StatusSeeOther)
		count := func(q string) int {
			return b.get(fmt.Sprintf("/contacts/%d?%s", eva, q)).doc.Find(`[data-testid="timeline-entry"]`).Length()
		}
		since := time.Now().AddDate(0, 0, -7).Format(time.DateOnly)
		for q, want := range map[string]int{"": 2, "t_type=email": 1, "t_type=meeting": 1, "t_q=verschoben": 1,
			"t_q=PRESSEMITTEILUNG": 1, "t_q=nichts": 0, "t_from=" + since: 1, "t_to=" + since: 1} {
			if got := count(q); got != want {
				t.Errorf("timeline ?%s: %d entries, want %d", q, got, want)
			}
		}

		wantStatus(t, b.post(fmt.Sprintf("/interactions/%d/delete", itID), url.Values{"contact": {fmt.Sprint(ole)}}), http.StatusSeeOther)
		if c := a.db.Client.Contact.GetX(ctx, ole); c.LastInteractionAt != nil {
			t.Errorf("Ole's last interaction %v after the delete, want none", c.LastInteractionAt)
		}
		if c := a.db.Client.Contact.GetX(ctx, eva); c.LastInteractionAt == nil || time.Since(*c.LastInteractionAt) < 24*time.Hour {
			t.Errorf("Eva's last interaction %v, want the e-mail two months ago", c.LastInteractionAt)
		}
		if n := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityInteraction), auditevent.Action(crm.ActionDelete)).CountX(ctx); n != 1 {
			t.Errorf("%d delete events", n)
		}
	})
}
