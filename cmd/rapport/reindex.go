package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// changeRetention is how long change records (the search outbox) are kept.
// An app instance whose index slept through it rebuilds its index on start.
const changeRetention = 7 * 24 * time.Hour

// indexDir is where the search index lives: $RAPPORT_DATA_DIR/index.
func indexDir(cfg Config) string { return filepath.Join(cfg.DataDir, "index") }

// openSearch opens the search index of this instance; one that must be
// built is built by Run in the background while the server serves (the
// search page shows how far), reading PostgreSQL on a pool of its own
// without the server's statement timeout. Its Run must be started; close
// calls the index's Close and closes that pool.
func openSearch(ctx context.Context, cfg Config, d *db.DB, log *slog.Logger) (_ *search.Service, closeAll func(), _ error) {
	opt := search.Options{Dir: indexDir(cfg), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, Retention: changeRetention, Log: log,
		BuildInBackground: true}
	closeBuild := func() {}
	if d.Dialect == dialect.Postgres {
		opt.ListenURL = cfg.DatabaseURL
		bd, err := open(ctx, cfg) // unbounded, as `rapport reindex` reads
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", tr(ctx, "Cannot open the search index"), err)
		}
		opt.BuildDB, closeBuild = bd.SQL, func() { bd.Close() }
	}
	s, err := search.Open(ctx, opt)
	if err != nil {
		closeBuild()
		return nil, nil, fmt.Errorf("%s: %w", tr(ctx, "Cannot open the search index"), err)
	}
	return s, func() { s.Close(); closeBuild() }, nil
}

// reindexCmd builds a fresh search index from the database into a new
// directory and makes it current. A running server switches to it within a
// second, without downtime; otherwise the next start uses it.
func reindexCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse(ctx, "reindex", "reindex [flags]", args, stderr, nil)
	if err != nil {
		return err
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.CheckMigrated(ctx); err != nil {
		return err
	}
	last := time.Now()
	st, err := search.Build(ctx, search.Store{Dir: indexDir(cfg)}, d.Querier(), graph.Loader{DB: d.SQL, Dialect: d.Dialect}, 30*time.Second, func(done int) {
		if time.Since(last) > 2*time.Second {
			fmt.Fprintf(stderr, "  %s\n", trn(ctx, "{{.Count}} contacts", done))
			last = time.Now()
		}
	})
	if err != nil {
		return fmt.Errorf("%s: %w", tr(ctx, "Cannot rebuild the search index"), err)
	}
	fmt.Fprintln(stdout, trn(ctx, "Indexed {{.Count}} contacts into {{.Dir}} in {{.Took}} (from change {{.Position}}). A running server switches to it within a second.",
		st.Contacts, "Dir", filepath.Join(indexDir(cfg), st.Generation), "Took", took(ctx, st.Took), "Position", st.Position))
	return nil
}
