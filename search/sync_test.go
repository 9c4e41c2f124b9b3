package search_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/topic"
	"github.com/rapport-crm/rapport/search"
)

// openService opens a search service on d in a fresh directory.
func openService(t *testing.T, d *db.DB) *search.Service {
	t.Helper()
	s, err := search.Open(context.Background(), search.Options{Dir: t.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// find returns the ids that q finds, sorted.
func find(t *testing.T, s *search.Service, q string) []int {
	t.Helper()
	res, err := s.Search(context.Background(), search.Request{Q: q, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// wantInSync syncs and fails unless the index equals the database.
func wantInSync(t *testing.T, s *search.Service) {
	t.Helper()
	if err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	diff, err := s.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !diff.Empty() {
		t.Errorf("index differs from the database: %s", diff)
	}
}

// TestEveryWritePathReachesTheIndex: each way a contact's document can change
// is searchable after a sync, and the index then equals the database.
func TestEveryWritePathReachesTheIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, c := context.Background(), d.Client
		s := openService(t, d)
		u, err := crm.CreateUser(ctx, c, crm.UserInput{Email: "a@example.com", Name: "A", Role: crm.RoleStaff, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		var anna, ben int
		steps := []struct {
			name  string
			write func(t *testing.T)
			q     string
			want  func() []int
		}{
			{"create", func(t *testing.T) {
				ct, err := crm.CreateContact(ctx, c, crm.ContactInput{FirstName: "Anna", LastName: "Albers", Topics: []string{"IT"},
					Outlets: []crm.OutletRole{{Outlet: "Heimatblatt"}}, Emails: []crm.EmailInput{{Address: "anna@albers.de"}}})
				if err != nil {
					t.Fatal(err)
				}
				anna = ct.ID
				ct, err = crm.CreateContact(ctx, c, crm.ContactInput{FirstName: "Ben", LastName: "Berger", Outlets: []crm.OutletRole{{Outlet: "Heimatblatt"}}})
				if err != nil {
					t.Fatal(err)
				}
				ben = ct.ID
			}, "albers", func() []int { return []int{anna} }},
			{"edit", func(t *testing.T) {
				in := crm.ContactInput{FirstName: "Anna", LastName: "Albers", Bio: "Schreibt über Wärmepumpen.", Version: 1,
					Topics: []string{"IT"}, Outlets: []crm.OutletRole{{Outlet: "Heimatblatt"}}}
				if _, err := crm.UpdateContact(ctx, c, anna, in); err != nil {
					t.Fatal(err)
				}
			}, "wärmepumpen", func() []int { return []int{anna} }},
			{"interaction", func(t *testing.T) {
				_, err := crm.LogInteraction(ctx, c, u.ID, crm.InteractionInput{ContactIDs: []int{anna, ben}, Type: "call",
					OccurredAt: time.Now().Add(-time.Hour), Subject: "Telefonat", Body: "Interesse am Zeppelin-Projekt"})
				if err != nil {
					t.Fatal(err)
				}
			}, "zeppelin", func() []int { return []int{anna, ben} }},
			{"tags_and_topics", func(t *testing.T) {
				in := crm.ContactInput{FirstName: "Ben", LastName: "Berger", Version: 1, Tags: []string{"Messe 2026"},
					Topics: []string{"Raumfahrt"}, Outlets: []crm.OutletRole{{Outlet: "Heimatblatt"}}}
				if _, err := crm.UpdateContact(ctx, c, ben, in); err != nil {
					t.Fatal(err)
				}
			}, "raumfahrt", func() []int { return []int{ben} }},
			{"topic_renamed", func(t *testing.T) {
				err := db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
					return tx.Topic.Update().Where(topic.Name("Raumfahrt")).SetName("Luftfahrt").Exec(ctx)
				})
				if err != nil {
					t.Fatal(err)
				}
			}, "luftfahrt", func() []int { return []int{ben} }},
			{"outlet_renamed_reaches_all_its_people", func(t *testing.T) {
				err := db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
					return tx.Outlet.Update().Where(outlet.Name("Heimatblatt")).SetName("Heimatkurier").Exec(ctx)
				})
				if err != nil {
					t.Fatal(err)
				}
			}, "heimatkurier", func() []int { return []int{anna, ben} }},
			{"delete", func(t *testing.T) {
				if err := crm.DeleteContact(ctx, c, anna); err != nil {
					t.Fatal(err)
				}
			}, "heimatkurier", func() []int { return []int{ben} }},
			{"bulk_demo_import", func(t *testing.T) {
				if err := crm.DeleteContact(ctx, c, ben); err != nil { // demo data wants an empty database
					t.Fatal(err)
				}
				if _, err := demo.Load(ctx, c, demo.Options{Contacts: 60, Interactions: 300, Seed: 7}); err != nil {
					t.Fatal(err)
				}
			}, "", nil},
		}
		for _, st := range steps {
			st.write(t)
			wantInSync(t, s)
			if st.want != nil {
				if got := find(t, s, st.q); !slices.Equal(got, st.want()) {
					t.Errorf("%s: %q finds %v, want %v", st.name, st.q, got, st.want())
				}
			}
		}
		if n := len(find(t, s, "")); n != 60 {
			t.Errorf("after the demo import the index lists %d contacts, want 60", n)
		}
	})
}

// lockedBuffer is a bytes.Buffer safe for a child process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRunEndsAfterClose: a service closed while Run still polls (the
// benchmarks' teardown, a server's shutdown) is not synced again: Sync and
// Search answer ErrClosed, and Run returns instead of panicking on the
// closed index.
func TestRunEndsAfterClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := openService(t, d)
		ran := make(chan error, 1)
		go func() { ran <- s.Run(context.Background()) }()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s.Nudge()
		select {
		case err := <-ran:
			if err != nil {
				t.Fatalf("Run after Close: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run still polls 5 s after Close")
		}
		if err := s.Sync(context.Background()); !errors.Is(err, search.ErrClosed) {
			t.Errorf("Sync after Close: %v, want ErrClosed", err)
		}
		if _, err := s.Search(context.Background(), search.Request{Q: "weber"}); !errors.Is(err, search.ErrClosed) {
			t.Errorf("Search after Close: %v, want ErrClosed", err)
		}
	})
}
