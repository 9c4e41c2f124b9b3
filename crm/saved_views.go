package crm

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/savedview"
)

// ListContacts is the list kind of the contact list's views.
const ListContacts = string(savedview.ListContacts)

// Limits of saved views.
const (
	MaxViewName     = 80   // characters
	MaxViewQuery    = 4000 // bytes of the canonical query
	MaxViewsPerUser = 100  // views one person owns
	maxSharedViews  = 200  // shared views a list page offers
)

// ViewInput is a view to save: Query is the list's canonical query string
// (the caller normalises what the user sent: the handlers' listQuery).
type ViewInput struct {
	Name   string
	Shared bool
	List   string // ListContacts
	Query  string
}

// View is a saved view as a list page offers it.
type View struct {
	ID        int
	Name      string
	Shared    bool
	Query     string
	OwnerName string
	Mine      bool // the actor owns it
	CanChange bool // the actor may rename and delete it
	Default   bool // the actor's list opens with it when its URL asks for nothing
}

// checkViewName trims name and says what is wrong with it.
func checkViewName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxViewName || strings.ContainsAny(name, "\x00\r\n") {
		const msg = "Name the view (at most 80 characters)."
		return name, &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"name": msg}}
	}
	return name, nil
}

// SaveView saves the actor's new view of a list.
func SaveView(ctx context.Context, client *ent.Client, in ViewInput) (*ent.SavedView, error) {
	a := ActorFrom(ctx)
	name, err := checkViewName(in.Name)
	if err != nil {
		return nil, err
	}
	if len(in.Query) > MaxViewQuery {
		const msg = "This view holds too many filters to save (at most 4,000 characters)."
		return nil, &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"query": msg}}
	}
	if in.List != ListContacts {
		return nil, Errorf(EInvalid, "This list has no saved views.")
	}
	var v *ent.SavedView
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := lockUser(ctx, tx, viewQuotaLock, a.UserID); err != nil {
			return err
		}
		n, err := tx.SavedView.Query().Where(savedview.OwnerID(a.UserID)).Count(ctx)
		if err != nil {
			return fmt.Errorf("count own views: %w", err)
		}
		if n >= MaxViewsPerUser {
			const msg = "You have 100 views, the most one person can keep. Delete some you no longer use first."
			return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"name": msg}}
		}
		v, err = tx.SavedView.Create().SetName(name).SetShared(in.Shared).SetList(savedview.List(in.List)).
			SetQuery(in.Query).SetOwnerID(a.UserID).Save(ctx)
		if err != nil {
			return fmt.Errorf("save view: %w", err)
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntitySavedView, EntityID: v.ID, Msg: MsgNamed(v.Name),
			Changes: created(map[string]any{"name": v.Name, "shared": v.Shared, "query": v.Query})})
	})
	return v, err
}

// viewQuotaLock is the first key of the advisory lock on a user's views.
const viewQuotaLock = 0x56494557 // "VIEW"

// RenameView renames a view the actor may change.
// A view the actor may not see is not found whatever the name.
func RenameView(ctx context.Context, client *ent.Client, id int, name string) (*ent.SavedView, error) {
	var v *ent.SavedView
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		old, err := changeableView(ctx, tx.Client(), id)
		if err != nil {
			return err
		}
		if name, err = checkViewName(name); err != nil {
			return err
		}
		if v, err = tx.SavedView.UpdateOne(old).SetName(name).Save(ctx); err != nil {
			return fmt.Errorf("rename view %d: %w", id, err)
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntitySavedView, EntityID: id, Msg: MsgNamed(name),
			Changes: Changes{"name": {old.Name, name}}})
	})
	return v, err
}

// DeleteView deletes a view the actor may change, and with it the defaults
// it was; the audit trail keeps what it held and for how many it was one.
func DeleteView(ctx context.Context, client *ent.Client, id int) (*ent.SavedView, error) {
	var v *ent.SavedView
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		var err error
		if v, err = changeableView(ctx, tx.Client(), id); err != nil {
			return err
		}
		defaults, err := deleteDefaults(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.SavedView.DeleteOne(v).Exec(ctx); err != nil {
			return fmt.Errorf("delete view %d: %w", id, err)
		}
		ch := Changes{"name": {v.Name, nil}, "shared": {v.Shared, nil}, "query": {v.Query, nil}}
		if defaults > 0 {
			ch["default_for"] = [2]any{defaults, nil} // users whose list opened with it
		}
		return audit(ctx, tx, Event{Action: ActionDelete, Entity: EntitySavedView, EntityID: id, Msg: MsgNamed(v.Name), Changes: ch})
	})
	return v, err
}

// VisibleView loads a view the actor may open: their own or a shared one.
// Someone else's personal view does not exist for the actor.
func VisibleView(ctx context.Context, client *ent.Client, id int) (*ent.SavedView, error) {
	v, err := client.SavedView.Get(ctx, id)
	if ent.IsNotFound(err) || err == nil && !v.Shared && v.OwnerID != ActorFrom(ctx).UserID {
		return nil, Errorf(ENotFound, "This view does not exist (any more).")
	}
	if err != nil {
		return nil, fmt.Errorf("load view %d: %w", id, err)
	}
	return v, nil
}

// changeableView loads a view the actor may rename and delete: their own,
// or as a manager a shared one.
func changeableView(ctx context.Context, client *ent.Client, id int) (*ent.SavedView, error) {
	v, err := VisibleView(ctx, client, id)
	if err != nil {
		return nil, err
	}
	if !mayChangeView(ActorFrom(ctx), v) {
		return nil, Errorf(EForbidden, "Only the view's owner or a manager can change a shared view.")
	}
	return v, nil
}

func mayChangeView(a Actor, v *ent.SavedView) bool {
	return v.OwnerID == a.UserID || v.Shared && (a.Role == RoleManager || a.Role == RoleAdmin)
}

// Views are ListViews of the actor, remembered until a view (or anything
// the hook cannot scope) is written here, or the TTL for other servers'
// writes. The slice is shared: read only.
func (l *Lookups) Views(ctx context.Context, list string) ([]View, error) {
	a := ActorFrom(ctx)
	key := fmt.Sprintf("%d:%s:%s", a.UserID, a.Role, list)
	return l.saved.Get(ctx, key, func(ctx context.Context) ([]View, error) { return ListViews(ctx, l.client, list) })
}

// ListViews are the views of list the actor may open: their own first,
// then the team's shared ones, each by name. Both are bounded. The actor's
// default is marked when it is among them.
func ListViews(ctx context.Context, client *ent.Client, list string) ([]View, error) {
	a := ActorFrom(ctx)
	mine, err := client.SavedView.Query().Where(savedview.ListEQ(savedview.List(list)), savedview.OwnerID(a.UserID)).
		Order(savedview.ByName(), savedview.ByID()).Limit(MaxViewsPerUser).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list own views: %w", err)
	}
	shared, err := client.SavedView.Query().Where(savedview.ListEQ(savedview.List(list)), savedview.Shared(true), savedview.OwnerIDNEQ(a.UserID)).
		WithOwner().Order(savedview.ByName(), savedview.ByID()).Limit(maxSharedViews).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list shared views: %w", err)
	}
	def, err := defaultViewID(ctx, client, list)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(mine)+len(shared))
	for _, v := range append(mine, shared...) {
		w := View{ID: v.ID, Name: v.Name, Shared: v.Shared, Query: v.Query, Mine: v.OwnerID == a.UserID, CanChange: mayChangeView(a, v),
			Default: v.ID == def}
		if v.Edges.Owner != nil {
			w.OwnerName = v.Edges.Owner.Name
		}
		out = append(out, w)
	}
	return out, nil
}
