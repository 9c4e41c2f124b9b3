package importing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/internal/testseed"
	"github.com/rapport-crm/rapport/search"
)

const killBatch = 100

// TestKillChild is the child process of TestKillMidImport: it runs (or
// resumes) one import and is killed while at it.
func TestKillChild(t *testing.T) {
	if os.Getenv("RAPPORT_KILL_CHILD") != "1" {
		t.Skip("child of TestKillMidImport")
	}
	ctx := context.Background()
	d, err := db.Open(ctx, os.Getenv("RAPPORT_KILL_DB"), os.Getenv("RAPPORT_KILL_DIR"), search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.Atoi(os.Getenv("RAPPORT_KILL_JOB"))
	worker := importing.WorkerName("child")
	if ok, err := importing.Claim(ctx, d.Client, id, worker, true); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := (&importing.Runner{Client: d.Client, Worker: worker, BatchSize: killBatch}).Run(ctx, id); err != nil {
		t.Fatal(err)
	}
}

// TestKillMidImport kills the process running an import (SIGKILL) again and
// again; each time the import is interrupted with exactly the committed rows
// counted and no contact half-written, resuming finishes it, and reverting
// restores the database as it was.
func TestKillMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var url, dir string
			if dia == "postgres" {
				url = dbtest.CreatePostgres(t)
			} else {
				dir = t.TempDir()
			}
			ctx := context.Background()
			d, err := db.Open(ctx, url, dir, search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			killTest(t, d, url, dir)
		})
	}
}

func killTest(t *testing.T, d *db.DB, url, dir string) {
	ctx := context.Background()
	u := staff(t, d)
	const rows, existing = 3000, 20
	for i := range existing { // rows 2, 52, 102 … update these
		_, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Alt", LastName: fmt.Sprint(i), City: "Bonn",
			Emails: []crm.EmailInput{{Address: fmt.Sprintf("p%d@example.de", i*50)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	before := fingerprint(t, d)
	var b strings.Builder
	b.WriteString("Vorname;Nachname;E-Mail;Stadt;Twitter;Tags\r\n")
	for i := range rows {
		fmt.Fprintf(&b, "Person;Nummer %d;p%d@example.de;Köln;@p%d;kill,test\r\n", i, i, i)
	}
	j := upload(t, d, u, "kill.csv", []byte(b.String()), nil)
	// The seed (logged; RAPPORT_TEST_SEED sets it) chooses where the kills
	// fall: the first after 200 to 799 rows, each next 300 to 499 later, so
	// five land before the end.
	r := rand.New(rand.NewPCG(testseed.Get(t), 3))
	kills := 0
	for target := 200 + r.IntN(600); kills < 5 && target < rows; target += 300 + r.IntN(200) {
		child := startChild(t, url, dir, j.ID)
		for {
			j = d.Client.ImportJob.GetX(ctx, j.ID)
			if j.ProcessedRows >= target || child.ProcessState != nil {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill: %v", err)
		}
		_ = child.Wait()
		kills++
		// The child's lease runs out Lease after its last renewal: look then.
		if _, err := importing.MarkStale(ctx, d.Client, time.Now().Add(importing.Lease)); err != nil {
			t.Fatal(err)
		}
		checkCommitted(t, d, j.ID, importjob.StatusInterrupted)
	}
	if kills < 5 {
		t.Fatalf("only %d kills", kills)
	}
	child := startChild(t, url, dir, j.ID)
	if err := child.Wait(); err != nil {
		t.Fatalf("resumed child: %v", err)
	}
	j = checkCommitted(t, d, j.ID, importjob.StatusDone)
	if j.ProcessedRows != rows || j.CreatedCount != rows-existing || j.UpdatedCount != existing {
		t.Errorf("after resuming: processed %d created %d updated %d", j.ProcessedRows, j.CreatedCount, j.UpdatedCount)
	}
	if n := d.Client.Contact.Query().CountX(ctx); n != rows {
		t.Errorf("%d contacts, want %d", n, rows)
	}
	if _, err := importing.Revert(ctx, d.Client, j.ID, 500); err != nil {
		t.Fatal(err)
	}
	if after := fingerprint(t, d); !slices.Equal(after, before) {
		t.Errorf("after the revert the contacts differ:\n%v\nwant\n%v", after[:min(5, len(after))], before[:min(5, len(before))])
	}
}

func startChild(t *testing.T, url, dir string, id int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "RAPPORT_KILL_CHILD=1", "RAPPORT_KILL_DB="+url, "RAPPORT_KILL_DIR="+dir, "RAPPORT_KILL_JOB="+strconv.Itoa(id))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// checkCommitted asserts that a job's counters are exactly its committed
// rows, in whole batches, and that every contact is whole.
func checkCommitted(t *testing.T, d *db.DB, id int, status importjob.Status) *ent.ImportJob {
	t.Helper()
	ctx := context.Background()
	j := d.Client.ImportJob.GetX(ctx, id)
	if j.Status != status {
		t.Fatalf("status %s, want %s (%s)", j.Status, status, j.Message)
	}
	rows := d.Client.ImportRow.Query().Where(importrow.ImportID(id), importrow.DryRun(false))
	if n := rows.Clone().CountX(ctx); n != j.ProcessedRows {
		t.Errorf("processed_rows %d, but %d row outcomes are committed", j.ProcessedRows, n)
	}
	if status == importjob.StatusInterrupted && j.ProcessedRows%killBatch != 0 {
		t.Errorf("processed_rows %d is not a whole number of batches of %d", j.ProcessedRows, killBatch)
	}
	created := rows.Clone().Where(importrow.ActionEQ(importrow.ActionCreate)).CountX(ctx)
	updated := rows.Clone().Where(importrow.ActionEQ(importrow.ActionUpdate)).CountX(ctx)
	if created != j.CreatedCount || updated != j.UpdatedCount {
		t.Errorf("counters %d created %d updated, outcomes %d %d", j.CreatedCount, j.UpdatedCount, created, updated)
	}
	if n := d.Client.Contact.Query().Where(contact.Not(contact.HasEmails())).CountX(ctx); n != 0 {
		t.Errorf("%d contacts without their e-mail: half-written", n)
	}
	whole := d.Client.Contact.Query().Where(contact.HasChannelsWith(socialprofile.PlatformEQ(socialprofile.PlatformX)),
		contact.HasTagsWith(tag.Name("kill")), contact.HasTagsWith(tag.Name("test")), contact.City("Köln")).CountX(ctx)
	if whole != created+updated {
		t.Errorf("%d contacts have the whole row (handle, tags, city), want %d created + %d updated", whole, created, updated)
	}
	return j
}

// fingerprint lists every contact with its e-mails, city and handles.
func fingerprint(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := context.Background()
	cs := d.Client.Contact.Query().Order(contact.ByID()).AllX(ctx)
	ids := make([]int, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	ins, err := crm.NewContactWriter(d.Client, d.Dialect, nil, nil).LoadContactInputs(ctx, nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		in := ins[c.ID]
		out[i] = fmt.Sprintf("%d %s %s %s %v %v %v", c.ID, c.FirstName, c.LastName, c.City, in.Emails, handles(in), in.Tags)
	}
	return out
}
