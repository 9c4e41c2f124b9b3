package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// BulkAction is one bulk change of many contacts (add a tag, set the owner …):
// who asked for it, on which contacts (resolved when it was confirmed), how far
// it got and what it changed. Its items keep each changed contact's value
// before the change, so that the action can be undone as a whole. Small
// actions run at once; large ones are queued and run by the worker.
type BulkAction struct {
	ent.Schema
}

// Fields of the BulkAction.
func (BulkAction) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Optional().Nillable(),
		// action is the key of the crm bulk registry entry; value its argument
		// (a tag's name, a user id, a stage key …) as the form gave it.
		field.String("action").MaxLen(60),
		field.String("value").MaxLen(200).Default(""),
		field.String("summary").MaxLen(300).Default(""),
		// targets are the contacts it was confirmed for, in list order.
		field.JSON("targets", []int{}).Optional(),
		// queued → running → done | failed; done → undoing → undone.
		field.Enum("status").Values("queued", "running", "done", "failed", "undoing", "undone").Default("queued"),
		field.Int("total").Default(0),
		field.Int("processed").Default(0),
		field.Int("changed").Default(0),
		field.Int("skipped").Default(0),
		field.Int("undo_processed").Default(0),
		field.Int("undo_kept").Default(0),
		field.Int("undo_by").Optional().Nillable(),
		field.String("message").MaxLen(1000).Default(""),
		field.String("worker").MaxLen(100).Default(""),
		field.Time("lease_until").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("finished_at").Optional().Nillable(),
	}
}

// Edges of the BulkAction.
func (BulkAction) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique(),
		edge.To("items", BulkActionItem.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the BulkAction.
func (BulkAction) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id"), index.Fields("status")}
}

// BulkActionItem is one contact a bulk action changed, with the value it had
// before (the undo restores it).
type BulkActionItem struct {
	ent.Schema
}

// Fields of the BulkActionItem.
func (BulkActionItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("action_id"),
		field.Int("contact_id"),
		field.String("before").MaxLen(200).Default(""),
	}
}

// Edges of the BulkActionItem.
func (BulkActionItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("action", BulkAction.Type).Ref("items").Field("action_id").Unique().Required(),
	}
}

// Indexes of the BulkActionItem.
func (BulkActionItem) Indexes() []ent.Index {
	return []ent.Index{index.Fields("action_id", "contact_id").Unique()}
}
