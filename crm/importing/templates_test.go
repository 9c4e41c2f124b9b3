package importing

import (
	"context"
	"errors"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

// TestSaveTemplateOwner: a saved mapping is replaced only by its owner or a
// manager (each replacement audited); another staff user saving under the
// same name is refused with a message naming it, and the mapping the
// owner's imports apply stays as it was, on both databases.
func TestSaveTemplateOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		user := func(email, role string) (context.Context, int) {
			u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: email, Name: email, Role: role, Password: "a long test password"})
			if err != nil {
				t.Fatal(err)
			}
			return crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: role}), u.ID
		}
		annaCtx, anna := user("anna@example.com", "staff")
		bobCtx, bob := user("bob@example.com", "staff")
		bossCtx, boss := user("boss@example.com", "manager")
		if err := SaveTemplate(annaCtx, d.Client, "Standard", &anna, map[string]string{"E-Mail": "email"}); err != nil {
			t.Fatal(err)
		}

		err := SaveTemplate(bobCtx, d.Client, " Standard ", &bob, map[string]string{"E-Mail": "consent_state"})
		msg, kv := crm.UserMessage(err)
		var e *crm.Error
		if crm.ErrorCode(err) != crm.EInvalid || msg != "A mapping named “{{.Name}}” belongs to someone else; choose another name." ||
			len(kv) != 2 || kv[1] != "Standard" || !errors.As(err, &e) || e.Fields["template_name"] != "Choose another name." {
			t.Errorf("another staff user: %v (%q %v), want the refusal", err, msg, kv)
		}
		got, err := Template(ctx, d.Client, "Standard")
		if err != nil || got.Mapping["E-Mail"] != "email" || got.UserID == nil || *got.UserID != anna {
			t.Fatalf("after the refusal: %+v %v, want Anna's mapping unchanged", got, err)
		}

		if err := SaveTemplate(annaCtx, d.Client, "Standard", &anna, map[string]string{"E-Mail": "email", "Firma": "outlet"}); err != nil {
			t.Errorf("the owner replaces it: %v", err)
		}
		if err := SaveTemplate(bossCtx, d.Client, "Standard", &boss, map[string]string{"E-Mail": "email"}); err != nil {
			t.Errorf("a manager replaces it: %v", err)
		}
		got, _ = Template(ctx, d.Client, "Standard")
		if len(got.Mapping) != 1 || got.UserID == nil || *got.UserID != anna {
			t.Errorf("after the manager: %+v, want the manager's mapping, still Anna's", got)
		}
		evs := d.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityImportMapping), auditevent.EntityID(got.ID)).
			Order(auditevent.ByID()).AllX(ctx)
		if len(evs) != 2 || evs[0].ActorID == nil || *evs[0].ActorID != anna || evs[1].ActorID == nil || *evs[1].ActorID != boss ||
			evs[1].Action != crm.ActionUpdate {
			t.Errorf("audit events %+v, want the two replacements by Anna and the manager", evs)
		}
	})
}
