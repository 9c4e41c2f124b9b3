package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// InteractionTypes lists the kinds of touch point a timeline shows.
var InteractionTypes = []string{"email", "call", "meeting", "event", "dm", "comment", "mention",
	"pitch", "coverage", "note"}

// Interaction is one touch point with one or more contacts: a call, an e-mail, a
// pitch, a piece of coverage …
type Interaction struct {
	ent.Schema
}

// Mixin of the Interaction.
func (Interaction) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Interaction.
func (Interaction) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("type").Values(InteractionTypes...),
		field.Enum("direction").Values("outbound", "inbound").Default("outbound"),
		field.Time("occurred_at"),
		field.String("subject").MaxLen(300).Default(""),
		field.Text("body").MaxLen(100000).Default(""),
		field.Enum("sentiment").Values("positive", "neutral", "negative").Default("neutral"),
		field.Int("author_id").Optional().Nillable(),
		// The campaign a pitch, reply or coverage belongs to.
		field.Int("campaign_id").Optional().Nillable(),
		// links are web addresses the interaction refers to (the article, the
		// recording, the thread); at most crm.MaxInteractionLinks.
		field.JSON("links", []string{}).Optional(),
		// A pitch sent before its campaign's embargo lifts carries it.
		field.Time("embargo_until").Optional().Nillable(),
	}
}

// Edges of the Interaction.
func (Interaction) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("author", User.Type).Ref("interactions").Field("author_id").Unique(),
		// Contacts are written as participations, which copy occurred_at;
		// crm.LogInteraction requires at least one.
		edge.To("contacts", Contact.Type),
		// Nominations that cite this interaction as evidence (many to many).
		edge.From("nominations", Nomination.Type).Ref("evidence"),
		edge.To("campaign", Campaign.Type).Field("campaign_id").Unique(),
	}
}

// Indexes of the Interaction.
func (Interaction) Indexes() []ent.Index {
	return []ent.Index{
		// The start page's charts count interactions per type and week, for
		// the team and for one author: both read only these indexes (an
		// index-only scan instead of a heap fetch per interaction, which took
		// ~1 s for the 170,000 interactions of 12 weeks at 100,000 contacts).
		// INCLUDE (PostgreSQL; SQLite leaves it out) keeps occurred_at the
		// key, so the newest-first lists still walk it backwards.
		index.Fields("author_id", "occurred_at").Annotations(entsql.IncludeColumns("type")),
		index.Fields("occurred_at").Annotations(entsql.IncludeColumns("type", "author_id")),
		index.Fields("campaign_id"),
	}
}
