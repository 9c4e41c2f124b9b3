package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
)

// campaignNames are the names of a page's campaign rows, in order.
func campaignNames(p page) []string {
	return p.doc.Find(`[data-testid="campaign-row"] td:first-child`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
}

// seedCampaigns gives client brand n campaigns (two at each start, so the
// id breaks ties; statuses in turn planned, running, done), with targets
// and coverage on some, and returns their names newest start first, then
// newest id.
func seedCampaigns(t *testing.T, d *db.DB, brand, n int, contacts []int) []string {
	t.Helper()
	ctx := db.SelfRecorded(context.Background())
	base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	type cp struct {
		at   time.Time
		id   int
		name string
	}
	var all []cp
	for i := range n {
		at := base.AddDate(0, 0, i/2)
		name := fmt.Sprintf("Kampagne %d-%03d", brand, i)
		c := d.Client.Campaign.Create().SetBrandID(brand).SetName(name).SetStartsAt(at).
			SetStatus([]campaign.Status{campaign.StatusPlanned, campaign.StatusRunning, campaign.StatusDone}[i%3]).SaveX(ctx)
		all = append(all, cp{at, c.ID, name})
		for j, who := range contacts[:min(i%5, len(contacts))] {
			tc := d.Client.CampaignTarget.Create().SetCampaignID(c.ID).SetContactID(who).SetAddedAt(at).SetStatusAt(at)
			if j%2 == 0 {
				tc.SetPitchedAt(at).SetStatus(campaigntarget.StatusPitched)
			}
			if j%3 == 0 {
				tc.SetRepliedAt(at).SetStatus(campaigntarget.StatusCovered)
			}
			tc.ExecX(ctx)
		}
		for k := range i % 3 {
			d.Client.CoverageItem.Create().SetCampaignID(c.ID).SetTitle("Bericht").SetURL(fmt.Sprintf("https://example.com/%d/%d", c.ID, k)).
				SetPublishedAt(at).ExecX(ctx)
		}
	}
	slices.SortFunc(all, func(a, b cp) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return b.id - a.id
	})
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.name
	}
	return names
}

// TestCampaignListPages: 120 campaigns of a client page by 50, newest start
// first, through the older and newer links (filters kept); the client's
// footer counts all of its campaigns (checked against SQL), not the page's.
func TestCampaignListPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		ctx := context.Background()
		people := seedPeople(t, d, 5)
		b := d.Client.Brand.Create().SetName("Bergwerk Outdoor GmbH").SaveX(ctx)
		other := d.Client.Brand.Create().SetName("Anderer Kunde").SaveX(ctx)
		want := seedCampaigns(t, d, b.ID, 120, people)
		seedCampaigns(t, d, other.ID, 7, people)
		mia := a.browser()
		mia.login("mia@example.com")

		path := fmt.Sprintf("/campaigns?client=%d", b.ID)
		if got := mia.getIn(path, "de").text("title"); got != "Kampagnen von Bergwerk Outdoor GmbH · Rapport" {
			t.Errorf("German title %q", got)
		}
		var pages []page
		for range 4 {
			p := mia.get(path)
			wantStatus(t, p, 200)
			pages = append(pages, p)
			next, ok := p.doc.Find(`[data-testid="older-campaigns"]`).Attr("href")
			if !ok {
				break
			}
			path = next
		}
		if len(pages) != 3 {
			t.Fatalf("%d pages, want 3", len(pages))
		}
		for i, lo := range []int{0, 50, 100} {
			hi := min(lo+50, 120)
			if got := campaignNames(pages[i]); !slices.Equal(got, want[lo:hi]) {
				t.Errorf("page %d: %d rows %v…, want %v…", i+1, len(got), got[:min(3, len(got))], want[lo:lo+3])
			}
		}
		if _, ok := pages[0].doc.Find(`[data-testid="prev-page"]`).Attr("href"); ok {
			t.Error("the first page links to newer campaigns")
		}
		newer, _ := pages[2].doc.Find(`[data-testid="prev-page"]`).Attr("href")
		if got := campaignNames(mia.get(newer)); !slices.Equal(got, want[50:100]) {
			t.Errorf("newer than the last page: %d rows, want the second page", len(got))
		}

		// The footer: the same on every page, equal to SQL over all 120.
		sql := func(q string) string {
			var n int
			rows, err := d.Client.QueryContext(ctx, q, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			rows.Next()
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(n)
		}
		targets := "SELECT COUNT(*) FROM campaign_targets t JOIN campaigns c ON c.id = t.campaign_id WHERE c.brand_id = $1"
		wantFoot := map[string]string{
			"client-targets": sql(targets),
			"client-pitched": sql(targets + " AND t.pitched_at IS NOT NULL"),
			"client-replied": sql(targets + " AND t.replied_at IS NOT NULL"),
			"client-covered": sql(targets + " AND t.status = 'covered'"),
			"client-pieces":  sql("SELECT COUNT(*) FROM coverage_items i JOIN campaigns c ON c.id = i.campaign_id WHERE c.brand_id = $1"),
		}
		if wantFoot["client-pieces"] == "0" || wantFoot["client-targets"] == "0" {
			t.Fatalf("fixture without targets or coverage: %v", wantFoot)
		}
		for i, p := range pages {
			for id, w := range wantFoot {
				if got, _, _ := strings.Cut(p.text(`[data-testid="`+id+`"]`), " "); got != w {
					t.Errorf("page %d: %s %q, want %s", i+1, id, got, w)
				}
			}
		}

		// The status filter, kept by the pager.
		var running []string
		for i, n := range want {
			if d.Client.Campaign.Query().Where(campaign.Name(n)).OnlyX(ctx).Status == campaign.StatusRunning {
				running = append(running, want[i])
			}
		}
		p := mia.get(fmt.Sprintf("/campaigns?client=%d&status=running", b.ID))
		if got := campaignNames(p); !slices.Equal(got, running) {
			t.Errorf("running: %v, want %v", got, running)
		}
		if _, ok := p.doc.Find(`[data-testid="older-campaigns"]`).Attr("href"); ok {
			t.Error("40 running campaigns have a second page")
		}
		all := mia.get("/campaigns?status=done")
		if got := len(campaignNames(all)); got != 42 {
			t.Errorf("done of every client on page 1: %d rows, want 42", got)
		}
		next, _ := mia.get("/campaigns").doc.Find(`[data-testid="older-campaigns"]`).Attr("href")
		if u, _ := url.Parse(next); u.Query().Get("older") == "" {
			t.Errorf("older link %q has no cursor", next)
		}
		if p := mia.get("/campaigns?older=garbage"); p.status != 422 && p.status != 400 {
			t.Errorf("a broken cursor: status %d", p.status)
		}
	})
}

// TestCampaignListGerman: the pager and filter speak German.
func TestCampaignListGerman(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		b := d.Client.Brand.Create().SetName("Bergwerk Outdoor GmbH").SaveX(context.Background())
		seedCampaigns(t, d, b.ID, 60, nil)
		mia := a.browser()
		mia.login("mia@example.com")
		p := mia.getIn("/campaigns", "de")
		if got := p.text(`[data-testid="older-campaigns"]`); got != "Ältere Kampagnen »" {
			t.Errorf("older link %q", got)
		}
		next, _ := p.doc.Find(`[data-testid="older-campaigns"]`).Attr("href")
		if got := mia.getIn(next, "de").text(`[data-testid="prev-page"]`); got != "« Neuere Kampagnen" {
			t.Errorf("newer link %q", got)
		}
		if got := p.text(`#f-campaign-status option[value=""]`); got != "jeder Status" {
			t.Errorf("every status %q", got)
		}
		if got := mia.getIn("/campaigns?status=done&client=0", "de").text(`[data-testid="campaigns-empty"]`); got != "" {
			t.Errorf("done campaigns exist, yet %q", got)
		}
		d.Client.Campaign.Update().SetStatus(campaign.StatusPlanned).ExecX(db.SelfRecorded(context.Background()))
		if got := mia.getIn("/campaigns?status=done", "de").text(`[data-testid="campaigns-empty"]`); got != "Keine Kampagnen in diesem Status." {
			t.Errorf("empty %q", got)
		}
	})
}
