package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestRetentionSweep: the preview counts what the sweep then adds, by
// policy; a second sweep adds nobody; kept people leave the list (audited);
// a bulk erase of the rest empties it.
func TestRetentionSweep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := WithActor(context.Background(), Actor{UserID: 3, Name: "Katrin Vogel", Role: RoleManager})
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		mk := func(first, basis string, age time.Duration) int {
			in := ContactInput{FirstName: first, LastName: "Test", LawfulBasis: basis}
			id, err := w.Create(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			q := "UPDATE contacts SET created_at = ? WHERE id = ?"
			if d.Dialect == "postgres" {
				q = "UPDATE contacts SET created_at = $1 WHERE id = $2"
			}
			if _, err := d.SQL.ExecContext(ctx, q, time.Now().Add(-age).UTC(), id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		year := 365 * 24 * time.Hour
		old := mk("Alt", "legitimate_interest", 3*year)
		mk("Neu", "legitimate_interest", year)
		contract := mk("Vertrag", "contract", 3*year) // 36 months not yet passed
		none := mk("Ohne", "none", 60*24*time.Hour)
		p := NewPrivacy(d, w, nil)
		pre, err := p.RetentionPreview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, c := range pre {
			counts[c.Policy.Key] = c.Count
		}
		if counts["legitimate_interest_24m"] != 1 || counts["none_1m"] != 1 || counts["contract_36m"] != 0 {
			t.Errorf("preview %v", counts)
		}
		n, err := p.Sweep(ctx)
		if err != nil || n != 2 {
			t.Fatalf("sweep added %d (%v), want 2", n, err)
		}
		if n, _ := p.Sweep(ctx); n != 0 {
			t.Errorf("a second sweep added %d", n)
		}
		o, err := p.Overview(ctx)
		if err != nil || o.ReviewCount != 2 || len(o.Reviews) != 2 || o.Reviews[0].Name == "" {
			t.Fatalf("review list %+v (%v)", o, err)
		}
		if _, err := p.KeepReviewed(ctx, []int{none}, "Neue Kooperation"); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionRetentionKeep), auditevent.EntityID(none)).CountX(ctx); n != 1 {
			t.Errorf("keep audited %d times", n)
		}
		ids, _ := p.ReviewIDs(ctx, 100)
		if len(ids) != 1 || ids[0] != old {
			t.Fatalf("review ids %v, want [%d]", ids, old)
		}
		if _, err := p.Erase(ctx, ids, EraseOptions{}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := d.Client.Contact.Query().Where(contact.ID(old)).Exist(ctx); ok {
			t.Error("the reviewed contact was not erased")
		}
		if ok, _ := d.Client.Contact.Query().Where(contact.ID(contract)).Exist(ctx); !ok {
			t.Error("the contract contact went")
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionRetentionSweep)).CountX(ctx); n != 2 {
			t.Errorf("%d sweeps audited, want 2", n)
		}
	})
}
