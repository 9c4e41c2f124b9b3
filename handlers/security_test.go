package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers"
)

func TestSessionLifetimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := &clock{now: time.Now()}
		cfg := handlers.DefaultConfig
		cfg.Now = clk.Now
		a := newAppWith(t, d, cfg)
		a.user("anna@example.com", "staff")

		idle := a.browser()
		idle.login("anna@example.com")
		clk.advance(29 * time.Minute)
		wantStatus(t, idle.get("/"), http.StatusOK) // activity renews the idle timer
		clk.advance(29 * time.Minute)
		wantStatus(t, idle.get("/"), http.StatusOK)
		clk.advance(31 * time.Minute)
		wantStatus(t, idle.get("/"), http.StatusSeeOther) // 31 idle minutes: gone

		busy := a.browser()
		busy.login("anna@example.com")
		for range 12*60/20 - 1 { // up to 11h40m
			clk.advance(20 * time.Minute)
			if p := busy.get("/"); p.status != http.StatusOK {
				t.Fatalf("active session ended early at %v", clk.Now())
			}
		}
		clk.advance(20 * time.Minute)
		wantStatus(t, busy.get("/"), http.StatusSeeOther) // past 12 hours, however active
	})
}

func TestDeactivationEndsSessionsAtOnce(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		a.user("anna@example.com", "staff")
		anna := a.browser()
		anna.login("anna@example.com")
		wantStatus(t, anna.get("/"), http.StatusOK)

		admin := a.browser()
		admin.login("admin@example.com")
		id := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyIDX(t.Context())
		admin.get(fmt.Sprintf("/users/%d/edit", id))
		p := admin.post(fmt.Sprintf("/users/%d", id), url.Values{"name": {"Anna"}, "role": {"manager"}})
		wantStatus(t, p, http.StatusSeeOther)
		wantStatus(t, anna.get("/"), http.StatusSeeOther)
		anna.get("/login")
		if p := anna.post("/login", url.Values{"email": {"anna@example.com"}, "password": {testPassword}}); p.status != http.StatusUnauthorized {
			t.Errorf("deactivated user signs in: %d", p.status)
		}
		p = admin.get("/audit?entity=user&action=role_change")
		// The roles in the reader's words (audit messages by key).
		if got := p.text(`[data-testid="audit-row"]`); !strings.Contains(got, "Staff → Manager") {
			t.Errorf("role change not audited: %q", got)
		}
		if admin.get("/audit?action=deactivate").doc.Find(`[data-testid="audit-row"]`).Length() != 1 {
			t.Error("deactivation not audited")
		}
		// Admins cannot lock themselves out.
		self := a.db.Client.User.Query().Where(user.Email("admin@example.com")).OnlyIDX(t.Context())
		admin.get(fmt.Sprintf("/users/%d/edit", self))
		p = admin.post(fmt.Sprintf("/users/%d", self), url.Values{"name": {"Admin"}, "role": {"staff"}, "active": {"1"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
	})
}

func TestLoginThrottle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := &clock{now: time.Now()}
		cfg := handlers.DefaultConfig
		cfg.Now = clk.Now
		a := newAppWith(t, d, cfg)
		a.user("anna@example.com", "staff")
		attacker := a.browser()
		attacker.get("/login")
		for i := range 10 {
			p := attacker.post("/login", url.Values{"email": {"anna@example.com"}, "password": {fmt.Sprintf("guess %d", i)}})
			wantStatus(t, p, http.StatusUnauthorized)
		}
		p := attacker.post("/login", url.Values{"email": {"anna@example.com"}, "password": {testPassword}})
		wantStatus(t, p, http.StatusTooManyRequests)
		secs, err := strconv.Atoi(p.header.Get("Retry-After"))
		if err != nil || secs < 60 || secs > 901 {
			t.Errorf("Retry-After %q", p.header.Get("Retry-After"))
		}
		if got, want := p.text(`[data-testid="login-error"]`), "Too many failed sign-ins. Try again in 15 minutes, or ask an admin to reset your password."; got != want {
			t.Errorf("the 429 page says %q, want %q", got, want)
		}
		p = attacker.postIn("/login", "de", url.Values{"email": {"anna@example.com"}, "password": {testPassword}})
		wantStatus(t, p, http.StatusTooManyRequests)
		if got, want := p.text(`[data-testid="login-error"]`), "Zu viele fehlgeschlagene Anmeldungen. Versuchen Sie es in 15 Minuten erneut, oder bitten Sie einen Admin, Ihr Passwort zurückzusetzen."; got != want {
			t.Errorf("the German 429 page says %q, want %q", got, want)
		}
		// The same account from another address still gets in. (httptest
		// clients all come from 127.0.0.1, so the test moves the failures.)
		if _, err := d.SQL.Exec("UPDATE login_throttles SET key = replace(key, '127.0.0.1', '192.0.2.1')"); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, attacker.post("/login", url.Values{"email": {"anna@example.com"}, "password": {testPassword}}), http.StatusSeeOther)
		if _, err := d.SQL.Exec("DELETE FROM login_throttles WHERE key LIKE '%127.0.0.1'"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL.Exec("UPDATE login_throttles SET key = replace(key, '192.0.2.1', '127.0.0.1')"); err != nil {
			t.Fatal(err)
		}
		other := a.browser()
		other.get("/login")
		wantStatus(t, other.post("/login", url.Values{"email": {"anna@example.com"}, "password": {testPassword}}), http.StatusTooManyRequests)
		clk.advance(16 * time.Minute)
		wantStatus(t, other.post("/login", url.Values{"email": {"anna@example.com"}, "password": {testPassword}}), http.StatusSeeOther)
		if n := d.Client.AuditEvent.Query().CountX(t.Context()); n < 12 {
			t.Errorf("%d audit events; every failure must be audited", n)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		phone, laptop := a.browser(), a.browser()
		phone.login("anna@example.com")
		laptop.login("anna@example.com")
		laptop.get("/account")
		p := laptop.post("/account/password", url.Values{"current": {"wrong"}, "new": {"short"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-current"]`) == "" || p.text(`[data-testid="error-new"]`) == "" {
			t.Error("password errors not shown")
		}
		newPw := "Ünïcödé-Paßwort-mit-64-Zeichen-🎉-ÄÖÜäöüß-0123456789-abcdefghijk"
		wantStatus(t, laptop.post("/account/password", url.Values{"current": {testPassword}, "new": {newPw}}), http.StatusSeeOther)
		wantStatus(t, laptop.get("/"), http.StatusOK)
		wantStatus(t, phone.get("/"), http.StatusSeeOther)
		phone.get("/login")
		wantStatus(t, phone.post("/login", url.Values{"email": {"anna@example.com"}, "password": {newPw}}), http.StatusSeeOther)
	})
}

// TestPasswordChangeRotatesSession: the session in use gets a new id as at
// a sign-in, so that a copy of its cookie (the one an attacker holds) stops
// working; the page says that API tokens stay valid and links to them.
func TestPasswordChangeRotatesSession(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		p := b.get("/account")
		if href, _ := p.doc.Find(`[data-testid="password-note"] a`).Attr("href"); !strings.Contains(p.text(`[data-testid="password-note"]`), "API tokens stay valid") ||
			href != "#api-tokens" || p.doc.Find(`#api-tokens`).Length() != 1 {
			t.Errorf("password note %q, link %q: want that API tokens stay valid and a link to them", p.text(`[data-testid="password-note"]`), href)
		}
		stolen := a.browser()
		u, _ := url.Parse(a.srv.URL)
		stolen.http.Jar.SetCookies(u, b.http.Jar.Cookies(u))
		wantStatus(t, stolen.get("/account"), http.StatusOK)
		wantStatus(t, b.post("/account/password", url.Values{"current": {testPassword}, "new": {"a new password of some length"}}), http.StatusSeeOther)
		wantStatus(t, b.get("/account"), http.StatusOK)
		wantStatus(t, stolen.get("/account"), http.StatusSeeOther)
	})
}

func TestAuditTrail(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("max@example.com", "manager")
		b := a.browser()
		b.login("max@example.com")
		b.get("/contacts/new")
		id := idFrom(t, b.post("/contacts", contactForm()))
		f := formValues(b.get("/contacts/" + id + "/edit"))
		f.Set("title", "Chefredakteur")
		wantStatus(t, b.post("/contacts/"+id, f), http.StatusSeeOther)
		b.get("/contacts/" + id)
		b.post("/contacts/"+id+"/interactions", url.Values{"type": {"call"}, "occurred_at": {"2026-11-01T10:00"}, "subject": {"Anruf"}})

		p := b.get("/contacts/" + id + "/history")
		wantStatus(t, p, http.StatusOK)
		rows := p.doc.Find(`[data-testid="audit-row"]`)
		if rows.Length() != 3 {
			t.Fatalf("history has %d events, want create, update, interaction: %s", rows.Length(), p.text("main"))
		}
		if got := rows.Eq(1).Text(); !strings.Contains(got, "Ressortleiter Wirtschaft") || !strings.Contains(got, "Chefredakteur") || !strings.Contains(got, "Test manager") {
			t.Errorf("update event lacks who and old → new: %q", got)
		}
		if got := p.text("main"); strings.Contains(got, "password") || strings.Contains(got, "token") {
			t.Errorf("history shows secrets: %q", got)
		}
		p = b.get("/audit?action=login")
		if p.doc.Find(`[data-testid="audit-row"]`).Length() != 1 {
			t.Errorf("login not audited: %s", p.text("main"))
		}
		p = b.get("/audit?from=2000-01-01&to=2000-01-02")
		if p.doc.Find(`[data-testid="audit-empty"]`).Length() != 1 {
			t.Error("date filter ignored")
		}
		if req := b.get("/audit?entity=contact").doc.Find(`[data-testid="audit-row"]`).Length(); req != 2 {
			t.Errorf("entity filter: %d rows, want 2", req)
		}
	})
}

// TestLogsHoldNoSecrets: sign-ins, failures, edits and errors leave no
// password, session token or e-mail address in the log, but do log the
// request id.
func TestLogsHoldNoSecrets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var buf syncBuffer
		a := newAppLogging(t, d, handlers.DefaultConfig, &buf)
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.get("/login")
		b.post("/login", url.Values{"email": {"anna@example.com"}, "password": {"wrong-secret-pw"}})
		b.login("anna@example.com")
		b.get("/contacts/new")
		b.post("/contacts", contactForm())
		b.get("/contacts?q=j.mueller@example.de")
		var session string
		for _, c := range b.http.Jar.Cookies(mustURL(a.srv.URL)) {
			if c.Name == "rapport_session" {
				session = c.Value
			}
		}
		log := buf.String()
		for _, secret := range []string{testPassword, "wrong-secret-pw", session, "anna@example.com", "example.de"} {
			if secret != "" && strings.Contains(log, secret) {
				t.Errorf("log contains %q", secret)
			}
		}
		if !strings.Contains(log, "request_id=") {
			t.Error("log lines lack request ids")
		}
	})
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
