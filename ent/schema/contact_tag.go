package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ContactTag is the join table of contacts and tags, an edge schema for the index on tag_id.
type ContactTag struct {
	ent.Schema
}

// Annotations of the ContactTag: the primary key is the pair.
func (ContactTag) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("contact_id", "tag_id")}
}

// Fields of the ContactTag.
func (ContactTag) Fields() []ent.Field {
	return []ent.Field{field.Int("contact_id"), field.Int("tag_id")}
}

// Edges of the ContactTag.
func (ContactTag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("contact", Contact.Type).Unique().Required().Field("contact_id").Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("tag", Tag.Type).Unique().Required().Field("tag_id").Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ContactTag.
func (ContactTag) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tag_id")}
}
