package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLogin(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()

		p := b.get("/contacts?kind=blogger")
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != "/login?next=%2Fcontacts%3Fkind%3Dblogger" {
			t.Fatalf("anonymous page redirects to %q", loc)
		}

		b.get("/login")
		for name, form := range map[string]url.Values{
			"err_wrong_password": {"email": {"anna@example.com"}, "password": {"wrong password!!"}},
			"err_unknown_email":  {"email": {"nobody@example.com"}, "password": {testPassword}},
		} {
			p = b.post("/login", form)
			wantStatus(t, p, http.StatusUnauthorized)
			if got := p.text(`[data-testid="login-error"]`); got != "E-mail or password is wrong." {
				t.Errorf("%s: message %q", name, got)
			}
			p = b.postIn("/login", "de", form)
			wantStatus(t, p, http.StatusUnauthorized)
			if got := p.text(`[data-testid="login-error"]`); got != "E-Mail-Adresse oder Passwort ist falsch." {
				t.Errorf("%s in German: message %q", name, got)
			}
		}

		p = b.post("/login?next=/contacts", url.Values{"email": {"  Anna@Example.com "}, "password": {testPassword}})
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != "/contacts" {
			t.Errorf("after login to %q, want /contacts", loc)
		}
		var sessionCookie *http.Cookie
		for _, c := range p.header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "rapport_session=") {
				sessionCookie, _ = http.ParseSetCookie(c)
			}
		}
		if sessionCookie == nil || !sessionCookie.HttpOnly || sessionCookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie %+v, want HttpOnly SameSite=Lax", sessionCookie)
		}
		p = b.get("/")
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="current-user"]`); got != "Test staff" {
			t.Errorf("signed in as %q", got)
		}

		wantStatus(t, b.post("/logout", url.Values{}), http.StatusSeeOther)
		wantStatus(t, b.get("/"), http.StatusSeeOther)
		// The old cookie is dead server-side, not just forgotten by the browser.
		replay := a.browser()
		replay.http.Jar.SetCookies(mustURL(a.srv.URL), []*http.Cookie{{Name: "rapport_session", Value: sessionCookie.Value}})
		wantStatus(t, replay.get("/"), http.StatusSeeOther)
	})
}

func TestOpenRedirectRefused(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.get("/login")
		p := b.post("/login?next=//evil.example/x", url.Values{"email": {"anna@example.com"}, "password": {testPassword}})
		if loc := p.header.Get("Location"); loc != "/" {
			t.Errorf("redirect to %q, want /", loc)
		}
	})
}

func TestCSRFRequired(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		for name, tok := range map[string]string{"err_missing": "", "err_wrong": "not-the-token"} {
			p := b.post("/contacts", url.Values{"_csrf": {tok}, "last_name": {"Forged"}})
			wantStatus(t, p, http.StatusForbidden)
			if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 0 {
				t.Fatalf("%s: %d contacts created by a forged request", name, n)
			}
		}
	})
}

func TestHealthz(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		p := a.browser().get("/healthz")
		wantStatus(t, p, http.StatusOK)
		if p.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(p.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("security headers missing: %v", p.header)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestCSRFTokenBelongsToItsSession: a token works only with the session it was
// issued for (issue 20, item 10: it was a double-submit cookie that any page
// of the same browser profile shared), and a new sign-in issues a new one.
func TestCSRFTokenBelongsToItsSession(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		anna, ben := a.browser(), a.browser()
		anna.login("anna@example.com")
		ben.login("ben@example.com")
		anna.get("/contacts/new")
		ben.get("/contacts/new")
		if anna.csrf == "" || anna.csrf == ben.csrf {
			t.Fatalf("tokens %q and %q: want two different ones", anna.csrf, ben.csrf)
		}
		wantStatus(t, ben.post("/contacts", url.Values{"_csrf": {anna.csrf}, "last_name": {"Forged"}}), http.StatusForbidden)
		old := anna.csrf
		anna.post("/logout", url.Values{})
		anna.login("anna@example.com")
		anna.get("/contacts/new")
		if anna.csrf == old {
			t.Error("the token survived a new sign-in")
		}
		wantStatus(t, anna.post("/contacts", url.Values{"_csrf": {old}, "last_name": {"Stale"}}), http.StatusForbidden)
		wantStatus(t, anna.post("/contacts", url.Values{"last_name": {"Fresh"}}), http.StatusSeeOther)
		if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 1 {
			t.Errorf("%d contacts, want only the one with a good token", n)
		}
	})
}
