package crm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// Actor is who is acting: set on the context by the HTTP layer for each
// request (and by the command line), read when audit events are written.
type Actor struct {
	UserID    int
	Name      string
	Role      string
	RequestID string
	IP        string
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx (the zero Actor when there is none,
// which audit events record as "system").
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Audit actions.
const (
	ActionCreate         = "create"
	ActionUpdate         = "update"
	ActionDelete         = "delete"
	ActionLogin          = "login"
	ActionLoginFailed    = "login_failed"
	ActionLogout         = "logout"
	ActionRoleChange     = "role_change"
	ActionDeactivate     = "deactivate"
	ActionPasswordChange = "password_change"
	ActionExport         = "export"
)

// Audited entities.
const (
	EntityContact     = "contact"
	EntityOutlet      = "outlet"
	EntityInteraction = "interaction"
	EntityUser        = "user"
	EntityExport      = "export"
	EntitySegment     = "segment"
	EntitySavedView   = "saved_view"
)

// Changes maps a field to its old and new value.
type Changes map[string][2]any

// Event is an audit event to write. Its sentence is Msg (made by the
// constructors of audit_messages.go); the stored summary is Msg in English.
type Event struct {
	Action, Entity string
	EntityID       int
	Msg            AuditMsg
	Changes        Changes
}

// audit writes ev in tx, attributed to the actor of ctx: it commits or rolls
// back with the change it describes.
func audit(ctx context.Context, tx *ent.Tx, ev Event) error {
	return auditWith(ctx, tx.AuditEvent.Create(), ev)
}

func auditWith(ctx context.Context, c *ent.AuditEventCreate, ev Event) error {
	if err := fillAudit(ctx, c, ev).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s %s: %w", ev.Action, ev.Entity, err)
	}
	return nil
}

// fillAudit sets ev on c, attributed to the actor of ctx.
func fillAudit(ctx context.Context, c *ent.AuditEventCreate, ev Event) *ent.AuditEventCreate {
	a := ActorFrom(ctx)
	c.SetAt(time.Now().UTC()).SetAction(ev.Action).SetEntity(ev.Entity).
		SetSummary(Truncate(auditEnglish(ev.Msg), 300)).SetRequestID(a.RequestID).SetIP(a.IP)
	if ev.Msg.id != "" {
		c.SetMessage(ev.Msg.id).SetMessageArgs(ev.Msg.args)
	}
	if a.UserID != 0 {
		c.SetActorID(a.UserID).SetActorName(a.Name)
	}
	if ev.EntityID != 0 {
		c.SetEntityID(ev.EntityID)
	}
	if len(ev.Changes) > 0 {
		c.SetChanges(ev.Changes)
	}
	return c
}

// diff returns the fields whose values differ between two snapshots.
func diff(before, after map[string]any) Changes {
	ch := Changes{}
	for k, b := range before {
		if a := after[k]; !reflect.DeepEqual(a, b) {
			ch[k] = [2]any{b, a}
		}
	}
	for k, a := range after {
		if _, ok := before[k]; !ok {
			ch[k] = [2]any{nil, a}
		}
	}
	return ch
}

// created lists a snapshot as changes from nothing, leaving out empty values.
func created(after map[string]any) Changes {
	ch := Changes{}
	for k, v := range after {
		if !isEmpty(v) {
			ch[k] = [2]any{nil, v}
		}
	}
	return ch
}

func isEmpty(v any) bool {
	switch v := v.(type) { // the values of a snapshot, without reflection
	case nil:
		return true
	case string:
		return v == ""
	case []string:
		return len(v) == 0
	case bool:
		return !v
	case int:
		return false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return rv.Len() == 0
	case reflect.Bool:
		return !rv.Bool()
	}
	return false
}

// sortedStrings returns xs sorted, so snapshots compare regardless of order.
func sortedStrings(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// FieldList names changed fields for a summary: "title, channels".
func (c Changes) FieldList() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}
