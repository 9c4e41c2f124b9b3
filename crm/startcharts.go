package crm

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// StartWeeks and StartMonths are the spans of the start page's charts.
const (
	StartWeeks  = 12
	StartMonths = 6
)

// StartCharts are the start page's charts for one person (their interactions,
// contacts and coverage) or the whole team: parts of the team's totals
// (chartTotals). Shared between pages when cached: read only.
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

// newStartCharts is the empty charts of the spans at now.
func newStartCharts(now time.Time) *StartCharts {
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
	return s
}

// LoadStartCharts reads the charts at now for ownerID's work, or the team's
// when ownerID is 0 (see loadChartTotals).
func LoadStartCharts(ctx context.Context, client *ent.Client, ownerID int, now time.Time) (*StartCharts, error) {
	t, err := loadChartTotals(ctx, client, now)
	if err != nil {
		return nil, err
	}
	return t.For(ownerID), nil
}

// TeamCharts returns the team's start page charts (see StartCharts).
func (l *Lookups) TeamCharts(ctx context.Context, now time.Time) (*StartCharts, error) {
	t, err := l.chartTotals(ctx, now)
	if err != nil {
		return nil, err
	}
	return t.For(0), nil
}

// chartTotals are the charts' figures of the whole team per person, cached
// until the TTL or a write that can change them: everyone's start page shows
// a part of them (their own) and the managers' all of them, so a start page
// reads no chart statement while they are cached. A declared contact write
// that changed only what rows show (a title, an e-mail address) keeps them:
// stage, owner and touch-due changes are list or activity writes, and
// interactions are activity writes. Once read, stale totals are served
// while one refresh runs in the background (cache_refresh.go).
func (l *Lookups) chartTotals(ctx context.Context, now time.Time) (*chartTotals, error) {
	return l.totals.getStale(ctx, l, l.totalsScope(), l.loadTotals(now))
}

// chartTotalsNow is chartTotals never stale: it waits for a refresh that
// runs or reads the totals itself. The dashboard's figures, which are taken
// from the totals, read them so in their own refresh.
func (l *Lookups) chartTotalsNow(ctx context.Context, now time.Time) (*chartTotals, error) {
	return l.totals.get(ctx, l, l.totalsScope(), l.loadTotals(now))
}

func (l *Lookups) totalsScope() scope[*chartTotals] {
	return scope[*chartTotals]{gen: l.listsGen, hit: func(_ *chartTotals, w rowWrite) bool { return w.activity }}
}

func (l *Lookups) loadTotals(now time.Time) func(context.Context) (*chartTotals, error) {
	return func(ctx context.Context) (*chartTotals, error) { return loadChartTotals(ctx, l.client, now) }
}

// LoadStartChartsFor reads userID's charts and, for a manager, the team's:
// both from the team's totals, cached in l when it is not nil.
func LoadStartChartsFor(ctx context.Context, client *ent.Client, l *Lookups, userID int, manager bool, now time.Time) (mine, team *StartCharts, err error) {
	var t *chartTotals
	if l != nil {
		t, err = l.chartTotals(ctx, now)
	} else {
		t, err = loadChartTotals(ctx, client, now)
	}
	if err != nil {
		return nil, nil, err
	}
	if manager {
		team = t.For(0)
	}
	return t.For(userID), team, nil
}

// funnelIndex is each stage's place in funnel.
var funnelIndex = func() map[string]int {
	m := map[string]int{}
	for i, st := range funnel {
		m[st] = i
	}
	return m
}()
