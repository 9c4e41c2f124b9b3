package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Brand is a client the team runs campaigns for: an agency has several, an
// in-house team one. (The pages call it a client; ent reserves the name.)
type Brand struct {
	ent.Schema
}

// Mixin of the Brand.
func (Brand) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Brand.
func (Brand) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(120),
		field.String("notes").MaxLen(2000).Default(""),
	}
}

// Edges of the Brand.
func (Brand) Edges() []ent.Edge {
	return []ent.Edge{edge.To("campaigns", Campaign.Type)}
}

// Indexes of the Brand: names are unique.
func (Brand) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name").Unique()}
}
