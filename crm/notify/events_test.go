package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/schema"
)

func actor(u *ent.User) context.Context {
	return crm.WithActor(context.Background(), crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
}

// TestMailsFromTheAuditTrail: a nomination mails the managers (not its
// author), in each one's language; the decision mails the nominator; a
// finished import mails its uploader; what happened before the notifier
// first ran is not mailed; a second dispatch makes nothing new.
func TestMailsFromTheAuditTrail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mb, clk := newMailbox(t), newClock("2026-12-05T10:00:00Z")
		svc := service(d, mb, clk)
		staff := user(t, d, "sam@example.com", "Sam Staff", "staff", "en")
		mgrDE := user(t, d, "mia@example.com", "Mia Manager", "manager", "de")
		mgrEN := user(t, d, "max@example.com", "Max Manager", "manager", "en")
		old := contact(t, d, "Old", "Event")
		if _, err := crm.Nominate(actor(staff), d.Client, old.ID, crm.NominationInput{Reason: "before the notifier"}); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.Dispatch(ctx); err != nil || n != 0 {
			t.Fatalf("first run: %d made, %v; history is not mailed", n, err)
		}
		c := contact(t, d, "Lena", "Groß")
		nom, err := crm.Nominate(actor(staff), d.Client, c.ID, crm.NominationInput{Reason: "Wrote three pieces on our launches"})
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Second) // past the hold for holes in the audit ids
		if n, err := svc.Dispatch(ctx); err != nil || n != 2 {
			t.Fatalf("nomination: %d made, %v; want one per manager", n, err)
		}
		if _, err := crm.Decide(actor(mgrDE), d.Client, nom.ID, crm.DecisionInput{Decision: "approve", Comment: "Gern!"}); err != nil {
			t.Fatal(err)
		}
		job := d.Client.ImportJob.Create().SetFilename("messe.csv").SetFormat("csv").SetUserID(staff.ID).SetCreatedCount(12).SaveX(ctx)
		if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			return crm.AuditTx(actor(staff), tx, crm.Event{Action: crm.ActionImport, Entity: crm.EntityImport, EntityID: job.ID, Msg: crm.MsgImportFinished("messe.csv")})
		}); err != nil {
			t.Fatal(err)
		}
		done := d.Client.ExportLog.Create().SetFilter(schema.SegmentFilter{}).SetFormat("csv").SetPurpose("Pressetag").SetUserID(staff.ID).
			SetRowCount(1234).SaveX(ctx)
		waiting := d.Client.ExportLog.Create().SetFilter(schema.SegmentFilter{}).SetFormat("xlsx").SetPurpose("Messe").SetUserID(staff.ID).
			SetRowCount(50).SetStatus(exportlog.StatusPendingApproval).SaveX(ctx)
		for _, x := range []*ent.ExportLog{done, waiting} {
			if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				return crm.AuditTx(actor(staff), tx, crm.Event{Action: crm.ActionExport, Entity: crm.EntityExport, EntityID: x.ID})
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := crm.DecideExport(actor(mgrEN), d.Client, waiting.ID, true); err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Second)
		if n, err := svc.Dispatch(ctx); err != nil || n != 4 {
			t.Fatalf("decision, import, export ready and export approved: %d made, %v", n, err)
		}
		if n, _ := svc.Dispatch(ctx); n != 0 {
			t.Errorf("a second dispatch made %d", n)
		}
		if n, err := svc.Deliver(ctx); err != nil || n != 6 {
			t.Fatalf("delivered %d, %v", n, err)
		}
		check := func(to, subject string, body ...string) {
			t.Helper()
			got := mb.to(to)
			for _, m := range got {
				if m.Subject != subject {
					continue
				}
				for _, b := range body {
					if !strings.Contains(m.Body, b) {
						t.Errorf("mail %q to %s lacks %q:\n%s", subject, to, b, m.Body)
					}
				}
				return
			}
			t.Errorf("no mail %q to %s; got %+v", subject, to, got)
		}
		check(mgrDE.Email, "Nominierung wartet: Lena Groß", "Sam Staff schlägt Lena Groß für die Fürsprecherliste vor.",
			"Begründung: Wrote three pieces on our launches", "https://rapport.example.com/advocates/review")
		check(mgrEN.Email, "Nomination waiting: Lena Groß", "Sam Staff proposes Lena Groß for the advocate list.")
		check(staff.Email, "Your nomination of Lena Groß: approved", "Mia Manager decided on your nomination of Lena Groß: approved.",
			"Comment: Gern!", "https://rapport.example.com/contacts/")
		check(staff.Email, "Import finished: messe.csv", "12 created", "https://rapport.example.com/imports/")
		check(staff.Email, "Your export is ready", "Your export of 1,234 rows (csv) is ready to download.", "https://rapport.example.com/exports/")
		check(staff.Email, "Your export was approved", "A manager approved your export of 50 rows (xlsx); it is ready to download.")
		if len(mb.to(staff.Email)) != 4 || len(mb.messages()) != 6 {
			t.Errorf("%d mails in all, %d to the nominator; want 6 and 4 (nothing for the export waiting)", len(mb.messages()), len(mb.to(staff.Email)))
		}
	})
}
