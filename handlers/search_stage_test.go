package handlers_test

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestSearchStageFacet: the search page's Stage facet lists each stage's
// label with its count (not "—" for every hit), its links and the stage
// filter find the right people, and so does the contact list's free text
// with a stage.
func TestSearchStageFacet(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		mk := func(first, stage string) int {
			c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: first, LastName: "Brandt", Stage: stage})
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		mk("Sven", "supporter")
		mk("Sonja", "supporter")
		mk("Erik", "engaged")
		heike := mk("Heike", "engaged")
		err := db.WithTx(ctx, a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Contact.UpdateOneID(heike).SetStage(contact.StageAdvocate).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		b.login("staff@example.com")

		p := b.get("/search?q=brandt")
		wantStatus(t, p, http.StatusOK)
		got := map[string]string{}
		p.doc.Find(`[data-facet="stage"] li`).Each(func(_ int, s *goquery.Selection) {
			got[strings.TrimSpace(s.Find("a").Text())] = strings.TrimSpace(s.Find("span").Text())
		})
		if want := map[string]string{"Supporter": "2", "Engaged": "1", "Advocate": "1"}; !maps.Equal(got, want) {
			t.Errorf("stage facet %v, want %v", got, want)
		}
		href, ok := p.doc.Find(`[data-facet="stage"] a[data-testid="facet-value"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.TrimSpace(s.Text()) == "Supporter"
		}).Attr("href")
		if !ok {
			t.Fatal("no Supporter link in the stage facet")
		}
		p = b.get(href)
		if got := p.text(`[data-testid="search-total"]`); got != "2 contacts" {
			t.Errorf("after the Supporter facet: %q, want 2 contacts", got)
		}
		p = b.get("/search?stage=supporter")
		if got := p.text(`[data-testid="search-total"]`); got != "2 contacts" {
			t.Errorf("/search?stage=supporter: %q, want 2 contacts", got)
		}
		p = b.get("/contacts?q=heike&stage=advocate")
		if got := p.text(`[data-testid="total"]`); got != "1 contact" {
			t.Errorf("/contacts?q=heike&stage=advocate: %q, want 1 contact", got)
		}
		if !strings.Contains(p.text(`table`), "Heike") {
			t.Errorf("/contacts?q=heike&stage=advocate does not list Heike: %q", p.text(`table`))
		}
	})
}
