package demo

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// TestLoadThroughWriter: the demo's contacts are written by crm's contact
// writer (each has its audit event, as every written contact does), and the
// rows then carry the demo's history, not the moment of loading.
func TestLoadThroughWriter(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			ctx, c := context.Background(), tc.open(t).Client
			now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
			if _, err := Load(ctx, c, Options{Contacts: 120, Seed: 3, Now: now}); err != nil {
				t.Fatal(err)
			}
			n, err := c.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.Action(crm.ActionCreate), auditevent.Summary("Demo data")).Count(ctx)
			if err != nil || n != 120 {
				t.Errorf("contact audit events = %d, %v; want 120", n, err)
			}
			for what, q := range map[string]func(context.Context) (int, error){
				"contacts created now": c.Contact.Query().Where(contact.CreatedAtGTE(now.Add(-time.Hour))).Count,
				"contacts without due": c.Contact.Query().Where(contact.TouchDueAtIsNil()).Count,
				"unchecked channels":   c.SocialProfile.Query().Where(socialprofile.CheckedAtIsNil()).Count,
				"channels created now": c.SocialProfile.Query().Where(socialprofile.CreatedAtGTE(now.Add(-time.Hour))).Count,
				"jobs without start":   c.Employment.Query().Where(employment.StartedAtIsNil()).Count,
			} {
				if got, err := q(ctx); err != nil || got != 0 {
					t.Errorf("%s = %d, %v; want 0", what, got, err)
				}
			}
			if n, err := c.Contact.Query().Where(contact.LastInteractionAtNotNil(), contact.ConsentAtNotNil()).Count(ctx); err != nil || n == 0 {
				t.Errorf("contacts with last interaction and consent times = %d, %v", n, err)
			}
		})
	}
}
