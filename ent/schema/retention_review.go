package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RetentionReview puts a contact on the retention review list: the sweep
// found that a retention policy (by lawful basis) says their data should be
// reviewed. A manager keeps them (with a reason) or erases them; the entry
// goes with the contact when it is erased.
type RetentionReview struct {
	ent.Schema
}

// Fields of the RetentionReview.
func (RetentionReview) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.String("policy").MaxLen(60),
		field.String("reason").MaxLen(300).Default(""),
		field.Enum("status").Values("open", "kept").Default("open"),
		field.Time("found_at").Default(time.Now).Immutable(),
		field.Time("decided_at").Optional().Nillable(),
		field.Int("decided_by_id").Optional().Nillable(),
	}
}

// Edges of the RetentionReview.
func (RetentionReview) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("retention_reviews").Field("contact_id").Unique().Required(),
	}
}

// Indexes of the RetentionReview: one entry per contact, the list by status.
func (RetentionReview) Indexes() []ent.Index {
	return []ent.Index{index.Fields("contact_id").Unique(), index.Fields("status", "found_at")}
}
