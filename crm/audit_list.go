package crm

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	ActorID        int
	Entity, Action string
	EntityID       int
	From, To       time.Time // To is exclusive
	Before         int       // keyset: events with a smaller id
	Limit          int
}

// AuditPage is one page of events, newest first.
type AuditPage struct {
	Events []*ent.AuditEvent
	Next   int // Before for the next page, 0 on the last
}

// ListAudit returns events matching f, newest first.
func ListAudit(ctx context.Context, client *ent.Client, f AuditFilter) (*AuditPage, error) {
	var where []predicate.AuditEvent
	if f.ActorID != 0 {
		where = append(where, auditevent.ActorID(f.ActorID))
	}
	if f.Entity != "" {
		where = append(where, auditevent.Entity(f.Entity))
	}
	if f.EntityID != 0 {
		where = append(where, auditevent.EntityID(f.EntityID))
	}
	if f.Action != "" {
		where = append(where, auditevent.Action(f.Action))
	}
	if !f.From.IsZero() {
		where = append(where, auditevent.AtGTE(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, auditevent.AtLT(f.To.UTC()))
	}
	return auditPage(ctx, client, where, f.Before, f.Limit)
}

// ContactHistory returns the events of a contact and of the interactions
// logged with it, newest first.
func ContactHistory(ctx context.Context, client *ent.Client, contactID, before int) (*AuditPage, error) {
	mine := auditevent.And(auditevent.Entity(EntityContact), auditevent.EntityID(contactID))
	itsInteractions := auditevent.And(auditevent.Entity(EntityInteraction), func(s *sql.Selector) {
		p := sql.Table(participation.Table)
		s.Where(sql.In(s.C(auditevent.FieldEntityID),
			sql.Select(p.C(participation.FieldInteractionID)).From(p).Where(sql.EQ(p.C(participation.FieldContactID), contactID))))
	})
	return auditPage(ctx, client, []predicate.AuditEvent{auditevent.Or(mine, itsInteractions)}, before, 50)
}

func auditPage(ctx context.Context, client *ent.Client, where []predicate.AuditEvent, before, limit int) (*AuditPage, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before > 0 {
		where = append(where, auditevent.IDLT(before))
	}
	evs, err := client.AuditEvent.Query().Where(where...).Order(ent.Desc(auditevent.FieldID)).Limit(limit + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	page := &AuditPage{Events: evs}
	if len(evs) > limit {
		page.Events = evs[:limit]
		page.Next = evs[limit-1].ID
	}
	return page, nil
}
