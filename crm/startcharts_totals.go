package crm

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
	"golang.org/x/sync/errgroup"

	"github.com/rapport-crm/rapport/ent"
)

// chartTotals are the start page's charts of the whole team, each figure
// per person (their interactions, the contacts they own, the coverage they
// logged; key 0 for none): a person's charts are their part, the team's the
// sum. Read only once loaded.
type chartTotals struct {
	base     *StartCharts                 // the spans; empty figures
	weekly   map[int]map[string][]int     // author → type → interactions per week
	stages   map[int][]int                // owner → contacts per stage (funnel order)
	moves    map[int][]StageMove          // owner → entered and left this month per stage
	stale    []OwnerCount                 // past their cadence per owner (the team's chart)
	gained   map[int][]int                // owner → advocates gained per month
	lost     map[int][]int                // owner → advocates lost per month
	coverage map[int]map[string]KindCount // creator → kind → coverage this month
	// The team's counts of the start page's figures, read on the way:
	// contacts, those past their cadence, and the interactions since
	// DashboardWindow before now up to the end of the current week.
	contacts, pastCadence, recent int
}

// chartSQL are the charts' queries, each set-wise over the whole team and
// grouped by person. $1 and $2 are the span; the buckets' bounds follow.
// The moves look the owner up per stage change (a scalar subquery, by
// primary key): a join, estimated at every contact update of the month,
// was planned as a parallel scan or a hash join over every contact.
var chartSQL = struct{ weekly, stages, moves, movesSQLite, stale, advocates, coverage string }{
	weekly: `SELECT COALESCE(i.author_id, 0), i.type, %s AS w, COUNT(*), SUM(CASE WHEN i.occurred_at >= $%d THEN 1 ELSE 0 END) FROM interactions i
		WHERE i.occurred_at >= $1 AND i.occurred_at < $2 GROUP BY 1, 2, 3`,
	stages: `SELECT COALESCE(c.owner_id, 0), c.stage, COUNT(*) FROM contacts c GROUP BY c.owner_id, c.stage`,
	moves: `SELECT COALESCE((SELECT c.owner_id FROM contacts c WHERE c.id = a.entity_id), 0), COALESCE(a.changes->'stage'->>0, ''),
		COALESCE(a.changes->'stage'->>1, ''), COUNT(*) FROM audit_events a WHERE a.action = 'update' AND a.entity = 'contact'
		AND a.at >= $1 AND a.at < $2 AND a.changes->'stage' IS NOT NULL GROUP BY 1, 2, 3`,
	movesSQLite: `SELECT COALESCE((SELECT c.owner_id FROM contacts c WHERE c.id = a.entity_id), 0), COALESCE(json_extract(a.changes, '$.stage[0]'), ''),
		COALESCE(json_extract(a.changes, '$.stage[1]'), ''), COUNT(*) FROM audit_events a WHERE a.action = 'update' AND a.entity = 'contact'
		AND a.at >= $1 AND a.at < $2 AND json_extract(a.changes, '$.stage') IS NOT NULL GROUP BY 1, 2, 3`,
	stale: `SELECT COALESCE(u.name, ''), COUNT(*) FROM contacts c LEFT JOIN users u ON u.id = c.owner_id
		WHERE c.touch_due_at < $1 GROUP BY c.owner_id, u.name ORDER BY 2 DESC, 1`,
	advocates: `SELECT COALESCE(c.owner_id, 0), n.kind, %s AS m, COUNT(*) FROM nominations n LEFT JOIN contacts c ON c.id = n.contact_id
		WHERE n.status = 'approved' AND n.decided_at >= $1 AND n.decided_at < $2 GROUP BY 1, 2, 3`,
	coverage: `SELECT COALESCE(k.created_by_id, 0), k.kind, COUNT(*), COALESCE(SUM(k.reach), 0) FROM coverage_items k
		WHERE k.published_at >= $1 AND k.published_at < $2 GROUP BY 1, 2`,
}

// bucket numbers col's place among bounds (the starts of the buckets after
// the first) from 0: on PostgreSQL width_bucket, a binary search, as $3 (an
// array); on SQLite a CASE of the bounds from $3 on.
func bucket(dia, col string, bounds []time.Time) (string, []any) {
	if dia == dialect.Postgres {
		s := make([]string, len(bounds))
		for i, b := range bounds {
			s[i] = b.Format(time.RFC3339Nano)
		}
		return fmt.Sprintf("width_bucket(%s, $3::timestamptz[])", col), []any{pq.Array(s)}
	}
	var b strings.Builder
	args := make([]any, len(bounds))
	for i, t := range bounds {
		fmt.Fprintf(&b, "WHEN %s < $%d THEN %d ", col, 3+i, i)
		args[i] = t
	}
	fmt.Fprintf(&b, "ELSE %d", len(bounds))
	return "CASE " + b.String() + " END", args
}

// loadChartTotals reads the team's charts at now, per person: one
// set-wise query per chart (every interaction of the StartWeeks weeks and
// every contact are read once, for everybody), run concurrently.
func loadChartTotals(ctx context.Context, client *ent.Client, now time.Time) (*chartTotals, error) {
	s := newStartCharts(now)
	t := &chartTotals{base: s, weekly: map[int]map[string][]int{}, stages: map[int][]int{}, moves: map[int][]StageMove{},
		gained: map[int][]int{}, lost: map[int][]int{}, coverage: map[int]map[string]KindCount{}}
	month := s.Months[len(s.Months)-1]
	weekEnd, monthEnd := s.Weeks[len(s.Weeks)-1].AddDate(0, 0, 7), month.AddDate(0, 1, 0)
	dia := client.Dialect()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return t.loadWeekly(ctx, client, dia, weekEnd, now.UTC().Add(-DashboardWindow)) })
	g.Go(func() error { return t.loadStages(ctx, client) })
	g.Go(func() error { return t.loadMoves(ctx, client, dia, month, monthEnd) })
	g.Go(func() error { return t.loadStale(ctx, client, now.UTC()) })
	g.Go(func() error { return t.loadAdvocates(ctx, client, dia, monthEnd) })
	g.Go(func() error { return t.loadCoverage(ctx, client, month, monthEnd) })
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("start charts: %w", err)
	}
	return t, nil
}

func (t *chartTotals) loadWeekly(ctx context.Context, client *ent.Client, dia string, end, since time.Time) error {
	w, args := bucket(dia, "i.occurred_at", t.base.Weeks[1:])
	args = append(append([]any{t.base.Weeks[0], end}, args...), since)
	return scan(ctx, client, fmt.Sprintf(chartSQL.weekly, w, len(args)), args, func(rows *sql.Rows) error {
		var author, w, n, recent int
		var typ string
		if err := rows.Scan(&author, &typ, &w, &n, &recent); err != nil {
			return err
		}
		t.recent += recent
		if t.weekly[author] == nil {
			t.weekly[author] = map[string][]int{}
		}
		if t.weekly[author][typ] == nil {
			t.weekly[author][typ] = make([]int, StartWeeks)
		}
		t.weekly[author][typ][w] += n
		return nil
	})
}

func (t *chartTotals) loadStages(ctx context.Context, client *ent.Client) error {
	return scan(ctx, client, chartSQL.stages, nil, func(rows *sql.Rows) error {
		var owner, n int
		var st string
		if err := rows.Scan(&owner, &st, &n); err != nil {
			return err
		}
		t.contacts += n
		if t.stages[owner] == nil {
			t.stages[owner] = make([]int, len(funnel))
		}
		if i, ok := funnelIndex[st]; ok {
			t.stages[owner][i] += n
		}
		return nil
	})
}

// loadMoves counts this month's stage changes per owner (funnel order).
func (t *chartTotals) loadMoves(ctx context.Context, client *ent.Client, dia string, from, to time.Time) error {
	q := chartSQL.moves
	if dia != dialect.Postgres {
		q = chartSQL.movesSQLite
	}
	return scan(ctx, client, q, []any{from, to}, func(rows *sql.Rows) error {
		var owner, n int
		var old, cur string
		if err := rows.Scan(&owner, &old, &cur, &n); err != nil || old == cur {
			return err
		}
		m := t.moves[owner]
		if m == nil {
			m = make([]StageMove, len(funnel))
			t.moves[owner] = m
		}
		if i, ok := funnelIndex[old]; ok {
			m[i].Left += n
		}
		if i, ok := funnelIndex[cur]; ok {
			m[i].Entered += n
		}
		return nil
	})
}

func (t *chartTotals) loadStale(ctx context.Context, client *ent.Client, now time.Time) error {
	return scan(ctx, client, chartSQL.stale, []any{now}, func(rows *sql.Rows) error {
		var o OwnerCount
		if err := rows.Scan(&o.Owner, &o.Count); err != nil {
			return err
		}
		t.pastCadence += o.Count
		t.stale = append(t.stale, o)
		return nil
	})
}

func (t *chartTotals) loadAdvocates(ctx context.Context, client *ent.Client, dia string, end time.Time) error {
	m, args := bucket(dia, "n.decided_at", t.base.Months[1:])
	return scan(ctx, client, fmt.Sprintf(chartSQL.advocates, m), append([]any{t.base.Months[0], end}, args...), func(rows *sql.Rows) error {
		var owner, m, n int
		var kind string
		if err := rows.Scan(&owner, &kind, &m, &n); err != nil {
			return err
		}
		into := t.gained
		if kind == "demote" {
			into = t.lost
		}
		if into[owner] == nil {
			into[owner] = make([]int, StartMonths)
		}
		into[owner][m] += n
		return nil
	})
}

func (t *chartTotals) loadCoverage(ctx context.Context, client *ent.Client, from, to time.Time) error {
	return scan(ctx, client, chartSQL.coverage, []any{from, to}, func(rows *sql.Rows) error {
		var owner int
		var k KindCount
		if err := rows.Scan(&owner, &k.Kind, &k.Count, &k.Reach); err != nil {
			return err
		}
		if t.coverage[owner] == nil {
			t.coverage[owner] = map[string]KindCount{}
		}
		t.coverage[owner][k.Kind] = k
		return nil
	})
}

// For is ownerID's charts, or the team's for 0: the team's sum every
// person's figures (and those of nobody's) and add the stale chart.
func (t *chartTotals) For(ownerID int) *StartCharts {
	b := t.base
	s := &StartCharts{Weeks: b.Weeks, Months: b.Months, PerWeek: map[string][]int{}, Stages: slices.Clone(b.Stages),
		Gained: make([]int, StartMonths), Lost: make([]int, StartMonths)}
	of := func(id int) bool { return ownerID == 0 || id == ownerID }
	cov := map[string]KindCount{}
	for id, types := range t.weekly {
		for typ, n := range types {
			if of(id) {
				if s.PerWeek[typ] == nil {
					s.PerWeek[typ] = make([]int, StartWeeks)
					s.Types = append(s.Types, typ)
				}
				addTo(s.PerWeek[typ], n)
			}
		}
	}
	slices.Sort(s.Types)
	for id, n := range t.stages {
		for i := range n {
			if of(id) {
				s.Stages[i].Count += n[i]
			}
		}
	}
	for id, m := range t.moves {
		for i := range m {
			if of(id) {
				s.Stages[i].Entered += m[i].Entered
				s.Stages[i].Left += m[i].Left
			}
		}
	}
	for id, n := range t.gained {
		if of(id) {
			addTo(s.Gained, n)
		}
	}
	for id, n := range t.lost {
		if of(id) {
			addTo(s.Lost, n)
		}
	}
	for id, kinds := range t.coverage {
		for _, k := range kinds {
			if of(id) {
				c := cov[k.Kind]
				cov[k.Kind] = KindCount{Kind: k.Kind, Count: c.Count + k.Count, Reach: c.Reach + k.Reach}
			}
		}
	}
	for _, k := range cov {
		s.Coverage = append(s.Coverage, k)
	}
	slices.SortFunc(s.Coverage, func(a, b KindCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Kind, b.Kind)) })
	if ownerID == 0 {
		s.Stale = t.stale
	}
	return s
}

func addTo(sum, n []int) {
	for i := range n {
		sum[i] += n[i]
	}
}

// scan runs q and hands each row to each.
func scan(ctx context.Context, client *ent.Client, q string, args []any, each func(*sql.Rows) error) error {
	rows, err := client.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("chart query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("chart row: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("chart rows: %w", err)
	}
	return nil
}
