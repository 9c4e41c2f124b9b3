package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/campaign"
)

// getIn is get with an Accept-Language.
func (b *browser) getIn(path, lang string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept-Language", lang)
	return b.do(req)
}

// TestCampaignCoverageSearch: the campaign page's coverage search finds
// pieces by title (another form of the word: the search's stemming), by
// outlet and by author, leaves out -words, says how many of how many match
// (in German too), keeps the target filter, and refuses text over the limit
// with the field's message while listing every piece.
func TestCampaignCoverageSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		ids := seedPeople(t, d, 2)
		ctx := context.Background()
		d.Client.Contact.UpdateOneID(ids[1]).SetFirstName("Anna").SetLastName("Berger").ExecX(db.SelfRecorded(ctx))
		mia := a.browser()
		mia.login("mia@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		clientID := d.Client.Brand.Query().OnlyIDX(ctx)
		wantStatus(t, mia.post("/campaigns", url.Values{"brand": {fmt.Sprint(clientID)}, "name": {"Herbst am Berg"},
			"starts_at": {"2026-11-01"}, "status": {"running"}}), http.StatusSeeOther)
		cid := d.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)
		if mia.get(base).doc.Find(`[data-testid="coverage-search"]`).Length() != 0 {
			t.Error("a search box over no coverage")
		}
		for i, p := range []struct{ title, outlet, author string }{
			{"Neue Wanderschuhe aus Bayern", "Abendzeitung", ""},
			{"Die Kollektion im Test", "Süddeutsche Zeitung", fmt.Sprint(ids[1])},
			{"Podcast: Wandern im Herbst", "Bergfunk", fmt.Sprint(ids[0])},
		} {
			form := url.Values{"url": {fmt.Sprintf("https://news%d.example/a", i)}, "title": {p.title}, "outlet": {p.outlet},
				"published_at": {"2026-11-30"}, "kind": {"article"}, "sentiment": {"neutral"}, "authors": {p.author}}
			mia.get(base)
			wantStatus(t, mia.post(base+"/coverage", form), http.StatusSeeOther)
		}
		titles := func(p page) []string {
			var out []string
			p.doc.Find(`[data-testid="piece-row"] td:nth-child(2)`).Each(func(_ int, s *goquery.Selection) {
				out = append(out, strings.TrimSpace(s.Text()))
			})
			return out
		}
		for _, tc := range []struct{ name, q, want, matches string }{
			{"ok_stem", "Wanderschuh", "Neue Wanderschuhe aus Bayern", "1 of 3"},
			{"ok_plural", "Kollektionen", "Die Kollektion im Test", "1 of 3"},
			{"ok_outlet", "süddeutsche", "Die Kollektion im Test", "1 of 3"},
			{"ok_author", "Berger", "Die Kollektion im Test", "1 of 3"},
			{"ok_exclude", "Herbst -Podcast", "", "0 of 3"},
			{"ok_two", "wandern", "Podcast: Wandern im Herbst", "1 of 3"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := mia.get(base + "?status=planned&cq=" + url.QueryEscape(tc.q))
				wantStatus(t, p, http.StatusOK)
				got := strings.Join(titles(p), "|")
				if got != tc.want {
					t.Errorf("%q found %q, want %q", tc.q, got, tc.want)
				}
				if m := p.text(`[data-testid="coverage-matches"]`); !strings.HasPrefix(m, tc.matches) {
					t.Errorf("matches %q, want %q…", m, tc.matches)
				}
				if tc.want == "" && p.doc.Find(`[data-testid="coverage-none"]`).Length() != 1 {
					t.Error("no message when nothing matches")
				}
				if v, _ := p.doc.Find(`[data-testid="coverage-q"]`).Attr("value"); v != tc.q {
					t.Errorf("search box holds %q, want %q", v, tc.q)
				}
				if v, _ := p.doc.Find(`[data-testid="coverage-search"] input[name="status"]`).Attr("value"); v != "planned" {
					t.Errorf("target filter %q not kept", v)
				}
			})
		}
		de := mia.getIn(base+"?cq=Abendzeitung", "de")
		if m := de.text(`[data-testid="coverage-matches"]`); !strings.HasPrefix(m, "1 von 3 Beiträgen passen.") {
			t.Errorf("German count %q", m)
		}
		if got := strings.Join(titles(de), "|"); got != "Neue Wanderschuhe aus Bayern" {
			t.Errorf("German search found %q", got)
		}
		long := mia.getIn(base+"?cq="+strings.Repeat("x", 501), "de")
		wantStatus(t, long, http.StatusUnprocessableEntity)
		if msg := long.text(`#e-cq`); !strings.Contains(msg, "höchstens 500 Zeichen") {
			t.Errorf("message for a long text %q", msg)
		}
		if n := len(titles(long)); n != 3 {
			t.Errorf("%d pieces listed beside the message, want all 3", n)
		}
		if all := mia.get(base); len(titles(all)) != 3 || all.doc.Find(`[data-testid="coverage-matches"]`).Length() != 0 {
			t.Errorf("without a search: %v", titles(all))
		}
	})
}
