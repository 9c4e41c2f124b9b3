package handlers_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
)

// germanOrder is DIN 5007-1: ä files as a, ö as o, case does not count
// (issue 12, bug 4: "Bianchi" came before "Bäumer", "Krämer" before "Köhler").
var germanOrder = []string{"Bäumer", "Bianchi", "de Boer", "Kohl", "Köhler", "Krämer", "Strauss", "Strauß"} // ß = ss: the tie goes by id

// TestGermanNameOrder: the contact list, an export and the search page's
// name order file German names alike, on both databases.
func TestGermanNameOrder(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		ctx := context.Background()
		for i, last := range []string{"Strauss", "Krämer", "Bianchi", "Strauß", "Köhler", "de Boer", "Kohl", "Bäumer"} {
			if _, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: string(rune('A' + i)), LastName: last,
				Kind: "journalist", Region: "Bayern"}); err != nil {
				t.Fatal(err)
			}
		}
		b := a.browser()
		b.login("anna@example.com")
		names := func(p page, sel string) []string {
			var out []string
			p.doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
				f := strings.Fields(s.Text())
				out = append(out, strings.Join(f[1:], " ")) // "A Strauss" → "Strauss"
			})
			return out
		}
		if got := names(b.get("/contacts"), `[data-testid="contact-row"] td:first-child a`); !slices.Equal(got, germanOrder) {
			t.Errorf("list order %q\nwant       %q", got, germanOrder)
		}
		if got := names(b.get("/search?sort=name&kind=journalist"), `[data-testid="search-hit"] .hit-name`); !slices.Equal(got, germanOrder) {
			t.Errorf("search order %q\nwant         %q", got, germanOrder)
		}
		b.get("/exports/new?region=Bayern")
		p := b.post("/exports", url.Values{"region": {"Bayern"}, "format": {"csv"}, "columns": {"last_name"}, "purpose": {"Sortierung prüfen"}})
		wantStatus(t, p, http.StatusSeeOther)
		show := b.get(p.header.Get("Location"))
		dl, _ := show.doc.Find(`[data-testid="download"]`).Attr("href")
		p = b.get(dl)
		wantStatus(t, p, http.StatusOK)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.body, "\xEF\xBB\xBF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs[1:] {
			got = append(got, r[0])
		}
		if !slices.Equal(got, germanOrder) {
			t.Errorf("export order %q\nwant         %q", got, germanOrder)
		}
	})
}
