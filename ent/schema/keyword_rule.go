package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// KeywordRule is a keyword alert: a term (brand, product, campaign
// keyword) that a new feed post's title or summary is matched against with
// the search analyzer's word forms; a match becomes a KeywordAlert, a
// coverage candidate of the rule's campaign (if any) and a task for the
// contact's owner.
type KeywordRule struct {
	ent.Schema
}

// Mixin of the KeywordRule.
func (KeywordRule) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the KeywordRule.
func (KeywordRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("term").NotEmpty().MaxLen(100),
		field.Int("campaign_id").Optional().Nillable(),
		field.Bool("active").Default(true),
		field.Int("created_by_id").Optional().Nillable(),
	}
}

// Edges of the KeywordRule: a rule outlives its campaign (it then names none).
func (KeywordRule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("campaign", Campaign.Type).Field("campaign_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("created_by", User.Type).Field("created_by_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
	}
}

// Indexes of the KeywordRule: the campaign and the author, which a deleted
// campaign or user looks its rules up by (the foreign keys' ON DELETE SET
// NULL): PostgreSQL does not index the referencing side itself.
func (KeywordRule) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("campaign_id"),
		index.Fields("created_by_id"),
	}
}
