package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PitchStatuses are the states of one target of a campaign, in funnel order;
// bounced and no_reply are set automatically.
var PitchStatuses = []string{"planned", "pitched", "replied", "interested", "declined", "covered", "bounced", "no_reply"}

// CampaignTarget is one person on a campaign's target list with the state of
// their pitch. The list is frozen from a segment or selection at a moment
// (source "list") and extended by hand (source "hand").
type CampaignTarget struct {
	ent.Schema
}

// Fields of the CampaignTarget.
func (CampaignTarget) Fields() []ent.Field {
	return []ent.Field{
		field.Int("campaign_id"),
		field.Int("contact_id"),
		field.Enum("status").Values(PitchStatuses...).Default("planned"),
		field.Enum("source").Values("list", "hand").Default("list"),
		field.Time("added_at"),
		field.Time("pitched_at").Optional().Nillable(),
		field.Time("replied_at").Optional().Nillable(),
		field.Time("status_at"),
		field.Int("pitch_count").Default(0),
		// The last pitch interaction sent to this target.
		field.Int("interaction_id").Optional().Nillable(),
	}
}

// Edges of the CampaignTarget.
func (CampaignTarget) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("targets").Field("campaign_id").Unique().Required(),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Required().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the CampaignTarget: one row per person and campaign; a
// contact's campaigns; the funnel counts by status.
func (CampaignTarget) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("campaign_id", "contact_id").Unique(),
		index.Fields("contact_id"),
		index.Fields("campaign_id", "status"),
	}
}
