package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LoginThrottle counts sign-in attempts per key ("pair:<email>|<ip>" or
// "addr:<ip>") in a fixed window that starts with the first attempt. An attempt is counted with one atomic
// upsert before the password is hashed, so parallel attempts cannot slip
// past the limit; a successful sign-in gives its attempt back.
type LoginThrottle struct {
	ent.Schema
}

// Fields of the LoginThrottle.
func (LoginThrottle) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").NotEmpty().MaxLen(400).Unique().Immutable(),
		field.Int64("window_start").Comment("unix seconds of the first attempt in the window"),
		field.Int("count").Default(0),
	}
}

// Indexes of the LoginThrottle: by window start, to sweep old rows.
func (LoginThrottle) Indexes() []ent.Index {
	return []ent.Index{index.Fields("window_start")}
}
