package crm

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"
	"golang.org/x/sync/errgroup"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/task"
)

// MyWork is the personal part of the dashboard: follow-ups due, neglected
// relationships and, for managers, the nominations waiting for them.
type MyWork struct {
	Due            []TaskRow // open, due by the end of today, oldest first
	DueCount       int
	Stale          []StaleContact // engaged or better, past their cadence, most overdue first
	StaleCount     int
	Nominations    []NominationLine // managers only
	NominationOpen int
}

// StaleContact is a relationship past its cadence.
type StaleContact struct {
	ID         int
	Name       string
	Stage      string
	Health     int
	TouchDueAt time.Time
}

// NominationLine is a nomination waiting for a decision.
type NominationLine struct {
	ID, ContactID       int
	ContactName, Kind   string
	Status, NominatedBy string
	CreatedAt           time.Time
}

// dashboardList is how many lines each dashboard list shows.
const dashboardList = 10

// LoadMyWork reads the dashboard's personal lists for userID at now: the
// follow-ups, the stale relationships and (managers) the nominations are
// independent, so they are read concurrently, each as a count and its first
// lines.
func LoadMyWork(ctx context.Context, client *ent.Client, userID int, manager bool, now time.Time) (*MyWork, error) {
	w := &MyWork{}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return w.loadDue(ctx, client, userID, now) })
	g.Go(func() error { return w.loadStale(ctx, client, userID, now) })
	if manager {
		g.Go(func() error { return w.loadNominations(ctx, client) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *MyWork) loadDue(ctx context.Context, client *ent.Client, userID int, now time.Time) error {
	endOfDay := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	due := client.Task.Query().Where(task.AssigneeID(userID), task.DoneAtIsNil(), task.DueAtLT(endOfDay))
	var err error
	if w.DueCount, err = due.Clone().Aggregate(ent.Count()).Int(ctx); err != nil {
		return fmt.Errorf("dashboard: follow-ups: %w", err)
	}
	if w.DueCount == 0 {
		return nil
	}
	ts, err := due.Order(task.ByDueAt(), task.ByID()).Limit(dashboardList).WithContact().All(ctx)
	if err != nil {
		return fmt.Errorf("dashboard: follow-ups: %w", err)
	}
	w.Due = taskRows(ts)
	return nil
}

// loadStale reads the owner's engaged-or-better contacts past their
// cadence. The count is an index-only scan of (owner_id, stage,
// touch_due_at); the list takes the first lines of each stage's range of it,
// already in order, and merges them: ordering the whole set at once would
// read every stale contact of the owner.
func (w *MyWork) loadStale(ctx context.Context, client *ent.Client, userID int, now time.Time) error {
	stages := toStages(AtLeast(Engaged))
	var err error
	w.StaleCount, err = client.Contact.Query().Where(contact.OwnerID(userID), contact.StageIn(stages...), contact.TouchDueAtLT(now.UTC())).
		Aggregate(ent.Count()).Int(ctx)
	if err != nil {
		return fmt.Errorf("dashboard: stale: %w", err)
	}
	if w.StaleCount == 0 {
		return nil
	}
	var cs []*ent.Contact
	for _, st := range stages {
		part, err := client.Contact.Query().Where(contact.OwnerID(userID), contact.StageEQ(st), contact.TouchDueAtLT(now.UTC())).
			Order(contact.ByTouchDueAt(), contact.ByID()).Limit(dashboardList).
			Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName, contact.FieldStage, contact.FieldHealth, contact.FieldTouchDueAt).All(ctx)
		if err != nil {
			return fmt.Errorf("dashboard: stale: %w", err)
		}
		cs = append(cs, part...)
	}
	slices.SortFunc(cs, func(a, b *ent.Contact) int {
		return cmp.Or(a.TouchDueAt.Compare(*b.TouchDueAt), cmp.Compare(a.ID, b.ID))
	})
	for _, c := range cs[:min(len(cs), dashboardList)] {
		w.Stale = append(w.Stale, StaleContact{ID: c.ID, Name: DisplayName(c.FirstName, c.LastName), Stage: string(c.Stage),
			Health: c.Health, TouchDueAt: *c.TouchDueAt})
	}
	return nil
}

func (w *MyWork) loadNominations(ctx context.Context, client *ent.Client) error {
	q := client.Nomination.Query().Where(nomination.StatusIn(nomination.StatusOpen, nomination.StatusNeedsInfo))
	var err error
	if w.NominationOpen, err = q.Clone().Aggregate(ent.Count()).Int(ctx); err != nil {
		return fmt.Errorf("dashboard: nominations: %w", err)
	}
	if w.NominationOpen == 0 {
		return nil
	}
	ns, err := q.Order(nomination.ByCreatedAt(sql.OrderAsc()), nomination.ByID()).Limit(dashboardList).
		WithContact(func(q *ent.ContactQuery) { q.Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName) }).
		WithNominatedBy().All(ctx)
	if err != nil {
		return fmt.Errorf("dashboard: nominations: %w", err)
	}
	for _, n := range ns {
		l := NominationLine{ID: n.ID, ContactID: n.ContactID, Kind: string(n.Kind), Status: string(n.Status), CreatedAt: n.CreatedAt}
		if c := n.Edges.Contact; c != nil {
			l.ContactName = DisplayName(c.FirstName, c.LastName)
		}
		if u := n.Edges.NominatedBy; u != nil {
			l.NominatedBy = u.Name
		}
		w.Nominations = append(w.Nominations, l)
	}
	return nil
}
