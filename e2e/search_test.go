package e2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/search"
)

// startSearchApp is startApp with a search index that its indexer keeps current.
func startSearchApp(t *testing.T) *app {
	t.Helper()
	d := dbtest.Open(t, dialect.Postgres, nil)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := search.Open(t.Context(), search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, Poll: 50 * time.Millisecond, Log: logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { defer close(ran); _ = s.Run(ctx) }()
	cfg := handlers.DefaultConfig
	cfg.Search = s
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handlers.New(d, cfg, logger), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
		stop()
		<-ran
		s.Close()
	})
	return &app{db: d, url: "http://" + ln.Addr().String()}
}

// TestSearchJourney types "muenchen gesundheit" into the top bar, sees the
// people from München who cover health appear as they type, opens all
// results, and narrows them with a facet — in a real browser.
func TestSearchJourney(t *testing.T) {
	exe := browserPath(t)
	a := startSearchApp(t)
	a.user(t, email, userName, crm.RoleStaff, password)
	for _, in := range []crm.ContactInput{
		{Kind: "blogger", FirstName: "Lena", LastName: "Groß", City: "München", Region: "München", Title: "Bloggerin",
			Bio: "Gesundheitsbloggerin aus München.", Topics: []string{"Gesundheit"}},
		{Kind: "journalist", FirstName: "Jürgen", LastName: "Müller", City: "München", Region: "München", Title: "Redakteur",
			Bio: "Schreibt über Medizin und Pflege.", Topics: []string{"Gesundheit"}},
		{Kind: "journalist", FirstName: "Tom", LastName: "Weber", City: "München", Region: "München", Topics: []string{"Politik"}},
		{Kind: "journalist", FirstName: "Anna", LastName: "Albers", City: "Berlin", Region: "Berlin", Topics: []string{"Gesundheit"}},
	} {
		if _, err := crm.CreateContact(t.Context(), a.db.Client, in); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)

	// As you type: the panel under the top bar fills without a page load.
	b.do("type into the top bar", chromedp.SendKeys(chromedp.CSS(`[data-testid="topsearch"] input[name="q"]`), "muenchen gesundheit"))
	b.waitUntil("the panel shows two people", `document.querySelectorAll('#search-panel [data-testid="panel-hit"]').length === 2`)
	got := b.texts(`#search-panel [data-testid="panel-hit"] a`)
	slices.Sort(got)
	if want := []string{"Jürgen Müller", "Lena Groß"}; !slices.Equal(got, want) {
		t.Errorf("panel shows %v, want %v", got, want)
	}
	if b.url().Path != "/" {
		t.Errorf("typing left the page: %s", b.url())
	}
	b.screenshot("search-01-panel")

	// Enter submits the form: the full search page, bookmarkable.
	b.navigate("submit the search", chromedp.SendKeys(chromedp.CSS(`[data-testid="topsearch"] input[name="q"]`), "\r"))
	if u := b.url(); u.Path != "/search" || u.Query().Get("q") != "muenchen gesundheit" {
		t.Fatalf("search landed on %s", u)
	}
	wantText(t, "total", b.text(`[data-testid="search-total"]`), "2 contacts")
	if n := b.count(`[data-testid="snippet"] mark`); n == 0 {
		t.Errorf("no highlighted snippet")
	}
	b.screenshot("search-02-page")

	// A facet narrows the results, and the URL says so.
	b.navigate("click the Blogger facet", chromedp.Click(chromedp.CSS(`[data-facet="kind"] a[href*="kind=blogger"]`)))
	if u := b.url(); u.Query().Get("kind") != "blogger" || u.Query().Get("q") != "muenchen gesundheit" {
		t.Errorf("facet link led to %s", u)
	}
	wantText(t, "total after facet", b.text(`[data-testid="search-total"]`), "1 contact")
	wantText(t, "hit after facet", b.text(`[data-testid="search-hit"] .hit-name`), "Lena Groß")
	b.screenshot("search-03-facet")
}
