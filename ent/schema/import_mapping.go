package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// ImportMapping is a saved column mapping, a template for files of the same
// shape (e.g. "Presseverteiler aus Outlook").
type ImportMapping struct {
	ent.Schema
}

// Fields of the ImportMapping.
func (ImportMapping) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).Unique(),
		field.Int("user_id").Optional().Nillable(),
		field.JSON("mapping", map[string]string{}),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}
