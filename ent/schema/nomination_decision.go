package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// NominationDecision is a manager's decision on a nomination.
type NominationDecision struct {
	ent.Schema
}

// Fields of the NominationDecision.
func (NominationDecision) Fields() []ent.Field {
	return []ent.Field{
		field.Int("nomination_id"),
		field.Int("decided_by_id").Optional().Nillable(),
		field.Enum("decision").Values("approve", "reject", "needs_info"),
		field.Text("comment").MaxLen(5000).Default(""),
		field.Time("at").Default(time.Now).Immutable(),
	}
}

// Edges of the NominationDecision.
func (NominationDecision) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("nomination", Nomination.Type).Ref("decisions").Field("nomination_id").Unique().Required(),
		edge.To("decided_by", User.Type).Field("decided_by_id").Unique(),
	}
}

// Indexes of the NominationDecision.
func (NominationDecision) Indexes() []ent.Index {
	return []ent.Index{index.Edges("nomination"), index.Fields("decided_by_id")}
}
