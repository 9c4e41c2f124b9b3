package handlers_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// TestSearchColumns: the search results with cols= show the chosen columns
// (custom ones in German formats, built-in ones, unknown keys left out,
// more than 12 refused in German) in a table; facet links, paging and the
// search form keep them; without cols the hits stay compact and the picker
// offers the list's defaults. The same selection on the contact list and
// the search page lists the same people with the same headings and cells,
// and saves as the same view.
func TestSearchColumns(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("anna@example.com", "staff")
		annaID := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyIDX(ctx)
		if err := crm.SetLocale(ctx, a.db.Client, annaID, locale.German); err != nil {
			t.Fatal(err)
		}
		viewContacts(t, a.db, viewFields(t, a.db))
		anna := a.browser()
		anna.login("anna@example.com")

		q := url.Values{"q": {"Jürgen"}, "cols": {"name", "region", "tags", "cf.circulation", "cf.birthday", "bogus", "cf.press_pass", "stage"}}
		p := anna.get("/search?" + q.Encode())
		wantStatus(t, p, http.StatusOK)
		if n := p.doc.Find(`[data-testid="search-results"] thead th`).Length(); n != 7 {
			t.Errorf("%d headings, want the name and 6 chosen columns", n)
		}
		hit := p.doc.Find(`[data-testid="search-hit"]`)
		if hit.Length() != 1 {
			t.Fatalf("%d hits for Jürgen, want 1", hit.Length())
		}
		for sel, want := range map[string]string{`[data-testid="cell-circulation"]`: "1.234,5", `[data-testid="cell-birthday"]`: "24. Dez. 2026",
			`[data-testid="cell-press_pass"]`: "ja", `[data-testid="val-region"]`: "München", `[data-testid="val-tags"]`: "Presse, VIP"} {
			if got := strings.TrimSpace(hit.Find(sel).Text()); got != want {
				t.Errorf("hit %s = %q, want %q", sel, got, want)
			}
		}
		if got := p.text(`[data-testid="column-circulation"]`); got != "Auflage" {
			t.Errorf("circulation heading %q", got)
		}
		if p.doc.Find(`[data-testid="col-kind"]`).Length() != 0 {
			t.Error("a column not chosen is shown")
		}
		if _, on := p.doc.Find(`[data-testid="search-columns"] [data-testid="pick-cf.circulation"]`).Attr("checked"); !on {
			t.Error("the picker does not tick a shown column")
		}
		if got := p.text(`[data-testid="search-columns"] button`); got != "Diese Spalten zeigen" {
			t.Errorf("picker button %q", got)
		}
		if n := p.doc.Find(`[data-testid="search-form"] input[name="cols"]`).Length(); n != 7 {
			t.Errorf("the search form carries %d columns, want 7", n)
		}
		p.doc.Find(`a[data-testid="facet-value"]`).Each(func(_ int, s *goquery.Selection) {
			if href := s.AttrOr("href", ""); !strings.Contains(href, "cols=cf.circulation") {
				t.Errorf("facet link %s drops the columns", href)
			}
		})
		compact := anna.get(p.doc.Find(`[data-testid="search-compact"]`).AttrOr("href", ""))
		if compact.doc.Find(`li[data-testid="search-hit"]`).Length() != 1 || compact.doc.Find(`[data-testid="search-results"] thead`).Length() != 0 {
			t.Error("the compact link does not show the compact hits")
		}
		if _, on := compact.doc.Find(`[data-testid="pick-kind"]`).Attr("checked"); !on {
			t.Error("without cols the picker does not offer the list's default columns")
		}

		// The same selection on the list and the search page: the same
		// people, headings and cells.
		sel := url.Values{"q": {"Person"}, "region": {"Berlin"}, "cols": {"name", "region", "stage", "cf.embargo_time"}}
		list, found := anna.get("/contacts?"+sel.Encode()), anna.get("/search?"+sel.Encode())
		wantStatus(t, list, http.StatusOK)
		wantStatus(t, found, http.StatusOK)
		lc, sc := cellsByID(list, "contact-row"), cellsByID(found, "search-hit")
		if len(lc) != 4 || !maps.Equal(lc, sc) {
			t.Errorf("list rows %v, search hits %v", lc, sc)
		}
		lh, sh := headings(list, "contacts"), headings(found, "search-results")
		if !slices.Equal(lh, sh) || len(lh) != 4 {
			t.Errorf("list headings %q, search headings %q", lh, sh)
		}

		// Saved as a view: the contact list's canonical query, as the list saves it.
		lq := list.doc.Find(`[data-testid="save-view"] input[name="query"]`).AttrOr("value", "")
		sq := found.doc.Find(`[data-testid="search-save-view"] input[name="query"]`).AttrOr("value", "")
		if sq == "" || sq != lq {
			t.Errorf("search saves the view %q, the list %q", sq, lq)
		}
		saved := anna.post("/views", url.Values{"name": {"Personen in Berlin"}, "query": {sq}})
		wantStatus(t, saved, http.StatusSeeOther)
		if got := cellsByID(anna.get(saved.header.Get("Location")), "contact-row"); !maps.Equal(got, sc) {
			t.Errorf("the view saved from search lists %v, the search %v", got, sc)
		}
		if outlet := anna.get("/search?q=Person&outlet=X"); outlet.doc.Find(`[data-testid="search-save-view"]`).Length() != 0 {
			t.Error("a search by outlet, which the list cannot filter, is offered as a view")
		}

		thirteen := url.Values{"q": {"Person"}, "cols": append([]string{"name"}, append(slices.Clone(crm.BuiltinColumns[:11]), "cf.circulation", "cf.birthday")...)}
		p = anna.get("/search?" + thirteen.Encode())
		wantStatus(t, p, http.StatusOK)
		if n := p.doc.Find(`[data-testid="search-results"] thead th`).Length(); n != 13 || p.text(`[data-testid="columns-problem"]`) != "Wählen Sie höchstens 12 Spalten." {
			t.Errorf("13 columns asked: %d headings, %q", n, p.text(`[data-testid="columns-problem"]`))
		}
	})
}

// cellsByID are the cells of a page's rows (testid row) by contact id.
func cellsByID(p page, row string) map[int]string {
	out := map[int]string{}
	p.doc.Find(`[data-testid="` + row + `"]`).Each(func(_ int, r *goquery.Selection) {
		id, _ := strconv.Atoi(r.Find(`input[data-testid="bulk-tick"]`).AttrOr("value", ""))
		var cells []string
		r.Find("td").Slice(1, goquery.ToEnd).Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		out[id] = strings.Join(cells, " | ")
	})
	return out
}

// headings are the column headings of a page's table (testid table).
func headings(p page, table string) []string {
	var out []string
	p.doc.Find(`[data-testid="` + table + `"] thead th`).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}
