package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/internal/testseed"
	"github.com/rapport-crm/rapport/search"
)

// Environment of the crash child.
const (
	envCrashChild = "RAPPORT_CRASH_CHILD"
	envCrashDB    = "RAPPORT_CRASH_DB"    // PostgreSQL URL, or "" for SQLite in envCrashData
	envCrashData  = "RAPPORT_CRASH_DATA"  // SQLite data directory
	envCrashIndex = "RAPPORT_CRASH_INDEX" // index directory
	envCrashSeed  = "RAPPORT_CRASH_SEED"
)

// TestCrashChild is not a test: it is the child process of TestCrashRecovery,
// which runs the test binary again with envCrashChild set. It serves the
// index (so the indexer writes to it all the time) and writes to the
// database as fast as it can until it is killed.
func TestCrashChild(t *testing.T) {
	if os.Getenv(envCrashChild) != "1" {
		t.Skip("the child process of TestCrashRecovery")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, os.Getenv(envCrashDB), os.Getenv(envCrashData), search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.Open(ctx, search.Options{Dir: os.Getenv(envCrashIndex), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, ListenURL: os.Getenv(envCrashDB), Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	go s.Run(ctx)
	var seed uint64
	fmt.Sscan(os.Getenv(envCrashSeed), &seed)
	r := rand.New(rand.NewPCG(seed, 1))
	words := []string{"Wärmepumpe", "Zeppelin", "Gesundheit", "Bloggerin", "Journalistin", "Mueller", "Köln", "Messe"}
	u, err := d.Client.User.Query().First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		ids, _ := d.Client.Contact.Query().IDs(ctx)
		var err error
		switch op := r.IntN(10); {
		case op < 4 || len(ids) < 5:
			_, err = crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: words[r.IntN(len(words))], LastName: fmt.Sprintf("Crash%d", i),
				Bio: words[r.IntN(len(words))] + " " + words[r.IntN(len(words))], Topics: []string{words[r.IntN(3)]},
				Outlets: []crm.OutletRole{{Outlet: fmt.Sprintf("Blatt %d", r.IntN(4))}}})
		case op < 6:
			id := ids[r.IntN(len(ids))]
			err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				return tx.Contact.Update().Where(contact.ID(id)).SetTitle(words[r.IntN(len(words))]).AddVersion(1).Exec(ctx)
			})
		case op < 8:
			_, err = crm.LogInteraction(ctx, d.Client, u.ID, crm.InteractionInput{ContactIDs: []int{ids[r.IntN(len(ids))]}, Type: "note",
				OccurredAt: time.Now().Add(-time.Minute), Subject: words[r.IntN(len(words))], Body: "Notiz " + words[r.IntN(len(words))]})
		case op < 9:
			err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				return tx.Outlet.Update().Where(outlet.Name(fmt.Sprintf("Blatt %d", r.IntN(4)))).SetDescription(words[r.IntN(len(words))]).Exec(ctx)
			})
		default:
			err = crm.DeleteContact(ctx, d.Client, ids[r.IntN(len(ids))])
		}
		if err != nil && crm.ErrorCode(err) == crm.EInternal {
			t.Log(err)
		}
	}
}

// TestCrashRecovery kills a process that writes to the database while its
// indexer writes to the index, with SIGKILL at random moments, twelve times.
// The seed (logged; RAPPORT_TEST_SEED sets it) chooses the kill times and
// the writes. After every kill, a fresh start of the index (which replays the change
// log from the stored position, or rebuilds an index the crash broke) must
// hold exactly the contacts of the database, each with its current content.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills 24 processes")
	}
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			ctx := context.Background()
			dataDir, url := t.TempDir(), ""
			if dia == dialect.Postgres {
				url = dbtest.CreatePostgres(t)
			}
			d, err := db.Open(ctx, url, dataDir, search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "crash@example.com", Name: "Crash", Role: crm.RoleStaff, Password: "long enough password"}); err != nil {
				t.Fatal(err)
			}
			indexDir := filepath.Join(t.TempDir(), "index")
			seed := testseed.Get(t) // the kill times and each round's writes
			r := rand.New(rand.NewPCG(seed, 2))
			for round := range 12 {
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), envCrashChild+"=1", envCrashDB+"="+url, envCrashData+"="+dataDir,
					envCrashIndex+"="+indexDir, fmt.Sprintf("%s=%d", envCrashSeed, seed+uint64(round)))
				out := &lockedBuffer{}
				cmd.Stdout, cmd.Stderr = out, out
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(300+r.IntN(1200)) * time.Millisecond)
				_ = cmd.Process.Signal(syscall.SIGKILL)
				_ = cmd.Wait()

				s, err := search.Open(ctx, search.Options{Dir: indexDir, Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
				if err != nil {
					t.Fatalf("round %d: reopen after SIGKILL: %v\nchild output:\n%s", round, err, out.String())
				}
				// A COMMIT the child sent just before it died may still be
				// landing on the server: its change is then a gap the indexer
				// waits for. Sync until the index converges; a lost change
				// never would.
				var diff search.Diff
				for deadline := time.Now().Add(10 * time.Second); ; {
					if err := s.Sync(ctx); err != nil {
						t.Fatalf("round %d: sync: %v", round, err)
					}
					if diff, err = s.Verify(ctx); err != nil {
						t.Fatal(err)
					}
					if diff.Empty() || time.Now().After(deadline) {
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				n, _ := d.Client.Contact.Query().Count(ctx)
				s.Close()
				if !diff.Empty() {
					t.Fatalf("round %d (%d contacts): index differs from the database after a crash: %s\nchild output:\n%s", round, n, diff, out.String())
				}
				t.Logf("round %d: %d contacts, index equals the database", round, n)
			}
		})
	}
}
