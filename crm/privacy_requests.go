package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
)

// Audited entity of the /privacy queue.
const EntityPrivacyRequest = "privacy_request"

// RequestAccess logs an access request (Art. 15) of contact id on the
// /privacy queue, due in one month, audited.
func (p *Privacy) RequestAccess(ctx context.Context, id int) (*ent.PrivacyRequest, error) {
	var r *ent.PrivacyRequest
	err := db.WithTx(ctx, p.client, func(ctx context.Context, tx *ent.Tx) error {
		if ok, err := tx.Contact.Query().Where(contact.ID(id)).Exist(ctx); err != nil || !ok {
			if err == nil {
				err = errGone
			}
			return err
		}
		now := p.now().UTC()
		c := tx.PrivacyRequest.Create().SetKind(privacyrequest.KindAccess).SetContactID(id).SetRequestedAt(now).SetDueAt(now.AddDate(0, 1, 0))
		if a := ActorFrom(ctx); a.UserID != 0 {
			c.SetRequestedByID(a.UserID)
		}
		var err error
		if r, err = c.Save(ctx); err != nil {
			return fmt.Errorf("access request: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityPrivacyRequest, EntityID: r.ID,
			Msg: MsgAccessRequest(id)})
	})
	return r, err
}

// Request is one request of the queue.
func (p *Privacy) Request(ctx context.Context, id int) (*ent.PrivacyRequest, error) {
	r, err := p.client.PrivacyRequest.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This request does not exist.")
	}
	if err != nil {
		return nil, fmt.Errorf("privacy request %d: %w", id, err)
	}
	return r, nil
}

// CloseRequest marks request id answered, audited.
func (p *Privacy) CloseRequest(ctx context.Context, id int) error {
	return db.WithTx(ctx, p.client, func(ctx context.Context, tx *ent.Tx) error {
		upd := tx.PrivacyRequest.Update().Where(privacyrequest.ID(id), privacyrequest.StatusEQ(privacyrequest.StatusOpen)).
			SetStatus(privacyrequest.StatusDone).SetDoneAt(p.now().UTC())
		if a := ActorFrom(ctx); a.UserID != 0 {
			upd.SetHandledByID(a.UserID)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("close privacy request %d: %w", id, err)
		}
		if n == 0 {
			return Errorf(ENotFound, "This request does not exist or is answered already.")
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityPrivacyRequest, EntityID: id, Msg: MsgAnswered()})
	})
}
