package schema

import (
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// KeywordAlert is one match of a keyword rule in a feed post of a
// contact's channel, made once per post and rule (the unique index): the
// coverage candidate of the rule's campaign (campaign_id, copied when it
// matched), the task it gave the contact's owner, and whether the post is
// an advocate's mention (a recommendation).
type KeywordAlert struct {
	ent.Schema
}

// Fields of the KeywordAlert.
func (KeywordAlert) Fields() []ent.Field {
	return []ent.Field{
		field.Int("rule_id"),
		field.Int("feed_post_id"),
		field.Int("campaign_id").Optional().Nillable(),
		field.Int("task_id").Optional().Nillable(),
		field.Int("coverage_item_id").Optional().Nillable().Comment("the coverage item the alert was accepted as"),
		field.Bool("recommendation").Default(false),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the KeywordAlert: it goes with its rule and its post.
func (KeywordAlert) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("rule", KeywordRule.Type).Field("rule_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("post", FeedPost.Type).Field("feed_post_id").Unique().Required().Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("campaign", Campaign.Type).Field("campaign_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("task", Task.Type).Field("task_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
		edge.To("coverage_item", CoverageItem.Type).Field("coverage_item_id").Unique().Annotations(entsql.OnDelete(entsql.SetNull)),
	}
}

// Indexes of the KeywordAlert: never twice per post and rule; a campaign's
// candidates; and the post and the task, which a deleted contact's feed
// posts and tasks look their alerts up by (the foreign keys' ON DELETE):
// without them every deleted task or post scans the whole table, 19 ms each
// against 50,000 alerts (a revert of 20,000 contacts with a task each:
// about 6 minutes of sequential scans). The coverage item likewise, for a
// deleted piece (ON DELETE SET NULL).
func (KeywordAlert) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("rule_id", "feed_post_id").Unique(),
		index.Fields("campaign_id", "created_at"),
		index.Fields("feed_post_id"),
		index.Fields("task_id"),
		index.Fields("coverage_item_id"),
	}
}
