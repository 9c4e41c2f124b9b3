package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FigureSources are where a channel's figures came from: a change of the
// contact's channel (its form or import), typed on the figures form, or a
// figures file (platform analytics export).
var FigureSources = []string{"profile", "manual", "import"}

// FollowerSnapshot records a channel's figures at a time: the follower
// count (whenever a contact's channel changes, and for the channel figures
// of issue 18), and where known the engagement (likes, comments, shares),
// impressions and posts of the period the figures cover. The channel is a
// contact's social channel or an owned channel: exactly one of the two
// (the crm's one writer checks it).
type FollowerSnapshot struct {
	ent.Schema
}

// Fields of the FollowerSnapshot.
func (FollowerSnapshot) Fields() []ent.Field {
	return []ent.Field{
		field.Int("social_profile_id").Optional().Nillable(),
		field.Int("owned_channel_id").Optional().Nillable(),
		field.Int64("followers").NonNegative(),
		field.Int64("engagement").Optional().Nillable().NonNegative(),
		field.Int64("impressions").Optional().Nillable().NonNegative(),
		field.Int("posts").Optional().Nillable().NonNegative(),
		field.Enum("source").Values(FigureSources...).Default("profile"),
		field.Time("at").Default(time.Now),
	}
}

// Edges of the FollowerSnapshot: it goes with its channel.
func (FollowerSnapshot) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("channel", SocialProfile.Type).Ref("history").Field("social_profile_id").Unique(),
		edge.To("owned_channel", OwnedChannel.Type).Field("owned_channel_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the FollowerSnapshot: a channel's figures by time.
func (FollowerSnapshot) Indexes() []ent.Index {
	return []ent.Index{index.Fields("social_profile_id", "at"), index.Fields("owned_channel_id", "at")}
}
