package handlers_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/rapport-crm/rapport/crm"
)

// TestTextWithConditionsAgree is issue 12's bug 3: text plus a condition
// the index does not hold (minimum health) matched names and e-mails in SQL
// on the list, and the index in the export. Now the list, a segment of it
// and the export preview are the same people.
func TestTextWithConditionsAgree(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		ctx := context.Background()
		for _, in := range []crm.ContactInput{
			{FirstName: "Jürgen", LastName: "Müller", Region: "München", Outlets: []crm.OutletRole{{Outlet: "Süddeutsche Zeitung"}}},
			{FirstName: "Heike", LastName: "Weber", Region: "Berlin", Outlets: []crm.OutletRole{{Outlet: "Süddeutsche Zeitung"}}},
			{FirstName: "Tom", LastName: "Süddeutsch", Region: "Berlin"},
		} {
			if _, err := crm.CreateContact(ctx, a.db.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		b := a.browser()
		b.login("anna@example.com")
		for _, tc := range []struct {
			q    url.Values
			want string
		}{
			{url.Values{"q": {"Mueller"}, "min_health": {"0"}}, "1"},               // the index folds ü/ue; SQL did not
			{url.Values{"q": {"Süddeutsche Zeitung"}, "max_health": {"100"}}, "2"}, // outlets are in the index only
			{url.Values{"q": {"Süddeutsche Zeitung"}}, "2"},
		} {
			list := b.get("/contacts?" + tc.q.Encode()).text(`[data-testid="total"]`)
			preview := b.get("/exports/new?" + tc.q.Encode()).text(`[data-testid="export-count"]`)
			if list != tc.want+" contact" && list != tc.want+" contacts" {
				t.Errorf("/contacts?%s: %q, want %s", tc.q.Encode(), list, tc.want)
			}
			if preview != tc.want {
				t.Errorf("/exports/new?%s: %q, want %s", tc.q.Encode(), preview, tc.want)
			}
		}
	})
}
