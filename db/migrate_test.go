package db_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/migrate"
	"github.com/rapport-crm/rapport/search"
)

// TestMigrationsMatchSchema fails when the ent schema changed without a new
// migration: replaying the committed directory and diffing must plan nothing.
func TestMigrationsMatchSchema(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			dir, err := db.MigrationDir(dia)
			if err != nil {
				t.Fatal(err)
			}
			var dev *sql.DB
			if dia == dialect.Postgres {
				dev, err = sql.Open("postgres", dbtest.CreatePostgres(t))
			} else {
				dev, err = sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
				dev.SetMaxOpenConns(1)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer dev.Close()
			err = migrate.NewSchema(entsql.OpenDB(dia, dev)).NamedDiff(context.Background(), "check",
				schema.WithDir(dir), schema.WithMigrationMode(schema.ModeReplay),
				schema.WithFormatter(atlas.DefaultFormatter), schema.WithDropColumn(true),
				schema.WithDropIndex(true), schema.WithErrNoPlan(true))
			if !errors.Is(err, atlas.ErrNoPlan) {
				t.Fatalf("the schema and the migrations differ (run `make migration NAME=…`): %v", err)
			}
		})
	}
}

// TestConcurrentMigrate: several processes' worth of migrators racing on one
// fresh database all succeed, and each migration is applied exactly once.
func TestConcurrentMigrate(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			url, dir := "", t.TempDir()
			if dia == dialect.Postgres {
				url = dbtest.CreatePostgres(t)
			}
			const n = 4
			var wg sync.WaitGroup
			applied := make([][]string, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					d, err := db.Open(context.Background(), url, dir, search.Outbox(), nil)
					if err != nil {
						errs[i] = err
						return
					}
					defer d.Close()
					applied[i], errs[i] = d.Migrate(context.Background())
				})
			}
			wg.Wait()
			total := 0
			for i := range n {
				if errs[i] != nil {
					t.Errorf("migrator %d: %v", i, errs[i])
				}
				total += len(applied[i])
			}
			all, _ := db.Migrations(dia)
			if total != len(all) {
				t.Errorf("%d migrations applied in all, want %d (each exactly once)", total, len(all))
			}
			d, err := db.Open(context.Background(), url, dir, search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.CheckMigrated(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestChangedMigrationRefused: an applied file whose content changed stops start-up.
func TestChangedMigrationRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if _, err := d.SQL.Exec("UPDATE schema_migrations SET hash = 'tampered'"); err != nil {
			t.Fatal(err)
		}
		if err := d.CheckMigrated(context.Background()); err == nil {
			t.Fatal("a changed migration was accepted")
		}
	})
}

// TestPendingMigrationsReported: a database that lacks migrations says so.
func TestPendingMigrationsReported(t *testing.T) {
	d, err := db.Open(context.Background(), dbtest.CreatePostgres(t), "", search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.CheckMigrated(context.Background()); !errors.Is(err, db.ErrPendingMigrations) {
		t.Fatalf("CheckMigrated on an empty database = %v, want ErrPendingMigrations", err)
	}
}
