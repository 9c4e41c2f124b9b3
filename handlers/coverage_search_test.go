package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/search"
)

// TestCoverageFindsItsAuthor: a piece's title and outlet find its author on
// the search page, with a snippet that says it is coverage, even after newer
// interactions pushed the coverage interaction out of the document's notes;
// a changed title reaches the index through the outbox.
func TestCoverageFindsItsAuthor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		ids := seedPeople(t, d, 3)
		ctx := context.Background()
		mia := a.browser()
		mia.login("mia@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		clientID := d.Client.Brand.Query().OnlyIDX(ctx)
		wantStatus(t, mia.post("/campaigns", url.Values{"brand": {fmt.Sprint(clientID)}, "name": {"Herbst am Berg"},
			"starts_at": {"2026-01-01"}, "status": {"running"}}), http.StatusSeeOther)
		cid := d.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)
		wantStatus(t, mia.post(base+"/coverage", url.Values{"url": {"https://az.example/wanderschuhe"}, "title": {"Wanderschuhe aus Bayern im Härtetest"},
			"outlet": {"Abendzeitung"}, "published_at": {"2026-02-03"}, "kind": {"article"}, "sentiment": {"positive"},
			"authors": {fmt.Sprint(ids[1])}}), http.StatusSeeOther)
		// Five newer interactions: the coverage interaction is no longer among the notes.
		for i := range search.MaxNotes {
			_, err := crm.LogInteractionMany(ctx, d.Client, d.Client.User.Query().FirstIDX(ctx), crm.InteractionInput{ContactIDs: []int{ids[1]}, Type: "call", Direction: "outbound",
				OccurredAt: time.Date(2026, 3, 1+i, 10, 0, 0, 0, time.UTC), Subject: fmt.Sprintf("Telefonat %d", i)}, crm.ManyOptions{})
			if err != nil {
				t.Fatal(err)
			}
		}
		hits := func(q string) (names []string, where string) {
			t.Helper()
			p := mia.get("/search?q=" + url.QueryEscape(q))
			wantStatus(t, p, http.StatusOK)
			p.doc.Find(`[data-testid="search-hit"] .hit-name`).Each(func(_ int, s *goquery.Selection) {
				names = append(names, strings.TrimSpace(s.Text()))
			})
			return names, p.text(`[data-testid="search-hit"] [data-testid="snippet"]`)
		}
		for _, q := range []string{"Wanderschuhe", "härtetest bayern", "abendzeitung", `"Wanderschuhe aus Bayern"`} {
			names, snippet := hits(q)
			if strings.Join(names, "|") != "Presse 1" {
				t.Errorf("%s: hits %q, want the author Presse 1", q, names)
			}
			if !strings.HasPrefix(snippet, "Coverage: ") || !strings.Contains(snippet, "aus Bayern im Härtetest — Abendzeitung") {
				t.Errorf("%s: snippet %q, want the piece as coverage", q, snippet)
			}
		}
		item := d.Client.CoverageItem.Query().Where(coverageitem.CampaignID(cid)).OnlyX(ctx)
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.CoverageItem.UpdateOneID(item.ID).SetTitle("Bergstiefel im Härtetest").Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if names, _ := hits("Bergstiefel"); strings.Join(names, "|") != "Presse 1" {
			t.Errorf("after the title changed: Bergstiefel finds %q, want Presse 1", names)
		}
		if names, _ := hits("Wanderschuhe"); len(names) != 0 {
			t.Errorf("after the title changed: Wanderschuhe still finds %q", names)
		}
	})
}
