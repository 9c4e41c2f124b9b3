package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/apitoken"
	"github.com/rapport-crm/rapport/handlers"
)

// TestTokenLifecycle: made on /account and shown once, stored hashed, listed
// with its last use, expiring, revoked by its owner or by an admin.
func TestTokenLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := &clock{now: time.Now()}
		cfg := handlers.DefaultConfig
		cfg.Now = clk.Now
		cfg.SessionIdle, cfg.SessionMax = 1000*time.Hour, 2000*time.Hour
		a := newAppWith(t, d, cfg)
		a.user("staff@example.com", "staff")
		a.user("admin@example.com", "admin")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/account")
		p := b.post("/account/tokens", url.Values{"name": {"Newsletter-Tool"}, "scope": {"read"}, "expires": {"30"}})
		wantStatus(t, p, http.StatusOK)
		tok := p.text(`[data-testid="new-token"]`)
		if !strings.HasPrefix(tok, crm.TokenPrefix) || len(tok) < 40 {
			t.Fatalf("new token %q", tok)
		}
		if again := b.get("/account"); strings.Contains(again.body, tok) {
			t.Error("the token is shown a second time")
		}
		stored := a.db.Client.APIToken.Query().OnlyX(context.Background())
		if stored.TokenHash == tok || strings.Contains(stored.TokenHash, tok[4:]) || stored.LastUsedAt != nil {
			t.Fatalf("stored %+v", stored)
		}
		wantStatus(t, b.post("/account/tokens", url.Values{"name": {""}, "scope": {"admin"}, "expires": {"30"}}), http.StatusUnprocessableEntity)

		api := a.api(tok)
		wantAPI(t, api.do("GET", "/api/v1/contacts", nil), http.StatusOK)
		used := a.db.Client.APIToken.GetX(context.Background(), stored.ID)
		if used.LastUsedAt == nil {
			t.Error("last use not recorded")
		}
		list := b.get("/account")
		if row := list.text(`[data-testid="token-row"]`); !strings.Contains(row, "Newsletter-Tool") || !strings.Contains(row, stored.Prefix) {
			t.Errorf("token row %q", row)
		}

		// Expiry: 30 days later the token is refused.
		clk.advance(31 * 24 * time.Hour)
		wantAPI(t, api.do("GET", "/api/v1/contacts", nil), http.StatusUnauthorized)

		// A second token: revoked by its owner; a third: by an admin at /tokens.
		tok2 := b.post("/account/tokens", url.Values{"name": {"BI"}, "scope": {"write"}, "expires": {"0"}}).text(`[data-testid="new-token"]`)
		id2 := a.db.Client.APIToken.Query().Where(apitoken.Name("BI")).OnlyIDX(context.Background())
		wantAPI(t, a.api(tok2).do("GET", "/api/v1/outlets", nil), http.StatusOK)
		b.get("/account")
		wantStatus(t, b.post(fmt.Sprintf("/account/tokens/%d/revoke", id2), url.Values{}), http.StatusSeeOther)
		wantAPI(t, a.api(tok2).do("GET", "/api/v1/outlets", nil), http.StatusUnauthorized)

		tok3 := b.post("/account/tokens", url.Values{"name": {"Chat"}, "scope": {"read"}, "expires": {"90"}}).text(`[data-testid="new-token"]`)
		id3 := a.db.Client.APIToken.Query().Where(apitoken.Name("Chat")).OnlyIDX(context.Background())
		admin := a.browser()
		admin.login("admin@example.com")
		tokens := admin.get("/tokens")
		if n := tokens.doc.Find(`[data-testid="token-row"]`).Length(); n != 3 || !strings.Contains(tokens.text(`[data-testid="token-list"]`), "Test staff") {
			t.Errorf("admin list: %d rows, %q", n, tokens.text(`[data-testid="token-list"]`))
		}
		wantStatus(t, admin.post(fmt.Sprintf("/tokens/%d/revoke", id3), url.Values{}), http.StatusSeeOther)
		wantAPI(t, a.api(tok3).do("GET", "/api/v1/outlets", nil), http.StatusUnauthorized)
		// Staff cannot revoke someone else's token through their own route.
		wantStatus(t, b.post(fmt.Sprintf("/account/tokens/%d/revoke", id3+1000), url.Values{}), http.StatusNotFound)
	})
}
