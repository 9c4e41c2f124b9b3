package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestAuditSaysBulkAndRetentionInWords: a bulk change's sentence on /audit (and in a contact's history)
// says the action in the reader's words (it stored an English description,
// which an event written before keeps showing), and a retention sweep's
// sentence names its policies by their rules in the reader's words, not by
// their codes.
func TestAuditSaysBulkAndRetentionInWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		bg := context.Background()
		u := d.Client.User.Query().Where(user.Email("mia@example.com")).OnlyX(bg)
		ctx := crm.WithActor(bg, crm.Actor{UserID: u.ID, Name: u.Name, Role: crm.RoleManager})
		w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
		var ids []int
		for _, basis := range []string{"legitimate_interest", "none"} {
			id, err := w.Create(ctx, crm.ContactInput{Kind: "journalist", FirstName: "Miriam", LastName: basis,
				Stage: "aware", LawfulBasis: basis, ConsentState: "none"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		bulk := crm.NewBulkActions(d.Client, w, crm.NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		tag, err := bulk.Start(ctx, crm.BulkRequest{Action: "add_tag", Value: "Presse", Scope: crm.BulkScopeRows, IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		stage, err := bulk.Start(ctx, crm.BulkRequest{Action: "set_stage", Value: "engaged", Scope: crm.BulkScopeRows, IDs: ids[:1]})
		if err != nil {
			t.Fatal(err)
		}
		// An event of a bulk change written before the action was stored beside its description.
		d.Client.AuditEvent.Create().SetAction(crm.ActionUpdate).SetEntity(crm.EntityContact).SetEntityID(ids[0]).
			SetMessage("bulk #{{.Bulk}}: {{.What}}").SetMessageArgs(map[string]string{"Bulk": "99", "What": "add tag “Alt”"}).
			SetSummary("bulk #99: add tag “Alt”").ExecX(bg)
		// A sweep two months on: the contact without a lawful basis is due.
		later := crm.NewContactWriter(d.Client, d.Dialect, func() time.Time { return time.Now().AddDate(0, 2, 0) }, nil)
		if n, err := crm.NewPrivacy(d, later, nil).Sweep(ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d, %v", n, err)
		}

		mia := a.browser()
		mia.login("mia@example.com")
		sentences := func(path string) []string {
			t.Helper()
			p := mia.getIn(path, "de")
			wantStatus(t, p, http.StatusOK)
			var out []string
			p.doc.Find(`[data-testid="audit-row"] td:nth-child(5) > div[dir="auto"]`).Each(func(_ int, s *goquery.Selection) {
				out = append(out, strings.TrimSpace(s.Text()))
			})
			return out
		}
		tagged := fmt.Sprintf("Sammeländerung Nr. %d: Schlagwort „Presse“ hinzufügen: Schlagwörter", tag)
		if h := sentences(fmt.Sprintf("/contacts/%d/history", ids[1])); !slices.Contains(h, tagged) {
			t.Errorf("no %q in the contact's history in German; it says %q", tagged, h)
		}
		got := sentences("/audit")
		for _, want := range []string{
			tagged,
			fmt.Sprintf("Sammeländerung Nr. %d: Stufe auf „Engagiert“ setzen: Stufe", stage),
			"Sammeländerung Nr. 99: add tag “Alt”",
			"1 zur Prüfung fällig: berechtigtes Interesse und 24 Monate keine Interaktion (0); Vertrag und 36 Monate keine Interaktion (0); " +
				"Einwilligung und 24 Monate keine Interaktion (0); seit einem Monat keine Rechtsgrundlage erfasst (1); " +
				"Einwilligung widerrufen oder Widerspruch vor einem Monat (0)",
		} {
			if !slices.Contains(got, want) {
				t.Errorf("no %q on /audit in German; the page says %q", want, got)
			}
		}
		for _, s := range got {
			if strings.Contains(s, "_24m") || strings.Contains(s, "none_1m") || strings.Contains(s, "engaged") {
				t.Errorf("a code on the German audit page: %q", s)
			}
		}
	})
}
