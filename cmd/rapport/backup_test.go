package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/search"
)

// TestBackupUnderWriteLoadRestoresTheSource: a backup taken while writers
// commit contacts is a consistent point in time of the source (every table
// equals the source's rows up to the backup's newest id, no transaction
// half in), and restore brings it back with the index rebuilt.
func TestBackupUnderWriteLoadRestoresTheSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATABASE_URL", "")
	t.Setenv("RAPPORT_DATA_DIR", dir)
	if err := run(ctx, []string{"migrate"}, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, "", dir, search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var stop atomic.Bool
	var wrote atomic.Int64
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				in := crm.ContactInput{Kind: "journalist", FirstName: fmt.Sprintf("W%d", w), LastName: fmt.Sprintf("Nr%d", i),
					Emails: []crm.EmailInput{{Address: fmt.Sprintf("w%d.n%d@example.de", w, i)}}, Tags: []string{"Last"}}
				if _, err := crm.CreateContact(ctx, d.Client, in); err != nil {
					t.Error(err)
					return
				}
				wrote.Add(1)
			}
		}()
	}
	for wrote.Load() < 30 {
		runtimeGosched()
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := run(ctx, []string{"backup", file}, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for n := wrote.Load(); wrote.Load() < n+20; {
		runtimeGosched() // the load goes on after the backup
	}
	stop.Store(true)
	wg.Wait()

	src, bak := openRO(t, filepath.Join(dir, "rapport.db")), openRO(t, file)
	for _, table := range []string{"contacts", "contact_emails", "audit_events", "changes"} {
		var max int
		if err := bak.QueryRow("SELECT COALESCE(MAX(id), 0) FROM " + table).Scan(&max); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		got, want := dump(t, bak, table, max), dump(t, src, table, max)
		if got != want {
			t.Errorf("%s up to id %d differs from the source", table, max)
		}
		if table == "contacts" && (max < 30 || int64(max) >= wrote.Load()) {
			t.Errorf("the backup holds %d contacts of %d written: not taken under load", max, wrote.Load())
		}
	}
	var contacts, events, emails int
	_ = bak.QueryRow("SELECT COUNT(*) FROM contacts").Scan(&contacts)
	_ = bak.QueryRow("SELECT COUNT(*) FROM audit_events WHERE entity = 'contact' AND action = 'create'").Scan(&events)
	_ = bak.QueryRow("SELECT COUNT(*) FROM contact_emails").Scan(&emails)
	if contacts != events || contacts != emails {
		t.Errorf("half-written transactions in the backup: %d contacts, %d create events, %d e-mails", contacts, events, emails)
	}

	// Restore into a fresh data directory with an old index: the database is
	// the backup, the index is gone (serve rebuilds it).
	dir2 := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir2, "index", "gen-000001"), 0o750); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RAPPORT_DATA_DIR", dir2)
	if err := run(ctx, []string{"restore", file}, strings.NewReader(""), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	restored := openRO(t, filepath.Join(dir2, "rapport.db"))
	if dump(t, restored, "contacts", 1<<30) != dump(t, bak, "contacts", 1<<30) {
		t.Error("the restored database is not the backup")
	}
	if _, err := os.Stat(filepath.Join(dir2, "index", "gen-000001")); !os.IsNotExist(err) {
		t.Errorf("the old index survived the restore: %v", err)
	}
	// A restore refuses a file that is not a Rapport database.
	junk := filepath.Join(t.TempDir(), "junk.db")
	_ = os.WriteFile(junk, []byte("not a database"), 0o600)
	if err := run(ctx, []string{"restore", junk}, strings.NewReader(""), io.Discard, io.Discard); err == nil {
		t.Error("restored a file that is not a database")
	}
}

func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	b, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// dump renders a table's rows with id ≤ max, in id order.
func dump(t *testing.T, b *sql.DB, table string, max int) string {
	t.Helper()
	rows, err := b.Query("SELECT * FROM "+table+" WHERE id <= ? ORDER BY id", max)
	if err != nil {
		t.Fatalf("dump %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var sb strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&sb, vals...)
	}
	return sb.String()
}

func runtimeGosched() { time.Sleep(5 * time.Millisecond) }
