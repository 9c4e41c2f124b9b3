package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Employment links a contact to an outlet with a role over a period; a person can
// work for several outlets, and for the same one more than once.
type Employment struct {
	ent.Schema
}

// Fields of the Employment.
func (Employment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.Int("outlet_id"),
		field.String("role").MaxLen(200).Default(""),
		field.Time("started_at").Optional().Nillable(),
		field.Time("ended_at").Optional().Nillable(),
	}
}

// Edges of the Employment.
func (Employment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("employments").Field("contact_id").Unique().Required(),
		edge.From("outlet", Outlet.Type).Ref("employments").Field("outlet_id").Unique().Required(),
	}
}

// Indexes of the Employment.
func (Employment) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("contact"),
		index.Edges("outlet"),
	}
}
