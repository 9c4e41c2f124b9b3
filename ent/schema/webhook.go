package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Webhook is an admin's subscription of a URL to event types. Deliveries are
// signed with its secret; after repeated failure it is disabled with a notice.
type Webhook struct {
	ent.Schema
}

// Mixin of the Webhook.
func (Webhook) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(2000),
		field.String("secret").NotEmpty().Sensitive(),
		field.Strings("events"),
		field.Bool("active").Default(true),
		field.Int("failures").Default(0), // deliveries failed for good in a row
		field.String("notice").MaxLen(300).Default(""),
		field.Int("created_by").Optional().Nillable(),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}
