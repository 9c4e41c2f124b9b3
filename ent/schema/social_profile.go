package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Platforms lists the channels Rapport knows, in the order forms show them.
var Platforms = []string{"x", "youtube", "instagram", "tiktok", "facebook", "linkedin", "xing",
	"mastodon", "bluesky", "twitch", "blog", "podcast", "newsletter"}

// SocialProfile is a contact's channel on one platform. The handle is normalised
// (no @, no URL, lower case) and unique per platform: one account, one person.
type SocialProfile struct {
	ent.Schema
}

// Mixin of the SocialProfile.
func (SocialProfile) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the SocialProfile.
func (SocialProfile) Fields() []ent.Field {
	return []ent.Field{
		field.Int("contact_id"),
		field.Enum("platform").Values(Platforms...),
		field.String("handle").NotEmpty().MaxLen(200),
		field.String("url").MaxLen(500).Default(""),
		field.Int64("followers").Default(0).NonNegative(),
		field.Float("engagement_rate").Optional().Nillable(),
		field.Time("checked_at").Optional().Nillable(),
	}
}

// Edges of the SocialProfile.
func (SocialProfile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("contact", Contact.Type).Ref("channels").Field("contact_id").Unique().Required(),
		edge.To("history", FollowerSnapshot.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the SocialProfile. Platform and handle are only ever compared
// for equality (the unique key, matching on import), so the index compares
// bytes (varchar_pattern_ops on PostgreSQL) instead of collating.
func (SocialProfile) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("contact"),
		index.Fields("platform", "handle").Unique().Annotations(
			entsql.OpClassColumn("platform", "varchar_pattern_ops"), entsql.OpClassColumn("handle", "varchar_pattern_ops")),
	}
}
