package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ContactEmail is one typed e-mail address of a contact. Addresses are stored
// lower-cased and trimmed, so matching on import is an index look-up.
type ContactEmail struct {
	ent.Schema
}

// Fields of the ContactEmail.
func (ContactEmail) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.String("address").NotEmpty().MaxLen(254),
		field.Enum("type").Values("work", "private", "other").Default("work"),
		field.Bool("primary").Default(false),
	}
}

// Edges of the ContactEmail.
func (ContactEmail) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("emails").Field("contact_id").Unique().Required(),
	}
}

// Indexes of the ContactEmail. The address is only ever looked up by
// equality (matching on import, duplicate checks), so its index compares
// bytes (varchar_pattern_ops on PostgreSQL) instead of collating: the same
// equality, cheaper for every insert and look-up.
func (ContactEmail) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("contact"),
		index.Fields("address").Annotations(entsql.OpClass("varchar_pattern_ops")),
	}
}
