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

// TestAuditPageSpeaksTheReadersLanguage: events written through the real
// services (a contact's edit, a merge, a client, a campaign and its targets
// added by hand, once two and once one, a follow-up with its due date) read
// on /audit as German sentences for a German reader, with the names, counts
// (plural forms) and dates in place, and as English ones for an English
// reader; an event stored before events had messages shows its constant
// summary in German and a formatted one as stored.
func TestAuditPageSpeaksTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		bg := context.Background()
		u := d.Client.User.Query().Where(user.Email("mia@example.com")).OnlyX(bg)
		ctx := crm.WithActor(bg, crm.Actor{UserID: u.ID, Name: u.Name, Role: crm.RoleManager})
		// Two old events, as written before messages existed.
		d.Client.AuditEvent.Create().SetAction(crm.ActionRetentionKeep).SetEntity(crm.EntityContact).
			SetSummary("kept after retention review").ExecX(bg)
		d.Client.AuditEvent.Create().SetAction(crm.ActionRevert).SetEntity(crm.EntityImport).
			SetSummary("reverted liste.csv: 3 contacts removed, 0 restored, 0 left alone").ExecX(bg)

		w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
		mk := func(first, last, title string) int {
			id, err := w.Create(ctx, crm.ContactInput{Kind: "journalist", FirstName: first, LastName: last, Title: title,
				Stage: "aware", LawfulBasis: "legitimate_interest", ConsentState: "none"})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		keep, drop, other := mk("Miriam", "Klein", "Redakteurin"), mk("Miriam", "Klein", "Ressortleiterin"), mk("Jonas", "Berg", "")
		third := mk("Anna", "Berger", "")
		ins, err := w.LoadContactInputs(ctx, nil, []int{keep, drop})
		if err != nil {
			t.Fatal(err)
		}
		edit := ins[keep]
		edit.Title, edit.City = "Chefredakteurin", "Berlin"
		if _, err := w.Update(ctx, keep, edit); err != nil {
			t.Fatal(err)
		}
		ins, err = w.LoadContactInputs(ctx, nil, []int{keep, drop})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Merge(ctx, crm.MergeRequest{Keep: keep, Drop: drop, KeepVersion: ins[keep].Version, DropVersion: ins[drop].Version}); err != nil {
			t.Fatal(err)
		}
		svc := crm.NewCampaigns(d.Client, d.Dialect, crm.NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		b, err := svc.SaveBrand(ctx, crm.BrandInput{Name: "Bergwerk Outdoor GmbH"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.CreateCampaign(ctx, crm.CampaignInput{BrandID: b.ID, Name: "Herbst am Berg", StartsAt: time.Now().Add(-48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddTargets(ctx, c.ID, []int{keep, other}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddTargets(ctx, c.ID, []int{third}); err != nil {
			t.Fatal(err)
		}
		if _, err := crm.CreateTask(ctx, d.Client, keep, crm.TaskInput{Title: "Anrufen", Due: "2026-12-04"}); err != nil {
			t.Fatal(err)
		}

		mia := a.browser()
		mia.login("mia@example.com")
		sentences := func(lang string) []string {
			p := mia.getIn("/audit", lang)
			wantStatus(t, p, http.StatusOK)
			var out []string
			p.doc.Find(`[data-testid="audit-row"] td:nth-child(5) > div[dir="auto"]`).Each(func(_ int, s *goquery.Selection) {
				out = append(out, strings.TrimSpace(s.Text()))
			})
			return out
		}
		for _, tc := range []struct {
			lang string
			want []string
		}{
			{"de", []string{
				"Geändert: Stadt, Region, Titel", // the city Berlin is its region too
				fmt.Sprintf("Nr. %d (Miriam Klein) mit Nr. %d (Miriam Klein) zusammengeführt", drop, keep),
				"„Bergwerk Outdoor GmbH“",
				"„Herbst am Berg“",
				"Herbst am Berg: 2 Zielkontakte von Hand hinzugefügt",
				"Herbst am Berg: 1 Zielkontakt von Hand hinzugefügt",
				"„Anrufen“, fällig am 4. Dez. 2026",
				"nach Aufbewahrungsprüfung behalten",
				"reverted liste.csv: 3 contacts removed, 0 restored, 0 left alone",
			}},
			{"en", []string{
				"Changed: City, Region, Title",
				fmt.Sprintf("Merged #%d (Miriam Klein) into #%d (Miriam Klein)", drop, keep),
				"“Bergwerk Outdoor GmbH”",
				"Herbst am Berg: 2 targets added by hand",
				"Herbst am Berg: 1 target added by hand",
				"“Anrufen”, due Dec 4, 2026",
				"kept after retention review",
			}},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				got := sentences(tc.lang)
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("no %q on /audit; the page says %q", w, got)
					}
				}
			})
		}
	})
}
