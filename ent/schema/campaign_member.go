package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CampaignMember puts a user on a campaign's team: staff run the campaigns
// they own or are on the team of.
type CampaignMember struct {
	ent.Schema
}

// Fields of the CampaignMember.
func (CampaignMember) Fields() []ent.Field {
	return []ent.Field{field.Int("campaign_id"), field.Int("user_id")}
}

// Edges of the CampaignMember.
func (CampaignMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("members").Field("campaign_id").Unique().Required(),
		edge.To("user", User.Type).Field("user_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the CampaignMember: once per campaign; a user's campaigns.
func (CampaignMember) Indexes() []ent.Index {
	return []ent.Index{index.Fields("campaign_id", "user_id").Unique(), index.Fields("user_id")}
}
