package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WebhookDelivery is one event for one webhook: made from an audit event (the
// durable record of the change), sent until the receiver answers 2xx, with
// exponential backoff, in order per contact.
type WebhookDelivery struct {
	ent.Schema
}

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").Immutable(),
		field.Int("audit_id").Immutable(), // the audit event it reports
		field.String("event").MaxLen(60).Immutable(),
		field.Int("contact_id").Optional().Nillable().Immutable(), // orders deliveries per contact
		field.Text("payload").Immutable(),
		field.Enum("status").Values("pending", "delivered", "failed").Default("pending"),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.Int("last_status").Default(0),
		field.String("last_error").MaxLen(300).Default(""),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("delivered_at").Optional().Nillable(),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).Ref("deliveries").Field("webhook_id").Unique().Required().Immutable(),
	}
}

// Indexes of the WebhookDelivery: one per webhook and audit event (a second
// dispatcher cannot make a duplicate), the due ones, a webhook's log.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("webhook_id", "audit_id").Unique(),
		index.Fields("status", "next_attempt_at"),
	}
}
