package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Nomination proposes a contact for the advocate list (or, kind demote, off
// it), with a reason and evidence; managers decide. Decisions are kept as
// NominationDecision rows, so the whole history stays.
type Nomination struct {
	ent.Schema
}

// Fields of the Nomination.
func (Nomination) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.Int("nominated_by_id").Optional().Nillable(),
		field.Enum("kind").Values("promote", "demote").Default("promote"),
		field.Text("reason").MaxLen(5000),
		field.Strings("evidence_links").Optional(),
		field.Enum("status").Values("open", "needs_info", "approved", "rejected").Default("open"),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("decided_at").Optional().Nillable(),
	}
}

// Edges of the Nomination.
func (Nomination) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("nominations").Field("contact_id").Unique().Required(),
		edge.To("nominated_by", User.Type).Field("nominated_by_id").Unique(),
		edge.To("evidence", Interaction.Type),
		edge.To("decisions", NominationDecision.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Nomination: the review queue is by status and age.
func (Nomination) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("contact"),
		index.Fields("nominated_by_id"),
		index.Fields("status", "created_at"),
	}
}
