package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SegmentFilter is a segment's definition beyond its query text: facet
// filters and conditions, as the search and list pages carry them in URLs.
type SegmentFilter struct {
	Kinds     []string `json:"kinds,omitempty"`
	Stages    []string `json:"stages,omitempty"`
	Regions   []string `json:"regions,omitempty"`
	Topics    []string `json:"topics,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Platforms []string `json:"platforms,omitempty"`
	// Outlets keeps who works or worked for one of these outlets (by name,
	// as the search page's outlet facet lists them).
	Outlets      []string `json:"outlets,omitempty"`
	Owners       []int    `json:"owners,omitempty"`
	Consent      []string `json:"consent,omitempty"`
	MinHealth    *int     `json:"min_health,omitempty"`
	MaxHealth    *int     `json:"max_health,omitempty"`
	Stale        *bool    `json:"stale,omitempty"`
	HasEmail     *bool    `json:"has_email,omitempty"`
	MinFollowers *int64   `json:"min_followers,omitempty"`
	MaxFollowers *int64   `json:"max_followers,omitempty"`
	// Custom are conditions on the admins' custom fields, all of which hold.
	Custom []CustomFilter `json:"custom,omitempty"`
	// Campaign keeps the targets of one campaign, and with CampaignStatuses
	// those in one of these pitch states; the resolver keeps them only for
	// an actor who may run that campaign.
	Campaign         *int     `json:"campaign,omitempty"`
	CampaignStatuses []string `json:"campaign_statuses,omitempty"`
}

// CustomFilter is a condition on one custom field's value; the parts set
// depend on the field's type, and all that are set hold.
type CustomFilter struct {
	Key      string   `json:"key"`
	Any      []string `json:"any,omitempty"`      // choice, multi-choice: the value is (holds) one of these
	Contains string   `json:"contains,omitempty"` // text, URL: the value contains this (case-blind)
	Yes      *bool    `json:"yes,omitempty"`      // yes/no: yes, or anything but yes
	Min      *float64 `json:"min,omitempty"`      // number: at least
	Max      *float64 `json:"max,omitempty"`      // number: at most
	From     string   `json:"from,omitempty"`     // date (YYYY-MM-DD): on or after
	To       string   `json:"to,omitempty"`       // date: on or before
}

// Segment is a saved search: query text plus filters, private to its owner or
// shared with the team. Lists, exports and campaigns all use segments.
type Segment struct {
	ent.Schema
}

// Mixin of the Segment.
func (Segment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Segment.
func (Segment) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(120),
		field.Int("owner_id").Optional().Nillable(),
		field.Bool("shared").Default(false),
		field.String("query").MaxLen(1000).Default(""),
		field.JSON("filter", SegmentFilter{}),
	}
}

// Edges of the Segment.
func (Segment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("owner", User.Type).Field("owner_id").Unique(),
	}
}

// Indexes of the Segment.
func (Segment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("owner_id"), index.Fields("shared")}
}
