package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// ServerSecret is a random key the servers of one database share, made once
// on first use (e.g. "suppression", the key of the erasure suppression
// hashes). A key given in the environment takes precedence.
type ServerSecret struct {
	ent.Schema
}

// Fields of the ServerSecret.
func (ServerSecret) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").MaxLen(40).Unique().Immutable(),
		field.Bytes("value").Immutable(),
	}
}
