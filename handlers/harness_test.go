package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// app is a real Rapport server over httptest on a real database.
type app struct {
	t    *testing.T
	db   *db.DB
	srv  *httptest.Server
	echo *echo.Echo
}

const testPassword = "correct horse battery staple"

// newApp starts the real router on d.
func newApp(t *testing.T, d *db.DB) *app {
	return newAppWith(t, d, handlers.DefaultConfig)
}

// newAppWith starts the real router with cfg (e.g. a fake clock).
func newAppWith(t *testing.T, d *db.DB, cfg handlers.Config) *app {
	return newAppLogging(t, d, cfg, io.Discard)
}

// newAppLogging starts the real router, logging to w.
func newAppLogging(t *testing.T, d *db.DB, cfg handlers.Config, w io.Writer) *app {
	t.Helper()
	log := slog.New(slog.NewTextHandler(w, nil))
	if cfg.Search == nil {
		cfg.Search = testSearch(t, d)
	}
	e := handlers.New(d, cfg, log)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, db: d, srv: srv, echo: e}
}

// clock is a fake clock for session and throttle tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// eachApp runs f on a fresh app for each database dialect.
func eachApp(t *testing.T, f func(t *testing.T, a *app)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { f(t, newApp(t, d)) })
}

// user creates a user with testPassword.
func (a *app) user(email, role string) {
	a.t.Helper()
	if _, err := crm.CreateUser(context.Background(), a.db.Client, crm.UserInput{Email: email, Name: "Test " + role, Role: role, Password: testPassword}); err != nil {
		a.t.Fatal(err)
	}
}

// browser is an HTTP client that behaves like a browser with cookies: it does
// not follow redirects (tests look at them) and it keeps the CSRF token of the
// last page it saw, as a form would.
type browser struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (a *app) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, base: a.srv.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response with its parsed document.
type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (p page) text(sel string) string { return strings.TrimSpace(p.doc.Find(sel).Text()) }

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if tok, ok := doc.Find(`input[name="_csrf"]`).Attr("value"); ok {
		b.csrf = tok
	}
	return page{status: res.StatusCode, header: res.Header, body: string(body), doc: doc}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// post sends a form with the current CSRF token (unless the form sets _csrf).
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login signs in through the login form and fails the test if it does not work.
func (b *browser) login(email string) {
	b.t.Helper()
	b.get("/login")
	p := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("login as %s: status %d, want 303", email, p.status)
	}
	b.get(p.header.Get("Location")) // as a browser does: the page after sign-in carries the session's token
}

func wantStatus(t *testing.T, p page, want int) {
	t.Helper()
	if p.status != want {
		t.Fatalf("status %d, want %d; body:\n%.2000s", p.status, want, p.body)
	}
}

// idFrom returns the id at the end of a /contacts/N redirect.
func idFrom(t *testing.T, p page) string {
	t.Helper()
	loc := p.header.Get("Location")
	if !strings.HasPrefix(loc, "/contacts/") {
		t.Fatalf("redirect to %q, want /contacts/N", loc)
	}
	return strings.TrimPrefix(loc, "/contacts/")
}
