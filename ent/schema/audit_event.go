package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent records who did what to which record, when, from which request.
// Events are written in the transaction of the change they describe, so a
// rolled-back change leaves none. They are never updated.
type AuditEvent struct {
	ent.Schema
}

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at").Default(time.Now).Immutable(),
		// The actor: no foreign key, so that the trail outlives the user.
		field.Int("actor_id").Optional().Nillable().Immutable(),
		field.String("actor_name").MaxLen(200).Default("").Immutable(),
		field.String("action").MaxLen(40).Immutable(), // create, update, delete, login, login_failed, logout, role_change, export …
		field.String("entity").MaxLen(40).Default("").Immutable(),
		field.Int("entity_id").Optional().Nillable().Immutable(),
		// Summary is the event in English, for operators' SQL and webhooks; an
		// event written before message existed has only this.
		field.String("summary").MaxLen(300).Default("").Immutable(),
		// Changes maps a field name to [old, new]; secrets never appear.
		field.JSON("changes", map[string][2]any{}).Optional().Immutable(),
		field.String("request_id").MaxLen(64).Default("").Immutable(),
		field.String("ip").MaxLen(64).Default("").Immutable(),
		// Message (last, so that SQLite adds the columns in place) is the catalogue ID of the event's sentence (its English text
		// with {{.Placeholders}}); pages render it with message_args in the
		// reader's language (crm.AuditText). Empty on older events.
		field.String("message").MaxLen(200).Default("").Immutable(),
		// MessageArgs are the message's values, unformatted (ids and counts as
		// digits, times as RFC 3339, enum and field codes as codes).
		field.JSON("message_args", map[string]string{}).Optional().Immutable(),
	}
}

// Indexes of the AuditEvent: a record's history, a user's actions, by time and action.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("entity", "entity_id", "at"),
		index.Fields("actor_id", "at"),
		index.Fields("at"),
		index.Fields("action", "at"),
	}
}
