package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers"
)

// newSSOApp starts Rapport configured for a local OpenID Connect provider.
func newSSOApp(t *testing.T, d *db.DB, sso handlers.SSOConfig) (*app, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sso.Issuer, sso.ClientID, sso.ClientSecret = m.Issuer(), m.ClientID, m.ClientSecret
	sso.RedirectURL = "http://" + ln.Addr().String() + "/login/sso/callback"
	cfg := handlers.DefaultConfig
	cfg.SSO = &sso
	cfg.Search = testSearch(t, d)
	e := handlers.New(d, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewUnstartedServer(e)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &app{t: t, db: d, srv: srv, echo: e}, m
}

// ssoLogin walks the browser through the provider and returns the callback's answer.
func ssoLogin(t *testing.T, b *browser, next string) page {
	t.Helper()
	start := b.get("/login/sso?next=" + url.QueryEscape(next))
	if start.status != http.StatusSeeOther || !strings.Contains(start.header.Get("Location"), "code_challenge=") {
		t.Fatalf("start: %d to %q", start.status, start.header.Get("Location"))
	}
	req, _ := http.NewRequest("GET", start.header.Get("Location"), nil)
	res, err := b.http.Do(req) // the provider answers at once with a redirect back
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back := res.Header.Get("Location")
	if !strings.HasPrefix(back, b.base+"/login/sso/callback") {
		t.Fatalf("provider sent the browser to %q", back)
	}
	return b.get(strings.TrimPrefix(back, b.base))
}

func TestSingleSignOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a, idp := newSSOApp(t, d, handlers.SSOConfig{Name: "Test IdP", PasswordLogin: false, CreateUsers: true, DefaultRole: "staff"})
		a.user("katrin@example.com", "manager")

		// A known verified address signs in as that user, back where it was going.
		b := a.browser()
		if p := b.get("/login"); !strings.Contains(p.text(`[data-testid="sso-login"]`), "Test IdP") || p.doc.Find(`input[name="password"]`).Length() != 0 {
			t.Errorf("login page: button %q, password field shown %v", p.text(`[data-testid="sso-login"]`), p.doc.Find(`input[name="password"]`).Length())
		}
		idp.QueueUser(&mockoidc.MockUser{Subject: "k1", Email: "Katrin@Example.com", EmailVerified: true})
		p := ssoLogin(t, b, "/contacts")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/contacts" {
			t.Fatalf("callback: %d to %q; %.300s", p.status, p.header.Get("Location"), p.body)
		}
		if home := b.get("/contacts"); home.status != http.StatusOK || !strings.Contains(home.body, "Test manager") {
			t.Errorf("after single sign-on: %d", home.status)
		}

		// An unknown verified address becomes a staff user; an unverified one is refused.
		idp.QueueUser(&mockoidc.MockUser{Subject: "n1", Email: "neu@example.com", EmailVerified: true})
		if p := ssoLogin(t, a.browser(), "/"); p.status != http.StatusSeeOther {
			t.Errorf("new user: %d", p.status)
		}
		if u, err := a.db.Client.User.Query().Where(user.Email("neu@example.com")).Only(context.Background()); err != nil || u.Role != "staff" {
			t.Errorf("created user %v, %v", u, err)
		}
		idp.QueueUser(&mockoidc.MockUser{Subject: "x1", Email: "unverified@example.com", EmailVerified: false})
		if p := ssoLogin(t, a.browser(), "/"); p.status != http.StatusUnauthorized {
			t.Errorf("unverified address: %d", p.status)
		}

		// A forged callback (no state cookie) is refused; passwords are off.
		if p := a.browser().get("/login/sso/callback?code=x&state=y"); p.status != http.StatusUnauthorized {
			t.Errorf("forged callback: %d", p.status)
		}
		pw := a.browser()
		pw.get("/login")
		if p := pw.post("/login", url.Values{"email": {"katrin@example.com"}, "password": {testPassword}}); p.status != http.StatusForbidden {
			t.Errorf("password sign-in while off: %d", p.status)
		}
	})
}
