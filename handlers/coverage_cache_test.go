package handlers_test

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// TestCoveragePageServedStale: the coverage matrix is the team's and cached
// (issue 18). The first page reads it; after a write that moves a cell the
// next pages, twenty at once, answer with the last matrix while the refresh
// is held, and exactly one refresh reads it anew; once it ended
// (Lookups.Wait) the page shows the new count without another read.
func TestCoveragePageServedStale(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var reads atomic.Int64
			var mu sync.Mutex
			var held chan struct{}
			d := dbtest.Open(t, dia, dbtest.Observe(func(q string, _ []any) func() {
				if strings.Contains(q, "GROUP BY c.region, t.name") {
					reads.Add(1)
					mu.Lock()
					wait := held
					mu.Unlock()
					if wait != nil {
						<-wait
					}
				}
				return nil
			}))
			hold := func(on bool) {
				mu.Lock()
				defer mu.Unlock()
				if on {
					held = make(chan struct{})
				} else if held != nil {
					close(held)
					held = nil
				}
			}
			t.Cleanup(func() { hold(false) })
			cfg := handlers.DefaultConfig
			cfg.LookupTTL = time.Hour // only the write makes it stale
			a := newAppWith(t, d, cfg)
			a.user("s@example.com", "staff")
			b := a.browser()
			b.login("s@example.com")
			ctx := t.Context()
			engaged := func(name string) {
				t.Helper()
				if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: name, LastName: "Test", Region: "Hamburg",
					Stage: "engaged", Topics: []string{"IT"}}); err != nil {
					t.Fatal(err)
				}
			}
			active := func(body string) string {
				doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
				return doc.Find(`[data-testid="coverage-cell"][data-region="Hamburg"][data-topic="IT"]`).AttrOr("data-active", "none")
			}
			engaged("Anna")
			if got := active(b.get("/coverage").body); got != "1" || reads.Load() != 1 {
				t.Fatalf("first page: Hamburg × IT %s active after %d reads, want 1 after 1", got, reads.Load())
			}

			hold(true)
			engaged("Bernd")
			bodies := make([]string, 20)
			var wg sync.WaitGroup
			for i := range bodies {
				wg.Go(func() {
					res, err := b.http.Get(b.base + "/coverage")
					if err != nil {
						bodies[i] = err.Error()
						return
					}
					defer res.Body.Close()
					body, _ := io.ReadAll(res.Body)
					bodies[i] = string(body)
				})
			}
			served := make(chan struct{})
			go func() { wg.Wait(); close(served) }()
			select {
			case <-served:
			case <-time.After(time.Minute): // the refresh is held: a page waiting for it never ends
				t.Fatal("a coverage page waited for the held refresh")
			}
			for i, body := range bodies {
				if got := active(body); got != "1" {
					t.Errorf("page %d during the refresh: Hamburg × IT %s active, want the last matrix's 1", i, got)
				}
			}
			hold(false)
			crm.LookupsOf(d.Client).Wait()
			if n := reads.Load(); n != 2 {
				t.Errorf("after 20 pages and the refresh: %d reads of the matrix, want 2 (one refresh)", n)
			}
			if got := active(b.get("/coverage").body); got != "2" {
				t.Errorf("after the refresh: Hamburg × IT %s active, want 2", got)
			}
			if n := reads.Load(); n != 2 {
				t.Errorf("the page after the refresh read the matrix again: %d reads", n)
			}
		})
	}
}
