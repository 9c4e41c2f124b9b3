package crm

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// CoverageCell is one region × topic of the coverage matrix: how many
// engaged-or-better contacts the team has there, and how many of them are stale.
type CoverageCell struct {
	Region, Topic string
	Active, Stale int
	Level         int // 0 (none) … 4 (strongest), for colouring
}

// Fresh is the active contacts that are not stale.
func (c CoverageCell) Fresh() int { return c.Active - c.Stale }

// Coverage is the matrix: rows are regions, columns topics, both sorted.
type Coverage struct {
	Regions, Topics []string
	Cells           map[[2]string]CoverageCell
	Max             int // the largest number of fresh contacts in a cell
}

// Cell returns the cell of region and topic (zero when nobody is there).
func (c *Coverage) Cell(region, topic string) CoverageCell {
	if cell, ok := c.Cells[[2]string{region, topic}]; ok {
		return cell
	}
	return CoverageCell{Region: region, Topic: topic}
}

// coverageQuery counts, per region and topic, the contacts at stage engaged
// or beyond and those of them whose next touch is overdue. Only those
// contacts are aggregated (under half of them in the demo data); the
// matrix's rows and columns are read separately (LoadCoverage).
const coverageQuery = `
SELECT c.region, t.name, COUNT(*), SUM(CASE WHEN c.touch_due_at < $1 THEN 1 ELSE 0 END)
FROM contacts c
JOIN contact_topics x ON x.contact_id = c.id
JOIN topics t ON t.id = x.topic_id
WHERE c.region <> '' AND c.stage IN ('engaged', 'supporter', 'advocate')
GROUP BY c.region, t.name`

// LoadCoverage computes the coverage matrix at now: every region in use
// (regionsQuery: one index probe per region) and every topic, so that empty
// cells show as gaps, and the counts.
func LoadCoverage(ctx context.Context, client querier, now time.Time) (*Coverage, error) {
	cov := &Coverage{Cells: map[[2]string]CoverageCell{}}
	var err error
	if cov.Regions, err = queryStrings(ctx, client, regionsQuery); err != nil {
		return nil, fmt.Errorf("coverage: regions: %w", err)
	}
	if cov.Topics, err = queryStrings(ctx, client, "SELECT name FROM topics"); err != nil {
		return nil, fmt.Errorf("coverage: topics: %w", err)
	}
	rows, err := client.QueryContext(ctx, coverageQuery, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CoverageCell
		if err := rows.Scan(&c.Region, &c.Topic, &c.Active, &c.Stale); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		cov.Cells[[2]string{c.Region, c.Topic}] = c
		cov.Max = max(cov.Max, c.Fresh())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	for k, c := range cov.Cells {
		c.Level = coverageLevel(c.Fresh(), cov.Max)
		cov.Cells[k] = c
	}
	sort.Strings(cov.Regions)
	sort.Strings(cov.Topics)
	return cov, nil
}

// Coverage is LoadCoverage cached for the whole team (both matrix pages
// show it): once read, a write that can move it (a stage, region or topic:
// list writes; a touch-due date: activity writes; anything the hook sees)
// or the TTL makes the next page start one refresh in the background and
// show the last matrix (cache_refresh.go). Shared: read only.
func (l *Lookups) Coverage(ctx context.Context, now time.Time) (*Coverage, error) {
	sc := scope[*Coverage]{gen: l.listsGen, hit: func(_ *Coverage, w rowWrite) bool { return w.activity }}
	return l.cover.getStale(ctx, l, sc, func(ctx context.Context) (*Coverage, error) { return LoadCoverage(ctx, l.client, now) })
}

// LoadCoverageFor is the coverage matrix at now, cached in l when it is not
// nil (a server without a cache reads it every time).
func LoadCoverageFor(ctx context.Context, client querier, l *Lookups, now time.Time) (*Coverage, error) {
	if l != nil {
		return l.Coverage(ctx, now)
	}
	return LoadCoverage(ctx, client, now)
}

// queryStrings runs query and returns its one text column.
func queryStrings(ctx context.Context, client querier, query string) ([]string, error) {
	rows, err := client.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// coverageLevel grades fresh contacts against the strongest cell: 0 none,
// then quarters of the maximum, 1 … 4.
func coverageLevel(fresh, maxFresh int) int {
	if fresh <= 0 || maxFresh <= 0 {
		return 0
	}
	return min(4, 1+(4*fresh-1)/maxFresh)
}
