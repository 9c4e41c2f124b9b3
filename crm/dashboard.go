package crm

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// DashboardStats are the start page's figures.
type DashboardStats struct {
	Contacts, Outlets, Interactions, Stale int
	Recent                                 []RecentInteraction
}

// RecentInteraction is one line of recent team activity.
type RecentInteraction struct {
	ContactID             int
	ContactName           string
	Type, Subject, Author string
	OccurredAt            time.Time
}

// StaleAfter is how long without an interaction makes a relationship stale,
// until stages bring their own cadence.
const StaleAfter = 90 * 24 * time.Hour

const recentQuery = `
SELECT c.id, c.first_name, c.last_name, i.type, i.subject, COALESCE(u.name, ''), i.occurred_at
FROM interactions i
JOIN participations p ON p.interaction_id = i.id
JOIN contacts c ON c.id = p.contact_id
LEFT JOIN users u ON u.id = i.author_id
ORDER BY i.occurred_at DESC, i.id DESC
LIMIT 15`

// LoadDashboard counts records and reads the 15 newest interactions.
func LoadDashboard(ctx context.Context, client *ent.Client, now time.Time) (*DashboardStats, error) {
	var s DashboardStats
	var err error
	if s.Contacts, err = client.Contact.Query().Count(ctx); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	if s.Outlets, err = client.Outlet.Query().Count(ctx); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	if s.Interactions, err = client.Interaction.Query().Count(ctx); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	cut := now.Add(-StaleAfter).UTC()
	if s.Stale, err = client.Contact.Query().Where(contact.Or(contact.LastInteractionAtIsNil(), contact.LastInteractionAtLT(cut))).Count(ctx); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	rows, err := client.QueryContext(ctx, recentQuery)
	if err != nil {
		return nil, fmt.Errorf("dashboard: recent: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RecentInteraction
		var first, last string
		if err := rows.Scan(&r.ContactID, &first, &last, &r.Type, &r.Subject, &r.Author, &r.OccurredAt); err != nil {
			return nil, fmt.Errorf("dashboard: recent: %w", err)
		}
		r.ContactName = DisplayName(first, last)
		s.Recent = append(s.Recent, r)
	}
	return &s, rows.Err()
}
