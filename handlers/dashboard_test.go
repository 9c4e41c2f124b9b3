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
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestDashboard: the start page counts the team's contacts and those past
// their cadence, lists my own stale relationships of stage engaged or better
// (not someone else's, not those still within their cadence, not those below
// engaged), the team's recent activity, and nominations for managers only.
func TestDashboard(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("mia@example.com", "manager")
		ctx := context.Background()
		anna := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyX(ctx)
		mia := a.db.Client.User.Query().Where(user.Email("mia@example.com")).OnlyX(ctx)
		now := time.Now()
		set := func(last, stage string, owner int, due time.Duration) int {
			id := a.person(last, stage)
			err := db.WithTx(ctx, a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
				return tx.Contact.UpdateOneID(id).SetOwnerID(owner).SetTouchDueAt(now.Add(due)).Exec(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		set("Older", "advocate", anna.ID, -96*time.Hour) // first: making an advocate recomputes everyone's health
		set("Overdue", "engaged", anna.ID, -48*time.Hour)
		fresh := set("Fresh", "engaged", anna.ID, 72*time.Hour)
		set("Cold", "aware", anna.ID, -48*time.Hour)
		set("Theirs", "supporter", mia.ID, -24*time.Hour)

		b := a.browser()
		b.login("anna@example.com")
		logged(t, a, b, fresh, "Coffee at the fair")
		wantStatus(t, b.post(fmt.Sprintf("/contacts/%d/nominations", fresh), url.Values{"reason": {"Loves the product"}}), http.StatusSeeOther)

		// The team's figures are served stale-while-revalidate: this page
		// starts their refresh, the next one (after it) shows the writes.
		b.get("/")
		crm.LookupsOf(a.db.Client).Wait()
		p := b.get("/")
		wantStatus(t, p, http.StatusOK)
		for sel, want := range map[string]string{`[data-testid="count-contacts"]`: "5", `[data-testid="count-stale"]`: "4",
			`[data-testid="count-interactions"]`: "1"} {
			if got := p.text(sel); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		var stale []string
		p.doc.Find(`[data-testid="stale-row"] a`).Each(func(_ int, s *goquery.Selection) { stale = append(stale, s.Text()) })
		if got := strings.Join(stale, ", "); got != "Test Older, Test Overdue" {
			t.Errorf("my stale relationships = %q, want the most overdue first: Test Older, Test Overdue", got)
		}
		if !strings.Contains(p.text(`[data-testid="recent"]`), "Coffee at the fair") {
			t.Errorf("recent activity lacks the logged call: %q", p.text(`[data-testid="recent"]`))
		}
		if p.doc.Find(`[data-testid="open-nominations"]`).Length() != 0 {
			t.Error("staff see the nominations waiting for managers")
		}
		// The team's figures are cached; a write shows once the refresh it started ran.
		a.person("Newcomer", "aware")
		b.get("/")
		crm.LookupsOf(a.db.Client).Wait()
		if got := b.get("/").text(`[data-testid="count-contacts"]`); got != "6" {
			t.Errorf("contacts after one more = %q, want 6", got)
		}

		m := a.browser()
		m.login("mia@example.com")
		p = m.get("/")
		if got := p.text(`[data-testid="open-nominations-count"]`); got != "(1)" {
			t.Errorf("open nominations count = %q, want (1)", got)
		}
		if !strings.Contains(p.text(`[data-testid="open-nominations"]`), "Test Fresh") {
			t.Errorf("the manager's dashboard lacks the nomination: %q", p.text(`[data-testid="open-nominations"]`))
		}
		if got := p.text(`[data-testid="stale-row"] a`); got != "Test Theirs" {
			t.Errorf("manager's stale relationships = %q, want only their own", got)
		}
	})
}
