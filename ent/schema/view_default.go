package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ViewDefault is the saved view a user's list opens with when its URL asks
// for nothing: one of their own views or a shared one, at most one per user
// and list. Deleting the view deletes the default with it.
type ViewDefault struct {
	ent.Schema
}

// Mixin of the ViewDefault.
func (ViewDefault) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the ViewDefault.
func (ViewDefault) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id"),
		// list is the list the default is for, as the view's own list.
		field.Enum("list").Values("contacts").Default("contacts"),
		field.Int("view_id"),
	}
}

// Edges of the ViewDefault.
func (ViewDefault) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("view", SavedView.Type).Field("view_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the ViewDefault: one per user and list; the defaults a view
// is, for its deletion.
func (ViewDefault) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "list").Unique(), index.Fields("view_id")}
}
