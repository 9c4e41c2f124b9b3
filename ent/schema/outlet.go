package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Outlet is a publication, blog, channel or company that people work for.
type Outlet struct {
	ent.Schema
}

// Mixin of the Outlet.
func (Outlet) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Outlet.
func (Outlet) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200),
		field.Enum("type").Values("newspaper", "magazine", "trade", "online", "blog", "tv", "radio",
			"podcast", "youtube", "newsletter", "agency", "company", "other").Default("other"),
		field.String("website").MaxLen(500).Default(""),
		field.String("region").MaxLen(100).Default(""),
		field.Int64("audience").Default(0).NonNegative(),
		field.Text("description").MaxLen(20000).Default(""),
		// Custom holds the values of the admins' custom fields for outlets.
		field.JSON("custom", CustomValues{}).Optional(),
	}
}

// Edges of the Outlet.
func (Outlet) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("employments", Employment.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Outlet.
func (Outlet) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("name"),
	}
}
