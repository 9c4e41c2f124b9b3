package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
)

// at43 is a search service whose background build reads 43 % while it runs.
type at43 struct{ *search.Service }

func (s at43) Building() (int, bool) {
	if _, ok := s.Service.Building(); ok {
		return 43, true
	}
	return 0, false
}

// TestServesWhileTheIndexIsBuilt (issue 19, item 5): a server that finds no
// index opens at once and serves while Run builds it: the search page says
// "index is being built (43 %)" (in German too) and links the contact list,
// which finds names in SQL meanwhile; when the build is done the search
// finds the contact and the note is gone.
func TestServesWhileTheIndexIsBuilt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, name := range []string{"Weber", "Wagner", "Becker"} {
			if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Jana", LastName: name}); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		s, err := search.Open(ctx, search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, BuildInBackground: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if pct, ok := s.Building(); !ok || pct != 0 {
			t.Fatalf("after Open: building %v at %d %%, want a build not yet begun", ok, pct)
		}
		t.Logf("Open returned in %s", time.Since(start))
		cfg := handlers.DefaultConfig
		cfg.Search = at43{s}
		a := newAppWith(t, d, cfg)
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")

		p := b.get("/search?q=Weber")
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="search-building"]`); !strings.Contains(got, "index is being built (43 %)") {
			t.Errorf("search page says %q", got)
		}
		if p.doc.Find(`[data-testid="search-empty"]`).Length() != 0 {
			t.Error("the search page says nobody matches while the index is built")
		}
		href, _ := p.doc.Find(`[data-testid="search-building-list"]`).Attr("href")
		if href != "/contacts?q=Weber" {
			t.Errorf("link to the list %q", href)
		}
		p = b.get(href)
		wantStatus(t, p, http.StatusOK)
		if got := p.text("table"); !strings.Contains(got, "Weber") || strings.Contains(got, "Wagner") {
			t.Errorf("contact list of Weber while building: %q", got)
		}
		wantStatus(t, b.get("/contacts"), http.StatusOK)

		// German.
		u := d.Client.User.Query().OnlyX(ctx)
		if err := crm.SetLocale(ctx, d.Client, u.ID, locale.German); err != nil {
			t.Fatal(err)
		}
		p = b.get("/search?q=Weber")
		if got := p.text(`[data-testid="search-building"]`); !strings.Contains(got, "Index wird aufgebaut (43 %)") {
			t.Errorf("German search page says %q", got)
		}
		if err := crm.SetLocale(ctx, d.Client, u.ID, locale.English); err != nil {
			t.Fatal(err)
		}

		// Run builds it and switches to it.
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = s.Run(runCtx) }()
		t.Cleanup(func() { stop(); <-done })
		deadline := time.Now().Add(30 * time.Second)
		for _, building := s.Building(); building; _, building = s.Building() {
			if time.Now().After(deadline) {
				t.Fatal("the index was not built within 30 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		p = b.get("/search?q=Weber")
		if p.doc.Find(`[data-testid="search-building"]`).Length() != 0 {
			t.Error("the note stays after the build")
		}
		if got := p.text(`[data-testid="search-total"]`); got != "1 contact" {
			t.Errorf("after the build: %q", got)
		}
		if !strings.Contains(p.text("main"), "Jana Weber") {
			t.Error("Weber not among the hits after the build")
		}
	})
}
