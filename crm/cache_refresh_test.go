package crm

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// stmtGate counts the team totals' statements a database is sent (the
// stage funnel of the charts, the dashboard's recent activity) and, while
// held, makes the funnel's wait: a refresh that runs then cannot finish.
type stmtGate struct {
	mu   sync.Mutex
	n    map[string]int
	held chan struct{}
}

// gated are the counted statements by a fragment of their text.
var gated = map[string]string{"charts": "GROUP BY c.owner_id, c.stage", "recent": "LIMIT 15"}

func (g *stmtGate) wrap(drv dialect.Driver) dialect.Driver {
	return dialect.DebugWithContext(drv, func(_ context.Context, a ...any) {
		s := fmtAny(a)
		var wait chan struct{}
		g.mu.Lock()
		for name, frag := range gated {
			if strings.Contains(s, frag) {
				g.n[name]++
				if name == "charts" {
					wait = g.held
				}
			}
		}
		g.mu.Unlock()
		if wait != nil {
			<-wait
		}
	})
}

func (g *stmtGate) counts() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return map[string]int{"charts": g.n["charts"], "recent": g.n["recent"]}
}

func (g *stmtGate) hold(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if on {
		g.held = make(chan struct{})
	} else if g.held != nil {
		close(g.held)
		g.held = nil
	}
}

// TestStartTotalsRefreshOnce: after a write that moves the team's totals,
// twenty start pages at once get the last totals without waiting for them
// (the refresh is held until they are all served) and exactly one
// background refresh reads them anew (each of its statements once); the
// person's own list is exact meanwhile; after the refresh (Wait) a page
// shows the write. The first page after start-up reads the totals itself.
func TestStartTotalsRefreshOnce(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			g := &stmtGate{n: map[string]int{}}
			d := dbtest.Open(t, dia, g.wrap)
			t.Cleanup(func() { g.hold(false) })
			ctx := context.Background()
			l := NewLookups(d.Client, time.Hour)
			w := NewContactWriter(d.Client, d.Dialect, nil, l)
			u, err := CreateUser(ctx, d.Client, UserInput{Email: "a@example.com", Name: "Anna", Role: RoleManager, Password: "correct horse battery staple"})
			if err != nil {
				t.Fatal(err)
			}
			create := func(name string) int {
				t.Helper()
				id, err := w.Create(ctx, ContactInput{FirstName: name, LastName: "Test", Stage: "aware", OwnerID: &u.ID})
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			start := func() *StartPage {
				p, err := LoadStart(ctx, d.Client, l, u.ID, true, time.Now())
				if err != nil {
					t.Error(err)
					return &StartPage{Stats: &DashboardStats{}, Work: &MyWork{}, Team: &StartCharts{}}
				}
				return p
			}
			aware := func(p *StartPage) int {
				if len(p.Team.Stages) != len(funnel) {
					return -1
				}
				return p.Team.Stages[funnelIndex["aware"]].Count
			}
			first := create("Anna")
			if p := start(); p.Stats.Contacts != 1 || aware(p) != 1 {
				t.Fatalf("first page (read at once): %d contacts, %d aware", p.Stats.Contacts, aware(p))
			}
			if c := g.counts(); c["charts"] != 1 || c["recent"] != 1 {
				t.Fatalf("first page: statements %v, want one of each", c)
			}

			g.hold(true)
			create("Bernd")
			d.Client.Task.Create().SetContactID(first).SetAssigneeID(u.ID).SetTitle("Anrufen").SetDueAt(time.Now()).SaveX(ctx)
			pages := make([]*StartPage, 20)
			var wg sync.WaitGroup
			for i := range pages {
				wg.Go(func() { pages[i] = start() })
			}
			served := make(chan struct{})
			go func() { wg.Wait(); close(served) }()
			select {
			case <-served:
			case <-time.After(time.Minute): // the refresh is held: a page waiting for it never ends
				t.Fatal("a start page waited for the held refresh")
			}
			for i, p := range pages {
				if p.Stats.Contacts != 1 || aware(p) != 1 || p.Work.DueCount != 1 {
					t.Errorf("page %d during the refresh: %d contacts, %d aware (want the last totals: 1, 1), %d due (want 1, exact)",
						i, p.Stats.Contacts, aware(p), p.Work.DueCount)
				}
			}
			g.hold(false)
			l.Wait()
			if c := g.counts(); c["charts"] != 2 || c["recent"] != 2 {
				t.Errorf("after 20 pages and the refresh: statements %v, want two of each (one refresh)", c)
			}
			if p := start(); p.Stats.Contacts != 2 || aware(p) != 2 {
				t.Errorf("after the refresh: %d contacts, %d aware, want 2, 2", p.Stats.Contacts, aware(p))
			}
			if c := g.counts(); c["charts"] != 2 || c["recent"] != 2 {
				t.Errorf("a page after the refresh read the totals again: %v", c)
			}
		})
	}
}
