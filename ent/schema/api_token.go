package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// APIToken is a personal API token. The holder sees the token once; the
// database keeps only its SHA-256, the first characters (to recognise it in a
// list), the scope, when it expires and when it was last used.
type APIToken struct {
	ent.Schema
}

// Fields of the APIToken.
func (APIToken) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(100).Immutable(),
		field.String("token_hash").NotEmpty().Unique().Immutable().Sensitive(),
		field.String("prefix").MaxLen(16).Immutable(), // the first characters, shown in lists
		// Scope: read (GET only) or write (also changes).
		field.Enum("scope").Values("read", "write").Immutable(),
		field.Time("created_at").Immutable(),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of the APIToken.
func (APIToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("api_tokens").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the APIToken: a user's tokens.
func (APIToken) Indexes() []ent.Index {
	return []ent.Index{index.Edges("user")}
}
