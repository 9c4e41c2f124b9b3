package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// statementLog records the statements sent to the database.
type statementLog struct {
	mu   sync.Mutex
	stmt []string
}

func (l *statementLog) add(_ context.Context, v ...any) {
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
