package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Participation joins interactions and contacts. It carries a copy of the
// interaction's occurred_at, so that a contact's timeline, health window and
// month chart are range scans of the (contact_id, occurred_at, interaction_id)
// index, joining interactions only for the rows they show. Every write of an
// interaction's participations must copy its time (crm.LogInteraction); the
// "contacts" edge of an interaction cannot, so it is not used to create them.
type Participation struct {
	ent.Schema
}

// Annotations of the Participation: the primary key is the pair.
func (Participation) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("interaction_id", "contact_id")}
}

// Fields of the Participation.
func (Participation) Fields() []ent.Field {
	return []ent.Field{
		field.Int("interaction_id"),
		field.Int("contact_id"),
		// occurred_at is the interaction's, denormalised for the contact's index.
		field.Time("occurred_at"),
	}
}

// Edges of the Participation.
func (Participation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("interaction", Interaction.Type).Unique().Required().Field("interaction_id").Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("contact", Contact.Type).Unique().Required().Field("contact_id").Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Participation.
func (Participation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("contact_id", "occurred_at", "interaction_id")}
}
