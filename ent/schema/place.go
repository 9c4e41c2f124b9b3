package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Place is an admin's canonical name for a city or a region with the other
// spellings that mean it (Munich, Muenchen → München). Rapport ships a
// built-in table of German cities and Länder (crm/places_builtin.go); a row
// here adds a place or, with the same kind and name, replaces the built-in
// one. The contact writer applies the table to every city and region it
// writes.
type Place struct {
	ent.Schema
}

// Mixin of the Place.
func (Place) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Place.
func (Place) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("city", "region").Comment("a city or a region (Bundesland, state)"),
		field.String("name").NotEmpty().MaxLen(100).Comment("the canonical spelling"),
		field.JSON("aliases", []string{}).Optional().Comment("other spellings that mean it"),
		field.String("region").MaxLen(100).Default("").Comment("for a city: the region it lies in, set when a contact has none"),
	}
}

// Indexes of the Place: one row per kind and name.
func (Place) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "name").Unique()}
}
