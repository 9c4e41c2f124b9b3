package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FollowerSnapshot records a channel's follower count at a time, whenever it
// changes, for the follower chart.
type FollowerSnapshot struct {
	ent.Schema
}

// Fields of the FollowerSnapshot.
func (FollowerSnapshot) Fields() []ent.Field {
	return []ent.Field{
		field.Int("social_profile_id"),
		field.Int64("followers").NonNegative(),
		field.Time("at").Default(time.Now),
	}
}

// Edges of the FollowerSnapshot.
func (FollowerSnapshot) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("channel", SocialProfile.Type).Ref("history").Field("social_profile_id").Unique().Required(),
	}
}

// Indexes of the FollowerSnapshot.
func (FollowerSnapshot) Indexes() []ent.Index {
	return []ent.Index{index.Fields("social_profile_id", "at")}
}
