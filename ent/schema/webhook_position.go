package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// WebhookPosition is how far the webhook dispatcher has read the audit
// events: one row, moved with compare-and-set so that two servers
// never hand out the same events twice.
type WebhookPosition struct {
	ent.Schema
}

// Fields of the WebhookPosition.
func (WebhookPosition) Fields() []ent.Field {
	return []ent.Field{field.Int("position").Default(0)}
}
