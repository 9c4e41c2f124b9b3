package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SavedView is a list's columns, filters and sort saved under a name: its
// owner's alone, or shared with the team. Query is the list's canonical
// query string (the filters, the sort and the columns as the list reads
// them), never the raw input it was saved from.
type SavedView struct {
	ent.Schema
}

// Mixin of the SavedView.
func (SavedView) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the SavedView.
func (SavedView) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(80),
		field.Int("owner_id"),
		field.Bool("shared").Default(false),
		// list is the list the view belongs to: only the contact list has views so far.
		field.Enum("list").Values("contacts").Default("contacts"),
		field.String("query").MaxLen(4000).Default(""),
	}
}

// Edges of the SavedView.
func (SavedView) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("owner", User.Type).Field("owner_id").Unique().Required(),
	}
}

// Indexes of the SavedView: a user's views of a list, and the team's shared ones.
func (SavedView) Indexes() []ent.Index {
	return []ent.Index{index.Fields("owner_id", "list"), index.Fields("list", "shared")}
}
