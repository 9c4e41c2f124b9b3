package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ExportLog records an export: who, when, the segment definition, the frozen
// member ids, format, columns, row count, who was excluded and
// why, and the purpose. Staff exports above the daily limit wait for a
// manager's approval.
type ExportLog struct {
	ent.Schema
}

// Fields of the ExportLog.
func (ExportLog) Fields() []ent.Field {
	return []ent.Field{
		field.Int("user_id").Optional().Nillable(),
		field.Int("segment_id").Optional().Nillable(),
		field.String("segment_name").MaxLen(120).Default(""),
		field.String("query").MaxLen(1000).Default(""),
		field.JSON("filter", SegmentFilter{}),
		field.String("format").MaxLen(20),
		field.Strings("columns").Optional(),
		field.String("purpose").NotEmpty().MaxLen(500),
		field.Int("row_count").Default(0),
		field.JSON("excluded_counts", map[string]int{}).Optional(),
		// MemberIDs freezes who was in the export: ids only, so the record
		// that someone was exported outlives their erasure without their data.
		field.JSON("member_ids", []int{}).Optional(),
		field.String("override_reason").MaxLen(500).Default(""),
		field.Enum("status").Values("done", "pending_approval", "approved", "rejected", "failed").Default("done"),
		field.Int("approved_by_id").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("finished_at").Optional().Nillable(),
	}
}

// Edges of the ExportLog.
func (ExportLog) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique(),
	}
}

// Indexes of the ExportLog: per user per day (the approval limit), by time.
func (ExportLog) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "created_at"), index.Fields("created_at"), index.Fields("segment_id")}
}
