package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ChannelPurposes are what an owned channel is for, in the order forms show them.
var ChannelPurposes = []string{"news", "jobs", "service", "marketing", "community", "other"}

// OwnedChannel is an account of the brand (or, in an agency, of a client) on
// one platform: the channels the team runs itself, by region and topic, the
// same axes as the relationship matrix.
type OwnedChannel struct {
	ent.Schema
}

// Mixin of the OwnedChannel.
func (OwnedChannel) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the OwnedChannel. Region is a canonical region name (the place
// table's, like contacts'); empty means national or none.
func (OwnedChannel) Fields() []ent.Field {
	return []ent.Field{
		field.Int("brand_id").Optional().Nillable(),
		field.Enum("platform").Values(Platforms...),
		field.String("handle").NotEmpty().MaxLen(200),
		field.String("url").MaxLen(500).Default(""),
		field.String("region").MaxLen(100).Default(""),
		field.Int("topic_id").Optional().Nillable(),
		field.String("language").MaxLen(10).Default("de"),
		field.Int("owner_id").Optional().Nillable(),
		field.Enum("purpose").Values(ChannelPurposes...).Default("news"),
		field.String("goals").MaxLen(2000).Default(""),
	}
}

// Edges of the OwnedChannel: its client, topic and responsible team member
// (each cleared when that row goes).
func (OwnedChannel) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("brand", Brand.Type).Field("brand_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("topic", Topic.Type).Field("topic_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("owner", User.Type).Field("owner_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
	}
}

// Indexes of the OwnedChannel: one account per platform and handle, the
// matrix's region × topic; and the client, topic and owner, which a deleted
// brand, topic or user looks its channels up by (the foreign keys' ON
// DELETE SET NULL): PostgreSQL does not index the referencing side itself.
func (OwnedChannel) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("platform", "handle").Unique(),
		index.Fields("region", "topic_id"),
		index.Fields("brand_id"),
		index.Fields("topic_id"),
		index.Fields("owner_id"),
	}
}
