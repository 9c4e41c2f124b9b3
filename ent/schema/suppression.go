package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Suppression remembers that a person asked to be erased without keeping who:
// a keyed hash (HMAC-SHA256 with the server's secret) of one normalised
// e-mail address or platform handle, and when. An import row or a form with
// a matching address or handle is warned, not silently re-created.
type Suppression struct {
	ent.Schema
}

// Fields of the Suppression.
func (Suppression) Fields() []ent.Field {
	return []ent.Field{
		field.String("hash").MaxLen(64).Immutable(),
		field.Time("erased_at").Default(time.Now).Immutable(),
	}
}

// Indexes of the Suppression: look-up by hash.
func (Suppression) Indexes() []ent.Index {
	return []ent.Index{index.Fields("hash").Unique()}
}
