package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CoverageAuthor names a contact as an author of a coverage item.
type CoverageAuthor struct {
	ent.Schema
}

// Fields of the CoverageAuthor.
func (CoverageAuthor) Fields() []ent.Field {
	return []ent.Field{field.Int("coverage_item_id"), field.Int("contact_id")}
}

// Edges of the CoverageAuthor.
func (CoverageAuthor) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("item", CoverageItem.Type).Ref("authors").Field("coverage_item_id").Unique().Required(),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the CoverageAuthor: once per item; a contact's coverage.
func (CoverageAuthor) Indexes() []ent.Index {
	return []ent.Index{index.Fields("coverage_item_id", "contact_id").Unique(), index.Fields("contact_id")}
}
