package crm

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
)

// IndexPurger makes the search index's deletions physical (search.Service).
type IndexPurger interface {
	Purge(ctx context.Context) error
}

// Privacy is the data-protection desk: erasure that reaches the search index
// and the database file, access requests, the retention sweep and the
// /privacy overview.
type Privacy struct {
	client  *ent.Client
	sqlDB   *sql.DB
	dialect string
	writer  *ContactWriter
	index   IndexPurger // nil: no index to purge
	now     func() time.Time
}

// NewPrivacy returns the desk for d, writing through w; index may be nil.
func NewPrivacy(d *db.DB, w *ContactWriter, index IndexPurger) *Privacy {
	return &Privacy{client: d.Client, sqlDB: d.SQL, dialect: d.Dialect, writer: w, index: index, now: w.now}
}

// ErasureReport is an erasure with the time of its physical clean-up.
type ErasureReport struct {
	Erasure
	Compact time.Duration // SQLite: checkpoint and VACUUM of the database file
	Index   time.Duration // the search index's segments rewritten
}

// Erase erases the contacts ids (ContactWriter.Erase), then makes it
// physical: on SQLite the database file is vacuumed and its write-ahead log
// truncated (PostgreSQL's dumps hold live rows only), and the search index's
// segments are rewritten without them.
func (p *Privacy) Erase(ctx context.Context, ids []int, opt EraseOptions) (ErasureReport, error) {
	e, err := p.writer.Erase(ctx, ids, opt)
	if err != nil {
		return ErasureReport{}, err
	}
	r := ErasureReport{Erasure: e}
	start := time.Now()
	if p.dialect == dialect.SQLite {
		if err := CompactSQLite(ctx, p.sqlDB); err != nil {
			return r, err
		}
	}
	r.Compact = time.Since(start)
	start = time.Now()
	if p.index != nil {
		if err := p.index.Purge(ctx); err != nil {
			return r, err
		}
	}
	r.Index = time.Since(start)
	return r, nil
}

// CompactSQLite rewrites an SQLite database so that no page of the file or
// its write-ahead log holds deleted rows: checkpoint, VACUUM, checkpoint
// with truncation.
func CompactSQLite(ctx context.Context, sqlDB *sql.DB) error {
	for _, q := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := sqlDB.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("compact database (%s): %w", q, err)
		}
	}
	return nil
}
