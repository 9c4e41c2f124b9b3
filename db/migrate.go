package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent/migrate/migrations"
)

// advisoryLockKey is the PostgreSQL advisory lock that serialises migrators ("rapport" in ASCII).
const advisoryLockKey = 0x72617070_6f7274

// ErrPendingMigrations is returned by CheckMigrated when the database lags the code.
var ErrPendingMigrations = errors.New("the database has pending migrations")

// Migration is one versioned migration file.
type Migration struct {
	Version string
	Name    string
	Hash    string
	stmts   []string
	dialect string
}

// MigrationDir returns the embedded migration directory of a dialect, checked
// against its atlas.sum, as an in-memory atlas directory.
func MigrationDir(dia string) (*migrate.MemDir, error) {
	sub := map[string]string{dialect.Postgres: "postgres", dialect.SQLite: "sqlite"}[dia]
	if sub == "" {
		return nil, fmt.Errorf("no migrations for dialect %q", dia)
	}
	entries, err := fs.ReadDir(migrations.FS, sub)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		b, err := fs.ReadFile(migrations.FS, path.Join(sub, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, fmt.Errorf("copy migration %s: %w", e.Name(), err)
		}
	}
	return dir, nil
}

// Migrations lists the dialect's migrations in order.
func Migrations(dia string) ([]Migration, error) {
	dir, err := MigrationDir(dia)
	if err != nil {
		return nil, err
	}
	if err := migrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migrations for %s do not match atlas.sum: %w", dia, err)
	}
	files, err := dir.Files()
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	out := make([]Migration, 0, len(files))
	for _, f := range files {
		stmts, err := f.Stmts()
		if err != nil {
			return nil, fmt.Errorf("parse migration %s: %w", f.Name(), err)
		}
		sum := sha256.Sum256(f.Bytes())
		out = append(out, Migration{Version: f.Version(), Name: f.Name(), Hash: hex.EncodeToString(sum[:]), stmts: stmts, dialect: dia})
	}
	return out, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version varchar(32) PRIMARY KEY,
	name varchar(255) NOT NULL,
	hash varchar(64) NOT NULL,
	applied_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`

// pendingMigrations compares the applied rows with the files and refuses an applied file
// whose content changed since.
func pendingMigrations(ctx context.Context, q Querier, all []Migration) ([]Migration, error) {
	rows, err := q.QueryContext(ctx, "SELECT version, hash FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[string]string{}
	for rows.Next() {
		var v, h string
		if err := rows.Scan(&v, &h); err != nil {
			return nil, fmt.Errorf("scan schema_migrations: %w", err)
		}
		applied[v] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	var out []Migration
	for _, m := range all {
		h, ok := applied[m.Version]
		switch {
		case !ok:
			out = append(out, m)
		case h != m.Hash:
			return nil, fmt.Errorf("migration %s was changed after it was applied; restore it and add a new migration instead", m.Name)
		}
	}
	return out, nil
}

// Pending lists the migrations that the database has not applied yet.
func (d *DB) Pending(ctx context.Context) ([]Migration, error) {
	all, err := Migrations(d.Dialect)
	if err != nil {
		return nil, err
	}
	if _, err := d.SQL.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	return pendingMigrations(ctx, d.SQL, all)
}

// CheckMigrated returns ErrPendingMigrations (wrapped with the names) when
// migrations are pending.
func (d *DB) CheckMigrated(ctx context.Context) error {
	p, err := d.Pending(ctx)
	if err != nil {
		return err
	}
	if len(p) > 0 {
		return fmt.Errorf("%w: %d, starting with %s; run `rapport migrate`", ErrPendingMigrations, len(p), p[0].Name)
	}
	return nil
}

// Migrate applies the pending migrations and returns their names. Concurrent
// callers, in this process or another, are serialised: on PostgreSQL by an
// advisory lock, on SQLite by an immediate transaction around the whole run.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	all, err := Migrations(d.Dialect)
	if err != nil {
		return nil, err
	}
	pool := d.SQL
	if d.unbounded != nil { // a backfill may take longer than a page's statement
		if pool, err = d.unbounded(); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer pool.Close()
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if d.Dialect == dialect.Postgres {
		return migratePostgres(ctx, conn, all)
	}
	return migrateSQLite(ctx, conn, all)
}

func migratePostgres(ctx context.Context, conn *sql.Conn, all []Migration) (names []string, err error) {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
		return nil, fmt.Errorf("migrate: take lock: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, and the lock must go.
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", advisoryLockKey)
	}()
	if _, err := conn.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	todo, err := pendingMigrations(ctx, conn, all)
	if err != nil {
		return nil, err
	}
	for _, m := range todo {
		if err := applyInTx(ctx, conn, m); err != nil {
			return names, err
		}
		names = append(names, m.Name)
	}
	return names, nil
}

func applyInTx(ctx context.Context, conn *sql.Conn, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.Name, err)
	}
	if err := apply(ctx, tx, m); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", m.Name, err)
	}
	return nil
}

func apply(ctx context.Context, q Querier, m Migration) error {
	for _, s := range m.stmts {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	if err := backfill(ctx, q, m); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, hash) VALUES ($1, $2, $3)", m.Version, m.Name, m.Hash)
	if err != nil {
		return fmt.Errorf("migrate %s: record: %w", m.Name, err)
	}
	return nil
}

// migrateSQLite runs the whole migration in one BEGIN IMMEDIATE transaction:
// SQLite's write lock is the migration lock. Foreign keys are switched off
// before BEGIN (SQLite ignores the pragma inside a transaction), so table
// rebuilds work, and checked before COMMIT.
func migrateSQLite(ctx context.Context, conn *sql.Conn, all []Migration) (names []string, err error) {
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys=off"); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "PRAGMA foreign_keys=on") }()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, fmt.Errorf("migrate: take lock: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if _, err := conn.ExecContext(ctx, createMigrationsTable); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	todo, err := pendingMigrations(ctx, conn, all)
	if err != nil {
		return nil, err
	}
	for _, m := range todo {
		if err := apply(ctx, conn, m); err != nil {
			return nil, err
		}
		names = append(names, m.Name)
	}
	if err := foreignKeyCheck(ctx, conn); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return nil, fmt.Errorf("migrate: commit: %w", err)
	}
	committed = true
	return names, nil
}

func foreignKeyCheck(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("migrate: foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("migrate: the migration leaves rows that break a foreign key")
	}
	return rows.Err()
}
