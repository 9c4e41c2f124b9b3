package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FeedPost is one item of a feed, stored once: key is its GUID, or its
// normalised link where it has none. contact_id and owned_channel_id copy
// the feed's, so a contact's timeline and a channel's figures read one index.
type FeedPost struct {
	ent.Schema
}

// Fields of the FeedPost.
func (FeedPost) Fields() []ent.Field {
	return []ent.Field{
		field.Int("feed_id"),
		field.Int("contact_id").Optional().Nillable(),
		field.Int("owned_channel_id").Optional().Nillable(),
		field.String("key").NotEmpty().MaxLen(500),
		field.String("title").MaxLen(500).Default(""),
		field.String("link").MaxLen(2000).Default(""),
		field.String("summary").MaxLen(2000).Default(""),
		field.Time("published_at"),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the FeedPost: it goes with its feed and contact.
func (FeedPost) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("feed", Feed.Type).Field("feed_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("contact", Contact.Type).Field("contact_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("owned_channel", OwnedChannel.Type).Field("owned_channel_id").Unique().Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the FeedPost: stored once per feed; a contact's and a channel's posts by time.
func (FeedPost) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("feed_id", "key").Unique(),
		index.Fields("contact_id", "published_at"),
		index.Fields("owned_channel_id", "published_at"),
	}
}
