package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// SSOConfig configures sign-in with an OpenID Connect provider.
type SSOConfig struct {
	Issuer, ClientID, ClientSecret string
	// RedirectURL is this server's callback as the provider knows it,
	// e.g. https://rapport.example.com/login/sso/callback.
	RedirectURL string
	// CreateUsers makes a user (with DefaultRole) for an unknown verified address.
	CreateUsers bool
	DefaultRole string
	// PasswordLogin false turns password sign-in off.
	PasswordLogin bool
	// Name is the provider's name on the button, e.g. "Microsoft".
	Name string
}

const ssoCookie = "rapport_sso"

// SSO signs users in through the provider: authorization code flow with
// PKCE, state and nonce in a short-lived cookie, the ID token verified by
// go-oidc (issuer, audience, expiry, signature).
type SSO struct {
	cfg      SSOConfig
	client   *ent.Client
	sessions *Sessions
	secure   bool
	mu       sync.Mutex
	provider *oidc.Provider // discovered at first use, so a down provider does not stop the server
}

func (s *SSO) oauth(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider == nil {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(ctx, s.cfg.Issuer)
		if err != nil {
			return nil, nil, &crm.Error{Code: crm.EUnavailable, RetryAfter: 30 * time.Second,
				Message: "The identity provider cannot be reached right now. Try again in a moment."}
		}
		s.provider = p
	}
	oc := &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, RedirectURL: s.cfg.RedirectURL,
		Endpoint: s.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	return oc, s.provider.Verifier(&oidc.Config{ClientID: s.cfg.ClientID}), nil
}

// Start sends the browser to the provider.
func (s *SSO) Start(c echo.Context) error {
	oc, _, err := s.oauth(c.Request().Context())
	if err != nil {
		return err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: state + "." + nonce + "." + verifier + "." + base64.RawURLEncoding.EncodeToString([]byte(localPath(c.QueryParam("next"), "/"))),
		Path: "/login/sso", MaxAge: 600, HttpOnly: true, Secure: s.secure || c.IsTLS(), SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, oc.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)))
}

// Callback completes the sign-in the provider confirmed.
func (s *SSO) Callback(c echo.Context) error {
	ctx := c.Request().Context()
	fail := crm.Errorf(crm.EUnauthorized, "The sign-in could not be confirmed. Start again from the sign-in page.")
	ck, err := c.Cookie(ssoCookie)
	c.SetCookie(&http.Cookie{Name: ssoCookie, Path: "/login/sso", MaxAge: -1})
	if err != nil {
		return fail
	}
	parts := splitN(ck.Value, 4)
	if parts == nil || c.QueryParam("state") != parts[0] || c.QueryParam("code") == "" {
		return fail
	}
	oc, verify, err := s.oauth(ctx)
	if err != nil {
		return err
	}
	tok, err := oc.Exchange(ctx, c.QueryParam("code"), oauth2.VerifierOption(parts[2]))
	if err != nil {
		return fail
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return fail
	}
	idt, err := verify.Verify(ctx, raw)
	if err != nil || idt.Nonce != parts[1] {
		return fail
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return fail
	}
	u, err := crm.LoginSSO(ctx, s.client, crm.SSOLogin{Email: claims.Email, EmailVerified: claims.EmailVerified != nil && *claims.EmailVerified,
		Name: claims.Name, Create: s.cfg.CreateUsers, DefaultRole: s.cfg.DefaultRole})
	if err != nil {
		return err
	}
	if err := s.sessions.Start(c, u.ID); err != nil {
		return err
	}
	next, _ := base64.RawURLEncoding.DecodeString(parts[3])
	return redirect(c, localPath(string(next), routes.URL(routes.Dashboard)), "")
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// splitN splits s at dots into exactly n parts, or returns nil.
func splitN(s string, n int) []string {
	out := make([]string, 0, n)
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	out = append(out, s[start:])
	if len(out) != n {
		return nil
	}
	return out
}

// ssoRoute is h, or 404 when single sign-on is not configured.
func ssoRoute(s *SSO, h func(*SSO, echo.Context) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s == nil {
			return echo.ErrNotFound
		}
		return h(s, c)
	}
}
