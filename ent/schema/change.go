package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// Change is the search outbox: a record that contact contact_id's search
// document must be rebuilt from the database (or removed, when the contact is
// gone). Changes are written by hooks in the
// transaction of the write that causes them; their increasing ids are the
// indexers' positions.
type Change struct {
	ent.Schema
}

// Fields of the Change. contact_id has no foreign key: the change of a
// deleted contact must outlive it.
func (Change) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id").Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}
