package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Feed is the RSS, Atom or JSON feed of one channel: a contact's social
// channel or an owned channel (exactly one of the two), with the poller's
// state. A poller takes a feed by setting lease_until in one UPDATE, so
// several servers on one database poll each feed once.
type Feed struct {
	ent.Schema
}

// Mixin of the Feed.
func (Feed) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Feed.
func (Feed) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().MaxLen(2000),
		field.Int("social_profile_id").Optional().Nillable(),
		field.Int("owned_channel_id").Optional().Nillable(),
		field.Int("contact_id").Optional().Nillable().Comment("the social channel's contact, for the posts"),
		field.String("etag").MaxLen(500).Default(""),
		field.String("last_modified").MaxLen(100).Default(""),
		field.Int("interval_minutes").Default(60).Positive(),
		field.Time("next_poll_at"),
		field.Time("lease_until"),
		field.String("lease_owner").MaxLen(100).Default(""),
		field.Time("polled_at").Optional().Nillable(),
		field.String("last_error").MaxLen(500).Default(""),
		field.Int("failures").Default(0).NonNegative(),
		field.Int("posts").Default(0).NonNegative(),
	}
}

// Edges of the Feed: it goes with its channel.
func (Feed) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("social_profile", SocialProfile.Type).Field("social_profile_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("owned_channel", OwnedChannel.Type).Field("owned_channel_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Feed: one feed per channel; the poller's due scan.
func (Feed) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("social_profile_id").Unique(),
		index.Fields("owned_channel_id").Unique(),
		index.Fields("next_poll_at"),
		// The contact's deletion cascades here: without it every erased
		// contact scans the table.
		index.Fields("contact_id"),
	}
}
