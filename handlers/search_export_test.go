package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/rapport-crm/rapport/crm"
)

// TestSearchExportLinkAgrees: the search page's "Export…" link and its
// "All N matching" mean the people the page shows, outlet filter included
// (it used to drop the outlet, and with no text it exported everyone).
func TestSearchExportLinkAgrees(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		mk := func(first, outlet string) {
			in := crm.ContactInput{Kind: "journalist", FirstName: first, LastName: "Journalistin", LawfulBasis: "legitimate_interest",
				Outlets: []crm.OutletRole{{Outlet: outlet, Role: "Redaktion"}}}
			if _, err := crm.CreateContact(ctx, a.db.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []string{"Anna", "Berta", "Clara"} {
			mk(f, "Stuttgarter Zeitung")
		}
		for _, f := range []string{"Doris", "Eva"} {
			mk(f, "Taz")
		}
		mk("Frida", "")
		b := a.browser()
		b.login("staff@example.com")
		for _, tc := range []struct {
			name  string
			query url.Values
			want  int
		}{
			{"ok_text_and_outlet", url.Values{"q": {"Journalistin"}, "outlet": {"Stuttgarter Zeitung"}}, 3},
			{"ok_outlet_without_text", url.Values{"outlet": {"Taz"}}, 2},
			{"ok_two_outlets", url.Values{"q": {"Journalistin"}, "outlet": {"Taz", "Stuttgarter Zeitung"}}, 5},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := b.get("/search?" + tc.query.Encode())
				wantStatus(t, p, http.StatusOK)
				if got, want := p.text(`[data-testid="search-total"]`), fmt.Sprintf("%d contacts", tc.want); got != want {
					t.Fatalf("search shows %q, want %q", got, want)
				}
				if got, want := p.text(`[data-testid="bulk-all"]`), fmt.Sprintf("All %d matching", tc.want); got != want {
					t.Errorf("bulk bar offers %q, want %q", got, want)
				}
				href, ok := p.doc.Find(`[data-testid="bulk-export"]`).Attr("href")
				if !ok {
					t.Fatal("no export link")
				}
				e := b.get(href)
				wantStatus(t, e, http.StatusOK)
				if got := e.text(`[data-testid="export-count"]`); got != fmt.Sprint(tc.want) {
					t.Errorf("export link %s previews %s contacts, the search shows %d", href, got, tc.want)
				}
			})
		}
		// A campaign's targets the index does not know: neither "all" nor export.
		p := b.get("/search?q=Journalistin&campaign=1")
		if p.doc.Find(`[data-testid="bulk-export"]`).Length() != 0 || p.doc.Find(`[data-testid="bulk-all"]`).Length() != 0 {
			t.Errorf("search with campaign= offers all matching or an export of a selection it does not show")
		}
	})
}
