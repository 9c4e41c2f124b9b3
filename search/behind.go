package search

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// BehindAfter is how old a change must be, still unindexed, before the
// search says it is catching up: the index normally follows a write within
// milliseconds, so only a lag (a restart with a backlog, a long import) shows.
const BehindAfter = time.Second

// behindCap bounds the count: past it the page says "100,000+".
const behindCap = 100_000

// Behind counts the changes older than BehindAfter that the index has not
// read yet (at most behindCap+1): what a search may still miss.
// While the index is being built it is 0: Building says how far that is.
func (s *Service) Behind(ctx context.Context) (int, error) {
	if s.building.Load() != nil {
		return 0, nil
	}
	n := 0
	err := scan(ctx, s.opt.Querier, `SELECT COUNT(*) FROM (SELECT 1 FROM changes WHERE id > $1 AND created_at < $2 LIMIT $3) behind`,
		[]any{s.Position(), time.Now().Add(-BehindAfter).UTC(), behindCap + 1},
		func(rows *sql.Rows) error { return rows.Scan(&n) })
	if err != nil {
		return 0, fmt.Errorf("count unindexed changes: %w", err)
	}
	return n, nil
}
