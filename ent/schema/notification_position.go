package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// NotificationPosition is how far the notifier has read the audit events and
// the last day whose morning digests it made: one row, moved with
// compare-and-set so that two servers never make the same mails twice.
type NotificationPosition struct {
	ent.Schema
}

// Fields of the NotificationPosition.
func (NotificationPosition) Fields() []ent.Field {
	return []ent.Field{
		field.Int("position").Default(0),
		field.String("digest_day").MaxLen(10).Default(""), // 2006-01-02 in the digest's time zone
	}
}
