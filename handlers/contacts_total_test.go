package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// TestCappedTotal: one rule for every total of a selection. Past
// crm.TotalCap matches the list says "1.000+ Kontakte" in German ("1,000+
// contacts" in English) and the saved segment of the same custom-field
// filter "1.000+"; at the cap and below, both say the exact number.
func TestCappedTotal(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("anna@example.com", "staff")
		anna := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyIDX(ctx)
		if err := crm.SetLocale(ctx, a.db.Client, anna, locale.German); err != nil {
			t.Fatal(err)
		}
		key := viewFields(t, a.db)[0].Key
		cappedContacts(t, a.db, key)
		for _, s := range []struct{ name, value string }{{"Mittags", "Noon"}, {"Morgens", "Morning"}} {
			a.db.Client.Segment.Create().SetName(s.name).SetShared(true).SetOwnerID(anna).
				SetFilter(schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: key, Any: []string{s.value}}}}).SaveX(ctx)
		}
		b := a.browser()
		b.login("anna@example.com")
		list := func(value string) string {
			p := b.get("/contacts?" + url.Values{"cf." + key + ".any": {value}}.Encode())
			wantStatus(t, p, http.StatusOK)
			return p.text(`[data-testid="total"]`)
		}
		if got := list("Noon"); got != "1.000+ Kontakte" {
			t.Errorf("past the cap the list says %q, want 1.000+ Kontakte", got)
		}
		if got := list("Morning"); got != "1.000 Kontakte" {
			t.Errorf("at the cap the list says %q, want 1.000 Kontakte", got)
		}
		p := b.get("/segments")
		wantStatus(t, p, http.StatusOK)
		counts := map[string]string{}
		p.doc.Find(`[data-testid="segment-row"]`).Each(func(_ int, r *goquery.Selection) {
			counts[strings.Fields(r.Find("td").First().Text())[0]] = r.Find(`[data-testid="segment-count"]`).Text()
		})
		if counts["Mittags"] != "1.000+" || counts["Morgens"] != "1.000" {
			t.Errorf("segment counts %v, want Mittags 1.000+ and Morgens 1.000", counts)
		}
		if err := crm.SetLocale(ctx, a.db.Client, anna, locale.English); err != nil {
			t.Fatal(err)
		}
		if got := list("Noon"); got != "1,000+ contacts" {
			t.Errorf("in English past the cap the list says %q, want 1,000+ contacts", got)
		}
	})
}

// cappedContacts writes crm.TotalCap+1 contacts at noon and crm.TotalCap in
// the morning (the cap exactly).
func cappedContacts(t *testing.T, d *db.DB, key string) {
	t.Helper()
	ws := make([]crm.ContactWrite, 2*crm.TotalCap+1)
	for i := range ws {
		when := "Noon"
		if i%2 == 1 {
			when = "Morning"
		}
		ws[i] = crm.ContactWrite{In: crm.ContactInput{FirstName: "Person", LastName: fmt.Sprintf("%04d", i), Kind: "journalist", Stage: "engaged",
			LawfulBasis: "legitimate_interest", ConsentState: "none", Custom: schema.CustomValues{key: when}}}
	}
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	if err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		_, err := w.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
