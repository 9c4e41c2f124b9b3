package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/sync/errgroup"

	"github.com/rapport-crm/rapport/ent"
)

// StartWeeks and StartMonths are the spans of the start page's charts.
const (
	StartWeeks  = 12
	StartMonths = 6
)

// StartCharts are the start page's charts for one person (their interactions,
// contacts and coverage) or the whole team. Each is one set-wise query.
type StartCharts struct {
	Weeks    []time.Time      // the Monday (UTC) each of the StartWeeks weeks starts, oldest first
	Types    []string         // interaction types that occur, sorted
	PerWeek  map[string][]int // type → interactions per week
	Stages   []StageMove      // every stage, funnel order
	Stale    []OwnerCount     // contacts past their cadence per owner, most first (the team's only)
	Months   []time.Time      // the first of each of the StartMonths months, oldest first
	Gained   []int            // advocates gained (approved promotions) per month
	Lost     []int            // advocates lost (approved demotions) per month
	Coverage []KindCount      // coverage items published this month by kind, most first
}

// StageMove is a stage's contacts now and how many entered and left it this month.
type StageMove struct {
	Stage                string
	Count, Entered, Left int
}

// OwnerCount is a number of contacts of an owner ("" for no owner).
type OwnerCount struct {
	Owner string
	Count int
}

// KindCount is a number of coverage items of a kind and their reach.
type KindCount struct {
	Kind  string
	Count int
	Reach int64
}

// funnel is the stages in order.
var funnel = []string{"unknown", "aware", "engaged", "supporter", "advocate"}

// chartSQL are the charts' queries. $1 … are the bounds; the owner's
// condition is added with the last parameter when the charts are one person's.
var chartSQL = struct{ weekly, stages, moves, movesSQLite, stale, advocates, coverage string }{
	weekly: `SELECT i.type, CASE %s END AS w, COUNT(*) FROM interactions i
		WHERE i.occurred_at >= $1 AND i.occurred_at < $2 %s GROUP BY i.type, w`,
	stages: `SELECT c.stage, COUNT(*) FROM contacts c WHERE 1 = 1 %s GROUP BY c.stage`,
	moves: `SELECT COALESCE(a.changes->'stage'->>0, ''), COALESCE(a.changes->'stage'->>1, ''), COUNT(*)
		FROM audit_events a %s WHERE a.action = 'update' AND a.entity = 'contact' AND a.at >= $1 AND a.at < $2
		AND a.changes->'stage' IS NOT NULL GROUP BY 1, 2`,
	movesSQLite: `SELECT COALESCE(json_extract(a.changes, '$.stage[0]'), ''), COALESCE(json_extract(a.changes, '$.stage[1]'), ''), COUNT(*)
		FROM audit_events a %s WHERE a.action = 'update' AND a.entity = 'contact' AND a.at >= $1 AND a.at < $2
		AND json_extract(a.changes, '$.stage') IS NOT NULL GROUP BY 1, 2`,
	stale: `SELECT COALESCE(u.name, ''), COUNT(*) FROM contacts c LEFT JOIN users u ON u.id = c.owner_id
		WHERE c.touch_due_at < $1 GROUP BY c.owner_id, u.name ORDER BY 2 DESC, 1`,
	advocates: `SELECT n.kind, CASE %s END AS m, COUNT(*) FROM nominations n %s
		WHERE n.status = 'approved' AND n.decided_at >= $1 AND n.decided_at < $2 GROUP BY n.kind, m`,
	coverage: `SELECT k.kind, COUNT(*), COALESCE(SUM(k.reach), 0) FROM coverage_items k
		WHERE k.published_at >= $1 AND k.published_at < $2 %s GROUP BY k.kind ORDER BY 2 DESC, 1`,
}

// bucketCase is a CASE that numbers the span between bounds[0] and the last
// bound: WHEN col < $first+1 THEN 0 … ELSE n-1; the bounds after the first
// two are parameters from $first on.
func bucketCase(col string, n, first int) string {
	var b strings.Builder
	for i := 0; i < n-1; i++ {
		fmt.Fprintf(&b, "WHEN %s < $%d THEN %d ", col, first+i, i)
	}
	fmt.Fprintf(&b, "ELSE %d", n-1)
	return b.String()
}

// LoadStartCharts reads the charts at now for ownerID's work, or the team's
// when ownerID is 0: one query per chart (two for the funnel and its
// moves), run concurrently.
func LoadStartCharts(ctx context.Context, client *ent.Client, ownerID int, now time.Time) (*StartCharts, error) {
	now = now.UTC()
	day := now.Truncate(24 * time.Hour)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	s := &StartCharts{PerWeek: map[string][]int{}, Gained: make([]int, StartMonths), Lost: make([]int, StartMonths)}
	for _, st := range funnel {
		s.Stages = append(s.Stages, StageMove{Stage: st})
	}
	for i := StartWeeks - 1; i >= 0; i-- {
		s.Weeks = append(s.Weeks, monday.AddDate(0, 0, -7*i))
	}
	for i := StartMonths - 1; i >= 0; i-- {
		s.Months = append(s.Months, month.AddDate(0, -i, 0))
	}
	weekEnd, monthEnd := monday.AddDate(0, 0, 7), month.AddDate(0, 1, 0)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.loadWeekly(ctx, client, ownerID, weekEnd) })
	moves := make([]StageMove, len(funnel))
	g.Go(func() error { return s.loadStages(ctx, client, ownerID) })
	g.Go(func() error { return loadMoves(ctx, client, ownerID, month, monthEnd, moves) })
	if ownerID == 0 {
		g.Go(func() error { return s.loadStale(ctx, client, now) })
	}
	g.Go(func() error { return s.loadAdvocates(ctx, client, ownerID, monthEnd) })
	g.Go(func() error { return s.loadCoverage(ctx, client, ownerID, month, monthEnd) })
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("start charts: %w", err)
	}
	for i, m := range moves {
		s.Stages[i].Entered, s.Stages[i].Left = m.Entered, m.Left
	}
	return s, nil
}

// ownerScope is the owner condition and its argument, numbered after n others.
func ownerScope(cond string, ownerID, n int) (string, []any) {
	if ownerID == 0 {
		return "", nil
	}
	return fmt.Sprintf(cond, n+1), []any{ownerID}
}

func (s *StartCharts) loadWeekly(ctx context.Context, client *ent.Client, ownerID int, end time.Time) error {
	args := []any{s.Weeks[0], end}
	for _, w := range s.Weeks[1:] {
		args = append(args, w)
	}
	cond, extra := ownerScope("AND i.author_id = $%d", ownerID, len(args))
	q := fmt.Sprintf(chartSQL.weekly, bucketCase("i.occurred_at", StartWeeks, 3), cond)
	return scan(ctx, client, q, append(args, extra...), func(rows *sql.Rows) error {
		var typ string
		var w, n int
		if err := rows.Scan(&typ, &w, &n); err != nil {
			return err
		}
		if s.PerWeek[typ] == nil {
			s.PerWeek[typ] = make([]int, StartWeeks)
			s.Types = append(s.Types, typ)
		}
		s.PerWeek[typ][w] += n
		return nil
	}, func() { slices.Sort(s.Types) })
}

// funnelIndex is each stage's place in funnel.
var funnelIndex = func() map[string]int {
	m := map[string]int{}
	for i, st := range funnel {
		m[st] = i
	}
	return m
}()

func (s *StartCharts) loadStages(ctx context.Context, client *ent.Client, ownerID int) error {
	cond, extra := ownerScope("AND c.owner_id = $%d", ownerID, 0)
	return scan(ctx, client, fmt.Sprintf(chartSQL.stages, cond), extra, func(rows *sql.Rows) error {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return err
		}
		if i, ok := funnelIndex[st]; ok {
			s.Stages[i].Count = n
		}
		return nil
	}, nil)
}

// loadMoves counts this month's stage changes into moves (funnel order).
func loadMoves(ctx context.Context, client *ent.Client, ownerID int, from, to time.Time, moves []StageMove) error {
	q := chartSQL.moves
	if client.Dialect() != dialect.Postgres {
		q = chartSQL.movesSQLite
	}
	join, extra := ownerScope("JOIN contacts c ON c.id = a.entity_id AND c.owner_id = $%d", ownerID, 2)
	return scan(ctx, client, fmt.Sprintf(q, join), append([]any{from, to}, extra...), func(rows *sql.Rows) error {
		var old, cur string
		var n int
		if err := rows.Scan(&old, &cur, &n); err != nil {
			return err
		}
		if i, ok := funnelIndex[old]; ok && old != cur {
			moves[i].Left += n
		}
		if i, ok := funnelIndex[cur]; ok && old != cur {
			moves[i].Entered += n
		}
		return nil
	}, nil)
}

func (s *StartCharts) loadStale(ctx context.Context, client *ent.Client, now time.Time) error {
	return scan(ctx, client, chartSQL.stale, []any{now}, func(rows *sql.Rows) error {
		var o OwnerCount
		if err := rows.Scan(&o.Owner, &o.Count); err != nil {
			return err
		}
		s.Stale = append(s.Stale, o)
		return nil
	}, nil)
}

func (s *StartCharts) loadAdvocates(ctx context.Context, client *ent.Client, ownerID int, end time.Time) error {
	args := []any{s.Months[0], end}
	for _, m := range s.Months[1:] {
		args = append(args, m)
	}
	join, extra := ownerScope("JOIN contacts c ON c.id = n.contact_id AND c.owner_id = $%d", ownerID, len(args))
	q := fmt.Sprintf(chartSQL.advocates, bucketCase("n.decided_at", StartMonths, 3), join)
	return scan(ctx, client, q, append(args, extra...), func(rows *sql.Rows) error {
		var kind string
		var m, n int
		if err := rows.Scan(&kind, &m, &n); err != nil {
			return err
		}
		if kind == "demote" {
			s.Lost[m] += n
		} else {
			s.Gained[m] += n
		}
		return nil
	}, nil)
}

func (s *StartCharts) loadCoverage(ctx context.Context, client *ent.Client, ownerID int, from, to time.Time) error {
	cond, extra := ownerScope("AND k.created_by_id = $%d", ownerID, 2)
	return scan(ctx, client, fmt.Sprintf(chartSQL.coverage, cond), append([]any{from, to}, extra...), func(rows *sql.Rows) error {
		var k KindCount
		if err := rows.Scan(&k.Kind, &k.Count, &k.Reach); err != nil {
			return err
		}
		s.Coverage = append(s.Coverage, k)
		return nil
	}, nil)
}

// scan runs q and hands each row to each; done runs after the last.
func scan(ctx context.Context, client *ent.Client, q string, args []any, each func(*sql.Rows) error, done func()) error {
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
	if done != nil {
		done()
	}
	return nil
}

// TeamCharts returns the team's start page charts, cached until a write or
// the TTL: every manager's start page shows the same.
func (l *Lookups) TeamCharts(ctx context.Context, now time.Time) (*StartCharts, error) {
	return l.charts.get(ctx, l, scope[*StartCharts]{gen: l.anyWriteGen}, func(ctx context.Context) (*StartCharts, error) {
		return LoadStartCharts(ctx, l.client, 0, now)
	})
}

// LoadStartChartsFor reads userID's charts and, for a manager, the team's
// (from l when it is not nil; nil for others), concurrently.
func LoadStartChartsFor(ctx context.Context, client *ent.Client, l *Lookups, userID int, manager bool, now time.Time) (mine, team *StartCharts, err error) {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { mine, err = LoadStartCharts(ctx, client, userID, now); return err })
	if manager {
		g.Go(func() (err error) {
			if l != nil {
				team, err = l.TeamCharts(ctx, now)
			} else {
				team, err = LoadStartCharts(ctx, client, 0, now)
			}
			return err
		})
	}
	return mine, team, g.Wait()
}
