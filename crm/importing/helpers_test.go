package importing_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
)

// testFile reads a file of testdata/ (copied from the shared test files).
func testFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// staff creates the user imports are attributed to.
func staff(t testing.TB, d *db.DB) *ent.User {
	t.Helper()
	u, err := crm.CreateUser(context.Background(), d.Client, crm.UserInput{Email: "importer@example.com", Name: "Importer", Role: "staff", Password: "a long test password"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// upload creates a job for data with the guessed mapping changed by edits.
func upload(t testing.TB, d *db.DB, u *ent.User, name string, data []byte, edits map[string]string) *ent.ImportJob {
	t.Helper()
	ctx := context.Background()
	j, err := importing.CreateJob(ctx, d.Client, importing.NewJob{UserID: &u.ID, Filename: name, Data: data})
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	m := j.Mapping
	for k, v := range edits {
		m[k] = v
	}
	if j, err = importing.SetMapping(ctx, d.Client, j, m); err != nil {
		t.Fatalf("mapping of %s: %v", name, err)
	}
	return j
}

// run claims and runs job id to the end as worker "test".
func run(t testing.TB, d *db.DB, id int) *ent.ImportJob {
	t.Helper()
	ctx := context.Background()
	r := &importing.Runner{Client: d.Client, Worker: "test", BatchSize: 2}
	if ok, err := importing.Claim(ctx, d.Client, id, "test", true); err != nil || !ok {
		t.Fatalf("claim job %d: %v %v", id, ok, err)
	}
	if err := r.Run(ctx, id); err != nil {
		t.Fatalf("run job %d: %v", id, err)
	}
	return d.Client.ImportJob.GetX(ctx, id)
}

// dryRun returns the counts of a dry run of job id.
func dryRun(t testing.TB, d *db.DB, id int) importing.Counts {
	t.Helper()
	c, err := (&importing.Runner{Client: d.Client, BatchSize: 3}).DryRun(context.Background(), id)
	if err != nil {
		t.Fatalf("dry run of job %d: %v", id, err)
	}
	return c
}

// contactByEmail loads the contact with an address, with its edges.
func contactByEmail(t testing.TB, d *db.DB, addr string) crm.ContactInput {
	t.Helper()
	ctx := context.Background()
	id, err := d.Client.ContactEmail.Query().Where(contactemail.Address(addr)).QueryContact().FirstID(ctx)
	if err != nil {
		t.Fatalf("no contact with %s (%v)", addr, err)
	}
	m, err := crm.NewContactWriter(d.Client, d.Dialect, nil, nil).LoadContactInputs(ctx, nil, []int{id})
	if err != nil {
		t.Fatal(err)
	}
	return m[id]
}
