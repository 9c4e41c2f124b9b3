package crm

import (
	"context"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// stmtLog counts the statements (and BEGIN/COMMIT) a database is sent while on.
type stmtLog struct {
	mu    sync.Mutex
	on    bool
	stmts []string
}

func (l *stmtLog) wrap(drv dialect.Driver) dialect.Driver {
	return dialect.DebugWithContext(drv, func(_ context.Context, a ...any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.on {
			s := strings.Join(strings.Fields(strings.TrimSpace(strings.Trim(strings.TrimSpace(fmtAny(a)), "[]"))), " ")
			l.stmts = append(l.stmts, s)
		}
	})
}

func fmtAny(a []any) string {
	var b strings.Builder
	for _, x := range a {
		if s, ok := x.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// count runs f and returns the statements it sent.
func (l *stmtLog) count(f func()) []string {
	l.mu.Lock()
	l.on, l.stmts = true, nil
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.stmts
}

func countContact() ContactInput {
	return ContactInput{FirstName: "Heike", LastName: "Brandt", Stage: "engaged", Emails: []EmailInput{{Address: "heike@example.com"}},
		Channels: []ChannelInput{{Platform: "x", Handle: "heike", Followers: 10}}, Outlets: []OutletRole{{Outlet: "SZ", Role: "Redakteurin"}},
		Topics: []string{"IT"}, Tags: []string{"Presse"}}
}

// TestContactWriteStatements pins what an edit costs: a name-only edit at
// most 8 statements (46 before the one writer), a relation edit at most 12,
// an unchanged save nothing beyond the read. BEGIN and COMMIT count.
func TestContactWriteStatements(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var log stmtLog
			d := dbtest.Open(t, dia, log.wrap)
			ctx := context.Background()
			lk := NewLookups(d.Client, 0)
			w := NewContactWriter(d.Client, d.Dialect, nil, lk)
			if _, err := lk.Stages(ctx); err != nil {
				t.Fatal(err)
			}
			var id int
			var err error
			create := log.count(func() { id, err = w.Create(ctx, countContact()) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("create: %d statements", len(create))
			version := 1
			edit := func(name string, max int, change func(*ContactInput)) {
				t.Helper()
				in := countContact()
				change(&in)
				in.Version = version
				var changed bool
				stmts := log.count(func() { changed, err = w.Update(ctx, id, in) })
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if changed {
					version++
				}
				t.Logf("%s: %d statements", name, len(stmts))
				if len(stmts) > max {
					t.Errorf("%s: %d statements, want at most %d:\n%s", name, len(stmts), max, strings.Join(stmts, "\n"))
				}
			}
			edit("name only", 8, func(in *ContactInput) { in.FirstName = "Heidi" })
			edit("add a tag", 12, func(in *ContactInput) { in.FirstName = "Heidi"; in.Tags = append(in.Tags, "Neu") })
			edit("followers", 12, func(in *ContactInput) {
				in.FirstName, in.Tags, in.Channels[0].Followers = "Heidi", append(in.Tags, "Neu"), 20
			})
			edit("unchanged", 4, func(in *ContactInput) {
				in.FirstName, in.Tags, in.Channels[0].Followers = "Heidi", append(in.Tags, "Neu"), 20
			})
		})
	}
}
