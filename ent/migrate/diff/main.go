// Command diff writes a new versioned migration for each dialect from the
// difference between the ent schema and the migrations already in
// ent/migrate/migrations. Run it through `make migration NAME=add_something`.
//
// A generated migration that must carry data (a backfill) is edited by hand;
// `go run ./ent/migrate/diff -rehash` then rewrites both atlas.sum files.
//
// PostgreSQL needs a dev server (RAPPORT_DEV_DATABASE_URL, default the local
// one): a scratch database is created there and dropped afterwards.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/rapport-crm/rapport/ent/migrate"
)

func main() {
	name := flag.String("name", "", "migration name, e.g. add_follow_ups")
	dir := flag.String("dir", "ent/migrate/migrations", "migrations root")
	rehash := flag.Bool("rehash", false, "rewrite atlas.sum of each dialect after a migration was edited by hand")
	flag.Parse()
	if *rehash {
		for _, d := range []string{"sqlite", "postgres"} {
			if err := rehashDir(*dir + "/" + d); err != nil {
				log.Fatal(err)
			}
		}
		return
	}
	if *name == "" {
		log.Fatal("usage: diff -name NAME")
	}
	ctx := context.Background()
	if err := diffSQLite(ctx, *dir+"/sqlite", *name); err != nil {
		log.Fatal(err)
	}
	if err := diffPostgres(ctx, *dir+"/postgres", *name); err != nil {
		log.Fatal(err)
	}
}

func diff(ctx context.Context, drv dialect.Driver, path, name string) error {
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return err
	}
	err = migrate.NewSchema(drv).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true))
	if errors.Is(err, atlas.ErrNoPlan) {
		fmt.Printf("%s: no changes\n", path)
		return nil
	}
	if err == nil {
		fmt.Printf("%s: new migration written\n", path)
	}
	return err
}

// rehashDir rewrites the atlas.sum of the migrations in path.
func rehashDir(path string) error {
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		return err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := atlas.WriteSumFile(dir, sum); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Printf("%s: atlas.sum rewritten\n", path)
	return nil
}

func diffSQLite(ctx context.Context, path, name string) error {
	db, err := sql.Open("sqlite", "file:dev?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return diff(ctx, entsql.OpenDB(dialect.SQLite, db), path, name)
}

func diffPostgres(ctx context.Context, path, name string) error {
	base := os.Getenv("RAPPORT_DEV_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	scratch := fmt.Sprintf("rapport_dev_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+scratch); err != nil {
		return fmt.Errorf("create scratch database: %w", err)
	}
	defer admin.ExecContext(context.Background(), "DROP DATABASE "+scratch)
	db, err := sql.Open("postgres", strings.Replace(base, "/postgres?", "/"+scratch+"?", 1))
	if err != nil {
		return err
	}
	defer db.Close()
	return diff(ctx, entsql.OpenDB(dialect.Postgres, db), path, name)
}
