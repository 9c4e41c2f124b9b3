package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Participation joins interactions and contacts. The index that starts with
// contact_id makes a contact's timeline a range scan.
type Participation struct {
	ent.Schema
}

// Annotations of the Participation: the primary key is the pair.
func (Participation) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("interaction_id", "contact_id")}
}

// Fields of the Participation.
func (Participation) Fields() []ent.Field {
	return []ent.Field{field.Int("interaction_id"), field.Int("contact_id")}
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
	return []ent.Index{index.Fields("contact_id", "interaction_id")}
}
