package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Task is a follow-up: something to do for a contact by a due date.
type Task struct {
	ent.Schema
}

// Fields of the Task.
func (Task) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.Int("assignee_id").Optional().Nillable(),
		field.Int("created_by_id").Optional().Nillable(),
		field.String("title").NotEmpty().MaxLen(300),
		field.Time("due_at"),
		field.Time("done_at").Optional().Nillable(),
		// The interaction whose logging completed the task, if any.
		field.Int("done_by_interaction_id").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Task.
func (Task) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("tasks").Field("contact_id").Unique().Required(),
		edge.To("assignee", User.Type).Field("assignee_id").Unique(),
		edge.To("created_by", User.Type).Field("created_by_id").Unique(),
	}
}

// Indexes of the Task: "my open tasks by due date", and per contact.
func (Task) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("contact"),
		index.Fields("assignee_id", "done_at", "due_at"),
		index.Fields("created_by_id"),
		index.Fields("done_at", "due_at"),
	}
}
