package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CampaignSource is who a campaign's target list was frozen from: a saved
// segment or a selection (query text and filters), and when.
type CampaignSource struct {
	SegmentID int           `json:"segment_id,omitempty"`
	Query     string        `json:"query,omitempty"`
	Filter    SegmentFilter `json:"filter"`
}

// Campaign is a client's campaign: what it says, when, who runs it, and the
// people it is pitched to (its targets).
type Campaign struct {
	ent.Schema
}

// Mixin of the Campaign.
func (Campaign) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Campaign.
func (Campaign) Fields() []ent.Field {
	return []ent.Field{
		field.Int("brand_id"),
		field.String("name").NotEmpty().MaxLen(200),
		field.Text("goal").MaxLen(5000).Default(""),
		// Key messages, one per entry; coverage items say which they carried.
		field.Strings("key_messages").Optional(),
		field.Time("starts_at"),
		field.Time("ends_at").Optional().Nillable(),
		// Pitches before this time carry the embargo.
		field.Time("embargo_until").Optional().Nillable(),
		field.Int("owner_id").Optional().Nillable(),
		field.Enum("status").Values("planned", "running", "done").Default("planned"),
		// A pitched target without a reply for this many days turns no_reply.
		field.Int("no_reply_days").Default(14).Range(1, 365),
		field.JSON("source", CampaignSource{}).Optional(),
		// When the target list was frozen from the source (nil: not yet).
		field.Time("frozen_at").Optional().Nillable(),
		// Version counts saves of the campaign's row; an API change based on
		// an older version is refused (optimistic locking, the ETag).
		field.Int("version").Default(1),
	}
}

// Edges of the Campaign.
func (Campaign) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("brand", Brand.Type).Ref("campaigns").Field("brand_id").Unique().Required(),
		edge.To("owner", User.Type).Field("owner_id").Unique(),
		// The team: users who run the campaign with its owner.
		edge.To("members", CampaignMember.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("targets", CampaignTarget.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("coverage", CoverageItem.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Campaign.
func (Campaign) Indexes() []ent.Index {
	return []ent.Index{index.Edges("brand"), index.Fields("owner_id"), index.Fields("status", "starts_at")}
}
