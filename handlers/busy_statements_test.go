package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// isSessionLookup tells the session's look-up (the middleware's one prepared
// statement on every signed-in request) from a page's own statements: the
// statement budgets of issues 12 and 20 count what a page asks, not the
// sign-in every page shares, which TestSessionLookupIsOneStatement pins.
func isSessionLookup(v ...any) bool {
	return strings.Contains(fmt.Sprint(v...), "FROM sessions s JOIN users u")
}

// statementLog records the statements sent to the database.
type statementLog struct {
	mu   sync.Mutex
	stmt []string
}

func (l *statementLog) add(_ context.Context, v ...any) {
	if isSessionLookup(v...) {
		return
	}
	l.mu.Lock()
	l.stmt = append(l.stmt, fmt.Sprint(v...))
	l.mu.Unlock()
}

func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.stmt
	l.stmt = nil
	return out
}

// TestBusyTeamStatements pins the statements of each request of the busy
// team's mix (issue 20; the session's look-up, a prepared statement on the
// pool, aside): the list after a write reads only its page again, not the
// filter choices and stages (6 before); the edit form takes users and
// outlets from the cache (9 before); logging an interaction reads no stages
// and runs no outbox look-up (15 before on PostgreSQL). go test -v lists them.
func TestBusyTeamStatements(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var log statementLog
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver { return dialect.DebugWithContext(drv, log.add) })
			a := newApp(t, d)
			a.user("anna@example.com", "staff")
			b := a.browser()
			b.login("anna@example.com")
			b.get("/contacts/new")
			id := idFrom(t, b.post("/contacts", contactForm()))
			b.get("/contacts?sort=name&region=M%C3%BCnchen")
			b.get("/contacts/" + id + "/edit")
			// A default view with a names column, opened once; the search's columns too.
			b.post("/views", url.Values{"name": {"Mein München"}, "query": {"region=M%C3%BCnchen&cols=name&cols=tags"}})
			b.post(fmt.Sprintf("/views/%d/default", a.db.Client.SavedView.Query().OnlyIDX(t.Context())), url.Values{})
			b.get("/contacts")
			b.get("/search?q=m%C3%BCller&cols=name&cols=tags&cols=stage")
			log.take()
			title := "Busy " + time.Now().Format("150405")
			kinds := []struct {
				kind string
				max  int
				do   func() page
				want func(p page) string // what the page must show, "" when fine
			}{
				{"contact", 5, func() page { return b.get("/contacts/" + id) }, nil},
				{"edit-form", 7, func() page { return b.get("/contacts/" + id + "/edit") }, nil},
				{"edit-save", 8, func() page {
					f := formValues(b.get("/contacts/" + id + "/edit"))
					log.take()
					f.Set("title", title)
					return b.post("/contacts/"+id, f)
				}, nil},
				{"list-after-edit", 1, func() page { return b.get("/contacts?sort=name&region=M%C3%BCnchen") }, func(p page) string {
					if got := p.text(`[data-testid="contact-row"] td:first-child div.muted`); got != title {
						return fmt.Sprintf("title %q, want %q", got, title)
					}
					return ""
				}},
				{"log", 13, func() page {
					return b.post("/contacts/"+id+"/interactions", url.Values{"type": {"call"}, "direction": {"outbound"},
						"subject": {"busy"}, "occurred_at": {time.Now().Format("2006-01-02T15:04")}})
				}, nil},
				{"list-after-log", 1, func() page { return b.get("/contacts?sort=name&region=M%C3%BCnchen") }, func(p page) string {
					if got := p.text(`[data-testid="contact-row"] td:nth-child(7)`); got != "today" {
						return fmt.Sprintf("last interaction %q after logging one", got)
					}
					return ""
				}},
				{"search", 1, func() page { return b.get("/search?q=m%C3%BCller") }, nil},
				{"list-default-view", 1, func() page { return b.get("/contacts") }, func(p page) string {
					if p.doc.Find(`[data-testid="default-note"]`).Length() == 0 || p.doc.Find(`[data-testid="col-tags"]`).Length() == 0 {
						return "the default view is not shown"
					}
					return ""
				}},
				{"search-columns", 1, func() page { return b.get("/search?q=m%C3%BCller&cols=name&cols=tags&cols=stage") }, nil},
			}
			for _, k := range kinds {
				p := k.do()
				if p.status != http.StatusOK && p.status != http.StatusSeeOther {
					t.Fatalf("%s: status %d", k.kind, p.status)
				}
				st := log.take()
				t.Logf("%s: %d statements", k.kind, len(st))
				for _, s := range st {
					t.Logf("    %.160s", strings.ReplaceAll(s, "\n", " "))
				}
				if n := len(st) - 2*strings.Count(strings.Join(st, "\n"), "): started"); n > k.max { // BEGIN and COMMIT aside
					t.Errorf("%s: %d statements, want at most %d", k.kind, n, k.max)
				}
				if k.want != nil {
					if msg := k.want(p); msg != "" {
						t.Errorf("%s: %s", k.kind, msg)
					}
				}
			}
		})
	}
}

// TestSessionLookupIsOneStatement: a signed-in request whose sign-in is not
// cached (past the cache's two seconds) finds its session and user with one
// statement, the pool's prepared one, which the statement observers see
// like any other (it once ran on a statement of its own beside the pool's,
// invisible to them). TestCachedPageAsksNothing covers the cached case.
func TestSessionLookupIsOneStatement(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var mu sync.Mutex
			lookups := 0
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver {
				return dialect.DebugWithContext(drv, func(_ context.Context, v ...any) {
					if isSessionLookup(v...) {
						mu.Lock()
						lookups++
						mu.Unlock()
					}
				})
			})
			clk := &clock{now: time.Now()}
			cfg := handlers.DefaultConfig
			cfg.Now = clk.Now
			a := newAppWith(t, d, cfg)
			a.user("anna@example.com", "staff")
			b := a.browser()
			b.login("anna@example.com")
			for range 3 {
				clk.advance(3 * time.Second)
				mu.Lock()
				lookups = 0
				mu.Unlock()
				p := b.get("/contacts")
				wantStatus(t, p, http.StatusOK)
				mu.Lock()
				got := lookups
				mu.Unlock()
				if got != 1 {
					t.Fatalf("a signed-in page looked its session up %d times, want 1", got)
				}
			}
		})
	}
}

// TestSessionTouchedOnceByConcurrentRequests: when a session's last-seen
// time is due for its once-a-minute write, the requests arriving together
// write it once, not once each. Each write is a commit with its own flush;
// with one session shared by a burst of requests they queued on the row's
// lock, which showed as a p99 stall of the list page every minute under load.
func TestSessionTouchedOnceByConcurrentRequests(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var touches atomic.Int64
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver {
				return dialect.DebugWithContext(drv, func(_ context.Context, v ...any) {
					if s := fmt.Sprint(v...); strings.Contains(s, "UPDATE") && strings.Contains(s, "sessions") && strings.Contains(s, "last_seen_at") {
						touches.Add(1)
					}
				})
			})
			clk := &clock{now: time.Now()}
			cfg := handlers.DefaultConfig
			cfg.Now = clk.Now
			a := newAppWith(t, d, cfg)
			a.user("anna@example.com", "staff")
			b := a.browser()
			b.login("anna@example.com")
			for round := range 3 {
				clk.advance(2 * time.Minute)
				touches.Store(0)
				var wg sync.WaitGroup
				codes := make([]int, 24)
				for i := range codes {
					wg.Go(func() {
						req, _ := http.NewRequest(http.MethodGet, b.base+"/contacts", nil)
						if res, err := b.http.Do(req); err == nil {
							codes[i] = res.StatusCode
							res.Body.Close()
						}
					})
				}
				wg.Wait()
				for i, c := range codes {
					if c != http.StatusOK {
						t.Fatalf("round %d, request %d: status %d", round, i, c)
					}
				}
				if got := touches.Load(); got != 1 {
					t.Errorf("round %d: 24 requests together wrote the session's last-seen time %d times, want 1", round, got)
				}
			}
		})
	}
}
