package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ContactTopic is the join table of contacts and topics. It is an edge schema only
// so that it can carry an index on topic_id, which filtering by topic needs.
type ContactTopic struct {
	ent.Schema
}

// Annotations of the ContactTopic: the primary key is the pair.
func (ContactTopic) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("contact_id", "topic_id")}
}

// Fields of the ContactTopic.
func (ContactTopic) Fields() []ent.Field {
	return []ent.Field{field.Int("contact_id"), field.Int("topic_id")}
}

// Edges of the ContactTopic.
func (ContactTopic) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("contact", Contact.Type).Unique().Required().Field("contact_id").Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("topic", Topic.Type).Unique().Required().Field("topic_id").Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ContactTopic.
func (ContactTopic) Indexes() []ent.Index {
	return []ent.Index{index.Fields("topic_id")}
}
