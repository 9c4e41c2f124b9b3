// Package db opens Rapport's database (PostgreSQL through lib/pq, or the embedded
// SQLite default through modernc.org/sqlite), applies the versioned migrations
// under a lock, and runs multi-record writes in one transaction.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"    // PostgreSQL (also registers the driver "postgres" for others)
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"github.com/rapport-crm/rapport/ent"
)

// DB is an open database: the ent client, the raw pool and its dialect.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.Postgres or dialect.SQLite
	// Sessions tells the session caches of every writer that changes a
	// signed-in session (see SessionFeed).
	Sessions *SessionFeed

	url  string     // the PostgreSQL URL, for LISTEN
	prep *preparing // the pool's prepared statements

	// unbounded opens a PostgreSQL pool without statement or read
	// deadlines, for migrations whose backfills may run for minutes.
	unbounded func() (*sql.DB, error)
}

// Close closes the pool.
func (d *DB) Close() error { return d.Client.Close() }

// Open connects to databaseURL when it is a postgres:// URL, otherwise to the
// SQLite file rapport.db in dataDir (created with WAL on first use). It checks
// the connection before it returns. outbox (search.Outbox(), required) says
// which contacts each write touches, so that its search change is recorded
// in the same transaction. Wrap the driver with wrap (may be nil) to observe
// queries, as the tests do to count them.
func Open(ctx context.Context, databaseURL, dataDir string, outbox Outbox, wrap Wrap) (*DB, error) {
	if len(outbox) == 0 {
		return nil, ErrNoOutbox
	}
	var (
		sqldb *sql.DB
		dia   string
		err   error
	)
	if databaseURL != "" {
		dia = dialect.Postgres
		sqldb, err = openPostgres(databaseURL, true)
	} else {
		dia = dialect.SQLite
		sqldb, err = openSQLite(ctx, dataDir)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqldb.PingContext(pingCtx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dia, err)
	}
	prep := newPreparing(entsql.OpenDB(dia, sqldb), sqldb)
	var drv dialect.Driver = prep
	if wrap != nil {
		drv = wrap(drv)
	}
	client := ent.NewClient(ent.Driver(drv))
	feed := &SessionFeed{}
	client.Use(outboxHook(dia, outbox), sessionHook(dia, feed))
	d := &DB{Client: client, SQL: sqldb, Dialect: dia, Sessions: feed, prep: prep}
	if dia == dialect.Postgres {
		d.url = databaseURL
		d.unbounded = func() (*sql.DB, error) { return openPostgres(databaseURL, false) }
	}
	return d, nil
}

// Wrap wraps the database driver, e.g. to count queries.
type Wrap func(dialect.Driver) dialect.Driver

// IsPostgresURL reports whether s selects PostgreSQL.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openPostgres opens a pool on the URL raw. bounded gives every statement
// the URL's statement_timeout (default DefaultStatementTimeout) and stops
// waiting for a silent server shortly after it; unbounded pools set neither.
func openPostgres(raw string, bounded bool) (*sql.DB, error) {
	u, err := url.Parse(raw)
	if err != nil || !IsPostgresURL(raw) {
		return nil, errors.New("RAPPORT_DATABASE_URL must be a postgres://user@host:port/dbname URL")
	}
	// lib/pq defaults to sslmode=require, which a local server refuses only at the
	// first query; loopback connections default to disable instead.
	q := u.Query()
	if q.Get("sslmode") == "" && isLoopback(u.Hostname()) {
		q.Set("sslmode", "disable")
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "5")
	}
	timeout, err := statementTimeout(q)
	if err != nil {
		return nil, err
	}
	if !bounded || timeout == 0 {
		q.Set("statement_timeout", "0")
		bounded = false
	}
	u.RawQuery = q.Encode()
	conn, err := pq.NewConnector(u.String())
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if bounded {
		conn.Dialer(deadlineDialer{stall: timeout + stallGrace})
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(20)
	// As many idle as open: with fewer, a burst of requests closes and reopens
	// connections (a new PostgreSQL backend each) instead of reusing them.
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

func isLoopback(host string) bool {
	return host == "" || host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.") || strings.HasPrefix(host, "/")
}

// SQLiteDSN is the connection string for the SQLite file at path.
//
// modernc.org/sqlite stores a time as the text of time.Time.String()
// ("2006-01-02 15:04:05.999999999 -0700 MST"), in the zone the time came in.
// SQL compares those texts, so _timezone=UTC makes the driver convert every
// time to UTC before it writes it (and strips the monotonic clock reading):
// then the texts sort as the instants do, and a range condition with a UTC
// bound holds. The driver parses a column declared as a time; a column
// without declared type (UNION, CASE, MIN) arrives as that text, which
// db.Time parses.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate&_timezone=UTC"
}

func openSQLite(ctx context.Context, dataDir string) (*sql.DB, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, "rapport.db")
	_, statErr := os.Stat(path)
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// A contact graph load (the search document) takes nine at once: the
	// contacts and eight relations. Two more let requests go on meanwhile.
	db.SetMaxOpenConns(11)
	if errors.Is(statErr, os.ErrNotExist) {
		if err := enableWAL(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// enableWAL sets WAL on a new database file. WAL is a property of the file,
// set once; when several processes create the file at the same moment, all but
// one find it locked for a moment, so they retry until one of them has set it.
func enableWAL(ctx context.Context, db *sql.DB) error {
	var err error
	for range 50 {
		var mode string
		if err = db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err == nil && strings.EqualFold(mode, "wal") {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("sqlite: enable WAL: %w", err)
}
