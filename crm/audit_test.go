package crm

import (
	"context"
	"errors"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

func TestAuditFollowsTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := WithActor(context.Background(), Actor{UserID: 7, Name: "Anna", RequestID: "req-1", IP: "192.0.2.9"})
		c, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "Zoë", LastName: "Çelik", Emails: []EmailInput{{Address: "z@example.com"}}})
		if err != nil {
			t.Fatal(err)
		}
		ev := d.Client.AuditEvent.Query().OnlyX(ctx)
		if ev.Action != ActionCreate || *ev.EntityID != c.ID || *ev.ActorID != 7 || ev.ActorName != "Anna" || ev.RequestID != "req-1" || ev.IP != "192.0.2.9" {
			t.Errorf("event %+v", ev)
		}
		if ch := ev.Changes["first_name"]; ch[1] != "Zoë" {
			t.Errorf("changes %v", ev.Changes)
		}
		boom := errors.New("boom")
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			if err := audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityContact, EntityID: c.ID}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionUpdate)).CountX(ctx); n != 0 {
			t.Errorf("a rolled-back change left %d events", n)
		}
		if _, err := UpdateContact(ctx, d.Client, c.ID, ContactInput{LastName: "Çelik", Version: 99}); ErrorCode(err) != EConflict {
			t.Fatalf("stale update: %v", err)
		}
		if n := d.Client.AuditEvent.Query().CountX(ctx); n != 1 {
			t.Errorf("a refused update left events: %d in all", n)
		}
		if err := DeleteContact(ctx, d.Client, c.ID); err != nil {
			t.Fatal(err)
		}
		del := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionDelete)).OnlyX(ctx)
		if len(del.Changes) != 0 || del.Summary == "" {
			t.Errorf("delete event keeps personal data or says nothing: %+v", del)
		}
	})
}
