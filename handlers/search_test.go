package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/search"
)

// syncedSearch syncs the index before every search, so a test sees its own
// writes without waiting for the indexer.
type syncedSearch struct{ s *search.Service }

func (s syncedSearch) Search(ctx context.Context, r search.Request) (*search.Result, error) {
	if err := s.s.Sync(ctx); err != nil {
		return nil, err
	}
	return s.s.Search(ctx, r)
}

func (s syncedSearch) MatchIDs(ctx context.Context, q string) ([]int, error) {
	if err := s.s.Sync(ctx); err != nil {
		return nil, err
	}
	return s.s.MatchIDs(ctx, q)
}

// testSearch opens a search index on d in a temporary directory.
func testSearch(t *testing.T, d *db.DB) syncedSearch {
	t.Helper()
	s, err := search.Open(context.Background(), search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return syncedSearch{s}
}

func TestSearchPage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		mk := func(in crm.ContactInput) {
			if _, err := crm.CreateContact(ctx, a.db.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		mk(crm.ContactInput{Kind: "blogger", FirstName: "Lena", LastName: "Groß", City: "München", Region: "München",
			Bio: "Gesundheitsbloggerin aus München, <b>schreibt</b> über Laufsport.", Topics: []string{"Gesundheit"}})
		mk(crm.ContactInput{Kind: "journalist", FirstName: "Jürgen", LastName: "Müller", City: "München", Region: "München",
			Bio: "Redakteur für Medizin.", Topics: []string{"Gesundheit"}})
		mk(crm.ContactInput{Kind: "journalist", FirstName: "Tom", LastName: "Weber", City: "Berlin", Region: "Berlin", Topics: []string{"Politik"}})
		b := a.browser()
		b.login("staff@example.com")

		p := b.get("/search?q=" + url.QueryEscape("muenchen gesundheit"))
		wantStatus(t, p, http.StatusOK)
		if n := p.doc.Find(`[data-testid="search-hit"]`).Length(); n != 2 {
			t.Fatalf("muenchen gesundheit: %d hits, want 2", n)
		}
		// The snippet marks the match and escapes the bio's markup.
		if !strings.Contains(p.body, "&lt;b&gt;schreibt&lt;/b&gt;") || p.doc.Find(`.snippet b`).Length() != 0 {
			t.Errorf("snippet does not escape the bio: %s", p.doc.Find(`.snippet`).Text())
		}
		if p.doc.Find(`[data-testid="snippet"] mark`).Length() == 0 {
			t.Errorf("no highlighted match in the snippets")
		}
		// Facet links filter and combine.
		href, ok := p.doc.Find(`[data-facet="kind"] a[data-testid="facet-value"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.HasPrefix(strings.TrimSpace(s.Text()), "Blogger")
		}).Attr("href")
		if !ok {
			t.Fatal("no Blogger facet")
		}
		p = b.get(href)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="search-total"]`); got != "1 contact" {
			t.Errorf("after the Blogger facet: %q", got)
		}
		// Nothing found: an empty state with advice and a way out of the filters.
		p = b.get("/search?q=zeppelin&kind=blogger")
		if p.doc.Find(`[data-testid="search-empty"]`).Length() != 1 || p.doc.Find(`[data-testid="search-without-filters"]`).Length() != 1 {
			t.Errorf("no empty state with a link without filters")
		}
		if got := b.getIn("/search?q=zeppelin&kind=blogger", "de").text(`[data-testid="nobody-matches"]`); got != "Niemand passt zu „zeppelin“." {
			t.Errorf("German empty state %q", got)
		}
		// The top bar's panel is a fragment.
		req, _ := http.NewRequest(http.MethodGet, b.base+"/search?q=muel", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "search-panel")
		p = b.do(req)
		if p.doc.Find(`[data-testid="panel-hit"]`).Length() != 1 || strings.Contains(p.body, "<html") {
			t.Errorf("panel for muel: %.500s", p.body)
		}
		wantStatus(t, b.get("/search?q=x&after=garbage"), http.StatusUnprocessableEntity)
		// More than 20 words: refused in German, on the page and in the panel.
		words := url.QueryEscape(strings.Repeat("wort ", 21))
		p = b.getIn("/search?q="+words, "de")
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got, want := p.text(`[data-testid="error-q"]`), "Der Suchtext hat zu viele Wörter: höchstens 20 Wörter."; got != want {
			t.Errorf("21 words in German: %q, want %q", got, want)
		}
		req, _ = http.NewRequest(http.MethodGet, b.base+"/search?q="+words, nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "search-panel")
		req.Header.Set("Accept-Language", "de")
		if got, want := b.do(req).text(`[data-testid="error-q"]`), "Der Suchtext hat zu viele Wörter: höchstens 20 Wörter."; got != want {
			t.Errorf("21 words in the German panel: %q, want %q", got, want)
		}
		// The contact list's free text uses the same engine.
		p = b.get("/contacts?q=" + url.QueryEscape("Mueller"))
		if got := p.text(`[data-testid="total"]`); got != "1 contact" {
			t.Errorf("contacts?q=Mueller: %q", got)
		}
	})
}
