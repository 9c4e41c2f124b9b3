package e2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// TestSingleSignOnInTheBrowser: a user clicks "Sign in with …" on the sign-in
// page, the local identity provider confirms them, and they land on the
// dashboard signed in; the password form is not offered.
func TestSingleSignOnInTheBrowser(t *testing.T) {
	exe := browserPath(t)
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	d := dbtest.Open(t, dialect.Postgres, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := handlers.DefaultConfig
	cfg.SSO = &handlers.SSOConfig{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: base + "/login/sso/callback", Name: "Firmenkonto", PasswordLogin: false}
	srv := &http.Server{Handler: handlers.New(d, cfg, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))),
		ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
	if _, err := crm.CreateUser(t.Context(), d.Client, crm.UserInput{Email: "katrin@example.com", Name: "Katrin Vogel",
		Role: crm.RoleManager, Password: password}); err != nil {
		t.Fatal(err)
	}
	idp.QueueUser(&mockoidc.MockUser{Subject: "k-1", Email: "katrin@example.com", EmailVerified: true})

	b := newBrowser(t, exe, base)
	b.open("/login")
	if n := b.count(`#password`); n != 0 {
		t.Errorf("the password form is offered although password sign-in is off")
	}
	wantContains(t, "sign-in button", b.text(`[data-testid="sso-login"]`), "Sign in with Firmenkonto")
	b.navigate("sign in with the provider", chromedp.Click(chromedp.CSS(`[data-testid="sso-login"]`)))
	if got := b.url().Path; got != "/" {
		t.Fatalf("after single sign-on the browser is at %s, want the dashboard", got)
	}
	wantContains(t, "current user", b.text(`[data-testid="current-user"]`), "Katrin Vogel")
}
