package schema

import (
	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CoverageKinds are the kinds of published piece.
var CoverageKinds = []string{"article", "broadcast", "blog_post", "social_post", "video", "podcast", "newsletter",
	"advocate_recommendation"}

// CoverageItem is one published piece of media coverage of a campaign. Its
// URL is stored normalised (tracking parameters stripped) and unique.
type CoverageItem struct {
	ent.Schema
}

// Mixin of the CoverageItem.
func (CoverageItem) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the CoverageItem.
func (CoverageItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("campaign_id"),
		field.String("url").MaxLen(2000).Default(""),
		// url_key is the normalised URL ("" for a piece without one); unique when set.
		field.String("url_key").MaxLen(2000).Optional().Nillable(),
		field.String("title").NotEmpty().MaxLen(500),
		field.Int("outlet_id").Optional().Nillable(),
		field.String("outlet_name").MaxLen(200).Default(""),
		field.String("outlet_type").MaxLen(40).Default(""),
		field.Time("published_at"),
		field.Enum("kind").Values(CoverageKinds...).Default("article"),
		field.Int64("reach").Optional().Nillable(),
		field.Enum("sentiment").Values("positive", "neutral", "negative").Default("neutral"),
		field.Strings("key_messages").Optional(),
		// The coverage interaction on the authors' timelines.
		field.Int("interaction_id").Optional().Nillable(),
		field.Int("created_by_id").Optional().Nillable(),
	}
}

// Edges of the CoverageItem.
func (CoverageItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("coverage").Field("campaign_id").Unique().Required(),
		edge.To("outlet", Outlet.Type).Field("outlet_id").Unique(),
		edge.To("authors", CoverageAuthor.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the CoverageItem: one piece per address, a campaign's pieces
// by date; and the outlet, which a deleted outlet looks its pieces up by
// (the foreign key): PostgreSQL does not index the referencing side itself.
func (CoverageItem) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("url_key").Unique(),
		index.Fields("campaign_id", "published_at"),
		index.Fields("outlet_id"),
	}
}
