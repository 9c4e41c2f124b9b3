package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Phone is one typed telephone number of a contact.
type Phone struct {
	Number string `json:"number"`
	Label  string `json:"label,omitempty"` // work, mobile, private, other
}

// Contact is a person the team keeps a relationship with: a journalist, blogger,
// creator, advocate, analyst or customer.
type Contact struct {
	ent.Schema
}

// Mixin of the Contact.
func (Contact) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Contact.
func (Contact) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("journalist", "blogger", "creator", "advocate", "analyst", "customer", "other").Default("journalist"),
		field.String("first_name").MaxLen(100).Default(""),
		field.String("last_name").MaxLen(100).Default(""),
		// SortLast and SortFirst are the names' sort keys (crm/sortkey: German
		// dictionary order, DIN 5007-1), set by every writer together with the
		// names. Compared bytewise on both databases (COLLATE "C" on
		// PostgreSQL; SQLite compares text as bytes), so lists, exports and
		// the search index order names alike.
		field.String("sort_last").Default("").Annotations(entsql.Annotation{Collation: "C"}),
		field.String("sort_first").Default("").Annotations(entsql.Annotation{Collation: "C"}),
		field.String("title").MaxLen(200).Default(""),
		field.Text("bio").MaxLen(20000).Default(""),
		field.Strings("languages").Optional(),
		field.String("city").MaxLen(100).Default(""),
		field.String("region").MaxLen(100).Default(""),
		field.String("country").MaxLen(2).Default(""),
		field.JSON("phones", []Phone{}).Optional(),
		field.Int("owner_id").Optional().Nillable(),
		field.Enum("stage").Values("unknown", "aware", "engaged", "supporter", "advocate").Default("unknown"),
		field.Enum("lawful_basis").Values("none", "legitimate_interest", "consent", "contract").Default("legitimate_interest"),
		field.Enum("consent_state").Values("none", "given", "withdrawn", "objected").Default("none"),
		field.Time("consent_at").Optional().Nillable(),
		field.String("consent_source").MaxLen(200).Default(""),
		field.Bool("do_not_contact").Default(false),
		// NotifiedAt is when the person was told that we hold their data
		// (Art. 14), from their latest notice event; nil: not yet.
		field.Time("notified_at").Optional().Nillable(),
		field.Time("last_interaction_at").Optional().Nillable(),
		// Reach is the sum of the followers of the contact's channels, kept by crm on
		// every channel change so lists can sort by it without a join.
		field.Int64("reach").Default(0).NonNegative(),
		// Health is the stored relationship health score 0–100 (crm keeps it
		// current on every interaction and nightly), so lists sort by it.
		field.Int("health").Default(0).Range(0, 100),
		// TouchDueAt is when the stage's cadence expects the next touch; past it
		// the relationship is stale. Nil for contacts without a cadence.
		field.Time("touch_due_at").Optional().Nillable(),
		// Version counts saves; an edit based on an older version is refused (optimistic locking).
		field.Int("version").Default(1),
		// Custom holds the values of the admins' custom fields (CustomField) by
		// key; jsonb on PostgreSQL with a GIN index for the lists' filters.
		field.JSON("custom", CustomValues{}).Optional(),
	}
}

// Edges of the Contact.
func (Contact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("owner", User.Type).Ref("contacts").Field("owner_id").Unique(),
		edge.To("emails", ContactEmail.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("channels", SocialProfile.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("employments", Employment.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("topics", Topic.Type).Through("contact_topics", ContactTopic.Type),
		edge.To("tags", Tag.Type).Through("contact_tags", ContactTag.Type),
		edge.From("interactions", Interaction.Type).Ref("contacts").Through("participations", Participation.Type),
		edge.To("nominations", Nomination.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("tasks", Task.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("consent_events", ConsentEvent.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("retention_reviews", RetentionReview.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Contact: every column a list sorts or filters by. The owner's
// foreign key is served by (owner_id, stage, touch_due_at), whose prefix it is; a
// separate index on owner_id would only cost every insert one more entry.
// The name order (the sort keys, not the names) carries id (the lists'
// tie-breaker and keyset) and, on
// PostgreSQL, the columns that decide an export's exclusions, so resolving a
// segment of every contact is an index-only scan instead of a sort. The
// dashboard's "my stale relationships" (engaged or better, past their
// cadence) are counted from (owner_id, stage, touch_due_at) alone and listed
// with one ordered range per stage. (A partial index WHERE stage IN (…)
// would do both, but atlas sees PostgreSQL's rewrite of the predicate as a
// change and plans it again on every diff.)
func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("sort_last", "sort_first", "id").
			Annotations(entsql.IncludeColumns("do_not_contact", "consent_state", "lawful_basis")),
		index.Fields("last_interaction_at"),
		index.Fields("reach"),
		index.Fields("kind"),
		index.Fields("region"),
		index.Fields("stage"),
		index.Fields("health"),
		// With its owner: the start page counts contacts past their cadence
		// per owner from the index alone.
		index.Fields("touch_due_at").Annotations(entsql.IncludeColumns("owner_id")),
		index.Fields("owner_id", "stage", "touch_due_at"),
		index.Fields("custom").Annotations(entsql.IndexTypes(map[string]string{dialect.Postgres: "GIN"}),
			entsql.OpClass("jsonb_path_ops")),
	}
}
