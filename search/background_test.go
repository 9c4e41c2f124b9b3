package search_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestBuildInBackground: with BuildInBackground, Open on a directory without
// an index returns at once; searches answer ErrBuilding and Building says so;
// Run builds the index, takes the writes made meanwhile along and switches:
// the index then equals the database. A second start opens the built one.
func TestBuildInBackground(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var ids []int
		for _, name := range []string{"Weber", "Wagner"} {
			c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: name})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		dir := t.TempDir()
		opt := search.Options{Dir: dir, Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, BuildInBackground: true}
		s, err := search.Open(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Building(); !ok {
			t.Fatal("not building after Open on an empty directory")
		}
		if _, err := s.MatchIDs(ctx, "Weber"); !errors.Is(err, search.ErrBuilding) {
			t.Errorf("MatchIDs while building: %v, want ErrBuilding", err)
		}
		if _, err := s.Search(ctx, search.Request{Q: "Weber"}); !errors.Is(err, search.ErrBuilding) {
			t.Errorf("Search while building: %v, want ErrBuilding", err)
		}
		if n, err := s.Behind(ctx); err != nil || n != 0 {
			t.Errorf("Behind while building: %d, %v", n, err)
		}
		late, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: "Weberling"})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var told []int // what the change listeners heard (the list cache follows them)
		s.OnChange(func(ids []int) { mu.Lock(); told = append(told, ids...); mu.Unlock() })
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = s.Run(runCtx) }()
		deadline := time.Now().Add(30 * time.Second)
		for _, b := s.Building(); b; _, b = s.Building() {
			if time.Now().After(deadline) {
				t.Fatal("not built within 30 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
		got, err := s.MatchIDs(ctx, "Weber")
		slices.Sort(got)
		if want := []int{ids[0], late.ID}; err != nil || !slices.Equal(got, want) {
			t.Errorf("after the build: %v %v, want %v", got, err, want)
		}
		mu.Lock()
		if !slices.Contains(told, late.ID) {
			t.Errorf("the listeners heard of %v after the switch, want the contact written during the build (%d)", told, late.ID)
		}
		mu.Unlock()
		wantInSync(t, s)
		stop()
		<-done
		gen := s.Generation()
		s.Close()

		s2, err := search.Open(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		if _, b := s2.Building(); b || s2.Generation() != gen {
			t.Errorf("second start: building %v, generation %q, want %q", b, s2.Generation(), gen)
		}
	})
}
