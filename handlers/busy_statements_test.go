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

// TestBusyTeamStatements counts the statements of each request of the busy
// team's mix (issue 20): list, contact page, search, edit form + save, log.
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
			b.get("/contacts")
			b.get("/contacts/" + id)
			log.take()
			kinds := []struct {
				kind string
				do   func() page
			}{
				{"list", func() page { return b.get("/contacts?sort=name&region=M%C3%BCnchen") }},
				{"contact", func() page { return b.get("/contacts/" + id) }},
				{"search", func() page { return b.get("/search?q=m%C3%BCller") }},
				{"edit-form", func() page { return b.get("/contacts/" + id + "/edit") }},
				{"edit-save", func() page {
					f := formValues(b.get("/contacts/" + id + "/edit"))
					log.take()
					f.Set("title", "Busy "+time.Now().Format("150405.000"))
					return b.post("/contacts/"+id, f)
				}},
				{"log", func() page {
					return b.post("/contacts/"+id+"/interactions", url.Values{"type": {"call"}, "direction": {"outbound"},
						"subject": {"busy"}, "occurred_at": {time.Now().Format("2006-01-02T15:04")}})
				}},
				{"list-after-write", func() page { return b.get("/contacts?sort=name&region=M%C3%BCnchen") }},
			}
			for _, k := range kinds {
				p := k.do()
				if p.status != http.StatusOK && p.status != http.StatusSeeOther {
					t.Fatalf("%s: status %d", k.kind, p.status)
				}
				st := log.take()
				t.Logf("%s: %d statements", k.kind, len(st))
				for _, s := range st {
					t.Logf("    %.300s", strings.ReplaceAll(s, "\n", " "))
				}
			}
		})
	}
}
