package crm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/nomination"
)

// ReviewItem is one nomination of the review queue with what a manager needs
// to decide: the contact's health, reach and recent timeline.
type ReviewItem struct {
	Nomination CardNomination
	ContactID  int
	Name       string
	Stage      string
	Region     string
	Owner      string
	Health     int
	Reach      int64
	TouchDueAt *time.Time
	Recent     []TimelineEntry
}

// reviewQueueMax is the most nominations the queue shows at once.
const reviewQueueMax = 50

// recentPerContactQuery reads the newest interactions of several contacts, a
// few each, in one query (window functions: PostgreSQL and SQLite ≥ 3.25).
const recentPerContactQuery = `
SELECT contact_id, id, type, direction, sentiment, subject, author, occurred_at FROM (
	SELECT p.contact_id, i.id, i.type, i.direction, i.sentiment, i.subject, COALESCE(u.name, '') AS author, i.occurred_at,
		ROW_NUMBER() OVER (PARTITION BY p.contact_id ORDER BY i.occurred_at DESC, i.id DESC) AS rn
	FROM participations p JOIN interactions i ON i.id = p.interaction_id LEFT JOIN users u ON u.id = i.author_id
	WHERE %s
) x WHERE rn <= %d`

// ReviewQueue lists the open and needs-information nominations, oldest first.
func ReviewQueue(ctx context.Context, client *ent.Client) ([]ReviewItem, error) {
	ns, err := client.Nomination.Query().Where(nomination.StatusIn(nomination.StatusOpen, nomination.StatusNeedsInfo)).
		Order(nomination.ByCreatedAt(), nomination.ByID()).Limit(reviewQueueMax).
		WithContact(func(q *ent.ContactQuery) { q.WithOwner() }).WithNominatedBy().WithEvidence().
		WithDecisions(func(q *ent.NominationDecisionQuery) { q.WithDecidedBy() }).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	items := make([]ReviewItem, len(ns))
	var ids []int
	for i, n := range ns {
		c := n.Edges.Contact
		items[i] = ReviewItem{Nomination: cardNomination(n), ContactID: c.ID, Name: DisplayName(c.FirstName, c.LastName),
			Stage: string(c.Stage), Region: c.Region, Health: c.Health, Reach: c.Reach, TouchDueAt: c.TouchDueAt}
		if o := c.Edges.Owner; o != nil {
			items[i].Owner = o.Name
		}
		ids = append(ids, c.ID)
	}
	recent, err := recentPerContact(ctx, client, ids, 5)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Recent = recent[items[i].ContactID]
	}
	return items, nil
}

// cardNomination turns a nomination loaded with its edges into its view.
func cardNomination(n *ent.Nomination) CardNomination {
	cn := CardNomination{ID: n.ID, Kind: string(n.Kind), Status: string(n.Status), Reason: n.Reason,
		CreatedAt: n.CreatedAt, Links: n.EvidenceLinks}
	if u := n.Edges.NominatedBy; u != nil {
		cn.NominatorID, cn.NominatorName = u.ID, u.Name
	}
	for _, it := range n.Edges.Evidence {
		cn.Evidence = append(cn.Evidence, CardEvidence{InteractionID: it.ID, Type: string(it.Type), Subject: it.Subject, OccurredAt: it.OccurredAt})
	}
	sort.Slice(cn.Evidence, func(i, j int) bool { return cn.Evidence[i].OccurredAt.After(cn.Evidence[j].OccurredAt) })
	for _, d := range n.Edges.Decisions {
		cd := CardDecision{Decision: string(d.Decision), Comment: d.Comment, At: d.At}
		if u := d.Edges.DecidedBy; u != nil {
			cd.By = u.Name
		}
		cn.Decisions = append(cn.Decisions, cd)
	}
	sort.Slice(cn.Decisions, func(i, j int) bool { return cn.Decisions[i].At.Before(cn.Decisions[j].At) })
	return cn
}

// recentPerContact returns up to per newest interactions of each contact.
func recentPerContact(ctx context.Context, client *ent.Client, ids []int, per int) (map[int][]TimelineEntry, error) {
	out := map[int][]TimelineEntry{}
	ids = uniqueInts(ids)
	if len(ids) == 0 {
		return out, nil
	}
	a := newSQLArgs(client.Dialect())
	rows, err := client.QueryContext(ctx, fmt.Sprintf(recentPerContactQuery, a.in("p.contact_id", ids), per), a.list...)
	if err != nil {
		return nil, fmt.Errorf("recent interactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int
		var e TimelineEntry
		if err := rows.Scan(&cid, &e.ID, &e.Type, &e.Direction, &e.Sentiment, &e.Subject, &e.Author, &e.OccurredAt); err != nil {
			return nil, fmt.Errorf("recent interactions: %w", err)
		}
		out[cid] = append(out[cid], e)
	}
	for _, es := range out {
		sort.Slice(es, func(i, j int) bool { return es[i].OccurredAt.After(es[j].OccurredAt) })
	}
	return out, rows.Err()
}

// OpenNominations counts the nominations waiting for a manager.
func OpenNominations(ctx context.Context, client *ent.Client) (int, error) {
	n, err := client.Nomination.Query().Where(nomination.StatusEQ(nomination.StatusOpen)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count open nominations: %w", err)
	}
	return n, nil
}
