package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session is a server-side login session. The browser holds a random token; the
// database holds only its SHA-256, so a leaked database cannot be replayed as cookies.
type Session struct {
	ent.Schema
}

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").NotEmpty().Unique().Immutable().Sensitive(),
		field.Int("user_id").Immutable(),
		field.Time("created_at").Immutable(),
		field.Time("last_seen_at"),
		field.Time("expires_at"),
		field.String("user_agent").MaxLen(512).Default(""),
		field.String("ip").MaxLen(64).Default(""),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Session: by user (to end all of a user's sessions) and by expiry (to sweep).
func (Session) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("user"),
		index.Fields("expires_at"),
	}
}
