package importing_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// TestImportMakesNoAdvocates: only an approved nomination makes an
// advocate. A row that would create one, or promote a contact to one, is an
// error with a reason; a row about someone who is an advocate already is not.
func TestImportMakesNoAdvocates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleAdmin})
		u := staff(t, d)
		for _, in := range []crm.ContactInput{
			{FirstName: "Sam", LastName: "Supporter", Stage: "supporter", Emails: []crm.EmailInput{{Address: "sam@example.de"}}},
			{FirstName: "Ava", LastName: "Advocate", Stage: "supporter", Emails: []crm.EmailInput{{Address: "ava@example.de"}}},
		} {
			in.LawfulBasis = "legitimate_interest"
			if _, err := crm.CreateContact(ctx, d.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Contact.Update().Where(contact.LastName("Advocate")).SetStage(contact.StageAdvocate).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		file := "Vorname,Nachname,E-Mail,Stage\n" +
			"Neu,Advocate,neu@example.de,advocate\n" +
			"Sam,Supporter,sam@example.de,advocate\n" +
			"Ava,Advocate,ava@example.de,advocate\n"
		j := run(t, d, upload(t, d, u, "stage.csv", []byte(file), nil).ID)
		rows := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(false)).Order(importrow.ByRowNo()).AllX(ctx)
		got := map[int]string{}
		for _, r := range rows {
			got[r.RowNo] = string(r.Action) + ": " + r.Reason
		}
		for row, want := range map[int]string{2: "error: Stage: Advocates are approved", 3: "error: Stage: Advocates are approved"} {
			if !strings.HasPrefix(got[row], want) {
				t.Errorf("row %d: %q, want %q…", row, got[row], want)
			}
		}
		if strings.HasPrefix(got[4], "error") {
			t.Errorf("row 4 (an advocate already): %q", got[4])
		}
		if n := d.Client.Contact.Query().Where(contact.StageEQ(contact.StageAdvocate)).CountX(ctx); n != 1 {
			t.Errorf("%d advocates after the import, want 1 (Ava)", n)
		}
	})
}
