package db_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestUploadsMoveToTheirOwnTable: the migration that moves uploaded files
// out of import_jobs (whose row every batch, heartbeat and lease updates;
// on SQLite each such update rewrote a 10 MB upload) into import_files
// carries every stored upload over, on both databases. It migrates a
// database up to just before that migration, stores a job with a file the
// old way, and migrates the rest.
func TestUploadsMoveToTheirOwnTable(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			ctx := context.Background()
			url, dir := "", t.TempDir()
			if dia == dialect.Postgres {
				url = dbtest.CreatePostgres(t)
			}
			d, err := db.Open(ctx, url, dir, search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			all, err := db.Migrations(dia)
			if err != nil {
				t.Fatal(err)
			}
			var move *db.Migration
			for i := range all {
				if strings.HasSuffix(all[i].Name, "_import_files.sql") {
					move = &all[i]
				}
			}
			if move == nil {
				t.Fatal("no import_files migration")
			}
			// Mark the move applied, migrate everything else, and store an upload in the old column.
			if _, err := d.SQL.ExecContext(ctx, `CREATE TABLE schema_migrations (version varchar(32) PRIMARY KEY, name varchar(255) NOT NULL,
				hash varchar(64) NOT NULL, applied_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
				t.Fatal(err)
			}
			mark := func() {
				if _, err := d.SQL.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, hash) VALUES ($1, $2, $3)", move.Version, move.Name, move.Hash); err != nil {
					t.Fatal(err)
				}
			}
			mark()
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			upload := bytes.Repeat([]byte("Vorname;Nachname\r\nJürgen;Müller\r\n"), 1000)
			for _, data := range [][]byte{upload, nil} {
				if _, err := d.SQL.ExecContext(ctx, `INSERT INTO import_jobs (filename, format, created_at, file) VALUES ('a.csv', 'csv', CURRENT_TIMESTAMP, $1)`, data); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.SQL.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = $1", move.Version); err != nil {
				t.Fatal(err)
			}
			names, err := d.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 1 || names[0] != move.Name {
				t.Fatalf("applied %v, want only %s", names, move.Name)
			}
			var n int
			var got []byte
			if err := d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM import_files").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if err := d.SQL.QueryRowContext(ctx, "SELECT f.data FROM import_files f JOIN import_jobs j ON j.id = f.import_id WHERE j.id = 1").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if n != 1 || !bytes.Equal(got, upload) {
				t.Errorf("%d files moved, the upload %d bytes of %d: want the one upload, whole", n, len(got), len(upload))
			}
			if _, err := d.SQL.ExecContext(ctx, "SELECT file FROM import_jobs"); err == nil {
				t.Error("import_jobs still has its file column")
			}
		})
	}
}
