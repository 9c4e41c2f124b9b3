package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/webhook"
	"github.com/rapport-crm/rapport/ent/webhookdelivery"
	"github.com/rapport-crm/rapport/ent/webhookposition"
)

// Run dispatches and delivers every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Dispatch(ctx); err != nil && ctx.Err() == nil {
			s.opt.Log.Error("webhook dispatch", "err", err)
		}
		if _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.opt.Log.Error("webhook delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Dispatch reads the audit events after the stored position and makes a
// delivery of each for every active webhook subscribed to its type, then
// moves the position, in one transaction. The position moves with
// compare-and-set and each (webhook, event) is unique, so two servers never
// make two deliveries of one event. It returns how many it made.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	made := 0
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		row, pos, err := position(ctx, tx)
		if err != nil {
			return err
		}
		evs, err := tx.AuditEvent.Query().Where(auditevent.IDGT(pos)).Order(auditevent.ByID()).Limit(500).All(ctx)
		if err != nil || len(evs) == 0 {
			return err
		}
		hooks, err := tx.Webhook.Query().Where(webhook.Active(true)).All(ctx)
		if err != nil {
			return err
		}
		now := s.opt.Now().UTC()
		next := pos
		var creates []*ent.WebhookDeliveryCreate
		for _, ev := range evs {
			// A hole in the ids may be a transaction that has not committed yet:
			// wait for it a few seconds (then it rolled back) before passing it.
			if ev.ID != next+1 && now.Sub(ev.At) < gapHold {
				break
			}
			next = ev.ID
			typ, p := eventOf(ev)
			if typ == "" {
				continue
			}
			body, err := json.Marshal(p)
			if err != nil {
				return err
			}
			for _, h := range hooks {
				if !slices.Contains(h.Events, typ) {
					continue
				}
				c := tx.WebhookDelivery.Create().SetWebhookID(h.ID).SetAuditID(ev.ID).SetEvent(typ).SetPayload(string(body)).SetNextAttemptAt(now)
				if len(p.ContactIDs) > 0 {
					c.SetContactID(p.ContactIDs[0])
				}
				creates = append(creates, c)
			}
		}
		if next == pos {
			return nil
		}
		if len(creates) > 0 {
			if err := tx.WebhookDelivery.CreateBulk(creates...).OnConflict(sql.ConflictColumns(webhookdelivery.FieldWebhookID, webhookdelivery.FieldAuditID)).
				DoNothing().Exec(ctx); err != nil {
				return fmt.Errorf("make deliveries: %w", err)
			}
		}
		moved, err := tx.WebhookPosition.Update().Where(webhookposition.ID(row), webhookposition.Position(pos)).SetPosition(next).Save(ctx)
		if err != nil {
			return err
		}
		if moved != 1 {
			return errRaced
		}
		made = len(creates)
		return nil
	})
	if err == errRaced {
		return 0, nil // another server moved it: its deliveries stand
	}
	return made, err
}

var errRaced = fmt.Errorf("webhook position moved by another server")

// position reads the dispatcher's row (the first one, should two servers
// have made one each at once), creating it at first use from the newest
// event: a new installation does not replay its history.
func position(ctx context.Context, tx *ent.Tx) (id, pos int, err error) {
	p, err := tx.WebhookPosition.Query().Order(webhookposition.ByID()).First(ctx)
	if err == nil {
		return p.ID, p.Position, nil
	}
	if !ent.IsNotFound(err) {
		return 0, 0, err
	}
	last, err := tx.AuditEvent.Query().Aggregate(ent.Max(auditevent.FieldID)).Int(ctx)
	if err != nil {
		last = 0 // no events yet: Max of nothing
	}
	if p, err = tx.WebhookPosition.Create().SetPosition(last).Save(ctx); err != nil {
		return 0, 0, err
	}
	return p.ID, p.Position, nil
}
