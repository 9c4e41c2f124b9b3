package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/viewdefault"
)

// A user's default view: the saved view their list opens with when its URL
// asks for nothing. It is one of the views ListViews offers them (their own,
// or a shared one): a view deleted (the foreign key deletes the default with
// it) or no longer visible to them is no default, and the list opens plain.

// defaultViewLock is the first key of the advisory lock on a user's default views.
const defaultViewLock = 0x44454656 // "DEFV"

// SetDefaultView makes view id, which the actor may open, the default of
// its list for the actor; audited on the actor's user record.
func SetDefaultView(ctx context.Context, client *ent.Client, id int) (*ent.SavedView, error) {
	var v *ent.SavedView
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		if v, err = VisibleView(ctx, tx.Client(), id); err != nil {
			return err
		}
		old, err := clearDefault(ctx, tx, string(v.List))
		if err != nil {
			return err
		}
		a := ActorFrom(ctx)
		err = tx.ViewDefault.Create().SetUserID(a.UserID).SetList(viewdefault.List(v.List)).SetViewID(v.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("set default view %d: %w", id, err)
		}
		return auditDefault(ctx, tx, old, v.Name)
	})
	return v, err
}

// ClearDefaultView leaves the actor's list without a default view (nothing
// to do when it has none); audited when there was one.
func ClearDefaultView(ctx context.Context, client *ent.Client, list string) error {
	return db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		old, err := clearDefault(ctx, tx, list)
		if err != nil || old == nil {
			return err
		}
		return auditDefault(ctx, tx, old, nil)
	})
}

// clearDefault deletes the actor's default of list in tx and says the name
// of the view it was (nil when there was none).
func clearDefault(ctx context.Context, tx *ent.Tx, list string) (any, error) {
	a := ActorFrom(ctx)
	if err := lockUser(ctx, tx, defaultViewLock, a.UserID); err != nil {
		return nil, err
	}
	d, err := tx.ViewDefault.Query().Where(viewdefault.UserID(a.UserID), viewdefault.ListEQ(viewdefault.List(list))).
		WithView().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read default view: %w", err)
	}
	if err := tx.ViewDefault.DeleteOne(d).Exec(ctx); err != nil {
		return nil, fmt.Errorf("clear default view: %w", err)
	}
	return d.Edges.View.Name, nil
}

// auditDefault records a change of the actor's default view (names, or nil for none).
func auditDefault(ctx context.Context, tx *ent.Tx, old, next any) error {
	a := ActorFrom(ctx)
	return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityUser, EntityID: a.UserID, Msg: MsgDefaultView(),
		Changes: Changes{"default_view": {old, next}}})
}

// deleteDefaults deletes in tx the defaults view id is (the foreign key
// would too, but the audit event says how many) and counts them.
func deleteDefaults(ctx context.Context, tx *ent.Tx, id int) (int, error) {
	n, err := tx.ViewDefault.Delete().Where(viewdefault.ViewID(id)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete defaults of view %d: %w", id, err)
	}
	return n, nil
}

// defaultViewID is the id of the actor's default view of list, 0 for none.
func defaultViewID(ctx context.Context, client *ent.Client, list string) (int, error) {
	d, err := client.ViewDefault.Query().Where(viewdefault.UserID(ActorFrom(ctx).UserID),
		viewdefault.ListEQ(viewdefault.List(list))).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read default view: %w", err)
	}
	return d.ViewID, nil
}

// DefaultView is the view of vs (as ListViews returns them) marked as the
// default, if one is.
func DefaultView(vs []View) (View, bool) {
	for _, v := range vs {
		if v.Default {
			return v, true
		}
	}
	return View{}, false
}
