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
// or beyond and those of them whose next touch is overdue. Every region in
// use and every topic appear, so empty cells show as gaps.
const coverageQuery = `
SELECT c.region, t.name,
	SUM(CASE WHEN c.stage IN ('engaged', 'supporter', 'advocate') THEN 1 ELSE 0 END),
	SUM(CASE WHEN c.stage IN ('engaged', 'supporter', 'advocate') AND c.touch_due_at < $1 THEN 1 ELSE 0 END)
FROM contacts c
JOIN contact_topics x ON x.contact_id = c.id
JOIN topics t ON t.id = x.topic_id
WHERE c.region <> ''
GROUP BY c.region, t.name`

// LoadCoverage computes the coverage matrix at now in one query.
func LoadCoverage(ctx context.Context, client querier, now time.Time) (*Coverage, error) {
	rows, err := client.QueryContext(ctx, coverageQuery, now.UTC())
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	cov := &Coverage{Cells: map[[2]string]CoverageCell{}}
	regions, topics := map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var c CoverageCell
		if err := rows.Scan(&c.Region, &c.Topic, &c.Active, &c.Stale); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		regions[c.Region], topics[c.Topic] = true, true
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
	cov.Regions, cov.Topics = sortedSet(regions), sortedSet(topics)
	return cov, nil
}

// coverageLevel grades fresh contacts against the strongest cell: 0 none,
// then quarters of the maximum, 1 … 4.
func coverageLevel(fresh, maxFresh int) int {
	if fresh <= 0 || maxFresh <= 0 {
		return 0
	}
	return min(4, 1+(4*fresh-1)/maxFresh)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
