package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// NotificationKinds are the kinds of e-mail a user can receive and choose.
var NotificationKinds = []string{"digest", "nomination_waiting", "nomination_decided", "import_finished", "export_finished"}

// Notification is one e-mail to one user: made from the audit trail (the
// durable record of a change) or the morning digest, rendered in the user's
// language when made, then sent over SMTP until the server accepts it, with
// exponential backoff. Its key is unique, so a second server cannot make it
// twice; its status moves with compare-and-set, so two senders cannot both
// send it.
type Notification struct {
	ent.Schema
}

// Fields of the Notification. The address and text are kept as sent.
func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Immutable(),
		field.Enum("kind").Values(NotificationKinds...).Immutable(),
		// key names what it reports: "digest/2026-12-05/7", "audit/123/7".
		field.String("key").MaxLen(100).Unique().Immutable(),
		field.String("to").MaxLen(254).Immutable(),
		field.String("subject").MaxLen(300).Immutable(),
		field.Text("body").Immutable(),
		// sending: claimed by a sender until next_attempt_at (its lease).
		field.Enum("status").Values("pending", "sending", "sent", "failed").Default("pending"),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.String("last_error").MaxLen(300).Default(""),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("sent_at").Optional().Nillable(),
	}
}

// Edges of the Notification: it goes with its user.
func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("notifications").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Notification: the due ones, a user's.
func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("status", "next_attempt_at"),
		index.Fields("user_id", "created_at"),
	}
}
